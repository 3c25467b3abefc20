"""Parameters bound into a query's text by a VALUES block, and read back to confirm them.

A remote store receives the saved query's text plus a data block built from RDF terms, never a
string with user input pasted into it; the local engines use the same block for variables they
cannot bind otherwise. Each term is checked (an IRI may not contain what would end it) and the
final text is parsed again, so that it carries exactly the values meant.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pyparsing import ParseException
from rdflib import Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery

from ..errors import KgError, QueryError
from .query_check import check_query

# Characters SPARQL's IRIREF excludes (https://www.w3.org/TR/sparql11-query/#rIRIREF); any of them
# in a parameter could close the IRI and let the rest be read as query text.
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LANGTAG = re.compile(r"^[A-Za-z]+(-[A-Za-z0-9]+)*$")


def with_values(text: str, bindings: Mapping[str, object]) -> str:
    """``text`` with its parameters bound by a VALUES block, checked by parsing the result back.

    The block goes at the head of the WHERE clause, around the original pattern:
    ``WHERE { VALUES (?p) { (<term>) } { original pattern } }`` — the join of one fixed row with
    the pattern (https://www.w3.org/TR/sparql11-query/#inline-data), which filters the answer as
    the engines' initial bindings do for the saved queries. SPARQL also allows VALUES after the
    whole query, but Virtuoso 7.2 answers that form wrongly when the variable is bound by a
    subquery or a property path: it keeps every row and overwrites the variable with the value
    (``norms-ranked --param norm=...``, ``claims-under-instrument --param instrument=...``).
    Only a query without a separate WHERE pattern (``CONSTRUCT WHERE {...}``, ``DESCRIBE <x>``)
    gets the trailing form.
    """
    if not bindings:
        return text
    names = list(bindings)
    for name in names:
        if not _VARNAME.match(name):
            raise QueryError(f"refused: parameter name '{name}' is not a SPARQL variable name "
                             "(letters, digits and _)")
    cells = [_sparql_term(name, bindings[name]) for name in names]
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(cells)}) }}"
    try:
        query = parseQuery(text)[1]
    except ParseException:
        check_query(text)  # raises the QueryError that locates the syntax error
        raise QueryError("the query does not parse") from None
    groups = _top_level_groups(text)
    where_at = 1 if dict.get(query, "template") is not None else 0
    inside = dict.get(query, "where") is not None and len(groups) > where_at and (
        query.name != "ConstructQuery" or where_at == 1)
    if inside:
        opening, closing = groups[where_at]
        final = f"{text[:opening + 1]} {block} {{{text[opening + 1:closing]}}} {text[closing:]}"
        parts = dict.get(dict.get(_parse_or_none(final), "where") or {}, "part") or []
        placed = parts[0] if len(parts) == 2 and parts[1].name == "GroupOrUnionGraphPattern" else None
        if placed is not None and placed.name != "InlineData":
            placed = None
    else:
        if _values_clause(query) is not None:
            raise QueryError("this query already ends with a VALUES block; bind its parameters "
                             "there instead of with --param")
        final = f"{text.rstrip()}\n{block}\n"
        placed = _values_clause(_parse_or_none(final))
    if not _reads_back(placed, names, [bindings[n] for n in names]):
        raise QueryError("refused: the parameters could not be written into the query as a VALUES "
                         "block that reads back as the same terms")
    return final


def _reads_back(block, names: list[str], terms: list) -> bool:
    """Whether a parsed VALUES block binds exactly ``names`` to ``terms`` in one row."""
    if block is None:
        return False
    rows = list(dict.get(block, "value") or [])
    variables = [str(v) for v in dict.get(block, "var") or []]
    return variables == names and len(rows) == 1 and [_parsed_term(v) for v in rows[0]] == terms


def _top_level_groups(text: str) -> list[tuple[int, int]]:
    """Offsets of the ``{`` and matching ``}`` of each outermost group of a query.

    Enough of SPARQL's lexer to skip what may contain braces without opening a group: comments,
    strings of the four kinds and IRIs. Braces inside parentheses (``SELECT (EXISTS {...} AS ?x)``)
    are not outermost groups.
    """
    groups: list[tuple[int, int]] = []
    parens = braces = 0
    opening = 0
    i = 0
    while i < len(text):
        char = text[i]
        if char == "#":
            newline = text.find("\n", i)
            i = len(text) if newline < 0 else newline
        elif char in "\"'":
            i = _string_end(text, i)
            continue
        elif char == "<" and (iri := _IRIREF.match(text, i)):
            i = iri.end()
            continue
        elif char == "(":
            parens += 1
        elif char == ")":
            parens -= 1
        elif char == "{":
            if braces == 0 and parens == 0:
                opening = i
            braces += 1
        elif char == "}":
            braces -= 1
            if braces == 0 and parens == 0:
                groups.append((opening, i))
        i += 1
    return groups


def _string_end(text: str, start: int) -> int:
    """The offset just after the string literal opening at ``start`` (escapes honoured)."""
    quote = text[start] * 3 if text.startswith(text[start] * 3, start) else text[start]
    i = start + len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        else:
            i += 1
    return len(text)


def _sparql_term(name: str, term: object) -> str:
    """One term in SPARQL syntax, or QueryError if it could not be written safely."""
    if isinstance(term, URIRef):
        check_iri(str(term), f"parameter '{name}'")
        return f"<{term}>"
    if isinstance(term, Literal):
        if term.language is not None and not _LANGTAG.match(term.language):
            raise QueryError(f"refused: parameter '{name}' has an invalid language tag "
                             f"'{term.language}'")
        if term.datatype is not None:
            check_iri(str(term.datatype), f"the datatype of parameter '{name}'")
        return term.n3()
    raise QueryError(f"parameter '{name}': cannot send {term!r} to an endpoint (IRIs and "
                     "literals only)")


def _parse_or_none(text: str) -> dict:
    """The parsed query (after the prologue), or an empty dict if it does not parse."""
    try:
        return parseQuery(text)[1]
    except ParseException:
        return {}


def _values_clause(query):
    """The trailing VALUES of a parsed query (the part after the prologue), or None.

    rdflib's ``CompValue.get`` returns the key itself for a missing key, so plain dict lookups
    are used on its parse tree.
    """
    return dict.get(query, "valuesClause") if query else None


def _parsed_term(value):
    """A term of rdflib's parse tree of a VALUES row, as the rdflib term it denotes."""
    if isinstance(value, (URIRef, Literal)):
        return value
    if isinstance(value, dict) and dict.get(value, "string") is not None:  # a literal_ CompValue
        return Literal(str(dict.get(value, "string")), lang=dict.get(value, "lang"),
                       datatype=dict.get(value, "datatype"))
    return value


def check_iri(iri: str, what: str, error: type[KgError] = QueryError) -> None:
    bad = _IRI_FORBIDDEN.search(iri)
    if bad:
        raise error(f"refused: {what} is not a valid IRI: {iri!r} contains "
                         f"{bad.group()!r}, which IRIs may not contain "
                         "(https://www.w3.org/TR/sparql11-query/#rIRIREF)")
    if not _IRI_SCHEME.match(iri):
        raise error(f"refused: {what} is not an absolute IRI: {iri!r}")
