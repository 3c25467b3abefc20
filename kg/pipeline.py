"""The operations the CLI offers, as library functions: build, validate, stats.

Each runs the whole flow of DESIGN.md — load and check the corpus, build the graph, validate it
with SHACL — and only ``build`` writes, once, atomically, after everything passed. They return
reports and raise :class:`~kg.errors.KgError`; they never print.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .builder import BuiltGraph, build_graph
from .corpus import load_corpus
from .errors import SetupError
from .formats import FORMATS
from .models import Corpus
from .output import write_atomic
from .stats import Stats, corpus_stats
from .validation import validate_graph

DEFAULT_CORPUS = Path("corpus")
DEFAULT_OUTPUT_DIR = Path("build")


@dataclass(frozen=True)
class BuildReport:
    output: Path | None  # None when nothing was written (validate)
    format: str
    triples: int
    stats: Stats
    build_iri: str


def default_output(fmt: str) -> Path:
    return DEFAULT_OUTPUT_DIR / f"ilkg{FORMATS[fmt].extension}"


def compile_corpus(corpus_dir: Path | str = DEFAULT_CORPUS) -> tuple[Corpus, BuiltGraph]:
    """Load, check, build and SHACL-validate; the graph returned always conforms."""
    corpus = load_corpus(corpus_dir)
    built = build_graph(corpus)
    validate_graph(built.union())
    return corpus, built


def build(corpus_dir: Path | str = DEFAULT_CORPUS, output: Path | str | None = None,
          fmt: str = "turtle") -> BuildReport:
    """Build the graph of ``corpus_dir`` and write it to ``output`` (default build/ilkg.<ext>)."""
    if fmt not in FORMATS:
        raise SetupError(f"unknown format '{fmt}'; known: {', '.join(FORMATS)}")
    corpus, built = compile_corpus(corpus_dir)
    target = Path(output) if output is not None else default_output(fmt)
    write_atomic(target, FORMATS[fmt].serialize(built))
    return BuildReport(target, fmt, len(built), corpus_stats(corpus), str(built.build_iri))


def validate(corpus_dir: Path | str = DEFAULT_CORPUS) -> BuildReport:
    """Everything ``build`` checks, writing nothing."""
    corpus, built = compile_corpus(corpus_dir)
    return BuildReport(None, "none", len(built), corpus_stats(corpus), str(built.build_iri))


def stats(corpus_dir: Path | str = DEFAULT_CORPUS) -> Stats:
    """Counts of a checked corpus (no graph is built)."""
    return corpus_stats(load_corpus(corpus_dir))
