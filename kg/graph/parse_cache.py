"""The parsed YAML of each corpus file, kept between builds in ``.kg-cache/parsed/``.

Parsing is most of a warm build's time: a corpus of ten thousand documents has twenty thousand
YAML files, and every build read them all again although one annotation changed. A file's parsed
data depends only on its bytes and on the code that parses it, so each entry is named by the
SHA-256 of both (:func:`code_stamp`): an edited file simply misses, and an entry can never be
stale. Only files that parsed without a problem are kept, so a file with an error is parsed (and
its error reported) on every build.

Entries are JSON (never pickle: loading a cache must not run code) after the SHA-256 of that JSON
(a damaged entry is a miss, never other data), written atomically, one file each so that a
rebuild writes only what changed. After a build, entries its files did not use are
deleted, so the folder holds at most one entry per YAML file of the corpus. A damaged or missing
entry is parsed again: deleting the folder only costs time.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any

from ..corpus.located_yaml import LocatedDict, LocatedList
from .output import write_atomic

FOLDER = "parsed"


def code_stamp(*distributions: str) -> str:
    """A digest of the ``kg`` package's source and of the versions of ``distributions``: what the
    cached results were made by. Any change of either invalidates every entry."""
    import kg

    digest = hashlib.sha256()
    root = Path(kg.__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    for name in distributions:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    return digest.hexdigest()


class ParseCache:
    """``get(text)`` the parsed data of a YAML text seen before (or None); ``put(text, data)``
    after a clean parse; ``close()`` after the build to drop entries no file used."""

    def __init__(self, cache_folder: Path):
        self.folder = cache_folder / FOLDER
        self.stamp = code_stamp("PyYAML").encode()
        self.used: set[str] = set()
        self.hits = self.misses = 0

    def _key(self, text: str) -> str:
        return hashlib.sha256(self.stamp + b"\0" + text.encode("utf-8")).hexdigest()

    def get(self, text: str) -> Any | None:
        key = self._key(text)
        try:
            check, _, body = (self.folder / f"{key}.json").read_bytes().partition(b"\n")
            if hashlib.sha256(body).hexdigest().encode() != check:
                raise ValueError("damaged entry")
            data = decode(json.loads(body))
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            self.misses += 1  # missing or damaged: parsed again, and written again
            return None
        self.used.add(key)
        self.hits += 1
        return data

    def put(self, text: str, data: Any) -> None:
        encoded = encode(data)
        if encoded is _UNKNOWN:
            return
        key = self._key(text)
        body = json.dumps(encoded, ensure_ascii=False, separators=(",", ":")).encode()
        check = hashlib.sha256(body).hexdigest().encode()
        try:
            write_atomic(self.folder / f"{key}.json", check + b"\n" + body)
        except OSError:
            return  # an unwritable cache is only a slower next build
        self.used.add(key)

    def close(self) -> None:
        """Delete the entries this build did not use (the cache stays the size of the corpus)."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name.removesuffix(".json") not in self.used:
                with contextlib.suppress(OSError):
                    (self.folder / name).unlink()


# --- located values as JSON ------------------------------------------------------------------------
# A mapping is {"m": line, "k": [[key, line, value], ...]}, a list {"s": line, "i": [[line, value],
# ...]}, a date {"d": "2026-02-15"}, a date and time {"t": ISO text}; str, int, float, bool and
# None are themselves. Nothing else comes out of kg.corpus.located_yaml; should it, the file is not
# cached.

_UNKNOWN = object()


def encode(value: Any) -> Any:
    if isinstance(value, (str, bool, int, float)) or value is None:
        return value
    if isinstance(value, LocatedDict):
        items = []
        for key, item in value.items():
            inner = encode(item)
            if inner is _UNKNOWN or not (isinstance(key, (str, bool, int, float)) or key is None):
                return _UNKNOWN
            items.append([key, value.lines.get(key, value.line), inner])
        return {"m": value.line, "k": items}
    if isinstance(value, LocatedList):
        if len(value.lines) != len(value):
            return _UNKNOWN
        items = []
        for line, item in zip(value.lines, value, strict=True):
            inner = encode(item)
            if inner is _UNKNOWN:
                return _UNKNOWN
            items.append([line, inner])
        return {"s": value.line, "i": items}
    if isinstance(value, datetime.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    return _UNKNOWN


def decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "m" in value:
        result = LocatedDict()
        result.line = value["m"]
        for key, line, item in value["k"]:
            result[key] = decode(item)
            result.lines[key] = line
        return result
    if "s" in value:
        located = LocatedList(decode(item) for _, item in value["i"])
        located.line = value["s"]
        located.lines = [line for line, _ in value["i"]]
        return located
    if "t" in value:
        return datetime.datetime.fromisoformat(value["t"])
    return datetime.date.fromisoformat(value["d"])
