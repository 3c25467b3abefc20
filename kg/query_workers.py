"""A pool of worker processes that run SPARQL queries with a hard time limit.

Oxigraph evaluates a query in Rust without returning to Python until it has a first answer, so a
pathological query (a cross product, ``?p*`` over everything) cannot be interrupted from a
thread. Each worker is therefore a separate process holding its own copy of the store; a query
that outlives its time limit has its worker killed and replaced, and the other workers keep
serving. The dataset is sent to each worker once, as N-Quads.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import threading
from dataclasses import dataclass

from rdflib import Graph

from .errors import KgError, QueryError, QueryLimitError, QueryRefused
from .results import QueryResult

_ERRORS = {cls.__name__: cls for cls in (QueryError, QueryRefused, QueryLimitError)}


def _serve(connection, nquads: bytes) -> None:
    """The body of a worker process: load the store, then answer jobs until the pipe closes."""
    from .engines import OxigraphEngine

    engine = OxigraphEngine.load(nquads, "nquads")
    connection.send(("ready", None))
    while True:
        try:
            text, bindings, limit = connection.recv()
        except EOFError:
            return
        try:
            result = engine.query(text, bindings, limit=limit)
            triples = list(result.graph) if result.graph is not None else None
            result.graph = None
            connection.send(("ok", (result, triples)))
        except KgError as exc:
            name = type(exc).__name__
            connection.send(("error", (name if name in _ERRORS else "QueryError", str(exc))))
        except Exception as exc:  # a bug must not kill the worker silently; report it as a failure
            connection.send(("error", ("QueryError", f"the query failed: {exc}")))


@dataclass(eq=False)  # identity, not field equality: workers go in a set
class _Worker:
    process: multiprocessing.Process
    connection: object


class WorkerPool:
    """``size`` processes, each with the whole dataset; ``run`` blocks for a free one."""

    def __init__(self, nquads: bytes, size: int = 2, start_timeout: float = 120.0):
        self._nquads = nquads
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._start_timeout = start_timeout
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        mine, theirs = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(theirs, self._nquads), daemon=True)
        process.start()
        theirs.close()
        if not mine.poll(self._start_timeout):
            process.kill()
            raise QueryError("a query worker did not start in time")
        mine.recv()
        worker = _Worker(process, mine)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        with contextlib.suppress(Exception):
            worker.process.kill()
            worker.process.join(5)
            worker.connection.close()

    def _replace(self, worker: _Worker) -> None:
        self._retire(worker)
        if not self._closed:
            threading.Thread(target=lambda: self._idle.put(self._spawn()), daemon=True).start()

    def run(self, text: str, bindings: dict | None = None, *, limit: int | None = None,
            timeout: float = 30.0, wait: float = 30.0) -> QueryResult:
        """Answer a (checked) query in a worker; QueryLimitError when it runs out of time."""
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            raise QueryLimitError("the server is busy: every query worker is working; try again "
                                  "shortly") from None
        try:
            worker.connection.send((text, bindings or {}, limit))
            if not worker.connection.poll(timeout):
                self._replace(worker)
                worker = None
                raise QueryLimitError(f"the query exceeded the time limit of {timeout:g} s; "
                                      "narrow it (fewer patterns, a LIMIT, no unbounded paths)")
            status, payload = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            if worker is not None:
                self._replace(worker)
                worker = None
            raise QueryError("the query worker failed; the query was not answered") from None
        finally:
            if worker is not None:
                self._idle.put(worker)
        if status == "error":
            name, message = payload
            raise _ERRORS[name](message)
        result, triples = payload
        if triples is not None:
            result.graph = Graph()
            for triple in triples:
                result.graph.add(triple)
        return result

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._retire(worker)
