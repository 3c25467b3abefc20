"""Dates as precise as the source: a day, a month or a year.

Claims are often dated only "in October" or "in 2020"; inventing a day would put words in the
source's mouth. We keep the precision the annotator gave and type it as ``xsd:date``,
``xsd:gYearMonth`` or ``xsd:gYear`` (all allowed by docs/data-model.md for ``dcterms:date``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

# ASCII digits only: \d (and str.isdigit) also take full-width "２０２６" and Arabic-Indic "٢٠٢٦",
# which int() reads but no RDF date type allows. \Z, not $, which would take a final line break.
_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A calendar date of day, month or year precision; ``text`` is its ISO 8601 form."""

    text: str

    @property
    def datatype(self) -> URIRef:
        return {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(self.text)]

    def literal(self) -> Literal:
        return Literal(self.text, datatype=self.datatype)


def parse_date(value: object) -> PartialDate:
    """Read a YAML value (a ``date``, ``2026-01``, ``2020``) or raise ValueError saying why."""
    if isinstance(value, dt.datetime):
        raise ValueError("give a date without a time of day")
    if isinstance(value, dt.date):
        return PartialDate(value.isoformat())
    text = str(value).strip()
    match = _PATTERN.match(text)
    if not match or isinstance(value, bool):
        raise ValueError(f"'{value}' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a calendar date ({exc})") from None
    return PartialDate(text)
