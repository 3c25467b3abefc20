"""The kg command through click's CliRunner: results on stdout, errors on stderr, exit codes."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import FORMAT_NAMES, cli
from kg.graph.formats import FORMATS

from .conftest import CORPUS, REPO


@pytest.fixture
def runner():
    return CliRunner()


def test_build_writes_the_graph_and_prints_a_summary(runner, tmp_path):
    target = tmp_path / "out" / "graph.ttl"
    result = runner.invoke(cli, ["build", "--corpus", str(CORPUS), "-o", str(target)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.stdout
    assert re.search(r"5 documents, \d+ claims by \d+ claimants", result.stdout)
    assert len(Graph().parse(target)) > 1000


def test_build_defaults_to_build_folder(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").symlink_to(CORPUS)
    result = runner.invoke(cli, ["build", "--format", "nt"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "ilkg.nt").is_file()


def test_validate_passes_on_the_bundled_corpus(runner):
    result = runner.invoke(cli, ["validate", "--corpus", str(CORPUS)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("valid:")


def test_validate_reports_problems_on_stderr_with_exit_1(runner, corpus_copy):
    annotation = corpus_copy / "annotations" / "sg-alarmed-2026-01-03.yaml"
    text = annotation.read_text(encoding="utf-8")
    annotation.write_text(text.replace("claimant: VEN", "claimant: VENN", 1), encoding="utf-8")
    result = runner.invoke(cli, ["validate", "--corpus", str(corpus_copy)], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert re.match(rf"error: {re.escape(str(annotation))}:\d+: claim '[^']+': unknown actor 'VENN' "
                    r"\(did you mean 'VEN'\?\)", first), first
    assert "Traceback" not in result.stderr


def test_missing_corpus_exits_2(runner, tmp_path):
    result = runner.invoke(cli, ["validate", "--corpus", str(tmp_path / "none")], catch_exceptions=False)
    assert result.exit_code == 2
    assert "no corpus at" in result.stderr


def test_stats_prints_counts(runner, corpus):
    result = runner.invoke(cli, ["stats", "--corpus", str(CORPUS)], catch_exceptions=False)
    assert result.exit_code == 0
    counts = dict(re.findall(r"^(\w[\w ]*?)\s+(\d+)$", result.stdout, flags=re.M))
    assert int(counts["documents"]) == 5
    assert int(counts["claims"]) == len(corpus.claims)
    assert int(counts["claimants"]) == len({c.claimant for c in corpus.claims.values()})


def test_format_choices_match_the_registry():
    assert set(FORMAT_NAMES) == set(FORMATS)


def test_every_command_has_help_with_an_example_and_is_in_the_readme(runner):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        result = runner.invoke(cli, [name, "--help"], catch_exceptions=False)
        assert result.exit_code == 0
        assert "Example" in result.stdout, name
        assert f"kg {name}" in readme, f"README does not mention `kg {name}`"


def test_export_help_names_every_registered_format(runner):
    from kg.argument.exporters import EXPORTERS

    help_text = runner.invoke(cli, ["export", "--help"], catch_exceptions=False).stdout
    for name in EXPORTERS:
        assert name in help_text
