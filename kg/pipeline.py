"""The operations the CLI offers, as library functions: build, validate, stats.

Each runs the whole flow — load and check the corpus, build the graph, validate it with SHACL —
and only ``build`` writes, once, atomically, after everything passed. They return
reports and raise :class:`~kg.errors.KgError`; they never print.
"""

from __future__ import annotations

import functools
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
    from .output import atomic_output, check_output
    from .stats import corpus_stats
    from .validation import Checker, VerdictCache, document_unit, shared_unit

    if fmt not in FORMATS:
        raise SetupError(f"unknown format '{fmt}'; known: {', '.join(FORMATS)}")
    target = check_output(output) if output is not None else default_output(fmt)
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
              fmt: str | None = None, engine: str = "oxigraph", corpus_dir: Path | str = DEFAULT_CORPUS,
              data: Path | str | None = None, endpoint: str | None = None,
              limit: int | None = None, timeout: float | None = None,
              allow_service: bool = False, width: int | None = None,
              max_answer_mb: float | None = None) -> QueryAnswer:
    """Run a saved query (by name), a ``.rq`` file, or a query text; return it formatted.

    ``fmt`` None prints a table, or Turtle for CONSTRUCT/DESCRIBE; ``width`` fits a table to that
    many columns (None: one line per row). ``endpoint`` sends the query to a remote SPARQL endpoint
    instead of the local engine. The query is checked (syntax, prefixes, refused operations, the
    format, the parameters' names) before any graph is built or any request sent; ids, labels and
    aliases in parameters are then resolved against the graph queried. With ``endpoint``,
    ``timeout`` bounds the query and the labels for a table together, and ``max_answer_mb`` each
    answer.
    """
    from .errors import QueryError
    from .identifiers import Identifiers
    from .query_check import check_query
    from .results import media_type, result_format, serialize
    from .saved_queries import SavedQuery, bind_params, check_params, resolve_query

    if (query is None) == (expression is None):
        raise QueryError("give a saved query name or .rq file, or -e 'SPARQL' (one of them)")
    saved = resolve_query(query) if query is not None else SavedQuery("-e", "", (), expression)
    checked = check_query(saved.text, allow_service=allow_service)
    fmt = result_format(checked.form, fmt)
    check_params(saved, list(params), checked.variables)  # before the graph is built or asked
    if endpoint is not None:
        from .remote import DEFAULT_MAX_ANSWER_MB, RemoteEndpoint

        with RemoteEndpoint(endpoint, timeout=timeout,
                            max_answer_mb=max_answer_mb or DEFAULT_MAX_ANSWER_MB) as remote:
            bindings = bind_params(saved, list(params), variables=checked.variables,
                                   names=Identifiers(remote.query))
            result = remote.query(saved.text, bindings, limit=limit, allow_service=allow_service)
            labels = remote.labels() if fmt in ("table", "md") else {}
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
            run = functools.partial(store.query, timeout=timeout)
            bindings = bind_params(saved, list(params), variables=checked.variables,
                                   names=Identifiers(run))
            result = run(saved.text, bindings, limit=limit, allow_service=allow_service)
            labels = store.labels() if fmt in ("table", "md") else {}
    return QueryAnswer(result, serialize(result, fmt, labels, width), media_type(result, fmt))


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
    from .output import check_output, write_atomic

    if fmt not in EXPORTERS:
        raise SetupError(f"unknown export format '{fmt}'; known: {', '.join(sorted(EXPORTERS))}")
    check_output(output)  # before the work, not only when writing
    graph = argument_map_of(**options)
    buffer = io.BytesIO()
    EXPORTERS[fmt]().serialize(graph, buffer)
    write_atomic(output, buffer.getvalue())
    return Path(output)


def render_page(output: Path | str, *, corpus_dir: Path | str = DEFAULT_CORPUS,
                data: Path | str | None = None, scope=None, focus: str | None = None) -> Path:
    """Write the interactive graph page (pyvis, works offline) for the corpus or a built file."""
    from .engines import open_engine
    from .output import check_output
    from .render import write_page

    check_output(output)
    engine = open_engine("oxigraph", corpus_dir=corpus_dir, data=data)
    return write_page(engine, output, scope=scope, focus=focus)


def timeline_figure(output: Path | str, *, corpus_dir: Path | str = DEFAULT_CORPUS,
                    data: Path | str | None = None, scope=None) -> Path:
    """Write the timeline of claims (PNG or SVG by the output's extension)."""
    from .engines import open_engine
    from .output import check_output
    from .timeline import write_timeline

    check_output(output)
    engine = open_engine("oxigraph", corpus_dir=corpus_dir, data=data)
    return write_timeline(engine, output, scope=scope)
