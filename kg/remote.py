"""Talk to SPARQL stores over HTTP: load the graph into one, and ask one the saved queries.

Only the W3C protocols are used — the SPARQL 1.1 Graph Store Protocol to load and the SPARQL 1.1
Protocol to query — so the same code serves Oxigraph, Virtuoso, Fuseki or GraphDB, and a scholar
can point ``kg`` at whatever store their institution runs.

Loading is an HTTP ``PUT`` per graph: it *replaces* the graph, so pushing twice leaves the store
as pushing once, and a push after a rebuild drops claims that were deleted from the corpus. The
body is N-Triples, which every store parses the same way (Turtle parsers differ at the edges).

Parameters of a query are bound by a ``VALUES`` block built from RDF terms and wrapped around the
query's pattern: the store receives the saved query's text plus a data block, never a string with
user input pasted into it. Each term is checked (an IRI may not contain what would end it) and the
final text is parsed again to confirm that it carries exactly the values meant — see
:func:`with_values`.

Credentials are sent only when the store asks for them (HTTP 401), in the scheme it asks for:
Virtuoso's Graph Store endpoint wants Digest, stores behind a reverse proxy usually want Basic.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import requests
from pyparsing import ParseException
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.parser import parseQuery
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from .errors import KgError, QueryError, RemoteError, SetupError
from .namespaces import GRAPH
from .query_check import check_query
from .results import QueryResult, plain

N_TRIPLES = "application/n-triples"
SPARQL_JSON = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
# Media types a store may answer a CONSTRUCT/DESCRIBE with -> rdflib parser name.
# text/plain is the pre-2014 N-Triples type that older Virtuoso releases still send.
GRAPH_PARSERS = {
    "application/n-triples": "nt", "text/plain": "nt", "text/ntriples": "nt",
    "text/turtle": "turtle", "application/x-turtle": "turtle",
    "application/rdf+xml": "xml", "application/ld+json": "json-ld",
    "text/rdf+n3": "n3", "text/n3": "n3",
}
DEFAULT_QUERY_TIMEOUT = 120.0  # seconds; a store that never answers must not hang the CLI
# Characters SPARQL's IRIREF excludes (https://www.w3.org/TR/sparql11-query/#rIRIREF); any of them
# in a parameter could close the IRI and let the rest be read as query text.
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LANGTAG = re.compile(r"^[A-Za-z]+(-[A-Za-z0-9]+)*$")


@dataclass(frozen=True)
class PushReport:
    endpoint: str
    graphs: tuple[tuple[str, int], ...]  # (graph IRI, triples), in the order they were sent


# --- pushing -------------------------------------------------------------------------------------


def push_graph(endpoint: str, *, corpus_dir: Path | str = "corpus", data: Path | str | None = None,
               graph: str | None = None, user: str | None = None, password: str | None = None,
               timeout: float = 60) -> PushReport:
    """Replace graphs in a Graph Store Protocol store with the build's.

    Without ``graph`` each named graph of the build (ontology, catalogues, corpus, provenance) goes
    to its own IRI, so a store keeps them apart as ``kg build --format trig`` does; with ``graph``
    their union goes to that one graph. The source is the corpus, checked and SHACL-validated in
    memory, or ``data``, a file ``kg build`` wrote (already validated when it was written).
    """
    _check_url(endpoint, "--endpoint")
    if graph is not None:
        _check_iri(graph, "--graph", SetupError)
    parts = _graphs_to_push(corpus_dir, data, graph)
    with requests.Session() as session:
        auth = _authenticate(session, endpoint, parts[0][0], user, password, timeout)
        for iri, content in parts:
            body = content.serialize(format="nt", encoding="utf-8")
            response = _put(session, endpoint, iri, body, auth, timeout)
            if response.status_code == 401 and auth is None and user is not None:
                auth = _answer_challenge(response, endpoint, user, password)  # asked late
                response = _put(session, endpoint, iri, body, auth, timeout)
            if response.status_code == 401:
                raise _unauthorised(endpoint, user, response)
            _raise_for_status(response, endpoint, f"PUT <{iri}>")
    return PushReport(endpoint, tuple((iri, len(content)) for iri, content in parts))


def _put(session, endpoint: str, iri: str, body: bytes, auth, timeout: float):
    return _send(session, "PUT", endpoint, f"PUT <{iri}>", auth=auth, timeout=timeout,
                 params={"graph": iri}, data=body,
                 headers={"Content-Type": f"{N_TRIPLES}; charset=utf-8"})


def _graphs_to_push(corpus_dir: Path | str, data: Path | str | None,
                    graph: str | None) -> list[tuple[str, Graph]]:
    if data is None:
        from .pipeline import compile_corpus

        _, built = compile_corpus(corpus_dir)
        if graph is not None:
            return [(graph, built.union())]
        return [(str(GRAPH[name]), content) for name, content in built.graphs.items()]
    dataset = _read_file(Path(data))
    named = [g for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier and len(g)]
    if graph is not None:
        union = Graph()
        for triple in dataset.triples((None, None, None)):
            union.add(triple)
        return [(graph, union)]
    if len(dataset.default_graph) or not named:
        raise SetupError(f"{data} holds one graph, not the build's named graphs: give --graph IRI "
                         "to load it into one graph, or push a .trig or .nq build")
    return [(str(g.identifier), g) for g in sorted(named, key=lambda g: str(g.identifier))]


def _read_file(path: Path) -> Dataset:
    from .engines import FILE_FORMATS

    if path.suffix not in FILE_FORMATS:
        raise SetupError(f"cannot tell the RDF format of {path}; use one of {', '.join(FILE_FORMATS)}")
    if not path.is_file():
        raise SetupError(f"no such file: {path}")
    dataset = Dataset(default_union=True)
    try:
        dataset.parse(path, format=FILE_FORMATS[path.suffix])
    except Exception as exc:  # rdflib parsers raise many exception types
        raise SetupError(f"cannot read {path}: {exc}") from exc
    return dataset


def _authenticate(session, endpoint: str, graph: str, user: str | None, password: str | None,
                  timeout: float):
    """The auth object the store asks for, found with a HEAD request that carries no data.

    Probing first means a wrong password is reported before any data is sent, and Digest's
    challenge is answered once rather than by re-sending a large body. A store that does not ask
    for credentials never receives them.
    """
    if user is None:
        return None
    probe = _send(session, "HEAD", endpoint, "HEAD", timeout=timeout, params={"graph": graph})
    if probe.status_code != 401:
        return None  # no challenge (yet): the PUT answers one if the store asks there
    auth = _answer_challenge(probe, endpoint, user, password)
    checked = _send(session, "HEAD", endpoint, "HEAD", auth=auth, timeout=timeout, params={"graph": graph})
    if checked.status_code == 401:
        raise _unauthorised(endpoint, user, checked)
    return auth


def _answer_challenge(response, endpoint: str, user: str, password: str | None):
    """Credentials in the scheme a 401 response asks for (Digest preferred when both are)."""
    challenge = response.headers.get("WWW-Authenticate", "").lower()
    if "digest" in challenge:
        return HTTPDigestAuth(user, password or "")
    if "basic" in challenge:
        return HTTPBasicAuth(user, password or "")
    raise RemoteError(f"{endpoint} asks for an authentication scheme kg does not speak "
                      f"({response.headers.get('WWW-Authenticate') or 'none named'}); "
                      "kg speaks Basic and Digest")


def _unauthorised(endpoint: str, user: str | None, response) -> RemoteError:
    scheme = (response.headers.get("WWW-Authenticate") or "").split(" ", 1)[0] or "HTTP"
    if user is None:
        return RemoteError(f"{endpoint} needs credentials ({scheme} authentication, HTTP 401): "
                           "give --user and --password (or KG_PUSH_PASSWORD)")
    return RemoteError(f"{endpoint} refused the credentials of user '{user}' ({scheme} "
                       "authentication, HTTP 401): check --user and --password")


# --- querying ------------------------------------------------------------------------------------


def query_endpoint(url: str, text: str, bindings: Mapping[str, object] | None = None, *,
                   timeout: float | None = None, limit: int | None = None,
                   allow_service: bool = False) -> QueryResult:
    """Run a query on a SPARQL 1.1 Protocol endpoint and return its answer as rdflib terms.

    The answer is shaped as the embedded engines shape theirs (``xsd:string`` literals plain,
    blank nodes as blank nodes), so that :meth:`QueryResult.comparable` can hold the two side by
    side. The endpoint's own default graph is queried: for the same answers as ``kg query`` it
    must be the union of the pushed graphs (Oxigraph: ``--union-default-graph``; Virtuoso: the
    default, which also holds Virtuoso's own system graphs). ``limit`` keeps the first rows, as
    the embedded engines' row cap does; ``allow_service`` is the same policy as theirs.
    """
    _check_url(url, "--endpoint")
    checked = check_query(text, allow_service=allow_service)
    final = with_values(checked.text, dict(bindings or {}))
    if final != checked.text:
        check_query(final, allow_service=allow_service)
    graph_form = checked.form in ("CONSTRUCT", "DESCRIBE")
    with requests.Session() as session:
        response = _send(session, "POST", url, "the query", timeout=timeout or DEFAULT_QUERY_TIMEOUT,
                         data={"query": final},
                         headers={"Accept": GRAPH_ACCEPT if graph_form else SPARQL_JSON})
        if response.status_code == 401:
            raise _unauthorised(url, None, response)
        _raise_for_status(response, url, "the query")
        if "X-SPARQL-MaxRows" in response.headers:
            raise RemoteError(
                f"{url} cut the answer at {response.headers['X-SPARQL-MaxRows']} rows (Virtuoso's "
                "[SPARQL] ResultSetMaxRows): the answer is incomplete; narrow the query with "
                "--param or LIMIT/OFFSET, or raise ResultSetMaxRows in virtuoso.ini")
        if graph_form:
            return QueryResult(checked.form, graph=_parse_graph(response, url))
        result = _parse_json_results(checked.form, response, url)
    if checked.form == "SELECT" and checked.projection is None:
        result.order_columns(checked.variables)  # SELECT *: as the engines order it (see kg.engines)
    if limit is not None and len(result.rows) > limit:
        del result.rows[limit:]
        result.truncated = True
    return result


def with_values(text: str, bindings: Mapping[str, object]) -> str:
    """``text`` with its parameters bound by a VALUES block, checked by parsing the result back.

    The block goes at the head of the WHERE clause, around the original pattern:
    ``WHERE { VALUES (?p) { (<term>) } { original pattern } }`` — the join of one fixed row with
    the pattern (https://www.w3.org/TR/sparql11-query/#inline-data), which filters the answer as
    the engines' initial bindings do for the saved queries. SPARQL also allows VALUES after the
    whole query, but Virtuoso 7.2 answers that form wrongly when the variable is bound by a
    subquery or a property path: it keeps every row and overwrites the variable with the value
    (``norms-ranked --param norm=...``, ``claims-under-instrument --param instrument=...``).
    Only a query without a separate WHERE pattern (``CONSTRUCT WHERE {...}``, ``DESCRIBE <x>``)
    gets the trailing form.
    """
    if not bindings:
        return text
    names = list(bindings)
    for name in names:
        if not _VARNAME.match(name):
            raise QueryError(f"refused: parameter name '{name}' is not a SPARQL variable name "
                             "(letters, digits and _)")
    cells = [_sparql_term(name, bindings[name]) for name in names]
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(cells)}) }}"
    try:
        query = parseQuery(text)[1]
    except ParseException:
        check_query(text)  # raises the QueryError that locates the syntax error
        raise QueryError("the query does not parse") from None
    groups = _top_level_groups(text)
    where_at = 1 if dict.get(query, "template") is not None else 0
    inside = dict.get(query, "where") is not None and len(groups) > where_at and (
        query.name != "ConstructQuery" or where_at == 1)
    if inside:
        opening, closing = groups[where_at]
        final = f"{text[:opening + 1]} {block} {{{text[opening + 1:closing]}}} {text[closing:]}"
        parts = dict.get(dict.get(_parse_or_none(final), "where") or {}, "part") or []
        placed = parts[0] if len(parts) == 2 and parts[1].name == "GroupOrUnionGraphPattern" else None
        if placed is not None and placed.name != "InlineData":
            placed = None
    else:
        if _values_clause(query) is not None:
            raise QueryError("this query already ends with a VALUES block; bind its parameters "
                             "there instead of with --param")
        final = f"{text.rstrip()}\n{block}\n"
        placed = _values_clause(_parse_or_none(final))
    if not _reads_back(placed, names, [bindings[n] for n in names]):
        raise QueryError("refused: the parameters could not be written into the query as a VALUES "
                         "block that reads back as the same terms")
    return final


def _reads_back(block, names: list[str], terms: list) -> bool:
    """Whether a parsed VALUES block binds exactly ``names`` to ``terms`` in one row."""
    if block is None:
        return False
    rows = list(dict.get(block, "value") or [])
    variables = [str(v) for v in dict.get(block, "var") or []]
    return variables == names and len(rows) == 1 and [_parsed_term(v) for v in rows[0]] == terms


def _top_level_groups(text: str) -> list[tuple[int, int]]:
    """Offsets of the ``{`` and matching ``}`` of each outermost group of a query.

    Enough of SPARQL's lexer to skip what may contain braces without opening a group: comments,
    strings of the four kinds and IRIs. Braces inside parentheses (``SELECT (EXISTS {...} AS ?x)``)
    are not outermost groups.
    """
    groups: list[tuple[int, int]] = []
    parens = braces = 0
    opening = 0
    i = 0
    while i < len(text):
        char = text[i]
        if char == "#":
            newline = text.find("\n", i)
            i = len(text) if newline < 0 else newline
        elif char in "\"'":
            i = _string_end(text, i)
            continue
        elif char == "<" and (iri := _IRIREF.match(text, i)):
            i = iri.end()
            continue
        elif char == "(":
            parens += 1
        elif char == ")":
            parens -= 1
        elif char == "{":
            if braces == 0 and parens == 0:
                opening = i
            braces += 1
        elif char == "}":
            braces -= 1
            if braces == 0 and parens == 0:
                groups.append((opening, i))
        i += 1
    return groups


def _string_end(text: str, start: int) -> int:
    """The offset just after the string literal opening at ``start`` (escapes honoured)."""
    quote = text[start] * 3 if text.startswith(text[start] * 3, start) else text[start]
    i = start + len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        else:
            i += 1
    return len(text)


def _sparql_term(name: str, term: object) -> str:
    """One term in SPARQL syntax, or QueryError if it could not be written safely."""
    if isinstance(term, URIRef):
        _check_iri(str(term), f"parameter '{name}'")
        return f"<{term}>"
    if isinstance(term, Literal):
        if term.language is not None and not _LANGTAG.match(term.language):
            raise QueryError(f"refused: parameter '{name}' has an invalid language tag "
                             f"'{term.language}'")
        if term.datatype is not None:
            _check_iri(str(term.datatype), f"the datatype of parameter '{name}'")
        return term.n3()
    raise QueryError(f"parameter '{name}': cannot send {term!r} to an endpoint (IRIs and "
                     "literals only)")


def _parse_or_none(text: str) -> dict:
    """The parsed query (after the prologue), or an empty dict if it does not parse."""
    try:
        return parseQuery(text)[1]
    except ParseException:
        return {}


def _values_clause(query):
    """The trailing VALUES of a parsed query (the part after the prologue), or None.

    rdflib's ``CompValue.get`` returns the key itself for a missing key, so plain dict lookups
    are used on its parse tree.
    """
    return dict.get(query, "valuesClause") if query else None


def _parsed_term(value):
    """A term of rdflib's parse tree of a VALUES row, as the rdflib term it denotes."""
    if isinstance(value, (URIRef, Literal)):
        return value
    if isinstance(value, dict) and dict.get(value, "string") is not None:  # a literal_ CompValue
        return Literal(str(dict.get(value, "string")), lang=dict.get(value, "lang"),
                       datatype=dict.get(value, "datatype"))
    return value


def _parse_json_results(form: str, response, url: str) -> QueryResult:
    try:
        answer = json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise RemoteError(f"{url} did not answer with SPARQL JSON results (it sent "
                          f"{response.headers.get('Content-Type', 'no content type')}): "
                          f"{_server_message(response)}") from None
    if form == "ASK":
        return QueryResult(form, boolean=_ask_answer(answer, url))
    try:
        names = list(answer["head"]["vars"])
        rows = [tuple(_json_term(row.get(name)) for name in names)
                for row in answer["results"]["bindings"]]
    except (KeyError, TypeError, AttributeError) as exc:
        raise RemoteError(f"{url} sent SPARQL JSON results kg cannot read: missing {exc}") from None
    return QueryResult(form, names, rows)


def _ask_answer(answer: dict, url: str) -> bool:
    """The boolean of an ASK answer.

    Virtuoso 7.2 answers ASK in JSON as a one-row SELECT of ``?__ASK_RETVAL`` (1 or 0, an
    ``xsd:integer``) instead of ``{"boolean": ...}``; both are read.
    """
    if isinstance(answer.get("boolean"), bool):
        return answer["boolean"]
    try:
        if answer["head"]["vars"] == ["__ASK_RETVAL"]:
            rows = answer["results"]["bindings"]
            return bool(rows) and rows[0]["__ASK_RETVAL"]["value"] not in ("0", "false")
    except (KeyError, TypeError, IndexError):
        pass
    raise RemoteError(f"{url} answered an ASK query without a boolean")


def _json_term(cell: dict | None):
    """A term of the W3C SPARQL 1.1 JSON results format as the equal rdflib term.

    ``typed-literal`` is the 2008 spelling Virtuoso still sends; a ``uri`` of the form
    ``nodeID://…`` is how Virtuoso names blank nodes it skolemised on load.
    """
    if cell is None:
        return None
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return BNode(value[len("nodeID://"):]) if value.startswith("nodeID://") else URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if cell.get("xml:lang"):
            return Literal(value, lang=cell["xml:lang"])
        datatype = cell.get("datatype")
        if datatype is None or datatype == str(XSD.string):
            return Literal(value)
        return plain(Literal(value, datatype=URIRef(datatype)))
    raise RemoteError(f"unknown term type '{kind}' in SPARQL JSON results")


def _parse_graph(response, url: str) -> Graph:
    media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if media not in GRAPH_PARSERS:
        raise RemoteError(f"{url} answered a graph query with {media or 'no content type'}, which "
                          f"kg cannot read (it reads {', '.join(sorted(set(GRAPH_PARSERS)))})")
    graph = Graph()
    try:
        graph.parse(data=response.content, format=GRAPH_PARSERS[media])
    except Exception as exc:  # rdflib parsers raise many exception types
        raise RemoteError(f"{url} sent {media} that does not parse: {exc}") from exc
    answer = Graph()
    for triple in graph:
        answer.add(tuple(plain(t) for t in triple))
    return answer


# --- HTTP ----------------------------------------------------------------------------------------


def _send(session, method: str, url: str, what: str, *, timeout: float, **kwargs):
    """One request, with the failures of the network turned into errors a person can act on."""
    try:
        return session.request(method, url, timeout=timeout, **kwargs)
    except requests.exceptions.Timeout:
        raise RemoteError(f"{url} did not answer {what} within {timeout:g} s "
                          "(raise --timeout if the store is slow)") from None
    except requests.exceptions.ConnectionError as exc:
        detail = str(exc).lower()
        reason = ("connection refused" if "refused" in detail
                  else "the host name is not known" if "resolve" in detail or "name or service" in detail
                  else _short(str(exc)))
        raise RemoteError(f"cannot connect to {url}: {reason}; is the store running and "
                          "the URL right?") from None
    except requests.exceptions.RequestException as exc:
        raise RemoteError(f"request to {url} failed: {_short(str(exc))}") from None


def _raise_for_status(response, url: str, what: str) -> None:
    if response.status_code < 400:
        return
    reason = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
    verb = "refused" if response.status_code < 500 else "failed on"
    message = _server_message(response)
    raise RemoteError(f"{url} {verb} {what}: {reason}" + (f": {message}" if message else ""))


def _server_message(response) -> str:
    """The store's explanation, as text: Virtuoso wraps it in an HTML page, Oxigraph does not."""
    text = response.content.decode("utf-8", errors="replace")
    if "<" in text and re.search(r"</(html|body|xmp|pre|p)>", text, re.IGNORECASE):
        inner = re.search(r"<(xmp|pre)>(.*?)</\1>", text, re.IGNORECASE | re.DOTALL)
        text = inner.group(2) if inner else re.sub(r"<[^>]*>", " ", text)
        text = html.unescape(text)
    return _short(text)


def _short(text: str, width: int = 500) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _check_url(url: str, what: str) -> None:
    if not re.match(r"^https?://[^/\s]+", url or ""):
        raise SetupError(f"{what} '{url}' is not an http:// or https:// URL")


def _check_iri(iri: str, what: str, error: type[KgError] = QueryError) -> None:
    bad = _IRI_FORBIDDEN.search(iri)
    if bad:
        raise error(f"refused: {what} is not a valid IRI: {iri!r} contains "
                         f"{bad.group()!r}, which IRIs may not contain "
                         "(https://www.w3.org/TR/sparql11-query/#rIRIREF)")
    if not _IRI_SCHEME.match(iri):
        raise error(f"refused: {what} is not an absolute IRI: {iri!r}")

