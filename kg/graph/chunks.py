"""Each document's share of the output bytes, kept between builds in ``.kg-cache/chunks/``.

After one annotation is edited, a corpus of ten thousand documents still had to be built into
three million triples, serialised and put through SHACL again, to change a few hundred bytes of
the output. Two facts make that unnecessary for the line-based formats (N-Triples, N-Quads) and
for Turtle as pyoxigraph writes it (one statement per subject, prefixes declared once at the top):

- The output is the prefixes, then the ontology and catalogues, then each document's corpus
  triples, then the build's provenance, then each document's provenance, in a fixed order; and
  serialising those pieces one by one and concatenating the bytes gives the bytes of one stream.
  That needs only that no piece ends with the subject the next one starts with, which holds by
  construction: a corpus piece starts with its document and ends with that document or one of its
  claims, a provenance piece starts with the build activity and ends with its document or a claim,
  and the shared provenance ends with the file entity of a shared input. ``tests/graph/
  test_chunks.py`` compares both writings byte for byte.
- A document's pieces and the verdict of its SHACL unit depend only on :func:`document_key`: its
  own files, everything shared (catalogues, ontology, shapes, the kg code, the libraries), and the
  few facts of other documents its triples or its unit's context show (which claims rebut its
  claims, the tests an undercut target applies). The build IRI (a hash of every input) appears in
  the provenance only; a piece keeps a stand-in for it, replaced as the piece is written.

So a piece is stored under its key once its build conformed, and a later build writes it as it is
when the key comes again, without making its triples or checking its unit. Entries carry the
SHA-256 of their bytes (a damaged one is a miss); the index of a build's keys is written only
after the build passed, and entries no build of that output uses are deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .builder import BuiltGraph, DocumentUnit, _document_provenance, _ontology_inputs, term
from .formats import RdfFormat
from .namespaces import GRAPH
from .output import write_atomic
from .parse_cache import code_stamp, write_entry

FOLDER = "chunks"
INDEX = "index.json"
# The build IRI is BUILD + 16 hex digits; its pieces keep this stand-in of the same shape.
STAND_IN = "0000kgbuild0000"
_SHARED = ("ontology", "catalogues")


def shared_digest(built: BuiltGraph, fmt: RdfFormat) -> bytes:
    """What every piece depends on: format, kg code and libraries, and the inputs no document owns
    (catalogues, ontology, shapes, schemes; their hashes are in the build's provenance)."""
    digest = hashlib.sha256(f"{fmt.name}\0".encode())
    digest.update(code_stamp("pyoxigraph", "rdflib", "pyshacl", "PyYAML").encode())
    owned = {item.path for items in built.inputs_by_document.values() for item in items}
    for item in sorted((*built.corpus.inputs, *_ontology_inputs()), key=lambda f: f.path):
        if item.path not in owned:
            digest.update(f"{item.path}\t{item.sha256}\n".encode())
    return digest.digest()


def document_key(built: BuiltGraph, document_id: str, shared: bytes) -> str:
    """The key of a document's pieces: ``shared``, its own files, and what other documents add."""
    digest = hashlib.sha256(shared)
    digest.update(f"{document_id}\n".encode())
    for item in built.inputs_by_document.get(document_id, ()):
        digest.update(f"{item.path}\t{item.sha256}\n".encode())
    claims = built.corpus.claims
    for claim in built.claims_by_document.get(document_id, ()):
        digest.update(f"{claim.id}\t{','.join(built.rebutted_by.get(claim.id, ()))}\n".encode())
        for target in claim.undercuts:
            digest.update(f"\t{target}:{','.join(claims[target].schemes)}\n".encode())
    return digest.hexdigest()


class ChunkCache:
    """``get(key)`` a stored (corpus piece, provenance piece, triples), ``put`` a new one; after a
    build that passed, ``commit()`` the keys it used (and delete the others)."""

    def __init__(self, cache_folder: Path, fmt: RdfFormat):
        self.folder = cache_folder / FOLDER / fmt.name
        self.used: set[str] = set()
        self.hits = 0
        try:
            self.known = set(json.loads((self.folder / INDEX).read_text("utf-8"))["keys"])
        except (OSError, ValueError, KeyError, TypeError):
            self.known = set()

    def get(self, key: str) -> tuple[bytes, bytes, int] | None:
        if key not in self.known:
            return None
        try:
            head, _, body = (self.folder / key).read_bytes().partition(b"\n")
            check, corpus_size, count = head.decode().split()
            if hashlib.sha256(body).hexdigest() != check:
                return None
            split = int(corpus_size)
            found = body[:split], body[split:], int(count)
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        self.used.add(key)
        self.hits += 1
        return found

    def put(self, key: str, corpus: bytes, provenance: bytes, count: int) -> None:
        body = corpus + provenance
        head = f"{hashlib.sha256(body).hexdigest()} {len(corpus)} {count}\n".encode()
        if write_entry(self.folder / key, head + body):
            self.used.add(key)

    def commit(self) -> None:
        """Record this build's keys as good; delete the entries it did not use."""
        try:
            write_atomic(self.folder / INDEX, json.dumps({"keys": sorted(self.used)}).encode(),
                         durable=False)
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name != INDEX and name not in self.used:
                with contextlib.suppress(OSError):
                    (self.folder / name).unlink()


def write_by_document(built: BuiltGraph, fmt: RdfFormat, stream: BinaryIO,
                      on_unit: Callable[[DocumentUnit], None], chunks: ChunkCache | None,
                      reused: Callable[[], None]) -> int:
    """Write the graph piece by piece (see the module's docstring); return the triples written.

    A document whose pieces come from ``chunks`` calls ``reused()`` (its unit is neither made nor
    checked); any other document's unit goes to ``on_unit`` and its pieces into ``chunks``.
    """
    if not fmt.chunked:
        raise ValueError(f"{fmt.name} cannot be written piece by piece")
    build = built.build_iri.rsplit("/", 1)[1].encode()
    writer = _Pieces(fmt)
    count = writer.write(stream, [*_SHARED], [built.ontology, built.catalogues])
    shared = shared_digest(built, fmt)
    provenance: list[bytes] = []
    for document_id in sorted(built.corpus.documents):
        key = document_key(built, document_id, shared)
        found = chunks.get(key) if chunks is not None else None
        if found is not None:
            corpus_piece, provenance_piece, triples = found
            provenance_piece = provenance_piece.replace(STAND_IN.encode(), build)
            reused()
        else:
            unit = built.unit(document_id)
            on_unit(unit)
            corpus_piece = writer.piece("corpus", unit.corpus)
            own = _document_provenance(built, built.corpus.documents[document_id],
                                       built.claims_by_document.get(document_id, []))
            provenance_piece = writer.piece("provenance", own)
            triples = len(unit.corpus) + len(own)
            if chunks is not None and _replaceable(own, str(built.build_iri), provenance_piece):
                chunks.put(key, corpus_piece, provenance_piece.replace(build, STAND_IN.encode()), triples)
        stream.write(corpus_piece)
        provenance.append(provenance_piece)
        count += triples
    count += writer.write(stream, ["provenance"], [built.build_provenance])
    for piece in provenance:
        stream.write(piece)
    return count


def _replaceable(triples: list[ox.Triple], build_iri: str, piece: bytes) -> bool:
    """Whether swapping the build's hash and the stand-in in ``piece`` touches exactly the build
    IRI: neither may occur anywhere else (a file name or a literal could hold either)."""
    build = build_iri.rsplit("/", 1)[1]
    if STAND_IN.encode() in piece:
        return False
    for triple in triples:
        for value in (triple.subject, triple.object):
            text = value.value
            if isinstance(value, ox.NamedNode) and text.startswith(build_iri):
                text = text[len(build_iri):]
            if build in text or STAND_IN in text:
                return False
    return True


class _Pieces:
    """Serialises pieces of the output without the prefixes each serialisation starts with."""

    def __init__(self, fmt: RdfFormat):
        self.fmt = fmt
        self.prefixes = fmt.prefix_map()
        self.header = fmt.header()
        self.started = False

    def piece(self, graph: str, triples: list[ox.Triple]) -> bytes:
        items = triples
        if self.fmt.dataset:
            name = term(GRAPH[graph])
            items = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
        data = ox.serialize(items, format=self.fmt.oxigraph_format, prefixes=self.prefixes)
        if not data:
            return data
        if not data.startswith(self.header):
            raise AssertionError("pyoxigraph wrote a piece without the expected prefixes")
        return data[len(self.header):]

    def write(self, stream: BinaryIO, graphs: list[str], parts: list[list[ox.Triple]]) -> int:
        if not self.started:  # the prefixes, once, at the top
            stream.write(self.header)
            self.started = True
        for graph, part in zip(graphs, parts, strict=True):
            stream.write(self.piece(graph, part))
        return sum(len(part) for part in parts)
