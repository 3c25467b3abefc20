"""The structured reading of an argument map: its ASPIC+ theory evaluated, claim by claim.

``kg map`` (``--reading structured``, the default) compiles the claims in scope and the legal tests
they apply into an ASPIC+ theory (:mod:`kg.argument.theory`), builds its arguments and the defeat
relation between them, and labels the arguments under Dung's grounded, preferred or stable
semantics with kg's bounded, component-wise labelling (:func:`kg.argument.semantics.label_framework`).
A claim is **in** when its argument is in (in every extension, for preferred and stable), **out**
when its argument is defeated by an accepted argument, **undec** otherwise.

Why not py_arg's own construction: py_arg (python-argumentation) builds arguments by forward
chaining and the defeat relation by testing every ordered pair of arguments, each test walking
both arguments' sub-arguments, so its work grows at least with the square of the arguments (not
yet measured by a benchmark script here). The theories
compiled here have a known structure — one argument per literal (no literal is concluded by two
rules), arguments at most four rules deep, every attack at a literal's known conflicts — so the
defeats are found by visiting, for each argument's sub-argument, only the literals in conflict
with it (:meth:`Theory.conflicts`), and comparing the two arguments as py_arg's last-link elitist
ordering does. The tests check that arguments and defeats equal py_arg's, on the corpus and on
generated theories with assumptions and preferences.

Bounds. Element conflicts are pooled over the claims in scope about the same case, so a thousand
affirmations and a thousand denials of one element in one case are a million defeats: the defeat
relation can grow with the square of the claims. It is built one conflict-connected part of the
theory at a time, smallest first, within :data:`kg.limits.STRUCTURED_DEFEATS` defeats and
:data:`kg.limits.STRUCTURED_SECONDS`; the claims of a part that does not fit are labelled undec
and marked ``bound_reached`` (a :class:`~kg.errors.BoundReached` warning says so), everything else
is exact — no defeat ever crosses parts, so each part's labels are its own. The preferred and
stable search then has the bounds of :class:`kg.argument.semantics.Bounds`.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .. import limits
from ..errors import BoundReached
from ..graph.pipeline import DEFAULT_CORPUS
from ..limits import shown
from ..sparql.engines import Engine, open_engine
from .map import Scope, argument_map
from .preferences import Preference, resolve
from .semantics import UNDEC, Bounds, label_framework
from .theory import (
    CLAIM,
    SchemeCatalogue,
    Theory,
    claim_literal,
    compile_theory,
    parse_assumptions,
)

READINGS = ("structured", "abstract")
ORDERING = "last-link, elitist"

# What every view of the structured labels says with them.
STRUCTURED_READING = ("a structural reading of the annotated arguments (claims, the legal tests they apply "
                      "and their elements, the attacks between them), not a legal verdict")
# Said with every label found under a preference ordering.
PREFERENCE_CAVEAT = ("A preference ranks claimants, not the strength of what each said: a hedged "
                     "statement ('deeply concerned that ...') weighs as much as a firm one from a claimant "
                     "of the same rank")


@dataclass(frozen=True)
class Attack:
    """One attack of the theory: ``attacker`` (the conclusion of the attacking argument) on the
    sub-argument concluding ``target``: at its conclusion (a rebuttal), at its premise (an
    undermining) or at its top rule (``via`` = ``rule``: an undercut). ``symmetric``: the two
    literals are contradictories, so preferences decide; ``succeeds``: it is a defeat (False when
    the attacker is strictly weaker than what it attacks)."""

    attacker: str
    target: str
    via: str  # "conclusion" | "premise" | "rule"
    symmetric: bool
    succeeds: bool


def attacks_on(theory: Theory, literal: str) -> Iterator[Attack]:
    """Every attack on the sub-argument concluding ``literal`` itself (not on its sub-arguments)."""
    info = theory.literals[literal]
    if info.kind in ("holds", "fails"):
        return  # an axiom cannot be attacked
    rule = theory.rule_for(literal)
    has_argument = theory.has_argument
    via = "premise" if rule is None else "conclusion"
    for other, symmetric in theory.conflicts(literal):
        if has_argument(other):
            yield Attack(other, literal, via, symmetric, not symmetric or not weaker(theory, other, literal))
    if rule is not None:
        for other, _ in theory.conflicts(rule.id):
            if has_argument(other):
                yield Attack(other, literal, "rule", False, True)


def weaker(theory: Theory, a: str, b: str) -> bool:
    """Whether the argument for ``a`` is strictly weaker than the argument for ``b`` under the
    last-link principle with the elitist set comparison (py_arg's ``LastLinkElitistOrdering``).

    An argument's last defeasible rules are its top rule when it has one (every rule here is
    defeasible), else none. One with a last rule is weaker than one without (a bare premise or
    axiom); two with rules compare their rules' ranks; two without compare their ordinary premises
    (an axiom has none, and nothing is weaker than it).
    """
    rule_a, rule_b = theory.rule_for(a), theory.rule_for(b)
    if rule_a is not None:
        return rule_b is None or theory.rank[rule_a.id] < theory.rank[rule_b.id]
    if rule_b is not None or a not in theory.premises:
        return False
    return b not in theory.premises or theory.premises[a] < theory.premises[b]


@dataclass
class Evaluation:
    """What the structured reading found.

    ``labels``: each argument's label (by its conclusion) in the parts evaluated;
    ``claim_labels``: each claim's; ``bounded``: the claims of parts left undec at a bound
    (``bound`` says which); ``count``/``extensions``: as :class:`kg.argument.semantics.Labelled`
    gives them, each extension as the sorted claims it concludes.
    """

    theory: Theory
    semantics: str
    labels: dict[str, str]
    claim_labels: dict[str, str]
    defeats: set[tuple[str, str]] = field(repr=False)
    bounded: frozenset[str] = frozenset()
    bound: str | None = None
    count: int | None = None
    extensions: list[list[str]] | None = None

    def label(self, literal: str) -> str:
        return self.labels.get(literal, UNDEC)


class _Parts:
    """Union-find over claims: two claims are in one part when a literal of one is in conflict
    with a literal of the other. Found from the pools without listing their conflicts."""

    def __init__(self, theory: Theory):
        self.parent = {c: c for c in theory.claims}
        # claims about the same case share a key (an event, one it is part of, or a party), so
        # joining the positions on an element key by key joins every pair in conflict (and perhaps
        # more: parts may be coarser than the conflicts, never finer), without testing each pair
        keys = {c: claim.reach | claim.parties for c, claim in theory.claims.items()}
        for e, deny in theory.deniers.items():
            others = theory.affirmers.get(e, set()) | theory.assumers.get(e, set())
            if deny and others:
                self._join_by_key(deny, others, keys)
        for s, appliers in theory.appliers.items():
            for x in theory.catalogue.schemes[s].exceptions:
                self._join_by_key(appliers, theory.affirmers.get(x, set()), keys)
        for pairs in (theory.rebuttals, theory.underminings, theory.plain_attackers, theory.undercutters):
            for a, others in pairs.items():
                self.join(a, *others)

    def _join_by_key(self, one: set[str], other: set[str], keys: dict[str, frozenset[str]]) -> None:
        by_key: dict[str, list[str]] = {}
        for c in sorted(one | other):
            for key in keys[c]:
                by_key.setdefault(key, []).append(c)
        for key in sorted(by_key):
            found = by_key[key]
            if any(c in one for c in found) and any(c in other for c in found):
                self.join(*found)

    def find(self, c: str) -> str:
        root = c
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[c] != root:
            self.parent[c], c = root, self.parent[c]
        return root

    def join(self, first: str, *others: str) -> None:
        root = self.find(first)
        for other in others:
            found = self.find(other)
            if found != root:
                self.parent[found] = root

    def groups(self) -> list[list[str]]:
        found: dict[str, list[str]] = {}
        for c in sorted(self.parent):
            found.setdefault(self.find(c), []).append(c)
        return sorted(found.values(), key=lambda part: (len(part), part[0]))


def _dependents(theory: Theory) -> dict[str, list[str]]:
    """For each literal, the arguments that have its argument as a sub-argument (itself first)."""
    parents: dict[str, list[str]] = {}
    for rule in theory.rules.values():
        for antecedent in rule.antecedents:
            parents.setdefault(antecedent, []).append(rule.consequent)
    found: dict[str, list[str]] = {}

    def up(literal: str) -> list[str]:
        if literal not in found:
            seen = [literal]
            for parent in sorted(parents.get(literal, ())):
                seen.extend(x for x in up(parent) if x not in seen)
            found[literal] = seen
        return found[literal]

    for literal in theory.arguments():
        up(literal)
    return found


def evaluate(theory: Theory, semantics: str = "grounded", bounds: Bounds | None = None,
             defeats_bound: int | None = None, seconds: float | None = None) -> Evaluation:
    """Build the defeat relation of ``theory`` part by part within the bounds (defaults from
    :mod:`kg.limits`) and label it under ``semantics``."""
    defeats_bound = limits.STRUCTURED_DEFEATS if defeats_bound is None else defeats_bound
    seconds = limits.STRUCTURED_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + seconds
    dependents = _dependents(theory)
    by_claim: dict[str, list[str]] = {}
    for literal in theory.arguments():
        owner = theory.literals[literal].claim
        if owner is not None:
            by_claim.setdefault(owner, []).append(literal)
    defeats: set[tuple[str, str]] = set()
    evaluated: list[str] = list(theory.axioms)
    stopped: list[tuple[list[str], str]] = []
    reasons = {"time": f"{seconds:g} s", "defeats": f"{defeats_bound:,} defeats"}
    for part in _Parts(theory).groups():
        found, why = _part_defeats(theory, part, by_claim, dependents, defeats_bound - len(defeats), deadline)
        if why is not None:
            stopped.append((part, reasons[why]))
            continue
        defeats |= found
        evaluated.extend(literal for c in part for literal in by_claim.get(c, ()))
    labelled = label_framework(evaluated, defeats, semantics, bounds)
    bounded = {c for part, _ in stopped for c in part}
    bounded |= {c for c in theory.claims if claim_literal(c) in labelled.bounded}
    claim_labels = {c: (UNDEC if c in bounded else labelled.labels[claim_literal(c)]) for c in theory.claims}
    messages = [_message(stopped)] if stopped else []
    if labelled.bound:
        messages.append(labelled.bound)
    extensions = None
    if labelled.extensions is not None and not stopped:
        concluded = {tuple(sorted(theory.literals[a].claim for a in ext if theory.literals[a].kind == CLAIM))
                     for ext in labelled.extensions}
        extensions = [list(e) for e in sorted(concluded)]
    return Evaluation(theory, semantics, dict(labelled.labels), claim_labels, defeats, frozenset(bounded),
                      "; ".join(messages) or None, None if stopped else labelled.count, extensions)


def _part_defeats(theory: Theory, part: list[str], by_claim: dict[str, list[str]],
                  dependents: dict[str, list[str]], budget: int,
                  deadline: float) -> tuple[set[tuple[str, str]], str | None]:
    """The defeats on the arguments of one part's claims, or which bound stopped them ("time",
    "defeats"). An attack on a sub-argument defeats every argument built on it."""
    found: set[tuple[str, str]] = set()
    for c in part:
        if time.monotonic() > deadline:
            return set(), "time"
        for literal in by_claim.get(c, ()):
            for attack in attacks_on(theory, literal):
                if attack.succeeds:
                    found.update((attack.attacker, x) for x in dependents[literal])
            if len(found) > budget:
                return set(), "defeats"
    return found, None


def _message(stopped: list[tuple[list[str], str]]) -> str:
    claims = [c for part, _ in stopped for c in part]
    reasons = sorted({why for _, why in stopped})
    listed = ", ".join(shown(c, 40) for c in claims[:5])
    listed += f" and {len(claims) - 5:,} more" if len(claims) > 5 else ""
    return (f"structured reading: building the defeats stopped at its bound ({'; '.join(reasons)}) in "
            f"{len(stopped)} part{'s' if len(stopped) != 1 else ''} of the map; their {len(claims):,} "
            f"claims are shown undecided (bound reached): {listed}")


@dataclass
class Reading:
    """An argument map read as structured argument: the map (its nodes labelled: ``acceptance``,
    ``bound_reached``), the theory and its evaluation."""

    graph: nx.DiGraph
    evaluation: Evaluation

    @property
    def theory(self) -> Theory:
        return self.evaluation.theory


def caveat(theory: Theory) -> str:
    """What the labels are, and under which assumptions and preference they were found."""
    assumed = ", ".join(f"{e} {v}" for e, v in theory.assumptions.items()) or "none"
    preference = theory.preference
    prefer = "none" if preference.is_none else (
        preference.name if preference.name == preference.order else f"{preference.name} ({preference.order})")
    if not preference.is_none:
        prefer += f": {preference.ranking}"
    text = (f"{STRUCTURED_READING}; assuming: {assumed}; preferring: {prefer} (decides rebuttals, "
            "underminings and element conflicts, never undercuts or plain attacks)")
    if not preference.is_none:
        text += f". {PREFERENCE_CAVEAT}"
    return text



def structured_reading(engine: Engine, scope: Scope | None = None, semantics: str = "grounded",
                       assume: Iterable[str] = (), prefer: str | None = None,
                       bounds: Bounds | None = None) -> Reading:
    """The map of ``scope`` read as structured argument under the assumptions ``assume``
    (``SCHEME/ELEMENT=holds|fails``) and the preference ordering ``prefer`` (a name from
    ``ontology/preferences.yaml`` or an inline ordering); see the module's docstring."""
    graph = argument_map(engine, scope)
    catalogue = SchemeCatalogue.read(engine)
    assumptions = parse_assumptions(assume, catalogue)
    preference = resolve(prefer, (graph.nodes[n]["claimant"] for n in graph))
    return read_map(graph, catalogue, preference, assumptions, semantics, bounds)


def read_map(graph: nx.DiGraph, catalogue: SchemeCatalogue, preference: Preference,
             assumptions: dict[str, str] | None = None, semantics: str = "grounded",
             bounds: Bounds | None = None) -> Reading:
    """Label ``graph`` (an argument map) in place by its structured reading, and return both."""
    theory = compile_theory(graph, catalogue, preference, assumptions)
    evaluation = evaluate(theory, semantics, bounds)
    for node in graph:
        graph.nodes[node]["acceptance"] = evaluation.claim_labels[node]
        if node in evaluation.bounded:
            graph.nodes[node]["bound_reached"] = True
        else:
            graph.nodes[node].pop("bound_reached", None)
    graph.graph.update(reading="structured", semantics=semantics, ordering=ORDERING,
                       assumptions=dict(theory.assumptions), preference=preference.name,
                       preference_order=preference.order, extension_count=evaluation.count,
                       extensions=evaluation.extensions)
    if evaluation.bound is not None:
        graph.graph["bound"] = evaluation.bound
        warnings.warn(evaluation.bound, BoundReached, stacklevel=2)
    else:
        graph.graph.pop("bound", None)
    return Reading(graph, evaluation)


def structured_reading_of(*, corpus_dir: Path | str = DEFAULT_CORPUS, data: Path | str | None = None,
                          scope: Scope | None = None, semantics: str = "grounded",
                          assume: Iterable[str] = (), prefer: str | None = None) -> Reading:
    """:func:`structured_reading` of the corpus (or a built file)."""
    return structured_reading(open_engine("oxigraph", corpus_dir=corpus_dir, data=data), scope, semantics,
                              assume, prefer)
