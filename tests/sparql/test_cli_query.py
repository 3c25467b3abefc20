"""`kg query` through CliRunner: saved queries, files, expressions, parameters, formats, errors."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDFS
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

from kg.cli import cli
from kg.graph.namespaces import QUERY_PREFIXES
from kg.sparql.saved_queries import saved_queries

from ..conftest import CORPUS


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
    assert text.split("\r\n")[0] == "actor,claim,proposition,stance,against,norm,date,document"


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


@pytest.mark.parametrize(("hostile", "message"), [
    ('VEN> } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o', "unknown actor 'VEN> } ; DROP ALL"),  # not an id
    ("<urn:a> } #", "is not a valid IRI"),
    ("https://x/a b", "is not a valid IRI"),
])
def test_parameter_value_cannot_inject_sparql(hostile, message):
    result = kg("claims-by-actor", "-p", f"actor={hostile}", "-f", "csv")
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


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


# --- issue 12: kg query for a scholar used to the Wikidata Query Service or Fuseki ---------------

ILK = "https://w3id.org/ilkg/ontology#"


def csv_rows(result) -> list[list[str]]:
    assert result.exit_code == 0, result.stderr
    return list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8"))))


def one_line_error(result) -> str:
    """The whole stderr of a run that could not run: one line, exit 2, no traceback, no output."""
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("query", [
    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s a <{ILK}State> ; ?p ?o }}",
    "DESCRIBE <https://w3id.org/ilkg/actor/VEN>",
])
def test_a_graph_result_prints_as_turtle_by_default(query):
    """Regression: CONSTRUCT/DESCRIBE without -f raised KeyError: 'table'."""
    result = kg("-e", query)
    assert result.exit_code == 0, result.stderr
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert (None, None, None) in graph and len(graph) > 5
    assert result.stdout == kg("-e", query, "-f", "turtle").stdout


@pytest.mark.parametrize(("query", "fmt", "fix"), [
    *[(f"CONSTRUCT WHERE {{ ?s a <{ILK}State> }}", f, "use -f turtle, jsonld, nt or xml")
      for f in ("table", "md", "json", "csv", "tsv")],
    ("DESCRIBE <https://w3id.org/ilkg/actor/VEN>", "csv", "use -f turtle, jsonld, nt or xml"),
    *[("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", f, "use -f table, md, json, xml, csv or tsv")
      for f in ("turtle", "jsonld", "nt")],
    ("ASK { ?s ?p ?o }", "nt", "use -f table, md, json, xml, csv or tsv"),
])
def test_a_format_that_does_not_fit_the_query_is_a_one_line_error(query, fmt, fix):
    """Regression: these raised KeyError / ValueError with a traceback (exit 1)."""
    assert fix in one_line_error(kg("-e", query, "-f", fmt))


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_parameter_the_query_does_not_select_still_binds(corpus, engine):
    """Regression: -p actor=VEN with ?actor not in SELECT was a RuntimeError from Oxigraph."""
    query = "SELECT ?c WHERE { ?c ilk:claimant ?actor } ORDER BY ?c"
    rows = csv_rows(kg("-e", query, "-p", "actor=VEN", "-f", "csv", "--engine", engine))
    assert rows[0] == ["c"]
    expected = sorted(f"https://w3id.org/ilkg/claim/{c.id}" for c in corpus.claims.values()
                      if c.claimant == "VEN")
    assert [row[0] for row in rows[1:]] == expected and expected


@pytest.mark.parametrize(("args", "message"), [
    (("claims-by-actor", "-p", "actor=VENZ"), "kg: unknown actor 'VENZ' (did you mean 'VEN'?)"),
    (("claims-against-actor", "-p", "actor=actor:VENZ"), "kg: unknown actor 'VENZ' (did you mean 'VEN'?)"),
    (("claims-about-event", "-p", "event=USA"), "kg: unknown event 'USA' ('USA' is an actor)"),
    (("claims-under-instrument", "-p", "instrument=un-charter-art-5"),
     "kg: unknown norm 'un-charter-art-5' "
     "(did you mean 'un-charter-art-51', known as 'UN Charter Art. 51'?)"),
    (("evidence", "-p", "claim=amnesty-no-armed-atack"),
     "kg: unknown claim 'amnesty-no-armed-atack' (did you mean 'amnesty-no-armed-attack'?)"),
    (("-e", "SELECT ?c WHERE { ?c ilk:claimant ?actor }", "-p", "actor=Venezuella"),
     "kg: unknown actor 'Venezuella' (did you mean 'VEN', known as 'Venezuela'?)"),
])
def test_an_unknown_id_is_an_error_naming_the_nearest(args, message):
    """Regression: an unknown id gave an empty table, as if nobody had claimed anything."""
    assert one_line_error(kg(*args)) == message


@pytest.mark.parametrize(("query", "param", "values"), [
    ("claims-by-actor", "actor", ["VEN", "Venezuela", "venezuela", "Caracas", "actor:VEN",
                                  "<https://w3id.org/ilkg/actor/VEN>"]),
    ("claims-under-instrument", "instrument", ["un-charter-art-51", "UN Charter Art. 51", "Article 51",
                                               "self-defence under the Charter"]),
])
def test_a_label_or_alias_names_its_id(query, param, values):
    answers = {value: kg(query, "-p", f"{param}={value}", "-f", "csv").stdout for value in values[1:]}
    expected = kg(query, "-p", f"{param}={values[0]}", "-f", "csv").stdout
    assert len(expected.splitlines()) > 2
    assert answers == dict.fromkeys(values[1:], expected)


def test_a_name_of_two_things_asks_for_the_id(corpus_copy):
    actors = corpus_copy / "catalogues" / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    text = text.replace("aliases: [Havana]", "aliases: [Havana, Island state]")
    actors.write_text(text.replace("aliases: [T&T]", "aliases: [T&T, Island state]"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", "--corpus", str(corpus_copy), "claims-against-actor",
                                      "-p", "actor=Island state"], catch_exceptions=False)
    assert one_line_error(result) == "kg: 'Island state' could be any of the actors CUB, TTO; use the id"


@pytest.mark.parametrize(("args", "message"), [
    (("-e", "SELECT ?c WHERE { ?c ilk:claimant ?actor }", "-p", "actr=VEN"),
     "kg: --param actr: the query has no variable ?actr (did you mean '?actor'?) to bind; its "
     "variables: ?c, ?actor"),
    (("actors", "-p", "country=VEN"), "kg: --param country: the query has no variable ?country to "
     "bind; its variables: ?actor, ?type, ?within, ?wikidata"),
])
def test_a_parameter_the_query_lacks_is_an_error_listing_what_it_has(args, message):
    """Regression: a parameter the query does not declare gave (0 rows)."""
    assert one_line_error(kg(*args)) == message


def test_predefined_prefixes_need_no_declaration():
    declared = ("PREFIX ilk: <https://w3id.org/ilkg/ontology#> PREFIX rdfs: "
                "<http://www.w3.org/2000/01/rdf-schema#>\n")
    query = "SELECT ?actor ?name WHERE { ?actor a ilk:State ; rdfs:label ?name } ORDER BY ?actor ?name"
    bare = csv_rows(kg("-e", query, "-f", "csv"))
    assert bare == csv_rows(kg("-e", declared + query, "-f", "csv")) and len(bare) > 5
    full = query.replace("ilk:State", f"<{ILK}State>").replace("rdfs:label", f"<{RDFS.label}>")
    assert bare == csv_rows(kg("-e", full, "-f", "csv"))


def test_a_prefix_the_query_declares_is_its_own():
    """A query's own PREFIX wins over the predefined one of the same name, as on WDQS."""
    assert kg("-e", "ASK { ?c a ilk:Claim }").stdout == "yes\n"
    assert kg("-e", "PREFIX ilk: <urn:x:> ASK { ?c a ilk:Claim }").stdout == "no\n"


def test_prefixes_lists_the_predefined_prefixes():
    result = CliRunner().invoke(cli, ["query", "--prefixes"], catch_exceptions=False)
    lines = result.stdout.splitlines()
    listed = dict(re.fullmatch(r"PREFIX (\S*): +<(\S+)>", line).groups() for line in lines)
    assert listed == QUERY_PREFIXES
    assert {"ilk", "actor", "norm", "event", "claim", "doc", "rdf", "rdfs", "owl", "xsd", "skos",
            "dcterms", "prov", "oa", "eli", "wd", "wdt", "schema"} <= set(listed)


@pytest.mark.parametrize(("query", "message"), [
    ("SELECT ?c WHERE {\n  ?c a ilkk:Claim }",
     "kg: unknown prefix 'ilkk:' at line 2, column 8 (did you mean 'ilk:'?); declare it (PREFIX ilkk: "
     "<...>) or use a predefined prefix (`kg query --prefixes` lists them)"),
    ("# skoz: in a comment is no prefix\nSELECT ?c WHERE { ?c rdfs:comment \"skoz:\" ; skoz:note ?x }",
     "kg: unknown prefix 'skoz:' at line 2, column 45 (did you mean 'skos:'?); declare it (PREFIX "
     "skoz: <...>) or use a predefined prefix (`kg query --prefixes` lists them)"),
])
def test_an_unknown_prefix_is_named_where_it_stands(query, message):
    """Regression: a misspelt prefix printed Oxigraph's list of expected characters."""
    assert one_line_error(kg("-e", query)) == message


def test_syntax_errors_point_into_the_text_as_written_when_prefixes_are_added():
    result = kg("-e", "SELECT ?c WHERE { ?c a ilk:Claim ;\n  rdfs:label ?n .\n  ?c ?p\n}")
    assert result.exit_code == 2
    assert "SPARQL syntax error at line 3, column 3" in result.stderr
    first_line = kg("-e", "SELECT ?c WHERE { ?c a ilk:Claim ?x }")
    assert "SPARQL syntax error at line 1, column " in first_line.stderr
    column = int(re.search(r"column (\d+)", first_line.stderr).group(1))
    assert "SELECT ?c WHERE { ?c a ilk:Claim ?x }"[column - 1 :].startswith(("?x", "}")), first_line.stderr


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize(("query", "header"), [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 3", ["s", "p", "o"]),
    ("SELECT * WHERE { ?claim ilk:claimant ?who . OPTIONAL { ?claim ilk:against ?target } "
     "BIND(STR(?who) AS ?name) } LIMIT 3", ["claim", "who", "target", "name"]),
    ("SELECT ?o ?s WHERE { ?s ?p ?o } LIMIT 3", ["o", "s"]),
])
def test_columns_come_in_the_order_of_the_query(engine, query, header):
    """Regression: SELECT * gave the columns o,p,s (Oxigraph sorts them)."""
    assert csv_rows(kg("-e", query, "-f", "csv", "--engine", engine))[0] == header
    data = json.loads(kg("-e", query, "-f", "json", "--engine", engine).stdout)
    assert data["head"]["vars"] == header
    assert kg("-e", query, "-f", "tsv", "--engine", engine).stdout.splitlines()[0].split("\t") == [
        f"?{name}" for name in header]


def table(*args, columns: int | None = None):
    env = {"COLUMNS": str(columns)} if columns else {}
    result = CliRunner(env=env).invoke(cli, ["query", "--corpus", str(CORPUS), *args],
                                       catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def cells_of(lines: list[str], wrapped: bool) -> list[list[str]]:
    """The cells of a printed table, each row's lines joined back (columns found from the rule line).

    A wrapped table separates its rows by blank lines; a wide one has a row on each line.
    """
    spans = [m.span() for m in re.finditer(r"-+", lines[1])]
    rows, current = [], None
    for line in lines[2:-1]:
        if not line.strip() or not wrapped:
            current = None
        if not line.strip():
            continue
        pieces = [line[start:end + 1].strip() for start, end in spans]  # +1: the last may run on
        if current is None:
            current = [[] for _ in spans]
            rows.append(current)
        for cell, piece in zip(current, pieces, strict=True):
            if piece:
                cell.append(piece)
    return [["".join(cell) for cell in row] for row in rows]


def test_the_table_fits_the_terminal_and_keeps_every_character():
    """Regression: the table was ~280 columns wide and cut values with '…'."""
    args = ("who-invokes-what-against-whom", "-p", "against=USA")
    wide = table(*args, "--wide")
    assert max(len(line) for line in wide) > 150 and "…" not in "".join(wide)
    assert len(wide) == len(csv_rows(kg(*args, "-f", "csv"))) - 1 + 3  # header, rule, count
    # eight columns, each at least as wide as its header and eight characters, with two spaces
    # between them, need about 90: a narrower terminal gets a wider table (results.column_widths)
    for columns in (100, 120):
        wrapped = table(*args, columns=columns)
        assert max(len(line) for line in wrapped) <= columns and "…" not in "".join(wrapped)
        assert f"wrapped to {columns} columns: --wide for one line each" in wrapped[-1]
        squeeze = [["".join(c.split()) for c in row] for row in cells_of(wrapped, True)]
        assert squeeze == [["".join(c.split()) for c in row] for row in cells_of(wide, False)]


def test_a_narrow_table_is_not_wrapped_and_md_shows_everything():
    assert table("-e", "SELECT ?x WHERE { BIND(1 AS ?x) }", columns=40) == ["x", "-", "1", "(1 row)"]
    md = table("who-invokes-what-against-whom", "-p", "against=USA", "-f", "md", columns=60)
    assert max(len(line) for line in md) > 150 and "…" not in "".join(md)
