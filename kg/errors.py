"""Errors a person can act on.

Every failure the library knows about is a :class:`KgError`; the CLI turns them into messages and
exit codes (0 fine, 1 the data does not conform, 2 could not run), as pySHACL's CLI does. Problems
found in the corpus are collected, not raised one at a time, so that an annotator sees every
mistake of a run at once, each as ``file:line: message``.
"""

from __future__ import annotations

from dataclasses import dataclass


class KgError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = 2


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can.

    ``unreadable`` marks a file that could not be read at all (not UTF-8, malformed YAML, no
    top-level list): it is listed before everything else, because the problems that would follow
    from it (every claimant "unknown" when the actor catalogue does not parse) are not reported.
    """

    file: str
    line: int | None
    message: str
    unreadable: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class CorpusError(KgError):
    """The corpus (documents, annotations, catalogues) has problems; nothing was written."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        # Files that could not be read first: fixing them may be all there is to do.
        self.problems = sorted(set(problems),
                               key=lambda p: (not p.unreadable, p.file, p.line or 0, p.message))
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the corpus; nothing written")


class ShapeError(KgError):
    """The built graph does not conform to the SHACL shapes; nothing was written."""

    exit_code = 1

    def __init__(self, problems: list[Problem], report: str):
        self.problems = problems
        self.report = report
        count = len(problems)
        super().__init__(
            f"the graph does not conform to ontology/shapes.ttl ({count} violation"
            f"{'s' if count != 1 else ''}); nothing written. See https://www.w3.org/TR/shacl/"
        )


class SetupError(KgError):
    """The tool cannot run: a missing corpus folder, an unreadable ontology, a bad option."""

    exit_code = 2


class OutputError(KgError):
    """The output could not be written; any previous output is left as it was."""

    exit_code = 2


class QueryError(KgError):
    """A SPARQL query that cannot run: bad syntax, a refused operation, an unknown saved query."""

    exit_code = 2


class QueryRefused(QueryError):
    """A query asking for what this tool never does: updates, LOAD, SERVICE, remote graphs."""


class QueryLimitError(QueryError):
    """A query that hit the time limit or the row cap."""


class RemoteError(KgError):
    """A SPARQL store or endpoint could not be reached, refused the credentials or the request."""

    exit_code = 2


class KgWarning(UserWarning):
    """A result that is usable but incomplete, said without failing: the CLI prints it on stderr as
    ``kg: warning: ...``; a notebook shows it as Python shows any warning."""


class BoundReached(KgWarning):
    """A search stopped at one of the bounds of :mod:`kg.limits`; the result says what it left open."""

