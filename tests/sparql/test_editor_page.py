"""The query editor at ``/`` of ``kg serve``, in a real headless Chromium driven by Playwright.

The endpoint runs in-process on 127.0.0.1; every request the browser makes to any other host is
blocked and recorded, and each test asserts there was none: the page must work with no internet.
The page is served under the endpoint's Content-Security-Policy, and a violation of it fails the
test. These tests need the set-up's browser pieces and never skip without them: Debian's
``chromium`` (``apt-get install -y chromium``), Playwright for Python (the ``test`` extra) and
Yasgui from npm (``make editor`` at the top of the checkout). No browser is ever downloaded.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import pytest

from kg.graph.namespaces import QUERY_PREFIXES
from kg.sparql.endpoint import EndpointConfig, open_endpoint

from ..conftest import CORPUS, RECORD_CSP, editor_endpoint, http_rows

PAGE_SIZE = 50  # rows per page of Yasgui's table
CLAIM_COUNT = "SELECT (COUNT(?claim) AS ?claims) WHERE { ?claim a <https://w3id.org/ilkg/ontology#Claim> }"
ACTIVE = ".yasgui .tabPanel.active"


@pytest.fixture(scope="module")
def endpoint():
    with editor_endpoint(CORPUS, workers=2) as running:
        yield running


@dataclass
class Visit:
    """A page of a fresh browser context, with what went wrong on it."""

    page: object
    origin: str
    outside: list[str] = field(default_factory=list)  # requests to other hosts, blocked
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        recorded = self.page.evaluate("window.__cspViolations || []")
        return recorded + [text for text in self.console_errors if "Content Security Policy" in text]

    def assert_clean(self) -> None:
        assert self.outside == [], f"the page tried to reach other hosts: {self.outside}"
        assert self.csp_violations() == []
        assert self.console_errors == []


@pytest.fixture
def visit(browser, endpoint):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")
    page = context.new_page()
    seen = Visit(page, endpoint.url)

    def only_loopback(route):
        url = route.request.url
        if url.startswith(endpoint.url + "/"):
            route.continue_()
        else:
            seen.outside.append(url)
            route.abort()

    context.route("**/*", only_loopback)
    context.add_init_script(RECORD_CSP)
    context.on("request", lambda request: seen.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and seen.console_errors.append(message.text))
    page.on("pageerror", lambda error: seen.console_errors.append(f"uncaught: {error}"))
    page.set_default_timeout(15_000)
    yield seen
    context.close()


def open_editor(visit: Visit):
    response = visit.page.goto(visit.origin + "/")
    assert response.status == 200
    visit.page.wait_for_selector("body[data-editor]")
    assert visit.page.get_attribute("body", "data-editor") == "ready", visit.page.text_content("#status")
    return response


def saved_queries(endpoint) -> list[dict]:
    with urllib.request.urlopen(f"{endpoint.url}/queries.json", timeout=30) as response:
        return json.load(response)


def run_active_tab(page) -> int:
    """Click Yasgui's run button in the open tab; the number of results it reports."""
    page.click(f"{ACTIVE} .yasqe_queryButton")
    chip = page.wait_for_selector(f"{ACTIVE} .yasr_response_chip:not(.empty)")
    match = re.match(r"(\d+) results?\b", chip.text_content())
    assert match, chip.text_content()
    page.wait_for_selector(f"{ACTIVE} .yasr table.dataTable tbody tr")
    return int(match.group(1))


def table_rows(page) -> int:
    return page.locator(f"{ACTIVE} .yasr table.dataTable tbody tr").count()


PIXEL_STATS = """async (b64) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext("2d");
  context.drawImage(bitmap, 0, 0);
  const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const counts = new Map();
  for (let i = 0; i < data.length; i += 4) {
    const colour = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    counts.set(colour, (counts.get(colour) || 0) + 1);
  }
  const pixels = data.length / 4;
  return { width: bitmap.width, height: bitmap.height, colours: counts.size,
           background: Math.max(...counts.values()) / pixels };
}"""


def test_page_loads_offline_under_csp(visit, endpoint):
    response = open_editor(visit)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    page = visit.page
    assert page.text_content("h1") == "ilkg — International-Law Knowledge Graph — SPARQL"
    link = page.locator("#endpoint-link")
    assert link.get_attribute("href") == link.text_content() == f"{endpoint.url}/sparql"
    assert page.is_hidden("#status")
    assert {url.split("?")[0] for url in visit.requests} >= {
        f"{endpoint.url}/static/yasgui/yasgui.min.js", f"{endpoint.url}/static/yasgui/yasgui.min.css",
        f"{endpoint.url}/static/ilkg/editor.js", f"{endpoint.url}/static/ilkg/editor.css",
        f"{endpoint.url}/queries.json"}
    # Yasgui starts fresh on every load: nothing kept from a previous visit.
    assert page.evaluate("Object.keys(window.localStorage)") == []
    visit.assert_clean()


def test_one_tab_per_saved_query(visit, endpoint):
    open_editor(visit)
    page = visit.page
    queries = saved_queries(endpoint)
    assert len(queries) > 1
    names = [query["name"] for query in queries]
    questions = [query["question"] for query in queries]
    tabs = page.locator(".yasgui .tabsList .tab a[role=tab]")
    assert tabs.evaluate_all("links => links.map(a => a.querySelector('span').textContent)") == names
    assert tabs.evaluate_all("links => links.map(a => a.title)") == questions
    assert page.locator("#saved-list .ilkg-saved-name").all_text_contents() == names
    assert page.locator("#saved-list .ilkg-saved-question").all_text_contents() == questions
    # the first is open, its question shown above the editor and its query in the editor
    assert page.text_content(".yasgui .tabsList .tab.active span") == names[0]
    assert page.text_content("#question") == questions[0]
    assert page.evaluate("window.ilkgYasgui.getTab().getYasqe().getValue()") == queries[0]["query"]
    # choosing another from the list opens its tab
    page.locator("#saved-list .ilkg-saved-name", has_text=names[-1]).click()
    assert page.text_content(".yasgui .tabsList .tab.active span") == names[-1]
    assert page.text_content("#question") == questions[-1]
    visit.assert_clean()


def test_running_saved_queries_shows_their_rows(visit, endpoint):
    open_editor(visit)
    page = visit.page
    queries = saved_queries(endpoint)
    for index in (0, len(queries) - 1):  # the one open on load, then the last via its tab
        query = queries[index]
        if index:
            page.click(f".yasgui .tabsList .tab a[href='#saved-{index}']")
        expected = len(http_rows(endpoint, query["query"]))
        assert expected > 0, query["name"]
        assert run_active_tab(page) == expected, query["name"]
        assert table_rows(page) == min(expected, PAGE_SIZE), query["name"]
    posts = [url for url in visit.requests if url.startswith(f"{endpoint.url}/sparql")]
    assert len(posts) == 2
    visit.assert_clean()


def test_custom_query_typed_in_a_new_tab_runs(visit, endpoint):
    open_editor(visit)
    page = visit.page
    tab_count = page.locator(".yasgui .tabsList .tab").count()
    page.click(".yasgui .tabsList .addTab")
    assert page.locator(".yasgui .tabsList .tab").count() == tab_count + 1
    page.click(f"{ACTIVE} .CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(CLAIM_COUNT)
    page.keyboard.press("Escape")
    assert page.evaluate("window.ilkgYasgui.getTab().getYasqe().getValue()") == CLAIM_COUNT
    [expected] = http_rows(endpoint, CLAIM_COUNT)
    assert run_active_tab(page) == 1
    cells = page.locator(f"{ACTIVE} .yasr table.dataTable tbody tr td").all_text_contents()
    assert int(expected["claims"]["value"]) > 10
    assert cells == ["1", f'"{expected["claims"]["value"]}"^^xsd:integer']
    visit.assert_clean()


def test_shared_link_runs_against_this_server(visit, endpoint):
    """Yasgui's share links (#query=...&endpoint=...) open here, never against the endpoint named."""
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 7"
    fragment = urllib.parse.urlencode({"query": query, "endpoint": "https://dbpedia.org/sparql",
                                       "tabTitle": "shared"})
    visit.page.goto(f"{endpoint.url}/#{fragment}")
    chip = visit.page.wait_for_selector(f"{ACTIVE} .yasr_response_chip:not(.empty)")
    assert chip.text_content().startswith("7 results")
    assert visit.page.text_content(".yasgui .tabsList .tab.active span") == "shared"
    assert visit.page.evaluate("window.ilkgYasgui.getTab().getEndpoint()") == f"{endpoint.url}/sparql"
    assert visit.page.locator(".yasgui .tabsList .tab").count() == len(saved_queries(endpoint)) + 1
    visit.assert_clean()


def test_data_is_shown_as_text(visit, endpoint):
    """Names, questions and queries from /queries.json never become markup."""
    hostile = "<img src=x onerror=\"document.title='pwned'\"><b>bold</b>"
    payload = json.dumps([{"name": hostile, "question": hostile, "query": f"# {hostile}\nASK {{}}"}])
    visit.page.route(f"{endpoint.url}/queries.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body=payload))
    open_editor(visit)
    page = visit.page
    assert page.text_content(".yasgui .tabsList .tab span") == hostile
    assert page.text_content("#saved-list .ilkg-saved-name") == hostile
    assert page.text_content("#question") == hostile
    assert page.locator("img").count() == 0
    assert page.locator("header b, main b").count() == 0
    assert page.title() == "ilkg — SPARQL"
    visit.assert_clean()


@pytest.fixture(scope="module")
def without_yasgui():
    """``kg serve`` in a checkout where ``make editor`` never ran: ``make build`` needs no Node."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("kg.resources.yasgui_dir", lambda: None)
        running = open_endpoint(EndpointConfig(port=0, workers=1), corpus_dir=CORPUS).start()
    yield running
    running.close()


def test_a_server_without_yasgui_says_which_command_installs_it(without_yasgui):
    for name in ("yasgui.min.js", "yasgui.min.css"):
        request = urllib.request.Request(f"{without_yasgui.url}/static/yasgui/{name}")
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(request, timeout=30)
        assert answer.value.code == 404
        assert answer.value.read().decode("utf-8").strip() == (
            "Yasgui is not installed: run `make editor` (or `npm ci`) at the top of the ilkg checkout, "
            "then restart `kg serve`")
    with urllib.request.urlopen(f"{without_yasgui.url}/sparql?query=ASK%7B%7D", timeout=30) as answer:
        assert answer.status == 200  # the endpoint itself needs no Yasgui


def test_kg_serve_says_which_command_installs_yasgui(monkeypatch):
    from click.testing import CliRunner

    from kg.cli import cli
    from kg.sparql.endpoint import Endpoint

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr("kg.resources.yasgui_dir", lambda: None)
    monkeypatch.setattr(Endpoint, "serve_forever", interrupted)
    done = CliRunner().invoke(cli, ["serve", "--port", "0", "--workers", "1", "--corpus", str(CORPUS)],
                              catch_exceptions=False)
    assert done.exit_code == 0
    assert "query editor:    http://127.0.0.1:" in done.stdout
    assert "warning: Yasgui is not installed: run `make editor` (or `npm ci`)" in done.stderr


def test_missing_yasgui_is_explained(visit, endpoint, without_yasgui):
    """Without ``make editor`` the server answers 404 for Yasgui's files (the answer of a server
    without them, replayed); the page says what to do."""
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(f"{without_yasgui.url}/static/yasgui/yasgui.min.js", timeout=30)
    missing = {"status": answer.value.code, "content_type": answer.value.headers["Content-Type"],
               "body": answer.value.read()}
    for name in ("yasgui.min.js", "yasgui.min.css"):
        visit.page.route(f"{endpoint.url}/static/yasgui/{name}", lambda route: route.fulfill(**missing))
    visit.page.goto(endpoint.url + "/")
    visit.page.wait_for_selector("body[data-editor]")
    assert visit.page.get_attribute("body", "data-editor") == "missing"
    status = visit.page.locator("#status").text_content()
    assert visit.page.is_visible("#status")
    assert "not installed" in status and "run `make editor` (or `npm ci`)" in status
    assert visit.page.is_hidden(".ilkg-layout")
    assert visit.outside == []
    # the only errors are the two files that failed to load
    assert visit.console_errors and all("404" in e or "MIME type" in e for e in visit.console_errors)


def test_screenshot_is_not_blank(visit, endpoint, browser, tmp_path):
    open_editor(visit)
    run_active_tab(visit.page)
    shot = tmp_path / "editor.png"
    visit.page.screenshot(path=str(shot))
    visit.assert_clean()
    data = shot.read_bytes()
    assert len(data) > 40_000, f"a near-empty PNG ({len(data)} bytes): the page did not render"
    # Decode it in a blank page of its own (no server, no network) and look at the pixels.
    scratch = browser.new_page()
    try:
        stats = scratch.evaluate(PIXEL_STATS, base64.b64encode(data).decode("ascii"))
    finally:
        scratch.close()
    assert (stats["width"], stats["height"]) == (1400, 1000)
    assert stats["colours"] > 50, stats
    assert stats["background"] < 0.95, f"{stats}: mostly one colour"


def set_query(page, text: str) -> None:
    page.evaluate("text => window.ilkgYasgui.getTab().getYasqe().setValue(text)", text)


def test_predefined_prefixes_need_no_declaration_in_the_editor(visit, endpoint):
    """The editor's syntax check knows the server's predefined prefixes (/prefixes.json): a query
    using ilk: undeclared is valid, runs, and gives what the full IRI gives."""
    open_editor(visit)
    page = visit.page
    page.click(".yasgui .tabsList .addTab")
    set_query(page, CLAIM_COUNT.replace("<https://w3id.org/ilkg/ontology#Claim>", "ilk:Claim"))
    assert page.evaluate("window.ilkgYasgui.getTab().getYasqe().queryValid") is True
    assert page.locator(f"{ACTIVE} .parseErrorIcon").count() == 0
    [expected] = http_rows(endpoint, CLAIM_COUNT)
    assert run_active_tab(page) == 1
    cells = page.locator(f"{ACTIVE} .yasr table.dataTable tbody tr td").all_text_contents()
    assert cells == ["1", f'"{expected["claims"]["value"]}"^^xsd:integer']
    # a prefix neither declared nor predefined is still marked, and a declared one still counts
    set_query(page, "SELECT ?c WHERE { ?c a ilkk:Claim }")
    assert page.evaluate("window.ilkgYasgui.getTab().getYasqe().queryValid") is False
    set_query(page, "PREFIX ilkk: <urn:x:>\nSELECT ?c WHERE { ?c a ilkk:Claim }")
    assert page.evaluate("window.ilkgYasgui.getTab().getYasqe().queryValid") is True
    assert f"{endpoint.url}/prefixes.json" in visit.requests
    visit.assert_clean()


def test_the_link_to_the_endpoint_describes_it(visit, endpoint):
    """Regression: the header's link to /sparql answered 400 "give exactly one 'query' parameter"."""
    open_editor(visit)
    page = visit.page
    with page.expect_navigation():
        page.click("#endpoint-link")
    assert page.url == f"{endpoint.url}/sparql"
    assert "read-only SPARQL 1.1 endpoint" in page.text_content("h1")
    assert page.locator("table tr").count() == len(QUERY_PREFIXES)
    with page.expect_navigation():
        page.click("text=query editor")
    page.wait_for_selector("body[data-editor=ready]")
    visit.assert_clean()
