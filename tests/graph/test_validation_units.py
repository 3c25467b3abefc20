"""SHACL validation by units (one per document) finds what whole-graph validation finds, and its
cache checks again exactly the documents that changed."""

from __future__ import annotations

import json
import re
import shutil

import pyoxigraph as ox
import pytest
from rdflib.namespace import DCTERMS, RDF

from kg.corpus.loader import load_corpus
from kg.errors import ShapeError
from kg.graph import builder, validation
from kg.graph.namespaces import ACTOR, CLAIM, DOC, ILK, NORM, OA
from kg.graph.pipeline import build
from kg.graph.validation import validate_built, validate_graph

from ..conftest import CORPUS

CLAIM_ID = "amnesty-no-armed-attack"
EVIDENCE = f"{CLAIM[CLAIM_ID]}/evidence/1"
REBUTTING = "amnesty-unlawful-use-of-force"  # rebuts two claims of the US


def _node(iri) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _drop(predicate):
    return lambda t: None if t.predicate == _node(predicate) else t


def _replace(predicate, value):
    return lambda t: ox.Triple(t.subject, t.predicate, value) if t.predicate == _node(predicate) else t


# Each mutation rewrites the triples of one claim as the builder makes them: the shapes must catch
# it in the claim's own unit, with context from other units (types of actors, norms, documents).
MUTATIONS = {
    "no stance": (CLAIM[CLAIM_ID], _drop(ILK.stance)),
    "claimant is a norm": (CLAIM[CLAIM_ID], _replace(ILK.claimant, _node(NORM["un-charter-art-51"]))),
    "date is not a date": (CLAIM[CLAIM_ID], _replace(DCTERMS.date, ox.Literal("early 2026"))),
    "against is a document": (CLAIM[CLAIM_ID], _replace(ILK.against, _node(DOC["sg-alarmed-2026-01-03"]))),
    "negative offset": (f"{EVIDENCE}/position", _replace(OA.start, ox.Literal("-4", datatype=_node(
        "http://www.w3.org/2001/XMLSchema#integer")))),
    "evidence from another document": (EVIDENCE, _replace(OA.hasSource, _node(DOC["sg-alarmed-2026-01-03"]))),
    "quote selector untyped": (f"{EVIDENCE}/quote", lambda t: None if t.predicate == _node(RDF.type) else t),
    "rebuttal not an attack": (CLAIM[REBUTTING], _drop(ILK.attacks)),  # a SHACL-SPARQL constraint
    "attacks an actor": (CLAIM[CLAIM_ID], lambda t: ox.Triple(t.subject, _node(ILK.attacks), _node(ACTOR.USA))
                         if t.predicate == _node(ILK.claimant) else t),
    # The argument layer: its SPARQL shapes read the target's triples, which are in another unit.
    "undercut that denies nothing": (CLAIM[CLAIM_ID], _drop(ILK.deniesElement)),
    "undercut without its attack": (CLAIM[CLAIM_ID], _drop(ILK.attacks)),
    "proposition only in Spanish": (CLAIM[CLAIM_ID], _replace(ILK.proposition, ox.Literal(
        "El narcotráfico no es un ataque armado.", language="es"))),
}


@pytest.fixture
def mutate(monkeypatch):
    """Make the builder apply one mutation to the triples of the claim it concerns."""

    def apply(name: str) -> None:
        subject, change = MUTATIONS[name]
        original = builder._add_claim

        def mutated(out, *arguments, **options):
            made: list = []
            original(made, *arguments, **options)
            for triple in made:
                kept = change(triple) if triple.subject.value == str(subject) else triple
                if kept is not None:
                    out.append(kept)

        monkeypatch.setattr(builder, "_add_claim", mutated)

    return apply


def _messages(error: ShapeError) -> set[str]:
    return {problem.message for problem in error.problems}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_units_report_what_the_whole_graph_reports(mutate, name):
    mutate(name)
    built = builder.build_graph(load_corpus(CORPUS))
    with pytest.raises(ShapeError) as whole:
        validate_graph(built.union())
    with pytest.raises(ShapeError) as units:
        validate_built(built)
    assert _messages(units.value) == _messages(whole.value)
    claim = REBUTTING if REBUTTING in str(MUTATIONS[name][0]) else CLAIM_ID
    assert any(claim in message for message in _messages(units.value))


def test_a_violation_found_in_a_worker_process_is_reported(mutate, monkeypatch):
    mutate("no stance")
    monkeypatch.setattr(validation, "PARALLEL_FROM", 1)
    built = builder.build_graph(load_corpus(CORPUS))
    with pytest.raises(ShapeError) as caught:
        validate_built(built, jobs=2)
    assert any(f"claim:{CLAIM_ID} ilk:stance" in m for m in _messages(caught.value))


def test_the_cache_checks_again_only_what_changed(corpus_copy, tmp_path):
    target = tmp_path / "out" / "graph.nt"
    first = build(corpus_copy, target, "nt")
    units = len(load_corpus(corpus_copy).documents) + 1
    assert (first.checked, first.cached) == (units, 0)

    again = build(corpus_copy, target, "nt")
    assert (again.checked, again.cached) == (0, units)
    assert again.triples == first.triples

    annotation = corpus_copy / "annotations" / "amnesty-2026-02-03.yaml"
    text = annotation.read_text(encoding="utf-8")
    note = re.search(r"^    note: >-\n      ", text, re.MULTILINE)  # a folded note's first line
    assert note, "the Amnesty annotations have a folded note"
    annotation.write_text(text[:note.end()] + "(edited) " + text[note.end():], encoding="utf-8")
    edited = build(corpus_copy, target, "nt")
    assert (edited.checked, edited.cached) == (1, units - 1)
    assert b"(edited)" in target.read_bytes()

    fresh = build(corpus_copy, target, "nt", cache=False)
    assert (fresh.checked, fresh.cached) == (units, 0)


def test_a_failing_document_is_not_cached(mutate, corpus_copy, tmp_path):
    target = tmp_path / "graph.ttl"
    build(corpus_copy, target)
    good = target.read_bytes()
    # The inputs stay and the code "changes" (in memory only, so its stamp does not: what the
    # stamp would invalidate, the record of the build and the stored pieces of output, goes).
    (tmp_path / validation.CACHE_NAME / "builds.json").unlink()
    shutil.rmtree(tmp_path / validation.CACHE_NAME / "chunks")
    mutate("no stance")
    for _ in range(2):  # the second build checks the broken document again
        with pytest.raises(ShapeError):
            build(corpus_copy, target)
    assert target.read_bytes() == good


def test_a_damaged_cache_only_costs_time(corpus_copy, tmp_path):
    target = tmp_path / "graph.ttl"
    build(corpus_copy, target)
    cache = tmp_path / validation.CACHE_NAME / "shacl.json"
    assert json.loads(cache.read_text())["conforming"]
    cache.write_text("{not json")
    (tmp_path / validation.CACHE_NAME / "builds.json").unlink()  # else nothing changed: no build
    shutil.rmtree(tmp_path / validation.CACHE_NAME / "chunks")  # else each document's piece is reused
    report = build(corpus_copy, target)
    assert report.cached == 0 and report.checked > 0
    assert json.loads(cache.read_text())["conforming"]


# --- the Jena engine gives pySHACL's results (Java and Debian's libapache-jena-java are needed) ---


@pytest.fixture(scope="module")
def jena():
    from kg.graph.shacl_jena import JenaProcess, missing

    assert missing() is None, missing()  # CI installs Jena (.ci/run); so must a developer
    process = JenaProcess()
    yield process
    process.close()


def _units(built) -> list[validation.Unit]:
    return [validation.shared_unit(built), *(validation.document_unit(built, unit) for unit in built.units())]


def _found(results) -> set[tuple]:
    """(focus, path, component) of the results; pySHACL's sh:detail lines (the why of a failed
    sh:node, which Jena 4.5 does not give) are left out: messages come from pySHACL anyway."""
    return {(str(r.focus), str(r.path) if r.path is not None else None, str(r.component))
            for r in results if not r.detail}


SPARQL_COMPONENT = "http://www.w3.org/ns/shacl#SPARQLConstraintComponent"


def test_jena_finds_nothing_in_the_seed_corpus(jena):
    units = _units(builder.build_graph(load_corpus(CORPUS)))
    jena.send(*validation.jena_request(units))
    assert validation.jena_results(jena.receive(), units) == []


def test_jena_reports_what_pyshacl_reports(mutate, monkeypatch, jena):
    components = set()
    for name in sorted(MUTATIONS):
        monkeypatch.undo()
        mutate(name)
        units = _units(builder.build_graph(load_corpus(CORPUS)))
        expected = _found(validation.pyshacl_results(units)[0])
        jena.send(*validation.jena_request(units))
        assert _found(validation.jena_results(jena.receive(), units)) == expected, name
        assert expected, name
        components |= {component for _, _, component in expected}
    assert SPARQL_COMPONENT in components  # the shapes' SHACL-SPARQL constraints run in Jena too


@pytest.mark.parametrize("name", ["attacks an actor", "quote selector untyped"])
def test_messages_are_the_same_whatever_engine_checked(mutate, monkeypatch, name):
    mutate(name)
    monkeypatch.setattr(validation, "BATCH_JENA", 2)  # several batches in flight
    built = builder.build_graph(load_corpus(CORPUS))
    with pytest.raises(ShapeError) as by_pyshacl:
        validate_built(built, engine="pyshacl")
    with pytest.raises(ShapeError) as by_jena:
        validate_built(built, engine="jena")
    assert by_jena.value.problems == by_pyshacl.value.problems
