"""The progress bar ``kg`` draws on a terminal (the library only reports, see kg.progress)."""

from __future__ import annotations

from typing import Any

import click

from .progress import Progress


class TerminalProgress(Progress):
    """click's progress bar on stderr, one per phase."""

    def __init__(self) -> None:
        self.bar: Any = None

    def start(self, label: str, total: int) -> None:
        self.finish()
        self.bar = click.progressbar(length=total, label=label, file=click.get_text_stream("stderr"),
                                     show_pos=True, show_eta=True)
        self.bar.__enter__()

    def advance(self, steps: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(steps)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
