"""What a person types for an actor, norm, event, claim or document, resolved to the one IRI it names.

A scholar writes ``--param actor=VEN``, but also ``actor=Venezuela`` or ``actor=Caracas``. An id
that names nothing must say so, with the nearest ids, instead of giving an empty answer that reads
as "no claims". The graph itself is asked — the local engine or a remote endpoint alike — so the
check holds for the corpus, a built file or a store: an id, a label in any language, a notation
("UN Charter Art. 51") or an alias (``skos:altLabel``) names a thing, and the catalogues' own
:class:`~kg.corpus.catalogues.Registry` resolves them, as it does for annotators. ``kg query`` parameters
and the scope of ``kg map`` (and of the pages and figures) go through here.

An id is first looked up alone (one ASK), so that a corpus of a million claims is not read to
check one; the names of a kind are read only when the id is not one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import URIRef

from ..corpus.catalogues import Registry
from ..errors import QueryError
from ..graph.namespaces import ILK
from .results import QueryResult
from .saved_queries import ID_KINDS, internal_query

# kind -> (namespace of its ids, the class every thing of that kind has)
CLASSES = {"actor": ILK.Actor, "norm": ILK.Norm, "event": ILK.Event, "claim": ILK.Claim, "doc": ILK.Document}
KINDS = {kind: (namespace, CLASSES[kind]) for kind, namespace in ID_KINDS.items()}
# What may follow a namespace in an IRI a query can carry (SPARQL's IRIREF; no white space).
_LOCAL = re.compile(r'^[^\x00-\x20<>"{}|^`\\]+$')

Run = Callable[..., QueryResult]  # (query text, bindings) -> result: Engine.query or an endpoint


@dataclass(frozen=True)
class _Named:
    aliases: tuple[str, ...]  # every name of one thing, as Registry reads them


class Identifiers:
    """Resolves ids, labels and aliases against the graph that ``run`` queries."""

    def __init__(self, run: Run):
        self._run = run
        self._registries: dict[str, Registry] = {}

    def local_id(self, kind: str, value: str) -> str:
        """The id of the one ``kind`` that ``value`` names, or QueryError saying why there is none.

        When the graph holds nothing of that kind at all (a store with other data) the value is
        taken as an id unchecked: there is nothing to check it against.
        """
        if self._is_a(kind, value):
            return value
        registry = self.registry(kind)
        if not registry.ids:
            return value
        found, problem = registry.resolve(value)
        if problem is None:
            return found
        others = [] if "did you mean" in problem else [k for k in KINDS if k != kind and self._is_a(k, value)]
        if others:
            problem += f" ('{value}' is {_a(others[0])})"
        raise QueryError(problem)

    def iri(self, kind: str, value: str) -> URIRef:
        return URIRef(str(KINDS[kind][0]) + self.local_id(kind, value))

    def registry(self, kind: str) -> Registry:
        """Every ``kind`` in the graph with its names (read once)."""
        if kind not in self._registries:
            namespace = str(KINDS[kind][0])
            names: dict[str, list[str]] = {}
            for thing, name in self._run(internal_query("names"), {"kind": KINDS[kind][1]}).rows:
                if str(thing).startswith(namespace):
                    found = names.setdefault(str(thing)[len(namespace):], [])
                    if name is not None:
                        found.append(str(name))
            self._registries[kind] = Registry(kind, {i: _Named(tuple(n)) for i, n in names.items()})
        return self._registries[kind]

    def _is_a(self, kind: str, value: str) -> bool:
        if not _LOCAL.match(value):
            return False
        namespace, cls = KINDS[kind]
        return bool(self._run(internal_query("is-a"), {"thing": URIRef(str(namespace) + value),
                                                        "kind": cls}).boolean)


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
