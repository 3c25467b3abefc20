"""Load a corpus folder and check it completely before anything is built.

The corpus is the scholar's input: documents with metadata, one annotation file per document, and
catalogues. ``load_corpus`` reads it all, resolves every id and alias, anchors every quote in its
document, and either returns a checked :class:`~kg.corpus.models.Corpus` or raises one
:class:`~kg.errors.CorpusError` listing every problem found, each with file and line. Nothing is
half-loaded: the builder only ever sees a corpus that passed.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from .. import limits
from ..errors import CorpusError, Problem, SetupError
from ..limits import (
    MAX_CLAIMS_PER_FILE,
    MAX_DOCUMENT_BYTES,
    MAX_QUOTE_CHARS,
    MAX_YAML_BYTES,
    NEAREST_PASSAGE_SEARCHES,
    over_limit,
    shown,
)
from ..resources import ontology_dir
from . import located_yaml
from .catalogues import (
    KEBAB,
    Registry,
    check_references,
    load_actors,
    load_events,
    load_norms,
    load_schemes,
)
from .dates import PartialDate
from .fields import Fields
from .located_yaml import LocatedDict, LocatedList
from .models import STANCES, Claim, Corpus, Document, InputFile, Piece, Scheme, Where
from .quotes import Normalised, Span, find_quote, line_of, nearest_passage, normalise
from .records_json import claim_from_json, claim_to_json, document_from_json, document_to_json

DOCUMENT_FIELDS = (
    "title", "outlet", "author", "date", "language", "genre", "truncated", "seed", "notes", "pieces",
)
PIECE_FIELDS = ("title", "date", "starts_at")
ANNOTATION_FIELDS = ("document", "claims")
CLAIM_FIELDS = (
    "id", "claimant", "voiced_by", "reported_by", "against", "concerns", "invokes", "stance",
    "proposition", "schemes", "affirms", "denies", "rebuts", "undercuts", "undermines",
    "attacks", "supports", "date", "quote", "quotes", "prefix", "suffix", "note",
)
# The kinds of attack a claim may name, each a list of claim ids (ilk:rebuts, ilk:undercuts,
# ilk:undermines, and plain ilk:attacks for an attack of none of these kinds).
ATTACK_KINDS = ("rebuts", "undercuts", "undermines", "attacks")
RELATION_KINDS = (*ATTACK_KINDS, "supports")
QUOTE_FIELDS = ("exact", "prefix", "suffix")


class ParsedYaml(Protocol):
    """A cache of parsed YAML by text (kg.graph.parse_cache; the corpus package imports no stage after it)."""

    def get(self, text: str) -> Any | None: ...

    def put(self, text: str, data: Any) -> None: ...

    def keep(self, text: str) -> None: ...


class CheckedFiles(Protocol):
    """A cache of the records of files checked without a problem (kg.graph.parse_cache), as JSON
    values under keys the loader makes (see :meth:`_Reader.checked_key`)."""

    def get(self, key: str) -> Any | None: ...

    def put(self, key: str, value: Any) -> None: ...


class _Reader:
    """Reads files of one corpus, naming them as the user will recognise them in messages."""

    def __init__(self, root: Path, problems: list[Problem], jobs: int = 1, parsed: ParsedYaml | None = None,
                 checked: CheckedFiles | None = None):
        self.root = root
        self.problems = problems
        self.jobs = jobs
        self.parsed = parsed
        self.checked = checked
        self.scope: bytes | None = None  # what every checked file depends on (see start_checked)
        self.inputs: list[InputFile] = []
        self.failed_annotations: list[Path] = []  # annotation files whose claims could not be read

    def name(self, path: Path) -> str:
        return str(path)

    def unreadable(self, path: Path, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.name(path), line, message, unreadable=True))

    def failed(self, path: Path) -> bool:
        """Whether ``path`` could not be read (or held no usable data), as reported already."""
        name = self.name(path)
        return any(p.unreadable and p.file == name for p in self.problems)

    def record(self, relative: str, data: bytes) -> None:
        self.inputs.append(InputFile(relative, hashlib.sha256(data).hexdigest()))

    def read_text(self, path: Path, relative: str, limit: int = MAX_YAML_BYTES) -> tuple[str, bytes] | None:
        """The file's text and bytes, or None with a problem: unreadable, over ``limit`` bytes (read
        no further than the limit, so a runaway file costs no memory), or not UTF-8."""
        try:
            kind = _not_a_file(os.stat(path).st_mode)
            if kind is None:
                # Opened without waiting: should a FIFO have taken the file's place since the
                # stat, opening it to read would otherwise wait for a writer for ever.
                descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
                with os.fdopen(descriptor, "rb") as stream:
                    kind = _not_a_file(os.fstat(descriptor).st_mode)
                    data = stream.read(limit + 1) if kind is None else b""
                    size = os.fstat(descriptor).st_size
        except OSError as exc:
            self.unreadable(path, None, f"cannot read: {exc.strerror}")
            return None
        if kind is not None:
            self.problems.append(Problem(self.name(path), None, f"is a {kind}, not a file; the corpus "
                                         "reads regular files only (copy the text into a file)"))
            return None
        if len(data) > limit:
            what = ("for one document; split it into several documents" if limit == MAX_DOCUMENT_BYTES
                    else "for one YAML file; split it into several files")
            self.unreadable(path, None, f"{over_limit(max(size, len(data)), limit)} {what}")
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            self.unreadable(path, line, f"not UTF-8 (byte {exc.start}); save the file as UTF-8")
            return None
        self.record(relative, data)
        return text, data

    def read_yaml(self, path: Path, relative: str) -> Any:
        return self.read_yaml_many([(path, relative)])[0]

    def read_yaml_many(self, files: list[tuple[Path, str]]) -> list[Any]:
        """The data of each file (None where it could not be read), parsed in parallel if many."""
        return self.parse_read(files, [self.read_text(path, relative) for path, relative in files])

    def parse_read(self, files: list[tuple[Path, str]], texts: list[tuple[str, bytes] | None]) -> list[Any]:
        """The data of files already read (``texts``: what :meth:`read_text` gave for each)."""
        readable = [(read[0], self.name(path)) for read, (path, _) in zip(texts, files, strict=True) if read]
        parsed = iter(self._parse(readable))
        return [self._accepted(*next(parsed)) if read else None for read in texts]

    def kept(self, text: str) -> None:
        """A file whose records came from the cache of checked files keeps its parsed entry."""
        if self.parsed is not None:
            self.parsed.keep(text)

    def start_checked(self) -> None:
        """Allow records from the cache of checked files from here on, if the catalogues read so
        far (every file but documents and annotations) had no problem: a file's records then
        depend only on its bytes, its document's and those catalogues'."""
        if self.checked is None or self.problems:
            return
        digest = hashlib.sha256(f"{self.root}\0".encode())
        for item in sorted(self.inputs, key=lambda f: f.path):
            digest.update(f"{item.path}\t{item.sha256}\n".encode())
        self.scope = digest.digest()

    def checked_key(self, kind: str, path: Path, data: bytes, *depends: str) -> str | None:
        """The cache key of a file's records (None when the cache is off)."""
        if self.scope is None:
            return None
        digest = hashlib.sha256(self.scope)
        digest.update(f"{kind}\0{self.name(path)}\0{chr(0).join(depends)}\0".encode())
        digest.update(data)
        return digest.hexdigest()

    def _parse(self, readable: list[tuple[str, str]]) -> list[tuple[Any, list[Problem]]]:
        """``located_yaml.load_many``, taking from and adding to the cache of parsed files if any."""
        if self.parsed is None:
            return located_yaml.load_many(readable, self.jobs)
        known = [self.parsed.get(text) for text, _ in readable]
        missed = [item for item, data in zip(readable, known, strict=True) if data is None]
        fresh = iter(located_yaml.load_many(missed, self.jobs))
        results = []
        for (text, _), data in zip(readable, known, strict=True):
            if data is None:
                data, problems = next(fresh)
                if data is not None and not problems:  # a file with a problem is never kept
                    self.parsed.put(text, data)
                results.append((data, problems))
            else:
                results.append((data, []))
        return results

    def _accepted(self, data: Any, problems: list[Problem]) -> Any:
        if data is None:  # not YAML at all: what depends on this file is not checked (kg.errors.Problem)
            problems = [replace(p, unreadable=True) for p in problems]
        self.problems.extend(problems)
        if data is None and not problems:
            # An empty file (or only comments) is an empty mapping, so that its missing fields are
            # reported; returning None would drop a document without a word.
            data = LocatedDict()
            data.line = 1
        return data


def _not_a_file(mode: int) -> str | None:
    """What a path is when it is not a regular file (a FIFO, a device, a socket, a folder)."""
    if stat.S_ISREG(mode):
        return None
    kinds = ((stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "named pipe (FIFO)"), (stat.S_ISSOCK, "socket"),
             (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"))
    return next((name for test, name in kinds if test(mode)), "special file")


def load_corpus(corpus_dir: Path | str, jobs: int = 1, parsed: ParsedYaml | None = None,
                checked: CheckedFiles | None = None) -> Corpus:
    """Read and check everything under ``corpus_dir``; raise CorpusError listing all problems.

    ``jobs`` > 1 parses the YAML files of a large corpus in that many worker processes (spawned:
    call it from a script only under ``if __name__ == "__main__":``; ``kg`` does so). ``parsed``,
    a cache of parsed YAML (:class:`kg.graph.parse_cache.ParseCache`), spares parsing files seen
    before. ``checked``, a cache of checked records (:class:`kg.graph.parse_cache.CheckedCache`),
    spares checking again a document or annotation file that passed before, with the same bytes,
    the same document and the same catalogues; the checks across files (ids unique, references
    to claims, undercuts) still run on every claim.
    """
    corpus, problems = read_corpus(corpus_dir, jobs, parsed, checked)
    if problems:
        raise CorpusError(problems)
    return corpus


def read_corpus(corpus_dir: Path | str, jobs: int = 1, parsed: ParsedYaml | None = None,
                checked: CheckedFiles | None = None) -> tuple[Corpus, list[Problem]]:
    """What of ``corpus_dir`` reads cleanly, and the problems of the rest.

    For tools that only consult a corpus and must work on one that does not validate yet (``kg
    suggest`` beside an unreviewed draft, or with one document's annotations taken out): the
    records returned each passed their own checks, but a claim may have lost a reference to a
    claim that is missing. Never hand this to the builder: ``load_corpus`` is for that.
    """
    root = Path(corpus_dir)
    if not (root / "documents").is_dir():
        raise SetupError(
            f"no corpus at '{root}': expected {root / 'documents'} (and annotations/, catalogues/); "
            "pass --corpus DIR"
        )
    problems: list[Problem] = []
    reader = _Reader(root, problems, jobs, parsed, checked)

    # (file, as recorded, as named in messages): the shared catalogue is the ontology's wherever installed
    extra = _catalogue_file(reader, "norms")
    norm_files = [(ontology_dir() / "norms.yaml", "ontology/norms.yaml", "ontology/norms.yaml")]
    if extra.exists():
        norm_files.append((extra, f"catalogues/{extra.name}", reader.name(extra)))
    norm_sources = [(reader.read_yaml(path, relative), name) for path, relative, name in norm_files]
    rejected: dict[str, set[str]] = {"actor": set(), "norm": set(), "event": set()}
    norms = load_norms([(d, f) for d, f in norm_sources if d is not None], problems, rejected["norm"])
    actors_file = _catalogue_file(reader, "actors")
    events_file = _catalogue_file(reader, "events")
    actors = load_actors(_required_yaml(reader, actors_file, f"catalogues/{actors_file.name}"),
                         reader.name(actors_file), problems, rejected["actor"])
    events = load_events(_required_yaml(reader, events_file, f"catalogues/{events_file.name}"),
                         reader.name(events_file), problems, rejected["event"])

    # Where a new entry goes, for the messages about unknown values.
    sources = {"actor": [actors_file], "norm": [path for path, _, _ in norm_files], "event": [events_file]}
    add_to = {
        "actor": f"{reader.name(actors_file)} ({CATALOGUE_FIELDS['actor']})",
        "norm": f"{reader.name(extra)} ({CATALOGUE_FIELDS['norm']})",
        "event": f"{reader.name(events_file)} ({CATALOGUE_FIELDS['event']})",
    }
    registries = {kind: Registry(kind, pool, add_to=add_to[kind], rejected=rejected[kind],
                                 unreadable=any(reader.failed(path) for path in sources[kind]))
                  for kind, pool in (("actor", actors), ("norm", norms), ("event", events))}
    check_references(actors, norms, events, problems, registries)
    schemes = _load_schemes(reader, norms)
    registries["scheme"] = Registry("scheme", schemes)
    registries["element"] = Registry("element", {e.id: e for s in schemes.values() for e in s.elements})
    reader.start_checked()
    documents, document_keys = _load_documents(reader, registries["actor"])
    claims, claim_registry = _load_annotations(reader, documents, registries, actors, document_keys)
    _check_undercuts(claims, schemes, problems)

    for kind, registry in (*registries.items(), ("claim", claim_registry)):
        if registry.skipped:
            failed = next(p for p in sources.get(kind, reader.failed_annotations) if reader.failed(p))
            _not_checked(problems, reader.name(failed), f"{registry.skipped:,} reference"
                         f"{'s' if registry.skipped != 1 else ''} to {kind}s elsewhere not checked until "
                         "this file can be read")

    inputs = tuple(sorted(reader.inputs, key=lambda f: f.path))
    return Corpus(actors, norms, events, documents, claims, inputs, schemes), problems


# The fields a new catalogue entry needs, for messages that say where to add one.
CATALOGUE_FIELDS = {
    "actor": "id, type, name",
    "norm": "id, type, source_type, notation, label in en and es",
    "event": "id, label, start, perpetrators",
}


# YAML files may end in .yaml or .yml (both are common); a file with another ending in a corpus
# folder is not read.
YAML_SUFFIXES = (".yaml", ".yml")


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(path for suffix in YAML_SUFFIXES for path in folder.glob(f"*{suffix}"))


def _catalogue_file(reader: _Reader, name: str) -> Path:
    """catalogues/<name>.yaml, or <name>.yml if only that exists; both is a problem (one would be
    ignored), reported at the .yml file."""
    found = [reader.root / "catalogues" / f"{name}{suffix}" for suffix in YAML_SUFFIXES]
    present = [path for path in found if path.exists() or path.is_symlink()]
    if len(present) > 1:
        reader.problems.append(Problem(reader.name(present[1]), None, f"both catalogues/{name}.yaml and "
                                       f"catalogues/{name}.yml exist; keep one"))
    return present[0] if present else found[0]


def _required_yaml(reader: _Reader, path: Path, relative: str) -> Any:
    if not (path.exists() or path.is_symlink()):
        reader.unreadable(path, None, "missing catalogue file")
        return None
    return reader.read_yaml(path, relative)


def _load_schemes(reader: _Reader, norms: dict) -> dict[str, Scheme]:
    """The legal tests: ontology/schemes.yaml, and a corpus's own catalogues/schemes.yaml if any."""
    sources = [(reader.read_yaml(ontology_dir() / "schemes.yaml", "ontology/schemes.yaml"),
                "ontology/schemes.yaml")]
    extra = _catalogue_file(reader, "schemes")
    if extra.exists():
        sources.append((reader.read_yaml(extra, f"catalogues/{extra.name}"), reader.name(extra)))
    return load_schemes([(d, f) for d, f in sources if d is not None], norms, reader.problems)


def _check_undercuts(claims: dict, schemes: dict[str, Scheme], problems: list[Problem]) -> None:
    """An undercut denies an element (or affirms an exception) of a test its target applies.

    Checked once every claim is read, since a target may be in another file; the SHACL shapes
    check the same in the graph. A claim with a problem of its own was read without the value at
    fault (an unknown scheme or element is dropped), so an undercut from or to it is not judged:
    the one problem to fix is already reported, and a second would only follow from it.
    """
    faulty = {problem.message.split("'", 2)[1] for problem in problems
              if problem.message.startswith("claim '")}
    for claim in claims.values():
        if claim.id in faulty:
            continue
        for target_id in claim.undercuts:
            target = claims.get(target_id)
            if target is None or target_id in faulty:
                continue
            exceptions = {e.id for s in target.schemes if s in schemes
                          for e in schemes[s].elements if e.role == "exception"}
            positions = [e for e in claim.denies if e.partition("/")[0] in target.schemes]
            positions += [e for e in claim.affirms if e in exceptions]
            if positions:
                continue
            if not target.schemes:
                why = f"'{target_id}' applies no legal test ('schemes:')"
            else:
                why = (f"this claim neither denies an element nor affirms an exception of "
                       f"{', '.join(target.schemes)}, the test{'s' if len(target.schemes) > 1 else ''} "
                       f"'{target_id}' applies")
            problems.append(Problem(claim.where.file, claim.where.line,
                                    f"claim '{claim.id}': undercuts '{target_id}', but {why}; use "
                                    "'rebuts' or 'undermines', or record the element the claim denies "
                                    "('denies: [SCHEME/ELEMENT]')"))


def _not_checked(problems: list[Problem], file: str, note: str) -> None:
    """Say, on the line of an unreadable file's error, what was left unchecked because of it."""
    for index, problem in enumerate(problems):
        if problem.unreadable and problem.file == file:
            problems[index] = replace(problem, message=f"{problem.message} ({note})")
            return
    problems.append(Problem(file, None, note, unreadable=True))


# --- documents ---------------------------------------------------------------------------------


def _load_documents(reader: _Reader, actors: Registry) -> tuple[dict[str, Document], dict[str, str]]:
    """The checked documents, and the cache key of each (which its annotations' keys include)."""
    folder = reader.root / "documents"
    texts = {p.stem: p for p in folder.glob("*.txt")}
    metas: dict[str, Path] = {}
    for path in _yaml_files(folder):
        if path.stem in metas:
            reader.problems.append(Problem(reader.name(path), None, f"both documents/{shown(path.stem)}.yaml "
                                           f"and documents/{shown(path.stem)}.yml exist; keep one"))
            continue
        metas[path.stem] = path
    documents: dict[str, Document] = {}
    for stem in sorted(metas.keys() - texts.keys()):
        reader.problems.append(Problem(reader.name(metas[stem]), None,
                                       f"missing document file documents/{shown(stem)}.txt"))
    stems = []
    for stem in sorted(texts):
        if not KEBAB.match(stem):
            reader.problems.append(Problem(reader.name(texts[stem]), None,
                                           f"document id '{shown(stem)}' must be lower-case kebab case"))
            continue
        if stem not in metas:
            reader.problems.append(Problem(reader.name(texts[stem]), None, f"no metadata: create "
                                           f"documents/{stem}.yaml (see corpus/README.md)"))
            continue
        stems.append(stem)
    files = [(metas[stem], f"documents/{metas[stem].name}") for stem in stems]
    meta_reads = [reader.read_text(path, relative) for path, relative in files]
    text_reads = [reader.read_text(texts[stem], f"documents/{stem}.txt", MAX_DOCUMENT_BYTES)
                  for stem in stems]
    keys: dict[str, str] = {}
    for stem, meta, read in zip(stems, meta_reads, text_reads, strict=True):
        if meta is not None and read is not None:
            key = reader.checked_key("document", metas[stem], meta[1], hashlib.sha256(read[1]).hexdigest())
            if key is not None:
                keys[stem] = key
                known = reader.checked.get(key)  # type: ignore[union-attr]  # a key means a cache
                if known is not None:
                    documents[stem] = document_from_json(known, read[0])
                    reader.kept(meta[0])
    missed = [i for i, stem in enumerate(stems) if stem not in documents]
    parsed = reader.parse_read([files[i] for i in missed], [meta_reads[i] for i in missed])
    troubled = {problem.file for problem in reader.problems}
    for i, meta in zip(missed, parsed, strict=True):
        stem, read = stems[i], text_reads[i]
        if read is None or meta is None:
            continue
        before = len(reader.problems)
        document = _document(stem, read[0], read[1], meta, reader.name(metas[stem]), reader, actors)
        if document is not None:
            documents[stem] = document
            if stem in keys and len(reader.problems) == before and reader.name(metas[stem]) not in troubled:
                reader.checked.put(keys[stem], document_to_json(document))  # type: ignore[union-attr]
    return {stem: documents[stem] for stem in sorted(documents)}, keys


def _document(doc_id: str, text: str, data: bytes, meta: Any, file: str, reader: _Reader,
              actors: Registry) -> Document | None:
    fields = Fields(meta, file, f"document '{doc_id}'", DOCUMENT_FIELDS, reader.problems, 1)
    title = fields.text("title", required=True)
    date = fields.date("date", required=True)
    language = fields.text("language", required=True)
    outlet = _resolve_one(fields, "outlet", actors)
    author = _resolve_one(fields, "author", actors)
    notes = fields.texts("notes")
    pieces = _pieces(fields, text, date)
    if not fields.ok or title is None or date is None or language is None:
        return None
    return Document(
        id=doc_id, path=f"documents/{doc_id}.txt", text=text,
        sha256=hashlib.sha256(data).hexdigest(), title=title, date=date, language=language,
        where=Where(file, fields.line), outlet=outlet, author=author, genre=fields.text("genre"),
        truncated=fields.boolean("truncated"), seed=fields.text("seed"), notes=notes, pieces=pieces,
    )


def _pieces(fields: Fields, text: str, date: PartialDate | None) -> tuple[Piece, ...]:
    raw = fields.data.get("pieces")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        fields.report("pieces", "'pieces' must be a list")
        return ()
    starts = []
    normalised = normalise(text) if raw else None
    for index, item in enumerate(raw):
        line = raw.line_of(index) if isinstance(raw, LocatedList) else fields.line
        piece = Fields(item, fields.file, f"{fields.subject} piece {index + 1}", PIECE_FIELDS,
                       fields.problems, line)
        title = piece.text("title", required=True)
        piece_date = piece.date("date", required=True)
        opening = piece.text("starts_at", required=True)
        if opening is None:
            continue
        found = find_quote(text, opening, normalised=normalised)
        if len(found) != 1:
            piece.report("starts_at", f"'starts_at' must occur exactly once in the text; "
                         f"it occurs {len(found)} times")
            continue
        if title and piece_date:
            starts.append((found[0].start, title, piece_date))
    starts.sort()
    pieces = []
    for i, (start, title, piece_date) in enumerate(starts):
        begin = 0 if i == 0 else start  # text before the first piece belongs to it
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        pieces.append(Piece(title, piece_date, begin, end))
    return tuple(pieces)


def _resolve_one(fields: Fields, key: str, registry: Registry) -> str | None:
    value = fields.text(key)
    if value is None:
        return None
    resolved, error = registry.resolve(value)
    if error:
        fields.report(key, error)
    return resolved


def _resolve_many(fields: Fields, key: str, registry: Registry) -> tuple[str, ...]:
    resolved = []
    for value in fields.texts(key):
        found, error = registry.resolve(value)
        if error:
            fields.report(key, error)
        elif found is not None and found not in resolved:
            resolved.append(found)
    return tuple(resolved)


# --- annotations -------------------------------------------------------------------------------


def _load_annotations(reader: _Reader, documents: dict[str, Document], registries: dict[str, Registry],
                      actors: dict, document_keys: dict[str, str]) -> tuple[dict[str, Claim], Registry]:
    """The checked claims, and the registry of claim ids (which says how many references to claims
    went unchecked because an annotation file could not be read).

    A file whose records come from the cache of checked files is taken as it was only if its ids
    are still unique and every claim it points to still exists; should either fail, the files are
    checked again, all of them, so that the messages are what a check without a cache gives.
    """
    folder = reader.root / "annotations"
    files = _yaml_files(folder) if folder.is_dir() else []
    reads = [reader.read_text(path, f"annotations/{path.name}") for path in files]
    known: dict[int, tuple[str, Any]] = {}  # index of a file -> (its key, its cached records)
    for index, (path, read) in enumerate(zip(files, reads, strict=True)):
        key = reader.checked_key("annotation", path, read[1]) if read is not None else None
        entry = reader.checked.get(key) if key is not None else None  # type: ignore[union-attr]
        if entry is not None and document_keys.get(entry["document"]) == entry["document_key"] \
                and entry["document"] in documents:
            known[index] = key, entry
            reader.kept(read[0])  # type: ignore[index]  # a key means a read
    marks = len(reader.problems), len(reader.failed_annotations)
    found = _annotations(reader, files, reads, known, documents, registries, actors, document_keys)
    if found is None:  # a cached file no longer fits the rest: check every file
        del reader.problems[marks[0]:]
        del reader.failed_annotations[marks[1]:]
        found = _annotations(reader, files, reads, {}, documents, registries, actors, document_keys)
    if found is None:  # without a cache every file is checked: nothing can fail to fit
        raise RuntimeError("the annotations were not loaded")
    return found


def _annotations(reader: _Reader, files: list[Path], reads: list[tuple[str, bytes] | None],
                 known: dict[int, tuple[str, Any]], documents: dict[str, Document],
                 registries: dict[str, Registry], actors: dict, document_keys: dict[str, str]
                 ) -> tuple[dict[str, Claim], Registry] | None:
    """The claims of ``files`` (``known`` from the cache); None if a known file does not fit."""
    loaded = []
    claim_ids: dict[str, Where] = {}
    missed = [i for i in range(len(files)) if i not in known]
    parsed = dict(zip(missed, reader.parse_read([(files[i], f"annotations/{files[i].name}")
                                                 for i in missed], [reads[i] for i in missed]), strict=True))
    fresh: dict[int, tuple[str, list[tuple[str, int]]]] = {}  # file -> (document, its claims' ids and lines)
    for index, path in enumerate(files):
        file = reader.name(path)
        if index in known:
            entry = known[index][1]
            for claim_id, line in entry["ids"]:
                if claim_id in claim_ids:
                    return None
                claim_ids[claim_id] = Where(file, line)
            loaded.append((index, entry))
            continue
        data = parsed[index]
        if data is None:
            reader.failed_annotations.append(path)
            continue
        top = Fields(data, file, "annotation file", ANNOTATION_FIELDS, reader.problems, 1)
        doc_id = top.text("document", required=True)
        items = top.data.get("claims")
        if items is None and top.ok:  # no claims yet: nothing else can depend on this file
            top.report("claims", "'claims' must be a list of claims")
            continue
        if not isinstance(items, list):
            reader.unreadable(path, top.line_of("claims"),
                              "annotation file: 'claims' must be a list of claims")
            reader.failed_annotations.append(path)
            continue
        if len(items) > MAX_CLAIMS_PER_FILE:
            reader.unreadable(path, top.line_of("claims"), f"annotation file: {len(items):,} claims, over "
                              f"the limit of {MAX_CLAIMS_PER_FILE:,} for one annotation file; split the "
                              "document into several documents")
            reader.failed_annotations.append(path)
            continue
        if doc_id is not None and doc_id not in documents:
            folder = reader.root / "documents"
            if not any(reader.failed(folder / f"{doc_id}{suffix}") for suffix in (".yaml", ".txt")):
                top.report("document", f"missing document file documents/{shown(doc_id)}.txt "
                           "(or its metadata is invalid)")
            doc_id = None
        ids = []
        for position, item in enumerate(items):
            line = items.line_of(position) if isinstance(items, LocatedList) else top.line
            claim_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(claim_id, str):
                ids.append((claim_id, line))
                if claim_id in claim_ids:
                    first = claim_ids[claim_id]
                    reader.problems.append(Problem(file, line, f"claim '{shown(claim_id)}': duplicate id "
                                                   f"(first defined at {first.file}:{first.line})"))
                    continue
                claim_ids[claim_id] = Where(file, line)
            loaded.append((file, f"annotations/{path.name}", line, doc_id, item))
        if doc_id is not None and len(ids) == len(items):
            fresh[index] = doc_id, ids

    claim_registry = Registry("claim", dict.fromkeys(claim_ids), unreadable=bool(reader.failed_annotations))
    registries = {**registries, "claim": claim_registry}
    # Claims come file by file, so one document's normalised text is kept at a time (with
    # thousands of documents, keeping them all would cost more memory than the graph).
    normalised: dict[str, Normalised] = {}
    claims: dict[str, Claim] = {}
    by_file: dict[str, list[tuple[Claim | None, Any]]] = {}
    pointed: set[str] = set()  # the claims that claims from the cache point at
    searches = _Searches(NEAREST_PASSAGE_SEARCHES, limits.NEAREST_PASSAGE_SECONDS)
    for record in loaded:
        if len(record) == 2:  # from the cache
            entry = record[1]
            text = documents[entry["document"]].text
            shared = entry["document"], reader.name(files[record[0]]), f"annotations/{files[record[0]].name}"
            for value in entry["claims"]:
                claim = claim_from_json(value, text, shared)
                for kind in RELATION_KINDS:
                    pointed.update(getattr(claim, kind))
                claims[claim.id] = claim
            continue
        file, relative, line, doc_id, item = record
        document = documents.get(doc_id) if doc_id else None
        if document is not None and doc_id not in normalised:
            normalised = {doc_id: normalise(document.text)}
        claim = _claim(file, relative, line, item, document, normalised.get(doc_id), registries,
                       actors, reader.problems, searches)
        by_file.setdefault(file, []).append((claim, item))
        if claim is not None:
            claims[claim.id] = claim
    if not pointed <= claim_ids.keys():  # a stored claim points at a claim that is gone
        return None
    _remember_checked(reader, files, reads, fresh, by_file, document_keys)
    return claims, claim_registry


def _remember_checked(reader: _Reader, files: list[Path], reads: list[tuple[str, bytes] | None],
                      fresh: dict[int, tuple[str, list[tuple[str, int]]]],
                      by_file: dict[str, list[tuple[Claim | None, Any]]],
                      document_keys: dict[str, str]) -> None:
    """Put in the cache each file checked now without a problem, whose every claim points at
    claims by their exact ids (a reference resolved otherwise, by a different case, is checked
    again each time)."""
    if reader.scope is None:
        return
    troubled = {problem.file for problem in reader.problems}
    for index, (doc_id, ids) in fresh.items():
        file = reader.name(files[index])
        made = by_file.get(file, [])
        if file in troubled or doc_id not in document_keys or len(made) != len(ids) \
                or any(claim is None or not _exact_references(claim, item) for claim, item in made):
            continue
        shared = (doc_id, file, f"annotations/{files[index].name}")
        if any((claim.document, claim.where.file, claim.annotation) != shared for claim, _ in made):
            continue
        values = [claim_to_json(claim, bare=True) for claim, _ in made]  # type: ignore[arg-type]
        if None in values:
            continue
        key = reader.checked_key("annotation", files[index], reads[index][1])  # type: ignore[index]
        reader.checked.put(key, {  # type: ignore[union-attr]  # a scope means a cache
            "document": doc_id, "document_key": document_keys[doc_id], "ids": ids, "claims": values})


def _exact_references(claim: Claim, item: Any) -> bool:
    return all(list(getattr(claim, kind)) == list(item.get(kind) or []) for kind in RELATION_KINDS)


def _claim(file: str, relative: str, line: int, item: Any, document: Document | None, norm: Normalised | None,
           registries: dict[str, Registry], actors: dict, problems: list[Problem],
           searches: _Searches | None = None) -> Claim | None:
    raw_id = item.get("id") if isinstance(item, dict) else None
    fields = Fields(item, file, f"claim '{shown(raw_id)}'", CLAIM_FIELDS, problems, line)
    undecided = _left_to_decide(fields)
    claim_id = fields.text("id", required=True)
    if claim_id is not None and isinstance(raw_id, str) and raw_id != claim_id:
        # The duplicate check saw the id as written; stored stripped, "x\u00a0" would replace "x".
        around = sorted({f"U+{ord(c):04X}" for c in raw_id[: len(raw_id) - len(raw_id.lstrip())]
                         + raw_id[len(raw_id.rstrip()):]})
        fields.report("id", f"id '{shown(claim_id)}' has white space around it ({', '.join(around)}); "
                      "ids are lower-case kebab slugs: remove it")
    elif claim_id is not None and not KEBAB.match(claim_id):
        fields.report("id", f"id '{shown(claim_id)}' must be lower-case kebab case")
    claimant = _resolve_one(fields, "claimant", registries["actor"])
    if not fields.has("claimant") and "claimant" not in undecided:
        fields.report("claimant", "'claimant' is required: the party the words are spoken for")
    voiced_by = _resolve_one(fields, "voiced_by", registries["actor"])
    if voiced_by and actors[voiced_by].type != "person":
        fields.report("voiced_by", f"'voiced_by' must be a person, and '{voiced_by}' is a "
                      f"{actors[voiced_by].type}; put the party in 'claimant'")
    reported_by = _resolve_many(fields, "reported_by", registries["actor"])
    against = _resolve_many(fields, "against", registries["actor"])
    if claimant and claimant in against:
        fields.report("against", f"'against' names the claimant '{claimant}' itself; "
                      "it must be the opposing party (docs/data-model.md, ilk:against)")
    if claimant and claimant in reported_by:
        fields.report("reported_by", "'reported_by' is for a party relaying someone else's claim")
    concerns = _resolve_many(fields, "concerns", registries["event"])
    invokes = _resolve_many(fields, "invokes", registries["norm"])
    stance = fields.choice("stance", STANCES, required="stance" not in undecided)
    relations = {kind: _resolve_many(fields, kind, registries["claim"])
                 for kind in (*ATTACK_KINDS, "supports")}
    for kind, targets in relations.items():
        if claim_id and claim_id in targets:
            fields.report(kind, f"a claim cannot {'support' if kind == 'supports' else 'attack'} itself")
    proposition = fields.labels("proposition")
    if not proposition and "proposition" not in undecided:
        fields.report("proposition" if fields.has("proposition") else None,
                      "'proposition' is required: one sentence, in your words, of what the claimant "
                      "asserts (the text every view shows for the claim)")
    elif proposition and "en" not in proposition:
        fields.report("proposition", "'proposition' needs English ('en'); other languages are optional")
    schemes = _resolve_many(fields, "schemes", registries["scheme"])
    affirms = _resolve_many(fields, "affirms", registries["element"])
    denies = _resolve_many(fields, "denies", registries["element"])
    for element in sorted(set(affirms) & set(denies)):
        fields.report("denies", f"'{element}' is both affirmed and denied; a claim takes one position on it")
    date = fields.date("date")
    quoted = not {"quote", "quotes"} & undecided.keys()
    evidence = _evidence(fields, document, norm, searches) if document is not None and quoted else ()
    if date is None and evidence and not fields.has("date"):
        piece = document.piece_at(evidence[0].start)
        date = piece.date if piece else document.date
    note = fields.text("note")
    if not fields.ok or None in (claim_id, claimant, stance, date) or not evidence or not proposition:
        return None
    return Claim(
        id=claim_id, document=document.id, claimant=claimant, stance=stance, date=date,
        evidence=evidence, where=Where(file, fields.line), annotation=relative, voiced_by=voiced_by,
        reported_by=reported_by, against=against, concerns=concerns, invokes=invokes,
        attacks=relations["attacks"], supports=relations["supports"], note=note,
        proposition=proposition, schemes=schemes, affirms=affirms, denies=denies,
        rebuts=relations["rebuts"], undercuts=relations["undercuts"], undermines=relations["undermines"],
    )


# The comment a draft of `kg suggest` writes after each value it could not decide
# (``claimant: null  # left to decide: the text names "Wired-Gov"; ...``).
LEFT_TO_DECIDE = "left to decide:"


def _left_to_decide(fields: Fields) -> dict[str, str]:
    """The fields a draft left open (``null`` with a "left to decide:" comment), each reported
    once, with the draft's reason, as what the reviewer still has to decide; field -> reason.

    Only such marked nulls count: a plain ``null`` still means "absent", as it always has. The
    checks that a missing value would trigger (a required claimant, stance, proposition or quote)
    are left out for these fields, so that an unreviewed draft lists exactly what is left to do.
    """
    found = {}
    comments = getattr(fields.data, "null_comments", {})
    for key in CLAIM_FIELDS:
        comment = comments.get(key)
        if comment is None or fields.data.get(key) is not None:
            continue
        if comment.casefold().startswith(LEFT_TO_DECIDE):
            reason = comment[len(LEFT_TO_DECIDE):].strip()
            fields.report(key, f"{key} left to decide" + (f" ({reason})" if reason else ""))
            found[key] = reason
    return found


def _evidence(fields: Fields, document: Document, norm: Normalised,
              searches: _Searches | None = None) -> tuple[Span, ...]:
    """Anchor each quote of a claim; report absent and ambiguous quotes with what to do."""
    wanted = []  # (exact, prefix, suffix, line)
    if fields.has("quote") and fields.has("quotes"):
        fields.report("quotes", "give either 'quote' or 'quotes', not both")
        return ()
    if fields.has("quote"):
        exact = fields.text("quote")
        if exact is not None:
            wanted.append((exact, fields.text("prefix"), fields.text("suffix"), fields.line_of("quote")))
    elif fields.has("quotes"):
        raw = fields.data["quotes"]
        if not isinstance(raw, list):
            fields.report("quotes", "'quotes' must be a list")
            return ()
        for index, item in enumerate(raw):
            line = raw.line_of(index) if isinstance(raw, LocatedList) else fields.line_of("quotes")
            if isinstance(item, str):
                wanted.append((item, None, None, line))
                continue
            sub = Fields(item, fields.file, fields.subject, QUOTE_FIELDS, fields.problems, line)
            exact = sub.text("exact", required=True)
            if exact is not None:
                wanted.append((exact, sub.text("prefix"), sub.text("suffix"), line))
    else:
        fields.report(None, "'quote' is required: the exact passage that carries the claim")
        return ()

    spans: list[Span] = []
    for exact, prefix, suffix, line in wanted:
        if len(exact) > MAX_QUOTE_CHARS:
            fields.report("quote", f"quote of {len(exact):,} characters, over the limit of "
                          f"{MAX_QUOTE_CHARS:,}; quote the sentence or paragraph that carries the claim",
                          line)
            continue
        found = find_quote(document.text, exact, prefix, suffix, normalised=norm)
        if len(found) == 1:
            if found[0] in spans:
                fields.report("quotes", "the same passage is quoted twice", line)
            spans.append(found[0])
        elif not found:
            fields.report("quote", _not_found(document, exact, prefix or suffix, norm, searches), line)
        else:
            # Counting lines costs a pass over the text each: name the first few occurrences only.
            lines = ", ".join(str(line_of(document.text, s.start)) for s in found[:10])
            lines += f" and {len(found) - 10:,} more" if len(found) > 10 else ""
            fields.report("quote", f"quote occurs {len(found)} times in {document.path} (lines "
                          f"{lines}); lengthen it or add prefix:/suffix: with the words around the "
                          "one you mean", line)
    return tuple(spans)


class _Searches:
    """How many nearest-passage searches a run has left, and how much time (kg.limits:
    NEAREST_PASSAGE_SEARCHES, NEAREST_PASSAGE_SECONDS): ``take()`` says whether one more may run
    (None if so, else why not) and ``spend(seconds)`` records what it took."""

    def __init__(self, left: int, seconds: float):
        self.left = left
        self.seconds = seconds

    def take(self) -> str | None:
        if self.seconds <= 0:
            return "hint budget spent"
        self.left -= 1
        return None if self.left >= 0 else f"over {NEAREST_PASSAGE_SEARCHES} quotes not found in this run"

    def spend(self, seconds: float) -> None:
        self.seconds -= seconds


def _not_found(document: Document, exact: str, hinted: str | None, norm: Normalised,
               searches: _Searches | None = None) -> str:
    message = f"quote not found in {document.path}"
    if hinted and find_quote(document.text, exact, normalised=norm):
        return message + " with that prefix/suffix; check the words around it"
    refused = searches.take() if searches is not None else None
    if refused is not None:
        return f"{message} (no nearest passage: {refused})"
    began = time.monotonic()
    nearest = nearest_passage(document.text, exact, normalised=norm)
    if searches is not None:
        searches.spend(time.monotonic() - began)
    if nearest is None:
        return message
    excerpt = shown(nearest.passage, 160)
    message += (f"; nearest passage (line {line_of(document.text, nearest.start)}, "
                f"{nearest.score:.0f}% alike): \"{excerpt}\"")
    if nearest.difference is not None:
        typed, stored, places = nearest.difference
        more = f" (and {places - 1} more place{'s' if places > 2 else ''})" if places and places > 1 else ""
        message += (f"; they differ at typed \"{shown(typed, 100)}\" where the text has "
                    f"\"{shown(stored, 100)}\"{more}")
    return message

