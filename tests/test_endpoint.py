"""The SPARQL endpoint as a real server over HTTP on 127.0.0.1, with real clients."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph

from kg.endpoint import EndpointConfig
from kg.pipeline import open_endpoint

from .conftest import CORPUS

COUNT_CLAIMS = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a <https://w3id.org/ilkg/ontology#Claim> }"
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def endpoint():
    config = EndpointConfig(port=0, timeout=3, max_rows=100, workers=2, max_body=20_000,
                            max_query=5_000)
    running = open_endpoint(config, corpus_dir=CORPUS).start()
    yield running
    running.close()


def request(url, data=None, headers=None, method=None):
    """(status, headers, body) of an HTTP request; errors are answers too."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def get(endpoint, query, accept=None, **params):
    qs = urllib.parse.urlencode({"query": query, **params})
    return request(f"{endpoint.url}/sparql?{qs}", headers={"Accept": accept} if accept else {})


def post_form(endpoint, query, accept=None):
    body = urllib.parse.urlencode({"query": query}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if accept:
        headers["Accept"] = accept
    return request(f"{endpoint.url}/sparql", body, headers)


def claim_count(corpus_size):
    value = {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer",
             "value": str(corpus_size)}
    return {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": value}]}}


def test_binds_loopback_by_default(endpoint):
    assert EndpointConfig().host == "127.0.0.1"
    assert endpoint.server.server_address[0] == "127.0.0.1"


def test_get_post_form_and_post_query_agree(endpoint, corpus):
    expected = claim_count(len(corpus.claims))
    status, headers, body = get(endpoint, COUNT_CLAIMS)
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    assert json.loads(body) == expected
    assert json.loads(post_form(endpoint, COUNT_CLAIMS)[2]) == expected
    status, _, body = request(f"{endpoint.url}/sparql", COUNT_CLAIMS.encode(),
                              {"Content-Type": "application/sparql-query"})
    assert status == 200 and json.loads(body) == expected


@pytest.mark.parametrize(
    ("accept", "media", "starts"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml", b"<?xml"),
        ("text/csv", "text/csv; charset=utf-8", b"n\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", b"?n\n"),
        ("application/sparql-results+json;q=0.5, text/csv;q=0.9", "text/csv; charset=utf-8", b"n\r\n"),
        ("*/*", "application/sparql-results+json", b"{"),
    ],
)
def test_content_negotiation(endpoint, accept, media, starts):
    status, headers, body = get(endpoint, COUNT_CLAIMS, accept=accept)
    assert status == 200
    assert headers["Content-Type"] == media
    assert body.startswith(starts)


def test_construct_gives_rdf(endpoint):
    query = ("CONSTRUCT { ?c <https://w3id.org/ilkg/ontology#claimant> ?a } "
             "WHERE { ?c <https://w3id.org/ilkg/ontology#claimant> ?a }")
    status, headers, body = get(endpoint, query, accept="text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    turtle = Graph().parse(data=body, format="turtle")
    status, headers, body = get(endpoint, query, accept="application/ld+json")
    assert headers["Content-Type"] == "application/ld+json"
    assert len(Graph().parse(data=body, format="json-ld")) == len(turtle) > 50


@pytest.mark.parametrize(
    "attempt",
    [
        {"update": "CLEAR ALL"},
        {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"},
        {"query": "DROP ALL"},
        {"query": "LOAD <http://127.0.0.1:9/data.ttl>"},
        {"query": "CLEAR GRAPH <https://w3id.org/ilkg/graph/corpus>"},
    ],
)
def test_updates_are_refused(endpoint, attempt):
    body = urllib.parse.urlencode(attempt).encode()
    status, _, message = request(f"{endpoint.url}/sparql", body,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403, message
    assert b"refused" in message or b"read-only" in message
    assert json.loads(get(endpoint, COUNT_CLAIMS)[2])["results"]["bindings"][0]["n"]["value"] != "0"


def test_sparql_update_media_type_is_refused(endpoint):
    status, _, _ = request(f"{endpoint.url}/sparql", b"CLEAR ALL",
                           {"Content-Type": "application/sparql-update"})
    assert status == 403


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that records every connection made to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    heard = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                heard.append(conn.recv(1024))
                conn.close()
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1], heard
    stop.set()
    thread.join(2)
    sock.close()


def test_no_request_leaves_the_server(endpoint, listener):
    port, heard = listener
    target = f"http://127.0.0.1:{port}/sparql"
    for query in (
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }} }} LIMIT 1",
        f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"LOAD <{target}>",
    ):
        status, _, message = post_form(endpoint, query)
        assert status == 403, (query, message)
    time.sleep(0.5)
    assert heard == []


def test_time_limit_stops_a_pathological_query_without_starving_others(endpoint, corpus):
    outcome = {}

    def slow():
        outcome["slow"] = post_form(endpoint, CROSS_PRODUCT)

    thread = threading.Thread(target=slow)
    started = time.monotonic()
    thread.start()
    time.sleep(0.3)
    status, _, body = get(endpoint, COUNT_CLAIMS)  # the second worker answers meanwhile
    cheap_done = time.monotonic() - started
    thread.join(30)
    assert status == 200 and json.loads(body) == claim_count(len(corpus.claims))
    assert cheap_done < 3  # answered before the slow query's time limit ran out
    slow_status, _, message = outcome["slow"]
    assert slow_status == 503
    assert b"time limit of 3 s" in message
    # the killed worker is replaced: the endpoint keeps answering
    for _ in range(4):
        assert get(endpoint, COUNT_CLAIMS)[0] == 200


def test_row_cap_gives_a_clear_error(endpoint):
    status, _, message = get(endpoint, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 400
    assert b"more than 100 rows" in message and b"LIMIT 100" in message
    status, _, body = get(endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 100")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 100


def test_size_caps(endpoint):
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 6_000
    assert get(endpoint, long_query)[0] == 413
    status, _, _ = request(f"{endpoint.url}/sparql", b"query=" + b"x" * 30_000,
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413


def test_syntax_error_is_a_400_with_line_and_column(endpoint):
    status, headers, message = get(endpoint, "SELECT ?x WHERE {\n  ?x ?y \n}")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert b"line 2, column 3" in message
    assert b"Traceback" not in message


def test_other_paths_and_methods(endpoint):
    assert request(f"{endpoint.url}/nothing")[0] == 404
    assert request(f"{endpoint.url}/sparql", b"x", method="PUT")[0] == 405
    assert get(endpoint, COUNT_CLAIMS)[1].get("Access-Control-Allow-Origin") is None  # CORS off


def test_sparqlwrapper_client(endpoint, corpus):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(f"{endpoint.url}/sparql")
    client.setQuery("PREFIX ilk: <https://w3id.org/ilkg/ontology#> "
                    "SELECT ?c WHERE { ?c ilk:claimant <https://w3id.org/ilkg/actor/VEN> } ORDER BY ?c")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    expected = sorted(c.id for c in corpus.claims.values() if c.claimant == "VEN")
    assert [r["c"]["value"].rsplit("/", 1)[1] for r in rows] == expected
    client.setQuery("ASK { <https://w3id.org/ilkg/claim/ven-moncada-art-2-4> ?p ?o }")
    assert client.query().convert()["boolean"] is True
    client.setQuery("CONSTRUCT WHERE { <https://w3id.org/ilkg/claim/ven-moncada-art-2-4> ?p ?o }")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) >= 8
