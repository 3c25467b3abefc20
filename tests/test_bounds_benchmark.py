"""``benchmarks/bounds.py --small`` runs and its table says what it measured (never how fast)."""

from __future__ import annotations

from benchmarks.bounds import main


def test_the_bounds_benchmark_writes_its_section(tmp_path, capsys):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Results\n\nKept.\n", encoding="utf-8")
    assert main(["--small", "--repeat", "1", "--results", str(results)]) == 0
    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Results\n\nKept.\n") and "<!-- begin bounds -->" in text
    assert "| nearest passage, quote not in the record |" in text
    for count in (16, 24):
        for semantics in ("preferred", "stable"):
            assert f"| {count} | {semantics} |" in text and f"| 2^{count} |" in text
    assert capsys.readouterr().out.startswith("## Bounds (issue 13)")
