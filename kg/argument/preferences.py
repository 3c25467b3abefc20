"""Preference orderings over claimants: which audience the structured reading of a map speaks to.

A student preparing a moot court asks "what if the court weighs a treaty body's view above a
state's?". An ordering answers it as data, not code: named orderings of groups of claimants live in
``ontology/preferences.yaml`` (groups defined by actor type and/or id), and ``kg map --prefer``
takes a name from that file or an ordering written inline, ``"judicial>expert=un-organ>state"``
(levels from the most preferred, ``=`` between groups of one level, ``others`` for every claimant
in no group named). A claimant's rank is its level, counted from the bottom; claimants in no level
rank 0, below every level, unless the ordering lists ``others``.

The ranks reach the argumentation theory as the preference of each claim's basis premise and of
its defeasible rules (:mod:`kg.argument.structured`); there they decide rebuttals, underminings and
element conflicts, never contrary-based attacks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..corpus.fields import did_you_mean
from ..errors import QueryError, SetupError
from ..graph.builder import ACTOR_CLASS
from ..resources import ontology_dir

OTHERS = "others"
NONE = "none"
# the ontology's class (its local name, as a map node's ``claimant_type``) -> the catalogue's type
CLASS_TYPES = {str(iri).rsplit("#", 1)[-1]: name for name, iri in ACTOR_CLASS.items()}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class Group:
    """Claimants picked by actor type (the catalogue's spelling) and/or by actor id."""

    name: str
    label: str
    types: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Preference:
    """An ordering of groups: ``levels`` from the most preferred down, each a tuple of group names
    (a group of one claimant is ``Group(id, id, ids={id})``). ``name`` is the ordering's name, or
    its inline text."""

    name: str
    levels: tuple[tuple[str, ...], ...]
    groups: Mapping[str, Group] = field(default_factory=dict)
    description: str = ""

    @property
    def is_none(self) -> bool:
        return not self.levels

    @property
    def order(self) -> str:
        """The ordering as ``kg map --prefer`` writes it inline: ``judicial > expert = un-organ``."""
        return " > ".join(" = ".join(level) for level in self.levels)

    @property
    def ranking(self) -> str:
        """The ordering in words, from its groups' labels: "courts; then expert bodies and
        international organisations, equally; then states, NGOs and everyone else, equally";
        claimants in no group listed rank below all ("then everyone else")."""
        def level_words(level: tuple[str, ...]) -> str:
            names = [self.groups[g].label if g in self.groups else
                     ("everyone else" if g == OTHERS else g) for g in level]
            if len(names) == 1:
                return names[0]
            return f"{', '.join(names[:-1])} and {names[-1]}, equally"

        words = [level_words(level) for level in self.levels]
        if words and not any(OTHERS in level for level in self.levels):
            words.append("everyone else")
        return "; then ".join(words)

    def group_of(self, claimant: str, claimant_type: str | None) -> str | None:
        """The group of the ordering a claimant falls in (by id first, then by type, the highest
        level first), ``others`` when the ordering lists it, else None."""
        kind = CLASS_TYPES.get(claimant_type or "", claimant_type)
        listed = [name for level in self.levels for name in level]
        for name in listed:
            if name != OTHERS and claimant in self.groups[name].ids:
                return name
        for name in listed:
            if name != OTHERS and kind in self.groups[name].types:
                return name
        return OTHERS if OTHERS in listed else None

    def rank(self, claimant: str, claimant_type: str | None) -> int:
        """Higher is more preferred: the top level ranks ``len(levels)``, the bottom 1, and a
        claimant in none of the levels 0."""
        group = self.group_of(claimant, claimant_type)
        for index, level in enumerate(self.levels):
            if group in level:
                return len(self.levels) - index
        return 0


@dataclass(frozen=True)
class Catalogue:
    """The groups and the named orderings of a preferences file."""

    groups: Mapping[str, Group]
    orderings: Mapping[str, Preference]


def preferences_file() -> Path:
    return ontology_dir() / "preferences.yaml"


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read and check a preferences file (``ontology/preferences.yaml`` by default)."""
    path = path or preferences_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SetupError(f"{path}: cannot read the preference orderings: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("groups"), dict) \
            or not isinstance(data.get("orderings"), dict):
        raise SetupError(f"{path}: expected a mapping with 'groups' and 'orderings'")
    groups = {}
    for name, entry in data["groups"].items():
        if not isinstance(entry, dict) or not (entry.get("types") or entry.get("ids")):
            raise SetupError(f"{path}: group '{name}' needs 'types' and/or 'ids'")
        unknown = sorted(set(entry.get("types") or ()) - set(ACTOR_CLASS))
        if unknown:
            raise SetupError(f"{path}: group '{name}': unknown actor type '{unknown[0]}'"
                             f"{did_you_mean(unknown[0], ACTOR_CLASS)}; known: {', '.join(ACTOR_CLASS)}")
        groups[str(name)] = Group(str(name), str(entry.get("label") or name),
                                  frozenset(map(str, entry.get("types") or ())),
                                  frozenset(map(str, entry.get("ids") or ())))
    orderings = {}
    for name, entry in data["orderings"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("order"), str):
            raise SetupError(f"{path}: ordering '{name}' needs an 'order' (a text such as 'a > b = c')")
        try:
            levels = _levels(entry["order"], groups)
        except QueryError as exc:
            raise SetupError(f"{path}: ordering '{name}': {exc}") from None
        orderings[str(name)] = Preference(str(name), levels, groups, str(entry.get("description") or ""))
    if NONE not in orderings:
        orderings[NONE] = Preference(NONE, (), groups, "No preference.")
    return Catalogue(groups, orderings)


def _levels(text: str, groups: Mapping[str, Group]) -> tuple[tuple[str, ...], ...]:
    if not text.strip():
        return ()
    levels = []
    seen: set[str] = set()
    for part in text.split(">"):
        level = tuple(name.strip() for name in part.split("="))
        for name in level:
            if not _NAME.fullmatch(name):
                raise QueryError(f"'{name}' in the ordering '{text}' is not a group name; write groups "
                                 "from the most preferred, e.g. 'judicial > expert = un-organ > state'")
            if name != OTHERS and name not in groups:
                raise QueryError(f"unknown group '{name}'{did_you_mean(name, [*groups, OTHERS])}")
            if name in seen:
                raise QueryError(f"group '{name}' is ranked twice in the ordering '{text}'")
            seen.add(name)
        levels.append(level)
    return tuple(levels)


def resolve(prefer: str | None, claimants: Iterable[str] = (),
            catalogue: Catalogue | None = None) -> Preference:
    """The ordering ``kg map --prefer`` names: a name from the preferences file, or an ordering
    written inline with its groups, actor types (``state``, ``expert-body``, ...) or the ids of
    ``claimants`` (those of the map: ``"judicial>USA"``)."""
    catalogue = catalogue or load_catalogue()
    if prefer is None or prefer.strip() in ("", NONE):
        return catalogue.orderings[NONE]
    prefer = prefer.strip()
    if prefer in catalogue.orderings:
        return catalogue.orderings[prefer]
    claimants = set(claimants)
    groups = dict(catalogue.groups)
    for token in (t.strip() for t in re.split("[>=]", prefer)):
        if token in groups or token == OTHERS:
            continue
        if token in ACTOR_CLASS:
            groups[token] = Group(token, token, types=frozenset([token]))
        elif token in claimants:
            groups[token] = Group(token, token, ids=frozenset([token]))
        elif ">" not in prefer and "=" not in prefer:
            raise QueryError(
                f"unknown preference ordering '{prefer}'{did_you_mean(prefer, catalogue.orderings)}; "
                f"known: {', '.join(catalogue.orderings)} (ontology/preferences.yaml), or an ordering "
                "written inline such as 'judicial>expert>state'")
        elif _NAME.fullmatch(token):
            names = [*catalogue.groups, *ACTOR_CLASS, *sorted(claimants), OTHERS]
            raise QueryError(
                f"'{token}' in --prefer '{prefer}' is not a group of ontology/preferences.yaml, an actor "
                f"type or a claimant of the map{did_you_mean(token, names)}; groups: "
                f"{', '.join(catalogue.groups)}")
    try:
        levels = _levels(prefer, groups)
    except QueryError as exc:
        raise QueryError(f"--prefer '{prefer}': {exc}") from None
    return Preference(prefer, levels, groups, "")
