"""Which claims of the other documents a drafted claim answers, and how.

Candidate relations follow the argument layer's kinds (docs/data-model.md, "Legal argument
structure"), read from the fields of the corpus's claims, never from their texts:

- ``undercuts``: the draft denies an element (or affirms an exception) of a legal test that a
  justification of the party it opposes applies ("not an armed attack" against the US Article 51
  justifications), whatever act that justification is about (the note says when it is another);
- ``undermines``: a denial of the allegations made against its claimant, or a rejection that
  disputes the facts a justification rests on ("pretext", "fabricated");
- ``rebuts``: an allegation or rejection against a party's justification of the same act, or a
  justification against the allegations about it;
- ``attacks`` (an attack of none of these kinds): a demand that a party comply, against that
  party's justification of the same act; a justification against a demand made of its claimant
  about the same act; an allegation or rejection against a justification by the party it accuses
  when neither names a catalogued act (the reviewer checks that one answers the other).

Rebuttals and underminings link only claims about the same act (or an act within it), or, where
neither names a catalogued act, claims whose parties the draft names (a denial that names no
accuser answers nobody in particular); never a claim of the same document: its annotation, if
it has one, is what a draft must not lean on.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..corpus.models import Claim, Corpus

KINDS = ("undercuts", "undermines", "rebuts", "attacks")  # the order a draft's note gives them in
MAX_LINKS = 3  # of each kind, for one draft, the best ranked: a reviewer reads them all


@dataclass(frozen=True)
class Facts:
    """What a drafted claim says, as far as relations need it."""

    claimant: str | None
    stance: str
    against: tuple[str, ...]
    concerns: tuple[str, ...]
    denies: tuple[str, ...]
    affirms: tuple[str, ...]
    disputes_facts: bool


class Links:
    def __init__(self, corpus: Corpus, document: str):
        self.corpus = corpus
        self.pool = sorted((c for c in corpus.claims.values() if c.document != document), key=lambda c: c.id)

    def _events(self, event: str) -> set[str]:
        """An event with the events it is part of."""
        found = set()
        while event and event not in found and event in self.corpus.events:
            found.add(event)
            event = self.corpus.events[event].part_of
        return found

    def _same_act(self, ours: tuple[str, ...], theirs: tuple[str, ...], loose: bool = False) -> bool:
        """Whether two claims are about the same act (or one within the other); with ``loose``,
        two claims about no catalogued act count as the same too."""
        if not ours or not theirs:
            return loose and not ours and not theirs
        mine = set().union(*(self._events(e) for e in ours))
        other = set().union(*(self._events(e) for e in theirs))
        return bool(set(ours) & other or set(theirs) & mine)

    def _party(self, actor: str) -> str:
        person = self.corpus.actors.get(actor)
        if person is not None and person.type == "person" and person.acts_for:
            return person.acts_for
        return actor

    def link(self, facts: Facts) -> dict[str, list[tuple[str, str]]]:
        """kind -> [(claim id, why)] for the kinds ``rebuts``, ``undercuts``, ``undermines``, ``attacks``."""
        ranked: dict[str, list[tuple[float, str, str]]] = {kind: [] for kind in KINDS}
        opposed = {self._party(a) for a in facts.against}
        for target in self.pool:
            kind = self._kind(facts, target, opposed)
            if kind:
                ranked[kind[0]].append((-self._rank(facts, target, opposed), target.id, kind[1]))
        self.counts = {kind: len(ranked[kind]) for kind in KINDS}
        return {kind: [(target, why) for _rank, target, why in sorted(ranked[kind])[:MAX_LINKS]]
                for kind in KINDS}

    def _rank(self, facts: Facts, target: Claim, opposed: set[str]) -> float:
        """How surely a candidate is the claim a draft answers: the very act it is about (an act
        within it counts less), the party it opposes as its claimant, the draft's claimant among
        its targets, the same legal tests denied or applied."""
        score = 0.0
        if set(facts.concerns) & set(target.concerns):
            score += 3
        elif self._same_act(facts.concerns, target.concerns):
            score += 1.5
        if self._party(target.claimant) in opposed:
            score += 2
        targets = {self._party(a) for a in target.against}
        if facts.claimant is not None and self._party(facts.claimant) in targets:
            score += 1
        if any(e.partition("/")[0] in target.schemes for e in (*facts.denies, *facts.affirms)):
            score += 1
        return score

    def _kind(self, facts: Facts, target: Claim, opposed: set[str]) -> tuple[str, str] | None:
        target_party = self._party(target.claimant)
        target_against = {self._party(a) for a in target.against}
        if facts.claimant is not None and target_party == self._party(facts.claimant):
            return None
        if target.stance == "justifies" and target_party in opposed:
            exceptions = {e.id for s in target.schemes if s in self.corpus.schemes
                          for e in self.corpus.schemes[s].elements if e.role == "exception"}
            denied = [e for e in facts.denies if e.partition("/")[0] in target.schemes]
            denied += [e for e in facts.affirms if e in exceptions]
            same = self._same_act(facts.concerns, target.concerns)
            if denied:  # a test denied to a party answers its every use of the test
                act = "" if same else " (about another act: check that the denial reaches it)"
                return "undercuts", f"denies {', '.join(denied)} of a test it applies{act}"
            if not self._same_act(facts.concerns, target.concerns, loose=not target.concerns):
                return None
            if facts.stance == "rejects-justification" and facts.disputes_facts:
                return "undermines", "disputes the facts it rests on"
            if facts.stance in ("alleges-violation", "rejects-justification") and target.concerns:
                return "rebuts", "the two conclusions cannot both stand"
            if facts.stance in ("alleges-violation", "rejects-justification"):
                return "attacks", ("opposes a justification by the party it accuses; "
                                   "no catalogued act ties them (check that it answers it)")
            if facts.stance == "demands-compliance" and target.concerns:
                return "attacks", "demands compliance as regards the act it justifies"
        if facts.claimant is None:
            return None
        claimant = self._party(facts.claimant)
        if claimant in target_against and target.stance in ("alleges-violation", "rejects-justification"):
            # the same act, or (neither names one) the denial names the party that alleges
            same = self._same_act(facts.concerns, target.concerns) or (
                self._same_act(facts.concerns, target.concerns, loose=True) and target_party in opposed)
            if facts.stance == "denies-allegation" and same:
                return "undermines", f"denies what it alleges against {claimant}"
            if facts.stance == "justifies" and self._same_act(facts.concerns, target.concerns):
                return "rebuts", "justifies the act it condemns"
        if claimant in target_against and target.stance == "demands-compliance" and \
                facts.stance == "justifies" and self._same_act(facts.concerns, target.concerns):
            return "attacks", f"justifies the conduct it demands that {claimant} change"
        return None
