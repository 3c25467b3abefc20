"""The shapes of the argument layer: each violation, made by hand in a built graph, is refused and
named (the shape's name and the node), and the builder writes what the shapes ask for."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kg.corpus.loader import load_corpus
from kg.errors import ShapeError
from kg.graph.builder import build_graph
from kg.graph.namespaces import CLAIM, ILK, NORM, SCHEME
from kg.graph.validation import validate_graph

from ..conftest import one_document_corpus


@pytest.fixture(scope="module")
def wire(tmp_path_factory):
    """(corpus, graph) of the wire report of 3 January 2026, which has a legal test applied, element
    positions, rebuttals and an undercut among its own claims."""
    corpus = load_corpus(one_document_corpus(tmp_path_factory.mktemp("wire") / "corpus"))
    return corpus, build_graph(corpus).union()


def copy(graph: Graph) -> Graph:
    changed = Graph()
    changed.namespace_manager = graph.namespace_manager
    for triple in graph:
        changed.add(triple)
    return changed


def violations(graph: Graph) -> list[str]:
    with pytest.raises(ShapeError) as caught:
        validate_graph(graph)
    return [p.message for p in caught.value.problems]


def claim_with(corpus, field: str):
    """A claim of the corpus whose ``field`` is not empty (the first by id)."""
    return next(c for _, c in sorted(corpus.claims.items()) if getattr(c, field))


def claim_without(corpus, field: str):
    return next(c for _, c in sorted(corpus.claims.items()) if not getattr(c, field))


def test_the_wire_report_conforms(wire):
    validate_graph(wire[1])


def test_the_builder_writes_a_rebuttal_in_both_directions_and_as_an_attack(wire):
    corpus, graph = wire
    written = [(c.id, t) for c in corpus.claims.values() for t in c.rebuts]
    assert written, "the wire report has a rebuttal"
    for attacker, target in written:
        assert (CLAIM[attacker], ILK.rebuts, CLAIM[target]) in graph
        assert (CLAIM[target], ILK.rebuts, CLAIM[attacker]) in graph
        assert (CLAIM[attacker], ILK.attacks, CLAIM[target]) in graph
        assert (CLAIM[target], ILK.attacks, CLAIM[attacker]) in graph
    # A rebuttal written on neither side is in neither direction.
    pairs = set(graph.subject_objects(ILK.rebuts))
    assert pairs == {(CLAIM[a], CLAIM[t]) for a, t in written} | {(CLAIM[t], CLAIM[a]) for a, t in written}


def test_a_rebuttal_written_on_both_sides_is_written_once_each_way(mini_corpus):
    root = mini_corpus("""
        - id: ven-letter
          claimant: VEN
          against: USA
          stance: alleges-violation
          quote: "He said the U.S. had violated the founding U.N. Charter"
          proposition: The United States violated the UN Charter.
          rebuts: [us-reply]
        - id: us-reply
          claimant: USA
          against: VEN
          stance: denies-allegation
          quote: "Guterres is deeply alarmed"
          proposition: The United States did not violate the UN Charter.
          rebuts: [ven-letter]
        """)
    graph = build_graph(load_corpus(root)).union()
    assert set(graph.subject_objects(ILK.rebuts)) == {(CLAIM["ven-letter"], CLAIM["us-reply"]),
                                                      (CLAIM["us-reply"], CLAIM["ven-letter"])}
    validate_graph(graph)


def test_a_claim_without_a_proposition_is_named(wire):
    corpus, graph = wire
    graph = copy(graph)
    name = sorted(corpus.claims)[0]
    graph.remove((CLAIM[name], ILK.proposition, None))
    messages = violations(graph)  # none at all, and so none in English either
    assert all(m.startswith(f"claim:{name} ilk:proposition: ") for m in messages)
    assert any("A claim needs a proposition" in m for m in messages)


def test_a_proposition_without_english_is_named(wire):
    corpus, graph = wire
    graph = copy(graph)
    claim = CLAIM[sorted(corpus.claims)[0]]
    graph.remove((claim, ILK.proposition, None))
    graph.add((claim, ILK.proposition, Literal("Se violó la Carta.", lang="es")))
    [message] = violations(graph)
    assert "ilk:proposition: A claim's proposition must be given in English" in message


def test_a_proposition_without_a_language_is_named(wire):
    corpus, graph = wire
    graph = copy(graph)
    claim = CLAIM[sorted(corpus.claims)[0]]
    graph.add((claim, ILK.proposition, Literal("The Charter was violated.", datatype=XSD.string)))
    messages = violations(graph)
    assert any("A claim needs a proposition, one sentence per language" in m for m in messages)


def test_affirming_and_denying_one_element_is_named(wire):
    corpus, graph = wire
    graph = copy(graph)
    claim = claim_with(corpus, "affirms")
    graph.add((CLAIM[claim.id], ILK.deniesElement, SCHEME[claim.affirms[0]]))
    [message] = violations(graph)
    assert message.startswith(f"claim:{claim.id} ilk:affirmsElement:")
    assert "cannot both affirm and deny" in message


def test_a_rebuttal_in_one_direction_only_is_named(wire):
    corpus, graph = wire
    graph = copy(graph)
    a, b = (CLAIM[c.id] for c in (claim_with(corpus, "schemes"), claim_without(corpus, "rebuts")))
    assert (a, ILK.rebuts, b) not in graph and (b, ILK.rebuts, a) not in graph
    graph.add((a, ILK.rebuts, b))
    graph.add((a, ILK.attacks, b))
    messages = violations(graph)
    assert messages and all("ilk:rebuts is symmetric" in m for m in messages)


def test_an_undercut_of_a_claim_that_applies_no_test_with_the_denied_element_is_named(wire):
    corpus, graph = wire
    graph = copy(graph)
    undercutter = claim_with(corpus, "undercuts")
    target = claim_without(corpus, "schemes")
    assert target.id not in undercutter.undercuts
    graph.add((CLAIM[undercutter.id], ILK.undercuts, CLAIM[target.id]))
    graph.add((CLAIM[undercutter.id], ILK.attacks, CLAIM[target.id]))
    [message] = violations(graph)
    assert message.startswith(f"claim:{undercutter.id}: Undercuts ")
    assert target.id in message and "applies no test whose condition this claim denies" in message


def test_an_undercut_holds_once_the_element_is_denied(wire):
    """The same undercut conforms when the target applies a test whose element the attacker denies."""
    corpus, graph = wire
    graph = copy(graph)
    undercutter = claim_with(corpus, "undercuts")
    target = claim_without(corpus, "schemes")
    graph.add((CLAIM[undercutter.id], ILK.undercuts, CLAIM[target.id]))
    graph.add((CLAIM[undercutter.id], ILK.attacks, CLAIM[target.id]))
    denied = undercutter.denies[0]
    graph.add((CLAIM[target.id], ILK.appliesScheme, SCHEME[denied.partition("/")[0]]))
    validate_graph(graph)


def test_a_kind_of_attack_without_ilk_attacks_is_named(wire):
    corpus, graph = wire
    graph = copy(graph)
    undercutter = claim_with(corpus, "undercuts")
    target = undercutter.undercuts[0]
    graph.remove((CLAIM[undercutter.id], ILK.attacks, CLAIM[target]))
    [message] = violations(graph)
    assert message.startswith(f"claim:{undercutter.id}: Every rebuttal, undercut and undermining of ")
    assert target in message


def test_applying_what_is_no_legal_test_is_named(wire):
    corpus, graph = wire
    graph = copy(graph)
    claim = claim_without(corpus, "schemes")
    graph.add((CLAIM[claim.id], ILK.appliesScheme, NORM["un-charter-art-51"]))
    [message] = violations(graph)
    assert message.startswith(f"claim:{claim.id} ilk:appliesScheme: A claim can only apply a legal test")


def test_a_denied_element_that_is_no_element_is_named(wire):
    corpus, graph = wire
    graph = copy(graph)
    claim = claim_without(corpus, "denies")
    graph.add((CLAIM[claim.id], ILK.deniesElement, SCHEME["self-defence"]))
    [message] = violations(graph)
    assert message.startswith(f"claim:{claim.id} ilk:deniesElement: A claim can only deny an element")


@pytest.mark.parametrize(("change", "words"), [
    ("no Spanish label", "A legal test needs one Spanish label"),
    ("one conclusion", "A legal test needs its conclusion in English and Spanish"),
    ("no norm", "A legal test must be based on at least one norm"),
    ("no element", "A legal test needs at least one element"),
])
def test_a_broken_legal_test_is_named(wire, change, words):
    _, graph = wire
    graph = copy(graph)
    scheme = SCHEME["self-defence"]
    if change == "no Spanish label":
        graph.remove((scheme, RDFS.label, next(c for c in graph.objects(scheme, RDFS.label)
                                               if c.language == "es")))
    elif change == "one conclusion":
        graph.remove((scheme, ILK.conclusion, next(c for c in graph.objects(scheme, ILK.conclusion)
                                                   if c.language == "es")))
    elif change == "no norm":
        graph.remove((scheme, ILK.basedOn, None))
    else:
        graph.remove((scheme, ILK.hasElement, None))
    messages = violations(graph)
    assert any(m.startswith("scheme:self-defence ") and words in m for m in messages), messages


@pytest.mark.parametrize(("change", "words"), [
    ("no question", "An element needs its critical question in English and Spanish"),
    ("two roles", "An element is exactly one of condition or exception"),
    ("no scheme", "An element belongs to exactly one legal test"),
])
def test_a_broken_element_is_named(wire, change, words):
    _, graph = wire
    graph = copy(graph)
    element = SCHEME["self-defence/armed-attack"]
    assert (SCHEME["self-defence"], ILK.hasElement, element) in graph
    if change == "no question":
        graph.remove((element, ILK.criticalQuestion, None))
    elif change == "two roles":
        graph.add((element, ILK.elementRole, ILK.Exception))
    else:
        graph.remove((element, ILK.elementOf, None))
    messages = violations(graph)
    assert any(words in m for m in messages), messages


def test_an_establishes_that_names_a_condition_is_named(wire):
    _, graph = wire
    graph = copy(graph)
    graph.add((SCHEME["self-defence"], ILK.establishes, SCHEME["self-defence/armed-attack"]))
    messages = violations(graph)
    assert any("A legal test can only establish an exception of another test" in m for m in messages)


@pytest.mark.parametrize(("change", "words"), [
    ("none", "A norm needs exactly one source type"),
    ("two", "A norm needs exactly one source type"),
    ("not in the scheme", "A norm needs exactly one source type"),
])
def test_a_norm_without_exactly_one_source_type_of_the_scheme_is_named(wire, change, words):
    _, graph = wire
    graph = copy(graph)
    norm = NORM["un-charter-art-51"]
    assert graph.value(norm, ILK.sourceType) == ILK.TreatyProvision
    if change == "none":
        graph.remove((norm, ILK.sourceType, None))
    elif change == "two":
        graph.add((norm, ILK.sourceType, ILK.CustomaryRule))
    else:
        graph.set((norm, ILK.sourceType, URIRef("https://w3id.org/ilkg/ontology#Treatise")))
    messages = violations(graph)
    assert any(m.startswith("norm:un-charter-art-51 ilk:sourceType: ") and words in m for m in messages)


def test_interpreting_what_is_no_norm_is_named(wire):
    _, graph = wire
    graph = copy(graph)
    interpreter = next(iter(graph.subjects(ILK.interprets)))
    graph.add((interpreter, ILK.interprets, SCHEME["self-defence"]))
    [message] = violations(graph)
    name = graph.namespace_manager.normalizeUri(interpreter)
    assert message.startswith(f"{name} ilk:interprets: A norm can only interpret a norm of the catalogue")
