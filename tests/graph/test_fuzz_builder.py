"""Fuzzed corpora that the loader accepts build into a valid graph, written only where asked.

The loader fuzz (tests/corpus/test_fuzz_loader.py) mostly produces corpora that fail; here the edits are
gentler, so that most corpora pass the loader and reach the builder, SHACL and the serializers:
the text values of a one-document corpus (titles, notes, labels, names, aliases, definitions,
quotes, prefixes) become unicode oddities (NUL, bidi controls, combining marks, U+2028, emoji,
characters that are special in Turtle, JSON or HTML), long texts, other real passages of the
document, path-like strings and other valid ids. Each example runs ``kg.graph.pipeline.build`` in a
random format and must end either in a CorpusError whose problems name a file and line, or in an
output file that parses to as many triples as the build reported; no file may appear or change
anywhere but the output and its verdict cache, and a hard time limit fails a hang.

Budget: the ``ci`` profile runs a fixed set of 50 examples in about ten seconds; see
tests/hypothesis_profiles.py for the release run (``HYPOTHESIS_PROFILE=release``).
"""

from __future__ import annotations

import contextlib
import copy

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import CorpusError
from kg.graph.formats import FORMATS
from kg.graph.pipeline import build

from ..conftest import CORPUS
from ..fuzz_inputs import (
    MINI_DOCUMENT,
    PATH_IDS,
    VALID,
    Sandbox,
    check_problems,
    dump,
    odd_text,
    standalone_tree,
    yaml_tree,
)
from ..hypothesis_profiles import examples, hard_limit

pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")
SECONDS = 60  # per example; a build of this corpus takes ~0.3 s

TEXT = (CORPUS / "documents" / f"{MINI_DOCUMENT}.txt").read_text(encoding="utf-8")
FILES = (f"annotations/{MINI_DOCUMENT}.yaml", f"documents/{MINI_DOCUMENT}.yaml", "catalogues/actors.yaml",
         "catalogues/events.yaml")


@st.composite
def passages(draw) -> str:
    """A passage of the document: a quote or an opening that is often found."""
    start = draw(st.integers(0, len(TEXT) - 1))
    return TEXT[start : start + draw(st.integers(1, 300))]


texts = st.one_of(
    odd_text, odd_text.map(lambda odd: f"Normal words {odd} and more"), passages(),
    st.sampled_from(VALID), st.sampled_from(PATH_IDS),
    st.integers(1_000, 20_000).map(lambda n: "long \u202e\u0301 text " * (n // 16)),
)


# Fields whose text goes into the graph as it is (not ids, dates or choices the loader checks).
FREE_TEXT = frozenset({"note", "notes", "title", "genre", "seed", "en", "es", "name", "label", "aliases",
                       "definition", "description", "role", "notation", "quote", "quotes", "exact",
                       "proposition"})


def _text_slots(tree) -> tuple[list[tuple], list[tuple]]:
    """(container, key) of every text value in ``tree``: those of free-text fields, and all."""
    free, every, stack = [], [], [(tree, None)]
    while stack:
        node, field = stack.pop()
        pairs = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in pairs:
            name = key if isinstance(key, str) else field  # list items belong to the list's field
            if isinstance(value, str):
                every.append((node, key))
                if name in FREE_TEXT:
                    free.append((node, key))
            else:
                stack.append((value, name))
    return free, every


@st.composite
def gently_edited(draw, relative: str) -> bytes:
    """A file of the corpus with one to three text values replaced (mostly free text), as YAML."""
    tree = copy.deepcopy(standalone_tree(MINI_DOCUMENT) if relative.startswith("annotations/")
                         else yaml_tree(CORPUS / relative))
    free, every = _text_slots(tree)
    for _ in range(draw(st.integers(1, 3))):
        container, key = draw(st.sampled_from(free if draw(st.integers(0, 4)) else every))
        container[key] = draw(texts)
    return dump(tree, draw(st.booleans()))


changes = st.sampled_from(FILES).flatmap(
    lambda relative: st.tuples(st.just(relative), gently_edited(relative)))


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory) -> Sandbox:
    return Sandbox(tmp_path_factory.mktemp("fuzz-builder"), documents=(MINI_DOCUMENT,))


def build_checked(box: Sandbox, fmt: str) -> int | None:
    """Build into ``top/out``; check the outcome and that nothing else was written."""
    out = box.top / "out"
    target = out / f"graph{FORMATS[fmt].extension}"
    for old in out.glob("graph.*"):  # the last example's output, perhaps in another format
        old.unlink()
    before = {path: state for path, state in box.snapshot().items() if not path.startswith(str(out))}
    with contextlib.chdir(box.top), hard_limit(SECONDS):
        try:
            report = build(box.root, target, fmt, jobs=1)
        except CorpusError as exc:
            check_problems(exc, box.root)
            report = None
    after = box.snapshot()
    assert {path: state for path, state in after.items() if not path.startswith(str(out))} == before
    written = {path[len(str(out)) + 1 :] for path in after if path.startswith(str(out) + "/")}
    assert {name for name in written if not name.startswith(".kg-cache")} == (
        {target.name} if report else set()), "a temporary file was left behind, or the output is missing"
    if report is None:
        return None
    parsed = list(ox.parse(path=str(target), format=FORMATS[fmt].oxigraph_format))
    assert len(parsed) == report.triples
    return report.triples


@settings(max_examples=examples(50))
@given(changes, st.sampled_from(sorted(FORMATS)))
def test_edited_corpus_builds_or_fails_cleanly(sandbox, change, fmt):
    relative, data = change
    with sandbox.replaced(relative, data):
        build_checked(sandbox, fmt)


def test_unedited_mini_corpus_builds_in_every_format(sandbox):
    """The property above is not vacuous: the sandbox's corpus builds."""
    for fmt in sorted(FORMATS):
        assert build_checked(sandbox, fmt) > 1000
