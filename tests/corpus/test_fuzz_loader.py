"""Fuzzed corpus files end in a clean CorpusError or a valid corpus, never a traceback or a hang.

Property-based tests (Hypothesis) feed the YAML reader and the corpus loader thousands of broken
inputs made from the real files (tests/fuzz_inputs.py): wrong types, missing and unknown keys,
unicode oddities, huge values, path-like ids, alias bombs, deep nesting, binary junk, invalid
UTF-8, BOMs and tabs. Each run must end in a :class:`~kg.errors.CorpusError` whose every problem
names a corpus file (with a line when the file parses as YAML) in a message of readable length,
or in a corpus whose quotes really are where it says; it must write nothing anywhere, and finish
within a hard time limit (SIGALRM), so a hang fails the test rather than freezing the suite.

Budget: the ``ci`` profile (tests/hypothesis_profiles.py) runs a fixed, derandomized set of
2,090 examples here (1,500 of them on the YAML reader alone, which is cheap; 590 whole-corpus
loads) in about a minute of CPU time. Before a release run fifty times as many, on
fresh random examples::

    HYPOTHESIS_PROFILE=release python -m pytest -q tests/*/test_fuzz_*.py
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.corpus.catalogues import KEBAB
from kg.corpus.loader import load_corpus
from kg.corpus.located_yaml import load as load_yaml
from kg.corpus.models import Corpus
from kg.errors import CorpusError

from ..conftest import CORPUS
from ..fuzz_inputs import (
    ANNOTATIONS,
    CATALOGUES,
    DOCUMENTS,
    ODD_CHARS,
    PATH_IDS,
    SNIPPETS,
    Sandbox,
    check_problems,
    mangled,
    mutated_file,
    mutated_yaml,
)
from ..hypothesis_profiles import examples, hard_limit

# The strategies' arguments are whole files; Hypothesis warns when it shows them.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")
SECONDS = 10  # per example; a full load takes ~0.05 s, the slowest refused input well under 1 s


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory) -> Sandbox:
    return Sandbox(tmp_path_factory.mktemp("fuzz-loader"))


def load_checked(box: Sandbox) -> Corpus | None:
    """Load the sandbox's corpus: a checked corpus, or None after checking the CorpusError."""
    before = box.snapshot()
    with contextlib.chdir(box.top), hard_limit(SECONDS):
        try:
            corpus = load_corpus(box.root)
        except CorpusError as exc:
            check_problems(exc, box.root)
            corpus = None
    assert box.snapshot() == before, "the loader wrote, moved or touched a file"
    if corpus is not None:
        check_corpus(corpus)
    return corpus


def check_corpus(corpus: Corpus) -> None:
    """What the builder relies on: ids in house style, and every quote where its offsets say."""
    for claim in corpus.claims.values():
        assert KEBAB.match(claim.id) and claim.document in corpus.documents
        text = corpus.documents[claim.document].text
        for span in claim.evidence:
            assert text[span.start : span.end] == span.exact


# --- the YAML reader on its own -----------------------------------------------------------------

yaml_texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from([*ODD_CHARS, "\n", "  ", "- ", ": ", "&a ", "*a", "<<: ", "!!", "[", "{"]),
             max_size=200).map("".join),
    st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=3).map("".join),
    mangled((CORPUS / "annotations" / ANNOTATIONS[-1]).read_bytes()).map(
        lambda data: data.decode("utf-8", "replace")),
)


@settings(max_examples=examples(1500))
@given(yaml_texts)
def test_yaml_reader_returns_data_or_located_problems(text):
    with hard_limit(SECONDS):
        data, problems = load_yaml(text, "f.yaml")
    last = len(text.splitlines()) + 1  # splitlines knows every line break YAML knows, and more
    assert all(p.file == "f.yaml" and p.line is not None and 1 <= p.line <= last and p.message
               for p in problems)
    # a file is read, or not; only duplicate keys are reported in a file that was read (keeping the
    # first value, so that the rest of the file is still checked)
    assert data is None or all(p.message.startswith("duplicate key ") for p in problems)


def test_a_character_yaml_refuses_is_reported_at_its_line():
    """libyaml counts the position in bytes: after multi-byte characters the line must still be right."""
    text = "title: " + "é" * 40 + "\nauthor: \U0001f600\nnote: bell \x07 here\n" + "\n" * 100
    data, [problem] = load_yaml(text, "f.yaml")
    assert data is None and problem.line == 3
    assert problem.message.startswith("malformed YAML: character U+0007 is not allowed in YAML")


# --- whole corpus loads with one file changed -----------------------------------------------------

annotation_files = st.sampled_from(ANNOTATIONS).flatmap(
    lambda name: st.tuples(st.just(f"annotations/{name}"), mutated_file(CORPUS / "annotations" / name)))
metadata_files = st.sampled_from(DOCUMENTS).flatmap(
    lambda doc: st.tuples(st.just(f"documents/{doc}.yaml"),
                          mutated_file(CORPUS / "documents" / f"{doc}.yaml")))
catalogue_files = st.one_of(
    st.sampled_from(CATALOGUES).flatmap(
        lambda name: st.tuples(st.just(f"catalogues/{name}"), mutated_file(CORPUS / "catalogues" / name))),
    st.tuples(st.just("catalogues/norms.yaml"), mutated_yaml({"norms": [
        {"id": "fuzz-principle", "type": "principle", "notation": "Fuzz principle",
         "label": {"en": "A principle", "es": "Un principio"}, "codified_in": ["un-charter-art-2-4"]},
        {"id": "un-charter-art-2-4-bis", "type": "provision", "part_of": "un-charter",
         "notation": "UN Charter Art. 2(4) bis", "label": {"en": "Bis", "es": "Bis"},
         "aliases": ["fuzz alias"]},
    ]})),
)


def load_changed(sandbox, change: tuple[str, bytes]) -> None:
    """Load the corpus with one file replaced by ``change`` (path, bytes), checked as load_checked does."""
    relative, data = change
    with sandbox.replaced(relative, data):
        load_checked(sandbox)


@settings(max_examples=examples(250))
@given(annotation_files)
def test_mutated_annotation_file(sandbox, change):
    load_changed(sandbox, change)


@settings(max_examples=examples(100))
@given(metadata_files)
def test_mutated_document_metadata(sandbox, change):
    load_changed(sandbox, change)


@settings(max_examples=examples(120))
@given(catalogue_files)
def test_mutated_catalogue(sandbox, change):
    load_changed(sandbox, change)


@settings(max_examples=examples(60))
@given(st.sampled_from(DOCUMENTS).flatmap(
    lambda doc: st.tuples(st.just(doc), mangled((CORPUS / "documents" / f"{doc}.txt").read_bytes()))))
def test_mutated_document_text(sandbox, change):
    """A changed text: quotes may no longer be found, but the annotation file says where."""
    doc_id, data = change
    with sandbox.replaced(f"documents/{doc_id}.txt", data):
        corpus = load_checked(sandbox)
    if corpus is not None:  # decoded as stored: a BOM or CR line ends are kept, not "fixed"
        assert corpus.documents[doc_id].text.encode("utf-8") == data


file_names = st.one_of(
    st.sampled_from([p.replace("/", "_") for p in PATH_IDS if p and "/" not in p and "\x00" not in p]),
    st.text(st.characters(exclude_characters="/\x00", exclude_categories=["Cs"]), min_size=1, max_size=30),
).filter(lambda name: name not in (".", "..") and len(name.encode("utf-8")) < 200)


@settings(max_examples=examples(60))
@given(st.sampled_from(["documents", "annotations"]), file_names, st.sampled_from([".txt", ".yaml"]),
       st.sampled_from(SNIPPETS[:20]) | st.sampled_from(["document: x\nclaims: []\n", "title: t\n", ""]))
def test_extra_file_with_an_odd_name(sandbox, folder, stem, suffix, content):
    """Files a scholar did not mean to add (odd names, stray snippets) are named in the errors."""
    relative = f"{folder}/{stem}{suffix}"
    if (sandbox.root / relative).exists():
        return
    with sandbox.replaced(relative, content.encode("utf-8")):
        load_checked(sandbox)


def test_the_hard_limit_fails_a_hang():
    """The guard every example runs under turns a loop that never ends into a failed example."""
    with pytest.raises(AssertionError, match="a hang"), hard_limit(0.2):
        while True:
            pass


def test_bundled_corpus_loads_in_the_sandbox(sandbox):
    """The properties above are not vacuous: unmutated, the sandbox's corpus loads."""
    corpus = load_checked(sandbox)
    assert corpus is not None and len(corpus.claims) == len(load_corpus(CORPUS).claims)


def test_path_like_document_id_is_refused_by_name(sandbox):
    """``document: ../../etc/x`` is an unknown document, reported at its line; nothing is opened."""
    relative = f"annotations/{ANNOTATIONS[0]}"
    rows = (sandbox.root / relative).read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, row in enumerate(rows, 1) if row.startswith("document:"))
    rows[line - 1] = "document: ../../etc/x\n"
    with sandbox.replaced(relative, "".join(rows).encode()), pytest.raises(CorpusError) as caught:
        load_checked_raising(sandbox)
    [problem] = [p for p in caught.value.problems if "etc/x" in p.message]
    assert (Path(problem.file).name, problem.line) == (ANNOTATIONS[0], line)
    assert "missing document file documents/../../etc/x.txt" in problem.message


def load_checked_raising(box: Sandbox) -> None:
    """Load, letting the CorpusError out, after checking that nothing was written."""
    before = box.snapshot()
    try:
        load_corpus(box.root)
    finally:
        assert box.snapshot() == before
