"""The attacks between claims as the graph holds them, from the claims as annotated.

An annotator writes a rebuttal once, on either side; ilk:rebuts is symmetric, so the graph holds
both directions, and every kind of attack is also an ilk:attacks. Counting, mapping and building
all need that same reading, so it is made here once.
"""

from __future__ import annotations

from collections import defaultdict

from .models import Claim

KINDS = ("rebuts", "undercuts", "undermines", "attacks")  # "attacks": of none of the other kinds


def rebutted_by(claims: dict[str, Claim]) -> dict[str, tuple[str, ...]]:
    """claim id -> the claims whose annotation says they rebut it (sorted)."""
    found: dict[str, set[str]] = defaultdict(set)
    for claim in claims.values():
        for target in claim.rebuts:
            found[target].add(claim.id)
    return {target: tuple(sorted(ids)) for target, ids in found.items()}


def attack_kinds(claims: dict[str, Claim]) -> dict[tuple[str, str], tuple[str, ...]]:
    """(attacker, target) -> the kinds of attack between them, rebuttals in both directions.

    Only targets that are claims of ``claims`` count (a subset of a corpus may name others).
    """
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    reverse = rebutted_by(claims)
    for claim in claims.values():
        targets = {"rebuts": set(claim.rebuts) | set(reverse.get(claim.id, ())),
                   "undercuts": set(claim.undercuts), "undermines": set(claim.undermines),
                   "attacks": set(claim.attacks)}
        for kind, ids in targets.items():
            for target in ids:
                if target in claims and target != claim.id:
                    kinds[(claim.id, target)].add(kind)
    return {pair: tuple(k for k in KINDS if k in found) for pair, found in sorted(kinds.items())}
