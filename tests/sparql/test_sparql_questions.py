"""Questions a scholar asks of the built corpus, in SPARQL, with the answers the sources give."""

from __future__ import annotations

import pytest

from kg.corpus.relations import attack_kinds
from kg.graph.namespaces import ACTOR, CLAIM, ILK

PREFIXES = """
PREFIX ilk: <https://w3id.org/ilkg/ontology#>
PREFIX actor: <https://w3id.org/ilkg/actor/>
PREFIX norm: <https://w3id.org/ilkg/norm/>
PREFIX claim: <https://w3id.org/ilkg/claim/>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""


def ask(graph, query: str) -> list[tuple]:
    return [tuple(row) for row in graph.query(PREFIXES + query)]


def local(iri) -> str:
    return str(iri).rsplit("/", 1)[1]


def test_who_invokes_article_2_4_against_the_united_states(graph):
    rows = ask(graph, """
        SELECT DISTINCT ?claimant WHERE {
          ?claim ilk:invokes norm:un-charter-art-2-4 ; ilk:against actor:USA ; ilk:claimant ?claimant .
        }""")
    # Venezuela's letter to the Council (Moncada), Amnesty International, and the Blitz opinion.
    assert {local(c) for (c,) in rows} == {"VEN", "amnesty-international", "blitz"}


def test_who_justifies_under_article_51(graph):
    rows = ask(graph, """
        SELECT ?claimant ?claim ?date WHERE {
          ?claim ilk:invokes norm:un-charter-art-51 ; ilk:stance ilk:Justifies ;
                 ilk:claimant ?claimant ; <http://purl.org/dc/terms/date> ?date .
        }""")
    # Only the United States, in October 2025, for the boat strikes (reported in the wire report).
    assert [(local(c), local(k), str(d)) for c, k, d in rows] == [("USA", "us-art51-boat-strikes", "2025-10")]


def test_which_claims_attack_the_article_51_justification(graph, corpus):
    rows = ask(graph, """
        SELECT ?attacker ?claimant WHERE {
          ?justification ilk:invokes norm:un-charter-art-51 ; ilk:stance ilk:Justifies .
          ?attacker ilk:attacks ?justification ; ilk:claimant ?claimant .
        }""")
    found = {(local(a), local(c)) for a, c in rows}
    justifications = {c.id for c in corpus.claims.values()
                      if c.stance == "justifies" and "un-charter-art-51" in c.invokes}
    # Every kind of attack (rebuttals both ways, undercuts, underminings) is an ilk:attacks.
    assert found == {(a, corpus.claims[a].claimant) for a, t in attack_kinds(corpus.claims)
                     if t in justifications}
    assert ("amnesty-no-armed-attack", "amnesty-international") in found
    assert any(corpus.claims[a].claimant == "VEN" for a, _ in found)  # both sides answer now


def test_amnesty_rejects_self_defence_with_the_exact_quote(graph, corpus):
    [(quote, start, end, source)] = ask(graph, """
        SELECT ?quote ?start ?end ?doc WHERE {
          claim:amnesty-no-armed-attack ilk:stance ilk:RejectsJustification ;
              ilk:invokes norm:un-charter-art-51 ; ilk:against actor:USA ;
              ilk:evidence ?ev .
          ?ev oa:hasSource ?doc ; oa:hasSelector ?q, ?p .
          ?q oa:exact ?quote . ?p oa:start ?start ; oa:end ?end .
        }""")
    text = corpus.documents[local(source)].text
    assert str(quote) == text[int(start) : int(end)]
    assert "are not an \u201carmed attack\u201d" in str(quote)


def test_claims_under_an_instrument_include_its_provisions(graph, corpus):
    rows = ask(graph, """
        SELECT DISTINCT ?claim WHERE { ?claim ilk:invokes/eli:is_part_of* norm:un-charter . }""")
    found = {local(c) for (c,) in rows}

    def under_charter(norm_id: str) -> bool:
        return norm_id == "un-charter" or any(under_charter(p) for p in corpus.norms[norm_id].part_of)

    expected = {c.id for c in corpus.claims.values() if any(under_charter(n) for n in c.invokes)}
    assert found == expected
    assert {"ven-moncada-art-2-4", "us-art51-boat-strikes", "amnesty-no-armed-attack"} <= found


@pytest.mark.parametrize(
    ("claim", "claimant", "voiced_by"),
    [
        ("unsg-rules-not-respected", "un-secretary-general", "stephane-dujarric"),  # spokesperson
        ("ven-moncada-art-2-4", "VEN", "samuel-moncada"),  # ambassador's letter is his state's
        ("us-waltz-justice", "USA", "mike-waltz"),
        ("us-loac-boat-strikes", "USA", None),  # an unnamed White House spokesperson
    ],
)
def test_attribution_to_the_party_not_the_speaker(graph, claim, claimant, voiced_by):
    assert graph.value(CLAIM[claim], ILK.claimant) == ACTOR[claimant]
    spoken = graph.value(CLAIM[claim], ILK.voicedBy)
    assert spoken == (ACTOR[voiced_by] if voiced_by else None)


def test_reported_claim_keeps_its_reporter(graph):
    rows = ask(graph, "SELECT ?r WHERE { claim:us-loac-boat-strikes ilk:reportedBy ?r }")
    assert [local(r) for (r,) in rows] == ["un-secretariat"]


def test_no_outlet_is_the_claimant_of_what_it_only_reports(graph):
    outlets = ask(graph, """
        SELECT DISTINCT ?claim WHERE { ?claim ilk:claimant ?o . ?o a ilk:MediaOutlet . }""")
    # The only outlet claimant is Blitz, for its own unsigned opinion piece.
    assert {local(c).split("-")[0] for (c,) in outlets} == {"blitz"}
