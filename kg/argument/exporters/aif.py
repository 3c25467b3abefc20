"""AIF JSON as AIFdb and OVA write it: the map for argument-mining corpora and tools.

The Argument Interchange Format never links two propositions directly: each claim is an
information node (I-node, its text the claim's readable label, with the party it is against);
each support is a rule application (RA-node, "Default Inference") and each attack a conflict
(CA-node, "Default Conflict") standing between the two claims, ``source -> RA/CA -> target``.
Who said it is the dialogical side: a locution (L-node, "Claimant : quote") anchored to the claim
by an illocution (YA-node, "Asserting"), listed in ``locutions`` with the participant (the
claimant) and the source document, and the claimants in ``participants``. AIFdb files always
have a ``locutions`` key, and loaders use it to tell AIF from other JSON, so it is always written.

Ids are decimal strings numbered in claim order, then relations in (source, target) order, as in
AIFdb. Timestamps use AIF's ``YYYY-MM-DD HH:mm:ss``: the first day of the claim's date (a claim
dated only by year or month gets the first day of it); a relation node takes the date of the
claim that makes the support or attack.
"""

from __future__ import annotations

from typing import Any, BinaryIO

import networkx as nx

from ...corpus.dates import PartialDate
from ...graph.namespaces import DOC
from ..map import claim_text, period
from . import Exporter, register, sorted_edges, sorted_nodes
from ._shared import clean_text, json_bytes

SCHEME = {"supports": ("RA", "Default Inference"), "attacks": ("CA", "Default Conflict")}


def aif_timestamp(date: str) -> str:
    """AIF's timestamp of a claim dated ``date`` (YYYY, YYYY-MM or YYYY-MM-DD): its first day."""
    return f"{period(PartialDate(date))[0].isoformat()} 00:00:00"


class _Numbering:
    """Hands out AIFdb-style ids: "1", "2", ..."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return str(self.count)


def aif_document(graph: nx.DiGraph) -> dict[str, Any]:
    """The AIF JSON object (``nodes``, ``edges``, ``locutions``, ``participants``) of ``graph``."""
    node_ids, edge_ids = _Numbering(), _Numbering()
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []

    def add_node(kind: str, text: str, timestamp: str) -> str:
        node_id = node_ids.next()
        nodes.append({"nodeID": node_id, "text": clean_text(text), "type": kind, "timestamp": timestamp})
        return node_id

    def link(source: str, target: str) -> None:
        edges.append({"edgeID": edge_ids.next(), "fromID": source, "toID": target, "formEdgeID": None})

    claimants = sorted({graph.nodes[n]["claimant"] for n in graph})
    person = {claimant: str(number) for number, claimant in enumerate(claimants, 1)}
    participants = [{"participantID": person[c], "firstname": _claimant_label(graph, c), "surname": ""}
                     for c in claimants]
    i_nodes: dict[str, str] = {}
    for claim in sorted_nodes(graph):
        data = graph.nodes[claim]
        i_nodes[claim] = add_node("I", claim_text(data), aif_timestamp(data["date"]))
    locutions = []
    for claim in sorted_nodes(graph):
        data = graph.nodes[claim]
        when = aif_timestamp(data["date"])
        locution = add_node("L", f"{data['claimant_label']} : {data['quote']}", when)
        illocution = add_node("YA", "Asserting", when)
        link(locution, illocution)
        link(illocution, i_nodes[claim])
        locutions.append({"nodeID": locution, "personID": person[data["claimant"]], "timestamp": when,
                          "start": None, "end": None, "source": str(DOC[data["document"]])})
    for source, target, relation in sorted_edges(graph):
        kind, text = SCHEME[relation]
        scheme = add_node(kind, text, aif_timestamp(graph.nodes[source]["date"]))
        link(i_nodes[source], scheme)
        link(scheme, i_nodes[target])
    return {"nodes": nodes, "edges": edges, "locutions": locutions, "participants": participants}


def _claimant_label(graph: nx.DiGraph, claimant: str) -> str:
    return clean_text(min(graph.nodes[n]["claimant_label"] for n in graph
                          if graph.nodes[n]["claimant"] == claimant))


@register
class AifExporter(Exporter):
    name = "aif"
    extension = ".json"
    media_type = "application/json"
    description = "AIF JSON (AIFdb/OVA): I-nodes, RA/CA relation nodes, locutions and participants"

    def serialize(self, graph: nx.DiGraph, stream: BinaryIO) -> None:
        stream.write(json_bytes(aif_document(graph)))
