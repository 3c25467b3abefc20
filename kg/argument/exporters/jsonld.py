"""JSON-LD: the map as RDF in the ontology's own terms, for linked-data tools and triple stores.

Each claim is an ``ilk:Claim`` with its ``ilk:proposition`` (``@en``, and ``@es`` where there is
one), ``rdfs:label``, ``ilk:claimant`` and ``ilk:against`` (labelled, so a reader sees names and not
only IRIs), ``ilk:stance``, the legal tests it applies (``ilk:appliesScheme``) and the elements it
takes a position on (``ilk:affirmsElement``, ``ilk:deniesElement``; tests and elements with their
``rdfs:label``), its ``ilk:supports`` and its attacks by kind: ``ilk:rebuts``, ``ilk:undercuts``,
``ilk:undermines``, each with the ``ilk:attacks`` it implies, as the builder materialises it —
the same triples the built graph has, so the export merges cleanly with it.
When the map was labelled under a semantics, each claim also gets ``ilk:acceptance`` ("in",
"out" or "undec") and ``ilk:acceptanceSemantics`` ("grounded", "preferred" or "stable"): a
reading of the map, not a fact of the corpus, which is why those two are in the export and never
in the built graph. The export then also carries the ontology's own ``rdfs:comment`` of
``ilk:acceptance`` (the same triple as in ``ontology/ilkg.ttl``, so merging adds nothing), which
says that the labels are a structural reading of the annotated attacks, not a legal verdict,
and a second English comment naming the reading this export used (structured by default, as
``kg map``), its assumptions and its preference ordering. ``rdfs:label`` stays the built graph's
(claimant — stance — norms) so that the export merges with the graph without a second label;
readers see ``ilk:proposition``.

rdflib builds and serializes the graph; its JSON-LD writer follows the store's set order, which
changes from run to run, so the result is put in a canonical order (nodes by ``@id``, multiple
values sorted) before it is written.
"""

from __future__ import annotations

import functools
import json
from typing import Any, BinaryIO

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from ...errors import SetupError
from ...graph.namespaces import ACTOR, CLAIM, ILK, SCHEME
from ...resources import ontology_dir
from . import Exporter, labelled, reading, register, sorted_edges, sorted_nodes
from ._shared import json_bytes

CONTEXT = {"ilk": str(ILK), "rdfs": str(RDFS), "claim": str(CLAIM), "actor": str(ACTOR),
           "scheme": str(SCHEME)}
KINDS = {"rebuts": ILK.rebuts, "undercuts": ILK.undercuts, "undermines": ILK.undermines}
POSITIONS = (("affirms", "affirm_labels", ILK.affirmsElement), ("denies", "deny_labels", ILK.deniesElement))


def map_triples(graph: nx.DiGraph) -> Graph:
    """The claims of ``graph`` and the relations between them as an rdflib graph."""
    rdf = Graph()
    semantics = graph.graph.get("semantics")
    for node in sorted_nodes(graph):
        data = graph.nodes[node]
        claim, claimant = URIRef(data["iri"]), ACTOR[data["claimant"]]
        rdf.add((claim, RDF.type, ILK.Claim))
        rdf.add((claim, RDFS.label, Literal(data["label"])))
        rdf.add((claim, ILK.claimant, claimant))
        rdf.add((claimant, RDFS.label, Literal(data["claimant_label"], lang="en")))
        rdf.add((claim, ILK.stance, ILK[data["stance"]]))
        for text, lang in ((data.get("proposition"), "en"), (data.get("proposition_es"), "es")):
            if text:
                rdf.add((claim, ILK.proposition, Literal(text, lang=lang)))
        for scheme, label in zip(data.get("schemes", []), data.get("scheme_labels", []), strict=False):
            rdf.add((claim, ILK.appliesScheme, SCHEME[scheme]))
            rdf.add((SCHEME[scheme], RDFS.label, Literal(label, lang="en")))
        for key, labels, prop in POSITIONS:
            for element, label in zip(data.get(key, []), data.get(labels, []), strict=False):
                rdf.add((claim, prop, SCHEME[element]))
                rdf.add((SCHEME[element], RDFS.label, Literal(label, lang="en")))
        for party, name in zip(data.get("against_ids", []), data.get("against", []), strict=True):
            rdf.add((claim, ILK.against, ACTOR[party]))
            rdf.add((ACTOR[party], RDFS.label, Literal(name, lang="en")))
        if data.get("acceptance") and semantics:
            rdf.add((claim, ILK.acceptance, Literal(data["acceptance"])))
            rdf.add((claim, ILK.acceptanceSemantics, Literal(semantics)))
    if labelled(graph):
        rdf.add((ILK.acceptance, RDFS.comment, acceptance_comment()))
        # the ontology's comment describes the abstract reading; this export says which it used
        rdf.add((ILK.acceptance, RDFS.comment, Literal(f"In this export: {reading(graph)}.", lang="en")))
    for source, target, relation in sorted_edges(graph):
        edge = (URIRef(graph.nodes[source]["iri"]), URIRef(graph.nodes[target]["iri"]))
        if relation == "supports":
            rdf.add((edge[0], ILK.supports, edge[1]))
            continue
        rdf.add((edge[0], ILK.attacks, edge[1]))
        for kind in graph.edges[source, target].get("kinds", []):
            if kind in KINDS:
                rdf.add((edge[0], KINDS[kind], edge[1]))
    return rdf


@functools.cache
def acceptance_comment() -> Literal:
    """The ontology's ``rdfs:comment`` of ``ilk:acceptance``, as ``ontology/ilkg.ttl`` has it."""
    ontology = Graph().parse(ontology_dir() / "ilkg.ttl", format="turtle")
    comment = next((c for c in ontology.objects(ILK.acceptance, RDFS.comment)
                    if getattr(c, "language", None) == "en"), None)
    if comment is None:
        raise SetupError("ontology/ilkg.ttl has no English rdfs:comment for ilk:acceptance; reinstall ilkg")
    return comment


def _canonical(value: Any) -> Any:
    """``value`` with every JSON array sorted and ``@graph`` ordered by ``@id``."""
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_canonical(item) for item in value]
        return sorted(items, key=lambda item: (str(item.get("@id", "")) if isinstance(item, dict) else "",
                                               json.dumps(item, sort_keys=True, ensure_ascii=False)))
    return value


@register
class JsonldExporter(Exporter):
    name = "jsonld"
    extension = ".jsonld"
    media_type = "application/ld+json"
    description = ("JSON-LD with the ontology's terms (ilk:Claim, ilk:proposition, ilk:rebuts/undercuts/"
                   "undermines/attacks, ilk:supports, ilk:appliesScheme, ilk:acceptance)")

    def serialize(self, graph: nx.DiGraph, stream: BinaryIO) -> None:
        text = map_triples(graph).serialize(format="json-ld", context=CONTEXT, auto_compact=True)
        stream.write(json_bytes(_canonical(json.loads(text))))
