"""Inputs that once ended in a traceback, a hang, a silent replacement or a silent skip (issue 13).

Each case is a corpus a person could hand the loader, on purpose or by accident: an id with an
invisible space, a file name with a line break, a named pipe where a document should be, digits
that look like digits, YAML tags that make bytes, a document saved decomposed (NFD), annotations
saved as ``.yml``, a long quote that is not in a long record. Each must end in a ``file:line``
error (exit 1) or load as the person meant, quickly and without a traceback.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import limits
from kg.cli import cli
from kg.corpus.loader import load_corpus
from kg.errors import CorpusError

from ..conftest import MINI_DOC, one_document_corpus

CLAIM = """
- id: {id}
  claimant: VEN
  against: USA
  stance: alleges-violation
  date: {date}
  quote: "He said the U.S. had violated the founding U.N. Charter"
  proposition: The United States violated the UN Charter.
"""


def claims(*ids: str, date: str = "2026-01-03") -> str:
    return "".join(CLAIM.format(id=claim_id, date=date) for claim_id in ids)


def problems_of(root: Path) -> list:
    with pytest.raises(CorpusError) as caught:
        load_corpus(root)
    return caught.value.problems


def validate(root: Path):
    """``kg validate`` as a person runs it; a traceback would fail the test (catch_exceptions=False)."""
    return CliRunner().invoke(cli, ["validate", "--corpus", str(root)], catch_exceptions=False)


# --- item 2: an id that differs only by white space -----------------------------------------


@pytest.mark.parametrize(("written", "code"), [('"ven-letter\u00a0"', "U+00A0"), ('"ven-letter "', "U+0020"),
                                               ('"\u2003ven-letter"', "U+2003")])
def test_an_id_with_white_space_around_it_is_refused(mini_corpus, written, code):
    """It passed the duplicate check as written, was stored stripped and replaced the first claim."""
    root = mini_corpus(claims("ven-letter", written))
    [problem] = problems_of(root)
    assert problem.line == 11  # the second claim's "- id:"
    assert problem.message == (f"claim '{written.strip(chr(34))}': id 'ven-letter' has white space around "
                               f"it ({code}); ids are lower-case kebab slugs: remove it")
    result = validate(root)
    assert result.exit_code == 1 and "has white space around it" in result.stderr


# --- item 11: values that reached the RDF libraries and crashed there -------------------------


@pytest.mark.parametrize(("name", "shown"), [('{en: Cuba, "e s": Cuba}', "e s"), ('{en: Cuba, "": Cuba}', ""),
                                             ('{en: Cuba, "es\\n": Cuba}', "es\\n")])
def test_a_label_language_must_be_a_language_tag(tmp_path, name, shown):
    root = one_document_corpus(tmp_path / "corpus")
    actors = root / "catalogues" / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    assert text.count("name: {en: Cuba, es: Cuba}") == 1
    actors.write_text(text.replace("{en: Cuba, es: Cuba}", name), encoding="utf-8")
    line = text[: text.index("{en: Cuba, es: Cuba}")].count("\n") + 1
    [problem] = problems_of(root)
    assert (problem.file, problem.line) == (str(actors), line)
    assert problem.message == (f"actor 'CUB': '{shown}' is not a language tag (BCP 47, such as en, es, "
                               "pt-BR); write the language's code")
    assert validate(root).exit_code == 1


@pytest.mark.parametrize("date", ['"２０２６"', '"٢٠٢٦"', '"2026-０1"', '"2026\\n"'])
def test_a_date_is_written_in_ascii_digits(mini_corpus, date):
    """Full-width digits were stored as "２０２６"^^xsd:gYear (and SHACL said it conforms);
    Arabic-Indic ones were refused by rdflib with a traceback."""
    root = mini_corpus(claims("ven-letter", date=date))
    [problem] = problems_of(root)
    assert problem.line == 7 and problem.message.startswith("claim 'ven-letter': bad date: ")
    assert validate(root).exit_code == 1


@pytest.mark.parametrize("tagged", ["!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!!pairs [a: 1]"])
def test_yaml_tags_no_field_holds_are_refused(tmp_path, tagged):
    """``genre: !!binary aGVsbG8=`` was stored as the text "b'hello'"."""
    root = one_document_corpus(tmp_path / "corpus")
    metadata = root / "documents" / f"{MINI_DOC}.yaml"
    text = metadata.read_text(encoding="utf-8")
    metadata.write_text(text.replace("genre: news report", f"genre: {tagged}"), encoding="utf-8")
    line = text[: text.index("genre:")].count("\n") + 1
    problem = next(p for p in problems_of(root) if p.file == str(metadata))
    tag = tagged.split()[0]
    assert (problem.line, problem.message) == (line, f"values tagged {tag} are not used in a corpus; remove "
                                               "the tag and write the value as text, a list or a mapping")


def test_a_document_name_with_a_line_break_is_refused(tmp_path):
    """The kebab pattern ended in $, which also matches before a final line break."""
    root = one_document_corpus(tmp_path / "corpus")
    for suffix in (".txt", ".yaml"):
        source = root / "documents" / f"{MINI_DOC}{suffix}"
        (root / "documents" / f"zz-evil\n{suffix}").write_bytes(source.read_bytes())
    [problem] = problems_of(root)
    assert problem.file == str(root / "documents" / "zz-evil\n.txt")
    assert problem.message == "document id 'zz-evil\\n' must be lower-case kebab case"
    result = validate(root)
    assert result.exit_code == 1 and "zz-evil\\n" in result.stderr


def loads_within(root: Path, seconds: float = 60) -> list:
    """The problems of loading ``root``, failing (not hanging) if the loader blocks."""
    outcome: list = []
    worker = threading.Thread(target=lambda: outcome.append(problems_of(root)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the loader is blocked (waiting on a FIFO?)"
    return outcome[0]


@pytest.mark.parametrize("where", ["documents/zz-pipe.txt", "documents/zz-pipe.yaml",
                                   "annotations/zz-pipe.yaml", "catalogues/norms.yaml"])
def test_a_named_pipe_is_refused_without_waiting_on_it(tmp_path, where):
    """A FIFO as a document made the build wait for a writer for ever."""
    root = one_document_corpus(tmp_path / "corpus")
    if where.startswith("documents/"):  # the other half of the document, so that both are read
        other = ".yaml" if where.endswith(".txt") else ".txt"
        (root / "documents" / f"zz-pipe{other}").write_bytes(
            (root / "documents" / f"{MINI_DOC}{other}").read_bytes())
    (root / where).unlink(missing_ok=True)  # the corpus may hold that catalogue already
    os.mkfifo(root / where)
    [problem] = loads_within(root)
    assert (problem.file, problem.line) == (str(root / where), None)
    assert problem.message == ("is a named pipe (FIFO), not a file; the corpus reads regular files only "
                               "(copy the text into a file)")


def test_a_folder_named_like_a_document_is_refused(tmp_path):
    root = one_document_corpus(tmp_path / "corpus")
    (root / "annotations" / "folder.yaml").mkdir()
    [problem] = loads_within(root)
    assert problem.message.startswith("is a folder, not a file")


# --- item 12: legitimate input that was refused or ignored ------------------------------------


def test_a_decomposed_document_matches_composed_quotes(corpus_copy, corpus):
    """NFD text, NFC quotes: "quote not found", nearest passage 98% alike and looking identical."""
    document = "amnesty-2026-02-03"
    path = corpus_copy / "documents" / f"{document}.txt"
    composed = path.read_text(encoding="utf-8")
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    path.write_text(decomposed, encoding="utf-8")
    loaded = load_corpus(corpus_copy)
    expected = corpus.claims
    assert loaded.claims.keys() == expected.keys()
    pairs = [pair for claim in loaded.claims.values() if claim.document == document
             for pair in zip(claim.evidence, expected[claim.id].evidence, strict=True)]
    assert len(pairs) > 20
    accented = [span for span, _ in pairs if span.exact != unicodedata.normalize("NFC", span.exact)]
    assert accented  # "the capture of Nicolás Maduro", ...
    for span, original in pairs:
        assert decomposed[span.start : span.end] == span.exact  # the stored text, as stored
        assert unicodedata.normalize("NFC", span.exact) == original.exact
        assert unicodedata.normalize("NFC", decomposed[: span.start]) == composed[: original.start]


def test_yml_files_are_read_like_yaml_files(tmp_path):
    """annotations/x.yml was ignored: the document was built with no claims, exit 0."""
    root = one_document_corpus(tmp_path / "corpus")
    for folder, name in (("annotations", MINI_DOC), ("documents", MINI_DOC), ("catalogues", "actors"),
                         ("catalogues", "events")):
        (root / folder / f"{name}.yaml").rename(root / folder / f"{name}.yml")
    expected = load_corpus(one_document_corpus(tmp_path / "as-yaml"))
    corpus = load_corpus(root)
    assert corpus.claims.keys() == expected.claims.keys() and len(corpus.claims) == 5
    assert corpus.actors.keys() == expected.actors.keys()
    assert {f.path for f in corpus.inputs} >= {f"annotations/{MINI_DOC}.yml", f"documents/{MINI_DOC}.yml",
                                                 "catalogues/actors.yml", "catalogues/events.yml"}


@pytest.mark.parametrize(("folder", "name"), [("documents", MINI_DOC), ("catalogues", "actors")])
def test_both_yaml_and_yml_is_an_error(tmp_path, folder, name):
    root = one_document_corpus(tmp_path / "corpus")
    yaml_file = root / folder / f"{name}.yaml"
    (root / folder / f"{name}.yml").write_bytes(yaml_file.read_bytes())
    [problem] = problems_of(root)
    assert problem.file == str(root / folder / f"{name}.yml")
    assert problem.message == f"both {folder}/{name}.yaml and {folder}/{name}.yml exist; keep one"


# --- item 10: the nearest-passage hints of a run are bounded in time --------------------------

PARAGRAPH = ("The delegation of {n} recalled the resolutions adopted by the Assembly and the obligations "
             "that every Member State accepted when it signed the Charter of the United Nations. ")


def long_record(root: Path, paragraphs: int) -> str:
    """Make the wire report a long record (one paragraph per delegation); return a 4,990-character
    passage of it as an annotator misquoted it."""
    path = root / "documents" / f"{MINI_DOC}.txt"
    body = "".join(PARAGRAPH.format(n=f"delegation {n:05}") + ("\n" if n % 5 == 4 else "")
                   for n in range(paragraphs))
    path.write_text(path.read_text(encoding="utf-8") + "\n" + body, encoding="utf-8")
    start = body.index("delegation 01200")
    passage = body[start : start + 4990].replace("\n", " ")
    return passage.replace("obligations", "duties")


def test_a_long_missing_quote_in_a_long_record_gets_its_nearest_passage(tmp_path):
    """A 4,990-character quote missing from a 9.6 MB document took 98 s to report; the search now
    goes through short probes. Here a 2 MB record: the hint still points at the right passage."""
    root = one_document_corpus(tmp_path / "corpus", annotations=False)
    misquoted = long_record(root, 12_000)
    (root / "annotations" / f"{MINI_DOC}.yaml").write_text(
        f"document: {MINI_DOC}\nclaims:\n" + claims("long-miss").replace(
            '"He said the U.S. had violated the founding U.N. Charter"', f'"{misquoted}"'), encoding="utf-8")
    [problem] = problems_of(root)
    assert problem.message.startswith(f"claim 'long-miss': quote not found in documents/{MINI_DOC}.txt; "
                                      "nearest passage (line ")
    assert "delegation 01200 recalled the resolutions" in problem.message
    assert float(problem.message.split("% alike")[0].rsplit(", ", 1)[1]) > 90


def test_the_hints_of_a_run_stop_when_their_time_is_spent(mini_corpus, monkeypatch):
    """A run's hints have a total time budget as well as a count: the first miss gets its nearest
    passage; once the budget (here lowered to a nanosecond) is spent, the others say so."""
    monkeypatch.setattr(limits, "NEAREST_PASSAGE_SECONDS", 1e-9)
    misses = claims("miss-1", "miss-2", "miss-3").replace("the founding U.N. Charter", "the Canadian charter")
    problems = problems_of(mini_corpus(misses))
    assert [p.message.split(".txt")[0] for p in problems] == [
        f"claim '{n}': quote not found in documents/{MINI_DOC}" for n in ("miss-1", "miss-2", "miss-3")]
    assert problems[0].message.split(".txt")[1].startswith("; nearest passage (line")
    assert [p.message.split(".txt")[1] for p in problems[1:]] == [
        " (no nearest passage: hint budget spent)"] * 2
