"""What students and scholars look at: the pages and figures drawn from the graph.

Owns the interactive page (``render`` and its ``render_assets/``; ``kg render``), the timeline of
claims (``timeline``; ``kg timeline``) and the ontology's documentation page (``ontology_docs``;
``kg docs``).

May import: kg.argument, kg.sparql, kg.graph, kg.corpus and the top-level modules.
"""
