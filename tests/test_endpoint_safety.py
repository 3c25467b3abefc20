"""Endpoint safety, each point its own test, over real HTTP against ``kg serve`` on 127.0.0.1.

The server is the real command in a subprocess (an ephemeral port), as a user would start it.
A listener socket on 127.0.0.1 stands for the outside world: every refused ``SERVICE``, ``LOAD``
and ``FROM`` points at it, and it must hear nothing. It is read from its backlog (connections the
kernel accepted for it), so a connection attempt counts even if nobody got round to accepting it.
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

from benchmarks.load_endpoint import ServedEndpoint

from .conftest import CORPUS, REPO

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


class Listener:
    """A TCP socket on 127.0.0.1 that is never served; ``heard()`` counts connections made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.setblocking(False)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def heard(self) -> int:
        count = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1


@pytest.fixture(scope="module")
def listener():
    ear = Listener()
    yield ear
    ear.sock.close()


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


def test_listener_hears_a_connection(listener):
    """The ear works: without this, 'heard nothing' would prove nothing."""
    with socket.create_connection(("127.0.0.1", int(listener.url.rsplit(":", 1)[1])), timeout=5):
        time.sleep(0.1)
    assert listener.heard() == 1
    assert listener.heard() == 0


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
    "load": "LOAD <{listener}/data.ttl>",
    "load-into": "LOAD SILENT <{listener}/data.ttl> INTO GRAPH <urn:x:new>",
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
def test_updates_are_refused(served, listener, baseline, name, transport):
    status, headers, body = send_update(served, transport, UPDATES[name].replace("{listener}", listener.url))
    error = assert_error(status, headers, body, 403, "refused")
    assert "read-only" in error["exception"]
    assert listener.heard() == 0
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
}


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_service_is_refused(served, listener, name):
    query = SERVICES[name].format(url=f"{listener.url}/sparql")
    for status, headers, body in (get_query(served, query),
                                  exchange(served, "POST", "/sparql", query.encode(),
                                           {"Content-Type": "application/sparql-query", "Accept": JSON})):
        error = assert_error(status, headers, body, 403, "refused")
        assert "SERVICE is refused" in error["exception"]
    assert listener.heard() == 0


@pytest.mark.parametrize("clause", ["FROM <{url}/data.ttl>", "FROM NAMED <{url}/data.ttl>"])
def test_from_is_refused_and_dereferences_nothing(served, listener, clause):
    query = f"SELECT * {clause.format(url=listener.url)} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    error = assert_error(*get_query(served, query), 403, "refused")
    assert "FROM" in error["exception"]
    assert listener.heard() == 0


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
def test_protocol_dataset_parameters_dereference_nothing(served, listener, param):
    status, headers, body = get_query(served, COUNT_TRIPLES, **{param: f"{listener.url}/data.ttl"})
    assert_error(status, headers, body, 400, "bad-request")
    assert listener.heard() == 0


def test_describe_of_an_outside_iri_stays_local(served, listener):
    status, headers, body = get_query(served, f"DESCRIBE <{listener.url}/thing>",
                                      accept="application/n-triples")
    assert status == 200 and headers["Content-Type"] == "application/n-triples"
    assert body.strip() == b""  # nothing known about it here, and nothing fetched
    assert listener.heard() == 0


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
