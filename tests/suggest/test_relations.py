"""The argument fields of a draft: which kind of attack a candidate relation is (rules read from
the corpus's claims), why each scheme is suggested, and a proposition left to decide where no
template fits."""

from __future__ import annotations

import re

import pytest

from kg.suggest.links import Facts, Links

from .conftest import document


def facts(claimant, stance, against=(), concerns=(), denies=(), affirms=(), disputes_facts=False) -> Facts:
    return Facts(claimant, stance, tuple(against), tuple(concerns), tuple(denies), tuple(affirms),
                 disputes_facts)


@pytest.fixture(scope="module")
def links(corpus):
    return Links(corpus, "a-new-document")


def kinds_of(found: dict, target: str) -> set[str]:
    return {kind for kind, pairs in found.items() for claim, _why in pairs if claim == target}


CASES = [
    # a demand that the US stop, against the US Article 51 justification of the same strikes
    (facts("ohchr", "demands-compliance", ["USA"], ["us-boat-strikes"]), "us-art51-boat-strikes",
     {"attacks"}),
    # the US justifying the strikes, against a demand that it stop them
    (facts("USA", "justifies", [], ["us-boat-strikes"]), "nam-stop-boat-strikes", {"attacks"}),
    # an allegation against the US about the same strikes rebuts the justification
    (facts("ohchr", "alleges-violation", ["USA"], ["us-boat-strikes"]), "us-art51-boat-strikes", {"rebuts"}),
    # denying the armed attack undercuts the test the justification applies
    (facts("ohchr", "rejects-justification", ["USA"], ["us-boat-strikes"],
           denies=["self-defence/armed-attack"]),
     "us-art51-boat-strikes", {"undercuts"}),
    # an allegation against Venezuela, about no catalogued act, against its justification about none
    (facts("USA", "alleges-violation", ["VEN"]), "ven-right-territorial-sovereignty", {"attacks"}),
    # the same party's claims are never opposed
    (facts("USA", "justifies", [], ["us-boat-strikes"]), "us-art51-boat-strikes", set()),
    # a demand about another act does not reach the justification
    (facts("ohchr", "demands-compliance", ["USA"], ["us-attack-2026-01-03"]), "us-art51-boat-strikes", set()),
]


@pytest.mark.parametrize(("ours", "target", "expected"), CASES)
def test_the_kind_of_a_candidate_relation(links, ours, target, expected):
    found = links.link(ours)
    assert kinds_of(found, target) == expected
    for kind, pairs in found.items():
        assert all(why for _claim, why in pairs), kind


def test_a_draft_says_why_it_suggests_a_scheme_and_a_plain_attack(drafter):
    text = ("The Secretary-General urged the United States to comply with Article 2(4) of the UN Charter "
            "and to stop the strikes on boats in the Caribbean.")
    (claim,) = drafter.draft(document(text)).claims
    assert claim.stance == "demands-compliance"
    assert "un-charter-art-2-4" in claim.invokes
    assert claim.schemes == []  # a demand applies no test; an allegation or a justification does
    assert (claim.against, claim.concerns) == (["USA"], ["us-boat-strikes"])
    assert "us-art51-boat-strikes" in claim.attacks
    assert re.search(r"attacks [^;(]*us-art51-boat-strikes[^;(]* \(demands compliance", claim.note)
    alleged = drafter.draft(document("Venezuela said the United States violated Article 2(4) of the "
                                     "UN Charter.")).claims[0]
    assert alleged.schemes == ["prohibition-of-force"]
    assert "prohibition-of-force (alleges-violation under un-charter-art-2-4, which it is based on)" \
        in alleged.note


def test_a_proposition_no_template_fits_is_left_to_decide(drafter):
    (claim,) = drafter.draft(document("The Secretary-General said the rules of international law have "
                                      "not been respected.")).claims
    assert claim.proposition is None
    assert "no party, act or norm" in claim.undecided["proposition"]
    (named,) = drafter.draft(document("The Secretary-General said the United States violated the UN "
                                      "Charter.")).claims
    assert named.proposition.endswith("violated UN Charter by its conduct.")  # a norm is enough
    assert "proposition" not in named.undecided


def test_candidate_links_are_the_best_three_of_each_kind_with_a_short_note(tmp_path):
    """The review found 8 rebuttals and 7 attacks on one draft of sg-alarmed, in a 20-line note."""
    import shutil

    from kg.suggest.assistant import suggest
    from kg.suggest.links import KINDS

    from ..conftest import CORPUS

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "annotations" / "sg-alarmed-2026-01-03.yaml").unlink()
    claims = suggest(corpus, "sg-alarmed-2026-01-03").draft.claims
    assert any(len(getattr(c, kind)) == 3 for c in claims for kind in KINDS)
    assert "(best 3 of " in " ".join(c.note for c in claims)  # how many were left out
    for claim in claims:
        assert all(len(getattr(claim, kind)) <= 3 for kind in KINDS)
        _, _, candidates = claim.note.partition("candidate relations (other documents): ")
        assert len(candidates) < 600, candidates
