"""Push to and query real SPARQL stores: Oxigraph's server and Virtuoso, started by these tests.

Each store runs for this module on free 127.0.0.1 ports in a temporary folder, and its whole
process group is stopped at the end. The graph is pushed with the Graph Store Protocol, then every
saved query must give the embedded engine's answer. Where Virtuoso cannot (its default graph holds
its own system graphs, its DESCRIBE is symmetric, its DATATYPE of a language-tagged string is
unbound), the test states the exact difference rather than looking away.

A missing store program is a failure, not a skip: the CI set-up installs both (see .ci/run).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sysconfig
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from rdflib import Literal, URIRef
from requests.auth import HTTPDigestAuth
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from kg.cli import cli
from kg.errors import QueryError, RemoteError, SetupError
from kg.graph.namespaces import GRAPH
from kg.graph.pipeline import build
from kg.sparql.engines import open_engine
from kg.sparql.remote import push_graph, query_endpoint
from kg.sparql.saved_queries import bind_params, internal_query, saved_queries
from kg.sparql.values import with_values

from ..conftest import CORPUS

QUERIES = saved_queries()
OUR_GRAPHS = [str(GRAPH[name]) for name in ("ontology", "catalogues", "corpus", "provenance")]
SETUP_HINT = ("run the CI set-up (.ci/run): apt-get install -y virtuoso-opensource and "
              "pip install -e '.[test]' (which brings the oxigraph server)")
# Virtuoso's [SPARQL] ResultSetMaxRows: the shipped ini has 10000; ours is set well above every
# answer the tests expect and below what test_virtuoso_reports_a_cut_answer asks for.
VIRTUOSO_MAX_ROWS = 20000
VIRTUOSO_USER, VIRTUOSO_PASSWORD = "dba", "dba"  # a fresh database's administrator


@dataclass(frozen=True)
class Store:
    name: str
    gsp: str  # Graph Store Protocol URL
    sparql: str  # SPARQL query URL
    user: str | None = None
    password: str | None = None

    def auth(self):
        return HTTPDigestAuth(self.user, self.password) if self.user else None


def program(name: str) -> str:
    """A store's executable, from this environment's scripts folder or the PATH, or fail."""
    local = Path(sysconfig.get_path("scripts")) / name
    found = str(local) if local.is_file() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: {SETUP_HINT}")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], folder: Path) -> subprocess.Popen:
    """The server in a session of its own, so that stopping its group stops all it started."""
    with open(folder / "server.log", "wb") as log:  # the child keeps its own copy of the file
        return subprocess.Popen(command, cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)


def wait_until_answering(process: subprocess.Popen, url: str, folder: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the store exited with {process.returncode}:\n{log_tail(folder)}")
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.25)
    pytest.fail(f"the store did not answer {url} within {seconds} s:\n{log_tail(folder)}")


def log_tail(folder: Path) -> str:
    return (folder / "server.log").read_text(errors="replace")[-3000:]


def stop(process: subprocess.Popen) -> None:
    """Stop the server's whole process group: politely, then for good."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


VIRTUOSO_INI = """\
; Written by tests/sparql/test_remote_stores.py: a throw-away database on free ports.
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {folder}/virtuoso-temp.db
TransactionFile    = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = {sql_port}
DisableUnixSocket  = 1
CheckpointInterval = 0
; Folders Virtuoso may read and write (bulk loads, backups): only its own. The shipped ini points
; at /var/lib/virtuoso-opensource-7, which a test must not touch.
DirsAllowed        = ., {folder}
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000

[HTTPServer]
ServerPort         = 127.0.0.1:{http_port}
ServerRoot         = {folder}
ServerThreads      = 10
Charset            = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryExecutionTime      = 120
MaxQueryCostEstimationTime = 0
"""


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    # --union-default-graph: queries see the union of the pushed named graphs, as the embedded
    # engine does (use_default_graph_as_union).
    process = start([program("oxigraph"), "serve", "--location", str(folder / "data"),
                     "--bind", f"127.0.0.1:{port}", "--union-default-graph"], folder)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_answering(process, f"{base}/query", folder)
        yield Store("oxigraph", f"{base}/store", f"{base}/query")
    finally:
        stop(process)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(folder=folder, sql_port=sql_port, http_port=http_port,
                                       max_rows=VIRTUOSO_MAX_ROWS), encoding="utf-8")
    process = start([program("virtuoso-t"), "+foreground", "+configfile", str(ini)], folder)
    try:
        base = f"http://127.0.0.1:{http_port}"
        wait_until_answering(process, f"{base}/sparql", folder)
        yield Store("virtuoso", f"{base}/sparql-graph-crud-auth", f"{base}/sparql",
                    VIRTUOSO_USER, VIRTUOSO_PASSWORD)
    finally:
        stop(process)


STORES = ("oxigraph", "virtuoso")


@pytest.fixture(scope="module")
def reports() -> dict:
    """The library's push report for each store, pushed the first time a test needs that store."""
    return {}


def pushed_store(request, name: str) -> Store:
    """A store holding the build's four named graphs (one store failing leaves the other testable)."""
    store, done = request.getfixturevalue(name), request.getfixturevalue("reports")
    if name not in done:
        done[name] = push_graph(store.gsp, corpus_dir=CORPUS, user=store.user, password=store.password)
    return store


@pytest.fixture(params=STORES)
def store(request) -> Store:
    return pushed_store(request, request.param)


@pytest.fixture
def pushed_oxigraph(request) -> Store:
    return pushed_store(request, "oxigraph")


@pytest.fixture
def pushed_virtuoso(request) -> Store:
    return pushed_store(request, "virtuoso")


@pytest.fixture(scope="module")
def embedded():
    return open_engine("oxigraph", corpus_dir=CORPUS)


def kg(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def count_in(store: Store, graph: str) -> int:
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    answer = query_endpoint(store.sparql, text, {})
    return int(answer.rows[0][0])


# --- pushing -------------------------------------------------------------------------------------


def test_the_library_pushes_the_four_named_graphs(store, reports, compiled):
    built = compiled[1]
    report = reports[store.name]
    assert report.graphs == tuple((str(GRAPH[name]), len(graph)) for name, graph in built.graphs.items())
    for iri, triples in report.graphs:
        assert count_in(store, iri) == triples


@pytest.mark.parametrize("graph", OUR_GRAPHS)
def test_the_store_holds_exactly_the_graph_pushed(store, embedded, graph):
    """Every term comes back as it went, datatypes and language tags included."""
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    assert query_endpoint(store.sparql, text, {}).comparable() == embedded.query(text).comparable()


def test_kg_push_replaces_the_graphs_so_pushing_twice_changes_nothing(store, compiled):
    credentials = ["--user", store.user] if store.user else []
    result = kg("push", "--endpoint", store.gsp, "--corpus", str(CORPUS), *credentials,
                env={"KG_PUSH_PASSWORD": store.password or ""})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    built = compiled[1]
    assert lines == [f"pushed {len(g)} triples to <{GRAPH[name]}>" for name, g in built.graphs.items()]
    for name, graph in built.graphs.items():
        assert count_in(store, str(GRAPH[name])) == len(graph)


def test_kg_push_graph_loads_the_union_into_one_graph(store, compiled):
    target = "https://w3id.org/ilkg/graph/test-union"
    credentials = ["--user", store.user, "--password", store.password] if store.user else []
    try:
        result = kg("push", "--endpoint", store.gsp, "--corpus", str(CORPUS), "--graph", target,
                    *credentials)
        assert result.exit_code == 0, result.output
        assert result.stdout == f"pushed {len(compiled[1])} triples to <{target}>\n"
        assert count_in(store, target) == len(compiled[1])
    finally:
        requests.delete(store.gsp, params={"graph": target}, auth=store.auth(), timeout=30)
    assert count_in(store, target) == 0


def test_a_built_trig_file_is_pushed_graph_by_graph_or_as_one(oxigraph, tmp_path, compiled):
    path = tmp_path / "ilkg.trig"
    build(CORPUS, path, "trig")
    report = push_graph(oxigraph.gsp, data=path)
    built = compiled[1]
    assert dict(report.graphs) == {str(GRAPH[name]): len(g) for name, g in built.graphs.items()}
    target = "https://w3id.org/ilkg/graph/test-file-union"
    try:
        assert push_graph(oxigraph.gsp, data=path, graph=target).graphs == ((target, len(built)),)
        assert count_in(oxigraph, target) == len(built)
    finally:
        requests.delete(oxigraph.gsp, params={"graph": target}, timeout=30)


def test_a_single_graph_file_needs_a_graph_iri(oxigraph, tmp_path):
    path = tmp_path / "ilkg.ttl"
    build(CORPUS, path, "turtle")
    with pytest.raises(SetupError, match="give --graph IRI"):
        push_graph(oxigraph.gsp, data=path)


def test_a_wrong_password_is_a_clear_error_before_any_data_is_sent(virtuoso):
    result = kg("push", "--endpoint", virtuoso.gsp, "--corpus", str(CORPUS), "--user", "dba",
                "--password", "not-the-password")
    assert result.exit_code == 2
    assert "refused the credentials of user 'dba' (Digest authentication, HTTP 401)" in result.stderr
    assert "Traceback" not in result.output


def test_a_store_that_wants_credentials_says_so(virtuoso):
    expected = r"needs credentials \(Digest authentication, HTTP 401\): give --user and --password"
    with pytest.raises(RemoteError, match=expected):
        push_graph(virtuoso.gsp, corpus_dir=CORPUS)


def test_a_store_error_carries_the_store_message(oxigraph):
    """The query URL is no Graph Store: Oxigraph's explanation reaches the user."""
    with pytest.raises(RemoteError, match=r"refused PUT <.*>: HTTP 4\d\d"):
        push_graph(oxigraph.sparql, corpus_dir=CORPUS)


def test_connection_refused_is_a_clear_error():
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    result = kg("push", "--endpoint", f"{url}/store", "--corpus", str(CORPUS))
    assert result.exit_code == 2
    assert f"cannot connect to {url}/store: connection refused" in result.stderr
    assert "Traceback" not in result.output
    result = kg("query", "--endpoint", f"{url}/query", "timeline")
    assert result.exit_code == 2
    assert f"cannot connect to {url}/query: connection refused" in result.stderr


# --- querying ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_saved_query_gives_the_embedded_answer(store, embedded, name):
    text = QUERIES[name].text
    remote = query_endpoint(store.sparql, text, {}).comparable()
    assert remote == embedded.query(text).comparable()
    assert remote[1], f"{name} returns no rows"


def test_the_labels_for_tables_are_the_same(store, embedded):
    text = internal_query("labels")
    assert query_endpoint(store.sparql, text, {}).comparable() == embedded.query(text).comparable()


PARAMETERISED = [(name, p.name) for name, q in sorted(QUERIES.items()) for p in q.params]


@pytest.mark.parametrize(("name", "param"), PARAMETERISED)
def test_a_parameter_filters_on_the_store_as_on_the_embedded_engine(store, embedded, name, param):
    saved = QUERIES[name]
    free = embedded.query(saved.text)
    column = free.variables.index(param)
    value = Counter(row[column] for row in free.rows if row[column] is not None).most_common(1)[0][0]
    bindings = bind_params(saved, [f"{param}={str(value).rsplit('/', 1)[1]}"])
    remote = query_endpoint(store.sparql, saved.text, bindings)
    assert remote.comparable() == embedded.query(saved.text, bindings).comparable()
    assert remote.rows and all(row[column] == value for row in remote.rows)


@pytest.mark.parametrize(("value", "message"), [
    ("Venezuela", None), ("Caracas", None),
    ("VENZ", "kg: unknown actor 'VENZ' (did you mean 'VEN'?)"),
])
def test_kg_query_endpoint_checks_ids_against_the_store(store, value, message):
    """An id, label or alias is resolved by asking the store, as the local engine is asked."""
    remote = kg("query", "--endpoint", store.sparql, "claims-by-actor", "-p", f"actor={value}", "-f", "csv")
    if message is not None:
        assert remote.exit_code == 2 and remote.stderr.splitlines() == [message]
        return
    assert remote.exit_code == 0, remote.output
    local = kg("query", "--corpus", str(CORPUS), "claims-by-actor", "-p", "actor=VEN", "-f", "csv")
    assert remote.stdout == local.stdout and len(local.stdout.splitlines()) > 2


def test_kg_query_endpoint_prints_what_the_local_engine_prints(store):
    args = ["who-invokes-what-against-whom", "--param", "against=USA", "--format", "csv"]
    remote = kg("query", "--endpoint", store.sparql, *args)
    local = kg("query", "--corpus", str(CORPUS), *args)
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout
    assert len(remote.stdout.splitlines()) > 2


@pytest.mark.parametrize(("query", "answer"), [
    ("ASK { ?c a <https://w3id.org/ilkg/ontology#Claim> }", True),
    ("ASK { ?c a <https://w3id.org/ilkg/ontology#NoSuchClass> }", False),
])
def test_ask(store, query, answer):
    """Virtuoso answers ASK as a SELECT of ?__ASK_RETVAL; the answer is still a boolean."""
    assert query_endpoint(store.sparql, query, {}).boolean is answer


def test_a_hostile_iri_parameter_is_refused_and_not_sent(store, monkeypatch):
    sent = []
    real_send = requests.adapters.HTTPAdapter.send

    def recording_send(adapter, request, *args, **kwargs):
        sent.append(request)
        return real_send(adapter, request, *args, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", recording_send)
    hostile = "x> } ; DROP ALL #"
    result = kg("query", "--endpoint", store.sparql, "claims-against-actor", "--param", f"actor={hostile}")
    assert result.exit_code == 2
    assert f"unknown actor '{hostile}'" in result.stderr and "Traceback" not in result.output
    # the store was asked for the names of its actors (to check the value), never sent the value
    assert sent and not any("DROP" in urllib.parse.unquote_plus(str(r.body)) for r in sent)
    sent.clear()
    # the library refuses it too, whoever built the term
    text = QUERIES["claims-against-actor"].text
    with pytest.raises(QueryError, match="refused: parameter 'actor' is not a valid IRI"):
        query_endpoint(store.sparql, text, {"actor": URIRef(f"https://w3id.org/ilkg/actor/{hostile}")})
    assert sent == []
    monkeypatch.undo()
    assert count_in(store, str(GRAPH["corpus"])) > 0


def test_a_hostile_literal_parameter_is_sent_as_one_literal(store, embedded):
    """A string parameter is data: it matches nothing, runs nothing, and the store is intact."""
    text = "SELECT ?claim ?quote WHERE { ?claim ?p ?quote } ORDER BY ?claim"
    bindings = {"quote": Literal('x" } ; DROP ALL #')}
    assert query_endpoint(store.sparql, text, bindings).rows == []
    assert embedded.query(text, bindings).rows == []
    exact = Literal(embedded.query("SELECT ?q WHERE { ?e <http://www.w3.org/ns/oa#exact> ?q } "
                                   "ORDER BY DESC(STRLEN(?q)) LIMIT 1").rows[0][0])
    found = query_endpoint(store.sparql, text, {"quote": exact}).comparable()
    assert found == embedded.query(text, {"quote": exact}).comparable()
    assert found[1]


def test_sparqlwrapper_reads_the_store_as_any_client_would(store, embedded):
    text = QUERIES["timeline"].text
    client = SPARQLWrapper(store.sparql)
    client.setMethod(POST)
    client.setQuery(text)
    client.setReturnFormat(JSON)
    answer = client.queryAndConvert()
    names = answer["head"]["vars"]
    rows = [tuple(row[n]["value"] if n in row else None for n in names)
            for row in answer["results"]["bindings"]]
    local = embedded.query(text)
    assert names == local.variables
    assert rows == [tuple(None if t is None else str(t) for t in row) for row in local.rows]


def test_an_unknown_query_url_is_a_clear_error(store):
    with pytest.raises(RemoteError, match=r"refused the query: HTTP 404"):
        query_endpoint(store.sparql.rsplit("/", 1)[0] + "/no-such-endpoint", "ASK {}", {})


# --- where Virtuoso differs, precisely -----------------------------------------------------------


def test_virtuoso_default_graph_also_holds_its_system_graphs(pushed_virtuoso, pushed_oxigraph,
                                                              embedded):
    """Without GRAPH, Virtuoso queries every graph it has, its own configuration graphs included
    (virtrdf:, ldp:, ...): the saved queries never match their triples, but a count of everything
    does. The difference is exactly the triples of graphs that are not ours."""
    total = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    ours = int(embedded.query(total).rows[0][0])
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    graphs = query_endpoint(pushed_virtuoso.sparql, per_graph, {})
    theirs = {str(g): int(n) for g, n in graphs.rows if str(g) not in OUR_GRAPHS}
    assert theirs and "http://www.openlinksw.com/schemas/virtrdf#" in theirs
    assert int(query_endpoint(pushed_virtuoso.sparql, total, {}).rows[0][0]) == ours + sum(theirs.values())
    assert int(query_endpoint(pushed_oxigraph.sparql, total, {}).rows[0][0]) == ours


def test_virtuoso_describe_adds_the_triples_that_point_at_the_resource(pushed_virtuoso, pushed_oxigraph,
                                                                        embedded):
    """DESCRIBE's answer is the store's choice (SPARQL 1.1 §16.4): Oxigraph gives the resource's
    own triples, Virtuoso those and the triples whose object it is."""
    usa = URIRef("https://w3id.org/ilkg/actor/USA")
    text = f"DESCRIBE <{usa}>"
    local = embedded.query(text)
    assert query_endpoint(pushed_oxigraph.sparql, text, {}).comparable() == local.comparable()
    remote = query_endpoint(pushed_virtuoso.sparql, text, {})
    extra = set(remote.graph) - set(local.graph)
    assert set(local.graph) <= set(remote.graph)
    assert extra and all(o == usa and s != usa for s, _, o in extra)
    pointing = embedded.query(f"CONSTRUCT {{ ?s ?p <{usa}> }} WHERE {{ ?s ?p <{usa}> }}")
    assert extra == set(pointing.graph)


def test_virtuoso_has_no_datatype_for_language_tagged_strings(pushed_virtuoso, pushed_oxigraph,
                                                               embedded):
    """SPARQL 1.1 gives DATATYPE("x"@en) = rdf:langString; Virtuoso 7.2 leaves it unbound (the
    SPARQL 1.0 rule). Every other datatype of our graphs agrees."""
    text = ("SELECT ?dt (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isLiteral(?o) && "
            "STRSTARTS(STR(?g), 'https://w3id.org/ilkg/graph/')) BIND(DATATYPE(?o) AS ?dt) } "
            "GROUP BY ?dt")
    local = {row[0]: row[1] for row in embedded.query(text).rows}
    assert {row[0]: row[1] for row in query_endpoint(pushed_oxigraph.sparql, text, {}).rows} == local
    remote = {row[0]: row[1] for row in query_endpoint(pushed_virtuoso.sparql, text, {}).rows}
    lang_string = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
    assert remote.pop(None) == local.pop(lang_string)
    assert remote == local


def test_virtuoso_misreads_a_trailing_values_block_so_parameters_go_inside(pushed_virtuoso, embedded):
    """Why :func:`kg.sparql.values.with_values` binds inside the WHERE clause: given a VALUES block after
    the query, Virtuoso 7.2 keeps every row of a subquery and overwrites the variable with the
    value, where the embedded engines (rightly) keep only the matching rows."""
    saved = QUERIES["norms-ranked"]
    bindings = bind_params(saved, ["norm=un-charter-art-2-4"])
    norm = bindings["norm"]
    trailing = f"{saved.text}\nVALUES ?norm {{ <{norm}> }}\n"
    right = embedded.query(trailing)
    assert right.comparable() == embedded.query(saved.text, bindings).comparable()
    wrong = query_endpoint(pushed_virtuoso.sparql, trailing, {})
    assert len(wrong.rows) == len(embedded.query(saved.text).rows) > len(right.rows)
    assert {row[0] for row in wrong.rows} == {norm}
    inside = query_endpoint(pushed_virtuoso.sparql, with_values(saved.text, bindings), {})
    assert inside.comparable() == right.comparable()


def test_virtuoso_reports_a_cut_answer(pushed_virtuoso):
    """Virtuoso stops at ResultSetMaxRows and says so only in a header; kg refuses the partial
    answer rather than passing it off as complete."""
    text = "SELECT ?a ?b WHERE { ?a ?p ?o . ?b ?q ?r }"
    with pytest.raises(RemoteError, match=f"cut the answer at {VIRTUOSO_MAX_ROWS} rows"):
        query_endpoint(pushed_virtuoso.sparql, text, {})


def test_a_parameter_refused_locally_is_a_query_error(store):
    with pytest.raises(QueryError, match="not a valid IRI"):
        query_endpoint(store.sparql, "SELECT ?x WHERE { ?x ?p ?o }", {"x": URIRef("http://a/b c")})


def test_a_row_cap_keeps_the_first_rows_and_says_so(store, embedded):
    text = QUERIES["timeline"].text
    capped = query_endpoint(store.sparql, text, {}, limit=5)
    local = embedded.query(text, limit=5)
    assert capped.truncated and local.truncated
    assert capped.comparable() == local.comparable()
