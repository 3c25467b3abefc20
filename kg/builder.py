"""Turn a checked corpus into the RDF graph.

The graph is a dataset of four named graphs so that a store can keep them apart (and TriG shows
them): the ontology (``ontology/ilkg.ttl``), the catalogues (actors, norms, events), the corpus
(documents, claims, evidence) and the provenance of the build. Turtle, N-Triples and JSON-LD
outputs carry their union.

Every IRI is derived from an id the annotator chose, never from a counter or a blank node, so the
same input always gives the same graph and a scholar's saved query keeps working across builds.
The provenance records the hash of each input file and the tool's version, and no wall-clock
time, for the same reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from . import __version__
from .errors import SetupError
from .models import Actor, Claim, Corpus, Document, Event, InputFile, Norm
from .namespaces import ACTOR, BUILD, CLAIM, DOC, ELI, EVENT, GRAPH, ILK, NORM, OA, PREFIXES, SOFTWARE, WD
from .resources import ontology_dir

ACTOR_CLASS = {
    "state": ILK.State,
    "international-organization": ILK.InternationalOrganization,
    "group-of-states": ILK.GroupOfStates,
    "ngo": ILK.NonGovernmentalOrganization,
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
STANCE = {
    "alleges-violation": ILK.AllegesViolation,
    "justifies": ILK.Justifies,
    "rejects-justification": ILK.RejectsJustification,
    "demands-compliance": ILK.DemandsCompliance,
    "denies-allegation": ILK.DeniesAllegation,
    "affirms-norm": ILK.AffirmsNorm,
}
GRAPH_NAMES = ("ontology", "catalogues", "corpus", "provenance")


@dataclass
class BuiltGraph:
    """The named graphs of one build, and its union for validation and single-graph formats."""

    graphs: dict[str, Graph]
    build_iri: URIRef

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

    def __len__(self) -> int:
        return sum(len(g) for g in self.graphs.values())


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


def build_graph(corpus: Corpus) -> BuiltGraph:
    """The full graph of a checked corpus."""
    ontology = load_ontology()
    inputs = [*corpus.inputs, *_ontology_inputs()]
    digest = hashlib.sha256(__version__.encode())
    for item in sorted(inputs, key=lambda f: f.path):
        digest.update(f"{item.path}\t{item.sha256}\n".encode())
    build = BUILD[digest.hexdigest()[:16]]

    catalogues = Graph()
    for actor in sorted(corpus.actors.values(), key=lambda a: a.id):
        _add_actor(catalogues, actor)
    for norm in sorted(corpus.norms.values(), key=lambda n: n.id):
        _add_norm(catalogues, norm)
    for event in sorted(corpus.events.values(), key=lambda e: e.id):
        _add_event(catalogues, event)

    stance_labels = {key: _stance_label(ontology, iri, key) for key, iri in STANCE.items()}
    content = Graph()
    for document in sorted(corpus.documents.values(), key=lambda d: d.id):
        _add_document(content, document)
    for claim in sorted(corpus.claims.values(), key=lambda c: c.id):
        _add_claim(content, claim, corpus, stance_labels)

    provenance = Graph()
    _add_provenance(provenance, build, inputs, corpus)
    graphs = {"ontology": ontology, "catalogues": catalogues, "corpus": content,
              "provenance": provenance}
    for graph in graphs.values():
        bind_prefixes(graph)
    return BuiltGraph(graphs, build)


def _ontology_inputs() -> list[InputFile]:
    folder = ontology_dir()
    return [InputFile(f"ontology/{name}", hashlib.sha256((folder / name).read_bytes()).hexdigest())
            for name in ("ilkg.ttl", "shapes.ttl")]


def _labels(graph: Graph, subject: URIRef, labels: dict[str, str]) -> None:
    for lang, text in sorted(labels.items()):
        graph.add((subject, RDFS.label, Literal(text, lang=lang)))


def _aliases(graph: Graph, subject: URIRef, aliases: tuple[str, ...]) -> None:
    for alias in aliases:
        graph.add((subject, SKOS.altLabel, Literal(alias)))


def _add_actor(graph: Graph, actor: Actor) -> None:
    iri = actor_iri(actor.id)
    graph.add((iri, RDF.type, ACTOR_CLASS[actor.type]))
    _labels(graph, iri, actor.labels)
    _aliases(graph, iri, actor.aliases)
    if actor.wikidata:
        graph.add((iri, OWL.sameAs, WD[actor.wikidata]))
    if actor.organ_of:
        graph.add((iri, ILK.organOf, actor_iri(actor.organ_of)))
    if actor.acts_for:
        graph.add((iri, ILK.actsFor, actor_iri(actor.acts_for)))
    if actor.role:
        graph.add((iri, ILK.role, Literal(actor.role)))


def _add_norm(graph: Graph, norm: Norm) -> None:
    iri = NORM[norm.id]
    graph.add((iri, RDF.type, NORM_CLASS[norm.type]))
    _labels(graph, iri, norm.labels)
    graph.add((iri, SKOS.notation, Literal(norm.notation)))
    _aliases(graph, iri, norm.aliases)
    if norm.definition:
        graph.add((iri, SKOS.definition, Literal(norm.definition, lang="en")))
    for parent in norm.part_of:
        graph.add((iri, ELI.is_part_of, NORM[parent]))
    for provision in norm.codified_in:
        graph.add((iri, ILK.codifiedIn, NORM[provision]))
    for related in norm.related:
        graph.add((iri, SKOS.related, NORM[related]))
    if norm.adopted:
        graph.add((iri, ELI.date_document, norm.adopted.literal()))
    if norm.text:
        graph.add((iri, ILK.officialText, URIRef(norm.text)))
    if norm.wikidata:
        graph.add((iri, OWL.sameAs, WD[norm.wikidata]))


def _add_event(graph: Graph, event: Event) -> None:
    iri = EVENT[event.id]
    graph.add((iri, RDF.type, ILK.Event))
    _labels(graph, iri, event.labels)
    _aliases(graph, iri, event.aliases)
    graph.add((iri, ILK.startDate, event.start.literal()))
    if event.end:
        graph.add((iri, ILK.endDate, event.end.literal()))
    for actor in event.perpetrators:
        graph.add((iri, ILK.perpetrator, actor_iri(actor)))
    for actor in event.affected:
        graph.add((iri, ILK.affects, actor_iri(actor)))
    if event.part_of:
        graph.add((iri, ILK.partOfEvent, EVENT[event.part_of]))
    if event.description:
        graph.add((iri, DCTERMS.description, Literal(event.description, lang="en")))


def _add_document(graph: Graph, document: Document) -> None:
    iri = DOC[document.id]
    graph.add((iri, RDF.type, ILK.Document))
    graph.add((iri, DCTERMS.title, Literal(document.title)))
    graph.add((iri, DCTERMS.date, document.date.literal()))
    graph.add((iri, DCTERMS.language, Literal(document.language)))
    graph.add((iri, ILK.sha256, Literal(document.sha256)))
    # Offsets and lengths are xsd:integer (checked >= 0 by the shapes), not the narrower
    # xsd:nonNegativeInteger: Oxigraph stores every integer subtype as xsd:integer, and the same
    # answer must come back from every engine and store.
    graph.add((iri, ILK.textLength, Literal(len(document.text), datatype=XSD.integer)))
    graph.add((iri, ILK.sourceFile, Literal(document.path)))
    if document.outlet:
        graph.add((iri, DCTERMS.publisher, actor_iri(document.outlet)))
    if document.author:
        graph.add((iri, DCTERMS.creator, actor_iri(document.author)))
    if document.genre:
        graph.add((iri, ILK.genre, Literal(document.genre)))
    if document.truncated is not None:
        graph.add((iri, ILK.truncated, Literal(document.truncated)))
    for note in document.notes:
        graph.add((iri, SKOS.note, Literal(note, lang="en")))
    for number, piece in enumerate(document.pieces, start=1):
        part = DOC[f"{document.id}/piece-{number}"]
        graph.add((part, RDF.type, ILK.DocumentPiece))
        graph.add((part, DCTERMS.isPartOf, iri))
        graph.add((part, DCTERMS.title, Literal(piece.title)))
        graph.add((part, DCTERMS.date, piece.date.literal()))
        graph.add((part, ILK.startOffset, Literal(piece.start, datatype=XSD.integer)))
        graph.add((part, ILK.endOffset, Literal(piece.end, datatype=XSD.integer)))


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


def _add_claim(graph: Graph, claim: Claim, corpus: Corpus, stance_labels: dict[str, str]) -> None:
    iri = claim_iri(claim.id)
    graph.add((iri, RDF.type, ILK.Claim))
    graph.add((iri, RDFS.label, Literal(claim_label(claim, corpus, stance_labels[claim.stance]))))
    graph.add((iri, ILK.claimant, actor_iri(claim.claimant)))
    graph.add((iri, ILK.stance, STANCE[claim.stance]))
    graph.add((iri, DCTERMS.date, claim.date.literal()))
    graph.add((iri, ILK.statedIn, DOC[claim.document]))
    if claim.voiced_by:
        graph.add((iri, ILK.voicedBy, actor_iri(claim.voiced_by)))
    for actor in claim.reported_by:
        graph.add((iri, ILK.reportedBy, actor_iri(actor)))
    for actor in claim.against:
        graph.add((iri, ILK.against, actor_iri(actor)))
    for norm in claim.invokes:
        graph.add((iri, ILK.invokes, NORM[norm]))
    for event in claim.concerns:
        graph.add((iri, ILK.concerns, EVENT[event]))
    for other in claim.attacks:
        graph.add((iri, ILK.attacks, claim_iri(other)))
    for other in claim.supports:
        graph.add((iri, ILK.supports, claim_iri(other)))
    if claim.note:
        graph.add((iri, RDFS.comment, Literal(claim.note, lang="en")))
    for number, span in enumerate(claim.evidence, start=1):
        evidence = URIRef(f"{iri}/evidence/{number}")
        quote = URIRef(f"{evidence}/quote")
        position = URIRef(f"{evidence}/position")
        graph.add((iri, ILK.evidence, evidence))
        graph.add((evidence, RDF.type, OA.SpecificResource))
        graph.add((evidence, OA.hasSource, DOC[claim.document]))
        graph.add((evidence, OA.hasSelector, quote))
        graph.add((evidence, OA.hasSelector, position))
        graph.add((quote, RDF.type, OA.TextQuoteSelector))
        graph.add((quote, OA.exact, Literal(span.exact)))
        graph.add((quote, OA.prefix, Literal(span.prefix)))
        graph.add((quote, OA.suffix, Literal(span.suffix)))
        graph.add((position, RDF.type, OA.TextPositionSelector))
        graph.add((position, OA.start, Literal(span.start, datatype=XSD.integer)))
        graph.add((position, OA.end, Literal(span.end, datatype=XSD.integer)))


def _add_provenance(graph: Graph, build: URIRef, inputs, corpus: Corpus) -> None:
    graph.add((build, RDF.type, PROV.Activity))
    graph.add((build, RDFS.label, Literal("kg build")))
    graph.add((build, PROV.wasAssociatedWith, SOFTWARE))
    graph.add((SOFTWARE, RDF.type, PROV.SoftwareAgent))
    graph.add((SOFTWARE, RDFS.label, Literal("kg")))
    graph.add((SOFTWARE, DCTERMS.hasVersion, Literal(__version__)))
    entities = {}
    for item in sorted(inputs, key=lambda f: f.path):
        entity = URIRef(f"{build}/input/{item.path}")
        entities[item.path] = entity
        graph.add((build, PROV.used, entity))
        graph.add((entity, RDF.type, PROV.Entity))
        graph.add((entity, ILK.path, Literal(item.path)))
        graph.add((entity, ILK.sha256, Literal(item.sha256)))
    for document in sorted(corpus.documents.values(), key=lambda d: d.id):
        graph.add((DOC[document.id], PROV.wasGeneratedBy, build))
        graph.add((DOC[document.id], PROV.wasDerivedFrom, entities[document.path]))
    for claim in sorted(corpus.claims.values(), key=lambda c: c.id):
        graph.add((claim_iri(claim.id), PROV.wasGeneratedBy, build))
        graph.add((claim_iri(claim.id), PROV.wasDerivedFrom, entities[claim.annotation]))
