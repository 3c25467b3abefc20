"""Dung's semantics checked against the textbook answers, python-argumentation (py_arg) and the corpus.

py_arg (Odekerken, Borg, Berthold; Utrecht) is an independent implementation: its preferred and
stable algorithms are Nofal, Atkinson & Dunne's labelling search, its grounded extension the least
fixpoint of the characteristic function. Ours must give the same extensions on every framework.
"""

from __future__ import annotations

import math
import random
import warnings

import networkx as nx
import pytest
from py_arg.abstract_argumentation_classes.abstract_argumentation_framework import (
    AbstractArgumentationFramework,
)
from py_arg.abstract_argumentation_classes.argument import Argument
from py_arg.abstract_argumentation_classes.defeat import Defeat
from py_arg.algorithms.semantics.get_grounded_extension import get_grounded_extension
from py_arg.algorithms.semantics.get_preferred_extensions import get_preferred_extensions
from py_arg.algorithms.semantics.get_stable_extensions import get_stable_extensions

from kg.argument.map import argument_map
from kg.argument.semantics import (
    SEMANTICS,
    Bounds,
    acceptance,
    grounded_labelling,
    label_framework,
    label_map,
    preferred_extensions,
    stable_extensions,
)
from kg.errors import BoundReached, QueryError, QueryLimitError
from kg.sparql.engines import open_engine

from ..conftest import CORPUS


def extensions(*members: str) -> list[frozenset[str]]:
    """Extensions written as strings of one-letter arguments: extensions("ad", "bd")."""
    return sorted((frozenset(m) for m in members), key=lambda e: sorted(e))


def py_arg_framework(arguments, attacks) -> AbstractArgumentationFramework:
    # py_arg's Argument objects remember their defeats, so each framework gets fresh ones.
    made = {a: Argument(a) for a in arguments}
    return AbstractArgumentationFramework(
        "test", list(made.values()), [Defeat(made[a], made[b]) for a, b in attacks])


def names(found) -> list[frozenset[str]]:
    return sorted((frozenset(a.name for a in e) for e in found), key=lambda e: sorted(e))


def py_arg_answers(arguments, attacks) -> tuple[frozenset[str], list, list]:
    framework = py_arg_framework(arguments, attacks)
    return (frozenset(a.name for a in get_grounded_extension(framework)),
            names(get_preferred_extensions(framework)), names(get_stable_extensions(framework)))


def grounded_extension(arguments, attacks) -> frozenset[str]:
    return frozenset(a for a, label in grounded_labelling(arguments, attacks).items() if label == "in")


# name, arguments, attacks, grounded labelling, preferred extensions, stable extensions,
# sceptical preferred labelling — the answers found in every textbook (Baroni, Caminada & Giacomin,
# "An introduction to argumentation semantics", KER 2011).
TEXTBOOK = [
    ("chain", "abc", [("a", "b"), ("b", "c")],
     {"a": "in", "b": "out", "c": "in"}, extensions("ac"), extensions("ac"),
     {"a": "in", "b": "out", "c": "in"}),
    ("mutual attack", "ab", [("a", "b"), ("b", "a")],
     {"a": "undec", "b": "undec"}, extensions("a", "b"), extensions("a", "b"),
     {"a": "undec", "b": "undec"}),
    ("odd cycle", "abc", [("a", "b"), ("b", "c"), ("c", "a")],
     {"a": "undec", "b": "undec", "c": "undec"}, extensions(""), [],
     {"a": "undec", "b": "undec", "c": "undec"}),
    ("self-attack", "a", [("a", "a")],
     {"a": "undec"}, extensions(""), [], {"a": "undec"}),
    ("floating reinstatement", "abcd", [("a", "b"), ("b", "a"), ("a", "c"), ("b", "c"), ("c", "d")],
     {"a": "undec", "b": "undec", "c": "undec", "d": "undec"}, extensions("ad", "bd"),
     extensions("ad", "bd"), {"a": "undec", "b": "undec", "c": "out", "d": "in"}),
]


@pytest.mark.parametrize(("name", "arguments", "attacks", "grounded", "preferred", "stable", "sceptical"),
                         TEXTBOOK, ids=[case[0] for case in TEXTBOOK])
def test_textbook_frameworks(name, arguments, attacks, grounded, preferred, stable, sceptical):
    assert grounded_labelling(arguments, attacks) == grounded
    assert preferred_extensions(arguments, attacks) == preferred
    assert stable_extensions(arguments, attacks) == stable
    assert acceptance(arguments, attacks, "grounded") == grounded
    assert acceptance(arguments, attacks, "preferred") == sceptical
    # py_arg agrees with the textbook too.
    py_grounded, py_preferred, py_stable = py_arg_answers(arguments, attacks)
    assert py_grounded == {a for a, label in grounded.items() if label == "in"}
    assert py_preferred == preferred
    assert py_stable == stable


def test_stable_acceptance_without_a_stable_extension_is_all_undec():
    # a is unattacked and in every preferred extension, but there is no stable extension at all.
    arguments, attacks = "abcd", [("b", "c"), ("c", "d"), ("d", "b")]
    assert acceptance(arguments, attacks, "preferred")["a"] == "in"
    assert acceptance(arguments, attacks, "stable") == dict.fromkeys("abcd", "undec")


def random_frameworks(count: int, seed: int):
    rng = random.Random(seed)
    for _ in range(count):
        arguments = [chr(ord("a") + i) for i in range(rng.randint(1, 7))]
        density = rng.choice((0.1, 0.2, 0.3, 0.45))
        # Every ordered pair, self-loops included, is an attack with that probability.
        yield arguments, [(a, b) for a in arguments for b in arguments if rng.random() < density]


RANDOM = list(random_frameworks(400, seed=20260203))


def test_random_frameworks_include_the_hard_cases():
    """The sample is worth something only if it has self-attacks and frameworks with no stable extension."""
    assert sum(any(a == b for a, b in attacks) for _, attacks in RANDOM) > 50
    assert sum(not stable_extensions(*framework) for framework in RANDOM) > 50
    assert sum(len(preferred_extensions(*framework)) > 1 for framework in RANDOM) > 20


@pytest.mark.parametrize("index", range(0, len(RANDOM), 50))
def test_random_frameworks_agree_with_py_arg(index):
    for arguments, attacks in RANDOM[index:index + 50]:
        py_grounded, py_preferred, py_stable = py_arg_answers(arguments, attacks)
        assert grounded_extension(arguments, attacks) == py_grounded, (arguments, attacks)
        assert preferred_extensions(arguments, attacks) == py_preferred, (arguments, attacks)
        assert stable_extensions(arguments, attacks) == py_stable, (arguments, attacks)


def expected_labels(arguments, attacks, found) -> dict[str, str]:
    """The sceptical reading, straight from its definition over the extensions."""
    if not found:
        return dict.fromkeys(arguments, "undec")

    def label(argument: str, extension: frozenset[str]) -> str:
        if argument in extension:
            return "in"
        return "out" if any((a, argument) in attacks for a in extension) else "undec"

    labels = {}
    for argument in arguments:
        seen = {label(argument, e) for e in found}
        labels[argument] = seen.pop() if len(seen) == 1 else "undec"
    return labels


def test_random_frameworks_grounded_labelling_is_the_labelling_of_the_grounded_extension():
    for arguments, attacks in RANDOM:
        extension = grounded_extension(arguments, attacks)
        assert grounded_labelling(arguments, attacks) == expected_labels(arguments, attacks, [extension])


@pytest.mark.parametrize("semantics", ["preferred", "stable"])
def test_random_frameworks_sceptical_acceptance(semantics):
    find = preferred_extensions if semantics == "preferred" else stable_extensions
    for arguments, attacks in RANDOM:
        expected = expected_labels(arguments, attacks, find(arguments, attacks))
        assert acceptance(arguments, attacks, semantics) == expected, (arguments, attacks)


def test_extensions_are_sorted():
    # Four independent mutual attacks: sixteen extensions, listed in the order of their sorted members.
    attacks = [(a, b) for a, b in ("ab", "cd", "ef", "gh")] + [(b, a) for a, b in ("ab", "cd", "ef", "gh")]
    found = preferred_extensions("abcdefgh", attacks)
    assert len(found) == 16
    assert found == sorted(found, key=sorted)
    assert found[0] == frozenset("aceg") and found[-1] == frozenset("bdfh")


def test_many_claims_few_attacks_stay_fast():
    # Hundreds of claims, a long chain, a few mutual attacks: settled by the grounded labelling
    # except for the ten pairs, whose 2**10 combinations are all the extensions there are.
    arguments = [f"c{i:03}" for i in range(600)]
    attacks = [(arguments[i], arguments[i + 1]) for i in range(100, 400)]
    for i in range(0, 20, 2):
        attacks += [(arguments[i], arguments[i + 1]), (arguments[i + 1], arguments[i])]
    assert len(preferred_extensions(arguments, attacks)) == 1024
    labels = acceptance(arguments, attacks, "stable")
    assert labels["c000"] == "undec" and labels["c100"] == "in" and labels["c101"] == "out"


def marked(graph: nx.DiGraph) -> set[str]:
    """The claims label_map marked ``bound_reached``."""
    return {node for node, bounded in graph.nodes(data="bound_reached") if bounded}


def mutual_attacks(count: int) -> nx.DiGraph:
    """``count`` independent pairs of claims attacking each other: 2**count extensions."""
    graph = nx.DiGraph()
    for i in range(count):
        graph.add_edge(f"a{i:02}", f"b{i:02}", relation="attacks")
        graph.add_edge(f"b{i:02}", f"a{i:02}", relation="attacks")
    return graph


@pytest.mark.parametrize("count", [24, 40])
@pytest.mark.parametrize("semantics", ["preferred", "stable"])
def test_independent_parts_are_never_multiplied_out(count, semantics):
    """Issue 13 item 3: the labellings of 16 independent mutual attacks were multiplied out (65,536
    extensions, 400 MB); 24 would have needed 80 GB. Each claim's label needs only its own part."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", BoundReached)  # no bound is reached: every part is tiny
        graph = label_map(mutual_attacks(count), semantics)
    assert set(dict(graph.nodes(data="acceptance")).values()) == {"undec"}
    assert graph.graph["extension_count"] == 2 ** count
    assert graph.graph["extensions"] is None  # too many to list; counted
    assert "bound" not in graph.graph and marked(graph) == set()
    with pytest.raises(QueryLimitError, match=f"there are {2 ** count:,} {semantics} extensions"):
        (preferred_extensions if semantics == "preferred" else stable_extensions)(
            list(graph), list(graph.edges))


def disjoint_union(frameworks) -> tuple[list[str], list[tuple[str, str]]]:
    """The frameworks side by side, each argument renamed ``<index>.<name>``."""
    arguments, attacks = [], []
    for index, (names_, pairs) in enumerate(frameworks):
        arguments += [f"{index}.{a}" for a in names_]
        attacks += [(f"{index}.{a}", f"{index}.{b}") for a, b in pairs]
    return arguments, attacks


@pytest.mark.parametrize("semantics", ["preferred", "stable"])
def test_labels_of_independent_frameworks_are_each_ones_own(semantics):
    """Fifty of the random frameworks side by side: each argument keeps the label it has alone, with
    no product of their extensions built; for stable, one framework without a stable extension
    leaves the whole union without one."""
    for start in range(0, len(RANDOM), 50):
        group = RANDOM[start:start + 50]
        arguments, attacks = disjoint_union(group)
        together = acceptance(arguments, attacks, semantics)
        alone = {f"{index}.{a}": label for index, framework in enumerate(group)
                 for a, label in acceptance(*framework, semantics).items()}
        if semantics == "stable" and not all(stable_extensions(*framework) for framework in group):
            assert set(together.values()) == {"undec"}
        else:
            assert together == alone
        counts = [len((preferred_extensions if semantics == "preferred" else stable_extensions)(*f))
                  for f in group]
        found = label_framework(arguments, attacks, semantics)
        assert found.count == math.prod(counts)


def dense_part(pairs: int) -> tuple[list[str], list[tuple[str, str]]]:
    """One weakly connected part with 3**pairs complete labellings: ``pairs`` mutual attacks whose
    first members all attack one claim ``z``; and, apart from it, one more mutual attack ``p``/``q``
    and a chain ``x`` -> ``y``."""
    arguments = ["p", "q", "x", "y", "z"]
    attacks = [("p", "q"), ("q", "p"), ("x", "y")]
    for i in range(pairs):
        arguments += [f"a{i}", f"b{i}"]
        attacks += [(f"a{i}", f"b{i}"), (f"b{i}", f"a{i}"), (f"a{i}", "z")]
    return arguments, attacks


@pytest.mark.parametrize("semantics", ["preferred", "stable"])
def test_a_part_over_the_bound_is_reported_and_the_rest_answered(semantics):
    arguments, attacks = dense_part(6)  # 729 complete labellings in the dense part
    exact = label_framework(arguments, attacks, semantics)
    assert exact.bound is None and exact.count == 2 * 2 ** 6
    assert exact.labels["x"] == "in" and exact.labels["y"] == "out" and exact.labels["z"] == "undec"
    found = label_framework(arguments, attacks, semantics, Bounds(labellings=50))
    dense = {a for a in arguments if a[0] in "abz"}
    assert found.bounded == dense
    assert found.bound.startswith(f"{semantics} semantics: the search stopped at its bound "
                                  "(50 labellings) in 1 part of the map; their 13 claims are shown "
                                  "undecided (bound reached): a0, a1, a2, a3, a4 and 8 more")
    assert found.labels == {**exact.labels, **dict.fromkeys(dense, "undec")}
    assert found.count is None and found.extensions is None
    with pytest.warns(BoundReached, match="50 labellings"):
        assert acceptance(arguments, attacks, semantics, Bounds(labellings=50)) == found.labels
    with pytest.raises(QueryLimitError, match=r"cannot list the .* extensions: .*bound reached"):
        preferred_extensions(arguments, attacks, Bounds(labellings=50))


def test_the_time_bound_stops_every_search_and_says_so():
    arguments, attacks = dense_part(3)
    found = label_framework(arguments, attacks, "preferred", Bounds(seconds=0))
    assert found.bounded == set(arguments) - {"x", "y"}
    assert "(0 s for the map) in 2 parts of the map" in found.bound
    assert found.labels["x"] == "in" and found.labels["y"] == "out"


def test_the_memory_bound_counts_the_claims_held():
    arguments, attacks = dense_part(6)
    found = label_framework(arguments, attacks, "stable", Bounds(members=100))
    assert "100 claims held in labellings" in found.bound


def test_a_stable_search_stopped_before_any_labelling_leaves_existence_open():
    """Whether any stable extension exists is unknown: every claim is undecided, bound reached."""
    arguments, attacks = dense_part(3)
    found = label_framework(arguments, attacks, "stable", Bounds(seconds=0))
    assert found.bounded == set(arguments)
    assert set(found.labels.values()) == {"undec"}
    # but a part with no stable labelling at all settles it, whatever else was stopped
    arguments += ["o1", "o2", "o3"]
    attacks += [("o1", "o2"), ("o2", "o3"), ("o3", "o1")]
    found = label_framework(arguments, attacks, "stable", Bounds(labellings=1))
    assert (found.bound, found.count, found.extensions, found.bounded) == (None, 0, [], frozenset())


def test_label_map_marks_the_claims_of_a_part_over_the_bound():
    graph = nx.DiGraph()
    arguments, attacks = dense_part(6)
    graph.add_nodes_from(arguments)
    graph.add_edges_from(attacks, relation="attacks")
    with pytest.warns(BoundReached, match="their 13 claims are shown undecided"):
        label_map(graph, "preferred", Bounds(labellings=50))
    assert marked(graph) == {a for a in arguments if a[0] in "abz"}
    assert graph.graph["bound"].startswith("preferred semantics: the search stopped")
    assert graph.graph["extensions"] is None and graph.graph["extension_count"] is None
    label_map(graph, "preferred")  # labelled again within the bounds: the marks go
    assert "bound" not in graph.graph and marked(graph) == set()
    assert graph.graph["extension_count"] == 2 * 2 ** 6


def test_an_attack_on_an_unknown_argument_is_refused():
    with pytest.raises(QueryError, match="'z'"):
        grounded_labelling("ab", [("a", "z")])


def test_unknown_semantics_lists_the_known_ones():
    with pytest.raises(QueryError, match="unknown semantics 'ideal'; known: grounded, preferred, stable"):
        label_map(nx.DiGraph(), "ideal")
    with pytest.raises(QueryError, match="known: grounded, preferred, stable"):
        acceptance("a", [], "complete")


def small_map() -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_edge("a", "b", relation="attacks")
    graph.add_edge("b", "c", relation="attacks")
    graph.add_edge("c", "a", relation="attacks")
    graph.add_edge("d", "a", relation="supports")
    graph.add_edge("e", "e", relation="attacks")
    return graph


def test_label_map_ignores_supports_and_allows_self_attacks():
    graph = small_map()
    assert label_map(graph, "preferred") is graph
    assert dict(graph.nodes(data="acceptance")) == {"a": "undec", "b": "undec", "c": "undec",
                                                     "d": "in", "e": "undec"}
    assert graph.graph["semantics"] == "preferred"
    assert graph.graph["extensions"] == [["d"]]


def test_label_map_records_that_there_is_no_stable_extension():
    graph = label_map(small_map(), "stable")
    assert graph.graph["extensions"] == []
    assert set(dict(graph.nodes(data="acceptance")).values()) == {"undec"}


def test_label_map_grounded_lists_the_grounded_extension():
    graph = nx.DiGraph()
    graph.add_edges_from([("a", "b"), ("b", "c")], relation="attacks")
    graph.add_node("lonely")
    label_map(graph, "grounded")
    assert graph.graph["extensions"] == [["a", "c", "lonely"]]
    assert graph.nodes["b"]["acceptance"] == "out"


@pytest.fixture(scope="module")
def corpus_map() -> nx.DiGraph:
    return argument_map(open_engine("oxigraph", corpus_dir=CORPUS))


def attacks_of(graph: nx.DiGraph) -> nx.DiGraph:
    return graph.edge_subgraph((u, v) for u, v, r in graph.edges(data="relation") if r == "attacks")


def test_corpus_map_facts(corpus_map):
    attack = attacks_of(corpus_map)
    # Checked by reading the annotations: Amnesty's claim that drug trafficking is no armed attack
    # answers the US reliance on Article 51, and nothing in the corpus answers Amnesty.
    assert ("amnesty-no-armed-attack", "us-art51-boat-strikes") in attack.edges
    assert attack.in_degree("amnesty-no-armed-attack") == 0
    graph = label_map(corpus_map.copy(), "grounded")
    assert graph.nodes["us-art51-boat-strikes"]["acceptance"] == "out"
    assert graph.nodes["amnesty-no-armed-attack"]["acceptance"] == "in"
    # Supported, never attacked: supports add nothing and take nothing away.
    assert graph.nodes["amnesty-unlawful-use-of-force"]["acceptance"] == "in"
    # Attacked by Amnesty, Blitz and Venezuela, whom nobody attacks.
    assert attack.in_degree("us-law-enforcement-raid") >= 3
    assert graph.nodes["us-law-enforcement-raid"]["acceptance"] == "out"


def test_corpus_map_grounded_follows_the_attacks(corpus_map):
    graph = label_map(corpus_map.copy(), "grounded")
    attack = attacks_of(corpus_map)
    assert set(dict(graph.nodes(data="acceptance"))) == set(corpus_map)
    for claim, label in graph.nodes(data="acceptance"):
        attackers = list(attack.predecessors(claim)) if claim in attack else []
        if not attackers:
            assert label == "in", claim
        elif any(graph.nodes[a]["acceptance"] == "in" for a in attackers):
            assert label == "out", claim
    assert graph.graph["extensions"] == [sorted(c for c, label in graph.nodes(data="acceptance")
                                                if label == "in")]


def test_corpus_map_has_the_cycles_of_its_rebuttals(corpus_map):
    """Issue 15: a rebuttal is symmetric, so the builder writes it both ways and the attacks of the
    corpus are no longer acyclic: every rebuttal is a 2-cycle."""
    attack = attacks_of(corpus_map)
    rebuttals = [(a, b) for a, b in attack.edges if "rebuts" in corpus_map.edges[a, b]["kinds"]]
    assert rebuttals
    assert all(attack.has_edge(b, a) and "rebuts" in corpus_map.edges[b, a]["kinds"] for a, b in rebuttals)
    assert not nx.is_directed_acyclic_graph(attack)


@pytest.mark.parametrize("semantics", SEMANTICS)
def test_corpus_map_semantics_agree_with_py_arg(corpus_map, semantics):
    """The abstract reading of the corpus, now with cycles, under each semantics against py_arg's.
    py_arg enumerates preferred and stable extensions by brute force (too slow for the corpus's
    32 attacking claims), so those are checked one by one with py_arg's own ``is_complete`` and,
    for stable, by attacking every argument outside; the grounded extension is compared outright."""
    from py_arg.algorithms.semantics.is_complete import is_complete

    graph = label_map(corpus_map.copy(), semantics)
    assert graph.graph["semantics"] == semantics
    attack = attacks_of(corpus_map)
    framework = py_arg_framework(list(corpus_map), list(attack.edges))
    by_name = {a.name: a for a in framework.arguments}
    grounded = frozenset(a.name for a in get_grounded_extension(framework))
    found = [frozenset(e) for e in graph.graph["extensions"]]
    assert found, semantics
    if semantics == "grounded":
        assert found == [grounded]
    for extension in found:
        assert grounded <= extension
        assert is_complete([by_name[a] for a in sorted(extension)], framework)
        if semantics == "stable":
            assert all(any(attack.has_edge(a, b) for a in extension) for b in set(corpus_map) - extension)
