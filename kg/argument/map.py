"""The argument map: claims as nodes, support and attack as edges, read from the RDF graph.

The map is a :class:`networkx.DiGraph` so that scholars can use the whole networkx toolbox on it
and so that every exporter works from one structure. Nodes are claims (keyed by their local id)
with what a reader needs to see — the proposition, claimant, stance, norms, date, the quotes —
and the argument the claim makes: the legal tests it applies (``schemes``) and the elements it
affirms and denies. Edges carry ``relation`` = ``attacks`` or ``supports``, and an attack its
``kind``: ``rebuts``, ``undercuts``, ``undermines`` or plain ``attacks`` (a rebuttal is an edge in
each direction). ``graph.graph["scheme_catalogue"]`` names the legal tests and their elements
(:func:`scheme_catalogue`), so that a view can say "armed attack (self-defence): denied" without
a query of its own. A map can be scoped to an event (and the events within it), an actor (as
claimant, target or voice), a norm (and its provisions) and a period.

Everything is read with SPARQL through :mod:`kg.sparql.engines`, so a map can be drawn from the corpus,
from a built file, or from whichever engine is at hand.
"""

from __future__ import annotations

import calendar
import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from ..corpus.dates import PartialDate, parse_date
from ..errors import QueryError
from ..graph.pipeline import DEFAULT_CORPUS
from ..sparql.engines import Engine, open_engine
from ..sparql.identifiers import Identifiers
from ..sparql.saved_queries import internal_query
from .semantics import label_map

if TYPE_CHECKING:  # structured imports this module
    from .structured import Reading

# ilk: property -> (node attribute with labels, node attribute with ids)
LIST_PROPERTIES = {"against": ("against", "against_ids"), "invokes": ("norms", "norm_ids"),
                   "concerns": ("events", "event_ids"), "appliesScheme": ("scheme_labels", "schemes"),
                   "affirmsElement": ("affirm_labels", "affirms"),
                   "deniesElement": ("deny_labels", "denies")}
# the kinds of attack, the most telling first (an edge's ``kind`` when a claim both rebuts and
# undercuts another: the undercut says which element is at stake); plain "attacks" is an attack
# of none of them
ATTACK_KINDS = ("undercuts", "undermines", "rebuts")


@dataclass(frozen=True)
class Scope:
    """Which claims a map shows; every field left None means no restriction."""

    event: str | None = None  # an event id: claims concerning it or an event within it
    actor: str | None = None  # an actor id: claims it makes, voices, or that are against it
    norm: str | None = None  # a norm id: claims invoking it or one of its provisions
    since: PartialDate | None = None  # claims made in a period overlapping [since, until]
    until: PartialDate | None = None

    @classmethod
    def parse(cls, event=None, actor=None, norm=None, since=None, until=None) -> Scope:
        try:
            return cls(event, actor, norm, parse_date(since) if since else None,
                       parse_date(until) if until else None)
        except ValueError as exc:
            raise QueryError(f"bad date in the map's scope: {exc}") from None


def listed(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``: names as a sentence lists them."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def claim_text(data: dict) -> str:
    """What a reader sees for a claim of the map: its proposition, the sentence that says what the
    claimant asserts (the id never; the generated label only for a graph built without
    propositions); ``data`` is a node's attributes (see :func:`argument_map`)."""
    return data.get("proposition") or data["label"]


def claim_parties(data: dict) -> str:
    """Who asserts it, with what stance, against whom: "Amnesty International — rejects
    justification — against United States of America".

    "Who invokes which norm against whom" is the question the graph answers, so every view of the
    map says whom, next to the proposition.
    """
    against = data.get("against") or []
    return " — ".join([data["claimant_label"], data["stance_label"]]) + (
        f" — against {listed(against)}" if against else "")


def _local(iri) -> str:
    return str(iri).rsplit("/", 1)[-1]


_SCHEME_BASE = "https://w3id.org/ilkg/scheme/"


def _element_id(iri) -> str:
    """A legal test's id, or an element's SCHEME/ELEMENT id, from its IRI."""
    return str(iri).removeprefix(_SCHEME_BASE)


@dataclass(frozen=True)
class CatalogueElement:
    """An element of a legal test as the views show it."""

    id: str  # SCHEME/ELEMENT, e.g. self-defence/armed-attack
    label: str
    role: str  # condition | exception
    question: str  # the critical question a lawyer asks of it


@dataclass(frozen=True)
class CatalogueScheme:
    """A legal test as the views show it: label, conclusion and elements (by id)."""

    id: str
    label: str
    conclusion: str
    elements: tuple[CatalogueElement, ...]
    establishes: str | None = None  # an exception of another test its conclusion establishes


def scheme_catalogue(engine: Engine) -> dict[str, CatalogueScheme]:
    """Every legal test of the graph with its elements, by scheme id; elements in id order."""
    found: dict[str, tuple[str, str, list[CatalogueElement]]] = {}
    establishes: dict[str, str] = {}
    for scheme, label, conclusion, established, element, element_label, role, question in \
            engine.query(internal_query("scheme-catalogue")).rows:
        scheme_id = _element_id(scheme)
        entry = found.setdefault(scheme_id, (str(label) if label is not None else scheme_id,
                                             str(conclusion) if conclusion is not None else "", []))
        if established is not None:
            establishes[scheme_id] = _element_id(established)
        if element is not None and all(e.id != _element_id(element) for e in entry[2]):
            element_id = _element_id(element)
            entry[2].append(CatalogueElement(
                element_id, str(element_label) if element_label is not None else element_id,
                "exception" if str(role).endswith("#Exception") else "condition",
                str(question) if question is not None else ""))
    return {scheme_id: CatalogueScheme(scheme_id, label, conclusion, tuple(elements),
                                       establishes.get(scheme_id))
            for scheme_id, (label, conclusion, elements) in sorted(found.items())}


def element_labels(graph: nx.DiGraph) -> dict[str, str]:
    """Each element's id -> "Armed attack (Self-defence ...)": its label and its test's, for a
    view that names an element apart from the test (a claim may deny an element of a test it
    does not apply); the catalogue of ``graph`` (a map), else the labels on its claims."""
    catalogue = graph.graph.get("scheme_catalogue") or {}
    names = {element.id: f"{element.label} ({scheme.label})"
             for scheme in catalogue.values() for element in scheme.elements}
    for _, data in graph.nodes(data=True):
        for ids, labels in (("affirms", "affirm_labels"), ("denies", "deny_labels")):
            for element, label in zip(data.get(ids, []), data.get(labels, []), strict=False):
                names.setdefault(element, label)
    return names


def period(value: PartialDate) -> tuple[date, date]:
    """The days a partial date covers: a year, a month, or one day."""
    parts = [int(p) for p in value.text.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
    day = date(*parts)
    return day, day


def argument_map(engine: Engine, scope: Scope | None = None) -> nx.DiGraph:
    """The claims in ``scope`` and the support/attack edges between them."""
    scope = scope or Scope()
    graph = nx.DiGraph()
    for row in engine.query(internal_query("argument-claims")).rows:
        (claim, label, claimant, claimant_label, stance, stance_label, when, document, voice, quote,
         proposition, proposition_es, claimant_type) = row
        graph.add_node(
            _local(claim), iri=str(claim), label=str(label), claimant=_local(claimant),
            claimant_label=str(claimant_label), stance=_local(stance).split("#")[-1],
            stance_label=str(stance_label).lower(), date=str(when), document=_local(document),
            voiced_by=_local(voice) if voice is not None else None, quote=str(quote),
            proposition=str(proposition) if proposition is not None else None,
            proposition_es=str(proposition_es) if proposition_es is not None else None,
            claimant_type=str(claimant_type).rsplit("#", 1)[-1] if claimant_type is not None else None,
            against=[], against_ids=[], norms=[], norm_ids=[], events=[], event_ids=[],
            schemes=[], scheme_labels=[], affirms=[], affirm_labels=[], denies=[], deny_labels=[],
            quotes=[],
        )
    for claim, quote, _ in engine.query(internal_query("argument-quotes")).rows:
        if _local(claim) in graph:
            graph.nodes[_local(claim)]["quotes"].append(str(quote))
    edges: dict[tuple[str, str], set[str]] = {}
    for claim, prop, value, value_label in engine.query(internal_query("argument-links")).rows:
        name = str(prop).rsplit("#", 1)[-1]
        node = graph.nodes[_local(claim)]
        if name in ("attacks", "supports", *ATTACK_KINDS):
            edges.setdefault((_local(claim), _local(value)), set()).add(name)
            continue
        labels, ids = LIST_PROPERTIES[name]
        node[ids].append(_element_id(value) if name.endswith("Element") or name == "appliesScheme"
                         else _local(value))
        node[labels].append(str(value_label) if value_label is not None else _local(value))
    for (source, target), names in sorted(edges.items()):
        if "supports" in names:
            graph.add_edge(source, target, relation="supports")
        kinds = [kind for kind in ATTACK_KINDS if kind in names]
        if kinds or "attacks" in names:
            # a claim that both rebuts and undercuts another is one edge, of the most telling kind
            graph.add_edge(source, target, relation="attacks", kind=kinds[0] if kinds else "attacks",
                           kinds=kinds or ["attacks"])
    scope = _resolve_scope(engine, scope)
    hierarchy = _hierarchy(engine)
    keep = [n for n in graph.nodes if _in_scope(graph.nodes[n], scope, hierarchy)]
    scoped = graph.subgraph(keep).copy()
    scoped.graph["scheme_catalogue"] = scheme_catalogue(engine)
    # the events each event of the map is part of, for the structured reading's "same case"
    events = sorted({e for n in scoped for e in scoped.nodes[n]["event_ids"]})
    scoped.graph["event_within"] = {e: sorted(nx.descendants(hierarchy, e)) if e in hierarchy else []
                                    for e in events}
    return scoped


def _resolve_scope(engine: Engine, scope: Scope) -> Scope:
    """The scope's ids as the graph knows them: a label or alias stands for the id it names, and
    an unknown id is a mistake to report (with the nearest ids), not an empty map to draw."""
    names = Identifiers(engine.query)
    found = {kind: names.local_id(kind, value) for kind, value in
             (("event", scope.event), ("actor", scope.actor), ("norm", scope.norm)) if value is not None}
    return dataclasses.replace(scope, **found)


def _hierarchy(engine: Engine) -> nx.DiGraph:
    """Events and norms, each with an edge to what it is part of."""
    hierarchy = nx.DiGraph()
    for child, parent in engine.query(internal_query("argument-hierarchy")).rows:
        hierarchy.add_edge(_local(child), _local(parent))
    return hierarchy


def _within(item: str, ancestor: str, hierarchy: nx.DiGraph | None) -> bool:
    if item == ancestor:
        return True
    return hierarchy is not None and item in hierarchy and ancestor in nx.descendants(hierarchy, item)


def _in_scope(node: dict, scope: Scope, hierarchy: nx.DiGraph | None) -> bool:
    if scope.event and not any(_within(e, scope.event, hierarchy) for e in node["event_ids"]):
        return False
    if scope.norm and not any(_within(n, scope.norm, hierarchy) for n in node["norm_ids"]):
        return False
    if scope.actor and scope.actor not in (node["claimant"], node["voiced_by"], *node["against_ids"]):
        return False
    start, end = period(PartialDate(node["date"]))
    if scope.since and end < period(scope.since)[0]:
        return False
    return not (scope.until and start > period(scope.until)[1])


def argument_map_of(*, corpus_dir: Path | str = DEFAULT_CORPUS, data: Path | str | None = None,
                    scope=None, semantics: str | None = None):
    """The argument map of the corpus (or a built file), scoped, labelled under ``semantics``."""
    graph = argument_map(open_engine("oxigraph", corpus_dir=corpus_dir, data=data), scope)
    if semantics is not None:
        label_map(graph, semantics)
    return graph


def read_map_of(*, corpus_dir: Path | str = DEFAULT_CORPUS, data: Path | str | None = None,
                scope: Scope | None = None, semantics: str = "grounded", reading: str = "structured",
                assume=(), prefer: str | None = None) -> nx.DiGraph:
    """The argument map of ``scope`` labelled as ``kg map`` labels it, for a view that draws the
    whole map (the exports): by default the structured reading
    (:func:`kg.argument.structured.structured_reading_of`, under the assumptions ``assume`` and the
    preference ``prefer``), or Dung's ``abstract`` reading of the attacks alone
    (:func:`argument_map_of`). ``graph.graph`` says which: ``reading``, ``semantics``, for the
    structured reading ``assumptions``, ``preference`` and ``ordering``, and ``caveat``, what the
    labels are and are not."""
    return reading_of(corpus_dir=corpus_dir, data=data, scope=scope, semantics=semantics,
                      reading=reading, assume=assume, prefer=prefer)[0]


def reading_of(*, corpus_dir: Path | str = DEFAULT_CORPUS, data: Path | str | None = None,
               scope: Scope | None = None, semantics: str = "grounded", reading: str = "structured",
               assume=(), prefer: str | None = None) -> tuple[nx.DiGraph, Reading | None]:
    """:func:`read_map_of`'s map, and for the structured reading the
    :class:`~kg.argument.structured.Reading` it came from (its theory explains the labels; None for
    the abstract reading). One place checks the options, for ``kg map`` and ``kg export`` alike."""
    from .semantics import READING
    from .structured import READINGS, caveat, structured_reading_of

    if reading not in READINGS:
        raise QueryError(f"unknown reading '{reading}'; known: {', '.join(READINGS)}")
    assume = list(assume)
    if reading == "abstract":
        if assume or prefer:
            raise QueryError("--assume and --prefer read the structured argument; drop them or use "
                             "--reading structured")
        graph = argument_map_of(corpus_dir=corpus_dir, data=data, scope=scope, semantics=semantics)
        graph.graph.update(reading="abstract", caveat=READING)
        return graph, None
    found = structured_reading_of(corpus_dir=corpus_dir, data=data, scope=scope, semantics=semantics,
                                  assume=assume, prefer=prefer)
    found.graph.graph["caveat"] = caveat(found.theory)
    return found.graph, found
