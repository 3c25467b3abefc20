"""What a passage does in law: whether it is a legal claim at all, its stance, and the elements of
the legal tests it takes a position on, each with the cue that says so (for the draft's notes).

The cues are the lexicon's (``lexicon.yaml``) and the scheme catalogue's element labels. An element
cue preceded closely by a negation ("not an armed attack", "without its consent") denies the
element; otherwise the passage affirms it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..corpus.models import Corpus
from .lexicon import Cue, ElementCues, Lexicon, compile_cue

NEGATION_WORDS = 4  # words before an element cue in which a negation turns it round
_CLAUSE_WIDE = re.compile(r"\b(?:without|no|neither)\b", re.IGNORECASE)  # ... or to the clause's start


@dataclass(frozen=True)
class Position:
    element: str  # SCHEME/ELEMENT
    affirms: bool
    cue: str  # the words of the text


@dataclass(frozen=True)
class StanceCue:
    stance: str
    cue: str  # the words of the text
    start: int


class Cues:
    def __init__(self, corpus: Corpus, lexicon: Lexicon):
        self.corpus = corpus
        self.lexicon = lexicon
        self.elements: list[ElementCues] = []
        for entry in lexicon.elements:
            if corpus.element(entry.element) is None:
                continue
            label = corpus.element(entry.element).labels.get("en", "")
            # a label of two or three words is a cue of its own ("Armed attack"); one word is too
            # common ("Necessity"), and a longer one is never written as such
            fits = 2 <= len(label.split()) <= 3
            extra = (compile_cue(re.escape(label), lexicon.spellings),) if fits else ()
            self.elements.append(ElementCues(entry.element, entry.alone + extra, entry.cues))

    def stances(self, text: str) -> list[StanceCue]:
        """Every stance cue in ``text``, in the lexicon's order of precedence."""
        found = []
        for stance, cues in self.lexicon.stances:
            for cue in cues:
                match = cue.pattern.search(text)
                if match:
                    found.append(StanceCue(stance, match.group(), match.start()))
                    break
        return found

    def legal(self, text: str) -> str | None:
        """The first legal term of the lexicon in ``text``, if any."""
        for cue in self.lexicon.legal_terms:
            match = cue.pattern.search(text)
            if match:
                return match.group()
        return None

    def positions(self, text: str, norms: set[str]) -> list[Position]:
        """Elements the passage takes a position on; ``norms`` are the norms it cites, which put
        in play the schemes based on them (and so their less specific cues)."""
        in_play = {s.id for s in self.corpus.schemes.values() if set(s.based_on) & norms}
        found: dict[str, Position] = {}
        for entry in self.elements:
            scheme = entry.element.partition("/")[0]
            cues: tuple[Cue, ...] = entry.alone + (entry.cues if scheme in in_play else ())
            for cue in cues:
                match = cue.pattern.search(text)
                if match is None:
                    continue
                negated = self._negated(text, match.start())
                found.setdefault(entry.element, Position(entry.element, not negated, match.group()))
                break
        return sorted(found.values(), key=lambda p: p.element)

    def _negated(self, text: str, at: int) -> bool:
        """Whether a negation governs the words at ``at``: one of the few words before them, or
        "without", "no", "neither" earlier in the same clause ("without authorisation or a
        genuine case of self-defence")."""
        clause = re.split(r"[.;:,]", text[:at])[-1]
        near = " ".join(clause.split()[-NEGATION_WORDS:])
        return bool(self.lexicon.negations.pattern.search(near) or _CLAUSE_WIDE.search(clause))

