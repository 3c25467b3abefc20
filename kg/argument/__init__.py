"""The argument layer: claims and the attacks and supports between them.

Owns the argument map (``map``: a networkx graph of claims read from the graph with SPARQL, scoped
by event, actor, norm and period; ``kg map``), Dung's semantics over it with their bounds
(``semantics``), and one exporter per format for argumentation tools behind a registry
(``exporters/``; ``kg export``).

May import: kg.sparql (to read the claims), kg.graph, kg.corpus and the top-level modules.
"""
