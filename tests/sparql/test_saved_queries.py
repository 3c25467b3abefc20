"""Every saved query: its header, the same answer on both engines, and parameters as filters."""

from __future__ import annotations

from collections import Counter

import pytest

from kg.sparql.engines import open_engine
from kg.sparql.saved_queries import KINDS, bind_params, saved_queries

from ..conftest import CORPUS

QUERIES = saved_queries()


@pytest.fixture(scope="module")
def engines():
    return {name: open_engine(name, corpus_dir=CORPUS) for name in ("oxigraph", "rdflib")}


def test_there_are_the_saved_queries_scholars_need():
    assert {"who-invokes-what-against-whom", "claims-by-actor", "claims-against-actor",
            "claims-under-instrument", "norms-ranked", "contested-norms", "argument-around-claim",
            "unanswered-allegations", "timeline", "evidence"} <= set(QUERIES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_header_states_the_question_and_parameters(name):
    saved = QUERIES[name]
    assert saved.question.endswith(("?", ".")) and len(saved.question) > 20
    for param in saved.params:
        assert param.kind in KINDS
        assert f"?{param.name}" in saved.text
        assert "e.g." in param.description  # an example value for the reader
    assert "ORDER BY" in saved.text  # a stable order, the same on every engine


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_both_engines_give_the_same_answer(engines, name):
    answers = [engines[e].query(QUERIES[name].text).comparable() for e in ("oxigraph", "rdflib")]
    assert answers[0] == answers[1]
    assert answers[0][1], f"{name} returns no rows on the corpus"


PARAMETERISED = [(name, p.name) for name, q in sorted(QUERIES.items()) for p in q.params]


@pytest.mark.parametrize(("name", "param"), PARAMETERISED)
def test_a_parameter_filters_the_unparameterised_answer(engines, name, param):
    """Binding a parameter gives exactly the rows of the free query that have that value."""
    saved = QUERIES[name]
    free = engines["oxigraph"].query(saved.text)
    column = free.variables.index(param)
    value = Counter(row[column] for row in free.rows if row[column] is not None).most_common(1)[0][0]
    expected = [row for row in free.rows if row[column] == value]
    local = str(value).rsplit("/", 1)[1]
    bindings = bind_params(saved, [f"{param}={local}"])
    for engine in ("oxigraph", "rdflib"):
        bound = engines[engine].query(saved.text, bindings)
        assert bound.rows == expected, engine
