"""Turn a checked corpus into the RDF graph.

The graph is a dataset of four named graphs so that a store can keep them apart (and TriG shows
them): the ontology (``ontology/ilkg.ttl``), the catalogues (actors, norms, events), the corpus
(documents, claims, evidence) and the provenance of the build. Turtle, N-Triples and JSON-LD
outputs carry their union.

Every IRI is derived from an id the annotator chose, never from a counter or a blank node, so the
same input always gives the same graph and a scholar's saved query keeps working across builds.
The provenance records the hash of each input file and the tool's version, and no wall-clock
time, for the same reason.

Triples are pyoxigraph terms, made per document on demand rather than held in one in-memory graph:
a corpus of ten thousand documents is millions of triples, which rdflib would hold in gigabytes and
add at a few microseconds each. The build streams documents to the serializer and to validation one
at a time; ``graphs``/``union()``/``dataset()`` still give rdflib graphs for small corpora, tests and
notebooks.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .. import __version__
from ..corpus.models import Actor, Claim, Corpus, Document, Event, InputFile, Norm, Scheme
from ..corpus.relations import rebutted_by
from ..errors import SetupError
from ..resources import ontology_dir
from .namespaces import (
    ACTOR,
    BUILD,
    CLAIM,
    DOC,
    ELI,
    EVENT,
    GRAPH,
    ILK,
    NORM,
    OA,
    PREFIXES,
    SCHEME,
    SOFTWARE,
    WD,
)

ACTOR_CLASS = {
    "state": ILK.State,
    "international-organization": ILK.InternationalOrganization,
    "group-of-states": ILK.GroupOfStates,
    "ngo": ILK.NonGovernmentalOrganization,
    "research-institution": ILK.ResearchInstitution,
    "expert-body": ILK.ExpertBody,
    "person": ILK.Person,
    "media-outlet": ILK.MediaOutlet,
    "non-state-group": ILK.NonStateGroup,
}
NORM_CLASS = {
    "instrument": ILK.LegalInstrument,
    "provision": ILK.Provision,
    "principle": ILK.LegalPrinciple,
    "body-of-law": ILK.BodyOfLaw,
}
SOURCE_TYPE = {
    "treaty": ILK.Treaty,
    "treaty-provision": ILK.TreatyProvision,
    "customary-rule": ILK.CustomaryRule,
    "general-principle": ILK.GeneralPrinciple,
    "un-resolution": ILK.UNResolution,
    "authoritative-interpretation": ILK.AuthoritativeInterpretation,
    "judicial-decision": ILK.JudicialDecision,
    "body-of-law": ILK.BodyOfLawSource,
}
ELEMENT_ROLE = {"condition": ILK.Condition, "exception": ILK.Exception}
STANCE = {
    "alleges-violation": ILK.AllegesViolation,
    "justifies": ILK.Justifies,
    "rejects-justification": ILK.RejectsJustification,
    "demands-compliance": ILK.DemandsCompliance,
    "denies-allegation": ILK.DeniesAllegation,
    "affirms-norm": ILK.AffirmsNorm,
}
GRAPH_NAMES = ("ontology", "catalogues", "corpus", "provenance")
ALL_PREFIXES = {**{prefix: str(ns) for prefix, ns in PREFIXES.items()},
                "prov": str(PROV), "dcterms": str(DCTERMS), "skos": str(SKOS), "owl": str(OWL),
                "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD)}

# Vocabulary and catalogue IRIs recur in every claim: make each NamedNode once. (Claim and
# evidence IRIs occur a few times only and are not cached, so the cache stays small.)
term = functools.cache(ox.NamedNode)
Triple = ox.Triple


def _maker(namespace: str) -> Callable[[str], ox.NamedNode]:
    """IRIs of one namespace from ids, each made once (rdflib's Namespace checks every IRI anew)."""
    base = str(namespace)
    return functools.cache(lambda local: ox.NamedNode(base + local))


actor_node, norm_node, event_node, doc_node = (_maker(ns) for ns in (ACTOR, NORM, EVENT, DOC))
_CLAIM_BASE = str(CLAIM)
_TYPE = term(RDF.type)
_XSD_INTEGER = term(XSD.integer)
_DATE_TYPES = {10: term(XSD.date), 7: term(XSD.gYearMonth), 4: term(XSD.gYear)}


def text(value: str) -> ox.Literal:
    return ox.Literal(value)


def tagged(value: str, language: str) -> ox.Literal:
    return ox.Literal(value, language=language)


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_XSD_INTEGER)


def boolean(value: bool) -> ox.Literal:
    return ox.Literal("true" if value else "false", datatype=term(XSD.boolean))


def date(value) -> ox.Literal:  # a kg.corpus.dates.PartialDate
    return ox.Literal(value.text, datatype=_DATE_TYPES[len(value.text)])


@dataclass
class DocumentUnit:
    """One document's share of the graph: its corpus triples and its provenance triples.

    It is also the unit of SHACL validation (see :mod:`kg.graph.validation`): ``context`` holds the
    type triples of what the document's claims point to (actors, norms, events, claims elsewhere).
    """

    id: str
    corpus: list[ox.Triple]
    provenance: list[ox.Triple]
    context: list[ox.Triple]


@dataclass
class BuiltGraph:
    """The graph of one build, made document by document when asked for.

    ``ontology`` and ``catalogues`` are small and kept; the corpus and its provenance are made per
    document by :meth:`units`, deterministically, as often as a consumer needs them.
    """

    corpus: Corpus
    build_iri: URIRef
    ontology: list[ox.Triple]
    catalogues: list[ox.Triple]
    build_provenance: list[ox.Triple]
    stance_labels: dict[str, str]
    inputs_by_document: dict[str, list[InputFile]]
    claims_by_document: dict[str, list[Claim]] = field(default_factory=dict)
    types: dict[str, ox.NamedNode] = field(default_factory=dict)  # IRI -> class, for context
    # claim id -> the claims that rebut it: ilk:rebuts is symmetric, so each side gets both
    rebutted_by: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def units(self) -> Iterator[DocumentUnit]:
        for document_id in sorted(self.corpus.documents):
            yield self.unit(document_id)

    def unit(self, document_id: str) -> DocumentUnit:
        document = self.corpus.documents[document_id]
        claims = self.claims_by_document.get(document_id, [])
        content: list[ox.Triple] = []
        _add_document(content, document)
        for claim in claims:
            _add_claim(content, claim, self.corpus, self.stance_labels, self.rebutted_by.get(claim.id, ()))
        provenance = _document_provenance(self, document, claims)
        types = self.types
        local = {t.subject.value for t in content}
        targets = {t.object.value for t in content if t.object.value in types} - local
        context = [Triple(ox.NamedNode(target), _TYPE, types[target]) for target in sorted(targets)]
        context += self._argument_context(claims, local)
        return DocumentUnit(document_id, content, provenance, context)

    def _argument_context(self, claims: list[Claim], local: set[str]) -> list[ox.Triple]:
        """What the shapes on rebuttals and undercuts need to see of other documents and of the
        scheme catalogue: the reverse of each rebuttal, the tests an undercut target applies, and
        those tests' elements with their roles."""
        out: list[ox.Triple] = []
        schemes: set[str] = set()
        for claim in claims:
            iri = ox.NamedNode(_CLAIM_BASE + claim.id)
            for other in sorted(set(claim.rebuts) | set(self.rebutted_by.get(claim.id, ()))):
                if _CLAIM_BASE + other not in local:
                    out.append(Triple(ox.NamedNode(_CLAIM_BASE + other), _C.rebuts, iri))
            schemes.update(claim.schemes)
            for target_id in claim.undercuts:
                target = self.corpus.claims[target_id]
                schemes.update(target.schemes)
                if _CLAIM_BASE + target_id not in local:
                    out.extend(Triple(ox.NamedNode(_CLAIM_BASE + target_id), _C.applies, scheme_iri(s))
                               for s in target.schemes)
        for scheme_id in sorted(schemes):
            scheme = self.corpus.schemes[scheme_id]
            for element in scheme.elements:
                node = scheme_iri(element.id)
                out.append(Triple(scheme_iri(scheme_id), term(ILK.hasElement), node))
                out.append(Triple(node, term(ILK.elementRole), term(ELEMENT_ROLE[element.role])))
        return out

    def parts(self, on_unit: Callable[[DocumentUnit], None] | None = None
              ) -> Iterator[tuple[str, list[ox.Triple]]]:
        """(graph name, triples) in a fixed order: ontology, catalogues, corpus, provenance.

        ``on_unit`` sees each document's unit as it is made (the build validates them meanwhile).
        """
        yield "ontology", self.ontology
        yield "catalogues", self.catalogues
        for unit in self.units():
            if on_unit is not None:
                on_unit(unit)
            yield "corpus", unit.corpus
        yield "provenance", self.build_provenance
        for document_id in sorted(self.corpus.documents):
            yield "provenance", _document_provenance(
                self, self.corpus.documents[document_id], self.claims_by_document.get(document_id, []))

    def quads(self, on_unit: Callable[[DocumentUnit], None] | None = None) -> Iterator[ox.Quad]:
        """Every quad, graph by graph, in the order of :meth:`parts`."""
        for name, part in self.parts(on_unit):
            graph = term(GRAPH[name])
            for triple in part:
                yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)

    def triples(self, on_unit: Callable[[DocumentUnit], None] | None = None) -> Iterator[ox.Triple]:
        """The union of the named graphs (they share no triple, so nothing repeats)."""
        for _, part in self.parts(on_unit):
            yield from part

    @functools.cached_property
    def graphs(self) -> dict[str, Graph]:
        """The named graphs as rdflib graphs: for small corpora, tests and notebooks."""
        graphs = {name: Graph() for name in GRAPH_NAMES}
        for graph in graphs.values():
            bind_prefixes(graph)
        for quad in self.quads():
            graphs[quad.graph_name.value.rsplit("/", 1)[1]].add(
                (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return graphs

    def union(self) -> Graph:
        union = Graph()
        bind_prefixes(union)
        for graph in self.graphs.values():
            for triple in graph:
                union.add(triple)
        return union

    def dataset(self) -> Dataset:
        dataset = Dataset()
        bind_prefixes(dataset)
        for name, graph in self.graphs.items():
            named = dataset.graph(GRAPH[name])
            for triple in graph:
                named.add(triple)
        return dataset

    def store(self) -> ox.Store:
        """The whole dataset in an in-memory Oxigraph store (what the query engine opens)."""
        store = ox.Store()
        store.bulk_extend(self.quads())
        return store

    def __len__(self) -> int:
        return sum(1 for _ in self.quads())


_XSD_STRING = ox.NamedNode(str(XSD.string))


def to_rdflib(value):
    """A pyoxigraph term as the rdflib term of the same RDF value."""
    if isinstance(value, ox.NamedNode):
        return URIRef(value.value)
    if isinstance(value, ox.BlankNode):
        return BNode(value.value)
    if value.language:
        return RdfLiteral(value.value, lang=value.language)
    if value.datatype == _XSD_STRING:  # rdflib keeps plain literals apart from xsd:string ones
        return RdfLiteral(value.value)
    return RdfLiteral(value.value, datatype=URIRef(value.datatype.value))


def to_oxigraph(value):
    """An rdflib term as a pyoxigraph term (for the parsed ontology)."""
    if isinstance(value, URIRef):
        return term(str(value))
    if isinstance(value, BNode):
        return ox.BlankNode(str(value))
    if value.language:
        return ox.Literal(str(value), language=value.language)
    return ox.Literal(str(value), datatype=term(str(value.datatype or XSD.string)))


def bind_prefixes(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    for prefix, namespace in (("prov", PROV), ("dcterms", DCTERMS), ("skos", SKOS), ("owl", OWL)):
        graph.bind(prefix, namespace, override=True)


def actor_iri(actor_id: str) -> URIRef:
    return ACTOR[actor_id]


def claim_iri(claim_id: str) -> URIRef:
    return CLAIM[claim_id]


def load_ontology() -> Graph:
    """The OWL ontology, with any blank nodes given content-derived labels (stable output)."""
    path = ontology_dir() / "ilkg.ttl"
    try:
        parsed = Graph().parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many parser exception types
        raise SetupError(f"ontology/ilkg.ttl does not parse: {exc}") from exc
    stable = Graph()
    for triple in to_canonical_graph(parsed):
        stable.add(triple)
    return stable


@functools.cache
def _ontology_triples() -> tuple[tuple[ox.Triple, ...], dict[str, str]]:
    """The ontology as sorted pyoxigraph triples, and the English stance labels (parsed once)."""
    ontology = load_ontology()
    triples = sorted((Triple(*(to_oxigraph(t) for t in triple)) for triple in ontology), key=str)
    labels = {key: _stance_label(ontology, iri, key) for key, iri in STANCE.items()}
    return tuple(triples), labels


def build_graph(corpus: Corpus) -> BuiltGraph:
    """The graph of a checked corpus (the corpus part is made per document when iterated)."""
    ontology, stance_labels = _ontology_triples()
    inputs = [*corpus.inputs, *_ontology_inputs()]
    digest = hashlib.sha256(__version__.encode())
    for item in sorted(inputs, key=lambda f: f.path):
        digest.update(f"{item.path}\t{item.sha256}\n".encode())
    build = BUILD[digest.hexdigest()[:16]]

    catalogues: list[ox.Triple] = []
    for actor in sorted(corpus.actors.values(), key=lambda a: a.id):
        _add_actor(catalogues, actor)
    for norm in sorted(corpus.norms.values(), key=lambda n: n.id):
        _add_norm(catalogues, norm)
    for event in sorted(corpus.events.values(), key=lambda e: e.id):
        _add_event(catalogues, event)
    for scheme in sorted(corpus.schemes.values(), key=lambda s: s.id):
        _add_scheme(catalogues, scheme)

    claims_by_document: dict[str, list[Claim]] = defaultdict(list)
    for claim in sorted(corpus.claims.values(), key=lambda c: c.id):
        claims_by_document[claim.document].append(claim)
    types = {t.subject.value: t.object for t in catalogues if t.predicate == term(RDF.type)}
    claim_type, document_type, document_base = term(ILK.Claim), term(ILK.Document), str(DOC)
    types.update((_CLAIM_BASE + c, claim_type) for c in corpus.claims)
    types.update((document_base + d, document_type) for d in corpus.documents)

    # Each document's own files (text, metadata, annotations) are recorded with the document, so
    # that a changed document changes its own unit only (see kg.graph.validation's cache).
    owner = {}
    for document in corpus.documents.values():
        owner[document.path] = owner[document.path.rsplit(".", 1)[0] + ".yaml"] = document.id
    for claim in corpus.claims.values():
        owner[claim.annotation] = claim.document
    inputs_by_document: dict[str, list[InputFile]] = defaultdict(list)
    shared = []
    for item in sorted(inputs, key=lambda f: f.path):
        if item.path in owner:
            inputs_by_document[owner[item.path]].append(item)
        else:
            shared.append(item)
    return BuiltGraph(corpus, build, list(ontology), catalogues, _build_provenance(build, shared),
                      stance_labels, dict(inputs_by_document), dict(claims_by_document), types,
                      rebutted_by(corpus.claims))


def _ontology_inputs() -> list[InputFile]:
    folder = ontology_dir()
    return [InputFile(f"ontology/{name}", hashlib.sha256((folder / name).read_bytes()).hexdigest())
            for name in ("ilkg.ttl", "shapes.ttl")]


def _add(out: list[ox.Triple], subject, predicate, obj) -> None:
    out.append(Triple(subject, predicate, obj))


def _labels(out: list[ox.Triple], subject: ox.NamedNode, labels: dict[str, str]) -> None:
    for lang, label in sorted(labels.items()):
        _add(out, subject, term(RDFS.label), tagged(label, lang))


def _aliases(out: list[ox.Triple], subject: ox.NamedNode, aliases: tuple[str, ...]) -> None:
    for alias in aliases:
        _add(out, subject, term(SKOS.altLabel), text(alias))


def _actor(actor_id: str) -> ox.NamedNode:
    return term(ACTOR[actor_id])


def _add_actor(out: list[ox.Triple], actor: Actor) -> None:
    iri = _actor(actor.id)
    _add(out, iri, term(RDF.type), term(ACTOR_CLASS[actor.type]))
    _labels(out, iri, actor.labels)
    _aliases(out, iri, actor.aliases)
    if actor.wikidata:
        _add(out, iri, term(OWL.sameAs), term(WD[actor.wikidata]))
    if actor.organ_of:
        _add(out, iri, term(ILK.organOf), _actor(actor.organ_of))
    if actor.acts_for:
        _add(out, iri, term(ILK.actsFor), _actor(actor.acts_for))
    if actor.role:
        _add(out, iri, term(ILK.role), text(actor.role))
    if actor.established_by:
        _add(out, iri, term(ILK.establishedBy), term(NORM[actor.established_by]))


def _add_norm(out: list[ox.Triple], norm: Norm) -> None:
    iri = term(NORM[norm.id])
    _add(out, iri, term(RDF.type), term(NORM_CLASS[norm.type]))
    if norm.source_type:
        _add(out, iri, term(ILK.sourceType), term(SOURCE_TYPE[norm.source_type]))
    _labels(out, iri, norm.labels)
    _add(out, iri, term(SKOS.notation), text(norm.notation))
    _aliases(out, iri, norm.aliases)
    if norm.definition:
        _add(out, iri, term(SKOS.definition), tagged(norm.definition, "en"))
    for parent in norm.part_of:
        _add(out, iri, term(ELI.is_part_of), term(NORM[parent]))
    for provision in norm.codified_in:
        _add(out, iri, term(ILK.codifiedIn), term(NORM[provision]))
    for interpreted in norm.interprets:
        _add(out, iri, term(ILK.interprets), term(NORM[interpreted]))
    for related in norm.related:
        _add(out, iri, term(SKOS.related), term(NORM[related]))
    if norm.adopted:
        _add(out, iri, term(ELI.date_document), date(norm.adopted))
    if norm.text:
        _add(out, iri, term(ILK.officialText), ox.NamedNode(norm.text))
    if norm.wikidata:
        _add(out, iri, term(OWL.sameAs), term(WD[norm.wikidata]))


def _add_event(out: list[ox.Triple], event: Event) -> None:
    iri = term(EVENT[event.id])
    _add(out, iri, term(RDF.type), term(ILK.Event))
    _labels(out, iri, event.labels)
    _aliases(out, iri, event.aliases)
    _add(out, iri, term(ILK.startDate), date(event.start))
    if event.end:
        _add(out, iri, term(ILK.endDate), date(event.end))
    for actor in event.perpetrators:
        _add(out, iri, term(ILK.perpetrator), _actor(actor))
    for actor in event.affected:
        _add(out, iri, term(ILK.affects), _actor(actor))
    if event.part_of:
        _add(out, iri, term(ILK.partOfEvent), term(EVENT[event.part_of]))
    if event.description:
        _add(out, iri, term(DCTERMS.description), tagged(event.description, "en"))


def scheme_iri(scheme_or_element_id: str) -> ox.NamedNode:
    """scheme:self-defence, or for an element scheme:self-defence/armed-attack."""
    return term(SCHEME[scheme_or_element_id])


def _add_scheme(out: list[ox.Triple], scheme: Scheme) -> None:
    iri = scheme_iri(scheme.id)
    _add(out, iri, _TYPE, term(ILK.ArgumentScheme))
    _labels(out, iri, scheme.labels)
    for lang, conclusion in sorted(scheme.conclusions.items()):
        _add(out, iri, term(ILK.conclusion), tagged(conclusion, lang))
    for norm in scheme.based_on:
        _add(out, iri, term(ILK.basedOn), norm_node(norm))
    if scheme.establishes:
        _add(out, iri, term(ILK.establishes), scheme_iri(scheme.establishes))
    for source in scheme.sources:
        _add(out, iri, term(DCTERMS.source), text(source))
    for element in scheme.elements:
        node = scheme_iri(element.id)
        _add(out, iri, term(ILK.hasElement), node)
        _add(out, node, _TYPE, term(ILK.SchemeElement))
        _add(out, node, term(ILK.elementOf), iri)
        _add(out, node, term(ILK.elementRole), term(ELEMENT_ROLE[element.role]))
        _labels(out, node, element.labels)
        for lang, question in sorted(element.questions.items()):
            _add(out, node, term(ILK.criticalQuestion), tagged(question, lang))
        if element.definition:
            _add(out, node, term(SKOS.definition), tagged(element.definition, "en"))
        for source in element.sources:
            _add(out, node, term(DCTERMS.source), text(source))


def _add_document(out: list[ox.Triple], document: Document) -> None:
    iri = doc_node(document.id)
    _add(out, iri, _TYPE, term(ILK.Document))
    _add(out, iri, term(DCTERMS.title), text(document.title))
    _add(out, iri, term(DCTERMS.date), date(document.date))
    _add(out, iri, term(DCTERMS.language), text(document.language))
    _add(out, iri, term(ILK.sha256), text(document.sha256))
    # Offsets and lengths are xsd:integer (checked >= 0 by the shapes), not the narrower
    # xsd:nonNegativeInteger: Oxigraph stores every integer subtype as xsd:integer, and the same
    # answer must come back from every engine and store.
    _add(out, iri, term(ILK.textLength), integer(len(document.text)))
    _add(out, iri, term(ILK.sourceFile), text(document.path))
    if document.outlet:
        _add(out, iri, term(DCTERMS.publisher), actor_node(document.outlet))
    if document.author:
        _add(out, iri, term(DCTERMS.creator), actor_node(document.author))
    if document.genre:
        _add(out, iri, term(ILK.genre), text(document.genre))
    if document.truncated is not None:
        _add(out, iri, term(ILK.truncated), boolean(document.truncated))
    for note in document.notes:
        _add(out, iri, term(SKOS.note), tagged(note, "en"))
    for number, piece in enumerate(document.pieces, start=1):
        part = ox.NamedNode(f"{iri.value}/piece-{number}")
        _add(out, part, _TYPE, term(ILK.DocumentPiece))
        _add(out, part, term(DCTERMS.isPartOf), iri)
        _add(out, part, term(DCTERMS.title), text(piece.title))
        _add(out, part, term(DCTERMS.date), date(piece.date))
        _add(out, part, term(ILK.startOffset), integer(piece.start))
        _add(out, part, term(ILK.endOffset), integer(piece.end))


def _stance_label(ontology: Graph, iri: URIRef, key: str) -> str:
    label = ontology.value(iri, SKOS.prefLabel, any=True)
    for candidate in ontology.objects(iri, SKOS.prefLabel):
        if getattr(candidate, "language", None) == "en":
            label = candidate
    return str(label).lower() if label else key.replace("-", " ")


def claim_label(claim: Claim, corpus: Corpus, stance_label: str) -> str:
    """What a person reads: "Amnesty International — rejects justification — UN Charter Art. 51"."""
    claimant = corpus.actors[claim.claimant].labels.get("en") or claim.claimant
    parts = [claimant, stance_label]
    if claim.invokes:
        parts.append("; ".join(corpus.norms[n].notation for n in claim.invokes))
    return " — ".join(parts)


class _C:
    """The claim vocabulary as pyoxigraph terms, made once: building claims is the hot loop."""

    Claim, label, claimant, stance = term(ILK.Claim), term(RDFS.label), term(ILK.claimant), term(ILK.stance)
    date, stated_in, voiced_by = term(DCTERMS.date), term(ILK.statedIn), term(ILK.voicedBy)
    reported_by, against, invokes = term(ILK.reportedBy), term(ILK.against), term(ILK.invokes)
    concerns, attacks, supports = term(ILK.concerns), term(ILK.attacks), term(ILK.supports)
    comment, evidence = term(RDFS.comment), term(ILK.evidence)
    proposition, applies = term(ILK.proposition), term(ILK.appliesScheme)
    affirms, denies = term(ILK.affirmsElement), term(ILK.deniesElement)
    rebuts, undercuts, undermines = term(ILK.rebuts), term(ILK.undercuts), term(ILK.undermines)
    SpecificResource, source, selector = term(OA.SpecificResource), term(OA.hasSource), term(OA.hasSelector)
    TextQuoteSelector, exact = term(OA.TextQuoteSelector), term(OA.exact)
    prefix, suffix = term(OA.prefix), term(OA.suffix)
    TextPositionSelector, start, end = term(OA.TextPositionSelector), term(OA.start), term(OA.end)
    stances: ClassVar[dict[str, ox.NamedNode]] = {key: term(iri) for key, iri in STANCE.items()}


def _add_claim(out: list[ox.Triple], claim: Claim, corpus: Corpus, stance_labels: dict[str, str],
               rebutted_by: tuple[str, ...] = ()) -> None:
    """The claim's own triples first, then each piece of evidence (so Turtle groups subjects).

    ``rebutted_by`` are the claims whose annotation says they rebut this one: ilk:rebuts is
    symmetric, so this claim rebuts them too, whichever side the annotator wrote it on. Every
    kind of attack is also written as plain ilk:attacks (its super-property), so that queries and
    tools that know only ilk:attacks see every attack.
    """
    add, c = out.append, _C
    iri = ox.NamedNode(_CLAIM_BASE + claim.id)
    source = doc_node(claim.document)
    add(Triple(iri, _TYPE, c.Claim))
    add(Triple(iri, c.label, text(claim_label(claim, corpus, stance_labels[claim.stance]))))
    add(Triple(iri, c.claimant, actor_node(claim.claimant)))
    add(Triple(iri, c.stance, c.stances[claim.stance]))
    add(Triple(iri, c.date, date(claim.date)))
    add(Triple(iri, c.stated_in, source))
    if claim.voiced_by:
        add(Triple(iri, c.voiced_by, actor_node(claim.voiced_by)))
    for actor in claim.reported_by:
        add(Triple(iri, c.reported_by, actor_node(actor)))
    for actor in claim.against:
        add(Triple(iri, c.against, actor_node(actor)))
    for norm in claim.invokes:
        add(Triple(iri, c.invokes, norm_node(norm)))
    for event in claim.concerns:
        add(Triple(iri, c.concerns, event_node(event)))
    for lang, sentence in sorted(claim.proposition.items()):
        add(Triple(iri, c.proposition, tagged(sentence, lang)))
    for scheme in claim.schemes:
        add(Triple(iri, c.applies, scheme_iri(scheme)))
    for element in claim.affirms:
        add(Triple(iri, c.affirms, scheme_iri(element)))
    for element in claim.denies:
        add(Triple(iri, c.denies, scheme_iri(element)))
    rebuts = sorted(set(claim.rebuts) | set(rebutted_by))
    attacked: set[str] = set()
    for predicate, targets in ((c.rebuts, rebuts), (c.undercuts, claim.undercuts),
                               (c.undermines, claim.undermines), (c.attacks, claim.attacks)):
        for other in targets:
            add(Triple(iri, predicate, ox.NamedNode(_CLAIM_BASE + other)))
            if predicate != c.attacks:
                attacked.add(other)
    for other in sorted(attacked - set(claim.attacks)):
        add(Triple(iri, c.attacks, ox.NamedNode(_CLAIM_BASE + other)))
    for other in claim.supports:
        add(Triple(iri, c.supports, ox.NamedNode(_CLAIM_BASE + other)))
    if claim.note:
        add(Triple(iri, c.comment, tagged(claim.note, "en")))
    base = iri.value
    evidence = [ox.NamedNode(f"{base}/evidence/{number}") for number in range(1, len(claim.evidence) + 1)]
    for node in evidence:
        add(Triple(iri, c.evidence, node))
    for node, span in zip(evidence, claim.evidence, strict=True):
        quote = ox.NamedNode(node.value + "/quote")
        position = ox.NamedNode(node.value + "/position")
        add(Triple(node, _TYPE, c.SpecificResource))
        add(Triple(node, c.source, source))
        add(Triple(node, c.selector, quote))
        add(Triple(node, c.selector, position))
        add(Triple(quote, _TYPE, c.TextQuoteSelector))
        add(Triple(quote, c.exact, text(span.exact)))
        add(Triple(quote, c.prefix, text(span.prefix)))
        add(Triple(quote, c.suffix, text(span.suffix)))
        add(Triple(position, _TYPE, c.TextPositionSelector))
        add(Triple(position, c.start, integer(span.start)))
        add(Triple(position, c.end, integer(span.end)))


def _build_provenance(build: URIRef, inputs: list[InputFile]) -> list[ox.Triple]:
    """The build activity, the software, and the input files no document owns (catalogues, ...)."""
    out: list[ox.Triple] = []
    activity, software = term(build), term(SOFTWARE)
    _add(out, activity, term(RDF.type), term(PROV.Activity))
    _add(out, activity, term(RDFS.label), text("kg build"))
    _add(out, activity, term(PROV.wasAssociatedWith), software)
    _add(out, software, term(RDF.type), term(PROV.SoftwareAgent))
    _add(out, software, term(RDFS.label), text("kg"))
    _add(out, software, term(DCTERMS.hasVersion), text(__version__))
    for item in sorted(inputs, key=lambda f: f.path):
        _add_input(out, build, item)
    return out


def _entity(build: URIRef, path: str) -> ox.NamedNode:
    return ox.NamedNode(f"{build}/input/{path}")


def _add_input(out: list[ox.Triple], build: URIRef, item: InputFile) -> None:
    entity = _entity(build, item.path)
    _add(out, term(build), term(PROV.used), entity)
    _add(out, entity, term(RDF.type), term(PROV.Entity))
    _add(out, entity, term(ILK.path), text(item.path))
    _add(out, entity, term(ILK.sha256), text(item.sha256))


def _document_provenance(built: BuiltGraph, document: Document, claims: list[Claim]) -> list[ox.Triple]:
    """The files a document was read from, and which of them each of its claims came from."""
    out: list[ox.Triple] = []
    build = built.build_iri
    activity, generated, derived = term(build), term(PROV.wasGeneratedBy), term(PROV.wasDerivedFrom)
    for item in built.inputs_by_document.get(document.id, ()):
        _add_input(out, build, item)
    iri = doc_node(document.id)
    out.append(Triple(iri, generated, activity))
    out.append(Triple(iri, derived, _entity(build, document.path)))
    for claim in claims:
        iri = ox.NamedNode(_CLAIM_BASE + claim.id)
        out.append(Triple(iri, generated, activity))
        out.append(Triple(iri, derived, _entity(build, claim.annotation)))
    return out
