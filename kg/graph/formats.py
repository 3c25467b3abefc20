"""The RDF serialisations ``kg build --format`` can write, one class each behind a registry.

Each format knows its name, file extension and media type, and streams a
:class:`~kg.graph.builder.BuiltGraph` to a binary file with pyoxigraph's serializers, document by
document, so that writing a graph of millions of triples needs no more memory than one document.
The builder yields triples in a fixed order (ontology, catalogues, then documents and claims by id),
so the same input gives the same bytes. Dataset formats (TriG, N-Quads) keep the named graphs
apart; the others carry their union.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import BinaryIO, ClassVar

import pyoxigraph as ox

from .builder import ALL_PREFIXES, BuiltGraph, DocumentUnit


class RdfFormat:
    """One serialisation; subclasses set the class attributes."""

    name: ClassVar[str]
    extension: ClassVar[str]
    media_type: ClassVar[str]
    oxigraph_format: ClassVar[ox.RdfFormat]
    rdflib_format: ClassVar[str]  # the name rdflib parses it by (tests, kg.sparql.remote)
    dataset: ClassVar[bool] = False  # write named graphs (TriG, N-Quads) or their union
    prefixes: ClassVar[bool] = True
    # Whether pieces serialised apart concatenate to the bytes of one stream (kg.graph.chunks):
    # not TriG (a graph block would close at each piece) nor JSON-LD (one array).
    chunked: ClassVar[bool] = False

    def prefix_map(self) -> dict[str, str] | None:
        return ALL_PREFIXES if self.prefixes else None

    def header(self) -> bytes:
        """What pyoxigraph writes before the first triple (the prefixes), as it writes it."""
        probe = ox.Triple(ox.NamedNode("https://example.org/kg-probe"),
                          ox.NamedNode("https://example.org/p"), ox.Literal("o"))
        item = ox.Quad(*probe, ox.DefaultGraph()) if self.dataset else probe
        data = ox.serialize([item], format=self.oxigraph_format, prefixes=self.prefix_map())
        return data[:data.index(b"<https://example.org/kg-probe>")]

    def write(self, built: BuiltGraph, stream: BinaryIO,
              on_unit: Callable[[DocumentUnit], None] | None = None) -> int:
        """Stream the graph to ``stream``; return the number of triples (or quads) written."""
        items = built.quads(on_unit) if self.dataset else built.triples(on_unit)
        counted = _Counter(items)
        ox.serialize(counted, stream, self.oxigraph_format,
                     prefixes=ALL_PREFIXES if self.prefixes else None)
        return counted.count

    def serialize(self, built: BuiltGraph) -> bytes:
        buffer = io.BytesIO()
        self.write(built, buffer)
        return buffer.getvalue()


class _Counter:
    """Counts what passes through on its way to the serializer."""

    def __init__(self, items: Iterable):
        self.items = iter(items)
        self.count = 0

    def __iter__(self) -> _Counter:
        return self

    def __next__(self):
        item = next(self.items)
        self.count += 1
        return item


class Turtle(RdfFormat):
    name, extension, media_type = "turtle", ".ttl", "text/turtle"
    oxigraph_format, rdflib_format = ox.RdfFormat.TURTLE, "turtle"
    chunked = True


class NTriples(RdfFormat):
    name, extension, media_type = "nt", ".nt", "application/n-triples"
    oxigraph_format, rdflib_format = ox.RdfFormat.N_TRIPLES, "nt"
    prefixes = False
    chunked = True


class NQuads(RdfFormat):
    name, extension, media_type = "nquads", ".nq", "application/n-quads"
    oxigraph_format, rdflib_format = ox.RdfFormat.N_QUADS, "nquads"
    dataset = True
    prefixes = False
    chunked = True


class JsonLd(RdfFormat):
    """JSON-LD with the prefixes as its context (streamed: each subject's node follows the last)."""

    name, extension, media_type = "jsonld", ".jsonld", "application/ld+json"
    oxigraph_format, rdflib_format = ox.RdfFormat.JSON_LD, "json-ld"


class TriG(RdfFormat):
    name, extension, media_type = "trig", ".trig", "application/trig"
    oxigraph_format, rdflib_format = ox.RdfFormat.TRIG, "trig"
    dataset = True


FORMATS: dict[str, RdfFormat] = {f.name: f() for f in (Turtle, NTriples, JsonLd, TriG, NQuads)}
