"""Read a SPARQL request before any engine runs it.

Oxigraph executes ``SERVICE`` by sending HTTP requests itself, from Rust, where no Python audit
hook sees them; rdflib dereferences ``FROM`` IRIs when allowed to. Such operations, and updates,
are refused here before evaluation, with a message that says why. We parse with rdflib's SPARQL
grammar (the reference parser of the Python stack), which also gives line and column for syntax
errors and tells queries from updates. This is the second layer: the processes that run queries
for others cannot reach the network at all (:mod:`kg.sparql.sandbox`), whatever a check lets through.

The parser is recursive: a query nested a few hundred levels deep (parentheses, braces, a long
chain of triple patterns) exhausts Python's recursion limit. Such a query is refused as too deep
rather than let the RecursionError surface as an internal failure. Parsing a long query can also
take seconds of CPU, so the endpoint runs this check inside its query workers, under the same
time limit as the query itself (see :mod:`kg.sparql.query_workers`).

Parsing is also most of what a typical query costs (tens of milliseconds, against a few for
Oxigraph to answer it), and the same texts come back again and again (saved queries, an editor
re-running a query). The verdict on a text is a pure function of it, so accepted queries of
moderate length are remembered (a small LRU cache per process); refusals are not cached.

Prefixes. A query may use the predefined prefixes (:data:`kg.graph.namespaces.QUERY_PREFIXES`) without
declaring them: the check declares those it uses in front of the text (see :mod:`kg.sparql.query_text`)
and parses and vets that text, which is the text every engine then runs
(:attr:`CheckedQuery.text`), so what is checked is exactly what runs. A prefix neither declared
nor predefined is an error naming it, where rdflib's parser would let it through and Oxigraph's
would answer with a list of the characters it expected.

The check and the engine must read the same text, or a query can mean one thing to the check and
another to the engine. Two differences between rdflib's parser and Oxigraph's were such gaps:

* a ``#`` comment ends at a line feed for rdflib but also at a carriage return for Oxigraph (and
  for SPARQL's grammar: EOL is LF or CR), so ``# x<CR>SERVICE <...>`` hid a SERVICE from the check;
* rdflib expands ``\\u`` escapes everywhere before parsing (SPARQL 1.1, section 19.2), greedily
  taking eight hex digits after ``\\u``, while Oxigraph expands them only inside strings and IRIs.

So :func:`normalize` rewrites the text once, and both read the result
(:attr:`CheckedQuery.text` is what the engine runs): every ``\\uXXXX`` and ``\\UXXXXXXXX``
escape expanded in one pass as SPARQL 1.1 says (one that is no Unicode character is a syntax
error), a text in which an escape is left over (``\\u005Cu0041`` spells ``\\u0041``: a second
reader would expand it again) refused, and CR and CR LF made LF. After that neither reader
expands anything and both end comments at the same place. A ``\\u0022`` inside a string then
ends the string, as SPARQL 1.1 says it does; write ``\\"`` instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseException

from ..corpus.fields import did_you_mean
from ..errors import QueryError, QueryRefused
from ..graph.namespaces import QUERY_PREFIXES
from .query_text import first_use, located, variable_order, with_predefined_prefixes

FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
         "DescribeQuery": "DESCRIBE"}


TOO_DEEP = ("the query is nested too deeply (or has too many patterns in one group) to be checked; "
            "split it or flatten its groups")


@dataclass(frozen=True)
class CheckedQuery:
    text: str  # what runs: the query normalized (see normalize), the predefined prefixes it uses declared
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    projection: tuple[str, ...] | None = None  # a SELECT's variables in order; None: SELECT * or not a SELECT
    variables: tuple[str, ...] = ()  # every variable of the query, in the order the text first names it
    prologue: int = 0  # characters of declarations put in front of the user's first line


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LEFT_OVER = re.compile(r"\\[uU][0-9A-Fa-f]")  # what rdflib or Oxigraph would still expand


def normalize(text: str) -> str:
    """The query as both the check and the engine read it (see the module docstring).

    Raises QueryError for an escape that is no Unicode character (``\\U00110000``, a lone
    surrogate ``\\uD800``) or an escape left over after expansion.
    """

    def expand(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryError(f"SPARQL syntax error at {_where(text, match.start())}: {match.group(0)} is "
                             "not a Unicode character (\\u takes 4 hex digits, \\U 8, up to "
                             "\\U0010FFFF, and no surrogates: write \\U0001F600, not \\uD83D\\uDE00)")
        return chr(code)

    expanded = _ESCAPE.sub(expand, text)
    left = _LEFT_OVER.search(expanded)
    if left is not None:
        raise QueryError(f"SPARQL syntax error: '{expanded[left.start():left.start() + 10]}': an "
                         "escape must be \\u and 4 hex digits or \\U and 8, and may not spell "
                         "another escape (\\u005Cu0041); write the character itself")
    return expanded.replace("\r\n", "\n").replace("\r", "\n")


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"line {line}, column {offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


CACHED_LENGTH = 20_000  # characters: longer texts are checked every time, never kept


def check_query(text: str, *, allow_service: bool = False) -> CheckedQuery:
    """The query's form, or QueryError (syntax, with line and column) / QueryRefused."""
    if len(text) <= CACHED_LENGTH:
        return _check_cached(text, allow_service)
    return _check(text, allow_service)


@lru_cache(maxsize=512)
def _check_cached(text: str, allow_service: bool) -> CheckedQuery:
    return _check(text, allow_service)


def _check(text: str, allow_service: bool) -> CheckedQuery:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    text = normalize(text)
    final, added = with_predefined_prefixes(text)
    try:
        parsed = parseQuery(final)
    except RecursionError:
        raise QueryError(TOO_DEEP) from None
    except ParseException as exc:
        if _is_update(text, parseUpdate):
            raise QueryRefused("updates are refused: this graph is read-only "
                               "(INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ...)") from None
        line, column, source = located(text, exc.loc - added)
        raise QueryError(f"SPARQL syntax error at line {line}, column {column}: {exc.msg}"
                         f"\n  {source}\n  {' ' * (column - 1)}^") from None
    _check_prefixes(parsed, text)
    query = parsed[1]  # parsed[0] is the prologue (BASE, PREFIX)
    form = FORMS.get(query.name, query.name)
    names = set(_names(query))
    if "ServiceGraphPattern" in names and not allow_service:
        raise QueryRefused("SERVICE is refused: queries run on this graph only and never send "
                           "requests to other endpoints")
    # CompValue.get returns the key itself when it is absent, hence the explicit membership test.
    if "datasetClause" in query and query["datasetClause"]:  # noqa: RUF019
        raise QueryRefused("FROM and FROM NAMED are refused: the dataset is fixed (use GRAPH "
                           "<https://w3id.org/ilkg/graph/...> to pick a named graph)")
    return CheckedQuery(final, form, _projection(query), _variables(parsed, text), added)


def _check_prefixes(parsed, text: str) -> None:
    """Every prefixed name's prefix is declared (by the user or as a predefined prefix)."""
    declared = {str(dict.get(decl, "prefix") or "") for decl in parsed[0] if decl.name == "PrefixDecl"}
    unknown = {str(dict.get(node, "prefix") or "") for node in _nodes(parsed[1])
               if getattr(node, "name", None) == "pname"} - declared
    if not unknown:
        return
    offsets = {name: first_use(text, "used", name) for name in unknown}
    name = min(unknown, key=lambda n: (offsets[n] is None, offsets[n] or 0, n))
    where = ""
    if offsets[name] is not None:
        line, column, _ = located(text, offsets[name])
        where = f" at line {line}, column {column}"
    hint = did_you_mean(f"{name}:", [f"{p}:" for p in {*QUERY_PREFIXES, *declared}]) if name else ""
    raise QueryError(f"unknown prefix '{name}:'{where}{hint}; declare it (PREFIX {name}: <...>) or "
                     "use a predefined prefix (`kg query --prefixes` lists them)")


def _projection(query) -> tuple[str, ...] | None:
    items = dict.get(query, "projection") if query.name == "SelectQuery" else None
    if not items:
        return None
    return tuple(str(dict.get(item, "var") or dict.get(item, "evar")) for item in items)


def _variables(parsed, text: str) -> tuple[str, ...]:
    """The query's variables (from the parse tree), in the order the text first names them."""
    from rdflib import Variable

    found = {str(node) for node in _nodes(parsed) if isinstance(node, Variable)}
    order = [name for name in variable_order(text) if name in found]
    return (*order, *sorted(found.difference(order)))


def _is_update(text: str, parse_update) -> bool:
    try:
        parse_update(text)
    except (ParseException, RecursionError):
        return False
    return True


def _names(node) -> list[str]:
    """Names of every grammar node in a parse tree (pyparsing ParseResults / rdflib CompValue)."""
    return [name for item in _nodes(node) if isinstance(name := getattr(item, "name", None), str)]


def _nodes(node) -> list:
    """Every node of a parse tree (pyparsing ParseResults / rdflib CompValue), terms included."""
    found = []
    stack = [node]
    while stack:
        item = stack.pop()
        found.append(item)
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or hasattr(item, "asList"):
            stack.extend(list(item))
    return found
