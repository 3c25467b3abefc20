"""Which catalogued event a passage assesses.

An event is found by an alias the text uses ("the boat strikes"), or by the words of its label and
aliases: "US military strikes on vessels allegedly carrying drugs" shares strikes, vessels and
drugs with "US strikes on alleged drug-trafficking boats" once the lexicon's ``event_words`` fold
words for the same kind of act together. Only words for acts count towards a match (party names
and dates only add to it), and an event that began after the passage was written is never its
subject (a November warning against "an armed attack on Venezuela" is not about the January
attack). A word for an act is not enough on its own: the passage (or its paragraph) must also
name a party whose conduct the event is, or its day. "The incursion was a violation of Kosovo's
sovereignty" shares an act word with the US attack on Venezuela but names neither the United
States nor 3 January, and is about something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..corpus.models import Corpus
from .lexicon import Lexicon

STOP = frozenset((
    "a", "an", "and", "the", "of", "on", "in", "at", "to", "by", "for", "from", "with", "against", "its",
    "their", "his", "her", "this", "that", "as", "is", "are", "was", "were", "be", "been", "into", "over",
    "under", "us", "u.s.", "un", "u.n.", "alleged", "allegedly", "suspected",
))
MATCH = 1.0  # one word for an act is enough when no other event shares more
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")


@dataclass(frozen=True)
class EventMatch:
    event: str
    score: float
    how: str


class Events:
    def __init__(self, corpus: Corpus, lexicon: Lexicon):
        self.corpus = corpus
        self.lexicon = lexicon
        names = set()
        for actor in corpus.actors.values():
            for name in (*actor.aliases, *actor.labels.values(), actor.id):
                names.update(self.words(name))
        self.party_words = names
        self.acts = set(lexicon.event_words.values())  # only words for acts make a match
        self.signatures = {}
        for event_id, event in corpus.events.items():
            words = set()
            for name in (event.labels.get("en", ""), *event.aliases):
                words |= self.words(name)
            self.signatures[event_id] = words

    def words(self, text: str) -> set[str]:
        found = set()
        for word in re.findall(r"[a-záéíóúñ0-9]+(?:-[a-z]+)?", text.casefold()):
            if word in STOP:
                continue
            word = self.lexicon.event_words.get(word, word)
            found.add(word)
        return found

    def parties(self, event_id: str) -> set[str]:
        """Whose conduct an event is (its perpetrators, else those of the event it is part of)."""
        seen = set()
        while event_id in self.corpus.events and event_id not in seen:
            seen.add(event_id)
            event = self.corpus.events[event_id]
            if event.perpetrators:
                return set(event.perpetrators)
            event_id = event.part_of or ""
        return set()

    def match(self, text: str, written: str, aliases: list[str], named: set[str]) -> EventMatch | None:
        """The event ``text`` assesses, if any; ``written`` is when (YYYY[-MM[-DD]]) the passage
        was written; ``aliases`` the events the name finder found in it; ``named`` the actors the
        passage or its paragraph names (with the parties persons act for)."""
        best: EventMatch | None = None
        words = self.words(text)
        for event_id, signature in self.signatures.items():
            event = self.corpus.events[event_id]
            if event.start.text > written[: len(event.start.text)]:
                continue
            if event_id in aliases:
                score, how = 10.0, f"names the event {event_id} by an alias"
            else:
                shared = words & signature
                acts = shared & self.acts
                if not acts:
                    continue
                parties = {w for w in shared - acts if w in self.party_words}
                dated = self._dated(text, event)
                acting = self.parties(event_id) & named
                if not acting and not dated:
                    continue  # an act word alone: whose act, the text does not say
                others = shared - acts - parties
                score = len(acts) + 0.5 * len(parties) + 0.25 * len(others) + (2 if dated else 0)
                if score < MATCH:
                    continue
                how = f"shares {', '.join(sorted(shared))} with the event {event_id}" + (
                    f" and its date ({event.start.text})" if dated else "") + (
                    f"; names {', '.join(sorted(acting))}, whose act it is" if acting else "")
            if best is None or score > best.score or (score == best.score and event_id < best.event):
                best = EventMatch(event_id, score, how)
        return best

    def _dated(self, text: str, event) -> bool:
        """Whether ``text`` names the day the event started ("3 January", "January 3")."""
        start = event.start.text.split("-")
        if len(start) < 3:
            return False
        month, day = MONTHS[int(start[1]) - 1], str(int(start[2]))
        return bool(re.search(rf"\b(?:{day} {month}|{month} {day})\b", text, re.IGNORECASE))
