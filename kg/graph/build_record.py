"""What the last successful build of an output was made from, to skip a build with nothing to do.

A rebuild with no input changed would make the same bytes again; at ten thousand documents even
a build that takes every parsed file and SHACL verdict from the cache spends most of a minute
re-checking and re-serialising millions of triples. ``.kg-cache/builds.json`` beside the output
records, per output file, the digest of everything the build read (every file under the corpus
folder and the ontology folder, the kg source and the versions of the libraries that shape the
output, the format) and the SHA-256 of the bytes it wrote. When both still match, the output is
already what a build would write, and the build reports the recorded figures instead.

Only a build that passed is recorded, so a corpus with an error is loaded and reported every
time. A damaged record is ignored (the build runs); deleting it only costs time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import stat
import time
from pathlib import Path
from typing import Any

from ..limits import MAX_DOCUMENT_BYTES, MAX_YAML_BYTES
from ..resources import ontology_dir
from .output import write_atomic
from .parse_cache import code_stamp
from .stats import Stats

NAME = "builds.json"
DIGESTS = "digests.json"
MAX_OUTPUTS = 32  # outputs remembered per folder (the oldest go first)
_CHUNK = 1 << 20


def inputs_digest(corpus_dir: Path, fmt: str, memo: DigestMemo | None = None) -> str | None:
    """The digest of all a build of ``corpus_dir`` depends on; None when a file is not a plain
    readable file within the loader's limits (the build then runs, and says what is wrong).
    ``memo`` spares reading the files whose size and times have not changed since it saw them."""
    digest = hashlib.sha256(f"{fmt}\0".encode())
    digest.update(code_stamp("pyoxigraph", "rdflib", "pyshacl", "PyYAML").encode())
    largest = max(MAX_DOCUMENT_BYTES, MAX_YAML_BYTES)
    for label, root in (("corpus", corpus_dir), ("ontology", ontology_dir())):
        for relative, path in _files(root):
            try:
                info = os.stat(path, follow_symlinks=True)
                if not stat.S_ISREG(info.st_mode) or info.st_size > largest:
                    return None
                sha = memo.digest(path, info) if memo is not None else _sha256(path)
            except OSError:
                return None
            digest.update(f"{label}/{relative}\0{info.st_size}\0{sha}\0".encode())
    return digest.hexdigest()


def _files(root: Path) -> list[tuple[str, str]]:
    """(path relative to ``root``, path) of every file under ``root``, in a fixed order."""
    found = []
    base = str(root)
    for folder, dirs, names in os.walk(base, followlinks=False):
        dirs.sort()
        inside = os.path.relpath(folder, base)
        prefix = "" if inside == "." else inside.replace(os.sep, "/") + "/"
        found.extend((prefix + name, os.path.join(folder, name)) for name in names)
        # a linked folder is read by the loader as files: record what it holds, by name
        found.extend((prefix + name, os.path.join(folder, name)) for name in dirs
                     if os.path.islink(os.path.join(folder, name)))
    return sorted(found)


def _sha256(path: str | Path) -> str:
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        return _sha256(path)
    except OSError:
        return None


class DigestMemo:
    """The SHA-256 of files by their size, times and inode (``.kg-cache/digests.json``).

    Reading twenty thousand files to learn that none changed costs seconds; a file whose size,
    modification and change times and inode are those it had when it was hashed is taken to hold
    the same bytes, as make and git take it. As git does, an entry hashed in the same moment the
    file was last written (within ``RACY`` seconds of it) is not trusted: a write in that moment
    could leave the times as they were.
    """

    RACY = 2.0

    def __init__(self, cache_folder: Path):
        self.path = cache_folder / DIGESTS
        self.seen: dict[str, list] = {}
        try:
            loaded = json.loads(self.path.read_text("utf-8"))
            self.known: dict[str, list] = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            self.known = {}

    def digest(self, path: str, info: os.stat_result) -> str:
        stamp = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
        entry = self.seen.get(path) or self.known.get(path)
        if isinstance(entry, list) and entry[:4] == stamp and isinstance(entry[-1], str):
            sha = entry[-1]
        else:
            sha = _sha256(path)
        hashed = time.time_ns()
        if hashed - max(info.st_mtime_ns, info.st_ctime_ns) > self.RACY * 1e9:
            self.seen[path] = [*stamp, sha]
        return sha

    def save(self) -> None:
        if self.seen == self.known:
            return
        with contextlib.suppress(OSError):  # an unwritable cache is only a slower next build
            write_atomic(self.path, json.dumps(self.seen).encode(), durable=False)


class BuildRecords:
    """The records of the outputs in one folder (``<folder>/.kg-cache/builds.json``)."""

    def __init__(self, cache_folder: Path):
        self.path = cache_folder / NAME
        try:
            records = json.loads(self.path.read_text("utf-8"))
            self.records: dict[str, dict] = records if isinstance(records, dict) else {}
        except (OSError, ValueError):
            self.records = {}

    def unchanged(self, target: Path, key: str | None) -> dict[str, Any] | None:
        """The recorded report of ``target`` if it was built from ``key`` and still holds the bytes
        that build wrote; else None."""
        record = self.records.get(target.name)
        if key is None or not isinstance(record, dict) or record.get("key") != key:
            return None
        if file_digest(target) != record.get("sha256"):
            return None
        try:
            return {**record["report"], "stats": _stats(record["report"]["stats"])}
        except (KeyError, TypeError, ValueError):
            return None

    def remember(self, target: Path, key: str | None, report: dict[str, Any]) -> None:
        records = {name: r for name, r in self.records.items()
                   if name != target.name and (target.parent / name).is_file()}
        if key is not None:
            report = {**report, "stats": dataclasses.asdict(report["stats"])}
            records[target.name] = {"key": key, "sha256": file_digest(target), "report": report}
        self.records = dict(list(records.items())[-MAX_OUTPUTS:])
        with contextlib.suppress(OSError):  # an unwritable cache is only a slower next build
            write_atomic(self.path, json.dumps(self.records).encode())


def _stats(data: dict) -> Stats:
    return Stats(**{name: tuple(tuple(pair) for pair in value) if isinstance(value, list) else value
                    for name, value in data.items()})
