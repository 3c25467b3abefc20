"""Same input, same bytes; writes are atomic; a failed build leaves the last good output alone."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.errors import CorpusError, OutputError
from kg.graph import output
from kg.graph.formats import FORMATS
from kg.graph.pipeline import build

from ..conftest import REPO


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
        code = (f"from kg.graph.pipeline import build; "
                f"build({str(REPO / 'corpus')!r}, {str(target)!r}, {fmt!r})")
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


def special_files(tmp_path):
    """A named pipe, a Unix socket, a symbolic link to a character device and a folder, by name."""
    import socket

    os.mkfifo(tmp_path / "pipe")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(tmp_path / "socket"))
    (tmp_path / "null").symlink_to(os.devnull)  # a link: should the check fail, the link goes, not /dev/null
    (tmp_path / "folder").mkdir()
    return listener, {"pipe": "a named pipe (FIFO)", "socket": "a socket", "null": "a character device",
                      "folder": "a folder"}


def test_only_a_regular_file_is_ever_replaced(tmp_path):
    """Issue 13 item 13: ``-o`` onto a FIFO or a device replaced it with a regular file (as root,
    ``-o /dev/null`` would have replaced /dev/null)."""
    import stat

    listener, kinds = special_files(tmp_path)
    with listener:
        before = {name: os.lstat(tmp_path / name) for name in kinds}
        for name, kind in kinds.items():
            with pytest.raises(OutputError) as caught:
                output.write_atomic(tmp_path / name, b"new")
            assert str(caught.value) == (f"cannot write '{tmp_path / name}': it is {kind}, which kg never "
                                         "replaces; give the name of a regular file")
        after = {name: os.lstat(tmp_path / name) for name in kinds}
    assert {n: (s.st_mode, s.st_ino) for n, s in after.items()} == {
        n: (s.st_mode, s.st_ino) for n, s in before.items()}
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kinds)  # no temporary file left


def test_a_special_file_appearing_during_the_write_is_not_replaced(tmp_path):
    target = tmp_path / "graph.ttl"
    with pytest.raises(OutputError, match="it is a named pipe"), output.atomic_output(target) as stream:
        stream.write(b"new")
        os.mkfifo(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


@pytest.mark.parametrize(("path", "message"), [
    ("", "empty output path; give the name of a file to write"),
    ("afile/out.ttl", "cannot write 'afile/out.ttl': 'afile' is a file, not a folder"),
    ("afile/deeper/out.ttl", "cannot write 'afile/deeper/out.ttl': 'afile' is a file, not a folder"),
    (".", "cannot write '.': it names a folder; give the name of a file in it"),
])
def test_impossible_output_paths_say_why(tmp_path, monkeypatch, path, message):
    """``-o ''`` said "Device or resource busy" and ``-o afile/out.ttl`` "File exists"."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_bytes(b"kept")
    with pytest.raises(OutputError) as caught:
        output.write_atomic(path, b"new")
    assert str(caught.value) == message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


@pytest.mark.parametrize("command", [["build", "--corpus", str(REPO / "corpus")], ["docs"],
                                     ["timeline"], ["render"], ["export", "-f", "dot"]])
def test_the_commands_refuse_special_files_and_empty_paths(tmp_path, command):
    """Refused before any work is done, with one line and exit 2; click refuses folders itself
    where an option takes only files."""
    from click.testing import CliRunner

    from kg.cli import cli

    listener, kinds = special_files(tmp_path)
    with listener:
        for name, kind in kinds.items():
            result = CliRunner().invoke(cli, [*command, "-o", str(tmp_path / name)], catch_exceptions=False)
            assert result.exit_code == 2, result.output
            if name == "folder" and command[0] != "build":
                assert f"'{tmp_path / name}' is a directory" in result.stderr
                continue
            assert result.stderr == (f"kg: cannot write '{tmp_path / name}': it is {kind}, which kg never "
                                     "replaces; give the name of a regular file\n")
    assert not (tmp_path / "pipe").is_file()
    result = CliRunner().invoke(cli, [*command, "-o", ""], catch_exceptions=False)
    assert result.exit_code == 2
    assert "Invalid value for '-o' / '--output': empty output path; give the name of a file to write" \
        in result.stderr
