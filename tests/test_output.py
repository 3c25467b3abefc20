"""Same input, same bytes; writes are atomic; a failed build leaves the last good output alone."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg import output
from kg.errors import CorpusError, OutputError
from kg.formats import FORMATS
from kg.pipeline import build

from .conftest import REPO


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_parses_back_to_the_same_graph(compiled, fmt):
    built = compiled[1]
    data = FORMATS[fmt].serialize(built)
    rdflib_format = FORMATS[fmt].rdflib_format
    if FORMATS[fmt].dataset:
        parsed = Dataset()
        parsed.parse(data=data, format=rdflib_format)
        for name, graph in built.graphs.items():
            named = parsed.graph(f"https://w3id.org/ilkg/graph/{name}")
            assert isomorphic(named, graph), name
    else:
        assert isomorphic(Graph().parse(data=data, format=rdflib_format), built.union())


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_same_input_gives_identical_bytes_across_processes(tmp_path, fmt):
    """Two builds in fresh interpreters with different hash seeds write the same bytes."""
    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"{seed}{FORMATS[fmt].extension}"
        code = f"from kg.pipeline import build; build({str(REPO / 'corpus')!r}, {str(target)!r}, {fmt!r})"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=tmp_path)
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_build_never_touches_the_corpus(corpus_copy, tmp_path):
    before = {p: p.read_bytes() for p in corpus_copy.rglob("*") if p.is_file()}
    build(corpus_copy, tmp_path / "out.ttl")
    after = {p: p.read_bytes() for p in corpus_copy.rglob("*") if p.is_file()}
    assert before == after


def test_failed_build_leaves_previous_output_untouched(corpus_copy, tmp_path):
    target = tmp_path / "graph.ttl"
    build(corpus_copy, target)
    good = target.read_bytes()
    annotation = next((corpus_copy / "annotations").glob("*.yaml"))
    annotation.write_text(annotation.read_text(encoding="utf-8").replace("stance:", "stanse:", 1),
                          encoding="utf-8")
    with pytest.raises(CorpusError):
        build(corpus_copy, target)
    assert target.read_bytes() == good
    # no temporary file left; .kg-cache/ holds the SHACL verdicts of the first build
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kg-cache", "corpus", "graph.ttl"]


def test_failure_while_writing_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", broken_replace)
    with pytest.raises(OutputError, match="No space left"):
        output.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_failed_first_build_creates_no_file(corpus_copy, tmp_path):
    (corpus_copy / "catalogues" / "events.yaml").write_text("events: [\n", encoding="utf-8")
    with pytest.raises(CorpusError):
        build(corpus_copy, tmp_path / "new" / "graph.ttl")
    assert not (tmp_path / "new" / "graph.ttl").exists()
