"""The claims of an argument map compiled into an ASPIC+ argumentation theory.

Dung's reading of a map (:mod:`kg.argument.semantics`) sees only who attacks whom. The annotations
say more: which legal test a claim applies, which of its elements each party affirms or denies,
and whether an attack rebuts, undercuts or undermines. ASPIC+ (Modgil & Prakken 2013, 2014) is
the structured framework that reads exactly that, and python-argumentation (py_arg) implements it;
:func:`to_py_arg` gives the theory as py_arg objects. The compilation follows the lead's design
(``issue15-design.md``):

- Each claim ``c`` has an ordinary premise ``basis(c)``: the claimant asserts ``c`` on its evidence.
- Each element position is a defeasible rule: ``basis(c) => affirms(c,e)`` or ``basis(c) =>
  denies(c,e)``. A condition of a test ``c`` applies that ``c`` neither affirms nor denies is
  *assumed*: an ordinary premise ``assumes(c,e)`` of the lowest preference, which any denial of
  the element by another claim defeats (a contrary of it: Carneades' assumption, which holds until
  it is questioned).
- The claim's main rule ``r(c): basis(c), its affirmed, denied and assumed elements => claim(c)``.
- An exception ``x`` of a test ``S`` that ``c`` affirms, or that a test ``c`` applies
  ``establishes`` (self-defence establishes the self-defence exception to the prohibition of
  force), is concluded from the claim, ``claim(c) => affirms(c,x)``, and undercuts the main rule
  of every other claim applying ``S`` (it is a contrary of the rule's name).
- Element conflicts, between claims about the same case: ``affirms(a,e)`` and ``denies(b,e)`` are
  contradictory, and ``denies(b,e)`` is a contrary of ``assumes(a,e)``, for claims ``a != b`` about
  the same case (see below); an affirmed exception undercuts only claims about the same case too.
- The same case, as a lawyer reads it — *same act, same respondent*: two claims that each concern
  events (``concerns``) are about the same case when an event of one is an event of the other or
  part of it (``isPartOf``, either way: a strike within a military build-up); when either concerns
  no event, they are when they share a party: the claimant of one, or someone it is ``against``,
  is the claimant of the other or someone the other is against. So the United States denying that
  its raid on Caracas was "against another State" does not answer a claim about its threats
  against Greenland. Assumptions made with ``--assume`` stay global: they say an element holds or
  fails in every case in scope.
- ``rebuts(a,b)``: ``claim(a)`` and ``claim(b)`` are contradictory. ``undermines(a,b)``:
  ``basis(a)`` and ``basis(b)`` are contradictory, the two accounts of the facts cannot both stand.
  A plain ``attacks(a,b)``: ``claim(a)`` is a contrary of ``claim(b)`` (it succeeds whatever the
  preferences) — unless ``a`` and ``b`` also rebut each other or attack each other both ways: in
  ASPIC+ two literals each contrary to the other are contradictories, and preferences decide.
  ``undercuts(a,b)``: carried by the element conflict or exception it names; where no element
  position matches, ``claim(a)`` is a contrary of ``b``'s main rule (an ASPIC+ undercut).
- ``--assume S/E=holds`` adds the axiom ``holds(e)``, contradictory with every ``denies(*,e)`` and,
  for an exception, a contrary of the main rule of every claim applying ``S``; ``=fails`` adds
  ``fails(e)``, contradictory with every ``affirms(*,e)`` and a contrary of every ``assumes(*,e)``.
- Preferences (:mod:`kg.argument.preferences`): a claim's basis premise and its rules take its
  claimant's rank; assumed conditions rank below everything. Arguments are compared by the
  last-link principle with the elitist set comparison, py_arg's default ordering.

Two places deviate from the letter of the design note, because of how last-link compares an
argument with a defeasible rule against a bare premise (the premise is always the stronger, Modgil
& Prakken 2013, Def. 20): an undermining is a conflict between the two bases (premise against
premise, so the claimants' ranks decide it, as the note intends) rather than between ``claim(a)``
and ``basis(b)`` (which would always fail and reverse the attack); and a denial is a *contrary* of
an assumed condition rather than contradictory with it (contradictory, the assumption would defeat
the denial, the opposite of "lowest preference"). Supports play no part.

The theory is kept as data — claims with their positions, pools of positions per element, the
pairs of claims in conflict — and :meth:`Theory.conflicts` answers, for one literal, which
literals are its contraries or contradictories. The pools are never multiplied out here: a dispute
where a thousand claims affirm an element and a thousand deny it is a million conflicts, and only
the evaluation (:mod:`kg.argument.structured`) decides, within its bounds, whether to list them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import networkx as nx

from ..errors import QueryError
from ..sparql.engines import Engine
from ..sparql.saved_queries import internal_query
from .preferences import Preference

_SCHEME_BASE = "https://w3id.org/ilkg/scheme/"
_ILK = "https://w3id.org/ilkg/ontology#"
_DCTERMS_SOURCE = "http://purl.org/dc/terms/source"

# what ``--assume`` takes after the "="
HOLDS, FAILS = "holds", "fails"
# an assumed condition's rank: below every claimant's (ranks are 0 and up)
ASSUMED_RANK = -1

# literal kinds (the first word of a literal's name)
CLAIM, BASIS, AFFIRMS, DENIES, ASSUMES = "claim", "basis", "affirms", "denies", "assumes"


@dataclass(frozen=True)
class Element:
    """An element of a legal test: ``id`` is SCHEME/ELEMENT, ``role`` condition or exception."""

    id: str
    scheme: str
    role: str  # "condition" | "exception"
    label: str


@dataclass(frozen=True)
class Scheme:
    id: str
    label: str
    conditions: tuple[str, ...]
    exceptions: tuple[str, ...]
    establishes: tuple[str, ...]  # exceptions of other schemes its conclusion establishes
    sources: tuple[str, ...] = ()  # where the test is stated (instruments, judgments)


@dataclass(frozen=True)
class SchemeCatalogue:
    """The legal tests of a graph, read with SPARQL (so that ``--data FILE`` works as the corpus)."""

    schemes: Mapping[str, Scheme]
    elements: Mapping[str, Element]

    @classmethod
    def read(cls, engine: Engine) -> SchemeCatalogue:
        found: dict[str, dict] = {}
        elements: dict[str, Element] = {}
        sources: dict[str, list[str]] = {}
        for scheme, scheme_label, prop, value, value_label in engine.query(
                internal_query("argument-scheme-elements")).rows:
            sid = str(scheme).removeprefix(_SCHEME_BASE)
            entry = found.setdefault(sid, {"label": str(scheme_label or sid), "condition": [],
                                           "exception": [], "establishes": []})
            vid = str(value).removeprefix(_SCHEME_BASE)
            if str(prop) == _DCTERMS_SOURCE:
                sources.setdefault(sid, []).append(str(value_label))
                continue
            kind = str(prop).removeprefix(_ILK)
            if kind == "establishes":
                entry["establishes"].append(vid)
                continue
            role = {"Condition": "condition", "Exception": "exception"}.get(kind)
            if role is None:
                continue  # an element role this reading does not know is left out
            entry[role].append(vid)
            elements[vid] = Element(vid, sid, role, str(value_label) if value_label is not None else vid)
        schemes = {sid: Scheme(sid, e["label"], tuple(e["condition"]), tuple(e["exception"]),
                               tuple(e["establishes"]), tuple(sorted(sources.get(sid, ()))))
                   for sid, e in sorted(found.items())}
        return cls(schemes, dict(sorted(elements.items())))


@dataclass(frozen=True)
class Rule:
    """A defeasible rule ``antecedents => consequent``; ``claim`` is whose rule it is (its rank)."""

    id: str
    antecedents: tuple[str, ...]
    consequent: str
    claim: str


@dataclass(frozen=True)
class Literal:
    """What a literal of the theory stands for: ``kind`` (claim, basis, affirms, denies, assumes,
    holds, fails, or ``rule`` for a rule's name), the claim and the element it is about."""

    name: str
    kind: str
    claim: str | None = None
    element: str | None = None


def claim_literal(c: str) -> str:
    return f"claim({c})"


def basis(c: str) -> str:
    return f"basis({c})"


def position(kind: str, c: str, e: str) -> str:
    return f"{kind}({c},{e})"


def axiom(value: str, e: str) -> str:
    return f"{value}({e})"


def main_rule(c: str) -> str:
    return f"r({c})"


@dataclass
class ClaimPositions:
    """One claim as the theory reads it."""

    id: str
    claimant: str
    rank: int
    schemes: tuple[str, ...]
    affirmed: tuple[str, ...]  # conditions (or elements of no test) it affirms, from its basis
    denied: tuple[str, ...]
    assumed: tuple[str, ...]  # conditions of its tests it takes no position on
    exceptions: tuple[str, ...]  # exceptions it affirms or its tests establish, from the claim
    events: frozenset[str] = frozenset()  # the events it concerns
    reach: frozenset[str] = frozenset()  # those events and every event they are part of
    parties: frozenset[str] = frozenset()  # its claimant and whom it is against

    def same_case(self, other: ClaimPositions) -> bool:
        """Whether this claim and ``other`` are about the same case (see the module docstring)."""
        if self.events and other.events:
            return bool(self.reach & other.events or other.reach & self.events)
        return bool(self.parties & other.parties)


@dataclass
class Theory:
    """An ASPIC+ argumentation theory compiled from an argument map (see the module docstring).

    ``rules`` by id; ``premises`` (ordinary) and ``axioms`` by literal name; ``rank`` of every rule
    and premise; ``literals``: what each name stands for; the pools of positions per element and
    the pairs of claims in conflict, from which :meth:`conflicts` answers.
    """

    claims: dict[str, ClaimPositions]
    catalogue: SchemeCatalogue
    preference: Preference
    assumptions: dict[str, str]
    rules: dict[str, Rule] = field(default_factory=dict)
    premises: dict[str, int] = field(default_factory=dict)
    axioms: list[str] = field(default_factory=list)
    rank: dict[str, int] = field(default_factory=dict)  # rule id or premise -> rank
    literals: dict[str, Literal] = field(default_factory=dict)
    affirmers: dict[str, set[str]] = field(default_factory=dict)  # element -> claims with affirms(c,e)
    deniers: dict[str, set[str]] = field(default_factory=dict)
    assumers: dict[str, set[str]] = field(default_factory=dict)
    appliers: dict[str, set[str]] = field(default_factory=dict)  # scheme -> claims applying it
    rebuttals: dict[str, set[str]] = field(default_factory=dict)  # claim -> claims it rebuts (both ways)
    underminings: dict[str, set[str]] = field(default_factory=dict)  # claim -> bases in conflict (both ways)
    plain_attackers: dict[str, set[str]] = field(default_factory=dict)  # claim -> claims attacking it
    undercutters: dict[str, set[str]] = field(default_factory=dict)  # claim -> claims undercutting its rule
    # the map's attack edges each conflict came from, for the explanations
    sources: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    # --- what the theory concludes from what ------------------------------------------------------

    def rule_for(self, literal: str) -> Rule | None:
        return self._rule_by_head.get(literal)

    def __post_init__(self) -> None:
        self._rule_by_head: dict[str, Rule] = {}
        self._axioms: set[str] = set()

    def add_axiom(self, name: str, value: str, element: str) -> None:
        self.axioms.append(name)
        self._axioms.add(name)
        self.add_literal(name, value, None, element)

    def add_rule(self, rule: Rule, rank: int) -> None:
        if rule.consequent in self._rule_by_head:
            return  # an exception both affirmed and established: one rule
        self.rules[rule.id] = rule
        self._rule_by_head[rule.consequent] = rule
        self.rank[rule.id] = rank
        # only a claim's main rule can be undercut; the others are steps of its argument
        kind = "rule" if rule.id == main_rule(rule.claim) else "step"
        self.literals[rule.id] = Literal(rule.id, kind, rule.claim)

    def add_literal(self, name: str, kind: str, claim: str | None = None, element: str | None = None) -> None:
        self.literals.setdefault(name, Literal(name, kind, claim, element))

    def has_argument(self, literal: str) -> bool:
        return literal in self.premises or literal in self._rule_by_head or literal in self._axioms

    def arguments(self) -> list[str]:
        """The conclusions of the theory's arguments. Every literal that is a premise, an axiom or
        a rule's head has exactly one argument (no literal is concluded by two rules, and the rules
        never loop), so an argument is named by its conclusion."""
        return [*self.axioms, *self.premises, *(rule.consequent for rule in self.rules.values())]

    def sub_arguments(self, literal: str) -> Iterator[str]:
        """The conclusions of the argument for ``literal``'s sub-arguments, itself first."""
        yield literal
        rule = self._rule_by_head.get(literal)
        if rule is not None:
            for antecedent in rule.antecedents:
                yield from self.sub_arguments(antecedent)

    # --- contrariness -----------------------------------------------------------------------------

    def conflicts(self, literal: str) -> Iterator[tuple[str, bool]]:
        """The literals in conflict with ``literal`` (py_arg's ``contraries_and_contradictories``
        of it: an argument concluding one of them attacks an argument with ``literal`` as a
        conclusion, a premise, or — for a rule's name — its top rule), each with ``True`` when the
        conflict is symmetric (contradictories: preferences decide it) and ``False`` for a contrary
        (it succeeds whatever the preferences)."""
        info = self.literals[literal]
        c, e = info.claim, info.element
        if info.kind == CLAIM:
            # ASPIC+ has no mutual contrary: two literals each in the other's conflicts are
            # contradictories, so a pair that rebuts, or plainly attacks both ways, is decided by
            # preference (py_arg reads the contrariness function the same way)
            plain = self.plain_attackers.get(c, set())
            mutual = self.rebuttals.get(c, set()) | {b for b in plain if c in self.plain_attackers.get(b, ())}
            yield from ((claim_literal(b), True) for b in sorted(mutual))
            yield from ((claim_literal(b), False) for b in sorted(plain - mutual))
        elif info.kind == BASIS:
            yield from ((basis(b), True) for b in sorted(self.underminings.get(c, ())))
        elif info.kind == AFFIRMS:
            yield from ((position(DENIES, b, e), True) for b in self._about(c, self.deniers.get(e, ())))
            if self.assumptions.get(e) == FAILS:
                yield axiom(FAILS, e), True
        elif info.kind == DENIES:
            yield from ((position(AFFIRMS, a, e), True) for a in self._about(c, self.affirmers.get(e, ())))
            if self.assumptions.get(e) == HOLDS:
                yield axiom(HOLDS, e), True
        elif info.kind == ASSUMES:
            yield from ((position(DENIES, b, e), False) for b in self._about(c, self.deniers.get(e, ())))
            if self.assumptions.get(e) == FAILS:
                yield axiom(FAILS, e), False
        elif info.kind == HOLDS:
            yield from ((position(DENIES, b, e), True) for b in sorted(self.deniers.get(e, ())))
        elif info.kind == FAILS:
            yield from ((position(AFFIRMS, a, e), True) for a in sorted(self.affirmers.get(e, ())))
        elif info.kind == "rule":
            yield from self._undercutters(c)

    def _about(self, c: str, pool: Iterable[str]) -> list[str]:
        """The claims of ``pool`` other than ``c`` about the same case as ``c``, sorted."""
        mine = self.claims[c]
        return sorted(b for b in pool if b != c and mine.same_case(self.claims[b]))

    def _undercutters(self, d: str) -> Iterator[tuple[str, bool]]:
        for x in self.exceptions_against(d):
            yield from ((position(AFFIRMS, a, x), False) for a in self._about(d, self.affirmers.get(x, ())))
            if self.assumptions.get(x) == HOLDS:
                yield axiom(HOLDS, x), False
        yield from ((claim_literal(b), False) for b in sorted(self.undercutters.get(d, ())))

    def exceptions_against(self, d: str) -> list[str]:
        """The exceptions of the tests claim ``d`` applies (each can undercut its main rule)."""
        schemes = self.catalogue.schemes
        return sorted({x for s in self.claims[d].schemes if s in schemes for x in schemes[s].exceptions})


def _sorted_unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(items)))


def parse_assumptions(assume: Iterable[str], catalogue: SchemeCatalogue) -> dict[str, str]:
    """``["self-defence/armed-attack=holds", ...]`` as ``{element: "holds"|"fails"}``, checked
    against the legal tests of the graph (an unknown element is an error, with the nearest ids)."""
    found: dict[str, str] = {}
    for text in assume:
        element, sep, value = text.partition("=")
        element, value = element.strip(), value.strip()
        if not sep or value not in (HOLDS, FAILS):
            raise QueryError(f"--assume '{text}': write SCHEME/ELEMENT=holds or SCHEME/ELEMENT=fails, "
                             "e.g. --assume self-defence/armed-attack=holds")
        if element not in catalogue.elements:
            raise QueryError(f"--assume '{text}': unknown element '{element}'{_nearest(element, catalogue)}")
        if found.get(element, value) != value:
            raise QueryError(f"--assume: '{element}' is assumed both to hold and to fail; keep one")
        found[element] = value
    return dict(sorted(found.items()))


def _nearest(element: str, catalogue: SchemeCatalogue) -> str:
    """What to say after "unknown element": within a known test, the nearest of its elements (by
    the part after the "/" or the label, so that the test's name shared by every id does not make
    any element look close) or the list of them; otherwise the nearest id, else the tests, each
    of which ``kg scheme NAME`` shows with its elements."""
    from ..corpus.fields import closest

    def near(word: str, names: dict[str, str]) -> str:
        found = closest(word, names)
        return f" (did you mean '{found[0]}'?)" if found else ""

    scheme, _, slug = element.rpartition("/")
    if scheme in catalogue.schemes:
        found = catalogue.schemes[scheme]
        own = [*found.conditions, *found.exceptions]
        names = {e.rpartition("/")[2]: e for e in own} | {catalogue.elements[e].label: e for e in own}
        listed = ", ".join(e.rpartition("/")[2] for e in own)
        return f"{near(slug, names)}; the elements of '{scheme}' are {listed} (kg scheme {scheme} shows them)"
    names = {e: e for e in catalogue.elements} | {e.rpartition("/")[2]: e for e in catalogue.elements}
    tests = list(catalogue.schemes)
    listed = ", ".join(tests[:12]) + (f" and {len(tests) - 12} more" if len(tests) > 12 else "")
    return (f"{near(element, names)}; write SCHEME/ELEMENT, e.g. self-defence/armed-attack; "
            f"kg scheme NAME lists the elements of a test (tests: {listed})")


def compile_theory(graph: nx.DiGraph, catalogue: SchemeCatalogue, preference: Preference,
                   assumptions: Mapping[str, str] | None = None) -> Theory:
    """The ASPIC+ theory of the claims of ``graph`` (an argument map, see
    :func:`kg.argument.map.argument_map`), under ``assumptions`` ({element: holds|fails}) and
    ``preference``. Element positions on ids the catalogue does not know are read as conditions
    of no test (a graph built with an older catalogue)."""
    schemes, elements = catalogue.schemes, catalogue.elements
    theory = Theory({}, catalogue, preference, dict(sorted((assumptions or {}).items())))
    within = graph.graph.get("event_within") or {}
    for c in sorted(graph):
        node = graph.nodes[c]
        events = frozenset(node.get("event_ids") or ())
        applied = tuple(s for s in node.get("schemes", ()) if s in schemes)
        affirms, denies = set(node.get("affirms", ())), set(node.get("denies", ()))
        exceptions = {e for e in affirms if e in elements and elements[e].role == "exception"}
        exceptions |= {x for s in applied for x in schemes[s].establishes if x in elements}
        exceptions -= denies  # a claim never both affirms and denies; the annotation's denial stands
        conditions = {e for s in applied for e in schemes[s].conditions}
        theory.claims[c] = ClaimPositions(
            c, node.get("claimant", ""), preference.rank(node.get("claimant", ""), node.get("claimant_type")),
            applied, _sorted_unique(affirms - exceptions), _sorted_unique(denies),
            _sorted_unique(conditions - affirms - denies), _sorted_unique(exceptions), events,
            events.union(*(within.get(e, ()) for e in events)),
            frozenset([node.get("claimant", ""), *(node.get("against_ids") or ())]))
    for claim in theory.claims.values():
        _compile_claim(theory, claim)
    for e, value in theory.assumptions.items():
        theory.add_axiom(axiom(value, e), value, e)
    _compile_attacks(theory, graph)
    return theory


def _compile_claim(theory: Theory, claim: ClaimPositions) -> None:
    c, rank = claim.id, claim.rank
    theory.add_literal(basis(c), BASIS, c)
    theory.premises[basis(c)] = rank
    theory.rank[basis(c)] = rank
    antecedents = [basis(c)]
    for kind, items, pool in ((AFFIRMS, claim.affirmed, theory.affirmers),
                              (DENIES, claim.denied, theory.deniers)):
        for e in items:
            name = position(kind, c, e)
            theory.add_literal(name, kind, c, e)
            theory.add_rule(Rule(f"r-{kind}({c},{e})", (basis(c),), name, c), rank)
            pool.setdefault(e, set()).add(c)
            antecedents.append(name)
    for e in claim.assumed:
        name = position(ASSUMES, c, e)
        theory.add_literal(name, ASSUMES, c, e)
        theory.premises[name] = ASSUMED_RANK
        theory.rank[name] = ASSUMED_RANK
        theory.assumers.setdefault(e, set()).add(c)
        antecedents.append(name)
    theory.add_literal(claim_literal(c), CLAIM, c)
    theory.add_rule(Rule(main_rule(c), tuple(sorted(antecedents)), claim_literal(c), c), rank)
    for x in claim.exceptions:
        name = position(AFFIRMS, c, x)
        theory.add_literal(name, AFFIRMS, c, x)
        theory.add_rule(Rule(f"r-exception({c},{x})", (claim_literal(c),), name, c), rank)
        theory.affirmers.setdefault(x, set()).add(c)
    for s in claim.schemes:
        theory.appliers.setdefault(s, set()).add(c)


def _compile_attacks(theory: Theory, graph: nx.DiGraph) -> None:
    for a, b, data in sorted(graph.edges(data=True), key=lambda edge: edge[:2]):
        if data.get("relation") != "attacks" or a == b or a not in theory.claims or b not in theory.claims:
            continue
        kinds = tuple(data.get("kinds") or [data.get("kind", "attacks")])
        theory.sources[(a, b)] = kinds
        if "rebuts" in kinds:
            theory.rebuttals.setdefault(a, set()).add(b)
            theory.rebuttals.setdefault(b, set()).add(a)
        if "undermines" in kinds:
            theory.underminings.setdefault(a, set()).add(b)
            theory.underminings.setdefault(b, set()).add(a)
        if "attacks" in kinds:
            theory.plain_attackers.setdefault(b, set()).add(a)
        if "undercuts" in kinds and not _undercut_carried(theory, a, b):
            theory.undercutters.setdefault(b, set()).add(a)


def _undercut_carried(theory: Theory, a: str, b: str) -> bool:
    """Whether an element position already carries ``a``'s undercut of ``b``: ``a`` denies a
    condition of a test ``b`` applies that ``b`` affirms or assumes, or affirms one of its exceptions."""
    attacker, target = theory.claims[a], theory.claims[b]
    if not attacker.same_case(target):
        return False  # no element conflict between them: the undercut is the annotation's own
    schemes = theory.catalogue.schemes
    for s in target.schemes:
        if any(e in attacker.denied and e not in target.denied for e in schemes[s].conditions):
            return True
        if any(x in attacker.exceptions for x in schemes[s].exceptions):
            return True
    return False


class _Ranked:
    """A preorder by rank, in the shape of py_arg's PreferencePreorder (``is_weaker_than``,
    ``is_strictly_weaker_than``): py_arg keeps a preorder as a list of pairs and looks pairs up in
    it, which for n rules is n² pairs and a linear search per comparison; ranks say the same in O(1).
    ``key`` turns a py_arg rule or literal into the name ``ranks`` knows."""

    def __init__(self, ranks: Mapping[str, int], key) -> None:
        self.ranks, self.key = ranks, key
        self.preference_tuples: list = []

    def is_weaker_than(self, a, b) -> bool:
        ra, rb = self.ranks.get(self.key(a)), self.ranks.get(self.key(b))
        return ra is not None and rb is not None and ra <= rb

    def is_strictly_weaker_than(self, a, b) -> bool:
        return self.is_weaker_than(a, b) and not self.is_weaker_than(b, a)


def to_py_arg(theory: Theory):
    """The theory as py_arg objects: an ``ArgumentationTheory`` whose
    ``create_abstract_argumentation_framework`` builds py_arg's own arguments and defeat relation
    (last-link elitist ordering, py_arg's default). Every literal in conflict is listed explicitly,
    so this is for theories of a corpus's size; the evaluation of :mod:`kg.argument.structured`
    computes the same defeats from the theory's structure (tests check the two agree)."""
    from py_arg.aspic_classes.argumentation_system import ArgumentationSystem
    from py_arg.aspic_classes.argumentation_theory import ArgumentationTheory
    from py_arg.aspic_classes.defeasible_rule import DefeasibleRule
    from py_arg.aspic_classes.literal import Literal as PyLiteral
    from py_arg.aspic_classes.orderings.preference_preorder import PreferencePreorder

    class Ranked(_Ranked, PreferencePreorder):
        pass

    language = {name: PyLiteral(name, info.kind in ("rule", "step"))
                for name, info in theory.literals.items()}
    contraries = {name: {language[other] for other, _ in theory.conflicts(name)} for name in language}
    rules = [DefeasibleRule(rule.id, {language[a] for a in rule.antecedents}, language[rule.consequent])
             for rule in theory.rules.values()]
    system = ArgumentationSystem(language, contraries, [], rules,
                                 Ranked(theory.rank, lambda rule: rule.id),
                                 add_defeasible_rule_literals=False)
    return ArgumentationTheory(system, [language[a] for a in theory.axioms],
                               [language[p] for p in theory.premises], Ranked(theory.rank, str))
