"""A store's answer read into rdflib terms without trusting the store.

The answer arrives as bytes already held to a size limit (:mod:`kg.sparql.remote_http`); what it holds,
and what reading it may cost, is checked here:

- SPARQL JSON results, N-Triples and Turtle are read by pyoxigraph's parsers, which stream, take
  time in proportion to the input at any depth of nesting (a hundred thousand nested brackets are
  an error, not a crash or a RecursionError), check IRIs, language tags and variable names, and
  never fetch anything.
- RDF/XML is read by rdflib on defusedxml's expat reader with DTDs forbidden: an entity could
  expand 601 bytes into gigabytes (the "billion laughs") or name a URL or a file to read.
  pyoxigraph's RDF/XML parser expands entities, and takes time quadratic in the depth of nesting.
- Every other media type is refused, JSON-LD among them: kg does not ask for it, rdflib's parser
  fetches ``@context`` URLs (``file:`` ones too) and pyoxigraph's crashes on deep nesting.
- The columns of an answer must be variables of the query: otherwise a head of 20,000 columns over
  100,000 empty rows, 600 KB of JSON, would become two billion cells.
- An integer longer than Python converts (``sys.get_int_max_str_digits``) is refused. Any other
  ill-typed literal (``"abc"^^xsd:integer``, which RDF allows) is passed on as sent, without the
  traceback rdflib logs when it fails to convert one.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import sys
import threading
import warnings
from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from ..errors import RemoteError
from .remote_http import Answer, shown
from .results import QueryResult, plain

# What kg asks for a graph with, and what it reads: media type -> syntax.
# text/plain is the pre-2014 N-Triples type that older Virtuoso releases still send.
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
GRAPH_SYNTAX = {
    "application/n-triples": "nt", "text/plain": "nt", "text/ntriples": "nt",
    "text/turtle": "turtle", "application/x-turtle": "turtle",
    "application/rdf+xml": "rdfxml",
}
_INTEGER_TYPES = frozenset(str(XSD[name]) for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte"))
_BOOLEANS = frozenset(("true", "false", "1", "0"))  # xsd:boolean's lexical space
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_VARIABLE = re.compile(r"[?$]([\w\u00b7\u0300-\u036f\u203f-\u2040]+)")
_COLUMNS_SHOWN = 5


class _Reading(logging.Filter):
    """Silences rdflib's log records in the thread reading an answer.

    rdflib logs a literal it cannot convert to a Python value with a traceback, and an IRI it finds
    odd; the literal keeps its lexical form and datatype, which is all kg shows, and IRIs are
    checked here. Other threads' records pass.
    """

    def __init__(self) -> None:
        super().__init__()
        self.local = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(self.local, "active", False)

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        self.local.active = True
        try:
            yield
        finally:
            self.local.active = False


_READING = _Reading()
logging.getLogger("rdflib.term").addFilter(_READING)


def read_results(answer: Answer, form: str, query: str, url: str,
                 limit: int | None = None) -> QueryResult:
    """The SPARQL JSON results of a SELECT or ASK ``query``, the first ``limit`` rows at most."""
    try:
        parsed = ox.parse_query_results(answer.body, ox.QueryResultsFormat.JSON)
        if isinstance(parsed, ox.QueryBoolean):
            if form != "ASK":
                raise RemoteError(f"{url} answered a {form} query with a boolean")
            return QueryResult(form, boolean=bool(parsed))
        names = [variable.value for variable in parsed.variables]
        if form == "ASK":
            return QueryResult(form, boolean=_virtuoso_ask(parsed, names, url))
        _check_columns(names, query, url)
        with _READING.active():
            rows, truncated = _rows(parsed, len(names), limit, url)
    except SyntaxError as exc:
        raise RemoteError(f"{url} sent an answer that is not SPARQL JSON results "
                          f"({answer.media_type or 'no content type'}): {shown(str(exc))}") from None
    return QueryResult(form, names, rows, truncated=truncated)


def read_graph(answer: Answer, url: str) -> Graph:
    """The graph a CONSTRUCT or DESCRIBE answer holds."""
    media = answer.media_type
    syntax = GRAPH_SYNTAX.get(media)
    if syntax is None:
        raise RemoteError(f"{url} answered a graph query with {shown(media) or 'no content type'}, "
                          "which kg did not ask for and does not read (it reads "
                          f"{', '.join(sorted(GRAPH_SYNTAX))})")
    graph = Graph()
    with _READING.active():
        if syntax == "rdfxml":
            triples = _rdf_xml(answer.body, url)
        else:
            triples = _oxigraph(answer.body, syntax, media, url)
        for triple in triples:
            graph.add(triple)
    return graph


def columns_in(query: str) -> set[str]:
    """Every name written as a variable in ``query``: a superset of the columns it can answer."""
    return set(_VARIABLE.findall(query))


def _check_columns(names: list[str], query: str, url: str) -> None:
    known = columns_in(query)
    strangers = [name for name in names if name not in known]
    if strangers:
        more = len(strangers) - _COLUMNS_SHOWN
        shown_names = ", ".join(shown(name, 60) for name in strangers[:_COLUMNS_SHOWN])
        raise RemoteError(f"{url} answered with columns the query does not have: {shown_names}"
                          + (f" and {more} more" if more > 0 else ""))


def _rows(solutions, width: int, limit: int | None, url: str) -> tuple[list[tuple], bool]:
    empty = (None,) * width  # one tuple for every row that binds nothing (``{}`` is 3 bytes)
    rows: list[tuple] = []
    for solution in solutions:
        if limit is not None and len(rows) == limit:
            return rows, True
        row = tuple(_term(solution[i], url, results=True) for i in range(width))
        rows.append(row if any(term is not None for term in row) else empty)
    return rows, False


def _virtuoso_ask(solutions, names: list[str], url: str) -> bool:
    """Virtuoso 7.2 answers ASK in JSON as a one-row SELECT of ``?__ASK_RETVAL`` (1 or 0)."""
    if names == ["__ASK_RETVAL"]:
        for solution in solutions:
            value = solution[0]
            return value is not None and value.value not in ("0", "false")
        return False
    raise RemoteError(f"{url} answered an ASK query without a boolean")


def _oxigraph(body: bytes, syntax: str, media: str, url: str):
    fmt = ox.RdfFormat.N_TRIPLES if syntax == "nt" else ox.RdfFormat.TURTLE
    try:
        for quad in ox.parse(body, fmt, base_iri=url, without_named_graphs=True):
            yield _term(quad.subject, url), _term(quad.predicate, url), _term(quad.object, url)
    except SyntaxError as exc:
        raise RemoteError(f"{url} sent {media} that does not parse: {shown(str(exc))}") from None


def _rdf_xml(body: bytes, url: str):
    from xml.sax import handler
    from xml.sax.xmlreader import InputSource

    from defusedxml import DefusedXmlException
    from defusedxml.expatreader import DefusedExpatParser
    from rdflib.plugins.parsers.rdfxml import RDFXMLHandler

    scratch = Graph()
    reader = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    reader.start_namespace_decl("xml", "http://www.w3.org/XML/1998/namespace")  # as rdflib does
    reader.setFeature(handler.feature_namespaces, 1)
    reader.setContentHandler(RDFXMLHandler(scratch))
    reader.setErrorHandler(handler.ErrorHandler())
    source = InputSource(url)  # the base for relative IRIs: where the answer came from
    source.setByteStream(io.BytesIO(body))
    try:
        reader.parse(source)
    except DefusedXmlException:
        raise RemoteError(f"{url} sent RDF/XML with a DTD, which kg does not read (its entities can "
                          "expand a small answer into gigabytes, or name a file or URL to read)") from None
    except Exception as exc:  # expat and rdflib's handler raise many exception types
        raise RemoteError(f"{url} sent application/rdf+xml that does not parse: {shown(str(exc))}") from None
    for triple in scratch:
        yield tuple(_checked(term, url) for term in triple)


def _term(term, url: str, *, results: bool = False):
    """A pyoxigraph term as the equal rdflib term (``nodeID://`` IRIs in results are Virtuoso's
    names for blank nodes)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        if results and term.value.startswith("nodeID://"):
            return BNode(term.value[len("nodeID://"):])
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return _literal(term.value, None if term.language else term.datatype.value, term.language, url)
    raise RemoteError(f"{url} sent a {type(term).__name__} (RDF-star), which kg does not read")


def _checked(term, url: str):
    """An rdflib term from rdflib's RDF/XML parser, held to the same rules as pyoxigraph's."""
    if isinstance(term, URIRef):
        bad = _IRI_FORBIDDEN.search(term)
        if bad:
            raise RemoteError(f"{url} sent an IRI with {bad.group()!r} in it: {shown(term, 100)}")
    elif isinstance(term, Literal):
        if term.datatype is not None and _IRI_FORBIDDEN.search(term.datatype):
            raise RemoteError(f"{url} sent a datatype IRI that is not an IRI: {shown(term.datatype, 100)}")
        return _literal(str(term), str(term.datatype) if term.datatype else None, term.language, url)
    return term


def _literal(lexical: str, datatype: str | None, language: str | None, url: str) -> Literal:
    if language:
        try:
            return Literal(lexical, lang=language)
        except ValueError:  # rdflib's rule for tags is not pyoxigraph's
            raise RemoteError(f"{url} sent an invalid language tag: {shown(language, 100)!r}") from None
    if datatype is None or datatype == str(XSD.string):
        return Literal(lexical)
    if datatype in _INTEGER_TYPES:
        digits = sum(char.isdigit() for char in lexical)
        most = sys.get_int_max_str_digits()
        if most and digits > most:
            raise RemoteError(f"{url} sent an integer of {digits} digits; kg reads integers of up to "
                              f"{most} digits")
    if datatype == str(XSD.boolean) and lexical not in _BOOLEANS:
        with warnings.catch_warnings():  # rdflib warns of a "weird boolean", naming its own file
            warnings.simplefilter("ignore")
            return Literal(lexical, datatype=URIRef(datatype))
    return plain(Literal(lexical, datatype=URIRef(datatype)))
