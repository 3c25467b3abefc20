"""SHACL validation of a built graph against ``ontology/shapes.ttl`` (with pySHACL).

The corpus loader already refuses what it can see in one file; the shapes are the contract of the
graph as a whole (exactly one claimant, evidence with both selectors, norms typed correctly, ...)
and keep holding when someone builds the graph by other means. Violations are turned into
:class:`~kg.errors.Problem` records that name the claim or entity and, where the shape says it,
what to fix.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from .errors import Problem, SetupError, ShapeError
from .resources import ontology_dir


def load_shapes() -> Graph:
    try:
        return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    except Exception as exc:  # rdflib raises many parser exception types
        raise SetupError(f"ontology/shapes.ttl does not parse: {exc}") from exc


def validate_graph(graph: Graph) -> None:
    """Raise ShapeError listing every violation if ``graph`` does not conform to the shapes."""
    from pyshacl import validate  # imported here: pySHACL is slow to import and only used here

    conforms, report, text = validate(
        graph, shacl_graph=load_shapes(), inference="none", advanced=True, allow_warnings=True
    )
    if conforms:
        return
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        where = graph.namespace_manager.normalizeUri(focus) if isinstance(focus, URIRef) else str(focus)
        prop = f" {graph.namespace_manager.normalizeUri(path)}" if isinstance(path, URIRef) else ""
        problems.append(Problem("SHACL", None, f"{where}{prop}: {message}"))
    raise ShapeError(sorted(problems), text)
