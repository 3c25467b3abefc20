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

FOLDER = "parsed"
CHECKED_FOLDER = "checked"


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
        found = _read_entry(self.folder / f"{key}.json")
        try:
            data = decode(found) if found is not None else None
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            data = None
        if data is None:
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
        if _write_entry(self.folder / f"{key}.json", encoded):
            self.used.add(key)

    def keep(self, text: str) -> None:
        """Keep the entry of a text the build did not need to parse (its records came from the
        cache of checked files): a change of the catalogues, which empties that cache, needs it."""
        self.used.add(self._key(text))

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


class CheckedCache(ParseCache):
    """The records of corpus files checked without a problem (kg.corpus.loader), in
    ``.kg-cache/checked/``: ``get(key)``/``put(key, value)`` with keys the loader makes from a
    file's bytes and what its check depended on; entries stamped with the code like the parsed ones."""

    def __init__(self, cache_folder: Path):
        super().__init__(cache_folder)
        self.folder = cache_folder / CHECKED_FOLDER

    def _name(self, key: str) -> str:
        return hashlib.sha256(self.stamp + b"\0" + key.encode()).hexdigest()

    def get(self, key: str) -> Any | None:  # type: ignore[override]  # keyed by the loader's keys
        name = self._name(key)
        found = _read_entry(self.folder / f"{name}.json")
        if found is None or not isinstance(found, dict):
            self.misses += 1
            return None
        self.used.add(name)
        self.hits += 1
        return found

    def put(self, key: str, value: Any) -> None:  # type: ignore[override]
        name = self._name(key)
        if _write_entry(self.folder / f"{name}.json", value):
            self.used.add(name)


def _read_entry(path: Path) -> Any | None:
    """An entry's JSON value; None when missing or damaged (its digest does not match)."""
    try:
        check, _, body = path.read_bytes().partition(b"\n")
        if hashlib.sha256(body).hexdigest().encode() != check:
            return None
        return json.loads(body)
    except (OSError, ValueError):
        return None


def _write_entry(path: Path, value: Any) -> bool:
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    check = hashlib.sha256(body).hexdigest().encode()
    return write_entry(path, check + b"\n" + body)


def write_entry(path: Path, data: bytes) -> bool:
    """Write a cache entry in place: no temporary file, no fsync, since every entry carries the
    SHA-256 of its body and a torn or half-written one is a miss (a build of ten thousand
    documents writes tens of thousands of entries, and each rename and fsync costs time)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)  # never through a link
    try:
        try:
            handle = os.open(path, flags, 0o644)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(path, flags, 0o644)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
    except OSError:
        return False  # an unwritable cache is only a slower next build
    return True


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
