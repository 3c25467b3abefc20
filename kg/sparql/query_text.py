"""A SPARQL text read at the surface: its prefixed names and variables, where each stands.

rdflib's parse tree says which prefixes and variables a query uses but not where, nor in which
order. Three things need that: the predefined prefixes (:data:`kg.graph.namespaces.QUERY_PREFIXES`)
are declared only for a query that uses them, an unknown prefix is reported at its line and
column, and ``SELECT *`` lists its variables in the order the text first names them (as Fuseki
and the Wikidata Query Service do; Oxigraph sorts them). Enough of SPARQL's lexer for that is to
skip comments, strings and IRIs, where ``:`` and ``?`` mean nothing
(https://www.w3.org/TR/sparql11-query/#grammar).

The declarations go in front of the user's text on its first line, so every line number in a
syntax error still points into the text as the user wrote it; :func:`located` takes the added
characters off a column on that line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pyparsing import col as _column
from pyparsing import line as _line
from pyparsing import lineno as _lineno

from ..graph.namespaces import QUERY_PREFIXES

_SKIPPED = (
    r"\#[^\n]*"  # a comment
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"  # long strings
    r'|"(?:[^"\\\n\r]|\\.)*"' r"|'(?:[^'\\\n\r]|\\.)*'"  # strings
    r'|<[^<>"{}|^`\\\x00-\x20]*>'  # an IRI
)
_LABEL = r"(?:[^\W\d_](?:[\w.\-]*[\w\-])?)?"  # PN_PREFIX, or nothing for the empty prefix
_TOKENS = re.compile(
    rf"(?P<skip>{_SKIPPED})"
    rf"|(?P<declared>(?i:\bPREFIX)\s+(?P<label>{_LABEL}):)"
    rf"|(?<![\w.\-:?$@])(?P<used>{_LABEL}):"
    r"|[?$](?P<variable>\w+)"
)


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """``(kind, name, offset)`` for each prefix declared or used and each variable, in text order.

    ``kind`` is ``declared`` (the label of a PREFIX declaration), ``used`` (the prefix of a
    prefixed name) or ``variable``; names carry no ``:`` or ``?``.
    """
    for match in _TOKENS.finditer(text):
        if match.group("declared") is not None:
            yield "declared", match.group("label"), match.start("label")
        elif match.group("used") is not None:
            yield "used", match.group("used"), match.start()
        elif match.group("variable") is not None:
            yield "variable", match.group("variable"), match.start()


def with_predefined_prefixes(text: str) -> tuple[str, int]:
    """``text`` with a declaration in front for each predefined prefix it uses and does not declare.

    Returns the text to run and how many characters were put in front (0: the text as given).
    """
    declared, missing = set(), []
    for kind, name, _ in tokens(text):
        if kind == "declared":
            declared.add(name)
        elif kind == "used" and name in QUERY_PREFIXES and name not in declared and name not in missing:
            missing.append(name)
    prologue = "".join(f"PREFIX {name}: <{QUERY_PREFIXES[name]}> " for name in missing)
    return prologue + text, len(prologue)


def located(text: str, offset: int) -> tuple[int, int, str]:
    """Line, column (both from 1) and the line's text of ``offset`` in ``text``."""
    offset = min(max(offset, 0), len(text))
    return _lineno(offset, text), _column(offset, text), _line(offset, text)


def first_use(text: str, kind: str, name: str) -> int | None:
    """The offset where ``text`` first has a token of ``kind`` named ``name``, if it has one."""
    return next((offset for k, n, offset in tokens(text) if k == kind and n == name), None)


def variable_order(text: str) -> list[str]:
    """The variables of ``text``, each once, in the order they first appear."""
    return list(dict.fromkeys(name for kind, name, _ in tokens(text) if kind == "variable"))
