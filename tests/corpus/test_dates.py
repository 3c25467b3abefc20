"""Dates keep the precision the source gives."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib.namespace import XSD

from kg.corpus.dates import parse_date


@pytest.mark.parametrize(
    ("value", "text", "datatype"),
    [
        (dt.date(2026, 1, 3), "2026-01-03", XSD.date),
        ("2025-10", "2025-10", XSD.gYearMonth),
        (2020, "2020", XSD.gYear),
        ("2020", "2020", XSD.gYear),
    ],
)
def test_precision_is_kept(value, text, datatype):
    date = parse_date(value)
    assert (date.text, date.datatype) == (text, datatype)
    assert date.literal().datatype == datatype


@pytest.mark.parametrize("value", ["January 2026", "2026-13", "2026-02-30", "26-01-03", True,
                                   dt.datetime(2026, 1, 3, 12, 0)])
def test_bad_dates_are_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)
