"""Typed reading of one YAML mapping, collecting problems instead of raising.

Catalogue entries, document metadata and claims are all small mappings whose fields must be
checked the same way (required or not, string or list, a date, a language map). Doing it in one
place keeps the messages uniform: every one names the file, the line of the offending value and,
for unknown keys, the key that was probably meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from .dates import PartialDate, parse_date
from .errors import Problem
from .limits import shown
from .located_yaml import LocatedDict, LocatedList


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    pool = list(candidates)
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in pool}
        close = [lowered[m] for m in difflib.get_close_matches(word.lower(), lowered, n=1, cutoff=0.6)]
    return f" (did you mean '{shown(close[0])}'?)" if close else ""


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
