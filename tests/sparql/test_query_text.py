"""The surface reading of a query (kg.sparql.query_text) and the predefined prefixes the check declares."""

from __future__ import annotations

import pytest
from rdflib.plugins.sparql.parser import parseQuery

from kg.errors import QueryError
from kg.graph.namespaces import QUERY_PREFIXES
from kg.sparql.query_check import check_query
from kg.sparql.query_text import located, tokens, variable_order, with_predefined_prefixes


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT ?s WHERE { ?s a ilk:Claim }", [("variable", "s"), ("variable", "s"), ("used", "ilk")]),
    ("PREFIX ex: <http://x/?a#b> SELECT $v { }", [("declared", "ex"), ("variable", "v")]),
    ("prefix : <http://x/> ASK { ?s :p _:b0 }", [("declared", ""), ("variable", "s"), ("used", "")]),
    # nothing inside comments, strings (all four kinds) or IRIs is a prefix or a variable
    ("# rdfs:x ?c\nASK { ?s ?p 'a:b ?c', \"d:e ?f\", '''g:h\n?i''', \"\"\"j:k\n?l\"\"\", <http://m/n:o?p> }",
     [("variable", "s"), ("variable", "p")]),
    # a datatype, a path, a local name with a colon in it
    ("ASK { ?s ilk:a/ex:b* \"1\"^^xsd:int ; wd:Q30:x ?o }",
     [("variable", "s"), ("used", "ilk"), ("used", "ex"), ("used", "xsd"), ("used", "wd"),
      ("variable", "o")]),
])
def test_tokens(text, expected):
    assert [(kind, name) for kind, name, _ in tokens(text)] == expected


def test_token_offsets_point_at_the_name():
    text = "SELECT ?who WHERE { ?c ilk:claimant ?who }"
    assert [(name, text[offset:offset + len(name) + 1]) for kind, name, offset in tokens(text)] == [
        ("who", "?who"), ("c", "?c"), ("ilk", "ilk:"), ("who", "?who")]


def test_only_the_predefined_prefixes_used_and_undeclared_are_declared():
    text = ("PREFIX ilk: <urn:mine:>\n"
            "SELECT * WHERE { ?c a ilk:Claim ; rdfs:label ?l ; ex:p ?x ; skos:note ?n }")
    final, added = with_predefined_prefixes(text)
    prologue = (f"PREFIX rdfs: <{QUERY_PREFIXES['rdfs']}> PREFIX skos: <{QUERY_PREFIXES['skos']}> ")
    assert final == prologue + text and added == len(prologue)
    assert "\n" not in final[:added]  # on the user's first line: line numbers stay theirs
    assert with_predefined_prefixes("ASK { ?s ?p ?o }") == ("ASK { ?s ?p ?o }", 0)
    assert with_predefined_prefixes(final) == (final, 0)  # declaring twice adds nothing


def test_located_counts_lines_and_columns_from_one():
    text = "SELECT ?c\nWHERE {\n  ?c ?p ?o }"
    assert located(text, text.index("?p")) == (3, 6, "  ?c ?p ?o }")
    assert located(text, -5) == (1, 1, "SELECT ?c")


def test_variable_order_is_first_appearance():
    text = ("SELECT * WHERE { ?claim ilk:claimant ?who . OPTIONAL { ?claim ilk:against ?target } "
            "BIND(1 AS ?n) }")
    assert variable_order(text) == ["claim", "who", "target", "n"]


def test_the_checked_text_is_the_text_that_runs():
    checked = check_query("SELECT ?c (COUNT(?n) AS ?k) WHERE { ?c a ilk:Claim ; rdfs:label ?n } GROUP BY ?c")
    assert checked.text.startswith("PREFIX ilk: <https://w3id.org/ilkg/ontology#> PREFIX rdfs: ")
    assert parseQuery(checked.text)  # what runs parses, declarations included
    assert checked.projection == ("c", "k") and checked.variables == ("c", "n", "k")
    assert check_query(checked.text).text == checked.text  # checking it again adds nothing
    assert check_query("SELECT * WHERE { ?o ?p ?s }").projection is None


@pytest.mark.parametrize(("text", "message"), [
    ("ASK { ?s a :Claim }", "unknown prefix ':' at line 1, column 12; declare it (PREFIX : <...>)"),
    ("ASK {\n ?s owl:sameAs wdd:Q30 }", "unknown prefix 'wdd:' at line 2, column 16 (did you mean 'wd:'?)"),
    ("PREFIX ex: <urn:x:> ASK { ?s ex:p exx:o }", "unknown prefix 'exx:' at line 1, column 35 "
     "(did you mean 'ex:'?)"),
])
def test_an_unknown_prefix_is_a_query_error(text, message):
    with pytest.raises(QueryError) as caught:
        check_query(text)
    assert str(caught.value).startswith(message)
