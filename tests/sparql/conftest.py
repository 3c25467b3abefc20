"""Fixtures of the SPARQL stage's network tests: a trap for outbound connections and a redirector
to it, standing for the outside world that no query may reach."""

from __future__ import annotations

import http.server
import socket
import threading

import pytest


class Trap:
    """A TCP socket on 127.0.0.1 that is never served: it stands for the outside world.

    ``heard()`` counts the connections made to it since the last call. It reads them from the
    socket's backlog (connections the kernel completed for it), so an attempt counts even though
    nobody accepts it in time, and a client that connects waits for an answer that never comes.
    """

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"

    def heard(self) -> int:
        count = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1

    def close(self) -> None:
        self.sock.close()


class Redirector:
    """An HTTP server on 127.0.0.1 that answers every request with a redirect to ``target``.

    It is a trap too (``heard()`` counts its requests): a client that follows its redirect reaches
    ``target``, so a redirect cannot carry a request past a check that looked at the first URL.
    """

    def __init__(self, target: str):
        requests: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _redirect(self):
                requests.append(self.path)
                self.send_response(307)
                self.send_header("Location", target + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_HEAD = _redirect

            def log_message(self, *args):
                pass

        self._requests = requests
        self._seen = 0
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def heard(self) -> int:
        count, self._seen = len(self._requests) - self._seen, len(self._requests)
        return count

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def trap():
    """A :class:`Trap` for a test module: every outbound request a test provokes must miss it."""
    ear = Trap()
    yield ear
    ear.close()


@pytest.fixture(scope="module")
def redirector(trap):
    """A :class:`Redirector` to ``trap``."""
    relay = Redirector(trap.url)
    yield relay
    relay.close()
