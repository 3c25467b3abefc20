"""The caches of checked files and of each document's output (issue 17): a rebuild after one edit
makes and checks only the documents the edit reaches, and writes the bytes, and reports the
errors, of a build without any cache."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest

from kg.corpus import loader, records_json
from kg.corpus.loader import load_corpus
from kg.corpus.models import Claim, Document
from kg.corpus.records_json import claim_from_json, claim_to_json, document_from_json, document_to_json
from kg.errors import CorpusError
from kg.graph import builder, chunks
from kg.graph.builder import build_graph
from kg.graph.formats import FORMATS
from kg.graph.pipeline import build
from kg.graph.validation import CACHE_NAME
from kg.synth.generate import generate

AMNESTY = "annotations/amnesty-2026-02-03.yaml"


@pytest.fixture
def counted(monkeypatch):
    """Which documents the builder made triples for, and how many claims the loader checked."""
    seen = {"units": [], "claims": 0}
    unit, claim = builder.BuiltGraph.unit, loader._claim

    def counting_unit(self, document_id):
        seen["units"].append(document_id)
        return unit(self, document_id)

    def counting_claim(*args, **kwargs):
        seen["claims"] += 1
        return claim(*args, **kwargs)

    monkeypatch.setattr(builder.BuiltGraph, "unit", counting_unit)
    monkeypatch.setattr(loader, "_claim", counting_claim)
    return seen


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _fresh(corpus, tmp_path, name: str, fmt: str = "turtle") -> bytes:
    target = tmp_path / name / f"graph{FORMATS[fmt].extension}"
    build(corpus, target, fmt, cache=False)
    return target.read_bytes()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic") / "corpus"
    generate(folder, documents=40, seed=7)
    return folder


@pytest.mark.parametrize("fmt", [name for name, f in FORMATS.items() if f.chunked])
@pytest.mark.parametrize("which", ["seed", "synthetic"])
def test_pieces_written_apart_are_the_bytes_of_one_stream(fmt, which, corpus, synthetic):
    built = build_graph(corpus if which == "seed" else load_corpus(synthetic))
    streamed = FORMATS[fmt].serialize(built)
    pieces = io.BytesIO()
    count = chunks.write_by_document(built, FORMATS[fmt], pieces, lambda unit: None, None, lambda: None)
    assert pieces.getvalue() == streamed
    assert count == len(built)


def test_one_edit_makes_and_checks_only_that_document(corpus_copy, tmp_path, counted):
    target = tmp_path / "out" / "graph.ttl"
    build(corpus_copy, target)
    assert len(counted["units"]) == 5

    # A note is read by no other document: only its own document is checked and made again.
    _edit(corpus_copy / "annotations" / "blitz-no-one-is-safe-2026-01.yaml", "    note: >-\n      ",
          "    note: >-\n      (edited) ")
    counted["units"].clear()
    counted["claims"] = 0
    report = build(corpus_copy, target)
    written, checked_claims = target.read_bytes(), counted["claims"]
    assert counted["units"] == ["blitz-no-one-is-safe-2026-01"]
    edited_claims = load_corpus(corpus_copy).claims.values()
    assert checked_claims == sum(c.document == "blitz-no-one-is-safe-2026-01" for c in edited_claims)
    assert report.checked == 1 and report.cached == 5  # the shared unit and four reused documents
    assert b"(edited)" in written
    assert written == _fresh(corpus_copy, tmp_path, "fresh")


def test_a_rebuttal_edited_in_one_document_remakes_the_document_it_answers(corpus_copy, tmp_path, counted):
    """ilk:rebuts is written both ways: dropping Amnesty's rebuttal of a claim of the Secretary-
    General's statement changes that statement's triples too."""
    target = tmp_path / "out" / "graph.nq"
    build(corpus_copy, target, "nquads")
    _edit(corpus_copy / AMNESTY, "rebuts: [us-waltz-justice, us-law-enforcement-raid]\n    supports",
          "rebuts: [us-law-enforcement-raid]\n    supports")
    counted["units"].clear()
    build(corpus_copy, target, "nquads")
    assert sorted(counted["units"]) == ["amnesty-2026-02-03", "sg-alarmed-2026-01-03"]
    assert target.read_bytes() == _fresh(corpus_copy, tmp_path, "fresh", "nquads")


def test_a_changed_catalogue_remakes_every_document(corpus_copy, tmp_path, counted):
    target = tmp_path / "out" / "graph.ttl"
    build(corpus_copy, target)
    _edit(corpus_copy / "catalogues" / "actors.yaml", "en: United States of America,",
          "en: United States of America (edited),")
    counted["units"].clear()
    build(corpus_copy, target)
    assert len(counted["units"]) == 5
    assert target.read_bytes() == _fresh(corpus_copy, tmp_path, "fresh")


def _problems(corpus) -> list:
    with pytest.raises(CorpusError) as raised:
        load_corpus(corpus)
    return raised.value.problems


@pytest.mark.parametrize(("edited", "old", "new", "said", "passes"), [
    # Amnesty's stored claims rebut us-waltz-justice; renaming that claim leaves them pointing at
    # nothing, which a check of the stored file alone would not see: every file is checked again.
    ("sg-alarmed-2026-01-03", "id: us-waltz-justice", "id: us-waltz-justice-renamed", "us-waltz-justice", 2),
    # A stored file (the Secretary-General's, read after Amnesty's) now repeats an id Amnesty took.
    ("amnesty-2026-02-03", "id: amnesty-unlawful-use-of-force", "id: us-waltz-justice", "duplicate id", 2),
    # An edited file repeats an id of a stored file read before it: reported as it is read.
    ("sg-alarmed-2026-01-03", "id: unsg-full-respect-international-law", "id: amnesty-unlawful-use-of-force",
     "duplicate id", 1),
], ids=["target-gone", "stored-file-repeats", "edited-file-repeats"])
def test_a_stored_file_that_no_longer_fits_is_reported_as_without_a_cache(corpus_copy, tmp_path, monkeypatch,
                                                                         edited, old, new, said, passes):
    target = tmp_path / "out" / "graph.ttl"
    build(corpus_copy, target)
    _edit(corpus_copy / "annotations" / f"{edited}.yaml", old, new)
    calls, real = [], loader._annotations
    monkeypatch.setattr(loader, "_annotations", lambda *a, **k: calls.append(1) or real(*a, **k))
    with pytest.raises(CorpusError) as raised:
        build(corpus_copy, target)
    assert len(calls) == passes
    monkeypatch.undo()
    assert raised.value.problems == _problems(corpus_copy)
    assert any(said in p.message for p in raised.value.problems)


def test_damaged_entries_only_cost_time(corpus_copy, tmp_path):
    target = tmp_path / "out" / "graph.ttl"
    build(corpus_copy, target)
    cache = tmp_path / "out" / CACHE_NAME
    for folder in ("checked", "chunks/turtle"):
        for entry in (cache / folder).iterdir():
            if entry.name != chunks.INDEX:
                entry.write_bytes(entry.read_bytes()[:-7] + b"garbage")
    _edit(corpus_copy / AMNESTY, "    note: >-\n      ", "    note: >-\n      (edited) ")
    build(corpus_copy, target)
    assert target.read_bytes() == _fresh(corpus_copy, tmp_path, "fresh")


def test_the_cache_keeps_every_field_of_a_record(corpus):
    """A field added to a record must be added to its JSON too, or the cache would drop it."""
    claim = next(iter(corpus.claims.values()))
    value = claim_to_json(claim)
    lists = value[-1].split(records_json.LISTS)
    assert len(value) - 1 + len(lists) == len(dataclasses.fields(Claim)) + 1  # where: file and line
    document = next(iter(corpus.documents.values()))
    written = set(json.loads(json.dumps(document_to_json(document))))
    assert written | {"text"} == {f.name for f in dataclasses.fields(Document)}


def test_records_come_back_from_json_as_they_were(corpus):
    for document in corpus.documents.values():
        value = json.loads(json.dumps(document_to_json(document)))
        assert document_from_json(value, document.text) == document
    for claim in corpus.claims.values():
        text = corpus.documents[claim.document].text
        assert claim_from_json(json.loads(json.dumps(claim_to_json(claim))), text) == claim
        shared = (claim.document, claim.where.file, claim.annotation)
        assert claim_from_json(claim_to_json(claim, bare=True), text, shared) == claim


def test_the_build_hash_is_swapped_only_where_it_is_the_build(corpus):
    built = build_graph(corpus)
    document = sorted(corpus.documents)[0]
    own = builder._document_provenance(built, corpus.documents[document], built.claims_by_document[document])
    piece = b"".join(t.__str__().encode() for t in own)
    assert chunks._replaceable(own, str(built.build_iri), piece)
    assert not chunks._replaceable(own, str(built.build_iri), piece + chunks.STAND_IN.encode())
    hashed = str(built.build_iri).rsplit("/", 1)[1]
    import pyoxigraph as ox

    odd = [*own, ox.Triple(own[0].subject, own[0].predicate, ox.Literal(f"x{hashed}"))]
    assert not chunks._replaceable(odd, str(built.build_iri), piece)
