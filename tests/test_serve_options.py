"""The limits ``kg serve`` takes on its command line reach the running server.

The defaults are checked in tests/test_endpoint_safety.py; here a real ``kg serve`` subprocess is
started with every limit set tighter than its default, and each is observed over HTTP on
127.0.0.1 (or, for the memory cap, in the workers' /proc limits, where the kernel keeps it).
"""

from __future__ import annotations

import dataclasses
import http.client
import os
import re
import signal
import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.load_endpoint import ServedEndpoint
from kg.cli import cli
from kg.endpoint import EndpointConfig

from .conftest import CORPUS, outlive

SMALL_QUERY = "ASK { ?s ?p ?o }"


def post(server, body: bytes) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request("POST", "/sparql", body=body,
                           headers={"Content-Type": "application/sparql-query", "Accept": "text/plain"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def answered(server) -> bool:
    """A small query is answered, once the server has let go of connections other tests closed."""
    for _ in range(100):
        if post(server, SMALL_QUERY.encode())[0] == 200:
            return True
        time.sleep(0.1)
    return False


def address_space_limit(pid: int) -> int | None:
    """The soft RLIMIT_AS of a process in bytes, None when unlimited."""
    limits = Path(f"/proc/{pid}/limits").read_text()
    soft = re.search(r"^Max address space\s+(\S+)", limits, re.MULTILINE).group(1)
    return None if soft == "unlimited" else int(soft)


def virtual_size(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmSize:\s+(\d+) kB", status, re.MULTILINE).group(1)) * 1024


@pytest.fixture(scope="module")
def tight():
    with ServedEndpoint("--workers", "1", "--max-body", "300", "--max-query", "200",
                        "--max-connections", "2", "--client-timeout", "2", "--query-memory", "300",
                        corpus=CORPUS) as server:
        yield server


def test_max_body(tight):
    status, body = post(tight, SMALL_QUERY.encode() + b" " * (301 - len(SMALL_QUERY)))
    assert status == 413
    assert body == b"the request body is 301 bytes, over this server's limit of 300\n"
    assert post(tight, SMALL_QUERY.encode())[0] == 200


def test_max_query(tight):
    status, body = post(tight, (SMALL_QUERY + " #" + "x" * 250).encode("utf-8")[:290])
    assert status == 400
    assert b"over this server's limit of 200" in body


def test_client_timeout(tight):
    with socket.create_connection((tight.host, tight.port), timeout=20) as sock:
        started = time.monotonic()
        assert sock.recv(1024) == b""  # closed unanswered
        assert 1.5 < time.monotonic() - started < 15


def test_max_connections(tight):
    idle = [socket.create_connection((tight.host, tight.port), timeout=10) for _ in range(2)]
    try:
        for _ in range(40):  # until the server has taken both idle connections
            status, body = post(tight, SMALL_QUERY.encode())
            if status != 200:
                break
            time.sleep(0.05)
        assert status == 503 and b"too many open connections" in body
    finally:
        for sock in idle:
            sock.close()


def test_query_memory_caps_each_worker(tight):
    assert answered(tight)  # so the worker has loaded the graph and answered
    (worker,) = tight.worker_pids()
    limit = address_space_limit(worker)
    assert limit is not None
    # The cap is what the worker held once loaded plus 300 MB; it can only have grown since.
    assert 0 < limit - virtual_size(worker) <= 300 * 2**20


def test_query_memory_zero_means_no_cap():
    with ServedEndpoint("--workers", "1", "--query-memory", "0", corpus=CORPUS) as server:
        assert answered(server)
        (worker,) = server.worker_pids()
        assert address_space_limit(worker) is None


def test_option_defaults_are_the_servers(monkeypatch):
    """``kg serve`` with no limits given configures the server exactly as EndpointConfig's defaults."""
    seen = {}

    def capture(config, **_):
        seen["config"] = config
        raise SystemExit(0)

    monkeypatch.setattr("kg.pipeline.open_endpoint", capture)
    result = CliRunner().invoke(cli, ["serve", "--corpus", str(CORPUS)])
    assert result.exit_code == 0, result.output
    defaults = dataclasses.asdict(EndpointConfig())
    configured = dataclasses.asdict(seen["config"])
    assert {key: configured[key] for key in defaults} == defaults


def test_sigterm_stops_the_server_and_its_workers():
    """``kill PID`` stops ``kg serve`` as Ctrl-C does: status 143 and no worker left running."""
    with ServedEndpoint("--workers", "2", corpus=CORPUS) as server:
        assert answered(server)
        workers = server.worker_pids()
        assert len(workers) == 2
        os.kill(server.pid, signal.SIGTERM)
        assert server.process.wait(timeout=60) == 143
        assert outlive(workers) == [], "workers outlived the server"


def test_ctrl_c_stops_the_server_and_its_workers_quietly():
    """Regression: Ctrl-C printed ~38 lines of KeyboardInterrupt tracebacks from the workers.

    A terminal's Ctrl-C signals the whole foreground process group, workers included: a worker
    ignores it (a Ctrl-C that reaches it alone leaves it serving), and the server, stopping,
    ends its workers and says only that it stopped.
    """
    with ServedEndpoint("--workers", "2", corpus=CORPUS, own_group=True) as server:
        assert answered(server)
        workers = server.worker_pids()
        assert len(workers) == 2
        for pid in workers:
            os.kill(pid, signal.SIGINT)
        time.sleep(1)
        assert server.worker_pids() == workers, "a worker died of SIGINT and was replaced"
        assert answered(server)
        server.press_ctrl_c()
        assert server.process.wait(timeout=60) == 0
        assert outlive(workers) == [], "workers outlived the server"
        assert server.log().splitlines() == ["press Ctrl-C to stop", "stopped"]
