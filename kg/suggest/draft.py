"""A document's draft annotation: claims with their reasons, and the catalogue entries to add.

Each sentence that makes a legal claim becomes a drafted claim: a sentence is one when it cites or
designates a norm, or holds a stance cue and a legal term, and someone speaks it (see
``attribution``). Its fields come from the finders of this package; each comes with the reason
that put it there, gathered in the claim's ``note`` so that a reviewer can judge it at a glance.
Sentences that make the same point (claimant, voice, stance, parties, norms, act and date: the
house rule "one claim per distinct point") become one claim with several quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..corpus.models import Corpus, Document
from ..corpus.quotes import find_quote
from .attribution import Attributor, Speaker
from .citations import Citations
from .cues import Cues, Position, StanceCue
from .dates import claim_date, reference_day
from .events import EventMatch, Events
from .lexicon import Lexicon, lexicon
from .links import KINDS, Facts, Links
from .mentions import Finder, Mention, country_name
from .text import Reading, Sentence, read

# Conduct words after a party that make it the one acting ("US attack", "Washington's
# strikes"), and words before one that make it the one acted on ("attack on Venezuela").
_ACTING = re.compile(r"^(?:'s)?\s*(?:\w+\s+)?(?:attacks?|strikes?|airstrikes?|operations?|military|forces|"
                     r"government|authorities|administration|use of force|action|actions|raid|troops|"
                     r"allegations|accusations|charges|claims|officials|navy|army|president|must|should|"
                     r"has|have|had|is|was|continues|started|carried)\b", re.IGNORECASE)
_ACTED_ON = re.compile(r"\b(?:against|on|in|into|to|from|of|for|off|toward|towards|near)\s+(?:the\s+)?$",
                       re.IGNORECASE)
_BY = re.compile(r"\bby\s+(?:the\s+)?$", re.IGNORECASE)
_ADDRESSED = re.compile(r"\b(?:call(?:s|ed)?\s+(?:on|upon)|urg(?:e|es|ed)|demand(?:s|ed)?\s+that|"
                        r"ask(?:s|ed)?)\s+(?:the\s+)?$", re.IGNORECASE)
# Verbs by which a reported party takes its own position ("Washington has defended ...").
_POSITION = re.compile(r"\b(?:defend(?:s|ed)?|justif(?:y|ies|ied)|argu(?:e|es|ed)|maintain(?:s|ed)|"
                       r"insist(?:s|ed)|claim(?:s|ed)|denounc(?:e|es|ed)|condemn(?:s|ed)?)\b", re.IGNORECASE)
_FACT_DISPUTE = re.compile(r"pretext|fabricated|false|ulterior|guise|cover|regime.change", re.IGNORECASE)
CONTEXT_CHARS = 2000  # text before a sentence in which a bare "Article 51" finds its instrument
STANCE_WORDS = {
    "alleges-violation": "alleges a violation",
    "justifies": "justifies",
    "rejects-justification": "rejects a justification",
    "demands-compliance": "demands compliance",
    "denies-allegation": "denies an allegation",
    "affirms-norm": "affirms a norm",
}


@dataclass
class Quote:
    exact: str  # as an annotator types it (folded)
    prefix: str | None = None


@dataclass
class DraftClaim:
    id: str
    claimant: str | None
    stance: str
    proposition: str | None  # None: left to decide (``undecided`` says why)
    date: str
    quotes: list[Quote]
    note: str
    undecided: dict[str, str] = field(default_factory=dict)  # field -> why it is left to decide
    voiced_by: str | None = None
    reported_by: str | None = None  # who reports another party's claim ("Jenča stated that Washington ...")
    against: list[str] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)
    invokes: list[str] = field(default_factory=list)
    schemes: list[str] = field(default_factory=list)
    affirms: list[str] = field(default_factory=list)
    denies: list[str] = field(default_factory=list)
    rebuts: list[str] = field(default_factory=list)
    undercuts: list[str] = field(default_factory=list)
    undermines: list[str] = field(default_factory=list)
    attacks: list[str] = field(default_factory=list)
    supports: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # in the stored text, for measures


@dataclass(frozen=True)
class Proposal:
    """A catalogue entry (or an alias) the text needs and no catalogue has."""

    catalogue: str  # actors.yaml | norms.yaml
    fields: tuple[tuple[str, str], ...]
    why: str


@dataclass(frozen=True)
class Draft:
    document: Document
    claims: tuple[DraftClaim, ...]
    proposals: tuple[Proposal, ...]


class Drafter:
    """Drafts documents of one corpus (its catalogues, and its other documents' claims)."""

    def __init__(self, corpus: Corpus, vocabulary: Lexicon | None = None):
        self.corpus = corpus
        self.lexicon = vocabulary or lexicon()
        self.finder = Finder(corpus, self.lexicon)
        self.citations = Citations(corpus, self.lexicon)
        self.cues = Cues(corpus, self.lexicon)
        self.events = Events(corpus, self.lexicon)
        self.attributor = Attributor(corpus, self.lexicon, self.finder)

    def draft(self, document: Document) -> Draft:
        reading = read(document.text)
        actors = self.finder.actors(reading.text)
        unknown = self.finder.unknown_organisations(reading.text, actors,
                                                    [(s.start, s.end) for s in reading.sentences])
        parties = sorted([*actors, *unknown], key=lambda m: (m.start, -m.end))
        speakers = self.attributor.speakers(reading, document, parties)
        event_names = self.finder.events(reading.text)
        drafted: list[DraftClaim] = []
        proposals: dict[str, Proposal] = {}
        matched_events: dict[int, str] = {}  # sentence -> the act it names, for the sentences after it
        named = self._named_by_paragraph(reading, parties)
        self._in_document = set().union(*named.values()) if named else set()
        for index, sentence in enumerate(reading.sentences):
            aliases = [m.id for m in event_names if sentence.start <= m.start and m.end <= sentence.end]
            found = self.events.match(sentence.text, document.date.text, aliases, named[sentence.paragraph])
            if found is not None:
                matched_events[index] = found.event
        for index, sentence in enumerate(reading.sentences):
            for clause in self._clauses(reading, sentence):
                claim = self._sentence(reading, document, index, clause, speakers[index], parties,
                                       event_names, matched_events, proposals, named[sentence.paragraph])
                if claim is not None:
                    drafted.append(claim)
        claims = _merge(drafted)
        self._number(document, claims)
        self._relate(document, claims)
        for claim in claims:
            self._anchor(document, reading, claim)
        for mention in unknown:
            self._propose_actor(mention, proposals)
        for mention in actors:  # a state the catalogue lacks, by its ISO 3166 name ("Serbia")
            if mention.kind == "unknown" and mention.guess == "state" and mention.part:
                self._propose_actor(mention, proposals)
        return Draft(document, tuple(claims), tuple(sorted(proposals.values(), key=_proposal_order)))

    def _named_by_paragraph(self, reading: Reading, parties: list[Mention]) -> dict[int, set[str]]:
        """paragraph -> the catalogued actors it names, with the parties the persons act for: an
        event, a target or a link is drafted only for parties the text names."""
        named: dict[int, set[str]] = {s.paragraph: set() for s in reading.sentences}
        for sentence in reading.sentences:
            for mention in parties:
                if mention.kind == "actor" and sentence.start <= mention.start < sentence.end:
                    named[sentence.paragraph] |= {mention.id, self._principal(mention.id) or mention.id}
        return named

    # --- one sentence --------------------------------------------------------------------------

    def _sentence(self, reading: Reading, document: Document, index: int, sentence: Sentence,
                  speaker: Speaker, parties: list[Mention], event_names: list[Mention],
                  matched_events: dict[int, str], proposals: dict[str, Proposal],
                  named: set[str]) -> DraftClaim | None:
        text = sentence.text
        if not sentence.terminal and len(text.split()) < self.lexicon.heading_words:
            return None  # a heading, a byline, a dateline
        before = reading.text[max(0, sentence.start - CONTEXT_CHARS):sentence.start]
        citations = self.citations.find(text, before)
        norms = _unique(c.norm for c in citations if c.norm)
        stance_cues = self.cues.stances(text)
        legal = self.cues.legal(text)
        if not norms and not any(c.proposed for c in citations) and not (stance_cues and legal):
            return None
        if not speaker.found:
            return None
        reasons: list[str] = []
        reported_by = None
        said = speaker.verb_end - sentence.start if speaker.verb_end is not None else None
        chosen = _stance(stance_cues, said if said is not None and said < len(text) else None)
        holder = self._holder(reading.text, sentence, parties, speaker, chosen)
        if holder is not None:  # "Jenča stated that Washington has defended its actions as ..."
            reported_by = speaker.claimant
            reasons.append(f"claimant: {holder.claimant}, {holder.how}; reported by {reported_by}")
            speaker = holder
        if chosen is not None:
            stance = chosen.stance
            reasons.append(f"stance {stance}: cue '{chosen.cue}'")
        else:
            stance = "affirms-norm"
            reasons.append("stance affirms-norm: cites a norm with no stance cue")
        if legal and not norms:
            reasons.append(f"legal term '{legal}'")
        reasons += [c.how for c in citations]
        for citation in citations:
            if citation.proposed:
                proposals.setdefault(dict(citation.proposed)["id"], Proposal(
                    "norms.yaml", tuple((k, v) for k, v in citation.proposed if k != "note"),
                    f"the text cites '{citation.text}'" + (
                        f"; {dict(citation.proposed)['note']}" if "note" in dict(citation.proposed) else "")))
        undecided: dict[str, str] = {}
        if speaker.claimant is None and speaker.unknown is not None:
            undecided["claimant"] = self._unknown_party(speaker.unknown, "claimant", proposals)
        if speaker.unknown_voice is not None:
            undecided["voiced_by"] = self._unknown_party(speaker.unknown_voice, "voiced_by", proposals,
                                                         speaker.claimant)
        if reported_by is None:
            reasons.append(f"claimant: {speaker.how}")
        here = [m for m in parties if sentence.start <= m.start and m.end <= sentence.end]
        piece = document.piece_at(reading.original_span(sentence.start, sentence.end)[0])
        written = (piece.date if piece else document.date).text
        found_date = claim_date(text, sentence.start, speaker.verb_end, reference_day(written),
                                self.lexicon, day_known=len(written) == 10)
        date = found_date.value if found_date and not speaker.own_voice else written
        if found_date and not speaker.own_voice:
            reasons.append(f"date: {found_date.how}")
        elif date != document.date.text:
            reasons.append(f"date: of the piece it is in ({date})")
        event = None
        if stance != "affirms-norm":
            aliases = [m.id for m in event_names if sentence.start <= m.start and m.end <= sentence.end]
            event = self.events.match(text, date, aliases, named)
            if event is not None:
                reasons.append(f"concerns: {event.how}")
            else:
                earlier = [matched_events[i] for i in range(index - 1, max(-1, index - 4), -1)
                           if i in matched_events and reading.sentences[i].paragraph == sentence.paragraph]
                for event_id in earlier:
                    began = self.corpus.events[event_id].start.text
                    if began <= date[: len(began)]:
                        event = EventMatch(event_id, 1.0, "the act of a sentence before")
                        reasons.append(f"concerns: {event_id}, the act of a sentence before in the paragraph")
                        break
        concerns = [event.event] if event else []
        against = self._against(reading.text, sentence, here, speaker, stance, concerns)
        if against:
            reasons.append(f"against: {', '.join(against)}")
        opposed = None if against else self._unknown_against(reading.text, sentence, here, stance)
        if opposed is not None:
            undecided["against"] = self._unknown_party(opposed, "against", proposals)
        positions = [] if stance == "affirms-norm" else self.cues.positions(text, set(norms))
        chosen_schemes = self._schemes(stance, norms, positions)
        schemes = [scheme for scheme, _why in chosen_schemes]
        if chosen_schemes:
            reasons.append("schemes: " + "; ".join(f"{scheme} ({why})" for scheme, why in chosen_schemes))
        affirms = [p.element for p in positions if p.affirms]
        denies = [p.element for p in positions if not p.affirms]
        if positions:
            reasons.append("elements: " + "; ".join(
                f"{'affirms' if p.affirms else 'denies'} {p.element} ('{p.cue}')" for p in positions))
        voiced_by = speaker.voiced_by
        proposition = self._proposition(stance, speaker, against or ([opposed.id] if opposed else []),
                                        concerns, norms, positions)
        if proposition is None:
            undecided = {**undecided, "proposition": (
                "the text names no party, act or norm the catalogues know, so no template fits; "
                "write the claimant's point in one sentence")}
        claim = DraftClaim(
            id="", claimant=speaker.claimant, stance=stance, proposition=proposition, date=date,
            quotes=[Quote(_quote_text(text))], note="", undecided=undecided, voiced_by=voiced_by,
            reported_by=reported_by, against=against,
            concerns=concerns, invokes=norms, schemes=schemes, affirms=affirms, denies=denies,
            spans=[reading.original_span(sentence.start, sentence.end)],
        )
        claim.note = "; ".join(reasons)
        claim._facts = Facts(speaker.claimant, stance, tuple(against), tuple(concerns), tuple(denies),  # type: ignore[attr-defined]
                             tuple(affirms), bool(chosen and _FACT_DISPUTE.search(chosen.cue)))
        return claim

    def _holder(self, text: str, sentence: Sentence, parties: list[Mention], speaker: Speaker,
                cue: StanceCue | None) -> Speaker | None:
        """The party whose position a speaker reports, when the stance is that party's, not the
        speaker's: a catalogued party after the speaker's verb, then its own verb of taking a
        position, then the stance cue ("Jenča stated that Washington has defended its actions as
        consistent with ...", "prompting Venezuela to ... denounce the attacks as a breach of ...").
        The speaker is then the one who reports it (``reported_by``)."""
        if cue is None or speaker.claimant is None or speaker.verb_end is None:
            return None
        at = sentence.start + cue.start
        between = [m for m in parties if m.kind == "actor" and m.part and speaker.verb_end <= m.start
                   and m.end <= at and at - m.end <= 90]
        for mention in reversed(between):
            party = self._principal(mention.id)
            if party is None or party in (speaker.claimant, speaker.voiced_by):
                continue
            gap = text[mention.end:at]
            verb = self.lexicon.act_verbs.pattern.search(gap) or _POSITION.search(gap)
            if verb is None or re.search(r"[;:]", gap):
                return None
            person = mention.id if self.corpus.actors[mention.id].type == "person" else None
            return Speaker(party, person, how=f"'{text[mention.start:mention.end + verb.end()]}' takes the "
                           f"position the speaker reports", verb_end=speaker.verb_end)
        return None

    def _clauses(self, reading: Reading, sentence: Sentence) -> list[Sentence]:
        """A sentence, or its clauses when a semicolon separates clauses that each cite a norm
        ("Article 2(4) prohibits ...; Article 2(3) requires ..." makes two points)."""
        parts = sentence.text.split("; ")
        if len(parts) < 2:
            return [sentence]
        before = reading.text[max(0, sentence.start - CONTEXT_CHARS):sentence.start]
        if not all(any(c.norm for c in self.citations.find(part, before)) for part in parts):
            return [sentence]
        clauses, start = [], sentence.start
        for part in parts:
            end = start + len(part)
            clauses.append(replace(sentence, start=start, end=end, text=part, terminal=True))
            start = end + 2
        return clauses

    def _against(self, text: str, sentence: Sentence, here: list[Mention], speaker: Speaker, stance: str,
                 concerns: list[str]) -> list[str]:
        """The opposing party: whose conduct the sentence condemns, whose compliance it demands,
        whose allegation or justification it answers (docs/data-model.md, ilk:against)."""
        if stance == "affirms-norm":
            return []
        own = {speaker.claimant, speaker.voiced_by}
        event = self.corpus.events.get(concerns[0]) if concerns else None
        scores: dict[str, float] = {}
        for mention in here:
            if mention.kind != "actor" or not mention.part:
                continue
            party = self._principal(mention.id)
            if party in own or mention.id in own or party is None:
                continue
            score = 0.0
            if event is not None and party in event.perpetrators and stance != "justifies":
                score += 2
            if event is not None and party in event.affected and stance == "justifies":
                score += 2
            if _ACTING.match(text[mention.end:mention.end + 40]):
                score += 1
            if _BY.search(text[max(sentence.start, mention.start - 8):mention.start]):
                score += 1
            if _ADDRESSED.search(text[max(sentence.start, mention.start - 30):mention.start]):
                score += 2
            if _ACTED_ON.search(text[max(sentence.start, mention.start - 12):mention.start]):
                score -= 1.5
            scores[party] = max(scores.get(party, -9), score)
        best = max(scores.values(), default=0)
        if best > 0:
            return sorted(p for p, s in scores.items() if s == best)
        if event is not None:  # the event's party, if the document names it
            side = event.affected if stance == "justifies" else event.perpetrators
            states = [p for p in side if p not in own and self.corpus.actors.get(p) is not None
                      and self.corpus.actors[p].type == "state" and p in self._in_document]
            return states[:1]
        return []

    def _unknown_against(self, text: str, sentence: Sentence, here: list[Mention],
                         stance: str) -> Mention | None:
        """A state no catalogue has, named as the opposing party where no catalogued one is:
        "calls on Serbia to withdraw" (left to decide, with the state proposed)."""
        if stance == "affirms-norm":
            return None
        for mention in here:
            if mention.kind != "unknown" or mention.guess != "state" or not mention.part:
                continue
            start = max(sentence.start, mention.start - 30)
            if _ADDRESSED.search(text[start:mention.start]) or _BY.search(text[start:mention.start]) or \
                    _ACTING.match(text[mention.end:mention.end + 40]):
                return mention
        return None

    def _principal(self, actor_id: str) -> str | None:
        actor = self.corpus.actors.get(actor_id)
        if actor is None:
            return None
        if actor.type == "person" and actor.acts_for:
            return actor.acts_for
        return actor_id

    def _schemes(self, stance: str, norms: list[str], positions: list[Position]) -> list[tuple[str, str]]:
        """The tests a claim applies, each with why: an allegation or a justification under a norm
        a scheme is based on, or an allegation that affirms conditions of a scheme."""
        if stance not in ("alleges-violation", "justifies"):
            return []
        found = []
        for scheme in sorted(self.corpus.schemes.values(), key=lambda s: s.id):
            based = set(scheme.based_on) & set(norms)
            conditions = [p for p in positions if p.affirms and p.element.startswith(f"{scheme.id}/")
                          and self.corpus.element(p.element).role == "condition"]
            if based:
                found.append((scheme.id, f"{stance} under {', '.join(sorted(based))}, which it is based on"))
            elif stance == "alleges-violation" and len(conditions) >= 2:
                found.append((scheme.id, f"affirms {len(conditions)} of its conditions"))
        return found

    def _proposition(self, stance: str, speaker: Speaker, against: list[str], concerns: list[str],
                     norms: list[str], positions: list[Position]) -> str | None:
        """A draft proposition from a template, for the reviewer to rewrite in their own words;
        None where the text gives the template nothing (no party, no act, no norm): "The party
        concerned violated international law by its conduct" would pass review unread."""
        if not against and not concerns and not norms:
            return None
        party = " and ".join(self._name(a) for a in against) or "the party concerned"
        act = self._event_name(concerns[0]) if concerns else "its conduct"
        law = _listing([self.corpus.norms[n].notation for n in norms]) or "international law"
        denied = [p for p in positions if not p.affirms]
        missing = _listing([self.corpus.element(p.element).labels.get("en", p.element).lower()
                            for p in denied])
        if stance == "alleges-violation":
            text = f"{party[0].upper() + party[1:]} violated {law} by {act}."
        elif stance == "justifies":
            who = self._name(speaker.claimant) if speaker.claimant else "the claimant"
            done = act if concerns else f"the conduct of {who}"
            text = f"{done[0].upper() + done[1:]} is lawful under {law}."
        elif stance == "rejects-justification":
            reason = f": {missing} is lacking" if missing else ""
            text = f"The justification {party} gives for {act} fails under {law}{reason}."
        elif stance == "demands-compliance":
            text = f"{party[0].upper() + party[1:]} must comply with {law} as regards {act}."
        elif stance == "denies-allegation":
            who = self._name(speaker.claimant) if speaker.claimant else "The claimant"
            text = f"{who} did not commit what {party} alleges" + (f" about {act}." if concerns else ".")
        else:
            text = f"{law[0].upper() + law[1:]} states a rule that binds every State."
            if len(norms) == 1 and self.corpus.norms[norms[0]].definition:
                text = f"{self.corpus.norms[norms[0]].notation}: {self.corpus.norms[norms[0]].definition}"
        return text

    def _name(self, actor_id: str) -> str:
        actor = self.corpus.actors.get(actor_id)
        return actor.labels.get("en", actor_id) if actor else country_name(actor_id) or actor_id

    def _event_name(self, event_id: str) -> str:
        event = self.corpus.events[event_id]
        label = event.labels.get("en", event_id)
        return "the " + label[0].lower() + label[1:] if not label[:2].isupper() else label

    # --- parties no catalogue knows -------------------------------------------------------------

    def _unknown_party(self, mention: Mention, role: str, proposals: dict[str, Proposal],
                       acts_for: str | None = None) -> str:
        """Why a party is left to decide: the name the text gives, and what to do about it."""
        self._propose_actor(mention, proposals, acts_for)
        entry = mention.id if mention.guess == "state" else "it"
        kind = {"voiced_by": "a person id", "against": "actor ids"}.get(role, "an actor id")
        return (f'the text names "{mention.text}"; add {entry} to catalogues/actors.yaml (proposed above) '
                f"or choose {kind}")

    def _propose_actor(self, mention: Mention, proposals: dict[str, Proposal],
                       acts_for: str | None = None) -> None:
        if mention.guess == "alias":
            key = f"alias:{mention.text}"
            why = f"{mention.how}: add '{mention.text}' to the aliases of {mention.id}"
            fields = (("alias of", mention.id), ("alias", mention.text))
            proposals.setdefault(key, Proposal("actors.yaml", fields, why))
            return
        if mention.id in proposals or mention.id in self.corpus.actors:
            return
        fields: list[tuple[str, str]] = [("id", mention.id), ("type", mention.guess or "person")]
        if mention.guess == "state":
            english = country_name(mention.id) or mention.text
            spanish = country_name(mention.id, "es")
            fields.append(("name", f"{{en: {english}" + (f", es: {spanish}}}" if spanish else "}")))
        else:
            fields.append(("name", f"{{en: {mention.text}}}"))
        if mention.guess == "person" and acts_for:
            fields.append(("acts_for", acts_for))
        proposals[mention.id] = Proposal("actors.yaml", tuple(fields),
                                         f"the text names '{mention.text}': {mention.how}")

    # --- the claims together --------------------------------------------------------------------

    def _number(self, document: Document, claims: list[DraftClaim]) -> None:
        taken = {c for c in self.corpus.claims if self.corpus.claims[c].document != document.id}
        number = 0
        for claim in claims:
            number += 1
            while f"{document.id}-{number}" in taken:
                number += 1
            claim.id = f"{document.id}-{number}"

    def _relate(self, document: Document, claims: list[DraftClaim]) -> None:
        links = Links(self.corpus, document.id)
        for claim in claims:
            found = links.link(claim._facts)  # type: ignore[attr-defined]
            why = []
            for kind in KINDS:
                setattr(claim, kind, [target for target, _ in found[kind]])
                reasons: dict[str, list[str]] = {}
                for target, reason in found[kind]:
                    reasons.setdefault(reason, []).append(target)
                more = links.counts[kind] - len(found[kind])
                why += [f"{kind} {', '.join(targets)} ({reason})" for reason, targets in reasons.items()]
                if more:
                    why[-1] += f" (best {len(found[kind])} of {links.counts[kind]})"
            if why:
                claim.note += "; candidate relations (other documents): " + "; ".join(why)
        for claim in claims:  # an affirmation of a rule supports the claims here that apply it
            if claim.stance != "affirms-norm":
                continue
            for other in claims:
                if other is not claim and other.claimant == claim.claimant and \
                        other.stance in ("alleges-violation", "demands-compliance", "rejects-justification") \
                        and set(other.invokes) & set(claim.invokes):
                    claim.supports.append(other.id)
            if claim.supports:
                claim.note += f"; supports {', '.join(claim.supports)}: they apply the norm it states"

    def _anchor(self, document: Document, reading: Reading, claim: DraftClaim) -> None:
        """Give each quote the words before it where the sentence occurs more than once."""
        for quote, (start, _end) in zip(claim.quotes, claim.spans, strict=True):
            if len(find_quote(document.text, quote.exact)) <= 1:
                continue
            before = document.text[:start].split()
            for count in range(2, min(len(before), 12) + 1):
                prefix = " ".join(before[-count:])
                if len(find_quote(document.text, quote.exact, prefix)) == 1:
                    quote.prefix = _fold_words(prefix)
                    break


def _merge(drafted: list[DraftClaim]) -> list[DraftClaim]:
    """One claim per distinct point: claims with the same claimant, voice, stance, parties, norms,
    act and date, in one paragraph or citing the same norms, become one claim with their quotes."""
    merged: list[DraftClaim] = []
    index: dict[tuple, DraftClaim] = {}
    for claim in drafted:
        key = (claim.claimant, tuple(sorted(claim.undecided.items())), claim.voiced_by, claim.stance,
               tuple(claim.against), tuple(claim.invokes), tuple(claim.concerns), claim.date)
        same = index.get(key)
        identical = same is not None and any(q.exact == claim.quotes[0].exact for q in same.quotes)
        if same is not None and (claim.invokes or identical):
            same.quotes += claim.quotes
            same.spans += claim.spans
            for name in ("schemes", "affirms", "denies"):
                for value in getattr(claim, name):
                    if value not in getattr(same, name) and value not in (same.denies if name == "affirms"
                                                                          else same.affirms):
                        getattr(same, name).append(value)
            same.note += f" | another quote: {claim.note}"
            continue
        index[key] = claim
        merged.append(claim)
    return merged


def _stance(cues: list[StanceCue], said: int | None = None) -> StanceCue | None:
    """The stance a sentence takes: a denial or rejection wherever it is (it answers someone,
    whatever else the sentence says); otherwise the first cue of what the speaker is reported to
    say (the verb at ``said`` when it is a cue itself, "called on"; else after it: 'Calling the
    attacks "unacceptable", he said Washington must halt them' demands), else the cue that comes
    first ("He said the U.S. had violated the Charter, which states: ... shall refrain" alleges;
    it demands nothing)."""
    answers = [c for c in cues if c.stance in ("denies-allegation", "rejects-justification")]
    if answers:
        return answers[0]
    verb = [c for c in cues if said is not None and c.start < said <= c.start + len(c.cue)]
    reported = [c for c in cues if said is not None and c.start >= said > 0]
    return min(verb or reported or cues, key=lambda c: c.start) if cues else None


def _quote_text(sentence: str) -> str:
    """A sentence as a quote: without a quotation mark that opens or closes a quotation beyond it."""
    if sentence.count('"') % 2 and sentence.startswith('"'):
        sentence = sentence[1:]
    if sentence.count('"') % 2 and sentence.endswith('"'):
        sentence = sentence[:-1]
    return sentence.strip()


def _unique(values) -> list:
    seen = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def _listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _fold_words(text: str) -> str:
    from ..corpus.quotes import fold

    return fold(text)


def _proposal_order(proposal: Proposal) -> tuple:
    return (proposal.catalogue, dict(proposal.fields).get("id", ""), proposal.why)
