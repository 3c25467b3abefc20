"""Hostile markup through every page the project writes, each opened in a real headless Chromium.

The corpus of tests/views/hostile_corpus.py carries script-shaped text in every free-text field. Each page
made from it — the ``kg render`` page, the ``kg serve`` editor with query results, the ``kg docs``
page of an ontology with the same text in its labels and comments, the ``kg export -f svg`` and
``kg timeline`` drawings, ``kg query -f md`` tables as Markdown renders them — is opened in
Chromium and used (hovered, clicked, searched, filtered,
queried, scrolled). Every payload sets ``window.__pwned`` or calls ``alert``: the tests assert that
neither happened, that no element of the page carries an event handler, a ``javascript:`` URL or
an executable script made from the data, and that the hostile text is on the page as text (so
the data went through the page rather than being dropped).

The HTML pages also carry a Content-Security-Policy. Each is opened twice: as written, where a
violation report would reveal markup that the policy stopped, and with the policy removed, so
that escaping alone is what is tested. The browser may reach 127.0.0.1 and file:// only.
These tests need Debian's ``chromium``, Playwright for Python, pyvis, pyLODE, Graphviz's ``dot``
and Yasgui from ``npm ci``; they fail, never skip, without them. No browser is ever downloaded.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg.argument.exporters import export_map
from kg.argument.map import Scope
from kg.graph.pipeline import build, validate
from kg.resources import ontology_dir
from kg.sparql.engines import open_engine
from kg.sparql.query import run_query as run_kg_query
from kg.views.ontology_docs import write_ontology_docs
from kg.views.render import page_graph, write_page
from kg.views.scheme import scheme_output
from kg.views.timeline import timeline_figure

from ..conftest import CORPUS, editor_endpoint, http_rows
from .conftest import CENTRE_ON, Watched, watched
from .hostile_corpus import (
    HOSTILE,
    HOSTILE_CLAIM,
    HOSTILE_NORM,
    HOSTILE_SENTENCE,
    HOSTILE_URL,
    PAYLOADS,
    SHOWN,
    hostile,
    make_hostile_corpus,
)

ILK = "https://w3id.org/ilkg/ontology#"
# Every field make_hostile_corpus fills, by its marker; the quote is the hostile sentence itself.
FIELDS = ("actor-name", "actor-alias", "actor-role", "event-label", "event-description", "event-alias",
          "norm-notation", "norm-label", "norm-definition", "norm-alias", "document-title",
          "document-genre", "document-note", "piece-title", "claim-note",
          "claim-proposition")
# What a payload would leave in the page if it became markup: fragments of the raw payloads.
LIVE = ("<script>window.__pwned", '<img src=x onerror="window', "<svg onload=", "<img src=x onerror=alert",
        '<a href="javascript:')
# Markdown reads '*' as emphasis: where text is Markdown (kg docs, a notebook's Markdown view of
# kg query -f md), the template marker is not shown as written.
SHOWN_IN_MARKDOWN = tuple(piece for piece in SHOWN if "*" not in piece)
# The claims of 3 January 2026, the hostile one among them: a page small enough to use all of it.
DAY = Scope.parse(since="2026-01-03", until="2026-01-03")
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')

# Installed before any page script: collects CSP violation reports (Playwright runs init scripts
# whatever the page's policy says).
RECORD = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI,
                                source: e.sourceFile, line: e.lineNumber });
});
window.__inertHandlers = 0;
const parse = DOMParser.prototype.parseFromString;
DOMParser.prototype.parseFromString = function (text, type) {
  const parsed = parse.call(this, text, type);
  for (const element of parsed.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      if (/^on/i.test(attribute.name)) window.__inertHandlers += 1;
    }
  }
  return parsed;
};
"""
# DOMPurify, inside Yasgui, sanitises each result by parsing it with DOMParser. That document is
# inert (nothing runs in it, and DOMPurify drops the handlers), but Chrome reports every
# event-handler attribute it meets there as a violation of the page's policy. RECORD counts those
# attributes: there may be that many reports of blocked inline handlers and no more.
INERT_REPORT = "Executing inline event handler violates"
# Everything in the page that data turned into markup would leave: event-handler attributes,
# javascript: URLs, srcdoc, frames, and executable scripts that mention a payload.
INJECTED = """() => {
  const found = [];
  const executable = ["", "text/javascript", "module", "application/javascript"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`${tag} ${name}="${attr.value}"`);
      if (/(^|:)(href|src|action|formaction|data|srcdoc)$/.test(name) && value.startsWith("javascript:")) {
        found.push(`${tag} ${name}="${attr.value}"`);
      }
      if (name === "srcdoc") found.push(`${tag} srcdoc`);
    }
    if (tag === "script" && executable.includes((el.getAttribute("type") || "").toLowerCase())
        && /__pwned/.test(el.textContent)) found.push(`script: ${el.textContent.slice(0, 80)}`);
    if (["iframe", "object", "embed", "frame"].includes(tag)) found.push(tag);
  }
  return found;
}"""


# --- the browser ---------------------------------------------------------------------------------


def local(url: str) -> bool:
    """file:// pages and servers on 127.0.0.1 (data: URLs never reach the router)."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme == "file" or (parts.scheme == "http" and parts.hostname == "127.0.0.1")


@dataclass
class Visit(Watched):
    """A page under hostile data; ``csp`` False: the server's Content-Security-Policy header is
    dropped on the way, to test escaping alone."""

    csp: bool = True

    def text(self, selector: str = "body") -> str:
        """What a reader sees in ``selector`` (innerText: no script or style contents)."""
        return self.page.inner_text(selector)

    def assert_safe(self) -> None:
        self.page.wait_for_timeout(200)  # an onerror or onload fires within a few milliseconds
        assert self.dialogs == [], f"the page opened dialogs: {self.dialogs}"
        assert self.js("typeof window.__pwned") == "undefined", "a payload ran"
        assert self.js(INJECTED) == []
        violations = self.js("window.__cspViolations")
        handlers = [v for v in violations if v["directive"] == "script-src-attr" and v["blocked"] == "inline"]
        assert [v for v in violations if v not in handlers] == []
        assert len(handlers) <= self.js("window.__inertHandlers"), "a handler outside DOMParser was blocked"
        assert self.outside == [], f"the page tried to reach the network: {self.outside}"
        errors = [e for e in self.errors if not e.startswith(INERT_REPORT)]
        assert errors == []
        assert len(self.errors) - len(errors) <= len(handlers)


def new_visit(browser, *, csp: bool):
    def forward(handled):
        url = handled.request.url
        if not csp and handled.request.resource_type == "document" and url.startswith("http"):
            response = handled.fetch()
            headers = {k: v for k, v in response.headers.items() if k.lower() != "content-security-policy"}
            handled.fulfill(response=response, headers=headers)
        else:
            handled.continue_()

    return watched(browser, lambda page: Visit(page, csp=csp), allowed=local, init_script=RECORD,
                   timeout_ms=20_000, forward=forward)


@pytest.fixture(params=[True, False], ids=["with-csp", "escaping-alone"])
def visit(request, browser):
    with new_visit(browser, csp=request.param) as seen:
        yield seen


def as_opened(visit: Visit, page: Path) -> Path:
    """``page`` as the visit should open it: a copy without its CSP when escaping alone is tested."""
    if visit.csp:
        return page
    html, removed = CSP_META.subn("", page.read_text(encoding="utf-8"))
    assert removed == 1, f"{page.name} has no Content-Security-Policy to remove"
    copy = page.with_name(f"no-csp-{page.name}")
    copy.write_text(html, encoding="utf-8")
    return copy


def assert_no_live_markup(text: str) -> None:
    for fragment in LIVE:
        assert fragment not in text, f"unescaped in the page source: {fragment}"


def flat(text: str) -> str:
    """``text`` with every run of white space (line breaks, U+2028, U+2029) as one space."""
    return " ".join(text.split())


def assert_shown(text: str, shown=SHOWN) -> None:
    for piece in shown:
        assert piece in flat(text), f"not shown as text: {piece}"


# --- the hostile corpus --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory) -> Path:
    return make_hostile_corpus(tmp_path_factory.mktemp("hostile") / "corpus")


@pytest.fixture(scope="module")
def engine(hostile_corpus):
    return open_engine("oxigraph", corpus_dir=hostile_corpus)


FIELD_QUERY = """
SELECT ?field (SAMPLE(?text) AS ?value) (COUNT(?text) AS ?count) WHERE {
  ?thing ?property ?text .
  FILTER(isLiteral(?text) && CONTAINS(STR(?text), "__pwned"))
  BIND(IF(STRSTARTS(STR(?text), "Hostile passage"), "quote",
          REPLACE(STR(?text), "^.*?\\\\[([a-z-]+)\\\\] <script>.*$", "$1", "s")) AS ?field)
}
GROUP BY ?field ORDER BY ?field
"""


def test_hostile_corpus_is_valid_and_reaches_every_field(hostile_corpus, engine):
    report = validate(hostile_corpus)
    assert report.stats.claims > 60
    fields = {str(row[0]): int(row[2].value) for row in engine.query(FIELD_QUERY).rows}
    assert set(fields) == {*FIELDS, "quote"}
    assert all(count > 0 for count in fields.values())
    quotes = engine.query(f"""SELECT ?exact WHERE {{ <https://w3id.org/ilkg/claim/{HOSTILE_CLAIM}>
        <{ILK}evidence>/<http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact> ?exact }}""")
    assert [str(row[0]) for row in quotes.rows] == [HOSTILE_SENTENCE]  # U+2028 and all, exactly


# --- kg render -----------------------------------------------------------------------------------


def hover(visit: Visit, node: str) -> str:
    """Move the mouse onto ``node`` of the render page; the text of the hover card that opens.

    Hostile names make long labels, and a label may cover a node beside it: the card is then the
    covering node's, whose text is as hostile.
    """
    visit.page.mouse.move(5, 5)
    point = visit.js(CENTRE_ON, [node, 1.5])
    visit.page.mouse.move(point["x"], point["y"], steps=2)
    tooltip = visit.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    title = visit.js("(id) => ilkg.nodes.get(id).card.title", point["top"]).strip().split("\n")[0][:30]
    visit.page.wait_for_function("(t) => document.querySelector('div.vis-tooltip').innerText.includes(t)",
                                 arg=title, timeout=5_000)  # a card built as HTML never shows it
    return tooltip.inner_text()


def click(visit: Visit, node: str) -> None:
    """Click ``node``; where a longer label covers it, the click selects that one: open it by id."""
    point = visit.js(CENTRE_ON, [node, 1.5])
    visit.page.mouse.click(point["x"], point["y"])
    assert visit.js("ilkg.network.getSelectedNodes()") == [point["top"]]
    if point["top"] != node:
        visit.js("(id) => ilkg.focusOn(id)", node)  # what --focus does: select, centre, show details
        assert visit.js("ilkg.network.getSelectedNodes()") == [node]


def test_render_page(engine, visit, tmp_path):
    assert_no_live_markup(write_page(engine, tmp_path / "all.html").read_text(encoding="utf-8"))
    # The claims of one day: every kind of node and of field, in a page small enough to hover and
    # click every node (escaping alone) or a few (with the policy) in a few seconds.
    written = write_page(engine, tmp_path / "hostile.html", focus=HOSTILE_CLAIM, scope=DAY)
    assert_no_live_markup(written.read_text(encoding="utf-8"))
    visit.page.goto(as_opened(visit, written).as_uri())
    visit.page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    nodes = sorted(page_graph(engine, DAY).nodes)
    assert visit.js("ilkg.network.body.nodeIndices.slice().sort()") == nodes
    assert visit.js("ilkg.network.getSelectedNodes()") == [f"claim:{HOSTILE_CLAIM}"]
    kinds = {node.partition(":")[0] for node in nodes}
    assert kinds == {"claim", "actor", "norm", "event"}
    cards = []
    for node in [f"claim:{HOSTILE_CLAIM}", "actor:USA", f"norm:{HOSTILE_NORM}"] if visit.csp else nodes:
        cards.append(hover(visit, node))
        click(visit, node)
        cards.append(visit.text("#details"))
    shown = flat("\n".join(cards))
    assert flat(HOSTILE_SENTENCE) in shown  # the quote, whole
    for marker in ("actor-name", "event-label", "norm-notation", "document-title"):
        assert f"[{marker}] {SHOWN[0]}" in shown, marker
    assert_shown(shown)
    # search for payloads; then choose every actor, norm and event in the filters
    for payload in PAYLOADS[:5]:
        visit.page.fill("#search", payload)
        visit.page.press("#search", "Enter")
        assert "match" in visit.text("#search-status")
    for control in ("actor", "norm", "event"):
        options = visit.js(f"[...document.querySelectorAll('#filter-{control} option')]"
                           ".map(o => [o.value, o.textContent])")[1:]
        assert options
        if control != "norm":  # norms of the shared catalogue keep their own names
            assert all(SHOWN[0] in text for _, text in options), control
        for value, _ in options[:6]:
            visit.page.select_option(f"#filter-{control}", value)
        visit.page.click("#reset")
    assert_shown(visit.text("#panel"))
    visit.assert_safe()


# --- kg serve: the editor page and its query results --------------------------------------------


@pytest.fixture(scope="module")
def endpoint(hostile_corpus):
    with editor_endpoint(hostile_corpus, workers=1) as running:
        yield running


ACTIVE = ".yasgui .tabPanel.active"
ALL_HOSTILE = """SELECT ?thing ?property ?text WHERE {
  ?thing ?property ?text FILTER(isLiteral(?text) && CONTAINS(STR(?text), "__pwned"))
} ORDER BY ?thing ?property ?text"""
# Yasr replaces {{name}} in a literal by the row's binding of ?name (its "mustache" feature), so
# the template marker is not shown as written in its table; everything else is.
SHOWN_IN_TABLE = tuple(piece for piece in SHOWN if "{{" not in piece)


def open_editor(visit: Visit, endpoint, fragment: str = "") -> None:
    response = visit.page.goto(f"{endpoint.url}/{fragment}")
    assert response.status == 200
    assert ("content-security-policy" in response.headers) == visit.csp
    visit.page.wait_for_selector("body[data-editor]")
    assert visit.page.get_attribute("body", "data-editor") == "ready", visit.text("#status")


def run_query(visit: Visit, query: str) -> str:
    """Type ``query`` into the open tab and run it; the text of Yasgui's result chip."""
    visit.js("(q) => window.ilkgYasgui.getTab().getYasqe().setValue(q)", query)
    chip = f"{ACTIVE} .yasr_response_chip"
    visit.js("(selector) => { document.querySelector(selector).textContent = ''; }", chip)
    visit.page.click(f"{ACTIVE} .yasqe_queryButton")
    visit.page.wait_for_function("(selector) => document.querySelector(selector).textContent.trim() !== ''",
                                 arg=chip)
    return visit.page.text_content(chip)


def show_table(visit: Visit) -> str:
    visit.page.click(f"{ACTIVE} .yasr .select_table")
    visit.page.wait_for_selector(f"{ACTIVE} .yasr table.dataTable tbody tr")
    return visit.text(f"{ACTIVE} .yasr_results")


def hover_all(visit: Visit, selector: str) -> int:
    """Move the mouse over (and so fire any mouseover handler of) every element ``selector`` finds."""
    elements = visit.page.locator(selector)
    for index in range(elements.count()):
        elements.nth(index).hover(force=True)  # the mouse goes there even if a child is on top
    return elements.count()


def test_scheme_page(engine, visit, tmp_path):
    """`kg scheme -f html`: the names and propositions of the hostile corpus are text, also after
    every control has been set (the labels are rewritten by the script)."""
    page = tmp_path / "force.html"
    page.write_text(scheme_output(engine, "prohibition-of-force", "html", quotes=True), encoding="utf-8")
    assert_no_live_markup(page.read_text(encoding="utf-8"))
    visit.page.goto(as_opened(visit, page).as_uri())
    visit.page.wait_for_selector("body[data-ready=true]")
    controls = visit.js("[...document.querySelectorAll('select.assumption')].map(s => s.dataset.element)")
    assert controls
    for element in controls:
        visit.page.select_option(f'select.assumption[data-element="{element}"]', "holds")
    visit.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    shown = visit.text()
    for marker in ("actor-name", "claim-proposition"):
        assert f"[{marker}] {SHOWN[0]}" in flat(shown), marker
    assert_shown(shown)
    visit.assert_safe()


def test_editor_shows_hostile_results_as_text(visit, endpoint):
    open_editor(visit, endpoint)
    # a saved query as a scholar runs it: every quote, the hostile one too, on one table page
    visit.page.locator("#saved-list .ilkg-saved-name", has_text="evidence").click()
    visit.page.click(f"{ACTIVE} .yasqe_queryButton")
    visit.page.wait_for_selector(f"{ACTIVE} .yasr_response_chip:not(.empty)")
    show_table(visit)
    visit.page.select_option(f"{ACTIVE} .tableSizer", "-1")
    assert "Hostile passage begins <script>window.__pwned=1</script>" in visit.text(f"{ACTIVE} .yasr_results")
    # one row per field of the corpus, each cell expanded, then the raw response
    expected = http_rows(endpoint, FIELD_QUERY)
    assert run_query(visit, FIELD_QUERY).startswith(f"{len(expected)} results")
    table = show_table(visit)
    for marker in FIELDS:
        assert f"[{marker}] {SHOWN[0]}" in table, marker
    assert "Hostile passage begins <script>window.__pwned=1</script>" in table
    assert_shown(table, SHOWN_IN_TABLE)
    hover_all(visit, f"{ACTIVE} .yasr tbody td:nth-child(3)")  # the values
    visit.page.fill(f"{ACTIVE} .yasr .tableFilter", SHOWN[1])  # the table's own search
    assert visit.page.locator(f"{ACTIVE} .yasr tbody tr").count() == len(FIELDS) + 1
    visit.page.click(f"{ACTIVE} .yasr .select_response")
    raw = visit.page.wait_for_selector(f"{ACTIVE} .yasr .CodeMirror").text_content()
    assert json.dumps(SHOWN[1], ensure_ascii=False)[1:-1] in raw  # JSON-escaped, as sent
    if not visit.csp:  # every hostile literal of the graph on one table page (slow: once is enough)
        rows = len(http_rows(endpoint, ALL_HOSTILE))
        assert run_query(visit, ALL_HOSTILE).startswith(f"{rows} results")
        show_table(visit)
        visit.page.select_option(f"{ACTIVE} .tableSizer", "-1")
        assert visit.page.locator(f"{ACTIVE} .yasr tbody tr").count() == rows
        assert_shown(visit.text(f"{ACTIVE} .yasr_results"), SHOWN_IN_TABLE)
    # The official text's URL goes into Yasr's single-quoted href='...' (Yasr does not escape it);
    # the loader refuses raw quotes in URLs, so the percent-encoded one stays whole and inert.
    run_query(visit, f"SELECT ?text WHERE {{ <https://w3id.org/ilkg/norm/{HOSTILE_NORM}> ?p ?text "
                     "FILTER(isIRI(?text) && STRSTARTS(STR(?text), 'https://example.org')) }")
    show_table(visit)
    [(href, text)] = visit.js(f"[...document.querySelectorAll('{ACTIVE} .yasr tbody a')]"
                              ".map(a => [a.getAttribute('href'), a.textContent])")
    assert href == HOSTILE_URL and text == HOSTILE_URL
    hover_all(visit, f"{ACTIVE} .yasr tbody a")
    visit.assert_safe()


CRAFTED = f"""SELECT ?text ?link ?typed WHERE {{
  VALUES (?text ?link ?typed) {{
    ("{hostile('crafted').replace('"', "'")}" <javascript:window.__pwned=1>
     "x"^^<javascript:window.__pwned=1>)
  }}
}}"""


def test_a_crafted_share_link_runs_no_script(visit, endpoint):
    """Yasgui runs a query from the link's #query=...: a link to hostile results is the real risk."""
    fragment = "#" + urllib.parse.urlencode({"query": CRAFTED, "tabTitle": hostile("tab")})
    open_editor(visit, endpoint, fragment)
    assert visit.page.wait_for_selector(f"{ACTIVE} .yasr_response_chip:not(.empty)").text_content() \
        .startswith("1 result")
    table = show_table(visit)
    assert "[crafted] <script>window.__pwned=1</script>" in table
    assert visit.page.text_content(".yasgui .tabsList .tab.active span") == hostile("tab")
    hover_all(visit, f"{ACTIVE} .yasr tbody td, {ACTIVE} .yasr tbody a")
    # a syntax error echoes the query line: the error view shows it as text
    run_query(visit, f"SELECT * WHERE {{ {SHOWN[0]} }}")
    assert SHOWN[0] in visit.text(f"{ACTIVE} .yasr_results")
    assert [e for e in visit.errors if "status of 400" in e] == visit.errors[-1:]  # the browser's note
    visit.errors.pop()
    visit.assert_safe()


def test_hostile_saved_queries_are_text(visit, endpoint):
    """Names, questions and query text of /queries.json, as a fork's saved queries could hold."""
    saved = [{"name": hostile("name"), "question": hostile("question"),
              "query": f"# {HOSTILE}\nSELECT ?x WHERE {{ BIND(\"{SHOWN[0]}\" AS ?x) }}"},
             {"name": SHOWN[1], "question": SHOWN[2], "query": "ASK {}"}]
    visit.page.route(f"{endpoint.url}/queries.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(saved)))
    open_editor(visit, endpoint)
    names = [query["name"] for query in saved]
    assert visit.page.locator("#saved-list .ilkg-saved-name").all_text_contents() == names
    assert visit.page.locator(".yasgui .tabsList .tab span").all_text_contents() == names
    assert visit.page.text_content("#question") == hostile("question")
    hover_all(visit, "#saved-list li, .yasgui .tabsList .tab")
    visit.page.locator("#saved-list .ilkg-saved-name").nth(1).click()
    assert visit.page.text_content("#question") == SHOWN[2]
    visit.page.locator("#saved-list .ilkg-saved-name").nth(0).click()
    visit.page.click(f"{ACTIVE} .yasqe_queryButton")
    visit.page.wait_for_selector(f"{ACTIVE} .yasr_response_chip:not(.empty)")
    assert SHOWN[0] in show_table(visit)
    visit.assert_safe()


# --- kg docs -------------------------------------------------------------------------------------


DOC_PROPERTIES = {RDFS.label: "label", RDFS.comment: "comment", SKOS.definition: "definition",
                  SKOS.scopeNote: "scope-note", DCTERMS.description: "description"}


@pytest.fixture(scope="module")
def hostile_ontology(tmp_path_factory) -> Path:
    """ilkg.ttl with the payloads in the ontology's metadata, every term's text and every stance's."""
    ontology = Graph().parse(ontology_dir() / "ilkg.ttl", format="turtle")
    ontology_iri = URIRef("https://w3id.org/ilkg/ontology")
    terms = sorted({s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(ILK)})
    for subject in [ontology_iri, *terms]:
        for predicate, name in DOC_PROPERTIES.items():
            ontology.add((subject, predicate, Literal(hostile(f"ontology-{name}"), lang="en")))
        ontology.add((subject, RDFS.label, Literal(hostile("ontology-label-es"), lang="es")))
    ontology.add((ontology_iri, DCTERMS.title, Literal(hostile("ontology-title"), lang="en")))
    for stance in ontology.subjects(RDF.type, URIRef(ILK + "Stance")):
        for predicate, name in ((SKOS.prefLabel, "stance-label"), (SKOS.definition, "stance-definition"),
                                (SKOS.scopeNote, "stance-scope-note")):
            ontology.set((stance, predicate, Literal(hostile(name), lang="en")))
        ontology.set((stance, SKOS.notation, Literal(hostile("stance-notation"))))
    target = tmp_path_factory.mktemp("ontology") / "hostile.ttl"
    ontology.serialize(target, format="turtle")
    return target


def strings(value) -> set[str]:
    """Every string in a decoded JSON value."""
    if isinstance(value, str):
        return {value}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return {text for item in items for text in strings(item)}


def test_docs_page(hostile_ontology, visit, tmp_path):
    written = write_ontology_docs(tmp_path / "ontology.html", source=hostile_ontology)
    html = written.read_text(encoding="utf-8")
    assert_no_live_markup(html)
    # the JSON-LD block is whole (a </script> in a title did not end it) and holds the hostile title
    [block] = re.findall(r'<script[^>]*application/ld\+json[^>]*>(.*?)</script>', html, re.DOTALL)
    assert hostile("ontology-title") in strings(json.loads(block))
    visit.page.goto(as_opened(visit, written).as_uri())
    height = visit.js("document.body.scrollHeight")
    for top in range(0, height, 2_500):
        visit.js("(y) => window.scrollTo(0, y)", top)
    links = visit.js("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    assert links and all(re.match(r"(https?://|#)", link) for link in links), links
    text = visit.text()
    for marker in ("ontology-title", "ontology-label", "ontology-comment", "ontology-definition",
                   "ontology-scope-note", "ontology-description", "ontology-label-es", "stance-label",
                   "stance-notation", "stance-definition", "stance-scope-note"):
        assert f"[{marker}] {SHOWN[0]}" in text, marker
    assert_shown(text, SHOWN_IN_MARKDOWN)
    # the Markdown link [md link](javascript:...) of the comments is text, not a link
    assert "md link" in text
    assert visit.js("[...document.querySelectorAll('a')].filter(a => a.textContent.trim() === 'md link')"
                    ".length") == 0
    visit.assert_safe()


# Addresses an ontology may hold that must never become a link or a fetch on the kg docs page.
NON_WEB_ADDRESSES = ("javascript:window.__pwned=1", "JAVASCRIPT:alert(1)", "data:text/html,%3Cscript%3Ex",
                     "vbscript:msgbox(1)", "file:///etc/passwd")
MARKDOWN_IMAGES = "See ![i](https://evil.example/x.png) and ![j](data:image/png;base64,iVBORw0KGgo=) " \
                  "and [a page](https://w3id.org/ilkg/) and <https://w3id.org/ilkg/>."


def test_docs_page_links_to_web_pages_only_and_fetches_nothing(visit, tmp_path):
    """Issue 13 item 16: ``rdfs:isDefinedBy <javascript:...>`` became a link and the Markdown
    image ``![i](https://evil.example/x.png)`` an <img>; the page's policy blocked both, but the
    page itself must hold neither (tested here also with the policy removed)."""
    ontology = Graph().parse(ontology_dir() / "ilkg.ttl", format="turtle")
    terms = [URIRef("https://w3id.org/ilkg/ontology"), URIRef(ILK + "Claim"), URIRef(ILK + "claimant")]
    for term in terms:
        for address in NON_WEB_ADDRESSES:
            ontology.add((term, RDFS.isDefinedBy, URIRef(address)))
            ontology.add((term, RDFS.seeAlso, URIRef(address)))
        ontology.add((term, RDFS.comment, Literal(MARKDOWN_IMAGES, lang="en")))
    source = tmp_path / "addresses.ttl"
    ontology.serialize(source, format="turtle")
    written = write_ontology_docs(tmp_path / "ontology.html", source=source)
    visit.page.goto(as_opened(visit, written).as_uri())
    addresses = visit.js("""[...document.querySelectorAll('*')].flatMap((el) => [...el.attributes]
        .filter((a) => /(^|:)(href|src|srcset|action|formaction|poster|data|background)$/i.test(a.name))
        .map((a) => [el.tagName.toLowerCase(), a.name, a.value]))""")
    for tag, name, value in addresses:
        if (tag, name) in (("img", "src"), ("link", "href")):
            assert value.startswith("data:image/png;base64,"), (tag, name, value)  # pyLODE's own icons
        else:
            assert (tag, name) == ("a", "href") and re.match(r"(https?://|#)", value), (tag, name, value)
    assert visit.js("document.querySelectorAll('img').length") == 0
    text = visit.text()
    for address in ("javascript:window.__pwned=1", "JAVASCRIPT:alert(1)", "vbscript:msgbox(1)"):
        assert address in text  # shown, as text
        for element in visit.page.get_by_text(address, exact=True).all():
            element.click()
    assert "See i and j and a page and https://w3id.org/ilkg/." in flat(text)  # images as their alt text
    assert visit.page.url == as_opened(visit, written).as_uri()
    visit.assert_safe()  # nothing ran, nothing was fetched (the policy removed or not)


# --- outputs opened as pages: kg export -f svg, kg timeline, kg query -f md ------------------------


@pytest.fixture
def plain_visit(browser):
    """A drawing or a Markdown table has no policy of its own to remove: one visit, as written."""
    with new_visit(browser, csp=True) as seen:
        yield seen


def test_argument_map_svg(hostile_corpus, plain_visit, tmp_path):
    visit = plain_visit
    assert_no_live_markup(export_map("svg", tmp_path / "all.svg", corpus_dir=hostile_corpus)
                          .read_text(encoding="utf-8"))
    drawn = export_map("svg", tmp_path / "map.svg", corpus_dir=hostile_corpus, scope=DAY)
    visit.page.goto(drawn.as_uri())
    assert hover_all(visit, "g.node") > 10
    tooltips = visit.js("[...document.querySelectorAll('a')].map(a => a.getAttribute('xlink:title') || '')")
    assert any(HOSTILE_SENTENCE.split("\u2028")[0] in tip for tip in tooltips)
    links = visit.js("[...document.querySelectorAll('a[*|href]')].map(a => a.getAttribute('xlink:href'))")
    assert len(links) > 10 and all(link.startswith("https://w3id.org/ilkg/claim/") for link in links)
    labels = visit.js("document.documentElement.textContent")  # wrapped at spaces, 44 a line
    assert "[actor-name]" in labels and "<script>window.__pwned=1</script>" in labels
    visit.assert_safe()


# Claim IRIs that a graph read with --data may hold, each as a link would run or open it.
NON_WEB_IRIS = {
    "unsg-rules-not-respected": "javascript:window.__pwned=1//unsg-rules-not-respected",
    "unsg-full-respect-international-law": "JaVaScRiPt:alert(1)//unsg-full-respect-international-law",
    "ven-moncada-art-2-4": "data:text/html,%3Cscript%3Ewindow.__pwned=1%3C/script%3E//ven-moncada-art-2-4",
}


def with_claim_iris(source: Path, target: Path, iris: dict[str, str]) -> Path:
    """``source`` (a built graph) with the claims ``iris`` names renamed to the IRIs given."""
    graph = Graph().parse(source, format="turtle")
    renamed = {URIRef(f"https://w3id.org/ilkg/claim/{claim}"): URIRef(iri) for claim, iri in iris.items()}
    for triple in list(graph):
        if any(term in renamed for term in triple):
            graph.remove(triple)
            graph.add(tuple(renamed.get(term, term) for term in triple))
    graph.serialize(target, format="turtle")
    return target


def test_a_claim_iri_that_is_not_http_is_no_link(plain_visit, tmp_path):
    """Issue 13 item 5: ``kg export -f svg --data evil.ttl`` made <javascript:alert(1)//x> an
    xlink:href, and clicking the node in Chromium ran it. Only http(s) IRIs become links; the
    others are in the hover text, as text."""
    visit = plain_visit
    built = build(CORPUS, tmp_path / "good.ttl").output
    evil = with_claim_iris(built, tmp_path / "evil.ttl", NON_WEB_IRIS)
    dot = export_map("dot", tmp_path / "map.dot", data=evil, scope=DAY).read_text(encoding="utf-8")
    urls = re.findall(r'URL="([^"]*)"', dot)
    assert len(urls) > 3 and all(url.startswith("https://w3id.org/ilkg/claim/") for url in urls)
    drawn = export_map("svg", tmp_path / "map.svg", data=evil, scope=DAY)
    visit.page.goto(drawn.as_uri())
    links = visit.js("[...document.querySelectorAll('a[*|href]')].map(a => a.getAttribute('xlink:href'))")
    assert len(links) > 3 and all(link.startswith("https://w3id.org/ilkg/claim/") for link in links)
    titles = visit.js("[...document.querySelectorAll('g.node a')].map(a => a.getAttribute('xlink:title'))")
    for iri in NON_WEB_IRIS.values():
        assert len([t for t in titles if t.startswith(iri + "\n")]) == 1  # the IRI as text, in the hover text
    for iri in NON_WEB_IRIS.values():
        point = visit.js(CENTRE_OF_NODE, iri)
        assert point["hit"], iri  # the click lands on the node itself
        visit.page.mouse.click(point["x"], point["y"])
        visit.page.wait_for_timeout(200)
        assert visit.page.url == drawn.as_uri()  # nothing opened or navigated
    visit.assert_safe()


# The centre of the drawn node whose hover text starts with an IRI, scrolled into view, and whether
# the element there belongs to that node.
CENTRE_OF_NODE = """(iri) => {
  const node = [...document.querySelectorAll("g.node")].find(
    (g) => (g.querySelector("a")?.getAttribute("xlink:title") || "").startsWith(iri + "\\n"));
  node.scrollIntoView({ block: "center", inline: "center" });
  const box = node.querySelector("polygon, path").getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  return { x, y, hit: document.elementFromPoint(x, y)?.closest("g.node") === node };
}"""


def test_timeline_svg(hostile_corpus, plain_visit, tmp_path):
    visit = plain_visit
    drawn = timeline_figure(tmp_path / "timeline.svg", corpus_dir=hostile_corpus, scope=DAY)
    assert_no_live_markup(drawn.read_text(encoding="utf-8"))
    visit.page.goto(drawn.as_uri())
    labels = visit.js("document.documentElement.textContent")
    assert "<script>window.__pwned=1</script>" in labels
    assert "$\\frac{1$ and $x^2$" in labels  # as written, not typeset (nor an error) as mathtext
    visit.assert_safe()


def test_markdown_tables_render_as_text(hostile_corpus, plain_visit, tmp_path):
    """``kg query -f md`` as a notebook shows it: Markdown made HTML by a renderer that keeps HTML."""
    import markdown

    tables = [run_kg_query(name, expression=expression, fmt="md", corpus_dir=hostile_corpus)
              .body.decode()
              for name, expression in (("who-invokes-what-against-whom", None), (None, FIELD_QUERY))]
    page = tmp_path / "tables.html"
    page.write_text("<!DOCTYPE html><meta charset=utf-8><body>" + "".join(
        markdown.markdown(table, extensions=["tables"]) for table in tables), encoding="utf-8")
    visit = plain_visit
    visit.page.goto(page.as_uri())
    assert visit.page.locator("table tbody tr").count() > 30
    text = visit.text()
    assert f"[actor-name] {SHOWN[0]}" in text  # a label, from the label map
    for marker in FIELDS:
        assert f"[{marker}] {SHOWN[0]}" in text, marker
    assert_shown(text, SHOWN_IN_MARKDOWN)
    assert "[md link](javascript:window.__pwned=1)" in text
    assert visit.page.locator("a, img, svg").count() == 0
    visit.assert_safe()


def test_mermaid_labels_hold_no_markup(hostile_corpus, tmp_path):
    """Mermaid draws labels as HTML: every '<', '&' and '"' of the data is an entity code."""
    text = export_map("mermaid", tmp_path / "map.mmd", corpus_dir=hostile_corpus).read_text(encoding="utf-8")
    labels = re.findall(r'^  n\d+\["(.*)"\]$', text, re.MULTILINE)
    assert len(labels) > 60
    assert any("#60;script#62;window.__pwned=1#60;/script#62;" in label for label in labels)
    for label in labels:
        assert not re.search(r'[<>&"]', label.replace("<br/>", "")), label
