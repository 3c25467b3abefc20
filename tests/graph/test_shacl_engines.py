"""``--shacl-engine``: auto picks pySHACL for small corpora and Jena for large ones when it is
installed; asking for Jena where it is missing is a one-line error; Jena's verdicts share the
cache. (That Jena finds what pySHACL finds is tested with the mutations of
tests/graph/test_validation_units.py.) Java and Debian's libapache-jena-java are needed here."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.corpus.loader import load_corpus
from kg.errors import SetupError
from kg.graph import builder, shacl_jena, validation
from kg.graph.pipeline import build
from kg.graph.validation import Checker, VerdictCache, validate_built

from ..conftest import CORPUS


@pytest.fixture
def no_java(monkeypatch):
    monkeypatch.setattr(shacl_jena, "_java", lambda: None)


@pytest.fixture
def no_jena(monkeypatch, tmp_path):
    monkeypatch.delenv("KG_JENA_CLASSPATH", raising=False)
    monkeypatch.setattr(shacl_jena, "DEBIAN_JARS", tmp_path)


@pytest.mark.parametrize("missing", ["no_java", "no_jena"])
def test_asking_for_jena_where_it_is_missing_says_how_to_install_it(missing, request, tmp_path):
    request.getfixturevalue(missing)
    result = CliRunner().invoke(cli, ["build", "--corpus", str(CORPUS), "-o", str(tmp_path / "g.ttl"),
                                      "--shacl-engine", "jena", "-q"], catch_exceptions=False)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "apt-get install" in lines[0] and "libapache-jena-java" in lines[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "g.ttl").exists()


def test_auto_keeps_pyshacl_for_the_seed_corpus(monkeypatch):
    def no_jvm():
        raise AssertionError("auto started a JVM for the seed corpus")

    monkeypatch.setattr(shacl_jena, "JenaProcess", no_jvm)
    checker = validate_built(builder.build_graph(load_corpus(CORPUS)), engine="auto")
    assert checker.engine == "pyshacl" and checker.checked == len(load_corpus(CORPUS).documents) + 1


def test_auto_uses_jena_when_many_units_need_checking(monkeypatch):
    monkeypatch.setattr(validation, "JENA_FROM", 2)
    monkeypatch.setattr(validation, "BATCH_JENA", 2)
    checker = validate_built(builder.build_graph(load_corpus(CORPUS)), engine="auto")
    assert checker.engine == "jena"
    assert checker.jena is not None and checker.jena.process.poll() is not None  # the JVM ended
    assert not checker.jena.folder.exists()  # and its batch files are gone


def test_auto_falls_back_to_pyshacl_without_java(monkeypatch, no_java):
    monkeypatch.setattr(validation, "JENA_FROM", 2)
    checker = Checker(VerdictCache(None), expected=1000, engine="auto")
    assert checker.engine == "pyshacl"


def test_auto_falls_back_to_pyshacl_when_the_jvm_does_not_start(monkeypatch):
    def broken():
        raise SetupError("Jena SHACL did not start (no javac)")

    monkeypatch.setattr(validation, "JENA_FROM", 2)
    monkeypatch.setattr(shacl_jena, "JenaProcess", broken)
    built = builder.build_graph(load_corpus(CORPUS))
    checker = validate_built(built, engine="auto")
    assert checker.engine == "pyshacl" and checker.checked == len(built.corpus.documents) + 1
    with pytest.raises(SetupError, match="no javac"):
        validate_built(built, engine="jena")


def test_an_unknown_engine_is_refused():
    result = CliRunner().invoke(cli, ["validate", "--corpus", str(CORPUS), "--shacl-engine", "topbraid"],
                                catch_exceptions=False)
    assert result.exit_code == 2 and "topbraid" in result.stderr


def test_jena_builds_the_same_graph_and_its_verdicts_are_cached(corpus_copy, tmp_path):
    by_pyshacl = build(corpus_copy, tmp_path / "a" / "graph.nt", "nt", shacl_engine="pyshacl")
    target = tmp_path / "b" / "graph.nt"
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus_copy), "-o", str(target),
                                      "--format", "nt", "--shacl-engine", "jena", "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "SHACL: conforms" in result.stdout
    assert target.read_bytes() == (tmp_path / "a" / "graph.nt").read_bytes()
    again = build(corpus_copy, target, "nt", shacl_engine="jena")
    assert (again.checked, again.cached) == (0, by_pyshacl.checked)
