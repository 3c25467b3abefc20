"""The argument-map exporters, each export checked by the program that reads its format.

AIF is loaded by arguebuf, Argdown is linted and mapped by ``@argdown/cli``, Mermaid parsed by
Mermaid's own parser (both from tools/readers), DOT rendered by Graphviz, SVG parsed as XML, GraphML
read back by networkx, JSON-LD by rdflib, CSV by the csv module. A missing tool fails the test with
the set-up step that installs it: a skipped check would pass CI without checking anything.

Snapshots of a small fixed map are in tests/snapshots/map.<extension>; after an intended change,
rewrite them with ``KG_UPDATE_SNAPSHOTS=1 python -m pytest tests/argument/test_exporters.py`` and review the
diff.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner
from rdflib import RDFS, Graph, Literal
from rdflib.compare import isomorphic

from kg.argument.exporters import EXPORTERS
from kg.argument.exporters._shared import caption_lines
from kg.argument.exporters.argdown import argdown_text, argdown_titles
from kg.argument.exporters.csv import COLUMNS
from kg.argument.exporters.dot import dot_string
from kg.argument.exporters.mermaid import mermaid_text
from kg.argument.exporters.structure import at_stake, edge_kind, scheme_arguments
from kg.argument.map import CatalogueElement, CatalogueScheme, claim_parties, claim_text
from kg.cli import cli
from kg.errors import SetupError
from kg.graph.namespaces import ILK

from ..conftest import CORPUS, REPO

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
READERS = REPO / "tools" / "readers"
ARGDOWN_CLI = READERS / "node_modules" / ".bin" / "argdown"
MERMAID_PARSE = READERS / "mermaid-parse.mjs"
UPDATE_SNAPSHOTS = os.environ.get("KG_UPDATE_SNAPSHOTS") == "1"

FORMATS = sorted(EXPORTERS)
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


# --- maps built by hand, with the node attributes of kg.argument.map.argument_map --------------------

def add_claim(graph: nx.DiGraph, claim: str, *, claimant: str, claimant_label: str, stance: str,
              stance_label: str, norms: list[str], date: str, quote_text: str, proposition: str,
              acceptance: str | None = None, voiced_by: str | None = None, label: str | None = None,
              against: tuple[tuple[str, str], ...] = (("VEN", "Venezuela"),),
              schemes: tuple[tuple[str, str], ...] = (), affirms: tuple[tuple[str, str], ...] = (),
              denies: tuple[tuple[str, str], ...] = (), more_quotes: tuple[str, ...] = ()) -> None:
    norm_ids = [re.sub(r"[^a-z0-9]+", "-", n.lower()).strip("-") for n in norms]
    graph.add_node(
        claim, iri=f"https://w3id.org/ilkg/claim/{quote(claim, safe='')}",
        label=label or " — ".join([claimant_label, stance_label, *(["; ".join(norms)] if norms else [])]),
        claimant=claimant, claimant_label=claimant_label, stance=stance, stance_label=stance_label,
        date=date, document="doc-1", voiced_by=voiced_by, quote=quote_text,
        quotes=[quote_text, *more_quotes], proposition=proposition, proposition_es=None,
        against=[name for _, name in against], against_ids=[party for party, _ in against],
        norms=norms, norm_ids=norm_ids,
        events=["US strikes on boats in the Caribbean"], event_ids=["us-boat-strikes"],
        schemes=[i for i, _ in schemes], scheme_labels=[n for _, n in schemes],
        affirms=[i for i, _ in affirms], affirm_labels=[n for _, n in affirms],
        denies=[i for i, _ in denies], deny_labels=[n for _, n in denies],
    )
    if acceptance:
        graph.nodes[claim]["acceptance"] = acceptance


def attack(graph: nx.DiGraph, source: str, target: str, kind: str) -> None:
    graph.add_edge(source, target, relation="attacks", kind=kind, kinds=[kind])


SELF_DEFENCE = ("self-defence", "Self-defence (UN Charter Art. 51)")
FORCE = ("prohibition-of-force", "Prohibition of the use of force")
ARMED_ATTACK = ("self-defence/armed-attack", "Armed attack")
USE_OF_FORCE = ("prohibition-of-force/use-or-threat-of-force", "Threat or use of armed force")
SELF_DEFENCE_EXCEPTION = ("prohibition-of-force/self-defence", "Self-defence")
CATALOGUE = {
    "prohibition-of-force": CatalogueScheme("prohibition-of-force", FORCE[1], "Force is unlawful.", (
        CatalogueElement(SELF_DEFENCE_EXCEPTION[0], SELF_DEFENCE_EXCEPTION[1], "exception", "Self-defence?"),
        CatalogueElement(USE_OF_FORCE[0], USE_OF_FORCE[1], "condition", "Was force used?"))),
    "self-defence": CatalogueScheme("self-defence", SELF_DEFENCE[1], "The force was lawful self-defence.", (
        CatalogueElement(ARMED_ATTACK[0], ARMED_ATTACK[1], "condition", "Was there an armed attack?"),
        CatalogueElement("self-defence/necessity", "Necessity", "condition", "Was force necessary?"))),
}


def small_map() -> nx.DiGraph:
    """Five claims with every relation, every kind of attack and every acceptance, legal tests
    applied and answered, elements affirmed, denied and assumed: the snapshots' map."""
    graph = nx.DiGraph(semantics="grounded", scheme_catalogue=CATALOGUE)
    add_claim(graph, "us-self-defence", claimant="USA", claimant_label="United States of America",
              stance="Justifies", stance_label="justifies", norms=["UN Charter Art. 51"], date="2025-09",
              quote_text="The strikes are lawful acts of self-defence.", acceptance="out",
              more_quotes=("We acted under Article 51.",), schemes=(SELF_DEFENCE,),
              proposition="The boat strikes are lawful self-defence under Article 51.")
    add_claim(graph, "ven-no-armed-attack", claimant="VEN", claimant_label="Venezuela",
              stance="RejectsJustification", stance_label="rejects justification",
              norms=["UN Charter Art. 51"], date="2025-09-15", voiced_by="yvan-gil",
              quote_text="There has been no armed attack by Venezuela.", acceptance="in",
              against=(("USA", "United States of America"),), denies=(ARMED_ATTACK,),
              proposition="Venezuela made no armed attack, so Article 51 cannot justify the strikes.")
    add_claim(graph, "amnesty-unlawful-force", claimant="amnesty-international",
              claimant_label="Amnesty International", stance="AllegesViolation",
              stance_label="alleges violation", norms=["UN Charter Art. 2(4)", "Right to life"],
              date="2026-02-03", quote_text="It is an unlawful use of force.", acceptance="undec",
              against=(("USA", "United States of America"), ("VEN", "Venezuela")), schemes=(FORCE,),
              affirms=(USE_OF_FORCE,), denies=(SELF_DEFENCE_EXCEPTION,),
              proposition="The US used force against Venezuela unlawfully, without a case of self-defence.")
    add_claim(graph, "us-denies-force", claimant="USA", claimant_label="United States of America",
              stance="DeniesAllegation", stance_label="denies allegation", norms=[], date="2026",
              quote_text="This was a law-enforcement operation.", acceptance="undec",
              against=(("amnesty-international", "Amnesty International"),), denies=(USE_OF_FORCE,),
              proposition="The operation was law enforcement, not a use of force.")
    add_claim(graph, "nam-demands-compliance", claimant="nam", claimant_label="Non-Aligned Movement",
              stance="DemandsCompliance", stance_label="demands compliance", norms=[], date="2025-11",
              quote_text="We call for full respect of the Charter.", acceptance="in", against=(),
              proposition="Every State must respect the UN Charter.")
    attack(graph, "ven-no-armed-attack", "us-self-defence", "undercuts")
    graph.add_edge("ven-no-armed-attack", "amnesty-unlawful-force", relation="supports")
    attack(graph, "us-denies-force", "amnesty-unlawful-force", "rebuts")
    attack(graph, "amnesty-unlawful-force", "us-denies-force", "rebuts")
    attack(graph, "nam-demands-compliance", "us-self-defence", "undermines")
    attack(graph, "us-denies-force", "nam-demands-compliance", "attacks")
    return graph


HOSTILE_LABEL = ('He said "stop" & she\'s <script>alert(1)</script>: #tag | [a] {b} // c /* d */\n'
                 "next line === @[x] <arg> *bold* _it_ `code` ; 50% \\ back")
HOSTILE_QUOTE = "first line\nsecond: 'x' [y] {z} | <b>&amp; #1 &lt; .s. :smile: -- end"
HOSTILE_TEST = ("s<1>]", 'Test "one" & <b>two</b> [x] {y} // z')
HOSTILE_ELEMENT = ("s<1>]/e]1", "Element <i>one</i> #2 `x` ; y: z")


def hostile_map() -> nx.DiGraph:
    """Propositions, labels, quotes, tests, elements and ids full of what some format treats as syntax."""
    graph = nx.DiGraph(semantics="grounded")
    add_claim(graph, "c:1#x", claimant="odd:actor", claimant_label='The "Quoted" <Actor> & Co.',
              stance="Justifies", stance_label="justifies", norms=['Norm "A" & <B>'], date="2026-01-03",
              quote_text=HOSTILE_QUOTE, acceptance="in", label=HOSTILE_LABEL, proposition=HOSTILE_LABEL,
              denies=(HOSTILE_ELEMENT,), more_quotes=("<!-- second --> ]]> {{q}}",))
    add_claim(graph, "end", claimant="graph", claimant_label="subgraph; end",
              stance="AllegesViolation", stance_label="alleges violation", norms=[], date="2026-01",
              quote_text="  leading spaces, a trailing backslash \\", acceptance="out",
              label="-- graph { } subgraph ; end \"\" ''", proposition="-- graph { } subgraph ; end \"\" ''",
              schemes=(HOSTILE_TEST,))
    add_claim(graph, "[bracket] id", claimant="x", claimant_label="X", stance="AffirmsNorm",
              stance_label="affirms norm", norms=[], date="2026", quote_text="<!-- not a comment -->",
              acceptance="undec", label="+ starts like a relation ===== -> <- .~. :x: {a: b}",
              proposition="+ starts like a relation ===== -> <- .~. :x: {a: b}", affirms=(HOSTILE_ELEMENT,))
    attack(graph, "c:1#x", "end", "undercuts")
    graph.add_edge("[bracket] id", "c:1#x", relation="supports")
    attack(graph, "end", "[bracket] id", "rebuts")
    attack(graph, "[bracket] id", "end", "rebuts")
    return graph


def export(fmt: str, graph: nx.DiGraph) -> bytes:
    stream = io.BytesIO()
    EXPORTERS[fmt]().serialize(graph, stream)
    return stream.getvalue()


def relations(graph: nx.DiGraph) -> Counter:
    return Counter(d["relation"] for _, _, d in graph.edges(data=True))


def normal(text: str) -> str:
    return " ".join(text.split())


# --- the tools, or a failure that says how to install them -----------------------------------------

def dot_program() -> str:
    found = shutil.which("dot")
    if found is None:
        pytest.fail("Graphviz's `dot` is not installed: run `apt-get install -y graphviz` (.ci/run does)")
    return found


def node_program() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.fail("Node.js is not installed: run `apt-get install -y nodejs npm` (.ci/run does)")
    if not (READERS / "node_modules" / ".package-lock.json").exists():
        pytest.fail("the readers in tools/readers are not installed: run `npm ci --prefix tools/readers` "
                    "(make test does)")
    return found


def argdown_cli() -> Path:
    node_program()
    return ARGDOWN_CLI


def arguebuf_module():
    try:
        import arguebuf
    except ImportError:
        pytest.fail("arguebuf is not installed: run `pip install -e '.[test]'` (make test does); "
                    "arguebuf needs Python 3.11 or later")
    return arguebuf


def render_svg(source: bytes) -> bytes:
    done = subprocess.run([dot_program(), "-Tsvg"], input=source, capture_output=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b"", done.stderr.decode()
    return done.stdout


def argdown_json(source: bytes, folder: Path) -> dict:
    """Lint ``source`` with the Argdown CLI and return its JSON export, map included.

    ``argdown json`` leaves the map out (its process has no build-map step), so the CLI runs the
    same steps from a config file: parse, log parser errors, build the model and the map, export
    JSON. Parser errors make the CLI exit with 1.
    """
    cli_path = argdown_cli()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "map.argdown").write_bytes(source)
    config = folder / "argdown.config.json"
    config.write_text(json.dumps({
        "process": ["load-file", "parse-input", "log-parser-errors", "build-model", "build-map",
                    "colorize", "export-json", "save-as-json"],
        "saveAs": {"outputDir": str(folder / "json")},
    }), encoding="utf-8")
    done = subprocess.run([str(cli_path), "map.argdown", "--config", str(config)], cwd=folder,
                          capture_output=True, text=True, timeout=300, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "error" not in output.lower(), output
    return json.loads((folder / "json" / "map.json").read_text(encoding="utf-8"))


def svg_texts(svg: bytes) -> list[str]:
    """What a reader of the SVG sees: each node's lines joined, and every hover text."""
    root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it
    texts = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") in ("node", "edge"):
            texts.append(" ".join(t.text or "" for t in group.iter(f"{SVG}text")))
    texts += [a.get(f"{XLINK}title") or "" for a in root.iter(f"{SVG}a")]
    return texts


def mermaid_parse(source: bytes, folder: Path) -> dict:
    """Mermaid's own parse of ``source``: diagram type, nodes (id, text shown), edges."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "map.mmd"
    path.write_bytes(source)
    done = subprocess.run([node_program(), str(MERMAID_PARSE), str(path)], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)[str(path)]


def read_back(fmt: str, data: bytes, folder: Path) -> list[str]:
    """The texts a reader of ``data`` gets back, through the format's own reader."""
    if fmt == "aif":
        return [node["text"] for node in json.loads(data)["nodes"]]
    if fmt == "argdown":
        document = argdown_json(data, folder)
        return [node["labelText"] for node in document["map"]["nodes"]]
    if fmt == "csv":
        return [cell for row in csv.reader(io.StringIO(data.decode("utf-8"))) for cell in row]
    if fmt == "dot":
        return svg_texts(render_svg(data))
    if fmt == "svg":
        return svg_texts(data)
    if fmt == "graphml":
        graph = nx.read_graphml(io.BytesIO(data))
        return [value for _, attrs in graph.nodes(data=True) for value in attrs.values()]
    if fmt == "jsonld":
        rdf = Graph().parse(data=data, format="json-ld")
        return [str(o) for o in rdf.objects() if isinstance(o, Literal)]
    if fmt == "mermaid":
        return [text for _, text in mermaid_parse(data, folder)["nodes"]]
    raise AssertionError(f"no reader for {fmt}: add one to read_back")


# --- the registry -------------------------------------------------------------------------------

def test_every_format_of_the_brief_is_registered():
    assert set(FORMATS) == {"aif", "argdown", "csv", "dot", "graphml", "jsonld", "mermaid", "svg"}
    for fmt, exporter in EXPORTERS.items():
        assert exporter.name == fmt
        assert exporter.extension.startswith(".") and exporter.media_type and exporter.description


# --- one test over every exporter ---------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_export_is_deterministic_and_escapes_hostile_text(fmt, tmp_path):
    graph = hostile_map()
    data = export(fmt, graph)
    assert data
    assert export(fmt, graph) == data
    reordered = nx.DiGraph()
    reordered.graph.update(graph.graph)
    reordered.add_nodes_from(reversed(list(graph.nodes(data=True))))
    reordered.add_edges_from(reversed(list(graph.edges(data=True))))
    assert export(fmt, reordered) == data, "output depends on the order nodes were added"
    texts = [normal(t) for t in read_back(fmt, data, tmp_path)]
    shown = [n for n in graph if fmt != "csv" or graph.degree(n)]  # CSV lists relations only
    for node in shown:
        proposition = normal(claim_text(graph.nodes[node]))
        assert any(proposition in text for text in texts), f"{fmt}: {node!r}: {proposition!r} not in {texts}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_map_without_claims_exports_and_reads_back_empty(fmt, tmp_path):
    """A scope that matches nothing still gives a valid file, not a tool error."""
    empty = nx.DiGraph(semantics="grounded")
    texts = read_back(fmt, export(fmt, empty), tmp_path)
    assert texts == (COLUMNS if fmt == "csv" else [])


def test_bytes_do_not_depend_on_the_hash_seed(tmp_path):
    """rdflib and sets iterate in hash order, which changes between runs: the bytes must not."""
    script = (
        "import hashlib, json\n"
        "from tests.argument.test_exporters import export, small_map, FORMATS\n"
        "print(json.dumps({f: hashlib.sha256(export(f, small_map())).hexdigest() for f in FORMATS}))\n"
    )
    digests = []
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, cwd=REPO, timeout=300,
                              check=False)
        assert done.returncode == 0, done.stderr
        digests.append(json.loads(done.stdout))
    assert digests[0] == digests[1]


# --- whom a claim is against, and what its acceptance is not -----------------------------------

def against_texts(fmt: str, data: bytes, folder: Path) -> list[str]:
    """Where each format says whom a claim is against: in the text a reader sees, or (GraphML,
    JSON-LD) as the claim's own attribute or triple."""
    if fmt == "graphml":
        return [f"{attrs.get('parties')} | {attrs.get('against', '')}"
                for _, attrs in nx.read_graphml(io.BytesIO(data)).nodes(data=True)]
    if fmt == "jsonld":
        rdf = Graph().parse(data=data, format="json-ld")
        return [f"{claim} against {rdf.value(party, RDFS.label)}" for claim, party in
                rdf.subject_objects(ILK.against)]
    return read_back(fmt, data, folder)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_says_whom_a_claim_is_against(fmt, tmp_path):
    """Regression: the map, the SVG export and the timeline never showed whom a claim is against.
    Every format but JSON-LD (which has ilk:against) says it as the claim's parties: "Venezuela —
    rejects justification — against United States of America", next to the proposition."""
    graph = small_map()
    texts = [normal(t) for t in against_texts(fmt, export(fmt, graph), tmp_path)]
    for node, data in graph.nodes(data=True):
        if fmt == "csv" and not graph.degree(node):
            continue
        for name in data["against"]:
            expected = {"jsonld": f"{data['iri']} against {name}"}.get(fmt, normal(claim_parties(data)))
            assert name in expected
            assert any(expected in text for text in texts), f"{fmt}: {node}: {expected!r} not in {texts}"
    if fmt != "jsonld":
        nam = normal(claim_parties(graph.nodes["nam-demands-compliance"]))
        assert any(nam in text for text in texts) or fmt == "csv"
        assert not any("against" in text for text in texts if nam in text and "Charter" in text)


def acceptance_notes(fmt: str, data: bytes, folder: Path) -> list[str]:
    """What a reader of each format is told about the acceptance labels, read the format's way."""
    text = data.decode("utf-8")
    if fmt == "aif":
        return []  # AIF shows no acceptance at all (checked below), so it needs no note
    if fmt == "argdown":
        argdown_json(data, folder)  # the comment must not break the file
        return [line for line in text.splitlines() if line.startswith("//")]
    if fmt == "csv":
        return [row["acceptance_reading"] for row in csv.DictReader(io.StringIO(text))]
    if fmt in ("dot", "svg"):
        root = ET.fromstring(render_svg(data) if fmt == "dot" else data)  # noqa: S314 - our own output
        return [t.text or "" for t in root.iter(f"{SVG}text")]  # the drawing's title lines
    if fmt == "graphml":
        return [nx.read_graphml(io.BytesIO(data)).graph.get("acceptance_reading", "")]
    if fmt == "jsonld":
        rdf = Graph().parse(data=data, format="json-ld")
        return [str(c) for c in rdf.objects(ILK.acceptance, RDFS.comment)]
    if fmt == "mermaid":
        mermaid_parse(data, folder)  # Mermaid's own parser takes the front matter
        front = text.split("---\n")[1] if text.startswith("---\n") else ""
        return [str(yaml.safe_load(front)["title"])] if front else []
    raise AssertionError(f"no reader for {fmt}: add one to acceptance_notes")


@pytest.mark.parametrize("fmt", FORMATS)
def test_exported_acceptance_says_it_is_no_legal_verdict(fmt, tmp_path):
    """Regression: the exports printed "[grounded: out]" with no word that this is a structural
    reading of the annotated attacks, not a legal verdict."""
    labelled_map = small_map()
    notes = acceptance_notes(fmt, export(fmt, labelled_map), tmp_path / "labelled")
    if fmt == "aif":
        assert not any(label in text for text in read_back(fmt, export(fmt, labelled_map), tmp_path)
                       for label in ("grounded", "[in]", "undec"))
    else:
        assert any("not a legal verdict" in note for note in notes), notes
    unlabelled = small_map()
    unlabelled.graph.pop("semantics")
    for node in unlabelled:
        unlabelled.nodes[node].pop("acceptance")
    notes = acceptance_notes(fmt, export(fmt, unlabelled), tmp_path / "unlabelled")
    assert not any("legal verdict" in note for note in notes), notes


# --- escaping, table-driven ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ('say "hi"', '"say \\"hi\\""'),
    ("a\\b", '"a\\\\b"'),
    ("one\ntwo\r\nthree", '"one\\ntwo\\nthree"'),
    ("&lt; & <b>", '"&amp;lt; &amp; <b>"'),
    ("port:a#b", '"port:a#b"'),
    ("bell\x07", '"bell\ufffd"'),
])
def test_dot_string(text, expected):
    assert dot_string(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ('a "b"', "a #34;b#34;"),
    ("#1 & <script>", "#35;1 #38; #60;script#62;"),
    ("x: y; z", "x#58; y#59; z"),
    ("`md`", "#96;md#96;"),
    ("[a] {b} (c) | d", "[a] {b} (c) | d"),
])
def test_mermaid_text(text, expected):
    assert mermaid_text(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("[ref] <arg> #tag", "\\[ref\\] \\<arg\\> \\#tag"),
    ("@[m] *b* _i_ {d: 1}", "\\@\\[m\\] \\*b\\* \\_i\\_ \\{d: 1\\}"),
    ("// c /* d */ ===", "\\/\\/ c \\/\\* d \\*\\/ \\=\\=\\="),
    ("Art. 51: U.S.", "Art. 51: U\\.S."),
    (".~. :x:", "\\.~. \\:x:"),
    ("one\n- two", "one - two"),
    ("back\\slash", "back\\\\slash"),
])
def test_argdown_text(text, expected):
    assert argdown_text(text) == expected


# --- each format read by its tool -----------------------------------------------------------------

CONFLICT_NAMES = {"rebuts": "Rebutting", "undercuts": "Undercutting", "undermines": "Undermining",
                  "attacks": "Default Conflict"}


@pytest.mark.parametrize("make", [small_map, hostile_map], ids=["small", "hostile"])
def test_aif_loads_in_arguebuf(make, caplog):
    arguebuf = arguebuf_module()
    from arguebuf.model.scheme import Attack, Support

    graph = make()
    document = json.loads(export("aif", graph))
    assert isinstance(document["locutions"], list)
    nodes = {node["nodeID"]: node for node in document["nodes"]}
    kinds = {node_id: node["type"] for node_id, node in nodes.items()}
    assert [e for e in document["edges"] if kinds[e["fromID"]] == kinds[e["toID"]] == "I"] == []
    counts = Counter(kinds.values())
    arguments = {n: [a for a in scheme_arguments(graph, n) if a.premises] for n in graph}
    premises = sum(len(a.premises) for found in arguments.values() for a in found)
    stated = sum(p.position != "assumed" for found in arguments.values() for a in found for p in a.premises)
    said = sum(len(graph.nodes[n]["quotes"]) for n in graph)
    assert counts["I"] == graph.number_of_nodes() + premises
    assert counts["L"] == len(document["locutions"]) == said  # every quote, not only the first
    assert counts["YA"] == said + stated
    assert counts["RA"] == relations(graph)["supports"] + sum(map(len, arguments.values()))
    assert counts["CA"] == relations(graph)["attacks"]
    claimants = {graph.nodes[n]["claimant_label"] for n in graph}
    assert {p["firstname"] for p in document["participants"]} == claimants
    people = {p["participantID"] for p in document["participants"]}
    assert {loc["personID"] for loc in document["locutions"]} <= people
    assert {loc["nodeID"] for loc in document["locutions"]} == {i for i, k in kinds.items() if k == "L"}
    locution_texts = sorted(nodes[loc["nodeID"]]["text"] for loc in document["locutions"])
    assert locution_texts == sorted(f"{claim_parties(graph.nodes[n])} : {q}" for n in graph
                                    for q in graph.nodes[n]["quotes"])

    with caplog.at_level(logging.WARNING), warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = arguebuf.load.aif(document, reconstruct_dialog=True)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert len(loaded.atom_nodes) == graph.number_of_nodes() + premises
    found, inferences = Counter(), Counter()
    claim_texts = {claim_text(graph.nodes[n]): n for n in graph}
    for node_id, scheme in loaded.scheme_nodes.items():
        assert isinstance(scheme.scheme, (Support, Attack))
        sources = [a.plain_text for a in loaded.incoming_atom_nodes(scheme)]
        (target,) = [a.plain_text for a in loaded.outgoing_atom_nodes(scheme)]
        name = nodes[node_id]["text"]
        assert nodes[node_id]["scheme"] == name
        if len(sources) == 1 and sources[0] in claim_texts:  # a relation between two claims
            kind = "supports" if isinstance(scheme.scheme, Support) else \
                next(k for k, v in CONFLICT_NAMES.items() if v == name)
            found[(claim_texts[sources[0]], kind, claim_texts[target])] += 1
        else:  # a claim's argument under a legal test: its element positions, to the claim
            assert isinstance(scheme.scheme, Support)
            inferences[(name, claim_texts[target])] += 1
            assert all(text.endswith(("affirmed", "denied", "addressing it)")) for text in sources)
    assert found == Counter((s, edge_kind(graph, s, t), t) for s, t in graph.edges)
    assert inferences == Counter((a.label if a.applied else "Default Inference", n)
                                 for n, found in arguments.items() for a in found)


def test_aif_names_rule_applications_by_legal_test_and_premises_by_position():
    document = json.loads(export("aif", small_map()))
    nodes = {node["nodeID"]: node for node in document["nodes"]}
    into = {}
    for edge in document["edges"]:
        into.setdefault(edge["toID"], []).append(nodes[edge["fromID"]])
    [applied] = [n for n in document["nodes"] if n["type"] == "RA" and n["text"] == SELF_DEFENCE[1]]
    assert sorted(p["text"] for p in into[applied["nodeID"]]) == [
        "Armed attack: assumed (the claim applies the test without addressing it)",
        "Necessity: assumed (the claim applies the test without addressing it)"]
    [answered] = [n for n in document["nodes"]
                  if n["type"] == "I" and n["text"].endswith("Armed attack: denied")]
    assert answered["text"] == f"{SELF_DEFENCE[1]} — Armed attack: denied"  # Venezuela applies no test
    assert {n["text"] for n in into[answered["nodeID"]]} == {"Asserting"}  # the claimant asserts it
    assert sorted(n["text"] for n in document["nodes"] if n["type"] == "CA") == [
        "Default Conflict", "Rebutting", "Rebutting", "Undercutting", "Undermining"]


def statement_text(statement: dict) -> str:
    """The text of an Argdown statement (its first member that has one: others are references)."""
    return normal(next(member["text"] for member in statement["members"] if member.get("text")))


def argdown_arguments(graph: nx.DiGraph) -> dict[str, tuple[str, object]]:
    """The title each claim's argument under a legal test gets: {title: (claim, argument)}."""
    titles = argdown_titles(graph)
    found = {}
    for node in sorted(graph):
        for argument in scheme_arguments(graph, node):
            if argument.premises:
                title = " ".join(f"{titles[node]}: {argument.scheme}".replace("[", "(").replace("]", ")")
                                 .replace("<", "(").replace(">", ")").split())
                found[title] = (node, argument)
    return found


@pytest.mark.parametrize("make", [small_map, hostile_map], ids=["small", "hostile"])
def test_argdown_lints_and_maps_every_claim_argument_and_relation(make, tmp_path):
    graph = make()
    document = argdown_json(export("argdown", graph), tmp_path)
    titles = argdown_titles(graph)
    statements = document["statements"]
    for node, data in graph.nodes(data=True):
        statement = statements[titles[node]]
        text = statement_text(statement)
        assert text.startswith(normal(claim_text(data))), (text, claim_text(data))
        assert normal(claim_parties(data)) in text
        for said in data["quotes"]:
            assert normal(f"“{said}”") in text
        assert statement.get("tags") == [data["acceptance"]]
    # one premise–conclusion structure per legal test a claim applies or answers
    expected = argdown_arguments(graph)
    assert set(document["arguments"]) == set(expected)
    for title, (node, argument) in expected.items():
        pcs = document["arguments"][title]["pcs"]
        assert [(member["role"], member["title"]) for member in pcs][-1] == ("main-conclusion", titles[node])
        premises = [statement_text(statements[member["title"]]) for member in pcs[:-1]]
        assert [text.split(" — ")[0] for text in premises] == [normal(p.text) for p in argument.premises]
    # attacks by kind, in Argdown's own relations
    arguments_of = {}
    for title, (node, argument) in expected.items():
        arguments_of.setdefault(node, []).append((title, argument))
    wanted = Counter()
    for source, target in graph.edges:
        kind, attacker = edge_kind(graph, source, target), titles[source]
        on = arguments_of.get(target, [])
        if kind == "supports":
            wanted[(attacker, "support", titles[target])] += 1
        elif kind == "rebuts":
            wanted[("contradictory", frozenset((attacker, titles[target])))] += 1 if source < target else 0
        elif kind == "undercuts" and (hit := [title for title, argument in on if argument.scheme in
                                              {e.split("/")[0] for e in at_stake(graph, source, target)}]):
            for title in hit:
                wanted[(attacker, "undercut", title)] += 1
        elif kind == "undermines" and on:
            for title, _ in on:
                wanted[(attacker, "attack", title)] += 1
        else:
            wanted[(attacker, "attack", titles[target])] += 1
    claims = set(titles.values())
    found = Counter()
    for relation in document["relations"]:
        if relation["relationType"] == "contradictory":
            pair = frozenset((relation["from"], relation["to"]))
            if pair <= claims:
                found[("contradictory", pair)] += 1
            else:  # opposite positions on one element
                positions = {relation["from"].rsplit(": ", 1)[1], relation["to"].rsplit(": ", 1)[1]}
                assert positions in ({"affirmed", "denied"}, {"assumed", "denied"}), relation
        else:
            found[(relation["from"], relation["relationType"], relation["to"])] += 1
    assert found == +wanted


def test_argdown_draws_opposite_positions_on_an_element_as_contradictions(tmp_path):
    document = argdown_json(export("argdown", small_map()), tmp_path)
    conflicts = {frozenset((r["from"], r["to"])) for r in document["relations"]
                 if r["relationType"] == "contradictory"}
    assert frozenset(("self-defence/armed-attack: denied", "self-defence/armed-attack: assumed")) in conflicts
    assert frozenset(("prohibition-of-force/use-or-threat-of-force: affirmed",
                      "prohibition-of-force/use-or-threat-of-force: denied")) in conflicts
    undercut = [r for r in document["relations"] if r["relationType"] == "undercut"]
    assert [(r["from"], r["to"], r["toType"]) for r in undercut] == [
        ("ven-no-armed-attack", "us-self-defence: self-defence", "inference")]


@pytest.mark.parametrize("make", [small_map, hostile_map], ids=["small", "hostile"])
def test_graphml_reads_back_with_every_attribute(make):
    graph = make()
    back = nx.read_graphml(io.BytesIO(export("graphml", graph)))
    assert set(back.nodes) == set(graph.nodes)
    assert {(s, t, d["relation"]) for s, t, d in back.edges(data=True)} == \
        {(s, t, d["relation"]) for s, t, d in graph.edges(data=True)}
    assert back.graph["semantics"] == "grounded"
    for node, data in graph.nodes(data=True):
        expected = {key: "; ".join(value) if isinstance(value, list) else str(value)
                    for key, value in {**data, "parties": claim_parties(data), "label": claim_text(data),
                                       "summary": data["label"]}.items()
                    if value is not None}
        assert back.nodes[node] == expected
        assert back.nodes[node]["proposition"] == claim_text(data)
        # regression: "label", which yEd and Gephi display, was "claimant — stance — norms"
        assert back.nodes[node]["label"] == claim_text(data)
        assert make is hostile_map or claim_text(data) != data["label"]  # the hostile map has them equal
        assert back.nodes[node]["summary"] == data["label"]
    assert back.nodes["us-self-defence" if make is small_map else "c:1#x"]["norms"]
    for source, target, data in back.edges(data=True):
        if data["relation"] == "attacks":
            assert data["kind"] == edge_kind(graph, source, target)
            assert data["kinds"] == "; ".join(graph.edges[source, target]["kinds"])
        else:
            assert "kind" not in data


def test_graphml_says_what_an_attack_is_about():
    back = nx.read_graphml(io.BytesIO(export("graphml", small_map())))
    assert back.edges["ven-no-armed-attack", "us-self-defence"]["about"] == \
        f"{ARMED_ATTACK[1]} ({SELF_DEFENCE[1]})"
    assert back.edges["us-denies-force", "amnesty-unlawful-force"]["about"] == \
        f"{USE_OF_FORCE[1]} ({FORCE[1]})"
    assert back.nodes["amnesty-unlawful-force"]["denies"] == SELF_DEFENCE_EXCEPTION[0]


@pytest.mark.parametrize("make", [small_map, hostile_map], ids=["small", "hostile"])
def test_dot_renders_with_opaque_ids_and_styled_relations(make):
    graph = make()
    source = export("dot", graph).decode("utf-8")
    render_svg(source.encode("utf-8"))
    node_ids = re.findall(r"^  (?!graph |node |edge )(\S+) \[label=", source, re.MULTILINE)
    assert node_ids == [f"n{i}" for i in range(1, graph.number_of_nodes() + 1)]
    edge_lines = re.findall(r"^  (n\d+) -> (n\d+) \[(.*)\];$", source, re.MULTILINE)
    assert len(edge_lines) == graph.number_of_edges()
    ids = {f"n{i}": node for i, node in enumerate(sorted(graph), 1)}
    styles = {"rebuts": "bold", "undercuts": "dashed", "undermines": "dotted", "attacks": "solid"}
    for one, other, attributes in edge_lines:
        kind = edge_kind(graph, ids[one], ids[other])
        assert f'label="{kind}"' in attributes
        if kind == "supports":
            assert 'color="#2e7d32"' in attributes and 'arrowhead="normal"' in attributes
        else:
            assert 'color="#c62828"' in attributes and 'arrowhead="tee"' in attributes
            assert f'style="{styles[kind]}"' in attributes
    fills = set(re.findall(r'^  n\d+ \[.*fillcolor="(#[0-9a-f]{6})"\];$', source, re.MULTILINE))
    assert fills == {"#c8e6c9", "#ffcdd2", "#fff3c4"}  # in, out, undec


def test_svg_is_well_formed_and_links_each_claim():
    graph = small_map()
    root = ET.fromstring(export("svg", graph))  # noqa: S314 - our own output, parsed to check it
    assert root.tag == f"{SVG}svg"
    links = {a.get(f"{XLINK}href") for a in root.iter(f"{SVG}a")}
    assert {graph.nodes[n]["iri"] for n in graph} <= links
    hostile = ET.fromstring(export("svg", hostile_map()))  # noqa: S314 - as above
    assert hostile.tag == f"{SVG}svg"


def test_svg_without_graphviz_is_a_setup_error_that_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SetupError, match="apt-get install graphviz"):
        export("svg", small_map())


EXPECTED_TRIPLES = """
@prefix ilk: <https://w3id.org/ilkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix claim: <https://w3id.org/ilkg/claim/> .
@prefix actor: <https://w3id.org/ilkg/actor/> .
@prefix scheme: <https://w3id.org/ilkg/scheme/> .

claim:us-self-defence a ilk:Claim ;
    rdfs:label "United States of America — justifies — UN Charter Art. 51" ;
    ilk:proposition "The boat strikes are lawful self-defence under Article 51."@en ;
    ilk:claimant actor:USA ; ilk:against actor:VEN ; ilk:stance ilk:Justifies ;
    ilk:appliesScheme scheme:self-defence ;
    ilk:acceptance "out" ; ilk:acceptanceSemantics "grounded" .
claim:ven-no-armed-attack a ilk:Claim ;
    rdfs:label "Venezuela — rejects justification — UN Charter Art. 51" ;
    ilk:proposition "Venezuela made no armed attack, so Article 51 cannot justify the strikes."@en ;
    ilk:claimant actor:VEN ; ilk:against actor:USA ; ilk:stance ilk:RejectsJustification ;
    ilk:deniesElement scheme:self-defence\\/armed-attack ;
    ilk:acceptance "in" ; ilk:acceptanceSemantics "grounded" ;
    ilk:undercuts claim:us-self-defence ; ilk:attacks claim:us-self-defence ;
    ilk:supports claim:amnesty-unlawful-force .
claim:amnesty-unlawful-force a ilk:Claim ;
    rdfs:label "Amnesty International — alleges violation — UN Charter Art. 2(4); Right to life" ;
    ilk:proposition "The US used force against Venezuela unlawfully, without a case of self-defence."@en ;
    ilk:claimant actor:amnesty-international ; ilk:against actor:USA , actor:VEN ;
    ilk:stance ilk:AllegesViolation ; ilk:appliesScheme scheme:prohibition-of-force ;
    ilk:affirmsElement scheme:prohibition-of-force\\/use-or-threat-of-force ;
    ilk:deniesElement scheme:prohibition-of-force\\/self-defence ;
    ilk:acceptance "undec" ; ilk:acceptanceSemantics "grounded" ;
    ilk:rebuts claim:us-denies-force ; ilk:attacks claim:us-denies-force .
claim:us-denies-force a ilk:Claim ;
    rdfs:label "United States of America — denies allegation" ;
    ilk:proposition "The operation was law enforcement, not a use of force."@en ;
    ilk:claimant actor:USA ; ilk:against actor:amnesty-international ; ilk:stance ilk:DeniesAllegation ;
    ilk:deniesElement scheme:prohibition-of-force\\/use-or-threat-of-force ;
    ilk:acceptance "undec" ; ilk:acceptanceSemantics "grounded" ;
    ilk:rebuts claim:amnesty-unlawful-force ; ilk:attacks claim:amnesty-unlawful-force ;
    ilk:attacks claim:nam-demands-compliance .
claim:nam-demands-compliance a ilk:Claim ;
    rdfs:label "Non-Aligned Movement — demands compliance" ;
    ilk:proposition "Every State must respect the UN Charter."@en ;
    ilk:claimant actor:nam ; ilk:stance ilk:DemandsCompliance ;
    ilk:acceptance "in" ; ilk:acceptanceSemantics "grounded" ;
    ilk:undermines claim:us-self-defence ; ilk:attacks claim:us-self-defence .
scheme:self-defence rdfs:label "Self-defence (UN Charter Art. 51)"@en .
scheme:prohibition-of-force rdfs:label "Prohibition of the use of force"@en .
scheme:self-defence\\/armed-attack rdfs:label "Armed attack"@en .
scheme:prohibition-of-force\\/use-or-threat-of-force rdfs:label "Threat or use of armed force"@en .
scheme:prohibition-of-force\\/self-defence rdfs:label "Self-defence"@en .
actor:USA rdfs:label "United States of America"@en .
actor:VEN rdfs:label "Venezuela"@en .
actor:amnesty-international rdfs:label "Amnesty International"@en .
actor:nam rdfs:label "Non-Aligned Movement"@en .
"""


def ontology_comment(term: str) -> Literal:
    """The English rdfs:comment of an ilk: term, read from ontology/ilkg.ttl here."""
    ontology = Graph().parse(REPO / "ontology" / "ilkg.ttl", format="turtle")
    [comment] = [c for c in ontology.objects(ILK[term], RDFS.comment) if c.language == "en"]
    return comment


def test_jsonld_parses_to_the_expected_triples():
    exported = Graph().parse(data=export("jsonld", small_map()), format="json-ld")
    expected = Graph().parse(data=EXPECTED_TRIPLES, format="turtle")
    # what the labels are and are not, in the ontology's own words (the same triple, so that
    # merging the export with the built graph adds nothing)
    comment = ontology_comment("acceptance")
    assert "not a legal verdict" in comment
    expected.add((ILK.acceptance, RDFS.comment, comment))
    # and which reading this export used (a map labelled by hand names its semantics only)
    expected.add((ILK.acceptance, RDFS.comment, Literal(
        "In this export: acceptance (grounded semantics): a structural reading of the attacks annotated "
        "between claims, not a legal verdict.", lang="en")))
    assert isomorphic(exported, expected), exported.serialize(format="turtle")


def test_jsonld_without_semantics_has_no_acceptance():
    graph = small_map()
    graph.graph.pop("semantics")
    for node in graph:
        graph.nodes[node].pop("acceptance")
    exported = Graph().parse(data=export("jsonld", graph), format="json-ld")
    assert "acceptance" not in exported.serialize(format="turtle")


def test_csv_parses_to_one_row_per_relation():
    graph = small_map()
    rows = list(csv.DictReader(io.StringIO(export("csv", graph).decode("utf-8"))))
    assert sorted((r["source"], r["relation"], r["kind"], r["target"]) for r in rows) == sorted(
        (s, d["relation"], d.get("kind", ""), t) for s, t, d in graph.edges(data=True))
    for row in rows:
        for end in ("source", "target"):
            data = graph.nodes[row[end]]
            assert row[f"{end}_proposition"] == claim_text(data)
            assert row[f"{end}_parties"] == claim_parties(data)
    [undercut] = [r for r in rows if r["kind"] == "undercuts"]
    assert undercut["about"] == f"{ARMED_ATTACK[1]} ({SELF_DEFENCE[1]})"
    assert undercut["target_argument"] == (f"{SELF_DEFENCE[1]}: Armed attack: assumed (the claim applies the "
                                           "test without addressing it); Necessity: assumed (the claim "
                                           "applies the test without addressing it)")
    assert undercut["source_argument"] == f"{SELF_DEFENCE[1]}: Armed attack: denied"


@pytest.mark.parametrize("make", [small_map, hostile_map], ids=["small", "hostile"])
def test_mermaid_parses_with_opaque_ids_and_the_labels_as_given(make, tmp_path):
    graph = make()
    parsed = mermaid_parse(export("mermaid", graph), tmp_path)
    assert parsed["type"] == "flowchart-v2"
    ids = {node: f"n{number}" for number, node in enumerate(sorted(graph), 1)}
    assert parsed["nodes"] == [[ids[n], "\n".join(caption_lines(graph, n))] for n in sorted(graph)]
    style = {"supports": ["arrow_point", "normal"], "rebuts": ["arrow_cross", "thick"],
             "undercuts": ["arrow_cross", "normal"], "undermines": ["arrow_cross", "dotted"],
             "attacks": ["arrow_cross", "normal"]}
    assert sorted(e[:5] for e in parsed["edges"]) == sorted(
        [ids[s], ids[t], *style[edge_kind(graph, s, t)], edge_kind(graph, s, t)] for s, t in graph.edges)
    for *_, kind, declarations in parsed["edges"]:
        assert ("stroke-dasharray:6 3" in declarations) == (kind == "undercuts")
        assert f"stroke:{'#2e7d32' if kind == 'supports' else '#c62828'}" in declarations


# --- snapshots of a small fixed map ---------------------------------------------------------------

def svg_content(svg: bytes) -> list[str]:
    """An SVG minus the layout (coordinates change with the Graphviz version): texts, links, colours."""
    root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it
    content = []
    for element in root.iter():
        tag = element.tag.split("}")[-1]
        if tag in ("text", "title") and element.text:
            content.append(f"{tag}: {element.text}")
        elif tag == "a":
            content.append(f"a: {element.get(f'{XLINK}href')} | {element.get(f'{XLINK}title')}")
        elif tag in ("polygon", "path", "ellipse") and element.get("fill") not in (None, "none"):
            content.append(f"{tag}: fill {element.get('fill')} stroke {element.get('stroke')}")
    return content


@pytest.mark.parametrize("fmt", FORMATS)
def test_snapshot(fmt):
    snapshot = SNAPSHOTS / f"map{EXPORTERS[fmt].extension}"
    data = export(fmt, small_map())
    if UPDATE_SNAPSHOTS:
        SNAPSHOTS.mkdir(exist_ok=True)
        snapshot.write_bytes(data)
    assert snapshot.exists(), f"no snapshot {snapshot}: run KG_UPDATE_SNAPSHOTS=1 pytest {__file__}"
    expected = snapshot.read_bytes()
    if fmt == "jsonld":
        assert isomorphic(Graph().parse(data=data, format="json-ld"),
                          Graph().parse(data=expected, format="json-ld"))
    elif fmt == "svg":
        assert svg_content(data) == svg_content(expected)
    else:
        assert data.decode("utf-8").splitlines() == expected.decode("utf-8").splitlines()


# --- through the command line, on the bundled corpus ------------------------------------------------

@pytest.fixture(scope="module")
def corpus_map() -> nx.DiGraph:
    from kg.argument.map import read_map_of

    return read_map_of(corpus_dir=CORPUS)  # as kg export reads it: the structured reading


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_exports_the_corpus(fmt, tmp_path, corpus_map):
    output = tmp_path / f"map{EXPORTERS[fmt].extension}"
    result = CliRunner().invoke(cli, ["export", "-f", fmt, "-o", str(output), "--corpus", str(CORPUS)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"wrote {output}" in result.output
    data = output.read_bytes()
    assert data == export(fmt, corpus_map)
    texts = {normal(t) for t in read_back(fmt, data, tmp_path / "read")}
    shown = [n for n in corpus_map if fmt != "csv" or corpus_map.degree(n)]
    missing = [n for n in shown if not any(normal(claim_text(corpus_map.nodes[n])) in t for t in texts)]
    assert missing == []
    assert all(corpus_map.nodes[n]["proposition"] for n in corpus_map)  # the text shown, never the id


def test_cli_unknown_format_lists_the_known_ones(tmp_path):
    result = CliRunner().invoke(cli, ["export", "-f", "pdf", "-o", str(tmp_path / "map.pdf"),
                                      "--corpus", str(CORPUS)], catch_exceptions=False)
    assert result.exit_code == 2
    assert "unknown export format 'pdf'" in result.stderr
    for fmt in FORMATS:
        assert fmt in result.stderr
    assert not (tmp_path / "map.pdf").exists()


# --- an export's labels are kg map's --------------------------------------------------------------

AUDIENCES = [(), ("--assume", "self-defence/armed-attack=holds"), ("--prefer", "courts-first")]


def map_labels(options: tuple[str, ...]) -> dict:
    result = CliRunner().invoke(cli, ["map", "-f", "json", "--corpus", str(CORPUS), *options],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def exported_labels(fmt: str, data: bytes, folder: Path, ids: list[str]) -> dict[str, str]:
    """Each claim's acceptance as the format's own reader gets it back."""
    if fmt == "graphml":
        return dict(nx.read_graphml(io.BytesIO(data)).nodes(data="acceptance"))
    if fmt == "jsonld":
        rdf = Graph().parse(data=data, format="json-ld")
        return {str(s).rsplit("/", 1)[-1]: str(o) for s, o in rdf.subject_objects(ILK.acceptance)}
    if fmt == "csv":
        found = {}
        for row in csv.DictReader(io.StringIO(data.decode("utf-8"))):
            found[row["source"]], found[row["target"]] = row["source_acceptance"], row["target_acceptance"]
        return found
    if fmt == "mermaid":  # opaque ids n1, n2, ... in claim-id order; the tag ends the caption
        by_id = dict(zip((f"n{i}" for i in range(1, len(ids) + 1)), sorted(ids), strict=True))
        return {by_id[node]: re.search(r": (in|out|undec)\]$", text).group(1)
                for node, text in mermaid_parse(data, folder)["nodes"]}
    raise AssertionError(f"no label reader for {fmt}")


@pytest.mark.parametrize("options", AUDIENCES, ids=["default", "assume", "prefer"])
@pytest.mark.parametrize("fmt", ["graphml", "jsonld", "csv", "mermaid"])
def test_export_labels_are_the_maps(fmt, options, tmp_path):
    """Regression: every export labelled claims by the abstract reading of the attacks alone (six
    US claims "out") while kg map read the structured argument; an export now labels as kg map
    does, with the same --reading/--assume/--prefer, and says so."""
    report = map_labels(options)
    expected = {c["claim"]: c["acceptance"] for c in report["claims"]}
    output = tmp_path / f"map{EXPORTERS[fmt].extension}"
    result = CliRunner().invoke(cli, ["export", "-f", fmt, "-o", str(output), "--corpus", str(CORPUS),
                                      *options], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = output.read_bytes()
    found = exported_labels(fmt, data, tmp_path / "read", list(expected))
    assert found == {claim: expected[claim] for claim in found}
    assert len(found) == len(expected) or fmt == "csv"  # csv: the claims with a relation
    notes = " ".join(acceptance_notes(fmt, data, tmp_path / "notes"))
    assert "structured reading" in notes
    assert report["caveat"] in " ".join(notes.split())


def test_audiences_change_the_labels_and_the_abstract_reading_differs():
    """The options above are not idle: each audience relabels some claim, and the abstract
    reading (kg export --reading abstract) is kg map --reading abstract."""
    default = {c["claim"]: c["acceptance"] for c in map_labels(())["claims"]}
    for options in AUDIENCES[1:]:
        assert {c["claim"]: c["acceptance"] for c in map_labels(options)["claims"]} != default, options
    abstract = {c["claim"]: c["acceptance"] for c in map_labels(("--reading", "abstract"))["claims"]}
    assert abstract != default


def test_export_abstract_reading_matches_kg_map_and_refuses_an_audience(tmp_path):
    expected = {c["claim"]: c["acceptance"] for c in map_labels(("--reading", "abstract"))["claims"]}
    output = tmp_path / "map.graphml"
    result = CliRunner().invoke(cli, ["export", "-f", "graphml", "-o", str(output), "--corpus", str(CORPUS),
                                      "--reading", "abstract"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(output)
    assert dict(graph.nodes(data="acceptance")) == expected
    assert graph.graph["reading"] == "abstract"
    result = CliRunner().invoke(cli, ["export", "-f", "csv", "-o", str(tmp_path / "m.csv"), "--corpus",
                                      str(CORPUS), "--reading", "abstract", "--prefer", "courts-first"],
                                catch_exceptions=False)
    assert result.exit_code == 2
    assert "--reading structured" in result.stderr
    assert not (tmp_path / "m.csv").exists()
