"""The structured reading of a map as data a browser evaluates while a student toggles assumptions.

``kg scheme --format html`` and ``kg render`` let a student set each element of a legal test to
*holds*, *fails* or *open* and see the labels change, offline. Rather than precompute every
combination (3^n of them), the page carries the compiled theory's argument framework with **every
possible assumption present but inactive** and runs the grounded fixpoint over the active part.
Assumptions only add arguments (axioms, which nothing attacks and which support nothing) and their
defeats; every other defeat is the same whatever is assumed. So the grounded labels of the active
subgraph are exactly those of ``kg map --assume ...`` for the same choices (tests check this for
many combinations against :func:`kg.argument.structured.evaluate`).

The model (:func:`toggle_model`), a JSON-able dict::

    {
      "format": "ilkg-toggle-model/1",
      "semantics": "grounded",              # the only semantics a page evaluates
      "ordering": "last-link, elitist",
      "preference": {"name": "none", "order": ""},
      "arguments": [                        # sorted by id; an argument is named by its conclusion
        {"id": "claim(us-art51-boat-strikes)", "kind": "claim", "claim": "us-art51-boat-strikes",
         "element": null},
        {"id": "assumes(us-art51-boat-strikes,self-defence/armed-attack)", "kind": "assumes",
         "claim": "us-art51-boat-strikes", "element": "self-defence/armed-attack"},
        {"id": "holds(self-defence/armed-attack)", "kind": "holds", "claim": null,
         "element": "self-defence/armed-attack"},
        ...
      ],
      "defeats": [[0, 5], ...],             # [attacker, defeated] as indexes into "arguments", sorted
      "claims": {"us-art51-boat-strikes": 0, ...},   # each claim -> the index of its argument
      "elements": {"self-defence/armed-attack": {"scheme": "self-defence", "role": "condition",
                   "label": "Armed attack", "holds": 7, "fails": 8}, ...},
      "labels": {"us-art51-boat-strikes": "out", ...}  # with no assumption active
    }

``kind`` is one of claim, basis, affirms, denies, assumes (the claims' arguments and their
sub-arguments) or holds, fails (the assumption axioms). To evaluate under a choice of assumptions
(:func:`model_labels` is the reference, the page's script does the same):

1. An argument is *active* unless its kind is holds or fails and the student has not set its
   element to that value; a defeat counts when both its ends are active.
2. Grounded labelling of the active arguments: repeatedly label ``in`` every active argument all
   of whose active attackers are ``out`` (at first: those with none), and ``out`` every argument an
   ``in`` argument defeats, until nothing changes; the rest are ``undec``.
3. A claim's label is the label of its argument (``claims``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import networkx as nx

from ..errors import QueryError, QueryLimitError
from ..graph.pipeline import DEFAULT_CORPUS
from ..sparql.engines import Engine, open_engine
from .map import Scope, argument_map
from .preferences import Preference, resolve
from .semantics import IN, OUT, UNDEC
from .structured import ORDERING, evaluate
from .theory import FAILS, HOLDS, SchemeCatalogue, compile_theory

FORMAT = "ilkg-toggle-model/1"


def toggle_model(map_graph: nx.DiGraph, prefer: str | Preference | None = None, *,
                 catalogue: SchemeCatalogue | None = None, engine: Engine | None = None) -> dict:
    """The model of ``map_graph`` (an argument map) for a page that toggles element assumptions,
    under the preference ordering ``prefer`` (a name, an inline ordering or a
    :class:`~kg.argument.preferences.Preference`). The legal tests come from ``catalogue``, or are
    read from ``engine`` (the one the map was read from). Raises QueryLimitError when the theory
    does not fit the bounds of the structured reading (scope the map)."""
    if catalogue is None:
        if engine is None:
            raise QueryError("toggle_model needs the legal tests: pass catalogue= or the engine the map came from")
        catalogue = SchemeCatalogue.read(engine)
    preference = prefer if isinstance(prefer, Preference) else resolve(
        prefer, (map_graph.nodes[n]["claimant"] for n in map_graph))
    elements = list(catalogue.elements)
    # Every assumption at once is not one theory (an element cannot both hold and fail), but two
    # are: all holding, all failing. Their defeats differ only in those from the axioms.
    found = {}
    for value in (HOLDS, FAILS):
        theory = compile_theory(map_graph, catalogue, preference, dict.fromkeys(elements, value))
        found[value] = evaluate(theory)
        if found[value].bound is not None:
            raise QueryLimitError(f"the map is too large to toggle assumptions on: {found[value].bound}")
    literals = {**found[HOLDS].theory.literals, **found[FAILS].theory.literals}
    names = sorted(set(found[HOLDS].theory.arguments()) | set(found[FAILS].theory.arguments()))
    index = {name: i for i, name in enumerate(names)}
    defeats = sorted({(index[a], index[b]) for value in (HOLDS, FAILS) for a, b in found[value].defeats})
    plain = evaluate(compile_theory(map_graph, catalogue, preference, {}))
    return {
        "format": FORMAT,
        "semantics": "grounded",
        "ordering": ORDERING,
        "preference": {"name": preference.name, "order": preference.order},
        "arguments": [{"id": name, "kind": literals[name].kind, "claim": literals[name].claim,
                       "element": literals[name].element} for name in names],
        "defeats": [list(pair) for pair in defeats],
        "claims": {c: index[f"claim({c})"] for c in sorted(map_graph)},
        "elements": {e: {"scheme": info.scheme, "role": info.role, "label": info.label,
                         HOLDS: index[f"{HOLDS}({e})"], FAILS: index[f"{FAILS}({e})"]}
                     for e, info in catalogue.elements.items()},
        "labels": dict(sorted(plain.claim_labels.items())),
    }


def toggle_model_of(*, corpus_dir: Path | str = DEFAULT_CORPUS, data: Path | str | None = None,
                    scope: Scope | None = None, prefer: str | None = None) -> dict:
    """:func:`toggle_model` of the map of the corpus (or a built file) in ``scope``."""
    engine = open_engine("oxigraph", corpus_dir=corpus_dir, data=data)
    return toggle_model(argument_map(engine, scope), prefer, engine=engine)


def model_labels(model: dict, assumptions: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each claim's grounded label in ``model`` with ``assumptions`` ({element: holds|fails})
    active: the reference for the page's script (see the module's docstring)."""
    assumptions = assumptions or {}
    arguments = model["arguments"]
    active = [a["kind"] not in (HOLDS, FAILS) or assumptions.get(a["element"]) == a["kind"] for a in arguments]
    attackers: list[list[int]] = [[] for _ in arguments]
    targets: list[list[int]] = [[] for _ in arguments]
    for a, b in model["defeats"]:
        if active[a] and active[b]:
            attackers[b].append(a)
            targets[a].append(b)
    labels = [UNDEC] * len(arguments)
    changed = True
    while changed:
        changed = False
        for i in range(len(arguments)):
            if active[i] and labels[i] == UNDEC and all(labels[a] == OUT for a in attackers[i]):
                labels[i] = IN
                changed = True
                for t in targets[i]:
                    labels[t] = OUT
    return {claim: labels[i] for claim, i in model["claims"].items()}
