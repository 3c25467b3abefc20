"""Why a claim is in, out or undecided under the structured reading, in words a student reads.

A label alone invites the wrong question ("who won?"); the explanation answers the right one:
which part of the claim's argument is at stake (its account of the facts, an element of a legal
test it affirms, denies or only assumes, its conclusion, or the step from the test to the
conclusion), who attacks it, with what, and what decided the attack — the attacker's own standing,
an assumption made with ``--assume``, or a preference ordering (which decides rebuttals,
underminings and element conflicts only; contrary-based attacks succeed whatever it says). A claim
that is out because it only assumed a condition of the test it applies is told so in those words,
with the proof standard behind it: whoever applies a test bears the burden of its conditions.

The explanation is derived from the defeat graph of :mod:`kg.argument.structured`: the attacks on
the sub-arguments of the claim's argument, the attackers' labels and, for an attack that is itself
defeated, an accepted argument defeating it. Text is deterministic (attacks in a fixed order);
:class:`Reason` holds the same facts for JSON and for tests, so that tests check the element and the
attacker rather than the prose.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .semantics import IN, OUT, UNDEC
from .structured import Attack, Reading, attacks_on
from .theory import AFFIRMS, ASSUMES, BASIS, CLAIM, DENIES, FAILS, HOLDS, claim_literal

# how many attacks one explanation spells out; the rest are counted
SHOWN = 3

# Case law putting the burden of a test's conditions on whoever invokes it, by scheme: named only
# when the scheme's own sources (ontology/schemes.yaml) cite that judgment.
BURDEN_CASES = {
    "self-defence": ("Oil Platforms", "ICJ, Oil Platforms (Iran v. United States), 2003, para 57"),
}
BURDEN = ("Whoever applies a legal test bears the burden of showing that its conditions are met, so a "
          "condition it does not assert falls to any denial, whatever the preference ordering")
WORDS = {IN: "in", OUT: "out", UNDEC: "undecided"}


@dataclass(frozen=True)
class Reason:
    """One attack on the claim's argument, as the explanation reads it.

    ``on``: what it hits (``basis``, ``affirms``, ``denies``, ``assumes``, ``claim`` — the
    conclusion —, ``rule`` — the step from the test to the conclusion — or ``exception``);
    ``element``: the element at stake, if any; ``by``: the attacking claim, or None for an
    assumption (then ``assumption`` is ``SCHEME/ELEMENT=holds|fails``); ``kind``: denies, affirms,
    rebuts, undermines, attacks, undercuts, exception or assumption; ``attacker``: the attacking
    argument's label; ``succeeds``: whether it is a defeat; ``preference``: the sentence saying how
    the preference ordering decided it, when it did; ``defeated_by``: for a defeat whose attacker is
    out, the claim (or assumption) whose argument defeats the attacker.
    """

    on: str
    element: str | None
    by: str | None
    assumption: str | None
    kind: str
    attacker: str
    succeeds: bool
    preference: str | None = None
    defeated_by: str | None = None


@dataclass(frozen=True)
class Explanation:
    claim: str
    label: str
    text: str
    reasons: tuple[Reason, ...]

    def as_json(self) -> dict:
        return {"text": self.text, "reasons": [asdict(r) for r in self.reasons]}


class _Words:
    """The phrases of one reading: who a claim's claimant is, what its proposition says, what an
    element is called; and, once, the round of the grounded fixpoint in which each argument came in
    (the first cause of a defeat is the attacker that came in first)."""

    def __init__(self, reading: Reading):
        self.reading, self.graph, self.theory = reading, reading.graph, reading.theory
        self.catalogue = self.theory.catalogue
        self.rounds = _rounds(reading.evaluation)

    def who(self, claim: str) -> str:
        return self.graph.nodes[claim].get("claimant_label") or self.graph.nodes[claim].get("claimant", claim)

    def said(self, claim: str, longest: int | None = None) -> str:
        node = self.graph.nodes[claim]
        text = " ".join((node.get("proposition") or node["label"]).split())
        return f"'{_whole(text, LONGEST if longest is None else longest)}'"

    def element(self, e: str) -> str:
        found = self.catalogue.elements.get(e)
        return f"'{found.label if found else e}'"

    def scheme_of(self, e: str) -> str:
        found = self.catalogue.elements.get(e)
        scheme = self.catalogue.schemes.get(found.scheme) if found else None
        return scheme.label if scheme else (found.scheme if found else "its test")

    def group(self, claim: str) -> str:
        node = self.graph.nodes[claim]
        group = self.theory.preference.group_of(node.get("claimant", ""), node.get("claimant_type"))
        return group or "unranked"

    def preference_name(self) -> str:
        return f"'{self.theory.preference.name}'"


# a proposition longer than this is cut, at the end of a sentence where one ends late enough; one
# quoted as the answer to an attack (the claim is quoted whole where it is the attacker) at ANSWER
LONGEST, ANSWER = 300, 120


def _whole(text: str, longest: int = LONGEST) -> str:
    """The proposition whole, or, past ``longest`` characters, cut at the last sentence end
    (else the last word) before it, with "…"."""
    if len(text) <= longest:
        return text
    head = text[:longest]
    end = max(head.rfind(". "), head.rfind("; "))
    if end >= longest // 2:
        return head[:end + 1] + " …"
    return head.rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _rounds(evaluation) -> dict[str, int]:
    """The round of the grounded fixpoint in which each argument is labelled in: unattacked
    arguments in round 0, those whose every attacker is out after round n in round n + 1."""
    attackers: dict[str, set[str]] = {}
    targets: dict[str, set[str]] = {}
    for a, b in evaluation.defeats:
        attackers.setdefault(b, set()).add(a)
        targets.setdefault(a, set()).add(b)
    waiting = {a: len(attackers.get(a, ())) for a in evaluation.labels}
    found: dict[str, int] = {}
    out: set[str] = set()
    frontier = sorted(a for a, n in waiting.items() if n == 0)
    step = 0
    while frontier:
        found.update(dict.fromkeys(frontier, step))
        following = set()
        for argument in frontier:
            for target in targets.get(argument, ()):
                if target in out or target in found:
                    continue
                out.add(target)
                for later in targets.get(target, ()):
                    waiting[later] -= 1
                    if waiting[later] == 0 and later not in found and later not in out:
                        following.add(later)
        frontier, step = sorted(following), step + 1
    return found


def _kind(reading: Reading, attack: Attack) -> str:
    attacker = reading.theory.literals[attack.attacker]
    if attacker.kind in (HOLDS, FAILS):
        return "assumption"
    if attack.via == "rule":
        return "exception" if attacker.kind == AFFIRMS else "undercuts"
    if attacker.kind == BASIS:
        return "undermines"
    if attacker.kind == CLAIM:
        return "rebuts" if attack.symmetric else "attacks"
    return attacker.kind  # affirms / denies


def _on(reading: Reading, attack: Attack) -> str:
    if attack.via == "rule":
        return "rule"
    target = reading.theory.literals[attack.target]
    if target.kind == AFFIRMS and reading.theory.rule_for(attack.target) is not None and \
            reading.theory.rule_for(attack.target).antecedents == (claim_literal(target.claim),):
        return "exception"
    return target.kind


def _target_phrase(words: _Words, attack: Attack, on: str) -> str:
    target = words.theory.literals[attack.target]
    e = target.element
    if on == BASIS:
        return "its account of the facts"
    if on == ASSUMES:
        return (f"{words.element(e)} (assumed: it applies {words.scheme_of(e)} without saying whether this "
                "element is met)")
    if on == AFFIRMS:
        return f"{words.element(e)} (affirmed)"
    if on == DENIES:
        return f"its denial of {words.element(e)}"
    if on == "exception":
        return f"the exception {words.element(e)} it affirms"
    if on == "rule":
        return "the step from the test it applies to its conclusion"
    return "its conclusion"


def _attacker_phrase(words: _Words, attack: Attack, kind: str) -> str:
    attacker = words.theory.literals[attack.attacker]
    e = attacker.element
    if kind == "assumption":
        value = attacker.kind
        if attack.via == "rule":
            return (f"which the exception {words.element(e)} undercuts, as it holds by your assumption "
                    f"(--assume {e}={value})")
        return f"which {value} by your assumption (--assume {e}={value})"
    b = attacker.claim
    if kind == "exception":
        return (f"which {words.who(b)} undercuts by affirming the exception {words.element(e)} of "
                f"{words.scheme_of(e)} ({words.said(b)})")
    verbs = {"denies": "denies", "affirms": "affirms", "rebuts": "rebuts", "attacks": "attacks",
             "undermines": "disputes with its own account of the facts", "undercuts": "undercuts"}
    return f"which {words.who(b)} {verbs[kind]} ({words.said(b)})"


def _noun(kind: str) -> str:
    return {"denies": "denial", "affirms": "affirmation", "rebuts": "rebuttal", "attacks": "attack",
            "undermines": "account", "undercuts": "undercut", "exception": "exception",
            "assumption": "assumption"}[kind]


def _preference(words: _Words, attack: Attack, claim: str) -> str | None:
    """How the preference ordering decided a symmetric attack, when the two sides rank differently."""
    if not attack.symmetric or words.theory.preference.is_none:
        return None
    attacker = words.theory.literals[attack.attacker].claim
    if attacker is None:
        return None
    mine, theirs = words.theory.claims[claim].rank, words.theory.claims[attacker].rank
    if mine == theirs:
        return None
    name = words.preference_name()
    high, low = (claim, attacker) if mine > theirs else (attacker, claim)
    return (f"under the preference {name}, {words.who(high)} ({words.group(high)}) ranks above "
            f"{words.who(low)} ({words.group(low)})")


def _defeater(words: _Words, literal: str) -> Attack | None:
    """The accepted attack that first defeats the argument for ``literal`` (the attacker that came
    in earliest in the grounded fixpoint; then in a fixed order), if any."""
    evaluation = words.reading.evaluation
    found = [attack for sub in words.theory.sub_arguments(literal) for attack in attacks_on(words.theory, sub)
             if attack.succeeds and evaluation.label(attack.attacker) == IN]
    return min(found, key=lambda attack: words.rounds.get(attack.attacker, len(words.rounds)), default=None)


def _source(words: _Words, attack: Attack) -> tuple[str | None, str | None]:
    attacker = words.theory.literals[attack.attacker]
    if attacker.kind in (HOLDS, FAILS):
        return None, f"{attacker.element}={attacker.kind}"
    return attacker.claim, None


def _short(words: _Words, attack: Attack) -> str:
    """An attack in a few words, as the reason another attack fails: "Amnesty International
    denies 'Armed attack', on which it rests"."""
    kind = _kind(words.reading, attack)
    attacker = words.theory.literals[attack.attacker]
    e, b = attacker.element, attacker.claim
    if kind == "assumption":
        return f"your assumption that {words.element(e)} {attacker.kind} (--assume {e}={attacker.kind})"
    phrases = {
        "denies": f"{words.who(b) if b else ''} denies {words.element(e)}, on which it rests",
        "affirms": f"{words.who(b) if b else ''} affirms {words.element(e)}, which it denies",
        "rebuts": f"{words.who(b) if b else ''} rebuts it ({words.said(b, ANSWER) if b else ''})",
        "attacks": f"{words.who(b) if b else ''} attacks it ({words.said(b, ANSWER) if b else ''})",
        "undermines": f"{words.who(b) if b else ''} disputes the facts it rests on",
        "undercuts": f"{words.who(b) if b else ''} undercuts it",
        "exception": (f"{words.who(b) if b else ''} affirms the exception {words.element(e)} to the test "
                      "it applies"),
    }
    return phrases[kind]


def explain(reading: Reading, claim: str) -> Explanation:
    """Why ``claim`` has its label in ``reading``."""
    return _explain(_Words(reading), claim)


def explain_all(reading: Reading) -> dict[str, Explanation]:
    """The explanation of every claim of the reading's map, by claim id."""
    words = _Words(reading)
    return {claim: _explain(words, claim) for claim in sorted(reading.graph)}


def _explain(words: _Words, claim: str) -> Explanation:
    evaluation, theory = words.reading.evaluation, words.theory
    label = evaluation.claim_labels[claim]
    # an attack on a sub-argument shared by several steps (its basis) is one attack
    attacks = list(dict.fromkeys(a for sub in theory.sub_arguments(claim_literal(claim))
                                 for a in attacks_on(theory, sub)))
    reasons, answers = [], []
    for attack in attacks:
        by, assumption = _source(words, attack)
        attacker_label = evaluation.label(attack.attacker)
        answer = _defeater(words, attack.attacker) if attack.succeeds and attacker_label == OUT else None
        answers.append(answer)
        answered_by = None if answer is None else (_source(words, answer)[0] or _source(words, answer)[1])
        reasons.append(Reason(_on(words.reading, attack), theory.literals[attack.target].element, by,
                              assumption, _kind(words.reading, attack), attacker_label, attack.succeeds,
                              _preference(words, attack, claim), answered_by))
    return Explanation(claim, label, _text(words, claim, label, attacks, reasons, answers), tuple(reasons))


def _text(words: _Words, claim: str, label: str, attacks: list[Attack], reasons: list[Reason],
          answers: list[Attack | None]) -> str:
    evaluation = words.reading.evaluation
    if claim in evaluation.bounded:
        return ("undecided: the structured reading stopped at a bound for this part of the map, so it "
                "says nothing about this claim (narrow the scope with --event, --actor or --norm)")
    found = list(zip(attacks, reasons, answers, strict=True))
    every = f" (in every {evaluation.semantics} extension)" if evaluation.semantics != "grounded" else ""
    if label == OUT:
        decisive = sorted((item for item in found if item[1].succeeds and item[1].attacker == IN),
                          key=lambda item: words.rounds.get(item[0].attacker, len(words.rounds)))
        if not decisive:
            return (f"out{every}: in each extension one of the attacks on its argument is accepted, "
                    "though no one of them in all: "
                    + _join(words, _groups([item for item in found if item[1].succeeds]), "open"))
        if decisive[0][1].on == ASSUMES and decisive[0][1].by is not None:
            first = _unasserted(words, claim, *decisive[0])
        else:
            first = _sentence(words, *decisive[0], "not defeated")
        first_by = _attacker_key(decisive[0][1])
        others = _groups([item for item in decisive if _attacker_key(item[1]) != first_by])
        more = ""
        if others:
            names = _claimants(words, [group[0][1] for group in others])
            more = (f" It is also defeated by {_count(len(others), 'more claim')} whose attack stands "
                    f"(by {names}).")
        return f"out{every}: {first}.{more}{_tally(words, found)}"
    rests = _rests(words, claim)
    if label == IN:
        if not found:
            return f"in: its argument rests on {rests}. Nothing in scope attacks it."
        return (f"in{every}: its argument rests on {rests}. No attack on it stands.{_tally(words, found)} "
                + _join(words, _groups(found), "answered"))
    undecided = [item for item in found if item[1].succeeds and item[1].attacker == UNDEC]
    ordered = undecided + [item for item in found if item not in undecided]
    tail = " Neither side defeats the other, so the conflict stays open." if undecided else ""
    return f"undecided:{_tally(words, found)} " + _join(words, _groups(ordered), "open") + tail


def _attacker_key(reason: Reason) -> str:
    return reason.by or f"--assume {reason.assumption}"


def _groups(items: list) -> list[list]:
    """The attacks grouped by attacking claim (or assumption), in the order of each one's first."""
    found: dict[str, list] = {}
    for item in items:
        found.setdefault(_attacker_key(item[1]), []).append(item)
    return list(found.values())


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# how each kind of attack is counted: (one claim ..., several claims ...)
TALLY = {"rebuts": ("rebuts its conclusion", "rebut its conclusion"),
          "attacks": ("attacks its conclusion", "attack its conclusion"),
          "undermines": ("disputes its account of the facts", "dispute its account of the facts"),
          "affirms": ("affirms an element it denies", "affirm elements it denies"),
          "denies": ("denies an element it rests on", "deny elements it rests on"),
          "undercuts": ("undercuts the step to its conclusion", "undercut the step to its conclusion"),
          "exception": ("affirms an exception to its test", "affirm exceptions to its test")}


def _tally(words: _Words, items: list) -> str:
    """" Attacked by 13 claims: 9 rebut its conclusion, 4 dispute its account of the facts." (a
    claim attacking in two ways counts under each), or nothing when one claim attacks it."""
    by_kind: dict[str, set[str]] = {}
    for _, reason, _ in items:
        if reason.by is not None:
            by_kind.setdefault(reason.kind, set()).add(reason.by)
    claims = {reason.by for _, reason, _ in items if reason.by is not None}
    if len(claims) < 2:
        return ""
    parts = [f"{len(by)} {TALLY[kind][len(by) > 1]}" for kind, by in
             sorted(by_kind.items(), key=lambda entry: (-len(entry[1]), entry[0]))]
    return f" Attacked by {len(claims)} claims: {', '.join(parts)}."


def _unasserted(words: _Words, claim: str, attack: Attack, reason: Reason, answer: Attack | None) -> str:
    """The Carneades proof standard in words: the claim applies a test, does not assert one of
    its conditions, and a denial of that condition stands."""
    e = reason.element
    element = words.catalogue.elements.get(e)
    scheme = words.catalogue.schemes.get(element.scheme) if element else None
    denial = f"{words.who(reason.by)} denies it ({words.said(reason.by)})"
    case = BURDEN_CASES.get(scheme.id) if scheme else None
    cited = f" ({case[1]})" if case and any(case[0] in source for source in scheme.sources) else ""
    return (f"it applies {words.scheme_of(e)} but does not itself assert {words.element(e)}; the condition "
            f"was only assumed, and {denial}. {BURDEN}{cited}")


def _rests(words: _Words, claim: str) -> str:
    positions = words.theory.claims[claim]
    parts = ["its claimant's account of the facts"]
    for what, items in (("affirmed", positions.affirmed), ("denied", positions.denied),
                        ("assumed", positions.assumed)):
        if items:
            parts.append(f"{what}: " + ", ".join(words.element(e) for e in items))
    return "; ".join(parts)


def _join(words: _Words, groups: list[list], status: str) -> str:
    """One sentence per attacking claim (its first attack, and the other ways it attacks), the
    first :data:`SHOWN` spelled out, the rest named by claimant."""
    sentences = [_group_sentence(words, group, status) for group in groups[:SHOWN]]
    rest = groups[SHOWN:]
    tail = (f" (and {_count(len(rest), 'more claim')}, by "
            f"{_claimants(words, [group[0][1] for group in rest])})") if rest else ""
    return "; ".join(sentences) + tail + "."


def _group_sentence(words: _Words, group: list, status: str) -> str:
    sentence = _sentence(words, *group[0], status)
    also = list(dict.fromkeys(_also(words, attack, reason) for attack, reason, _ in group[1:]))
    return sentence + (f" (it also {', '.join(also)})" if also else "")


def _also(words: _Words, attack: Attack, reason: Reason) -> str:
    element = words.theory.literals[attack.attacker].element or reason.element
    e = words.element(element) if element else "an element"
    return {"rebuts": "rebuts its conclusion", "attacks": "attacks its conclusion",
            "undermines": "disputes its account of the facts", "affirms": f"affirms {e}, which it denies",
            "denies": f"denies {e}", "undercuts": "undercuts the step to its conclusion",
            "exception": f"affirms the exception {e}",
            "assumption": "decides an element"}[reason.kind]


def _claimants(words: _Words, reasons: list[Reason]) -> str:
    """"Amnesty International (5), Blitz (2)": who made the claims, with how many each."""
    counts: dict[str, int] = {}
    for reason in reasons:
        who = words.who(reason.by) if reason.by else f"your assumption ({reason.assumption})"
        counts[who] = counts.get(who, 0) + 1
    return ", ".join(f"{who} ({n})" if n > 1 else who for who, n in sorted(counts.items()))


def _sentence(words: _Words, attack: Attack, reason: Reason, answer: Attack | None, status: str) -> str:
    if reason.on == "claim":
        b = reason.by or ""
        verb = "rebuts" if attack.symmetric else "attacks"
        body = f"{words.who(b)} {verb} its conclusion ({words.said(b)})"
    elif reason.on == "rule":
        body = f"{_target_phrase(words, attack, 'rule')}, {_attacker_phrase(words, attack, reason.kind)}"
    else:
        body = (f"its argument rests on {_target_phrase(words, attack, reason.on)}, "
                f"{_attacker_phrase(words, attack, reason.kind)}")
    noun = _noun(reason.kind)
    if status == "not defeated":
        if reason.kind == "assumption":
            return f"{body}; an assumption cannot be attacked"
        tail = f"; that {noun} is not defeated"
        if reason.preference:
            tail += f" ({reason.preference}, so the counter-attack fails)"
        return body + tail
    if status == "answered":
        if not reason.succeeds:
            why = reason.preference or "it is weaker than what it attacks"
            return f"{body}, but that {noun} fails: {why}"
        if answer is not None:
            return f"{body}, but that {noun} is itself defeated: {_short(words, answer)}"
        return f"{body}, but that {noun} is itself defeated"
    if reason.preference:
        return f"{body} ({reason.preference})"
    if attack.symmetric and reason.kind != "assumption":
        return f"{body}, and no preference decides between them"
    return body
