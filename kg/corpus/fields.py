"""Typed reading of one YAML mapping, collecting problems instead of raising.

Catalogue entries, document metadata and claims are all small mappings whose fields must be
checked the same way (required or not, string or list, a date, a language map). Doing it in one
place keeps the messages uniform: every one names the file, the line of the offending value and,
for unknown keys, the key that was probably meant.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import Problem
from ..limits import shown
from .dates import PartialDate, parse_date
from .located_yaml import LocatedDict, LocatedList

# British and American spellings that catalogue names and annotators mix ("self-defence" in one
# text, "self-defense" in the next); folded for comparison only, never for resolving an id.
_SPELLINGS = (("defence", "defense"), ("offence", "offense"), ("isation", "ization"),
              ("centre", "center"), ("programme", "program"), ("judgement", "judgment"),
              ("behaviour", "behavior"), ("labour", "labor"), ("favour", "favor"))
# Words that say nothing about which entry is meant.
_STOP_WORDS = frozenset(("a", "an", "and", "by", "de", "del", "el", "for", "in", "la", "las", "los", "of",
                        "on", "the", "to", "y"))
_WORD_SEPARATORS = re.compile(r"[\s\-_/.,;:()\[\]]+")
CLOSE = 0.6  # SequenceMatcher ratio above which two names are close (difflib's own default)
CLOSE_SHARING_A_WORD = 0.5  # ... or above this when they also share a word that means something


def _comparable(name: str) -> tuple[str, frozenset[str]]:
    """``name`` folded for comparison (case, separators, a leading "the", British spellings,
    plural "s"), and its meaningful words."""
    text = name.casefold()
    for british, american in _SPELLINGS:
        text = text.replace(british, american)
    words = [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
             for w in _WORD_SEPARATORS.split(text) if w]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words), frozenset(words) - _STOP_WORDS


def closest(word: str, names: Mapping[str, str]) -> tuple[str, str] | None:
    """The entry ``word`` most likely means, as ``(entry, name that matched)``, or None.

    ``names`` maps every name an entry goes by (its id, labels, aliases) to the entry, so that
    "laws of armed conflicts" finds ``law-of-armed-conflict`` through its alias "law of armed conflict" although
    the id alone is too far. Names are compared after folding case, separators, a leading "the",
    plural "s" and British/American spellings; a name is close when difflib's ratio reaches
    ``CLOSE``, or ``CLOSE_SHARING_A_WORD`` when the two also share a word other than "of", "the".
    Of the close names, the one that also shares the most words wins ("prohibition of force" means
    "prohibition of the use of force" rather than the nearer-spelt "prohibition of torture"); ties
    go to the name that sorts first, so the answer does not depend on the catalogue's order.
    """
    wanted, wanted_words = _comparable(word)
    best: tuple[float, str, str] | None = None
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    for name in sorted(names):
        text, words = _comparable(name)
        matcher.set_seq1(text)
        floor = CLOSE_SHARING_A_WORD if words & wanted_words else CLOSE
        # the quick upper bounds first: most names are far off, and a pasted paragraph must not
        # cost a full comparison with every name
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        ratio = matcher.ratio()
        if ratio < floor:
            continue
        shared = len(words & wanted_words) / len(words | wanted_words) if words | wanted_words else 0.0
        if best is None or ratio + shared > best[0]:
            best = (ratio + shared, names[name], name)
    return (best[1], best[2]) if best else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``candidates`` (a mapping counts by its keys),
    or an empty string."""
    return did_you_mean_entry(word, {str(c): str(c) for c in candidates})


def did_you_mean_entry(word: str, names: Mapping[str, str]) -> str:
    """`` (did you mean 'id', known as 'name'?)``: the entry closest to ``word`` among ``names``
    (every id, label and alias, each mapped to its entry's id), and the name it was found by when
    that is not the id; or an empty string."""
    found = closest(word, names)
    if found is None:
        return ""
    entry, name = found
    via = f", known as '{shown(name)}'" if name.casefold() != entry.casefold() else ""
    return f" (did you mean '{shown(entry)}'{via}?)"


class Fields:
    """Reads fields of ``data`` (a mapping from ``file``) for the record named ``subject``."""

    def __init__(
        self,
        data: Any,
        file: str,
        subject: str,
        known: Iterable[str],
        problems: list[Problem],
        line: int | None = None,
    ):
        self.file = file
        self.subject = subject
        self.problems = problems
        self.ok = isinstance(data, dict)
        self.data: dict = data if self.ok else LocatedDict()
        self.line = getattr(data, "line", line)
        if not self.ok:
            self.data.line = self.line  # messages about its fields point at the value that was there
            self.problems.append(Problem(file, self.line, f"{subject}: expected a mapping of fields"))
            return
        known = tuple(known)
        for key in self.data:
            if key not in known:
                hint = did_you_mean(str(key), known)
                self.report(key, f"unknown field '{shown(key)}'{hint}")

    def line_of(self, key: str) -> int | None:
        if isinstance(self.data, LocatedDict):
            return self.data.line_of(key)
        return self.line

    def report(self, key: str | None, message: str, line: int | None = None) -> None:
        where = line if line is not None else (self.line_of(key) if key is not None else self.line)
        self.problems.append(Problem(self.file, where, f"{self.subject}: {message}"))

    def has(self, key: str) -> bool:
        return self.data.get(key) not in (None, "", [])

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.report(key, f"'{key}' is required")
            return None
        if isinstance(value, (dict, list)):
            self.report(key, f"'{key}' must be a single value, not a {type(value).__name__}")
            return None
        if isinstance(value, bool):
            self.report(key, f"'{key}' must be text; write it in quotes")
            return None
        return str(value).strip()

    def texts(self, key: str) -> tuple[str, ...]:
        """A string or a list of strings; the list's items keep their own lines for messages."""
        value = self.data.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        out = []
        for index, item in enumerate(items):
            if isinstance(item, (dict, list, bool)) or item in (None, ""):
                line = value.line_of(index) if isinstance(value, LocatedList) else self.line_of(key)
                self.report(key, f"'{key}' items must be plain values, got {shown(item)!r}"
                            if isinstance(item, str) else
                            f"'{key}' items must be plain values, got {shown(item)}", line)
                continue
            out.append(str(item).strip())
        return tuple(out)

    def date(self, key: str, required: bool = False) -> PartialDate | None:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.report(key, f"'{key}' is required (YYYY-MM-DD, YYYY-MM or YYYY)")
            return None
        quoted = shown(value, 40)
        if isinstance(value, (list, dict, set, tuple)) or quoted != str(value):
            # too long, or hiding characters: quote it shortened and escaped
            self.report(key, f"bad {key}: '{quoted}' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY")
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            self.report(key, f"bad {key}: {exc}")
            return None

    def boolean(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None or isinstance(value, bool):
            return value
        self.report(key, f"'{key}' must be true or false")
        return None

    def choice(self, key: str, allowed: Iterable[str], required: bool = False) -> str | None:
        value = self.text(key, required)
        allowed = tuple(allowed)
        if value is not None and value not in allowed:
            hint = did_you_mean(value, allowed)
            self.report(key, f"'{key}' is '{shown(value)}', not one of {', '.join(allowed)}{hint}")
            return None
        return value

    def labels(self, key: str, required: bool = False) -> dict[str, str]:
        """A plain string (English) or a mapping ``{en: ..., es: ...}``."""
        value = self.data.get(key)
        if value is None:
            if required:
                self.report(key, f"'{key}' is required")
            return {}
        if isinstance(value, str):
            return {"en": value.strip()}
        if isinstance(value, dict) and value and all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
        ):
            for language in value:
                if not language_tag(language):
                    line = value.line_of(language) if isinstance(value, LocatedDict) else None
                    self.report(key, f"'{shown(language)}' is not a language tag (BCP 47, such as en, es, "
                                "pt-BR); write the language's code", line)
            # the others are kept, so that the entry is not missed by everything that names it
            return {k: v.strip() for k, v in value.items() if language_tag(k)}
        self.report(key, f"'{key}' must be text or a mapping of language codes to text")
        return {}


def language_tag(text: str) -> bool:
    """Whether ``text`` is a well-formed language tag (BCP 47), as RDF needs for a label's language.

    Checked by the RDF store that the builder writes into, so that what passes here never fails
    there ("e s" or "" would end in a traceback from the store otherwise).
    """
    import pyoxigraph

    try:
        pyoxigraph.Literal("", language=text)
    except ValueError:
        return False
    return True
