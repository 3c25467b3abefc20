"""The benchmark script runs end to end and its numbers hang together (never how fast they are).

``benchmarks/run.py --small`` is run once, as a user runs it, from a temporary folder: with no
``--results`` it writes ``build/benchmarks/RESULTS.md`` there, never the repository's own
``benchmarks/RESULTS.md``. The tests then read the markdown it wrote and the JSON of its samples.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.results_file import ensure_preamble, read_section, update_section

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "benchmarks" / "run.py"
SECTIONS = ("machine", "targets", "startup", "build", "queries")
HAND_WRITTEN = "## Discussion\n\nKept across runs: written by hand.\n"
OTHER_SECTION = "rows of another script"


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """One small run, into a results file that already has hand-written text and another section."""
    folder = tmp_path_factory.mktemp("bench")
    results = folder / "build" / "benchmarks" / "RESULTS.md"  # where it goes when --results is not given
    results.parent.mkdir(parents=True)
    results.write_text("# Results\n\n" + HAND_WRITTEN, encoding="utf-8")
    update_section(results, "load", OTHER_SECTION)
    repo_results = REPO / "benchmarks" / "RESULTS.md"
    before = repo_results.read_bytes()
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--small", "--json", str(folder / "r.json"),
         "--workdir", str(folder / "work")],
        cwd=folder, capture_output=True, text=True, timeout=900,  # a guard against a hang, not a target
    )
    after = repo_results.read_bytes()
    data = json.loads((folder / "r.json").read_text("utf-8")) if (folder / "r.json").exists() else None
    return {"done": done, "results": results, "data": data, "repo_untouched": before == after}


def rows_of(markdown: str) -> list[list[str]]:
    """The body rows of the markdown tables in ``markdown``, as lists of cells."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def printed_ratio(cell: str) -> float:
    return float(cell.rstrip("×"))


def assert_same_ratio(cell: str, exact: float) -> None:
    """The rounded ratio in the table is the exact ratio of the medians, to the digits shown."""
    digits = cell.rstrip("×").split(".")
    step = 10.0 ** -len(digits[1]) if len(digits) == 2 else 1.0
    assert abs(printed_ratio(cell) - exact) <= step / 2 + 1e-9, (cell, exact)


def test_runs_without_errors_and_leaves_other_text_alone(bench):
    done = bench["done"]
    assert done.returncode == 0, done.stderr[-3000:]
    assert bench["data"]["errors"] == []
    text = bench["results"].read_text("utf-8")
    for name in SECTIONS:
        assert read_section(bench["results"], name), f"section {name} missing or empty"
    assert read_section(bench["results"], "load") == OTHER_SECTION
    assert HAND_WRITTEN in text
    assert bench["repo_untouched"]


def test_every_row_is_there(bench):
    data, results = bench["data"], bench["results"]
    assert [c["label"] for c in data["corpora"]] == ["seed", "5", "20"]
    startup = [row[0] for row in rows_of(read_section(results, "startup"))]
    assert startup[1:] == [c["name"] for c in data["startup"]["commands"]]
    # the header, the baseline, click, rdfpipe, --help, --list, serve --help, a query on the seed graph
    assert len(startup) == 8
    build = rows_of(read_section(results, "build"))
    assert build[0][1:] == ["seed corpus", "5 documents", "20 documents"]
    for label in ("build, cold", "build, warm", "build after editing one annotation", "`--no-cache`",
                  "same bytes", "peak memory of a cold build, process tree", "largest process"):
        assert any(label in row[0] for row in build), label
    assert [c["identical"] for c in data["corpora"]] == [True, True, True]
    steps = [row[1] for row in rows_of(read_section(results, "queries"))[1:]]
    labels = list(data["corpora"][0]["queries"].values())
    assert steps == (["load the built file", *labels, "peak memory of the process (RSS, MB)"] * 3)
    targets = rows_of(read_section(results, "targets"))
    assert len(targets) == 1 + 3 + 1 + 5 + 2  # start-up, seed, 10,000 documents, queries
    assert all(row[2] in ("yes", "**no**", "not measured") for row in targets[1:])


def positive_numbers(data: dict):
    """Every measured number in the JSON: samples, medians, memory, counts."""
    for command in data["startup"]["commands"]:
        yield from command["samples"]
        yield command["median"]
    for corpus in data["corpora"]:
        yield from (corpus["triples"], corpus["claims"], corpus["documents"])
        if corpus["synthesize"] is not None:
            yield corpus["synthesize"]
        for build in corpus["builds"].values():
            yield from build["samples"]
            yield from (build["median"], build["max_rss"])
            if build["tree_peak"] is not None:
                yield build["tree_peak"]
        for engine in corpus["engines"].values():
            yield from engine["load"]
            yield from (engine["max_rss"], engine["quads"])
            for query in engine["queries"].values():
                yield from query["seconds"]


def test_every_number_is_finite_and_positive(bench):
    numbers = list(positive_numbers(bench["data"]))
    assert len(numbers) > 50
    for number in numbers:
        assert isinstance(number, int | float) and math.isfinite(number) and number > 0, number


def test_ratios_come_from_the_medians(bench):
    data, results = bench["data"], bench["results"]
    commands = data["startup"]["commands"]
    baseline = statistics.median(commands[0]["samples"])
    table = {row[0]: row for row in rows_of(read_section(results, "startup"))}
    for command in commands:
        assert command["median"] == statistics.median(command["samples"])
        assert command["ratio"] == pytest.approx(command["median"] / baseline)
        assert_same_ratio(table[command["name"]][2], command["ratio"])
    # The kg commands against the yardsticks of issue 17: click's import and rdflib's rdfpipe.
    medians = {command["name"]: command["median"] for command in commands}
    click, pipe = (next(name for name in medians if name.startswith(start))
                   for start in ('`python -c "import click"', "`rdfpipe"))
    for name in ("`kg --help`", "`kg query --list`", "`kg serve --help`"):
        versus_click, versus_pipe = table[name][3].split(", ")
        assert_same_ratio(versus_click.removesuffix(" click"), medians[name] / medians[click])
        assert_same_ratio(versus_pipe.removesuffix(" rdfpipe"), medians[name] / medians[pipe])
    for corpus in data["corpora"]:
        for engine in corpus["engines"].values():
            for query in engine["queries"].values():
                assert query["median"] == statistics.median(query["seconds"])
    # Each query row's rdflib ÷ oxigraph is the ratio of the two medians of that corpus.
    rows = rows_of(read_section(results, "queries"))[1:]
    per_corpus = [rows[i:i + len(rows) // 3] for i in range(0, len(rows), len(rows) // 3)]
    for corpus, group in zip(data["corpora"], per_corpus, strict=True):
        ox, rd = corpus["engines"]["oxigraph"], corpus["engines"]["rdflib"]
        assert_same_ratio(group[0][4], rd["load_median"] / ox["load_median"])
        for name, row in zip(corpus["queries"], group[1:-1], strict=True):
            assert_same_ratio(row[4], rd["queries"][name]["median"] / ox["queries"][name]["median"])


def test_graphs_grow_with_the_corpus(bench):
    five, twenty = bench["data"]["corpora"][1:]
    assert (five["documents"], twenty["documents"]) == (5, 20)
    assert twenty["claims"] > five["claims"] > 0
    assert twenty["triples"] > five["triples"] > 0


def test_engines_load_the_same_graph_and_agree(bench):
    for corpus in bench["data"]["corpora"]:
        ox, rd = corpus["engines"]["oxigraph"], corpus["engines"]["rdflib"]
        assert ox["status"] == rd["status"] == "ok"
        # The engines load the graph of the last build, made after the edits.
        assert ox["quads"] == rd["quads"] == corpus["builds"]["no-cache"]["triples"]
        assert set(ox["queries"]) == set(rd["queries"]) == set(corpus["queries"])
        for name in corpus["queries"]:
            assert ox["queries"][name]["rows"] == rd["queries"][name]["rows"]
            assert ox["queries"][name]["agree"] is rd["queries"][name]["agree"] is True
    # The answers are not empty where the synthetic corpus has claims under the instrument.
    assert bench["data"]["corpora"][2]["engines"]["oxigraph"]["queries"]["who-invokes-counts"]["rows"] > 0


def test_the_cache_shows_in_what_each_build_validates(bench):
    """Cold and --no-cache builds validate every unit, warm none, an edited document one."""
    for corpus in bench["data"]["corpora"]:
        units = corpus["documents"] + 1  # every document and the shared unit
        builds = corpus["builds"]
        assert builds["cold"]["validated"] == builds["no-cache"]["validated"] == units
        assert builds["warm"]["validated"] == 0
        assert builds["edited"]["validated"] == 1
        assert builds["warm"]["triples"] == builds["cold"]["triples"] == corpus["triples"]
        # The edit changes a note, or adds one (one triple more) where the claim had none.
        assert builds["edited"]["triples"] - corpus["triples"] in (0, 1)
        assert builds["no-cache"]["triples"] == builds["edited"]["triples"]


def test_update_section_creates_appends_and_replaces(tmp_path):
    path = tmp_path / "sub" / "R.md"
    update_section(path, "a", "one")
    update_section(path, "b", "two\n")
    path.write_text(path.read_text("utf-8") + "\nhand-written\n", encoding="utf-8")
    update_section(path, "a", "three")
    text = path.read_text("utf-8")
    assert text.startswith("<!-- begin a -->\nthree\n<!-- end a -->")
    assert read_section(path, "b") == "two"
    assert text.endswith("hand-written\n")
    assert [p.name for p in path.parent.iterdir()] == ["R.md"]  # no temporary file left behind
    assert path.stat().st_mode & 0o777 == 0o666 & ~current_umask()  # as any new file, not 0600
    path.chmod(0o640)
    update_section(path, "b", "four")
    assert path.stat().st_mode & 0o777 == 0o640  # a rewrite keeps the file's mode


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_update_section_refuses_a_broken_file(tmp_path):
    path = tmp_path / "R.md"
    path.write_text("<!-- begin a -->\nhalf a section, written by hand\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no '<!-- end a -->'"):
        update_section(path, "a", "new")
    assert path.read_text("utf-8") == "<!-- begin a -->\nhalf a section, written by hand\n"
    with pytest.raises(ValueError, match="section name"):
        update_section(path, "two words", "x")


def test_ensure_preamble_puts_a_title_on_top_once(tmp_path):
    path = tmp_path / "R.md"
    update_section(path, "endpoint", "written first by another script")
    ensure_preamble(path, "# Results\n\nAbout this file.\n")
    ensure_preamble(path, "# Results\n\nAbout this file.\n")
    text = path.read_text("utf-8")
    assert text.startswith("# Results\n\nAbout this file.\n\n<!-- begin endpoint -->")
    assert text.count("# Results") == 1
    assert read_section(path, "endpoint") == "written first by another script"

