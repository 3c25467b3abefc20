"""Each saved query's answer on the bundled corpus, checked against what the sources say."""

from __future__ import annotations

import pytest

from kg.argument.map import ATTACK_KINDS
from kg.corpus.relations import attack_kinds
from kg.sparql.engines import open_engine
from kg.sparql.saved_queries import bind_params, saved_queries

from ..conftest import CORPUS


@pytest.fixture(scope="module")
def run():
    engine = open_engine("oxigraph", corpus_dir=CORPUS)
    queries = saved_queries()

    def answer(name: str, **params: str) -> list[dict[str, str]]:
        saved = queries[name]
        result = engine.query(saved.text, bind_params(saved, [f"{k}={v}" for k, v in params.items()]))
        return [{v: (None if t is None else str(t).rsplit("/", 1)[-1])
                 for v, t in zip(result.variables, row, strict=True)} for row in result.rows]

    return answer


def test_who_invokes_article_2_4_against_the_us(run, corpus):
    rows = run("who-invokes-what-against-whom", norm="un-charter-art-2-4", against="USA")
    found = {(r["claimant"], r["claim"]) for r in rows}
    assert found == {(c.claimant, c.id) for c in corpus.claims.values()
                     if "un-charter-art-2-4" in c.invokes and "USA" in c.against}
    assert ("VEN", "ven-moncada-art-2-4") in found  # Moncada's letter quoting the Charter
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


def test_claims_by_the_non_aligned_movement(run):
    rows = run("claims-by-actor", actor="non-aligned-movement")
    assert {r["claim"] for r in rows} == {"nam-stop-boat-strikes", "nam-no-armed-attack-venezuela"}
    assert {r["stance"] for r in rows} == {"ontology#DemandsCompliance"}  # calls to stop, to refrain


def test_claims_against_venezuela_include_the_icc_prosecutor(run):
    rows = run("claims-against-actor", actor="VEN")
    claimants = {r["claimant"] for r in rows}
    assert {"amnesty-international", "icc-office-of-the-prosecutor", "international-criminal-court",
            "USA"} <= claimants
    assert ("icc-otp-2020-reasonable-basis", "2020") in {(r["claim"], r["date"]) for r in rows}


def test_claims_under_the_definition_of_aggression(run):
    rows = run("claims-under-instrument", instrument="unga-res-3314")
    assert {r["claim"] for r in rows} == {"amnesty-act-of-aggression"}
    assert {r["norm"] for r in rows} == {"unga-res-3314", "unga-res-3314-art-2", "unga-res-3314-art-3-a",
                                         "unga-res-3314-art-3-b", "unga-res-3314-art-3-d"}


def test_claims_about_the_boat_strikes_in_order(run):
    rows = run("claims-about-event", event="us-boat-strikes")
    claims = [r["claim"] for r in rows]
    assert {"us-art51-boat-strikes", "us-loac-boat-strikes", "ohchr-boat-strikes-extrajudicial",
            "amnesty-boat-strikes-extrajudicial", "nam-stop-boat-strikes"} <= set(claims)
    assert claims.index("us-art51-boat-strikes") < claims.index("ohchr-boat-strikes-extrajudicial")


def test_norms_ranked(run, corpus):
    rows = run("norms-ranked")
    top = rows[0]
    assert top["norm"] == "un-charter-art-2-4"
    assert int(top["claims"]) == sum("un-charter-art-2-4" in c.invokes for c in corpus.claims.values())
    by_claimant = {r["claimant"]: int(r["by_claimant"]) for r in rows if r["norm"] == "un-charter-art-2-4"}
    assert {"VEN", "blitz", "amnesty-international"} == set(by_claimant)
    assert sum(by_claimant.values()) >= int(top["claims"])


def test_article_51_is_contested(run, corpus):
    rows = run("contested-norms")
    found = [(r["norm"], r["justifier"], r["justification"], r["opponent"], r["opposition"]) for r in rows]
    claims = corpus.claims.values()
    expected = {(norm, j.claimant, j.id, o.claimant, o.id)
                for j in claims if j.stance == "justifies"
                for o in claims if o.stance in ("alleges-violation", "rejects-justification")
                and j.claimant in o.against and o.claimant != j.claimant
                for norm in set(j.invokes) & set(o.invokes)}
    assert found == sorted(expected)
    assert ("un-charter-art-51", "USA", "us-art51-boat-strikes",
            "amnesty-international", "amnesty-no-armed-attack") in found
    assert all(r["justificationProposition"] and r["oppositionProposition"] for r in rows)


def most_specific(kinds: tuple[str, ...]) -> str:
    """The kind kg map and the exports give an attack of ``kinds`` (kg.argument.map.ATTACK_KINDS
    lists them, the most telling first); plain "attacks" when none applies."""
    return next((kind for kind in ATTACK_KINDS if kind in kinds), "attacks")


def test_argument_around_the_article_51_justification(run, corpus):
    """Regression: the query bound only ilk:attacks and ilk:supports, so a student never saw that
    a claim rebuts, undercuts or undermines another: each row now names the most specific kind."""
    rows = run("argument-around-claim", claim="us-art51-boat-strikes")
    found = [(r["direction"], r["kind"], r["other"]) for r in rows]
    claim = "us-art51-boat-strikes"
    attacks = attack_kinds(corpus.claims)  # every kind is an ilk:attacks, rebuttals both ways
    expected = {("incoming", most_specific(k), a) for (a, t), k in attacks.items() if t == claim}
    expected |= {("outgoing", most_specific(k), t) for (a, t), k in attacks.items() if a == claim}
    expected |= {("incoming", "supports", c.id) for c in corpus.claims.values() if claim in c.supports}
    expected |= {("outgoing", "supports", t) for t in corpus.claims[claim].supports}
    assert found == sorted(expected)
    # Amnesty's denial of the armed attack undercuts it (corpus/README.md's example).
    assert ("incoming", "undercuts", "amnesty-no-armed-attack") in found
    assert attacks[("amnesty-no-armed-attack", claim)] == ("undercuts",)
    assert {"rebuts", "undercuts"} <= {kind for _, kind, _ in found}  # not only "attacks"
    assert "relation" not in rows[0]  # the kind says it: supports, or which attack
    assert all(r["proposition"] and r["otherProposition"] for r in rows)


def test_argument_around_a_claim_has_every_kind_the_corpus_annotates(run, corpus):
    """Left without a claim, the query answers for every claim: its kinds are the corpus's."""
    rows = run("argument-around-claim")
    attacks = attack_kinds(corpus.claims)
    outgoing = {(r["claim"], r["other"]): r["kind"] for r in rows
                if r["direction"] == "outgoing" and r["kind"] != "supports"}
    assert outgoing == {pair: most_specific(kinds) for pair, kinds in attacks.items()}
    assert {"rebuts", "undercuts", "undermines"} <= set(outgoing.values())


def test_unanswered_allegations_against_venezuela(run):
    rows = run("unanswered-allegations", against="VEN")
    claims = {r["claim"] for r in rows}
    assert {"amnesty-venezuela-crimes-against-humanity", "icc-otp-2020-reasonable-basis"} <= claims
    # Venezuela's denial answers the US drug-trafficking allegation, so it is not listed
    assert "us-cartel-de-los-soles-allegations" not in claims


def test_timeline_starts_with_the_oldest_claim(run):
    rows = run("timeline")
    assert rows[0]["claim"] == "amnesty-2019-crimes-against-humanity-finding"
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)


def test_evidence_of_amnesty_rejecting_self_defence(run, corpus):
    [row] = run("evidence", claim="amnesty-no-armed-attack")
    text = corpus.documents[row["document"]].text
    assert text[int(row["start"]) : int(row["end"])] == row["quote"]
    assert row["quote"].startswith("Drug trafficking allegations are not an \u201carmed attack\u201d")


def test_actors_with_wikidata_and_organs(run):
    rows = {r["actor"]: r for r in run("actors")}
    assert rows["USA"]["type"].endswith("State") and rows["USA"]["wikidata"] == "Q30"
    assert rows["un-security-council"]["within"] == "united-nations"
    assert rows["agnes-callamard"]["within"] == "amnesty-international"


def proposition_column(variable: str) -> str:
    """The column that holds the proposition of the claim in column ``variable``."""
    return "proposition" if variable == "claim" else f"{variable}Proposition"


def test_every_saved_query_that_returns_claims_shows_their_propositions(corpus):
    """Issue 15: a claim's text is its proposition, in the editor (Yasgui shows the raw answer)
    as in every view; so each saved query that returns claims returns their propositions too."""
    engine = open_engine("oxigraph", corpus_dir=CORPUS)
    returning_claims = set()
    for name, saved in sorted(saved_queries().items()):
        result = engine.query(saved.text)  # no parameter: the answer for everything
        for row in result.rows:
            values = dict(zip(result.variables, row, strict=True))
            for variable, term in values.items():
                if term is not None and str(term).startswith("https://w3id.org/ilkg/claim/"):
                    returning_claims.add(name)
                    claim = corpus.claims[str(term).rsplit("/", 1)[-1]]
                    shown = values.get(proposition_column(variable))
                    assert shown is not None, f"{name}: ?{variable} without ?{proposition_column(variable)}"
                    assert (str(shown), shown.language) == (claim.proposition["en"], "en"), name
    assert returning_claims == {name for name in saved_queries() if name not in ("actors", "norms-ranked")}
