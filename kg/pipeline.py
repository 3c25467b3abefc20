"""The operations the CLI offers, as library functions: build, validate, stats.

Each runs the whole flow of DESIGN.md — load and check the corpus, build the graph, validate it
with SHACL — and only ``build`` writes, once, atomically, after everything passed. They return
reports and raise :class:`~kg.errors.KgError`; they never print.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import SetupError
from .progress import SILENT, Progress

if TYPE_CHECKING:  # the build's modules pull in rdflib and pyoxigraph: imported where used, so
    # that `kg query --list` or `kg serve --help` start without them
    from .builder import BuiltGraph
    from .models import Corpus
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
    from .builder import build_graph
    from .corpus import load_corpus
    from .validation import validate_built

    corpus = load_corpus(corpus_dir)
    built = build_graph(corpus)
    validate_built(built)
    return corpus, built


def build(corpus_dir: Path | str = DEFAULT_CORPUS, output: Path | str | None = None,
          fmt: str = "turtle", *, cache: bool = True, jobs: int = 1,
          progress: Progress = SILENT) -> BuildReport:
    """Build the graph of ``corpus_dir`` and write it to ``output`` (default build/ilkg.<ext>).

    Documents stream to a temporary file while their units are validated; the file replaces
    ``output`` only when every unit conformed. SHACL verdicts are cached in ``.kg-cache/`` beside
    the output unless ``cache`` is false. ``jobs`` > 1 parses YAML and checks the units that miss
    the cache in that many spawned worker processes (from a script, call it only under
    ``if __name__ == "__main__":``; ``kg`` does, with one per CPU).
    """
    from .builder import build_graph
    from .corpus import load_corpus
    from .formats import FORMATS
    from .output import atomic_output
    from .stats import corpus_stats
    from .validation import Checker, VerdictCache, document_unit, shared_unit

    if fmt not in FORMATS:
        raise SetupError(f"unknown format '{fmt}'; known: {', '.join(FORMATS)}")
    target = Path(output) if output is not None else default_output(fmt)
    if target.resolve().is_relative_to(Path(corpus_dir).resolve()):
        raise SetupError(f"the output {target} is inside the corpus folder {corpus_dir}: the build "
                         "never writes there (it would replace or add to the sources); choose "
                         "another -o")
    corpus = load_corpus(corpus_dir, jobs)
    built = build_graph(corpus)
    units = len(corpus.documents) + 1
    checker = Checker(VerdictCache(target.parent if cache else None), jobs, progress, expected=units)
    progress.start("building and validating", units)
    try:
        with atomic_output(target) as stream:
            checker.submit(shared_unit(built))
            count = FORMATS[fmt].write(built, stream,
                                       on_unit=lambda unit: checker.submit(document_unit(built, unit)))
            checker.finish()  # raises ShapeError: the temporary file goes, the old output stays
    finally:
        progress.finish()
    return BuildReport(target, fmt, count, corpus_stats(corpus), str(built.build_iri),
                       checker.checked, checker.cached)


def validate(corpus_dir: Path | str = DEFAULT_CORPUS, *, jobs: int = 1,
             progress: Progress = SILENT) -> BuildReport:
    """Everything ``build`` checks (every unit, no cache), writing nothing."""
    from .builder import build_graph
    from .corpus import load_corpus
    from .stats import corpus_stats
    from .validation import validate_built

    corpus = load_corpus(corpus_dir, jobs)
    built = build_graph(corpus)
    progress.start("validating", len(corpus.documents) + 1)
    try:
        checker = validate_built(built, jobs=jobs, progress=progress)
    finally:
        progress.finish()
    return BuildReport(None, "none", len(built), corpus_stats(corpus), str(built.build_iri),
                       checker.checked, checker.cached)


def stats(corpus_dir: Path | str = DEFAULT_CORPUS) -> Stats:
    """Counts of a checked corpus (no graph is built)."""
    from .corpus import load_corpus
    from .stats import corpus_stats

    return corpus_stats(load_corpus(corpus_dir))


@dataclass(frozen=True)
class QueryAnswer:
    result: object  # kg.results.QueryResult
    body: bytes
    media_type: str


def run_query(query: str | None = None, *, expression: str | None = None, params: tuple[str, ...] = (),
              fmt: str = "table", engine: str = "oxigraph", corpus_dir: Path | str = DEFAULT_CORPUS,
              data: Path | str | None = None, endpoint: str | None = None,
              limit: int | None = None, timeout: float | None = None,
              allow_service: bool = False) -> QueryAnswer:
    """Run a saved query (by name), a ``.rq`` file, or a query text; return it formatted.

    ``endpoint`` sends the query to a remote SPARQL endpoint instead of the local engine.
    """
    from .errors import QueryError
    from .results import media_type, serialize
    from .saved_queries import SavedQuery, bind_params, resolve_query

    if (query is None) == (expression is None):
        raise QueryError("give a saved query name or .rq file, or -e 'SPARQL' (one of them)")
    saved = resolve_query(query) if query is not None else SavedQuery("-e", "", (), expression)
    bindings = bind_params(saved, list(params))
    if endpoint is not None:
        from .remote import query_endpoint
        from .saved_queries import internal_query

        result = query_endpoint(endpoint, saved.text, bindings, timeout=timeout, limit=limit,
                                allow_service=allow_service)
        labels: dict = {}
        if fmt in ("table", "md"):
            for subject, label in query_endpoint(endpoint, internal_query("labels"), {},
                                                 timeout=timeout).rows:
                labels.setdefault(subject, str(label))
    else:
        from .engines import open_engine
        from .sandbox import SandboxUnavailable

        # Without --allow-service the query runs where it cannot reach the network at all.
        try:
            store = open_engine(engine, corpus_dir=corpus_dir, data=data, sandboxed=not allow_service)
        except SandboxUnavailable as exc:
            raise SandboxUnavailable(f"{exc}; --allow-service runs the query without that guard "
                                     "(and lets it call other endpoints)") from None
        with store:
            result = store.query(saved.text, bindings, limit=limit, timeout=timeout,
                                 allow_service=allow_service)
            labels = store.labels() if fmt in ("table", "md") else {}
    return QueryAnswer(result, serialize(result, fmt, labels), media_type(result, fmt))


def list_queries() -> list:
    """The saved queries with their questions and parameters."""
    from .saved_queries import saved_queries

    return list(saved_queries().values())


def open_endpoint(config, *, corpus_dir: Path | str = DEFAULT_CORPUS, data: Path | str | None = None,
                  log=None):
    """An :class:`~kg.endpoint.Endpoint` over the corpus (built in memory) or a built file."""
    import dataclasses

    from .endpoint import Endpoint
    from .engines import nquads_of_corpus, nquads_of_file
    from .resources import yasgui_dir
    from .sandbox import SandboxUnavailable

    nquads = nquads_of_file(data) if data is not None else nquads_of_corpus(corpus_dir)
    if config.yasgui_dir is None:
        config = dataclasses.replace(config, yasgui_dir=yasgui_dir())
    try:
        return Endpoint(config, nquads, log)
    except SandboxUnavailable as exc:
        raise SandboxUnavailable(f"{exc}; kg serve --no-network-sandbox runs without it, relying on "
                                 "the query check alone (not for an endpoint others can reach)") from None
    except OSError as exc:
        raise SetupError(f"cannot listen on {config.host}:{config.port}: {exc.strerror}") from exc


def argument_map_of(*, corpus_dir: Path | str = DEFAULT_CORPUS, data: Path | str | None = None,
                    scope=None, semantics: str | None = None):
    """The argument map of the corpus (or a built file), scoped, labelled under ``semantics``."""
    from .argument import argument_map
    from .engines import open_engine

    graph = argument_map(open_engine("oxigraph", corpus_dir=corpus_dir, data=data), scope)
    if semantics is not None:
        from .semantics import label_map

        label_map(graph, semantics)
    return graph


def export_map(fmt: str, output: Path | str, **options) -> Path:
    """Write the argument map in format ``fmt`` (see kg.exporters) to ``output`` atomically."""
    import io

    from .exporters import EXPORTERS
    from .output import write_atomic

    if fmt not in EXPORTERS:
        raise SetupError(f"unknown export format '{fmt}'; known: {', '.join(sorted(EXPORTERS))}")
    graph = argument_map_of(**options)
    buffer = io.BytesIO()
    EXPORTERS[fmt]().serialize(graph, buffer)
    write_atomic(output, buffer.getvalue())
    return Path(output)


def render_page(output: Path | str, *, corpus_dir: Path | str = DEFAULT_CORPUS,
                data: Path | str | None = None, scope=None, focus: str | None = None) -> Path:
    """Write the interactive graph page (pyvis, works offline) for the corpus or a built file."""
    from .engines import open_engine
    from .render import write_page

    engine = open_engine("oxigraph", corpus_dir=corpus_dir, data=data)
    return write_page(engine, output, scope=scope, focus=focus)


def timeline_figure(output: Path | str, *, corpus_dir: Path | str = DEFAULT_CORPUS,
                    data: Path | str | None = None, scope=None) -> Path:
    """Write the timeline of claims (PNG or SVG by the output's extension)."""
    from .engines import open_engine
    from .timeline import write_timeline

    engine = open_engine("oxigraph", corpus_dir=corpus_dir, data=data)
    return write_timeline(engine, output, scope=scope)
