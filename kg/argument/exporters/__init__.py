"""Argument-map exporters: one class per format behind a registry.

Each exporter has a ``name`` (what ``kg export --format`` takes), a file ``extension``, a
``media_type`` and one method, ``serialize(graph, stream)``, writing bytes for the argument map
(a :class:`networkx.DiGraph` from :func:`kg.argument.map.argument_map`, whose nodes may carry an
``acceptance`` attribute — ``in``/``out``/``undec`` — and the name of the semantics in
``graph.graph["semantics"]``; a map read by :func:`kg.argument.map.read_map_of`, as ``kg export``
reads it, also names its ``reading`` and says in ``caveat`` what the labels are, under which
assumptions and preference). Every format shows a claim by its proposition with, beside it or
under it, who asserts it with what stance against whom (:func:`kg.argument.map.claim_parties`),
and carries as much of the argument's structure as it can hold: the kind of each attack, the
legal tests applied and the elements affirmed, denied or assumed (:mod:`.structure`). Output is
deterministic: nodes and edges in id order.

Exporters register themselves with :func:`register`; importing this package imports them all.
:func:`export_map` writes the map of a corpus or a built file in one of them (``kg export``).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO, ClassVar

import networkx as nx

from ...errors import SetupError
from ...graph.output import check_output, write_atomic
from ..map import claim_parties, claim_text, read_map_of
from ..semantics import READING

EXPORTERS: dict[str, type[Exporter]] = {}


class Exporter:
    name: ClassVar[str]
    extension: ClassVar[str]
    media_type: ClassVar[str]
    description: ClassVar[str] = ""

    def serialize(self, graph: nx.DiGraph, stream: BinaryIO) -> None:
        raise NotImplementedError


def register(cls: type[Exporter]) -> type[Exporter]:
    """Class decorator: make an exporter available under its ``name``."""
    EXPORTERS[cls.name] = cls
    return cls


def node_text(graph: nx.DiGraph, node: str) -> str:
    """What a person reads for a claim on one line: its proposition, then who asserts it against
    whom ("— Amnesty International — rejects justification — against United States of America"),
    with its acceptance under the map's semantics when there is one (each format says, once,
    what that acceptance is and is not)."""
    data = graph.nodes[node]
    text = f"{claim_text(data)} ({claim_parties(data)})"
    if data.get("acceptance"):
        text += f" {acceptance_tag(graph, node)}"
    return text


def acceptance_tag(graph: nx.DiGraph, node: str) -> str:
    """"[grounded: out]": a claim's acceptance under the map's semantics."""
    return f"[{graph.graph.get('semantics', 'semantics')}: {graph.nodes[node]['acceptance']}]"


def labelled(graph: nx.DiGraph) -> bool:
    """Whether the map's claims carry acceptance labels (it was labelled under a semantics)."""
    return bool(graph.graph.get("semantics")) and any(graph.nodes[n].get("acceptance") for n in graph)


def reading_name(graph: nx.DiGraph) -> str:
    """"structured reading, grounded semantics": how the acceptance labels of ``graph`` were found
    (a map labelled by hand or by :func:`kg.argument.semantics.label_map` names its semantics only)."""
    semantics = graph.graph.get("semantics", "")
    kind = graph.graph.get("reading")
    return f"{kind} reading, {semantics} semantics" if kind else f"{semantics} semantics"


def reading(graph: nx.DiGraph) -> str:
    """What the acceptance labels of ``graph`` are: "acceptance (structured reading, grounded
    semantics): a structural reading of ..., not a legal verdict; assuming: none; preferring:
    none ..." (the map's ``caveat``, else the abstract reading's)."""
    return f"acceptance ({reading_name(graph)}): {caveat_of(graph)}"


def caveat_of(graph: nx.DiGraph) -> str:
    """What the labels of ``graph`` are and are not: the map's ``caveat``, else the abstract reading's."""
    return graph.graph.get("caveat") or READING


def sorted_nodes(graph: nx.DiGraph) -> list[str]:
    return sorted(graph.nodes)


def sorted_edges(graph: nx.DiGraph) -> list[tuple[str, str, str]]:
    return sorted((s, t, d["relation"]) for s, t, d in graph.edges(data=True))


def export_map(fmt: str, output: Path | str, **options) -> Path:
    """Write the argument map in format ``fmt`` (see :data:`EXPORTERS`) to ``output`` atomically,
    labelled as ``kg map`` labels it (``options``: those of :func:`kg.argument.map.read_map_of`)."""
    if fmt not in EXPORTERS:
        raise SetupError(f"unknown export format '{fmt}'; known: {', '.join(sorted(EXPORTERS))}")
    check_output(output)  # before the work, not only when writing
    graph = read_map_of(**options)
    buffer = io.BytesIO()
    EXPORTERS[fmt]().serialize(graph, buffer)
    write_atomic(output, buffer.getvalue())
    return Path(output)


def _load_all() -> None:
    from . import aif as _aif  # noqa: F401 - registers itself
    from . import argdown as _argdown  # noqa: F401 - registers itself
    from . import csv as _csv  # noqa: F401 - registers itself
    from . import dot as _dot  # noqa: F401 - registers itself
    from . import graphml as _graphml  # noqa: F401 - registers itself
    from . import jsonld as _jsonld  # noqa: F401 - registers itself
    from . import mermaid as _mermaid  # noqa: F401 - registers itself
    from . import svg as _svg  # noqa: F401 - registers itself


_load_all()

