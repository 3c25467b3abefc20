"""``benchmarks/suggest.py --small`` runs and writes its section (no thresholds: it measures)."""

from __future__ import annotations

from benchmarks.suggest import main


def test_the_suggest_benchmark_writes_its_section(tmp_path, capsys):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Results\n\nKept.\n", encoding="utf-8")
    assert main(["--small", "--results", str(results)]) == 0
    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Results\n\nKept.\n") and "<!-- begin suggest -->" in text
    assert "| **all** |" in text and "Overall: recall" in text
    assert capsys.readouterr().out.startswith("## Annotation assistant")
