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


def test_one_to_one_precision_counts_a_claim_drafted_twice_once():
    """Two drafts of one annotated claim are both precise by overlap, but only one is a pair."""
    from types import SimpleNamespace

    from benchmarks.suggest import compare
    from kg.suggest.draft import DraftClaim, Quote

    def draft(start: int, end: int, stance: str) -> DraftClaim:
        return DraftClaim(id=f"d{start}", claimant="VEN", stance=stance, proposition="p", date="2026",
                          quotes=[Quote("q")], note="", invokes=["un-charter-art-2-4"], spans=[(start, end)])

    fields = dict(claimant="VEN", stance="alleges-violation", invokes=("un-charter-art-2-4",), against=(),
                  concerns=(), schemes=(), rebuts=(), undercuts=(), undermines=(), attacks=(), supports=())
    claim = SimpleNamespace(id="c", evidence=(SimpleNamespace(start=0, end=100),), **fields)
    scores = compare([claim], [draft(0, 40, "justifies"), draft(30, 100, "alleges-violation")])
    assert (scores.precise, scores.drafted, scores.one_to_one) == (2, 2, 1)
    assert scores.all_fields == 1  # the pair is the larger overlap, which agrees on every field
