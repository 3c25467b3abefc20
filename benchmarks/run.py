"""Measure ilkg at scale in one run and write the results to ``build/benchmarks/RESULTS.md``.

    python benchmarks/run.py                       # 100, 1,000 and 10,000 documents
    python benchmarks/run.py --sizes 100,1000 --repeat 3
    python benchmarks/run.py --small               # the smoke test's mode, seconds
    python benchmarks/run.py --results benchmarks/RESULTS.md   # update the committed numbers

The results go under ``build/`` (ignored by git) unless ``--results`` names another file: a run
to try something out must not rewrite the committed ``benchmarks/RESULTS.md``, whose numbers the
README and the Discussion in it refer to.

What is measured (see benchmarks/README.md for each row): start-up of ``kg`` against a bare
interpreter; ``kg build`` of the seed corpus and of synthetic corpora (cold, warm, after editing
one annotation, without the SHACL cache) with wall time and peak memory; loading the built graph
and three kinds of query on Oxigraph (what ``kg query`` uses) against plain rdflib in memory.

Every number is the median of several runs, and every engine figure has its baseline measured in
the same run, so the ratios mean something on any machine even where absolute times do not. Each
measurement runs in a child process (``measure.py``): memory is then per step, and start-up and
imports count as they do for a user. Where the two engines return different answers the run
reports an error and exits 1 after writing everything it measured.

This file is run as a script, so its helpers (``measure``, ``machine``, ``tables``,
``results_file``) are imported by plain name from this folder.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import machine
import measure
import tables
import yaml
from results_file import ensure_preamble, update_section

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = Path("build") / "benchmarks" / "RESULTS.md"  # under the current folder, as kg build's output
ENGINES = ("oxigraph", "rdflib")
SHACL_ENGINES = ("pyshacl", "jena")  # kg build --shacl-engine: the baseline first
EXTENSIONS = {"nquads": ".nq", "trig": ".trig", "turtle": ".ttl", "nt": ".nt"}
BUILD_KINDS = {  # kind -> what the row says
    "cold": "build, cold: fresh output folder, nothing cached",
    "warm": "build, warm: same folder again, nothing changed",
    "edited": "build after editing one annotation (one note changed)",
    "no-cache": "build with `--no-cache` into another folder: everything checked afresh, no cache",
}
AGGREGATE = "who-invokes-counts"  # the query the speed targets are about
KG_HELP = "`kg --help`"
KG_LIST = "`kg query --list`"
KG_SERVE_HELP = "`kg serve --help`"
CLICK_FLOOR = '`python -c "import click"` (the floor click sets)'
RDFPIPE = "`rdfpipe --help` (rdflib's command line)"
TINY_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ONE_MILLION_OR_SO = 900_000  # triples from which a graph counts as the "~1M triples" of the targets
TARGETS = {"click": 1.6, "rdfpipe": 0.5, "seed_build": 2.0, "big_build": 90.0, "big_edit": 10.0,
           "big_warm": 5.0, "big_memory": 1e9, "aggregate": 1.5, "speedup": 20.0, "big_documents": 10_000}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def show(markdown: str) -> None:
    print(markdown + "\n", flush=True)


# --- command line -------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/run.py", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes",
                        help="Synthetic corpus sizes in documents [100,1000,10000; --small: 5,20].")
    parser.add_argument("--repeat", type=int, help="Runs per build and query measurement [3; --small: 1].")
    parser.add_argument("--startup-runs", type=int, help="Runs per start-up command [15; --small: 3].")
    parser.add_argument("--small", action="store_true",
                        help="A quick run for the test suite: small sizes, one repetition.")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="The markdown file whose sections are rewritten [build/benchmarks/RESULTS.md; "
                        "--results benchmarks/RESULTS.md updates the committed numbers].")
    parser.add_argument("--json", type=Path, help="Also write every sample as JSON here.")
    parser.add_argument("--workdir", type=Path,
                        help="Where corpora and graphs go (kept); default a temporary folder, removed.")
    parser.add_argument("--seed", type=int, default=1, help="Seed of `kg synth` [1].")
    parser.add_argument("--format", dest="fmt", choices=tuple(EXTENSIONS), default="nquads",
                        help="What `kg build` writes and the engines load [nquads].")
    parser.add_argument("--instrument", default="un-charter",
                        help="The instrument of the claims-under-instrument query [un-charter].")
    parser.add_argument("--baseline-max", type=int, metavar="N",
                        help="Skip the rdflib baseline above N documents [run it at every size].")
    parser.add_argument("--large", type=int, default=5000, metavar="N",
                        help="From N documents on, build and load once (not --repeat times) and take the "
                        "cold build, which has no cache, as the --no-cache build [5000].")
    parser.add_argument("--baseline-timeout", type=float, metavar="SECONDS",
                        help="Stop the rdflib baseline of one size after this long [no limit].")
    args = parser.parse_args(argv)
    small = args.small
    args.sizes = parse_sizes(args.sizes or ("5,20" if small else "100,1000,10000"), parser)
    args.repeat = args.repeat or (1 if small else 3)
    args.startup_runs = args.startup_runs or (3 if small else 15)
    if args.repeat < 1 or args.startup_runs < 1:
        parser.error("--repeat and --startup-runs must be at least 1")
    return args


def parse_sizes(text: str, parser: argparse.ArgumentParser) -> list[int]:
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        parser.error(f"--sizes {text!r}: write numbers separated by commas, e.g. 100,1000")
    if not sizes or sizes[0] < 1:
        parser.error("--sizes: at least one size, each at least 1")
    return sizes


def command_line(argv: list[str]) -> str:
    """The command as a reader would retype it, with paths of this machine left out."""
    shown, hide = [], False
    for arg in argv:
        if hide:
            shown.append("PATH")
            hide = False
            continue
        name = arg.split("=", 1)[0]
        if name in ("--results", "--json", "--workdir"):
            hide = "=" not in arg
            shown.append(f"{name}=PATH" if "=" in arg else arg)
            continue
        shown.append(arg)
    return shlex.join(["python", "benchmarks/run.py", *shown])


# --- the run ------------------------------------------------------------------------------------


class Benchmark:
    """One run: the options, the working folder, what was measured and what went wrong."""

    def __init__(self, args: argparse.Namespace, workdir: Path, argv: list[str]):
        self.args, self.workdir = args, workdir
        self.errors: list[str] = []
        self.steps = 0
        self.python = sys.executable
        self.data: dict = {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "command": command_line(argv),
            "options": {"sizes": args.sizes, "repeat": args.repeat, "startup_runs": args.startup_runs,
                        "format": args.fmt, "seed": args.seed, "instrument": args.instrument,
                        "baseline_max": args.baseline_max, "baseline_timeout": args.baseline_timeout},
            "machine": machine.describe(REPO),
            "startup": {}, "corpora": [], "errors": self.errors,
        }

    # --- running commands

    def kg(self, *args: object) -> list[str]:
        """The installed ``kg`` command, as a user runs it."""
        script = Path(self.python).with_name("kg")
        found = str(script) if script.is_file() else shutil.which("kg")
        if found:
            return [found, *map(str, args)]
        return [self.python, "-c", "import sys; from kg.cli import cli; sys.exit(cli())", *map(str, args)]

    def rdfpipe(self) -> list[str]:
        """rdflib's own command line, installed beside ``kg`` (a yardstick for start-up)."""
        script = Path(self.python).with_name("rdfpipe")
        return [str(script) if script.is_file() else shutil.which("rdfpipe") or "rdfpipe", "--help"]

    def run(self, argv: list[str], what: str, *, timeout: float | None = None,
            sample_tree: bool = True) -> measure.Run:
        self.steps += 1
        result = measure.run(argv, cwd=self.workdir, timeout=timeout, sample_tree=sample_tree,
                             scratch=self.workdir / "logs" / f"{self.steps:04d}")
        if not result.ok:
            self.errors.append(f"{what}: {result.failure()}")
        return result

    # --- start-up

    def startup(self, seed_graph: Path | None) -> None:
        commands = [
            ("`python -c pass` (baseline)", [self.python, "-c", "pass"]),
            (CLICK_FLOOR, [self.python, "-c", "import click"]),
            (RDFPIPE, self.rdfpipe()),
            (KG_HELP, self.kg("--help")),
            (KG_LIST, self.kg("query", "--list")),
            (KG_SERVE_HELP, self.kg("serve", "--help")),
        ]
        if seed_graph is not None:
            commands.append(("`kg query -e 'SELECT (COUNT(*) …' --data` on the seed graph",
                             self.kg("query", "-e", TINY_QUERY, "--data", seed_graph, "-f", "csv")))
        runs = self.args.startup_runs
        log(f"start-up: {len(commands)} commands, {runs} runs each (interleaved)")
        samples: dict[str, list[float]] = {name: [] for name, _ in commands}
        for round_ in range(runs + 1):  # round 0 warms the file cache and writes .pyc files
            for name, argv in commands:
                result = self.run(argv, f"start-up {name}", sample_tree=False)
                if round_ and result.ok:
                    samples[name].append(result.wall)
        baseline = commands[0][0]
        self.data["startup"] = {
            "runs": runs, "baseline": baseline,
            "commands": [{"name": name, "samples": samples[name], "median": median_or_none(samples[name]),
                          "ratio": ratio_of(samples[name], samples[baseline])} for name, _ in commands],
        }
        show(startup_table(self.data["startup"]))

    # --- building

    def corpus(self, label: str, documents: int | None) -> dict:
        """Copy the seed corpus (``documents`` None) or synthesize one; then build and query it."""
        record: dict = {"label": label, "documents": documents, "synthesize": None, "builds": {},
                        "engines": {}}
        self.data["corpora"].append(record)
        folder = self.workdir / f"corpus-{label}"
        shutil.rmtree(folder, ignore_errors=True)
        if documents is None:
            shutil.copytree(self.args.seed_corpus, folder)
        else:
            log(f"{label}: synthesizing {documents} documents")
            made = self.run(self.kg("synth", "--documents", documents, "--seed", self.args.seed, "-o", folder,
                                    "--quiet"), f"kg synth --documents {documents}")
            if not made.ok:
                return record
            record["synthesize"] = made.wall
        graph = self.builds(record, folder)
        if graph is not None:
            if not self.args.small or documents == self.args.sizes[-1]:
                self.shacl_engines(record, folder)
            self.engines(record, graph)
        show(corpus_tables(record))
        return record

    def builds(self, record: dict, corpus: Path) -> Path | None:
        """Cold builds into fresh folders; then warm, edited and --no-cache builds into the last."""
        label, large = record["label"], self.large(record)
        repeat = 1 if large else self.args.repeat
        name = "graph" + EXTENSIONS[self.args.fmt]
        kept = self.workdir / f"build-{label}"
        shutil.rmtree(kept, ignore_errors=True)
        fresh = self.workdir / f"build-{label}-no-cache"
        for kind in BUILD_KINDS:
            runs = []
            for i in range(repeat):
                if kind == "cold":
                    folder = self.workdir / f"build-{label}-cold-{i}"
                    shutil.rmtree(folder, ignore_errors=True)
                elif kind == "no-cache":  # beside the kept output: the two must hold the same bytes
                    folder = fresh
                else:
                    folder = kept
                if kind == "edited":
                    edit_one_annotation(corpus, i)
                log(f"{label}: kg build, {kind} ({i + 1}/{repeat})")
                flags = ["--no-cache"] if kind == "no-cache" else []
                result = self.run(self.kg("build", "--corpus", corpus, "-o", folder / name, "--format",
                                          self.args.fmt, "--quiet", *flags), f"{label}: kg build ({kind})")
                if not result.ok:
                    return None
                runs.append(build_sample(result, self.errors, f"{label}: kg build ({kind})"))
                if kind == "cold":
                    if i == repeat - 1:
                        folder.rename(kept)
                    else:
                        shutil.rmtree(folder)
            record["builds"][kind] = summarize_builds(runs)
        record["identical"] = (kept / name).read_bytes() == (fresh / name).read_bytes()
        if not record["identical"]:
            self.errors.append(f"{label}: the cached build and the --no-cache build of the same "
                               "corpus wrote different bytes")
        shutil.rmtree(fresh, ignore_errors=True)
        cold = record["builds"]["cold"]
        record["triples"], record["claims"] = cold["triples"], cold["claims"]
        if record["documents"] is None:
            record["documents"] = cold["documents"]
        return kept / name

    def shacl_engines(self, record: dict, corpus: Path) -> None:
        """Cold builds with each SHACL engine forced (``--shacl-engine``); Jena only if installed."""
        from kg.graph.shacl_jena import missing

        repeat = 1 if self.large(record) else self.args.repeat
        name = "graph" + EXTENSIONS[self.args.fmt]
        record["shacl_engines"] = {}
        for engine in SHACL_ENGINES:
            if engine == "jena" and (reason := missing()) is not None:
                record["shacl_engines"][engine] = {"status": f"not run: {reason}"}
                continue
            runs = []
            for i in range(repeat):
                folder = self.workdir / f"build-{record['label']}-{engine}-{i}"
                shutil.rmtree(folder, ignore_errors=True)
                log(f"{record['label']}: kg build, cold, --shacl-engine {engine} ({i + 1}/{repeat})")
                what = f"{record['label']}: kg build --shacl-engine {engine}"
                result = self.run(self.kg("build", "--corpus", corpus, "-o", folder / name, "--format",
                                          self.args.fmt, "--quiet", "--shacl-engine", engine), what)
                shutil.rmtree(folder, ignore_errors=True)
                if not result.ok:
                    break
                runs.append(build_sample(result, self.errors, what))
            if runs:
                record["shacl_engines"][engine] = summarize_builds(runs)

    def large(self, record: dict) -> bool:
        """A size where each build takes minutes: built once (see --large)."""
        return (record["documents"] or 0) >= self.args.large

    # --- engines

    def engines(self, record: dict, graph: Path) -> None:
        queries = benchmark_queries(self.args.instrument)
        record["queries"] = {q["name"]: q["label"] for q in queries}
        for engine in ENGINES:
            most = self.args.baseline_max
            if engine == "rdflib" and most is not None and (record["documents"] or 0) > most:
                record["engines"][engine] = {"status": f"not run (above --baseline-max {most})"}
                continue
            log(f"{record['label']}: loading and querying with {engine}")
            spec = self.workdir / f"spec-{record['label']}-{engine}.json"
            loads = 1 if self.large(record) else self.args.repeat
            spec.write_text(json.dumps({"engine": engine, "data": str(graph), "loads": loads,
                                        "repeat": self.args.repeat, "queries": queries}), "utf-8")
            timeout = self.args.baseline_timeout if engine == "rdflib" else None
            result = self.run([self.python, str(HERE / "engine_worker.py"), str(spec)],
                              f"{record['label']}: {engine}", timeout=timeout)
            record["engines"][engine] = read_worker(result, timeout)
        self.compare(record)

    def compare(self, record: dict) -> None:
        """Both engines must give the same answers (row counts and, sorted, the rows themselves)."""
        ran = [e for e in ENGINES if "queries" in record["engines"].get(e, {})]
        if len(ran) < 2:
            return
        first, second = (record["engines"][e] for e in ran)
        if first["quads"] != second["quads"]:
            self.errors.append(f"{record['label']}: oxigraph loaded {first['quads']} quads, "
                               f"rdflib {second['quads']}")
        for name in record["queries"]:
            a, b = first["queries"].get(name), second["queries"].get(name)
            if a is None or b is None:
                continue
            a["agree"] = b["agree"] = a["rows"] == b["rows"] and a["digest"] == b["digest"]
            if not a["agree"]:
                self.errors.append(f"{record['label']}: query {name}: oxigraph gives {a['rows']} rows, "
                                   f"rdflib {b['rows']}" + (" with other contents" if a["rows"] == b["rows"]
                                                            else ""))


# --- helpers of the steps -----------------------------------------------------------------------


def median_or_none(values: list[float]) -> float | None:
    return measure.median(values) if values else None


def ratio_of(values: list[float], baseline: list[float]) -> float | None:
    if not values or not baseline:
        return None
    return measure.median(values) / measure.median(baseline)


def edit_one_annotation(corpus: Path, round_: int) -> None:
    """Change the note of the first claim of the first annotation file, as an annotator would."""
    files = sorted((corpus / "annotations").glob("*.yaml"))
    if not files:
        raise SystemExit(f"error: {corpus}/annotations has no .yaml file to edit")
    path = files[0]
    content = yaml.safe_load(path.read_text("utf-8"))
    note = f"Benchmark edit {round_ + 1}: only this note changed since the last build."
    content["claims"][0]["note"] = note
    path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=100), "utf-8")


_TRIPLES = re.compile(r"\((\d[\d,]*) triples")
_CLAIMS = re.compile(r"(\d[\d,]*) claims")
_DOCUMENTS = re.compile(r"(\d[\d,]*) documents")
_CHECKED = re.compile(r"\((\d+) (?:units )?checked, (\d+) unchanged")


def build_sample(result: measure.Run, errors: list[str], what: str) -> dict:
    """The numbers of one ``kg build`` from its measurement and its summary lines."""

    def number(pattern: re.Pattern) -> int | None:
        match = pattern.search(result.stdout)
        return int(match.group(1).replace(",", "")) if match else None

    sample = {"wall": result.wall, "max_rss": result.max_rss, "tree_peak": result.tree_peak,
              "triples": number(_TRIPLES), "claims": number(_CLAIMS), "documents": number(_DOCUMENTS)}
    if None in (sample["triples"], sample["claims"], sample["documents"]):
        errors.append(f"{what}: cannot read triples, claims and documents from its output: {result.stdout!r}")
    checked = _CHECKED.search(result.stdout)
    if checked:
        sample["validated"] = int(checked.group(1))
    elif "SHACL: conforms" in result.stdout and sample["documents"] is not None:
        sample["validated"] = sample["documents"] + 1  # every document and the shared unit
    else:
        sample["validated"] = None
    return sample


def summarize_builds(runs: list[dict]) -> dict:
    peaks = [r["tree_peak"] for r in runs if r["tree_peak"] is not None]
    return {
        "samples": [r["wall"] for r in runs], "median": measure.median([r["wall"] for r in runs]),
        "max_rss": max(r["max_rss"] for r in runs), "tree_peak": max(peaks) if peaks else None,
        "validated": runs[-1]["validated"], "triples": runs[-1]["triples"], "claims": runs[-1]["claims"],
        "documents": runs[-1]["documents"],
    }


def benchmark_queries(instrument: str) -> list[dict]:
    """The queries both engines run: text, bindings as IRIs, and the label of the table row."""
    from kg.sparql.saved_queries import bind_params, saved_queries

    saved = saved_queries()
    under = saved["claims-under-instrument"]
    bindings = {k: str(v) for k, v in bind_params(under, [f"instrument={instrument}"]).items()}
    own = HERE / "queries"
    return [
        {"name": "who-invokes-counts", "bindings": {},
         "label": "who invokes what against whom: aggregate (GROUP BY, COUNT)",
         "text": (own / "who-invokes-counts.rq").read_text("utf-8")},
        {"name": "who-invokes-what-against-whom", "bindings": {},
         "label": "who invokes what against whom: the saved query, every row",
         "text": saved["who-invokes-what-against-whom"].text},
        {"name": "claims-under-instrument", "bindings": bindings,
         "label": f"claims under `{instrument}` (`eli:is_part_of*`), the saved query",
         "text": under.text},
        {"name": "attack-chains", "bindings": {},
         "label": "attackers of each claim through chains (`ilk:attacks+`)",
         "text": (own / "attack-chains.rq").read_text("utf-8")},
    ]


def read_worker(result: measure.Run, timeout: float | None) -> dict:
    """What an engine worker reported, even when it stopped part-way."""
    record: dict = {"load": [], "queries": {}, "max_rss": result.max_rss, "tree_peak": result.tree_peak}
    for line in result.stdout.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event["event"] == "load":
            record["load"].append(event["seconds"])
        elif event["event"] == "size":
            record["quads"] = event["quads"]
        elif event["event"] == "query":
            record["queries"][event["name"]] = {k: event[k] for k in ("seconds", "rows", "digest")}
            record["queries"][event["name"]]["median"] = measure.median(event["seconds"])
    if result.timed_out:
        record["status"] = f"stopped after {timeout:g} s (--baseline-timeout)"
    elif result.returncode:
        record["status"] = f"failed (exit code {result.returncode})"
    else:
        record["status"] = "ok"
    if record["load"]:
        record["load_median"] = measure.median(record["load"])
    return record


# --- tables -------------------------------------------------------------------------------------


KG_COMMANDS = (KG_HELP, KG_LIST, KG_SERVE_HELP)  # the start-up targets hold for each


def startup_table(startup: dict) -> str:
    commands = {command["name"]: command for command in startup["commands"]}
    rows = []
    for command in startup["commands"]:
        versus = target = met = ""
        if command["name"] in KG_COMMANDS:
            click, pipe = (startup_ratio(commands, command["name"], other)
                           for other in (CLICK_FLOOR, RDFPIPE))
            versus = f"{tables.ratio(click)} click, {tables.ratio(pipe)} rdfpipe"
            target = f"≤ {TARGETS['click']:g}× click, ≤ {TARGETS['rdfpipe']:g}× rdfpipe"
            met = tables.met(None if click is None or pipe is None
                             else click <= TARGETS["click"] and pipe <= TARGETS["rdfpipe"])
        rows.append([command["name"], tables.millis(command["median"]) if command["median"] else "–",
                     tables.ratio(command["ratio"]), versus, target, met])
    return tables.table(["command", "median (ms)", "× baseline", "× yardsticks", "target", "met?"], rows)


def startup_ratio(commands: dict, name: str, other: str) -> float | None:
    """``name``'s median start-up over ``other``'s, both measured in the same interleaved rounds."""
    mine, theirs = commands.get(name), commands.get(other)
    if not mine or not theirs or not mine["median"] or not theirs["median"]:
        return None
    return mine["median"] / theirs["median"]


def build_table(corpora: list[dict]) -> str:
    def builds(kind: str, key: str = "median") -> list[object]:
        return [corpus["builds"].get(kind, {}).get(key) for corpus in corpora]

    headers = ["", *[column_name(corpus) for corpus in corpora]]
    rows: list[list[object]] = [
        ["documents", *[tables.count(c["documents"]) for c in corpora]],
        ["claims", *[tables.count(c.get("claims")) for c in corpora]],
        ["triples written (quads for N-Quads/TriG)", *[tables.count(c.get("triples")) for c in corpora]],
        ["`kg synth` (s), not part of the build", *[tables.seconds(c["synthesize"]) if c["synthesize"]
                                                    else "bundled" for c in corpora]],
    ]
    for kind, label in BUILD_KINDS.items():
        rows.append([f"{label} (s)",
                     *[tables.seconds(c["builds"].get(kind, {}).get("median")) for c in corpora]])
    rows.append(["units SHACL-validated: cold / warm / edited / --no-cache",
                 *[" / ".join("?" if v is None else str(v) for v in
                              (c["builds"].get(k, {}).get("validated") for k in BUILD_KINDS))
                   for c in corpora]])
    rows.append(["cached and --no-cache builds wrote the same bytes",
                 *[{True: "yes", False: "**no**"}.get(c.get("identical"), "–") for c in corpora]])
    rows.append(["peak memory of a cold build, process tree, PSS (MB)",
                 *[tables.megabytes(v) for v in builds("cold", "tree_peak")]])
    rows += shacl_engine_rows(corpora)
    rows.append(["peak memory of a cold build, largest process, RSS (MB)",
                 *[tables.megabytes(v) for v in builds("cold", "max_rss")]])
    return tables.table(headers, rows)


def shacl_engine_rows(corpora: list[dict]) -> list[list[object]]:
    """Cold builds with each ``--shacl-engine``, and Jena's time as a ratio of pySHACL's."""
    def engine(corpus: dict, name: str) -> dict:
        return corpus.get("shacl_engines", {}).get(name, {})

    rows: list[list[object]] = []
    for name in SHACL_ENGINES:
        rows.append([f"build, cold, `--shacl-engine {name}` (s)",
                     *[tables.seconds(engine(c, name)["median"]) if "median" in engine(c, name)
                       else ("not installed" if "status" in engine(c, name) else "–") for c in corpora]])
    rows.append(["peak memory of a cold build with `--shacl-engine jena`, process tree, PSS (MB)",
                 *[tables.megabytes(engine(c, "jena").get("tree_peak")) for c in corpora]])
    rows.append(["cold build with Jena / with pySHACL",
                 *[tables.ratio(ratio_of(engine(c, "jena").get("samples", []),
                                         engine(c, "pyshacl").get("samples", []))) for c in corpora]])
    return rows


def column_name(corpus: dict) -> str:
    return "seed corpus" if corpus["label"] == "seed" else f"{corpus['documents']:,} documents"


def query_table(corpora: list[dict]) -> str:
    rows = []
    for corpus in corpora:
        engines = corpus["engines"]
        if not engines:
            continue
        ox, rd = engines.get("oxigraph", {}), engines.get("rdflib", {})
        size = f"{column_name(corpus)}, {tables.count(corpus.get('triples'))} triples"
        if rd.get("status", "ok") != "ok":
            size += f"; rdflib: {rd['status']}"
        if ox.get("status", "ok") != "ok":
            size += f"; oxigraph: {ox['status']}"
        rows.append([size, "load the built file", tables.seconds(ox.get("load_median")),
                     tables.seconds(rd.get("load_median")),
                     tables.ratio(divide(rd.get("load_median"), ox.get("load_median"))),
                     f"{tables.count(ox.get('quads'))} / {tables.count(rd.get('quads'))} quads", ""])
        for name, label in corpus.get("queries", {}).items():
            a, b = ox.get("queries", {}).get(name, {}), rd.get("queries", {}).get(name, {})
            agree = a.get("agree")
            rows.append(["", label, tables.seconds(a.get("median")), tables.seconds(b.get("median")),
                         tables.ratio(divide(b.get("median"), a.get("median"))),
                         f"{tables.count(a.get('rows'))} / {tables.count(b.get('rows'))}",
                         {True: "yes", False: "**NO**", None: "–"}[agree]])
        rows.append(["", "peak memory of the process (RSS, MB)", tables.megabytes(ox.get("max_rss")),
                     tables.megabytes(rd.get("max_rss")), "", "", ""])
    return tables.table(["graph", "step", "oxigraph (s)", "rdflib (s)", "rdflib ÷ oxigraph",
                         "rows: oxigraph / rdflib", "same answer?"], rows)


def corpus_tables(record: dict) -> str:
    return build_table([record]) + "\n\n" + query_table([record])


def divide(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


# --- targets ------------------------------------------------------------------------------------


def targets(data: dict) -> list[dict]:
    """target, measured, met (True, False or None = not measured here) and the facts behind it."""
    commands = {c["name"]: c for c in data["startup"].get("commands", [])}
    seed = next((c for c in data["corpora"] if c["label"] == "seed"), None)
    synthetic = [c for c in data["corpora"] if c["label"] != "seed" and c["builds"].get("cold")]
    return [*startup_targets(commands), seed_target(seed), *big_build_targets(synthetic),
            aggregate_target(synthetic), speedup_target(synthetic)]


def startup_targets(commands: dict) -> list[dict]:
    found = []
    for name in KG_COMMANDS:
        click, pipe = (startup_ratio(commands, name, other) for other in (CLICK_FLOOR, RDFPIPE))
        found.append({"target": f"{name} start-up ≤ {TARGETS['click']:g}× `import click` and "
                                f"≤ {TARGETS['rdfpipe']:g}× `rdfpipe --help`",
                      "measured": f"{tables.ratio(click)} click, {tables.ratio(pipe)} rdfpipe",
                      "met": None if click is None or pipe is None
                      else click <= TARGETS["click"] and pipe <= TARGETS["rdfpipe"], "why": ""})
    return found


def seed_target(seed: dict | None) -> dict:
    cold = seed["builds"].get("cold", {}).get("median") if seed else None
    return {"target": f"seed corpus `kg build` under {TARGETS['seed_build']:g} s wall, cold, "
                      "with SHACL validation",
            "measured": f"{tables.seconds(cold)} s" if cold else "–",
            "met": None if cold is None else cold < TARGETS["seed_build"], "why": ""}


def big_build_targets(synthetic: list[dict]) -> list[dict]:
    size = TARGETS["big_documents"]
    big = next((c for c in synthetic if c["documents"] == size), None)
    not_run = "not run (sizes run: " + ", ".join(f"{c['documents']:,}" for c in synthetic) + ")"

    def timed(kind: str, limit: float, what: str) -> dict:
        wall = big["builds"].get(kind, {}).get("median") if big else None
        return {"target": f"{size:,} documents: {what} ≤ {limit:g} s",
                "measured": f"{tables.seconds(wall)} s" if wall else not_run,
                "met": None if wall is None else wall <= limit,
                "why": engine_fact(big) if kind == "cold" else ""}

    cold = big["builds"]["cold"] if big else None
    peak = max(cold["tree_peak"] or 0, cold["max_rss"]) if cold else None  # the larger, to be safe
    identical = big.get("identical") if big else None
    return [
        timed("cold", TARGETS["big_build"], "cold build"),
        timed("edited", TARGETS["big_edit"], "rebuild after editing one annotation"),
        timed("warm", TARGETS["big_warm"], "rebuild with nothing changed"),
        {"target": f"{size:,} documents: peak memory of all the build's processes ≤ 1 GB (the larger "
                   "of the two memory rows of the build table)",
         "measured": f"{tables.megabytes(peak)} MB" if peak else not_run,
         "met": None if peak is None else peak <= TARGETS["big_memory"], "why": ""},
        {"target": f"{size:,} documents: the cached build writes the bytes of a build without cache",
         "measured": {True: "same bytes", False: "different bytes"}.get(identical, not_run),
         "met": identical, "why": ""},
    ]


def engine_fact(corpus: dict | None) -> str:
    """The cold build's time with each SHACL engine forced, when both ran."""
    engines = (corpus or {}).get("shacl_engines", {})
    walls = {name: engines.get(name, {}).get("median") for name in SHACL_ENGINES}
    if None in walls.values():
        return ""
    return "cold with " + ", ".join(f"--shacl-engine {name}: {tables.seconds(wall)} s"
                                    for name, wall in walls.items())


def engine_median(corpus: dict, engine: str, query: str) -> float | None:
    return corpus["engines"].get(engine, {}).get("queries", {}).get(query, {}).get("median")


def largest(corpora: list[dict], engine: str) -> dict | None:
    """The corpus with the most triples on which ``engine`` ran the aggregate query."""
    ran = [c for c in corpora if engine_median(c, engine, AGGREGATE) is not None]
    return max(ran, key=lambda c: c["triples"] or 0, default=None)


def aggregate_target(synthetic: list[dict]) -> dict:
    corpus = largest(synthetic, "oxigraph")
    value = engine_median(corpus, "oxigraph", AGGREGATE) if corpus else None
    return at_scale(f"aggregate query (who invokes what against whom) within {TARGETS['aggregate']:g} s "
                    "at ~1M triples, Oxigraph", corpus, value, f"{tables.seconds(value)} s",
                    value is not None and value <= TARGETS["aggregate"])


def speedup_target(synthetic: list[dict]) -> dict:
    corpus = largest(synthetic, "rdflib")
    value = divide(engine_median(corpus, "rdflib", AGGREGATE),
                   engine_median(corpus, "oxigraph", AGGREGATE)) if corpus else None
    return at_scale(f"aggregate query at least {TARGETS['speedup']:g}× faster than plain rdflib, same run",
                    corpus, value, tables.ratio(value), value is not None and value >= TARGETS["speedup"])


def at_scale(target: str, corpus: dict | None, value: float | None, shown: str, ok: bool) -> dict:
    """A query target, judged only on a graph of about a million triples or more."""
    if corpus is None or value is None:
        return {"target": target, "measured": "–", "met": None, "why": ""}
    measured = f"{shown} at {corpus['documents']:,} documents ({tables.count(corpus['triples'])} triples)"
    if (corpus["triples"] or 0) < ONE_MILLION_OR_SO:
        return {"target": target, "measured": measured, "met": None,
                "why": "graph smaller than ~1M triples: the target is not judged on it"}
    return {"target": target, "measured": measured, "met": ok, "why": ""}


def targets_section(data: dict) -> str:
    rows = [[t["target"], t["measured"], tables.met(t["met"]),
             "; ".join(filter(None, [t["why"], "see Discussion" if t["met"] is False else ""]))]
            for t in data["targets"]]
    text = ["## Targets", "", tables.table(["target", "measured", "met?", "why / context"], rows), "",
            "Targets about ~1M triples are judged only on graphs of at least "
            f"{ONE_MILLION_OR_SO:,} triples; smaller runs show the value without a verdict."]
    if data["errors"]:
        text += ["", "### Errors in this run", ""] + [f"- {error}" for error in data["errors"]]
    return "\n".join(text)


# --- the results file ---------------------------------------------------------------------------

HEADER = """# Benchmark results

Written by the scripts in `benchmarks/` (`run.py`: build, start-up and queries; see
benchmarks/README.md). Each script rewrites only the text between its own `<!-- begin … -->` and
`<!-- end … -->` markers; anything else in this file, such as the Discussion at the end, is kept
across runs.
"""

DISCUSSION = """## Discussion

Written by hand: why a target was missed, and what the numbers mean.
"""


def machine_section(data: dict) -> str:
    options = data["options"]
    lines = ["## Machine and run", "", f"- date: {data['date']}", f"- command: `{data['command']}`",
             f"- sizes: {', '.join(f'{n:,}' for n in options['sizes'])} documents; "
             f"{options['repeat']} run(s) per build and query, {options['startup_runs']} per start-up "
             "command; medians throughout",
             f"- built format: {options['format']}; `kg synth` seed {options['seed']}"]
    lines += [f"- {name}: {value}" for name, value in data["machine"].items()]
    return "\n".join(lines)


def write_results(path: Path, data: dict) -> None:
    ensure_preamble(path, HEADER)
    update_section(path, "machine", machine_section(data))
    update_section(path, "targets", targets_section(data))
    update_section(path, "startup", "## Start-up\n\nWall time of each command from fork to exit, "
                   f"median of {data['startup'].get('runs', 0)} interleaved runs.\n\n"
                   + startup_table(data["startup"]))
    update_section(path, "build", "## Build\n\nMedians of wall time; memory is the largest of the runs. "
                   "Each column is one corpus.\n\n" + build_table(data["corpora"]))
    update_section(path, "queries", "## Load and queries\n\nMedians; Oxigraph through `kg.sparql.engines` as "
                   "`kg query` runs it, rdflib as a plain in-memory `Dataset` with the same query text "
                   "and bindings. \"same answer\" compares the sorted rows of both engines.\n\n"
                   + query_table(data["corpora"]))
    if "## Discussion" not in path.read_text("utf-8"):
        with path.open("a", encoding="utf-8") as stream:
            stream.write("\n" + DISCUSSION)


# --- main ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    args.seed_corpus = REPO / "corpus"
    temporary = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="ilkg-bench-")) if temporary else args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    bench = Benchmark(args, workdir, argv)
    try:
        seed = bench.corpus("seed", None)
        seed_graph = workdir / f"build-seed/graph{EXTENSIONS[args.fmt]}"
        bench.startup(seed_graph if seed["builds"] else None)
        for size in args.sizes:
            bench.corpus(str(size), size)
    finally:
        data = bench.data
        data["machine"]["load average at end (1, 5, 15 min)"] = machine.load_average()
        data["targets"] = targets(data)
        write_results(args.results, data)
        if args.json:
            args.json.write_text(json.dumps(data, indent=1, default=str), "utf-8")
        if temporary:
            shutil.rmtree(workdir, ignore_errors=True)
    show(targets_section(data))
    log(f"results written to {args.results}")
    if bench.errors:
        log(f"{len(bench.errors)} error(s) in this run; see the Errors list above")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
