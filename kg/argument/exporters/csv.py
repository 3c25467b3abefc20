"""CSV edge list: one row per support or attack, for spreadsheets and quick network tools.

Each row has the relation and, for an attack, its kind (rebuts, undercuts, undermines or plain
attacks) and the elements it is about ("Armed attack (Self-defence ...)"); each claim is given by
its proposition, who asserts it against whom, the legal tests it applies and its positions on
their elements. A map labelled under a semantics also fills ``acceptance_reading`` on every row,
saying what the acceptance columns are: a spreadsheet has no place for a note that stays next to
the numbers otherwise.
"""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

import networkx as nx

from ..map import claim_parties, claim_text, element_labels
from . import Exporter, labelled, reading, register, sorted_edges
from .structure import at_stake, edge_kind, scheme_arguments

COLUMNS = ["source", "relation", "kind", "target", "source_proposition", "source_parties",
           "source_argument", "target_proposition", "target_parties", "target_argument", "about",
           "source_acceptance", "target_acceptance", "acceptance_reading"]


def argument_text(graph: nx.DiGraph, node: str) -> str:
    """"Self-defence (...): Armed attack: assumed ...; Necessity: affirmed | ...": the claim's
    argument per legal test, one cell."""
    return " | ".join(f"{argument.label}: " + "; ".join(p.text for p in argument.premises)
                      if argument.premises else argument.label
                      for argument in scheme_arguments(graph, node))


@register
class CsvExporter(Exporter):
    name = "csv"
    extension = ".csv"
    media_type = "text/csv"
    description = ("edge list: source, relation, kind of attack, target, each claim's proposition, "
                   "parties and argument, the elements at stake")

    def serialize(self, graph: nx.DiGraph, stream: BinaryIO) -> None:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        note = reading(graph) if labelled(graph) else ""
        names = element_labels(graph)
        for source, target, relation in sorted_edges(graph):
            kind = edge_kind(graph, source, target)
            about = [] if kind == "supports" else [names.get(e, e) for e in at_stake(graph, source, target)]
            one, other = graph.nodes[source], graph.nodes[target]
            writer.writerow([source, relation, kind if relation == "attacks" else "", target,
                             claim_text(one), claim_parties(one), argument_text(graph, source),
                             claim_text(other), claim_parties(other), argument_text(graph, target),
                             "; ".join(about), one.get("acceptance", ""), other.get("acceptance", ""), note])
        stream.write(text.getvalue().encode("utf-8"))
