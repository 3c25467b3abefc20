"""Argdown: the map as text that the Argdown tools (VS Code extension, ``@argdown/cli``) draw.

Each claim is a statement whose title is its claim id (unique, stable, so other Argdown files can
refer to it) and whose text is its readable label (with the party it is against) followed by the
quote, under one heading that names the map. Under each claim its supporters are listed with
``+`` and its attackers with ``-`` (Argdown's incoming relations), so ``[b]: ...`` followed by
``  - [a]`` says "a attacks b". Acceptance, when the map has it, is a tag (``#(in)``, ``#(out)``,
``#(undec)``), explained in a comment as a structural reading and not a legal verdict, and
coloured in the front matter, which also keeps unconnected claims on the map (Argdown's map
leaves them out by default).

Argdown statement text is one line of inline markup: ``[x]`` refers to a statement, ``<x>`` to
an argument, ``#x`` is a tag, ``@[x]`` a mention, ``*``/``_`` emphasis, ``{...}`` metadata,
``//`` and ``/*`` comments, ``.x.``/``:x:`` shortcodes, ``===`` front matter. Every such
character in the data is written with Argdown's backslash escape (the parser keeps the character
and drops the backslash); line breaks in the data become spaces, because a new line would start
a relation or a new statement. Titles cannot be escaped, so brackets in a claim id become
parentheses.
"""

from __future__ import annotations

import json
from typing import BinaryIO

import networkx as nx

from ..map import claim_text
from . import Exporter, labelled, reading, register, sorted_edges, sorted_nodes
from ._shared import ACCEPTANCE_FILL, RELATION_COLOUR, clean_text

# Always escaped; '.' and ':' only when a non-space follows (only then can they open a shortcode).
_ALWAYS = set("\\@#*_[]<>/{}=")
_RELATION_SIGN = {"supports": "+", "attacks": "-"}
# Darker than the drawing fills: Argdown colours the whole box and writes black text on it.
_TAG_COLOUR = {"in": RELATION_COLOUR["supports"], "out": RELATION_COLOUR["attacks"], "undec": "#f9a825"}


def argdown_text(text: str) -> str:
    """``text`` as Argdown statement text that the parser reads back unchanged (but one line)."""
    text = " ".join(clean_text(text).split("\n"))
    out = []
    for index, char in enumerate(text):
        following = text[index + 1] if index + 1 < len(text) else " "
        if char in _ALWAYS or (char in ".:" and not following.isspace()):
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def argdown_titles(graph: nx.DiGraph) -> dict[str, str]:
    """A unique statement title per claim: the claim id, made safe for ``[...]``."""
    titles: dict[str, str] = {}
    taken: set[str] = set()
    for node in sorted_nodes(graph):
        title = " ".join(clean_text(node).replace("[", "(").replace("]", ")").split()) or "claim"
        if title.startswith("-"):
            title = "claim " + title
        candidate, number = title, 1
        while candidate in taken:
            number += 1
            candidate = f"{title} ({number})"
        taken.add(candidate)
        titles[node] = candidate
    return titles


def _title(graph: nx.DiGraph) -> str:
    semantics = graph.graph.get("semantics")
    return "Argument map" + (f" ({semantics} semantics)" if semantics else "")


def _front_matter(graph: nx.DiGraph) -> list[str]:
    # A JSON string is a YAML string; '=' is escaped so that no '===' can end the block early.
    # groupDepth 0: the heading below names the document but draws no box around the whole map.
    lines = ["===", "title: " + json.dumps(_title(graph)).replace("=", "\\u003d"),
             "group:", "  groupDepth: 0", "selection:", "  excludeDisconnected: false",
             "color:", "  tagColors:"]
    lines += [f"    {name}: {json.dumps(colour)}" for name, colour in _TAG_COLOUR.items()]
    return [*lines, "==="]


def _statement(graph: nx.DiGraph, node: str, title: str) -> str:
    data = graph.nodes[node]
    text = f"[{title}]: {argdown_text(claim_text(data))}: “{argdown_text(data['quote'])}”"
    if data.get("acceptance") in ACCEPTANCE_FILL:
        text += f" #({data['acceptance']})"
    return text


@register
class ArgdownExporter(Exporter):
    name = "argdown"
    extension = ".argdown"
    media_type = "text/x-argdown"
    description = "Argdown: a statement per claim with its quote, supporters (+) and attackers (-)"

    def serialize(self, graph: nx.DiGraph, stream: BinaryIO) -> None:
        titles = argdown_titles(graph)
        incoming: dict[str, list[tuple[str, str]]] = {n: [] for n in graph}
        for source, target, relation in sorted_edges(graph):
            incoming[target].append((relation, source))
        # The heading also keeps a map without claims valid: Argdown wants some content.
        lines = [*_front_matter(graph), "", f"# {argdown_text(_title(graph))}", "",
                 "// Exported by kg (ilkg). Under each claim: + [a] means a supports it, - [a] that a "
                 "attacks it."]
        if labelled(graph):
            lines.append(f"// Tags #(in), #(out), #(undec): {reading(graph)}.")
        lines.append("")
        for node in sorted_nodes(graph):
            lines.append(_statement(graph, node, titles[node]))
            lines += [f"  {_RELATION_SIGN[rel]} [{titles[source]}]" for rel, source in incoming[node]]
            lines.append("")
        stream.write("\n".join(lines).encode("utf-8"))

