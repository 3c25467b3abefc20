"""Dates relative to the document's date, read with dateparser, and which of them date a claim."""

from __future__ import annotations

import datetime

import pytest

from kg.suggest.dates import claim_date, parse_relative, reference_day
from kg.suggest.lexicon import lexicon

SATURDAY = datetime.date(2026, 1, 3)


@pytest.mark.parametrize(("expression", "reference", "date"), [
    ("on Saturday", SATURDAY, "2026-01-03"),  # the report's own day
    ("on Tuesday", SATURDAY, "2025-12-30"),
    ("yesterday", SATURDAY, "2026-01-02"),
    ("today", SATURDAY, "2026-01-03"),
    ("In October", SATURDAY, "2025-10"),  # a month stays a month
    ("last month", SATURDAY, "2025-12"),
    ("in 2020", SATURDAY, "2020"),
    ("on 9 October", SATURDAY, "2025-10-09"),
    ("November 16", SATURDAY, "2025-11-16"),
    ("January 4", datetime.date(2026, 1, 31), "2026-01-04"),
    ("January 4", SATURDAY, "2025-01-04"),  # the last 4 January before the report
    ("last week", SATURDAY, None),  # too vague
])
def test_relative_dates_against_the_documents_date(expression, reference, date):
    assert parse_relative(expression, reference) == date


@pytest.mark.parametrize(("date", "day"), [
    ("2026-01-03", datetime.date(2026, 1, 3)),
    ("2026-01", datetime.date(2026, 1, 31)),
    ("2025", datetime.date(2025, 12, 31)),
])
def test_a_partial_date_is_read_from_its_last_day(date, day):
    assert reference_day(date) == day


@pytest.mark.parametrize(("sentence", "verb_end", "date"), [
    ("In October, the U.S. justified its action", None, "2025-10"),
    ("his spokesperson said on Saturday ahead of a meeting", 22, "2026-01-03"),
    ("He wrote to the Security Council last month, stating", 8, "2025-12"),
    ("crimes committed since 2014 by the authorities", None, None),  # what the claim is about
    ("The Council met twice, in October and December, on this", None, None),  # not next to the verb
])
def test_only_a_date_that_opens_the_sentence_or_follows_its_verb_dates_the_claim(sentence, verb_end, date):
    found = claim_date(sentence, 0, verb_end, SATURDAY, lexicon())
    assert (found.value if found else None) == date


def test_a_weekday_dates_nothing_when_the_document_has_only_a_month():
    assert claim_date("officials said on Tuesday", 0, 14, datetime.date(2026, 1, 31), lexicon(),
                      day_known=False) is None
