"""``kg query`` as a library function: one query, checked, run here or on a store, formatted.

A saved query (by name), a ``.rq`` file or a query text goes through the same steps: the query
check, the parameters bound as RDF terms, then the local engine (in the network sandbox unless
SERVICE is allowed) or a remote endpoint, and the answer serialised as the command prints it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ..graph.pipeline import DEFAULT_CORPUS


@dataclass(frozen=True)
class QueryAnswer:
    result: object  # kg.sparql.results.QueryResult
    body: bytes
    media_type: str


def run_query(query: str | None = None, *, expression: str | None = None, params: tuple[str, ...] = (),
              fmt: str | None = None, engine: str = "oxigraph", corpus_dir: Path | str = DEFAULT_CORPUS,
              data: Path | str | None = None, endpoint: str | None = None,
              limit: int | None = None, timeout: float | None = None,
              allow_service: bool = False, width: int | None = None,
              max_answer_mb: float | None = None) -> QueryAnswer:
    """Run a saved query (by name), a ``.rq`` file, or a query text; return it formatted.

    ``fmt`` None prints a table, or Turtle for CONSTRUCT/DESCRIBE; ``width`` fits a table to that
    many columns (None: one line per row). ``endpoint`` sends the query to a remote SPARQL endpoint
    instead of the local engine. The query is checked (syntax, prefixes, refused operations, the
    format, the parameters' names) before any graph is built or any request sent; ids, labels and
    aliases in parameters are then resolved against the graph queried. With ``endpoint``,
    ``timeout`` bounds the query and the labels for a table together, and ``max_answer_mb`` each
    answer.
    """
    from ..errors import QueryError
    from .identifiers import Identifiers
    from .query_check import check_query
    from .results import media_type, result_format, serialize
    from .saved_queries import SavedQuery, bind_params, check_params, resolve_query

    if (query is None) == (expression is None):
        raise QueryError("give a saved query name or .rq file, or -e 'SPARQL' (one of them)")
    saved = resolve_query(query) if query is not None else SavedQuery("-e", "", (), expression)
    checked = check_query(saved.text, allow_service=allow_service)
    fmt = result_format(checked.form, fmt)
    check_params(saved, list(params), checked.variables)  # before the graph is built or asked
    if endpoint is not None:
        from .remote import DEFAULT_MAX_ANSWER_MB, RemoteEndpoint

        with RemoteEndpoint(endpoint, timeout=timeout,
                            max_answer_mb=max_answer_mb or DEFAULT_MAX_ANSWER_MB) as remote:
            bindings = bind_params(saved, list(params), variables=checked.variables,
                                   names=Identifiers(remote.query))
            result = remote.query(saved.text, bindings, limit=limit, allow_service=allow_service)
            labels = remote.labels() if fmt in ("table", "md") else {}
    else:
        from .engines import open_engine
        from .sandbox import SandboxUnavailable

        # Without --allow-service the query runs where it cannot reach the network at all.
        try:
            store = open_engine(engine, corpus_dir=corpus_dir, data=data, sandboxed=not allow_service)
        except SandboxUnavailable as exc:
            raise SandboxUnavailable(f"{exc}; --allow-service runs the query without that guard "
                                     "(and lets it call other endpoints)") from None
        with store:
            run = functools.partial(store.query, timeout=timeout)
            bindings = bind_params(saved, list(params), variables=checked.variables,
                                   names=Identifiers(run))
            result = run(saved.text, bindings, limit=limit, allow_service=allow_service)
            labels = store.labels() if fmt in ("table", "md") else {}
    return QueryAnswer(result, serialize(result, fmt, labels, width), media_type(result, fmt))


def list_queries() -> list:
    """The saved queries with their questions and parameters."""
    from .saved_queries import saved_queries

    return list(saved_queries().values())
