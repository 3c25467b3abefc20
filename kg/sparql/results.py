"""Query results, independent of the engine that produced them, and their formats.

Both engines' answers are turned into rdflib terms and one :class:`QueryResult`, so that the W3C
result formats (JSON, XML, CSV, TSV) come from one serialiser — rdflib's — whatever engine ran:
identical answers give identical bytes. ``table`` and ``md`` are for people: they show labels
(a norm's citation, an actor's name) instead of IRIs, with long values wrapped to fit a terminal
rather than cut.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result

from ..errors import QueryError
from ..graph.builder import bind_prefixes

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

    def order_columns(self, names: list[str] | tuple[str, ...]) -> None:
        """Put the columns in the order of ``names``; columns it does not name follow, as they were."""
        rank = {name: position for position, name in enumerate(names)}
        order = sorted(range(len(self.variables)), key=lambda i: (rank.get(self.variables[i], len(rank)), i))
        self.variables = [self.variables[i] for i in order]
        self.rows = [tuple(row[i] for i in order) for row in self.rows]

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


GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")


def result_format(form: str, fmt: str | None) -> str:
    """The format a result of ``form`` is printed in: ``fmt``, or by default a table (Turtle for a
    graph). A format that does not fit the form is a QueryError saying which ones do."""
    graph = form in GRAPH_FORMS
    if fmt is None:
        return "turtle" if graph else "table"
    if graph and fmt not in GRAPH_FORMATS:
        raise QueryError(f"a {form} query gives a graph, not a table: use -f turtle, jsonld, nt or xml "
                         "(without -f it prints Turtle)")
    if not graph and fmt not in (*HUMAN_FORMATS, *SELECT_FORMATS):
        what = "an ASK query gives yes or no" if form == "ASK" else f"a {form} query gives a table"
        raise QueryError(f"{what}, not a graph: use -f table, md, json, xml, csv or tsv (turtle, "
                         "jsonld and nt are for CONSTRUCT and DESCRIBE)")
    return fmt


def media_type(result: QueryResult, fmt: str) -> str:
    if result.form in ("SELECT", "ASK"):
        return SELECT_FORMATS[fmt][1] if fmt in SELECT_FORMATS else "text/plain; charset=utf-8"
    return GRAPH_FORMATS[fmt][1]


def serialize(result: QueryResult, fmt: str, labels: dict | None = None, width: int | None = None) -> bytes:
    """Bytes of ``result`` in ``fmt``: a W3C results format, an RDF format, or table/md.

    ``width`` fits a table to that many columns by wrapping long values; None prints each row on
    one line, however long.
    """
    fmt = result_format(result.form, fmt)
    if result.form in GRAPH_FORMS:
        graph = result.graph
        bind_prefixes(graph)
        return graph.serialize(format=GRAPH_FORMATS[fmt][0], encoding="utf-8")
    if fmt in HUMAN_FORMATS:
        return _human(result, fmt, labels or {}, width).encode("utf-8")
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


def _human(result: QueryResult, fmt: str, labels: dict, width: int | None) -> str:
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
    body = [[" ".join(c.split()) for c in row] for row in body]
    natural = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    widths = natural if width is None else column_widths(natural, [len(h) for h in header], width)
    wrapped = widths != natural
    out = [_line(header, widths), "  ".join("-" * w for w in widths)]
    for number, row in enumerate(body):
        cells = [textwrap.wrap(c, w, break_on_hyphens=True) or [""] for c, w in zip(row, widths, strict=True)]
        if wrapped and number:
            out.append("")  # a row of several lines ends where a blank line is
        for depth in range(max(len(c) for c in cells)):
            out.append(_line([c[depth] if depth < len(c) else "" for c in cells], widths))
    count = len(body)
    note = f", wrapped to {width} columns: --wide for one line each" if wrapped else ""
    out.append(f"({count} row{'s' if count != 1 else ''}{', truncated' if result.truncated else ''}{note})")
    return "\n".join(out) + "\n"


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


MIN_COLUMN = 8  # characters a wrapped column keeps at least (or its header's length)


def column_widths(natural: list[int], headers: list[int], width: int) -> list[int]:
    """Widths of columns that fit ``width`` characters with two spaces between them.

    Narrow columns keep their natural width and the rest is shared equally among the wide ones
    (a column is never narrower than its header or MIN_COLUMN, so a very narrow terminal gets
    a table wider than itself rather than columns one letter wide).
    """
    available = width - 2 * (len(natural) - 1)
    if sum(natural) <= available:
        return list(natural)
    widths = list(natural)
    left = available
    order = sorted(range(len(natural)), key=lambda i: natural[i])
    for done, i in enumerate(order):
        share = left // (len(order) - done)
        widths[i] = min(natural[i], max(share, headers[i], MIN_COLUMN))
        left -= widths[i]
    return widths
