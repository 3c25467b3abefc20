"""CSV edge list: one row per support or attack, for spreadsheets and quick network tools."""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

import networkx as nx

from . import Exporter, register, sorted_edges


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
                         "source_acceptance", "target_acceptance"])
        for source, target, relation in sorted_edges(graph):
            writer.writerow([source, relation, target, graph.nodes[source]["label"],
                             graph.nodes[target]["label"], graph.nodes[source].get("acceptance", ""),
                             graph.nodes[target].get("acceptance", "")])
        stream.write(text.getvalue().encode("utf-8"))
