"""Stance cues are general wordings, not one seed's phrases (review of issue 16): each cue that
replaced a verbatim phrase finds wordings no seed document uses, and the phrases that only one
document said are gone."""

from __future__ import annotations

import pytest

from kg.suggest.lexicon import lexicon

GENERAL = [
    ("No pretext could legitimise the blockade.", "rejects-justification"),
    ("The strikes undermine their justification entirely.", "rejects-justification"),
    ("Observers suspect ulterior motives.", "rejects-justification"),
    ("The government no longer considers itself bound by the treaty.", "alleges-violation"),
    ("The blockade is incompatible with the Charter.", "alleges-violation"),
    ("The prohibition applies in all circumstances.", "affirms-norm"),
    ("The right to life is non-derogable.", "affirms-norm"),
]


@pytest.mark.parametrize(("text", "stance"), GENERAL, ids=[t for t, _ in GENERAL])
def test_a_general_cue_finds_a_wording_no_seed_uses(drafter, text, stance):
    assert stance in {cue.stance for cue in drafter.cues.stances(text)}


def test_no_cue_is_a_phrase_of_one_seed():
    cues = {cue.source for _stance, patterns in lexicon().stances for cue in patterns}
    assert not cues & {"this is justice", "not regime change", "could not be clearer", "no label can",
                       "misaligned with", "undermines any claim", "is not suspended", "applies at all times"}
