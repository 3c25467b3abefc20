"""Endpoint safety, each point its own test, over real HTTP against ``kg serve`` on 127.0.0.1.

The server is the real command in a subprocess (an ephemeral port), as a user would start it.
A trap on 127.0.0.1 (``tests/conftest.py``) stands for the outside world: every refused
``SERVICE``, ``LOAD`` and ``FROM`` points at it, in every disguise SPARQL's grammar allows, and it
must hear nothing. Here the check refuses them (403 with its message); tests/sparql/test_network_sandbox.py
shows that the workers could not reach the trap even if it did not. Then the HTTP side: the
answer's size cap and the server's memory, a deadline for a whole request (trickling clients),
the listen backlog, strict Host parsing, and no input that makes a 500.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.load_endpoint import ServedEndpoint

from ..conftest import CORPUS, REPO
from ..hypothesis_profiles import examples

COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CORPUS_GRAPH = "https://w3id.org/ilkg/graph/corpus"
JSON = "application/json"


@pytest.fixture(scope="module")
def served():
    with ServedEndpoint("--timeout", "5", corpus=CORPUS) as server:
        yield server


@pytest.fixture(scope="module")
def served_cors():
    with ServedEndpoint("--cors", "--workers", "1", corpus=CORPUS) as server:
        yield server


def exchange(server, method, path, body=None, headers=None):
    """(status, headers, body) of one request on a fresh connection."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def raw(server, data: bytes) -> bytes:
    """The server's whole answer to bytes written on a socket (for what http.client cannot send)."""
    with socket.create_connection((server.host, server.port), timeout=60) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def get_query(server, query, accept=JSON, **params):
    path = "/sparql?" + urllib.parse.urlencode({"query": query, **params})
    return exchange(server, "GET", path, headers={"Accept": accept})


def count_triples(server) -> int:
    status, _, body = get_query(server, COUNT_TRIPLES, accept="application/sparql-results+json")
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def baseline(served):
    return count_triples(served)


# Internals that must never reach a client: a traceback, a source file, a Python class name, a
# path of this installation.
INTERNALS = re.compile(r"Traceback|File \"|\.py\b|\b[A-Z]\w*(Error|Exception)\b|site-packages")


def assert_clean(body: bytes) -> None:
    text = body.decode("utf-8")
    assert not INTERNALS.search(text), text
    assert str(REPO) not in text and sys.prefix not in text and "<html" not in text.lower(), text


def assert_error(status, headers, body, expected_status, kind):
    """The documented error shape, for a client that accepts JSON."""
    assert status == expected_status, body
    assert headers["Content-Type"] == JSON
    error = json.loads(body)
    assert set(error) == {"status", "kind", "exception"}
    assert error["status"] == "ERROR" and error["kind"] == kind, error
    assert error["exception"].strip()
    assert_clean(body)
    return error


def test_trap_hears_a_connection(trap):
    """The ear works: without this, 'heard nothing' would prove nothing."""
    with socket.create_connection(("127.0.0.1", int(trap.url.rsplit(":", 1)[1])), timeout=5):
        time.sleep(0.1)
    assert trap.heard() == 1
    assert trap.heard() == 0


# -- updates --------------------------------------------------------------------------------------

UPDATES = {
    "insert-data": "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
    "delete-data": "DELETE DATA { GRAPH <https://w3id.org/ilkg/graph/corpus> { <urn:x:a> <urn:x:b> 1 } }",
    "delete-where": "DELETE WHERE { ?s ?p ?o }",
    "modify": "PREFIX ilk: <https://w3id.org/ilkg/ontology#> "
              "DELETE { ?c ilk:stance ?s } INSERT { ?c ilk:stance ilk:Justifies } WHERE { ?c ilk:stance ?s }",
    "with-modify": f"WITH <{CORPUS_GRAPH}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    "clear": "CLEAR ALL",
    "clear-graph": f"clear silent graph <{CORPUS_GRAPH}>",
    "drop": "DROP DEFAULT",
    "drop-graph": "PREFIX g: <https://w3id.org/ilkg/graph/> DROP GRAPH g:corpus",
    "create": "CREATE GRAPH <urn:x:new>",
    "add": f"ADD <{CORPUS_GRAPH}> TO <urn:x:new>",
    "move": f"MOVE <{CORPUS_GRAPH}> TO DEFAULT",
    "copy": "COPY DEFAULT TO <urn:x:new>",
    "load": "LOAD <{trap}/data.ttl>",
    "load-into": "LOAD SILENT <{trap}/data.ttl> INTO GRAPH <urn:x:new>",
    "sequence": "# looks harmless\nINSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> } ;\nDROP ALL",
}


def send_update(server, transport: str, text: str):
    accept = {"Accept": JSON}
    if transport == "get-query":
        return get_query(server, text)
    if transport == "get-update":
        return exchange(server, "GET", "/sparql?" + urllib.parse.urlencode({"update": text}), headers=accept)
    form = {"Content-Type": "application/x-www-form-urlencoded", **accept}
    if transport == "post-form-query":
        return exchange(server, "POST", "/sparql", urllib.parse.urlencode({"query": text}), form)
    if transport == "post-form-update":
        return exchange(server, "POST", "/sparql", urllib.parse.urlencode({"update": text}), form)
    if transport == "post-query-body":
        return exchange(server, "POST", "/sparql", text.encode(),
                        {"Content-Type": "application/sparql-query", **accept})
    assert transport == "post-update-body"
    return exchange(server, "POST", "/sparql", text.encode(),
                    {"Content-Type": "application/sparql-update", **accept})


@pytest.mark.parametrize("transport", ["get-query", "get-update", "post-form-query", "post-form-update",
                                       "post-query-body", "post-update-body"])
@pytest.mark.parametrize("name", sorted(UPDATES))
def test_updates_are_refused(served, trap, baseline, name, transport):
    status, headers, body = send_update(served, transport, UPDATES[name].replace("{trap}", trap.url))
    error = assert_error(status, headers, body, 403, "refused")
    assert "read-only" in error["exception"]
    assert trap.heard() == 0
    assert count_triples(served) == baseline


# -- SERVICE and other ways out -------------------------------------------------------------------

SERVICES = {
    "plain": "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "lower-case": "select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
    "mixed-case-silent": "SeLeCt * WhErE {{ sErViCe SiLeNt <{url}> {{ ?s ?p ?o }} }}",
    "comments": "SELECT * WHERE {{ # a comment\n SERVICE # between\n <{url}> # the keyword and IRI\n"
                " {{ ?s ?p ?o }} }}",
    "prefixed-name": "PREFIX out: <{url}/> SELECT * WHERE {{ SERVICE out:sparql {{ ?s ?p ?o }} }}",
    "relative-iri": "BASE <{url}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
    "variable": "SELECT * WHERE {{ VALUES ?where {{ <{url}> }} SERVICE ?where {{ ?s ?p ?o }} }}",
    "unicode-escape": "SELECT * WHERE {{ SERV\\u0049CE <{url}> {{ ?s ?p ?o }} }}",
    "optional": "SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
    "union": "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "minus": "SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "graph": "SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "subquery": "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }}",
    "filter-exists": "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "bind-not-exists": "SELECT * WHERE {{ BIND(NOT EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} AS ?x) }}",
    "order-by-exists": "SELECT ?s WHERE {{ ?s ?p ?o }} "
                       "ORDER BY (EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }})",
    "ask": "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "construct": "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "describe": "DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    # A comment ends at CR as well as LF (SPARQL's EOL); rdflib alone ended it at LF only.
    "comment-ended-by-cr": "SELECT * WHERE {{ ?s ?p ?o # x\rSERVICE <{url}> {{ ?a ?b ?c }}\n}} LIMIT 1",
    "comment-ended-by-crlf": "SELECT * WHERE {{ ?s ?p ?o # x\r\nSERVICE <{url}> {{ ?a ?b ?c }} }}",
    "comment-ended-by-cr-lower-case-silent": "select * where {{ ?s ?p ?o #\rservice silent <{url}> "
                                             "{{ ?a ?b ?c }} }}",
    "comments-ended-by-cr-everywhere": "SELECT * #a\rWHERE #b\r{{ #c\rSERVICE #d\r<{url}> #e\r"
                                       "{{ ?s ?p ?o }} #f\r}}",
    "cr-comment-in-prologue": "PREFIX x: <urn:x:> # c\rPREFIX out: <{url}#>\nSELECT * WHERE "
                              "{{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    # Escapes: SPARQL 1.1 expands \u and \U before parsing, anywhere in the text.
    "escaped-cr-ends-a-comment": "SELECT * WHERE {{ ?s ?p ?o # x\\u000DSERVICE <{url}> {{ ?a ?b ?c }} }}",
    "escaped-lf-ends-a-comment": "SELECT * WHERE {{ ?s ?p ?o # x\\u000aSERVICE <{url}> {{ ?a ?b ?c }} }}",
    "long-escape-in-keyword": "SELECT * WHERE {{ \\U00000053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "escapes-in-the-iri": "SELECT * WHERE {{ SERVICE <http\\u003A//127.0.0.1\\u003A{port}/sparql> "
                          "{{ ?s ?p ?o }} }}",
    # Structure: groups within groups, data before, strings and IRIs with '#'.
    "nested-groups": "SELECT * WHERE {{ {{ {{ {{ {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }} }}",
    "values-then-service": "SELECT * WHERE {{ VALUES ?x {{ 1 2 }} SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "bind-then-service-by-variable": "SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "nested-subqueries": "SELECT * WHERE {{ {{ SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE SILENT "
                         "<{url}> {{ ?s ?p ?o }} }} }} }} }} }}",
}
# Valid SPARQL that the check's parser (rdflib) cannot read, so it is refused as a syntax error:
# never run, whatever it says.
SERVICES_UNREAD = {
    "service-in-service": "SELECT * WHERE {{ SERVICE <urn:x:local> {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "hash-in-a-string": "SELECT * WHERE {{ BIND(\"\"\"# not a comment\"\"\" AS ?x) SERVICE <{url}> "
                        "{{ ?s ?p ?o }} }}",
    "hash-in-an-iri": "SELECT * WHERE {{ ?s <urn:x#y> ?o SERVICE <{url}> {{ ?a ?b ?c }} }}",
}


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_service_is_refused(served, trap, name):
    query = SERVICES[name].format(url=f"{trap.url}/sparql", port=trap.port)
    for status, headers, body in (get_query(served, query),
                                  exchange(served, "POST", "/sparql", query.encode(),
                                           {"Content-Type": "application/sparql-query", "Accept": JSON})):
        error = assert_error(status, headers, body, 403, "refused")
        assert "SERVICE is refused" in error["exception"]
    assert trap.heard() == 0


@pytest.mark.parametrize("name", sorted(SERVICES_UNREAD))
def test_service_the_check_cannot_read_is_refused_unrun(served, trap, name):
    status, _, body = get_query(served, SERVICES_UNREAD[name].format(url=f"{trap.url}/sparql"))
    assert status == 400 and json.loads(body)["kind"] in ("syntax", "bad-request"), body
    assert trap.heard() == 0


@pytest.mark.parametrize("clause", ["FROM <{url}/data.ttl>", "FROM NAMED <{url}/data.ttl>",
                                    "# x\rFROM <{url}/data.ttl>\n", "# x\rFROM NAMED <{url}/data.ttl>\n",
                                    "\\u0046ROM <{url}/data.ttl>", "from named <{url}/data.ttl>"])
def test_from_is_refused_and_dereferences_nothing(served, trap, clause):
    query = f"SELECT * {clause.format(url=trap.url)} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    error = assert_error(*get_query(served, query), 403, "refused")
    assert "FROM" in error["exception"]
    assert trap.heard() == 0


def test_service_through_a_redirect_is_refused(served, trap, redirector):
    error = assert_error(*get_query(served, SERVICES["comment-ended-by-cr"].format(url=redirector.url)),
                         403, "refused")
    assert "SERVICE is refused" in error["exception"]
    assert redirector.heard() == 0 and trap.heard() == 0


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
def test_protocol_dataset_parameters_dereference_nothing(served, trap, param):
    status, headers, body = get_query(served, COUNT_TRIPLES, **{param: f"{trap.url}/data.ttl"})
    assert_error(status, headers, body, 400, "bad-request")
    assert trap.heard() == 0


def test_describe_of_an_outside_iri_stays_local(served, trap):
    status, headers, body = get_query(served, f"DESCRIBE <{trap.url}/thing>",
                                      accept="application/n-triples")
    assert status == 200 and headers["Content-Type"] == "application/n-triples"
    assert body.strip() == b""  # nothing known about it here, and nothing fetched
    assert trap.heard() == 0


# -- caps -----------------------------------------------------------------------------------------


def test_request_body_cap(served):
    body = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 1_000_000
    status, headers, answer = exchange(served, "POST", "/sparql", body,
                                       {"Content-Type": "application/sparql-query", "Accept": JSON})
    error = assert_error(status, headers, answer, 413, "too-large")
    assert "over this server's limit of 1000000" in error["exception"]


def test_request_body_cap_is_enforced_before_the_body_is_read(served):
    """A huge Content-Length is refused at once: the server does not wait for a gigabyte."""
    answer = raw(served, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/sparql-query\r\n"
                         b"Content-Length: 1000000000\r\n\r\nSELECT")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert b"Connection: close" in head
    assert body == b"the request body is 1000000000 bytes, over this server's limit of 1000000\n"


def test_query_length_cap(served):
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 100_000  # under the body cap, over the query cap
    status, headers, body = exchange(served, "POST", "/sparql", query.encode(),
                                     {"Content-Type": "application/sparql-query", "Accept": JSON})
    error = assert_error(status, headers, body, 400, "query-too-long")
    assert "over this server's limit of 100000" in error["exception"]


def test_request_line_cap(served):
    status, headers, body = get_query(served, "SELECT * WHERE { ?s ?p ?o } #" + "x" * 70_000,
                                      accept="text/plain")
    assert status == 414 and headers["Content-Type"] == "text/plain; charset=utf-8"
    assert b"send long queries with POST" in body
    assert_clean(body)


# -- CORS -----------------------------------------------------------------------------------------

PREFLIGHT = {"Origin": "https://scholar.example", "Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "content-type"}


def test_cors_is_off_by_default(served):
    for status, headers, _ in (get_query(served, COUNT_TRIPLES, accept="text/csv"),
                               get_query(served, "SELECT", accept="text/csv"),
                               exchange(served, "GET", "/queries.json", headers={"Origin": "https://x.example"})):
        assert status in (200, 400)
        assert not [h for h in headers if h.lower().startswith("access-control-")]
    status, headers, body = exchange(served, "OPTIONS", "/sparql", headers=PREFLIGHT)
    assert status == 204 and body == b""
    assert headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert not [h for h in headers if h.lower().startswith("access-control-")]


def test_cors_when_enabled(served_cors):
    status, headers, _ = exchange(served_cors, "OPTIONS", "/sparql", headers=PREFLIGHT)
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()
    for status, headers, _ in (get_query(served_cors, COUNT_TRIPLES), get_query(served_cors, "SELECT")):
        assert status in (200, 400)
        assert headers["Access-Control-Allow-Origin"] == "*"  # errors too: a web page can show them


# -- errors ---------------------------------------------------------------------------------------

SPARQL_QUERY = {"Content-Type": "application/sparql-query"}
ERRORS = {  # name: (method, path, body, headers, status, kind)
    "malformed-query": ("GET", "/sparql?query=SELECT%20%3Fx%20WHERE%20%7B%20%3Fx", None, {}, 400, "syntax"),
    # (a GET with no query at all describes the service: see test_endpoint.py)
    "no-query": ("POST", "/sparql", "", {"Content-Type": "application/x-www-form-urlencoded"}, 400,
                 "bad-request"),
    "empty-query": ("GET", "/sparql?query=", None, {}, 400, "bad-request"),
    "two-queries": ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None, {}, 400, "bad-request"),
    "unknown-format": ("GET", "/sparql?query=ASK%7B%7D&format=pdf", None, {}, 406, "not-acceptable"),
    "format-for-another-form": ("GET", "/sparql?query=ASK%7B%7D&format=turtle", None, {}, 406,
                                "not-acceptable"),
    "too-deep": ("POST", "/sparql", "SELECT * WHERE " + "{" * 400 + "}" * 400,
                 {"Content-Type": "application/sparql-query"}, 400, "bad-request"),
    "unknown-path": ("GET", "/admin", None, {}, 404, "not-found"),
    "unknown-path-post": ("POST", "/update", "update=CLEAR%20ALL",
                          {"Content-Type": "application/x-www-form-urlencoded"}, 404, "not-found"),
    "dotted-path": ("GET", "/static/ilkg/../../pyproject.toml", None, {}, 404, "not-found"),
    "put": ("PUT", "/sparql", "<urn:x:a> <urn:x:b> <urn:x:c> .", {"Content-Type": "text/turtle"}, 405,
            "method-not-allowed"),
    "delete": ("DELETE", "/sparql", None, {}, 405, "method-not-allowed"),
    "patch": ("PATCH", "/sparql", "x", {"Content-Type": "text/plain"}, 405, "method-not-allowed"),
    "unknown-method": ("BREW", "/sparql", None, {}, 501, "not-implemented"),
    "wrong-media-type": ("POST", "/sparql", "SELECT * WHERE { ?s ?p ?o }", {"Content-Type": "text/plain"},
                         415, "unsupported-media-type"),
    "bad-content-length": ("POST", "/sparql", None, {"Content-Type": "application/sparql-query",
                                                      "Content-Length": "-5"}, 400, "bad-request"),
    # Escapes that are no Unicode character were a 500.
    "escape-past-unicode": ("POST", "/sparql", 'SELECT * WHERE { ?s ?p "\\U00110000" }', SPARQL_QUERY,
                            400, "syntax"),
    "escape-of-a-surrogate": ("POST", "/sparql", 'SELECT * WHERE { ?s ?p "\\uD83D\\uDE00" }', SPARQL_QUERY,
                              400, "syntax"),
    "escape-spelling-an-escape": ("POST", "/sparql", 'SELECT * WHERE { ?s ?p "\\u005Cu0041" }',
                                  SPARQL_QUERY, 400, "syntax"),
    "short-escape": ("POST", "/sparql", 'SELECT * WHERE { ?s ?p "\\u12" }', SPARQL_QUERY, 400, "syntax"),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_have_one_shape_and_no_internals(served, name):
    method, path, body, headers, expected, kind = ERRORS[name]
    data = body.encode() if body is not None else None
    status, answer_headers, answer = exchange(served, method, path, data, {**headers, "Accept": JSON})
    error = assert_error(status, answer_headers, answer, expected, kind)
    if expected == 405:
        assert answer_headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    # The same error for a client that does not ask for JSON: the same message as plain text.
    status, answer_headers, answer = exchange(served, method, path, data, {**headers, "Accept": "*/*"})
    assert status == expected
    assert answer_headers["Content-Type"] == "text/plain; charset=utf-8"
    assert answer.decode() == error["exception"] + "\n"


def test_an_escape_of_a_control_character_is_answered(served):
    """``\\u00110000`` is U+0011 and "0000" (a ``\\u`` escape takes four digits): a string like any."""
    status, _, body = get_query(served, 'SELECT * WHERE { ?s ?p "\\u00110000" }')
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
    status, _, body = get_query(served, 'SELECT ?x WHERE { BIND("\\u00110000" AS ?x) }')
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["x"]["value"] == "\x110000"


def test_a_malformed_request_gets_the_plain_error_not_an_html_page(served):
    for data in (b"GARBAGE\r\n\r\n", b"GET /sparql HTTP/7.0\r\n\r\n", b"GET /sparql HTTP/1.1\r\n"
                 + b"".join(b"X-%d: y\r\n" % i for i in range(200)) + b"\r\n"):
        head, _, body = raw(served, data).partition(b"\r\n\r\n")
        status = int(head.split()[1])
        assert status in (400, 431, 505), head
        assert b"Content-Type: text/plain; charset=utf-8" in head
        assert body.strip()
        assert_clean(body)


def busy_worker(server, deadline: float) -> int:
    """The pid of the worker that is using the CPU (the one running a pathological query)."""

    def cpu(pid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0
        return int(fields[11]) + int(fields[12])  # utime + stime

    while time.monotonic() < deadline:
        before = {pid: cpu(pid) for pid in server.worker_pids()}
        time.sleep(0.3)
        for pid, used in before.items():
            if cpu(pid) > used:
                return pid
    pytest.fail("no worker took the query")


def test_an_internal_failure_is_a_clean_500_and_the_server_recovers(served, baseline):
    """A worker that dies under a query (killed from outside here) is a 500 with the error shape."""
    outcome = {}
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    thread = threading.Thread(target=lambda: outcome.update(answer=get_query(served, cross)))
    thread.start()
    os.kill(busy_worker(served, time.monotonic() + 4), signal.SIGKILL)
    thread.join(30)
    status, headers, body = outcome["answer"]
    error = assert_error(status, headers, body, 500, "internal")
    assert "not answered" in error["exception"]
    assert count_triples(served) == baseline  # a new worker took its place


# -- Host (DNS rebinding) -------------------------------------------------------------------------

HOSTS = {  # Host header: answered (else 421)
    "localhost": True, "LocalHost": True, "localhost:8000": True, "127.0.0.1": True,
    "127.0.0.1:80": True, "[::1]": True, "[::1]:8000": True, "[0:0:0:0:0:0:0:1]": True,
    "[::1].evil.example": False, "[::1]evil": False, "[::1]:80.evil.example": False,
    "localhost:80@evil.example": False, "user@localhost": False, "localhost.evil.example": False,
    "127.0.0.1.evil.example": False, "evil.example": False, "evil.example:8000": False,
    "localhost:99999": False, "localhost:": False, "localhost:80:80": False, "::1": False,
    "[::1": False, "[evil.example]": False, "[::ffff:127.0.0.1]": False, "localhost evil": False,
    "localhost/evil": False, "127.1": False, "0x7f.0.0.1": False, "": False,
}


def status_of(server, head: str) -> int:
    answer = raw(server, head.encode("latin-1") + b"Connection: close\r\n\r\n")
    return int(answer.split(b" ", 2)[1])


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_host_is_parsed_strictly(served, host):
    status = status_of(served, f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\n")
    assert status == (200 if HOSTS[host] else 421)


def test_an_absolute_target_names_the_host_itself(served):
    """RFC 9112: the authority of an absolute-form target is the host; the Host header is ignored."""
    path = "/sparql?query=ASK%7B%7D"
    assert status_of(served, f"GET http://evil.example{path} HTTP/1.1\r\nHost: localhost\r\n") == 421
    assert status_of(served, f"GET http://localhost:{served.port}{path} HTTP/1.1\r\nHost: evil\r\n") == 200


def test_two_host_headers_are_refused(served):
    head = "GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n"
    assert status_of(served, head) == 400


# -- connections ----------------------------------------------------------------------------------


def test_a_burst_of_clients_is_queued_not_reset(served):
    """50 clients connecting at once (under --max-connections 64) all get answers, three times over.

    With the standard library's listen backlog of 5, the kernel dropped or reset the handshakes
    past the backlog: some clients saw "connection reset" (1-11%), others connected only when
    their SYN was sent again a second later (the kernel's first retransmission timeout). With a
    backlog as long as the connection limit, every handshake completes at once.
    """
    barrier = threading.Barrier(50)
    outcomes: list[object] = []
    waits: list[float] = []

    def client():
        barrier.wait()
        started = time.monotonic()
        try:
            with socket.create_connection((served.host, served.port), timeout=60) as sock:
                waits.append(time.monotonic() - started)
                sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: localhost\r\n"
                             b"Connection: close\r\n\r\n")
                outcomes.append(sock.makefile("rb").readline().split()[1])
        except OSError as exc:
            outcomes.append(repr(exc))

    for _ in range(3):
        threads = [threading.Thread(target=client) for _ in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        barrier.reset()
    assert outcomes == [b"200"] * 150
    assert max(waits) < 1.0  # no handshake waited for a retransmitted SYN


# -- the answer's size ----------------------------------------------------------------------------


def doubling(times: int, seed: str = "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCD") -> str:
    """A query of under 1 KB whose one value is ``seed`` doubled ``times`` times (50 * 2**times chars)."""
    binds = [f'BIND("{seed}" AS ?v0)'] + [f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(times)]
    return f"SELECT ?v{times} WHERE {{ {' '.join(binds)} }}"


def peak_rss(pid: int) -> int:
    """The peak resident memory of a process so far (VmHWM), in bytes."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1)) * 1024


def test_a_huge_answer_is_refused_and_the_server_stays_small(served):
    """A 1 KB query that builds a 100 MB value: refused by the worker (default cap 64 MB) before
    any of it reaches the HTTP process, whose peak memory does not move (it rose by ~1 GB)."""
    assert len(doubling(21)) < 1024
    before = peak_rss(served.pid)
    for _ in range(2):
        error = assert_error(*get_query(served, doubling(21)), 400, "answer-too-large")
        assert "over this server's limit of 64 MB" in error["exception"]
    assert peak_rss(served.pid) - before < 32 * 2**20
    assert count_triples(served) > 0  # and it goes on answering


# -- no input makes a 500 -------------------------------------------------------------------------

TOKENS = ["SELECT", "*", "WHERE", "{", "}", "?s", "?p", "?o", "(", ")", "FILTER", "BIND", "AS", "?x",
          '"a"', "'b'", '"""c"""', "<urn:x>", "<>", "1", "1e400", "-", "+", "/", "|", "^", "!", "a", ".",
          ";", ",", "OPTIONAL", "UNION", "MINUS", "GRAPH", "VALUES", "UNDEF", "LIMIT", "ORDER BY",
          "GROUP BY", "COUNT", "STR", "REGEX", "REPLACE", "SUBSTR", "CONCAT", "STRDT", "STRLANG", "IRI",
          "BNODE", "xsd:integer", "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>", "#", "\r", "\n",
          "\\u0041", "\\U0010FFFF", "\\U00110000", "\\uD800", "\\u0022", "\x00", "\ufeff", "@en",
          "^^", "_:b", "[]", "<<", ">>", '"2020-13-45"^^xsd:dateTime', "EXISTS", "NOT", "IN", "&&", "=",
          "DESCRIBE", "CONSTRUCT", "ASK", "GROUP_CONCAT", "SEPARATOR", "COALESCE", "IF", "TZ",
          "9999999999999999999999", '"NaN"^^xsd:double', "SERVICE", "FROM", "LOAD", "INSERT DATA"]
FORMAT_NAMES = ["json", "xml", "csv", "tsv", "turtle", "nt", "jsonld"]


@settings(max_examples=examples(150))
@given(words=st.lists(st.sampled_from(TOKENS), max_size=14), fmt=st.sampled_from([None, *FORMAT_NAMES]),
       method=st.sampled_from(["GET", "POST"]))
def test_no_query_makes_a_500(served, words, fmt, method):
    query = " ".join(words)
    params = {"query": query} | ({"format": fmt} if fmt else {})
    if method == "GET":
        status, headers, body = exchange(served, "GET", "/sparql?" + urllib.parse.urlencode(params),
                                         headers={"Accept": JSON})
    else:
        form = {"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON}
        status, headers, body = exchange(served, "POST", "/sparql", urllib.parse.urlencode(params), form)
    assert status < 500, body
    if status != 200:
        assert_error(status, headers, body, status, json.loads(body)["kind"])
