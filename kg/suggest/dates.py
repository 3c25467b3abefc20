"""When a claim was made, from the words of the text and the document's date.

A report of 3 January 2026 that says "his spokesperson said on Saturday" dates the claim 3
January; "In October, the U.S. justified ..." dates it October 2025. The date expressions are the
lexicon's; dateparser reads them against the document's (or the piece's) date, preferring the
past, and keeps their precision (a month stays a month: ``2025-10``). A weekday is the last such
day up to and including the document's date (a Saturday report's "on Saturday" is that day).
Only an expression at the start of the sentence or next to the verb of attribution dates the
claim; one after "since", "until", ... is a period the claim talks about, not when it was made.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass

from .lexicon import Lexicon

_WEEKDAY = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", re.IGNORECASE)
NEAR_VERB = 40  # characters between the verb of attribution and a date that belongs to it


@dataclass(frozen=True)
class FoundDate:
    value: str  # YYYY-MM-DD, YYYY-MM or YYYY
    text: str  # the expression as written
    how: str


def reference_day(date: str) -> datetime.date:
    """The day a partial date (YYYY[-MM[-DD]]) stands for in reading relative dates: its last day
    ("2026-01" is read from 31 January 2026, so that "on January 4" is 4 January 2026, not 2025)."""
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 3:
        return datetime.date(*parts)
    if len(parts) == 2:
        return datetime.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return datetime.date(parts[0], 12, 31)


def parse_relative(expression: str, reference: datetime.date) -> str | None:
    """A date expression read against ``reference`` with its precision, or None."""
    base = reference + datetime.timedelta(days=1) if _WEEKDAY.search(expression) else reference
    found = _parser(base).get_date_data(expression)
    if found is None or found.date_obj is None:
        return None
    day = found.date_obj.date()
    if day > reference:  # "January 4" in a report of 3 January 2026 is the year before
        return None
    if found.period == "year":
        return f"{day.year:04d}"
    if found.period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if found.period == "day":
        return day.isoformat()
    return None  # a week: too vague to date a claim


@functools.lru_cache(maxsize=64)
def _parser(base: datetime.date):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": datetime.datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": [],
    })


_DAY_RELATIVE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday)\b", re.IGNORECASE
)


def claim_date(sentence: str, sentence_start: int, verb_end: int | None, reference: datetime.date,
               lexicon: Lexicon, day_known: bool = True) -> FoundDate | None:
    """The date of the claim a sentence reports, when the sentence says it (``day_known``: the
    document's date is a day; if it is only a month or a year, "on Tuesday" dates nothing)."""
    for match in lexicon.date_expressions.pattern.finditer(sentence):
        if not day_known and _DAY_RELATIVE.search(match.group()):
            continue
        before = sentence[:match.start()].split()
        if before and before[-1].casefold().strip(",") in lexicon.not_when:
            continue
        at_start = not sentence[:match.start()].strip(" ,\"'")
        near = verb_end is not None and 0 <= sentence_start + match.start() - verb_end <= NEAR_VERB
        if not (at_start or near):
            continue
        value = parse_relative(match.group(), reference)
        if value is not None:
            where = "opens the sentence" if at_start else "follows the verb of attribution"
            return FoundDate(value, match.group(), f"'{match.group()}' ({where}) read against "
                             f"{reference.isoformat()}: {value}")
    return None
