"""Atomic writes: a file is either the complete new output or untouched.

A build that fails half-way, or is killed, must never leave a truncated graph where a scholar's
last good one was. We write to a temporary file in the same folder (so the rename cannot cross
file systems), flush it to disk, and rename it over the target in one step.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import OutputError
from ..limits import shown

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def _named(path: Path) -> str:
    """A path as a message quotes it: whole (up to 500 characters), control characters escaped."""
    return shown(path, 500)


def check_output(path: Path | str) -> Path:
    """``path`` as a Path, or an OutputError saying why no file can be written there.

    The rename that ends an atomic write replaces whatever the name points at: a named pipe, a
    device (as root, ``-o /dev/null`` would have replaced /dev/null with a regular file) or a
    socket would be lost, so only a regular file (or nothing yet) may be replaced. An empty path
    and a path under a file get messages that say so, rather than the system's "Device or resource
    busy" or "File exists".
    """
    if os.fspath(path) == "":
        raise OutputError("empty output path; give the name of a file to write")
    target = Path(path)
    if target.name in ("", ".", ".."):
        raise OutputError(f"cannot write '{_named(target)}': it names a folder; give the name of a file "
                          "in it")
    for parent in target.parents:  # the nearest that exists must be a folder
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"cannot write '{_named(target)}': '{_named(parent)}' is a file, "
                                  "not a folder")
            break
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise OutputError(f"cannot write '{_named(target)}': {exc.strerror}") from exc
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise OutputError(f"cannot write '{_named(target)}': it is {kind}, which kg never replaces; "
                          "give the name of a regular file")
    return target


@contextlib.contextmanager
def atomic_output(path: Path | str, durable: bool = True) -> Iterator[BinaryIO]:
    """A binary stream that replaces ``path`` when the block ends without an exception.

    A build streams millions of triples into it; until the rename, the previous output is
    untouched, and on any failure (or Ctrl-C) the temporary file is removed. Only a regular file
    is ever replaced (see :func:`check_output`), checked before writing and again just before
    the rename. ``durable`` waits until the bytes are on disk before the rename; caches that check
    their entries' digests on reading skip that wait (an fsync a file costs a build of ten
    thousand documents half a minute, and a torn entry is only a miss).
    """
    target = check_output(path)
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
            if durable:
                os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        check_output(target)  # again: the write may have taken minutes
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {target}: {exc.strerror}") from exc
        raise


def write_atomic(path: Path | str, data: bytes, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` in one step; leave no temporary file behind on failure."""
    with atomic_output(path, durable) as stream:
        stream.write(data)
