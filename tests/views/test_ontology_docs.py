"""The ontology's HTML documentation: complete, self-contained, well-formed and deterministic."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.errors import SetupError
from kg.resources import ontology_dir
from kg.views import ontology_docs
from kg.views.ontology_docs import write_ontology_docs

from ..conftest import REPO

ILK = "https://w3id.org/ilkg/ontology#"
ONTOLOGY = Graph().parse(ontology_dir() / "ilkg.ttl", format="turtle")
TERMS = sorted(
    term
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for term in ONTOLOGY.subjects(RDF.type, kind)
    if isinstance(term, URIRef) and str(term).startswith(ILK)
)
STANCES = sorted(ONTOLOGY.subjects(RDF.type, URIRef(ILK + "Stance")))
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _label(term: URIRef, predicate: URIRef, language: str) -> str | None:
    """The text of ``predicate`` in ``language``, with runs of white space made one space."""
    for value in ONTOLOGY.objects(term, predicate):
        if isinstance(value, Literal) and value.language == language:
            return " ".join(value.split())
    return None


class PageReader(HTMLParser):
    """Checks that every element is closed in order, and collects what the tests look for."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.errors: list[str] = []
        self.text: dict[str, list[str]] = {"h1": [], "h3": [], "code": [], "td": []}
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"line {self.getpos()[0]}: </{tag}> closes <{self.open[-1:]}>")
            return
        self.open.pop()

    def handle_data(self, data):
        for tag in self.text:
            if tag in self.open:
                self.text[tag].append(data)

    def joined(self, tag: str) -> str:
        return " ".join(" ".join(self.text[tag]).split())


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    return write_ontology_docs(tmp_path_factory.mktemp("docs") / "ontology.html")


@pytest.fixture(scope="module")
def reader(page) -> PageReader:
    parsed = PageReader()
    parsed.feed(page.read_text(encoding="utf-8"))
    parsed.close()
    return parsed


def test_page_is_written_where_asked(tmp_path):
    target = tmp_path / "build" / "ontology.html"
    assert write_ontology_docs(str(target)) == target
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["ontology.html"]


def test_page_is_well_formed(reader):
    assert reader.errors == []
    assert reader.open == []
    assert [tag for tag, _ in reader.tags[:2]] == ["html", "head"]


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.removeprefix(ILK))
def test_every_term_has_its_section(reader, term):
    assert str(term) in reader.text["code"]
    assert _label(term, RDFS.label, "en") in [" ".join(h.split()) for h in reader.text["h3"]]
    # the comment as Markdown shows it: an autolink <https://...> is a link whose text is the URL
    # (a separate text node, so spaces are compared apart from the words)
    comment = re.sub(r"<(https?://[^>\s]+)>", r"\1", _label(term, RDFS.comment, "en"))
    assert "".join(comment.split()) in "".join(reader.joined("td").split())
    spanish = _label(term, RDFS.label, "es")
    if spanish is not None:
        assert f"Label (es): {spanish}" in reader.joined("td")


@pytest.mark.parametrize("stance", STANCES, ids=lambda t: t.removeprefix(ILK))
def test_every_stance_is_listed(reader, stance):
    listed = reader.joined("td")
    assert _label(stance, SKOS.prefLabel, "en") in listed
    assert str(ONTOLOGY.value(stance, SKOS.notation)) in listed
    assert _label(stance, SKOS.definition, "en") in listed
    assert _label(stance, SKOS.scopeNote, "en") in listed


def test_only_the_ontology_and_its_own_terms_are_documented(page, reader):
    """Not the reused terms ilkg.ttl declares for its axioms, nor the stance scheme as metadata."""
    html = page.read_text(encoding="utf-8")
    assert re.findall(r"<strong>IRI</strong>\s*</dt>\s*<dd>\s*<code>([^<]*)</code>", html) == [
        "https://w3id.org/ilkg/ontology"
    ]
    sections = re.findall(r"<th>IRI</th>\s*<td>\s*<code>([^<]*)</code>", html)
    assert sorted(set(sections)) == [str(t) for t in TERMS]
    title = _label(URIRef("https://w3id.org/ilkg/ontology"), URIRef("http://purl.org/dc/terms/title"), "en")
    assert reader.joined("h1") == title


def test_page_loads_nothing_from_elsewhere(page, reader):
    html = page.read_text(encoding="utf-8")
    assert "<style>" in html and "@import" not in html and "url(" not in html
    for tag, attrs in reader.tags:
        assert "src" not in attrs, tag
        if tag == "link":
            assert attrs["href"].startswith("data:"), attrs


def test_two_renders_are_byte_identical(page, tmp_path):
    again = write_ontology_docs(tmp_path / "again.html")
    assert again.read_bytes() == page.read_bytes()


def test_renders_in_other_processes_are_byte_identical(page, tmp_path):
    """pyLODE's order follows Python's string hashing, which differs from process to process."""
    for seed in ("1", "2"):
        out = tmp_path / f"seed-{seed}.html"
        code = "import sys; from kg.views.ontology_docs import write_ontology_docs as w; w(sys.argv[1])"
        subprocess.run([sys.executable, "-c", code, str(out)], cwd=REPO, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        assert out.read_bytes() == page.read_bytes(), seed


BROKEN = {
    "not turtle": "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<x> a owl:Class ;;\n",
    "no ontology": "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<https://example.org/x> a owl:Class .\n",
    "no title": "<https://w3id.org/ilkg/ontology> a <http://www.w3.org/2002/07/owl#Ontology> .\n",
}


@pytest.mark.parametrize("turtle", BROKEN.values(), ids=BROKEN.keys())
def test_failure_raises_setup_error_and_writes_nothing(monkeypatch, tmp_path, turtle):
    broken = tmp_path / "ontology"
    broken.mkdir()
    (broken / "ilkg.ttl").write_text(turtle, encoding="utf-8")
    monkeypatch.setattr(ontology_docs, "ontology_dir", lambda: broken)
    out = tmp_path / "out"
    out.mkdir()
    (out / "kept.html").write_text("the last good page", encoding="utf-8")
    with pytest.raises(SetupError):
        write_ontology_docs(out / "kept.html")
    with pytest.raises(SetupError):
        write_ontology_docs(out / "new.html")
    assert [p.name for p in out.iterdir()] == ["kept.html"]
    assert (out / "kept.html").read_text(encoding="utf-8") == "the last good page"


@pytest.mark.parametrize(
    ("module", "message"),
    [("pylode", "pyLODE is not installed"), ("pylode.profiles", "the installed pyLODE cannot be imported")],
)
def test_missing_or_broken_pylode_is_a_setup_error_naming_the_fix(monkeypatch, tmp_path, module, message):
    for name in [n for n in sys.modules if n == "pylode" or n.startswith("pylode.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, module, None)  # importing it now raises ImportError
    with pytest.raises(SetupError, match=message) as raised:
        write_ontology_docs(tmp_path / "ontology.html")
    assert ontology_docs.PYLODE_REQUIREMENT in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_importing_pylode_leaves_logging_alone(monkeypatch, tmp_path):
    """pyLODE 3.3 calls logging.basicConfig(level=DEBUG) on import; a library must undo that."""
    for name in [n for n in sys.modules if n == "pylode" or n.startswith("pylode.")]:
        monkeypatch.delitem(sys.modules, name)
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", logging.WARNING)
    write_ontology_docs(tmp_path / "ontology.html")
    assert root.handlers == []
    assert root.level == logging.WARNING
