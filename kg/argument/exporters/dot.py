"""Graphviz DOT: the map as a drawing that ``dot`` lays out (and the SVG exporter renders).

Node ids are opaque (``n1``, ``n2``, ... in claim order, see :func:`._shared.opaque_ids`): in DOT
``a:b`` is node ``a``, port ``b``. What a reader needs is in the attributes: the readable label,
the claim's IRI as its ``URL`` (a link in SVG; only an http(s) IRI, see
:func:`._shared.web_link`), the claim id, date, document and quote as its
``tooltip``, with the legal tests it applies and its positions on their elements. Each box reads
the proposition, then who asserts it against whom. Claims are filled by their acceptance; supports
are green arrows, attacks red lines ending in a bar (``tee``) whose line says the kind of attack —
bold a rebuttal, dashed an undercut, dotted an undermining, solid a plain attack — and whose
label names it, so the kinds differ without colour too. An attack's hover text names the elements
it is about.
"""

from __future__ import annotations

from typing import BinaryIO
from urllib.parse import quote

import networkx as nx

from ..map import element_labels
from . import Exporter, register, sorted_edges, sorted_nodes
from ._shared import (
    ACCEPTANCE_FILL,
    NO_ACCEPTANCE_FILL,
    RELATION_COLOUR,
    caption_lines,
    clean_text,
    legend,
    opaque_ids,
    tooltip_text,
    web_link,
)
from .structure import at_stake, edge_kind

_ATTACK = {"color": RELATION_COLOUR["attacks"], "arrowhead": "tee"}
# Graphviz's style of each kind's line (see _shared.KIND_LINES)
EDGE_STYLE = {
    "supports": {"color": RELATION_COLOUR["supports"], "arrowhead": "normal", "style": "solid"},
    "rebuts": {**_ATTACK, "style": "bold"},
    "undercuts": {**_ATTACK, "style": "dashed"},
    "undermines": {**_ATTACK, "style": "dotted"},
    "attacks": {**_ATTACK, "style": "solid"},
}

# Characters left as they are in a URL; everything else is percent-encoded, because Graphviz
# copies URL values into SVG unescaped (an '&' or '"' there would break the XML).
_URL_SAFE = "/:?#[]@!$()*+,;=-._~%"


def dot_string(text: str) -> str:
    """``text`` as a quoted DOT string that Graphviz shows exactly as given.

    Backslashes and double quotes are escaped for the DOT parser; line breaks become ``\\n``
    (Graphviz's centred line break); ``&`` becomes ``&amp;`` because Graphviz reads HTML entities
    in labels and tooltips, so a literal ``&lt;`` in a quote must not turn into ``<``. ``<`` and
    ``>`` need nothing: Graphviz escapes them itself when it writes SVG.
    """
    text = clean_text(text).replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    return '"' + text.replace("\n", "\\n") + '"'


def _attributes(pairs: dict[str, str]) -> str:
    return "[" + ", ".join(f"{key}={dot_string(value)}" for key, value in pairs.items()) + "]"


def dot_source(graph: nx.DiGraph) -> str:
    """The DOT text of ``graph``; shared by the ``dot`` and ``svg`` exporters."""
    ids = opaque_ids(graph)
    lines = [
        "// Argument map exported by kg (ilkg). Node ids are opaque (n1, n2, ... in claim-id order);",
        "// each claim's IRI is its URL; its id, date, document, legal tests and quotes its tooltip.",
        'digraph "argument map" {',
        # pack: unconnected claims are laid out in a block, not in one row many metres wide
        "  graph " + _attributes({"label": legend(graph), "labelloc": "t", "rankdir": "BT", "pack": "true",
                                  "fontname": "Helvetica", "fontsize": "12"}) + ";",
        "  node " + _attributes({"shape": "box", "style": "rounded,filled", "fontname": "Helvetica",
                                 "fontsize": "10", "fillcolor": NO_ACCEPTANCE_FILL}) + ";",
        "  edge " + _attributes({"fontname": "Helvetica", "fontsize": "9"}) + ";",
    ]
    for node in sorted_nodes(graph):
        data = graph.nodes[node]
        attributes = {"label": "\n".join(caption_lines(graph, node)), "tooltip": tooltip_text(graph, node)}
        if web_link(data["iri"]):
            attributes["URL"] = quote(clean_text(data["iri"]), safe=_URL_SAFE)
        else:  # javascript:, data:, ... never a link; the IRI is shown as text in the tooltip
            attributes["tooltip"] = f"{clean_text(data['iri'])}\n{attributes['tooltip']}"
        if data.get("acceptance") in ACCEPTANCE_FILL:
            attributes["fillcolor"] = ACCEPTANCE_FILL[data["acceptance"]]
        lines.append(f"  {ids[node]} {_attributes(attributes)};")
    names = element_labels(graph)
    for source, target, _ in sorted_edges(graph):
        kind = edge_kind(graph, source, target)
        about = [names.get(e, e) for e in at_stake(graph, source, target)] if kind != "supports" else []
        tooltip = f"{source} {kind} {target}" + (f"\nabout: {'; '.join(about)}" if about else "")
        attributes = {**EDGE_STYLE[kind], "label": kind, "fontcolor": EDGE_STYLE[kind]["color"],
                      "tooltip": tooltip}
        lines.append(f"  {ids[source]} -> {ids[target]} {_attributes(attributes)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


@register
class DotExporter(Exporter):
    name = "dot"
    extension = ".dot"
    media_type = "text/vnd.graphviz"
    description = ("Graphviz DOT: propositions with who says them against whom, filled by acceptance; "
                   "supports green, attacks red with a line per kind")

    def serialize(self, graph: nx.DiGraph, stream: BinaryIO) -> None:
        stream.write(dot_source(graph).encode("utf-8"))
