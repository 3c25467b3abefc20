"""The legal-cue lexicon (``lexicon.yaml``) as compiled patterns.

The cues are data so that a scholar can add one without touching code; this module only compiles
them, once, into regular expressions that match whole words case-insensitively, with British and
American spellings and hyphen/space variants folded.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import yaml

from ..resources import packaged


@dataclass(frozen=True)
class Cue:
    """One pattern of the lexicon, with the text it was written as (named in notes)."""

    pattern: re.Pattern[str]
    source: str


@dataclass(frozen=True)
class ElementCues:
    element: str  # SCHEME/ELEMENT
    alone: tuple[Cue, ...]  # enough by themselves
    cues: tuple[Cue, ...]  # only where the element's scheme is in play


@dataclass(frozen=True)
class Designation:
    cue: Cue
    norm: str
    with_: tuple[Cue, ...]


@dataclass(frozen=True)
class Lexicon:
    spellings: tuple[tuple[str, str], ...]
    reporting_verbs: Cue  # one alternation
    act_verbs: Cue
    speaking_for: Cue
    own_voice_genres: frozenset[str]
    stances: tuple[tuple[str, tuple[Cue, ...]], ...]  # in order of precedence
    legal_terms: tuple[Cue, ...]
    heading_words: int
    negations: Cue
    elements: tuple[ElementCues, ...]
    designations: tuple[Designation, ...]
    organisation_words: tuple[tuple[str, Cue], ...]  # actor type -> words
    state_organ_words: Cue
    demonyms: tuple[tuple[str, str], ...]  # (demonym, ISO alpha-3)
    demonym_parties: Cue
    date_expressions: Cue
    not_when: frozenset[str]
    event_words: dict[str, str]  # word -> the word that stands for its kind of act


def spelled(text: str, spellings: tuple[tuple[str, str], ...]) -> str:
    """A regular expression fragment for ``text`` (already a pattern) that also matches its other
    spellings and hyphen or space variants ("self-defence" finds "self defense")."""
    for british, american in spellings:
        text = re.sub(rf"{british}|{american}", f"(?:{british}|{american})", text, flags=re.IGNORECASE)
    return re.sub(r"(?<!\\)(?:-| (?![*+?{]))", r"[-\\s]", text)


def compile_cue(source: str, spellings: tuple[tuple[str, str], ...] = (), ignore_case: bool = True) -> Cue:
    """A whole-word pattern for one lexicon entry (case-insensitive unless told otherwise)."""
    body = spelled(source, spellings)
    return Cue(re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE if ignore_case else 0), source)


def _alternation(sources: list[str], spellings: tuple[tuple[str, str], ...], ignore_case: bool = True) -> Cue:
    ordered = sorted(sources, key=len, reverse=True)  # longest first: "has said" before "said"
    return compile_cue("|".join(f"(?:{s})" for s in ordered), spellings, ignore_case)


@functools.cache
def lexicon() -> Lexicon:
    """The packaged lexicon, compiled once."""
    data = yaml.safe_load(packaged("suggest", "lexicon.yaml").read_text(encoding="utf-8"))
    spellings = tuple(tuple(pair) for pair in data["spellings"])

    def cues(sources: list[str]) -> tuple[Cue, ...]:
        return tuple(compile_cue(str(s), spellings) for s in sources)

    elements = tuple(
        ElementCues(element, cues(entry.get("alone", [])), cues(entry.get("cues", [])))
        for element, entry in data["elements"].items()
    )
    designations = tuple(
        Designation(compile_cue(d["phrase"], spellings), d["norm"], cues(d.get("with", [])))
        for d in data["designations"]
    )
    demonyms = tuple((name, code) for code, names in data["demonyms"].items() for name in names)
    return Lexicon(
        spellings=spellings,
        reporting_verbs=_alternation(data["reporting_verbs"], spellings, ignore_case=False),
        act_verbs=_alternation(data["act_verbs"], spellings, ignore_case=False),
        speaking_for=_alternation(data["speaking_for"], spellings),
        own_voice_genres=frozenset(g.casefold() for g in data["own_voice_genres"]),
        stances=tuple((stance, cues(patterns)) for stance, patterns in data["stances"].items()),
        legal_terms=cues(data["legal_terms"]),
        heading_words=int(data["heading_words"]),
        negations=_alternation([str(n) for n in data["negations"]], spellings),
        elements=elements,
        designations=designations,
        organisation_words=tuple((kind, _alternation(words, spellings))
                                 for kind, words in data["organisation_words"].items()),
        state_organ_words=_alternation(data["state_organ_words"], spellings),
        demonyms=demonyms,
        demonym_parties=_alternation(data["demonym_parties"], spellings),
        date_expressions=_alternation(data["dates"]["expressions"], spellings),
        not_when=frozenset(data["dates"]["not_when"]),
        event_words={word.casefold(): line[0].casefold() for line in data["event_words"] for word in line},
    )
