"""What ``kg map`` shows: the claims of a map with their labels under one reading, as data.

Two readings of the same map. The **structured** reading (the default) evaluates the ASPIC+
theory compiled from the claims, the legal tests they apply and their elements
(:mod:`kg.argument.structured`), under the assumptions and the preference ordering given, and
explains each label (:mod:`kg.argument.explain`). The **abstract** reading is Dung's semantics
over the annotated attacks alone (:mod:`kg.argument.semantics`), as ``kg map`` read maps before
the argument layer existed. :func:`map_report` returns one JSON-able dict for either; the CLI
prints it as a table or as JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..corpus.fields import did_you_mean
from ..errors import QueryError
from ..graph.pipeline import DEFAULT_CORPUS
from .map import Scope, claim_parties, claim_text, reading_of
from .structured import ORDERING


def map_report(*, corpus_dir: Path | str = DEFAULT_CORPUS, data: Path | str | None = None,
               scope: Scope | None = None, semantics: str = "grounded", reading: str = "structured",
               assume: Iterable[str] = (), prefer: str | None = None, explain: str | None = None) -> dict:
    """The claims of the map of ``scope`` with their acceptance under ``reading``, and what the
    labels were found under (for the structured reading: assumptions, preference, ordering and an
    explanation per claim). ``explain``: keep only that claim (an unknown id is an error)."""
    if reading == "abstract" and explain:
        raise QueryError("--explain reads the structured argument; drop it or use --reading structured")
    graph, found = reading_of(corpus_dir=corpus_dir, data=data, scope=scope, semantics=semantics,
                              reading=reading, assume=assume, prefer=prefer)
    if found is None:
        explanations = None
        head = {"reading": "abstract", "semantics": semantics, "caveat": graph.graph["caveat"]}
    else:
        from .explain import explain_all

        preference = found.theory.preference
        head = {"reading": "structured", "semantics": semantics, "ordering": ORDERING,
                "assumptions": dict(found.theory.assumptions),
                "preference": {"name": preference.name, "order": preference.order},
                "caveat": graph.graph["caveat"]}
        explanations = explain_all(found)
    if explain is not None and explain not in graph:
        raise QueryError(f"claim '{explain}' is not in the map{did_you_mean(explain, graph.nodes)}"
                         + (" (it may be outside the scope given)" if scope and scope != Scope() else ""))
    relations = [d["relation"] for _, _, d in graph.edges(data=True)]
    claims = []
    for claim in sorted(graph) if explain is None else [explain]:
        node = graph.nodes[claim]
        entry = {"claim": claim, "acceptance": node["acceptance"], "proposition": claim_text(node),
                 "parties": claim_parties(node),
                 "label": claim_text(node), "summary": node["label"], "against": node["against_ids"]}
        if node.get("bound_reached"):
            entry["bound_reached"] = True
        if explanations is not None:
            entry["explanation"] = explanations[claim].as_json()
        claims.append(entry)
    counts = {k: sum(1 for n in graph if graph.nodes[n]["acceptance"] == k) for k in ("in", "out", "undec")}
    return head | {"extensions": graph.graph.get("extensions"),
                   "extension_count": graph.graph.get("extension_count"),
                   "bound": graph.graph.get("bound"), "counts": counts,
                   "attacks": relations.count("attacks"), "supports": relations.count("supports"),
                   "claims": claims}
