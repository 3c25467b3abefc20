"""The documentation a scholar relies on is in the repository, and says what the code does.

The contract of the graph (namespaces, IRIs, the properties of a claim, the annotation
conventions) is ``docs/data-model.md``: a clone has it, and the error messages and pages that
cite a rule cite it. Every relative link of the Markdown pages leads to a file of the repository.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kg.corpus.loader import load_corpus
from kg.errors import CorpusError
from kg.graph import namespaces

from .conftest import REPO

DATA_MODEL = REPO / "docs" / "data-model.md"
PAGES = [REPO / "README.md", REPO / "SECURITY.md", REPO / "CHANGELOG.md", REPO / "corpus" / "README.md",
         REPO / "benchmarks" / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def tracked_text_files() -> list[Path]:
    """The files a clone has (git's index, and new files not ignored), text only."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=REPO, capture_output=True, check=True).stdout.decode("utf-8")
    files = []
    for name in filter(None, listed.split("\0")):
        path = REPO / name
        if path.is_file() and path.suffix in {".md", ".py", ".rq", ".ttl", ".yaml", ".ipynb", ".js",
                                              ".html", ".toml", ".txt", ""}:
            files.append(path)
    return files


def test_nothing_cites_a_design_document_outside_the_repository():
    """A clone has no ../shared/: the contract is docs/data-model.md."""
    outside = re.compile(r"\bDESIGN\.md")
    citing = [str(path.relative_to(REPO)) for path in tracked_text_files() if path != Path(__file__)
              and outside.search(path.read_text(encoding="utf-8", errors="replace"))]
    assert citing == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_leads_to_a_file_of_the_repository(page):
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # https:, mailto:, an anchor on the same page
        path = (page.parent / target.split("#", 1)[0]).resolve()
        if not path.exists() or REPO.resolve() not in path.parents:
            broken.append(target)
    assert broken == [], f"{page.relative_to(REPO)}: links to nothing in the repository: {broken}"


def contract() -> tuple[str, str]:
    """docs/data-model.md before and from its section on the legal argument structure."""
    text = DATA_MODEL.read_text(encoding="utf-8")
    before, marker, after = text.partition("## Legal argument structure (contract)")
    assert marker, "docs/data-model.md has lost its section on the legal argument structure"
    return before, after


def test_the_contract_namespaces_are_the_ones_the_graph_uses():
    before, _ = contract()
    written = dict(re.findall(r"`([a-z]+):` `(https?://[^`]+)`", before))
    assert written == {
        "ilk": str(namespaces.ILK._NS), "actor": str(namespaces.ACTOR), "norm": str(namespaces.NORM),
        "event": str(namespaces.EVENT), "claim": str(namespaces.CLAIM), "doc": str(namespaces.DOC),
        "eli": str(namespaces.ELI), "wd": str(namespaces.WD),
    }


def test_every_term_of_the_data_model_is_in_the_ontology():
    before, after = contract()
    ontology = Graph().parse(REPO / "ontology" / "ilkg.ttl")
    defined = set(ontology.subjects())
    named = set(re.findall(r"\bilk:([A-Za-z]+)", before))
    # Of the legal argument structure, what the status note says this release builds: all of it.
    status = re.search(r"> \*\*Status\.\*\*(.*?)\n\n", after, re.DOTALL).group(1)
    built = set(re.findall(r"`ilk:([A-Za-z]+)`", status))
    argument = set(re.findall(r"\bilk:([A-Za-z]+)", after))
    assert len(named) > 25 and {"proposition", "appliesScheme", "rebuts", "undercuts", "undermines",
                                "sourceType", "interprets"} <= built
    assert built <= argument
    missing = sorted(t for t in named | argument if URIRef(str(namespaces.ILK._NS) + t) not in defined)
    assert missing == []


def test_the_shapes_the_data_model_names_are_in_the_shapes():
    _, after = contract()
    shapes = (REPO / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    named = set(re.findall(r"`(ilks:[A-Za-z-]+)`", after))
    assert named and all(re.search(rf"^{re.escape(n)}\s*$", shapes, re.MULTILINE) for n in named), named


def test_the_error_for_against_the_claimant_cites_the_contract(mini_corpus):
    root = mini_corpus("""
        - id: ven-letter
          claimant: VEN
          against: VEN
          invokes: [un-charter-art-2-4]
          stance: alleges-violation
          date: 2026-01-03
          quote: "He said the U.S. had violated the founding U.N. Charter"
        """)
    with pytest.raises(CorpusError) as caught:
        load_corpus(root)
    [problem] = [p for p in caught.value.problems if "against" in p.message]
    cited = re.search(r"\((docs/[a-z-]+\.md), (ilk:against)\)", problem.message)
    assert cited, problem.message
    page, term = cited.groups()
    rule = next(line for line in (REPO / page).read_text(encoding="utf-8").splitlines()
                if line.startswith(f"| `{term}` |"))
    assert "never the claimant itself" in rule


def test_the_data_model_keeps_the_contract_sections():
    text = DATA_MODEL.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings == ["Data model (contract)", "Annotations (the scholar's input)",
                        "Legal argument structure (contract)", "The argument layer as built"]
    for needed in ("Properties of a claim:", "Identifiers:", "Annotation conventions",
                   "`scheme:` `https://w3id.org/ilkg/scheme/`", "ilk:invokes/eli:is_part_of*"):
        assert needed in text, needed
    assert "](docs/data-model.md)" in (REPO / "README.md").read_text(encoding="utf-8")

