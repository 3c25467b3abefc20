"""Shared fixtures: the bundled corpus, built once, and small corpora to break on purpose."""

from __future__ import annotations

import contextlib
import http.server
import json
import shutil
import socket
import textwrap
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kg.pipeline import compile_corpus

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SEEDS = REPO.parent / "shared" / "seeds"

# Headless Debian chromium as root with no network: without the background-networking flags it
# keeps trying to reach Google's services, which this machine refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--no-first-run",
    "--no-default-browser-check",
]

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright, one per test module (Playwright's sync API
    keeps an event loop of its own, which should not outlive the module that needs it); a missing
    piece fails with the set-up step that installs it, never a download."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is not installed: run `pip install -e '.[test]'` (the set-up "
                    "step `make test` does this); never `playwright install`")
    executable = str(CHROMIUM) if CHROMIUM.is_file() else shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: run `apt-get install -y chromium` (the set-up step in "
                    ".ci/run); these tests use Debian's chromium, never a downloaded browser")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Watched:
    """A page in a fresh browser context, with everything it did that it must not do: requests it
    was not allowed to make (blocked), console errors and uncaught exceptions, dialogs opened."""

    page: object
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)


@contextlib.contextmanager
def watched(browser, seen: Callable[[object], Watched], *, allowed: Callable[[str], bool],
            init_script: str, timeout_ms: float, forward: Callable[[object], None] | None = None):
    """A page made by ``seen(page)`` in a new context of ``browser``: requests to URLs ``allowed``
    refuses are aborted and recorded, the others go on (through ``forward`` if given);
    ``init_script`` runs before the page's own scripts. The context closes on leaving."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, service_workers="block")
    page = context.new_page()
    watch = seen(page)

    def route(handled):
        if not allowed(handled.request.url):
            watch.outside.append(handled.request.url)
            handled.abort()
        elif forward is not None:
            forward(handled)
        else:
            handled.continue_()

    def dialog(opened):
        watch.dialogs.append(f"{opened.type}: {opened.message}")
        opened.dismiss()

    context.route("**/*", route)
    context.add_init_script(init_script)
    page.on("console", lambda message: message.type == "error" and watch.errors.append(message.text))
    page.on("pageerror", lambda error: watch.errors.append(f"uncaught: {error}"))
    page.on("dialog", dialog)
    page.set_default_timeout(timeout_ms)
    try:
        yield watch
    finally:
        context.close()


# Where a vis-network node is drawn, in page coordinates, after centring the view on it, and the
# node the network finds at that point (for the rendered pages' browser tests).
CENTRE_ON = """([id, scale]) => {
  const network = window.ilkg.network;
  network.moveTo({ position: network.getPosition(id), scale, animation: false });
  network.redraw();
  const box = document.querySelector("#network canvas").getBoundingClientRect();
  const point = network.canvasToDOM(network.getPosition(id));
  return { x: box.left + point.x, y: box.top + point.y, top: network.getNodeAt(point) };
}"""


def running(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie has exited; only its parent's wait is missing)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def outlive(pids, seconds: float = 15) -> list[int]:
    """Those of ``pids`` still running after waiting up to ``seconds`` for them all to end."""
    deadline = time.monotonic() + seconds
    while any(running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [pid for pid in pids if running(pid)]


def http_rows(endpoint, query: str) -> list[dict]:
    """The bindings a running endpoint answers for ``query`` over plain HTTP."""
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(f"{endpoint.url}/sparql", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["results"]["bindings"]


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


# A real seed document for small corpora: the wire report of 3 January 2026.
MINI_DOC = "sg-alarmed-2026-01-03"


@pytest.fixture(scope="session")
def compiled():
    """(corpus, built graph) of the bundled corpus, loaded, built and SHACL-validated once."""
    return compile_corpus(CORPUS)


@pytest.fixture(scope="session")
def corpus(compiled):
    return compiled[0]


@pytest.fixture(scope="session")
def graph(compiled):
    """The union graph of the bundled corpus."""
    return compiled[1].union()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@contextlib.contextmanager
def editor_endpoint(corpus_dir: Path, **config) -> Iterator:
    """``kg serve`` of ``corpus_dir`` on an ephemeral port, with the Yasgui page it must have."""
    from kg.endpoint import EndpointConfig
    from kg.pipeline import open_endpoint

    running = open_endpoint(EndpointConfig(port=0, **config), corpus_dir=corpus_dir).start()
    try:
        if running.server.config.yasgui_dir is None:
            pytest.fail("Yasgui is not installed: run `make editor` at the top of the checkout (the set-up "
                        "step that installs node_modules/@zazuko/yasgui from package-lock.json)")
        yield running
    finally:
        running.close()


def one_document_corpus(root: Path, document: str = MINI_DOC, annotations: bool = True) -> Path:
    """A writable corpus at ``root``: the real catalogues and one real document (with its real
    annotations unless ``annotations`` is false). Builds in a fraction of a second."""
    (root / "documents").mkdir(parents=True, exist_ok=True)
    (root / "annotations").mkdir(exist_ok=True)
    shutil.copytree(CORPUS / "catalogues", root / "catalogues", dirs_exist_ok=True)
    for suffix in (".txt", ".yaml"):
        shutil.copy(CORPUS / "documents" / f"{document}{suffix}", root / "documents")
    if annotations:
        shutil.copy(CORPUS / "annotations" / f"{document}.yaml", root / "annotations")
    for path in root.rglob("*.*"):
        path.chmod(0o644)
    return root


@pytest.fixture
def mini_corpus(tmp_path: Path):
    """A factory: a corpus with the real catalogues, one real document and the given annotations.

    ``mini_corpus(claims_yaml)`` writes ``claims_yaml`` (the text under ``claims:``) as the
    annotation file of the wire report and returns the corpus folder.
    """

    def make(claims_yaml: str, document: str = MINI_DOC) -> Path:
        root = one_document_corpus(tmp_path / "mini", document, annotations=False)
        body = textwrap.dedent(claims_yaml).strip("\n")
        (root / "annotations" / f"{document}.yaml").write_text(
            f"document: {document}\nclaims:\n{textwrap.indent(body, '  ')}\n", encoding="utf-8"
        )
        return root

    return make
