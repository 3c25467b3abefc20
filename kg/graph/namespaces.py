"""The namespaces of the graph: the contract of docs/data-model.md, in one place.

``ILK`` is a closed :class:`~rdflib.namespace.DefinedNamespace`: a misspelt term (``ILK.suports``)
raises at import time of the calling code's first use instead of minting a wrong IRI that would
silently never match a scholar's query.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DC, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, DefinedNamespace

BASE = "https://w3id.org/ilkg/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
SHAPES = Namespace(BASE + "shapes#")
ACTOR = Namespace(BASE + "actor/")
NORM = Namespace(BASE + "norm/")
EVENT = Namespace(BASE + "event/")
CLAIM = Namespace(BASE + "claim/")
DOC = Namespace(BASE + "doc/")
SCHEME = Namespace(BASE + "scheme/")  # legal tests; an element is SCHEME[f"{scheme}/{slug}"]
BUILD = Namespace(BASE + "build/")
GRAPH = Namespace(BASE + "graph/")
SOFTWARE = URIRef(BASE + "software/kg")

OA = Namespace("http://www.w3.org/ns/oa#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
WD = Namespace("http://www.wikidata.org/entity/")
VANN = Namespace("http://purl.org/vocab/vann/")


class ILK(DefinedNamespace):
    """The ontology's own terms (https://w3id.org/ilkg/ontology#)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # Classes
    Actor: URIRef
    State: URIRef
    InternationalOrganization: URIRef
    GroupOfStates: URIRef
    NonGovernmentalOrganization: URIRef
    ResearchInstitution: URIRef
    Person: URIRef
    MediaOutlet: URIRef
    NonStateGroup: URIRef
    ExpertBody: URIRef
    Norm: URIRef
    LegalInstrument: URIRef
    Provision: URIRef
    LegalPrinciple: URIRef
    BodyOfLaw: URIRef
    Event: URIRef
    Claim: URIRef
    Document: URIRef
    DocumentPiece: URIRef
    Stance: URIRef
    StanceScheme: URIRef
    ArgumentScheme: URIRef
    SchemeElement: URIRef
    ElementRole: URIRef
    ElementRoles: URIRef
    Condition: URIRef
    Exception: URIRef
    SourceTypes: URIRef

    # Source types (concepts of ilk:SourceTypes)
    Treaty: URIRef
    TreatyProvision: URIRef
    CustomaryRule: URIRef
    GeneralPrinciple: URIRef
    UNResolution: URIRef
    AuthoritativeInterpretation: URIRef
    JudicialDecision: URIRef
    BodyOfLawSource: URIRef

    # Stances
    AllegesViolation: URIRef
    Justifies: URIRef
    RejectsJustification: URIRef
    DemandsCompliance: URIRef
    DeniesAllegation: URIRef
    AffirmsNorm: URIRef

    # Claim properties
    claimant: URIRef
    voicedBy: URIRef
    reportedBy: URIRef
    against: URIRef
    invokes: URIRef
    stance: URIRef
    concerns: URIRef
    attacks: URIRef
    rebuts: URIRef
    undercuts: URIRef
    undermines: URIRef
    supports: URIRef
    proposition: URIRef
    appliesScheme: URIRef
    affirmsElement: URIRef
    deniesElement: URIRef
    acceptance: URIRef
    acceptanceSemantics: URIRef
    evidence: URIRef
    statedIn: URIRef

    # Actor, norm, event properties
    organOf: URIRef
    actsFor: URIRef
    role: URIRef
    establishedBy: URIRef
    codifiedIn: URIRef
    interprets: URIRef
    sourceType: URIRef
    officialText: URIRef
    startDate: URIRef
    endDate: URIRef
    perpetrator: URIRef
    affects: URIRef
    partOfEvent: URIRef

    # Scheme properties
    basedOn: URIRef
    hasElement: URIRef
    elementOf: URIRef
    criticalQuestion: URIRef
    elementRole: URIRef
    conclusion: URIRef
    establishes: URIRef

    # Document and provenance properties
    genre: URIRef
    truncated: URIRef
    sha256: URIRef
    textLength: URIRef
    sourceFile: URIRef
    startOffset: URIRef
    endOffset: URIRef
    path: URIRef


PREFIXES = {
    "ilk": ILK._NS,
    "actor": ACTOR,
    "norm": NORM,
    "event": EVENT,
    "claim": CLAIM,
    "doc": DOC,
    "scheme": SCHEME,
    "oa": OA,
    "eli": ELI,
    "wd": WD,
}

# The prefixes every query may use without declaring them, as the Wikidata Query Service and
# Fuseki's editor predefine theirs: the graph's own namespaces, the vocabularies it reuses, and
# those a scholar coming from Wikidata or Linked Data writes by habit. One list for `kg query`,
# the endpoint and its editor (served at /prefixes.json); README.md shows it. A query that declares
# one of these labels itself keeps its own IRI.
QUERY_PREFIXES = {
    **{prefix: str(namespace) for prefix, namespace in PREFIXES.items()},
    **{prefix: str(namespace) for prefix, namespace in (
        ("rdf", RDF), ("rdfs", RDFS), ("owl", OWL), ("xsd", XSD), ("skos", SKOS), ("dcterms", DCTERMS),
        ("dc", DC), ("prov", PROV), ("foaf", FOAF))},
    "schema": "http://schema.org/",  # as Wikidata writes it (rdflib's SDO is https://)
    "sh": str(SH),
    "wdt": "http://www.wikidata.org/prop/direct/",
    "wikibase": "http://wikiba.se/ontology#",
    "p": "http://www.wikidata.org/prop/",
    "ps": "http://www.wikidata.org/prop/statement/",
    "pq": "http://www.wikidata.org/prop/qualifier/",
    "bd": "http://www.bigdata.com/rdf#",
}
