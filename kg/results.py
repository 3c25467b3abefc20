"""Query results, independent of the engine that produced them, and their formats.

Both engines' answers are turned into rdflib terms and one :class:`QueryResult`, so that the W3C
result formats (JSON, XML, CSV, TSV) come from one serialiser — rdflib's — whatever engine ran:
identical answers give identical bytes. ``table`` and ``md`` are for people: they show labels
(a norm's citation, an actor's name) instead of IRIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result

from .builder import bind_prefixes

SELECT_FORMATS = {  # name -> (rdflib result serializer, media type)
    "json": ("json", "application/sparql-results+json"),
    "xml": ("xml", "application/sparql-results+xml"),
    "csv": ("csv", "text/csv"),
    "tsv": ("tsv", "text/tab-separated-values"),
}
GRAPH_FORMATS = {  # name -> (rdflib graph serializer, media type)
    "turtle": ("turtle", "text/turtle"),
    "jsonld": ("json-ld", "application/ld+json"),
    "nt": ("nt", "application/n-triples"),
    "xml": ("xml", "application/rdf+xml"),
}
HUMAN_FORMATS = ("table", "md")


def plain(term):
    """One spelling for equal terms: ``"x"^^xsd:string`` and ``"x"`` are the same in RDF 1.1."""
    if isinstance(term, Literal) and term.datatype == XSD.string and term.language is None:
        return Literal(str(term))
    return term


@dataclass
class QueryResult:
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # rdflib terms or None, one per variable
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False  # the row cap cut the result

    def to_rdflib(self) -> Result:
        result = Result(self.form if self.form in ("SELECT", "ASK") else "CONSTRUCT")
        if self.form == "ASK":
            result.askAnswer = bool(self.boolean)
        elif self.form == "SELECT":
            names = [Variable(v) for v in self.variables]
            result.vars = names
            result.bindings = [
                {name: value for name, value in zip(names, row, strict=True) if value is not None}
                for row in self.rows
            ]
        else:
            result.graph = self.graph
        return result

    def comparable(self):
        """A plain value equal for equal answers, for comparing engines."""
        if self.form == "ASK":
            return self.boolean
        if self.form == "SELECT":
            return self.variables, [tuple(_n3(t) for t in row) for row in self.rows]
        return sorted(tuple(_n3(t) for t in triple) for triple in self.graph)


def _n3(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, BNode):
        return "_:b"  # blank node labels are local to a result
    return term.n3()


def media_type(result: QueryResult, fmt: str) -> str:
    if result.form in ("SELECT", "ASK"):
        return SELECT_FORMATS[fmt][1] if fmt in SELECT_FORMATS else "text/plain; charset=utf-8"
    return GRAPH_FORMATS[fmt][1]


def serialize(result: QueryResult, fmt: str, labels: dict | None = None) -> bytes:
    """Bytes of ``result`` in ``fmt``: a W3C results format, an RDF format, or table/md."""
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in GRAPH_FORMATS:
            fmt = "turtle"
        graph = result.graph
        bind_prefixes(graph)
        return graph.serialize(format=GRAPH_FORMATS[fmt][0], encoding="utf-8")
    if fmt in HUMAN_FORMATS:
        return _human(result, fmt, labels or {}).encode("utf-8")
    if fmt not in SELECT_FORMATS:
        raise ValueError(f"unknown result format '{fmt}'")
    if result.form == "ASK" and fmt in ("csv", "tsv"):
        return (f"{'true' if result.boolean else 'false'}\n").encode()
    if fmt == "tsv":
        return _tsv(result)
    data = result.to_rdflib().serialize(format=SELECT_FORMATS[fmt][0], encoding="utf-8")
    return data if data.endswith(b"\n") else data + b"\n"


def _tsv(result: QueryResult) -> bytes:
    """W3C SPARQL 1.1 TSV (rdflib parses it but has no serialiser): terms in Turtle syntax."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else t.n3() for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


def display(term, labels: dict) -> str:
    """What a person reads for a term: a label where there is one, else a compact IRI."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        if term in labels:
            return labels[term]
        return _compact(term)
    return str(term)


_COMPACT_GRAPH = Graph()
bind_prefixes(_COMPACT_GRAPH)


def _compact(iri: URIRef) -> str:
    try:
        return _COMPACT_GRAPH.namespace_manager.normalizeUri(iri)
    except Exception:  # rdflib refuses IRIs it cannot split; show them whole
        return f"<{iri}>"


def _human(result: QueryResult, fmt: str, labels: dict) -> str:
    if result.form == "ASK":
        return ("yes" if result.boolean else "no") + "\n"
    header = result.variables
    body = [[display(t, labels) for t in row] for row in result.rows]
    if fmt == "md":
        def cell(text: str) -> str:
            # Markdown passes HTML through and makes links of [text](url): a notebook's Markdown
            # view would run an <img onerror> from a label, so '<', '>', '&' become entities and
            # brackets are escaped (a renderer shows them as the characters they stand for).
            text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            text = text.replace("[", "\\[").replace("]", "\\]")
            return text.replace("|", "\\|").replace("\n", " ")
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in body]
        return "\n".join(lines) + "\n"
    widths = [min(60, max([len(h)] + [len(r[i]) for r in body])) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(_fit(c, w).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in body]
    count = len(body)
    out.append(f"({count} row{'s' if count != 1 else ''}{', truncated' if result.truncated else ''})")
    return "\n".join(out) + "\n"


def _fit(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
