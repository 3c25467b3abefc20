"""The RDF serialisations ``kg build --format`` can write, one class each behind a registry.

Each format knows its name, file extension and how to turn a :class:`~kg.builder.BuiltGraph` into
bytes. Output must be byte-identical for the same input, so line-based formats are sorted and
dataset formats keep the named graphs apart.
"""

from __future__ import annotations

import io
import json
from typing import Any, ClassVar

from rdflib.plugins.serializers.trig import TrigSerializer

from .builder import BuiltGraph


class RdfFormat:
    """One serialisation; subclasses set the class attributes and may override ``serialize``."""

    name: ClassVar[str]
    extension: ClassVar[str]
    rdflib_format: ClassVar[str]
    media_type: ClassVar[str]
    dataset: ClassVar[bool] = False  # write named graphs (TriG, N-Quads) or their union
    sort_lines: ClassVar[bool] = False

    def serialize(self, built: BuiltGraph) -> bytes:
        graph = built.dataset() if self.dataset else built.union()
        data = graph.serialize(format=self.rdflib_format, encoding="utf-8")
        if self.sort_lines:
            lines = sorted(set(data.decode("utf-8").splitlines()) - {""})
            data = ("\n".join(lines) + "\n").encode("utf-8")
        return data


class Turtle(RdfFormat):
    name, extension, rdflib_format, media_type = "turtle", ".ttl", "turtle", "text/turtle"


class NTriples(RdfFormat):
    name, extension, rdflib_format, media_type = "nt", ".nt", "nt", "application/n-triples"
    sort_lines = True


class NQuads(RdfFormat):
    name, extension, rdflib_format, media_type = "nquads", ".nq", "nquads", "application/n-quads"
    dataset = True
    sort_lines = True


class JsonLd(RdfFormat):
    """Expanded JSON-LD with nodes sorted by @id and value arrays sorted.

    rdflib emits nodes in the store's iteration order, which varies between interpreter runs;
    JSON-LD value arrays are unordered (except under ``@list``, kept as it is), so sorting them
    changes nothing but makes the bytes stable.
    """

    name, extension, rdflib_format, media_type = "jsonld", ".jsonld", "json-ld", "application/ld+json"

    def serialize(self, built: BuiltGraph) -> bytes:
        nodes = json.loads(super().serialize(built))
        return (json.dumps(_sorted_json(nodes), ensure_ascii=False, indent=2, sort_keys=True)
                + "\n").encode("utf-8")


def _sorted_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: [_sorted_json(i) for i in item] if key == "@list" else _sorted_json(item)
                for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


class _SortedTrigSerializer(TrigSerializer):
    """rdflib's TriG serializer with the named graphs in IRI order (the store yields a set)."""

    def __init__(self, store: Any):
        super().__init__(store)
        self.contexts.sort(key=lambda graph: str(graph.identifier))


class TriG(RdfFormat):
    name, extension, rdflib_format, media_type = "trig", ".trig", "trig", "application/trig"
    dataset = True

    def serialize(self, built: BuiltGraph) -> bytes:
        buffer = io.BytesIO()
        _SortedTrigSerializer(built.dataset()).serialize(buffer, encoding="utf-8")
        return buffer.getvalue()


FORMATS: dict[str, RdfFormat] = {f.name: f() for f in (Turtle, NTriples, JsonLd, TriG, NQuads)}
