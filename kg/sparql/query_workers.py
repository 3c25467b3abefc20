"""A pool of worker processes that run SPARQL queries with a hard time limit and a memory cap.

Oxigraph evaluates a query in Rust without returning to Python until it has a first answer, so a
pathological query (a cross product, ``?p*`` over everything) cannot be interrupted from a
thread. Each worker is therefore a separate process holding its own copy of the store; a query
that outlives its time limit has its worker killed and replaced, and the other workers keep
serving. The dataset is sent to each worker once (N-Quads for the endpoint, a graph file as it
is for ``kg query``) and read there.

Time is not the only thing a query can exhaust: sorting a cross product grows a worker by hundreds
of megabytes a second. Each worker therefore caps its own address space (``RLIMIT_AS``) once the
graph is loaded, at what it then holds plus ``memory_mb``. A query that needs more makes the
allocator fail; Oxigraph aborts the process, the pool sees the worker die of SIGABRT and answers
:class:`QueryMemoryError`, and a fresh worker takes its place.

Workers also run the safety check of :mod:`kg.sparql.query_check` (through ``Engine.query``) before the
query reaches Oxigraph: parsing a hostile query can take seconds of CPU, and doing it here keeps
that cost under the time limit and out of the HTTP server's process.

Each worker shuts itself off from the network (:mod:`kg.sparql.sandbox`) before it reads the graph, so
no query can make it send a request, whatever the check lets through. A worker that cannot do so
reports it and the pool does not start (``sandbox=False`` runs without, on explicit request).

Answers are made in the worker too. For the endpoint (:meth:`WorkerPool.answer`), the worker
serializes the result in the format the client asked for and sends the bytes in chunks, after
checking the row cap and the answer's size: a query that builds a huge value (``CONCAT`` doubling
a string twenty times) fills the worker, which is capped, and never the HTTP process, which holds
one chunk at a time per answer. ``kg query`` (:class:`SandboxedEngine`) gets the result itself.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rdflib import Graph

from ..errors import KgError, QueryError, QueryLimitError, QueryRefused, SetupError
from .engines import Engine
from .results import QueryResult, serialize
from .sandbox import SandboxUnavailable


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


class TooManyRows(QueryError):
    """The result has more rows (or triples) than an answer may carry."""


class AnswerTooLarge(QueryError):
    """The serialized answer would be larger than an answer may be."""


class NotAcceptable(QueryError):
    """The client takes no format that fits the query's form; ``form`` says which form it was."""

    def __init__(self, form: str):
        super().__init__(f"no acceptable format for a {form} query")
        self.form = form


# What a worker reports, by name, and the error the pool raises for it.
_ERRORS: dict[str, type[QueryError]] = {"QueryError": QueryError, "QueryRefused": QueryRefused,
                                        "QueryLimitError": QueryLimitError, "TooManyRows": TooManyRows,
                                        "AnswerTooLarge": AnswerTooLarge}
_MEMORY, _INTERNAL, _NOT_ACCEPTABLE = "memory", "internal", "not-acceptable"


@dataclass(frozen=True)
class AnswerSpec:
    """How a worker turns a result into the bytes of an HTTP answer."""

    formats: dict[str, str]  # query form -> result format name, for the forms the client can take
    max_rows: int  # rows (or triples) an answer may carry
    max_bytes: int  # bytes an answer may have
    chunk: int = 256 * 1024  # bytes per message from the worker: what the HTTP process holds


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


def _serve(connection, payload: bytes, fmt: str, engine_name: str, memory_mb: int | None,
           sandbox: bool, allow_service: bool) -> None:
    """The body of a worker process: load the store, then answer jobs until the pipe closes.

    Ctrl-C in a terminal sends SIGINT to every process of the foreground group, workers included;
    each would die in ``recv`` with a KeyboardInterrupt traceback on the terminal. A worker ignores
    it: the server's process stops on Ctrl-C and closes the pool, which ends its workers.
    """
    from .engines import ENGINES
    from .sandbox import shut_network

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which ends us
    try:
        if sandbox:
            shut_network()  # before reading anything: a JSON-LD file may name remote contexts
        engine = ENGINES[engine_name].load(payload, fmt)
    except SandboxUnavailable as exc:
        connection.send(("failed", ("sandbox", str(exc))))
        return
    except SetupError as exc:
        connection.send(("failed", ("setup", str(exc))))
        return
    del payload
    # The first parse builds rdflib's SPARQL grammar (a few hundred milliseconds): pay for it
    # here, while starting, rather than in the first request this worker answers.
    engine.query("ASK { }")
    if memory_mb:
        _cap_memory(memory_mb)
    connection.send(("ready", None))
    while True:
        try:
            text, bindings, limit, spec = connection.recv()
        except EOFError:
            return
        try:
            # Engine.query checks the query (kg.sparql.query_check) before the engine sees it.
            result = engine.query(text, bindings, limit=limit, allow_service=allow_service)
            if spec is not None:
                _send_answer(connection, result, spec)
                continue
            triples = None
            if result.graph is not None:
                # Enough triples to tell a graph over the cap from one within it, no more.
                triples = list(result.graph) if limit is None else _first(result.graph, limit)
                result.graph = None
            connection.send(("ok", (result, triples)))
        except NotAcceptable as exc:
            connection.send(("error", (_NOT_ACCEPTABLE, exc.form)))
        except KgError as exc:
            name = type(exc).__name__
            connection.send(("error", (name if name in _ERRORS else "QueryError", str(exc))))
        except MemoryError:
            connection.send(("error", (_MEMORY, "")))
            return  # a process that ran out of memory may be in a bad state: let the pool replace it
        except Exception as exc:  # a bug must not kill the worker silently; report it as a failure
            connection.send(("error", (_INTERNAL, f"{type(exc).__name__}: {exc}")))


def _send_answer(connection, result: QueryResult, spec: AnswerSpec) -> None:
    """The result as the bytes of an answer, in chunks, after a header (form, format, size)."""
    size = len(result.rows) if result.graph is None else len(result.graph)
    if result.truncated or size > spec.max_rows:
        what = "rows" if result.graph is None else "triples"
        raise TooManyRows(f"the result has more than {spec.max_rows} {what}, the server's cap; "
                          f"add LIMIT {spec.max_rows} or narrow the query")
    fmt = spec.formats.get(result.form)
    if fmt is None:
        raise NotAcceptable(result.form)
    # The text of the terms is a lower bound of the answer's size: a result far over the cap is
    # refused before serializing it would take as much memory again.
    if _text_size(result) > spec.max_bytes:
        raise _too_large(spec.max_bytes)
    body = serialize(result, fmt)
    if len(body) > spec.max_bytes:
        raise _too_large(spec.max_bytes)
    connection.send(("answer", (result.form, fmt, len(body))))
    view = memoryview(body)
    for start in range(0, len(body), spec.chunk):
        connection.send_bytes(view[start : start + spec.chunk])


def _text_size(result: QueryResult) -> int:
    rows = result.rows if result.graph is None else result.graph
    return sum(len(term) for row in rows for term in row if term is not None)


def _too_large(limit: int) -> AnswerTooLarge:
    return AnswerTooLarge(f"the answer is over this server's limit of {limit / 2**20:g} MB; ask for "
                          "fewer or shorter values (a LIMIT, SUBSTR, no long strings built by the "
                          "query)")


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
    """``size`` processes, each with the whole dataset; ``run`` and ``answer`` block for a free one.

    ``payload`` is the dataset in rdflib format ``fmt``, read by engine ``engine`` in each worker.
    ``sandbox`` (the default) shuts every worker off from the network before it reads anything;
    where that cannot be done the pool does not start (SandboxUnavailable). ``allow_service``
    lets SERVICE past the workers' check: the tests use it to show that the sandbox alone stops it.
    """

    def __init__(self, payload: bytes, size: int = 2, *, fmt: str = "nquads", engine: str = "oxigraph",
                 memory_mb: int | None = None, sandbox: bool = True, allow_service: bool = False,
                 start_timeout: float = 120.0):
        self._args = (payload, fmt, engine, memory_mb, sandbox, allow_service)
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
        process = self._context.Process(target=_serve, args=(theirs, *self._args), daemon=True)
        process.start()
        theirs.close()
        try:
            if not mine.poll(self._start_timeout):
                raise EOFError
            status, payload = mine.recv()
        except (EOFError, OSError):
            status, payload = "failed", ("setup", "a query worker did not start; the graph could not "
                                         "be loaded")
        if status != "ready":
            process.kill()
            process.join(5)
            mine.close()
            kind, message = payload
            if kind == "sandbox":
                raise SandboxUnavailable(f"cannot shut the query workers off from the network: {message}")
            raise SetupError(message)
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
                except KgError:
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

    def _ask(self, worker: _Worker, job: tuple, timeout: float | None) -> tuple[str, object]:
        """Send ``job`` and wait for the worker's first reply; errors leave the worker idle or replaced.

        Raises QueryTimeout past ``timeout`` seconds (None: no limit), QueryMemoryError past the
        memory cap, WorkerFailed when the worker breaks, and the query's own errors.
        """
        try:
            worker.connection.send(job)
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
        if status != "error":
            return status, payload
        name, message = payload
        if name == _MEMORY:
            self._replace(worker)
            raise self._memory_error()
        self._idle.put(worker)
        if name == _INTERNAL:
            raise WorkerFailed("the query failed inside the server; it was not answered", message)
        if name == _NOT_ACCEPTABLE:
            raise NotAcceptable(message)
        raise _ERRORS[name](message)

    def run(self, text: str, bindings: dict | None = None, *, limit: int | None = None,
            timeout: float | None = 30.0, wait: float = 30.0) -> QueryResult:
        """Check and answer a query in a worker.

        Raises QueryRefused / QueryError for the query's own faults, QueryTimeout past
        ``timeout`` seconds (None: no limit), QueryMemoryError past the memory cap, PoolBusy
        when no worker is free within ``wait`` seconds and WorkerFailed when a worker breaks for
        another reason.
        """
        worker = self._take(wait)
        _, (result, triples) = self._ask(worker, (text, bindings or {}, limit, None), timeout)
        self._idle.put(worker)
        if triples is not None:
            result.graph = Graph()
            for triple in triples:
                result.graph.add(triple)
        return result

    def answer(self, text: str, spec: AnswerSpec, *, timeout: float, wait: float = 30.0) -> Answer:
        """The serialized answer to a query, to be read from its worker (then closed).

        Raises as :meth:`run` does, and also TooManyRows, AnswerTooLarge and NotAcceptable. The
        worker stays with the answer until it is closed.
        """
        worker = self._take(wait)
        _, (form, fmt, size) = self._ask(worker, (text, {}, spec.max_rows + 1, spec), timeout)

        def release(finished: bool) -> None:
            if finished:
                self._idle.put(worker)
            else:
                self._replace(worker)

        return Answer(form, fmt, size, worker.connection, timeout, release)

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


class Answer:
    """An answer a worker is sending: its form, format and size, then its bytes by ``chunks``.

    ``close`` (or leaving a ``with`` block) hands the worker back. When the answer was not read to
    the end (the client went away, or was too slow), the rest is read and dropped first: the
    worker has it ready, and that costs far less than starting a new worker. A worker that does
    not deliver it is replaced.
    """

    def __init__(self, form: str, fmt: str, size: int, connection, timeout: float,
                 release: Callable[[bool], None]):
        self.form, self.fmt, self.size = form, fmt, size
        self._left = size
        self._connection = connection
        self._timeout = timeout
        self._release: Callable[[bool], None] | None = release

    def chunks(self) -> Iterator[bytes]:
        """The answer's bytes, a chunk at a time, as the worker sends them."""
        while self._left > 0:
            data = self._next()
            self._left -= len(data)
            yield data

    def _next(self) -> bytes:
        try:
            if not self._connection.poll(self._timeout):
                raise QueryTimeout("the query's worker stopped sending its answer")
            return self._connection.recv_bytes()
        except (EOFError, OSError):
            raise WorkerFailed("the query worker failed while sending its answer",
                               "worker gone mid-answer") from None

    def close(self) -> None:
        if self._release is None:
            return
        release, self._release = self._release, None
        try:
            while self._left > 0:
                self._left -= len(self._next())
        except QueryError:
            release(False)
        else:
            release(True)

    def __enter__(self) -> Answer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_FOREVER = 365 * 86400.0  # seconds: the one worker of a SandboxedEngine is never busy for long


class SandboxedEngine(Engine):
    """An engine in a worker process shut off from the network (``kg query`` without
    ``--allow-service``): the same check, the same engine, and no way out whatever the text says."""

    name = "sandboxed"

    def __init__(self, pool: WorkerPool):
        super().__init__()
        self._pool = pool

    @classmethod
    def start(cls, engine: str, payload: bytes, fmt: str) -> SandboxedEngine:
        return cls(WorkerPool(payload, 1, fmt=fmt, engine=engine))

    def query(self, text: str, bindings: dict[str, object] | None = None, *,
              limit: int | None = None, timeout: float | None = None,
              allow_service: bool = False) -> QueryResult:
        if allow_service:
            raise QueryRefused("SERVICE needs the network, which this engine cannot reach")
        return self._pool.run(text, bindings, limit=limit, timeout=timeout, wait=_FOREVER)

    def close(self) -> None:
        self._pool.close()
