"""What the catalogues know in a text, and the names they do not know.

Actors and events are found by their ids' names: labels and aliases of the catalogues, matched as
an annotator reads them (an alias that starts with a capital needs one in the text, so the actor
"Amnesty" is not found in "the amnesty law"; an acronym matches only as written), with British and
American spellings and hyphen or space variants. States are also found by adjectives of
nationality followed by a party ("Venezuelan officials"), and a state the catalogue lacks by its
ISO 3166 name (pycountry). A capitalised name that no catalogue knows but that reads like an
organisation or a person is kept as an *unknown* mention, which the draft proposes as a new
catalogue entry.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..corpus.models import Corpus
from .lexicon import Lexicon, spelled


@dataclass(frozen=True)
class Mention:
    """A name in the folded text: a catalogue entry (``id``) or a name no catalogue knows."""

    start: int
    end: int
    text: str
    kind: str  # actor | event | unknown
    id: str | None  # the entry; for an unknown name, the id proposed for it
    how: str  # why, for notes: "alias 'Washington'", "adjective 'Venezuelan officials'"
    guess: str | None = None  # for an unknown name: the actor type proposed (state, ngo, person, ...)
    part: bool = True  # False for an adjective that only describes ("Venezuelan coast")


def name_pattern(name: str, spellings: tuple[tuple[str, str], ...]) -> str:
    """A regular expression for a catalogue name, as strict about case as its writing is.

    An acronym or a word with dots or digits ("US", "U.S.", "T&T") matches only as written; a
    capitalised word needs its capital and may differ in the rest ("White House", "WHITE HOUSE"
    aside); a lower-case word matches any case ("self-defence", "Self-Defence").
    """
    parts = []
    for word in re.split(r"(\s+|-)", name):
        if not word:
            continue
        if word.isspace() or word == "-":
            parts.append(r"[-\s]" if word == "-" else r"\s+")
            continue
        escaped = spelled(re.escape(word), spellings) if word.isalpha() else re.escape(word)
        if not word.isalpha() or (word.isupper() and len(word) > 1):
            parts.append(escaped)
        elif word[0].isupper():
            parts.append(f"(?={re.escape(word[0])})(?i:{escaped})")
        else:
            parts.append(f"(?i:{escaped})")
    return "".join(parts).replace("'", "['\u2019]")


def _compiled(names: dict[str, set[str]], spellings: tuple[tuple[str, str], ...]) -> re.Pattern[str] | None:
    """One alternation of every name, longest first, each as a named group's text."""
    ordered = sorted(names, key=lambda n: (-len(n), n))
    if not ordered:
        return None
    body = "|".join(f"(?:{name_pattern(name, spellings)})" for name in ordered)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")


class Finder:
    """Finds actors and events of a corpus's catalogues (and unknown names) in folded text."""

    def __init__(self, corpus: Corpus, lexicon: Lexicon):
        self.corpus = corpus
        self.lexicon = lexicon
        self.actor_names = _names(corpus.actors.items())
        self.event_names = _names(corpus.events.items(), with_labels=False)
        self._actors = _compiled(self.actor_names, lexicon.spellings)
        self._events = _compiled(self.event_names, lexicon.spellings)
        self._by_folded_actor = {_key(n): ids for n, ids in self.actor_names.items()}
        self._by_folded_event = {_key(n): ids for n, ids in self.event_names.items()}
        demonyms = sorted({d for d, _ in lexicon.demonyms}, key=len, reverse=True)
        self._demonym = re.compile(
            rf"(?<![\w-])({'|'.join(re.escape(d) for d in demonyms)})\s+"
            rf"(?:(?:\w+|\w+-\w+)\s+){{0,2}}?((?i:{lexicon.demonym_parties.pattern.pattern}))"
        ) if demonyms else None
        self._demonym_codes = {d: code for d, code in lexicon.demonyms}

    # --- catalogue entries ----------------------------------------------------------------------

    def actors(self, text: str) -> list[Mention]:
        found = self._entries(text, self._actors, self._by_folded_actor, "actor")
        found += self._adjectives(text, found)
        found += self._countries(text, found)
        return sorted(found, key=lambda m: (m.start, -m.end))

    def events(self, text: str) -> list[Mention]:
        return self._entries(text, self._events, self._by_folded_event, "event")

    def _entries(self, text: str, pattern: re.Pattern[str] | None, by_name: dict[str, set[str]],
                 kind: str) -> list[Mention]:
        if pattern is None:
            return []
        found = []
        for match in pattern.finditer(text):
            ids = by_name.get(_key(match.group()), set())
            if len(ids) != 1:  # an alias of several entries decides nothing
                continue
            (entry,) = ids
            found.append(Mention(match.start(), match.end(), match.group(), kind, entry,
                                 f"{kind} {entry} by its name '{match.group()}'"))
        return found

    def _adjectives(self, text: str, known: list[Mention]) -> list[Mention]:
        """States named by an adjective of nationality before a party: "Venezuelan officials"."""
        if self._demonym is None:
            return []
        found = []
        for match in self._demonym.finditer(text):
            code = self._demonym_codes[match.group(1)]
            start, end = match.start(), match.end()
            if any(m.start <= start < m.end for m in known):
                continue
            entry = code if code in self.corpus.actors else None
            how = f"'{match.group()}' speaks for the state {code}"
            if entry:
                found.append(Mention(start, end, match.group(), "actor", entry, how))
            else:
                found.append(Mention(start, end, match.group(), "unknown", code, how, guess="state"))
        return found

    def unknown_person(self, text: str, start: int, end: int) -> Mention | None:
        """A person's name no catalogue knows at ``text[start:end]`` (two or three capitalised
        words, as in "said Amira Haddad"), or None."""
        match = _PERSON.match(text, start, end)
        if match is None:
            return None
        name = match.group()
        if self.lexicon.speaking_for.pattern.search(name) or _country_pattern().search(name):
            return None
        return Mention(match.start(), match.end(), name, "unknown", slug(name),
                       f"'{name}' reads like a person's name", guess="person")

    def _countries(self, text: str, known: list[Mention]) -> list[Mention]:
        """States the catalogue lacks, by their ISO 3166 names (pycountry)."""
        found = []
        for match in _country_pattern().finditer(text):
            start, end = match.start(), match.end()
            if any(m.start < end and start < m.end for m in known):
                continue
            code = _country_codes()[match.group()]
            if code in self.corpus.actors:
                found.append(Mention(start, end, match.group(), "actor", code,
                                     f"actor {code} by the ISO 3166 name '{match.group()}'"))
            else:
                found.append(Mention(start, end, match.group(), "unknown", code,
                                     f"'{match.group()}' is the state {code} (ISO 3166)", guess="state"))
        return found

    # --- names no catalogue knows ----------------------------------------------------------------

    def unknown_organisations(self, text: str, known: Iterable[Mention],
                              spans: Iterable[tuple[int, int]] = ()) -> list[Mention]:
        """Capitalised names that read like an organisation ("Human Rights Watch"), not known;
        looked for within each of ``spans`` (sentences), so that a name never runs across two."""
        known = list(known)
        found = []
        matches = [m for start, end in (spans or [(0, len(text))])
                   for m in _CAPITALISED.finditer(text, start, end)]
        for match in matches:
            name = re.sub(r"^(?:The|A|An)\s+", "", match.group().strip())
            start = match.end() - len(match.group()) + (len(match.group()) - len(match.group().lstrip()))
            start += len(match.group().strip()) - len(name)
            end = start + len(name)
            if re.search(r"(?:^|\s)(?:an?|as|so-called)\s+$", text[max(0, start - 12):start]):
                continue  # "designated as a Foreign Terrorist Organization": a category, not a name
            if len(name.split()) < 2 and not re.fullmatch(r"[A-Z]{3,}", name):
                continue
            if any(m.start <= start and end <= m.end for m in known):
                continue
            overlapping = [m for m in known if m.start < end and start < m.end and m.kind == "actor"]
            state = next((m for m in overlapping if self.corpus.actors[m.id].type == "state"), None)
            if state is not None and self.lexicon.state_organ_words.pattern.search(name):
                found.append(Mention(start, end, name, "unknown", state.id,
                                     f"'{name}' is an organ of {state.id}", guess="alias"))
                continue
            if overlapping:
                continue
            kind = next((kind for kind, words in self.lexicon.organisation_words
                         if words.pattern.search(name)), None)
            if kind is None:
                continue
            found.append(Mention(start, end, name, "unknown", slug(name),
                                 f"'{name}' reads like a {kind.replace('-', ' ')}", guess=kind))
        return found


# A person's name: two or three capitalised words (accents, hyphens and particles allowed).
_PERSON = re.compile(r"(?!(?:The|A|An|This|That|These|Those|Its|His|Her|Their)\b)[A-Z][a-zà-ÿ'-]+"
                     r"(?:\s+(?:de|da|van|von|al|el|bin)?\s*[A-Z][a-zà-ÿ'-]+){1,2}(?![\w-])")
# Runs of capitalised words with the small words names contain ("Office of the Prosecutor").
_CAPITALISED = re.compile(
    r"(?<![\w-])(?:[A-Z][\w'&-]*)(?:\s+(?:(?:of|the|for|and|on|de|del|in|to)\s+)*[A-Z][\w&-]*)*"
)


def slug(name: str) -> str:
    """A catalogue id in the house style for a name: lower-case kebab ("Human Rights Watch" ->
    human-rights-watch)."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", plain.lower().replace("'s", ""))
    return "-".join(w for w in words if w not in ("the",)) or "unnamed"


def _key(name: str) -> str:
    """A name folded for lookup: case, spellings, white space, hyphens, apostrophes."""
    text = name.casefold().replace("\u2019", "'")
    for british, american in (("defence", "defense"), ("isation", "ization"), ("ised", "ized"),
                              ("centre", "center"), ("programme", "program")):
        text = text.replace(british, american)
    return re.sub(r"[\s-]+", " ", text).strip()


def _names(entries: Iterable, with_labels: bool = True) -> dict[str, set[str]]:
    """Every id, label and alias of the entries, each with the entries it names.

    Event labels are sentences ("US strikes on alleged drug-trafficking boats ..."), never written
    as such in a text: events are found by their aliases (and by ``events.match``)."""
    names: dict[str, set[str]] = {}
    for entry_id, entry in entries:
        candidates = [*getattr(entry, "aliases", ())]
        if with_labels:
            candidates += [*getattr(entry, "labels", {}).values()]
            if entry_id.isupper() or entry_id[:1].isupper():
                candidates.append(entry_id)
        for name in candidates:
            if len(name) < 2 or name.isdigit():
                continue
            names.setdefault(name, set()).add(entry_id)
    # the same name folded the same way names the union of its entries
    folded: dict[str, set[str]] = {}
    for name, ids in names.items():
        folded.setdefault(_key(name), set()).update(ids)
    return {name: folded[_key(name)] for name in names}


@functools.cache
def _country_codes() -> dict[str, str]:
    import pycountry

    codes = {}
    for country in pycountry.countries:
        for field in ("name", "common_name", "official_name"):
            value = getattr(country, field, None)
            if value and "," not in value:
                codes.setdefault(value, country.alpha_3)
    return codes


@functools.cache
def _country_pattern() -> re.Pattern[str]:
    names = sorted(_country_codes(), key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(n) for n in names)})(?![\w-])")


def country_name(code: str, language: str = "en") -> str | None:
    """A state's name by its ISO code, in English or (through pycountry's translations) another
    language, for a proposed catalogue entry."""
    import gettext

    import pycountry

    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return None
    name = getattr(country, "common_name", None) or country.name
    if language == "en":
        return name
    try:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return None
    translated = translation.gettext(country.name)
    return translated if translated != country.name else None
