"""The YAML loader keeps lines and refuses the traps annotators fall into."""

from __future__ import annotations

import datetime as dt

from kg.corpus.located_yaml import load


def test_lines_of_keys_and_items():
    data, problems = load("document: x\nclaims:\n  - id: a\n    stance: justifies\n  - id: b\n", "f.yaml")
    assert problems == []
    assert data.line_of("claims") == 2
    assert data["claims"].line_of(1) == 5
    assert data["claims"][0].line_of("stance") == 4


def test_duplicate_key_is_an_error_with_both_lines():
    data, [problem] = load("id: a\nstance: x\nid: b\n", "f.yaml")
    assert (problem.file, problem.line) == ("f.yaml", 3)
    assert "duplicate key 'id'" in problem.message and "line 1" in problem.message
    # the file is still read (keeping the first value), so that its other problems are found too
    assert data == {"id": "a", "stance": "x"}
    assert data.line_of("stance") == 2


def test_every_duplicate_key_of_a_file_is_reported():
    data, problems = load("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n", "f.yaml")
    assert [(p.line, p.message.split(" (")[0]) for p in problems] == [
        (4, "duplicate key 'c'"), (5, "duplicate key 'a'")]
    assert data == {"a": 1, "b": {"c": 2}}


def test_yaml_11_booleans_stay_text():
    data, _ = load("a: NO\nb: on\nc: yes\nd: true\n", "f.yaml")
    assert data == {"a": "NO", "b": "on", "c": "yes", "d": True}


def test_dates_parse_and_partial_dates_stay_text():
    data, _ = load("a: 2026-02-03\nb: 2026-01\n", "f.yaml")
    assert data == {"a": dt.date(2026, 2, 3), "b": "2026-01"}


def test_malformed_yaml_names_the_line():
    data, [problem] = load("claims:\n  - id: a\n    quote: \"unclosed\n", "f.yaml")
    assert data is None
    assert problem.line == 4 or problem.line == 3
    assert problem.message.startswith("malformed YAML")
