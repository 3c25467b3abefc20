"""The built graph: contract IRIs, evidence that points at the stored text, provenance, SHACL."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, XSD

from kg.corpus.loader import load_corpus
from kg.errors import ShapeError
from kg.graph.builder import build_graph
from kg.graph.namespaces import ACTOR, CLAIM, DOC, ELI, EVENT, ILK, NORM, OA, SCHEME
from kg.graph.validation import validate_graph

from ..conftest import CORPUS, SEEDS


def test_contract_namespaces_hold():
    assert str(ILK.claimant) == "https://w3id.org/ilkg/ontology#claimant"
    assert str(ACTOR.USA) == "https://w3id.org/ilkg/actor/USA"
    assert str(NORM["un-charter-art-2-4"]) == "https://w3id.org/ilkg/norm/un-charter-art-2-4"
    assert str(EVENT["x"]).startswith("https://w3id.org/ilkg/event/")
    assert str(CLAIM["x"]).startswith("https://w3id.org/ilkg/claim/")
    assert str(DOC["x"]).startswith("https://w3id.org/ilkg/doc/")


def test_misspelt_ontology_term_raises():
    with pytest.raises(AttributeError):
        ILK.suports  # noqa: B018


def test_bundled_corpus_conforms_to_the_shapes(graph):
    validate_graph(graph)  # raises ShapeError otherwise


def test_every_claim_is_in_the_graph_with_its_core_properties(corpus, graph):
    for claim in corpus.claims.values():
        iri = CLAIM[claim.id]
        assert (iri, RDF.type, ILK.Claim) in graph
        assert graph.value(iri, ILK.claimant) == ACTOR[claim.claimant]
        assert set(graph.objects(iri, ILK.invokes)) == {NORM[n] for n in claim.invokes}
        assert set(graph.objects(iri, ILK.against)) == {ACTOR[a] for a in claim.against}
        assert graph.value(iri, DCTERMS.date) == claim.date.literal()
        assert {(str(p), p.language) for p in graph.objects(iri, ILK.proposition)} == {
            (text, language) for language, text in claim.proposition.items()}
        assert set(graph.objects(iri, ILK.appliesScheme)) == {SCHEME[s] for s in claim.schemes}
        assert set(graph.objects(iri, ILK.affirmsElement)) == {SCHEME[e] for e in claim.affirms}
        assert set(graph.objects(iri, ILK.deniesElement)) == {SCHEME[e] for e in claim.denies}
        for kind in ("undercuts", "undermines"):
            assert set(graph.objects(iri, ILK[kind])) == {CLAIM[t] for t in getattr(claim, kind)}
        # Rebuttals both ways; every kind of attack is an ilk:attacks.
        rebutted = {c.id for c in corpus.claims.values() if claim.id in c.rebuts}
        assert set(graph.objects(iri, ILK.rebuts)) == {CLAIM[t] for t in {*claim.rebuts, *rebutted}}
        assert set(graph.objects(iri, ILK.attacks)) == {
            CLAIM[t] for t in {*claim.rebuts, *rebutted, *claim.undercuts, *claim.undermines, *claim.attacks}}


def test_evidence_offsets_select_the_exact_quote_in_the_stored_text(corpus, graph):
    checked = 0
    for evidence in graph.subjects(RDF.type, OA.SpecificResource):
        document = graph.value(evidence, OA.hasSource)
        text = corpus.documents[str(document).rsplit("/", 1)[1]].text
        selectors = list(graph.objects(evidence, OA.hasSelector))
        [quote] = [s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph]
        [position] = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph]
        start, end = graph.value(position, OA.start).toPython(), graph.value(position, OA.end).toPython()
        exact = str(graph.value(quote, OA.exact))
        assert text[start:end] == exact
        assert text[:start].endswith(str(graph.value(quote, OA.prefix)))
        assert text[end:].startswith(str(graph.value(quote, OA.suffix)))
        checked += 1
    assert checked == sum(len(c.evidence) for c in corpus.claims.values()) > 0


def test_provisions_reach_their_instrument(graph):
    assert (NORM["un-charter-art-51"], ELI.is_part_of, NORM["un-charter"]) in graph
    assert (NORM["un-charter"], OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q171328")) in graph
    labels = {label.language for label in graph.objects(NORM["unga-res-3314"], RDFS.label)}
    assert labels == {"en", "es"}


def test_checked_wikidata_links(graph):
    expected = {"USA": "Q30", "VEN": "Q717", "CUB": "Q241", "COL": "Q739", "RUS": "Q159", "CHN": "Q148",
                "TTO": "Q754", "united-nations": "Q1065", "un-security-council": "Q37470",
                "amnesty-international": "Q42970", "nicolas-maduro": "Q58132", "donald-trump": "Q22686"}
    for actor, qid in expected.items():
        assert graph.value(ACTOR[actor], OWL.sameAs) == URIRef(f"http://www.wikidata.org/entity/{qid}")


def test_provenance_records_input_hashes_and_no_wall_clock(corpus, compiled):
    built = compiled[1]
    provenance = built.graphs["provenance"]
    used = {str(provenance.value(e, ILK.path)): str(provenance.value(e, ILK.sha256))
            for e in provenance.objects(built.build_iri, PROV.used)}
    assert {f.path: f.sha256 for f in corpus.inputs}.items() <= used.items()
    assert {"ontology/ilkg.ttl", "ontology/shapes.ttl", "ontology/norms.yaml"} <= used.keys()
    for _, _, literal in built.union():
        if isinstance(literal, Literal):
            assert literal.datatype != XSD.dateTime


def test_documents_are_the_seeds_byte_for_byte(corpus):
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    for document in corpus.documents.values():
        stored = (CORPUS / document.path).read_bytes()
        assert stored == (SEEDS / document.seed).read_bytes()


def test_claims_in_a_compilation_take_the_date_of_their_piece(mini_corpus):
    root = mini_corpus(
        """
        - id: ohchr-piece
          claimant: ohchr
          against: USA
          stance: alleges-violation
          quote: "the lethal attacks violate international law"
          proposition: The lethal US strikes on boats violate international law.
        """,
        document="maduro-last-chance-2025-12-01",
    )
    corpus = load_corpus(root)
    assert corpus.claims["ohchr-piece"].date.text == "2025-10-31"


def test_a_graph_that_breaks_the_shapes_is_refused(corpus):
    built = build_graph(corpus)
    graph = built.union()
    some_claim = CLAIM[sorted(corpus.claims)[0]]
    graph.add((some_claim, ILK.claimant, ACTOR.CUB))  # two claimants
    graph.remove((some_claim, ILK.stance, None))
    with pytest.raises(ShapeError) as caught:
        validate_graph(graph)
    messages = " ".join(str(p) for p in caught.value.problems)
    assert str(some_claim).rsplit("/", 1)[1] in messages
    assert "claimant" in messages and "stance" in messages


def test_a_think_tank_is_a_research_institution_and_may_claim(mini_corpus):
    """An unsigned piece of an institution that takes no institutional positions is attributed to
    the institution as publisher (corpus/README.md); the actor type for it builds and conforms."""
    root = mini_corpus(
        """
        - id: institute-charter-breach
          claimant: global-policy-institute
          against: USA
          invokes: [un-charter-art-2-4]
          stance: alleges-violation
          quote: "He said the U.S. had violated the founding U.N. Charter"
          proposition: The United States violated the UN Charter's prohibition of the use of force.
          note: Unsigned; the institute takes no institutional positions (attributed as publisher).
        """
    )
    actors = root / "catalogues" / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8") + (
        "  - id: global-policy-institute\n    type: research-institution\n"
        "    name: {en: Global Policy Institute}\n    aliases: [the Institute]\n"), encoding="utf-8")
    graph = build_graph(load_corpus(root)).union()
    validate_graph(graph)
    institute = ACTOR["global-policy-institute"]
    assert (institute, RDF.type, ILK.ResearchInstitution) in graph
    assert (CLAIM["institute-charter-breach"], ILK.claimant, institute) in graph
    ontology = graph.value(ILK.ResearchInstitution, RDFS.subClassOf)
    assert ontology == ILK.Actor
