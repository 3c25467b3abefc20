"""SHACL validation of a built graph against ``ontology/shapes.ttl`` (with pySHACL).

The corpus loader already refuses what it can see in one file; the shapes are the contract of the
graph as a whole (exactly one claimant, evidence with both selectors, norms typed correctly, ...)
and keep holding when someone builds the graph by other means. Violations are turned into
:class:`~kg.errors.Problem` records that name the claim or entity and, where the shape says it,
what to fix.

pySHACL checks a few thousand triples a second, so a corpus of ten thousand documents would take
many minutes as one graph. No shape of ours looks across documents except through the type of what
a claim points to, so the build is checked in units: one for the ontology, catalogues and build
record, and one per document (its claims, evidence and provenance as focus nodes, plus the
subclass axioms and the ``rdf:type`` of every actor, norm, event or claim it points to as context).
Each unit's verdict is cached under a hash of exactly what was validated (the unit's triples, the
shapes and the pySHACL version), so a rebuild checks only the documents that changed, and units
that miss the cache are checked in parallel worker processes — or, for large corpora, in batches by
Apache Jena in one Java process (``shacl_jena.py``; ``--shacl-engine``), which gives the same
results; the verdict cache is shared, as a verdict is about the data and the shapes.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH

from ..errors import Problem, SetupError, ShapeError
from ..progress import SILENT, Progress
from ..resources import ontology_dir
from ..workers import worker_pool
from .builder import BuiltGraph, DocumentUnit, term
from .namespaces import ILK, OA
from .output import write_atomic

CACHE_NAME = ".kg-cache"
PARALLEL_FROM = 16  # fewer units than this are checked in-process (a worker costs ~0.5 s to start)
# Units checked together in one pySHACL run: each run has a fixed cost (the shapes graph is read
# and compiled again), which dozens of documents share.
BATCH_SERIAL = 64
BATCH_PARALLEL = 16
# Engines for --shacl-engine. "auto" keeps pySHACL in-process until JENA_FROM units miss the cache
# (below that pySHACL is done before a JVM has started), then hands every unit to Jena if Java and
# Jena are installed. Jena takes bigger batches: its cost per batch is small, its heap is capped.
ENGINES = ("auto", "pyshacl", "jena")
JENA_FROM = 64
BATCH_JENA = 96


class Result(NamedTuple):
    """One violation as an engine reports it; engines must agree on (focus, path, component)."""

    focus: object  # an rdflib term: the focus node
    path: object  # the sh:resultPath: an IRI, a complex path written out (see _path), or None
    component: object  # the sh:sourceConstraintComponent
    message: object  # the sh:resultMessage (the engines word the shapes' defaults differently)
    detail: bool = False  # pySHACL's sh:detail of a failed sh:node (Jena 4.5 reports none)
    value: object = None  # the sh:value, which a shape's message may name as {$value}


def load_shapes() -> Graph:
    try:
        return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    except Exception as exc:  # rdflib raises many parser exception types
        raise SetupError(f"ontology/shapes.ttl does not parse: {exc}") from exc


def validate_graph(graph: Graph, focus: set[URIRef] | None = None) -> None:
    """Raise ShapeError listing every violation of ``graph`` (or of its ``focus`` nodes)."""
    results, text = _violations(graph, focus)
    if results:
        raise ShapeError(_problems(results, graph), text)


def _violations(graph: Graph, focus: set[URIRef] | None, shapes: Graph | None = None
                ) -> tuple[list[Result], str]:
    """Validate all of ``graph``; keep the results about ``focus`` nodes (all when None).

    The whole graph is validated and the report filtered, rather than passing pySHACL's
    ``focus_nodes``: with that option, pySHACL 0.40 fails qualified value shapes on literals
    (every norm "lacks" its English label). Context nodes of a unit break the shapes, being
    only typed; their results are dropped here and they are checked in their own unit.
    """
    from pyshacl import validate  # imported here: pySHACL is slow to import and only used here

    conforms, report, text = validate(
        graph, shacl_graph=shapes if shapes is not None else _shapes(), inference="none",
        advanced=True, allow_warnings=True,
    )
    return ([] if conforms else _results(report, focus)), text


def _results(report: Graph, focus: set[URIRef] | None) -> list[Result]:
    """The violations in a SHACL report (pySHACL's or Jena's) about ``focus`` nodes (all when None)."""
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        node = report.value(result, SH.focusNode)
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        if focus is not None and node not in focus:
            continue
        found.append(Result(node, _path(report, report.value(result, SH.resultPath)),
                            report.value(result, SH.sourceConstraintComponent),
                            report.value(result, SH.resultMessage),
                            (None, SH.detail, result) in report, report.value(result, SH.value)))
    return found


def _path(report: Graph, path: object) -> object:
    """An IRI path as it is; a complex one (a blank node) written out, as engines name blank nodes
    differently: ``(a / b)`` a sequence, ``^a`` an inverse, ``[a | b]`` alternatives (flat: pySHACL
    reports ``( a b c )`` as nested pairs, Jena as one list)."""
    if path is None or isinstance(path, URIRef):
        return path
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_path(report, inverse)}"
    if report.value(path, SH.alternativePath) is not None:
        return f"[{' | '.join(str(_path(report, p)) for p in _alternatives(report, path))}]"
    for kind, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = report.value(path, kind)
        if inner is not None:
            return f"{_path(report, inner)}{mark}"
    if report.value(path, RDF.first) is not None:
        return f"({' / '.join(str(_path(report, p)) for p in report.items(path))})"
    return str(path)


def _alternatives(report: Graph, path: object) -> list:
    """The alternatives of an alternative path, those of a nested alternative spliced in."""
    found = []
    for item in report.items(report.value(path, SH.alternativePath)):
        found.extend(_alternatives(report, item) if isinstance(item, BNode)
                     and report.value(item, SH.alternativePath) is not None else [item])
    return found


def _problems(results: list[Result], graph: Graph) -> list[Problem]:
    problems = []
    for node, path, message, value in ((r.focus, r.path, r.message, r.value) for r in results):
        if message is not None and "{$value}" in message and value is not None:
            named = graph.namespace_manager.normalizeUri(value) if isinstance(value, URIRef) else str(value)
            message = message.replace("{$value}", named)
        where = graph.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else str(node)
        prop = f" {graph.namespace_manager.normalizeUri(path)}" if isinstance(path, URIRef) else ""
        problems.append(Problem("SHACL", None, f"{where}{prop}: {message}"))
    return sorted(problems)


_SHAPES: Graph | None = None

# The classes of the nodes a document unit owns (its focus nodes): its shapes target only these.
DOCUMENT_CLASSES = frozenset(URIRef(iri) for iri in (
    ILK.Claim, ILK.Document, ILK.DocumentPiece, OA.SpecificResource, OA.TextQuoteSelector,
    OA.TextPositionSelector, PROV.Entity))


def _shapes() -> Graph:
    global _SHAPES  # one parse per process: workers validate many units
    if _SHAPES is None:
        _SHAPES = load_shapes()
    return _SHAPES


def _targeting(graph: Graph, focus: set[URIRef], shared: bool) -> Graph:
    """The shapes, with the class targets of document shapes turned into the focus nodes by name.

    A document unit's context is typed (an actor, a norm, a claim of another document) so that
    ``sh:class`` holds; targeted by class, each would be checked again and fail for want of its
    other triples. So each class target of a document shape becomes ``sh:targetNode`` for the
    focus nodes that are SHACL instances of that class, and, unless the ``shared`` unit (which
    holds the catalogues in full) is being checked too, the shapes of other classes lose their
    targets. pySHACL's ``focus_nodes`` and ``use_shapes`` options would do this, but in 0.40 the
    first skips nested shapes on literals (a bad date would pass) and the second validates
    nothing when property shapes are IRIs.
    """
    shapes = Graph()
    for triple in _shapes():
        shapes.add(triple)
    for shape, target in list(shapes.subject_objects(SH.targetClass)):
        if target not in DOCUMENT_CLASSES:
            if not shared:
                shapes.remove((shape, SH.targetClass, target))
            continue
        shapes.remove((shape, SH.targetClass, target))
        for kind in set(graph.transitive_subjects(RDFS.subClassOf, target)):
            for node in graph.subjects(RDF.type, kind):
                if node in focus:
                    shapes.add((shape, SH.targetNode, node))
    return shapes


# --- units ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """What the shapes see of one part of the build: N-Triples data, and its focus nodes.

    Only focus nodes are validated; the other nodes of ``data`` are context (their type).
    Units can be checked together: the union of their data with the union of their focus.
    """

    name: str
    data: bytes
    focus: tuple[str, ...]
    scope: str = "document"  # "all": the shared unit, whose class targets are kept (see _targeting)
    # (focus node, class of DOCUMENT_CLASSES it is an instance of): what Jena's targets need,
    # known when the unit is made from triples (reading it back from ``data`` cost a build seconds)
    targets: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        digest = hashlib.sha256(_engine_stamp().encode())
        digest.update(self.scope.encode() + b"\n")
        digest.update(self.data)
        digest.update("\n".join(self.focus).encode())
        return digest.hexdigest()


# The build's IRI is a hash of every input, so it changes whenever any file changes; in a unit it
# is replaced by this stand-in (no shape constrains its value), or no verdict could be reused.
STABLE_BUILD = "https://w3id.org/ilkg/build/validated"


def shared_unit(built: BuiltGraph) -> Unit:
    """Ontology, catalogues and the build record: every subject of them is a focus node."""
    triples = [*built.ontology, *built.catalogues, *built.build_provenance]
    focus = dict.fromkeys(t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode))
    return _unit(built, "ontology and catalogues", triples, focus, "all")


def document_unit(built: BuiltGraph, unit: DocumentUnit) -> Unit:
    """A document's triples as focus, with what sh:class needs to know of the rest as context."""
    own = [*unit.corpus, *unit.provenance]
    focus = dict.fromkeys(t.subject.value for t in own)
    return _unit(built, f"document {unit.id}", [*own, *unit.context, *_subclass_axioms(built)], focus)


def _unit(built: BuiltGraph, name: str, triples: list[ox.Triple], focus: dict[str, None],
          scope: str = "document") -> Unit:
    build, stable = str(built.build_iri), STABLE_BUILD
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).replace(build.encode(), stable.encode())
    rdf_type, instance_of = term(RDF.type), _instance_of(built)
    targets = sorted({(t.subject.value.replace(build, stable), target) for t in triples
                      if t.predicate == rdf_type and t.subject.value in focus
                      for target in instance_of.get(t.object.value, ())})
    return Unit(name, data, tuple(node.replace(build, stable) for node in focus), scope, tuple(targets))


_INSTANCE_OF: dict[int, tuple[list, dict[str, tuple[str, ...]]]] = {}


def _instance_of(built: BuiltGraph) -> dict[str, tuple[str, ...]]:
    """Class -> the classes of DOCUMENT_CLASSES it is (by the ontology's rdfs:subClassOf, itself
    included): the same closure :func:`_targeting` takes over a unit's subclass axioms."""
    known = _INSTANCE_OF.get(id(built.ontology))  # the ontology's triples, not the corpus, are kept
    if known is not None and known[0] is built.ontology:
        return known[1]
    parents: dict[str, set[str]] = {}
    sub = term(RDFS.subClassOf)
    for triple in built.ontology:
        if triple.predicate == sub and isinstance(triple.subject, ox.NamedNode) \
                and isinstance(triple.object, ox.NamedNode):
            parents.setdefault(triple.subject.value, set()).add(triple.object.value)
    wanted = {str(kind) for kind in DOCUMENT_CLASSES}
    found: dict[str, tuple[str, ...]] = {}
    for kind in {*parents, *wanted}:
        seen, todo = {kind}, [kind]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        if seen & wanted:
            found[kind] = tuple(sorted(seen & wanted))
    _INSTANCE_OF.clear()
    _INSTANCE_OF[id(built.ontology)] = built.ontology, found
    return found


def _subclass_axioms(built: BuiltGraph) -> list[ox.Triple]:
    sub = term(RDFS.subClassOf)
    return [t for t in built.ontology if t.predicate == sub]


def check_units(units: list[Unit]) -> list[Problem]:
    """Validate units together in one pySHACL run (in whichever process runs this)."""
    return _problems(*pyshacl_results(units))


def pyshacl_results(units: list[Unit]) -> tuple[list[Result], Graph]:
    """pySHACL's violations about the units' focus nodes, and the graph it checked (for names)."""
    from .builder import bind_prefixes, to_rdflib

    graph = Graph()
    bind_prefixes(graph)
    for unit in units:  # pyoxigraph parses N-Triples several times faster than rdflib
        for triple in ox.parse(unit.data, ox.RdfFormat.N_TRIPLES):
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    focus = {URIRef(node) for unit in units for node in unit.focus}
    shared = any(unit.scope == "all" for unit in units)
    return _violations(graph, focus, _targeting(graph, focus, shared))[0], graph


def _engine_stamp() -> str:
    from importlib.metadata import version

    global _STAMP
    if _STAMP is None:
        shapes = (ontology_dir() / "shapes.ttl").read_bytes()
        _STAMP = f"pyshacl {version('pyshacl')}\n{hashlib.sha256(shapes).hexdigest()}\n"
    return _STAMP


_STAMP: str | None = None


# --- units checked by Jena (kg/graph/shacl_jena.py) ----------------------------------------------

_JENA_SHAPES: dict[bool, tuple[bytes, list[tuple[str, str]]]] = {}


def _jena_shapes(shared: bool) -> tuple[bytes, list[tuple[str, str]]]:
    """The shapes as N-Triples without class targets of document shapes, and those targets.

    The same rewriting as :func:`_targeting`, done once: a batch only adds its ``sh:targetNode``
    lines (shape in N-Triples, class IRI) to these bytes.
    """
    if shared not in _JENA_SHAPES:
        shapes = Graph()
        for triple in _shapes():
            shapes.add(triple)
        targets = []
        for shape, target in sorted(shapes.subject_objects(SH.targetClass)):
            if target in DOCUMENT_CLASSES:
                targets.append((shape.n3(), str(target)))
            elif shared:
                continue
            shapes.remove((shape, SH.targetClass, target))
        _JENA_SHAPES[shared] = shapes.serialize(format="nt", encoding="utf-8"), targets
    return _JENA_SHAPES[shared]


def jena_request(units: list[Unit]) -> tuple[bytes, bytes]:
    """The shapes (targeted at the units' focus nodes) and the data of one Jena batch, N-Triples."""
    base, targets = _jena_shapes(any(unit.scope == "all" for unit in units))
    nodes: dict[str, set[str]] = {}  # class -> focus nodes that are instances of it
    for unit in units:
        for node, target in unit.targets:
            nodes.setdefault(target, set()).add(node)
    lines = []
    for shape, target in targets:
        lines += [f"{shape} <{SH.targetNode}> {ox.NamedNode(node)} .\n"
                  for node in sorted(nodes.get(target, ()))]
    return base + "".join(lines).encode(), b"".join(unit.data for unit in units)


def jena_results(report: bytes, units: list[Unit]) -> list[Result]:
    """The violations in Jena's report (N-Triples) about the units' focus nodes."""
    return _results(Graph().parse(data=report, format="nt"),
                    {URIRef(node) for unit in units for node in unit.focus})


def jena_problems(report: bytes, units: list[Unit]) -> list[Problem]:
    """Jena's verdict, in pySHACL's words: the units Jena faults are checked again by pySHACL.

    The shapes leave some messages to the engine (pySHACL and Jena word a missing value
    differently); checking the few failing units again keeps every message what it always was.
    Should pySHACL find nothing there, Jena's own results are reported rather than lost.
    """
    results = jena_results(report, units)
    if not results:
        return []
    faulted = {str(result.focus) for result in results}
    problems = check_units([unit for unit in units if faulted.intersection(unit.focus)])
    if problems:
        return problems
    from .builder import bind_prefixes

    names = Graph()
    bind_prefixes(names)
    return _problems(results, names)


# --- the cache and the checker -------------------------------------------------------------------


class VerdictCache:
    """Keys of units that conformed, kept in ``<folder>/.kg-cache/shacl.json``.

    Only conforming verdicts are kept (a failing unit is checked again, so its report is always
    fresh), and a save keeps only the keys of the last build, so the file does not grow.
    """

    def __init__(self, folder: Path | None):
        self.path = folder / CACHE_NAME / "shacl.json" if folder is not None else None
        self.known: set[str] = set()
        self.used: set[str] = set()
        if self.path is not None and self.path.is_file():
            try:
                self.known = set(json.loads(self.path.read_text("utf-8"))["conforming"])
            except (ValueError, KeyError, TypeError, OSError):
                self.known = set()  # a damaged cache is only a slower build

    def hit(self, key: str) -> bool:
        return key in self.known

    def conformed(self, key: str) -> None:
        self.used.add(key)

    def save(self) -> None:
        if self.path is not None:
            write_atomic(self.path, json.dumps({"conforming": sorted(self.used)}).encode())


class Checker:
    """Takes units as the build makes them; checks those not in the cache, in parallel if many.

    A batch that conforms puts all its units in the cache; one that does not reports its
    violations and caches nothing, so the next build checks those units again.
    """

    def __init__(self, cache: VerdictCache, jobs: int = 1, progress: Progress = SILENT,
                 expected: int = 0, engine: str = "pyshacl"):
        from . import shacl_jena

        if engine not in ENGINES:
            raise SetupError(f"unknown SHACL engine '{engine}'; known: {', '.join(ENGINES)}")
        if engine == "jena" and (reason := shacl_jena.missing()) is not None:
            raise SetupError(reason)
        if engine == "auto" and (expected < JENA_FROM or shacl_jena.missing() is not None):
            engine = "pyshacl"
        self.fall_back = engine == "auto"  # to pySHACL if the JVM does not start (a JRE without javac)
        self.engine = engine  # "auto" until JENA_FROM units missed the cache (then "jena") or the end
        self.cache = cache
        self.jobs = jobs
        self.progress = progress
        self.parallel = self.jobs > 1 and expected >= PARALLEL_FROM
        self.size = BATCH_PARALLEL if self.parallel else BATCH_SERIAL
        self.pool: ProcessPoolExecutor | None = None
        self.jena: shacl_jena.JenaProcess | None = None
        self.batch: list[tuple[str, Unit]] = []
        self.pending: list[tuple[Future, list[str]]] = []
        self.sent_to_jena: list[tuple[list[str], list[Unit]]] = []
        self.problems: list[Problem] = []
        self.checked = self.cached = 0

    def submit(self, unit: Unit) -> None:
        key = unit.key
        if self.cache.hit(key):
            self.cache.conformed(key)
            self.cached += 1
            self.progress.advance(1)
            return
        self.checked += 1
        if unit.scope != "document" and self.parallel and self.engine == "pyshacl":
            self._record([key], check_units([unit]))  # first, alone, while workers start
            return
        self.batch.append((key, unit))
        if self.engine == "auto" and len(self.batch) >= JENA_FROM:
            self.engine = "jena"
        if self.engine == "jena" and len(self.batch) >= BATCH_JENA:
            self._send_to_jena()
        elif self.engine == "pyshacl" and len(self.batch) >= self.size:
            self._send()

    def known(self) -> None:
        """A unit whose verdict is implied by a stored piece of output (kg.graph.chunks)."""
        self.cached += 1
        self.progress.advance(1)

    def _send_to_jena(self) -> None:
        """Queue the batch in the JVM; collect the one before (Java checks while Python builds)."""
        from .shacl_jena import JenaProcess

        keys, units = [key for key, _ in self.batch], [unit for _, unit in self.batch]
        self.batch = []
        if self.jena is None:
            try:
                self.jena = JenaProcess()
            except SetupError:
                if not self.fall_back:
                    raise
                self.engine, self.batch = "pyshacl", list(zip(keys, units, strict=True))
                while self.batch:
                    self._send()
                return
        self.jena.send(*jena_request(units))
        self.sent_to_jena.append((keys, units))
        while len(self.sent_to_jena) > 1:
            self._collect_from_jena()

    def _collect_from_jena(self) -> None:
        keys, units = self.sent_to_jena.pop(0)
        self._record(keys, jena_problems(self.jena.receive(), units))  # type: ignore[union-attr]

    def _send(self) -> None:
        keys, units = [key for key, _ in self.batch[:self.size]], [unit for _, unit in self.batch[:self.size]]
        self.batch = self.batch[self.size:]
        # In-process when serial, and for a last small batch when no worker has been started (a
        # rebuild after one edit checks a unit or two: starting a worker would cost more).
        if not self.parallel or (self.pool is None and not self.batch and len(units) < PARALLEL_FROM):
            self._record(keys, check_units(units))
            return
        if self.pool is None:
            self.pool = worker_pool(self.jobs)
        self.pending.append((self.pool.submit(check_units, units), keys))
        while len(self.pending) > 2 * self.jobs:  # back-pressure: hold few units in memory
            self._collect_oldest()

    def _collect_oldest(self) -> None:
        future, keys = self.pending.pop(0)
        self._record(keys, future.result())

    def _record(self, keys: list[str], problems: list[Problem]) -> None:
        if problems:
            self.problems.extend(problems)
        else:
            for key in keys:
                self.cache.conformed(key)
        self.progress.advance(len(keys))

    def finish(self) -> None:
        """Wait for every unit; raise ShapeError with all violations, or save the cache."""
        try:
            if self.engine == "auto":  # too few units missed the cache to be worth a JVM
                self.engine = "pyshacl"
            while self.batch:
                if self.engine == "jena":
                    self._send_to_jena()
                else:
                    self._send()
            while self.sent_to_jena:
                self._collect_from_jena()
            while self.pending:
                self._collect_oldest()
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)
            if self.jena is not None:
                self.jena.close()
        if self.problems:
            raise ShapeError(sorted(set(self.problems)), "")
        self.cache.save()


def validate_built(built: BuiltGraph, cache_folder: Path | None = None, jobs: int = 1,
                   progress: Progress = SILENT, engine: str = "pyshacl") -> Checker:
    """Check every unit of ``built`` (for ``kg validate`` and the library); return the checker."""
    checker = Checker(VerdictCache(cache_folder), jobs, progress, len(built.corpus.documents) + 1, engine)
    checker.submit(shared_unit(built))
    for unit in built.units():
        checker.submit(document_unit(built, unit))
    checker.finish()
    return checker
