"""Building the RDF graph from a checked corpus, and writing it: the second stage.

Owns the namespaces (``namespaces``), the builder (``builder``: records → named graphs with the
provenance of the build), SHACL validation per document with its verdict cache (``validation``),
the RDF serialisations (``formats``), atomic writes (``output``), counts (``stats``) and the
pipeline that runs them in order: ``kg build``, ``kg validate``, ``kg stats`` (``pipeline``).

May import: kg.corpus and the top-level modules.
"""
