"""The SPARQL engines: Oxigraph (fast, the default) and rdflib (the reference, for comparison).

Oxigraph answers aggregate and path queries over a million triples in a fraction of rdflib's time;
rdflib stays available because it is the reference implementation most Python users know, and
because running every saved query on both and comparing is the best test of either. Both are used
through :class:`Engine`, which checks the query first (see :mod:`kg.sparql.query_check`), binds
parameters as RDF terms (never by pasting text into the query) and returns a
:class:`~kg.sparql.results.QueryResult` of rdflib terms.

Both engines can reach the network (Oxigraph for ``SERVICE``; rdflib for ``SERVICE`` and remote
JSON-LD contexts). ``open_engine(..., sandboxed=True)`` runs either in a worker process that
cannot (:class:`kg.sparql.query_workers.SandboxedEngine`); an error that comes from that sandbox is
reported as a refusal (:func:`kg.sparql.sandbox.refused_by_sandbox`).
"""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path
from typing import ClassVar

from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD

from ..errors import KgError, QueryError, QueryLimitError, SetupError
from .query_check import CheckedQuery, check_query
from .results import QueryResult, plain
from .sandbox import refused_by_sandbox
from .saved_queries import internal_query

FILE_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld"}


class Engine:
    """One loaded dataset and a way to query it; the default graph is the union of all graphs."""

    name: ClassVar[str]

    def __init__(self) -> None:
        self._labels: dict[URIRef, str] | None = None

    def query(self, text: str, bindings: dict[str, object] | None = None, *,
              limit: int | None = None, timeout: float | None = None,
              allow_service: bool = False) -> QueryResult:
        checked = check_query(text, allow_service=allow_service)
        bindings = dict(bindings or {})
        hidden = {name: value for name, value in bindings.items() if name not in (checked.projection or ())}
        if hidden:
            # Oxigraph binds a variable only where a SELECT names it (SEP-0007 substitution refuses
            # the others, and SELECT *, ASK, CONSTRUCT and DESCRIBE whose pattern binds it in a
            # subquery). Those are bound, in both engines alike, by a VALUES block around the
            # pattern, and the text with that block is checked again: it is the text that runs.
            from .values import with_values

            final = check_query(with_values(checked.text, hidden), allow_service=allow_service).text
            checked = dataclasses.replace(checked, text=final)
            bindings = {name: value for name, value in bindings.items() if name not in hidden}
        deadline = time.monotonic() + timeout if timeout else None
        result = self._run(checked, bindings, limit, deadline)
        if checked.form == "SELECT" and checked.projection is None:
            result.order_columns(checked.variables)  # SELECT *: in the order the query names them
        return result

    def labels(self) -> dict[URIRef, str]:
        """Readable names of the graph's actors, norms, events, documents and stances."""
        if self._labels is None:
            result = self.query(internal_query("labels"))
            self._labels = {}
            for subject, label in result.rows:
                self._labels.setdefault(subject, str(label))
        return self._labels

    @classmethod
    def load(cls, payload: bytes, fmt: str) -> Engine:
        """An engine over ``payload``, RDF in rdflib format name ``fmt``."""
        raise NotImplementedError

    def close(self) -> None:
        """Let go of what the engine holds beyond memory (a worker process); idempotent."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _run(self, checked: CheckedQuery, bindings, limit, deadline) -> QueryResult:
        raise NotImplementedError

    @staticmethod
    def _collect(form: str, variables: list[str], rows, limit: int | None,
                 deadline: float | None, *, spelled: bool = False) -> QueryResult:
        """Read rows lazily so that the row cap and time limit apply while they are produced.

        ``spelled``: the terms are already in :func:`~kg.sparql.results.plain` spelling.
        """
        result = QueryResult(form, variables)
        spell = tuple if spelled else (lambda row: tuple(plain(term) for term in row))
        for row in rows:
            if limit is not None and len(result.rows) >= limit:
                result.truncated = True
                break
            if deadline is not None and time.monotonic() > deadline:
                raise QueryLimitError("the query exceeded its time limit")
            result.rows.append(spell(row))
        return result


class RdflibEngine(Engine):
    name = "rdflib"

    def __init__(self, dataset: Dataset):
        super().__init__()
        import rdflib.plugins.sparql as sparql

        sparql.SPARQL_LOAD_GRAPHS = False  # never fetch FROM <iri> from the web
        self.dataset = dataset

    @classmethod
    def load(cls, payload: bytes, fmt: str) -> RdflibEngine:
        dataset = Dataset(default_union=True)
        try:
            dataset.parse(data=payload, format=fmt)
        except Exception as exc:  # rdflib parsers raise many types
            raise SetupError(f"cannot read the graph: {exc}") from exc
        return cls(dataset)

    def _run(self, checked, bindings, limit, deadline) -> QueryResult:
        try:
            return self._evaluate(checked.text, checked.form, bindings, limit, deadline)
        except KgError:
            raise
        except Exception as exc:  # rdflib raises assorted exception types while evaluating, lazily
            raise refused_by_sandbox(exc) or QueryError(f"the query failed: {exc}") from exc

    def _evaluate(self, text, form, bindings, limit, deadline) -> QueryResult:
        answer = self.dataset.query(text, initBindings={Variable(k): v for k, v in bindings.items()})
        if form == "ASK":
            return QueryResult(form, boolean=bool(answer.askAnswer))
        if form == "SELECT":
            names = [str(v) for v in answer.vars]
            return self._collect(form, names, ((row[v] for v in answer.vars) for row in answer),
                                 limit, deadline)
        graph = Graph()
        for triple in answer:
            graph.add(tuple(plain(t) for t in triple))
        return QueryResult(form, graph=graph)


class OxigraphEngine(Engine):
    name = "oxigraph"

    def __init__(self, store):
        super().__init__()
        self.store = store

    @classmethod
    def load(cls, payload: bytes, fmt: str) -> OxigraphEngine:
        import pyoxigraph as ox

        formats = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                   "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
                   "json-ld": ox.RdfFormat.JSON_LD}
        store = ox.Store()
        try:
            store.bulk_load(payload, format=formats[fmt])
        except (SyntaxError, OSError, ValueError) as exc:
            raise SetupError(f"cannot read the graph: {exc}") from exc
        return cls(store)

    def _run(self, checked, bindings, limit, deadline) -> QueryResult:
        import pyoxigraph as ox

        form = checked.form
        substitutions = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
        try:
            answer = self.store.query(checked.text, use_default_graph_as_union=True,
                                      substitutions=substitutions or None)
            if form == "ASK":
                return QueryResult(form, boolean=bool(answer))
            if form == "SELECT":
                names = [v.value for v in answer.variables]
                columns = range(len(names))
                convert = _Converted()
                rows = ((convert(solution[i]) for i in columns) for solution in answer)
                return self._collect(form, names, rows, limit, deadline, spelled=True)
            graph = Graph()
            for triple in answer:
                graph.add((from_oxigraph(triple.subject), from_oxigraph(triple.predicate),
                           from_oxigraph(triple.object)))
            return QueryResult(form, graph=graph)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {_in_user_text(str(exc), checked.prologue)}") from None
        except OSError as exc:
            raise refused_by_sandbox(exc) or QueryError(f"the query failed: {exc}") from exc
        except (RuntimeError, ValueError) as exc:  # evaluation errors ("variable ... is unbound")
            raise QueryError(f"the query failed: {exc}") from exc


_FIRST_LINE_ERROR = re.compile(r"^error at 1:(\d+)")


def _in_user_text(message: str, prologue: int) -> str:
    """Oxigraph's ``error at LINE:COLUMN`` with the predefined prefixes' declarations taken off."""
    return _FIRST_LINE_ERROR.sub(lambda m: f"error at 1:{max(1, int(m.group(1)) - prologue)}", message)


class _Converted(dict):
    """``from_oxigraph`` made once per distinct term of one result.

    An aggregate's rows repeat a few terms (the same claimant, norm, stance in thousands of rows),
    and making rdflib terms (which check every IRI) took as long as Oxigraph took to answer.
    """

    def __call__(self, term):
        if term is None:
            return None
        found = self.get(term)
        if found is None:
            found = self[term] = from_oxigraph(term)
        return found


def from_oxigraph(term):
    """An Oxigraph term as the equal rdflib term (plain literals for xsd:string)."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise QueryError(f"unsupported term in a result: {term!r}")


def to_oxigraph(term):
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot bind {term!r}")


# --- opening a dataset ---------------------------------------------------------------------------


def nquads_of_corpus(corpus_dir: Path | str) -> bytes:
    """The corpus built in memory (checked, not SHACL-validated) as N-Quads with named graphs."""
    from ..corpus.loader import load_corpus
    from ..graph.builder import build_graph
    from ..graph.formats import FORMATS

    return FORMATS["nquads"].serialize(build_graph(load_corpus(corpus_dir)))


def nquads_of_file(data: Path | str) -> bytes:
    """A built graph file as N-Quads (for the endpoint's workers)."""
    engine = open_engine("oxigraph", data=data)
    import pyoxigraph as ox

    return engine.store.dump(format=ox.RdfFormat.N_QUADS)


def open_engine(name: str = "oxigraph", *, corpus_dir: Path | str = "corpus",
                data: Path | str | None = None, sandboxed: bool = False) -> Engine:
    """An engine over a built graph file (``data``) or, by default, the corpus built in memory.

    ``sandboxed``: in a worker process that cannot reach the network (close it after use);
    SandboxUnavailable where no such process can be made.
    """
    if name not in ENGINES:
        raise SetupError(f"unknown engine '{name}'; known: {', '.join(ENGINES)}")
    if data is not None:
        path = Path(data)
        if path.suffix not in FILE_FORMATS:
            raise SetupError(f"cannot tell the RDF format of {path}; use one of "
                             f"{', '.join(FILE_FORMATS)}")
        if not path.is_file():
            raise SetupError(f"no such file: {path}")
        payload, fmt = path.read_bytes(), FILE_FORMATS[path.suffix]
    else:
        payload, fmt = nquads_of_corpus(corpus_dir), "nquads"
    if sandboxed:
        from .query_workers import SandboxedEngine

        return SandboxedEngine.start(name, payload, fmt)
    return ENGINES[name].load(payload, fmt)


ENGINES: dict[str, type[Engine]] = {"oxigraph": OxigraphEngine, "rdflib": RdflibEngine}
