"""The ``kg`` command: parses options, calls one library function, prints the result.

No graph logic lives here. Library errors (:class:`kg.errors.KgError`) become messages on stderr
and exit codes like pySHACL's: 0 fine, 1 the data does not conform, 2 could not run. Heavy
libraries are imported inside the commands so that ``kg --help`` starts fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import KgError

FORMAT_NAMES = ("turtle", "nt", "jsonld", "trig", "nquads")  # kept in step with kg.formats.FORMATS


def corpus_option(function: Callable) -> Callable:
    return click.option(
        "--corpus", "corpus_dir", type=click.Path(path_type=Path), default=Path("corpus"),
        show_default=True, help="The corpus folder (documents/, annotations/, catalogues/).",
    )(function)


def reports_errors(function: Callable) -> Callable:
    """Turn library errors into ``error: file:line: message`` lines and the right exit code."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except KgError as exc:
            for problem in getattr(exc, "problems", []):
                click.echo(f"error: {problem}", err=True)
            click.echo(f"kg: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """ilkg: who invokes which rule of international law against whom.

    Build, check and count the International-Law Knowledge Graph from an annotated corpus.

    \b
    Example:
      kg build            # corpus/ -> build/ilkg.ttl, validated with SHACL
    """


@cli.command()
@corpus_option
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Where to write the graph [default: build/ilkg.<ext>].")
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default="turtle",
              show_default=True, help="RDF serialisation; trig and nquads keep the named graphs.")
@reports_errors
def build(corpus_dir: Path, output: Path | None, fmt: str) -> None:
    """Build the graph from the corpus, validate it, and write it atomically.

    Nothing is written unless the corpus and the graph are valid; a previous output is then left
    as it was.

    \b
    Examples:
      kg build
      kg build --corpus my-corpus -o out/graph.trig --format trig
    """
    from .pipeline import build as run_build

    report = run_build(corpus_dir, output, fmt)
    click.echo(f"wrote {report.output} ({report.triples} triples, {report.format})")
    click.echo(f"{report.stats.summary()}; SHACL: conforms")


@cli.command()
@corpus_option
@reports_errors
def validate(corpus_dir: Path) -> None:
    """Check the corpus and the graph it builds, writing nothing.

    Exit status: 0 valid, 1 the corpus does not conform, 2 the check could not run.

    \b
    Example:
      kg validate --corpus corpus
    """
    from .pipeline import validate as run_validate

    report = run_validate(corpus_dir)
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
    from .pipeline import stats as run_stats

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
        ("  supports", counts.supports),
    ]
    for name, value in rows:
        click.echo(f"{name:<18}{value:>6}")
    for title, ranked in (("by stance", counts.by_stance), ("by claimant", counts.by_claimant),
                          ("by norm", counts.by_norm), ("by document", counts.by_document)):
        click.echo(f"\n{title}:")
        for name, value in ranked:
            click.echo(f"  {name:<44}{value:>6}")
