"""ilkg: the International-Law Knowledge Graph.

Turns annotated documents about a legal dispute into an RDF graph that answers "who invokes which
norm against whom, about what act, with what stance, and who answers them". The library raises
:class:`kg.errors.KgError` subclasses and never prints; :mod:`kg.cli` is the only place that talks
to a terminal.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ilkg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
