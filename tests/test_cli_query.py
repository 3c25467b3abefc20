"""`kg query` through CliRunner: saved queries, files, expressions, parameters, formats, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

from kg.cli import cli
from kg.saved_queries import saved_queries

from .conftest import CORPUS


def kg(*args):
    result = CliRunner().invoke(cli, ["query", "--corpus", str(CORPUS), *args], catch_exceptions=False)
    return result


def test_list_shows_every_saved_query_with_its_question():
    result = kg("--list")
    assert result.exit_code == 0
    for saved in saved_queries().values():
        assert saved.name in result.stdout and saved.question in result.stdout


def test_table_shows_labels_not_iris():
    result = kg("claims-against-actor", "--param", "actor=USA", "--limit", "500")
    assert result.exit_code == 0, result.stderr
    assert "Amnesty International" in result.stdout and "UN Charter Art. 2(4)" in result.stdout
    assert "https://w3id.org/ilkg/actor/" not in result.stdout
    assert result.stdout.rstrip().endswith("rows)")


def test_csv_is_the_w3c_format(corpus):
    result = kg("claims-by-actor", "-p", "actor=VEN", "-f", "csv")
    text = result.stdout_bytes.decode("utf-8")  # .stdout folds the CSV's CRLF line ends
    rows = list(csv.DictReader(io.StringIO(text)))
    claims = {r["claim"].rsplit("/", 1)[1] for r in rows}
    assert claims == {c.id for c in corpus.claims.values() if c.claimant == "VEN"}
    assert text.split("\r\n")[0] == "actor,claim,stance,against,norm,date,document"


def test_json_and_xml_results_parse(corpus):
    data = json.loads(kg("evidence", "-p", "claim=amnesty-no-armed-attack", "-f", "json").stdout)
    [row] = data["results"]["bindings"]
    text = corpus.documents["amnesty-2026-02-03"].text
    assert text[int(row["start"]["value"]) : int(row["end"]["value"])] == row["quote"]["value"]
    xml = kg("evidence", "-p", "claim=amnesty-no-armed-attack", "-f", "xml").stdout
    parsed = XMLResultParser().parse(io.BytesIO(xml.encode()))
    assert len(parsed.bindings) == 1


def test_markdown_table_escapes_pipes():
    result = kg("-e", 'SELECT ?x WHERE { BIND("a|b" AS ?x) }', "-f", "md")
    assert result.stdout.splitlines() == ["| x |", "|---|", "| a\\|b |"]


def test_construct_gives_turtle():
    result = kg("-e", "CONSTRUCT WHERE { <https://w3id.org/ilkg/claim/ven-moncada-art-2-4> ?p ?o }",
                "-f", "turtle")
    assert len(Graph().parse(data=result.stdout, format="turtle")) >= 8


def test_ask():
    assert kg("-e", "ASK { ?s ?p ?o }").stdout == "yes\n"


def test_rq_file_with_declared_parameter(tmp_path):
    query = tmp_path / "mine.rq"
    query.write_text("# question: Claims by a claimant?\n# param who (actor): e.g. VEN\nSELECT ?who ?c "
                     "WHERE { ?c <https://w3id.org/ilkg/ontology#claimant> ?who } ORDER BY ?c\n")
    result = kg(str(query), "-p", "who=VEN", "-f", "csv")
    assert result.exit_code == 0
    lines = result.stdout_bytes.decode("utf-8").split("\r\n")[1:-1]
    assert lines and all(line.startswith("https://w3id.org/ilkg/actor/VEN,") for line in lines)


@pytest.mark.parametrize("hostile", ['VEN> } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o', "<urn:a> } #",
                                     "https://x/a b"])
def test_parameter_value_cannot_inject_sparql(hostile):
    result = kg("claims-by-actor", "-p", f"actor={hostile}", "-f", "csv")
    assert result.exit_code == 2
    assert "is not a valid IRI" in result.stderr


def test_string_parameters_are_literals_not_syntax():
    query = 'SELECT ?x ?n WHERE { BIND(STRLEN(?x) AS ?n) } ORDER BY ?x'
    result = kg("-e", query, "-p", 'x=" } DROP ALL #', "-f", "csv")
    assert result.exit_code == 0
    assert result.stdout_bytes.decode().split("\r\n")[1] == '""" } DROP ALL #",14'


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_engines_print_the_same_csv(name):
    assert kg(name, "-f", "csv").stdout == kg(name, "-f", "csv", "--engine", "rdflib").stdout


def test_syntax_error_reports_line_and_column_without_traceback():
    result = kg("-e", "SELECT ?x WHERE {\n  ?x ?y\n}")
    assert result.exit_code == 2
    assert "SPARQL syntax error at line 2, column 3" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("claims-by-actr",), "no saved query 'claims-by-actr' (did you mean 'claims-by-actor'?)"),
        (("claims-by-actor", "-p", "actr=VEN"), "has no parameter 'actr' (did you mean 'actor'?)"),
        (("claims-by-actor", "-p", "actor"), "write name=value"),
        (("-e", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"), "SERVICE is refused"),
        (("-e", "DELETE WHERE { ?s ?p ?o }"), "updates are refused"),
        ((), "give a saved query name or .rq file"),
    ],
)
def test_errors_are_clear(args, message):
    result = kg(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_query_a_built_file(tmp_path):
    target = tmp_path / "g.trig"
    assert CliRunner().invoke(cli, ["build", "--corpus", str(CORPUS), "-o", str(target), "--format", "trig"],
                              catch_exceptions=False).exit_code == 0
    from_file = kg("norms-ranked", "-f", "csv", "--data", str(target)).stdout
    assert from_file == kg("norms-ranked", "-f", "csv").stdout
