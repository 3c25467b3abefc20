"""What the bounds of issue 13 cost: nearest-passage hints on a long record, and preferred/stable
labelling of maps made of many independent mutual attacks.

Run it from the repository::

    python benchmarks/bounds.py            # a 10 MB record; 16, 24, 40 and 400 mutual attacks
    python benchmarks/bounds.py --small    # a 1 MB record; what the test suite runs

Each time is the median of ``--repeat`` runs in this process, and each is given as a ratio to a
baseline measured in the same run on the same input:

* a nearest-passage hint (a 4,990-character quote that is not in the record, and one that is
  there with a few words changed) against ``kg.corpus.quotes.normalise`` of the record, the one pass
  over the text that loading a document costs anyway; and rapidfuzz's alignment of the whole
  quote, which is what a hint cost before (it grows with the record times the quote: minutes on
  10 MB), measured on the first 100 KB only (not with ``--small``);
* preferred and stable labelling of ``n`` independent mutual attacks against grounded labelling
  of the same map, with the peak memory Python allocated for it (tracemalloc). Before, the
  labellings of the parts were multiplied out: 2^n extensions.

It writes the ``bounds`` section of ``benchmarks/RESULTS.md`` (or ``--results FILE``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import networkx as nx
from rapidfuzz import fuzz

try:  # run as a module (tests: benchmarks.bounds) or as a script (python benchmarks/bounds.py)
    from .results_file import update_section
except ImportError:
    from results_file import update_section

from kg.argument.semantics import label_map
from kg.corpus.quotes import fold, nearest_passage, normalise

HERE = Path(__file__).resolve().parent
QUOTE_CHARS = 4_990


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def record(size: int, rng: random.Random) -> str:
    """About ``size`` characters of word-like text in lines of a paragraph each."""
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
             for _ in range(5_000)]
    lines, total = [], 0
    while total < size:
        line = " ".join(rng.choice(words) for _ in range(rng.randint(40, 120)))
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines)[:size]


def hints(size: int, before: int, repeat: int) -> list[str]:
    """Hint times on a record of ``size`` characters; the unbounded search of before on its first
    ``before`` characters only (on the whole record it would take minutes), or not at all (0)."""
    text = record(size, random.Random(13))  # noqa: S311 - reproducible text, not secrets
    missing = record(QUOTE_CHARS * 2, random.Random(14)).replace("\n", " ")[:QUOTE_CHARS]  # noqa: S311
    start = size // 2
    changed = text[start : start + QUOTE_CHARS].replace("\n", " ").replace(" the ", " a ", 1)
    changed = changed[:100] + "Security Council" + changed[116:]
    header = [f"Nearest-passage hint for a {QUOTE_CHARS:,}-character quote in a {size / 1e6:g} MB record:",
              "", "| step | median | ratio |", "|---|---|---|"]
    norm = normalise(text)
    base = median_seconds(lambda: normalise(text), repeat)
    rows = [f"| normalise the record (baseline) | {base:.3f} s | 1.0× |"]
    for name, quote in (("quote not in the record", missing), ("quote with words changed", changed)):
        seconds = median_seconds(lambda quote=quote: nearest_passage(text, quote, normalised=norm), repeat)
        rows.append(f"| nearest passage, {name} | {seconds:.3f} s | {seconds / base:.1f}× |")
    if not before:
        return [*header, *rows]
    piece = text[:before]
    piece_base = median_seconds(lambda: normalise(piece), repeat)
    whole = median_seconds(lambda: fuzz.partial_ratio_alignment(fold(missing), normalise(piece).text), 1)
    kb = f"{before / 1000:g} KB"
    rows.append(f"| before: whole-quote alignment, quote not in the first {kb} | {whole:.3f} s "
                f"| {whole / piece_base:.0f}× (of normalising those {kb}) |")
    return [*header, *rows]


def mutual_attacks(count: int) -> nx.DiGraph:
    graph = nx.DiGraph()
    for i in range(count):
        graph.add_edge(f"a{i}", f"b{i}", relation="attacks")
        graph.add_edge(f"b{i}", f"a{i}", relation="attacks")
    return graph


def peak_bytes(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def semantics(counts: list[int], repeat: int) -> list[str]:
    rows = []
    for count in counts:
        graph = mutual_attacks(count)
        base = median_seconds(lambda graph=graph: label_map(graph, "grounded"), repeat)
        for name in ("preferred", "stable"):
            seconds = median_seconds(lambda graph=graph, name=name: label_map(graph, name), repeat)
            memory = peak_bytes(lambda graph=graph, name=name: label_map(graph, name))
            extensions = graph.graph["extension_count"]
            rows.append(f"| {count} | {name} | {seconds * 1000:.1f} ms | {seconds / base:.1f}× | "
                        f"{memory / 1e6:.2f} MB | 2^{extensions.bit_length() - 1} |")
    return ["Labelling maps of n independent mutual attacks (ratio to grounded labelling of the same map):",
            "", "| n | semantics | median | ratio | peak memory | extensions (counted, not built) |",
            "|---|---|---|---|---|---|", *rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="a 1 MB record; 16 and 24 attacks")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    options = parser.parse_args(argv)
    size = 1_000_000 if options.small else 10_000_000
    counts = [16, 24] if options.small else [16, 24, 40, 400]
    command = "python benchmarks/bounds.py" + (" --small" if options.small else "")
    lines = ["## Bounds (issue 13)", "", f"`{command}`, median of {options.repeat}; "
             f"Python {sys.version.split()[0]}.", "",
             *hints(size, 0 if options.small else 100_000, options.repeat), "",
             *semantics(counts, options.repeat)]
    text = "\n".join(lines)
    print(text)
    update_section(options.results, "bounds", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
