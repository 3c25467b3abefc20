"""Who speaks each sentence: the claimant, the person voicing it, and why we think so.

The house rule (docs/data-model.md, "Who claims") is applied to patterns of attribution:

- "X said ...", "..., X said", "said X", "according to X", "X condemned / called on / rejected
  ...": X speaks. A person speaks for the party they act for (the catalogue's ``acts_for``): a
  spokesperson's words are the Secretary-General's, an ambassador's letter his state's, and the
  person is ``voiced_by``. "The Permanent Representative of X" and "X's spokesperson" speak for X.
- A sentence of a quotation without its own attribution has its quotation's speaker (the
  attribution in the same paragraph, a quotation reopened from the paragraph before, or the byline
  line after a pull-quote).
- "He said", "The ministry said": the speaker of the sentence before.
- Otherwise, in a press release, statement or opinion piece, the document's own voice (its
  author, else its outlet); in a news report nobody (the outlet only reports). A sentence that
  reports someone else (a reporting verb, "according to") is never the document's
  own voice: a name no catalogue knows there ("Serbian President Aleksandar Vucic told
  reporters", "according to the Kosovo Foreign Ministry", "Vjosa Gashi, Kosovo's envoy in
  Brussels, said") is the speaker left to decide, and with no name the sentence is nobody's.

A name no catalogue knows in the speaker's place is kept, so that the draft can leave the claimant
to decide and say which name the text gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..corpus.models import Corpus, Document
from .lexicon import Lexicon
from .mentions import Finder, Mention, slug
from .text import Reading, Sentence

_PRONOUN_SUBJECT = re.compile(r"^(?:He|She|They|His|Her|Their)\b|^(?:The|This|That)\s+(?:\w+\s+){0,2}?"
                              r"(?:ministry|spokesperson|spokesman|spokeswoman|organi[sz]ation|group|office|"
                              r"government|statement|letter|communiqu[eé]|president|ambassador|official|"
                              r"officials|authorities|minister|leader|committee|council)\b", re.IGNORECASE)
_ANAPHORIC = re.compile(
    r"(?:\b(?:he|she|they|it)|\b(?:his|her|their|its|the)\s+\w+(?:\s+\w+)?)"
    r"(?:\s+(?:also|likewise|then|has|have|had|\w+ly))*\s*,?\s*$", re.IGNORECASE)
# "said X." / "said X, its director": X is the speaker; not "said Washington must ..."
_NAME_ENDS = re.compile(r"\s*(?:[,.;:!?]|$|\b(?:today|yesterday|on|in)\b)")
ANAPHORA = "anaphora"  # the how of a speaker named only by a pronoun or a role ("the Spokesperson said")
_ACCORDING = re.compile(r"\baccording to\s+$", re.IGNORECASE)
_SUBJECT_GAP = re.compile(
    r"^(?:[\s,'\"]|'s|\b(?:has|have|had|also|likewise|repeatedly|long|then|however|further|"
    r"unequivocally|formally|previously|recently|on|in|a|an|the|statement|statements|this|that|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month|today|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|\d+|"
    r"communiqu[eé]s?|issued|letter|separate|joint|itself|himself|herself|"
    r"\w+ly)\b)*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Speaker:
    """Who speaks a sentence, as far as the text says."""

    claimant: str | None  # an actor id
    voiced_by: str | None = None  # a person id
    unknown: Mention | None = None  # a name in the speaker's place that no catalogue knows
    how: str = ""  # the pattern, for notes
    own_voice: bool = False  # the document's own voice (not reported)
    verb_end: int | None = None  # where the attribution verb ends (a date near it is the claim's)
    unknown_voice: Mention | None = None  # a person speaking whom no catalogue knows

    @property
    def found(self) -> bool:
        return self.claimant is not None or self.unknown is not None


NOBODY = Speaker(None)


class Attributor:
    def __init__(self, corpus: Corpus, lexicon: Lexicon, finder: Finder):
        self.corpus = corpus
        self.lexicon = lexicon
        self.finder = finder

    def speakers(self, reading: Reading, document: Document, parties: list[Mention]) -> list[Speaker]:
        """The speaker of every sentence of ``reading`` (``parties``: actor and unknown mentions of
        the whole folded text, in order)."""
        sentences = reading.sentences
        explicit = [self._explicit(reading.text, s, parties) for s in sentences]
        bylines = {s.paragraph for s in sentences if self._byline(s, parties) is not None}
        result: list[Speaker] = []
        for index, sentence in enumerate(sentences):
            speaker = explicit[index]
            if speaker.how == ANAPHORA:
                named = self._role_named_before(reading.text, sentence, parties)
                if named is not None:
                    result.append(named)
                    continue
                before = next((s for s in reversed(result) if s.found and not s.own_voice), None)
                if before is None and index:  # "The NAM met. It called on ...": the party named before
                    previous = sentences[index - 1]
                    named = [m for m in parties if previous.start <= m.start < previous.end]
                    if named:
                        before = self._speaker(named[0], named, f"'{named[0].text}' named before", 0)
                speaker = NOBODY if before is None else replace(
                    before, how=f"'{sentence.text[:40]}...' refers to the speaker before ({before.how})",
                    verb_end=speaker.verb_end)
            if not speaker.found and sentence.quoted:
                speaker = self._quotation(index, sentences, explicit, parties, bylines)
            if not speaker.found and _PRONOUN_SUBJECT.search(sentence.text) and result:
                before = next((s for s in reversed(result) if s.found and not s.own_voice), None)
                if before is not None:
                    speaker = replace(before, how=f"'{sentence.text.split()[0]} ...' continues the speaker "
                                      f"before ({before.how})", verb_end=None)
            if not speaker.found and index and not sentence.quoted and result[-1].found \
                    and sentences[index - 1].paragraph == sentence.paragraph \
                    and self._reports_that(sentences[index - 1].text):
                before = result[-1]
                speaker = replace(before, how=f"goes on with what the sentence before reports ({before.how})",
                                  verb_end=None)
            if not speaker.found:
                following = self._byline_after(sentence, sentences, parties)
                if following is not None:
                    speaker = following
            if not speaker.found:
                reported = self.reported(reading.text, sentence)
                speaker = self._own_voice(document) if reported is None else replace(
                    NOBODY, how=f"reports someone the text does not name ({reported})")
            result.append(speaker)
        return result

    def _role_named_before(self, text: str, sentence: Sentence, parties: list[Mention]) -> Speaker | None:
        """"..., the Spokesperson said": the party the text named with that role earlier ("the
        Spokesperson for the Secretary-General, Stéphane Dujarric")."""
        words = text[sentence.start:sentence.end]
        verb = self.lexicon.reporting_verbs.pattern.search(words.split('"')[-1])
        region = words.split('"')[-1][:verb.start()] if verb else ""
        found = re.search(r"\bthe\s+((?:[\w-]+\s+)?[\w-]+)\s*,?\s*$", region, re.IGNORECASE)
        role = found.group(1) if found else None
        if role is None or not self.lexicon.speaking_for.pattern.fullmatch(role.split()[-1]):
            return None
        word = re.compile(rf"\b{re.escape(role.split()[-1])}\b", re.IGNORECASE)
        for earlier in reversed(list(word.finditer(text, 0, sentence.start))):
            near = [m for m in parties if earlier.end() <= m.start <= earlier.end() + 60
                    and not (m.kind == "actor" and self.corpus.actors[m.id].type == "state")]
            persons = [m for m in near if m.kind == "actor" and self.corpus.actors[m.id].type == "person"]
            if persons or near:
                mention = (persons or near)[0]
                return replace(self._speaker(mention, near, f"'the {role}' named earlier as "
                                             f"'{text[earlier.start():mention.end]}'", 0), verb_end=None)
        return None

    def _reports_that(self, text: str) -> bool:
        """Whether a sentence reports speech ("X said today that ..."), which the sentence after
        it, unattributed, goes on with."""
        verb = self.lexicon.reporting_verbs.pattern.search(text)
        return verb is not None and bool(re.search(r"\bthat\b", text[verb.end():verb.end() + 60]))

    # --- patterns in one sentence ---------------------------------------------------------------

    def _explicit(self, text: str, sentence: Sentence, parties: list[Mention]) -> Speaker:
        here = [m for m in parties if sentence.start <= m.start and m.end <= sentence.end]
        words = sentence.text
        for match in re.finditer(r"\baccording to\s+(?:the\s+)?", words, re.IGNORECASE):
            after = [m for m in here if m.start == sentence.start + match.end()]
            if after:
                return self._speaker(after[0], [after[0]], f"'according to {after[0].text}'",
                                     sentence.start + match.end())
            source = self._unknown_source(text, sentence.start + match.end(), sentence.end)
            if source is not None:
                return Speaker(None, unknown=source, how=source.how, verb_end=sentence.start + match.end())
        verbs = [(m, "reporting") for m in self.lexicon.reporting_verbs.pattern.finditer(words)]
        verbs += [(m, "act") for m in self.lexicon.act_verbs.pattern.finditer(words)]
        verbs.sort(key=lambda pair: pair[0].start())
        for verb, kind in verbs:
            start, end = sentence.start + verb.start(), sentence.start + verb.end()
            region_start = _clause_start(text, sentence.start, start)
            before = [m for m in here if region_start <= m.start and m.end <= start]
            if before:
                gap = text[before[-1].end:start]
                subject = self._subject(text, before)
                if subject is not None and (_SUBJECT_GAP.match(gap) or self._speaks_for(gap)):
                    return self._speaker(subject, before, f"'{text[subject.start:end]}'", end)
            person = self._unknown_person_before(text, region_start, start)
            if person is not None:
                return self._speaker(person, [person], f"'{person.text} {verb.group()}'", end)
            if _ANAPHORIC.search(text[region_start:start]):  # "he said", "It also called on"
                return Speaker(None, how=ANAPHORA, verb_end=end)
            if kind == "reporting":
                after = [m for m in here if 0 <= m.start - end <= 2 and _NAME_ENDS.match(text, m.end)]
                if after:
                    person = after[0]
                    return self._speaker(person, [person], f"'{verb.group()} {person.text}'", end)
                named = self._unknown_person_after(text, end, sentence.end, here)
                if named is not None:
                    return named
        return NOBODY

    def _unknown_person_before(self, text: str, region_start: int, verb_start: int) -> Mention | None:
        """"Amira Haddad said": a name right before the verb that no catalogue knows; also after a
        title ("Serbian President Aleksandar Vucic told") and before an appositive ("Ambassador
        Vjosa Gashi, Kosovo's envoy in Brussels, said")."""
        region = text[region_start:verb_start]
        appositive = re.search(r"[A-Z][\w'-]+\s*(,\s*[^,\"]{3,80}?,\s*)$", region)
        if appositive is not None:
            region = region[:appositive.start(1)]
        found = re.search(r"((?:[A-Z][\w'-]+\s+){0,3}[A-Z][\w'-]+)\s*,?\s*$", region)
        if found is None:
            return None
        words = list(re.finditer(r"[A-Z][\w'-]+", found.group(1)))
        for first in range(max(0, len(words) - 3), len(words) - 1):  # the longest name that reads as one
            start = region_start + found.start(1) + words[first].start()
            person = self.finder.unknown_person(text, start, region_start + found.start(1) + words[-1].end())
            if person is not None:
                return person
        return None

    def _unknown_source(self, text: str, start: int, end: int) -> Mention | None:
        """"according to the Kosovo Foreign Ministry": the name (capitalised words) after "according
        to" that no catalogue knows, kept so that the draft can say whose words they are."""
        found = re.match(r"(?:[A-Z][\w'-]*)(?:\s+(?:of|the|for|and|on)?\s*[A-Z][\w'-]*)*", text[start:end])
        if found is None or not found.group():
            return None
        name = found.group().strip()
        person = self.finder.unknown_person(text, start, start + len(name))
        if person is not None and person.text == name:
            return person
        kind = next((kind for kind, words in self.lexicon.organisation_words if words.pattern.search(name)),
                    "international-organization" if len(name.split()) > 1 else None)
        if self.lexicon.state_organ_words.pattern.search(name):
            kind = "state organ (an alias of its state, or a new actor)"
        if kind is None:
            return None
        return Mention(start, start + len(name), name, "unknown", slug(name), f"'according to {name}'",
                       guess=kind)

    def reported(self, text: str, sentence: Sentence) -> str | None:
        """Why a sentence reports someone else's words (a reporting verb, "according to"), or None:
        such a sentence is never the document's own voice. A quotation alone is not enough: in a
        release, an unattributed quotation is its issuer's own people (Amnesty's "Make no
        mistake, ..." under its Secretary General's name)."""
        words = sentence.text
        if re.search(r"\baccording to\b", words, re.IGNORECASE):
            return "'according to'"
        verb = self.lexicon.reporting_verbs.pattern.search(words)
        if verb is not None:
            return f"the reporting verb '{verb.group()}'"
        return None  # an unattributed quotation in a release is its issuer's people speaking

    def _unknown_person_after(self, text: str, verb_end: int, sentence_end: int,
                              here: list[Mention]) -> Speaker | None:
        """"said Amira Haddad, crisis director at Human Rights Watch": a person no catalogue knows,
        speaking for the organisation named after the role (known or not)."""
        start = verb_end + (len(text[verb_end:]) - len(text[verb_end:].lstrip()))
        person = self.finder.unknown_person(text, start, sentence_end)
        if person is None or not _NAME_ENDS.match(text, person.end):
            return None
        rest = text[person.end:sentence_end]
        role = re.match(r"^\s*,\s*(?:[\w-]+\s+){0,5}?(?:at|of|for|from)\s+(?:the\s+)?", rest)
        if role is not None:
            at = person.end + role.end()
            body = next((m for m in here if m.start == at), None)
            if body is not None:
                speaker = self._speaker(body, [body], f"'{person.text}' speaks for '{body.text}'", verb_end)
                return Speaker(speaker.claimant, None, speaker.unknown, speaker.how, verb_end=verb_end,
                               unknown_voice=person)
        return Speaker(None, unknown=person, how=f"'said {person.text}'", verb_end=verb_end)

    def _speaks_for(self, gap: str) -> bool:
        """A gap like "'s spokesperson" or "'s U.N. Ambassador" between a party and its verb."""
        rest = self.lexicon.speaking_for.pattern.sub(" ", gap)
        return bool(_SUBJECT_GAP.match(re.sub(r"\b(?:U\.?N\.?|US|U\.S\.)\b", " ", rest)))

    def _subject(self, text: str, before: list[Mention]) -> Mention | None:
        """The party of a clause's subject: a person named there (who voices it), else the first
        party named ("Venezuela's ambassador"), else "the Representative of X"."""
        persons = [m for m in before if m.kind == "actor" and self.corpus.actors[m.id].type == "person"]
        if persons:
            return persons[-1]
        return before[0]

    def _speaker(self, mention: Mention, region: list[Mention], how: str, verb_end: int) -> Speaker:
        if mention.kind == "unknown":
            if mention.guess in ("state", "alias") and mention.id in self.corpus.actors:
                return Speaker(mention.id, how=f"{how}: {mention.how}", verb_end=verb_end)
            return Speaker(None, unknown=mention, how=how, verb_end=verb_end)
        actor = self.corpus.actors[mention.id]
        if actor.type == "person":
            principal = actor.acts_for
            if principal is None:
                others = [m for m in region if m.kind == "actor" and m is not mention
                          and self.corpus.actors[m.id].type != "person"]
                principal = others[0].id if others else mention.id
            return Speaker(principal, mention.id, how=f"{how}: {actor.labels.get('en', actor.id)} speaks for "
                           f"{principal}", verb_end=verb_end)
        return Speaker(actor.id, how=how, verb_end=verb_end)

    # --- quotations, bylines, the document's voice ------------------------------------------------

    def _quotation(self, index: int, sentences: tuple[Sentence, ...], explicit: list[Speaker],
                   parties: list[Mention], bylines: set[int]) -> Speaker:
        sentence = sentences[index]
        same = [i for i, s in enumerate(sentences) if s.paragraph == sentence.paragraph and s.quoted]
        attributed = [i for i in same if explicit[i].found]
        if attributed:
            nearest = min(attributed, key=lambda i: (abs(i - index), i < index))
            speaker = explicit[nearest]
            return replace(speaker, how=f"quotation attributed in the same paragraph ({speaker.how})",
                           verb_end=None)
        previous = [i for i, s in enumerate(sentences) if s.paragraph == sentence.paragraph - 1]
        if previous and sentences[previous[-1]].quoted and not sentences[previous[-1]].closes_quote:
            found = self._quotation(previous[-1], sentences, explicit, parties, bylines)
            if found.found:
                return replace(found, how=f"the quotation goes on from the paragraph before ({found.how})")
        return self._byline_after(sentence, sentences, parties) or NOBODY

    def _byline(self, sentence: Sentence, parties: list[Mention]) -> Mention | None:
        """A line that only names a person ("Agnès Callamard, Amnesty International's Secretary
        General"), as pull-quotes and statements are signed."""
        if sentence.terminal or len(sentence.text.split()) > self.lexicon.heading_words:
            return None
        first = next((m for m in parties if m.start == sentence.start), None)
        if first is None or first.kind != "actor" or self.corpus.actors[first.id].type != "person":
            return None
        return first

    def _byline_after(self, sentence: Sentence, sentences: tuple[Sentence, ...],
                      parties: list[Mention]) -> Speaker | None:
        following = [s for s in sentences if s.paragraph == sentence.paragraph + 1]
        if len(following) != 1:
            return None
        person = self._byline(following[0], parties)
        if person is None:
            return None
        speaker = self._speaker(person, [person], f"signed '{following[0].text}' on the next line", 0)
        return Speaker(speaker.claimant, speaker.voiced_by, how=speaker.how)

    def _own_voice(self, document: Document) -> Speaker:
        genre = (document.genre or "").casefold()
        if genre not in self.lexicon.own_voice_genres:
            return NOBODY
        party = document.author or document.outlet
        if party is None:
            return NOBODY
        role = "author" if document.author else "outlet"
        return Speaker(party, how=f"the document's own voice ({genre}; its {role})", own_voice=True)


def _clause_start(text: str, sentence_start: int, verb_start: int) -> int:
    """Where the clause holding a verb starts: after the last quotation mark, colon or semicolon
    before it (a quotation's words are never its speaker), within the sentence."""
    region = text[sentence_start:verb_start]
    cut = max(region.rfind('"'), region.rfind(";"), region.rfind(":"))
    return sentence_start + cut + 1 if cut >= 0 else sentence_start
