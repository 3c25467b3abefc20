"""Load test of the SPARQL endpoint: ``kg serve`` under a fixed number of concurrent clients.

Run it from the repository::

    python benchmarks/load_endpoint.py                        # 8 clients, 400 requests
    python benchmarks/load_endpoint.py --clients 4 --requests 200 --timeout 3
    python benchmarks/load_endpoint.py --small                # 4 clients x 20 requests, 3 s limit
    python benchmarks/load_endpoint.py --data build/ilkg.ttl  # serve a built graph instead
    python benchmarks/load_endpoint.py --results benchmarks/RESULTS.md  # update the committed numbers

It starts ``kg serve`` in a subprocess on 127.0.0.1 (an ephemeral port) over the bundled corpus
(or ``--corpus DIR`` / ``--data FILE``), asks every regular query once on its own to record the
reference answer, then lets the clients loose. Each client sends its share of a fixed mix:

* cheap queries: the saved queries of ``kg/sparql/queries/`` (what scholars ask every day);
* expensive queries: whole-graph joins, paths and aggregates that still finish in well under the
  time limit;
* pathological queries (a cross product of three patterns, ``(p|!p)*`` paths over everything
  joined with each other) that cannot finish and must be stopped by the server's time limit.

The pathological queries are dealt to the first clients at staggered points of the run, so
that one is running for much of the test while the other clients keep asking. With more of them
at once than the server has workers, everything else would wait for the time limit (delayed, not
failed: the endpoint lets a request wait for a worker longer than the limit).

Every answer to a regular query is compared (as a set of rows) with its reference answer. The
server's resident memory, its query workers included, is sampled from ``/proc`` throughout. The
run stops by itself after its fixed number of requests, prints a table, writes it to the
``endpoint`` section of ``build/benchmarks/RESULTS.md`` (``--results FILE``: of that file; the
committed ``benchmarks/RESULTS.md`` only when asked) and exits 0 when the only errors were the
deliberate timeouts, 1 otherwise (2 when it could not run).

Linux only (``/proc``); needs nothing beyond the package and the standard library.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

try:  # run as a module (tests: benchmarks.load_endpoint) or as a script (python benchmarks/...)
    from .machine import describe
    from .results_file import update_section
except ImportError:
    from machine import describe
    from results_file import update_section

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = Path("build") / "benchmarks" / "RESULTS.md"  # under the current folder, as kg build's output
SECTION = "endpoint"

# A predicate no triple uses: (NONE|!NONE) is any predicate at all, so NONE-paths walk the graph.
_ANY = "(<urn:ilkg:none>|!<urn:ilkg:none>)"
EXPENSIVE = {
    "closure-then-step": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s {_ANY}* ?o . ?o ?p ?z }}",
    "three-hop-join": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?c ?d ?e . ?e ?f ?g }",
    "predicate-profile": "SELECT ?p (COUNT(*) AS ?uses) (COUNT(DISTINCT ?s) AS ?subjects) "
                         "(COUNT(DISTINCT ?o) AS ?objects) WHERE { ?s ?p ?o } GROUP BY ?p "
                         "ORDER BY DESC(?uses) ?p",
    "longest-literals": "SELECT ?s ?p (STRLEN(STR(?o)) AS ?length) WHERE { ?s ?p ?o "
                        "FILTER(isLiteral(?o)) } ORDER BY DESC(?length) ?s ?p LIMIT 20",
    # Norms a claim reaches through chains of attack and support, then up their instruments. (It
    # walked every predicate once; since rebuttals run both ways and claims carry their legal tests,
    # that closure outgrew a query's memory cap on the seed graph, which is the cap working.)
    "reachable-from-claims": "PREFIX ilk: <https://w3id.org/ilkg/ontology#> "
                             "PREFIX eli: <http://data.europa.eu/eli/ontology#> "
                             "SELECT ?o (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ilk:Claim ; "
                             "(ilk:attacks|ilk:supports)+/ilk:invokes/"
                             "(eli:is_part_of|ilk:codifiedIn|ilk:interprets)* ?o } GROUP BY ?o "
                             "ORDER BY DESC(?n) ?o LIMIT 50",
}
PATHOLOGICAL = {
    "cross-product": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "paths-over-everything": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s {_ANY}* ?o . ?x {_ANY}* ?y }}",
}
ACCEPT = "application/json"  # results in SPARQL JSON, errors as JSON objects with their kind


@dataclass
class Options:
    clients: int = 8
    requests: int = 400  # in all, pathological ones included
    pathological: int = 4
    timeout: float = 5.0  # the server's time limit per query (kg serve --timeout)
    workers: int = 2  # kg serve --workers
    corpus: Path | None = None
    data: Path | None = None
    results: Path | None = RESULTS  # where the "endpoint" section goes; None: nowhere
    json_path: Path | None = None  # the whole report, every request included, as JSON


SMALL = {"clients": 4, "requests": 80, "pathological": 2, "timeout": 3.0}


@dataclass(frozen=True)
class Job:
    name: str
    category: str  # cheap | expensive | pathological
    text: str


@dataclass
class Record:
    client: int
    name: str
    category: str
    start: float  # seconds since the load started
    end: float
    status: int  # HTTP status; 0 when no answer came
    kind: str  # "ok" or the error's kind ("timeout", "busy", ..., "connection", "wrong-answer")
    correct: bool | None = None  # a regular query's answer equals its reference answer


@dataclass
class Report:
    options: dict
    machine: dict
    duration: float
    records: list[Record] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)  # query name -> digest of its answer
    reference_seconds: dict[str, float] = field(default_factory=dict)
    rss: dict = field(default_factory=dict)

    @property
    def errors(self) -> dict[str, int]:
        """Failed requests by kind; a pathological query stopped by the time limit is not one."""
        counts: dict[str, int] = {}
        for r in self.records:
            deliberate = r.category == "pathological" and r.kind == "timeout"
            if r.kind != "ok" and not deliberate:
                counts[r.kind] = counts.get(r.kind, 0) + 1
            elif r.category == "pathological" and r.kind == "ok":
                counts["pathological-answered"] = counts.get("pathological-answered", 0) + 1
        return dict(sorted(counts.items()))

    @property
    def deliberate_timeouts(self) -> int:
        return sum(r.category == "pathological" and r.kind == "timeout" for r in self.records)

    def latency(self, category: str) -> dict[str, float]:
        """Milliseconds: count, p50, p90, p99, max over the category's requests."""
        times = sorted((r.end - r.start) * 1000 for r in self.records if r.category == category)
        if not times:
            return {"count": 0}
        return {"count": len(times), "p50": percentile(times, 50), "p90": percentile(times, 90),
                "p99": percentile(times, 99), "max": times[-1]}

    @property
    def cheap_during_pathological(self) -> int:
        """Cheap queries asked and answered while a pathological query was running."""
        slow = [(r.start, r.end) for r in self.records if r.category == "pathological"]
        return sum(any(s <= r.start and r.end <= e for s, e in slow)
                   for r in self.records if r.category == "cheap" and r.kind == "ok")

    def to_json(self) -> dict:
        data = asdict(self)
        data.update(errors=self.errors, deliberate_timeouts=self.deliberate_timeouts,
                    throughput=len(self.records) / self.duration if self.duration else 0.0,
                    latency={c: self.latency(c) for c in ("cheap", "expensive", "pathological")},
                    cheap_during_pathological=self.cheap_during_pathological)
        return data


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def canonical(body: bytes) -> str:
    """A digest of a SPARQL JSON result that ignores row order (set semantics, as the check needs)."""
    data = json.loads(body)
    if "boolean" in data:
        shape = {"boolean": data["boolean"]}
    else:
        rows = sorted(json.dumps(b, sort_keys=True) for b in data["results"]["bindings"])
        shape = {"vars": data["head"]["vars"], "rows": rows}
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()


def regular_queries() -> list[Job]:
    """The cheap (saved) and expensive queries, in a fixed order."""
    from kg.sparql.saved_queries import saved_queries

    jobs = [Job(q.name, "cheap", q.text) for q in sorted(saved_queries().values(), key=lambda q: q.name)]
    jobs += [Job(name, "expensive", text) for name, text in EXPENSIVE.items()]
    return jobs


def plan(options: Options) -> list[list[Job]]:
    """Each client's fixed list of requests: a share of the regular mix, and the pathological
    queries dealt to clients 0, 1, 2, ... at staggered points of the run (the n-th of P at
    (n + 1/2) / P of its client's list), so that they seldom run at the same time."""
    regular = regular_queries()
    slow = [Job(name, "pathological", text) for name, text in PATHOLOGICAL.items()]
    count = options.requests - options.pathological
    extra = count % options.clients  # the left-over regular requests go to the last clients, which
    shares = [count // options.clients + (i >= options.clients - extra)  # have no pathological ones
              for i in range(options.clients)]
    schedules = []
    for client, share in enumerate(shares):
        offset = client * len(regular) // options.clients  # clients do not ask in lockstep
        schedules.append([regular[(offset + i) % len(regular)] for i in range(share)])
    for n in range(options.pathological):
        jobs = schedules[n % options.clients]
        jobs.insert(int((n + 0.5) / options.pathological * len(jobs)), slow[n % len(slow)])
    return schedules


# -- the server ---------------------------------------------------------------------------------


def kg_command() -> list[str]:
    """How to run ``kg``: the script next to this Python, else the one on PATH."""
    beside = Path(sys.executable).parent / "kg"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("kg")
    if found:
        return [found]
    raise SystemExit("error: cannot find the kg command; install the package (make build)")


class ServedEndpoint:
    """``kg serve`` in a subprocess on 127.0.0.1, on a port the system picks; a context manager."""

    def __init__(self, *args: str, corpus: Path | None = None, data: Path | None = None,
                 start_timeout: float = 120.0, own_group: bool = False):
        """``own_group``: run in a process group of its own, as a terminal's foreground job, so
        that :meth:`press_ctrl_c` can signal the server and its workers as a terminal does."""
        command = [*kg_command(), "serve", "--host", "127.0.0.1", "--port", "0", *args]
        if data is not None:
            command += ["--data", str(data)]
        else:
            command += ["--corpus", str(corpus or REPO / "corpus")]
        # A file, not a pipe: a server that logs a lot must never block on a full pipe.
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by __exit__)
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.stderr,  # noqa: S603
                                        stdin=subprocess.DEVNULL, text=True, start_new_session=own_group)
        watchdog = threading.Timer(start_timeout, self.process.kill)
        watchdog.start()
        try:
            line = self.process.stdout.readline()
        finally:
            watchdog.cancel()
        if not line.startswith("SPARQL endpoint: "):
            self.stop()
            raise RuntimeError(f"kg serve did not start: {self.log().strip() or line.strip()}")
        self.url = line.split(": ", 1)[1].strip()  # http://127.0.0.1:PORT/sparql
        split = urllib.parse.urlsplit(self.url)
        self.host, self.port = split.hostname, split.port

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")

    def worker_pids(self) -> list[int]:
        """The query workers."""
        return spawned_workers(self.pid)

    def press_ctrl_c(self) -> None:
        """What Ctrl-C in a terminal does: SIGINT to every process of the group (needs ``own_group``)."""
        os.killpg(self.pid, signal.SIGINT)

    def stop(self) -> None:
        """Ctrl-C, as a person would stop it; a kill if it does not stop in time."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process.stdout:
            self.process.stdout.close()

    def __enter__(self) -> ServedEndpoint:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        self.stderr.close()


def spawned_workers(pid: int) -> list[int]:
    """The processes below ``pid`` that multiprocessing's spawn started (query or build workers)."""
    pids = []
    for child in process_tree(pid)[1:]:
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline:
            pids.append(child)
    return pids


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from /proc (the children files of each thread)."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                stack.extend(int(c) for c in children.read_text().split())
            except (OSError, ValueError):
                continue
    return found


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class RssSampler:
    """Samples the resident memory of a process tree every ``interval`` seconds, in a thread."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval = pid, interval
        self.peak_total = self.peak_server = self.peak_worker = self.samples = 0
        self.max_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        tree = process_tree(self.pid)
        sizes = [rss_kb(p) for p in tree]
        self.samples += 1
        self.max_processes = max(self.max_processes, len(tree))
        self.peak_total = max(self.peak_total, sum(sizes))
        self.peak_server = max(self.peak_server, sizes[0])
        self.peak_worker = max([self.peak_worker, *sizes[1:]])

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sample()

    def summary(self) -> dict:
        return {"peak_total_kb": self.peak_total, "peak_server_kb": self.peak_server,
                "peak_worker_kb": self.peak_worker, "max_processes": self.max_processes,
                "samples": self.samples}


# -- the clients --------------------------------------------------------------------------------


class Client:
    """One HTTP/1.1 connection (kept alive, reopened when the server closes it), one request at a time."""

    def __init__(self, host: str, port: int, timeout: float):
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def ask(self, query: str) -> tuple[int, bytes]:
        body = urllib.parse.urlencode({"query": query}).encode()
        self.connection.request("POST", "/sparql", body, {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT})
        response = self.connection.getresponse()
        data = response.read()
        if response.will_close:
            self.connection.close()
        return response.status, data

    def close(self) -> None:
        self.connection.close()


def error_kind(status: int, body: bytes) -> str:
    try:
        return str(json.loads(body)["kind"])
    except (ValueError, KeyError, TypeError):
        return f"http-{status}"


def run_client(number: int, jobs: list[Job], server: ServedEndpoint, options: Options,
               references: dict[str, str], origin: float, records: list[Record]) -> None:
    client = Client(server.host, server.port, timeout=2 * options.timeout + 60)
    try:
        for job in jobs:
            start = time.monotonic()
            try:
                status, body = client.ask(job.text)
            except (OSError, http.client.HTTPException):
                client.close()
                status, body = 0, b""
            end = time.monotonic()
            record = Record(number, job.name, job.category, start - origin, end - origin, status,
                            "ok" if status == 200 else error_kind(status, body) if status else "connection")
            if status == 200 and job.category != "pathological":
                record.correct = canonical(body) == references[job.name]
                if not record.correct:
                    record.kind = "wrong-answer"
            records.append(record)  # list.append is atomic: no lock needed
    finally:
        client.close()


def run(options: Options) -> Report:
    """Start the server, record reference answers, run the clients, stop; the report."""
    schedules = plan(options)
    report = Report(options={k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(options).items()},
                    machine=describe(REPO), duration=0.0)
    with ServedEndpoint("--timeout", f"{options.timeout:g}", "--workers", str(options.workers),
                        corpus=options.corpus, data=options.data) as server:
        reference_client = Client(server.host, server.port, timeout=2 * options.timeout + 60)
        try:
            for job in regular_queries():
                started = time.monotonic()
                status, body = reference_client.ask(job.text)
                report.reference_seconds[job.name] = time.monotonic() - started
                if status != 200:
                    raise RuntimeError(f"reference query {job.name} failed alone: {status} "
                                       f"{body[:300].decode('utf-8', 'replace')}")
                report.references[job.name] = canonical(body)
        finally:
            reference_client.close()
        records: list[Record] = []
        with RssSampler(server.pid) as sampler:
            origin = time.monotonic()
            threads = [threading.Thread(target=run_client, args=(n, jobs, server, options,
                                                                 report.references, origin, records))
                       for n, jobs in enumerate(schedules)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            report.duration = time.monotonic() - origin
        report.records = sorted(records, key=lambda r: (r.start, r.client))
        report.rss = sampler.summary()
    return report


# -- the report ---------------------------------------------------------------------------------


def markdown(report: Report) -> str:
    from kg.sparql.endpoint import EndpointConfig

    o, m, rss = report.options, report.machine, report.rss
    total = len(report.records)
    errors = report.errors
    lines = [
        "## SPARQL endpoint under load",
        "",
        f"`python benchmarks/load_endpoint.py --clients {o['clients']} --requests {o['requests']} "
        f"--pathological {o['pathological']} --timeout {o['timeout']:g} --workers {o['workers']}`: "
        f"`kg serve` on 127.0.0.1 with {o['workers']} query workers and a {o['timeout']:g} s time "
        f"limit; {o['clients']} concurrent clients (keep-alive HTTP/1.1, POST form), the saved "
        f"queries as cheap ones, whole-graph joins/paths/aggregates as expensive ones, and "
        f"{o['pathological']} pathological queries (cross product, `(p|!p)*` joined with itself) "
        "dealt to the first clients at staggered points.",
        "",
        "Machine: " + "; ".join(f"{name}: {value}" for name, value in m.items())
        + " (other work on the machine slows every number here).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| requests | {total} in {report.duration:.1f} s |",
        f"| throughput | {total / report.duration if report.duration else 0:.1f} req/s |",
        f"| deliberate timeouts (pathological, 503) | {report.deliberate_timeouts} of {o['pathological']} |",
        f"| errors | {sum(errors.values())}"
        + (" (" + ", ".join(f"{k}: {v}" for k, v in errors.items()) + ")" if errors else "") + " |",
        f"| wrong answers | {sum(r.kind == 'wrong-answer' for r in report.records)} |",
        f"| cheap queries answered while a pathological one ran | {report.cheap_during_pathological} |",
        f"| peak RSS, server + workers | {rss.get('peak_total_kb', 0) / 1024:.0f} MB "
        f"(server {rss.get('peak_server_kb', 0) / 1024:.0f} MB, largest worker "
        f"{rss.get('peak_worker_kb', 0) / 1024:.0f} MB; {rss.get('samples', 0)} samples) |",
        "",
        "| latency (ms) | count | p50 | p90 | p99 | max |",
        "|---|---|---|---|---|---|",
    ]
    for category in ("cheap", "expensive", "pathological"):
        stats = report.latency(category)
        if stats["count"]:
            lines.append(f"| {category} | {stats['count']} | {stats['p50']:.0f} | {stats['p90']:.0f} | "
                         f"{stats['p99']:.0f} | {stats['max']:.0f} |")
    lines += [
        "",
        "Latency is measured by the client, from sending the request to the last byte of the answer:",
        "it includes waiting for a free worker, so it grows with the number of clients per worker.",
        "A pathological query takes the time limit plus that wait; its worker is then killed and",
        "replaced by a new one (which loads the graph again) while the others go on answering.",
        "Every answer to a cheap or expensive query was compared with the answer the",
        "same query got alone before the run. Peak RSS is the sum over the server, its workers and",
        "multiprocessing's resource tracker, sampled every 0.1 s; each worker may grow by at most",
        f"{EndpointConfig().query_memory_mb} MB (`RLIMIT_AS`, the server's default) while answering.",
    ]
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    defaults = Options()
    parser.add_argument("--clients", type=int, default=None, help=f"concurrent clients ({defaults.clients})")
    parser.add_argument("--requests", type=int, default=None,
                        help=f"requests in all, pathological ones included ({defaults.requests})")
    parser.add_argument("--pathological", type=int, default=None,
                        help=f"pathological queries among the requests ({defaults.pathological})")
    parser.add_argument("--timeout", type=float, default=None,
                        help=f"the server's time limit per query, seconds ({defaults.timeout:g})")
    parser.add_argument("--workers", type=int, default=defaults.workers, help="kg serve --workers")
    parser.add_argument("--small", action="store_true",
                        help="a quick run: 4 clients x 20 requests, 2 pathological, 3 s limit")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--corpus", type=Path, help="serve this corpus folder (default: the bundled one)")
    source.add_argument("--data", type=Path, help="serve this built graph file instead")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="results file to update (build/benchmarks/RESULTS.md; "
                        "--results benchmarks/RESULTS.md updates the committed numbers)")
    parser.add_argument("--no-results", action="store_true", help="do not write a results file")
    parser.add_argument("--json", dest="json_path", type=Path, help="also write the full report as JSON")
    args = parser.parse_args(argv)
    chosen = dict(SMALL) if args.small else {}
    for name in ("clients", "requests", "pathological", "timeout"):
        if getattr(args, name) is not None:
            chosen[name] = getattr(args, name)
    options = Options(**chosen, workers=args.workers, corpus=args.corpus, data=args.data,
                      results=None if args.no_results else args.results, json_path=args.json_path)
    if options.clients < 1 or options.workers < 1 or options.timeout <= 0:
        parser.error("--clients, --workers and --timeout must be positive")
    if options.pathological < 0 or options.requests - options.pathological < options.clients:
        parser.error("give every client a regular request: --requests >= --clients + --pathological")
    return options


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    try:
        report = run(options)
    except (RuntimeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = markdown(report)
    print(text)
    if options.results is not None:
        update_section(options.results, SECTION, text)
        print(f"wrote the '{SECTION}' section of {options.results}")
    if options.json_path is not None:
        options.json_path.write_text(json.dumps(report.to_json(), indent=1), encoding="utf-8")
    return 0 if not report.errors else 1


if __name__ == "__main__":
    sys.exit(main())
