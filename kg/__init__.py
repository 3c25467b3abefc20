"""ilkg: the International-Law Knowledge Graph.

Turns annotated documents about a legal dispute into an RDF graph that answers "who invokes which
norm against whom, about what act, with what stance, and who answers them". The library raises
:class:`kg.errors.KgError` subclasses and never prints; :mod:`kg.cli` is the only place that talks
to a terminal.

One package per stage, in the order data flows, each importing only the ones before it:
:mod:`kg.corpus` (read and check the input) ← :mod:`kg.graph` (build, validate, write) ←
:mod:`kg.sparql` (query, serve, push) ← :mod:`kg.argument` (claims, semantics, exports) ←
:mod:`kg.views` (page, timeline, ontology docs) ← :mod:`kg.cli`; :mod:`kg.synth` writes corpora.
The modules beside this file are shared by every stage and import none: errors, limits, progress,
resources, workers (and cli_progress, the CLI's progress bar).
"""

__version__ = "0.1.0"
