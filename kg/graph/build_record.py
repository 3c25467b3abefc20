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
from pathlib import Path
from typing import Any

from ..limits import MAX_DOCUMENT_BYTES, MAX_YAML_BYTES
from ..resources import ontology_dir
from .output import write_atomic
from .parse_cache import code_stamp
from .stats import Stats

NAME = "builds.json"
MAX_OUTPUTS = 32  # outputs remembered per folder (the oldest go first)
_CHUNK = 1 << 20


def inputs_digest(corpus_dir: Path, fmt: str) -> str | None:
    """The digest of all a build of ``corpus_dir`` depends on; None when a file is not a plain
    readable file within the loader's limits (the build then runs, and says what is wrong)."""
    digest = hashlib.sha256(f"{fmt}\0".encode())
    digest.update(code_stamp("pyoxigraph", "rdflib", "pyshacl", "PyYAML").encode())
    largest = max(MAX_DOCUMENT_BYTES, MAX_YAML_BYTES)
    for label, root in (("corpus", corpus_dir), ("ontology", ontology_dir())):
        for path in _files(root):
            try:
                info = os.stat(path, follow_symlinks=True)
                if not stat.S_ISREG(info.st_mode) or info.st_size > largest:
                    return None
                data = path.read_bytes()
            except OSError:
                return None
            digest.update(f"{label}/{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def _files(root: Path) -> list[Path]:
    found = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs.sort()
        found.extend(Path(folder) / name for name in names)
        # a linked folder is read by the loader as files: record what it holds, by name
        found.extend(Path(folder) / name for name in dirs if (Path(folder) / name).is_symlink())
    return sorted(found)


def file_digest(path: Path) -> str | None:
    try:
        with open(path, "rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None


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
