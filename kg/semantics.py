"""Dung's semantics over the attacks of an argument map, read as in / out / undec labellings.

This is a structural reading of the attacks that annotators recorded between claims, not a legal
verdict. "in" says only that, under the chosen semantics, every annotated attack on the claim is
itself defeated (or there is none); "out" that an accepted claim attacks it; "undec" that the
annotated attacks leave it open. A claim that nobody in the corpus happens to contest comes out
"in" however weak it is in law. Supports play no part: Dung's frameworks know only attack.

Three semantics (Dung 1995), computed as labellings (Caminada 2006) because a label per claim is
what a map shows:

- **grounded** — the least fixpoint: a claim is in when all its attackers are out, out when some
  attacker is in, undec otherwise. One answer, the most cautious one.
- **preferred** — the maximal admissible sets; there is always at least one.
- **stable** — the conflict-free sets attacking everything outside them; there may be none (an
  odd cycle of attacks, a claim attacking itself).

For preferred and stable a claim's ``acceptance`` is the sceptical reading: in when it is in every
extension, out when every extension labels it out (attacks it), undec otherwise; when there is no
stable extension every claim is undec and the map's ``extensions`` is the empty list.

The extensions are found exactly. Every preferred or stable labelling agrees with the grounded one
wherever that says in or out, so the search runs only over the grounded-undec claims, one weakly
connected part at a time, enumerating complete labellings by backtracking with the labelling rules
as propagation (in the spirit of Modgil & Caminada, "Proof theories and algorithms for abstract
argumentation frameworks", 2009). A map of hundreds of claims with few attacks has little or
nothing left to search.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import networkx as nx

from .errors import QueryError

SEMANTICS = ("grounded", "preferred", "stable")

# What every view that shows the labels says with them (the map table, each export's legend, title
# or metadata): a student must not read "out" as "unlawful".
READING = "a structural reading of the attacks annotated between claims, not a legal verdict"

IN, OUT, UNDEC = "in", "out", "undec"

Attacks = Iterable[tuple[str, str]]


def _framework(arguments: Iterable[str], attacks: Attacks) -> tuple[list[str], dict[str, set[str]],
                                                                    dict[str, set[str]]]:
    """Arguments (sorted), attackers of each and targets of each; attacks must name known arguments."""
    names = sorted(set(arguments))
    attackers: dict[str, set[str]] = {a: set() for a in names}
    targets: dict[str, set[str]] = {a: set() for a in names}
    for source, target in attacks:
        for end in (source, target):
            if end not in attackers:
                raise QueryError(f"attack {source!r} -> {target!r} names {end!r}, which is not an argument "
                                 "of the framework")
        attackers[target].add(source)
        targets[source].add(target)
    return names, attackers, targets


def _grounded(names: list[str], attackers: dict[str, set[str]],
              targets: dict[str, set[str]]) -> dict[str, str]:
    # Count each argument's attackers not yet out; an argument whose count reaches zero is in,
    # and whatever it attacks is out. Linear in the size of the framework.
    waiting = {a: len(attackers[a]) for a in names}
    labels = {a: UNDEC for a in names}
    ready = [a for a in names if waiting[a] == 0]
    while ready:
        argument = ready.pop()
        labels[argument] = IN
        for target in targets[argument]:
            if labels[target] != UNDEC:
                continue
            labels[target] = OUT
            for victim in targets[target]:
                waiting[victim] -= 1
                if waiting[victim] == 0 and labels[victim] == UNDEC:
                    ready.append(victim)
    return labels


def grounded_labelling(arguments: Iterable[str], attacks: Attacks) -> dict[str, str]:
    """The grounded labelling: each argument mapped to ``in``, ``out`` or ``undec``."""
    return _grounded(*_framework(arguments, attacks))


def _propagate(labels: dict[str, str], queue: list[str], attackers: dict[str, set[str]],
               targets: dict[str, set[str]]) -> bool:
    """Apply the rules of a complete labelling until nothing follows; False on a contradiction.

    ``labels`` holds the arguments labelled so far (it is extended in place); ``queue`` the
    arguments whose own label or whose attackers' labels changed.
    """

    def assign(argument: str, label: str) -> bool:
        if argument in labels:
            return labels[argument] == label
        labels[argument] = label
        queue.append(argument)
        queue.extend(targets[argument])
        return True

    while queue:
        argument = queue.pop()
        seen = [labels.get(a) for a in attackers[argument]]
        ins, undecs, open_ = seen.count(IN), seen.count(UNDEC), seen.count(None)
        # What the attackers already force on this argument.
        if ins:
            forced = OUT
        elif not undecs and not open_:
            forced = IN
        elif not open_:
            forced = UNDEC
        else:
            forced = None
        label = labels.get(argument)
        if label is None:
            if forced is not None and not assign(argument, forced):
                return False
            continue
        if forced is not None and forced != label:
            return False
        unlabelled = [a for a in attackers[argument] if a not in labels]
        if label == IN:
            needed = OUT  # in: every attacker out
        elif len(unlabelled) == 1 and label == OUT and not ins:
            needed = IN  # out: some attacker in, and only one is left that can be
        elif len(unlabelled) == 1 and label == UNDEC and not undecs:
            needed = UNDEC  # undec: none in, not all out, so the last open one is undec
        else:
            continue
        if not all(assign(a, needed) for a in unlabelled):
            return False
    return True


def _complete_labellings(part: list[str], attackers: dict[str, set[str]],
                         targets: dict[str, set[str]]) -> list[dict[str, str]]:
    """Every complete labelling of ``part``, a framework closed under the attacks given."""
    found: list[dict[str, str]] = []
    # Depth-first over (labels so far, arguments to look at). A branch point tries the first open
    # argument as in, out and undec in turn; the branches differ there, so none is found twice.
    stack: list[tuple[dict[str, str], list[str]]] = [({}, list(part))]
    while stack:
        labels, queue = stack.pop()
        if not _propagate(labels, queue, attackers, targets):
            continue
        open_ = next((a for a in part if a not in labels), None)
        if open_ is None:
            found.append(labels)
            continue
        for label in (UNDEC, OUT, IN):
            stack.append(({**labels, open_: label}, [open_, *targets[open_]]))
    return found


def _parts(names: list[str], attackers: dict[str, set[str]], targets: dict[str, set[str]],
           semantics: str) -> tuple[dict[str, str], list[list[dict[str, str]]]]:
    """The grounded labelling and, per weakly connected part of its undec arguments, the labellings
    of that part under ``semantics`` (preferred or stable).

    Outside the grounded-undec arguments every preferred and stable labelling agrees with the
    grounded one; an undec argument is attacked by no in argument, and its out attackers change
    nothing, so each part can be searched on its own and the answers combined freely.
    """
    grounded = _grounded(names, attackers, targets)
    undecided = {a for a in names if grounded[a] == UNDEC}
    inner = {a: attackers[a] & undecided for a in undecided}
    outer = {a: targets[a] & undecided for a in undecided}
    linked = nx.Graph()
    linked.add_nodes_from(undecided)
    linked.add_edges_from((a, b) for a in undecided for b in inner[a])
    answers = []
    for component in sorted((sorted(c) for c in nx.connected_components(linked)), key=lambda c: c[0]):
        complete = _complete_labellings(component, inner, outer)
        if semantics == "stable":
            chosen = [lab for lab in complete if UNDEC not in lab.values()]
        else:
            accepted = [frozenset(a for a, v in lab.items() if v == IN) for lab in complete]
            chosen = [lab for lab, ins in zip(complete, accepted, strict=True)
                      if not any(ins < other for other in accepted)]
        answers.append(chosen)
    return grounded, answers


def _key(extension: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(extension))


def _combine(grounded: dict[str, str], answers: list[list[dict[str, str]]]) -> list[frozenset[str]]:
    """The extensions: the grounded in arguments plus one labelling's in arguments from each part."""
    base = {a for a, label in grounded.items() if label == IN}
    found = [frozenset(base.union(*({a for a, v in lab.items() if v == IN} for lab in choice)))
             for choice in itertools.product(*answers)]
    return sorted(found, key=_key)


def _sceptical(grounded: dict[str, str], answers: list[list[dict[str, str]]]) -> dict[str, str]:
    if any(not chosen for chosen in answers):
        return dict.fromkeys(grounded, UNDEC)  # no stable extension: nothing is settled
    labels = dict(grounded)
    # Parts combine freely, so an argument is in (out) in every extension exactly when it is in
    # (out) in every labelling of its own part; the product of the parts is never built.
    for chosen in answers:
        for argument in chosen[0]:
            seen = {lab[argument] for lab in chosen}
            labels[argument] = seen.pop() if len(seen) == 1 else UNDEC
    return labels


def preferred_extensions(arguments: Iterable[str], attacks: Attacks) -> list[frozenset[str]]:
    """Every preferred extension (maximal admissible set), sorted by their sorted members."""
    return _combine(*_parts(*_framework(arguments, attacks), "preferred"))


def stable_extensions(arguments: Iterable[str], attacks: Attacks) -> list[frozenset[str]]:
    """Every stable extension, sorted by their sorted members; the list may be empty."""
    return _combine(*_parts(*_framework(arguments, attacks), "stable"))


def acceptance(arguments: Iterable[str], attacks: Attacks, semantics: str) -> dict[str, str]:
    """Each argument's label: grounded, or the sceptical reading of the preferred/stable labellings."""
    _check(semantics)
    framework = _framework(arguments, attacks)
    if semantics == "grounded":
        return _grounded(*framework)
    return _sceptical(*_parts(*framework, semantics))


def _check(semantics: str) -> None:
    if semantics not in SEMANTICS:
        raise QueryError(f"unknown semantics '{semantics}'; known: {', '.join(SEMANTICS)}")


def label_map(graph: nx.DiGraph, semantics: str) -> nx.DiGraph:
    """Label every claim of an argument map in place and return the map.

    Sets the node attribute ``acceptance`` (in / out / undec), ``graph.graph["semantics"]`` and
    ``graph.graph["extensions"]``: a sorted list of sorted claim ids per extension (the one
    grounded extension for grounded; an empty list when there is no stable extension). Only edges
    with ``relation`` = ``attacks`` count; a claim attacking itself is allowed.
    """
    _check(semantics)
    attacks = [(u, v) for u, v, relation in graph.edges(data="relation") if relation == "attacks"]
    framework = _framework(graph.nodes, attacks)
    if semantics == "grounded":
        labels = _grounded(*framework)
        extensions = [frozenset(a for a, label in labels.items() if label == IN)]
    else:
        grounded, answers = _parts(*framework, semantics)
        labels, extensions = _sceptical(grounded, answers), _combine(grounded, answers)
    for node, label in labels.items():
        graph.nodes[node]["acceptance"] = label
    graph.graph["semantics"] = semantics
    graph.graph["extensions"] = [sorted(e) for e in extensions]
    return graph
