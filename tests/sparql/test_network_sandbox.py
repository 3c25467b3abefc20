"""The processes that run queries for others cannot reach the network, whatever the check says.

The query check (kg/sparql/query_check.py) refuses SERVICE and FROM; these tests turn it off for SERVICE
(``WorkerPool(allow_service=True)``, a switch that exists for them) and show that the sandbox
(kg/sparql/sandbox.py) alone keeps every engine from reaching a trap on 127.0.0.1, and that the same
pool without the sandbox does reach it, so the trap can hear and "heard nothing" means something.
Then: the endpoint's workers really run in the sandbox, the sandbox needs no privilege, and where
it cannot be installed ``kg serve`` and ``kg query`` refuse to run (fail closed) unless told.
"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.load_endpoint import ServedEndpoint
from kg.cli import cli
from kg.errors import QueryRefused
from kg.sparql.endpoint import Endpoint, EndpointConfig
from kg.sparql.engines import nquads_of_corpus
from kg.sparql.query_workers import SandboxedEngine, WorkerPool
from kg.sparql.sandbox import NETWORK_REFUSED

from ..conftest import REPO, one_document_corpus

ENGINES = ("oxigraph", "rdflib")
# Each engine's ways out that a query can ask for (the check refuses them all; here it lets SERVICE by).
OUTBOUND = {
    "service": "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "service-hidden-by-a-cr-comment": "SELECT * WHERE {{ ?s ?p ?o # x\rSERVICE <{url}/sparql> "
                                      "{{ ?a ?b ?c }}\n}} LIMIT 1",
    "service-in-a-subquery": "SELECT * WHERE {{ {{ SELECT * WHERE {{ {{ SERVICE <{url}/sparql> "
                             "{{ ?s ?p ?o }} }} }} }} }}",
    "service-in-optional": "SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }} }}",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> str:
    """A one-document corpus: ``kg`` runs over it build in a fraction of a second."""
    return str(one_document_corpus(tmp_path_factory.mktemp("small")))


@pytest.fixture(scope="module")
def nquads(small) -> bytes:
    return nquads_of_corpus(small)


@pytest.fixture(scope="module", params=ENGINES)
def unchecked(request, nquads):
    """Per engine: a sandboxed pool whose check lets SERVICE through, and the same without sandbox."""
    pools = {sandbox: WorkerPool(nquads, 1, engine=request.param, sandbox=sandbox, allow_service=True)
             for sandbox in (True, False)}
    yield pools
    for pool in pools.values():
        pool.close()


def test_without_the_sandbox_an_engine_past_the_check_reaches_the_trap(unchecked, trap):
    """The control: the switch really turns the check off, and the trap hears what reaches it."""
    with pytest.raises(Exception):  # noqa: B017 - the trap never answers: any failure will do
        unchecked[False].run(OUTBOUND["service"].format(url=trap.url), timeout=2)
    assert trap.heard() == 1


def test_without_the_sandbox_a_redirect_is_followed(unchecked, redirector, trap):
    with pytest.raises(Exception):  # noqa: B017
        unchecked[False].run(OUTBOUND["service"].format(url=redirector.url), timeout=2)
    assert redirector.heard() == 1
    trap.heard()  # whether the engine followed the redirect to the trap is its own affair


@pytest.mark.parametrize("vector", sorted(OUTBOUND))
def test_the_sandbox_alone_keeps_an_engine_in(unchecked, trap, redirector, vector):
    for target in (trap, redirector):
        with pytest.raises(QueryRefused, match=re.escape(NETWORK_REFUSED)):
            unchecked[True].run(OUTBOUND[vector].format(url=target.url), timeout=10)
    assert trap.heard() == 0 and redirector.heard() == 0
    # SILENT turns the failure into no answer (Oxigraph: the empty solution); nothing leaves.
    silent = OUTBOUND["service"].replace("SERVICE", "SERVICE SILENT").format(url=trap.url)
    assert unchecked[True].run(silent, timeout=10).rows in ([], [(None, None, None)])
    assert trap.heard() == 0
    assert unchecked[True].run("ASK { ?s ?p ?o }", timeout=10).boolean is True  # still serving


def test_the_sandboxed_engine_of_kg_query_refuses_in_the_worker(nquads, trap):
    """``kg query`` without --allow-service runs a SandboxedEngine; past its check, the same holds."""
    with SandboxedEngine(WorkerPool(nquads, 1, allow_service=True)) as engine:
        with pytest.raises(QueryRefused, match=re.escape(NETWORK_REFUSED)):
            engine.query(OUTBOUND["service-hidden-by-a-cr-comment"].format(url=trap.url))
        assert engine.labels()  # and answers the queries it should
    assert trap.heard() == 0


def test_the_endpoint_past_its_check_answers_403_and_sends_nothing(nquads, trap):
    """Over HTTP: an endpoint whose workers let SERVICE past the check still sends no request."""
    running = Endpoint(EndpointConfig(port=0, workers=1, timeout=10), nquads).start()
    try:
        running.pool.close()
        running.pool = running.server.pool = WorkerPool(nquads, 1, allow_service=True)
        for vector in sorted(OUTBOUND):
            status, body = ask(f"{running.url}/sparql", OUTBOUND[vector].format(url=trap.url))
            assert status == 403, body
            assert json.loads(body) == {"status": "ERROR", "kind": "refused", "exception": NETWORK_REFUSED}
    finally:
        running.close()
    assert trap.heard() == 0


def ask(url: str, query: str) -> tuple[int, bytes]:
    """(status, body) of a GET of ``query`` from the endpoint at ``url`` (.../sparql)."""
    split = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(split.hostname, split.port, timeout=60)
    try:
        connection.request("GET", f"{split.path}?{urllib.parse.urlencode({'query': query})}",
                           headers={"Accept": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def proc_status(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


def test_the_endpoints_workers_run_in_the_sandbox_and_the_server_does_not(small):
    with ServedEndpoint("--workers", "2", corpus=Path(small)) as server:
        workers = server.worker_pids()
        assert len(workers) == 2
        for pid in workers:
            status = proc_status(pid)
            assert status["Seccomp"].strip() == "2" and status["NoNewPrivs"].strip() == "1"
        assert proc_status(server.pid)["Seccomp"].strip() == "0"  # it must accept connections


# A child that drops to an unprivileged user (when it starts as root), then shuts itself off.
UNPRIVILEGED = """
import encodings.idna, os, socket, sys
from kg.sparql.sandbox import shut_network
import pyseccomp
if os.getuid() == 0:
    os.setgroups([]); os.setgid(65534); os.setuid(65534)
shut_network()
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
except PermissionError:
    print("refused")
a, b = socket.socketpair()
a.sendall(b"ok"); print(b.recv(2).decode(), os.getuid() != 0)
"""


def test_the_sandbox_needs_no_privilege(trap):
    child = subprocess.run([sys.executable, "-c", UNPRIVILEGED, str(trap.port)], capture_output=True,
                           text=True, timeout=60, cwd=REPO)
    assert child.stdout.split() == ["refused", "ok", "True"], child.stderr
    assert trap.heard() == 0


# A kernel or container that forbids seccomp, as the parent of kg: the seccomp() system call is
# missing and prctl(PR_SET_SECCOMP) is refused, as on a kernel built without seccomp filters.
NO_SECCOMP = """
import errno, pyseccomp as seccomp
rules = seccomp.SyscallFilter(seccomp.ALLOW)
rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "seccomp")
rules.add_rule(seccomp.ERRNO(errno.EINVAL), "prctl", seccomp.Arg(0, seccomp.EQ, 22))
rules.load()
from kg.cli import main
main()
"""


def kg_without_seccomp(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", NO_SECCOMP, *args], capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


def test_without_seccomp_kg_serve_refuses_to_start(small):
    done = kg_without_seccomp("serve", "--port", "0", "--corpus", small, "--workers", "1")
    assert done.returncode == 2
    assert done.stdout == ""
    message = done.stderr.strip()
    assert message.startswith("kg: cannot shut the query workers off from the network")
    assert "--no-network-sandbox" in message and "Traceback" not in message


def test_without_seccomp_kg_serve_runs_only_when_told(trap, small):
    command = [sys.executable, "-c", NO_SECCOMP, "serve", "--port", "0", "--corpus", small,
               "--workers", "1", "--no-network-sandbox"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              stdin=subprocess.DEVNULL)
    try:
        url = server.stdout.readline().split(": ", 1)[1].strip()
        status, body = ask(url, OUTBOUND["service"].format(url=trap.url))
        assert status == 403 and b"SERVICE is refused" in body  # the check still holds
    finally:
        server.terminate()
        server.wait(30)
    assert trap.heard() == 0


def test_without_seccomp_kg_query_refuses_unless_allow_service(small):
    done = kg_without_seccomp("query", "--corpus", small, "-e", "ASK { ?s ?p ?o }")
    assert done.returncode == 2 and done.stdout == ""
    assert "cannot shut the query workers off from the network" in done.stderr
    assert "--allow-service" in done.stderr
    done = kg_without_seccomp("query", "--corpus", small, "--allow-service", "-e", "ASK { ?s ?p ?o }")
    assert (done.returncode, done.stdout) == (0, "yes\n"), done.stderr


@pytest.mark.parametrize("engine", ENGINES)
def test_kg_query_sends_nothing_for_a_hidden_service(engine, trap, small):
    for vector in sorted(OUTBOUND):
        result = CliRunner().invoke(cli, ["query", "--corpus", small, "--engine", engine,
                                          "-e", OUTBOUND[vector].format(url=trap.url)],
                                    catch_exceptions=False)
        assert result.exit_code == 2 and "SERVICE is refused" in result.stderr, result.output
    assert trap.heard() == 0


REMOTE_CONTEXT = '{"@context": "%s/context.jsonld", "@id": "urn:x:a", "name": "a"}'


@pytest.mark.parametrize("engine", ENGINES)
def test_kg_query_fetches_no_json_ld_context(engine, trap, tmp_path):
    """rdflib's JSON-LD reader fetches a remote @context; in the sandbox it cannot."""
    data = tmp_path / "remote-context.jsonld"
    data.write_text(REMOTE_CONTEXT % trap.url, encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", "--data", str(data), "--engine", engine,
                                      "-e", "ASK { ?s ?p ?o }"], catch_exceptions=False)
    assert result.exit_code == 2 and result.stderr.startswith("kg: cannot read the graph"), result.output
    assert trap.heard() == 0


def test_kg_serve_fetches_no_json_ld_context(trap, tmp_path):
    data = tmp_path / "remote-context.jsonld"
    data.write_text(REMOTE_CONTEXT % trap.url, encoding="utf-8")
    with pytest.raises(RuntimeError, match="cannot read the graph"):
        ServedEndpoint("--workers", "1", data=data)
    assert trap.heard() == 0
