"""The build pipeline as library functions: ``kg build``, ``kg validate``, ``kg stats``.

Each runs the whole flow — load and check the corpus, build the graph, validate it with SHACL —
and only ``build`` writes, once, atomically, after everything passed. They return
reports and raise :class:`~kg.errors.KgError`; they never print. The stages above start from
:func:`compile_corpus` (a checked corpus and its conforming graph) and keep their own commands.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SetupError
from ..progress import SILENT, Progress

if TYPE_CHECKING:  # the build's modules pull in rdflib and pyoxigraph: imported where used, so
    # that `kg query --list` or `kg serve --help` start without them
    from ..corpus.models import Corpus
    from .builder import BuiltGraph
    from .stats import Stats

DEFAULT_CORPUS = Path("corpus")
DEFAULT_OUTPUT_DIR = Path("build")


@dataclass(frozen=True)
class BuildReport:
    output: Path | None  # None when nothing was written (validate)
    format: str
    triples: int
    stats: Stats
    build_iri: str
    checked: int = 0  # validation units checked by pySHACL in this run
    cached: int = 0  # units whose verdict came from the cache


def default_output(fmt: str) -> Path:
    from .formats import FORMATS

    return DEFAULT_OUTPUT_DIR / f"ilkg{FORMATS[fmt].extension}"


def compile_corpus(corpus_dir: Path | str = DEFAULT_CORPUS) -> tuple[Corpus, BuiltGraph]:
    """Load, check, build and SHACL-validate; the graph returned always conforms."""
    from ..corpus.loader import load_corpus
    from .builder import build_graph
    from .validation import validate_built

    corpus = load_corpus(corpus_dir)
    built = build_graph(corpus)
    validate_built(built)
    return corpus, built


def build(corpus_dir: Path | str = DEFAULT_CORPUS, output: Path | str | None = None,
          fmt: str = "turtle", *, cache: bool = True, jobs: int = 1,
          progress: Progress = SILENT, shacl_engine: str = "pyshacl", keep: list | None = None
          ) -> BuildReport:
    """Build the graph of ``corpus_dir`` and write it to ``output`` (default build/ilkg.<ext>).

    Documents stream to a temporary file while their units are validated; the file replaces
    ``output`` only when every unit conformed. Unless ``cache`` is false, ``.kg-cache/`` beside
    the output keeps SHACL verdicts (:mod:`kg.graph.validation`), parsed YAML
    (:mod:`kg.graph.parse_cache`) and what the output was built from
    (:mod:`kg.graph.build_record`): a rebuild parses only the files that changed, and one with
    nothing changed leaves the output as it is. The bytes are the same with or without the cache.
    ``jobs`` > 1 parses YAML and checks the units that miss the cache in that many spawned worker
    processes (from a script, call it only under ``if __name__ == "__main__":``; ``kg`` does, with
    one per CPU). ``shacl_engine`` is "pyshacl", "jena" or "auto" (see
    :class:`~kg.graph.validation.Checker`); the engine does not change the output or the messages.
    ``keep``, a list, receives the corpus and the graph instead of their being freed at return
    (for a command that ends right after; see ``kg.cli._KEPT``).
    """
    from ..corpus.loader import load_corpus
    from .builder import build_graph
    from .chunks import ChunkCache, write_by_document
    from .formats import FORMATS
    from .output import atomic_output, check_output
    from .stats import corpus_stats
    from .validation import CACHE_NAME, Checker, VerdictCache, document_unit, shared_unit

    if fmt not in FORMATS:
        raise SetupError(f"unknown format '{fmt}'; known: {', '.join(FORMATS)}")
    target = check_output(output) if output is not None else default_output(fmt)
    if target.resolve().is_relative_to(Path(corpus_dir).resolve()):
        raise SetupError(f"the output {target} is inside the corpus folder {corpus_dir}: the build "
                         "never writes there (it would replace or add to the sources); choose "
                         "another -o")
    records = key = parsed = checked = None
    if cache:
        from .build_record import BuildRecords, DigestMemo, inputs_digest
        from .parse_cache import CheckedCache, ParseCache

        records = BuildRecords(target.parent / CACHE_NAME)
        memo = DigestMemo(target.parent / CACHE_NAME)
        key = inputs_digest(Path(corpus_dir), fmt, memo)
        recorded = records.unchanged(target, key)
        if recorded is not None:
            memo.save()
            return BuildReport(target, fmt, checked=0, **recorded)
        parsed = ParseCache(target.parent / CACHE_NAME)
        checked = CheckedCache(target.parent / CACHE_NAME)
    try:
        corpus = load_corpus(corpus_dir, jobs, parsed, checked)
    finally:
        if parsed is not None:
            parsed.close()
            checked.close()
    built = build_graph(corpus)
    units = len(corpus.documents) + 1
    checker = Checker(VerdictCache(target.parent if cache else None), jobs, progress, expected=units,
                      engine=shacl_engine)
    chunks = ChunkCache(target.parent / CACHE_NAME, FORMATS[fmt]) if cache and FORMATS[fmt].chunked else None
    progress.start("building and validating", units)
    try:
        with atomic_output(target) as stream:
            checker.submit(shared_unit(built))
            check = lambda unit: checker.submit(document_unit(built, unit))  # noqa: E731
            if FORMATS[fmt].chunked:
                count = write_by_document(built, FORMATS[fmt], stream, check, chunks, checker.known)
            else:
                count = FORMATS[fmt].write(built, stream, on_unit=check)
            checker.finish()  # raises ShapeError: the temporary file goes, the old output stays
    finally:
        progress.finish()
    if chunks is not None:
        chunks.commit()
    report = BuildReport(target, fmt, count, corpus_stats(corpus), str(built.build_iri),
                         checker.checked, checker.cached)
    if keep is not None:
        keep.append((corpus, built))
    if records is not None:
        # Recorded only if no input changed while the build read them (else the next build runs).
        same = key is not None and inputs_digest(Path(corpus_dir), fmt, memo) == key
        memo.save()
        records.remember(target, key if same else None,
                         {"triples": count, "stats": report.stats, "build_iri": report.build_iri,
                          "cached": units})
    return report


def validate(corpus_dir: Path | str = DEFAULT_CORPUS, *, jobs: int = 1,
             progress: Progress = SILENT, shacl_engine: str = "pyshacl") -> BuildReport:
    """Everything ``build`` checks (every unit, no cache), writing nothing."""
    from ..corpus.loader import load_corpus
    from .builder import build_graph
    from .stats import corpus_stats
    from .validation import validate_built

    corpus = load_corpus(corpus_dir, jobs)
    built = build_graph(corpus)
    progress.start("validating", len(corpus.documents) + 1)
    try:
        checker = validate_built(built, jobs=jobs, progress=progress, engine=shacl_engine)
    finally:
        progress.finish()
    return BuildReport(None, "none", len(built), corpus_stats(corpus), str(built.build_iri),
                       checker.checked, checker.cached)


def stats(corpus_dir: Path | str = DEFAULT_CORPUS) -> Stats:
    """Counts of a checked corpus (no graph is built)."""
    from ..corpus.loader import load_corpus
    from .stats import corpus_stats

    return corpus_stats(load_corpus(corpus_dir))
