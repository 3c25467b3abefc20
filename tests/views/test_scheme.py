"""``kg scheme``: a legal test as a table of elements and parties, as text, Markdown, CSV and a page.

The tables are checked on the bundled corpus against the annotations they read (which party
affirms, denies or assumes which element, in the catalogue's order). The page is opened in real
headless Chromium (Playwright, Debian's chromium; never a downloaded browser), from a file:// URL
with every other request blocked: it must work offline. Its controls are checked against an
independent evaluation: a small ASPIC+ theory built here with py_arg (python-argumentation), whose
grounded extension under each assumption is what the page's labels must be.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from html import unescape
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.argument.map import CatalogueElement, CatalogueScheme, argument_map
from kg.cli import cli
from kg.errors import QueryError
from kg.sparql.engines import open_engine
from kg.views.scheme import (
    element_order,
    find_scheme,
    scheme_html,
    scheme_output,
    scheme_table,
    short_label,
    table_csv,
    table_markdown,
    table_text,
)

from ..conftest import CORPUS, RECORD_CSP
from .conftest import Watched, kg_map_labels, watched

ARMED_ATTACK = "self-defence/armed-attack"
NECESSITY = "self-defence/necessity"


@pytest.fixture(scope="module")
def engine():
    return open_engine("oxigraph", corpus_dir=CORPUS)


@pytest.fixture(scope="module")
def corpus_map(engine) -> nx.DiGraph:
    return argument_map(engine)


def expected_cells(corpus, scheme_id: str) -> dict[tuple[str, str], set[str]]:
    """(element, party) -> positions, read from the annotations themselves (not the graph)."""
    scheme = corpus.schemes[scheme_id]
    establishing = {s.id: s.establishes for s in corpus.schemes.values()
                    if s.establishes and s.establishes.startswith(f"{scheme_id}/")}
    found: dict[tuple[str, str], set[str]] = {}
    for claim in corpus.claims.values():
        stated = {e: "affirms" for e in claim.affirms if e.startswith(f"{scheme_id}/")}
        stated.update({e: "denies" for e in claim.denies if e.startswith(f"{scheme_id}/")})
        for test in claim.schemes:
            if test in establishing:
                stated.setdefault(establishing[test], "affirms")
        for element, position in stated.items():
            found.setdefault((element, claim.claimant), set()).add(position)
    for claim in corpus.claims.values():
        if scheme_id in claim.schemes:
            for element in scheme.elements:
                key = (element.id, claim.claimant)
                if element.role == "condition" and not found.get(key, set()) - {"assumes"}:
                    found.setdefault(key, set()).add("assumes")
    return found


@pytest.mark.parametrize("scheme_id", ["self-defence", "prohibition-of-force",
                                       "arbitrary-deprivation-of-life"])
def test_the_table_says_what_each_party_says_of_each_element(corpus, corpus_map, scheme_id):
    table = scheme_table(corpus_map, scheme_id, element_order(CORPUS))
    scheme = corpus.schemes[scheme_id]
    # the catalogue's elements, conditions first, each group in the order the sources state it
    roles = {"condition": 0, "exception": 1}
    ordered = sorted(scheme.elements, key=lambda e: roles[e.role])
    assert [e.id for e in table.elements] == [e.id for e in ordered]
    assert [e.question for e in table.elements] == [e.questions["en"] for e in ordered]
    found = {key: set(cell.positions) for key, cell in table.cells.items()}
    assert found == expected_cells(corpus, scheme_id)
    assert {p.id for p in table.parties} == {party for _, party in found}
    for (_, party), cell in table.cells.items():
        for claim in cell.claims:
            assert corpus.claims[claim].claimant == party


def test_self_defence_on_the_corpus(corpus_map):
    """What the sources say: the US applies self-defence to the boat strikes without arguing an
    armed attack (it assumes it); Amnesty denies that drug trafficking is an armed attack."""
    table = scheme_table(corpus_map, "self-defence", element_order(CORPUS))
    assert table.elements[0].id == ARMED_ATTACK and table.elements[0].label == "Armed attack"
    assert table.parties[0].id == "USA"  # the party applying the test comes first
    us, amnesty = table.cells[ARMED_ATTACK, "USA"], table.cells[ARMED_ATTACK, "amnesty-international"]
    assert (us.positions, us.claims) == (("assumes",), ("us-art51-boat-strikes",))
    assert (amnesty.positions, amnesty.claims) == (("denies",), ("amnesty-no-armed-attack",))
    text = table_text(table)
    assert re.search(r"^Armed attack \(condition\) — Has the State invoking self-defence .*assumes \[\d+\]"
                     r" +denies \[\d+\]$", text, re.MULTILINE)
    number = table.number("amnesty-no-armed-attack")
    proposition = corpus_map.nodes["amnesty-no-armed-attack"]["proposition"]
    assert f"[{number}] {proposition} — Amnesty International — rejects justification" in text
    assert "amnesty-no-armed-attack" in text  # the id, for kg map --explain, beside the proposition


def test_an_exception_a_test_establishes_is_affirmed_by_applying_it(corpus_map):
    """Applying self-defence is the self-defence exception to the prohibition of force."""
    table = scheme_table(corpus_map, "prohibition-of-force", element_order(CORPUS))
    cell = table.cells["prohibition-of-force/self-defence", "USA"]
    assert cell.positions == ("affirms",) and "us-art51-boat-strikes" in cell.claims
    assert cell.via == ("Self-defence (UN Charter Art. 51 and customary law)",)
    assert "by applying Self-defence" in table_text(table)


def test_quotes_on_demand(corpus_map):
    table = scheme_table(corpus_map, "self-defence", element_order(CORPUS))
    quote = corpus_map.nodes["amnesty-no-armed-attack"]["quotes"][0]
    assert quote not in table_text(table)
    assert " ".join(quote.split()) in " ".join(table_text(table, quotes=True).split())
    rows = list(csv.reader(io.StringIO(table_csv(table, quotes=True))))
    assert rows[0][:4] == ["element", "label", "role", "question"]
    assert rows[0][4:] == [p.name for p in table.parties]
    assert [row[0] for row in rows[1:]] == [e.id for e in table.elements]
    assert quote in rows[1][4 + [p.id for p in table.parties].index("amnesty-international")]


def test_each_quote_is_shown_once_with_the_claim_it_is_from(corpus_map):
    """Regression: a passage quoted twice by one claim (a pull-quote and the body) was shown twice."""
    claim = "amnesty-no-label-law-enforcement"
    quotes = corpus_map.nodes[claim]["quotes"]
    assert len(set(quotes)) < len(quotes)  # the corpus has such a claim
    table = scheme_table(corpus_map, "prohibition-of-force", element_order(CORPUS))
    text = " ".join(table_markdown(table, quotes=True).split())
    number = table.number(claim)
    for quote in set(quotes):
        shown = f"\\[{number}\\] “{' '.join(quote.split())}”"
        assert text.count(shown) == 1, shown


def test_a_narrow_terminal_gets_a_wrapped_table(corpus_map):
    table = scheme_table(corpus_map, "self-defence", element_order(CORPUS))
    lines = table_text(table, width=100).splitlines()
    header = lines.index(next(line for line in lines if line.startswith("Element")))
    body = lines[header:lines.index(next(line for line in lines if line.startswith("[1]")))]
    assert max(map(len, body)) <= 100
    assert "".join(table_text(table, width=100).split()) .count("Hasthe") == 1


def test_markdown_shows_the_data_as_text():
    graph = tiny_map()
    graph.nodes["us"]["proposition"] = "Lawful <img src=x onerror=alert(1)> | [link](javascript:x)"
    text = table_markdown(scheme_table(graph, "self-defence"))
    assert "<img" not in text and "](javascript" not in text.replace("\\]", "")
    assert "&lt;img src=x onerror=alert(1)&gt; \\| \\[link\\](javascript:x)" in text


@pytest.mark.parametrize(("name", "message"), [
    ("self-defense", "unknown legal test 'self-defense' (did you mean 'self-defence'?); known: "),
    ("armed attack", "'armed attack' is an element of the legal test 'self-defence', not a test: "
                     "kg scheme self-defence"),
    ("armed-attack", "'armed-attack' is an element of the legal test 'self-defence', not a test: "
                     "kg scheme self-defence"),  # regression: was "did you mean 'armed-conflict'?"
    ("nothing-like-it", "unknown legal test 'nothing-like-it'; known: act-of-aggression, "),
])
def test_an_unknown_test_is_one_line_with_what_was_meant(engine, name, message):
    with pytest.raises(QueryError) as raised:
        scheme_output(engine, name)
    assert str(raised.value).startswith(message) and "\n" not in str(raised.value)


def test_a_test_is_found_by_its_label(engine):
    assert scheme_output(engine, "self-defence (un charter art. 51 and customary law)") == \
        scheme_output(engine, "self-defence")


@pytest.mark.parametrize("name", ["Self-defence", "SELF-DEFENCE", "self-defence", "  Self-defence ",
                                  "Self-defence (UN Charter Art. 51 and customary law)"])
def test_a_tests_own_name_wins_over_an_elements(engine, name):
    """Regression: "Self-defence" (the test's label without its sources, which --help allows) was
    taken for the exception of the prohibition of force of that name, and refused."""
    catalogue = argument_map(engine).graph["scheme_catalogue"]
    assert any(e.label == "Self-defence" for s in catalogue.values() if s.id != "self-defence"
               for e in s.elements)  # the clash is real in the catalogue
    assert find_scheme(catalogue, name).id == "self-defence"


def test_every_test_is_found_by_id_label_and_short_label_in_any_case(engine):
    catalogue = argument_map(engine).graph["scheme_catalogue"]
    for scheme in catalogue.values():
        for name in (scheme.id.upper(), scheme.label.lower(), short_label(scheme).upper()):
            assert find_scheme(catalogue, name) is scheme, name


def test_a_misspelt_name_suggests_a_test_never_an_element(engine):
    catalogue = argument_map(engine).graph["scheme_catalogue"]
    elements = {e.id.rpartition("/")[2] for s in catalogue.values() for e in s.elements}
    for name in ("Self-defense", "Armed atack", "necesity", "proportionalty", "agression"):
        with pytest.raises(QueryError) as raised:
            find_scheme(catalogue, name)
        suggested = re.findall(r"did you mean '([^']+)'", str(raised.value))
        assert all(s in catalogue for s in suggested), (name, str(raised.value))
        assert not set(suggested) & (elements - set(catalogue))
    with pytest.raises(QueryError, match=r"did you mean 'self-defence'"):
        find_scheme(catalogue, "Self-defense")


def test_cli_takes_a_tests_label():
    runner = CliRunner()
    by_label = runner.invoke(cli, ["scheme", "Self-defence", "--corpus", str(CORPUS), "-f", "csv"],
                             catch_exceptions=False)
    assert by_label.exit_code == 0, by_label.stderr
    by_id = runner.invoke(cli, ["scheme", "self-defence", "--corpus", str(CORPUS), "-f", "csv"],
                          catch_exceptions=False)
    assert by_label.stdout == by_id.stdout


def test_an_html_page_is_named_by_the_test_found_not_as_typed(tmp_path, monkeypatch):
    """``-f html`` without ``-o`` writes build/scheme-ID.html: a label typed with capitals or
    spaces names the test's file, not a file of its own."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["scheme", "SELF-DEFENCE", "--corpus", str(CORPUS), "-f", "html"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "build").iterdir()] == ["scheme-self-defence.html"]
    assert "wrote build/scheme-self-defence.html" in result.output


def test_cli_prints_formats_and_scopes(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["scheme", "self-defence", "--corpus", str(CORPUS), "-f", "md"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("**Self-defence (UN Charter Art. 51 and customary law): ")
    assert "| Element | United States of America | Amnesty International |" in result.stdout
    scoped = runner.invoke(cli, ["scheme", "prohibition-of-force", "--corpus", str(CORPUS), "-f", "csv",
                                 "--event", "us-attack-2026-01-03"], catch_exceptions=False)
    whole = runner.invoke(cli, ["scheme", "prohibition-of-force", "--corpus", str(CORPUS), "-f", "csv"],
                          catch_exceptions=False)
    assert 0 < len(scoped.stdout_bytes) < len(whole.stdout_bytes)
    output = tmp_path / "out" / "table.md"
    written = runner.invoke(cli, ["scheme", "self-defence", "--corpus", str(CORPUS), "-f", "md", "-o",
                                  str(output)], catch_exceptions=False)
    assert written.output == f"wrote {output}\n"
    assert output.read_text(encoding="utf-8") == result.stdout
    wrong = runner.invoke(cli, ["scheme", "self-defense", "--corpus", str(CORPUS)], catch_exceptions=False)
    assert wrong.exit_code == 2
    assert wrong.stderr == ("kg: unknown legal test 'self-defense' (did you mean 'self-defence'?); known: "
                            "act-of-aggression, arbitrary-deprivation-of-life, armed-conflict, "
                            "crimes-against-humanity, enforcement-jurisdiction, head-of-state-immunity, "
                            "non-intervention, prohibition-of-force, self-defence\n")


# --- a tiny dispute, and its structured reading computed independently with py_arg ---------------


CATALOGUE = {"self-defence": CatalogueScheme(
    "self-defence", "Self-defence", "The force was lawful self-defence.",
    (CatalogueElement(ARMED_ATTACK, "Armed attack", "condition", "Was there an armed attack?"),
     CatalogueElement(NECESSITY, "Necessity", "condition", "Was force necessary?")))}


def tiny_map() -> nx.DiGraph:
    """The US applies self-defence (assuming both conditions); Amnesty denies the armed attack;
    a third party affirms necessity."""
    graph = nx.DiGraph(scheme_catalogue=CATALOGUE)

    def claim(claim_id, claimant, name, proposition, **fields):
        graph.add_node(claim_id, claimant=claimant, claimant_label=name, stance="Justifies",
                       stance_label="justifies", against=["Venezuela"], date="2025-10",
                       quote=f"{name} said so.", quotes=[f"{name} said so."], proposition=proposition,
                       label=proposition,
                       schemes=[], affirms=[], denies=[], **fields)

    claim("us", "USA", "United States", "The strikes were lawful self-defence.", )
    graph.nodes["us"]["schemes"] = ["self-defence"]
    claim("am", "amnesty", "Amnesty", "Drug trafficking is no armed attack.")
    graph.nodes["am"]["denies"] = [ARMED_ATTACK]
    claim("nec", "expert", "An expert", "Force was necessary.")
    graph.nodes["nec"]["affirms"] = [NECESSITY]
    graph.add_edge("am", "us", relation="attacks", kind="undercuts", kinds=["undercuts"])
    return graph


def tiny_theory(axioms: list[str]):
    """The tiny dispute as an ASPIC+ theory (issue 15's compilation, by hand) with ``axioms``."""
    from py_arg.aspic_classes.argumentation_system import ArgumentationSystem
    from py_arg.aspic_classes.argumentation_theory import ArgumentationTheory
    from py_arg.aspic_classes.defeasible_rule import DefeasibleRule
    from py_arg.aspic_classes.literal import Literal
    from py_arg.aspic_classes.orderings.preference_preorder import PreferencePreorder

    names = ["basis(us)", "basis(am)", "basis(nec)", f"assumes(us,{ARMED_ATTACK})",
             f"assumes(us,{NECESSITY})", f"denies(am,{ARMED_ATTACK})", f"affirms(nec,{NECESSITY})",
             "claim(us)", "claim(am)", "claim(nec)",
             *(f"{value}({e})" for value in ("holds", "fails") for e in (ARMED_ATTACK, NECESSITY))]
    language = {name: Literal(name) for name in names}

    def rule(name, antecedents, consequent):
        return DefeasibleRule(name, {language[a] for a in antecedents}, language[consequent])

    rules = [rule("d_am", ["basis(am)"], f"denies(am,{ARMED_ATTACK})"),
             rule("a_nec", ["basis(nec)"], f"affirms(nec,{NECESSITY})"),
             rule("r_us", ["basis(us)", f"assumes(us,{ARMED_ATTACK})", f"assumes(us,{NECESSITY})"],
                  "claim(us)"),
             rule("r_am", ["basis(am)", f"denies(am,{ARMED_ATTACK})"], "claim(am)"),
             rule("r_nec", ["basis(nec)", f"affirms(nec,{NECESSITY})"], "claim(nec)")]
    attackers = {name: set() for name in names}  # py_arg: the literals contrary to each literal

    def contrary(a, b):  # a is a contrary of b
        attackers[b].add(language[a])

    def contradictory(a, b):
        contrary(a, b)
        contrary(b, a)

    contrary(f"denies(am,{ARMED_ATTACK})", f"assumes(us,{ARMED_ATTACK})")  # an assumption, until denied
    contradictory(f"holds({ARMED_ATTACK})", f"denies(am,{ARMED_ATTACK})")
    contrary(f"fails({ARMED_ATTACK})", f"assumes(us,{ARMED_ATTACK})")
    contradictory(f"fails({NECESSITY})", f"affirms(nec,{NECESSITY})")
    contrary(f"fails({NECESSITY})", f"assumes(us,{NECESSITY})")
    system = ArgumentationSystem(language, attackers, [], rules)
    premises = [language[n] for n in names if n.startswith(("basis", "assumes"))]
    lowest = [(language[a], language[b]) for a in names if a.startswith("assumes")
              for b in names if b.startswith("basis")]
    order = PreferencePreorder([*((p, p) for p in premises), *lowest])
    return ArgumentationTheory(system, [language[a] for a in axioms], premises, order)


def _conclusion(argument) -> str:
    return str(argument.conclusion)


def py_arg_labels(axioms: list[str]) -> dict[str, str]:
    """Each claim's grounded label in the tiny theory with ``axioms``, by py_arg."""
    from py_arg.algorithms.semantics.get_grounded_extension import get_grounded_extension

    theory = tiny_theory(axioms)
    framework = theory.create_abstract_argumentation_framework("tiny")
    accepted = {_conclusion(a) for a in get_grounded_extension(framework)}
    defeated = {_conclusion(d.to_argument) for d in framework.defeats
                if _conclusion(d.from_argument) in accepted}
    return {c: "in" if f"claim({c})" in accepted else "out" if f"claim({c})" in defeated else "undec"
            for c in ("us", "am", "nec")}


def tiny_toggle_model() -> dict:
    """The toggle model of the tiny dispute (the format of kg.argument.toggles.toggle_model): every
    argument py_arg builds with all the assumptions present, their defeats, and which are which."""
    every = [f"{value}({e})" for value in ("holds", "fails") for e in (ARMED_ATTACK, NECESSITY)]
    theory = tiny_theory(every)
    framework = theory.create_abstract_argumentation_framework("tiny")
    arguments = sorted(framework.arguments, key=_conclusion)
    ids = [_conclusion(a) for a in arguments]
    assert len(set(ids)) == len(ids)  # one argument per conclusion in this theory
    index = {name: i for i, name in enumerate(ids)}

    def parts(name):
        kind, _, inside = name.partition("(")
        inside = inside.rstrip(")")
        claim, _, element = inside.partition(",") if kind not in ("holds", "fails") else (None, "", inside)
        return {"id": name, "kind": kind, "claim": claim, "element": element or None}

    return {
        "format": "ilkg-toggle-model/1", "semantics": "grounded", "ordering": "last-link, elitist",
        "preference": {"name": "none", "order": ""},
        "arguments": [parts(name) for name in ids],
        "defeats": sorted([index[_conclusion(d.from_argument)], index[_conclusion(d.to_argument)]]
                          for d in framework.defeats),
        "claims": {c: index[f"claim({c})"] for c in ("am", "nec", "us")},
        "elements": {e.id: {"scheme": "self-defence", "role": e.role, "label": e.label,
                            "holds": index[f"holds({e.id})"], "fails": index[f"fails({e.id})"]}
                     for e in CATALOGUE["self-defence"].elements},
        "labels": py_arg_labels([]),
    }


CHOICES = [dict(zip((ARMED_ATTACK, NECESSITY), values, strict=True))
           for values in itertools.product(("", "holds", "fails"), repeat=2)]


def test_the_tiny_theory_turns_on_its_assumptions():
    """The independent evaluation the page is checked against says what a lawyer expects."""
    assert py_arg_labels([]) == {"us": "out", "am": "in", "nec": "in"}  # a denial defeats an assumption
    assert py_arg_labels([f"holds({ARMED_ATTACK})"]) == {"us": "in", "am": "out", "nec": "in"}
    assert py_arg_labels([f"fails({ARMED_ATTACK})"]) == {"us": "out", "am": "in", "nec": "in"}
    assert py_arg_labels([f"holds({ARMED_ATTACK})", f"fails({NECESSITY})"]) == \
        {"us": "out", "am": "out", "nec": "out"}


class Visit(Watched):
    def open(self, path: Path) -> Visit:
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_selector("body[data-ready=true]")
        return self

    def choose(self, element: str, value: str) -> None:
        self.page.select_option(f'select.assumption[data-element="{element}"]', value)

    def labels(self) -> dict[str, str]:
        claims = self.js("[...document.querySelectorAll('li[data-claim]')].map(li => li.dataset.claim)")
        return {claim: self.page.text_content(f'li[data-claim="{claim}"] .label') for claim in claims}

    def assert_clean(self) -> None:
        assert self.outside == [], f"the page tried to reach the network: {self.outside}"
        assert self.js("window.__cspViolations") == []
        assert self.errors == [] and self.dialogs == []


@pytest.fixture
def visit(browser):
    with watched(browser, Visit, allowed=lambda url: url.startswith("file://"), init_script=RECORD_CSP,
                 timeout_ms=15_000) as seen:
        yield seen


def test_page_toggles_give_the_labels_py_arg_gives(visit, tmp_path):
    model = tiny_toggle_model()
    page = tmp_path / "tiny.html"
    page.write_text(scheme_html(scheme_table(tiny_map(), "self-defence"), model), encoding="utf-8")
    visit.open(page)
    assert visit.labels() == model["labels"] == py_arg_labels([])
    for choice in CHOICES:
        for element, value in choice.items():
            visit.choose(element, value)
        axioms = [f"{value}({element})" for element, value in choice.items() if value]
        assert visit.labels() == py_arg_labels(axioms), choice
    visit.page.click("#reset")
    assert visit.labels() == py_arg_labels([])
    visit.assert_clean()


def test_page_shows_the_table_and_what_changed(visit, tmp_path):
    table = scheme_table(tiny_map(), "self-defence")
    page = tmp_path / "tiny.html"
    page.write_text(scheme_html(table, tiny_toggle_model(), summary="3 claims in scope."), encoding="utf-8")
    visit.open(page)
    header = visit.js("[...document.querySelectorAll('#test thead th')].map(th => th.textContent)")
    assert header == ["Element and critical question", "Assume", "United States", "Amnesty", "An expert"]
    cells = visit.js("[...document.querySelectorAll('#test tbody tr')].map(tr => [tr.dataset.element, "
                     "...[...tr.querySelectorAll('td.cell .position')].map(p => p.textContent)])")
    assert cells == [[ARMED_ATTACK, "assumes", "denies"], [NECESSITY, "assumes", "affirms"]]
    visit.choose(ARMED_ATTACK, "holds")
    assert visit.page.text_content("#assumed") == "Assumed: Armed attack: holds. 2 claims changed label."
    assert visit.js("document.querySelectorAll('li .label.changed').length") == 2
    quotes = visit.js("[...document.querySelectorAll('td.cell blockquote')].map(q => q.textContent)")
    assert "[2] Amnesty said so." in quotes
    visit.assert_clean()


def test_page_is_one_file_that_loads_nothing_and_the_same_bytes(tmp_path):
    table = scheme_table(tiny_map(), "self-defence")
    html = scheme_html(table, tiny_toggle_model())
    assert html == scheme_html(scheme_table(tiny_map(), "self-defence"), tiny_toggle_model())
    markup = re.sub(r"(<script[^>]*>).*?</script>", r"\1", html, flags=re.DOTALL)
    for reference in (r"<link", r"<script\s+src", r"<iframe", r"\b(src|href)\s*=", r"@import", r"url\("):
        assert not re.search(reference, markup, re.IGNORECASE), reference
    assert markup.count("<script") == 3  # the JSON block, the shared evaluator, the page's script
    [policy] = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert unescape(policy).startswith("default-src 'none'; script-src 'sha256-")


# --- the page of the corpus against `kg map --assume` -------------------------------------------


# Choices of a student on a test's page (each page has a control per element of its test; its
# claims are every claim in scope); what the labels must be is asked of `kg map --assume`, never
# written here.
FORCE = "prohibition-of-force"
CORPUS_CHOICES = {
    "self-defence": [{ARMED_ATTACK: "holds"}, {ARMED_ATTACK: "holds", NECESSITY: "fails"},
                     {ARMED_ATTACK: "fails", NECESSITY: "holds"}],
    FORCE: [{f"{FORCE}/against-another-state": "holds"}, {f"{FORCE}/use-or-threat-of-force": "fails"},
            {f"{FORCE}/against-another-state": "fails", f"{FORCE}/self-defence": "holds"}],
}


@pytest.mark.parametrize("scheme_id", sorted(CORPUS_CHOICES))
def test_corpus_page_labels_are_what_kg_map_assume_gives(engine, visit, tmp_path, scheme_id):
    page = tmp_path / f"{scheme_id}.html"
    page.write_text(scheme_output(engine, scheme_id, "html"), encoding="utf-8")
    visit.open(page)
    unassumed = kg_map_labels({})
    assert visit.labels() == unassumed
    changed = 0
    for choice in CORPUS_CHOICES[scheme_id]:
        for element, value in choice.items():
            visit.choose(element, value)
        expected = kg_map_labels(choice)
        assert visit.labels() == expected, choice
        changed += expected != unassumed
        visit.page.click("#reset")
    assert changed >= 1  # the assumptions matter on the corpus: the comparison is not vacuous
    assert visit.labels() == unassumed
    visit.assert_clean()


def test_corpus_page_of_a_scope_labels_the_scoped_claims(visit, tmp_path):
    scope = ("--event", "us-boat-strikes")
    page = tmp_path / "scoped.html"
    result = CliRunner().invoke(cli, ["scheme", "self-defence", "--corpus", str(CORPUS), "-f", "html",
                                      "-o", str(page), *scope], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    visit.open(page)
    assert visit.labels() == kg_map_labels({}, *scope)
    visit.choose(ARMED_ATTACK, "holds")
    assert visit.labels() == kg_map_labels({ARMED_ATTACK: "holds"}, *scope)
    visit.assert_clean()
