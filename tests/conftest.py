"""Shared fixtures: the bundled corpus, built once, and small corpora to break on purpose."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import textwrap
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.graph.pipeline import compile_corpus

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


# Collects the page's CSP violations as "directive blocked URI (file:line)" strings in
# window.__cspViolations; Playwright runs init scripts whatever the page's CSP says.
RECORD_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI} (${where})`);
});
"""


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
    from kg.sparql.endpoint import EndpointConfig, open_endpoint

    running = open_endpoint(EndpointConfig(port=0, **config), corpus_dir=corpus_dir).start()
    try:
        if running.server.config.yasgui_dir is None:
            pytest.fail("Yasgui is not installed: run `make editor` at the top of the checkout (the set-up "
                        "step that installs node_modules/@zazuko/yasgui from package-lock.json)")
        yield running
    finally:
        running.close()


# A relation field of an annotation, written as the corpus writes them: a flow list, perhaps over
# several lines ("rebuts: [a, b,\n             c]").
_RELATION = re.compile(r"^(?P<indent>[ ]+)(?P<key>rebuts|undercuts|undermines|attacks|supports): "
                       r"\[(?P<ids>[^\]]*)\]", re.MULTILINE)


def standalone_annotation(document: str = MINI_DOC) -> str:
    """The real annotation file of ``document`` without its relations to claims of other documents.

    The real claims answer each other across documents (a US justification in one rebuts an
    allegation in another), so one document's annotations alone name claims a one-document corpus
    does not have. Everything else stays as written, line for line: a dropped id leaves its lines
    blank, so that a line number in the copy is the line number in the real file.
    """
    text = (CORPUS / "annotations" / f"{document}.yaml").read_text(encoding="utf-8")
    own = set(re.findall(r"^  - id: (\S+)$", text, re.MULTILINE))

    def keep(match: re.Match) -> str:
        ids = [i.strip() for i in match["ids"].split(",") if i.strip()]
        kept = ", ".join(i for i in ids if i in own)
        return f"{match['indent']}{match['key']}: [{kept}]" + "\n" * match["ids"].count("\n")

    return _RELATION.sub(keep, text)


def one_document_corpus(root: Path, document: str = MINI_DOC, annotations: bool = True) -> Path:
    """A writable corpus at ``root``: the real catalogues and one real document (with its real
    annotations, less their relations to claims of other documents, unless ``annotations`` is
    false). Builds in a fraction of a second."""
    (root / "documents").mkdir(parents=True, exist_ok=True)
    (root / "annotations").mkdir(exist_ok=True)
    shutil.copytree(CORPUS / "catalogues", root / "catalogues", dirs_exist_ok=True)
    for suffix in (".txt", ".yaml"):
        shutil.copy(CORPUS / "documents" / f"{document}{suffix}", root / "documents")
    if annotations:
        (root / "annotations" / f"{document}.yaml").write_text(standalone_annotation(document),
                                                                encoding="utf-8")
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
