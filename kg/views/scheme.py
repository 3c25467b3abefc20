"""The legal test as a table: elements as rows, parties as columns, who affirms or denies what.

A moot-court student preparing the self-defence question wants the test laid out the way a
lawyer works through it: each element (the conditions, then the exceptions) with the question a
lawyer asks of it, and, for each party to the dispute, whether it affirms the element, denies it,
or applies the test without addressing it — then it *assumes* the condition (Carneades: an
assumption holds until someone questions it). That is ``kg scheme NAME``.

- **Parties** are the claimants in scope who apply the test, take a position on one of its
  elements, or apply a test that establishes one of its exceptions (a claim applying self-defence
  affirms the self-defence exception to the prohibition of force); those applying the test come
  first, each group by name.
- **Cells**: ``affirms``, ``denies`` or ``assumes``, with the numbers of the claims that take the
  position (listed under the table with their propositions); a party that affirms or denies an
  element is not also said to assume it. ``--quotes`` adds each claim's quotes to its cell.
- **Elements** are in the catalogue's order (``ontology/schemes.yaml``, then a corpus's own
  ``catalogues/schemes.yaml``): the order in which the sources state the test. RDF keeps no order,
  so the files are read for it; an element they do not list comes after, by id.

``-f html`` writes one self-contained page (:func:`scheme_html`): the same table, with a control
on each element (open / holds / fails) that recomputes, in the page, the labels of the claims
under the structured reading (:mod:`kg.argument.toggles`; the script is shared with ``kg
render``'s page). Same input, same bytes; every text from the data is escaped.
"""

from __future__ import annotations

import csv
import io
import textwrap
from dataclasses import dataclass, fields
from pathlib import Path

import networkx as nx
import yaml

from ..argument.map import CatalogueElement, CatalogueScheme, Scope, argument_map, claim_parties, claim_text
from ..corpus.dates import PartialDate
from ..corpus.fields import did_you_mean_entry
from ..errors import QueryError, SetupError
from ..graph.output import check_output, write_atomic
from ..graph.pipeline import DEFAULT_CORPUS
from ..resources import ontology_dir
from ..sparql.engines import Engine, open_engine
from ..sparql.results import column_widths
from .pages import asset, csp, script_json, template_environment

FORMATS = ("table", "md", "csv", "html")
POSITIONS = ("affirms", "denies", "assumes")
ROLES = ("condition", "exception")
KEY = ("Cells: affirms or denies the element, or assumes it (applies the test without addressing "
       "the condition); [n] are the claims listed below.")


@dataclass(frozen=True)
class Party:
    id: str
    name: str


@dataclass(frozen=True)
class Cell:
    """What one party says of one element: its positions (of POSITIONS) and the claims saying it."""

    positions: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()  # claim ids, in the table's numbering order
    via: tuple[str, ...] = ()  # tests applied that establish the element (an exception), by label


@dataclass(frozen=True)
class SchemeTable:
    """The table of one legal test over the claims of a map."""

    scheme: CatalogueScheme
    elements: tuple[CatalogueElement, ...]  # conditions, then exceptions
    parties: tuple[Party, ...]
    cells: dict[tuple[str, str], Cell]  # (element id, party id) -> cell
    claims: tuple[str, ...]  # the claims the cells cite, numbered from 1 in this order
    graph: nx.DiGraph  # the map

    def number(self, claim: str) -> int:
        return self.claims.index(claim) + 1

    def refs(self, cell: Cell) -> str:
        return "[" + ", ".join(str(self.number(c)) for c in cell.claims) + "]" if cell.claims else ""


def short_label(scheme: CatalogueScheme) -> str:
    """A test's label without its sources: "Self-defence" for "Self-defence (UN Charter Art. 51
    and customary law)", the name a student types."""
    return scheme.label.split(" (", 1)[0]


def find_scheme(catalogue: dict[str, CatalogueScheme], name: str) -> CatalogueScheme:
    """The legal test ``name`` names: its id, its label or its label without the sources in
    parentheses, in any case, in that order; else a one-line error that says which test an
    element's name belongs to, or suggests the nearest test.

    Tests come before elements: "Self-defence" is the label of a test and of an exception of
    the prohibition of force, and a student who types it means the test."""
    wanted = " ".join(name.split()).casefold()
    for key in (lambda s: s.id, lambda s: s.label, short_label):
        found = [scheme for scheme in catalogue.values() if key(scheme).casefold() == wanted]
        if len(found) == 1:
            return found[0]
    known = ", ".join(sorted(catalogue)) or "none in the graph"
    # an element's id, slug or label names the tests it belongs to
    owners = sorted({scheme.id for scheme in catalogue.values() for e in scheme.elements
                     if wanted in (e.id.casefold(), e.id.rpartition("/")[2].casefold(), e.label.casefold())})
    if owners:
        tests = " or ".join(f"'{owner}'" for owner in owners)
        raise QueryError(f"'{name}' is an element of the legal test{'s' if len(owners) > 1 else ''} {tests}, "
                         f"not a test: kg scheme {owners[0]}")
    names = {scheme.id: scheme.id for scheme in catalogue.values()}  # tests only, never an element
    names.update({scheme.label: scheme.id for scheme in catalogue.values()})
    names.update({short_label(scheme): scheme.id for scheme in catalogue.values()})
    raise QueryError(f"unknown legal test '{name}'{did_you_mean_entry(name, names)}; known: {known}")


def element_order(corpus_dir: Path | str | None) -> dict[str, int]:
    """Each element id -> its place in the catalogue files (the order the sources state the test)."""
    files = [ontology_dir() / "schemes.yaml"]
    if corpus_dir is not None:
        files.append(Path(corpus_dir) / "catalogues" / "schemes.yaml")
    order: dict[str, int] = {}
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
        except (OSError, yaml.YAMLError):
            continue  # the order is a courtesy; the graph says what the elements are
        for scheme in (data or {}).get("schemes") or []:
            if not isinstance(scheme, dict):
                continue
            for element in scheme.get("elements") or []:
                if isinstance(element, dict) and element.get("id") is not None:
                    order.setdefault(f"{scheme.get('id')}/{element['id']}", len(order))
    return order


def in_order(elements, order: dict[str, int]) -> tuple[CatalogueElement, ...]:
    """A test's ``elements`` as a lawyer goes through them: conditions, then exceptions, each in
    the catalogue's order (``order``, from :func:`element_order`; then by id)."""
    return tuple(sorted(elements, key=lambda e: (ROLES.index(e.role), order.get(e.id, len(order)), e.id)))


def scheme_table(graph: nx.DiGraph, name: str, order: dict[str, int] | None = None) -> SchemeTable:
    """The table of the legal test ``name`` over the claims of ``graph`` (an argument map, whose
    ``scheme_catalogue`` names the tests)."""
    catalogue = graph.graph.get("scheme_catalogue") or {}
    scheme = find_scheme(catalogue, name)
    order = order or {}
    elements = in_order(scheme.elements, order)
    ids = {e.id for e in elements}
    establishing = {s.id: s.label for s in catalogue.values() if s.establishes in ids}
    said: dict[tuple[str, str], dict[str, set[str]]] = {}  # (element, party) -> position -> claims
    via: dict[tuple[str, str], set[str]] = {}
    applying: set[str] = set()
    for claim, data in graph.nodes(data=True):
        party, applies = data["claimant"], scheme.id in data.get("schemes", [])
        stated = {e: "affirms" for e in data.get("affirms", []) if e in ids}
        stated.update({e: "denies" for e in data.get("denies", []) if e in ids})
        for test in data.get("schemes", []):
            if test in establishing:
                stated.setdefault(catalogue[test].establishes, "affirms")
                via.setdefault((catalogue[test].establishes, party), set()).add(establishing[test])
        if applies:
            applying.add(party)
            for element in elements:
                if element.role == "condition":
                    stated.setdefault(element.id, "assumes")
        for element, position in stated.items():
            said.setdefault((element, party), {}).setdefault(position, set()).add(claim)
    names = {data["claimant"]: data["claimant_label"] for _, data in graph.nodes(data=True)}
    involved = {party for _, party in said}
    parties = tuple(Party(p, names[p]) for p in sorted(involved, key=lambda p: (p not in applying,
                                                                                names[p].casefold(), p)))
    rank = {party.id: index for index, party in enumerate(parties)}
    cited = {c for positions in said.values() for claims in positions.values() for c in claims}
    claims = tuple(sorted(cited, key=lambda c: (rank[graph.nodes[c]["claimant"]], graph.nodes[c]["date"], c)))
    cells = {}
    for (element, party), positions in said.items():
        if "affirms" in positions or "denies" in positions:
            positions.pop("assumes", None)  # an explicit position says more than an assumption
        shown = tuple(p for p in POSITIONS if p in positions)
        cells[element, party] = Cell(shown, tuple(c for c in claims if any(c in positions[p] for p in shown)),
                                     tuple(sorted(via.get((element, party), ()))))
    return SchemeTable(scheme, elements, parties, cells, claims, graph)


# --- text, Markdown and CSV ----------------------------------------------------------------------


def _cell_text(table: SchemeTable, element: str, party: str, quotes: bool) -> str:
    cell = table.cells.get((element, party))
    if cell is None:
        return ""
    text = " and ".join(cell.positions) + (f" {table.refs(cell)}" if cell.claims else "")
    if cell.via:
        text += f" (by applying {'; '.join(cell.via)})"
    if quotes:
        text += "".join(f" [{table.number(c)}] “{q}”" for c in cell.claims
                        for q in _quotes(table.graph.nodes[c]))
    return text


def _quotes(data: dict) -> list[str]:
    """A claim's quotes, each text once: a passage quoted twice (a pull-quote repeating the body)
    is two pieces of evidence for an export (AIF keeps both locutions) but one thing to read."""
    return list(dict.fromkeys(data.get("quotes") or [data["quote"]]))


def _element_text(element: CatalogueElement) -> str:
    return f"{element.label} ({element.role}) — {element.question}".strip(" —")


def _grid(table: SchemeTable, quotes: bool) -> tuple[list[str], list[list[str]]]:
    header = ["Element", *(party.name for party in table.parties)]
    body = [[_element_text(e), *(_cell_text(table, e.id, p.id, quotes) for p in table.parties)]
            for e in table.elements]
    return header, body


def _claim_lines(table: SchemeTable) -> list[str]:
    lines = []
    for number, claim in enumerate(table.claims, 1):
        data = table.graph.nodes[claim]
        lines.append(f"[{number}] {claim_text(data)} — {claim_parties(data)} ({claim}, {data['date']})")
    return lines


def _title(table: SchemeTable) -> str:
    return f"{table.scheme.label}: {table.scheme.conclusion}".rstrip(": ")


def table_text(table: SchemeTable, *, quotes: bool = False, width: int | None = None) -> str:
    """The table for a terminal: wrapped to ``width`` columns (None: one line a row)."""
    header, body = _grid(table, quotes)
    body = [[" ".join(cell.split()) for cell in row] for row in body]
    natural = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    widths = natural if width is None else column_widths(natural, [min(len(h), 20) for h in header], width)
    out = [_title(table), KEY, ""]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    for number, row in enumerate([header, *body]):
        cells = [textwrap.wrap(c, w, break_on_hyphens=False) or [""]
                 for c, w in zip(row, widths, strict=True)]
        for depth in range(max(len(c) for c in cells)):
            out.append(line([c[depth] if depth < len(c) else "" for c in cells]))
        out.append("  ".join("-" * w for w in widths) if number == 0 else "")
    if not table.parties:
        out.append("(no claim in scope applies the test or takes a position on its elements)")
    out += _claim_lines(table)
    return "\n".join(out).rstrip("\n") + "\n"


def _md(text: str) -> str:
    """A Markdown table cell that shows ``text`` as written (no HTML, no links, one line)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("[", "\\[").replace("]", "\\]").replace("|", "\\|")
    return " ".join(text.split())


def table_markdown(table: SchemeTable, *, quotes: bool = False) -> str:
    header, body = _grid(table, quotes)
    lines = [f"**{_md(_title(table))}**", "", _md(KEY), "",
             "| " + " | ".join(_md(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in body]
    lines.append("")
    lines += [f"{_md(line)}  " for line in _claim_lines(table)]
    return "\n".join(lines).rstrip() + "\n"


def table_csv(table: SchemeTable, *, quotes: bool = False) -> str:
    """One row per element (id, label, role, critical question), one column per party."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(["element", "label", "role", "question", *(p.name for p in table.parties)])
    for element in table.elements:
        writer.writerow([element.id, element.label, element.role, element.question,
                         *(_cell_text(table, element.id, p.id, quotes) for p in table.parties)])
    return text.getvalue()


# --- the page ------------------------------------------------------------------------------------


SCRIPTS = (("shared_assets", "assumptions.js"), ("scheme_assets", "page.js"))


def scheme_html(table: SchemeTable, model: dict, *, summary: str = "") -> str:
    """The page of ``table``, with the toggle ``model`` of its map (:func:`kg.argument.toggles.
    toggle_model`) for the controls that assume an element holds or fails."""
    from markupsafe import Markup

    scripts = [asset(folder, name) for folder, name in SCRIPTS]
    labels = model.get("labels", {})
    others = sorted(set(table.graph) - set(table.claims))
    claims = [_claim_view(table.graph, claim, labels, number) for number, claim in enumerate(table.claims, 1)]
    rows = []
    for element in table.elements:
        cells = []
        for party in table.parties:
            cell = table.cells.get((element.id, party.id), Cell())
            cells.append({"positions": cell.positions, "via": cell.via,
                          "claims": [{"id": c, "number": table.number(c), "label": labels.get(c, ""),
                                      "quotes": _quotes(table.graph.nodes[c])} for c in cell.claims]})
        rows.append({"element": element, "cells": cells, "toggle": element.id in model.get("elements", {})})
    template = template_environment().from_string(asset("scheme_assets", "page.html"))
    return template.render(
        title=table.scheme.label, conclusion=table.scheme.conclusion, summary=summary, key=KEY,
        csp=csp(scripts), style=Markup(asset("scheme_assets", "page.css")),  # noqa: S704 a packaged file
        scripts=[Markup(script) for script in scripts],  # noqa: S704 packaged files
        data=Markup(script_json({"model": model, "scheme": table.scheme.id})),  # noqa: S704 escaped
        parties=table.parties, rows=rows, claims=claims,
        others=[_claim_view(table.graph, claim, labels, None) for claim in others],
        reading=_reading(model),
    )


def _claim_view(graph: nx.DiGraph, claim: str, labels: dict, number: int | None) -> dict:
    data = graph.nodes[claim]
    return {"id": claim, "number": number, "text": claim_text(data), "parties": claim_parties(data),
            "date": data["date"], "label": labels.get(claim, "")}


def _reading(model: dict) -> str:
    preference = (model.get("preference") or {}).get("name") or "none"
    return (f"Labels: the structured reading of the claims in scope (ASPIC+, "
            f"{model.get('semantics', 'grounded')} semantics, {model.get('ordering', 'last-link')} ordering, "
            f"preference: {preference}). "
            "In, out and undecided are a structural reading of the annotated arguments, not a legal verdict.")


# --- the command ---------------------------------------------------------------------------------


def _scope_summary(scope: Scope | None, count: int) -> str:
    values = [(field.name, getattr(scope, field.name)) for field in fields(Scope)] if scope else []
    limits = [f"{name} {value.text if isinstance(value, PartialDate) else value}"
              for name, value in values if value is not None]
    return f"{count:,} claim{'s' if count != 1 else ''} in scope ({', '.join(limits) or 'the whole graph'})."


def scheme_output(engine: Engine, name: str, fmt: str = "table", *, scope: Scope | None = None,
                  quotes: bool = False, width: int | None = None,
                  corpus_dir: Path | str | None = None) -> str:
    """The table of legal test ``name`` over the claims in ``scope``, in format ``fmt``."""
    return _scheme_text(engine, name, fmt, scope=scope, quotes=quotes, width=width,
                        corpus_dir=corpus_dir)[0]


def _scheme_text(engine: Engine, name: str, fmt: str, *, scope: Scope | None, quotes: bool,
                 width: int | None, corpus_dir: Path | str | None) -> tuple[str, SchemeTable]:
    if fmt not in FORMATS:
        raise SetupError(f"unknown format '{fmt}' for kg scheme; known: {', '.join(FORMATS)}")
    graph = argument_map(engine, scope)
    table = scheme_table(graph, name, element_order(corpus_dir))
    if fmt == "table":
        return table_text(table, quotes=quotes, width=width), table
    if fmt == "md":
        return table_markdown(table, quotes=quotes), table
    if fmt == "csv":
        return table_csv(table, quotes=quotes), table
    from ..argument.toggles import toggle_model

    return scheme_html(table, toggle_model(graph, engine=engine),
                       summary=_scope_summary(scope, graph.number_of_nodes())), table


def scheme_of(name: str, fmt: str = "table", *, corpus_dir: Path | str = DEFAULT_CORPUS,
              data: Path | str | None = None, scope: Scope | None = None, quotes: bool = False,
              width: int | None = None, output: Path | str | None = None,
              html_folder: Path | str | None = None) -> str | Path:
    """``kg scheme``: the table as text, or written atomically to ``output`` (then its path). An
    HTML page with no ``output`` goes to ``html_folder``/scheme-ID.html, named by the test found
    (``kg scheme "Self-defence"`` writes scheme-self-defence.html, not a file named as typed)."""
    if output is not None:
        check_output(output)
    engine = open_engine("oxigraph", corpus_dir=corpus_dir, data=data)
    text, table = _scheme_text(engine, name, fmt, scope=scope, quotes=quotes, width=width,
                               corpus_dir=None if data is not None else corpus_dir)
    if output is None and fmt == "html" and html_folder is not None:
        output = check_output(Path(html_folder) / f"scheme-{table.scheme.id}.html")
    if output is None:
        return text
    write_atomic(output, text.encode("utf-8"))
    return Path(output)
