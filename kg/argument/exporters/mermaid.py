"""Mermaid flowchart: the map as text that GitHub, GitLab and many wikis draw in a Markdown page.

Node ids are opaque (``n1``, ``n2``, ... in claim order): a claim id could be a Mermaid keyword
(``end``) or hold characters that end a node. Labels are double-quoted strings in which every
character Mermaid treats specially is written as an entity code (``#35;`` for ``#``): double
quotes would end the string; ``#...;`` starts an entity; ``<`` and ``&`` are HTML in Mermaid's
labels; ``:`` and ``;`` take part in Mermaid's own pre-processing of ``style`` lines; a backtick
starts a Markdown string. Line breaks become ``<br/>``. Each box reads the proposition, then who
asserts it against whom. Supports are green arrows; attacks are red lines ending in a cross,
labelled with their kind and drawn by it (Mermaid's thick line a rebuttal, a dashed stroke an
undercut, its dotted line an undermining, a plain line a plain attack); claims are filled by
acceptance, and a labelled map has a title (front matter) saying what the labels are and are not.
"""

from __future__ import annotations

import json
from typing import BinaryIO

import networkx as nx

from . import Exporter, labelled, reading, register, sorted_edges, sorted_nodes
from ._shared import ACCEPTANCE_FILL, RELATION_COLOUR, caption_lines, clean_text, legend, opaque_ids
from .structure import edge_kind

_SPECIAL = '"#&<>:;`\\'
# Mermaid's link of each kind (see _shared.KIND_LINES): normal, thick or dotted, and for an
# undercut a dashed stroke set in its linkStyle
ARROW = {"supports": "-->", "rebuts": "==x", "undercuts": "--x", "undermines": "-.-x", "attacks": "--x"}
_DASHED = "stroke-dasharray:6 3"


def mermaid_text(text: str) -> str:
    """``text`` safe inside a double-quoted Mermaid label, as decimal entity codes."""
    return "".join(f"#{ord(char)};" if char in _SPECIAL else char for char in clean_text(text))


@register
class MermaidExporter(Exporter):
    name = "mermaid"
    extension = ".mmd"
    media_type = "text/vnd.mermaid"
    description = ("Mermaid flowchart for Markdown pages: propositions with who says them against whom, "
                   "attacks drawn and labelled by kind; ids opaque, labels entity-escaped")

    def serialize(self, graph: nx.DiGraph, stream: BinaryIO) -> None:
        ids = opaque_ids(graph)
        # The title is drawn above the chart: what its in / out / undec are is read with them. A
        # JSON string is a YAML string, so the front matter holds it whatever it says.
        title = []
        if labelled(graph):
            heading = json.dumps(f"In / out / undec: {reading(graph)}", ensure_ascii=False)
            title = ["---", f"title: {heading}", "---"]
        lines = [*title,
                 f"%% {' '.join(legend(graph).split())}",
                 "%% Node ids are opaque (n1, n2, ... in claim-id order).",
                 "flowchart BT"]
        for node in sorted_nodes(graph):
            caption = "<br/>".join(mermaid_text(line) for line in caption_lines(graph, node))
            lines.append(f'  {ids[node]}["{caption}"]')
        links: dict[tuple[str, bool], list[str]] = {}
        for index, (source, target, relation) in enumerate(sorted_edges(graph)):
            kind = edge_kind(graph, source, target)
            lines.append(f"  {ids[source]} {ARROW[kind]}|{kind}| {ids[target]}")
            links.setdefault((relation, kind == "undercuts"), []).append(str(index))
        for (relation, dashed), indices in sorted(links.items()):
            colour = RELATION_COLOUR[relation]
            lines.append(f"  linkStyle {','.join(indices)} stroke:{colour},color:{colour}"
                         + (f",{_DASHED}" if dashed else ""))
        for acceptance, fill in ACCEPTANCE_FILL.items():
            members = [ids[n] for n in sorted_nodes(graph) if graph.nodes[n].get("acceptance") == acceptance]
            if members:
                lines.append(f"  classDef acceptance_{acceptance} fill:{fill},stroke:#555555")
                lines.append(f"  class {','.join(members)} acceptance_{acceptance}")
        stream.write(("\n".join(lines) + "\n").encode("utf-8"))
