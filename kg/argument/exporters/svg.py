"""SVG: the DOT drawing laid out and rendered by Graphviz's ``dot -Tsvg``.

Graphviz is a system program, not a Python package, so it is looked up on ``PATH`` and a missing
one is a :class:`~kg.errors.SetupError` that says how to install it. The SVG links each claim to
its IRI and shows the quote on hover (see :mod:`.dot`).
"""

from __future__ import annotations

import shutil
import subprocess
from typing import BinaryIO

import networkx as nx

from ...errors import OutputError, SetupError
from . import Exporter, register
from .dot import dot_source

TIMEOUT_SECONDS = 300


def render_svg(source: str) -> bytes:
    """Run ``dot -Tsvg`` on DOT ``source`` and return the SVG."""
    dot = shutil.which("dot")
    if dot is None:
        raise SetupError(
            "cannot export SVG: Graphviz's `dot` program is not on PATH; install Graphviz "
            "(Debian/Ubuntu: `apt-get install graphviz`, macOS: `brew install graphviz`) or export "
            "`-f dot` and render it elsewhere. See https://graphviz.org/download/"
        )
    try:
        done = subprocess.run(  # noqa: S603 - a fixed argument list; the DOT text goes to stdin
            [dot, "-Tsvg"], input=source.encode("utf-8"), capture_output=True,
            timeout=TIMEOUT_SECONDS, check=False,
        )
    except subprocess.TimeoutExpired:
        raise OutputError(f"Graphviz's dot did not finish within {TIMEOUT_SECONDS} s; export a "
                          "smaller map (--event, --actor, --norm, --since, --until)") from None
    except OSError as exc:
        raise SetupError(f"cannot run Graphviz's dot ({dot}): {exc.strerror}") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise OutputError(f"Graphviz's dot failed (exit {done.returncode}): {message}")
    return done.stdout


@register
class SvgExporter(Exporter):
    name = "svg"
    extension = ".svg"
    media_type = "image/svg+xml"
    description = "the DOT drawing rendered by Graphviz (needs the `dot` program)"

    def serialize(self, graph: nx.DiGraph, stream: BinaryIO) -> None:
        stream.write(render_svg(dot_source(graph)))
