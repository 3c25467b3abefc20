"""Load and check the catalogues of actors, norms and events, and resolve ids and aliases.

Catalogues are YAML so that a scholar can add "Human Rights Watch" or "Rome Statute Art. 8 bis"
without touching Turtle. Each entry is checked on its own (fields, id style, dates) and then
against the others (references exist, ``part_of`` has no cycle), and all problems are collected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from graphlib import CycleError, TopologicalSorter
from typing import Any

from ..errors import Problem
from ..limits import shown
from .fields import Fields, did_you_mean, did_you_mean_entry
from .located_yaml import LocatedList
from .models import (
    ACTOR_TYPES,
    ELEMENT_ROLES,
    NORM_TYPES,
    SOURCE_TYPES,
    Actor,
    Event,
    Norm,
    Scheme,
    SchemeElement,
    Where,
)

# Every pattern ends with \Z, not $: $ also matches before a final line break, so "usa\n" or a
# file named "zz-evil\n.txt" would pass as an id and fail later, deep in the RDF libraries.
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
STATE_ID = re.compile(r"^[A-Z]{3}\Z")
QID = re.compile(r"^Q[1-9][0-9]*\Z")
# An http(s) URL whose characters are all allowed in an RDF IRI (RFC 3987 excludes spaces and
# <>"{}|\^` ); ' is refused too, since some pages (Yasgui's result table) put IRIs in '-quoted
# attributes. Such characters are written percent-encoded (%27 for ').
IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`']+\Z")

ACTOR_FIELDS = ("id", "type", "name", "aliases", "wikidata", "organ_of", "acts_for", "role", "established_by")
NORM_FIELDS = (
    "id", "type", "source_type", "notation", "label", "part_of", "codified_in", "interprets", "related",
    "adopted", "text", "wikidata", "definition", "aliases",
)
SCHEME_FIELDS = ("id", "label", "conclusion", "based_on", "establishes", "sources", "elements")
ELEMENT_FIELDS = ("id", "role", "label", "question", "definition", "sources")
EVENT_FIELDS = (
    "id", "label", "start", "end", "perpetrators", "affected", "part_of", "description", "aliases",
)


class Registry:
    """The ids of one catalogue with their aliases, for resolving what annotators type.

    ``add_to`` says where a new entry goes and with which fields, for the message about an unknown
    value. A catalogue that could not be read (``unreadable``) resolves nothing and reports
    nothing: its own error says what to fix, and a hundred "unknown actor" lines after it would
    only bury that line. ``skipped`` counts the values left unchecked that way. Ids in
    ``rejected`` are entries with errors of their own: a reference to one is not reported twice.
    """

    def __init__(self, kind: str, entries: dict[str, Any], *, add_to: str | None = None,
                 unreadable: bool = False, rejected: Iterable[str] = ()):
        self.kind = kind
        self.ids = set(entries)
        self.add_to = add_to
        self.unreadable = unreadable
        self.rejected = frozenset(rejected)
        self.skipped = 0
        self._entries = entries
        self._indexed: tuple[dict[str, set[str]], dict[str, str]] | None = None

    def _index(self) -> tuple[dict[str, set[str]], dict[str, str]]:
        """Every id, label and alias folded (-> entries) and as written (-> its entry): made on the
        first value that is not an id, since most values are (and the registry of a hundred
        thousand claim ids would cost a rebuild most of a second)."""
        if self._indexed is None:
            by_name: dict[str, set[str]] = {}
            names: dict[str, str] = {}
            for entry_id, entry in self._entries.items():
                labels = getattr(entry, "labels", {}).values()
                for name in (entry_id, *getattr(entry, "aliases", ()), *labels):
                    by_name.setdefault(name.casefold(), set()).add(entry_id)
                    names.setdefault(name, entry_id)
            self._indexed = by_name, names
        return self._indexed

    def resolve(self, value: str) -> tuple[str | None, str | None]:
        """``(id, None)`` when ``value`` is an id or names one entry, else ``(None, message)``;
        ``(None, None)`` for a value that cannot be checked (see the class)."""
        if value in self.ids:
            return value, None
        hits = self._index()[0].get(value.casefold(), set())
        if len(hits) == 1:
            return next(iter(hits)), None
        if hits:
            return None, (f"'{shown(value)}' could be any of the {self.kind}s {', '.join(sorted(hits))}; "
                          "use the id")
        return None, self.unknown(value)

    def unknown(self, value: str) -> str | None:
        """The message for a value that names no entry: the closest id (by id, label or alias) and
        where to add a new one; None when the value cannot be checked."""
        if self.unreadable:
            self.skipped += 1
            return None
        if value in self.rejected:
            return None
        message = f"unknown {self.kind} '{shown(value)}'{did_you_mean_entry(value, self._index()[1])}"
        if self.add_to:
            message += f"; if it is new, add it to {self.add_to}"
        return message


def entries(data: Any, key: str, file: str, problems: list[Problem]) -> list[tuple[Any, int | None]]:
    """The list under ``key`` in a catalogue file, each item with its line."""
    if data is None:  # missing, unreadable or not YAML: the reader said so already
        return []
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        line = getattr(data, "line", 1)
        problems.append(Problem(file, line, f"expected a top-level '{key}:' list", unreadable=True))
        return []
    items = data[key]
    lines = items.lines if isinstance(items, LocatedList) else [None] * len(items)
    return list(zip(items, lines, strict=True))


def _entry_id(fields: Fields, seen: dict[str, Where], pattern: re.Pattern, style: str) -> str | None:
    entry_id = fields.text("id", required=True)
    if entry_id is None:
        return None
    if not pattern.match(entry_id):
        fields.report("id", f"id '{shown(entry_id)}' is not in the house style ({style})")
        return None
    if entry_id in seen:
        first = seen[entry_id]
        fields.report("id", f"duplicate id '{entry_id}' (first defined at {first.file}:{first.line})")
        return None
    return entry_id


def _qid(fields: Fields) -> str | None:
    value = fields.text("wikidata")
    if value is not None and not QID.match(value):
        fields.report("wikidata", f"'{shown(value)}' is not a Wikidata QID like Q30")
        return None
    return value


def _reject(fields: Fields, rejected: set[str] | None) -> None:
    """Remember the id of an entry left out for its errors (see Registry.rejected)."""
    if rejected is not None and isinstance(fields.data.get("id"), str):
        rejected.add(fields.data["id"].strip())


def load_actors(data: Any, file: str, problems: list[Problem],
                rejected: set[str] | None = None) -> dict[str, Actor]:
    actors: dict[str, Actor] = {}
    seen: dict[str, Where] = {}
    for item, line in entries(data, "actors", file, problems):
        fields = Fields(item, file, "actor", ACTOR_FIELDS, problems, line)
        kind = fields.choice("type", ACTOR_TYPES, required=True)
        pattern, style = (STATE_ID, "ISO 3166-1 alpha-3, e.g. USA") if kind == "state" else (
            KEBAB, "lower-case kebab slug, e.g. amnesty-international")
        if kind is None:  # the type is wrong (and reported): the id may be right for the type meant
            pattern = re.compile(f"{STATE_ID.pattern}|{KEBAB.pattern}")
        fields.subject = f"actor '{shown(fields.data.get('id'))}'"
        actor_id = _entry_id(fields, seen, pattern, style)
        labels = fields.labels("name", required=True)
        if actor_id is None or kind is None or not labels:
            _reject(fields, rejected)
            continue
        where = Where(file, fields.line)
        seen[actor_id] = where
        actors[actor_id] = Actor(
            id=actor_id, type=kind, labels=labels, where=where,
            aliases=fields.texts("aliases"), wikidata=_qid(fields),
            organ_of=fields.text("organ_of"), acts_for=fields.text("acts_for"),
            role=fields.text("role"), established_by=fields.text("established_by"),
        )
    return actors


def load_norms(sources: Iterable[tuple[Any, str]], problems: list[Problem],
               rejected: set[str] | None = None) -> dict[str, Norm]:
    """Norms from the shared catalogue and any corpus additions, ids unique across both."""
    norms: dict[str, Norm] = {}
    seen: dict[str, Where] = {}
    for data, file in sources:
        for item, line in entries(data, "norms", file, problems):
            fields = Fields(item, file, "norm", NORM_FIELDS, problems, line)
            fields.subject = f"norm '{shown(fields.data.get('id'))}'"
            norm_id = _entry_id(fields, seen, KEBAB, "lower-case kebab, instrument first")
            kind = fields.choice("type", NORM_TYPES, required=True)
            source_type = fields.choice("source_type", SOURCE_TYPES, required=True)
            notation = fields.text("notation", required=True)
            labels = fields.labels("label", required=True)
            for lang in ("en", "es"):
                if labels and lang not in labels:
                    fields.report("label", f"needs a label in '{lang}' (English and Spanish)")
            text = fields.text("text")
            if text is not None and not IRI.match(text):
                fields.report("text", f"'text' must be the URL of the official text (http or https, with "
                              f"spaces, quotes, <, >, {{, }}, |, \\, ^ and ` percent-encoded), not "
                              f"'{shown(text)}'")
            adopted = fields.date("adopted")
            if kind == "instrument" and (adopted is None or text is None):
                fields.report(None, "an instrument needs 'adopted' (date) and 'text' (official URL)")
            if kind == "provision" and not fields.has("part_of"):
                fields.report(None, "a provision needs 'part_of' (its instrument or parent provision)")
            if norm_id is None or kind is None or notation is None or not labels:
                _reject(fields, rejected)
                continue
            where = Where(file, fields.line)
            seen[norm_id] = where
            norms[norm_id] = Norm(
                id=norm_id, type=kind, notation=notation, labels=labels, where=where,
                part_of=fields.texts("part_of"), codified_in=fields.texts("codified_in"),
                related=fields.texts("related"), adopted=adopted, text=text,
                wikidata=_qid(fields), definition=fields.text("definition"),
                aliases=fields.texts("aliases"), source_type=source_type,
                interprets=fields.texts("interprets"),
            )
    return norms


def load_events(data: Any, file: str, problems: list[Problem],
                rejected: set[str] | None = None) -> dict[str, Event]:
    events: dict[str, Event] = {}
    seen: dict[str, Where] = {}
    for item, line in entries(data, "events", file, problems):
        fields = Fields(item, file, "event", EVENT_FIELDS, problems, line)
        fields.subject = f"event '{shown(fields.data.get('id'))}'"
        event_id = _entry_id(fields, seen, KEBAB, "lower-case kebab slug")
        labels = fields.labels("label", required=True)
        start = fields.date("start", required=True)
        end = fields.date("end")
        if start and end and end.text < start.text:
            fields.report("end", f"ends ({end.text}) before it starts ({start.text})")
        perpetrators = fields.texts("perpetrators")
        if not perpetrators:
            fields.report(None, "'perpetrators' is required: whose conduct is it?")
        if event_id is None or start is None or not labels:
            _reject(fields, rejected)
            continue
        where = Where(file, fields.line)
        seen[event_id] = where
        events[event_id] = Event(
            id=event_id, labels=labels, start=start, end=end, where=where,
            perpetrators=perpetrators, affected=fields.texts("affected"),
            part_of=fields.text("part_of"), description=fields.text("description"),
            aliases=fields.texts("aliases"),
        )
    return events


def check_references(
    actors: dict[str, Actor], norms: dict[str, Norm], events: dict[str, Event], problems: list[Problem],
    registries: dict[str, Registry] | None = None,
) -> None:
    """Every id a catalogue entry names exists, and hierarchies have no cycles.

    ``registries`` (by kind: actor, norm, event) give the messages for unknown ids, with the
    closest id and where to add one; a catalogue that could not be read is not checked against.
    """
    registries = registries or {"actor": Registry("actor", actors), "norm": Registry("norm", norms),
                                "event": Registry("event", events)}

    def need(ids: Iterable[str], kind: str, owner: Any, field: str) -> None:
        registry = registries[kind]
        for ref in ids:
            if ref in registry.ids:
                continue  # catalogues refer to each other by id only, never by alias
            message = registry.unknown(ref)
            if message is not None:
                problems.append(Problem(owner.where.file, owner.where.line,
                                        f"{owner.id}: {field}: {message}"))

    for actor in actors.values():
        need(filter(None, [actor.organ_of, actor.acts_for]), "actor", actor, "organ_of/acts_for")
        need(filter(None, [actor.established_by]), "norm", actor, "established_by")
    for norm in norms.values():
        need(norm.part_of, "norm", norm, "part_of")
        need(norm.codified_in, "norm", norm, "codified_in")
        need(norm.interprets, "norm", norm, "interprets")
        need(norm.related, "norm", norm, "related")
    for event in events.values():
        need(event.perpetrators, "actor", event, "perpetrators")
        need(event.affected, "actor", event, "affected")
        need(filter(None, [event.part_of]), "event", event, "part_of")

    _no_cycle({n.id: n.part_of for n in norms.values()}, norms, "part_of (eli:is_part_of)", problems)
    _no_cycle({e.id: [e.part_of] if e.part_of else [] for e in events.values()}, events,
              "part_of (ilk:partOfEvent)", problems)
    _no_cycle({a.id: [a.organ_of] if a.organ_of else [] for a in actors.values()}, actors,
              "organ_of", problems)


def _no_cycle(edges: dict[str, Iterable[str]], pool: dict, what: str, problems: list[Problem]) -> None:
    known = {node: [p for p in parents if p in pool] for node, parents in edges.items()}
    try:
        TopologicalSorter(known).prepare()
    except CycleError as exc:
        cycle = exc.args[1]
        first = pool[cycle[0]]
        problems.append(Problem(first.where.file, first.where.line,
                                f"cycle in {what}: {' -> '.join(cycle)}"))


def load_schemes(sources: Iterable[tuple[Any, str]], norms: dict[str, Norm],
                 problems: list[Problem]) -> dict[str, Scheme]:
    """The legal tests of ontology/schemes.yaml and any corpus additions, checked.

    Every scheme needs labels and a conclusion in English and Spanish, norms it is based on, and
    elements, each a condition or an exception with labels and a critical question in both
    languages; ``establishes`` must name an element of another scheme. Element ids are written
    SCHEME/ELEMENT everywhere else, so that one slug ("consent") can serve several tests.
    """
    schemes: dict[str, Scheme] = {}
    seen: dict[str, Where] = {}
    establishing: list[tuple[Scheme, str]] = []
    for data, file in sources:
        for item, line in entries(data, "schemes", file, problems):
            fields = Fields(item, file, "scheme", SCHEME_FIELDS, problems, line)
            fields.subject = f"scheme '{shown(fields.data.get('id'))}'"
            scheme_id = _entry_id(fields, seen, KEBAB, "lower-case kebab slug, e.g. self-defence")
            labels = _bilingual(fields, "label")
            conclusions = _bilingual(fields, "conclusion")
            based_on = fields.texts("based_on")
            if not based_on:
                fields.report("based_on", "'based_on' is required: the norms that state the test")
            for ref in based_on:
                if ref not in norms:
                    hint = did_you_mean_entry(ref, _names(norms))
                    fields.report("based_on", f"unknown norm '{shown(ref)}'{hint}")
            elements = _elements(fields, scheme_id, problems) if scheme_id else ()
            if scheme_id is None or not labels or not conclusions or not elements:
                continue
            where = Where(file, fields.line)
            seen[scheme_id] = where
            scheme = Scheme(id=scheme_id, labels=labels, conclusions=conclusions, based_on=based_on,
                            elements=elements, where=where, establishes=fields.text("establishes"),
                            sources=_citations(fields))
            schemes[scheme_id] = scheme
            if scheme.establishes:
                establishing.append((scheme, fields.line_of("establishes")))
    exceptions = {e.id for s in schemes.values() for e in s.elements if e.role == "exception"}
    for scheme, line in establishing:
        if scheme.establishes not in exceptions or scheme.establishes.startswith(f"{scheme.id}/"):
            hint = did_you_mean(scheme.establishes, exceptions)
            problems.append(Problem(scheme.where.file, line, f"scheme '{scheme.id}': 'establishes' must "
                                    "name an exception of another scheme (SCHEME/ELEMENT), not "
                                    f"'{shown(scheme.establishes)}'{hint}"))
    return schemes


def _elements(fields: Fields, scheme_id: str, problems: list[Problem]) -> tuple[SchemeElement, ...]:
    raw = fields.data.get("elements")
    if not isinstance(raw, list) or not raw:
        fields.report("elements", "'elements' must be a list of the test's conditions and exceptions")
        return ()
    elements: list[SchemeElement] = []
    for index, item in enumerate(raw):
        line = raw.line_of(index) if isinstance(raw, LocatedList) else fields.line
        sub = Fields(item, fields.file, f"{fields.subject} element {index + 1}", ELEMENT_FIELDS,
                     problems, line)
        slug = sub.text("id", required=True)
        if slug is not None and not KEBAB.match(slug):
            sub.report("id", f"element id '{shown(slug)}' is not a lower-case kebab slug")
            slug = None
        if slug is not None and any(e.id == f"{scheme_id}/{slug}" for e in elements):
            sub.report("id", f"duplicate element '{slug}' in scheme '{scheme_id}'")
            slug = None
        role = sub.choice("role", ELEMENT_ROLES, required=True)
        labels = _bilingual(sub, "label")
        questions = _bilingual(sub, "question")
        if slug is None or role is None or not labels or not questions:
            continue
        elements.append(SchemeElement(
            id=f"{scheme_id}/{slug}", scheme=scheme_id, role=role, labels=labels, questions=questions,
            where=Where(fields.file, sub.line), definition=sub.text("definition"),
            sources=_citations(sub)))
    return tuple(elements)


_FRAGMENT = re.compile(r"(?:paras?|pp?\.|arts?\.?|articles?)\s*[\d(]|\d", re.IGNORECASE)


def _citations(fields: Fields) -> tuple[str, ...]:
    """A test's ``sources``, each a whole citation. An unquoted flow list splits a citation at its
    commas (``[Nicaragua 1986, paras 191, 195]`` is three items, the last the number 195), which
    left the graph citing "paras 191" and 195: an item that is a number or starts as the rest of a
    citation does ("paras 191", "p. 35", "Art. 2") is refused with the fix."""
    raw = fields.data.get("sources")
    items = raw if isinstance(raw, list) else []
    for index, item in enumerate(items):
        if isinstance(item, (int, float)) or (isinstance(item, str) and _FRAGMENT.match(item.strip())):
            line = raw.line_of(index) if isinstance(raw, LocatedList) else fields.line_of("sources")
            fields.report("sources", f"source {shown(str(item))!r} looks like part of a citation split "
                          "at a comma: write each citation whole, in quotes, one item each", line)
    return fields.texts("sources")


def _bilingual(fields: Fields, key: str) -> dict[str, str]:
    """A text required in English and Spanish (what every view of the tests shows)."""
    values = fields.labels(key, required=True)
    for language in ("en", "es"):
        if values and language not in values:
            fields.report(key, f"needs '{key}' in '{language}' (English and Spanish)")
    return values if values and {"en", "es"} <= set(values) else {}


def _names(pool: dict[str, Any]) -> dict[str, str]:
    """Every id, label and alias of a catalogue -> its entry, for suggestions."""
    names: dict[str, str] = {}
    for entry_id, entry in pool.items():
        for name in (entry_id, *getattr(entry, "aliases", ()), *getattr(entry, "labels", {}).values()):
            names.setdefault(name, entry_id)
    return names
