"""Talk to SPARQL stores over HTTP: load the graph into one, and ask one the saved queries.

Only the W3C protocols are used — the SPARQL 1.1 Graph Store Protocol to load and the SPARQL 1.1
Protocol to query — so the same code serves Oxigraph, Virtuoso, Fuseki or GraphDB, and a scholar
can point ``kg`` at whatever store their institution runs.

Loading is an HTTP ``PUT`` per graph: it *replaces* the graph, so pushing twice leaves the store
as pushing once, and a push after a rebuild drops claims that were deleted from the corpus. The
body is N-Triples, which every store parses the same way (Turtle parsers differ at the edges).

Parameters of a query are bound by a ``VALUES`` block built from RDF terms and wrapped around the
query's pattern: the store receives the saved query's text plus a data block, never a string with
user input pasted into it. Each term is checked (an IRI may not contain what would end it) and the
final text is parsed again to confirm that it carries exactly the values meant — see
:func:`kg.sparql.values.with_values`.

Credentials are sent only when the store asks for them (HTTP 401), in the scheme it asks for:
Virtuoso's Graph Store endpoint wants Digest, stores behind a reverse proxy usually want Basic.

The store is not trusted: every exchange goes to the URL given and nowhere else, ends by a
deadline and reads a bounded answer (:mod:`kg.sparql.remote_http`), and answers are read into terms with
their contents checked (:mod:`kg.sparql.remote_answers`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from requests.auth import AuthBase

from ..errors import RemoteError, SetupError
from ..graph.namespaces import GRAPH
from .query_check import check_query
from .remote_answers import GRAPH_ACCEPT, read_graph, read_results
from .remote_http import MB, Answer, StoreSession, shown
from .results import QueryResult
from .values import check_iri, with_values

N_TRIPLES = "application/n-triples"
SPARQL_JSON = "application/sparql-results+json"
DEFAULT_QUERY_TIMEOUT = 120.0  # seconds for the whole answer; a store must not hold the CLI
# The largest answer read, in MB. Saved queries over a large corpus answer a few MB; 50 MB of
# SPARQL JSON is some 200,000 rows of three columns. The limit also bounds what a store can make
# kg hold: read into terms, results take about three times their size in memory (76 MB of rows
# took 250 MB more, 30 MB of empty rows 80 MB) and a graph about twenty (rdflib indexes each
# triple three ways: 32 MB of N-Triples took 570 MB), so at most about 1 GB.
DEFAULT_MAX_ANSWER_MB = 50
LABEL_COLUMNS = ["s", "label"]  # of the internal labels query


@dataclass(frozen=True)
class PushReport:
    endpoint: str
    graphs: tuple[tuple[str, int], ...]  # (graph IRI, triples), in the order they were sent


# --- pushing -------------------------------------------------------------------------------------


def push_graph(endpoint: str, *, corpus_dir: Path | str = "corpus", data: Path | str | None = None,
               graph: str | None = None, user: str | None = None, password: str | None = None,
               timeout: float = 60) -> PushReport:
    """Replace graphs in a Graph Store Protocol store with the build's.

    Without ``graph`` each named graph of the build (ontology, catalogues, corpus, provenance) goes
    to its own IRI, so a store keeps them apart as ``kg build --format trig`` does; with ``graph``
    their union goes to that one graph. The source is the corpus, checked and SHACL-validated in
    memory, or ``data``, a file ``kg build`` wrote (already validated when it was written).
    ``timeout`` bounds each request, the upload and the store's whole answer together.
    """
    _check_url(endpoint, "--endpoint")
    if graph is not None:
        check_iri(graph, "--graph", SetupError)
    parts = _graphs_to_push(corpus_dir, data, graph)
    with StoreSession(endpoint, timeout=timeout) as session:
        auth = _authenticate(session, parts[0][0], user, password)
        for iri, content in parts:
            body = content.serialize(format="nt", encoding="utf-8")
            answer = _put(session, iri, body, auth)
            if answer.status == 401 and auth is None and user is not None:
                auth = _answer_challenge(session, answer, user, password)  # asked late
                answer = _put(session, iri, body, auth)
            if answer.status == 401:
                raise _unauthorised(endpoint, user, answer)
            _raise_for_status(answer, endpoint, f"PUT <{iri}>")
    return PushReport(endpoint, tuple((iri, len(content)) for iri, content in parts))


def _put(session: StoreSession, iri: str, body: bytes, auth: AuthBase | None) -> Answer:
    return session.exchange("PUT", f"PUT <{iri}>", deadline=session.deadline(), auth=auth,
                            params={"graph": iri}, data=body,
                            headers={"Content-Type": f"{N_TRIPLES}; charset=utf-8"})


def _graphs_to_push(corpus_dir: Path | str, data: Path | str | None,
                    graph: str | None) -> list[tuple[str, Graph]]:
    if data is None:
        from ..graph.pipeline import compile_corpus

        _, built = compile_corpus(corpus_dir)
        if graph is not None:
            return [(graph, built.union())]
        return [(str(GRAPH[name]), content) for name, content in built.graphs.items()]
    dataset = _read_file(Path(data))
    named = [g for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier and len(g)]
    if graph is not None:
        union = Graph()
        for triple in dataset.triples((None, None, None)):
            union.add(triple)
        return [(graph, union)]
    if len(dataset.default_graph) or not named:
        raise SetupError(f"{data} holds one graph, not the build's named graphs: give --graph IRI "
                         "to load it into one graph, or push a .trig or .nq build")
    return [(str(g.identifier), g) for g in sorted(named, key=lambda g: str(g.identifier))]


def _read_file(path: Path) -> Dataset:
    from .engines import FILE_FORMATS

    if path.suffix not in FILE_FORMATS:
        raise SetupError(f"cannot tell the RDF format of {path}; use one of {', '.join(FILE_FORMATS)}")
    if not path.is_file():
        raise SetupError(f"no such file: {path}")
    dataset = Dataset(default_union=True)
    try:
        dataset.parse(path, format=FILE_FORMATS[path.suffix])
    except Exception as exc:  # rdflib parsers raise many exception types
        raise SetupError(f"cannot read {path}: {exc}") from exc
    return dataset


def _authenticate(session: StoreSession, graph: str, user: str | None,
                  password: str | None) -> AuthBase | None:
    """The auth object the store asks for, found with a HEAD request that carries no data.

    Probing first means a wrong password is reported before any data is sent, and Digest's
    challenge is answered once rather than by re-sending a large body. A store that does not ask
    for credentials never receives them.
    """
    if user is None:
        return None
    probe = session.exchange("HEAD", "HEAD", deadline=session.deadline(), params={"graph": graph})
    if probe.status != 401:
        return None  # no challenge (yet): the PUT answers one if the store asks there
    auth = _answer_challenge(session, probe, user, password)
    checked = session.exchange("HEAD", "HEAD", deadline=session.deadline(), auth=auth,
                               params={"graph": graph})
    if checked.status == 401:
        raise _unauthorised(session.url, user, checked)
    return auth


def _answer_challenge(session: StoreSession, answer: Answer, user: str, password: str | None) -> AuthBase:
    """Credentials in the scheme a 401 answer asks for (Digest preferred when both are)."""
    challenge = answer.headers.get("WWW-Authenticate", "")
    if "digest" in challenge.lower():
        return session.credentials("digest", user, password or "")
    if "basic" in challenge.lower():
        return session.credentials("basic", user, password or "")
    raise RemoteError(f"{session.url} asks for an authentication scheme kg does not speak "
                      f"({shown(challenge, 100) or 'none named'}); kg speaks Basic and Digest")


def _unauthorised(endpoint: str, user: str | None, answer: Answer) -> RemoteError:
    scheme = shown(answer.headers.get("WWW-Authenticate") or "", 100).split(" ", 1)[0] or "HTTP"
    if user is None:
        return RemoteError(f"{endpoint} needs credentials ({scheme} authentication, HTTP 401): "
                           "give --user and --password (or KG_PUSH_PASSWORD)")
    return RemoteError(f"{endpoint} refused the credentials of user '{user}' ({scheme} "
                       "authentication, HTTP 401): check --user and --password")


# --- querying ------------------------------------------------------------------------------------


class RemoteEndpoint:
    """A SPARQL 1.1 Protocol endpoint, asked one or more queries within one deadline.

    Answers are shaped as the embedded engines shape theirs (``xsd:string`` literals plain,
    blank nodes as blank nodes), so that :meth:`QueryResult.comparable` can hold the two side by
    side. The endpoint's own default graph is queried: for the same answers as ``kg query`` it
    must be the union of the pushed graphs (Oxigraph: ``--union-default-graph``; Virtuoso: the
    default, which also holds Virtuoso's own system graphs). ``timeout`` (seconds) runs from the
    endpoint's creation to the last answer read; each answer may be ``max_answer_mb`` long.
    """

    def __init__(self, url: str, *, timeout: float | None = None,
                 max_answer_mb: float = DEFAULT_MAX_ANSWER_MB):
        _check_url(url, "--endpoint")
        self.url = url
        self._session = StoreSession(url, timeout=timeout or DEFAULT_QUERY_TIMEOUT)
        self._deadline = self._session.deadline()
        self._max_answer = int(max_answer_mb * MB)

    def __enter__(self) -> RemoteEndpoint:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    def query(self, text: str, bindings: Mapping[str, object] | None = None, *,
              limit: int | None = None, allow_service: bool = False,
              what: str = "the query") -> QueryResult:
        """The answer to ``text`` with ``bindings`` (see :func:`~kg.sparql.values.with_values`), its
        first ``limit`` rows at most; ``allow_service`` is the same policy as the embedded engines'."""
        checked = check_query(text, allow_service=allow_service)
        final = with_values(checked.text, dict(bindings or {}))
        if final != checked.text:
            check_query(final, allow_service=allow_service)
        graph_form = checked.form in ("CONSTRUCT", "DESCRIBE")
        answer = self._session.exchange(
            "POST", what, deadline=self._deadline, limit=self._max_answer, data={"query": final},
            headers={"Accept": GRAPH_ACCEPT if graph_form else SPARQL_JSON})
        if answer.status == 401:
            raise _unauthorised(self.url, None, answer)
        _raise_for_status(answer, self.url, what)
        if "X-SPARQL-MaxRows" in answer.headers:
            raise RemoteError(
                f"{self.url} cut the answer at {shown(answer.headers['X-SPARQL-MaxRows'], 20)} rows "
                "(Virtuoso's [SPARQL] ResultSetMaxRows): the answer is incomplete; narrow the query "
                "with --param or LIMIT/OFFSET, or raise ResultSetMaxRows in virtuoso.ini")

        def read() -> QueryResult:
            if graph_form:
                return QueryResult(checked.form, graph=read_graph(answer, self.url))
            result = read_results(answer, checked.form, final, self.url, limit)
            if checked.form == "SELECT" and checked.projection is None:
                result.order_columns(checked.variables)  # SELECT *: as the engines order it (.engines)
            return result

        return self._session.within(read, self._deadline, lambda: self._session.late(what))

    def labels(self) -> dict[URIRef, str]:
        """Readable names of the graph's actors, norms, events, documents and stances."""
        from .saved_queries import internal_query

        result = self.query(internal_query("labels"), what="the labels query")
        if result.variables != LABEL_COLUMNS:
            raise RemoteError(f"{self.url} answered the labels query with columns "
                              f"({', '.join(result.variables)}) instead of ({', '.join(LABEL_COLUMNS)})")
        labels: dict[URIRef, str] = {}
        for subject, label in result.rows:
            if isinstance(subject, URIRef) and isinstance(label, Literal):
                labels.setdefault(subject, str(label))
        return labels


def query_endpoint(url: str, text: str, bindings: Mapping[str, object] | None = None, *,
                   timeout: float | None = None, limit: int | None = None,
                   allow_service: bool = False,
                   max_answer_mb: float = DEFAULT_MAX_ANSWER_MB) -> QueryResult:
    """Run one query on a SPARQL 1.1 Protocol endpoint (see :class:`RemoteEndpoint`)."""
    with RemoteEndpoint(url, timeout=timeout, max_answer_mb=max_answer_mb) as remote:
        return remote.query(text, bindings, limit=limit, allow_service=allow_service)


# --- HTTP ----------------------------------------------------------------------------------------


def _raise_for_status(answer: Answer, url: str, what: str) -> None:
    if answer.status < 400:
        return
    reason = f"HTTP {answer.status} {shown(answer.reason, 100)}".rstrip()
    verb = "refused" if answer.status < 500 else "failed on"
    message = answer.message()
    raise RemoteError(f"{url} {verb} {what}: {reason}" + (f": {message}" if message else ""))


def _check_url(url: str, what: str) -> None:
    if not re.match(r"^https?://[^/\s]+", url or ""):
        raise SetupError(f"{what} '{url}' is not an http:// or https:// URL")
