"""kg.sparql.remote without a store: how parameters are written into a query, and failures of the network.

The stores themselves are exercised in test_remote_stores.py; here are the parts that need no
server: a parameter must reach the store as one RDF term or not at all.
"""

from __future__ import annotations

import base64
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from rdflib import Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery

from kg.errors import QueryError, RemoteError, SetupError
from kg.sparql.remote import push_graph, query_endpoint
from kg.sparql.saved_queries import bind_params, saved_queries
from kg.sparql.values import with_values

QUERIES = saved_queries()
ANN = ("ann", "open-sesame")  # the stub store's user and her password
USA = URIRef("https://w3id.org/ilkg/actor/USA")
XSD = "http://www.w3.org/2001/XMLSchema#"  # a string: pytest trips over the strict XSD namespace


def inline_data(text: str):
    """The VALUES block at the head of a parsed query's WHERE clause."""
    where = dict.get(parseQuery(text)[1], "where")
    return dict.get(where, "part")[0]


@pytest.mark.parametrize("value", [
    Literal('x" } ; DROP ALL #'),
    Literal("two\nlines with \"quotes\" and a backslash \\ and '''"),
    Literal('ends with a quote"'),
    Literal("line\n\"\"\""),
    Literal("«Charte» art. 51", lang="fr"),
    Literal("2026-01", datatype=URIRef(XSD + "gYearMonth")),
    Literal(7, datatype=URIRef(XSD + "integer")),
])
def test_a_literal_arrives_as_exactly_that_literal(value):
    text = with_values("SELECT ?x WHERE { ?s ?p ?x }", {"x": value})
    block = inline_data(text)
    assert [str(v) for v in block["var"]] == ["x"]
    (row,) = dict.get(block, "value")
    (cell,) = row
    term = cell if isinstance(cell, Literal) else Literal(
        str(dict.get(cell, "string")), lang=dict.get(cell, "lang"), datatype=dict.get(cell, "datatype"))
    assert term == value and term.language == value.language and term.datatype == value.datatype


@pytest.mark.parametrize("iri", [
    "https://w3id.org/ilkg/actor/x> } ; DROP ALL #",
    "https://w3id.org/ilkg/actor/x y",
    'https://w3id.org/ilkg/actor/x"',
    "https://w3id.org/ilkg/actor/x{",
    "https://w3id.org/ilkg/actor/x\\u003E",
    "https://w3id.org/ilkg/actor/x\n",
    "actor-without-scheme",
])
def test_an_iri_that_could_end_itself_is_refused(iri):
    with pytest.raises(QueryError, match="refused"):
        with_values("SELECT ?x WHERE { ?s ?p ?x }", {"x": URIRef(iri)})


@pytest.mark.parametrize("name", ["x) { (1) } ?p", "x y", "", "1x", "x}"])
def test_a_parameter_name_that_is_not_a_variable_is_refused(name):
    with pytest.raises(QueryError, match="variable name"):
        with_values("SELECT ?x WHERE { ?s ?p ?x }", {name: USA})


def test_the_block_goes_at_the_head_of_the_where_clause_around_the_pattern():
    saved = QUERIES["norms-ranked"]
    text = with_values(saved.text, bind_params(saved, ["norm=un-charter-art-2-4"]))
    assert "WHERE { VALUES (?norm) { (<https://w3id.org/ilkg/norm/un-charter-art-2-4>) } {" in text
    assert text.rstrip().endswith("ORDER BY DESC(?claims) ?norm DESC(?by_claimant) ?claimant")
    parts = dict.get(dict.get(parseQuery(text)[1], "where"), "part")
    assert [p.name for p in parts] == ["InlineData", "GroupOrUnionGraphPattern"]


@pytest.mark.parametrize(("query", "where"), [
    # braces in an IRI, a string, a comment and a SELECT expression are not the WHERE clause
    ('PREFIX x: <http://x.example/(> SELECT (EXISTS { ?a ?b "}" } AS ?e) # {\n'
     "WHERE { SELECT ?x { ?x ?p ?o } } ORDER BY ?x", "{ SELECT ?x { ?x ?p ?o } }"),
    ("CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }", "{ ?x ?p ?o }"),
    ("ASK { ?x ?p '''}''' }", "{ ?x ?p '''}''' }"),
    ("SELECT * { ?x ?p ?o }", "{ ?x ?p ?o }"),
])
def test_the_where_clause_is_found_past_lookalike_braces(query, where):
    text = with_values(query, {"x": USA})
    assert f"VALUES (?x) {{ (<{USA}>) }} {{{where[1:-1]}}}" in text
    assert [str(v) for v in dict.get(inline_data(text), "var")] == ["x"]


@pytest.mark.parametrize("query", ["CONSTRUCT WHERE { ?x ?p ?o }", "DESCRIBE ?x"])
def test_a_query_without_a_separate_pattern_gets_a_trailing_block(query):
    text = with_values(query, {"x": USA})
    assert text.rstrip().endswith(f"VALUES (?x) {{ (<{USA}>) }}")
    parseQuery(text)


def test_no_bindings_leave_the_text_unchanged():
    text = QUERIES["timeline"].text
    assert with_values(text, {}) is text


@pytest.mark.parametrize("url", ["localhost:7878/query", "ftp://example.org/sparql", "", "http://"])
def test_an_endpoint_must_be_an_http_url(url):
    with pytest.raises(SetupError, match="not an http"):
        query_endpoint(url, "ASK {}", {})
    with pytest.raises(SetupError, match="not an http"):
        push_graph(url, data="unused.ttl")


def test_an_update_is_refused_before_anything_is_sent():
    with pytest.raises(QueryError, match="updates are refused"):
        query_endpoint("http://127.0.0.1:9/sparql", "DROP ALL", {})


def test_a_store_that_never_answers_times_out_with_a_clear_error():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts connections into the backlog, never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        with pytest.raises(RemoteError, match=r"did not finish answering the query within 0.5 s"):
            query_endpoint(url, "ASK {}", {}, timeout=0.5)


class BasicAuthStore(BaseHTTPRequestHandler):
    """A Graph Store stub behind Basic authentication (as a reverse proxy would put it), recording
    what it receives; ``open`` turns authentication off."""

    open: ClassVar[bool] = False
    seen: ClassVar[list] = []  # (method, path, Authorization header, body)
    challenge: ClassVar[str] = 'Basic realm="store"'

    def authorised(self, auth: str | None) -> bool:
        return auth == "Basic " + base64.b64encode(f"{ANN[0]}:{ANN[1]}".encode()).decode()

    def _reply(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        auth = self.headers.get("Authorization")
        self.seen.append((self.command, self.path, auth, body))
        if not self.open and not self.authorised(auth):
            self.send_response(401)
            self.send_header("WWW-Authenticate", self.challenge)
        else:
            self.send_response(201 if self.command == "PUT" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_PUT = _reply

    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture
def stub_store(tmp_path):
    handler = type("Handler", (BasicAuthStore,), {"seen": [], "open": False})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    data = tmp_path / "tiny.trig"
    data.write_text("<urn:g:1> { <urn:s> <urn:p> \"é\" . }\n", encoding="utf-8")
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/store", handler, data
    finally:
        server.shutdown()
        server.server_close()


def test_basic_authentication_when_the_store_asks_for_it(stub_store):
    url, handler, data = stub_store
    report = push_graph(url, data=data, user=ANN[0], password=ANN[1])
    assert report.graphs == (("urn:g:1", 1),)
    put = [seen for seen in handler.seen if seen[0] == "PUT"]
    assert len(put) == 1  # the probe found the scheme: the data went once, with credentials
    assert put[0][1] == "/store?graph=urn%3Ag%3A1" and put[0][2].startswith("Basic ")
    assert put[0][3] == '<urn:s> <urn:p> "é" .\n'.encode()


def test_wrong_basic_credentials_send_no_data(stub_store):
    url, handler, data = stub_store
    with pytest.raises(RemoteError, match=r"refused the credentials of user 'ann' \(Basic"):
        push_graph(url, data=data, user=ANN[0], password=ANN[1] + "?")
    assert [seen[0] for seen in handler.seen] == ["HEAD", "HEAD"]


def test_credentials_go_only_to_a_store_that_asks(stub_store):
    url, handler, data = stub_store
    handler.open = True
    push_graph(url, data=data, user=ANN[0], password=ANN[1])
    assert all(auth is None for _, _, auth, _ in handler.seen)


def test_service_is_refused_before_anything_is_sent():
    """Port 9 has no store: reaching the network would be a connection error, not a refusal."""
    with pytest.raises(QueryError, match="SERVICE is refused"):
        query_endpoint("http://127.0.0.1:9/sparql",
                       "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }", {})


class DigestStore(BasicAuthStore):
    """A Graph Store stub that challenges for Digest and takes any Digest answer (a stub cannot
    check one without re-implementing it): what matters here is how often the data is sent."""

    challenge = 'Digest realm="store", nonce="n1", qop="auth"'

    def authorised(self, auth: str | None) -> bool:
        return (auth or "").startswith("Digest ")


def test_digest_is_answered_once_so_each_graph_is_sent_once(tmp_path):
    """requests keeps a Digest nonce per thread: every request of a push runs on one thread, so
    the store challenges once (at the HEAD probe) and no graph is uploaded twice."""
    handler = type("Handler", (DigestStore,), {"seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    data = tmp_path / "two.trig"
    data.write_text("<urn:g:1> { <urn:s> <urn:p> 1 . } <urn:g:2> { <urn:s> <urn:p> 2 . }\n", encoding="utf-8")
    try:
        report = push_graph(f"http://127.0.0.1:{server.server_address[1]}/store", data=data,
                            user=ANN[0], password=ANN[1])
    finally:
        server.shutdown()
        server.server_close()
    assert [iri for iri, _ in report.graphs] == ["urn:g:1", "urn:g:2"]
    puts = [(path, auth) for method, path, auth, _ in handler.seen if method == "PUT"]
    assert [path for path, _ in puts] == ["/store?graph=urn%3Ag%3A1", "/store?graph=urn%3Ag%3A2"]
    assert all(auth.startswith(f'Digest username="{ANN[0]}"') for _, auth in puts)
    assert [method for method, *_ in handler.seen] == ["HEAD", "HEAD", "HEAD", "PUT", "PUT"]
