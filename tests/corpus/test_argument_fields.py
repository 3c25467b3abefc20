"""The argument fields of a claim (proposition, schemes, affirms, denies, rebuts, undercuts,
undermines): what loads, and one line with the file, the line and the fix for what does not."""

from __future__ import annotations

import pytest

from kg.corpus.loader import load_corpus
from kg.errors import CorpusError

# Two claims of the wire report that answer each other: Venezuela applies the prohibition of force,
# the United States (for the test) answers it.
GOOD = """
- id: ven-letter
  claimant: VEN
  against: USA
  invokes: [un-charter-art-2-4]
  stance: alleges-violation
  quote: "He said the U.S. had violated the founding U.N. Charter"
  proposition:
    en: The United States violated the UN Charter's prohibition of the use of force against Venezuela.
    es: Estados Unidos violó la prohibición del uso de la fuerza de la Carta de la ONU contra Venezuela.
  schemes: [prohibition-of-force]
  affirms: [prohibition-of-force/use-or-threat-of-force]

- id: us-answer
  claimant: USA
  against: VEN
  stance: justifies
  quote: "Guterres is deeply alarmed"
  proposition: The operation was law enforcement against a fugitive, not force against Venezuela.
  denies: [prohibition-of-force/against-another-state]
  rebuts: [ven-letter]
  undercuts: [ven-letter]
"""

# The written file has "document:" and "claims:" above GOOD: ven-letter's "- id:" is on line 3, its
# schemes on 12 and affirms on 13; us-answer's "- id:" on 15, its proposition on 20, denies 21,
# rebuts 22, undercuts 23.


def problems_of(root) -> list:
    with pytest.raises(CorpusError) as caught:
        load_corpus(root)
    return caught.value.problems


def test_the_argument_fields_load(mini_corpus):
    corpus = load_corpus(mini_corpus(GOOD))
    letter, answer = corpus.claims["ven-letter"], corpus.claims["us-answer"]
    assert letter.proposition["en"].startswith("The United States violated")
    assert set(letter.proposition) == {"en", "es"}
    assert answer.proposition == {"en": "The operation was law enforcement against a fugitive, "
                                        "not force against Venezuela."}
    assert letter.schemes == ("prohibition-of-force",)
    assert letter.affirms == ("prohibition-of-force/use-or-threat-of-force",)
    assert answer.denies == ("prohibition-of-force/against-another-state",)
    assert answer.rebuts == ("ven-letter",) and answer.undercuts == ("ven-letter",)
    assert corpus.element("prohibition-of-force/against-another-state").role == "condition"


def test_an_element_of_a_test_the_claim_does_not_apply_may_be_denied(mini_corpus):
    """Amnesty denies the armed attack without applying self-defence itself (issue15-design.md):
    no rule ties an element position to the claim's own schemes."""
    corpus = load_corpus(mini_corpus(GOOD.replace("[prohibition-of-force/against-another-state]",
                                                  "[prohibition-of-force/against-another-state, "
                                                  "self-defence/armed-attack]")))
    assert "self-defence" not in corpus.claims["us-answer"].schemes
    assert "self-defence/armed-attack" in corpus.claims["us-answer"].denies


# (what to change in GOOD, the line reported (a field's, or the claim's for the whole claim), words)
# Regression: an unknown scheme of the target, or an unknown denied element of the attacker, was
# also reported as an undercut that denies nothing: each case must give exactly one problem.
CASES = [
    ("schemes: [prohibition-of-force]", "schemes: [prohibition-of-the-use-of-forces]", 12,
     ["claim 'ven-letter'", "unknown scheme 'prohibition-of-the-use-of-forces'",
      "did you mean 'prohibition-of-force'"]),
    ("affirms: [prohibition-of-force/use-or-threat-of-force]",
     "affirms: [prohibition-of-force/use-or-threat-of-forces]", 13,
     ["unknown element 'prohibition-of-force/use-or-threat-of-forces'",
      "did you mean 'prohibition-of-force/use-or-threat-of-force'"]),
    ("denies: [prohibition-of-force/against-another-state]", "denies: [self-defence/armed-atack]",
     21, ["unknown element 'self-defence/armed-atack'", "did you mean 'self-defence/armed-attack'"]),
    ("  proposition: The operation was law enforcement against a fugitive, not force against Venezuela.\n",
     "", 15, ["claim 'us-answer'", "'proposition' is required"]),
    ("  proposition: The operation was law enforcement against a fugitive, not force against Venezuela.\n",
     "  proposition: {es: La operación fue una aplicación de la ley.}\n", 20,
     ["'proposition' needs English ('en')"]),
    ("denies: [prohibition-of-force/against-another-state]",
     "denies: [prohibition-of-force/against-another-state]\n"
     "  affirms: [prohibition-of-force/against-another-state]",
     21, ["'prohibition-of-force/against-another-state' is both affirmed and denied"]),
    ("rebuts: [ven-letter]", "rebuts: [us-answer]", 22, ["a claim cannot attack itself"]),
    ("rebuts: [ven-letter]", "rebuts: [ven-leter]", 22,
     ["unknown claim 'ven-leter'", "did you mean 'ven-letter'"]),
    ("  undercuts: [ven-letter]", "  undermines: [ven-lettre]", 23,
     ["unknown claim 'ven-lettre'", "did you mean 'ven-letter'"]),
    # The undercut's target applies the prohibition of force; a denial of an element of another
    # test does not undercut it.
    ("denies: [prohibition-of-force/against-another-state]", "denies: [self-defence/armed-attack]",
     15, ["claim 'us-answer': undercuts 'ven-letter', but this claim neither denies an element "
                      "nor affirms an exception of prohibition-of-force, the test 'ven-letter' applies",
                      "use 'rebuts' or 'undermines'", "'denies: [SCHEME/ELEMENT]'"]),
    ("  schemes: [prohibition-of-force]\n", "", 14,
     ["undercuts 'ven-letter', but 'ven-letter' applies no legal test ('schemes:')"]),
]


@pytest.mark.parametrize(("old", "new", "line", "words"), CASES, ids=[c[1][:40] or c[0][:40] for c in CASES])
def test_a_bad_argument_field_is_one_line_at_its_place(mini_corpus, old, new, line, words):
    assert old in GOOD
    root = mini_corpus(GOOD.replace(old, new))
    [problem] = problems_of(root)
    assert problem.file == str(root / "annotations" / "sg-alarmed-2026-01-03.yaml")
    assert problem.line == line, problem
    assert "\n" not in problem.message
    for word in words:
        assert word in problem.message, problem.message


def test_a_norms_source_type_and_interpretation_are_checked(mini_corpus):
    root = mini_corpus(GOOD)
    (root / "catalogues" / "norms.yaml").write_text(
        "norms:\n"
        "  - id: x-gc-1\n    type: instrument\n    notation: X GC 1\n    label: {en: a, es: a}\n"
        "    adopted: 2020-01-01\n    text: https://example.org/x\n    interprets: [iccpr-art-66]\n"
        "  - id: x-treaty\n    type: instrument\n    source_type: treatise\n    notation: X\n"
        "    label: {en: b, es: b}\n    adopted: 2020-01-01\n    text: https://example.org/y\n",
        encoding="utf-8")
    problems = {(p.line, p.message) for p in problems_of(root)}
    assert all(str(root / "catalogues" / "norms.yaml") == p.file for p in problems_of(root))
    messages = " | ".join(m for _, m in sorted(problems))
    assert (2, "norm 'x-gc-1': 'source_type' is required") in problems, messages
    assert "interprets: unknown norm 'iccpr-art-66' (did you mean 'iccpr-art-6'?)" in messages
    assert any(line == 11 and "'source_type' is 'treatise'" in m and "(did you mean 'treaty'?)" in m
               for line, m in problems), messages
    assert len(problems) == 3 and all("\n" not in m for _, m in problems)


def test_a_citation_split_at_its_commas_is_refused(mini_corpus):
    """An unquoted flow list cut "Nicaragua 1986, paras 191, 195" into three sources (the graph
    cited "paras 191" and the number 195); each piece is refused on its line, the whole kept."""
    root = mini_corpus(GOOD)
    element = ("      - id: {slug}\n        role: condition\n        label: {{en: a, es: a}}\n"
               "        question: {{en: q, es: q}}\n")
    (root / "catalogues" / "schemes.yaml").write_text(
        "schemes:\n"
        "  - id: x-test\n    label: {en: X, es: X}\n    conclusion: {en: c, es: c}\n"
        "    based_on: [un-charter-art-51]\n    elements:\n"
        + element.format(slug="one") + "        sources: [Nicaragua 1986, paras 191, 195]\n"
        + element.format(slug="two") + '        sources: ["Nicaragua 1986, paras 191, 195", "p. 35 of it"]\n',
        encoding="utf-8")
    problems = [p for p in problems_of(root) if p.file == str(root / "catalogues" / "schemes.yaml")]
    messages = " | ".join(p.message for p in problems)
    assert {(p.line, p.message.split("source '")[1].split("'")[0]) for p in problems} == {
        (11, "paras 191"), (11, "195"), (16, "p. 35 of it")}, messages
    assert len(problems) == 3
    assert all("split at a comma" in p.message and "\n" not in p.message for p in problems)
