"""Load a built graph into one engine, run the benchmark queries on it, report as JSON lines.

Run by ``run.py`` in a child process of its own (``python engine_worker.py SPEC.json``), so that
the parent can read the engine's peak memory from ``wait4`` and stop a baseline that runs too
long. Each result is printed and flushed as soon as it exists, so a worker stopped at its time
limit still leaves everything it finished.

Engines:

* ``oxigraph``: the product's own path, ``kg.sparql.engines.open_engine`` and ``Engine.query`` (which
  also checks the query and converts terms, as ``kg query`` does).
* ``rdflib``: the baseline, plain rdflib with nothing of ours: a ``Dataset`` whose default graph
  is the union of the named graphs, ``Dataset.parse`` and ``Dataset.query`` with ``initBindings``.

Rows are compared across engines by a digest of their sorted, normalised terms, so equal answers
in a different order (ties under ORDER BY) still agree.
"""

from __future__ import annotations

import gc
import hashlib
import importlib
import json
import sys
import time
from pathlib import Path

FORMATS = {".nq": "nquads", ".trig": "trig", ".nt": "nt", ".ttl": "turtle", ".jsonld": "json-ld"}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
WARM_UP = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text("utf-8"))
    engine = ENGINES[spec["engine"]](Path(spec["data"]))
    engine.prepare()
    for _ in range(spec["loads"]):
        engine.drop()
        gc.collect()
        start = time.perf_counter()
        engine.load()
        emit(event="load", seconds=time.perf_counter() - start)
    emit(event="size", quads=engine.size())
    engine.select(WARM_UP, {})  # builds rdflib's SPARQL grammar once, outside every timing
    for query in spec["queries"]:
        seconds, rows = [], []
        for _ in range(spec["repeat"]):
            gc.collect()
            start = time.perf_counter()
            rows = engine.select(query["text"], query["bindings"])
            seconds.append(time.perf_counter() - start)
        emit(event="query", name=query["name"], seconds=seconds, rows=len(rows), digest=digest(rows))
    return 0


def emit(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def digest(rows: list[tuple]) -> str:
    canonical = sorted("\t".join(term_key(term) for term in row) for row in rows)
    return hashlib.sha256("\n".join(canonical).encode("utf-8")).hexdigest()[:16]


def term_key(term: object) -> str:
    """One spelling for equal terms of either engine (rdflib terms in both cases)."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return "UNDEF"
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return "_:"  # blank node labels differ between stores; the benchmark queries return none
    if isinstance(term, Literal):
        if term.language:
            return f'"{term}"@{term.language.lower()}'
        return f'"{term}"^^<{term.datatype or XSD_STRING}>'
    return repr(term)


class OxigraphWorker:
    def __init__(self, data: Path):
        self.data, self.engine = data, None

    def prepare(self) -> None:
        """Import what loading needs, so that the load times measure loading only."""
        for module in ("kg.sparql.engines", "pyoxigraph"):
            importlib.import_module(module)

    def drop(self) -> None:
        self.engine = None

    def load(self) -> None:
        from kg.sparql.engines import open_engine

        self.engine = open_engine("oxigraph", data=self.data)

    def size(self) -> int:
        return len(self.engine.store)

    def select(self, text: str, bindings: dict[str, str]) -> list[tuple]:
        from rdflib import URIRef

        return self.engine.query(text, {k: URIRef(v) for k, v in bindings.items()}).rows


class RdflibWorker:
    def __init__(self, data: Path):
        self.data, self.dataset = data, None

    def prepare(self) -> None:
        from rdflib import Dataset

        Dataset().parse(data="", format=FORMATS[self.data.suffix])  # loads the parser plugin

    def drop(self) -> None:
        self.dataset = None

    def load(self) -> None:
        from rdflib import Dataset

        self.dataset = Dataset(default_union=True)
        self.dataset.parse(self.data, format=FORMATS[self.data.suffix])

    def size(self) -> int:
        return sum(1 for _ in self.dataset.quads((None, None, None, None)))

    def select(self, text: str, bindings: dict[str, str]) -> list[tuple]:
        from rdflib import URIRef, Variable

        answer = self.dataset.query(text, initBindings={Variable(k): URIRef(v) for k, v in bindings.items()})
        return [tuple(row) for row in answer]


ENGINES = {"oxigraph": OxigraphWorker, "rdflib": RdflibWorker}

if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
