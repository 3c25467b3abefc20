"""Counts that tell a scholar, at a glance, what a corpus holds."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..corpus.models import Corpus
from ..corpus.relations import attack_kinds


@dataclass(frozen=True)
class Stats:
    documents: int
    claims: int
    claimants: int
    norms_invoked: int
    events_concerned: int
    attacks: int  # ordered (attacker, target) pairs: the ilk:attacks triples
    supports: int
    quotes: int
    rebuttals: int  # pairs of claims that rebut each other (each counted once)
    undercuts: int
    undermines: int
    by_stance: tuple[tuple[str, int], ...]
    by_claimant: tuple[tuple[str, int], ...]
    by_norm: tuple[tuple[str, int], ...]
    by_document: tuple[tuple[str, int], ...]

    @property
    def relations(self) -> int:
        return self.attacks + self.supports

    def summary(self) -> str:
        return (f"{self.documents} documents, {self.claims} claims by {self.claimants} claimants, "
                f"{self.norms_invoked} norms invoked, {self.relations} relations "
                f"({self.attacks} attacks, {self.supports} supports)")


def _ranked(counter: Counter) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def corpus_stats(corpus: Corpus) -> Stats:
    claims = corpus.claims.values()
    norms = Counter(n for c in claims for n in c.invokes)
    attacks = attack_kinds(corpus.claims)
    kinds = Counter(kind for found in attacks.values() for kind in found)
    return Stats(
        documents=len(corpus.documents),
        claims=len(corpus.claims),
        claimants=len({c.claimant for c in claims}),
        norms_invoked=len(norms),
        events_concerned=len({e for c in claims for e in c.concerns}),
        attacks=len(attacks),
        supports=sum(len(c.supports) for c in claims),
        quotes=sum(len(c.evidence) for c in claims),
        rebuttals=kinds["rebuts"] // 2,
        undercuts=kinds["undercuts"],
        undermines=kinds["undermines"],
        by_stance=_ranked(Counter(c.stance for c in claims)),
        by_claimant=_ranked(Counter(c.claimant for c in claims)),
        by_norm=_ranked(norms),
        by_document=_ranked(Counter(c.document for c in claims)),
    )
