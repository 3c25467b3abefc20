"""The argument inside a claim, as every export and view spells it out: premises per legal test.

A claim of the map says which legal tests it applies (``schemes``) and which of their elements it
affirms or denies. Formats that can hold more than "a attacks b" — AIF's rule applications,
Argdown's premise–conclusion structures, the scheme table of ``kg scheme`` — show the claim as
one argument per legal test it touches: the claim's positions on the test's elements are the
premises, the claim its conclusion. A condition of a test the claim applies but does not address
is a premise too, *assumed* (Carneades: an assumption holds until someone questions it), because
that is what applying a test without arguing an element means. A claim that takes a position on
the elements of a test it does not apply (Amnesty denying that drug trafficking is an armed
attack, without invoking self-defence itself) answers that test's critical questions: its
argument on that test is marked ``applied=False``.

Element and test names come from the map's catalogue (``graph.graph["scheme_catalogue"]``, see
:func:`kg.argument.map.scheme_catalogue`); a map built by hand without one names what its
claims carry and has no assumed premises (it cannot know a test's other conditions).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

POSITIONS = ("affirmed", "denied", "assumed")
# the kinds of attack, with how each is said in a sentence and drawn in a key
ATTACK_KINDS = ("rebuts", "undercuts", "undermines", "attacks")
KIND_PHRASES = {
    "rebuts": "rebuts (the two cannot both stand)",
    "undercuts": "undercuts (denies an element of the test the other applies)",
    "undermines": "undermines (disputes a fact the other rests on)",
    "attacks": "attacks (of no more specific kind)",
    "supports": "supports",
}


@dataclass(frozen=True)
class Premise:
    """A claim's position on one element of a legal test."""

    element: str  # SCHEME/ELEMENT, e.g. self-defence/armed-attack
    label: str  # the element's label: "Armed attack"
    position: str  # one of POSITIONS

    @property
    def text(self) -> str:
        """"Armed attack: denied"; an assumed condition says why it counts."""
        if self.position == "assumed":
            return f"{self.label}: assumed (the claim applies the test without addressing it)"
        return f"{self.label}: {self.position}"


@dataclass(frozen=True)
class SchemeArgument:
    """The argument a claim makes under (or against) one legal test."""

    scheme: str  # the test's id, e.g. self-defence
    label: str  # the test's label
    applied: bool  # True: the claim applies the test; False: it answers the test's questions
    premises: tuple[Premise, ...]


def scheme_of(element: str) -> str:
    """The legal test an element id (SCHEME/ELEMENT) belongs to."""
    return element.split("/", 1)[0]


def edge_kind(graph: nx.DiGraph, source: str, target: str) -> str:
    """``supports``, or an attack's kind: rebuts, undercuts, undermines or plain attacks."""
    data = graph.edges[source, target]
    return "supports" if data["relation"] == "supports" else data.get("kind", "attacks")


def scheme_arguments(graph: nx.DiGraph, node: str) -> list[SchemeArgument]:
    """The arguments of claim ``node``: one per legal test it applies or takes a position on,
    the tests it applies first, each in id order."""
    data = graph.nodes[node]
    catalogue = graph.graph.get("scheme_catalogue") or {}
    stated = {element: "affirmed" for element in data.get("affirms", [])}
    stated.update({element: "denied" for element in data.get("denies", [])})
    labels = dict(zip(data.get("affirms", []), data.get("affirm_labels", []), strict=False))
    labels.update(zip(data.get("denies", []), data.get("deny_labels", []), strict=False))
    scheme_labels = dict(zip(data.get("schemes", []), data.get("scheme_labels", []), strict=False))
    applied = list(dict.fromkeys(data.get("schemes", [])))
    answered = sorted({scheme_of(e) for e in stated} - set(applied))
    found = []
    for scheme in [*sorted(applied), *answered]:
        known = catalogue.get(scheme)
        premises = {e: Premise(e, labels.get(e, e), p) for e, p in stated.items() if scheme_of(e) == scheme}
        if known is not None:
            for element in known.elements:
                if element.id in premises:
                    premises[element.id] = Premise(element.id, element.label, premises[element.id].position)
                elif scheme in applied and element.role == "condition":
                    premises[element.id] = Premise(element.id, element.label, "assumed")
        label = known.label if known is not None else scheme_labels.get(scheme, scheme)
        found.append(SchemeArgument(scheme, label, scheme in applied,
                                    tuple(premises[e] for e in sorted(premises))))
    return found


def argument_lines(graph: nx.DiGraph, node: str) -> list[str]:
    """One line per legal test the claim applies or answers: "Applies Self-defence: Armed attack:
    assumed ...; Necessity: affirmed"."""
    return [f"{'Applies' if argument.applied else 'On'} {argument.label}"
            + (": " + "; ".join(p.text for p in argument.premises) if argument.premises else "")
            for argument in scheme_arguments(graph, node)]


def at_stake(graph: nx.DiGraph, source: str, target: str) -> list[str]:
    """The elements an attack is about: where the attacker denies what the target affirms, or a
    condition of a test the target applies; affirms what the target denies, or an exception to a
    test the target applies."""
    catalogue = graph.graph.get("scheme_catalogue") or {}
    exceptions = {e.id for s in catalogue.values() for e in s.elements if e.role == "exception"}
    applied = set(graph.nodes[target].get("schemes", []))
    theirs = _positions(graph, target)
    found = set()
    for element, position in _positions(graph, source).items():
        exception = element in exceptions
        opposed = {"denied": "affirmed", "affirmed": "denied"}.get(position)
        against_test = scheme_of(element) in applied and exception == (position == "affirmed")
        if opposed is not None and (theirs.get(element) == opposed or against_test):
            found.add(element)
    return sorted(found)


def _positions(graph: nx.DiGraph, node: str) -> dict[str, str]:
    return {p.element: p.position for argument in scheme_arguments(graph, node) for p in argument.premises}
