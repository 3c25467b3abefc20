"""Every kind of bad input gets a clear error with file and line; all of a run's errors at once."""

from __future__ import annotations

import json
import re

import pytest

from kg.corpus.loader import load_corpus
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
  proposition: The United States violated the UN Charter's prohibition of the use of force against Venezuela.
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
    corpus = load_corpus(mini_corpus(GOOD.replace("against: USA", "against: Washington")
                                     .replace("[un-charter-art-2-4]", "[un-charter-art-2-4, laws of war]")))
    assert corpus.claims["ven-letter"].against == ("USA",)
    assert corpus.claims["ven-letter"].invokes == ("un-charter-art-2-4", "law-of-armed-conflict")


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
    # where the typed quote and the text differ, so that the annotator need not compare them by eye
    ('"He said the U.S. had violated the founding U.N. Charter"',
     '"He said the U.S. has violated the founding U.N. Charter"', 9,
     ["quote not found", "nearest passage (line 7, ",
      'they differ at typed "He said the U.S. has violated the foundi…" where the text has '
      '"He said the U.S. had violated the foundi…"']),
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
    assert problem.line == 13  # the second "- id:" (a blank line separates the two copies)


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
        "  - {id: x-art-1, type: provision, source_type: treaty-provision, part_of: x-art-2, notation: X 1,\n"
        "     label: {en: a, es: a}}\n"
        "  - {id: x-art-2, type: provision, source_type: treaty-provision, part_of: x-art-1, notation: X 2,\n"
        "     label: {en: b, es: b}}\n",
        encoding="utf-8",
    )
    problem = only_problem(root)
    assert "cycle in part_of (eli:is_part_of)" in problem.message
    assert "x-art-1" in problem.message and "x-art-2" in problem.message
    assert problem.file.endswith("catalogues/norms.yaml") and problem.line in (2, 4)


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


# --- an unreadable file is reported first, and what only follows from it is not ------------------


def break_yaml(path) -> int:
    """Leave a bracket open in the middle of ``path``; return the line it is on."""
    lines = path.read_text(encoding="utf-8").splitlines()
    middle = len(lines) // 2
    lines.insert(middle, "  broken: [unclosed")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return middle + 1


@pytest.mark.parametrize(("catalogue", "kind"), [("actors", "actor"), ("events", "event")])
def test_an_unreadable_catalogue_is_reported_first_without_unknown_ids_after_it(corpus_copy, catalogue, kind):
    """Regression: an actor catalogue that did not parse gave 179 "unknown actor" errors before the
    one line that mattered."""
    path = corpus_copy / "catalogues" / f"{catalogue}.yaml"
    break_yaml(path)
    problems = problems_of(corpus_copy)
    first = problems[0]
    assert first.file == str(path) and first.message.startswith("malformed YAML")
    assert first.line is not None
    assert not [p for p in problems if f"unknown {kind}" in p.message], problems
    # the one line says what was left unchecked, with how many references it counted
    counted = re.search(rf"\((\d+) references to {kind}s elsewhere not checked until this file can be "
                        r"read\)$", first.message)
    assert counted and int(counted[1]) > 1, first.message
    assert len(problems) == 1, problems


def test_a_catalogue_without_its_list_is_no_cascade_either(corpus_copy):
    actors = corpus_copy / "catalogues" / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    actors.write_text(text.replace("actors:\n", "actor:\n", 1), encoding="utf-8")
    [problem] = problems_of(corpus_copy)
    assert problem.file == str(actors)
    assert problem.message.startswith("expected a top-level 'actors:' list (")


def test_an_unreadable_annotation_file_hides_no_claim_and_fakes_no_unknown_claim(corpus_copy):
    """Claims elsewhere attack claims of the broken file: those references are not "unknown"."""
    broken = corpus_copy / "annotations" / "maduro-last-chance-2025-12-01.yaml"
    line = break_yaml(broken)
    other = corpus_copy / "annotations" / "sg-alarmed-2026-01-03.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("claimant: VEN", "claimant: VENN", 1),
                     encoding="utf-8")
    problems = problems_of(corpus_copy)
    assert (problems[0].file, problems[0].line) == (str(broken), line)
    assert "references to claims elsewhere not checked" in problems[0].message
    assert not [p for p in problems if "unknown claim" in p.message], problems
    # the other files are still checked in full
    assert [p.file for p in problems[1:]] == [str(other)]
    assert "unknown actor 'VENN'" in problems[1].message


def test_a_rejected_catalogue_entry_is_reported_once_not_at_every_use(mini_corpus):
    root = mini_corpus(GOOD)
    actors = root / "catalogues" / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    actors.write_text(text.replace("  - id: VEN\n    type: state\n", "  - id: VEN\n    type: country\n", 1),
                      encoding="utf-8")
    problem = only_problem(root)
    assert problem.file == str(actors)
    assert "'type' is 'country'" in problem.message


def test_a_duplicate_key_does_not_hide_the_files_other_problems(mini_corpus):
    """Regression: a duplicate key made the whole annotation file unreadable, so its other
    problems only appeared once the key was fixed."""
    claims = GOOD.replace("  claimant: VEN\n", "  claimant: VEN\n  claimant: COL\n").replace(
        "stance: alleges-violation", "stance: alleges-violations")
    root = mini_corpus(claims)
    problems = problems_of(root)
    assert [(p.line, p.message.split(" (")[0]) for p in problems] == [
        (5, "duplicate key 'claimant'"),
        (9, "claim 'ven-letter': 'stance' is 'alleges-violations', not one of alleges-violation, justifies, "
            "rejects-justification, demands-compliance, denies-allegation, affirms-norm"),
    ]
    assert "first written on line 4" in problems[0].message


# --- suggestions by id, label and alias, and where to add what is new -----------------------------


@pytest.mark.parametrize(("field", "typed", "words"), [
    # Regression: no suggestion although law-of-armed-conflict has the alias "law of armed conflict".
    # ("laws of war" itself is an alias now: once the catalogue grew, the nearest spelling of it was
    # "law of the sea", a suggestion no annotator could use.)
    ("invokes", "laws of armed conflicts", ["unknown norm 'laws of armed conflicts'",
                                            "did you mean 'law-of-armed-conflict', known as 'law of armed "
                                            "conflict'?"]),
    ("invokes", "the laws of war", ["did you mean 'law-of-armed-conflict', known as 'law of war'?"]),
    ("invokes", "prohibition of use of force", ["did you mean 'un-charter-art-2-4', known as "
                                                "'prohibition of the use of force'?"]),
    # The customary rule beside Art. 2(4) is what these words name most closely (its id), rather
    # than the nearer-spelt "prohibition of torture".
    ("invokes", "the prohibition of force", ["did you mean 'customary-prohibition-of-force'?"]),
    ("invokes", "Art. 2(4)", ["did you mean 'un-charter-art-2-4', known as 'Article 2(4)'?"]),
    ("invokes", "self-defense under the UN Charter", ["did you mean 'un-charter-art-51'"]),
    ("against", "the United States", ["unknown actor", "did you mean 'USA', known as 'United States'?"]),
    ("against", "Hegseth", ["did you mean 'pete-hegseth', known as 'Pete Hegseth'?"]),
])
def test_unknown_names_are_matched_against_ids_labels_and_aliases(mini_corpus, field, typed, words):
    line = {"invokes": "  invokes: [un-charter-art-2-4]", "against": "  against: USA"}[field]
    root = mini_corpus(GOOD.replace(line, f"  {field}: [{typed}]"))
    problem = only_problem(root)
    for word in words:
        assert word in problem.message, problem.message


@pytest.mark.parametrize(("old", "new", "unknown", "catalogue", "fields"), [
    # Regression: "unknown actor 'Wired-Gov'" did not say where to add it.
    ("against: USA", "against: Wired-Gov", "actor 'Wired-Gov'", "actors.yaml", "(id, type, name)"),
    ("[un-charter-art-2-4]", "[unclos-art-110]", "norm 'unclos-art-110'", "norms.yaml",
     "(id, type, source_type, notation, label in en and es)"),
    ("  stance:", "  concerns: us-seizure-of-tankers\n  stance:", "event 'us-seizure-of-tankers'",
     "events.yaml", "(id, label, start, perpetrators)"),
])
def test_an_unknown_id_says_where_to_add_it(mini_corpus, old, new, unknown, catalogue, fields):
    root = mini_corpus(GOOD.replace(old, new))
    problem = only_problem(root)
    assert f"unknown {unknown}" in problem.message
    where = root / "catalogues" / catalogue
    assert problem.message.endswith(f"; if it is new, add it to {where} {fields}"), problem.message
