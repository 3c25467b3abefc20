"""`kg suggest` end to end: drafts that `kg validate` reads, what it says is left to decide, no
overwriting, no leaking of a document's own annotation, and documents about other disputes (or
about none)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kg.cli import cli
from kg.corpus.loader import read_corpus
from kg.suggest.assistant import suggest

from ..conftest import CORPUS
from .conftest import NEW

SEEDS = sorted(p.stem for p in (CORPUS / "documents").glob("*.txt"))
LEFT = re.compile(r"^error: .*: claim '[^']+': (?:(claimant|voiced_by|against) left to decide "
                  r"\(the text names \"[^\"]+\"; add .+ to catalogues/actors\.yaml \(proposed above\) "
                  r"or choose (?:an? (actor|person) id|actor ids)\)|proposition left to decide "
                  r"\(the text names no party, act or norm the catalogues know, so no template fits; "
                  r"write the claimant's point in one sentence\))$")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_an_unreviewed_draft_gives_exactly_the_left_to_decide_lines(with_new_documents):
    for name in NEW:
        done = run("suggest", name, "--corpus", str(with_new_documents), "-o",
                   str(with_new_documents / "annotations" / f"{name}.yaml"))
        assert done.exit_code == 0, done.output
    drafts = {name: (with_new_documents / "annotations" / f"{name}.yaml").read_text("utf-8") for name in NEW}
    nulls = sum(text.count("null  # left to decide:") for text in drafts.values())
    assert nulls >= 3  # the texts name parties no catalogue knows
    done = run("validate", "--corpus", str(with_new_documents))
    assert done.exit_code == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == nulls
    assert all(LEFT.match(line) for line in errors), errors


def test_a_draft_whose_nulls_are_filled_validates(with_new_documents):
    for name in NEW:
        suggest(with_new_documents, name, with_new_documents / "annotations" / f"{name}.yaml")
    for name in NEW:
        path = with_new_documents / "annotations" / f"{name}.yaml"
        text = path.read_text("utf-8")
        text = re.sub(r"claimant: null  # left to decide:.*", "claimant: amnesty-international", text)
        text = re.sub(r"voiced_by: null  # left to decide:.*", "voiced_by: agnes-callamard", text)
        text = re.sub(r"against: null  # left to decide:.*", "against: [VEN]", text)
        text = re.sub(r"proposition: null  # left to decide:.*", "proposition: It is unlawful.", text)
        path.write_text(text, encoding="utf-8")
    done = run("validate", "--corpus", str(with_new_documents))
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("valid: 8 documents")


def test_the_draft_is_the_annotation_format_and_the_same_every_time(with_new_documents):
    first = suggest(with_new_documents, NEW[0]).text
    assert suggest(with_new_documents, NEW[0]).text == first
    data = yaml.safe_load(first)
    assert set(data) == {"document", "claims"}
    for claim in data["claims"]:
        assert {"id", "claimant", "against", "concerns", "invokes", "stance", "proposition", "date",
                "note"} <= set(claim)
        assert ("quote" in claim) != ("quotes" in claim)


def test_suggest_refuses_to_overwrite_an_annotation_unless_forced(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    target = corpus / "annotations" / "sg-alarmed-2026-01-03.yaml"
    before = target.read_bytes()
    done = run("suggest", "sg-alarmed-2026-01-03", "--corpus", str(corpus), "-o", str(target))
    assert done.exit_code == 2
    assert "exists; kg suggest never overwrites an annotation" in done.stderr and "--force" in done.stderr
    assert target.read_bytes() == before
    done = run("suggest", "sg-alarmed-2026-01-03", "--corpus", str(corpus), "-o", str(target), "--force")
    assert done.exit_code == 0, done.output
    assert target.read_bytes() != before and target.read_text("utf-8").startswith("# Draft annotation")


def test_without_o_the_draft_goes_to_stdout_and_the_summary_to_stderr():
    done = run("suggest", "sg-alarmed-2026-01-03", "--corpus", str(CORPUS))
    assert done.exit_code == 0
    assert yaml.safe_load(done.stdout)["document"] == "sg-alarmed-2026-01-03"
    assert re.fullmatch(r"kg: \d+ claims drafted, \d+ values? left to decide, \d+ catalogue entr(y|ies) "
                        r"proposed\n", done.stderr)


def test_an_unknown_document_is_an_error_with_the_nearest_id():
    done = run("suggest", "sg-alarmed-2026-01-04", "--corpus", str(CORPUS))
    assert done.exit_code == 2
    assert "did you mean 'sg-alarmed-2026-01-03'" in done.stderr


@pytest.mark.parametrize("name", SEEDS)
def test_a_seed_drafted_without_its_annotation(tmp_path, name):
    """The draft of a seed with its annotation removed has no problem but what is left to decide
    (the other documents' references to the removed claims are theirs), and is exactly the draft
    made with the annotation present: nothing of it leaks in."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "annotations" / f"{name}.yaml").unlink()
    draft = suggest(corpus, name, corpus / "annotations" / f"{name}.yaml")
    assert len(draft.draft.claims) >= 3
    _corpus, problems = read_corpus(corpus)
    mine = [p for p in problems if Path(p.file).name == f"{name}.yaml"]
    assert all("left to decide" in p.message for p in mine), mine
    assert suggest(CORPUS, name).text == draft.text


def test_a_document_about_another_dispute_names_its_parties(with_new_documents):
    result = suggest(with_new_documents, "ngo-darfur-2026-04-02")
    proposed = {dict(p.fields).get("id") for p in result.draft.proposals}
    assert {"human-rights-watch", "SDN", "rapid-support-forces"} <= proposed
    stances = {c.stance for c in result.draft.claims}
    assert {"alleges-violation", "denies-allegation", "demands-compliance"} <= stances
    invoked = {n for c in result.draft.claims for n in c.invokes}
    assert {"law-of-armed-conflict", "rome-statute-art-7"} <= invoked
    press = suggest(with_new_documents, "un-essequibo-2026-03-12").draft
    assert [c.claimant for c in press.claims if "Spokesperson said" in c.quotes[0].exact] == \
        ["un-secretary-general"]
    assert {n for c in press.claims for n in c.invokes} >= {"un-charter-art-2-4", "un-charter-art-2-3",
                                                             "un-charter-art-51"}


def test_a_document_about_no_dispute_gives_few_drafts(with_new_documents):
    result = suggest(with_new_documents, "football-2026-02-14")
    assert len(result.draft.claims) <= 1
    assert yaml.safe_load(result.text)["document"] == "football-2026-02-14"


def test_a_rejection_of_article_51_undercuts_the_us_article_51_justification(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "annotations" / "amnesty-2026-02-03.yaml").unlink()
    draft = suggest(corpus, "amnesty-2026-02-03").draft
    (claim,) = [c for c in draft.claims if "not an \"armed attack\"" in c.quotes[0].exact]
    assert claim.stance == "rejects-justification"
    assert "self-defence/armed-attack" in claim.denies
    assert "us-art51-boat-strikes" in claim.undercuts
    assert "undercuts us-art51-boat-strikes" in claim.note


KOSOVO = """Secretary-General concerned by incursion into Kosovo

Serbian President Aleksandar Vucic told reporters on Tuesday that the troops had entered the border zone \
to protect Serbian civilians, and that the operation was lawful self-defence under Article 51 of the Charter.

According to the Kosovo Foreign Ministry, the incursion was a flagrant violation of Kosovo's sovereignty \
and of Article 2(4) of the Charter.

Ambassador Vjosa Gashi, Kosovo's envoy in Brussels, said the attack was unlawful and demanded the \
immediate withdrawal of the troops.

The Secretary-General calls on Serbia to respect international law and to withdraw its forces.
"""


def kosovo(drafter):
    from .conftest import document

    return drafter.draft(document(KOSOVO, genre="press release", date="2026-03-20", outlet="united-nations"))


def test_drafts_about_another_dispute_borrow_no_act_target_or_link_of_this_one(with_new_documents, drafter,
                                                                                 corpus):
    """An act word ("incursion", "attack") alone never makes a passage about a catalogued event,
    nor the event's perpetrator its target, nor another document's claim its answer."""
    drafts = [suggest(with_new_documents, name).draft for name in NEW] + [kosovo(drafter)]
    for draft in drafts:
        names_us = re.search(r"\bU\.?S\.?\b|United States|Washington|American", draft.document.text)
        for claim in draft.claims:
            assert not set(claim.concerns) & set(corpus.events), (claim.id, claim.concerns, claim.note)
            assert "USA" not in claim.against or names_us, (claim.id, claim.note)
            links = ("rebuts", "undercuts", "undermines", "attacks")
            assert not any(getattr(claim, kind) for kind in links), (claim.id, claim.note)
    assert len(drafts[-1].claims) == 4


def test_a_release_credits_the_speakers_it_reports_not_its_issuer(drafter):
    claims = kosovo(drafter).claims
    assert [c.claimant for c in claims[:3]] == [None, None, None]
    reasons = [c.undecided["claimant"] for c in claims[:3]]
    names = ("Aleksandar Vucic", "Kosovo Foreign Ministry", "Vjosa Gashi")
    for name, reason in zip(names, reasons, strict=True):
        assert f'the text names "{name}"' in reason
    assert claims[0].date == "2026-03-17"  # "on Tuesday", before the release of Friday 20 March
    assert claims[3].claimant == "un-secretary-general"


def test_parties_no_catalogue_has_are_proposed_and_left_to_decide(drafter):
    from kg.suggest.writer import to_yaml

    draft = kosovo(drafter)
    proposed = {dict(p.fields)["id"]: dict(p.fields)["type"] for p in draft.proposals}
    assert proposed["SRB"] == "state"  # ISO 3166, through pycountry
    assert proposed["aleksandar-vucic"] == proposed["vjosa-gashi"] == "person"
    assert "kosovo-foreign-ministry" in proposed
    calls_on = draft.claims[3]
    assert calls_on.against == [] and 'the text names "Serbia"; add SRB' in calls_on.undecided["against"]
    assert calls_on.proposition == "Serbia must comply with international law as regards its conduct."
    assert "    against: null  # left to decide: the text names \"Serbia\"" in to_yaml(draft)


def test_a_target_left_to_decide_is_what_kg_validate_lists(with_new_documents):
    (with_new_documents / "documents" / "un-kosovo-2026-03-20.txt").write_text(KOSOVO, encoding="utf-8")
    (with_new_documents / "documents" / "un-kosovo-2026-03-20.yaml").write_text(
        "title: Invented for tests\noutlet: united-nations\ndate: 2026-03-20\nlanguage: en\n"
        "genre: press release\n", encoding="utf-8")
    suggest(with_new_documents, "un-kosovo-2026-03-20",
            with_new_documents / "annotations" / "un-kosovo-2026-03-20.yaml")
    done = run("validate", "--corpus", str(with_new_documents))
    errors = [line for line in done.stderr.splitlines() if "un-kosovo" in line and line.startswith("error: ")]
    assert any(": against left to decide (the text names \"Serbia\"" in line for line in errors), errors
    assert all(LEFT.match(line) for line in errors), errors


def test_the_seed_errors_the_review_found_in_maduro_last_chance(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "annotations" / "maduro-last-chance-2025-12-01.yaml").unlink()
    claims = suggest(corpus, "maduro-last-chance-2025-12-01").draft.claims

    def drafted(words: str):
        (claim,) = [c for c in claims if words in c.quotes[0].exact]
        return claim

    halt = drafted("Washington must halt them")  # what he said, not the word he called them
    assert (halt.stance, halt.concerns) == ("demands-compliance", ["us-boat-strikes"])
    breach = drafted("breach of international law")  # Venezuela's words, which the UN reports
    assert (breach.claimant, breach.reported_by) == ("VEN", "united-nations")
    defended = drafted("Washington has defended its actions")  # a justification Jenča reports
    assert (defended.claimant, defended.reported_by) == ("USA", "un-secretariat")
    assert defended.stance == "justifies"
    assert "USA" not in defended.against
    assert defended.quotes[0].exact.startswith("Mr. Jen")  # not the sub-heading run into it
    assert not [c for c in claims if c.quotes[0].exact.startswith("Trading of allegations")]
