"""The timeline figure: claims over time, one row per claimant, marked by stance, with the events.

A table of dates hides the rhythm of a dispute: who spoke first, who answered whom and how soon,
which act set off a wave of claims. The figure shows that at a glance: one row per claimant
(ordered by their first claim, so the story reads from top to bottom), one mark per stance, and
the events the claims are about behind them.

**Dates are drawn as precise as the source, no more.** A claim dated to the day is a filled
marker on that day. A claim dated only to a month or a year has no marker at all, since any point
would read as a day: pinning "2025" to 1 January would put the claim up to a year earlier than the
source allows, and a marker in the middle reads as a date in July. It is a hatched band across
exactly the days the date can mean, labelled with its date as written and its precision ("2025,
year only") after the stance's symbol. Events follow the same rule: a day is a line, a range of
days a shaded band, and a start known only to the month or year a hatched band across that month
or year. An event without an end date (ongoing, or over in a day: the catalogue does not say
which) is drawn at its start only.

**Whom.** Each mark says whom its claims are against ("vs USA"): states by their ISO code, other
parties by name. "Who invokes which norm against whom" is the question the graph answers.

**Legibility choices.** Claims of one claimant with one stance on one date are one mark with
their number beside it (one report can make thirty claims on one day). Marks that would overlap
in a row go into lanes and a row is as tall as its lanes. When most claims come after a long
quiet stretch (findings of 2019–2023, then the crisis of 2025–26), the earlier years get a narrow
panel of their own, by year, so that the crisis is not squeezed against the right edge; the break
is the latest gap of at least half a year with at least half the claims after it. Events are
numbered on the chart and named in a key below it, because their names are too long to write
along a line. Colours are the Okabe–Ito palette (told apart with colour blindness) and every
stance also has its own marker shape.

**Same input, same bytes.** The figure is drawn on its own Agg canvas, never through pyplot, so
calling this from a notebook does not change the notebook's backend; fonts are matplotlib's own
DejaVu Sans; the SVG's ids come from a fixed ``svg.hashsalt`` and it carries no date; the PNG
carries no software version. SVG text stays text (``svg.fonttype`` ``none``), so names can be
searched, selected and read aloud. matplotlib is imported only when a figure is drawn: it is slow
to import and no other command needs it.
"""

from __future__ import annotations

import io
import textwrap
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import networkx as nx

from ..argument.map import Scope, argument_map, period
from ..corpus.dates import PartialDate
from ..errors import QueryError, SetupError
from ..graph.output import check_output, write_atomic
from ..graph.pipeline import DEFAULT_CORPUS
from ..sparql.engines import Engine, open_engine
from ..sparql.saved_queries import internal_query

FORMATS = {".png": "png", ".svg": "svg"}

# stance (local name of the SKOS concept) -> (colour, marker); Okabe–Ito colours
STANCE_STYLES = {
    "AllegesViolation": ("#D55E00", "X"),
    "RejectsJustification": ("#E69F00", "v"),
    "DemandsCompliance": ("#009E73", "s"),
    "Justifies": ("#0072B2", "^"),
    "DeniesAllegation": ("#CC79A7", "D"),
    "AffirmsNorm": ("#56B4E9", "o"),
}
OTHER_STYLE = ("#777777", "P")  # a stance the vocabulary may add later
STANCE_ORDER = {name: i for i, name in enumerate(STANCE_STYLES)}
# The marker of each shape as a character (DejaVu Sans has them all), for the labels of claims
# dated only to a month or year, which have no marker.
MARKER_GLYPHS = {"X": "\u2716", "v": "\u25bc", "s": "\u25a0", "^": "\u25b2", "D": "\u25c6", "o": "\u25cf",
                 "P": "\u271a"}

QUIET_GAP_DAYS = 183  # a gap at least this long may split off an earlier panel
MIN_PANEL_DAYS = 61  # a shorter panel is widened: some weeks of context, and ticks by day, not hour
LANE_HEIGHT_IN = 0.3  # inches per lane of a claimant's row
WIDTH_IN = 13.0
DPI = 150
LABEL_PT = 7  # size of the text beside marks
# Of the figure's width, what the plotting area gets (the rest is claimants' names and margins);
# with an earlier panel, a fifth of it goes to that panel. Used to keep marks' texts apart.
PLOT_SHARE = 0.8
CHAR_IN = 0.62 * LABEL_PT / 72  # the mean width of a character of the label text
PARTY_CHARS = 30  # a party's name in a mark's label is shortened to this
# text.parse_math off: names and labels are data, and "$...$" in one must read as written, not be
# typeset as mathtext (or raise ValueError when it is not valid mathtext).
RC = {"svg.hashsalt": "ilkg-timeline", "svg.fonttype": "none", "font.family": "DejaVu Sans",
      "font.size": 9, "axes.titlesize": 10, "date.epoch": "1970-01-01T00:00:00", "text.parse_math": False}
METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": "ilkg"}}


def _span(text: str) -> tuple[date, date]:
    return period(PartialDate(text))


def _precision(text: str) -> str:
    return {10: "day", 7: "month", 4: "year"}[len(text)]


def _party(party: str, name: str) -> str:
    """How a mark names a party: a state by its ISO code (the catalogue's id), others by name."""
    if len(party) == 3 and party.isalpha() and party.isupper():
        return party
    return textwrap.shorten(name, PARTY_CHARS, placeholder="…")


@dataclass(frozen=True)
class Mark:
    """One mark on the chart: the claims of one claimant with one stance on one date."""

    claimant: str
    claimant_label: str
    stance: str  # local name of the stance concept, e.g. Justifies
    stance_label: str
    date: str  # ISO 8601 as precise as the source: YYYY, YYYY-MM or YYYY-MM-DD
    claims: tuple[str, ...]  # claim ids, sorted
    against: tuple[str, ...] = ()  # whom the claims are against, as the chart names them, sorted

    @property
    def precision(self) -> str:  # day | month | year
        return _precision(self.date)

    @property
    def when(self) -> str:
        """The date as a reader takes it: "12 Oct 2025"; "Oct 2025, month only"; "2025, year only"."""
        first = self.first
        if self.precision == "day":
            return f"{first.day} {first:%b %Y}"
        return f"{first:%b %Y}, month only" if self.precision == "month" else f"{first.year}, year only"

    @property
    def label(self) -> str:
        """The text beside the mark: date and precision if it has no marker, count, whom."""
        return "  ".join(self._label_parts())

    def label_lines(self) -> list[str]:
        """The label on two lines (the date, then the rest) where one line has no room."""
        parts = self._label_parts()
        if self.precision == "day" or len(parts) < 2:
            return [self.label]
        return [parts[0], "  ".join(parts[1:])]

    def _label_parts(self) -> list[str]:
        parts = [] if self.precision == "day" else [self.when]
        if len(self.claims) > 1:
            parts.append(f"×{len(self.claims)}")
        if self.against:
            parts.append("vs " + ", ".join(self.against))
        return parts

    @property
    def first(self) -> date:
        return _span(self.date)[0]

    @property
    def last(self) -> date:
        return _span(self.date)[1]


@dataclass(frozen=True)
class EventMark:
    """An event as the timeline draws it."""

    event: str
    label: str
    start: str  # ISO 8601, day, month or year
    end: str | None  # None while ongoing or for a one-day event

    @property
    def first(self) -> date:
        return _span(self.start)[0]

    @property
    def last(self) -> date:
        return _span(self.end)[1] if self.end else _span(self.start)[1]

    @property
    def exact(self) -> bool:
        """Both ends known to the day (a line or a shaded band, not a hatched one)."""
        return _precision(self.start) == "day" and (self.end is None or _precision(self.end) == "day")

    @property
    def when(self) -> str:
        return f"{self.start} to {self.end}" if self.end else self.start


def marks(graph: nx.DiGraph) -> list[Mark]:
    """The marks for the claims of an argument map, top row first, then in time order.

    The chart draws exactly these, so what it shows of the claims can be checked without pixels.
    """
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    labels: dict[tuple[str, str, str], tuple[str, str]] = {}
    parties: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for claim, data in graph.nodes(data=True):
        key = (data["claimant"], data["stance"], data["date"])
        groups[key].append(claim)
        labels[key] = (data["claimant_label"], data["stance_label"])
        parties[key].update(_party(party, name) for party, name in
                            zip(data.get("against_ids", []), data.get("against", []), strict=True))
    found = [Mark(claimant, labels[claimant, stance, when][0], stance, labels[claimant, stance, when][1],
                  when, tuple(sorted(claims)), tuple(sorted(parties[claimant, stance, when])))
             for (claimant, stance, when), claims in groups.items()]
    row = {claimant: i for i, (claimant, _) in enumerate(claimant_rows(found))}
    return sorted(found, key=lambda m: (row[m.claimant], m.first, m.last,
                                        STANCE_ORDER.get(m.stance, len(STANCE_ORDER)), m.stance))


def claimant_rows(found: list[Mark]) -> list[tuple[str, str]]:
    """(id, name) of each claimant, the one with the earliest claim first (then by name)."""
    first: dict[str, tuple[date, str]] = {}
    for mark in found:
        key = (mark.first, mark.claimant_label)
        first[mark.claimant] = min(first.get(mark.claimant, key), key)
    return [(claimant, first[claimant][1]) for claimant in sorted(first, key=lambda c: (first[c], c))]


def events(engine: Engine) -> list[EventMark]:
    """Every event of the graph with its dates, earliest first."""
    found = [EventMark(str(event).rsplit("/", 1)[-1], str(label), str(start),
                       str(end) if end is not None else None)
             for event, label, start, end in engine.query(internal_query("timeline-events")).rows]
    return sorted(found, key=lambda e: (e.first, e.last, e.event))


def panels(found: list[Mark]) -> list[tuple[date, date]]:
    """The stretches of time drawn: the claims' whole period, or an earlier one and the main one.

    The main panel starts after the latest quiet gap (no claim's period touches it) of at least
    ``QUIET_GAP_DAYS`` that has at least half of the claims after it.
    """
    spans = sorted((m.first, m.last, len(m.claims)) for m in found)
    after = [0] * (len(spans) + 1)
    for i in range(len(spans) - 1, -1, -1):
        after[i] = after[i + 1] + spans[i][2]
    split, reach = None, spans[0][1]
    for i, (first, last, _) in enumerate(spans[1:], start=1):
        if (first - reach).days > QUIET_GAP_DAYS and 2 * after[i] >= after[0]:
            split = (reach, first)
        reach = max(reach, last)
    end = max(last for _, last, _ in spans)
    if split is None:
        return [_widened(spans[0][0].replace(day=1), end)]
    main = _widened(split[1].replace(day=1), end)
    earlier = (date(spans[0][0].year, 1, 1), min(date(split[0].year, 12, 31), main[0] - timedelta(days=1)))
    return [earlier, main]


def _widened(first: date, last: date) -> tuple[date, date]:
    missing = MIN_PANEL_DAYS - ((last - first).days + 1)
    if missing <= 0:
        return first, last
    return first - timedelta(days=missing // 2), last + timedelta(days=missing - missing // 2)


def _panel_of(day: date, spans: list[tuple[date, date]]) -> int:
    return next((i for i, (lo, hi) in enumerate(spans) if lo <= day <= hi), len(spans) - 1)


def _days_per_char(spans: list[tuple[date, date]], panel: int) -> float:
    """How many days of ``panel`` one character of a mark's label covers (roughly: for lanes)."""
    lo, hi = spans[panel]
    share = PLOT_SHARE * ((1 / 5 if panel == 0 else 4 / 5) if len(spans) == 2 else 1)
    return ((hi - lo).days + 1) / (WIDTH_IN * share) * CHAR_IN


@dataclass(frozen=True)
class Extent:
    """Where a mark and its label go: the days they take (date ordinals), the label's lines and
    whether it is written to the mark's left."""

    start: float
    stop: float
    lines: tuple[str, ...]
    left: bool


def extent(mark: Mark, spans: list[tuple[date, date]]) -> Extent:
    """The days a mark takes on the chart with its label, the label on the mark's right if it fits
    in the panel, else on its left, else on two lines (right, then left, then right anyway).

    A day's mark takes the room of its marker (a fraction of its panel) and its label after it; a
    band takes its days and its label, written from the band's start (the symbol, then the text).
    """
    panel = _panel_of(mark.first, spans)
    lo, hi = spans[panel]
    days = (hi - lo).days + 1
    room = days / 70
    low, high = lo.toordinal() - 0.02 * days, hi.toordinal() + 1 + 0.05 * days
    if mark.precision == "day":
        start = stop = mark.first.toordinal() + 0.5
        start, stop, gap = start - room, stop + room, 0.6 * room
    else:
        start, stop, gap = mark.first.toordinal(), mark.last.toordinal() + 1, 1.6 * room
    choices = [(mark.label,)]
    if len(mark.label_lines()) > 1:
        choices.append(tuple(mark.label_lines()))
    for lines in choices:
        text = max(len(line) for line in lines) * _days_per_char(spans, panel) + gap if mark.label else 0
        right = (start if mark.precision != "day" else stop) + text
        if right <= high:
            return Extent(start, max(stop, right), lines, False)
        left = start - text
        if left >= low:
            return Extent(left, stop, lines, True)
    return Extent(start, max(stop, (start if mark.precision != "day" else stop) + text), choices[-1], False)


def lanes(found: list[Mark], spans: list[tuple[date, date]]) -> dict[Mark, int]:
    """A lane for each mark within its claimant's row, so that no two marks of a row overlap.

    A mark takes its :func:`extent`; each mark goes into the first lane free by then, in time order.
    """
    ends: dict[tuple[str, int], list[float]] = defaultdict(list)  # (claimant, panel) -> lane ends
    lane_of = {}
    for mark in sorted(found, key=lambda m: (m.first, m.last, STANCE_ORDER.get(m.stance, 99), m.date)):
        panel = _panel_of(mark.first, spans)
        lo, hi = spans[panel]
        room = ((hi - lo).days + 1) / 70
        placed = extent(mark, spans)
        start, stop = placed.start, placed.stop
        taken = ends[mark.claimant, panel]
        lane = next((i for i, end in enumerate(taken) if end + room / 2 <= start), len(taken))
        if lane == len(taken):
            taken.append(stop)
        taken[lane] = stop
        lane_of[mark] = lane
    return lane_of


def _scope_text(scope: Scope | None) -> str:
    if scope is None:
        return ""
    parts = [f"{name} {value}" for name, value in
             (("event", scope.event), ("actor", scope.actor), ("norm", scope.norm),
              ("since", scope.since.text if scope.since else None),
              ("until", scope.until.text if scope.until else None)) if value]
    return "; ".join(parts)


def figure_bytes(found: list[Mark], all_events: list[EventMark], fmt: str, subtitle: str = "") -> bytes:
    """The timeline of ``found`` as PNG or SVG bytes (``fmt`` ``png`` or ``svg``)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buffer = io.BytesIO()
    with matplotlib.rc_context(RC):
        figure = _draw(found, all_events, subtitle)
        FigureCanvasAgg(figure)
        figure.savefig(buffer, format=fmt, dpi=DPI, metadata=METADATA[fmt])
    return buffer.getvalue()


def write_timeline(engine: Engine, output: Path | str, *, scope: Scope | None = None) -> Path:
    """Draw the claims in ``scope`` over time and write the figure (.png or .svg) atomically."""
    path = Path(output)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SetupError(f"cannot draw a timeline as '{path.suffix or path.name}': give the output "
                         f"one of the extensions {', '.join(FORMATS)} (e.g. build/timeline.png)")
    found = marks(argument_map(engine, scope))
    where = _scope_text(scope)
    if not found:
        raise QueryError("no claims" + (f" in the scope ({where})" if where else "") +
                         "; nothing to draw (widen the scope: --event, --actor, --norm, --since, --until)")
    count = sum(len(m.claims) for m in found)
    subtitle = f"{count} claim{'s' if count != 1 else ''}" + (f" · scope: {where}" if where else "")
    write_atomic(path, figure_bytes(found, events(engine), fmt, subtitle))
    return path


# --- drawing -------------------------------------------------------------------------------------


def _style(stance: str) -> tuple[str, str]:
    return STANCE_STYLES.get(stance, OTHER_STYLE)


def _x(day: date) -> float:
    """A day's start in matplotlib's date numbers (days since ``date.epoch``, set in ``RC``)."""
    return float(day.toordinal() - date(1970, 1, 1).toordinal())


@dataclass(frozen=True)
class _Rows:
    """Where each claimant's row is: its name (wrapped), lanes used, height and top, in lanes."""

    names: dict[str, str]
    used: dict[str, int]
    height: dict[str, float]
    top: dict[str, float]
    total: float

    def middle(self, claimant: str, lane: int) -> float:
        """The y of a lane's centre; the lanes sit in the middle of a row taller than they need."""
        return self.top[claimant] + (self.height[claimant] - self.used[claimant]) / 2 + lane + 0.5


def _rows(found: list[Mark], lane_of: dict[Mark, int]) -> _Rows:
    names, used, height, top, y = {}, {}, {}, {}, 0.0
    for claimant, label in claimant_rows(found):
        names[claimant] = textwrap.fill(label, 34)
        used[claimant] = 1 + max(lane_of[m] for m in found if m.claimant == claimant)
        # as tall as its lanes, and tall enough for its name's lines
        height[claimant] = max(used[claimant], 0.5 * (names[claimant].count("\n") + 1))
        top[claimant], y = y, y + height[claimant]
    return _Rows(names, used, height, top, y)


def _draw(found: list[Mark], all_events: list[EventMark], subtitle: str):
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    spans = panels(found)
    lane_of = lanes(found, spans)
    rows = _rows(found, lane_of)
    limits = [(_x(lo) - 0.02 * ((hi - lo).days + 1), _x(hi) + 1 + 0.05 * ((hi - lo).days + 1))
              for lo, hi in spans]
    shown = [e for e in all_events
             if any(_x(e.first) < right and _x(e.last) + 1 > left for left, right in limits)]

    handles = _legend_handles(found)
    heights = [0.9 + LANE_HEIGHT_IN * rows.total, 0.1 + 0.19 * 3, 0.35 + 0.19 * len(shown) if shown else 0.01]
    figure = Figure(figsize=(WIDTH_IN, 0.6 + sum(heights)), layout="constrained")
    grid = figure.add_gridspec(3, len(spans), height_ratios=heights,
                               width_ratios=[1, 4] if len(spans) == 2 else [1])
    axes = [figure.add_subplot(grid[0, 0])]
    axes += [figure.add_subplot(grid[0, i], sharey=axes[0]) for i in range(1, len(spans))]
    for index, (ax, span, limit) in enumerate(zip(axes, spans, limits, strict=True)):
        _panel(ax, rows, span, limit, earlier=len(spans) == 2 and index == 0, first=index == 0)
    axes[0].set_yticks([rows.top[c] + rows.height[c] / 2 for c in rows.names], list(rows.names.values()))

    numbered = _draw_events(axes, limits, shown)
    for mark in found:
        _draw_mark(axes[_panel_of(mark.first, spans)], mark, rows.middle(mark.claimant, lane_of[mark]),
                   extent(mark, spans))

    figure.suptitle("Claims over time by claimant and stance" + (f"\n{subtitle}" if subtitle else ""),
                    fontsize=12)
    _legend(figure.add_subplot(grid[1, :]), handles, ncol=len(handles) // 3)
    if shown:
        entries = [f"{n}   {e.when}   {textwrap.shorten(e.label, 150)}" for n, e in numbered]
        _legend(figure.add_subplot(grid[2, :]), [Line2D([], [], linestyle="none")] * len(entries),
                entries, ncol=1, title="Events", handlelength=0, handletextpad=0)
    return figure


def _panel(ax, rows: _Rows, span: tuple[date, date], limit: tuple[float, float], *, earlier: bool,
           first: bool) -> None:
    """One panel's frame: limits, shaded rows, date ticks; an earlier panel by year."""
    import matplotlib.dates as mdates

    ax.set_xlim(*limit)
    ax.set_ylim(rows.total, 0)
    for i, claimant in enumerate(rows.names):
        if i % 2 == 0:
            ax.axhspan(rows.top[claimant], rows.top[claimant] + rows.height[claimant], color="#f3f3f3",
                       lw=0, zorder=-2)
    ax.xaxis.grid(True, color="#dddddd", lw=0.6, zorder=-1)
    ax.tick_params(axis="y", length=0)
    ax.spines[["top", "right"]].set_visible(False)
    if earlier:
        lo, hi = span
        ax.xaxis.set_major_locator(mdates.YearLocator(base=1 + (hi.year - lo.year) // 4))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.set_xlabel("earlier years", fontsize=8, color="#555555")
        ax.plot([1], [0], transform=ax.transAxes, marker=[(-1, -1), (1, 1)], markersize=10,
                linestyle="none", color="k", mew=1, clip_on=False)  # a broken axis's mark
    else:
        locator = mdates.AutoDateLocator(minticks=5, maxticks=14)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if not first:
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", labelleft=False)
        ax.plot([0], [0], transform=ax.transAxes, marker=[(-1, -1), (1, 1)], markersize=10,
                linestyle="none", color="k", mew=1, clip_on=False)


def _draw_events(axes, limits, shown: list[EventMark]) -> list[tuple[int, EventMark]]:
    """Lines and bands for the events, with their numbers above the chart; returns the key."""
    numbered = list(enumerate(shown, start=1))
    levels: dict[int, list[float]] = defaultdict(list)  # panel -> last number's x at each level
    for number, event in numbered:
        start, stop = _x(event.first), _x(event.last) + 1
        for index, (ax, (left, right)) in enumerate(zip(axes, limits, strict=True)):
            if not (start < right and stop > left):
                continue
            if event.exact and event.end is None:
                ax.axvline(start + 0.5, color="#555555", lw=1, alpha=0.7, zorder=0)
            elif event.exact:
                ax.axvspan(start, stop, color="#999999", alpha=0.25, lw=0, zorder=0)
            else:
                ax.axvspan(start, stop, facecolor=(0.6, 0.6, 0.6, 0.08), edgecolor="#aaaaaa",
                           hatch="///", lw=0, zorder=0)
            anchor = (max(start, left) + min(stop, right)) / 2
            room = (right - left) / 45
            taken = levels[index]
            level = next((i for i, x in enumerate(taken) if x < anchor - room), len(taken))
            if level == len(taken):
                taken.append(anchor)
            taken[level] = anchor
            ax.annotate(str(number), xy=(anchor, 1), xycoords=("data", "axes fraction"),
                        xytext=(0, 3 + 13 * level), textcoords="offset points", ha="center",
                        va="bottom", fontsize=7, color="#333333",
                        bbox={"boxstyle": "circle,pad=0.15", "fc": "white", "ec": "#777777", "lw": 0.6})
    return numbered


def _draw_mark(ax, mark: Mark, y: float, placed: Extent) -> None:
    from matplotlib.patches import Rectangle

    colour, marker = _style(mark.stance)
    start, stop = _x(mark.first), _x(mark.last) + 1
    gid = f"claims-{mark.claimant}-{mark.stance}-{mark.date}"
    # a white ground under the text, so that bands, hatching and event lines do not cross it
    text = {"va": "center", "fontsize": LABEL_PT, "textcoords": "offset points", "zorder": 4,
            "ha": "right" if placed.left else "left", "linespacing": 1.0,
            "bbox": {"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.75}}
    label_left, label = placed.left, "\n".join(placed.lines)
    step = -1 if label_left else 1
    if mark.precision == "day":
        ax.scatter([start + 0.5], [y], s=46, marker=marker, facecolor=colour, edgecolor=colour,
                   linewidth=1.4, zorder=3, gid=gid)
        if label:
            ax.annotate(label, xy=(start + 0.5, y), xytext=(6 * step, 0), color="#222222", **text)
        return
    # No marker: a hatched band over the days the date can mean, closed by brackets, and the date
    # as written with its precision, with the stance's symbol before it.
    ax.add_patch(Rectangle((start, y - 0.22), stop - start, 0.44, facecolor=(*_rgb(colour), 0.12),
                           edgecolor=(*_rgb(colour), 0.55), hatch="////", lw=0, zorder=2, gid=gid))
    ax.vlines([start, stop], y - 0.3, y + 0.3, color=colour, lw=1.2, zorder=2)
    glyph = MARKER_GLYPHS.get(marker, "\u25cf")
    if label_left:  # text, then the symbol, ending before the band
        ax.annotate(label, xy=(start, y), xytext=(-4 - 1.6 * LABEL_PT, 0), color="#222222", **text)
        ax.annotate(glyph, xy=(start, y), xytext=(-4, 0), color=colour, **text)
    else:
        ax.annotate(glyph, xy=(start, y), xytext=(4, 0), color=colour, **text)
        ax.annotate(label, xy=(start, y), xytext=(4 + 1.6 * LABEL_PT, 0), color="#222222", **text)


def _rgb(colour: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


def _legend(ax, handles: list, labels: list[str] | None = None, **options) -> None:
    """A legend filling an otherwise empty strip of the figure, from its top left corner."""
    ax.set_axis_off()
    if labels is None:
        labels = [h.get_label() for h in handles]
    from matplotlib.transforms import blended_transform_factory

    # from the figure's left edge (not the chart's), at the strip's top
    anchor = blended_transform_factory(ax.figure.transFigure, ax.transAxes)
    legend = ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.015, 1),
                       bbox_transform=anchor, borderaxespad=0,
                       fontsize=8, frameon=False, alignment="left",
                       title_fontproperties={"weight": "bold", "size": 8}, **options)
    legend.set_in_layout(False)  # the strip is sized for it; the chart must not shrink around it


def _legend_handles(found: list[Mark]) -> list:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    present = {m.stance: m.stance_label for m in found}
    handles = []
    for stance in sorted(present, key=lambda s: (STANCE_ORDER.get(s, 99), s)):
        colour, marker = _style(stance)
        handles.append(Line2D([], [], linestyle="none", marker=marker, markersize=7, color=colour,
                              label=present[stance]))
    blank = Line2D([], [], linestyle="none", label=" ")
    # three rows, filled column by column: stances in columns of their own, then the other keys
    handles += [blank] * (-len(handles) % 3)
    grey = "#555555"
    handles += [
        Line2D([], [], linestyle="none", marker="o", markersize=7, color=grey,
               label="claim dated to the day (vs: whom it is against)"),
        Patch(facecolor=(0.33, 0.33, 0.33, 0.12), edgecolor=(0.33, 0.33, 0.33, 0.55), hatch="////", lw=0,
              label="claim dated only to a month or year: no day, the band is every day it may be"),
        Line2D([], [], color=grey, lw=1, label="event on one day (or ongoing from it)"),
        Patch(color="#999999", alpha=0.25, lw=0, label="event over several days"),
        Patch(facecolor=(0.6, 0.6, 0.6, 0.08), edgecolor="#aaaaaa", hatch="///", lw=0,
              label="event dated to a month or year"),
        blank,
    ]
    return handles


def timeline_figure(output: Path | str, *, corpus_dir: Path | str = DEFAULT_CORPUS,
                    data: Path | str | None = None, scope=None) -> Path:
    """Write the timeline of claims (PNG or SVG by the output's extension)."""
    check_output(output)
    engine = open_engine("oxigraph", corpus_dir=corpus_dir, data=data)
    return write_timeline(engine, output, scope=scope)
