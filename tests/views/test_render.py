"""``kg render``: the students' page, opened in a real headless Chromium driven by Playwright.

The page is opened from a file:// URL, as a student would open it; every request the browser
makes to anything else is blocked and recorded, and each test asserts there was none: the page
must work with no internet. Console errors, uncaught exceptions, Content-Security-Policy
violations and dialogs (``alert``) fail the test. These tests need Debian's ``chromium``
(``apt-get install -y chromium``), Playwright for Python (the ``test`` extra) and pyvis; they fail,
never skip, without them. No browser is ever downloaded.
"""

from __future__ import annotations

import math
import random
import re
import textwrap
import time
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner

from kg.argument.map import ATTACK_KINDS, Scope, argument_map
from kg.cli import cli
from kg.corpus.models import ACTOR_TYPES, STANCES
from kg.corpus.relations import attack_kinds
from kg.errors import QueryError
from kg.sparql.engines import open_engine
from kg.views.render import (
    ACTOR_CLASSES,
    ACTOR_STYLE,
    ATTACK_STYLE,
    DISPUTE_CLAIMS,
    FIRST_VIEW_CLAIMS,
    LABEL_CHARS,
    LABEL_STYLE,
    LARGE,
    RELATIONS,
    STANCE_STYLE,
    first_view,
    page_graph,
    page_html,
    script_json,
    write_page,
)

from ..conftest import CORPUS, MINI_DOC, RECORD_CSP
from .conftest import CENTRE_ON, Watched, kg_map_labels, watched

MARKUP = ("<img src=x onerror=alert(1)>", "<a href=x onmouseover=alert(2)>x</a>",
          "</script><script>alert(3)</script>")
HOSTILE = " ".join(MARKUP)
FOCUS = "us-art51-boat-strikes"

# How much of the canvas is drawn on: non-white pixels and distinct colours.
CANVAS_INK = """() => {
  const canvas = document.querySelector("#network canvas");
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  const colours = new Set();
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) ink++;
    colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  }
  return { ink: ink / (data.length / 4), colours: colours.size };
}"""


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def pyvis_installed():
    try:
        import pyvis  # noqa: F401  (kg.views.render imports it lazily; say so here, plainly)
    except ImportError:
        pytest.fail("pyvis is not installed: run `pip install -e '.[test]'` (the set-up step `make test`)")


@pytest.fixture(scope="module")
def engine():
    return open_engine("oxigraph", corpus_dir=CORPUS)


@pytest.fixture(scope="module")
def pages(engine, tmp_path_factory) -> dict[str, Path]:
    """The corpus page, the same focused on a claim, and one scoped to an event."""
    folder = tmp_path_factory.mktemp("pages")
    return {
        "all": write_page(engine, folder / "ilkg.html"),
        "focus": write_page(engine, folder / "focus.html", focus=FOCUS),
        "event": write_page(engine, folder / "event.html", scope=Scope.parse(event="us-boat-strikes")),
        "empty": write_page(engine, folder / "empty.html", scope=Scope.parse(since="2100")),
    }


class Visit(Watched):
    """A rendered page opened from file://; any other request is blocked and recorded."""

    def open(self, path: Path, timeout: float = 60_000) -> Visit:
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_selector("body[data-ready=true]", timeout=timeout)
        return self

    def shown(self) -> list[str]:
        """The ids of the nodes the network draws now."""
        drawn = self.js("ilkg.network.body.nodeIndices.slice().sort()")
        assert drawn == self.js("ilkg.nodeView.getIds().sort()")
        return drawn

    def centre_on(self, node: str, scale: float = 1.5) -> dict:
        return self.js(CENTRE_ON, [node, scale])

    def hover(self, node: str) -> str:
        """Move the mouse onto ``node``; the text of the hover card that opens."""
        self.page.mouse.move(5, 5)
        point = self.centre_on(node)
        self.page.mouse.move(point["x"], point["y"], steps=2)
        title = self.js("(id) => ilkg.nodes.get(id).card.title", node)
        tooltip = self.page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible")
        self.page.wait_for_function("(t) => document.querySelector('div.vis-tooltip').innerText.includes(t)",
                                    arg=title.strip().split("\n")[0][:40])
        return tooltip.inner_text()

    def click(self, node: str) -> list[str]:
        point = self.centre_on(node)
        self.page.mouse.click(point["x"], point["y"])
        return self.js("ilkg.network.getSelectedNodes()")

    def assert_clean(self) -> None:
        assert self.outside == [], f"the page tried to reach the network: {self.outside}"
        assert self.js("window.__cspViolations") == []
        assert self.errors == []
        assert self.dialogs == [], f"the page opened dialogs: {self.dialogs}"


def new_visit(browser):
    return watched(browser, Visit, allowed=lambda url: url.startswith("file://"), init_script=RECORD_CSP,
                   timeout_ms=15_000)


@pytest.fixture
def visit(browser):
    with new_visit(browser) as seen:
        yield seen


@pytest.fixture(scope="module")
def corpus_graph(engine) -> nx.DiGraph:
    return page_graph(engine)


@pytest.fixture(scope="module")
def loaded(browser, pages):
    """The corpus page, opened once for the tests that only read it or reset what they change."""
    with new_visit(browser) as seen:
        yield seen.open(pages["all"])


def expected_shown(graph: nx.DiGraph, claims) -> list[str]:
    """The claims given (ids) and every actor, norm and event linked to them."""
    keys = {f"claim:{claim}" for claim in claims}
    linked = {other for key in keys for other in (*graph.predecessors(key), *graph.successors(key))
              if graph.nodes[other]["kind"] != "claim"}
    return sorted(keys | linked)


# --- the page of the corpus ----------------------------------------------------------------------


def test_page_is_one_file_that_loads_nothing(pages, visit):
    html = pages["all"].read_text(encoding="utf-8")
    markup = re.sub(r"(<script[^>]*>).*?</script>", r"\1", html, flags=re.DOTALL)
    for reference in (r"<link", r"<script\s+src", r"<iframe", r"\b(src|href)\s*=",
                      r"cdnjs|jsdelivr|bootstrap"):
        assert not re.search(reference, markup, re.IGNORECASE), reference
    styles = "".join(re.findall(r"<style>(.*?)</style>", html, flags=re.DOTALL))
    assert not re.search(r"@import|url\(\s*(?![\"']?data:)", styles)
    assert markup.count("<script") == 4  # the JSON block, vis-network, the shared evaluator, ours
    visit.open(pages["all"])
    elements = "img, iframe, link, object, embed, [src], [href]"
    assert visit.js("(selector) => document.querySelectorAll(selector).length", elements) == 0
    visit.assert_clean()


def test_every_node_and_edge_is_drawn(engine, corpus_graph, loaded):
    graph, visit = corpus_graph, loaded
    assert {kind for _, kind in graph.nodes(data="kind")} == {"claim", "actor", "norm", "event"}
    assert graph.number_of_nodes() < LARGE  # the seed scale is laid out by vis-network's physics
    visit.page.click("#reset")
    assert visit.js("ilkg.network.body.data.nodes.length") == graph.number_of_nodes()
    assert visit.js("ilkg.network.body.data.edges.length") == graph.number_of_edges()
    assert visit.shown() == sorted(graph.nodes)
    claims = argument_map(engine)
    assert sum(kind == "claim" for _, kind in graph.nodes(data="kind")) == claims.number_of_nodes()
    assert visit.page.text_content("#status").startswith(f"Showing all {graph.number_of_nodes()} nodes")
    visit.assert_clean()


def test_screenshot_is_not_blank(loaded, tmp_path):
    visit = loaded
    visit.page.click("#reset")
    ink = visit.js(CANVAS_INK)
    assert ink["ink"] > 0.02 and ink["colours"] > 50, ink
    visit.page.screenshot(path=tmp_path / "ilkg.png")
    assert (tmp_path / "ilkg.png").stat().st_size > 50_000
    visit.assert_clean()


def test_clicking_a_node_selects_it_and_shows_its_details(loaded):
    visit = loaded
    visit.page.click("#reset")
    for node in (f"claim:{FOCUS}", "actor:USA", "norm:un-charter-art-51", "event:us-boat-strikes"):
        assert visit.click(node) == [node]
        title = visit.js("(id) => ilkg.nodes.get(id).card.title", node)
        assert visit.page.text_content("#details .card-title") == title
    visit.assert_clean()


def test_hover_card_of_a_claim_has_its_quote_and_source(engine, loaded):
    visit = loaded
    claim = argument_map(engine).nodes[FOCUS]
    labels = {str(iri).rsplit("/", 1)[-1]: label for iri, label in engine.labels().items()}
    visit.page.click("#reset")
    card = visit.hover(f"claim:{FOCUS}")
    assert claim["quote"] in card
    for text in (claim["claimant_label"], claim["stance_label"], *claim["norms"], claim["date"],
                 labels[claim["document"]], claim["document"]):
        assert text in card, text
    visit.assert_clean()


@pytest.mark.parametrize(("controls", "scope"), [
    ({"#filter-actor": "actor:USA"}, {"actor": "USA"}),
    ({"#filter-actor": "actor:agnes-callamard"}, {"actor": "agnes-callamard"}),  # voices only
    ({"#filter-norm": "norm:un-charter"}, {"norm": "un-charter"}),  # and its provisions
    ({"#filter-norm": "norm:un-charter-art-51"}, {"norm": "un-charter-art-51"}),
    ({"#filter-event": "event:us-caribbean-military-buildup"}, {"event": "us-caribbean-military-buildup"}),
    ({"#filter-since": "2026-01-01", "#filter-until": "2026-01-31"},
     {"since": "2026-01-01", "until": "2026-01-31"}),
    ({"#filter-until": "2025-10-15"}, {"until": "2025-10-15"}),  # takes in claims dated 2025-10 or 2019
    ({"#filter-actor": "actor:VEN", "#filter-since": "2026-01-03"}, {"actor": "VEN", "since": "2026-01-03"}),
])
def test_filters_show_what_the_scope_would(engine, corpus_graph, loaded, controls, scope):
    graph, visit = corpus_graph, loaded
    expected = expected_shown(graph, argument_map(engine, Scope.parse(**scope)).nodes)
    assert 0 < len(expected) < graph.number_of_nodes()
    visit.page.click("#reset")
    assert len(visit.shown()) == graph.number_of_nodes()
    for selector, value in controls.items():
        if selector.startswith("#filter-since") or selector.startswith("#filter-until"):
            visit.page.fill(selector, value)
        else:
            visit.page.select_option(selector, value)
    assert visit.shown() == expected
    assert visit.js("ilkg.network.body.data.nodes.length") == len(expected)
    visit.page.click("#reset")
    assert len(visit.shown()) == graph.number_of_nodes()
    visit.assert_clean()


def test_search_selects_the_matches(loaded):
    visit = loaded
    visit.page.click("#reset")
    visit.page.fill("#search", "UN Charter Art. 51")
    visit.page.press("#search", "Enter")
    assert "norm:un-charter-art-51" in visit.js("ilkg.network.getSelectedNodes()")
    assert "match" in visit.page.text_content("#search-status")
    visit.page.fill("#search", "no such thing anywhere")
    assert visit.js("ilkg.network.getSelectedNodes()") == []
    visit.assert_clean()


def test_focus_selects_and_centres_the_node(pages, visit):
    visit.open(pages["focus"])
    assert visit.js("ilkg.network.getSelectedNodes()") == [f"claim:{FOCUS}"]
    where = visit.js("""() => {
      const point = ilkg.network.canvasToDOM(ilkg.network.getPosition('claim:us-art51-boat-strikes'));
      const canvas = document.querySelector('#network canvas');
      return { x: point.x / canvas.clientWidth, y: point.y / canvas.clientHeight };
    }""")
    assert abs(where["x"] - 0.5) < 0.05 and abs(where["y"] - 0.5) < 0.05, where
    assert FOCUS in visit.page.text_content("#details")
    visit.assert_clean()


def test_scoped_page_has_the_scoped_claims(engine, pages, visit):
    claims = argument_map(engine, Scope.parse(event="us-boat-strikes"))
    visit.open(pages["event"])
    drawn = [node for node in visit.shown() if node.startswith("claim:")]
    assert drawn == sorted(f"claim:{claim}" for claim in claims.nodes)
    assert "event us-boat-strikes" in visit.page.text_content("header")
    visit.assert_clean()


def test_a_scope_without_claims_gives_an_empty_page(pages, visit):
    visit.open(pages["empty"])
    assert visit.js("ilkg.network.body.data.nodes.length") == 0
    assert visit.page.text_content("#status") == "Showing all 0 nodes (0 claims)."
    assert "0 claims" in visit.page.text_content("header")
    visit.assert_clean()


def test_cli_writes_the_page(tmp_path):
    output = tmp_path / "out" / "boat.html"
    runner = CliRunner()
    result = runner.invoke(cli, ["render", "--corpus", str(CORPUS), "-o", str(output), "--event",
                                 "us-boat-strikes", "--focus", FOCUS], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {output}\n"
    assert '"focus":"claim:us-art51-boat-strikes"' in output.read_text(encoding="utf-8")
    result = runner.invoke(cli, ["render", "--corpus", str(CORPUS), "-o", str(tmp_path / "no.html"),
                                 "--focus", "un-charter-art-52"], catch_exceptions=False)
    assert result.exit_code == 2
    assert "no claim, actor, norm or event 'un-charter-art-52'" in result.output
    assert not (tmp_path / "no.html").exists()


def test_unknown_focus_is_an_error_and_writes_nothing(engine, tmp_path):
    with pytest.raises(QueryError, match=r"no claim, actor, norm or event 'us-art51-boat-strike'.*"
                                         r"did you mean 'us-art51-boat-strikes'"):
        write_page(engine, tmp_path / "page.html", focus="us-art51-boat-strike")
    assert not (tmp_path / "page.html").exists()


def test_same_input_same_bytes(engine, pages, tmp_path):
    again = write_page(engine, tmp_path / "again.html")
    assert again.read_bytes() == pages["all"].read_bytes()


def test_every_actor_type_and_stance_has_a_colour_and_relations_a_style():
    assert set(ACTOR_CLASSES.values()) == set(ACTOR_TYPES)
    assert set(ACTOR_STYLE) == {*ACTOR_TYPES, "unknown"}
    assert set(STANCE_STYLE) == {*STANCES, "unknown"}
    assert set(RELATIONS) == {"makes", "voices", "invokes", "against", "concerns", "attacks", "supports"}
    assert RELATIONS["attacks"][2] and RELATIONS["attacks"][0] == "#e41a1c"  # red, dashed
    assert not RELATIONS["supports"][2] and RELATIONS["supports"][0] == "#2ca02c"  # green, solid


# --- what a student reads: propositions, kinds of attack, the main dispute, what-if labels -------


def test_claims_are_drawn_as_their_propositions_never_their_ids(corpus, loaded):
    visit = loaded
    drawn = visit.js("ilkg.nodes.get({filter: (n) => n.kind === 'claim'})"
                     ".map((n) => [n.id, n.label, n.text, n.card.title])")
    assert len(drawn) == len(corpus.claims)
    for key, label, text, title in drawn:
        claim = corpus.claims[key.removeprefix("claim:")]
        proposition = " ".join(claim.proposition["en"].split())
        assert title == claim.proposition["en"]  # the card: the whole proposition
        assert text == textwrap.shorten(proposition, LABEL_CHARS, placeholder=" …")  # the canvas: short
        assert re.fullmatch(r"\[(in|out|undec)\] " + re.escape(text), label), label
        assert claim.id not in label
    wrapped = visit.js("ilkg.nodes.get({filter: (n) => n.kind === 'claim'}).map((n) => n.widthConstraint)")
    assert all(constraint["maximum"] <= 250 for constraint in wrapped)  # wrapped, not one long line
    visit.assert_clean()


def test_attacks_are_drawn_by_kind_with_a_legend(corpus, loaded):
    visit = loaded
    annotated = attack_kinds(corpus.claims)
    drawn = visit.js("ilkg.edges.get({filter: (e) => e.relation === 'attacks'})"
                     ".map((e) => [e.from, e.to, e.kind, e.dashes, e.width])")
    assert {(a.removeprefix("claim:"), b.removeprefix("claim:")) for a, b, *_ in drawn} == set(annotated)
    for source, target, kind, dashes, width in drawn:
        kinds = annotated[source.removeprefix("claim:"), target.removeprefix("claim:")]
        # the most telling kind of those annotated (an undercut names the element at stake)
        assert kind == next(k for k in (*ATTACK_KINDS, "attacks") if k in kinds)
        assert [dashes, width] == [ATTACK_STYLE[kind][2], ATTACK_STYLE[kind][1]]
    assert {kind for *_, kind, _, _ in drawn} >= {"rebuts", "undercuts", "undermines"}  # the corpus has each
    styles = {(str(style[2]), style[1]) for style in ATTACK_STYLE.values()}
    assert len(styles) == len(ATTACK_STYLE)  # no two kinds look alike
    legend = visit.js("[...document.querySelectorAll('.legend li')].map((li) => [li.textContent.trim(), "
                      "li.querySelector('line') && "
                      "li.querySelector('line').getAttribute('stroke-dasharray')])")
    for *_, dashes, _, text in ATTACK_STYLE.values():
        assert [text, " ".join(map(str, dashes)) if dashes else "none"] in legend, text
    visit.assert_clean()


def test_the_page_opens_on_the_main_dispute_and_the_rest_is_a_click_away(corpus_graph, pages, visit):
    graph = corpus_graph
    visit.open(pages["all"])
    shown = visit.shown()
    claims = [node for node in shown if node.startswith("claim:")]
    assert shown == first_view(graph) and 0 < len(claims) <= FIRST_VIEW_CLAIMS < graph.number_of_nodes()
    attacks = nx.Graph((s, t) for s, t, rel in graph.edges(data="relation") if rel == "attacks")
    largest = max(nx.connected_components(attacks), key=len)
    assert set(claims) <= set().union(*(part for part in nx.connected_components(attacks)
                                        if len(part) >= DISPUTE_CLAIMS))  # only claims in disputes
    hub = max(largest, key=lambda n: (attacks.degree(n), n))
    assert hub in claims  # the most attacked and attacking claim of the largest dispute is there
    makers = {actor for claim in claims for actor, _, rel in graph.in_edges(claim, data="relation")
              if rel == "makes"}
    assert set(shown) == set(claims) | makers
    assert visit.page.text_content("#status").startswith("Showing the main dispute")
    visit.page.click("#reset")  # Show all
    assert visit.shown() == sorted(graph.nodes)
    visit.page.click("#main-view")
    assert visit.shown() == shown
    visit.assert_clean()


class Labelled(Visit):
    """The render page, read for each claim's label as the canvas draws it (its text and border)."""

    def labels(self) -> dict[str, str]:
        nodes = self.js("ilkg.nodes.get({filter: (n) => n.kind === 'claim'})"
                        ".map((n) => [n.id, n.label, n.color.border, n.acceptance])")
        found = {}
        for key, label, border, acceptance in nodes:
            assert label.startswith(f"[{acceptance}] ") and border == LABEL_STYLE[acceptance][0], key
            found[key.removeprefix("claim:")] = acceptance
        return found

    def choose(self, choice: dict[str, str]) -> None:
        self.page.click("#assume-none")
        for element, value in choice.items():
            self.page.select_option(f'#assumptions select.assumption[data-element="{element}"]', value)


RENDER_CHOICES = [
    {"self-defence/armed-attack": "holds"},
    {"prohibition-of-force/against-another-state": "holds", "self-defence/armed-attack": "fails"},
    {"non-intervention/domaine-reserve": "fails", "enforcement-jurisdiction/enforcement-act": "fails"},
]


def test_what_if_offers_the_most_engaged_tests_first_each_as_a_lawyer_reads_it(corpus, loaded):
    """The panel lists the tests the claims engage most first (applied, or an element affirmed or
    denied), and each test's conditions before its exceptions, in the order of the catalogue."""
    visit = loaded
    offered = visit.js("[...document.querySelectorAll('#assumptions select')].map((s) => s.dataset.element)")
    headings = visit.js("[...document.querySelectorAll('#assumptions h3')].map((h) => h.textContent)")
    engaged = Counter()
    for claim in corpus.claims.values():
        engaged.update(set(claim.schemes) | {e.split("/")[0] for e in (*claim.affirms, *claim.denies)})
    tests = sorted(corpus.schemes.values(), key=lambda s: (-engaged[s.id], s.id))
    expected = [e.id for test in tests for role in ("condition", "exception")
                for e in test.elements if e.role == role]
    assert offered == [e for e in expected if e in set(offered)] and len(offered) > 10
    shown = [t for t in tests if any(e.id in offered for e in t.elements)]
    assert headings == [t.labels["en"] for t in shown]
    assert engaged[shown[0].id] > engaged[shown[-1].id]  # the order says something on the corpus
    visit.assert_clean()


@pytest.mark.parametrize(("page", "scope"), [("all", ()), ("event", ("--event", "us-boat-strikes"))])
def test_what_if_controls_give_the_labels_kg_map_assume_gives(browser, pages, page, scope):
    with watched(browser, Labelled, allowed=lambda url: url.startswith("file://"), init_script=RECORD_CSP,
                 timeout_ms=15_000) as visit:
        visit.open(pages[page])
        unassumed = kg_map_labels({}, *scope)
        assert visit.labels() == unassumed
        offered = set(visit.js("[...document.querySelectorAll('#assumptions select')]"
                               ".map((s) => s.dataset.element)"))
        changed = 0
        for choice in RENDER_CHOICES:
            choice = {e: v for e, v in choice.items() if e in offered}  # a scope offers its elements
            visit.choose(choice)
            expected = kg_map_labels(choice, *scope)
            assert visit.labels() == expected, choice
            changed += expected != unassumed
            assert visit.page.text_content("#assumed").startswith("Assumed: ")
        assert changed >= 1  # the comparison is not vacuous
        visit.page.click("#assume-none")
        assert visit.labels() == unassumed
        visit.assert_clean()


# --- markup in the data --------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "absent"), [
    ("</script><script>alert(3)</script>", ("</", "<script")),
    ("<!-- <script>", ("<!--", "<script")),
    ("a & b > c", ("&", ">")),
    ("line\u2028separator\u2029paragraph", ("\u2028", "\u2029")),
    ({"<key>": ["</SCRIPT >"]}, ("<", ">")),
])
def test_script_json_cannot_close_its_script_block(value, absent):
    import json

    text = script_json(value)
    for fragment in absent:
        assert fragment not in text
    assert json.loads(text) == value


@pytest.fixture
def hostile_corpus(mini_corpus) -> Path:
    """A corpus whose names, titles, notations, labels and a quoted passage are all markup."""
    root = mini_corpus(f"""
        - id: hostile-quote
          claimant: USA
          voiced_by: mike-waltz
          against: VEN
          concerns: us-attack-2026-01-03
          invokes: [hostile-principle, un-charter-art-2-4]
          stance: alleges-violation
          date: 2026-01-03
          proposition: "The strikes broke a hostile principle {HOSTILE}."
          quote: "Hostile passage: {HOSTILE} ends here."
        - id: ven-moncada-art-2-4
          claimant: VEN
          voiced_by: samuel-moncada
          against: USA
          concerns: us-attack-2026-01-03
          invokes: [un-charter-art-2-4]
          stance: alleges-violation
          attacks: [hostile-quote]
          date: 2026-01-03
          proposition: The US strikes violated the UN Charter.
          quote: "He said the U.S. had violated the founding U.N. Charter"
        - id: us-art51-boat-strikes
          claimant: USA
          concerns: us-boat-strikes
          invokes: [un-charter-art-51]
          stance: justifies
          supports: [hostile-quote]
          date: 2025-10
          proposition: The boat strikes were lawful self-defence under Article 51.
          quote: "In October, the U.S. justified its action as consistent with Article 51"
    """)
    text = root / "documents" / f"{MINI_DOC}.txt"
    text.write_text(text.read_text(encoding="utf-8") + f"\n\nHostile passage: {HOSTILE} ends here.\n",
                    encoding="utf-8")

    def rewrite(path: Path, change) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def names(data):
        for actor in data["actors"]:
            if actor["id"] in ("USA", "VEN", "mike-waltz", "samuel-moncada"):
                actor["name"]["en"] = f"{actor['name']['en']} {HOSTILE}"

    def events(data):
        for event in data["events"]:
            event["label"]["en"] = f"{event['label']['en']} {HOSTILE}"

    def title(data):
        data["title"] = f"Wire report {HOSTILE}"

    rewrite(root / "catalogues" / "actors.yaml", names)
    rewrite(root / "catalogues" / "events.yaml", events)
    rewrite(root / "documents" / f"{MINI_DOC}.yaml", title)
    (root / "catalogues" / "norms.yaml").write_text(yaml.safe_dump({"norms": [{
        "id": "hostile-principle", "type": "principle", "source_type": "general-principle",
        "notation": f"Principle {HOSTILE}",
        "label": {"en": f"Hostile principle {HOSTILE}", "es": f"Principio hostil {HOSTILE}"},
    }]}, allow_unicode=True), encoding="utf-8")
    return root


def assert_markup_is_text(visit: Visit, nodes: list[str], cards_with_markup: int) -> None:
    """Hover and click every node: no dialog, no element made from the data, the markup as text."""
    seen_markup = 0
    for node in nodes:
        card = visit.hover(node)
        seen_markup += all(piece in card for piece in MARKUP)
        assert visit.click(node) == [node]
        details = visit.page.inner_text("#details")
        assert card.split("\n")[0] in details
    assert seen_markup >= cards_with_markup
    # the only elements are the page's own: no <img>, <a> or extra <script> from the data
    assert visit.js("document.querySelectorAll('img, a, iframe, object, embed').length") == 0
    assert visit.js("document.scripts.length") == 4
    assert visit.js("document.querySelectorAll('[onerror], [onmouseover], [onclick]').length") == 0
    visit.page.wait_for_timeout(300)  # an onerror would fire by now
    visit.assert_clean()


def test_markup_in_the_corpus_stays_text(hostile_corpus, visit, tmp_path):
    engine = open_engine("oxigraph", corpus_dir=hostile_corpus)
    page = write_page(engine, tmp_path / "hostile.html", focus="hostile-quote")
    html = page.read_text(encoding="utf-8")
    for piece in MARKUP:
        assert piece not in html, f"unescaped in the page source: {piece}"
    graph = page_graph(engine)
    visit.open(page)
    nodes = visit.shown()
    assert nodes == sorted(graph.nodes)
    assert len(nodes) > 10
    # the quote, the document title, actor names, the norm's notation and event labels
    hostile_quote = visit.hover("claim:hostile-quote")
    assert f"Hostile passage: {HOSTILE} ends here." in hostile_quote
    assert f"Wire report {HOSTILE}" in hostile_quote
    assert f"Principle {HOSTILE}" in hostile_quote
    assert visit.page.inner_text("#panel").count(HOSTILE) >= 4  # details + filter choices
    options = visit.js("[...document.querySelectorAll('select option')].map(o => o.textContent)")
    assert sum(HOSTILE in option for option in options) >= 4
    assert_markup_is_text(visit, nodes, cards_with_markup=8)


def test_markup_in_ids_and_labels_of_any_graph_stays_text(visit, tmp_path):
    """Ids cannot hold markup in the corpus, but page_html takes any graph: escape them too."""
    graph = nx.DiGraph()
    claim, actor, norm, event = (f"{kind}:{MARKUP[i % 3]}{i}" for i, kind in
                                 enumerate(("claim", "actor", "norm", "event")))
    graph.add_node(claim, kind="claim", label=HOSTILE, name=HOSTILE, stance=HOSTILE, stance_label=HOSTILE,
                   date="2026-01-03", quote=HOSTILE, document=HOSTILE, document_title=HOSTILE)
    graph.add_node(actor, kind="actor", label=HOSTILE, name=HOSTILE, actor_type=HOSTILE)
    graph.add_node(norm, kind="norm", label=HOSTILE)
    graph.add_node(event, kind="event", label=HOSTILE)
    graph.add_edge(actor, claim, relation="makes")
    graph.add_edge(claim, norm, relation="invokes")
    graph.add_edge(claim, event, relation="concerns")
    page = tmp_path / "ids.html"
    page.write_text(page_html(graph, focus=claim, title=HOSTILE, summary=HOSTILE), encoding="utf-8")
    for piece in MARKUP:
        assert piece not in page.read_text(encoding="utf-8")
    visit.open(page)
    assert visit.js("ilkg.network.getSelectedNodes()") == [claim]
    assert visit.page.title() == HOSTILE
    assert visit.page.inner_text("h1") == HOSTILE
    values = visit.js("[...document.querySelectorAll('select option')].map(o => o.value)")
    assert {actor, norm, event} <= set(values)
    visit.page.select_option("#filter-actor", actor)
    assert visit.shown() == sorted(graph.nodes)
    assert_markup_is_text(visit, sorted(graph.nodes), cards_with_markup=4)


# --- a large graph -------------------------------------------------------------------------------


def synthetic_graph(nodes: int, seed: int = 7) -> nx.DiGraph:
    """A graph shaped like page_graph's: a tenth actors, a twentieth norms, a fiftieth events."""
    rng = random.Random(seed)
    graph = nx.DiGraph(names={}, ancestors={})
    groups = {"actor": nodes // 10, "norm": nodes // 20, "event": nodes // 50}
    keys = {kind: [f"{kind}:{kind[0]}{i}" for i in range(count)] for kind, count in groups.items()}
    for key in keys["actor"]:
        graph.add_node(key, kind="actor", label=key, name=f"Actor {key}", actor_type=rng.choice(ACTOR_TYPES))
    for kind in ("norm", "event"):
        for key in keys[kind]:
            graph.add_node(key, kind=kind, label=key, name=f"{kind} {key}")
    claims = [f"claim:c{i}" for i in range(nodes - sum(groups.values()))]
    for index, key in enumerate(claims):
        graph.add_node(key, kind="claim", label=key, name=f"Claim {index}", stance=rng.choice(STANCES),
                       stance_label="stance", date=f"{rng.randint(2000, 2025)}-{rng.randint(1, 12):02d}",
                       quote=f"Quote {index}", document="doc", document_title="A document")
        graph.add_edge(rng.choice(keys["actor"]), key, relation="makes")
        graph.add_edge(key, rng.choice(keys["actor"]), relation="against")
        graph.add_edge(key, rng.choice(keys["norm"]), relation="invokes")
        graph.add_edge(key, rng.choice(keys["event"]), relation="concerns")
        if index and rng.random() < 0.3:
            graph.add_edge(key, rng.choice(claims[:index]), relation=rng.choice(("attacks", "supports")))
    return graph


def test_five_thousand_nodes_render_fast_and_open(visit, tmp_path):
    graph = synthetic_graph(5000)
    assert graph.number_of_nodes() == 5000
    started = time.perf_counter()
    html = page_html(graph, summary="5,000 nodes")
    generated = time.perf_counter() - started
    assert generated < 20, f"generating the page of 5,000 nodes took {generated:.1f} s"
    page = tmp_path / "large.html"
    page.write_text(html, encoding="utf-8")
    started = time.perf_counter()
    visit.open(page, timeout=90_000)
    opened = time.perf_counter() - started
    assert opened < 60, f"opening the page of 5,000 nodes took {opened:.1f} s"
    first = visit.js("ilkg.firstView")
    assert visit.shown() == first and 0 < len(first) < 100  # the main dispute first, not 5,000 nodes
    assert visit.js("ilkg.nodes.length") == len(first)  # an overview: the rest is not built up front
    claims_in_all = sum(1 for key in graph if key.startswith("claim:"))
    status = visit.page.text_content("#status")
    assert f"({claims_in_all:,} claims in all)" in status and "“Show all” draws them all" in status
    visit.page.click("#reset")  # "Show all"
    assert visit.js("ilkg.network.body.data.nodes.length") == 5000
    assert visit.js("ilkg.network.body.data.edges.length") == graph.number_of_edges()
    positions = visit.js("ilkg.network.getPositions(['actor:a0', 'claim:c0'])")
    assert all(math.isfinite(p["x"]) and math.isfinite(p["y"]) for p in positions.values())
    visit.page.select_option("#filter-norm", "norm:n0")
    claims = [key for key in graph.predecessors("norm:n0") if key.startswith("claim:")]
    assert len(visit.shown()) == len(expected_shown(graph, [c.partition(":")[2] for c in claims]))
    assert visit.click("norm:n0") == ["norm:n0"]
    print(f"\n5,000 nodes, {graph.number_of_edges():,} edges: page in {generated:.1f} s, "
          f"{len(html) / 1e6:.1f} MB; open in Chromium in {opened:.1f} s")
    visit.assert_clean()
