"""Measure the page of ``kg render`` at scale: how long it takes to write, and to become usable.

    python benchmarks/render.py                     # a synthetic corpus of 1,000 documents
    python benchmarks/render.py --documents 200
    python benchmarks/render.py --corpus DIR        # a corpus you already have
    python benchmarks/render.py --small             # the smoke test's mode: ~50 documents, seconds

"Usable" is what a student needs: the page has drawn its first view (the script sets
``data-ready`` on <body> and the canvas has been painted once after that) and a filter answers
(choosing an actor in the filter until the network has drawn what it lets through). The page is
opened from file:// in Debian's Chromium, headless, through Playwright; no browser is downloaded.

Every figure has a baseline measured in the same run, the seed corpus's page, so that the ratios
mean something on any machine even where the seconds do not. Results go to stdout as JSON (and to
``--json FILE``); the issue's target is "usable within 5 s" at 1,000 documents.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")  # Debian's package; never downloaded
SMALL_DOCUMENTS = 50
TARGET_SECONDS = 5.0

# Resolves once the browser has painted two frames: the one in progress and the next.
PAINTED = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())))"

# Choose the actor who appears in most claims in the filter; the time until the network has redrawn.
FILTER = """async () => {
  const select = document.getElementById("filter-actor");
  const value = select.options.length > 1 ? select.options[1].value : "";
  const start = performance.now();
  select.value = value;
  select.dispatchEvent(new Event("change"));
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  const ms = performance.now() - start;
  return { ms, value, status: document.getElementById("status").textContent };
}"""

# What the page shows once it is ready: nodes the network draws and the status line.
SHOWN = """() => ({
  drawn: ilkg.network.body.nodeIndices.length,
  status: document.getElementById("status").textContent,
})"""


def kg(*args: str) -> list[str]:
    """The command line of ``kg`` from the interpreter running this script."""
    return [str(Path(sys.executable).parent / "kg"), *args]


def timed(command: list[str]) -> float:
    """Run ``command`` and return its wall time; a failure stops the benchmark with its message."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 our own kg
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    return seconds


def open_page(browser, page_file: Path, timeout_s: float) -> dict:
    """Open ``page_file`` in a fresh page; the seconds until it is drawn and until a filter answers."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        start = time.perf_counter()
        page.goto(page_file.resolve().as_uri(), wait_until="load", timeout=timeout_s * 1000)
        page.wait_for_selector("body[data-ready=true]", timeout=timeout_s * 1000)
        page.evaluate(PAINTED)
        drawn = time.perf_counter() - start
        shown = page.evaluate(SHOWN)
        answer = page.evaluate(FILTER)
        usable = time.perf_counter() - start
    finally:
        context.close()
    if errors:
        raise SystemExit(f"{page_file}: the page raised {errors[0]}")
    return {"drawn_s": round(drawn, 3), "filter_s": round(answer["ms"] / 1000, 3),
            "usable_s": round(usable, 3), "nodes_drawn": shown["drawn"], "status": shown["status"],
            "filtered_status": answer["status"]}


def measure(name: str, corpus: Path | None, out: Path, browser, timeout_s: float) -> dict:
    """Write the page of ``corpus`` (the seed corpus if None) and open it."""
    page_file = out / f"{name}.html"
    command = kg("render", "-o", str(page_file), "--corpus", str(corpus or REPO / "corpus"))
    render_s = timed(command)
    result = {"name": name, "render_s": round(render_s, 3),
              "page_mb": round(page_file.stat().st_size / 1e6, 2)}
    result.update(open_page(browser, page_file, timeout_s))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000, help="size of the synthetic corpus")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, help="measure this corpus instead of a synthetic one")
    parser.add_argument("--small", action="store_true", help=f"{SMALL_DOCUMENTS} documents (smoke test)")
    parser.add_argument("--workdir", type=Path, help="where to put the corpus and pages (default: temp)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--timeout", type=float, default=120.0, help="give up on a page after this many s")
    args = parser.parse_args(argv)
    documents = SMALL_DOCUMENTS if args.small else args.documents

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kg-render-bench-") as scratch:
        out = args.workdir or Path(scratch)
        out.mkdir(parents=True, exist_ok=True)
        corpus = args.corpus
        if corpus is None:
            corpus = out / f"corpus-{documents}"
            if not corpus.exists():
                timed(kg("synth", "--documents", str(documents), "--seed", str(args.seed), "-o", str(corpus)))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
            try:
                baseline = measure("seed", None, out, browser, args.timeout)
                large = measure(f"synthetic-{documents}" if args.corpus is None else "corpus", corpus, out,
                                browser, args.timeout)
            finally:
                browser.close()
    ratios = {key: round(large[key] / baseline[key], 2) if baseline[key] else None
              for key in ("render_s", "page_mb", "drawn_s", "filter_s", "usable_s")}
    report = {"baseline": baseline, "measured": large, "ratio_to_baseline": ratios,
              "target_usable_s": TARGET_SECONDS, "usable_within_target": large["usable_s"] <= TARGET_SECONDS}
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
