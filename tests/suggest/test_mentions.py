"""The actor-mention finder, table-driven: names, aliases, spellings, adjectives, unknown names."""

from __future__ import annotations

import pytest

from kg.suggest.lexicon import lexicon
from kg.suggest.mentions import Finder, slug


@pytest.fixture(scope="module")
def finder(corpus):
    return Finder(corpus, lexicon())


CASES = [
    # (text, the actors found, in order)
    ("Washington said", ["USA"]),
    ("the White House and the Trump administration", ["USA", "USA"]),
    ("U.S. and US forces", ["USA", "USA"]),
    ("Caracas rejected it", ["VEN"]),
    ("Venezuelan officials said", ["VEN"]),
    ("Venezuelan Defense Minister Vladimir Padrino López", ["VEN", "vladimir-padrino-lopez"]),
    ("American officials argue", ["USA"]),
    ("the Venezuelan coast", []),  # an adjective that describes, not a party
    ("Amnesty International and Amnesty", ["amnesty-international", "amnesty-international"]),
    ("the amnesty law", []),  # "Amnesty" needs its capital
    ("The UN human rights chief condemned", ["ohchr"]),
    ("the UN Security Council", ["united-nations", "un-security-council"]),
    ("Guterres' spokesperson Stephane Dujarric", ["antonio-guterres", "stephane-dujarric"]),
    ("Stéphane Dujarric", ["stephane-dujarric"]),
    ("the Non-Aligned Movement (NAM)", ["non-aligned-movement"]),
    ("the Group of Friends in Defence of the UN Charter", ["group-of-friends-un-charter"]),
    ("the ICC Office of the Prosecutor", ["icc-office-of-the-prosecutor"]),
    ("us and them", []),  # "US" only as written
]


@pytest.mark.parametrize(("text", "actors"), CASES, ids=[c[0] for c in CASES])
def test_finds_catalogue_actors_by_name_alias_and_adjective(finder, text, actors):
    assert [m.id for m in finder.actors(text) if m.kind == "actor"] == actors


@pytest.mark.parametrize(("text", "code"), [
    ("Guyana wrote to the Council", "GUY"),
    ("the Sudanese government said", "SDN"),
    ("Ethiopia and Eritrea", "ETH"),
])
def test_a_state_the_catalogue_lacks_is_found_by_its_iso_name(finder, text, code):
    unknown = [m for m in finder.actors(text) if m.kind == "unknown"]
    assert unknown[0].id == code and unknown[0].guess == "state"


@pytest.mark.parametrize(("text", "name", "guess"), [
    ("Human Rights Watch said today", "Human Rights Watch", "ngo"),
    ("the Rapid Support Forces denied it", "Rapid Support Forces", "non-state-group"),
    ("the Chatham House Institute found", "Chatham House Institute", "research-institution"),
    ("The US Treasury Department placed sanctions", "US Treasury Department", "alias"),
])
def test_unknown_organisations_are_kept_with_a_guess(finder, text, name, guess):
    known = finder.actors(text)
    unknown = finder.unknown_organisations(text, known)
    assert [(m.text, m.guess) for m in unknown] == [(name, guess)]


def test_a_category_is_not_an_organisation(finder):
    text = "the cartel will be designated as a Foreign Terrorist Organization"
    assert finder.unknown_organisations(text, finder.actors(text)) == []


def test_an_unknown_organisation_never_runs_across_sentences(finder):
    text = "It was said by Human Rights Watch. According to the report, nothing changed."
    unknown = finder.unknown_organisations(text, finder.actors(text), [(0, 34), (35, len(text))])
    assert [m.text for m in unknown] == ["Human Rights Watch"]


@pytest.mark.parametrize(("name", "id_"), [
    ("Human Rights Watch", "human-rights-watch"),
    ("Médecins Sans Frontières", "medecins-sans-frontieres"),
    ("The Carter Center's Office", "carter-center-office"),
])
def test_proposed_ids_follow_the_house_style(name, id_):
    assert slug(name) == id_
