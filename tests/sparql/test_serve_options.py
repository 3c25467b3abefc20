"""The limits ``kg serve`` takes on its command line reach the running server.

The defaults are checked in tests/sparql/test_endpoint_safety.py; here a real ``kg serve`` subprocess is
started with every limit set tighter than its default, and each is observed over HTTP on
127.0.0.1 (or, for the memory cap, in the workers' /proc limits, where the kernel keeps it).
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.client
import os
import re
import select
import signal
import socket
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.load_endpoint import ServedEndpoint
from kg.cli import cli
from kg.sparql.endpoint import EndpointConfig

from ..conftest import CORPUS, outlive

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
        with contextlib.suppress(OSError):  # turned away while sending: not yet
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


def trickle(server, head: bytes, every: float = 0.3, give_up: float = 20.0) -> float:
    """Seconds until the server closes a connection that sends ``head``, then a byte every ``every``
    seconds for ever (a header line or a body that never ends); ``give_up`` if it never does."""
    with socket.create_connection((server.host, server.port), timeout=give_up) as sock:
        started = time.monotonic()
        sock.sendall(head)
        while (elapsed := time.monotonic() - started) < give_up:
            try:
                sock.sendall(b"a")
                ready, _, _ = select.select([sock], [], [], every)
                if ready and sock.recv(1024) == b"":
                    return time.monotonic() - started
            except OSError:  # reset: closed all the same
                return time.monotonic() - started
        return elapsed


TRICKLES = {
    "headers": b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: localhost\r\nX-Slow: ",
    "body": b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 250\r\n\r\nASK { ?s ?p ?o } #",
}


@pytest.mark.parametrize("part", sorted(TRICKLES))
def test_a_trickled_request_is_cut_at_the_client_timeout(tight, part):
    """--client-timeout bounds the whole request, not each read: a byte every 0.3 s is cut at 2 s."""
    assert 1.5 < trickle(tight, TRICKLES[part]) < 6


def test_tricklers_hold_the_connections_only_until_the_client_timeout(tight):
    """Two clients trickling hold both connections (--max-connections 2); others get 503 then, and
    answers as soon as the tricklers are cut."""
    assert answered(tight)
    started = time.monotonic()
    tricklers = [threading.Thread(target=trickle, args=(tight, TRICKLES[part])) for part in sorted(TRICKLES)]
    for thread in tricklers:
        thread.start()
    time.sleep(0.5)
    with socket.create_connection((tight.host, tight.port), timeout=10) as turned_away:
        assert turned_away.recv(1024).startswith(b"HTTP/1.1 503 ")
    assert answered(tight)
    assert 1.5 < time.monotonic() - started < 8
    for thread in tricklers:
        thread.join(30)


def test_max_connections(tight):
    idle = [socket.create_connection((tight.host, tight.port), timeout=10) for _ in range(2)]
    try:
        for _ in range(40):  # until the server has taken both idle connections
            # The 503 comes at once, before any request: read it without sending one (a request
            # sent meanwhile may meet the closed connection, a race no server can avoid).
            with socket.create_connection((tight.host, tight.port), timeout=10) as third:
                ready, _, _ = select.select([third], [], [], 1.0)
                answer = third.recv(4096) if ready else b""
            if answer.startswith(b"HTTP/1.1 503 "):
                break
            time.sleep(0.05)
        assert answer.startswith(b"HTTP/1.1 503 ") and b"too many open connections" in answer
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

    monkeypatch.setattr("kg.sparql.endpoint.open_endpoint", capture)
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


def doubling(times: int) -> str:
    """A short query whose one value is 64 characters doubled ``times`` times."""
    binds = ['BIND("' + "0123456789abcdef" * 4 + '" AS ?v0)']
    binds += [f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(times)]
    return f"SELECT ?v{times} WHERE {{ {' '.join(binds)} }}"


@pytest.fixture(scope="module")
def answers():
    with ServedEndpoint("--workers", "1", "--client-timeout", "2", "--max-answer", "16",
                        corpus=CORPUS) as server:
        yield server


def test_max_answer(answers):
    status, body = post(answers, doubling(18).encode())  # 16 MiB of value: over the cap with quotes
    assert status == 400
    assert body == (b"the answer is over this server's limit of 16 MB; ask for fewer or shorter values "
                    b"(a LIMIT, SUBSTR, no long strings built by the query)\n")
    connection = http.client.HTTPConnection(answers.host, answers.port, timeout=30)
    connection.request("POST", "/sparql", body=doubling(17).encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "text/csv"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 200 and int(response.headers["Content-Length"]) == len(body)
    assert body == b"v17\r\n" + b"0123456789abcdef" * 4 * 2**17 + b"\r\n"  # 8 MiB, streamed whole


def test_a_client_that_does_not_read_its_answer_is_cut(answers):
    """The answer is streamed from the worker, so a client that stops reading holds the worker: for
    --client-timeout seconds, then it is cut, the rest of its answer dropped, and the next query
    answered by the same worker."""
    assert answered(answers)
    (worker,) = answers.worker_pids()
    with socket.socket() as slow:
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connecting: a small window
        slow.connect((answers.host, answers.port))
        query = doubling(17).encode()
        slow.sendall(b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query"
                     b"\r\nAccept: text/csv\r\nContent-Length: %d\r\n\r\n%s" % (len(query), query))
        time.sleep(0.5)  # the server is now writing an 8 MiB answer that nobody reads
        started = time.monotonic()
        assert post(answers, SMALL_QUERY.encode())[0] == 200  # waits for the one worker, not for ever
        assert 1.5 < time.monotonic() - started < 15
        assert answers.worker_pids() == [worker]  # the rest was dropped, the worker kept

