"""The ``kg`` command: parses options, calls one library function, prints the result.

No graph logic lives here. Library errors (:class:`kg.errors.KgError`) become messages on stderr
and exit codes like pySHACL's: 0 fine, 1 the data does not conform, 2 could not run. Heavy
libraries are imported inside the commands so that ``kg --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import KgError

FORMAT_NAMES = ("turtle", "nt", "jsonld", "trig", "nquads")  # kept in step with kg.graph.formats.FORMATS


def corpus_option(function: Callable) -> Callable:
    return click.option(
        "--corpus", "corpus_dir", type=click.Path(path_type=Path), default=Path("corpus"),
        show_default=True, help="The corpus folder (documents/, annotations/, catalogues/).",
    )(function)


def data_option(verb: str) -> Callable:
    """--data: use a built graph file instead of building the corpus in memory."""
    return click.option("--data", type=click.Path(path_type=Path),
                        help=f"{verb} a built graph file (.ttl, .nt, .nq, .trig, .jsonld) instead of "
                        "the corpus.")


class OutputPath(click.Path):
    """A ``-o`` path: click would read an empty one as ``.``, the current folder."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value == "":
            what = "file" if self.file_okay else "folder"
            self.fail(f"empty output path; give the name of a {what} to write", param, ctx)
        return super().convert(value, param, ctx)


def reports_errors(function: Callable) -> Callable:
    """Turn library errors into ``error: file:line: message`` lines and the right exit code."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with _warnings_said():
                return function(*args, **kwargs)
        except KgError as exc:
            for problem in getattr(exc, "problems", []):
                click.echo(f"error: {problem}", err=True)
            click.echo(f"kg: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


@contextlib.contextmanager
def _warnings_said() -> Iterator[None]:
    """The library's warnings (:class:`kg.errors.KgWarning`: a search that reached a bound, ...) as
    ``kg: warning: ...`` lines on stderr, once each, after the command's own output."""
    from .errors import KgWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", KgWarning)
        try:
            yield
        finally:
            said = set()
            for warning in caught:
                if not issubclass(warning.category, KgWarning):
                    warnings.showwarning(warning.message, warning.category, warning.filename, warning.lineno)
                elif str(warning.message) not in said:
                    said.add(str(warning.message))
                    click.echo(f"kg: warning: {warning.message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """ilkg: who invokes which rule of international law against whom.

    Build, check and count the International-Law Knowledge Graph from an annotated corpus.

    \b
    Example:
      kg build            # corpus/ -> build/ilkg.ttl, validated with SHACL
    """


def quiet_option(function: Callable) -> Callable:
    return click.option("-q", "--quiet", is_flag=True,
                        help="No progress bar (none is drawn either when stderr is not a terminal).",
                        )(function)


def jobs_option(function: Callable) -> Callable:
    return click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                        help="Worker processes for parsing and SHACL validation of large corpora "
                        "[default: one per CPU].")(function)


def default_jobs() -> int:
    import os

    return os.cpu_count() or 1


def shacl_engine_option(function: Callable) -> Callable:
    return click.option("--shacl-engine", type=click.Choice(("auto", "pyshacl", "jena")), default="auto",
                        show_default=True,
                        help="Who checks the SHACL shapes: pySHACL (in-process), Apache Jena (a Java "
                        "process; ~10x faster on large corpora, needs Java and libapache-jena-java), or "
                        "auto: Jena when many documents need checking and it is installed.")(function)


def progress_for(quiet: bool) -> Any:
    """A progress bar on stderr when a person is watching; silence otherwise."""
    from .progress import SILENT

    if quiet or not sys.stderr.isatty():
        return SILENT
    from .cli_progress import TerminalProgress

    return TerminalProgress()


def shacl_summary(report: Any) -> str:
    if report.cached:
        return (f"SHACL: conforms ({report.checked} checked, {report.cached} unchanged since the last build "
                "into this folder)")
    return "SHACL: conforms"


@cli.command()
@corpus_option
@click.option("-o", "--output", type=OutputPath(path_type=Path), default=None,
              help="Where to write the graph [default: build/ilkg.<ext>].")
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default="turtle",
              show_default=True, help="RDF serialisation; trig and nquads keep the named graphs.")
@click.option("--no-cache", is_flag=True,
              help="Parse and validate every document afresh instead of reusing what .kg-cache/ "
              "beside the output keeps (parsed YAML, SHACL verdicts, the record of the last build); "
              "the output is the same.")
@jobs_option
@shacl_engine_option
@quiet_option
@reports_errors
def build(corpus_dir: Path, output: Path | None, fmt: str, no_cache: bool, jobs: int | None,
          shacl_engine: str, quiet: bool) -> None:
    """Build the graph from the corpus, validate it, and write it atomically.

    Nothing is written unless the corpus and the graph are valid; a previous output is then left
    as it was. Documents are validated with SHACL one by one, in parallel, and a document whose
    graph did not change since the last build into the same folder is not validated again.

    \b
    Examples:
      kg build
      kg build --corpus my-corpus -o out/graph.trig --format trig
    """
    from .graph.pipeline import build as run_build

    _KEPT.clear()  # one build's records at most (tests run many builds in one process)
    report = run_build(corpus_dir, output, fmt, cache=not no_cache, jobs=jobs or default_jobs(),
                       progress=progress_for(quiet), shacl_engine=shacl_engine, keep=_KEPT)
    click.echo(f"wrote {report.output} ({report.triples} triples, {report.format})")
    click.echo(f"{report.stats.summary()}; {shacl_summary(report)}")


@cli.command()
@corpus_option
@jobs_option
@shacl_engine_option
@quiet_option
@reports_errors
def validate(corpus_dir: Path, jobs: int | None, shacl_engine: str, quiet: bool) -> None:
    """Check the corpus and the graph it builds, writing nothing.

    Exit status: 0 valid, 1 the corpus does not conform, 2 the check could not run.

    \b
    Example:
      kg validate --corpus corpus
    """
    from .graph.pipeline import validate as run_validate

    report = run_validate(corpus_dir, jobs=jobs or default_jobs(), progress=progress_for(quiet),
                          shacl_engine=shacl_engine)
    click.echo(f"valid: {report.stats.summary()}; {report.triples} triples; SHACL: conforms")


@cli.command()
@corpus_option
@reports_errors
def stats(corpus_dir: Path) -> None:
    """Print counts: documents, claims, claimants, norms invoked, relations.

    \b
    Example:
      kg stats
    """
    from .graph.pipeline import stats as run_stats

    counts = run_stats(corpus_dir)
    rows = [
        ("documents", counts.documents),
        ("claims", counts.claims),
        ("claimants", counts.claimants),
        ("norms invoked", counts.norms_invoked),
        ("events concerned", counts.events_concerned),
        ("quotes", counts.quotes),
        ("relations", counts.relations),
        ("  attacks", counts.attacks),
        ("    rebuttals", counts.rebuttals),
        ("    undercuts", counts.undercuts),
        ("    undermines", counts.undermines),
        ("  supports", counts.supports),
    ]
    for name, value in rows:
        click.echo(f"{name:<18}{value:>6}")
    for title, ranked in (("by stance", counts.by_stance), ("by claimant", counts.by_claimant),
                          ("by norm", counts.by_norm), ("by document", counts.by_document)):
        click.echo(f"\n{title}:")
        for name, value in ranked:
            click.echo(f"  {name:<44}{value:>6}")


QUERY_FORMATS = ("table", "md", "json", "xml", "csv", "tsv", "turtle", "jsonld", "nt")


def table_width(wide: bool) -> int | None:
    """Columns to fit a table to: the terminal's (or $COLUMNS), none with --wide or into a pipe."""
    import os
    import shutil

    if wide or not (sys.stdout.isatty() or os.environ.get("COLUMNS")):
        return None
    return shutil.get_terminal_size().columns


@cli.command()
@click.argument("query", required=False)
@click.option("-e", "--expression", help="A SPARQL query given on the command line.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter of the query (repeatable), e.g. --param actor=USA; an actor, "
              "norm, event or claim may be given by its id, label or alias (actor=Venezuela).")
@click.option("-f", "--format", "fmt", type=click.Choice(QUERY_FORMATS), default=None,
              help="table (the default), md, or the W3C SPARQL results formats json/xml/csv/tsv; "
              "CONSTRUCT/DESCRIBE give turtle (the default for them), jsonld, nt or xml.")
@click.option("--wide", is_flag=True,
              help="Print the table one line per row, however wide, instead of wrapping long values "
              "to the terminal's width.")
@click.option("--engine", type=click.Choice(("oxigraph", "rdflib")), default="oxigraph",
              show_default=True, help="The local SPARQL engine.")
@corpus_option
@data_option("Query")
@click.option("--endpoint", metavar="URL", help="Send the query to a remote SPARQL endpoint.")
@click.option("--limit", type=click.IntRange(min=1), help="Stop after this many rows.")
@click.option("--timeout", type=click.FloatRange(min=0.1),
              help="Time limit in seconds (with --endpoint: for the whole answer) [default: none; "
              "120 with --endpoint].")
@click.option("--max-answer", type=click.IntRange(min=1), metavar="MB",
              help="With --endpoint: the largest answer to read; a larger one is refused [default: 50].")
@click.option("--allow-service", is_flag=True,
              help="Allow SERVICE (federated queries, e.g. to Wikidata). Without it the query is "
              "refused, and runs in a process that cannot reach the network (Linux, seccomp).")
@click.option("--list", "list_only", is_flag=True, help="List the saved queries and their questions.")
@click.option("--prefixes", "list_prefixes", is_flag=True,
              help="List the prefixes a query may use without declaring them (ilk:, actor:, rdfs:, ...).")
@reports_errors
def query(query: str | None, expression: str | None, params: tuple[str, ...], fmt: str | None, wide: bool,
          engine: str, corpus_dir: Path, data: Path | None, endpoint: str | None, limit: int | None,
          timeout: float | None, max_answer: int | None, allow_service: bool, list_only: bool,
          list_prefixes: bool) -> None:
    """Run a saved query, a .rq file, or a SPARQL text over the graph.

    QUERY is the name of a saved query (see --list) or a .rq file. The prefixes of --prefixes
    need no PREFIX line, as on the Wikidata Query Service.

    \b
    Examples:
      kg query --list
      kg query who-invokes-what-against-whom --param against=USA
      kg query claims-by-actor -p actor=Venezuela
      kg query claims-under-instrument -p instrument=un-charter -f csv
      kg query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?c a ilk:Claim }'
      kg query -e 'DESCRIBE actor:VEN'
    """
    from .sparql.query import list_queries, run_query

    if list_only:
        for saved in list_queries():
            click.echo(f"{saved.name}\n    {saved.question}")
            for param in saved.params:
                click.echo(f"    --param {param.name}=...  ({param.kind}) {param.description}")
        return
    if list_prefixes:
        from .graph.namespaces import QUERY_PREFIXES

        for prefix, namespace in QUERY_PREFIXES.items():
            click.echo(f"PREFIX {prefix + ':':<10} <{namespace}>")
        return
    answer = run_query(query, expression=expression, params=params, fmt=fmt, engine=engine,
                       corpus_dir=corpus_dir, data=data, endpoint=endpoint, limit=limit,
                       timeout=timeout, allow_service=allow_service, width=table_width(wide),
                       max_answer_mb=max_answer)
    click.echo(answer.body.decode("utf-8"), nl=False)
    if getattr(answer.result, "truncated", False):
        click.echo(f"kg: stopped after {limit} rows (--limit)", err=True)


@cli.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL 1.1 Graph Store Protocol URL "
              "(e.g. .../store, .../sparql-graph-crud-auth).")
@click.option("--graph", "graph_iri", metavar="IRI",
              help="Load everything into this one named graph; default: the build's four named graphs.")
@click.option("--user", help="User name for HTTP authentication (Basic or Digest, as the store asks).")
@click.option("--password", envvar="KG_PUSH_PASSWORD",
              help="Password (or set KG_PUSH_PASSWORD so it stays out of the shell history).")
@corpus_option
@data_option("Push")
@click.option("--timeout", type=click.FloatRange(min=1), default=60, show_default=True,
              help="Seconds each request may take, the upload and the store's whole answer together.")
@reports_errors
def push(endpoint: str, graph_iri: str | None, user: str | None, password: str | None,
         corpus_dir: Path, data: Path | None, timeout: float) -> None:
    """Load the graph into a SPARQL store (Graph Store Protocol), replacing what the graphs held.

    \b
    Examples:
      kg push --endpoint http://127.0.0.1:7878/store
      kg push --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth --user dba --password dba \\
              --graph https://w3id.org/ilkg/graph/all
    """
    from .sparql.remote import push_graph

    report = push_graph(endpoint, corpus_dir=corpus_dir, data=data, graph=graph_iri, user=user,
                        password=password, timeout=timeout)
    for iri, triples in report.graphs:
        click.echo(f"pushed {triples} triples to <{iri}>")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; keep 127.0.0.1 unless a reverse proxy is in front.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@corpus_option
@data_option("Serve")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30, show_default=True,
              help="Time limit per query, in seconds.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Largest result a query may return.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Query worker processes (each holds a copy of the graph).")
@click.option("--query-memory", type=click.IntRange(min=0), default=1024, show_default=True, metavar="MB",
              help="Memory a worker may add while answering (Linux); a query that needs more is "
              "stopped and its worker replaced. 0: no cap.")
@click.option("--max-body", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              metavar="BYTES", help="Largest request body.")
@click.option("--max-query", type=click.IntRange(min=1), default=100_000, show_default=True,
              metavar="CHARS", help="Longest query text.")
@click.option("--max-connections", type=click.IntRange(min=1), default=64, show_default=True,
              help="Open connections; more are answered 503 at once.")
@click.option("--client-timeout", type=click.FloatRange(min=0.1), default=30, show_default=True,
              metavar="SECONDS", help="Time a client has to send a whole request (line, headers and "
              "body), and again to read an answer; a slower connection is closed.")
@click.option("--max-answer", type=click.FloatRange(min=0.001), default=64, show_default=True,
              metavar="MB", help="Largest answer body; a query whose answer is larger gets 400.")
@click.option("--cors", is_flag=True, help="Allow cross-origin requests (Access-Control-Allow-Origin: *).")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A Host name to answer besides 127.0.0.1 and localhost, e.g. the public name a "
              "reverse proxy forwards (repeatable); other names get 421.")
@click.option("--no-network-sandbox", "no_sandbox", is_flag=True,
              help="Start even where the query workers cannot be shut off from the network (no "
              "seccomp: not Linux, or no libseccomp); only the query check then keeps SERVICE out. "
              "Not for an endpoint others can reach.")
@click.option("-v", "--verbose", is_flag=True, help="Log each request to stderr.")
@reports_errors
def serve(host: str, port: int, corpus_dir: Path, data: Path | None, timeout: float, max_rows: int,
          workers: int, query_memory: int, max_body: int, max_query: int, max_connections: int,
          client_timeout: float, max_answer: float, cors: bool, allowed_hosts: tuple[str, ...],
          no_sandbox: bool, verbose: bool) -> None:
    """Serve a read-only SPARQL endpoint at /sparql and a query editor at /.

    Updates, LOAD, SERVICE and FROM are refused, and the query workers cannot open network
    connections at all (Linux, seccomp): no request leaves the machine.

    \b
    Examples:
      kg serve
      kg serve --port 3030 --timeout 10 --max-rows 5000
      kg serve --workers 4 --query-memory 512 --max-connections 32

    The limits and how to run the endpoint in public are in SECURITY.md.
    """
    from .resources import YASGUI_MISSING
    from .sparql.endpoint import EndpointConfig, open_endpoint

    config = EndpointConfig(host=host, port=port, timeout=timeout, max_rows=max_rows,
                            workers=workers, query_memory_mb=query_memory or None,
                            max_body=max_body, max_query=max_query,
                            max_connections=max_connections, client_timeout=client_timeout,
                            max_answer_mb=max_answer, cors=cors, allowed_hosts=allowed_hosts,
                            sandbox=not no_sandbox)
    log = (lambda line: click.echo(line, err=True)) if verbose else None
    endpoint = open_endpoint(config, corpus_dir=corpus_dir, data=data, log=log)
    click.echo(f"SPARQL endpoint: {endpoint.url}/sparql")
    click.echo(f"query editor:    {endpoint.url}/")
    if endpoint.server.config.yasgui_dir is None:
        click.echo(f"warning: {YASGUI_MISSING}", err=True)
    click.echo("press Ctrl-C to stop", err=True)
    try:
        endpoint.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


@cli.command()
@click.option("-o", "--output", type=OutputPath(dir_okay=False, path_type=Path),
              default=Path("build/ontology.html"), show_default=True, help="Where to write the HTML page.")
@reports_errors
def docs(output: Path) -> None:
    """Write the ontology's documentation as one self-contained HTML page (pyLODE).

    \b
    Examples:
      kg docs
      kg docs -o build/ontology.html
    """
    from .views.ontology_docs import write_ontology_docs

    click.echo(f"wrote {write_ontology_docs(output)}")


def scope_options(function: Callable) -> Callable:
    """--event/--actor/--norm/--since/--until, shared by the commands that draw maps."""
    for option in reversed((
        click.option("--event", help="Only claims about this event (or one within it)."),
        click.option("--actor", help="Only claims this actor makes, voices, or that are against it."),
        click.option("--norm", help="Only claims invoking this norm or one of its provisions."),
        click.option("--since", metavar="DATE", help="Only claims made on or after DATE (YYYY[-MM[-DD]])."),
        click.option("--until", metavar="DATE", help="Only claims made on or before DATE."),
    )):
        function = option(function)
    return function


SEMANTICS = ("grounded", "preferred", "stable")  # kept in step with kg.argument.semantics.SEMANTICS (tested)


def map_options(function: Callable) -> Callable:
    """Where an argument map comes from, which claims it shows, and how they are labelled."""
    semantics = click.option("--semantics", type=click.Choice(SEMANTICS), default="grounded",
                             show_default=True, help="Dung's semantics over the attack relation: "
                             "claims are labelled in / out / undec.")
    for option in reversed((corpus_option, data_option("Read"), scope_options, semantics)):
        function = option(function)
    return function


READINGS = ("structured", "abstract")  # kept in step with kg.argument.structured.READINGS (tested)


def reading_options(function: Callable) -> Callable:
    """--reading/--assume/--prefer: how the claims of a map are labelled, shared by ``kg map`` and
    ``kg export`` so that an export's labels are the map's."""
    for option in reversed((
        click.option("--reading", type=click.Choice(READINGS), default="structured", show_default=True,
                     help="structured: the ASPIC+ theory of the claims, the legal tests they apply and "
                     "their elements; abstract: Dung's semantics over the annotated attacks alone."),
        click.option("--assume", multiple=True, metavar="SCHEME/ELEMENT=holds|fails",
                     help="Take an element of a legal test as holding or failing (repeatable), e.g. "
                     "self-defence/armed-attack=holds."),
        click.option("--prefer", metavar="NAME|ORDER",
                     help="A preference ordering over claimants: none (default), courts-first, "
                     "states-first, experts-first (ontology/preferences.yaml), or inline, e.g. "
                     "'judicial>expert=un-organ>state'."),
    )):
        function = option(function)
    return function


@cli.command(name="map")
@map_options
@reading_options
@click.option("--explain", metavar="CLAIM", help="Say why this claim is in, out or undecided.")
@click.option("-f", "--format", "fmt", type=click.Choice(("table", "json")), default="table",
              show_default=True)
@reports_errors
def map_command(corpus_dir: Path, data: Path | None, event: str | None, actor: str | None,
                norm: str | None, since: str | None, until: str | None, semantics: str, reading: str,
                assume: tuple[str, ...], prefer: str | None, explain: str | None, fmt: str) -> None:
    """Show the claims of an argument map, each with its proposition and acceptance (in / out / undec).

    By default the structured reading: the claims, the legal tests they apply and the elements
    they affirm, deny or assume are compiled into an ASPIC+ theory (last-link elitist ordering) and
    a claim is in when its argument is accepted, out when an accepted argument defeats it. --assume
    and --prefer change the audience; --explain says why. --reading abstract is Dung's reading of
    the annotated attacks alone. Either way it is a structural reading, not a legal verdict. A
    scoped map is read over the claims inside the scope only.

    \b
    Examples:
      kg map
      kg map --assume self-defence/armed-attack=holds --explain us-art51-boat-strikes
      kg map --prefer courts-first --event us-boat-strikes -f json
      kg map --reading abstract --semantics preferred
    """
    import json

    from .argument.map import Scope
    from .argument.report import map_report

    report = map_report(corpus_dir=corpus_dir, data=data, scope=Scope.parse(event, actor, norm, since, until),
                        semantics=semantics, reading=reading, assume=assume, prefer=prefer, explain=explain)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for claim in report["claims"]:
        marked = claim["acceptance"] + ("*" if claim.get("bound_reached") else "")
        click.echo(f"{marked:<6} {claim['claim']:<48} {claim['proposition']}")
        click.echo(f"{'':<6} {'':<48} — {claim['parties']}")
        if explain is not None:
            click.echo(f"  {claim['explanation']['text']}")
    if explain is None:
        counts = report["counts"]
        bounded = sum(1 for claim in report["claims"] if claim.get("bound_reached"))
        none = "; no stable extension" if report["extensions"] == [] else ""
        stopped = f", {bounded} of them because the search reached its bound (*)" if bounded else ""
        name = semantics if reading == "abstract" else f"structured reading, {semantics}"
        click.echo(f"({name}: {counts['in']} in, {counts['out']} out, {counts['undec']} undecided"
                   f"{stopped}{none}; {report['attacks']} attacks, {report['supports']} supports)")
    click.echo(f"(in / out / undec: {report['caveat']})")


@cli.command()
@click.option("-f", "--format", "fmt", required=True, metavar="FORMAT",
              help="aif, argdown, graphml, dot, svg, mermaid, jsonld or csv.")
@click.option("-o", "--output", type=OutputPath(dir_okay=False, path_type=Path), required=True,
              help="The file to write.")
@map_options
@reading_options
@reports_errors
def export(fmt: str, output: Path, corpus_dir: Path, data: Path | None, event: str | None,
           actor: str | None, norm: str | None, since: str | None, until: str | None,
           semantics: str, reading: str, assume: tuple[str, ...], prefer: str | None) -> None:
    """Export the argument map (claims, supports, attacks) for argumentation tools.

    Claims are labelled in / out / undec as kg map labels them (by default the structured
    reading; --reading, --assume and --prefer as for kg map); each export says under which
    reading, assumptions and preference.

    \b
    Examples:
      kg export -f aif -o build/map.json
      kg export -f svg -o build/boat-strikes.svg --event us-boat-strikes
      kg export -f graphml -o build/map.graphml --assume self-defence/armed-attack=holds
    """
    from .argument.exporters import export_map
    from .argument.map import Scope

    path = export_map(fmt, output, corpus_dir=corpus_dir, data=data, semantics=semantics,
                      scope=Scope.parse(event, actor, norm, since, until), reading=reading,
                      assume=assume, prefer=prefer)
    click.echo(f"wrote {path}")


@cli.command()
@click.argument("name")
@click.option("-f", "--format", "fmt", type=click.Choice(("table", "md", "csv", "html")), default="table",
              show_default=True, help="html: one self-contained page with a control per element.")
@click.option("--quotes", is_flag=True, help="Show the quotes of the claims in each cell.")
@click.option("--wide", is_flag=True, help="One line per element (else wrapped to the terminal).")
@click.option("-o", "--output", type=OutputPath(dir_okay=False, path_type=Path),
              help="Write to this file (html: build/scheme-ID.html, ID the test found); else stdout.")
@corpus_option
@data_option("Read")
@scope_options
@reports_errors
def scheme(name: str, fmt: str, quotes: bool, wide: bool, output: Path | None, corpus_dir: Path,
           data: Path | None, event: str | None, actor: str | None, norm: str | None, since: str | None,
           until: str | None) -> None:
    """Show a legal test as a table: its elements (conditions, then exceptions, each with its
    critical question) as rows, the parties as columns, and in each cell whether the party affirms
    the element, denies it, or assumes it (applies the test without addressing the condition).

    NAME is a legal test's id or label, in any case, with or without the sources in parentheses,
    e.g. self-defence or "Self-defence" (a test's name wins over an element's). The parties are
    the claimants in scope who apply the test or take a position on one of its elements; the
    claims each cell rests on are listed under the table. With -f html, a page where a student
    sets an element to holds or fails and sees the labels of the claims change, offline.

    \b
    Examples:
      kg scheme self-defence
      kg scheme prohibition-of-force --event us-attack-2026-01-03 --quotes -f md
      kg scheme self-defence -f html -o build/self-defence.html
    """
    from .argument.map import Scope
    from .views.scheme import scheme_of

    result = scheme_of(name, fmt, corpus_dir=corpus_dir, data=data, quotes=quotes, output=output,
                       html_folder=Path("build"),
                       width=table_width(wide) if fmt == "table" else None,
                       scope=Scope.parse(event, actor, norm, since, until))
    if isinstance(result, Path):
        click.echo(f"wrote {result}")
    else:
        click.echo(result, nl=False)


def source_and_scope(function: Callable) -> Callable:
    for option in reversed((corpus_option, data_option("Read"), scope_options)):
        function = option(function)
    return function


@cli.command()
@click.option("-o", "--output", type=OutputPath(dir_okay=False, path_type=Path),
              default=Path("build/ilkg.html"), show_default=True, help="The HTML page to write.")
@click.option("--focus", metavar="ID", help="Open the page centred on this claim, actor, norm or event id.")
@source_and_scope
@reports_errors
def render(output: Path, focus: str | None, corpus_dir: Path, data: Path | None, event: str | None,
           actor: str | None, norm: str | None, since: str | None, until: str | None) -> None:
    """Write an interactive page of the graph for students (one file, works offline).

    Actors, norms, events and claims, coloured by actor type and stance, with the quote and its
    source on hover, and filters by actor, norm, event and date. Each claim is drawn as its
    proposition, each attack by its kind (rebuts thick, undercuts dashed, undermines dotted), each
    claim's border is its label under the structured reading (kg map), and the page opens on the
    main dispute ("Show all" for the rest). "What if..." sets an element of a legal test to holds
    or fails and relabels the claims, as kg map --assume does.

    \b
    Examples:
      kg render
      kg render -o build/boat-strikes.html --event us-boat-strikes --focus us-art51-boat-strikes
    """
    from .argument.map import Scope
    from .views.render import render_page

    path = render_page(output, corpus_dir=corpus_dir, data=data, focus=focus,
                       scope=Scope.parse(event, actor, norm, since, until))
    click.echo(f"wrote {path}")


@cli.command()
@click.option("-o", "--output", type=OutputPath(dir_okay=False, path_type=Path),
              default=Path("build/timeline.png"), show_default=True,
              help="The figure to write: .png or .svg.")
@source_and_scope
@reports_errors
def timeline(output: Path, corpus_dir: Path, data: Path | None, event: str | None, actor: str | None,
             norm: str | None, since: str | None, until: str | None) -> None:
    """Draw the claims over time, by claimant and stance, with the key events marked.

    \b
    Examples:
      kg timeline -o build/timeline.png
      kg timeline -o build/timeline.svg --since 2025-09 --until 2026-02
    """
    from .argument.map import Scope
    from .views.timeline import timeline_figure

    path = timeline_figure(output, corpus_dir=corpus_dir, data=data,
                           scope=Scope.parse(event, actor, norm, since, until))
    click.echo(f"wrote {path}")


@cli.command()
@click.option("-n", "--documents", type=click.IntRange(min=1), required=True,
              help="How many documents to generate (about ten claims each; at most 100,000).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="The same number of documents and seed always give the same files.")
@click.option("-o", "--output", type=OutputPath(file_okay=False, path_type=Path), required=True,
              help="A new or empty folder to write the corpus into; a folder with files is refused.")
@quiet_option
@reports_errors
def synth(documents: int, seed: int, output: Path, quiet: bool) -> None:
    """Generate a realistic synthetic corpus, for benchmarks and tests at scale.

    Documents with text and annotations shaped like the bundled corpus (claimants, voices, targets,
    norms of the shared catalogue with a realistic skew, quotes found in the text, attacks and
    supports across documents), with their own catalogues of actors and events; it passes
    `kg validate`. People, NGOs and outlets are invented.

    \b
    Examples:
      kg synth --documents 1000 --seed 7 -o build/synth-1000
      kg validate --corpus build/synth-1000
    """
    from .synth.generate import generate

    bar = progress_for(quiet)
    bar.start("generating", documents)
    try:
        summary = generate(output, documents, seed, progress=lambda done: bar.advance(1))
    finally:
        bar.finish()
    click.echo(f"wrote {output}: {summary.summary()}")


@cli.command()
@click.argument("document")
@corpus_option
@click.option("-o", "--output", type=OutputPath(dir_okay=False, path_type=Path), default=None,
              help="Write the draft to this file (e.g. corpus/annotations/DOCUMENT.yaml) instead of "
              "printing it.")
@click.option("--force", is_flag=True, help="Replace the file given with -o if it exists.")
@reports_errors
def suggest(document: str, corpus_dir: Path, output: Path | None, force: bool) -> None:
    """Draft the annotation of a stored document, for you to review.

    DOCUMENT is the id of documents/DOCUMENT.txt (with its metadata). The draft is in the
    annotation format, each claim with the reason it was suggested in its note; names no
    catalogue knows are proposed at the top, and every value left to decide is a `null` that
    `kg validate` lists until you fill it. Rules over the text and the catalogues only: nothing
    comes from an existing annotation of the document, and nothing leaves the machine.

    \b
    Examples:
      kg suggest hrw-2026-02-10                       # print the draft
      kg suggest hrw-2026-02-10 -o corpus/annotations/hrw-2026-02-10.yaml
      kg validate                                     # what is left to decide
    """
    from .suggest.assistant import suggest as run_suggest

    result = run_suggest(corpus_dir, document, output, force)
    if output is None:
        click.echo(result.text, nl=False)
        click.echo(f"kg: {result.summary()}", err=True)
    else:
        click.echo(f"wrote {result.written}: {result.summary()}")


def main() -> None:
    """The ``kg`` command (the console script).

    ``kill``, ``timeout`` and CI runners stop a program with SIGTERM, which by default ends Python
    at once: a build would leave its temporary file and the endpoint would not close its workers.
    Here SIGTERM ends ``kg`` as an exit does, unwinding through that clean-up, with status 143.
    """
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        cli()
    except SystemExit as done:
        if _KEPT:  # a build kept its records for the exit (see _KEPT): leave without freeing them
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(done.code if isinstance(done.code, int) else 0 if done.code is None else 1)
        raise


# What ``kg build`` built (its corpus and graph), kept here rather than freed when the build
# returns: a corpus of ten thousand documents is millions of Python objects, and freeing them one by
# one took 1.7 s of an 11 s rebuild, for a process about to end. ``main`` then ends the process
# without freeing them: by then the output is written and renamed, the caches are written, and
# the build's worker processes and Java process are closed.
_KEPT: list = []


def _exit_on_sigterm(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)
