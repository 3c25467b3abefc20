"""CSV edge list: one row per support or attack, for spreadsheets and quick network tools.

Labels are each claim's readable text (with the party it is against). A map labelled under a
semantics also fills ``acceptance_reading`` on every row, saying what the acceptance columns are:
a spreadsheet has no place for a note that stays next to the numbers otherwise.
"""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

import networkx as nx

from ..map import claim_text
from . import Exporter, labelled, reading, register, sorted_edges


@register
class CsvExporter(Exporter):
    name = "csv"
    extension = ".csv"
    media_type = "text/csv"
    description = "edge list: source, relation, target, with each claim's readable label"

    def serialize(self, graph: nx.DiGraph, stream: BinaryIO) -> None:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(["source", "relation", "target", "source_label", "target_label",
                         "source_acceptance", "target_acceptance", "acceptance_reading"])
        note = reading(graph) if labelled(graph) else ""
        for source, target, relation in sorted_edges(graph):
            writer.writerow([source, relation, target, claim_text(graph.nodes[source]),
                             claim_text(graph.nodes[target]), graph.nodes[source].get("acceptance", ""),
                             graph.nodes[target].get("acceptance", ""), note])
        stream.write(text.getvalue().encode("utf-8"))
