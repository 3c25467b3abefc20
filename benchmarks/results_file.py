"""Write one named section of a results file, leaving the rest of the file alone.

Several benchmark scripts (the build/query benchmark, the endpoint load test) share one
``RESULTS.md``, and people add hand-written discussion around the numbers. So each script owns
only the text between ``<!-- begin NAME -->`` and ``<!-- end NAME -->`` and rewrites just that;
everything outside the markers survives a re-run. The file is replaced atomically so that an
interrupted run never leaves half a results file behind.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

__all__ = ["ensure_preamble", "read_section", "update_section"]


def _markers(name: str) -> tuple[str, str]:
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        # A name with spaces or "-->" would produce markers we could not find again.
        raise ValueError(f"section name {name!r}: use letters, digits, '.', '_' or '-'")
    return f"<!-- begin {name} -->", f"<!-- end {name} -->"


def update_section(path: Path, name: str, markdown: str) -> None:
    """Replace the text between the markers of section ``name`` in ``path`` with ``markdown``.

    Creates the file if it does not exist and appends the section if the file lacks it. A file
    that has a begin marker without its end marker is refused rather than guessed at, so nothing
    written by hand is lost.
    """
    path = Path(path)
    begin, end = _markers(name)
    body = markdown.strip("\n")
    block = f"{begin}\n{body}\n{end}"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    start = old.find(begin)
    if start == -1:
        if old and not old.endswith("\n"):
            old += "\n"
        new = f"{old}\n{block}\n" if old else f"{block}\n"
    else:
        stop = old.find(end, start + len(begin))
        if stop == -1:
            raise ValueError(f"{path}: section {name!r} has {begin!r} but no {end!r}; fix the file by hand")
        new = old[:start] + block + old[stop + len(end):]
    _write_atomically(path, new)


def ensure_preamble(path: Path, preamble: str) -> None:
    """Put ``preamble`` (a ``# title`` and a few lines) at the top of ``path`` if it has no title yet.

    Whichever benchmark script writes the file first, the file then opens with its title rather
    than with another script's section.
    """
    path = Path(path)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if old.lstrip().startswith("# "):
        return
    _write_atomically(path, preamble.strip("\n") + "\n" + ("\n" + old.lstrip("\n") if old.strip() else ""))


def read_section(path: Path, name: str) -> str | None:
    """The text inside section ``name`` of ``path``, or None when the file or section is absent."""
    path = Path(path)
    if not path.exists():
        return None
    begin, end = _markers(name)
    text = path.read_text(encoding="utf-8")
    start = text.find(begin)
    if start == -1:
        return None
    stop = text.find(end, start + len(begin))
    if stop == -1:
        return None
    return text[start + len(begin):stop].strip("\n")


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, then rename it over ``path``.

    ``mkstemp`` makes the file readable by its owner only; the result gets the mode of the file it
    replaces, or the usual mode for a new file, so that a results file stays readable by all.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
