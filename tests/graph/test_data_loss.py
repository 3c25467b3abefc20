"""No data loss: a build writes its output whole or not at all, and never touches the corpus.

A scholar's last good graph must survive every way a build can end early: a corpus error, a
SHACL violation, a writer that fails (disk full, a bug, Ctrl-C) and a ``kill -9`` or power cut in
the middle of writing. These tests drive the public entry points (``kg.graph.pipeline.build`` and
``kg build`` in a subprocess) and look only at the files, so they hold whatever the build does
inside: the output is either the previous file, byte for byte, or a complete new one, identical
to a clean build's.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg.errors import CorpusError, OutputError, ShapeError
from kg.graph import output
from kg.graph.formats import FORMATS
from kg.graph.pipeline import build
from kg.graph.validation import CACHE_NAME

from ..conftest import CORPUS, MINI_DOC, one_document_corpus

KG = [sys.executable, "-c", "from kg.cli import main; main()"]


def fingerprint(root: Path) -> dict[str, tuple]:
    """Every file and folder under ``root``: content hash, size, mode and modification time."""
    state = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        content = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        state[str(path.relative_to(root))] = (content, info.st_size, info.st_mode, info.st_mtime_ns)
    return state


def mini(tmp_path: Path) -> Path:
    """A one-document corpus (builds in a fraction of a second): the catalogues and the wire report."""
    return one_document_corpus(tmp_path / "corpus")


def leftovers(folder: Path, target: Path) -> list[str]:
    """Files in the output folder other than the output and its verdict cache."""
    return sorted(p.name for p in folder.iterdir() if p.name not in (target.name, ".kg-cache"))


# --- a failing build leaves the previous output as it was -------------------------------------


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_corpus_error_keeps_the_previous_output(tmp_path, fmt):
    root = mini(tmp_path)
    target = tmp_path / "out" / f"graph{FORMATS[fmt].extension}"
    build(root, target, fmt, jobs=1)
    previous = target.read_bytes()
    annotation = root / "annotations" / f"{MINI_DOC}.yaml"
    annotation.write_text(annotation.read_text(encoding="utf-8").replace("claimant:", "claimnat:", 1),
                          encoding="utf-8")
    with pytest.raises(CorpusError):
        build(root, target, fmt, jobs=1)
    assert target.read_bytes() == previous
    assert leftovers(target.parent, target) == []


IMPOSSIBLE_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ilk: <https://w3id.org/ilkg/ontology#> .
<urn:kg-test:every-claim-needs-the-impossible> a sh:NodeShape ;
    sh:targetClass ilk:Claim ;
    sh:property [ sh:path <urn:kg-test:never-stated> ; sh:minCount 1 ] .
"""


def test_shacl_violation_keeps_the_previous_output(tmp_path, monkeypatch):
    """pySHACL is given one more shape that every claim violates, as a broken build would."""
    import pyshacl

    root = mini(tmp_path)
    target = tmp_path / "out" / "graph.ttl"
    build(root, target, jobs=1)
    previous = target.read_bytes()
    real_validate = pyshacl.validate

    def stricter(data_graph, *args, shacl_graph=None, **kwargs):
        shapes = rdflib.Graph()
        for triple in shacl_graph:
            shapes.add(triple)
        shapes.parse(data=IMPOSSIBLE_SHAPE, format="turtle")
        return real_validate(data_graph, *args, shacl_graph=shapes, **kwargs)

    monkeypatch.setattr(pyshacl, "validate", stricter)
    with pytest.raises(ShapeError) as caught:
        build(root, target, jobs=1, cache=False)
    assert any("never-stated" in p.message for p in caught.value.problems)
    assert target.read_bytes() == previous
    assert leftovers(target.parent, target) == []


def forget_builds(target: Path) -> None:
    """Drop the record of what ``target`` was built from, so that the next build with the same
    inputs runs (through the parse and verdict caches) instead of leaving the output as it is."""
    (target.parent / CACHE_NAME / "builds.json").unlink()


class _FailingStream:
    """A binary stream that takes ``budget`` bytes, then fails as a full disk or a bug would."""

    def __init__(self, stream, budget: int, error: BaseException):
        self.stream, self.budget, self.error = stream, budget, error

    def write(self, data) -> int:
        if len(data) > self.budget:
            raise self.error
        self.budget -= len(data)
        return self.stream.write(data)

    def __getattr__(self, name):
        return getattr(self.stream, name)


@pytest.mark.parametrize("fmt", ["turtle", "nquads"])
@pytest.mark.parametrize(("error", "expected"), [
    (OSError(28, "No space left on device"), OutputError),
    (RuntimeError("a bug in the writer"), RuntimeError),
    (KeyboardInterrupt(), KeyboardInterrupt),
], ids=["disk-full", "bug", "ctrl-c"])
def test_writer_failing_half_way_keeps_the_previous_output(tmp_path, monkeypatch, fmt, error, expected):
    """The serializer gets a stream that fails after 20 KB: the output is half written when it stops."""
    root = mini(tmp_path)
    target = tmp_path / "out" / f"graph{FORMATS[fmt].extension}"
    build(root, target, fmt, jobs=1)
    previous = target.read_bytes()
    assert len(previous) > 40_000
    real_output = output.atomic_output

    @contextlib.contextmanager
    def failing_output(path, durable=True):
        with real_output(path, durable) as stream:
            yield _FailingStream(stream, 20_000, error)

    monkeypatch.setattr(output, "atomic_output", failing_output)
    forget_builds(target)
    with pytest.raises(expected):
        build(root, target, fmt, jobs=1)
    assert target.read_bytes() == previous
    assert leftovers(target.parent, target) == []


def test_failed_flush_to_disk_keeps_the_previous_output(tmp_path, monkeypatch):
    """fsync failing (an I/O error as the data reaches the disk) is reported; nothing is replaced."""
    root = mini(tmp_path)
    target = tmp_path / "out" / "graph.ttl"
    build(root, target, jobs=1)
    previous = target.read_bytes()

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    forget_builds(target)
    with pytest.raises(OutputError, match="Input/output error"):
        build(root, target, jobs=1)
    assert target.read_bytes() == previous
    assert leftovers(target.parent, target) == []


# --- kill -9 in the middle of a build ---------------------------------------------------------


def _kg(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*KG, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory) -> Path:
    """A synthetic corpus large enough that a build without cache takes a few seconds."""
    folder = tmp_path_factory.mktemp("big")
    done = _kg("synth", "--documents", "30", "--seed", "11", "-o", str(folder / "corpus"), "-q", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder / "corpus"


def _kill_when(root: Path, target: Path, ready, cwd: Path) -> tuple[str, list[str]]:
    """Start ``kg build``, SIGKILL its process group once ``ready(out_folder)`` holds (polled every
    few ms), and say whether it was killed or had finished, with the files then in the folder."""
    process = subprocess.Popen(
        [*KG, "build", "--corpus", str(root), "-o", str(target), "--format", "nt", "--no-cache",
         "-j", "1", "-q"],
        cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while process.poll() is None and not ready(target.parent):
        assert time.monotonic() < deadline, "kg build neither finished nor reached the moment"
        time.sleep(0.002)
    outcome = "finished"
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        outcome = "killed"
    process.wait(timeout=60)
    process.stderr.close()
    return outcome, leftovers(target.parent, target)


def _temporary(folder: Path, min_size: int = 0) -> bool:
    return any(p.name.endswith(".tmp") and p.stat().st_size >= min_size for p in folder.glob(".*"))


def test_kill_9_mid_build_leaves_the_old_or_a_complete_output(tmp_path, big_corpus):
    """SIGKILL at four moments: while loading, once the temporary file exists, once it holds half
    of the graph, and never (the build runs to its end, with a killed build's temporary file still
    lying beside the output). The output path holds the previous file or the complete new one
    (byte-identical to a clean build), never a truncated one."""
    clean = tmp_path / "clean" / "graph.nt"
    done = _kg("build", "--corpus", str(big_corpus), "-o", str(clean), "--format", "nt", "--no-cache",
               "-j", "1", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    complete = clean.read_bytes()
    assert sum(1 for _ in ox.parse(complete, ox.RdfFormat.N_TRIPLES)) > 5_000

    target = tmp_path / "out" / "graph.nt"
    build(CORPUS, target, "nt", jobs=1)  # the scholar's previous graph, of another corpus
    previous = target.read_bytes()
    assert previous != complete

    started = time.monotonic()
    moments = {
        "loading": lambda folder: time.monotonic() - started > 0.3,
        "temporary file created": _temporary,
        "half written": lambda folder: _temporary(folder, len(complete) // 2),
        "never": lambda folder: False,
    }
    seen = {}
    for moment, ready in moments.items():
        if moment != "never":  # so that this moment waits for its own temporary file
            for name in leftovers(target.parent, target):
                (target.parent / name).unlink()
        started = time.monotonic()
        outcome, files = _kill_when(big_corpus, target, ready, tmp_path)
        now = target.read_bytes()
        assert now in (previous, complete), f"{moment}: the output is neither the old nor a whole new graph"
        seen[moment] = (outcome, now == complete)
        # a killed build can leave its temporary file (nothing runs after SIGKILL), never more
        assert all(name.startswith(f".{target.name}.") and name.endswith(".tmp") for name in files), files

    assert seen == {"loading": ("killed", False), "temporary file created": ("killed", False),
                    "half written": ("killed", False), "never": ("finished", True)}


def test_sigterm_mid_build_cleans_up(tmp_path, big_corpus):
    """SIGTERM (``kill PID``, ``timeout``) once the temporary file exists: the build stops with
    status 143, removes its temporary file, and leaves the previous output and no process behind."""
    target = tmp_path / "out" / "graph.nt"
    build(CORPUS, target, "nt", jobs=1)
    previous = target.read_bytes()
    process = subprocess.Popen(
        [*KG, "build", "--corpus", str(big_corpus), "-o", str(target), "--format", "nt", "--no-cache",
         "-j", "2", "-q"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while process.poll() is None and not _temporary(target.parent):
            assert time.monotonic() < deadline, "kg build never created its temporary file"
            time.sleep(0.002)
        assert process.poll() is None, "the build finished before it could be stopped"
        os.kill(process.pid, signal.SIGTERM)  # the build alone, as `kill PID` would
        assert process.wait(timeout=60) == 143
        assert target.read_bytes() == previous
        assert leftovers(target.parent, target) == []
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:  # its workers end too
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail("processes of the stopped build are still running")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.stderr.close()


# --- the corpus is input only ------------------------------------------------------------------


def test_builds_never_modify_the_corpus(tmp_path):
    """A build that succeeds (CLI) and one that fails (library) leave every corpus file as it was:
    same bytes, mode and modification time, and no file added or removed."""
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    before = fingerprint(root)
    done = _kg("build", "--corpus", str(root), "-o", str(tmp_path / "out" / "graph.ttl"), "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert fingerprint(root) == before

    events = root / "catalogues" / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8") + "\n  - id: Bad Id\n", encoding="utf-8")
    before = fingerprint(root)
    with pytest.raises(CorpusError):
        build(root, tmp_path / "out" / "graph.ttl", jobs=1)
    assert fingerprint(root) == before


@pytest.mark.parametrize("inside", [f"documents/{MINI_DOC}.txt", f"annotations/{MINI_DOC}.yaml",
                                    "graph.ttl", "documents/graph.txt"])
def test_an_output_inside_the_corpus_is_refused(tmp_path, inside):
    """-o pointing into the corpus would replace a source text or add a file the next build reads."""
    from kg.errors import SetupError

    corpus = mini(tmp_path)
    before = fingerprint(corpus)
    with pytest.raises(SetupError, match="inside the corpus folder"):
        build(corpus, corpus / inside)
    assert fingerprint(corpus) == before
