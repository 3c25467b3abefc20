"""Who speaks: the attribution patterns of the house rule, each on a text made up for it."""

from __future__ import annotations

import pytest

from kg.suggest.attribution import Attributor
from kg.suggest.lexicon import lexicon
from kg.suggest.text import read

from .conftest import document

CASES = [
    # (text, genre, outlet, (claimant, voiced_by) of the last sentence, or the unknown name)
    ("Washington said the strikes were lawful.", "news report", None, ("USA", None)),
    ("The strikes were lawful, Washington said.", "news report", None, ("USA", None)),
    ("The strikes were lawful, according to Washington.", "news report", None, ("USA", None)),
    ('"The strikes were unlawful," said Agnès Callamard.', "news report", None,
     ("amnesty-international", "agnes-callamard")),
    ("Guterres' spokesperson Stephane Dujarric said the rules were not respected.", "news report", None,
     ("un-secretary-general", "stephane-dujarric")),
    ("Venezuela's U.N. Ambassador Samuel Moncada wrote that the U.S. had violated the Charter.",
     "news report", None, ("VEN", "samuel-moncada")),
    ("The Permanent Representative of Venezuela to the UN wrote to the Council.", "news report", None,
     ("VEN", None)),
    ("Venezuelan officials, however, view the strikes as a violation of sovereignty.", "news report", None,
     ("VEN", None)),
    ("The UN human rights chief condemned the strikes.", "news report", None, ("ohchr", None)),
    ("Caracas has long rejected these accusations.", "news report", None, ("VEN", None)),
    ("Samuel Moncada wrote to the Council. He said the attack was unlawful.", "news report", None,
     ("VEN", "samuel-moncada")),
    ("The NAM met. It also called on the US to withdraw.", "news report", None,
     ("non-aligned-movement", None)),
    ("The attack was unlawful.", "press release", "amnesty-international", ("amnesty-international", None)),
    ("The attack was unlawful.", "news report", None, (None, None)),  # an outlet only reports
    ('"The attack was unlawful."\nAgnès Callamard, Amnesty International\'s Secretary General',
     "press release", None, ("amnesty-international", "agnes-callamard")),
    ("Human Rights Watch said the attacks were unlawful.", "statement", None, "Human Rights Watch"),
    ('"The shelling is unlawful," said Amira Haddad.', "statement", None, "Amira Haddad"),
    # someone the release reports is never its own voice (the issuer's outlet)
    ("Serbian President Aleksandar Vucic told reporters on Tuesday that the operation was lawful.",
     "press release", "united-nations", "Aleksandar Vucic"),
    ("Ambassador Vjosa Gashi, Kosovo's envoy in Brussels, said the attack was unlawful.", "press release",
     "united-nations", "Vjosa Gashi"),
    ("According to the Kosovo Foreign Ministry, the incursion violated its sovereignty.", "press release",
     "united-nations", "Kosovo Foreign Ministry"),
    ("Officials said the incursion violated the Charter.", "press release", "united-nations", (None, None)),
]


@pytest.mark.parametrize(("text", "genre", "outlet", "expected"), CASES, ids=[c[0][:50] for c in CASES])
def test_attribution_patterns(drafter, corpus, text, genre, outlet, expected):
    reading = read(text)
    finder = drafter.finder
    actors = finder.actors(reading.text)
    spans = [(s.start, s.end) for s in reading.sentences]
    unknown = finder.unknown_organisations(reading.text, actors, spans)
    parties = sorted([*actors, *unknown], key=lambda m: (m.start, -m.end))
    speakers = Attributor(corpus, lexicon(), finder).speakers(reading, document(text, genre, outlet=outlet),
                                                              parties)
    last = speakers[0] if "Secretary General" in text else speakers[-1]
    if isinstance(expected, str):
        assert last.claimant is None and last.unknown is not None and last.unknown.text == expected
    else:
        assert (last.claimant, last.voiced_by) == expected, last.how
