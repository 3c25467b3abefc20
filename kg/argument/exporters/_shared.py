"""What several exporters share: opaque node ids, the colours of acceptance, captions, safe text.

Kept apart from the exporters so that the DOT, SVG and Mermaid drawings of one map agree (same
ids, same colours, same line breaks) and so that no exporter copies another's helpers.
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any
from urllib.parse import urlsplit

import networkx as nx

from ..map import claim_parties, claim_text
from . import acceptance_tag, caveat_of, labelled, reading_name, sorted_nodes
from .structure import ATTACK_KINDS, argument_lines

# Fill of a claim by its acceptance; a map drawn without semantics is white.
ACCEPTANCE_FILL = {"in": "#c8e6c9", "out": "#ffcdd2", "undec": "#fff3c4"}
NO_ACCEPTANCE_FILL = "#ffffff"
ACCEPTANCE_WORDS = {"in": "green", "out": "red", "undec": "yellow"}
# Stroke of a relation: supports green, attacks red (and dashed or crossed, for readers who do not
# see the colours).
RELATION_COLOUR = {"supports": "#2e7d32", "attacks": "#c62828"}
# How each kind of attack is drawn, in words for a drawing's key: the line tells the kinds apart
# without colour (supports are green and solid with an open arrow).
KIND_LINES = {"rebuts": "thick", "undercuts": "dashed", "undermines": "dotted", "attacks": "solid"}

CAPTION_WIDTH = 44

# Characters XML 1.0 forbids (C0 controls other than tab and newline, lone surrogates, U+FFFE/F):
# an SVG or GraphML with one of them is not well-formed, so they become U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


def opaque_ids(graph: nx.DiGraph) -> dict[str, str]:
    """``n1``, ``n2``, ... in sorted claim order.

    Claim ids are data: a ``:`` in a DOT id names a port, ``end`` or ``graph`` is a Mermaid
    keyword, ``#`` starts a comment. Ids that carry nothing of the claim cannot be misread; the
    claim's IRI and label go into the node's label and link instead.
    """
    return {node: f"n{number}" for number, node in enumerate(sorted_nodes(graph), 1)}


def web_link(iri: str) -> bool:
    """Whether ``iri`` may become a link in a drawing: http(s) with a host, nothing else.

    A graph read with ``--data`` may name a claim ``<javascript:...>`` (or ``data:``, ``file:``);
    as a link in an SVG opened in a browser, a click would run or open it. Such an IRI is shown
    as text instead.
    """
    parts = urlsplit(iri)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and iri.isprintable()


def clean_text(text: str) -> str:
    """One kind of line break (``\\n``) and no character that XML forbids."""
    return _NOT_XML.sub("\ufffd", _LINE_BREAKS.sub("\n", text))


def caption_lines(graph: nx.DiGraph, node: str, width: int = CAPTION_WIDTH) -> list[str]:
    """The claim's proposition, then who asserts it against whom ("— Venezuela — rejects
    justification — against United States of America"), then its acceptance if it has one,
    wrapped for a drawing.

    Line breaks in the data are kept; long lines are wrapped at spaces so that boxes stay narrow.
    """
    data = graph.nodes[node]
    lines = wrapped(claim_text(data), width) + wrapped(f"— {claim_parties(data)}", width)
    if data.get("acceptance"):
        lines.append(acceptance_tag(graph, node))
    return lines


def wrapped(text: str, width: int = CAPTION_WIDTH) -> list[str]:
    """``text`` cleaned and wrapped at spaces, keeping its own line breaks."""
    lines: list[str] = []
    for paragraph in clean_text(text).split("\n"):
        lines.extend(textwrap.wrap(paragraph, width, break_on_hyphens=False) or [""])
    return lines


def tooltip_text(graph: nx.DiGraph, node: str) -> str:
    """Claim id, date and source document, the argument per legal test and every quote, for a
    drawing's hover text."""
    data = graph.nodes[node]
    lines = [f"{node} ({data['date']}, {data['document']})", *argument_lines(graph, node)]
    lines += [f"“{quote}”" for quote in quotes(data)]
    return clean_text("\n".join(lines))


def quotes(data: dict) -> list[str]:
    """Every quote a claim rests on, in document order (a map without them: its first quote)."""
    return list(data.get("quotes") or [data["quote"]])


def legend(graph: nx.DiGraph) -> str:
    """A key to a drawing's colours and lines: one line, and a second saying what the acceptance
    labels are when the claims carry them."""
    lines = ", ".join(f"{KIND_LINES[kind]} {kind}" for kind in ATTACK_KINDS)
    text = f"Argument map: green arrows support; red lines attack: {lines}"
    if labelled(graph):
        fills = ", ".join(f"{colour} {label}" for label, colour in ACCEPTANCE_WORDS.items())
        text += f"; {reading_name(graph)}: {fills}\nThe labels are {caveat_of(graph)}."
    return text


def json_bytes(document: Any) -> bytes:
    """Deterministic, indented UTF-8 JSON with ``<``, ``>`` and ``&`` as ``\\u`` escapes.

    JSON itself does not need those escapes, but they make the file safe to paste into an HTML
    ``<script>`` element (a quote containing ``</script>`` cannot end it early).
    """
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return (text + "\n").encode("utf-8")
