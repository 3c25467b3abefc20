"""Atomic writes: a file is either the complete new output or untouched.

A build that fails half-way, or is killed, must never leave a truncated graph where a scholar's
last good one was. We write to a temporary file in the same folder (so the rename cannot cross
file systems), flush it to disk, and rename it over the target in one step.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError


@contextlib.contextmanager
def atomic_output(path: Path | str) -> Iterator[BinaryIO]:
    """A binary stream that replaces ``path`` when the block ends without an exception.

    A build streams millions of triples into it; until the rename, the previous output is
    untouched, and on any failure (or Ctrl-C) the temporary file is removed.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                             dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror}") from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {target}: {exc.strerror}") from exc
        raise


def write_atomic(path: Path | str, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step; leave no temporary file behind on failure."""
    with atomic_output(path) as stream:
        stream.write(data)
