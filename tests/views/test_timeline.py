"""``kg timeline``: the figure of claims over time, as PNG and SVG, byte-identical for one input.

What the chart should plot is checked on :func:`kg.views.timeline.marks` (every claim of the scope in
exactly one mark) and counted again in the SVG, where each mark is a group with an id
``claims-<claimant>-<stance>-<date>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import matplotlib
import networkx as nx
import pytest
from click.testing import CliRunner

from kg.argument.map import Scope, argument_map
from kg.cli import cli
from kg.errors import QueryError, SetupError
from kg.sparql.engines import open_engine
from kg.views.timeline import (
    EventMark,
    Mark,
    claimant_rows,
    events,
    extent,
    figure_bytes,
    lanes,
    marks,
    panels,
    write_timeline,
)

from ..conftest import CORPUS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def engine():
    return open_engine("oxigraph", corpus_dir=CORPUS)


@pytest.fixture(scope="module")
def figures(engine, tmp_path_factory):
    """The whole corpus's timeline, drawn once in each format."""
    folder = tmp_path_factory.mktemp("timeline")
    return {suffix: write_timeline(engine, folder / "out" / f"timeline{suffix}")
            for suffix in (".png", ".svg")}


@pytest.fixture(scope="module")
def svg_file(figures):
    return figures[".svg"]


def svg_root(path) -> ET.Element:
    return ET.parse(path).getroot()  # noqa: S314 - our own output, parsed to check it


def svg_texts(path) -> str:
    """Every piece of text the SVG shows, one per line (the file must parse as XML)."""
    root = svg_root(path)
    return "\n".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def mark_ids(path) -> list[str]:
    root = svg_root(path)
    return [g.get("id") for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("claims-")]


# --- the files --------------------------------------------------------------------------------


def test_png_is_written(figures):
    path = figures[".png"]
    assert path.name == "timeline.png"
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert b"Software" not in data  # no matplotlib version in the metadata
    # and no temporary file is left beside it
    assert sorted(p.name for p in path.parent.iterdir()) == ["timeline.png", "timeline.svg"]


def test_svg_shows_claimant_names_and_event_labels_as_text(svg_file, corpus):
    texts = svg_texts(svg_file)
    for claimant in ("Amnesty International", "United States of America", "Venezuela", "Blitz",
                     "Non-Aligned Movement"):
        assert claimant in texts
    for event in ("US military build-up in the Caribbean",
                  "US attack on Venezuela and capture of Nicolás Maduro, 3 January 2026"):
        assert event in texts
    for stance in ("alleges violation", "justifies", "rejects justification"):
        assert stance in texts
    assert f"{len(corpus.claims)} claims" in texts  # as many as the annotations have
    assert "<dc:date>" not in svg_file.read_text(encoding="utf-8")


def test_every_claim_is_in_one_mark_and_every_mark_is_drawn(engine, svg_file):
    graph = argument_map(engine)
    found = marks(graph)
    assert sorted(c for m in found for c in m.claims) == sorted(graph.nodes)
    ids = mark_ids(svg_file)
    assert len(ids) == len(set(ids)) == len(found)
    assert "claims-USA-Justifies-2025-10" in ids  # the US Article 51 justification of October 2025


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_same_input_gives_the_same_bytes(engine, figures, tmp_path, suffix):
    assert write_timeline(engine, tmp_path / f"again{suffix}").read_bytes() == figures[suffix].read_bytes()


def test_both_engines_draw_the_same_figure(engine, tmp_path):
    reference = open_engine("rdflib", corpus_dir=CORPUS)
    scope = Scope.parse(event="us-boat-strikes")
    ours = write_timeline(engine, tmp_path / "oxigraph.svg", scope=scope).read_bytes()
    theirs = write_timeline(reference, tmp_path / "rdflib.svg", scope=scope).read_bytes()
    assert ours == theirs


def test_drawing_leaves_matplotlibs_settings_alone(engine, tmp_path):
    backend, salt = matplotlib.get_backend(), matplotlib.rcParams["svg.hashsalt"]
    write_timeline(engine, tmp_path / "t.svg")
    assert (matplotlib.get_backend(), matplotlib.rcParams["svg.hashsalt"]) == (backend, salt)


@pytest.mark.parametrize("name", ["timeline.pdf", "timeline.jpg", "timeline"])
def test_other_extensions_are_refused_with_the_ones_that_work(engine, tmp_path, name):
    with pytest.raises(SetupError, match=r"\.png, \.svg"):
        write_timeline(engine, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_upper_case_extension_is_accepted(engine, tmp_path):
    assert write_timeline(engine, tmp_path / "T.PNG").read_bytes().startswith(PNG_SIGNATURE)


def test_a_scope_without_claims_is_an_error_not_an_empty_figure(engine, tmp_path):
    with pytest.raises(QueryError, match="no claims"):
        write_timeline(engine, tmp_path / "t.png", scope=Scope.parse(since="2030"))
    assert not (tmp_path / "t.png").exists()


# --- scopes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("scope", [
    Scope.parse(event="us-boat-strikes"),
    Scope.parse(actor="USA"),
    Scope.parse(norm="un-charter-art-51"),
    Scope.parse(since="2026-01", until="2026-01"),
])
def test_a_scope_draws_only_its_claims(engine, tmp_path, scope):
    full = sum(len(m.claims) for m in marks(argument_map(engine)))
    scoped_graph = argument_map(engine, scope)
    found = marks(scoped_graph)
    assert sorted(c for m in found for c in m.claims) == sorted(scoped_graph.nodes)
    assert 0 < len(scoped_graph) < full
    path = write_timeline(engine, tmp_path / "scoped.svg", scope=scope)
    assert len(mark_ids(path)) == len(found)


def test_scope_is_named_under_the_title(engine, tmp_path):
    path = write_timeline(engine, tmp_path / "t.svg", scope=Scope.parse(event="us-boat-strikes",
                                                                       since="2025-09"))
    assert "scope: event us-boat-strikes; since 2025-09" in svg_texts(path)


def test_events_come_from_the_graph_with_their_dates(engine, corpus):
    found = {e.event: e for e in events(engine)}
    label = "US strikes on alleged drug-trafficking boats in the Caribbean and eastern Pacific"
    assert found["us-boat-strikes"] == EventMark("us-boat-strikes", label, "2025-09-02", None)
    assert found["us-marine-exercises-trinidad-2025-11"].when == "2025-11-16 to 2025-11-21"
    assert set(found) == set(corpus.events)  # every event of the catalogue, each once


# --- the pure parts, on small hand-made maps --------------------------------------------------


def claim_map(*claims: tuple) -> nx.DiGraph:
    """A map of (claim id, claimant, stance, date[, against]) with the attributes argument_map
    gives; ``against`` is a list of (actor id, name)."""
    graph = nx.DiGraph()
    for claim, claimant, stance, when, *against in claims:
        parties = against[0] if against else []
        graph.add_node(claim, claimant=claimant, claimant_label=claimant.upper(), stance=stance,
                       stance_label=stance.lower(), date=when, against_ids=[p for p, _ in parties],
                       against=[name for _, name in parties])
    return graph


def test_claims_of_one_claimant_stance_and_date_share_a_mark():
    found = marks(claim_map(("b", "ven", "Justifies", "2025-10"), ("a", "ven", "Justifies", "2025-10"),
                            ("c", "ven", "Justifies", "2025-09-30"), ("d", "usa", "Justifies", "2025-10")))
    assert [(m.claimant, m.date, m.claims) for m in found] == [
        ("ven", "2025-09-30", ("c",)), ("ven", "2025-10", ("a", "b")), ("usa", "2025-10", ("d",))]


@pytest.mark.parametrize(("text", "precision", "first", "last"), [
    ("2025-10-09", "day", date(2025, 10, 9), date(2025, 10, 9)),
    ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
    ("2025", "year", date(2025, 1, 1), date(2025, 12, 31)),
])
def test_a_mark_covers_the_days_its_date_can_mean(text, precision, first, last):
    mark = Mark("x", "X", "Justifies", "justifies", text, ("c",))
    assert (mark.precision, mark.first, mark.last) == (precision, first, last)


@pytest.mark.parametrize(("start", "end", "exact", "first", "last"), [
    ("2025-09-02", None, True, date(2025, 9, 2), date(2025, 9, 2)),
    ("2025-11-16", "2025-11-21", True, date(2025, 11, 16), date(2025, 11, 21)),
    ("2025-12", None, False, date(2025, 12, 1), date(2025, 12, 31)),
    ("2014", None, False, date(2014, 1, 1), date(2014, 12, 31)),
    ("2026-01-08", "2026-02", False, date(2026, 1, 8), date(2026, 2, 28)),
])
def test_events_with_partial_dates_are_not_exact(start, end, exact, first, last):
    event = EventMark("e", "E", start, end)
    assert (event.exact, event.first, event.last) == (exact, first, last)


def test_claimants_are_ordered_by_their_first_claim():
    found = marks(claim_map(("a", "late", "Justifies", "2026-01-03"), ("b", "year", "Justifies", "2025"),
                            ("c", "early", "Justifies", "2025-10"), ("d", "late", "Justifies", "2019")))
    assert [c for c, _ in claimant_rows(found)] == ["late", "year", "early"]


@pytest.mark.parametrize(("dates", "expected"), [
    # claims close together: one panel from the first month to the last day
    (["2025-10-09", "2026-01", "2026-02-03"], [(date(2025, 10, 1), date(2026, 2, 3))]),
    # a long quiet stretch before most claims: the earlier years get a panel of their own
    (["2019", "2020", "2025-10-09", "2026-01", "2026-02-03"],
     [(date(2019, 1, 1), date(2020, 12, 31)), (date(2025, 10, 1), date(2026, 2, 3))]),
    # a few days are widened to two months around them, for context (and ticks by day, not hour)
    (["2026-01-03"], [(date(2025, 12, 3), date(2026, 2, 1))]),
    # ... but not when most claims come before the gap
    (["2019", "2019-05", "2020", "2026-01-03"], [(date(2019, 1, 1), date(2026, 1, 3))]),
])
def test_panels_split_off_earlier_years_only_before_most_claims(dates, expected):
    found = marks(claim_map(*[(f"c{i}", f"a{i}", "Justifies", d) for i, d in enumerate(dates)]))
    assert panels(found) == expected


def test_marks_that_would_overlap_in_a_row_get_lanes_of_their_own():
    found = marks(claim_map(("y1", "ven", "AllegesViolation", "2025"), ("y2", "ven", "Justifies", "2025"),
                            ("d1", "ven", "AllegesViolation", "2025-10-09"),
                            ("d2", "ven", "RejectsJustification", "2025-10-10"),
                            ("m", "ven", "Justifies", "2026-02"), ("u", "usa", "Justifies", "2025-10-09"),
                            ("end", "usa", "Justifies", "2026-12-31")))
    lane_of = lanes(found, panels(found))
    by_claims = {m.claims: lane_of[m] for m in found}
    assert by_claims[("y1",)] != by_claims[("y2",)]
    assert len({by_claims[k] for k in [("y1",), ("y2",), ("d1",), ("d2",)]}) == 4
    assert by_claims[("m",)] == 0  # after the year's bands end (and a little room), lane 0 is free
    assert by_claims[("u",)] == 0  # another claimant's row


def test_a_label_with_no_room_on_the_right_goes_left_and_takes_its_lane():
    """The last month of the chart: its label would run past the panel's edge, so it is written
    before the band, over the year's bands, which the lanes then keep it apart from."""
    found = marks(claim_map(("y1", "ven", "AllegesViolation", "2025"), ("m", "ven", "Justifies", "2026-02")))
    spans = panels(found)
    by_claims = {m.claims: m for m in found}
    placed = extent(by_claims[("m",)], spans)
    assert placed.left and placed.lines == ("Feb 2026, month only",)
    assert placed.start < date(2025, 12, 31).toordinal() < placed.stop
    lane_of = lanes(found, spans)
    assert lane_of[by_claims[("m",)]] != lane_of[by_claims[("y1",)]]


# --- the command ------------------------------------------------------------------------------


def test_cli_writes_the_figure(tmp_path):
    target = tmp_path / "figures" / "timeline.png"
    result = CliRunner().invoke(cli, ["timeline", "-o", str(target), "--corpus", str(CORPUS)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.stdout
    assert target.read_bytes().startswith(PNG_SIGNATURE)


def test_cli_scoped_svg(tmp_path):
    target = tmp_path / "boat-strikes.svg"
    result = CliRunner().invoke(cli, ["timeline", "-o", str(target), "--corpus", str(CORPUS),
                                      "--event", "us-boat-strikes", "--since", "2025-09"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "scope: event us-boat-strikes; since 2025-09" in svg_texts(target)


def test_cli_refuses_an_unknown_extension_with_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["timeline", "-o", str(tmp_path / "t.pdf"), "--corpus", str(CORPUS)],
                                catch_exceptions=False)
    assert result.exit_code == 2
    assert ".png, .svg" in result.stderr
    assert not (tmp_path / "t.pdf").exists()


# --- imprecise dates read as imprecise; whom each claim is against ---------------------------------


def mark_groups(svg: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("claims-")}


def test_a_date_known_only_to_the_year_or_month_has_no_marker_and_says_so():
    """Regression: a claim of "2025" was a year-long bar with its marker in July, which reads as a
    July date. A marker is drawn for a day only; a band is labelled with its date as written."""
    found = marks(claim_map(("y", "ven", "AllegesViolation", "2025"), ("m", "ven", "Justifies", "2025-10"),
                            ("d", "usa", "Justifies", "2025-10-09"),
                            ("late", "usa", "Justifies", "2026-06-30")))
    svg = figure_bytes(found, [], "svg")
    groups = mark_groups(svg)
    markers = {gid: len(list(g.iter(f"{SVG}use"))) for gid, g in groups.items()}  # scatter markers
    assert markers == {"claims-ven-AllegesViolation-2025": 0, "claims-ven-Justifies-2025-10": 0,
                       "claims-usa-Justifies-2025-10-09": 1, "claims-usa-Justifies-2026-06-30": 1}
    texts = "\n".join("".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text"))  # noqa: S314
    assert "2025, year only" in texts and "Oct 2025, month only" in texts
    assert "claim dated only to a month or year: no day" in texts  # the key says so too
    assert figure_bytes(found, [], "svg") == svg


@pytest.mark.parametrize(("text", "when"), [
    ("2025-10-09", "9 Oct 2025"), ("2024-02", "Feb 2024, month only"), ("2025", "2025, year only")])
def test_a_mark_says_how_precise_its_date_is(text, when):
    assert Mark("x", "X", "Justifies", "justifies", text, ("c",)).when == when


def test_marks_say_whom_their_claims_are_against():
    """Regression: the timeline never showed whom a claim is against. States by their ISO code,
    other parties by name; a mark of several claims names every party once."""
    found = marks(claim_map(
        ("a", "ven", "AllegesViolation", "2026-01-03", [("USA", "United States of America")]),
        ("b", "ven", "AllegesViolation", "2026-01-03", [("USA", "United States of America"),
                                                         ("nicolas-maduro", "Nicolás Maduro")]),
        ("c", "usa", "Justifies", "2025", []),
    ))
    by_claims = {m.claims: m for m in found}
    assert by_claims[("a", "b")].against == ("Nicolás Maduro", "USA")
    assert by_claims[("a", "b")].label == "×2  vs Nicolás Maduro, USA"
    assert by_claims[("c",)].label == "2025, year only"
    texts = "\n".join("".join(t.itertext()) for t in
                      ET.fromstring(figure_bytes(found, [], "svg")).iter(f"{SVG}text"))  # noqa: S314
    assert "×2  vs Nicolás Maduro, USA" in texts


def test_the_corpus_timeline_names_the_parties(svg_file, engine):
    texts = svg_texts(svg_file)
    graph = argument_map(engine)
    states = {p for _, ids in graph.nodes(data="against_ids") for p in ids if p.isupper()}
    assert states and all(f"vs {s}" in texts or f", {s}" in texts for s in states)
