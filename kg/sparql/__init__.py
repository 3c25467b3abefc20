"""Asking the graph with SPARQL: the third stage.

Owns the engines that hold a built graph (``engines``: Oxigraph, rdflib), the query check
(``query_check``, ``query_text``), the saved queries and their parameters (``saved_queries``,
``identifiers``, the ``.rq`` files in ``queries/``), results and their formats (``results``), the
sandboxed worker processes (``query_workers``, ``sandbox``), the HTTP endpoint and its editor page
(``endpoint``, ``service_description``, ``web/``) and remote stores (``remote``, ``remote_http``,
``remote_answers``). ``kg query`` is ``query.run_query``, ``kg serve`` ``endpoint.open_endpoint``,
``kg push`` ``remote.push_graph``.

May import: kg.graph, kg.corpus and the top-level modules.
"""
