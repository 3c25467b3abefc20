"""Progress of long work: the library reports it, the CLI decides whether to draw it.

A build of ten thousand documents takes a while; the library calls ``start``/``advance``/``finish``
on whatever it is given and never prints. The default does nothing, so library users and tests
see no output; ``kg`` passes a bar drawn on a terminal only (see :mod:`kg.cli`).
"""

from __future__ import annotations


class Progress:
    """Receives progress and ignores it (the library's default)."""

    def start(self, label: str, total: int) -> None:
        """A phase of ``total`` steps begins."""

    def advance(self, steps: int = 1) -> None:
        """``steps`` more steps of the current phase are done."""

    def finish(self) -> None:
        """The current phase is over (also called when it fails)."""


SILENT = Progress()
