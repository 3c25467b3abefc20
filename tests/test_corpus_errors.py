"""Every kind of bad input gets a clear error with file and line; all of a run's errors at once."""

from __future__ import annotations

import json

import pytest

from kg.corpus import load_corpus
from kg.errors import CorpusError, SetupError

GOOD = """
- id: ven-letter
  claimant: VEN
  voiced_by: samuel-moncada
  against: USA
  invokes: [un-charter-art-2-4]
  stance: alleges-violation
  date: 2026-01-03
  quote: "He said the U.S. had violated the founding U.N. Charter"
"""


def problems_of(root):
    with pytest.raises(CorpusError) as caught:
        load_corpus(root)
    return caught.value.problems


def only_problem(root):
    problems = problems_of(root)
    assert len(problems) == 1, problems
    return problems[0]


def test_a_good_mini_corpus_loads(mini_corpus):
    corpus = load_corpus(mini_corpus(GOOD))
    claim = corpus.claims["ven-letter"]
    assert claim.claimant == "VEN" and claim.against == ("USA",)
    [span] = claim.evidence
    assert corpus.documents[claim.document].text[span.start : span.end] == span.exact


def test_aliases_resolve_to_ids(mini_corpus):
    corpus = load_corpus(mini_corpus(GOOD.replace("against: USA", "against: Washington")))
    assert corpus.claims["ven-letter"].against == ("USA",)


# (what to change in GOOD, expected line of the problem, words the message must contain)
CASES = [
    ("claimant: VEN", "claimant: VENN", 3, ["unknown actor 'VENN'", "did you mean 'VEN'"]),
    ("[un-charter-art-2-4]", "[unc-art-2.4]", 6, ["unknown norm 'unc-art-2.4'",
                                                   "did you mean 'un-charter-art-2-4'"]),
    ("  stance: alleges-violation", "  concerns: us-atack-2026-01-03\n  stance: alleges-violation", 7,
     ["unknown event 'us-atack-2026-01-03'", "did you mean 'us-attack-2026-01-03'"]),
    ("  stance: alleges-violation", "  attacks: [us-art51]\n  stance: alleges-violation", 7,
     ["unknown claim 'us-art51'"]),
    ("alleges-violation", "alleges-violations", 7, ["did you mean 'alleges-violation'"]),
    ("date: 2026-01-03", "date: 2026-13-03", 8, ["bad date", "2026-13-03"]),
    ("date: 2026-01-03", "date: 3 January 2026", 8, ["bad date", "YYYY-MM-DD"]),
    ("against: USA", "against: VEN", 5, ["names the claimant 'VEN' itself"]),
    ("voiced_by: samuel-moncada", "voiced_by: amnesty-international", 4, ["must be a person"]),
    ("  claimant: VEN", "  claimnt: VEN", 3, ["unknown field 'claimnt'", "did you mean 'claimant'"]),
    ("  claimant: VEN", "  claimant: NO", 3, ["unknown actor 'NO'"]),  # not the boolean False
    ('"He said the U.S. had violated the founding U.N. Charter"',
     '"He said the United States violated the founding U.N. Charter"', 9,
     ["quote not found in documents/sg-alarmed-2026-01-03.txt", "nearest passage",
      "He said the U.S. had violated the founding U.N. Charter"]),
    ('"He said the U.S. had violated the founding U.N. Charter"', '"U.N. Security Council"', 9,
     ["quote occurs 2 times", "prefix:/suffix:"]),
]


@pytest.mark.parametrize(("old", "new", "line", "words"), CASES, ids=[c[1][:30] for c in CASES])
def test_bad_claim_is_reported_at_its_line(mini_corpus, old, new, line, words):
    assert old in GOOD
    root = mini_corpus(GOOD.replace(old, new))
    problems = problems_of(root)
    [problem] = [p for p in problems if words[0] in p.message]
    # a misspelt field may also leave a required one missing; nothing else may be reported
    assert all(p is problem or "is required" in p.message for p in problems), problems
    assert problem.file == str(root / "annotations" / "sg-alarmed-2026-01-03.yaml")
    assert problem.line == line + 1  # GOOD starts with a blank line; the file has two lines above it
    for word in words:
        assert word in problem.message, problem.message


def test_quote_with_prefix_picks_the_occurrence(mini_corpus):
    claims = GOOD.replace('"He said the U.S. had violated the founding U.N. Charter"',
                          '"U.N. Security Council"\n  prefix: "a likely"')
    corpus = load_corpus(mini_corpus(claims))
    [span] = corpus.claims["ven-letter"].evidence
    assert corpus.documents["sg-alarmed-2026-01-03"].text[span.start - 7 : span.start] == "likely "


def test_missing_required_fields(mini_corpus):
    problems = problems_of(mini_corpus("- id: bare\n"))
    messages = " | ".join(p.message for p in problems)
    assert "'claimant' is required" in messages
    assert "'stance' is required" in messages
    assert "'quote' is required" in messages


def test_duplicate_claim_ids(mini_corpus):
    problem = only_problem(mini_corpus(GOOD + GOOD))
    assert "duplicate id" in problem.message and "first defined at" in problem.message
    assert problem.line == 12  # the second "- id:" (a blank line separates the two copies)


def test_duplicate_ids_across_files(mini_corpus):
    root = mini_corpus(GOOD)
    (root / "annotations" / "other.yaml").write_text(
        (root / "annotations" / "sg-alarmed-2026-01-03.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    problem = only_problem(root)
    assert "duplicate id" in problem.message


def test_malformed_yaml(mini_corpus):
    root = mini_corpus(GOOD)
    (root / "annotations" / "broken.yaml").write_text("document: x\nclaims: [\n  - id: a\n", encoding="utf-8")
    problem = only_problem(root)
    assert problem.file.endswith("broken.yaml")
    assert problem.message.startswith("malformed YAML")
    assert problem.line is not None


def test_missing_document_file(mini_corpus):
    root = mini_corpus(GOOD)
    (root / "annotations" / "ghost.yaml").write_text("document: ghost-2026\nclaims: []\n", encoding="utf-8")
    problem = only_problem(root)
    assert (problem.file.endswith("ghost.yaml"), problem.line) == (True, 1)
    assert "missing document file documents/ghost-2026.txt" in problem.message


def test_document_without_metadata(mini_corpus):
    root = mini_corpus(GOOD)
    (root / "documents" / "sg-alarmed-2026-01-03.yaml").unlink()
    messages = [p.message for p in problems_of(root)]
    assert any("no metadata" in m for m in messages)


def test_cycle_in_is_part_of(mini_corpus):
    root = mini_corpus(GOOD)
    (root / "catalogues" / "norms.yaml").write_text(
        "norms:\n"
        "  - {id: x-art-1, type: provision, part_of: x-art-2, notation: X 1, label: {en: a, es: a}}\n"
        "  - {id: x-art-2, type: provision, part_of: x-art-1, notation: X 2, label: {en: b, es: b}}\n",
        encoding="utf-8",
    )
    problem = only_problem(root)
    assert "cycle in part_of (eli:is_part_of)" in problem.message
    assert "x-art-1" in problem.message and "x-art-2" in problem.message
    assert problem.file.endswith("catalogues/norms.yaml") and problem.line in (2, 3)


def test_every_error_of_a_run_is_reported_together(mini_corpus):
    bad = (GOOD.replace("claimant: VEN", "claimant: VENN")
           + GOOD.replace("ven-letter", "second").replace("2026-01-03", "2026-02-31"))
    root = mini_corpus(bad)
    (root / "annotations" / "broken.yaml").write_text("document: [\n", encoding="utf-8")
    problems = problems_of(root)
    assert len(problems) == 3
    rendered = [str(p) for p in problems]
    assert all(":" in r.split(" ", 1)[0] for r in rendered)  # each is file:line: message
    assert any("unknown actor 'VENN'" in r for r in rendered)
    assert any("2026-02-31" in r for r in rendered)
    assert any(r.startswith(str(root / "annotations" / "broken.yaml")) for r in rendered)


def test_missing_corpus_folder_is_a_setup_error(tmp_path):
    with pytest.raises(SetupError, match="no corpus at"):
        load_corpus(tmp_path / "nowhere")


@pytest.mark.parametrize("url", ["https://example.org/a'b", 'https://example.org/a"b', "https://example.org/<a>",
                                 "https://example.org/a b", "ftp://example.org/a"])
def test_an_official_text_url_must_be_an_iri_without_quotes(corpus_copy, url):
    """Characters an RDF IRI cannot hold would stop the build; a quote would leave a quoted
    attribute in pages that show the link (Yasgui's result table)."""
    (corpus_copy / "catalogues" / "norms.yaml").write_text(
        "norms:\n  - id: test-principle\n    type: principle\n    notation: Test principle\n"
        "    label: {en: Test principle, es: Principio de prueba}\n"
        f"    text: {json.dumps(url)}\n", encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        load_corpus(corpus_copy)
    [problem] = [p for p in caught.value.problems if "official text" in p.message]
    assert problem.file.endswith("norms.yaml") and problem.line == 6
