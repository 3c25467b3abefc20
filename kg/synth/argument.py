"""The argument layer of a synthetic claim: its proposition, the legal tests it applies, the
elements it takes a position on, and the kind of each of its attacks.

Planned after the claims (from a random stream of its own, so that who says what stays as it was)
by the rules of the annotation guide (corpus/README.md): an allegation or a justification applies
the legal tests based on the norms it invokes and affirms some of their conditions; a denial
rebuts the allegation it answers; a rejection undercuts a justification that applies a test, by
denying one of that test's conditions, and otherwise undermines or rebuts it; a justification and
an allegation that answer each other rebut each other. A few attacks stay plain, as in the corpus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import yaml

from .plan import ClaimPlan, DocPlan
from .world import World

APPLYING = ("alleges-violation", "justifies")  # the stances that apply a test to conduct
PLAIN = 0.08  # the share of attacks left of no particular kind


@dataclass(frozen=True)
class SchemeBook:
    """The legal tests of ontology/schemes.yaml as claims draw on them."""

    by_norm: dict[str, tuple[str, ...]]  # norm id -> the tests based on it, in catalogue order
    conditions: dict[str, tuple[str, ...]]  # test id -> its conditions, "test/element"


def load_schemes(path: Path) -> SchemeBook:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_norm: dict[str, list[str]] = {}
    conditions: dict[str, tuple[str, ...]] = {}
    for scheme in data["schemes"]:
        for norm in scheme.get("based_on") or ():
            by_norm.setdefault(norm, []).append(scheme["id"])
        conditions[scheme["id"]] = tuple(f"{scheme['id']}/{e['id']}" for e in scheme["elements"]
                                         if e.get("role", "condition") == "condition")
    return SchemeBook({norm: tuple(ids) for norm, ids in by_norm.items()}, conditions)


class Arguer:
    """Gives each planned claim, in order, its argument fields; remembers the tests each applies."""

    def __init__(self, rng: random.Random, world: World, schemes: SchemeBook):
        self.rng, self.world, self.schemes = rng, world, schemes
        self.applied: dict[str, tuple[str, ...]] = {}  # claim id -> the tests it applies

    def document(self, doc: DocPlan) -> None:
        for claim in doc.claims:
            self.claim(claim)

    def claim(self, claim: ClaimPlan) -> None:
        rng = self.rng
        if claim.stance in APPLYING:
            claim.schemes = list(dict.fromkeys(s for n in claim.invokes
                                               for s in self.schemes.by_norm.get(n, ())))
            for scheme in claim.schemes:
                claim.affirms += [e for e in self.schemes.conditions[scheme] if rng.random() < 0.4]
        self.applied[claim.id] = tuple(claim.schemes)
        planned, claim.attacks = claim.attacks, []
        for target in planned:
            if rng.random() < PLAIN:
                claim.attacks.append(target)
                continue
            tests = self.applied.get(target, ())
            undercut = bool(tests) and (claim.stance == "rejects-justification" or rng.random() < 0.3)
            if undercut:
                denied = rng.choice([e for s in tests for e in self.schemes.conditions[s]])
                if denied in claim.affirms:
                    claim.affirms.remove(denied)
                if denied not in claim.denies:
                    claim.denies.append(denied)
                claim.undercuts.append(target)
            if claim.stance == "rejects-justification" and not undercut and rng.random() < 0.5:
                claim.undermines.append(target)
            elif not undercut or rng.random() < 0.5:
                claim.rebuts.append(target)
        claim.proposition = proposition(claim, self.world)


def proposition(claim: ClaimPlan, world: World) -> str:
    """One English sentence of what the claimant asserts, from its stance, event and norms."""
    event = world.event_by_id[claim.event].phrase_en
    names = [world.norms.phrase_en.get(n, n) for n in claim.invokes]
    law = " and ".join(names) if names else "international law"
    party = world.actors[claim.claimant].text_en
    against = " and ".join(world.actors[a].text_en for a in claim.against) or "every party"
    sentence = {
        "alleges-violation": f"{event} breached {law}",
        "justifies": f"{event} was lawful under {law}",
        "rejects-justification": f"the legal justification offered for {event} fails under {law}",
        "denies-allegation": f"{party} did not breach {law} in {event}",
        "demands-compliance": f"{against} must comply with {law} in {event}",
        "affirms-norm": f"{law} binds every State, as {event} shows",
    }[claim.stance]
    return sentence[0].upper() + sentence[1:] + "."
