"""AIF JSON as AIFdb and OVA write it: the map for argument-mining corpora and tools.

The Argument Interchange Format never links two propositions directly. Each claim is an
information node (I-node) whose text is its proposition. The argument inside a claim is a rule
application per legal test (:mod:`.structure`): an RA-node named by the test (its ``text`` and
``scheme`` the test's label) takes the claim's element positions as premises — an I-node each,
"Armed attack: denied", "Necessity: assumed (...)" — to the claim. Positions on a test the claim
does not apply (it answers that test's critical questions) go to the claim through an RA-node
named "Default Inference", as does each annotated support between two claims. Each attack is a
conflict (CA-node) named by its kind — "Rebutting", "Undercutting", "Undermining" or "Default
Conflict" — between the two claims, ``attacker -> CA -> target``; a rebuttal is annotated both
ways, so it has a CA-node each way.

Who said it is the dialogical side: every quote the claim rests on is a locution (L-node,
"Claimant — stance — against whom : quote", so that the file says whom the claim is against,
which AIF has no field for) anchored to the claim by an illocution (YA-node, "Asserting") and listed in
``locutions`` with the participant (the claimant) and the source document; the first locution
also anchors the claim's stated element positions (the claimant asserts them with the claim; an
assumed condition is no one's assertion and has none). The claimants are the ``participants``.
AIFdb files always have a ``locutions`` key, and loaders use it to tell AIF from other JSON, so it
is always written.

Ids are decimal strings numbered in claim order (claims, then their positions, locutions and rule
applications), then relations in (source, target) order, as in AIFdb. Timestamps use AIF's
``YYYY-MM-DD HH:mm:ss``: the first day of the claim's date (a claim dated only by year or month
gets the first day of it); a relation node takes the date of the claim that makes the support or
attack.
"""

from __future__ import annotations

from typing import Any, BinaryIO

import networkx as nx

from ...corpus.dates import PartialDate
from ...graph.namespaces import DOC
from ..map import claim_parties, claim_text, period
from . import Exporter, register, sorted_edges, sorted_nodes
from ._shared import clean_text, json_bytes, quotes
from .structure import edge_kind, scheme_arguments

# AIFdb's names for the conflict schemes of the kinds of attack, and for a plain inference
CONFLICT = {"rebuts": "Rebutting", "undercuts": "Undercutting", "undermines": "Undermining",
            "attacks": "Default Conflict"}
DEFAULT_INFERENCE = "Default Inference"


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

    def add_node(kind: str, text: str, timestamp: str, scheme: str | None = None) -> str:
        node_id = node_ids.next()
        node = {"nodeID": node_id, "text": clean_text(text), "type": kind, "timestamp": timestamp}
        if scheme is not None:
            node["scheme"] = clean_text(scheme)
        nodes.append(node)
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
        said = []
        for quote in quotes(data):
            locution = add_node("L", f"{claim_parties(data)} : {quote}", when)
            illocution = add_node("YA", "Asserting", when)
            link(locution, illocution)
            link(illocution, i_nodes[claim])
            said.append(locution)
            locutions.append({"nodeID": locution, "personID": person[data["claimant"]], "timestamp": when,
                              "start": None, "end": None, "source": str(DOC[data["document"]])})
        for argument in scheme_arguments(graph, claim):
            premises = []
            for premise in argument.premises:
                position = add_node("I", premise.text if argument.applied
                                    else f"{argument.label} — {premise.text}", when)
                if premise.position != "assumed":
                    illocution = add_node("YA", "Asserting", when)
                    link(said[0], illocution)
                    link(illocution, position)
                premises.append(position)
            if not premises:
                continue  # a test applied with no element known: nothing to infer the claim from
            name = argument.label if argument.applied else DEFAULT_INFERENCE
            inference = add_node("RA", name, when, scheme=name)
            for position in premises:
                link(position, inference)
            link(inference, i_nodes[claim])
    for source, target, _ in sorted_edges(graph):
        kind = edge_kind(graph, source, target)
        name = DEFAULT_INFERENCE if kind == "supports" else CONFLICT[kind]
        scheme = add_node("RA" if kind == "supports" else "CA", name,
                          aif_timestamp(graph.nodes[source]["date"]), scheme=name)
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
    description = ("AIF JSON (AIFdb/OVA): propositions as I-nodes, RA-nodes named by legal test over "
                   "the element positions, CA-nodes by kind of attack, every quote a locution")

    def serialize(self, graph: nx.DiGraph, stream: BinaryIO) -> None:
        stream.write(json_bytes(aif_document(graph)))
