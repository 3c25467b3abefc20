"""Argdown: the map as text that the Argdown tools (VS Code extension, ``@argdown/cli``) draw.

**Statements.** Each claim is a statement whose title is its claim id (unique, stable, so other
Argdown files can refer to it) and whose text is its proposition, followed by who asserts it
against whom and every quote it rests on. Acceptance, when the map has it, is a tag (``#(in)``,
``#(out)``, ``#(undec)``), explained in a comment as a structural reading and not a legal verdict,
and coloured in the front matter, which also keeps unconnected claims on the map (Argdown's map
leaves them out by default).

**Arguments.** The argument inside a claim (:mod:`.structure`) is a premise–conclusion structure
per legal test it applies or answers: ``<claim-id: self-defence>``, whose premises are the
claim's positions on the test's elements — a statement each, shared by every claim that takes the
same position ("[self-defence/armed-attack: denied]: Armed attack (...): denied"), with a
condition the claim applies but does not address as *assumed* — and whose conclusion is the
claim's statement. Opposite positions on one element contradict each other (``><``), so Argdown
draws the element conflicts between the arguments too.

**Relations**, by kind of attack, in Argdown's own terms: a support is ``+`` under the supported
claim; a rebuttal (the two conclusions cannot both stand) is a contradiction ``><`` between the
two statements, written once per pair; an undercut (a denied element of the test the target
applies) is ``_`` under the target's argument on that test, an attack on its inference; an
undermining (a disputed fact the target rests on) is ``-`` under the target's arguments, which in
Argdown is an attack on a premise, or under its statement when it has none; a plain attack is
``-`` under the target's statement.

Argdown statement text is one line of inline markup: ``[x]`` refers to a statement, ``<x>`` to
an argument, ``#x`` is a tag, ``@[x]`` a mention, ``*``/``_`` emphasis, ``{...}`` metadata,
``//`` and ``/*`` comments, ``.x.``/``:x:`` shortcodes, ``===`` front matter. Every such
character in the data is written with Argdown's backslash escape (the parser keeps the character
and drops the backslash); line breaks in the data become spaces, because a new line would start
a relation or a new statement. Titles cannot be escaped, so brackets in an id become parentheses.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import BinaryIO

import networkx as nx

from ..map import claim_parties, claim_text
from . import Exporter, labelled, reading, reading_name, register, sorted_edges, sorted_nodes
from ._shared import ACCEPTANCE_FILL, RELATION_COLOUR, clean_text, quotes
from .structure import SchemeArgument, at_stake, edge_kind, scheme_arguments, scheme_of

# Always escaped; '.' and ':' only when a non-space follows (only then can they open a shortcode).
_ALWAYS = set("\\@#*_[]<>/{}=")
# Darker than the drawing fills: Argdown colours the whole box and writes black text on it.
_TAG_COLOUR = {"in": RELATION_COLOUR["supports"], "out": RELATION_COLOUR["attacks"], "undec": "#f9a825"}
# positions on one element that cannot both hold
_OPPOSED = (("denied", "affirmed"), ("denied", "assumed"))


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


def _safe_title(text: str) -> str:
    """A title Argdown reads back as written: no brackets, no line breaks, no leading '-'."""
    title = " ".join(clean_text(text).replace("[", "(").replace("]", ")")
                     .replace("<", "(").replace(">", ")").split()) or "claim"
    return "claim " + title if title.startswith("-") else title


def argdown_titles(graph: nx.DiGraph) -> dict[str, str]:
    """A unique statement title per claim: the claim id, made safe for ``[...]``."""
    titles: dict[str, str] = {}
    taken: set[str] = set()
    for node in sorted_nodes(graph):
        title = _safe_title(node)
        candidate, number = title, 1
        while candidate in taken:
            number += 1
            candidate = f"{title} ({number})"
        taken.add(candidate)
        titles[node] = candidate
    return titles


def _title(graph: nx.DiGraph) -> str:
    return "Argument map" + (f" ({reading_name(graph)})" if graph.graph.get("semantics") else "")


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
    said = " ".join(f"“{argdown_text(quote)}”" for quote in quotes(data))
    text = f"[{title}]: {argdown_text(claim_text(data))} — {argdown_text(claim_parties(data))}: {said}"
    if data.get("acceptance") in ACCEPTANCE_FILL:
        text += f" #({data['acceptance']})"
    return text


class _Arguments:
    """The premise–conclusion structures of the map's claims, with unique titles."""

    def __init__(self, graph: nx.DiGraph, titles: dict[str, str]) -> None:
        self.of: dict[str, list[tuple[str, SchemeArgument]]] = {}
        self.premises: dict[tuple[str, str], str] = {}  # (element, position) -> statement title
        taken: set[str] = set()
        statements = set(titles.values())
        for node in sorted_nodes(graph):
            self.of[node] = []
            for argument in scheme_arguments(graph, node):
                if not argument.premises:
                    continue
                title = candidate = _safe_title(f"{titles[node]}: {argument.scheme}")
                number = 1
                while candidate in taken:
                    number += 1
                    candidate = f"{title} ({number})"
                taken.add(candidate)
                self.of[node].append((candidate, argument))
                for premise in argument.premises:
                    key = (premise.element, premise.position)
                    if key not in self.premises:
                        statement = _safe_title(f"{premise.element}: {premise.position}")
                        while statement in statements:  # a claim id of a graph read with --data
                            statement += " (position)"
                        statements.add(statement)
                        self.premises[key] = statement

    def targets(self, node: str, elements: list[str]) -> list[str]:
        """The titles of ``node``'s arguments on the tests of ``elements`` (all of them if none)."""
        tests = {scheme_of(e) for e in elements}
        return [title for title, argument in self.of[node] if not tests or argument.scheme in tests]


def _argument_lines(graph: nx.DiGraph, titles: dict[str, str], arguments: _Arguments) -> list[str]:
    lines: list[str] = []
    defined: set[str] = set()
    for node in sorted_nodes(graph):
        for title, argument in arguments.of[node]:
            verb = "applies" if argument.applied else "answers the critical questions of"
            lines += [f"<{title}>: {argdown_text(f'The claim {verb} {argument.label}.')}", ""]
            for number, premise in enumerate(argument.premises, 1):
                statement = arguments.premises[premise.element, premise.position]
                text = "" if statement in defined else \
                    f": {argdown_text(f'{premise.text} — {argument.label}')}"
                defined.add(statement)
                lines.append(f"({number}) [{statement}]{text}")
            lines += ["----", f"({len(argument.premises) + 1}) [{titles[node]}]", ""]
    return lines


@register
class ArgdownExporter(Exporter):
    name = "argdown"
    extension = ".argdown"
    media_type = "text/x-argdown"
    description = ("Argdown: a statement per claim (its proposition and quotes), an argument per "
                   "legal test over the element positions, attacks by kind (><, _, -)")

    def serialize(self, graph: nx.DiGraph, stream: BinaryIO) -> None:
        titles = argdown_titles(graph)
        arguments = _Arguments(graph, titles)
        under_statement: dict[str, list[str]] = defaultdict(list)
        under_argument: dict[str, list[str]] = defaultdict(list)
        for source, target, _ in sorted_edges(graph):
            kind, attacker = edge_kind(graph, source, target), f"[{titles[source]}]"
            if kind == "supports":
                under_statement[target].append(f"+ {attacker}")
            elif kind == "rebuts":
                if source < target or not graph.has_edge(target, source):
                    under_statement[target].append(f">< {attacker}")
            elif kind == "undercuts" and (hit := arguments.targets(target, at_stake(graph, source, target))):
                for title in hit:
                    under_argument[title].append(f"_ {attacker}")
            elif kind == "undermines" and (hit := arguments.targets(target, [])):
                for title in hit:
                    under_argument[title].append(f"- {attacker}")
            else:
                under_statement[target].append(f"- {attacker}")
        # The heading also keeps a map without claims valid: Argdown wants some content.
        lines = [*_front_matter(graph), "", f"# {argdown_text(_title(graph))}", "",
                 "// Exported by kg (ilkg). Under each claim: + [a] means a supports it, - [a] that a "
                 "attacks it, >< [a] that a rebuts it (they cannot both stand). Each argument <claim: test> "
                 "has the claim's positions on the test's elements as premises; _ [a] under it: a "
                 "undercuts it (denies an element), - [a]: a undermines it (disputes a premise)."]
        if labelled(graph):
            lines.append(f"// Tags #(in), #(out), #(undec): {reading(graph)}.")
        lines.append("")
        for node in sorted_nodes(graph):
            lines.append(_statement(graph, node, titles[node]))
            lines += [f"  {relation}" for relation in under_statement[node]]
            lines.append("")
        lines += _argument_lines(graph, titles, arguments)
        for title in sorted(under_argument):
            lines += [f"<{title}>", *(f"  {relation}" for relation in under_argument[title]), ""]
        for (element, position), statement in sorted(arguments.premises.items()):
            conflicts = [arguments.premises[element, other] for mine, other in _OPPOSED
                         if position == mine and (element, other) in arguments.premises]
            if conflicts:
                lines += [f"[{statement}]", *(f"  >< [{other}]" for other in conflicts), ""]
        stream.write("\n".join(lines).encode("utf-8"))
