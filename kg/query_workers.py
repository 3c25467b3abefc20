"""A pool of worker processes that run SPARQL queries with a hard time limit and a memory cap.

Oxigraph evaluates a query in Rust without returning to Python until it has a first answer, so a
pathological query (a cross product, ``?p*`` over everything) cannot be interrupted from a
thread. Each worker is therefore a separate process holding its own copy of the store; a query
that outlives its time limit has its worker killed and replaced, and the other workers keep
serving. The dataset is sent to each worker once, as N-Quads.

Time is not the only thing a query can exhaust: sorting a cross product grows a worker by hundreds
of megabytes a second. Each worker therefore caps its own address space (``RLIMIT_AS``) once the
graph is loaded, at what it then holds plus ``memory_mb``. A query that needs more makes the
allocator fail; Oxigraph aborts the process, the pool sees the worker die of SIGABRT and answers
:class:`QueryMemoryError`, and a fresh worker takes its place.

Workers also run the safety check of :mod:`kg.query_check` (through ``Engine.query``) before the
query reaches Oxigraph: parsing a hostile query can take seconds of CPU, and doing it here keeps
that cost under the time limit and out of the HTTP server's process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import signal
import threading
import time
from dataclasses import dataclass

from rdflib import Graph

from .errors import KgError, QueryError, QueryLimitError, QueryRefused
from .results import QueryResult


class QueryTimeout(QueryLimitError):
    """The query ran past its time limit; its worker was killed."""


class PoolBusy(QueryLimitError):
    """Every worker stayed busy for as long as a request may wait for one."""


class QueryMemoryError(QueryLimitError):
    """The query needed more memory than a worker may use; its worker was replaced."""


class WorkerFailed(QueryError):
    """The worker failed for a reason that is not the query's fault (a bug, a killed process).

    ``detail`` says what happened, for the server's log; it is not meant for the client.
    """

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.detail = detail


# What a worker reports, by name, and the error the pool raises for it.
_ERRORS: dict[str, type[QueryError]] = {"QueryError": QueryError, "QueryRefused": QueryRefused,
                                        "QueryLimitError": QueryLimitError}
_MEMORY, _INTERNAL = "memory", "internal"


def _address_space() -> int | None:
    """Bytes of address space this process uses now (Linux), or None where we cannot tell."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _cap_memory(budget_mb: int) -> None:
    """Let this process grow by at most ``budget_mb`` megabytes from now on (best effort)."""
    import resource

    used = _address_space()
    if used is None:
        return  # not Linux: no dependable RLIMIT_AS, run uncapped rather than guess
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = used + budget_mb * 2**20
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or limit < soft:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve(connection, nquads: bytes, memory_mb: int | None) -> None:
    """The body of a worker process: load the store, then answer jobs until the pipe closes.

    Ctrl-C in a terminal sends SIGINT to every process of the foreground group, workers included;
    each would die in ``recv`` with a KeyboardInterrupt traceback on the terminal. A worker ignores
    it: the server's process stops on Ctrl-C and closes the pool, which ends its workers.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .engines import OxigraphEngine

    engine = OxigraphEngine.load(nquads, "nquads")
    del nquads
    # The first parse builds rdflib's SPARQL grammar (a few hundred milliseconds): pay for it
    # here, while starting, rather than in the first request this worker answers.
    engine.query("ASK { }")
    if memory_mb:
        _cap_memory(memory_mb)
    connection.send(("ready", None))
    while True:
        try:
            text, bindings, limit = connection.recv()
        except EOFError:
            return
        try:
            # Engine.query checks the query (kg.query_check) before Oxigraph sees it.
            result = engine.query(text, bindings, limit=limit)
            triples = None
            if result.graph is not None:
                # Enough triples to tell a graph over the cap from one within it, no more.
                triples = list(result.graph) if limit is None else _first(result.graph, limit)
                result.graph = None
            connection.send(("ok", (result, triples)))
        except KgError as exc:
            name = type(exc).__name__
            connection.send(("error", (name if name in _ERRORS else "QueryError", str(exc))))
        except MemoryError:
            connection.send(("error", (_MEMORY, "")))
            return  # a process that ran out of memory may be in a bad state: let the pool replace it
        except Exception as exc:  # a bug must not kill the worker silently; report it as a failure
            connection.send(("error", (_INTERNAL, f"{type(exc).__name__}: {exc}")))


def _first(graph: Graph, count: int) -> list:
    triples = []
    for triple in graph:
        if len(triples) >= count:
            break
        triples.append(triple)
    return triples


@dataclass(eq=False)  # identity, not field equality: workers go in a set
class _Worker:
    process: multiprocessing.Process
    connection: object


class WorkerPool:
    """``size`` processes, each with the whole dataset; ``run`` blocks for a free one."""

    def __init__(self, nquads: bytes, size: int = 2, *, memory_mb: int | None = None,
                 start_timeout: float = 120.0):
        self._nquads = nquads
        self._memory_mb = memory_mb
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._start_timeout = start_timeout
        self._all: set[_Worker] = set()
        self._spawning: set[threading.Thread] = set()
        self._lock = threading.Lock()
        try:
            for _ in range(size):
                self._idle.put(self._spawn())
        except BaseException:
            self.close()
            raise

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers (for monitoring memory)."""
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]

    def _spawn(self) -> _Worker:
        mine, theirs = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(theirs, self._nquads, self._memory_mb),
                                        daemon=True)
        process.start()
        theirs.close()
        try:
            if not mine.poll(self._start_timeout):
                raise EOFError
            mine.recv()
        except (EOFError, OSError):
            process.kill()
            process.join(5)
            mine.close()
            raise QueryError("a query worker did not start; the graph could not be loaded") from None
        worker = _Worker(process, mine)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> int | None:
        """Stop a worker for good; its exit code (negative: the signal that ended it)."""
        with self._lock:
            self._all.discard(worker)
        with contextlib.suppress(Exception):
            worker.process.kill()
        with contextlib.suppress(Exception):
            worker.process.join(5)
        with contextlib.suppress(Exception):
            worker.connection.close()
        return worker.process.exitcode

    def _replace(self, worker: _Worker) -> int | None:
        """Retire ``worker`` and start its replacement in the background (a few tries)."""
        code = self._retire(worker)
        if not self._closed:
            thread = threading.Thread(target=self._respawn, daemon=True)
            with self._lock:
                self._spawning.add(thread)
            thread.start()
        return code

    def _respawn(self) -> None:
        try:
            for attempt in range(3):
                if self._closed:
                    return
                try:
                    worker = self._spawn()
                except QueryError:
                    time.sleep(0.5 * (attempt + 1))
                    continue
                if self._closed:
                    self._retire(worker)
                else:
                    self._idle.put(worker)
                return
        finally:
            with self._lock:
                self._spawning.discard(threading.current_thread())

    def _take(self, wait: float) -> _Worker:
        """A live idle worker, waiting at most ``wait`` seconds in all."""
        deadline = time.monotonic() + wait
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise PoolBusy(f"the server is busy: every query worker stayed busy for {wait:g} s; "
                               "try again shortly") from None
            if worker.process.is_alive():
                return worker
            self._replace(worker)  # died while idle (killed from outside): never hand it a query

    def run(self, text: str, bindings: dict | None = None, *, limit: int | None = None,
            timeout: float = 30.0, wait: float = 30.0) -> QueryResult:
        """Check and answer a query in a worker.

        Raises QueryRefused / QueryError for the query's own faults, QueryTimeout past
        ``timeout`` seconds, QueryMemoryError past the memory cap, PoolBusy when no worker is
        free within ``wait`` seconds and WorkerFailed when a worker breaks for another reason.
        """
        worker = self._take(wait)
        try:
            worker.connection.send((text, bindings or {}, limit))
            if not worker.connection.poll(timeout):
                self._replace(worker)
                raise QueryTimeout(f"the query exceeded the time limit of {timeout:g} s; narrow it "
                                   "(fewer patterns, a LIMIT, no unbounded paths)")
            status, payload = worker.connection.recv()
        except (EOFError, OSError):
            code = self._replace(worker)
            if code == -signal.SIGABRT and self._memory_mb:
                raise self._memory_error() from None
            raise WorkerFailed("the query worker failed; the query was not answered",
                               f"worker exited with code {code}") from None
        if status == "error" and payload[0] == _MEMORY:
            self._replace(worker)
            raise self._memory_error()
        self._idle.put(worker)
        if status == "error":
            name, message = payload
            if name == _INTERNAL:
                raise WorkerFailed("the query failed inside the server; it was not answered", message)
            raise _ERRORS[name](message)
        result, triples = payload
        if triples is not None:
            result.graph = Graph()
            for triple in triples:
                result.graph.add(triple)
        return result

    def _memory_error(self) -> QueryMemoryError:
        return QueryMemoryError(f"the query needed more than the {self._memory_mb} MB a query may "
                                "use; narrow it (a LIMIT, fewer patterns, no ORDER BY over a "
                                "cross product)")

    def close(self) -> None:
        self._closed = True
        with self._lock:
            spawning = list(self._spawning)
        for thread in spawning:
            thread.join(self._start_timeout)
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._retire(worker)
