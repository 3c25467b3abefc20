"""The made-up world of a synthetic corpus: its actors and the events they argue about.

``kg synth`` must not read the bundled corpus (it is not in the wheel), so it brings its own
catalogues. States, UN organs and the norm catalogue are real, because the graph's meaning rests
on them (ISO codes, ``organOf``, ``ontology/norms.yaml``); the people, NGOs and outlets are
invented, so that no real person or newsroom is ever quoted saying words it never said. Events
are drawn from the seed: campaigns of force between pairs of states and repression inside states,
each with dated episodes that claims assess.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import SetupError

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
             "octubre", "noviembre", "diciembre")


@dataclass(frozen=True)
class SynActor:
    id: str
    type: str  # one of kg.corpus.models.ACTOR_TYPES
    en: str  # catalogue name
    es: str | None
    text_en: str  # as running text names it ("the United States")
    text_es: str
    weight: float  # how prominent it is as a claimant (skews who speaks)
    bloc: str | None = None  # "west" | "alba" | None: whose side it takes
    capital: str | None = None  # a dateline, and the one alias of a state
    organ_of: str | None = None
    acts_for: str | None = None
    role: str | None = None
    wikidata: str | None = None  # only QIDs the bundled catalogue has checked


@dataclass(frozen=True)
class Kind:
    """A kind of event: how it is named, and which norms claims about it tend to invoke."""

    en: str  # text phrase with its article; {P} perpetrator, {A} affected
    es: str
    short_en: str
    short_es: str
    norms: tuple[str, ...]  # invoked by allegations, demands, rejections, affirmations
    excuses: tuple[str, ...]  # invoked by justifications


@dataclass(frozen=True)
class SynEvent:
    id: str
    kind: Kind
    label_en: str
    label_es: str
    phrase_en: str  # "the air strikes by the United States on Venezuela"
    phrase_es: str
    start: dt.date  # first day of the start date, for comparisons
    start_text: str  # as precise as written: YYYY-MM-DD, YYYY-MM or YYYY
    perpetrators: tuple[str, ...]
    affected: tuple[str, ...]
    weight: float  # how much it is talked about
    end_text: str | None = None
    part_of: str | None = None
    description: str | None = None
    kind_name: str = ""


@dataclass(frozen=True)
class NormBook:
    """The shared norm catalogue as claims draw from it: a Zipf-like weight per norm, and its words."""

    ids: tuple[str, ...]  # most cited first
    weight: dict[str, float]
    phrase_en: dict[str, str]  # "UN Charter Art. 2(4)", "the right to life"
    cite_es: dict[str, str]  # "Carta de las Naciones Unidas, artículo 2.4"


@dataclass
class World:
    actors: dict[str, SynActor]
    norms: NormBook
    events: list[SynEvent] = field(default_factory=list)  # sorted by start
    persons: dict[str, list[str]] = field(default_factory=dict)  # principal -> person ids
    columnists: list[str] = field(default_factory=list)
    event_by_id: dict[str, SynEvent] = field(default_factory=dict)


# (id, English name, Spanish name, text name en, text name es, capital, bloc, weight, wikidata)
STATES = (
    ("USA", "United States of America", "Estados Unidos de América", "the United States",
     "Estados Unidos", "Washington", "west", 10, "Q30"),
    ("VEN", "Venezuela", "Venezuela", "Venezuela", "Venezuela", "Caracas", "alba", 9, "Q717"),
    ("CUB", "Cuba", "Cuba", "Cuba", "Cuba", "Havana", "alba", 4, "Q241"),
    ("COL", "Colombia", "Colombia", "Colombia", "Colombia", "Bogotá", None, 3.5, "Q739"),
    ("RUS", "Russia", "Rusia", "Russia", "Rusia", "Moscow", "alba", 4, "Q159"),
    ("CHN", "China", "China", "China", "China", "Beijing", "alba", 3, "Q148"),
    ("MEX", "Mexico", "México", "Mexico", "México", "Mexico City", None, 2.5, None),
    ("BRA", "Brazil", "Brasil", "Brazil", "Brasil", "Brasília", None, 2.5, None),
    ("NIC", "Nicaragua", "Nicaragua", "Nicaragua", "Nicaragua", "Managua", "alba", 2, None),
    ("BOL", "Bolivia", "Bolivia", "Bolivia", "Bolivia", "La Paz", "alba", 1.5, None),
    ("IRN", "Iran", "Irán", "Iran", "Irán", "Tehran", "alba", 1.5, None),
    ("UKR", "Ukraine", "Ucrania", "Ukraine", "Ucrania", "Kyiv", "west", 2, None),
    ("GUY", "Guyana", "Guyana", "Guyana", "Guyana", "Georgetown", "west", 1.5, None),
    ("TTO", "Trinidad and Tobago", "Trinidad y Tobago", "Trinidad and Tobago", "Trinidad y Tobago",
     "Port of Spain", "west", 1, "Q754"),
    ("GBR", "United Kingdom", "Reino Unido", "the United Kingdom", "Reino Unido", "London", "west", 1.5,
     None),
    ("FRA", "France", "Francia", "France", "Francia", "Paris", "west", 1.5, None),
    ("ESP", "Spain", "España", "Spain", "España", "Madrid", "west", 1.5, None),
    ("CAN", "Canada", "Canadá", "Canada", "Canadá", "Ottawa", "west", 1, None),
    ("ARG", "Argentina", "Argentina", "Argentina", "Argentina", "Buenos Aires", "west", 1.5, None),
    ("CHL", "Chile", "Chile", "Chile", "Chile", "Santiago", None, 1.5, None),
    ("PER", "Peru", "Perú", "Peru", "Perú", "Lima", None, 1, None),
    ("ECU", "Ecuador", "Ecuador", "Ecuador", "Ecuador", "Quito", None, 1, None),
    ("PAN", "Panama", "Panamá", "Panama", "Panamá", "Panama City", "west", 1, None),
    ("ZAF", "South Africa", "Sudáfrica", "South Africa", "Sudáfrica", "Pretoria", None, 1, None),
)

# (id, type, English name, Spanish name, text en, text es, organ_of, weight, wikidata)
BODIES = (
    ("united-nations", "international-organization", "United Nations", "Naciones Unidas",
     "the United Nations", "las Naciones Unidas", None, 1, "Q1065"),
    ("un-security-council", "international-organization", "United Nations Security Council",
     "Consejo de Seguridad de las Naciones Unidas", "the Security Council", "el Consejo de Seguridad",
     "united-nations", 1.5, "Q37470"),
    ("un-general-assembly", "international-organization", "United Nations General Assembly",
     "Asamblea General de las Naciones Unidas", "the General Assembly", "la Asamblea General",
     "united-nations", 1, "Q47423"),
    ("un-secretary-general", "international-organization", "Secretary-General of the United Nations",
     "Secretario General de las Naciones Unidas", "the UN Secretary-General",
     "el Secretario General de la ONU", "united-nations", 5, None),
    ("ohchr", "international-organization",
     "Office of the United Nations High Commissioner for Human Rights",
     "Oficina del Alto Comisionado de las Naciones Unidas para los Derechos Humanos",
     "the UN human rights office", "la oficina de derechos humanos de la ONU", "united-nations", 4, None),
    ("un-special-procedures", "international-organization",
     "Special Procedures of the UN Human Rights Council",
     "Procedimientos Especiales del Consejo de Derechos Humanos", "independent UN experts",
     "expertos independientes de la ONU", "united-nations", 3, None),
    ("international-criminal-court", "international-organization", "International Criminal Court",
     "Corte Penal Internacional", "the International Criminal Court", "la Corte Penal Internacional",
     None, 1, "Q47488"),
    ("icc-office-of-the-prosecutor", "international-organization",
     "Office of the Prosecutor of the International Criminal Court",
     "Fiscalía de la Corte Penal Internacional", "the ICC Prosecutor", "la Fiscalía de la CPI",
     "international-criminal-court", 1.5, None),
    ("organization-of-american-states", "international-organization", "Organization of American States",
     "Organización de los Estados Americanos", "the Organization of American States", "la OEA", None, 2,
     "Q123759"),
    ("european-union", "international-organization", "European Union", "Unión Europea",
     "the European Union", "la Unión Europea", None, 2, None),
    ("non-aligned-movement", "group-of-states", "Non-Aligned Movement", "Movimiento de Países No Alineados",
     "the Non-Aligned Movement", "el Movimiento de Países No Alineados", None, 2, None),
    ("celac", "group-of-states", "Community of Latin American and Caribbean States",
     "Comunidad de Estados Latinoamericanos y Caribeños", "CELAC", "la CELAC", None, 2, None),
    ("group-of-friends-un-charter", "group-of-states",
     "Group of Friends in Defense of the Charter of the United Nations",
     "Grupo de Amigos en Defensa de la Carta de las Naciones Unidas",
     "the Group of Friends in Defense of the UN Charter", "el Grupo de Amigos en Defensa de la Carta",
     None, 1.5, None),
    ("alba-tcp", "group-of-states", "Bolivarian Alliance for the Peoples of Our America",
     "Alianza Bolivariana para los Pueblos de Nuestra América", "ALBA", "el ALBA", None, 1, None),
    # Invented NGOs, outlets and armed groups: nobody real is quoted.
    ("americas-rights-observatory", "ngo", "Americas Rights Observatory",
     "Observatorio de Derechos de las Américas", "the Americas Rights Observatory",
     "el Observatorio de Derechos de las Américas", None, 3, None),
    ("global-justice-initiative", "ngo", "Global Justice Initiative", "Iniciativa Justicia Global",
     "the Global Justice Initiative", "la Iniciativa Justicia Global", None, 3, None),
    ("caribbean-legal-defence-centre", "ngo", "Caribbean Legal Defence Centre",
     "Centro Caribeño de Defensa Legal", "the Caribbean Legal Defence Centre",
     "el Centro Caribeño de Defensa Legal", None, 2, None),
    ("coalition-for-accountability", "ngo", "Coalition for Accountability",
     "Coalición por la Rendición de Cuentas", "the Coalition for Accountability",
     "la Coalición por la Rendición de Cuentas", None, 2, None),
    ("foro-civico", "ngo", "Civic Forum for Rights", "Foro Cívico por los Derechos", "the Civic Forum",
     "el Foro Cívico", None, 1.5, None),
    ("lawyers-for-peace", "ngo", "International Lawyers for Peace", "Abogados Internacionales por la Paz",
     "International Lawyers for Peace", "Abogados Internacionales por la Paz", None, 1, None),
    ("caribbean-herald", "media-outlet", "The Caribbean Herald", None, "The Caribbean Herald",
     "The Caribbean Herald", None, 3, None),
    ("andean-courier", "media-outlet", "Andean Courier", None, "the Andean Courier", "Andean Courier",
     None, 2, None),
    ("global-wire", "media-outlet", "Global Wire Service", "Servicio Global de Noticias", "Global Wire",
     "Global Wire", None, 4, None),
    ("diario-del-sur", "media-outlet", "El Diario del Sur", None, "El Diario del Sur", "El Diario del Sur",
     None, 2, None),
    ("atlantic-review", "media-outlet", "The Atlantic Review", None, "The Atlantic Review",
     "The Atlantic Review", None, 1.5, None),
    ("hemisphere-monitor", "media-outlet", "Hemisphere Monitor", None, "Hemisphere Monitor",
     "Hemisphere Monitor", None, 1.5, None),
    ("la-voz-continental", "media-outlet", "La Voz Continental", None, "La Voz Continental",
     "La Voz Continental", None, 1.5, None),
    ("world-affairs-daily", "media-outlet", "World Affairs Daily", None, "World Affairs Daily",
     "World Affairs Daily", None, 1, None),
    ("pacific-route-cartel", "non-state-group", "Pacific Route Cartel", "Cártel de la Ruta del Pacífico",
     "the Pacific Route Cartel", "el Cártel de la Ruta del Pacífico", None, 0, None),
    ("sierra-brotherhood", "non-state-group", "Sierra Brotherhood", "Hermandad de la Sierra",
     "the Sierra Brotherhood", "la Hermandad de la Sierra", None, 0, None),
)

# Offices held by the invented people who voice claims: (principal, role, name pool).
OFFICES = (
    ("USA", "Secretary of State of the United States", "anglo"),
    ("USA", "US Ambassador to the United Nations", "anglo"),
    ("VEN", "Minister of Foreign Affairs of Venezuela", "hispanic"),
    ("VEN", "Permanent Representative of Venezuela to the United Nations", "hispanic"),
    ("VEN", "Attorney General of Venezuela", "hispanic"),
    ("CUB", "Minister of Foreign Affairs of Cuba", "hispanic"),
    ("COL", "President of Colombia", "hispanic"),
    ("MEX", "Minister of Foreign Affairs of Mexico", "hispanic"),
    ("BRA", "Minister of Foreign Affairs of Brazil", "lusophone"),
    ("RUS", "Spokesperson of the Russian Ministry of Foreign Affairs", "russian"),
    ("CHN", "Spokesperson of the Chinese Ministry of Foreign Affairs", "chinese"),
    ("un-secretary-general", "Spokesperson for the Secretary-General", "intl"),
    ("ohchr", "UN High Commissioner for Human Rights", "intl"),
    ("un-special-procedures", "Special Rapporteur on extrajudicial executions", "intl"),
    ("icc-office-of-the-prosecutor", "Prosecutor of the International Criminal Court", "intl"),
    ("americas-rights-observatory", "Executive Director of the Americas Rights Observatory", "hispanic"),
    ("global-justice-initiative", "Legal Director of the Global Justice Initiative", "intl"),
    ("caribbean-legal-defence-centre", "Director of the Caribbean Legal Defence Centre", "anglo"),
)
COLUMNISTS = 3

FIRST = {
    "anglo": ("James", "Sarah", "Michael", "Laura", "Robert", "Emily", "Daniel", "Rachel"),
    "hispanic": ("Elena", "Marcos", "Lucía", "Andrés", "Camila", "Tomás", "Isabel", "Rafael", "Valentina",
                 "Javier"),
    "lusophone": ("João", "Mariana", "Paulo", "Beatriz"),
    "russian": ("Dmitri", "Sergei", "Pavel", "Andrei"),
    "chinese": ("Wei", "Lin", "Jun", "Mei"),
    "intl": ("Amara", "Pierre", "Claire", "Kwame", "Nadia", "Henrik", "Leila", "Tomás"),
}
LAST = {
    "anglo": ("Whitfield", "Harrington", "Caldwell", "Brennan", "Holloway", "Prescott"),
    "hispanic": ("Arroyo", "Benítez", "Castillo", "Duarte", "Figueroa", "Guzmán", "Ibarra", "Lozano",
                 "Medina", "Quintero", "Urdaneta", "Valdés"),
    "lusophone": ("Albuquerque", "Carvalho", "Teixeira", "Moura"),
    "russian": ("Volkov", "Lebedev", "Orlov", "Sokolov"),
    "chinese": ("Zhang", "Liu", "Chen", "Huang"),
    "intl": ("Mensah", "Laurent", "Okafor", "Lindqvist", "Haddad", "Varga", "Osei"),
}

_FORCE = ("un-charter-art-2-4", "un-charter", "unga-res-3314")
KINDS = {
    "air-strikes": Kind(
        "the air strikes by {P} on {A}", "los ataques aéreos de {P} contra {A}", "the air strikes",
        "los ataques aéreos",
        (*_FORCE, "unga-res-3314-art-3-b", "unga-res-3314-art-2", "right-to-life", "law-of-armed-conflict"),
        ("un-charter-art-51", "law-of-armed-conflict")),
    "boat-strikes": Kind(
        "the strikes by {P} on boats off the coast of {A}",
        "los ataques de {P} contra lanchas frente a las costas de {A}", "the boat strikes",
        "los ataques contra lanchas",
        ("right-to-life", "un-charter-art-2-4", "iccpr-art-6", "law-of-armed-conflict", "ccpr-gc-36"),
        ("un-charter-art-51", "law-of-armed-conflict")),
    "blockade": Kind(
        "the naval blockade imposed by {P} on {A}", "el bloqueo naval impuesto por {P} a {A}",
        "the blockade", "el bloqueo",
        (*_FORCE, "un-charter-art-2-1", "sovereign-equality"), ("un-charter-art-51",)),
    "build-up": Kind(
        "the military build-up of {P} near {A}", "el despliegue militar de {P} cerca de {A}",
        "the military build-up", "el despliegue militar",
        ("un-charter-art-2-4", "un-charter-art-2-3", "unga-res-2625", "un-charter"), ("un-charter-art-51",)),
    "raid": Kind(
        "the raid by {P} on the territory of {A}", "la incursión de {P} en territorio de {A}", "the raid",
        "la incursión",
        (*_FORCE, "territorial-sovereignty", "unga-res-3314-art-3-a", "right-to-life"),
        ("un-charter-art-51", "law-of-armed-conflict")),
    "threats": Kind(
        "the threats of force by {P} against {A}", "las amenazas de uso de la fuerza de {P} contra {A}",
        "the threats", "las amenazas",
        ("un-charter-art-2-4", "un-charter-art-2-3", "un-charter", "unga-res-2625"), ("un-charter-art-51",)),
    "capture": Kind(
        "the capture of officials of {A} by forces of {P}",
        "la captura de funcionarios de {A} por fuerzas de {P}", "the capture", "la captura",
        ("territorial-sovereignty", "un-charter-art-2-4", "sovereign-equality", "un-charter-art-2-1"),
        ("universal-jurisdiction", "un-charter-art-51")),
    "campaign": Kind(
        "the military campaign of {P} against {A}", "la campaña militar de {P} contra {A}", "the campaign",
        "la campaña",
        (*_FORCE, "unga-res-2625", "un-charter-art-2-3"), ("un-charter-art-51",)),
    "crackdown": Kind(
        "the crackdown on protesters in {P}", "la represión de manifestantes en {P}", "the crackdown",
        "la represión",
        ("freedom-of-peaceful-assembly", "freedom-of-expression", "right-to-life", "prohibition-of-torture",
         "iccpr"),
        ("un-charter-art-2-1", "sovereign-equality")),
    "detentions": Kind(
        "the arbitrary detention of opposition figures in {P}",
        "la detención arbitraria de opositores en {P}", "the detentions", "las detenciones",
        ("prohibition-of-arbitrary-detention", "prohibition-of-enforced-disappearance",
         "prohibition-of-torture", "right-to-political-participation", "rome-statute-art-7"),
        ("sovereign-equality",)),
    "ngo-closures": Kind(
        "the closure of human rights organisations in {P}",
        "el cierre de organizaciones de derechos humanos en {P}", "the closures", "los cierres",
        ("freedom-of-association", "right-to-defend-human-rights", "freedom-of-expression"),
        ("un-charter-art-2-1", "sovereign-equality")),
    "election-repression": Kind(
        "the post-election repression in {P}", "la represión poselectoral en {P}", "the repression",
        "la represión",
        ("right-to-political-participation", "rome-statute-art-7", "right-to-life", "freedom-of-expression",
         "victims-right-to-truth-justice-reparation"),
        ("un-charter-art-2-1",)),
    "repression": Kind(
        "the repression of critics in {P}", "la represión de críticos en {P}", "the repression",
        "la represión",
        ("rome-statute-art-7", "rome-statute", "victims-right-to-truth-justice-reparation",
         "prohibition-of-torture", "right-to-life"),
        ("un-charter-art-2-1",)),
}
FORCE_KINDS = ("air-strikes", "boat-strikes", "blockade", "build-up", "raid", "threats", "capture")
REPRESSION_KINDS = ("crackdown", "detentions", "ngo-closures", "election-repression")
# Pairs of states in a conflict of force, with how much the world talks about it.
DYADS = (("USA", "VEN", 10), ("USA", "CUB", 3), ("USA", "COL", 2.5), ("RUS", "UKR", 4), ("VEN", "GUY", 2),
         ("USA", "MEX", 1.5), ("USA", "IRN", 1))
# Who may join a perpetrator in an episode (joint exercises, shared operations).
PARTNERS = {"USA": ("TTO", "PAN", "GBR"), "VEN": ("CUB", "NIC"), "CUB": ("VEN",), "NIC": ("VEN",)}
REPRESSORS = (("VEN", 5), ("NIC", 2), ("CUB", 2), ("RUS", 1))
FIRST_DAY, LAST_DAY = dt.date(2024, 9, 1), dt.date(2026, 11, 30)


def slug(text: str) -> str:
    """A lower-case kebab slug of a name, accents dropped ("José Núñez" -> "jose-nunez")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in plain.lower()).split())


def month_text(day: dt.date, lang: str) -> str:
    return f"{MONTHS_EN[day.month - 1]} {day.year}" if lang == "en" else \
        f"{MONTHS_ES[day.month - 1]} de {day.year}"


def day_text(day: dt.date, lang: str) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}" if lang == "en" else \
        f"{day.day} de {MONTHS_ES[day.month - 1]} de {day.year}"


# The head of the norm distribution: a few norms are cited everywhere (UN Charter Art. 2(4) and 51
# first), then the rest of the catalogue in its own order, each less often than the one before.
HEAD_NORMS = ("un-charter-art-2-4", "un-charter-art-51", "un-charter", "right-to-life", "unga-res-3314",
              "territorial-sovereignty", "law-of-armed-conflict", "prohibition-of-arbitrary-detention",
              "rome-statute-art-7", "iccpr-art-6", "sovereign-equality")
ZIPF_EXPONENT = 1.2


def load_norms(path: Path) -> NormBook:
    """Read ``norms.yaml`` (the packaged shared catalogue) into a :class:`NormBook`."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SetupError(f"cannot read the norm catalogue {path}: {exc}; run `kg validate` on any "
                         "corpus to see what is wrong with it, or reinstall ilkg") from exc
    entries = [n for n in (data or {}).get("norms", []) if isinstance(n, dict) and n.get("id")]
    by_id = {str(n["id"]): n for n in entries}
    ranked = [n for n in HEAD_NORMS if n in by_id] + [n for n in by_id if n not in HEAD_NORMS]
    phrase_en, cite_es = {}, {}
    for norm_id in ranked:
        entry = by_id[norm_id]
        notation = str(entry.get("notation") or norm_id)
        labels = entry.get("label") if isinstance(entry.get("label"), dict) else {}
        kind = entry.get("type")
        if kind == "instrument" and "/" not in notation and "Res." not in notation:
            notation = "the " + notation
        elif kind in ("principle", "body-of-law") and notation[1:2].islower():
            notation = "the " + notation[0].lower() + notation[1:]
        phrase_en[norm_id] = notation
        cite_es[norm_id] = re.sub(r" \([^()]*\)$", "", str(labels.get("es") or labels.get("en") or notation))
    weight = {n: 1 / (rank + 1) ** ZIPF_EXPONENT for rank, n in enumerate(ranked)}
    return NormBook(tuple(ranked), weight, phrase_en, cite_es)


def capital_of(world: World, event: SynEvent) -> str:
    """Where a report on the event is datelined: the affected state's capital, else the perpetrator's."""
    for actor_id in (*event.affected, *event.perpetrators):
        if world.actors[actor_id].capital:
            return world.actors[actor_id].capital or ""
    return "Geneva"


def make_world(rng: random.Random, norms: NormBook) -> World:
    actors: dict[str, SynActor] = {}
    for sid, en, es, ten, tes, capital, bloc, weight, qid in STATES:
        actors[sid] = SynActor(sid, "state", en, es, ten, tes, weight, bloc, capital, wikidata=qid)
    for aid, kind, en, es, ten, tes, organ_of, weight, qid in BODIES:
        bloc = "alba" if aid == "alba-tcp" else None
        actors[aid] = SynActor(aid, kind, en, es, ten, tes, weight, bloc, organ_of=organ_of, wikidata=qid)
    world = World(actors, norms)
    taken: set[str] = set(actors)
    offices = [(p, r, pool) for p, r, pool in OFFICES]
    offices += [(None, "Columnist", "intl" if i % 2 else "hispanic") for i in range(COLUMNISTS)]
    for principal, role, pool in offices:
        while True:
            name = f"{rng.choice(FIRST[pool])} {rng.choice(LAST[pool])}"
            if slug(name) not in taken:
                break
        person = SynActor(slug(name), "person", name, None, name, name, 0, acts_for=principal, role=role)
        taken.add(person.id)
        actors[person.id] = person
        if principal is None:
            world.columnists.append(person.id)
        else:
            world.persons.setdefault(principal, []).append(person.id)
    world.events = _events(rng, actors)
    world.event_by_id = {event.id: event for event in world.events}
    return world


def _random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _event(rng: random.Random, actors: dict[str, SynActor], taken: set[str], kind_name: str, perp: str,
           affected: str | None, start: dt.date, precision: int, weight: float,
           parent: str | None) -> SynEvent:
    kind = KINDS[kind_name]
    names = {"P": actors[perp], "A": actors[affected] if affected else None}
    phrase_en = kind.en.format(P=names["P"].text_en, A=names["A"].text_en if names["A"] else "")
    phrase_es = kind.es.format(P=names["P"].text_es, A=names["A"].text_es if names["A"] else "")
    start_text = start.isoformat()[:precision]
    base = f"{perp.lower()}-{kind_name}" + (f"-{affected.lower()}" if affected else "")
    event_id = f"{base}-{start_text[:7]}" if precision == 10 else base
    suffix = 2
    while event_id in taken:
        event_id, suffix = f"{base}-{start_text[:7]}-{suffix}", suffix + 1
    taken.add(event_id)
    label_en = phrase_en.split(" ", 1)[1]
    label_es = phrase_es.split(" ", 1)[1]
    label_en, label_es = label_en[0].upper() + label_en[1:], label_es[0].upper() + label_es[1:]
    end_text = None
    if precision == 10:
        label_en += f", {month_text(start, 'en')}"
        label_es += f", {month_text(start, 'es')}"
        if rng.random() < 0.3:
            end_text = (start + dt.timedelta(days=rng.randint(1, 40))).isoformat()
    affected_ids = (affected,) if affected else ()
    if kind_name == "boat-strikes" and rng.random() < 0.5:
        affected_ids += (rng.choice(("pacific-route-cartel", "sierra-brotherhood")),)
    perpetrators = (perp,)
    allies = [a for a in PARTNERS.get(perp, ()) if a != affected]
    if parent and allies and rng.random() < 0.12:
        perpetrators += (rng.choice(allies),)
    since = day_text(start, "en") if precision == 10 else start_text
    description = f"{label_en.split(',')[0]}, from {since}; a synthetic event of the kg synth corpus."
    return SynEvent(event_id, kind, label_en, label_es, phrase_en, phrase_es, start, start_text,
                    perpetrators, affected_ids, weight, end_text, parent, description, kind_name)


def _events(rng: random.Random, actors: dict[str, SynActor]) -> list[SynEvent]:
    """About forty events: per conflict a campaign and its episodes; per repressive state the same."""
    events: list[SynEvent] = []
    taken: set[str] = set()
    for perp, affected, weight in DYADS:
        start = _random_day(rng, dt.date(2024, 3, 1), dt.date(2025, 3, 31))
        parent = _event(rng, actors, taken, "campaign", perp, affected, start, 7, weight, None)
        events.append(parent)
        for _ in range(2 + round(weight / 2.5)):
            day = _random_day(rng, max(start, FIRST_DAY), LAST_DAY)
            kind = rng.choice(FORCE_KINDS)
            events.append(_event(rng, actors, taken, kind, perp, affected, day, 10, weight, parent.id))
    for perp, weight in REPRESSORS:
        year = rng.randint(2014, 2023)
        parent = _event(rng, actors, taken, "repression", perp, None, dt.date(year, 1, 1), 4, weight, None)
        events.append(parent)
        for _ in range(1 + round(weight / 2)):
            day = _random_day(rng, FIRST_DAY, LAST_DAY)
            kind = rng.choice(REPRESSION_KINDS)
            events.append(_event(rng, actors, taken, kind, perp, None, day, 10, weight, parent.id))
    events.sort(key=lambda e: (e.start, e.id))
    return events
