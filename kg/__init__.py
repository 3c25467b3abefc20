"""ilkg: the International-Law Knowledge Graph.

Turns annotated documents about a legal dispute into an RDF graph that answers "who invokes which
norm against whom, about what act, with what stance, and who answers them". The library raises
:class:`kg.errors.KgError` subclasses and never prints; :mod:`kg.cli` is the only place that talks
to a terminal.
"""

__version__ = "0.1.0"
