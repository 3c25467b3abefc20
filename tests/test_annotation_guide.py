"""The annotation guide's examples build: corpus/README.md's example annotation files, written into a
corpus with the real catalogues and documents, load, build and conform to the shapes, and its norm
example is the catalogue's entry."""

from __future__ import annotations

import shutil
import textwrap

import yaml
from rdflib.namespace import RDF

from kg.corpus.loader import load_corpus
from kg.graph.builder import build_graph
from kg.graph.namespaces import CLAIM, ILK, SCHEME
from kg.graph.validation import validate_graph

from .conftest import CORPUS, REPO
from .test_readme import fenced_blocks

GUIDE = REPO / "corpus" / "README.md"
NEW_FIELDS = {"proposition", "schemes", "affirms", "denies", "rebuts", "undercuts", "undermines"}


def examples(starting: str) -> list[tuple[int, object]]:
    """(line, parsed YAML) of each yaml block of the guide whose text starts with ``starting``
    (other blocks show a few lines out of context, with "..." where a value goes)."""
    blocks = fenced_blocks(GUIDE.read_text(encoding="utf-8"), "yaml")
    texts = [(line, textwrap.dedent("\n".join(body))) for line, body in blocks]
    return [(line, yaml.safe_load(text)) for line, text in texts if text.startswith(starting)]


def annotation_examples() -> list[tuple[int, dict]]:
    return examples("document:")


def guide_corpus(root):
    """The real catalogues and the documents the examples annotate, with the examples as the only
    annotations."""
    (root / "documents").mkdir(parents=True)
    (root / "annotations").mkdir()
    shutil.copytree(CORPUS / "catalogues", root / "catalogues")
    for line, data in annotation_examples():
        document = data["document"]
        for suffix in (".txt", ".yaml"):
            shutil.copy(CORPUS / "documents" / f"{document}{suffix}", root / "documents")
        target = root / "annotations" / f"{document}.yaml"
        assert not target.exists(), f"corpus/README.md:{line}: a second example for {document}"
        target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def test_the_guide_shows_every_argument_field_in_annotation_examples():
    shown = {field for _, data in annotation_examples() for claim in data["claims"] for field in claim}
    assert shown >= NEW_FIELDS, sorted(NEW_FIELDS - shown)
    assert len(annotation_examples()) >= 2  # one document answering another


def test_the_guides_annotation_examples_build_and_conform(tmp_path):
    corpus = load_corpus(guide_corpus(tmp_path / "corpus"))
    claims = {c["id"]: c for _, data in annotation_examples() for c in data["claims"]}
    assert set(corpus.claims) == set(claims)
    graph = build_graph(corpus).union()
    validate_graph(graph)
    for claim_id, example in claims.items():
        iri = CLAIM[claim_id]
        assert (iri, RDF.type, ILK.Claim) in graph
        proposition = example["proposition"]
        english = proposition["en"] if isinstance(proposition, dict) else proposition
        assert {str(p) for p in graph.objects(iri, ILK.proposition) if p.language == "en"} == {english}
        assert set(graph.objects(iri, ILK.appliesScheme)) == {SCHEME[s] for s in example.get("schemes", [])}
        assert set(graph.objects(iri, ILK.deniesElement)) == {SCHEME[e] for e in example.get("denies", [])}
        for kind in ("rebuts", "undercuts", "undermines"):
            for target in example.get(kind, []):
                assert (iri, ILK[kind], CLAIM[target]) in graph
                assert (iri, ILK.attacks, CLAIM[target]) in graph
        for target in example.get("rebuts", []):  # symmetric: built both ways
            assert (CLAIM[target], ILK.rebuts, iri) in graph


def test_the_guides_examples_are_taken_from_the_corpus(corpus, tmp_path):
    """Each example claim is a real claim of these texts: its passages within those annotated, its
    claimant, stance, tests, element positions and answers as annotated."""
    shown = load_corpus(guide_corpus(tmp_path / "corpus"))
    for claim_id, example in shown.claims.items():
        real = corpus.claims[claim_id]
        assert (example.document, example.claimant, example.stance) == (real.document, real.claimant,
                                                                         real.stance)
        for span in example.evidence:
            assert any(span.exact in passage.exact for passage in real.evidence), (claim_id, span.exact)
        for field in ("schemes", "affirms", "denies", "rebuts", "undercuts", "undermines", "invokes"):
            assert set(getattr(example, field)) <= set(getattr(real, field)), (claim_id, field)


def test_the_guides_norm_example_is_the_catalogue_entry():
    [(line, [entry])] = examples("- id:")
    catalogue = yaml.safe_load((REPO / "ontology" / "norms.yaml").read_text(encoding="utf-8"))["norms"]
    real = next(n for n in catalogue if n["id"] == entry["id"])
    assert {k: v for k, v in real.items() if k in entry} == entry, f"corpus/README.md:{line}"
    assert {"source_type", "interprets"} <= entry.keys()
