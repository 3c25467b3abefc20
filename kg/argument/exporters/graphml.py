"""GraphML: the map with every claim attribute as a data key, for Gephi, yEd, Cytoscape, networkx.

A claim carries what the map knows of it — its ``proposition`` (and ``proposition_es``; the
proposition is also the node's ``label``, which yEd and Gephi display, and the generated
"claimant — stance — norms" text is its ``summary``), who
asserts it against whom (``parties``, and ``claimant``, ``against``), the legal tests it applies
(``schemes``), the elements it affirms and denies, every quote — and each edge its ``relation``,
for an attack its ``kind`` (rebuts, undercuts, undermines, attacks) and the elements it is
``about``.

GraphML values are scalars, so lists (the norms, events and parties of a claim) are joined with
``"; "`` — labels of norms contain commas (``UNGA Res. 3314 (XXIX), Annex, Art. 2``), semicolons
read as the separator. A labelled map's graph says what its ``acceptance`` values are in
``acceptance_reading``. Attributes without a value (a claim voiced by no one) are left out rather
than written as ``None``. Written with networkx's ElementTree writer, which escapes XML, in claim
order, so the bytes do not depend on whether lxml happens to be installed.
"""

from __future__ import annotations

import io
from typing import BinaryIO

import networkx as nx

from ..map import claim_parties, claim_text, element_labels
from . import Exporter, labelled, reading, register, sorted_edges, sorted_nodes
from ._shared import clean_text
from .structure import at_stake, edge_kind

LIST_SEPARATOR = "; "


def _value(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(clean_text(str(item)) for item in value)
    return clean_text(str(value))


def flat_map(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``graph`` whose attributes are all strings (lists joined, None left out)."""
    flat = nx.DiGraph()
    flat.graph.update({k: v for k, v in sorted(graph.graph.items())
                       if isinstance(v, str)})
    if labelled(graph):
        flat.graph["acceptance_reading"] = reading(graph)
    for node in sorted_nodes(graph):
        # ``label`` is what yEd and Gephi show on a node: the proposition; the generated
        # "claimant — stance — norms" text stays under ``summary``
        attributes = graph.nodes[node]
        data = {**attributes, "parties": claim_parties(attributes), "label": claim_text(attributes),
                "summary": attributes["label"]}
        values = {key: _value(data[key]) for key in sorted(data)}
        flat.add_node(node, **{key: value for key, value in values.items() if value is not None})
    names = element_labels(graph)
    for source, target, relation in sorted_edges(graph):
        attributes = {"relation": relation}
        if relation == "attacks":
            kind = edge_kind(graph, source, target)
            attributes.update(kind=kind, kinds=_value(graph.edges[source, target].get("kinds", [kind])),
                              about=_value([names.get(e, e) for e in at_stake(graph, source, target)]))
        flat.add_edge(source, target, **attributes)
    return flat


@register
class GraphmlExporter(Exporter):
    name = "graphml"
    extension = ".graphml"
    media_type = "application/graphml+xml"
    description = "GraphML with every claim attribute as a data key (lists joined with '; ')"

    def serialize(self, graph: nx.DiGraph, stream: BinaryIO) -> None:
        buffer = io.BytesIO()
        nx.write_graphml_xml(flat_map(graph), buffer, encoding="utf-8", prettyprint=True)
        stream.write(buffer.getvalue())
