"""Read a SPARQL request before any engine runs it.

Oxigraph executes ``SERVICE`` by sending HTTP requests itself, from Rust, where no Python audit
hook sees them; rdflib dereferences ``FROM`` IRIs. The only dependable way to keep a query from
reaching out of the machine is to refuse such operations before evaluation. We parse with rdflib's
SPARQL grammar (the reference parser of the Python stack), which also gives line and column for
syntax errors and tells queries from updates.

The parser is recursive: a query nested a few hundred levels deep (parentheses, braces, a long
chain of triple patterns) exhausts Python's recursion limit. Such a query is refused as too deep
rather than let the RecursionError surface as an internal failure. Parsing a long query can also
take seconds of CPU, so the endpoint runs this check inside its query workers, under the same
time limit as the query itself (see :mod:`kg.query_workers`).

Parsing is also most of what a typical query costs (tens of milliseconds, against a few for
Oxigraph to answer it), and the same texts come back again and again (saved queries, an editor
re-running a query). The verdict on a text is a pure function of it, so accepted queries of
moderate length are remembered (a small LRU cache per process); refusals are not cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseException

from .errors import QueryError, QueryRefused

FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
         "DescribeQuery": "DESCRIBE"}


TOO_DEEP = ("the query is nested too deeply (or has too many patterns in one group) to be checked; "
            "split it or flatten its groups")


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE


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

    try:
        parsed = parseQuery(text)
    except RecursionError:
        raise QueryError(TOO_DEEP) from None
    except ParseException as exc:
        if _is_update(text, parseUpdate):
            raise QueryRefused("updates are refused: this graph is read-only "
                               "(INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ...)") from None
        raise QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}"
                         f"\n  {exc.line}\n  {' ' * (exc.col - 1)}^") from None
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
    return CheckedQuery(text, form)


def _is_update(text: str, parse_update) -> bool:
    try:
        parse_update(text)
    except (ParseException, RecursionError):
        return False
    return True


def _names(node) -> list[str]:
    """Names of every grammar node in a parse tree (pyparsing ParseResults / rdflib CompValue)."""
    found = []
    stack = [node]
    while stack:
        item = stack.pop()
        name = getattr(item, "name", None)
        if isinstance(name, str):
            found.append(name)
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or hasattr(item, "asList"):
            stack.extend(list(item))
    return found
