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
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.compare import isomorphic

from kg.graph.namespaces import QUERY_PREFIXES
from kg.sparql.endpoint import EndpointConfig, error_body, open_endpoint, wants_json

from ..conftest import CORPUS

COUNT_CLAIMS = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a <https://w3id.org/ilkg/ontology#Claim> }"
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def endpoint():
    config = EndpointConfig(port=0, timeout=3, max_rows=100, workers=2, max_body=20_000,
                            max_query=5_000, query_memory_mb=300)
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
    thread.start()
    time.sleep(0.3)
    status, _, body = get(endpoint, COUNT_CLAIMS)  # the second worker answers meanwhile
    slow_still_running = thread.is_alive()
    thread.join(30)
    assert status == 200 and json.loads(body) == claim_count(len(corpus.claims))
    assert slow_still_running  # the cheap query was answered while the slow one ran
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
    status, _, message = get(endpoint, long_query)
    assert status == 400 and b"limit of 5000" in message
    status, _, message = request(f"{endpoint.url}/sparql", b"query=" + b"x" * 30_000,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413 and b"limit of 20000" in message


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


@pytest.fixture
def long_queries():
    """An endpoint that takes queries of 100,000 characters (the default of ``kg serve``) and
    gives each one second; closed after its test, so its workers do not linger beside the others."""
    config = EndpointConfig(port=0, timeout=1, workers=2, max_body=1_000_000, max_query=100_000)
    running = open_endpoint(config, corpus_dir=CORPUS).start()
    yield running
    running.close()


def test_a_query_slow_to_parse_is_stopped_by_the_time_limit(long_queries, corpus):
    """Parsing runs in the workers: a query that takes the parser many seconds is cut at the limit
    like any other, and the server keeps answering meanwhile (it is not parsed in the server).

    rdflib's parser takes about a millisecond per term of an expression, whatever the term, so
    12,000 terms (24,000 characters, evaluated in no time) keep it busy for over ten seconds, ten
    times the limit: a parser several times faster than rdflib 7.6 still meets it. (2,400 terms,
    the most a 5,000-character cap allows, took rdflib 7.6 under three seconds.)"""
    slow_to_parse = "SELECT * WHERE { FILTER(" + "-".join(["1"] * 12_000) + ") }"
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(slow=post_form(long_queries, slow_to_parse)))
    thread.start()
    time.sleep(0.3)
    status, _, body = get(long_queries, COUNT_CLAIMS)
    thread.join(30)
    assert status == 200 and json.loads(body) == claim_count(len(corpus.claims))
    status, _, message = outcome["slow"]
    assert status == 503 and b"time limit of 1 s" in message


def test_a_deeply_nested_query_is_a_clear_400(endpoint):
    status, _, message = get(endpoint, "SELECT * WHERE { FILTER(" + "(" * 300 + "1" + ")" * 300 + ") }",
                             accept="application/json")
    assert status == 400
    error = json.loads(message)
    assert error["kind"] == "bad-request" and "nested too deeply" in error["exception"]


def test_memory_cap_stops_a_query_that_grows_and_the_endpoint_recovers(endpoint, corpus):
    # Sorting a cross product of the whole graph needs gigabytes; the workers may add 300 MB.
    hungry = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d LIMIT 1"
    status, headers, body = post_form(endpoint, hungry, accept="application/json")
    assert status == 503 and headers["Content-Type"] == "application/json"
    error = json.loads(body)
    assert error["kind"] == "memory" and "300 MB" in error["exception"]
    for _ in range(3):  # the worker that ran out is replaced
        status, _, body = get(endpoint, COUNT_CLAIMS)
        assert status == 200 and json.loads(body) == claim_count(len(corpus.claims))


def test_a_construct_over_the_row_cap_is_refused(endpoint):
    status, _, message = get(endpoint, "CONSTRUCT WHERE { ?s ?p ?o }", accept="text/turtle")
    assert status == 400 and b"more than 100 triples" in message


def test_an_internal_failure_leaks_nothing(endpoint, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("/srv/ilkg/kg/sparql/results.py: QueryResult._rows")

    monkeypatch.setattr(endpoint.server.pool, "answer", broken)
    for accept in ("application/json", "text/plain"):
        status, _, body = get(endpoint, COUNT_CLAIMS, accept=accept)
        assert status == 500
        text = body.decode()
        assert "results.py" not in text and "KeyError" not in text and "QueryResult" not in text
        assert "Traceback" not in text
        if accept == "application/json":
            assert json.loads(text) == {"status": "ERROR", "kind": "internal",
                                        "exception": "internal error; the query was not answered"}
        else:
            assert text == "internal error; the query was not answered\n"


@pytest.mark.parametrize(
    ("accept", "as_json"),
    [
        ("application/json", True),
        ("application/json, application/sparql-results+json;q=0.9", True),
        ("application/sparql-results+json", False),  # a results document was asked for
        ("application/sparql-results+json,*/*;q=0.9", False),  # Yasgui
        ("application/sparql-results+json,application/json,text/javascript", False),  # SPARQLWrapper
        ("text/csv", False),
        ("*/*", False),
        ("", False),
        ("text/html,application/xhtml+xml,*/*;q=0.8", False),  # a browser
        ("text/plain;q=0.5, application/json", True),
        ("application/json;q=0, text/plain", False),
    ],
)
def test_error_shape_follows_accept(accept, as_json):
    body, media = error_body("timeout", "the query exceeded the time limit", wants_json(accept))
    if as_json:
        assert media == "application/json"
        assert json.loads(body) == {"status": "ERROR", "kind": "timeout",
                                    "exception": "the query exceeded the time limit"}
    else:
        assert media == "text/plain; charset=utf-8"
        assert body == b"the query exceeded the time limit\n"


@pytest.fixture(scope="module")
def tight_endpoint():
    """Two connections at most, and a silent client is dropped after three seconds."""
    config = EndpointConfig(port=0, workers=1, max_connections=2, client_timeout=3)
    running = open_endpoint(config, corpus_dir=CORPUS).start()
    yield running
    running.close()


def test_connections_over_the_cap_are_turned_away(tight_endpoint):
    port = tight_endpoint.server.server_address[1]
    idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(2)]
    try:
        for _ in range(20):  # until the server has taken both idle connections
            status, headers, body = request(f"{tight_endpoint.url}/queries.json")
            if status != 200:
                break
            time.sleep(0.05)
        assert status == 503 and b"too many open connections" in body
        assert headers["Retry-After"] == "1"
    finally:
        for sock in idle:
            sock.close()
    for _ in range(100):  # the slots come back once the idle connections are gone
        if request(f"{tight_endpoint.url}/queries.json")[0] == 200:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the endpoint did not take connections again")


def test_a_silent_client_is_disconnected(tight_endpoint):
    port = tight_endpoint.server.server_address[1]
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        assert sock.recv(1024) == b""  # closed by the server after client_timeout, unanswered


def _with_host(endpoint, host: str) -> tuple[int, bytes]:
    import http.client

    port = urllib.parse.urlsplit(endpoint.url).port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": COUNT_CLAIMS}),
                           headers={"Host": host, "Accept": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["rebind.attacker.example", "rebind.attacker.example:8000",
                                  "127.0.0.1.attacker.example", "localhost.attacker.example"])
def test_a_host_name_of_a_dns_rebinding_page_is_refused(endpoint, host):
    status, body = _with_host(endpoint, host)
    assert status == 421
    assert json.loads(body)["kind"] == "host"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost:8000", "LOCALHOST", "[::1]:8000"])
def test_loopback_host_names_are_answered(endpoint, host):
    status, body = _with_host(endpoint, host)
    assert status == 200, body


def test_a_proxy_name_is_answered_only_when_allowed():
    config = EndpointConfig(port=0, timeout=3, workers=1, allowed_hosts=("kg.example.org",))
    running = open_endpoint(config, corpus_dir=CORPUS).start()
    try:
        assert _with_host(running, "kg.example.org")[0] == 200
        assert _with_host(running, "kg.example.org:443")[0] == 200
        assert _with_host(running, "other.example.org")[0] == 421
    finally:
        running.close()


# --- issue 12: what a scholar used to the Wikidata Query Service or Fuseki expects ---------------

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def test_get_without_a_query_is_a_service_description(endpoint):
    """Regression: GET /sparql with no query (the editor's link to it) answered 400."""
    url = f"{endpoint.url}/sparql"
    status, headers, body = request(url, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert headers["Vary"] == "Accept"
    graph = Graph().parse(data=body, format="turtle")
    service = URIRef(url)
    assert (service, RDF.type, SD.Service) in graph
    assert list(graph.objects(service, SD.endpoint)) == [service]
    assert list(graph.objects(service, SD.supportedLanguage)) == [SD.SPARQL11Query]  # no Update
    assert set(graph.objects(service, SD.resultFormat)) == {
        FORMATS.SPARQL_Results_JSON, FORMATS.SPARQL_Results_XML, FORMATS.SPARQL_Results_CSV,
        FORMATS.SPARQL_Results_TSV, FORMATS.Turtle, FORMATS["JSON-LD"], FORMATS["N-Triples"],
        FORMATS.RDF_XML}
    assert list(graph.objects(service, SD.feature)) == [SD.UnionDefaultGraph]
    [dataset] = graph.objects(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in graph
    [default_graph] = graph.objects(dataset, SD.defaultGraph)
    assert (default_graph, RDF.type, SD.Graph) in graph
    # Other RDF formats by content negotiation, the same graph; Turtle when nothing is asked for.
    for accept, fmt in (("*/*", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/n-triples", "nt"), ("application/rdf+xml", "xml")):
        status, headers, other = request(url, headers={"Accept": accept})
        assert status == 200, accept
        assert isomorphic(Graph().parse(data=other, format=fmt), graph), accept
    assert request(url, headers={"Accept": "text/turtle"})[2] == body  # the same bytes each time


def test_a_browser_at_the_endpoint_reads_how_to_use_it(endpoint):
    url = f"{endpoint.url}/sparql"
    status, headers, body = request(url, headers={"Accept": BROWSER})
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    page = body.decode("utf-8")
    assert f"<code>POST {url}</code>" in page and "application/sparql-query" in page
    assert '<a href="/">query editor</a>' in page
    for prefix, namespace in QUERY_PREFIXES.items():
        assert f"<tr><td><code>{prefix}:</code></td><td><code>{namespace}</code></td></tr>" in page
    # HEAD answers the same headers with no body
    status, head_headers, nothing = request(url, headers={"Accept": BROWSER}, method="HEAD")
    assert status == 200 and nothing == b"" and head_headers["Content-Length"] == str(len(body))


def test_prefixes_json_is_the_predefined_list(endpoint):
    status, headers, body = request(f"{endpoint.url}/prefixes.json")
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert json.loads(body) == QUERY_PREFIXES


def test_predefined_prefixes_over_http(endpoint, corpus):
    bare = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a ilk:Claim }"
    status, _, body = get(endpoint, bare, "application/sparql-results+json")
    assert status == 200 and json.loads(body) == claim_count(len(corpus.claims))
    status, _, body = get(endpoint, "PREFIX ilk: <urn:x:> ASK { ?c a ilk:Claim }", "application/json")
    assert status == 200 and json.loads(body)["boolean"] is False  # the query's own prefix wins
    status, _, body = get(endpoint, "SELECT ?c WHERE {\n ?c a ilkk:Claim }", "text/plain")
    assert status == 400
    assert body.decode().startswith("unknown prefix 'ilkk:' at line 2, column 7 (did you mean 'ilk:'?)")


def test_the_safety_check_sees_the_prefixes_it_declares(endpoint):
    """The check parses the text that runs, predefined declarations included: SERVICE wd:... is
    refused like SERVICE <http://www.wikidata.org/entity/...>."""
    status, _, body = get(endpoint, "SELECT * WHERE { SERVICE wd:Q30 { ?s ?p ?o } }", "text/plain")
    assert status == 403 and body.decode().startswith("SERVICE is refused")


def test_select_star_columns_in_the_order_of_the_query(endpoint):
    status, _, body = get(endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "application/sparql-results+json")
    assert status == 200 and json.loads(body)["head"]["vars"] == ["s", "p", "o"]
