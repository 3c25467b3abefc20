"""The endpoint under load: ``benchmarks/load_endpoint.py`` in its small bounded mode.

One run (4 clients, 80 requests, 2 pathological queries, a 3 s time limit) through the script's
own entry point, from a temporary folder: with no ``--results`` it writes its results section to
``build/benchmarks/RESULTS.md`` there (never the committed ``benchmarks/RESULTS.md``), and its
JSON report beside it; the tests read what it found. The reference answers it compares against
are checked here too, against the same queries run in this process on Oxigraph, so a wrong
reference cannot hide a wrong answer.
"""

from __future__ import annotations

import json

import pytest

from benchmarks.load_endpoint import PATHOLOGICAL, SECTION, canonical, main, regular_queries
from benchmarks.results_file import read_section
from kg.sparql.engines import open_engine
from kg.sparql.results import serialize

from ..conftest import CORPUS, REPO

# Two workers holding a small graph, each allowed 1 GB more while answering, plus the server:
# far below this unless memory grows without bound.
RSS_BOUND_KB = 3 * 1024 * 1024


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("load")
    results, report = folder / "build" / "benchmarks" / "RESULTS.md", folder / "report.json"
    results.parent.mkdir(parents=True)
    results.write_text("# Results\n\nWritten by hand; must survive.\n", encoding="utf-8")
    committed = REPO / "benchmarks" / "RESULTS.md"
    before = committed.read_bytes()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        code = main(["--small", "--corpus", str(CORPUS), "--json", str(report)])
    assert committed.read_bytes() == before
    return code, json.loads(report.read_text(encoding="utf-8")), results


def test_no_errors_but_the_deliberate_timeouts(run):
    code, report, _ = run
    assert report["errors"] == {}
    assert code == 0
    assert len(report["records"]) == report["options"]["requests"] == 80
    assert {r["kind"] for r in report["records"] if r["category"] != "pathological"} == {"ok"}


def test_every_pathological_query_was_stopped_by_the_time_limit(run):
    _, report, _ = run
    slow = [r for r in report["records"] if r["category"] == "pathological"]
    assert len(slow) == report["options"]["pathological"] == report["deliberate_timeouts"] == 2
    assert {r["name"] for r in slow} == set(PATHOLOGICAL)
    for record in slow:
        assert (record["status"], record["kind"]) == (503, "timeout")
        assert record["end"] - record["start"] >= report["options"]["timeout"]  # ran its full time


def test_cheap_queries_were_answered_correctly_while_pathological_ones_ran(run):
    _, report, _ = run
    cheap = [r for r in report["records"] if r["category"] == "cheap"]
    assert cheap and all(r["status"] == 200 and r["correct"] is True for r in cheap)
    expensive = [r for r in report["records"] if r["category"] == "expensive"]
    assert expensive and all(r["status"] == 200 and r["correct"] is True for r in expensive)
    slow = [(r["start"], r["end"]) for r in report["records"] if r["category"] == "pathological"]
    during = [r for r in cheap if any(s <= r["start"] and r["end"] <= e for s, e in slow)]
    assert during  # the pathological queries did not starve the others
    assert len(during) == report["cheap_during_pathological"]


def test_reference_answers_are_the_engines_answers(run):
    """What the script compared against is what Oxigraph answers in this process."""
    _, report, _ = run
    engine = open_engine("oxigraph", corpus_dir=CORPUS)
    for job in regular_queries():
        alone = canonical(serialize(engine.query(job.text), "json"))
        assert report["references"][job.name] == alone, job.name


def test_memory_stayed_bounded(run):
    _, report, _ = run
    rss = report["rss"]
    assert rss["samples"] > 0
    assert 0 < rss["peak_server_kb"] <= rss["peak_total_kb"] < RSS_BOUND_KB
    assert 0 < rss["peak_worker_kb"] < rss["peak_total_kb"]
    assert rss["max_processes"] >= 3  # the server and its two workers were all measured


def test_the_report_has_sane_numbers(run):
    _, report, results = run
    assert report["duration"] > 0
    assert report["throughput"] == pytest.approx(80 / report["duration"])
    counts = 0
    for category in ("cheap", "expensive", "pathological"):
        stats = report["latency"][category]
        counts += stats["count"]
        assert 0 < stats["p50"] <= stats["p90"] <= stats["p99"] <= stats["max"]
    assert counts == 80
    section = read_section(results, SECTION)
    assert section is not None and "Written by hand; must survive." in results.read_text()
    assert f"| requests | 80 in {report['duration']:.1f} s |" in section
    assert f"| throughput | {report['throughput']:.1f} req/s |" in section
    assert "| deliberate timeouts (pathological, 503) | 2 of 2 |" in section
    assert "| errors | 0 |" in section
    cheap = report["latency"]["cheap"]
    assert (f"| cheap | {cheap['count']} | {cheap['p50']:.0f} | {cheap['p90']:.0f} | {cheap['p99']:.0f} | "
            f"{cheap['max']:.0f} |") in section
    assert "Machine: CPU: " in section and "; cores: " in section and "; pyoxigraph: " in section
