"""The records the corpus loader produces and the builder consumes.

Frozen dataclasses: once the corpus is checked, nothing downstream may change it. Every record
keeps ``where`` (file and line) so that problems found later — a SHACL violation, a dangling
relation — can still point at the line an annotator wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .dates import PartialDate
from .quotes import Span


@dataclass(frozen=True, slots=True)
class Where:
    file: str  # path as the user gave it, e.g. corpus/annotations/x.yaml
    line: int | None = None


# Allowed values, as written in the catalogues.
ACTOR_TYPES = (
    "state", "international-organization", "group-of-states", "ngo", "research-institution",
    "expert-body", "person", "media-outlet", "non-state-group",
)
NORM_TYPES = ("instrument", "provision", "principle", "body-of-law")
SOURCE_TYPES = (
    "treaty", "treaty-provision", "customary-rule", "general-principle", "un-resolution",
    "authoritative-interpretation", "judicial-decision", "body-of-law",
)
ELEMENT_ROLES = ("condition", "exception")
STANCES = (
    "alleges-violation", "justifies", "rejects-justification", "demands-compliance",
    "denies-allegation", "affirms-norm",
)


@dataclass(frozen=True)
class Actor:
    id: str
    type: str  # one of ACTOR_TYPES
    labels: dict[str, str]  # language -> name
    where: Where
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None  # "Q30"
    organ_of: str | None = None
    acts_for: str | None = None
    role: str | None = None
    established_by: str | None = None  # a norm id (ilk:establishedBy), e.g. iccpr-art-28


@dataclass(frozen=True)
class Norm:
    id: str
    type: str  # one of NORM_TYPES
    notation: str
    labels: dict[str, str]
    where: Where
    part_of: tuple[str, ...] = ()
    codified_in: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    adopted: PartialDate | None = None
    text: str | None = None  # IRI of the official text
    wikidata: str | None = None
    definition: str | None = None
    aliases: tuple[str, ...] = ()
    source_type: str | None = None  # one of SOURCE_TYPES
    interprets: tuple[str, ...] = ()


@dataclass(frozen=True)
class SchemeElement:
    """One element of a legal test: a condition to show or an exception that defeats it."""

    id: str  # "scheme/element", e.g. self-defence/armed-attack
    scheme: str
    role: str  # one of ELEMENT_ROLES
    labels: dict[str, str]
    questions: dict[str, str]  # the critical question, by language
    where: Where
    definition: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scheme:
    """A legal test as an argument scheme (ontology/schemes.yaml)."""

    id: str
    labels: dict[str, str]
    conclusions: dict[str, str]
    based_on: tuple[str, ...]  # norm ids
    elements: tuple[SchemeElement, ...]
    where: Where
    establishes: str | None = None  # an element id of another scheme
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    id: str
    labels: dict[str, str]
    start: PartialDate
    where: Where
    end: PartialDate | None = None
    perpetrators: tuple[str, ...] = ()
    affected: tuple[str, ...] = ()
    part_of: str | None = None
    description: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Piece:
    """A piece of a stored file that has its own title and date (a compilation)."""

    title: str
    date: PartialDate
    start: int  # code-point offsets into the document text
    end: int


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    path: str  # relative to the corpus folder, e.g. documents/x.txt
    text: str = field(repr=False)
    sha256: str
    title: str
    date: PartialDate
    language: str
    where: Where
    outlet: str | None = None
    author: str | None = None
    genre: str | None = None
    truncated: bool | None = None
    seed: str | None = None
    notes: tuple[str, ...] = ()
    pieces: tuple[Piece, ...] = ()

    def piece_at(self, offset: int) -> Piece | None:
        for piece in self.pieces:
            if piece.start <= offset < piece.end:
                return piece
        return None


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    document: str
    claimant: str
    stance: str  # one of STANCES
    date: PartialDate
    evidence: tuple[Span, ...]
    where: Where
    annotation: str  # the annotation file, relative to the corpus folder (for provenance)
    voiced_by: str | None = None
    reported_by: tuple[str, ...] = ()
    against: tuple[str, ...] = ()
    concerns: tuple[str, ...] = ()
    invokes: tuple[str, ...] = ()
    attacks: tuple[str, ...] = ()  # plain attacks, of none of the three kinds below
    supports: tuple[str, ...] = ()
    note: str | None = None
    proposition: dict[str, str] = field(default_factory=dict)  # language -> one sentence
    schemes: tuple[str, ...] = ()
    affirms: tuple[str, ...] = ()  # element ids
    denies: tuple[str, ...] = ()
    rebuts: tuple[str, ...] = ()  # as written; the builder makes it symmetric
    undercuts: tuple[str, ...] = ()
    undermines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InputFile:
    """A file the build read, for the provenance record."""

    path: str  # relative: corpus files to the corpus folder, ontology files as ontology/<name>
    sha256: str


@dataclass(frozen=True)
class Corpus:
    actors: dict[str, Actor]
    norms: dict[str, Norm]
    events: dict[str, Event]
    documents: dict[str, Document]
    claims: dict[str, Claim]
    inputs: tuple[InputFile, ...]
    schemes: dict[str, Scheme] = field(default_factory=dict)

    def element(self, element_id: str) -> SchemeElement | None:
        scheme_id, _, _ = element_id.partition("/")
        scheme = self.schemes.get(scheme_id)
        return next((e for e in scheme.elements if e.id == element_id), None) if scheme else None
