"""What ``/sparql`` says about itself when it is fetched with no query.

A SPARQL endpoint fetched with GET and no query string should describe itself with a SPARQL 1.1
Service Description, in RDF, by content negotiation
(https://www.w3.org/TR/sparql11-service-description/#accessing): that is how a client finds out
which languages, result formats and dataset it offers. A person who follows the editor's link to
the endpoint gets, instead, a short page saying how to send a query. Turtle is the default;
``text/html`` (what browsers ask for first) gets the page.

Every node has an IRI (the endpoint's own, with a fragment), never a blank node, so that the same
request gives the same bytes in every format.
"""

from __future__ import annotations

import html

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..graph.namespaces import QUERY_PREFIXES
from .results import GRAPH_FORMATS, SELECT_FORMATS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")  # the W3C's IRIs for formats
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")

# Our format names (kg.sparql.results) -> the W3C's IRIs for them; RDF/XML is "xml" for a graph.
RESULT_FORMATS = {
    "json": FORMATS.SPARQL_Results_JSON, "xml": FORMATS.SPARQL_Results_XML,
    "csv": FORMATS.SPARQL_Results_CSV, "tsv": FORMATS.SPARQL_Results_TSV,
}
GRAPH_RESULT_FORMATS = {
    "turtle": FORMATS.Turtle, "jsonld": FORMATS["JSON-LD"], "nt": FORMATS["N-Triples"],
    "xml": FORMATS.RDF_XML,
}
TITLE = "ilkg — International-Law Knowledge Graph: read-only SPARQL 1.1 endpoint"


def service_description(endpoint: str) -> Graph:
    """The Service Description of the endpoint at URL ``endpoint``."""
    service = URIRef(endpoint)
    dataset, default_graph = URIRef(f"{endpoint}#dataset"), URIRef(f"{endpoint}#default-graph")
    graph = Graph()
    for prefix, namespace in (("sd", SD), ("formats", FORMATS), ("dcterms", DCTERMS)):
        graph.bind(prefix, namespace)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, DCTERMS.title, Literal(TITLE, lang="en")))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))  # no SPARQL Update: read-only
    for name in sorted(set(SELECT_FORMATS) | set(GRAPH_FORMATS)):
        for table in (RESULT_FORMATS, GRAPH_RESULT_FORMATS):
            if name in table:
                graph.add((service, SD.resultFormat, table[name]))
    # The default graph is the union of the named graphs (ontology, catalogues, corpus, provenance).
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((default_graph, RDFS.comment, Literal(
        "The union of the named graphs https://w3id.org/ilkg/graph/ontology, .../catalogues, "
        ".../corpus and .../provenance.", lang="en")))
    return graph


def service_page(endpoint: str, *, timeout: float, max_rows: int) -> str:
    """A short page for a person: what the endpoint is and how to send it a query."""
    url = html.escape(endpoint)
    example = html.escape(f"{endpoint}?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D")
    prefixes = "\n".join(f"<tr><td><code>{html.escape(p)}:</code></td><td><code>"
                         f"{html.escape(n)}</code></td></tr>" for p, n in QUERY_PREFIXES.items())
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{html.escape(TITLE)}</title><link rel="icon" href="data:,"></head>
<body>
<h1>{html.escape(TITLE)}</h1>
<p>This is a SPARQL 1.1 Protocol endpoint: send it a query, it answers; it never changes the
graph. Write and run queries in the <a href="/">query editor</a>, or from any SPARQL client
(Yasgui, SPARQLWrapper, Jena, curl):</p>
<ul>
<li><code>GET {url}?query=...</code> (the query URL-encoded), e.g.
<a href="{example}"><code>{example}</code></a></li>
<li><code>POST {url}</code> with <code>Content-Type: application/sparql-query</code> and the query
as the body, or <code>application/x-www-form-urlencoded</code> with <code>query=...</code></li>
</ul>
<p>Results come as SPARQL JSON, XML, CSV or TSV (Turtle, JSON-LD, N-Triples or RDF/XML for
CONSTRUCT and DESCRIBE), by the <code>Accept</code> header or a <code>format</code> parameter.
A query may run for {timeout:g} seconds and return {max_rows:,} rows. The default graph is the
union of the named graphs. SERVICE, FROM, LOAD and updates are refused.</p>
<p>The machine-readable SPARQL 1.1 Service Description of this endpoint is this same URL asked
for <code>text/turtle</code> (or JSON-LD, N-Triples, RDF/XML).</p>
<h2>Predefined prefixes</h2>
<p>A query may use these without declaring them; a query that declares one keeps its own.</p>
<table>
{prefixes}
</table>
</body>
</html>
"""
