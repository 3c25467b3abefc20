"""The rebuild caches (parsed YAML, the record of the last build) change how long a build takes,
never what it writes or which errors it reports."""

from __future__ import annotations

import datetime
import json
import shutil

import pytest

from kg.corpus import located_yaml
from kg.errors import CorpusError
from kg.graph import build_record, parse_cache
from kg.graph.pipeline import build
from kg.graph.validation import CACHE_NAME

ANNOTATION = "annotations/amnesty-2026-02-03.yaml"


@pytest.fixture
def parses(monkeypatch):
    """The names of the YAML files parsed (not taken from the cache) since the last reset."""
    seen: list[str] = []
    real = located_yaml.load

    def counting(text, filename):
        seen.append(filename)
        return real(text, filename)

    monkeypatch.setattr(located_yaml, "load", counting)
    return seen


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _uncached(corpus, tmp_path, name: str) -> bytes:
    target = tmp_path / name / "graph.ttl"
    build(corpus, target, cache=False)
    return target.read_bytes()


def test_cold_warm_edited_and_uncached_builds_write_the_same_bytes(corpus_copy, tmp_path, parses):
    target = tmp_path / "out" / "graph.ttl"
    build(corpus_copy, target)
    cold = target.read_bytes()
    yaml_files = len(parses)
    assert yaml_files > 10  # catalogues, metadata and annotations were all parsed

    parses.clear()
    warm = build(corpus_copy, target)
    assert target.read_bytes() == cold
    assert parses == []  # nothing changed: nothing read as YAML, let alone checked
    assert warm.checked == 0 and warm.triples > 0 and warm.stats.claims > 0
    assert cold == _uncached(corpus_copy, tmp_path, "fresh")

    # One annotation edited: only that file is parsed again, and the output is what a build
    # without any cache writes.
    _edit(corpus_copy / ANNOTATION, "that\n      violated", "that\n      (edited) violated")
    parses.clear()
    edited = build(corpus_copy, target)
    assert [name.rsplit("/", 2)[-2:] for name in parses] == [ANNOTATION.split("/")]
    assert edited.checked == 1
    written = target.read_bytes()
    assert b"(edited)" in written and written != cold
    assert written == _uncached(corpus_copy, tmp_path, "fresh-edited")


def test_an_edited_catalogue_reaches_the_documents_that_use_it(corpus_copy, tmp_path, parses):
    target = tmp_path / "graph.ttl"
    build(corpus_copy, target)
    actors = corpus_copy / "catalogues" / "actors.yaml"

    _edit(actors, "en: United States of America,", "en: United States of America (edited),")
    parses.clear()
    build(corpus_copy, target)
    assert [name.rsplit("/", 1)[-1] for name in parses] == ["actors.yaml"]
    assert b"United States of America (edited)" in target.read_bytes()
    assert target.read_bytes() == _uncached(corpus_copy, tmp_path, "fresh")

    # The annotations are taken from the cache, but checked against the new catalogue.
    _edit(actors, "  - id: VEN\n", "  - id: VEN-renamed\n")
    with pytest.raises(CorpusError) as raised:
        build(corpus_copy, target)
    assert any("unknown actor" in problem.message and "annotations" in problem.file
               for problem in raised.value.problems)


def test_errors_are_reported_on_every_build(corpus_copy, tmp_path, parses):
    target = tmp_path / "graph.ttl"
    build(corpus_copy, target)
    good = target.read_bytes()
    annotation = corpus_copy / ANNOTATION
    _edit(annotation, "stance: ", "stance: no-such-stance\n    note_typo: ")
    reported = []
    for _ in range(2):  # the second build takes the parsed file from the cache, and checks it again
        with pytest.raises(CorpusError) as raised:
            build(corpus_copy, target)
        reported.append(raised.value.problems)
    assert any(p.file.endswith(ANNOTATION) and "no-such-stance" in p.message for p in reported[0])
    assert any(p.file.endswith(ANNOTATION) and "note_typo" in p.message for p in reported[0])
    assert reported[1] == reported[0]
    assert target.read_bytes() == good

    # A file that parses with a problem (a duplicate key) is parsed, and reported, every time.
    _edit(annotation, "stance: no-such-stance\n    note_typo: ", "stance: ")
    _edit(annotation, "    stance: ", "    stance: justifies\n    stance: ")
    for _ in range(2):
        with pytest.raises(CorpusError) as raised:
            build(corpus_copy, target)
        assert any("duplicate key 'stance'" in p.message for p in raised.value.problems)


def test_a_damaged_or_deleted_cache_only_costs_time(corpus_copy, tmp_path, parses):
    target = tmp_path / "graph.ttl"
    build(corpus_copy, target)
    good = target.read_bytes()
    entries = sorted((tmp_path / CACHE_NAME / parse_cache.FOLDER).iterdir())
    assert 0 < len(entries) <= len(parses)
    for entry, damage in zip(entries, [b"{not json", b'{"m": 1, "k": [[1]]}', b"[]", b"",
                                            entries[0].read_bytes()[:-3], b"0" * 64 + b"\n[]"] * len(entries),
                             strict=False):
        entry.write_bytes(damage)
    (tmp_path / CACHE_NAME / build_record.NAME).write_text("{not json")
    parses.clear()
    build(corpus_copy, target)
    assert target.read_bytes() == good
    assert len(parses) > 0

    shutil.rmtree(tmp_path / CACHE_NAME)
    build(corpus_copy, target)
    assert target.read_bytes() == good


def test_an_output_changed_by_hand_is_built_again(corpus_copy, tmp_path):
    target = tmp_path / "graph.ttl"
    build(corpus_copy, target)
    good = target.read_bytes()
    target.write_bytes(good + b"# a line added by hand\n")
    report = build(corpus_copy, target)
    assert target.read_bytes() == good and report.checked == 0 and report.cached > 0


def test_the_cache_keeps_only_what_the_last_build_used(corpus_copy, tmp_path):
    target = tmp_path / "graph.ttl"
    build(corpus_copy, target)
    folder = tmp_path / CACHE_NAME / parse_cache.FOLDER
    before = len(list(folder.iterdir()))
    for round_ in range(3):
        with open(corpus_copy / ANNOTATION, "a", encoding="utf-8") as stream:
            stream.write(f"# edit {round_}\n")
        build(corpus_copy, target)
    assert len(list(folder.iterdir())) == before


def test_located_values_survive_the_round_trip():
    text = ("a: 1\nb:\n  - x\n  - {c: 2026-02-15, d: 2026-02-15T10:00:00+01:00}\n"
            "e: [true, null, 1.5, 'yes']\n")
    data, problems = located_yaml.load(text, "t.yaml")
    assert problems == []
    again = parse_cache.decode(json.loads(json.dumps(parse_cache.encode(data))))
    assert again == data
    assert again.lines == data.lines and again["b"].lines == data["b"].lines == [3, 4]
    assert again["b"][1].line == 4 and again["b"][1].lines == data["b"][1].lines
    assert isinstance(again["b"][1]["c"], datetime.date)
    assert again["b"][1]["d"] == data["b"][1]["d"]


def test_a_change_of_code_misses_every_entry(tmp_path, monkeypatch):
    text = "document: x\nclaims: []\n"
    data, _ = located_yaml.load(text, "x.yaml")
    cache = parse_cache.ParseCache(tmp_path)
    cache.put(text, data)
    assert parse_cache.ParseCache(tmp_path).get(text) == data
    monkeypatch.setattr(parse_cache, "code_stamp", lambda *names: "another version of kg")
    assert parse_cache.ParseCache(tmp_path).get(text) is None
