"""Reading and checking the scholar's input: the first stage.

Owns everything between the files of a corpus folder and the checked records the builder takes:
the YAML reader that keeps each value's file and line (``located_yaml``), the fields and their
rules (``fields``, ``dates``), the quote search over the document texts (``quotes``), the
catalogues of actors, events and norms (``catalogues``), the records (``models``) and the loader
that puts them together and reports every problem at once (``loader.load_corpus``). Nothing here
knows RDF.

May import: the top-level modules only (kg.errors, kg.limits, kg.resources, kg.workers, ...).
Each stage imports only the ones before it — corpus ← graph ← sparql ← argument ← views ← cli —
and ``tests/test_layout.py`` holds every module to that.
"""
