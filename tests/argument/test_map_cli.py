"""``kg map --reading abstract`` through click's CliRunner: the claims of a scope and their acceptance,
as a table or JSON. The abstract reading (Dung's semantics over the annotated attacks) is kept
unchanged beside the structured one, which ``test_structured.py`` tests.

What a scope should hold is worked out here from the map's node attributes and the catalogues'
``part_of`` links read straight from YAML, not from the SPARQL the command runs.
"""

from __future__ import annotations

import json

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner

from kg.argument.map import argument_map, claim_parties, claim_text, listed
from kg.argument.semantics import READING, label_map
from kg.cli import cli
from kg.sparql.engines import open_engine

from ..conftest import CORPUS, REPO


@pytest.fixture(scope="module")
def full_map() -> nx.DiGraph:
    """The whole corpus map, labelled under grounded."""
    return label_map(argument_map(open_engine("oxigraph", corpus_dir=CORPUS)), "grounded")


ABSTRACT = ("--reading", "abstract")


def run(*args: str):
    return CliRunner().invoke(cli, ["map", "--corpus", str(CORPUS), *ABSTRACT, *args], catch_exceptions=False)


def run_json(*args: str) -> dict:
    result = run("-f", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


CATALOGUES = {"events": CORPUS / "catalogues" / "events.yaml", "norms": REPO / "ontology" / "norms.yaml"}


def within(catalogue: str, root: str) -> set[str]:
    """``root`` and every entry of the events or norms catalogue that is part of it, however deep."""
    entries = yaml.safe_load(CATALOGUES[catalogue].read_text(encoding="utf-8"))[catalogue]
    parent = {e["id"]: e.get("part_of") for e in entries}
    found = {root}
    changed = True
    while changed:
        grown = found | {child for child, up in parent.items() if up in found}
        changed, found = grown != found, grown
    return found


def claims_where(graph: nx.DiGraph, keep) -> list[str]:
    return sorted(n for n, data in graph.nodes(data=True) if keep(data))


def test_table_lists_every_claim_with_its_acceptance(full_map):
    result = run()
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    rows = [line.split(maxsplit=2) for line in lines[:-2:2]]  # each claim's second line: its parties
    assert [claim for _, claim, _ in rows] == sorted(full_map)
    assert {claim: label for label, claim, _ in rows} == dict(full_map.nodes(data="acceptance"))
    assert [text for _, _, text in rows] == [claim_text(full_map.nodes[claim]) for _, claim, _ in rows]
    counts = {k: sum(1 for label, _, _ in rows if label == k) for k in ("in", "out", "undec")}
    relations = [d["relation"] for _, _, d in full_map.edges(data=True)]
    assert lines[-2] == (f"(grounded: {counts['in']} in, {counts['out']} out, {counts['undec']} undecided; "
                         f"{relations.count('attacks')} attacks, {relations.count('supports')} supports)")
    assert counts["out"] > 0
    # what in / out / undec are, and are not, is said with them
    assert lines[-1] == f"(in / out / undec: {READING})"
    assert "not a legal verdict" in lines[-1]


def table_rows(text: str) -> dict[str, tuple[str, str]]:
    """The table's rows by claim id: (its line, with the proposition; the line under it, with
    who asserts it against whom)."""
    lines = text.splitlines()[:-2]
    assert len(lines) % 2 == 0
    return {first.split(maxsplit=2)[1]: (first, second) for first, second in zip(lines[::2], lines[1::2],
                                                                                    strict=True)}


def test_table_shows_each_claim_by_its_proposition_and_whom_it_is_against(full_map):
    """Regression: the table never said whom a claim is against; issue 15: a claim's text is its
    proposition, with its parties on the line under it."""
    rows = table_rows(run().stdout)
    assert set(rows) == set(full_map)
    against = {n: d["against"] for n, d in full_map.nodes(data=True) if d["against"]}
    assert against and len(against) < len(full_map)  # some claims name a party, some do not
    for claim, (first, second) in rows.items():
        data = full_map.nodes[claim]
        assert first.endswith(f" {claim_text(data)}") and claim_text(data) == data["proposition"]
        assert second.strip() == f"— {claim_parties(data)}"
    for claim, parties in against.items():
        assert rows[claim][1].endswith(" — against " + listed(parties)), rows[claim]
    for claim in set(full_map) - set(against):
        assert " — against " not in rows[claim][1]


def test_table_shows_a_claim_out_and_its_attacker_in(full_map):
    rows = table_rows(run().stdout)
    assert rows["us-art51-boat-strikes"][0].startswith("out ")
    assert rows["amnesty-no-armed-attack"][0].startswith("in ")
    proposition = full_map.nodes["amnesty-no-armed-attack"]["proposition"]
    assert rows["amnesty-no-armed-attack"][0].endswith(proposition)


def test_json_gives_semantics_extensions_and_claims(full_map):
    answer = run_json()
    assert answer["semantics"] == "grounded"
    assert answer["reading"] == "abstract"
    assert answer["caveat"] == READING
    assert answer["extensions"] == full_map.graph["extensions"]
    assert answer["claims"] == [{"claim": n, "acceptance": full_map.nodes[n]["acceptance"],
                                 "label": full_map.nodes[n]["proposition"],
                                 "summary": full_map.nodes[n]["label"],
                                 "proposition": full_map.nodes[n]["proposition"],
                                 "parties": claim_parties(full_map.nodes[n]),
                                 "against": full_map.nodes[n]["against_ids"]} for n in sorted(full_map)]


@pytest.mark.parametrize("semantics", ["preferred", "stable"])
def test_semantics_option(full_map, semantics):
    answer = run_json("--semantics", semantics)
    assert answer["semantics"] == semantics
    expected = label_map(full_map.copy(), semantics)
    assert {c["claim"]: c["acceptance"] for c in answer["claims"]} == dict(expected.nodes(data="acceptance"))
    assert answer["extensions"] == expected.graph["extensions"]
    table = run("--semantics", semantics).stdout.splitlines()
    assert table[-2].startswith(f"({semantics}: ")


SCOPES = [
    (["--event", "us-boat-strikes"],
     lambda d: "us-boat-strikes" in d["event_ids"]),
    # An event with events inside it: the boat strikes are part of the Caribbean build-up.
    (["--event", "us-caribbean-military-buildup"],
     lambda d: bool(set(d["event_ids"]) & within("events", "us-caribbean-military-buildup"))),
    (["--actor", "VEN"],
     lambda d: "VEN" in (d["claimant"], d["voiced_by"], *d["against_ids"])),
    (["--norm", "un-charter"],
     lambda d: bool(set(d["norm_ids"]) & within("norms", "un-charter"))),
    # Partial ISO dates order as their periods do when a claim's date is padded above any digit:
    # a claim of "2025" overlaps "since 2025-10", one of "2025-09-30" does not.
    (["--since", "2025-10", "--until", "2025-12"],
     lambda d: d["date"] + "~" >= "2025-10" and d["date"] <= "2025-12~"),
    (["--since", "2026"], lambda d: d["date"] + "~" >= "2026"),
    (["--until", "2025-10-31"], lambda d: d["date"] <= "2025-10-31~"),
    (["--event", "us-boat-strikes", "--actor", "USA"],
     lambda d: "us-boat-strikes" in d["event_ids"] and "USA" in (d["claimant"], d["voiced_by"],
                                                                  *d["against_ids"])),
]


@pytest.mark.parametrize(("options", "keep"), SCOPES, ids=[" ".join(o) for o, _ in SCOPES])
def test_scope_options_give_the_expected_claims(full_map, options, keep):
    expected = claims_where(full_map, keep)
    assert expected, "a scope that keeps nothing tests nothing"
    assert len(expected) < len(full_map)
    answer = run_json(*options)
    assert [c["claim"] for c in answer["claims"]] == expected
    # The scoped map is labelled on its own attacks: the attacks among the kept claims only.
    scoped = full_map.subgraph(expected).copy()
    label_map(scoped, "grounded")
    assert {c["claim"]: c["acceptance"] for c in answer["claims"]} == dict(scoped.nodes(data="acceptance"))


def test_scope_by_event_keeps_the_attack_and_its_labels(full_map):
    answer = run_json("--event", "us-boat-strikes")
    labels = {c["claim"]: c["acceptance"] for c in answer["claims"]}
    assert labels["us-art51-boat-strikes"] == "out"
    assert labels["amnesty-no-armed-attack"] == "in"


@pytest.mark.parametrize("date", ["2025-13", "yesterday", "2025-02-30"])
@pytest.mark.parametrize("option", ["--since", "--until"])
def test_a_bad_date_exits_2_with_a_clear_message(option, date):
    result = run(option, date)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "bad date in the map's scope" in result.stderr
    assert date in result.stderr


def test_an_unknown_semantics_is_a_usage_error():
    result = run("--semantics", "ideal")
    assert result.exit_code == 2
    assert "'ideal' is not one of 'grounded', 'preferred', 'stable'" in result.stderr


ODD_CYCLE = """
- id: unsg-rules-not-respected
  proposition: The rules of international law were not respected in the US attack on Venezuela.
  claimant: un-secretary-general
  against: USA
  concerns: us-attack-2026-01-03
  stance: alleges-violation
  attacks: [unsg-full-respect-international-law]
  date: 2026-01-03
  quote: "He's deeply concerned that the rules of international law have not been respected."
- id: unsg-full-respect-international-law
  proposition: Everyone must fully respect international law, including the UN Charter.
  claimant: un-secretary-general
  concerns: us-attack-2026-01-03
  invokes: [un-charter]
  stance: demands-compliance
  attacks: [ven-moncada-art-2-4]
  date: 2026-01-03
  quote: "the importance of full respect - by all - of international law, including the UN Charter"
- id: ven-moncada-art-2-4
  proposition: The US attack on Venezuela violated the UN Charter.
  claimant: VEN
  against: USA
  concerns: us-attack-2026-01-03
  invokes: [un-charter-art-2-4]
  stance: alleges-violation
  attacks: [unsg-rules-not-respected]
  date: 2026-01-03
  quote: "He said the U.S. had violated the founding U.N. Charter"
"""


def test_an_odd_cycle_has_no_stable_extension(mini_corpus):
    corpus = mini_corpus(ODD_CYCLE)
    result = CliRunner().invoke(cli, ["map", "--corpus", str(corpus), *ABSTRACT, "-f", "json", "--semantics",
                                      "stable"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["extensions"] == []
    assert {c["acceptance"] for c in answer["claims"]} == {"undec"}
    assert len(answer["claims"]) == 3
    preferred = CliRunner().invoke(cli, ["map", "--corpus", str(corpus), *ABSTRACT, "-f", "json",
                                         "--semantics", "preferred"], catch_exceptions=False)
    assert json.loads(preferred.stdout)["extensions"] == [[]]


def test_the_cli_offers_exactly_the_library_semantics():
    # kg.cli keeps its own copy so that ``kg --help`` need not import networkx.
    from kg import cli as cli_module
    from kg.argument.semantics import SEMANTICS

    assert cli_module.SEMANTICS == SEMANTICS


@pytest.mark.parametrize(("options", "same_as"), [
    (("--actor", "Venezuela"), ("--actor", "VEN")),
    (("--actor", "Caracas"), ("--actor", "VEN")),
    (("--norm", "UN Charter Art. 51"), ("--norm", "un-charter-art-51")),
])
def test_a_scope_may_name_an_id_by_its_label_or_alias(options, same_as):
    """The scope is resolved as kg query's parameters are (kg.sparql.identifiers)."""
    assert run_json(*options)["claims"] == run_json(*same_as)["claims"] != []


@pytest.mark.parametrize(("options", "message"), [
    (("--actor", "VENN"), "kg: unknown actor 'VENN' (did you mean 'VEN'?)"),
    (("--event", "USA"), "kg: unknown event 'USA' ('USA' is an actor)"),
])
def test_an_unknown_scope_is_a_clear_error(options, message):
    result = run(*options)
    assert result.exit_code == 2 and result.stderr.splitlines() == [message]


def test_a_bound_reached_is_said_on_stderr_and_marked(mini_corpus, monkeypatch):
    """Issue 13 item 3: a search stopped at a bound leaves its claims undecided and says so."""
    from kg import limits

    corpus = mini_corpus(ODD_CYCLE)
    monkeypatch.setattr(limits, "SEMANTICS_LABELLINGS", 0)
    result = CliRunner().invoke(cli, ["map", "--corpus", str(corpus), *ABSTRACT, "--semantics",
                                      "preferred"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[:-2:2]] == ["undec*"] * 3
    assert lines[-2].startswith("(preferred: 0 in, 0 out, 3 undecided, 3 of them because the search "
                                "reached its bound (*); 3 attacks")
    assert result.stderr == ("kg: warning: preferred semantics: the search stopped at its bound "
                             "(0 labellings) in 1 part of the map; their 3 claims are shown undecided "
                             "(bound reached): "
                             "unsg-full-respect-international-law, unsg-rules-not-respected, "
                             "ven-moncada-art-2-4\n")
    answer = json.loads(CliRunner().invoke(cli, ["map", "--corpus", str(corpus), *ABSTRACT, "-f", "json",
                                                 "--semantics", "preferred"], catch_exceptions=False).stdout)
    assert answer["extensions"] is None and answer["extension_count"] is None
    assert all(claim["bound_reached"] is True and claim["acceptance"] == "undec"
               for claim in answer["claims"])


def test_json_counts_the_extensions(mini_corpus):
    result = CliRunner().invoke(cli, ["map", "--corpus", str(mini_corpus(ODD_CYCLE)), *ABSTRACT,
                                      "-f", "json", "--semantics", "preferred"], catch_exceptions=False)
    answer = json.loads(result.stdout)
    assert answer["extension_count"] == 1 and answer["extensions"] == [[]]
    assert all("bound_reached" not in claim for claim in answer["claims"])
