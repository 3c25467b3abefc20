"""Every output format round-trips: what a build writes reads back as the graph it built.

For each format of ``kg.graph.formats.FORMATS``, the file ``kg.graph.pipeline.build`` writes is parsed with
rdflib (a Dataset for TriG and N-Quads, compared named graph by named graph) and must be
isomorphic to the build's own graph; the same file loaded the way ``kg query --data`` loads it
must be too; and the Turtle output, loaded, written again in that format by rdflib and loaded
once more, must be isomorphic to what it was. All of it runs twice: on the bundled corpus, and
on a one-document corpus whose note holds every character that serializers get wrong (NUL and
other controls, line and paragraph separators, bidi overrides, a BOM, astral characters, quotes,
backslashes and Turtle, JSON and HTML syntax).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.graph.formats import FORMATS
from kg.graph.namespaces import GRAPH
from kg.graph.pipeline import build, compile_corpus
from kg.sparql.engines import open_engine

from ..conftest import CORPUS, MINI_DOC, standalone_annotation

NASTY = ("nul \x00 controls \x01\x08\x0b\x0c\x1b\x1f\x7f\x85\x9f separators \u2028 \u2029 bidi \u202e\u2066 "
         "zero-width \u200b\u200d bom \ufeff combining e\u0301 astral \U0001f600 \U0010fffd noncharacter "
         "\ufffe quotes \" ' \"\"\" ''' backslashes \\ \\n \\u0041 white space \n\r\t turtle <a> _:b "
         "@prefix x: . ; , ^^ @en json {\"k\": [1]} html </script><b>&amp; end")


def with_nasty(text: str, edit) -> str:
    """The YAML ``text`` after ``edit(tree)``, written with every odd character escaped."""
    tree = yaml.safe_load(text)
    edit(tree)
    return yaml.safe_dump(tree, allow_unicode=False, sort_keys=False)


def nasty_corpus(folder: Path) -> Path:
    """The wire report alone, with NASTY as its title and as the note of its first claim."""
    root = folder / "corpus"
    (root / "documents").mkdir(parents=True)
    (root / "annotations").mkdir()
    shutil.copytree(CORPUS / "catalogues", root / "catalogues")
    shutil.copy(CORPUS / "documents" / f"{MINI_DOC}.txt", root / "documents")
    (root / "documents" / f"{MINI_DOC}.yaml").write_text(with_nasty(
        (CORPUS / "documents" / f"{MINI_DOC}.yaml").read_text(encoding="utf-8"),
        lambda meta: meta.update(title=NASTY)), encoding="ascii")
    # Its claims answer claims of other documents: those relations are left out (conftest).
    (root / "annotations" / f"{MINI_DOC}.yaml").write_text(with_nasty(
        standalone_annotation(MINI_DOC), lambda data: data["claims"][0].update(note=NASTY)), encoding="ascii")
    return root


@pytest.fixture(scope="module", params=["bundled", "nasty"])
def built(request, tmp_path_factory):
    """(the build's named graphs, {format: the file kg.graph.pipeline.build wrote}, the Turtle parsed)."""
    folder = tmp_path_factory.mktemp(f"round-trip-{request.param}")
    root = CORPUS if request.param == "bundled" else nasty_corpus(folder)
    _, graph = compile_corpus(root)
    files = {}
    for fmt, writer in FORMATS.items():
        files[fmt] = folder / "out" / f"ilkg{writer.extension}"
        build(root, files[fmt], fmt, jobs=1)
    graphs = graph.graphs
    if request.param == "nasty":
        assert any(NASTY in str(o) for g in graphs.values() for o in g.objects()), "NASTY was not built"
    return graphs, files, parse(files["turtle"], "turtle")


def union(graphs) -> Graph:
    whole = Graph()
    for graph in graphs.values():
        for triple in graph:
            whole.add(triple)
    return whole


def assert_same_dataset(parsed: Dataset, graphs: dict[str, Graph]) -> None:
    """Named graph by named graph, and nothing else (no stray triples in the default graph)."""
    names = {str(g.identifier) for g in parsed.graphs() if len(g)}
    assert names == {str(GRAPH[name]) for name in graphs}
    for name, graph in graphs.items():
        assert isomorphic(parsed.graph(URIRef(GRAPH[name])), graph), name


def parse(path: Path, fmt: str) -> Graph | Dataset:
    writer = FORMATS[fmt]
    parsed = Dataset() if writer.dataset else Graph()
    parsed.parse(path, format=writer.rdflib_format)
    return parsed


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_written_file_parses_back_to_the_built_graph(built, fmt):
    graphs, files, _ = built
    parsed = parse(files[fmt], fmt)
    if FORMATS[fmt].dataset:
        assert_same_dataset(parsed, graphs)
    else:
        assert isomorphic(parsed, union(graphs))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_file_loaded_as_kg_query_loads_it_is_the_built_graph(built, fmt):
    """``kg query --data FILE`` (Oxigraph) sees the same graph, named graphs included."""
    graphs, files, _ = built
    store = open_engine("oxigraph", data=files[fmt]).store
    loaded = Dataset()
    loaded.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    if FORMATS[fmt].dataset:
        assert_same_dataset(loaded, graphs)
    else:
        assert isomorphic(union({str(g.identifier): g for g in loaded.graphs()}), union(graphs))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_turtle_loaded_and_written_again_in_each_format_is_isomorphic(built, fmt):
    _, _, original = built
    writer = FORMATS[fmt]
    if writer.dataset:  # a graph has to be named to be written as a dataset
        dataset = Dataset()
        named = dataset.graph(URIRef("urn:kg-test:turtle"))
        for triple in original:
            named.add(triple)
        again = Dataset().parse(data=dataset.serialize(format=writer.rdflib_format),
                                format=writer.rdflib_format)
        assert isomorphic(again.graph(URIRef("urn:kg-test:turtle")), original)
    else:
        again = Graph().parse(data=original.serialize(format=writer.rdflib_format),
                              format=writer.rdflib_format)
        assert isomorphic(again, original)


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_a_dataset_read_and_written_again_keeps_its_named_graphs(built, fmt):
    graphs, files, _ = built
    writer = FORMATS[fmt]
    first = parse(files[fmt], fmt)
    again = Dataset().parse(data=first.serialize(format=writer.rdflib_format), format=writer.rdflib_format)
    assert_same_dataset(again, graphs)
