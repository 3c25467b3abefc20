"""Markdown tables and the way numbers are written in them.

Numbers are rounded for reading; the exact samples go to the JSON file (``run.py --json``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured markdown table; ``|`` in a cell is escaped."""

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def seconds(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def millis(value: float) -> str:
    return f"{value * 1000:.1f}"


def ratio(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    if value >= 100:
        return f"{value:.0f}×"
    if value >= 10:
        return f"{value:.1f}×"
    return f"{value:.2f}×"


def megabytes(value: int | None) -> str:
    return "–" if value is None else f"{value / 1e6:.0f}"


def count(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def met(value: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "not measured"}[value]
