"""A draft's open values: ``null  # left to decide: why`` is one line of `kg validate` each, with
the draft's reason; a plain ``null`` still means "absent", as it always has."""

from __future__ import annotations

import shutil

import pytest

from kg.corpus.loader import load_corpus, read_corpus
from kg.errors import CorpusError

from ..conftest import CORPUS

DOCUMENT = "Guyana's Foreign Minister wrote that the troop movements violate the sovereignty of Guyana.\n"
ANNOTATION = """\
document: open-values
claims:
  - id: open-values-1
    claimant: null  # left to decide: the text names "Guyana"; add GUY to catalogues/actors.yaml
    voiced_by: null
    against: null  # left to decide: whose troops?
    stance: alleges-violation
    proposition: The troop movements violate the sovereignty of Guyana.
    quote: the troop movements violate the sovereignty of Guyana
  - id: open-values-2
    claimant: VEN
    reported_by: null  # who relays it (optional)
    stance: null  # left to decide:
    proposition: null  # left to decide: write the claimant's point in one sentence
    quote: Guyana's Foreign Minister wrote
"""


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    (root / "documents" / "open-values.txt").write_text(DOCUMENT, encoding="utf-8")
    (root / "documents" / "open-values.yaml").write_text(
        "title: Open values\noutlet: null\ndate: 2026-03-01\nlanguage: en\n", encoding="utf-8")
    (root / "annotations" / "open-values.yaml").write_text(ANNOTATION, encoding="utf-8")
    return root


def test_each_value_left_to_decide_is_one_problem_with_the_drafts_reason(corpus):
    with pytest.raises(CorpusError) as raised:
        load_corpus(corpus)
    messages = [f"{p.line}: {p.message}" for p in raised.value.problems]
    assert messages == [
        "4: claim 'open-values-1': claimant left to decide (the text names \"Guyana\"; add GUY to "
        "catalogues/actors.yaml)",
        "6: claim 'open-values-1': against left to decide (whose troops?)",
        "13: claim 'open-values-2': stance left to decide",
        "14: claim 'open-values-2': proposition left to decide (write the claimant's point in one sentence)",
    ]


def test_the_claims_without_open_values_still_load(corpus):
    text = (corpus / "annotations" / "open-values.yaml").read_text("utf-8")
    filled = text.replace('claimant: null  # left to decide: the text names "Guyana"; add GUY to '
                          "catalogues/actors.yaml", "claimant: VEN").replace(
        "against: null  # left to decide: whose troops?", "against: USA").replace(
        "stance: null  # left to decide:", "stance: alleges-violation").replace(
        "proposition: null  # left to decide: write the claimant's point in one sentence",
        "proposition: Venezuela's troop movements are lawful.")
    (corpus / "annotations" / "open-values.yaml").write_text(filled, encoding="utf-8")
    loaded, problems = read_corpus(corpus)
    assert problems == []
    claim = loaded.claims["open-values-1"]
    assert (claim.claimant, claim.voiced_by, claim.against) == ("VEN", None, ("USA",))
    assert loaded.claims["open-values-2"].reported_by == ()  # a plain null is absent
