"""The size limits of kg.limits: just under passes, just over fails with a clear message naming
the file (and the line, where there is one); the bundled corpus stays far below every limit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kg import limits
from kg.corpus.loader import load_corpus
from kg.corpus.located_yaml import load as load_yaml
from kg.errors import CorpusError

from ..conftest import CORPUS, MINI_DOC, one_document_corpus

FILLER = b"The representative of a Member State took the floor and spoke at length about the item.\n"


@pytest.fixture
def mini(tmp_path) -> Path:
    """A writable one-document corpus: the catalogues and the wire report with its annotations."""
    return one_document_corpus(tmp_path / "corpus")


def padded(data: bytes, size: int, filler: bytes) -> bytes:
    """``data`` followed by repeated ``filler`` up to exactly ``size`` bytes."""
    missing = size - len(data)
    return data + (filler * (missing // len(filler) + 1))[:missing]


def problems_of(root: Path) -> list:
    with pytest.raises(CorpusError) as caught:
        load_corpus(root)
    return caught.value.problems


def test_document_size(mini):
    text = mini / "documents" / f"{MINI_DOC}.txt"
    original = text.read_bytes()
    text.write_bytes(padded(original, limits.MAX_DOCUMENT_BYTES, FILLER))
    assert len(load_corpus(mini).documents[MINI_DOC].text.encode("utf-8")) == limits.MAX_DOCUMENT_BYTES

    text.write_bytes(padded(original, limits.MAX_DOCUMENT_BYTES + 1, FILLER))
    [problem] = [p for p in problems_of(mini) if p.file == str(text)]
    assert problem.line is None
    assert problem.message == ("10,000,001 bytes, over the limit of 10 MB for one document; "
                               "split it into several documents")


def test_yaml_file_size(mini):
    """A YAML file is measured whole, comments included (the padding here is one long comment)."""
    annotation = mini / "annotations" / f"{MINI_DOC}.yaml"
    original = annotation.read_bytes() + b"# "
    annotation.write_bytes(padded(original, limits.MAX_YAML_BYTES - 1, b"x") + b"\n")
    assert len(load_corpus(mini).claims) == 5

    annotation.write_bytes(padded(original, limits.MAX_YAML_BYTES + 2_000_000, b"x") + b"\n")
    [problem] = problems_of(mini)
    assert (problem.file, problem.line) == (str(annotation), None)
    assert problem.message == "7 MB, over the limit of 5 MB for one YAML file; split it into several files"


def claims_file(count: int) -> str:
    """An annotation file of ``count`` claims, each with its own id, all on one passage."""
    claim = ("  - id: claim-{n}\n    claimant: VEN\n    against: USA\n    stance: alleges-violation\n"
             "    proposition: The United States violated the UN Charter.\n"
             "    quote: \"He said the U.S. had violated the founding U.N. Charter\"\n")
    return f"document: {MINI_DOC}\nclaims:\n" + "".join(claim.format(n=n) for n in range(count))


def test_claims_per_file(mini):
    annotation = mini / "annotations" / f"{MINI_DOC}.yaml"
    annotation.write_text(claims_file(limits.MAX_CLAIMS_PER_FILE), encoding="utf-8")
    assert len(load_corpus(mini).claims) == limits.MAX_CLAIMS_PER_FILE

    annotation.write_text(claims_file(limits.MAX_CLAIMS_PER_FILE + 1), encoding="utf-8")
    [problem] = problems_of(mini)
    assert (problem.file, problem.line) == (str(annotation), 2)
    assert problem.message == ("annotation file: 5,001 claims, over the limit of 5,000 for one annotation "
                               "file; split the document into several documents")


def test_quote_length(mini):
    """A passage of 5,000 characters can be quoted whole; one more character is refused at its line."""
    text = mini / "documents" / f"{MINI_DOC}.txt"
    passage = "".join(f"Paragraph {n} of the long statement read into the record. " for n in range(200))
    text.write_text(text.read_text(encoding="utf-8") + "\n" + passage + "\n", encoding="utf-8")
    annotation = mini / "annotations" / f"{MINI_DOC}.yaml"
    base = annotation.read_text(encoding="utf-8")

    def with_quote(quote: str) -> None:
        extra = (f"  - id: long-quote\n    claimant: VEN\n    stance: alleges-violation\n"
                 f"    proposition: The statement read into the record is a legal claim.\n"
                 f"    date: 2026-01-03\n    quote: \"{quote}\"\n")
        annotation.write_text(base.rstrip("\n") + "\n\n" + extra, encoding="utf-8")

    with_quote(passage[: limits.MAX_QUOTE_CHARS])
    assert len(load_corpus(mini).claims["long-quote"].evidence[0].exact) == limits.MAX_QUOTE_CHARS

    with_quote(passage[: limits.MAX_QUOTE_CHARS + 1])
    [problem] = problems_of(mini)
    lines = annotation.read_text(encoding="utf-8").splitlines()
    assert (problem.file, problem.line) == (str(annotation), len(lines))
    assert problem.message == ("claim 'long-quote': quote of 5,001 characters, over the limit of 5,000; "
                               "quote the sentence or paragraph that carries the claim")


def test_nearest_passage_searches_per_run(mini):
    """The first misses of a run get a suggestion; the rest are reported plainly, so that a file
    of wrong quotes against a long record does not take an hour to report."""
    annotation = mini / "annotations" / f"{MINI_DOC}.yaml"
    misses = limits.NEAREST_PASSAGE_SEARCHES + 3
    claim = ("  - id: miss-{n}\n    claimant: VEN\n    stance: alleges-violation\n    date: 2026-01-03\n"
             "    proposition: Canada's action breached international law.\n"
             "    quote: \"Secretary-General Antonio Guterres is deeply alarmed by Canadian action {n}\"\n")
    claims = "".join(claim.format(n=n) for n in range(misses))
    annotation.write_text(f"document: {MINI_DOC}\nclaims:\n{claims}", encoding="utf-8")
    problems = problems_of(mini)
    assert len(problems) == misses
    suggested = [p for p in problems if "nearest passage (line" in p.message]
    assert len(suggested) == limits.NEAREST_PASSAGE_SEARCHES
    assert all("Antonio Guterres is deeply alarmed by U.S. military" in p.message for p in suggested)
    plain = [p for p in problems if p not in suggested]
    assert [p.message for p in plain] == [
        f"claim 'miss-{n}': quote not found in documents/{MINI_DOC}.txt (no nearest passage: over 200 "
        "quotes not found in this run)" for n in range(limits.NEAREST_PASSAGE_SEARCHES, misses)
    ]


def nested(depth: int) -> str:
    """A mapping whose value is nested ``depth`` collections deep, counting the mapping itself."""
    return "value:\n  " + "[" * (depth - 1) + "x" + "]" * (depth - 1) + "\n"


def test_nesting_depth(mini):
    data, problems = load_yaml(nested(limits.MAX_YAML_DEPTH), "f.yaml")
    assert problems == [] and data["value"] is not None

    events = mini / "catalogues" / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8") + "\n" + nested(limits.MAX_YAML_DEPTH + 1),
                      encoding="utf-8")
    line = len(events.read_text(encoding="utf-8").splitlines())
    [problem] = [p for p in problems_of(mini) if p.file == str(events)]
    assert (problem.file, problem.line) == (str(events), line)
    # the claims' events are not checked against a catalogue that could not be read
    assert re.fullmatch(r"lists and mappings nested more than 64 deep; is a bracket left open\? \(\d+ "
                        r"references to events elsewhere not checked until this file can be read\)",
                        problem.message), problem.message


DEEP = "lists and mappings nested more than 64 deep; is a bracket left open?"


@pytest.mark.parametrize(("text", "line"), [
    ("a: " + "[" * 200_000 + "\n", 1),
    ("{" * 5_000, 1),
    ("a: " + "[[a, " * 2_000 + "\n", 1),
    (("[" * 64 + "\n") * 40, 2),  # a line at the limit each, deeper together
    ("[\n" * 5_000, 65),
    ("- " * 5_000 + "x\n", 1),
    ("[x, " * 5_000, 1),
    ("{a: " * 5_000, 1),
], ids=["brackets", "braces", "pairs", "lines-of-64", "one-a-line", "block", "items", "mappings"])
def test_thousands_deep_is_refused_without_a_crash(text, line):
    """libyaml's composer would recurse once per level in C and take the interpreter down; its
    scanner, reading ahead along a line, would stop at its own cap with its own words (PyYAML
    6.0.4: "while increasing flow level exceeded maximum nesting depth"). Ours comes first, the
    same whatever the PyYAML release."""
    data, [problem] = load_yaml(text, "f.yaml")
    assert data is None and (problem.line, problem.message) == (line, DEEP)


def test_brackets_in_a_quote_are_not_nesting():
    """A line of many brackets is read by the slower parser; inside a quote they are text."""
    text = 'quote: "' + "[" * 2_000 + '"\nnote: [a, [b]]\n'
    data, problems = load_yaml(text, "f.yaml")
    assert problems == [] and data == {"quote": "[" * 2_000, "note": ["a", ["b"]]}
    assert data.lines == {"quote": 1, "note": 2}


def aliases(count: int) -> str:
    return "anchor: &a word\nrefs: [" + ", ".join(["*a"] * count) + "]\n"


def test_aliases_per_file(mini):
    data, problems = load_yaml(aliases(limits.MAX_YAML_ALIASES), "f.yaml")
    assert problems == [] and len(data["refs"]) == limits.MAX_YAML_ALIASES

    actors = mini / "catalogues" / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8") + aliases(limits.MAX_YAML_ALIASES + 1),
                      encoding="utf-8")
    line = len(actors.read_text(encoding="utf-8").splitlines())
    [problem] = [p for p in problems_of(mini) if p.file == str(actors)]
    assert (problem.file, problem.line) == (str(actors), line)
    assert problem.message.startswith("more than 500 aliases (*name) in one file; write the values out (")


def expanding(values: int) -> str:
    """``values`` values once aliases are expanded: a list (1) of an anchored list of 9,999 words
    (10,000), 98 aliases of it (980,000) and a last list (1) of the words that make up the rest."""
    words = ", ".join(["w"] * 9_999)
    rest = ", ".join(["w"] * (values - 990_002))
    return f"- &a [{words}]\n" + "- *a\n" * 98 + f"- [{rest}]\n"


def test_values_once_aliases_are_expanded():
    data, problems = load_yaml(expanding(limits.MAX_YAML_VALUES), "f.yaml")
    assert problems == [] and len(data) == 100

    data, [problem] = load_yaml(expanding(limits.MAX_YAML_VALUES + 1), "f.yaml")
    assert data is None and problem.line == 100
    assert problem.message == ("more than 1,000,000 values once aliases are expanded (aliases of aliases?); "
                               "write the values out")


def test_billion_laughs_is_refused_at_once():
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    data, [problem] = load_yaml("\n".join(lines) + "\n", "f.yaml")
    assert data is None and problem.line == 7 and "aliases of aliases" in problem.message


def _shape(text: str) -> tuple[int, int, int]:
    """(deepest nesting, aliases, values with aliases expanded) of a YAML text, counted here anew."""
    depth = deepest = aliases = 0
    sizes: dict[str, int] = {}
    stack: list[tuple[str | None, int]] = []
    values = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
            stack.append((event.anchor, values))
            values += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            anchor, before = stack.pop()
            if anchor:
                sizes[anchor] = values - before
        elif isinstance(event, yaml.ScalarEvent):
            values += 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            values += sizes.get(event.anchor, 1)
    return deepest, aliases, values


def test_the_bundled_corpus_is_far_below_every_limit(corpus):
    """A tenth of each limit at most, so that real corpora many times larger still pass."""
    yaml_files = [*CORPUS.rglob("*.yaml"), CORPUS.parent / "ontology" / "norms.yaml"]
    claims_per_file: dict[str, int] = {}
    for claim in corpus.claims.values():
        claims_per_file[claim.annotation] = claims_per_file.get(claim.annotation, 0) + 1
    shapes = [_shape(path.read_text(encoding="utf-8")) for path in yaml_files]
    largest = {
        "document bytes": (max(len(d.text.encode("utf-8")) for d in corpus.documents.values()),
                           limits.MAX_DOCUMENT_BYTES),
        "YAML file bytes": (max(path.stat().st_size for path in yaml_files), limits.MAX_YAML_BYTES),
        "claims in a file": (max(claims_per_file.values()), limits.MAX_CLAIMS_PER_FILE),
        "quote characters": (max(len(s.exact) for c in corpus.claims.values() for s in c.evidence),
                             limits.MAX_QUOTE_CHARS),
        "nesting": (max(s[0] for s in shapes), limits.MAX_YAML_DEPTH),
        "aliases": (max(s[1] for s in shapes), limits.MAX_YAML_ALIASES),
        "values": (max(s[2] for s in shapes), limits.MAX_YAML_VALUES),
    }
    assert all(size <= limit / 10 for size, limit in largest.values()), largest
