"""The interactive page for students: one self-contained HTML file of actors, norms, events, claims.

The page is drawn by vis-network, which pyvis ships; pyvis collects the nodes and edges. We do not
use pyvis's own template: in every mode it loads Bootstrap from a CDN, and vis-network too unless
``cdn_resources="in_line"``; it pastes the heading and the select menu's ids into the page
unescaped, and switches to a tooltip that is set with ``innerHTML`` as soon as one title contains
``href``. Its select and filter menus need Bootstrap and show raw node properties. Our template
(``kg/views/render_assets/page.html``) inlines vis-network from pyvis's package with our own controls,
so the page works offline, from a USB stick or a mail attachment.

Nothing from the corpus can become markup or script in the page, because:

* the data reaches the script as JSON in a ``<script type="application/json">`` block that is
  never executed, with ``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\u`` escapes so that no
  quote can close the block (:func:`script_json`);
* the page's script builds hover cards and details with ``textContent`` (vis-network shows a
  DOM element as given), and the template's few values from the data are escaped by Jinja;
* a Content-Security-Policy lets only our scripts run (by their SHA-256) and forbids every
  request, as a second line of defence (:mod:`kg.views.pages`).

**What a student reads.** A claim is drawn as its proposition (shortened, wrapped; the whole of
it, who asserts it against whom, the legal tests it applies, its positions on their elements and
every quote are on its card), and an attack by the kind it is: a rebuttal a thick line (curved, so
that the two directions of a rebuttal stay apart), an undercut dashed, an undermining dotted, a
plain attack dash-dotted, all red. The page opens on the main dispute (:func:`first_view`): the
largest disputes of the attack graph, up to :data:`FIRST_VIEW_CLAIMS` claims, with their
claimants; "Show all", the filters and the search reach the rest. Each claim is labelled in,
out or undecided under the structured reading of the map (its border; ASPIC+ as ``kg map`` reads
it), and the panel's controls set an element of a legal test to holds or fails and relabel the
claims in the page, with the script ``kg scheme -f html`` uses (``shared_assets/assumptions.js``).

The layout is vis-network's physics from a fixed seed, run for a number of iterations that shrinks
as the graph grows and then frozen: the same graph is drawn the same way every time, and a graph
of 5,000 nodes opens in seconds. Output is byte-for-byte the same for the same input.
"""

from __future__ import annotations

import hashlib
import math
import re
import textwrap
from collections import Counter
from dataclasses import fields
from importlib.resources import files
from pathlib import Path

import networkx as nx

from ..argument.exporters.structure import argument_lines
from ..argument.map import Scope, argument_map, claim_parties, claim_text, period
from ..corpus.dates import PartialDate, parse_date
from ..corpus.fields import did_you_mean
from ..errors import QueryError, QueryLimitError, SetupError
from ..graph.namespaces import BASE
from ..graph.output import check_output, write_atomic
from ..graph.pipeline import DEFAULT_CORPUS
from ..sparql.engines import Engine, open_engine
from ..sparql.saved_queries import internal_query, saved_queries
from .pages import asset, csp, read_asset, script_json, template_environment

TITLE = "International-Law Knowledge Graph"
KINDS = ("claim", "actor", "norm", "event")  # the order in which a bare --focus id is looked up

# ilk: actor class -> actor type (ACTOR_TYPES in kg.corpus.models)
ACTOR_CLASSES = {
    "State": "state", "InternationalOrganization": "international-organization",
    "GroupOfStates": "group-of-states", "NonGovernmentalOrganization": "ngo",
    "ResearchInstitution": "research-institution", "Person": "person",
    "MediaOutlet": "media-outlet", "NonStateGroup": "non-state-group",
}
# actor type -> (fill, legend); Okabe–Ito colours, told apart with the common colour blindnesses
ACTOR_STYLE = {
    "state": ("#0072b2", "State"),
    "international-organization": ("#56b4e9", "International organisation"),
    "group-of-states": ("#009e73", "Group of states"),
    "ngo": ("#e69f00", "NGO"),
    "research-institution": ("#f0e442", "Think tank or research institution"),
    "person": ("#cc79a7", "Person"),
    "media-outlet": ("#999999", "Media outlet"),
    "non-state-group": ("#d55e00", "Non-state group"),
    "unknown": ("#dddddd", "Actor of another type"),
}
# stance (STANCES in kg.corpus.models) -> (fill, legend)
STANCE_STYLE = {
    "alleges-violation": ("#c0392b", "Claim: alleges a violation"),
    "rejects-justification": ("#e67e22", "Claim: rejects a justification"),
    "demands-compliance": ("#f4d03f", "Claim: demands compliance"),
    "affirms-norm": ("#27ae60", "Claim: affirms a norm"),
    "justifies": ("#2e86c1", "Claim: justifies"),
    "denies-allegation": ("#8e44ad", "Claim: denies an allegation"),
    "unknown": ("#bbbbbb", "Claim: other stance"),
}
NORM_STYLE = ("#fdf2c4", "#b7950b", "Norm (its citation)")
EVENT_STYLE = ("#8c564b", "#4e2f29", "Event")
BORDER = "#404040"
# relation -> (colour, width, dashes, verb, legend); edges go the way the sentence reads
RELATIONS = {
    "makes": ("#34495e", 1.5, False, "makes", "actor makes the claim"),
    "voices": ("#95a5a6", 1.0, [2, 4], "voices", "person voices the claim"),
    "invokes": ("#b7950b", 1.2, False, "invokes", "claim invokes the norm"),
    "against": ("#7d3c98", 1.5, False, "is against", "claim is against the actor"),
    "concerns": ("#8c564b", 1.2, [3, 3], "concerns", "claim concerns the event"),
    "attacks": ("#e41a1c", 2.5, [12, 4, 2, 4], "attacks", "claim attacks claim (of no more specific kind)"),
    "supports": ("#2ca02c", 2.5, False, "supports", "claim supports claim"),
}
# kind of attack -> (colour, width, dashes, verb, legend): red, told apart by the line
ATTACK_STYLE = {
    "rebuts": ("#e41a1c", 3.5, False, "rebuts", "claim rebuts claim: both cannot stand"),
    "undercuts": ("#e41a1c", 2.5, [10, 6], "undercuts",
                  "claim undercuts claim: denies an element of the test it applies"),
    "undermines": ("#e41a1c", 2.5, [2, 5], "undermines",
                   "claim undermines claim: disputes a fact it rests on"),
    "attacks": RELATIONS["attacks"],
}
# a claim's label under the structured reading -> (border, legend)
LABEL_STYLE = {
    "in": ("#1b7837", "Label in: no attack on it stands"),
    "out": ("#b2182b", "Label out: an attack on it stands"),
    "undec": ("#e08214", "Label undecided: the reading leaves it open"),
}
FIRST_VIEW_CLAIMS = 40  # the first view shows at most this many claims ...
FIRST_VIEW_ALL = 60  # ... and a page of at most this many nodes is shown whole from the start
DISPUTE_CLAIMS = 3  # a dispute: claims linked by attacks, at least this many
LABEL_CHARS = 90  # a claim's proposition on the canvas is shortened to this
SEED = 20260103  # vis-network's randomSeed: the same graph, the same picture
ITERATION_BUDGET = 150_000  # stabilisation iterations × nodes: a few seconds of layout at most
ITERATIONS = (60, 500)  # the fewest and the most iterations whatever the size
LARGE = 1000  # above this many nodes: fixed positions (ring_layout), straight edges, no physics
IMPROVED_LAYOUT = 300  # vis-network's Kamada–Kawai start up to this many nodes: better, but slow
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
__all__ = ["page_graph", "page_html", "render_page", "script_json", "write_page"]


# --- the graph of the page -----------------------------------------------------------------------


def page_graph(engine: Engine, scope: Scope | None = None) -> nx.DiGraph:
    """The claims in ``scope`` with the actors, norms and events they link, keyed ``kind:id``.

    Every node has ``kind`` (claim, actor, norm, event), ``label`` (drawn on the canvas) and
    ``name`` (its full name); actors have ``actor_type``; claims have ``name`` = their proposition,
    ``parties`` (who asserts it against whom), ``stance``, ``stance_label``, ``date``, ``quote``
    and ``quotes``, ``document``, ``document_title`` and ``argument`` (a line per legal test it
    applies or answers). Edges carry ``relation``, a key of :data:`RELATIONS`, and an attack its
    ``kind`` (a key of :data:`ATTACK_STYLE`). ``graph.graph`` holds ``names`` (every id's label)
    and ``ancestors`` (the instruments of a provision, the larger events of an event) so that
    filtering by an instrument finds the claims invoking its provisions; ``claims_map`` is the
    argument map the claims come from.
    """
    return _page_graph(engine, argument_map(engine, scope))


def _page_graph(engine: Engine, claims: nx.DiGraph) -> nx.DiGraph:
    names = {key: label for iri, label in engine.labels().items() if (key := _key(iri))}
    types = {}
    for actor, actor_class, *_ in engine.query(saved_queries()["actors"].text).rows:
        types.setdefault(_key(actor), ACTOR_CLASSES.get(str(actor_class).rsplit("#", 1)[-1], "unknown"))
    hierarchy = nx.DiGraph([(_key(child), _key(parent))
                            for child, parent in engine.query(internal_query("argument-hierarchy")).rows])
    graph = nx.DiGraph(names=names, ancestors={}, claims_map=claims)

    def entity(key: str) -> str:
        if key not in graph:
            kind, _, local = key.partition(":")
            extra = {"actor_type": types.get(key, "unknown")} if kind == "actor" else {}
            graph.add_node(key, kind=kind, label=names.get(key, local), name=names.get(key, local), **extra)
            if key in hierarchy:
                graph.graph["ancestors"][key] = sorted(nx.descendants(hierarchy, key))
        return key

    for claim_id, claim in sorted(claims.nodes(data=True)):
        key = f"claim:{claim_id}"
        proposition = claim_text(claim)
        graph.add_node(
            key, kind="claim", label=textwrap.shorten(proposition, LABEL_CHARS, placeholder=" …"),
            name=proposition, parties=claim_parties(claim),
            stance=_CAMEL.sub("-", claim["stance"]).lower(), stance_label=claim["stance_label"],
            date=claim["date"], quote=claim["quote"], quotes=list(claim.get("quotes") or [claim["quote"]]),
            document=claim["document"],
            document_title=names.get(f"doc:{claim['document']}", claim["document"]),
            argument=argument_lines(claims, claim_id),
        )
        graph.add_edge(entity(f"actor:{claim['claimant']}"), key, relation="makes")
        if claim["voiced_by"] and not graph.has_edge(f"actor:{claim['voiced_by']}", key):
            graph.add_edge(entity(f"actor:{claim['voiced_by']}"), key, relation="voices")
        for kind, ids, relation in (("actor", "against_ids", "against"), ("norm", "norm_ids", "invokes"),
                                    ("event", "event_ids", "concerns")):
            for local in claim[ids]:
                graph.add_edge(key, entity(f"{kind}:{local}"), relation=relation)
    for source, target, data in sorted(claims.edges(data=True)):
        extra = {"kind": data.get("kind", "attacks")} if data["relation"] == "attacks" else {}
        graph.add_edge(f"claim:{source}", f"claim:{target}", relation=data["relation"], **extra)
    return graph


def _key(iri) -> str | None:
    """``actor:USA`` for an actor's IRI (likewise norm, event, doc, claim); None for others."""
    kind, _, local = str(iri).removeprefix(BASE).partition("/")
    return f"{kind}:{local}" if kind in ("actor", "norm", "event", "doc", "claim") and local else None


# --- the page ------------------------------------------------------------------------------------


def write_page(engine: Engine, output: Path | str, *, scope: Scope | None = None,
               focus: str | None = None) -> Path:
    """Write the page of the claims in ``scope`` to ``output`` atomically, centred on ``focus``."""
    graph = page_graph(engine, scope)
    model = structured_model(engine, graph.graph["claims_map"])
    write_atomic(output, page_html(graph, focus=focus, summary=_summary(graph, scope), model=model)
                 .encode("utf-8"))
    return Path(output)


def structured_model(engine: Engine, claims: nx.DiGraph) -> dict | None:
    """The toggle model of the claims (:func:`kg.argument.toggles.toggle_model`), or None when the
    map is too large for the structured reading's bounds (the page then shows no labels)."""
    from ..argument.toggles import toggle_model

    try:
        return toggle_model(claims, engine=engine)
    except QueryLimitError:
        return None


def _summary(graph: nx.DiGraph, scope: Scope | None) -> str:
    counts = {kind: 0 for kind in KINDS}
    for kind in nx.get_node_attributes(graph, "kind").values():
        counts[kind] += 1
    text = ", ".join(f"{count:,} {kind}{'s' if count != 1 else ''}" for kind, count in counts.items())
    values = [(field.name, getattr(scope, field.name)) for field in fields(Scope)] if scope else []
    limits = [f"{name} {value.text if isinstance(value, PartialDate) else value}"
              for name, value in values if value is not None]
    return f"{text}. Scope: {', '.join(limits) if limits else 'the whole graph'}."


def first_view(graph: nx.DiGraph, focus: str | None = None) -> list[str] | None:
    """The nodes the page opens on, or None for all of them.

    The main dispute: the claims of the largest disputes (weakly connected parts of the attack
    graph with at least :data:`DISPUTE_CLAIMS` claims), largest first, while they fit in
    :data:`FIRST_VIEW_CLAIMS` claims (a larger first part is cut to the claims nearest its most
    attacked and attacking claim), with the actors who make them. A small page is shown whole,
    as is one whose ``focus`` lies outside the main dispute.
    """
    if graph.number_of_nodes() <= FIRST_VIEW_ALL:
        return None
    attacks = nx.Graph()
    attacks.add_edges_from((s, t) for s, t, rel in graph.edges(data="relation") if rel == "attacks")
    parts = sorted((sorted(part) for part in nx.connected_components(attacks)
                    if len(part) >= DISPUTE_CLAIMS), key=lambda part: (-len(part), part[0]))
    chosen: list[str] = []
    for part in parts:
        if len(chosen) + len(part) <= FIRST_VIEW_CLAIMS:
            chosen += part
        elif not chosen:
            hub = min(part, key=lambda n: (-attacks.degree(n), n))
            distance = nx.single_source_shortest_path_length(attacks, hub)
            chosen = sorted(part, key=lambda n: (distance[n], n))[:FIRST_VIEW_CLAIMS]
    if not chosen:
        return None
    shown = set(chosen) | {actor for claim in chosen
                           for actor, _, rel in graph.in_edges(claim, data="relation") if rel == "makes"}
    if focus is not None and focus not in shown:
        return None
    return sorted(shown)


def page_html(graph: nx.DiGraph, *, focus: str | None = None, title: str = TITLE,
              summary: str = "", model: dict | None = None) -> str:
    """The page of a graph shaped like :func:`page_graph`'s, as one HTML document; ``model``, the
    toggle model of its claims (:func:`structured_model`), labels them and drives the controls
    that assume an element holds or fails."""
    try:
        from markupsafe import Markup
        from pyvis.network import Network  # imports IPython: only when a page is drawn
    except ImportError as exc:
        raise SetupError(f"`kg render` needs pyvis ({exc}); run `pip install -e .`") from exc
    focus_key = _focus_key(graph, focus)
    facets = {key: _facets(graph, key) for key, kind in graph.nodes(data="kind") if kind == "claim"}
    labels = (model or {}).get("labels", {})
    network = Network(directed=True, cdn_resources="in_line")  # its lists, not its template
    for key in sorted(graph.nodes):
        attrs = graph.nodes[key]
        label = labels.get(key.partition(":")[2]) if attrs["kind"] == "claim" else None
        network.add_node(key, **_node_style(attrs, label), kind=attrs["kind"], card=_card(graph, key),
                         **({"facets": facets[key], "text": attrs["label"], "acceptance": label}
                            if key in facets else {}))
    for source, target in sorted(graph.edges):
        relation = graph.edges[source, target]["relation"]
        kind = graph.edges[source, target].get("kind", relation)
        colour, width, dashes, verb, _ = ATTACK_STYLE[kind] if relation == "attacks" else RELATIONS[relation]
        curved = {"smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.25}} \
            if kind == "rebuts" and len(graph) <= LARGE else {}
        network.add_edge(source, target, relation=relation, kind=kind, color=colour, width=width,
                         dashes=dashes, arrows="to", **curved,
                         card=f"{_name(graph, source)} {verb} {_name(graph, target)}")
    nodes, edges = network.get_network_data()[:2]
    if len(nodes) > LARGE:
        positions = ring_layout(graph)
        for node in nodes:
            node["x"], node["y"] = positions[node["id"]]
    data = {"nodes": nodes, "edges": edges, "options": _options(len(nodes)), "focus": focus_key,
            "firstView": first_view(graph, focus_key), "model": model, "schemes": _scheme_labels(graph),
            "labelStyle": {name: style[0] for name, style in LABEL_STYLE.items()}}
    scripts = [_vis_asset("vis-network.min.js"), asset("shared_assets", "assumptions.js"),
               asset("render_assets", "page.js")]
    template = template_environment().from_string(asset("render_assets", "page.html"))
    return template.render(
        title=title, summary=summary, csp=csp(scripts), vis_version=_VIS_VERSION,
        vis_css=Markup(_vis_asset("vis-network.css")),  # noqa: S704 a packaged file
        page_css=Markup(asset("render_assets", "page.css")),  # noqa: S704 a packaged file
        scripts=[Markup(script) for script in scripts],  # noqa: S704 packaged files
        data=Markup(script_json(data)),  # noqa: S704 escaped for a script block by script_json
        facets=_facet_options(graph, facets), dates=_date_range(facets), legend=_legend(),
        structured=model is not None,
    )


def _scheme_labels(graph: nx.DiGraph) -> dict[str, str]:
    catalogue = graph.graph.get("claims_map", nx.DiGraph()).graph.get("scheme_catalogue") or {}
    return {scheme_id: scheme.label for scheme_id, scheme in sorted(catalogue.items())}


def _name(graph: nx.DiGraph, key: str) -> str:
    return graph.nodes[key].get("name") or graph.nodes[key]["label"]


def _node_style(attrs: dict, label: str | None = None) -> dict:
    """vis-network's look of a node; a claim's border says its ``label`` under the structured
    reading (in, out, undec), when the page has one."""
    kind = attrs["kind"]
    wrap = {"widthConstraint": {"maximum": 170}}
    if kind == "actor":
        fill = ACTOR_STYLE.get(attrs.get("actor_type"), ACTOR_STYLE["unknown"])[0]
        return {"label": attrs["label"], "shape": "dot", "size": 18, "color": _colour(fill, BORDER),
                "font": {"size": 15}, **wrap}
    if kind == "claim":
        fill = STANCE_STYLE.get(attrs.get("stance"), STANCE_STYLE["unknown"])[0]
        border = LABEL_STYLE[label][0] if label in LABEL_STYLE else BORDER
        return {"label": claim_label(attrs["label"], label), "shape": "diamond", "size": 12,
                "color": _colour(fill, border), "borderWidth": 3 if label in LABEL_STYLE else 1,
                "font": {"size": 11, "color": "#333333"}, "widthConstraint": {"maximum": 210}}
    if kind == "norm":
        return {"label": attrs["label"], "shape": "box", "color": _colour(*NORM_STYLE[:2]),
                "font": {"size": 13}, **wrap}
    if kind == "event":
        return {"label": attrs["label"], "shape": "triangle", "size": 14,
                "color": _colour(*EVENT_STYLE[:2]), "font": {"size": 13}, **wrap}
    raise QueryError(f"node '{attrs.get('label')}' has unknown kind '{kind}' (one of {', '.join(KINDS)})")


def claim_label(text: str, label: str | None) -> str:
    """What the canvas writes for a claim: its shortened proposition, after its label if any."""
    return f"[{label}] {text}" if label else text


def _colour(fill: str, border: str) -> dict:
    return {"background": fill, "border": border,
            "highlight": {"background": fill, "border": "#000000"},
            "hover": {"background": fill, "border": "#000000"}}


def _linked(graph: nx.DiGraph, key: str, relation: str, *, incoming: bool = False) -> list[str]:
    edges = graph.in_edges(key, data="relation") if incoming else graph.out_edges(key, data="relation")
    return sorted((source if incoming else target) for source, target, rel in edges if rel == relation)


def _card(graph: nx.DiGraph, key: str) -> dict:
    """The hover card: a title, rows of (field, value) and for claims the quote, all plain text."""
    attrs = graph.nodes[key]
    kind, _, local = key.partition(":")

    def names(keys: list[str]) -> str:
        return "; ".join(_name(graph, k) for k in keys) or "—"

    if attrs["kind"] == "claim":
        rows = [("Who", attrs.get("parties", "")),
                ("Claimant", names(_linked(graph, key, "makes", incoming=True))),
                ("Voiced by", names(_linked(graph, key, "voices", incoming=True))),
                ("Stance", attrs.get("stance_label") or attrs.get("stance", "")),
                ("Against", names(_linked(graph, key, "against"))),
                ("Norms", names(_linked(graph, key, "invokes"))),
                ("Concerns", names(_linked(graph, key, "concerns"))),
                ("Date", attrs["date"]),
                ("Source", f"{attrs.get('document_title', '')} ({attrs.get('document', '')})"),
                ("Claim id", local)]
        rows += [("Legal test", line) for line in attrs.get("argument", [])]
        outgoing = graph.out_edges(key, data=True)
        for kind, field in (("rebuts", "Rebuts"), ("undercuts", "Undercuts"), ("undermines", "Undermines"),
                            ("attacks", "Attacks"), ("supports", "Supports")):
            linked = sorted(t for _, t, d in outgoing if d.get("kind", d["relation"]) == kind)
            if linked:
                rows.append((field, names(linked)))
        quotes = attrs.get("quotes") or [attrs.get("quote", "")]
        return {"title": _name(graph, key), "rows": rows, "quote": "\n\n".join(quotes)}
    rows = [("Type", ACTOR_STYLE.get(attrs.get("actor_type"), ACTOR_STYLE["unknown"])[1])] \
        if kind == "actor" else []
    rows.append((f"{kind.capitalize()} id", local))
    counts = Counter(relation for _, _, relation in graph.out_edges(key, data="relation"))
    counts.update(f"{relation} it" for _, _, relation in graph.in_edges(key, data="relation"))
    for relation, field in (("makes", "Claims it makes"), ("voices", "Claims it voices"),
                            ("against it", "Claims against it"), ("invokes it", "Claims invoking it"),
                            ("concerns it", "Claims about it")):
        if counts[relation]:
            rows.append((field, f"{counts[relation]:,}"))
    return {"title": _name(graph, key), "rows": rows, "quote": ""}


def _facets(graph: nx.DiGraph, key: str) -> dict:
    """What the page's filters test a claim on: actor, norm and event ids, and its days."""
    ancestors = graph.graph.get("ancestors", {})
    start, end = period(parse_date(graph.nodes[key]["date"]))

    def with_ancestors(keys):
        return sorted({k for key in keys for k in (key, *ancestors.get(key, ()))})

    actors = [*_linked(graph, key, "makes", incoming=True), *_linked(graph, key, "voices", incoming=True),
              *_linked(graph, key, "against")]
    return {"actors": sorted(set(actors)), "norms": with_ancestors(_linked(graph, key, "invokes")),
            "events": with_ancestors(_linked(graph, key, "concerns")),
            "start": start.isoformat(), "end": end.isoformat()}


def _facet_options(graph: nx.DiGraph, facets: dict[str, dict]) -> list[dict]:
    """The choices of the actor, norm and event filters: whatever some claim can be found by."""
    names = graph.graph.get("names", {})
    found = {"actor": set(), "norm": set(), "event": set()}
    for claim in facets.values():
        for name in found:
            found[name].update(claim[f"{name}s"])
    choices = []
    for name, label in (("actor", "Actor (makes, voices or is the target)"),
                        ("norm", "Norm (or a provision of it)"), ("event", "Event (or a part of it)")):
        options = [(key, _name(graph, key) if key in graph else names.get(key, key.partition(":")[2]))
                   for key in found[name]]
        choices.append({"name": name, "label": label,
                        "options": sorted(options, key=lambda o: (o[1].casefold(), o[0]))})
    return choices


def _date_range(facets: dict[str, dict]) -> tuple[str, str]:
    if not facets:
        return "", ""
    return min(f["start"] for f in facets.values()), max(f["end"] for f in facets.values())


def _legend() -> dict:
    nodes = [{"shape": "dot", "fill": fill, "stroke": BORDER, "label": label}
             for key, (fill, label) in ACTOR_STYLE.items() if key != "unknown"]
    nodes += [{"shape": "diamond", "fill": fill, "stroke": BORDER, "label": label}
              for key, (fill, label) in STANCE_STYLE.items() if key != "unknown"]
    nodes += [{"shape": shape, "fill": fill, "stroke": stroke, "label": label}
              for shape, (fill, stroke, label) in (("box", NORM_STYLE), ("triangle", EVENT_STYLE))]
    styles = [*(RELATIONS[r] for r in RELATIONS if r != "attacks"), *ATTACK_STYLE.values()]
    edges = [{"color": colour, "width": width, "dashes": " ".join(map(str, dashes)) if dashes else "none",
              "label": legend} for colour, width, dashes, _, legend in styles]
    labels = [{"border": border, "label": legend} for border, legend in LABEL_STYLE.values()]
    return {"nodes": nodes, "edges": edges, "labels": labels}


def _options(count: int) -> dict:
    """vis-network's options: seeded physics for a bounded number of iterations, or none if large."""
    iterations = max(ITERATIONS[0], min(ITERATIONS[1], ITERATION_BUDGET // max(count, 1)))
    large = count > LARGE
    physics = 0 < count <= LARGE  # an empty network never reports that it is stable
    return {
        "layout": {"randomSeed": SEED, "improvedLayout": count <= IMPROVED_LAYOUT},
        "physics": {
            "enabled": physics, "solver": "forceAtlas2Based", "minVelocity": 1,
            "forceAtlas2Based": {"gravitationalConstant": -160, "centralGravity": 0.012, "springLength": 170,
                                 "springConstant": 0.06, "damping": 0.5, "avoidOverlap": 0.5},
            "stabilization": {"enabled": physics, "iterations": iterations, "updateInterval": 25,
                              "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "multiselect": True,
                        "hideEdgesOnDrag": large, "hideEdgesOnZoom": large},
        "edges": {"smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.4},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}},
        "nodes": {"borderWidth": 1, "font": {"face": "system-ui, sans-serif"}},
    }


def ring_layout(graph: nx.DiGraph, spacing: float = 70.0) -> dict[str, tuple[int, int]]:
    """Fixed positions for a large graph, in linear time: vis-network's physics takes too long there.

    Actors go on the outer ring (grouped by type), norms on the middle one (ids put provisions
    beside their instrument), events on the inner one; each claim sits at the centre of the nodes
    it links, moved a little by an offset so that claims about the same things do not
    cover each other; the offset comes from the claim's key, so it never changes.
    """
    rings = {kind: sorted((key for key, k in graph.nodes(data="kind") if k == kind),
                          key=lambda key: (graph.nodes[key].get("actor_type", ""), key))
             for kind in ("actor", "norm", "event")}
    positions: dict[str, tuple[float, float]] = {}
    radius = 0.0
    for kind in ("event", "norm", "actor"):
        keys = rings[kind]
        radius = max(radius + 4 * spacing, spacing * len(keys) / (2 * math.pi))
        for index, key in enumerate(keys):
            angle = 2 * math.pi * index / len(keys)
            positions[key] = (radius * math.cos(angle), radius * math.sin(angle))
    for key in sorted(graph.nodes):
        if key in positions:
            continue
        linked = [positions[other] for other in (*graph.predecessors(key), *graph.successors(key))
                  if other in positions]
        x, y = (sum(p[0] for p in linked) / len(linked), sum(p[1] for p in linked) / len(linked)) \
            if linked else (0.0, 0.0)
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=3).digest()  # its own offset, always
        angle, distance = 2 * math.pi * digest[0] / 256, spacing * (0.5 + digest[1] / 255 + digest[2] / 255)
        positions[key] = (x + distance * math.cos(angle), y + distance * math.sin(angle))
    return {key: (round(x), round(y)) for key, (x, y) in positions.items()}


def _focus_key(graph: nx.DiGraph, focus: str | None) -> str | None:
    """The node ``--focus`` names: ``kind:id``, or a bare id looked up as a claim, actor, norm, event."""
    if focus is None:
        return None
    for key in (focus, *(f"{kind}:{focus}" for kind in KINDS)):
        if key in graph:
            return key
    known = sorted({key.partition(":")[2] for key in graph})
    raise QueryError(f"--focus: no claim, actor, norm or event '{focus}' in the page"
                     f"{did_you_mean(focus, known)}; is it outside the scope?")


# --- the packaged files --------------------------------------------------------------------------

_VIS_VERSION = "9.1.2"  # the vis-network that pyvis 0.3.x ships in templates/lib


def _vis_asset(name: str) -> str:
    """vis-network's script or style sheet, as pyvis ships it for ``cdn_resources="in_line"``."""
    return read_asset(files("pyvis") / "templates" / "lib" / f"vis-{_VIS_VERSION}" / name,
                      f"pyvis's vis-network {_VIS_VERSION} {name}")


def render_page(output: Path | str, *, corpus_dir: Path | str = DEFAULT_CORPUS,
                data: Path | str | None = None, scope=None, focus: str | None = None) -> Path:
    """Write the interactive graph page (pyvis, works offline) for the corpus or a built file."""
    check_output(output)
    engine = open_engine("oxigraph", corpus_dir=corpus_dir, data=data)
    return write_page(engine, output, scope=scope, focus=focus)
