"""Who says what against whom in a synthetic corpus: documents and their claims, before any words.

The plan follows the house rules of the annotation guide so that the graph it yields argues the
way a real one does: a perpetrator and its allies justify and deny, the others allege, demand and
reject; a denial attacks an earlier allegation against the denier and a rejection an earlier
justification, often from an earlier document; an affirmation of a rule supports the allegation
that applies it. Claimants, events and norms are drawn with skewed weights, so a few dominate and
a long tail is rare, as in a real dispute.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from typing import NamedTuple

from .world import World, slug

GENRES = (("news report", 46), ("press release", 18), ("statement", 16), ("opinion", 9), ("report", 6),
          ("compilation", 5))
OWN_VOICE = {"press release": 0.8, "statement": 0.85, "report": 0.75, "opinion": 0.6}
STANCES = (("alleges-violation", 33), ("demands-compliance", 20), ("affirms-norm", 10), ("justifies", 12),
           ("rejects-justification", 11), ("denies-allegation", 14))
PERP_SIDE = ("justifies", "denies-allegation", "affirms-norm")
OTHER_SIDE = ("alleges-violation", "demands-compliance", "rejects-justification", "affirms-norm")
WORD = {"alleges-violation": "alleges", "demands-compliance": "demands", "affirms-norm": "affirms",
        "justifies": "justifies", "rejects-justification": "rejects", "denies-allegation": "denies"}
SPEAKER_TYPES = ("state", "international-organization", "group-of-states", "ngo")
RELAYS = ("un-secretary-general", "ohchr", "un-special-procedures", "americas-rights-observatory",
          "global-justice-initiative")
SPANISH = ("diario-del-sur", "la-voz-continental", "foro-civico", "americas-rights-observatory", "VEN", "CUB",
           "COL", "MEX", "NIC", "BOL", "ARG", "CHL", "PER", "ECU", "PAN", "ESP", "celac", "alba-tcp")
NOTES = (
    "Reported claim, dated as the text gives it.",
    "Stance is a judgment call: the passage also reads as a demand.",
    "The norm is designated by its content, not named.",
    "The target is named in the preceding paragraph.",
    "One claim for the statement and its restatement later in the text.",
    "Synthetic annotation; the wording was generated with the text.",
)
FIRST_DAY, DAYS = dt.date(2025, 1, 1), 730  # documents are dated over 2025-2026


class Ref(NamedTuple):
    """An earlier claim that a later one may attack or support."""

    id: str
    claimant: str
    event: str
    target: str | None
    invokes: tuple[str, ...]


@dataclass
class ClaimPlan:
    id: str
    claimant: str
    stance: str
    event: str  # the event it is mainly about (first of concerns)
    own: bool  # in the voice of the document's publisher or the piece's author
    concerns: tuple[str, ...] = ()
    against: tuple[str, ...] = ()
    invokes: tuple[str, ...] = ()
    voiced_by: str | None = None
    reported_by: str | None = None
    attacks: list[str] = field(default_factory=list)
    supports: list[str] = field(default_factory=list)
    date: str | None = None  # as annotated; None: the piece's or the document's date applies
    said_on: dt.date | None = None  # the day a reported claim was made, when the text gives it
    quotes: int = 1
    pull: bool = False  # repeated as a pull-quote, so its first passage is quoted twice
    piece: int | None = None
    note: str | None = None
    # The argument layer, given by kg.synth.argument once the claims are planned.
    proposition: str = ""
    schemes: list[str] = field(default_factory=list)
    affirms: list[str] = field(default_factory=list)
    denies: list[str] = field(default_factory=list)
    rebuts: list[str] = field(default_factory=list)
    undercuts: list[str] = field(default_factory=list)
    undermines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PiecePlan:
    title: str
    day: dt.date
    actor: str


@dataclass
class DocPlan:
    id: str
    index: int
    outlet: str
    day: dt.date
    date_text: str
    language: str
    genre: str
    event: str
    author: str | None = None
    truncated: bool = False
    title: str = ""
    claims: list[ClaimPlan] = field(default_factory=list)
    pieces: list[PiecePlan] = field(default_factory=list)


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class Planner:
    """Plans documents in date order, remembering the claims that later ones may answer."""

    def __init__(self, rng: random.Random, world: World):
        self.rng, self.world = rng, world
        self.actors = world.actors
        self.starts = [event.start for event in world.events]
        self.speakers = [a.id for a in self.actors.values() if a.type in SPEAKER_TYPES and a.weight > 0]
        self.outlets = [a.id for a in self.actors.values() if a.type == "media-outlet"]
        self.ngos = [a.id for a in self.actors.values() if a.type == "ngo"]
        self.allegations: dict[str, list[Ref]] = {}  # by accused
        self.justifications: dict[str, list[Ref]] = {}  # by event
        self.all_justifications: list[Ref] = []
        self.doc_ids: set[str] = set()
        self._pools: dict[tuple, tuple[list[str], list[float]]] = {}

    def days(self, count: int) -> list[dt.date]:
        return sorted(FIRST_DAY + dt.timedelta(days=self.rng.randrange(DAYS)) for _ in range(count))

    # --- choosing with weights -----------------------------------------------------------------

    def pick(self, key: tuple, ids: list[str], weight) -> str | None:
        """A weighted choice among ``ids``; the cumulative weights are kept under ``key``."""
        if key not in self._pools:
            kept = [(i, weight(i)) for i in ids]
            kept = [(i, w) for i, w in kept if w > 0]
            self._pools[key] = ([i for i, _ in kept], list(accumulate(w for _, w in kept)))
        names, cumulative = self._pools[key]
        return self.rng.choices(names, cum_weights=cumulative)[0] if names else None

    def recent(self, refs: list[Ref]) -> Ref:
        """Mostly one of the latest claims: answers come soon after what they answer."""
        back = min(int(self.rng.expovariate(1 / 12)), len(refs) - 1)
        return refs[len(refs) - 1 - back]

    def side(self, actor_id: str, event_id: str) -> str:
        event = self.world.event_by_id[event_id]
        if actor_id in event.perpetrators:
            return "perp"
        bloc = self.actors[actor_id].bloc
        return "perp" if bloc and bloc == self.actors[event.perpetrators[0]].bloc else "other"

    def speaker(self, event_id: str, side: str, exclude: str | None = None) -> str | None:
        event = self.world.event_by_id[event_id]
        if side == "perp" and self.rng.random() < 0.8:
            return event.perpetrators[0] if event.perpetrators[0] != exclude else None
        victims = {self.actors[a].bloc for a in event.affected if self.actors[a].bloc} - {None}

        def weight(actor_id: str) -> float:
            if actor_id == exclude or self.side(actor_id, event_id) != side:
                return 0
            boost = 4 if actor_id in event.affected or self.actors[actor_id].bloc in victims else 1
            return self.actors[actor_id].weight * boost

        return self.pick(("speaker", event_id, side, exclude), self.speakers, weight)

    def norms(self, event_id: str, stance: str, count: int) -> tuple[str, ...]:
        """Norms for a claim: mostly those its kind of event calls for, else any, by citation rank.

        Only a justification draws on the norms that excuse (self-defence, for force); an
        allegation of a breach of Article 51 is rare in real texts and rare here.
        """
        book, kind = self.world.norms, self.world.event_by_id[event_id].kind
        excusing = stance == "justifies"
        affine = kind.excuses if excusing else kind.norms
        chosen: list[str] = []
        for _ in range(count):
            norm = None
            if self.rng.random() < 0.7:
                norm = self.pick(("affine", affine), [n for n in affine if n in book.weight], book.weight.get)
            if norm is None:
                skip = () if excusing else kind.excuses
                norm = self.pick(("global", skip), list(book.ids),
                                 lambda n, skip=skip: 0 if n in skip else book.weight[n])
            if norm and norm not in chosen:
                chosen.append(norm)
        return tuple(chosen)

    # --- documents -----------------------------------------------------------------------------

    def event_at(self, day: dt.date) -> str:
        known = self.world.events[: bisect_right(self.starts, day)] or self.world.events[:1]
        weights = [e.weight / (1 + (day - e.start).days / 90) * (0.4 if e.part_of is None else 1)
                   for e in known]
        return self.rng.choices(known, weights=weights)[0].id

    def related(self, event_id: str, day: dt.date) -> str:
        """Another event a document on ``event_id`` may bring up: one with a party in common."""
        event = self.world.event_by_id[event_id]
        parties = {*event.perpetrators, *event.affected}
        known = self.world.events[: bisect_right(self.starts, day)]
        near = [e for e in known if e.id != event_id and parties & {*e.perpetrators, *e.affected}]
        return self.rng.choice(near).id if near else event_id

    def document(self, index: int, day: dt.date) -> DocPlan:
        rng = self.rng
        genre = _weighted(rng, GENRES)
        event = self.event_at(day)
        if genre in ("news report", "opinion"):
            outlet = self.pick(("outlets",), self.outlets, lambda a: self.actors[a].weight)
        elif genre in ("press release", "report"):
            outlet = rng.choice(self.ngos if rng.random() < 0.7 else RELAYS[:3])
        elif genre == "statement":
            stake = self.world.event_by_id[event]
            outlet = rng.choice((*stake.perpetrators, *stake.affected)) if rng.random() < 0.5 else \
                self.speaker(event, "other") or stake.perpetrators[0]
            outlet = outlet if self.actors[outlet].type != "non-state-group" else stake.perpetrators[0]
        else:
            outlet = rng.choice(self.ngos + self.outlets)
        language = "es" if rng.random() < (0.6 if outlet in SPANISH else 0.05) else "en"
        date_text = day.isoformat()[:7] if genre in ("opinion", "news report") and rng.random() < 0.04 \
            else day.isoformat()
        doc_id = base = f"{outlet.lower()}-{self.world.event_by_id[event].kind_name}-{day.isoformat()}"
        suffix = 2
        while doc_id in self.doc_ids:
            doc_id, suffix = f"{base}-{suffix}", suffix + 1
        self.doc_ids.add(doc_id)
        doc = DocPlan(doc_id, index, outlet, day, date_text, language, genre, event,
                      truncated=rng.random() < 0.04)
        if genre == "opinion" and rng.random() < 0.6:
            doc.author = rng.choice(self.world.columnists)
        if genre == "compilation":
            self.pieces(doc)
        count = max(min(25, 3 + int(rng.gammavariate(2.2, 3.2)) + (4 if genre == "report" else 0)),
                    len(doc.pieces))
        points: set[tuple] = set()
        for k in range(count):
            for _ in range(4):  # one claim per distinct point in a document (corpus/README.md)
                claim = self.claim(doc, k, count)
                point = (claim.claimant, claim.stance, claim.event, claim.against, claim.invokes)
                if point not in points:
                    points.add(point)
                    doc.claims.append(claim)
                    self.remember(claim)
                    break
        self.within(doc)
        return doc

    def pieces(self, doc: DocPlan) -> None:
        """Two to four statements of the month before, none before the event they answer."""
        span = min(30, (doc.day - self.world.event_by_id[doc.event].start).days + 1)
        offsets = sorted(self.rng.sample(range(span), min(self.rng.randint(2, 4), span)), reverse=True)
        for offset in offsets:
            actor = self.speaker(doc.event, "perp" if self.rng.random() < 0.3 else "other") or doc.outlet
            day = doc.day - dt.timedelta(days=offset)
            name = self.actors[actor].text_en if doc.language == "en" else self.actors[actor].text_es
            title = f"Statement by {name}" if doc.language == "en" else f"Declaración de {name}"
            doc.pieces.append(PiecePlan(title, day, actor))

    # --- claims --------------------------------------------------------------------------------

    def claim(self, doc: DocPlan, k: int, count: int) -> ClaimPlan:
        rng, world = self.rng, self.world
        piece = min(len(doc.pieces) - 1, k * len(doc.pieces) // max(count, 1)) if doc.pieces else None
        voice = doc.pieces[piece].actor if piece is not None else (
            doc.author or doc.outlet if rng.random() < OWN_VOICE.get(doc.genre, 0) else None)
        event = doc.event
        roll = rng.random()
        if roll < 0.1 and world.event_by_id[event].part_of:
            event = world.event_by_id[event].part_of or event
        elif roll < 0.2:
            event = self.related(event, doc.day)
        stance = _weighted(rng, STANCES)
        if voice is not None and self.actors[voice].type in SPEAKER_TYPES:
            allowed = PERP_SIDE if self.side(voice, event) == "perp" else OTHER_SIDE
            if stance not in allowed:
                stance = _weighted(rng, tuple(s for s in STANCES if s[0] in allowed))
        claim = self.shape(stance, voice, event)
        claim.id = f"{slug(claim.claimant)}-{WORD[claim.stance]}-{doc.index + 1}-{k + 1}"
        claim.own, claim.piece = voice is not None and claim.claimant == voice, piece
        self.details(doc, claim)
        return claim

    def shape(self, stance: str, voice: str | None, event: str) -> ClaimPlan:
        """Claimant, target, relations and norms that fit the stance; a simpler stance if none do."""
        rng = self.rng
        if stance == "denies-allegation":
            accused = voice or self.world.event_by_id[event].perpetrators[0]
            refs = self.allegations.get(accused)
            if refs:
                same = [r for r in refs[-40:] if r.event == event]
                ref = rng.choice(same) if same else self.recent(refs)
                kept = tuple(n for n in ref.invokes if rng.random() < 0.7)
                return ClaimPlan("", accused, stance, ref.event, False, against=(ref.claimant,),
                                 invokes=kept, attacks=[ref.id])
            stance = "justifies"
        if stance == "rejects-justification":
            refs = self.justifications.get(event) or (self.all_justifications if rng.random() < 0.3 else None)
            if refs:
                ref = self.recent(refs)
                claimant = voice if voice and self.side(voice, ref.event) == "other" else (
                    None if voice else self.speaker(ref.event, "other", exclude=ref.claimant))
                if claimant and claimant != ref.claimant:
                    invokes = ref.invokes if ref.invokes and rng.random() < 0.7 else \
                        self.norms(ref.event, "justifies", rng.choice((0, 1, 1, 2)))
                    return ClaimPlan("", claimant, stance, ref.event, False, against=(ref.claimant,),
                                     invokes=invokes, attacks=[ref.id])
            perp_voice = voice is not None and self.side(voice, event) == "perp"
            stance = "justifies" if perp_voice else "alleges-violation"
        side = "perp" if stance == "justifies" else "other"
        claimant = voice or self.speaker(event, side) or self.speaker(event, "other") or self.speakers[0]
        facts = self.world.event_by_id[event]
        claim = ClaimPlan("", claimant, stance, event, False)
        if stance == "justifies":
            claim.against = tuple(a for a in facts.affected[:1] if a != claimant)
            claim.invokes = self.norms(event, stance, rng.choices((0, 1, 2), (25, 55, 20))[0])
            refs = self.allegations.get(claimant)
            if refs and rng.random() < 0.2:
                claim.attacks.append(self.recent(refs).id)
        elif stance == "affirms-norm":
            claim.invokes = self.norms(event, stance, 1 + (rng.random() < 0.3))
        else:
            against = [a for a in facts.perpetrators[: 1 + (rng.random() < 0.15)] if a != claimant]
            claim.against = tuple(against)
            claim.invokes = self.norms(event, stance, rng.choices((0, 1, 2, 3), (12, 50, 28, 10))[0])
            if stance == "alleges-violation":
                justified = self.justifications.get(event)
                if justified and rng.random() < 0.12:
                    ref = self.recent(justified)
                    if ref.claimant != claimant:
                        claim.attacks.append(ref.id)
                alleged = self.allegations.get(against[0]) if against else None
                if alleged and rng.random() < 0.1:
                    ref = self.recent(alleged)
                    if ref.claimant != claimant and ref.event == event:
                        claim.supports.append(ref.id)
        return claim

    def details(self, doc: DocPlan, claim: ClaimPlan) -> None:
        """Voice, relay, date, concerns, number of quotes and note."""
        rng, world = self.rng, self.world
        facts = world.event_by_id[claim.event]
        claim.concerns = (claim.event,)
        if facts.part_of and rng.random() < 0.1:
            claim.concerns += (facts.part_of,)
        persons = world.persons.get(claim.claimant)
        if persons and rng.random() < (0.45 if claim.own else 0.3):
            claim.voiced_by = rng.choice(persons)
        if not claim.own and doc.genre == "news report" and rng.random() < 0.08:
            relay = rng.choice(RELAYS)
            claim.reported_by = relay if relay != claim.claimant else None
        if claim.piece is not None:
            piece_day = doc.pieces[claim.piece].day
            claim.date = piece_day.isoformat() if rng.random() < 0.5 else None
        elif claim.own:
            claim.date = doc.date_text if rng.random() < 0.8 else None
        elif len(doc.date_text) == 10:
            said = max(doc.day - dt.timedelta(days=rng.choice((0, 0, 1, 2, 3, 5, 8, 13, 21))), facts.start)
            said = min(said, doc.day)
            if rng.random() < 0.8:
                claim.date, claim.said_on = said.isoformat(), said
            else:
                claim.date = said.isoformat()[:7]
        claim.quotes = rng.choices((1, 2, 3), (78, 16, 6))[0]
        claim.pull = doc.genre == "press release" and claim.own and claim.quotes == 1 and rng.random() < 0.12
        if rng.random() < 0.08:
            claim.note = rng.choice(NOTES)

    def within(self, doc: DocPlan) -> None:
        """Relations inside one document: an allegation supports the demand it grounds, and an
        affirmation of a rule supports the allegation that applies it."""
        rng = self.rng
        allegations = [c for c in doc.claims if c.stance == "alleges-violation"]
        for claim in doc.claims:
            if claim.stance == "demands-compliance" and claim.against:
                grounds = [a for a in allegations
                           if a.against[:1] == claim.against[:1] and a.event == claim.event]
                if grounds and rng.random() < 0.35:
                    ground = rng.choice(grounds)
                    if claim.id not in ground.supports:
                        ground.supports.append(claim.id)
            elif claim.stance == "affirms-norm" and allegations and rng.random() < 0.45:
                applying = [a for a in allegations if set(a.invokes) & set(claim.invokes)] or allegations
                target = rng.choice(applying)
                if target.id not in claim.supports:
                    claim.supports.append(target.id)

    def remember(self, claim: ClaimPlan) -> None:
        ref = Ref(claim.id, claim.claimant, claim.event, claim.against[0] if claim.against else None,
                  claim.invokes)
        if claim.stance == "alleges-violation":
            for accused in claim.against:
                self.allegations.setdefault(accused, []).append(ref)
        elif claim.stance == "justifies":
            self.justifications.setdefault(claim.event, []).append(ref)
            self.all_justifications.append(ref)
