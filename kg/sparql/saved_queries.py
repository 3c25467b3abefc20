"""The saved queries: ``.rq`` files in the package, each opening with its question and parameters.

A saved query is documentation as much as code, so its header is written for a scholar:

    # question: Every claim against an actor.
    # param actor (actor): the party the claims are against, e.g. USA

Parameters are bound as RDF terms by the engine (SEP-0007 substitution / rdflib initBindings, or
a VALUES block for a variable the SELECT does not return: see :mod:`kg.sparql.engines`), never pasted
into the text; a parameter left out stays a free variable, so every parameter is a filter that
can be omitted. An id parameter (actor, norm, ...) may be given by label or alias and is checked
against the graph (:mod:`kg.sparql.identifiers`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import QueryError
from ..resources import packaged

if TYPE_CHECKING:
    from rdflib import URIRef

    from .identifiers import Identifiers

# rdflib (through kg.graph.namespaces and kg.corpus) is imported where a parameter is bound, not
# here: `kg query --list` reads the saved queries and should start as fast as `kg --help`.

# the kinds of id a parameter may take; other kinds: iri, string, date, integer
ID_KIND_NAMES = ("actor", "norm", "event", "claim", "doc")
KINDS = (*ID_KIND_NAMES, "iri", "string", "date", "integer")


def id_kinds() -> dict:
    """kind -> namespace for ids."""
    from ..graph.namespaces import ACTOR, CLAIM, DOC, EVENT, NORM

    return {"actor": ACTOR, "norm": NORM, "event": EVENT, "claim": CLAIM, "doc": DOC}


def __getattr__(name: str) -> object:  # ID_KINDS, made when first asked for (PEP 562)
    if name == "ID_KINDS":
        return id_kinds()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def did_you_mean(wrong: str, known) -> str:
    from ..corpus.fields import did_you_mean as suggest

    return suggest(wrong, known)
_PARAM = re.compile(r"^#\s*param\s+(\w+)\s*\((\w+)\)\s*:\s*(.+)$")
_QUESTION = re.compile(r"^#\s*question\s*:\s*(.+)$")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # one of KINDS
    description: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    question: str
    params: tuple[Param, ...]
    text: str


def _parse(name: str, text: str) -> SavedQuery:
    question, params = "", []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if match := _QUESTION.match(line):
            question = match.group(1).strip()
        elif match := _PARAM.match(line):
            param_name, kind, description = match.groups()
            if kind not in KINDS:
                raise QueryError(f"saved query '{name}': parameter '{param_name}' has unknown kind "
                                 f"'{kind}' (one of {', '.join(KINDS)})")
            params.append(Param(param_name, kind, description.strip()))
    return SavedQuery(name, question, tuple(params), text)


def _folder():
    return packaged("sparql", "queries")


def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query by name, in name order."""
    found = {}
    for entry in sorted(_folder().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            found[name] = _parse(name, entry.read_text(encoding="utf-8"))
    return found


def internal_query(name: str) -> str:
    """A query the tool itself runs (labels for tables); not listed to users."""
    return (_folder() / "internal" / f"{name}.rq").read_text(encoding="utf-8")


def resolve_query(name_or_file: str) -> SavedQuery:
    """A saved query by name, or a ``.rq`` file of the user's (its header is read the same way)."""
    queries = saved_queries()
    if name_or_file in queries:
        return queries[name_or_file]
    path = Path(name_or_file)
    if path.suffix == ".rq" or path.is_file():
        try:
            return _parse(path.stem, path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise QueryError(f"cannot read {path}: {exc.strerror}") from exc
    raise QueryError(f"no saved query '{name_or_file}'{did_you_mean(name_or_file, queries)}; "
                     "`kg query --list` shows them")


def bind_params(query: SavedQuery, values: list[str], *, variables: tuple[str, ...] | None = None,
                names: Identifiers | None = None) -> dict[str, object]:
    """``name=value`` strings as RDF terms of the kinds the query declares.

    A query without declared parameters (a file or ``-e``) accepts any of its ``variables`` (all
    names when they are not given); a parameter named like a kind of id (actor, norm, event, claim,
    doc) takes that kind, others are read as IRIs when written ``<...>`` or with a known prefix
    (``actor:USA``), integers when they are digits, and plain strings otherwise. With ``names``
    (:class:`kg.sparql.identifiers.Identifiers`) an id, label or alias is checked against the graph and
    resolved to the IRI it names; without, an id is put in its namespace unchecked.
    """
    items = check_params(query, values, variables)
    return {name: _term(name, value, kind, names) for name, value, kind in items}


def check_params(query: SavedQuery, values: list[str],
                 variables: tuple[str, ...] | None = None) -> list[tuple[str, str, str | None]]:
    """``(name, value, kind)`` of each ``name=value``; QueryError for a name the query does not take."""
    declared = {p.name: p for p in query.params}
    items = []
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise QueryError(f"--param '{item}': write name=value")
        if declared and name not in declared:
            raise QueryError(f"query '{query.name}' has no parameter '{name}'"
                             f"{did_you_mean(name, declared)}; it takes: {', '.join(declared)}")
        if not declared and variables is not None and name not in variables:
            marked = [f"?{v}" for v in variables]
            raise QueryError(f"--param {name}: the query has no variable ?{name}"
                             f"{did_you_mean(f'?{name}', marked)} to bind; its variables: "
                             f"{', '.join(marked) or 'none'}")
        items.append((name, value, declared[name].kind if name in declared else
                      (name if name in ID_KIND_NAMES else None)))
    return items


def _prefixed(value: str) -> bool:
    from ..graph.namespaces import QUERY_PREFIXES

    prefix, colon, _ = value.partition(":")
    return bool(colon) and prefix in QUERY_PREFIXES


def _explicit(name: str, value: str) -> URIRef:
    """An IRI written ``<...>``, in full or with a predefined prefix."""
    from ..graph.namespaces import QUERY_PREFIXES

    if value.startswith("<") and value.endswith(">"):
        return _iri(name, value[1:-1])
    if value.startswith(("http://", "https://")):
        return _iri(name, value)
    prefix, _, local = value.partition(":")
    if prefix in QUERY_PREFIXES:
        return _iri(name, QUERY_PREFIXES[prefix] + local)
    raise QueryError(f"--param {name}: '{value}' is not a valid IRI or id")


# What SPARQL's IRIREF production allows: no white space, controls, or <>"{}|^`\
_IRI = re.compile(r'^[^\x00-\x20<>"{}|^`\\]+\Z')


def _iri(name: str, value: str) -> URIRef:
    if not _IRI.match(value) or ":" not in value:
        raise QueryError(f"--param {name}: '{value}' is not a valid IRI or id")
    from rdflib import URIRef

    return URIRef(value)


def _term(name: str, value: str, kind: str | None, names: Identifiers | None):
    from rdflib import Literal
    from rdflib.namespace import XSD

    from ..corpus.dates import parse_date

    if kind in ID_KIND_NAMES:
        namespace = str(id_kinds()[kind])
        if value.startswith(f"<{namespace}") and value.endswith(">"):
            value = value[len(namespace) + 1 : -1]
        elif value.startswith(namespace):
            value = value[len(namespace):]
        elif value.startswith(f"{kind}:"):
            value = value[len(kind) + 1:]
        elif value.startswith(("<", "http://", "https://")) or _prefixed(value):
            return _explicit(name, value)  # an IRI elsewhere: the user's to choose
        return names.iri(kind, value) if names is not None else _iri(name, namespace + value)
    if value.startswith("<") or _prefixed(value):
        return _explicit(name, value)
    if kind == "iri":
        if not value.startswith(("http://", "https://")):
            raise QueryError(f"--param {name}: '{value}' is not an IRI")
        return _iri(name, value)
    if kind == "date":
        try:
            return parse_date(value).literal()
        except ValueError as exc:
            raise QueryError(f"--param {name}: {exc}") from None
    if kind == "integer" or (kind is None and value.isdigit()):
        try:
            return Literal(int(value), datatype=XSD.integer)
        except ValueError:
            raise QueryError(f"--param {name}: '{value}' is not a whole number") from None
    return Literal(value)
