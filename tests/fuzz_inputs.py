"""Hostile variations of the real corpus files, and a sandbox to load them in.

The fuzz tests (tests/corpus/test_fuzz_loader.py, tests/graph/test_fuzz_builder.py) start from the bundled
files, because random YAML almost never gets past the first check; a real annotation file with one
value swapped for a number, a lone surrogate or a path reaches the deep parts of the loader. On
top of the tree mutations come mutations of the bytes: snippets that attack the YAML parser (alias
bombs, nesting thousands deep, Python tags, huge integers), binary junk, invalid UTF-8, BOMs,
UTF-16, CR line ends and tabs.

The :class:`Sandbox` keeps the corpus copy three folders below the temporary folder it snapshots,
so that a document id like ``../../etc/x`` resolved against the corpus would still land inside
the snapshot and be seen.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import os
import shutil
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from kg.corpus.loader import load_corpus
from kg.corpus.located_yaml import load as load_located
from kg.corpus.models import ACTOR_TYPES, NORM_TYPES, STANCES
from kg.errors import CorpusError, Problem
from kg.limits import MAX_YAML_BYTES

from .conftest import CORPUS, standalone_annotation

REAL = load_corpus(CORPUS)
ANNOTATIONS = sorted(p.name for p in (CORPUS / "annotations").glob("*.yaml"))
DOCUMENTS = sorted(REAL.documents)
CATALOGUES = ("actors.yaml", "events.yaml")
# The smallest document; its annotations stand alone once their relations to claims of other
# files are left out (conftest.standalone_annotation).
MINI_DOCUMENT = "sg-alarmed-2026-01-03"

# Values that pass the loader's checks, so that some mutations keep a file valid.
VALID = sorted(
    {*REAL.actors, *(a for actor in REAL.actors.values() for a in actor.aliases), *REAL.norms,
     *REAL.events, *REAL.claims, *STANCES, *ACTOR_TYPES, *NORM_TYPES, *REAL.schemes,
     *(e.id for scheme in REAL.schemes.values() for e in scheme.elements), "en", "es", "2026-01-03",
     "2026-01", "2026", "Q30", "https://www.un.org/en/"}
)
FIELD_NAMES = (
    "document", "claims", "id", "claimant", "voiced_by", "reported_by", "against", "concerns",
    "invokes", "stance", "attacks", "supports", "date", "quote", "quotes", "prefix", "suffix", "note",
    "exact", "title", "outlet", "author", "language", "genre", "truncated", "seed", "notes", "pieces",
    "starts_at", "actors", "events", "norms", "type", "name", "aliases", "wikidata", "organ_of",
    "acts_for", "role", "label", "start", "end", "perpetrators", "affected", "part_of",
    "description", "notation", "codified_in", "related", "adopted", "text", "definition",
    "proposition", "schemes", "affirms", "denies", "rebuts", "undercuts", "undermines", "source_type",
    "interprets", "established_by",
)
PATH_IDS = ("../../etc/x", "../../../../../../tmp/kg-fuzz-escape", "/abs", "/etc/passwd", "a/b", "..",
            ".", "", "C:\\x", "\\\\server\\share", "~", "~/x", "file:///etc/passwd", "%2e%2e/x", "NUL",
            "con", "x\x00y", "-", "a b", "A", "usa", "USA/../VEN")
ODD_CHARS = (
    "\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\t", "\r", "\n", " ", "\u00a0",
    "\u200b", "\u200d", "\u200e", "\u200f", "\u202e", "\u2066", "\u2028", "\u2029", "\ufeff",
    "\ufffe", "\uffff", "\u0301", "\u0338", "\u1680", "\u3000", "\u2026", "\u2019", "\u201c",
    "\U0001f600", "\U0010ffff", "\ud800", "\udfff", "e\u0301", "é", "ß", "İ", "ﬁ", "Ω", "'", '"',
    "\\", ":", "#", "&", "*", "!", "%", "@", "`", "|", ">", "{", "}", "[", "]", ",", "-", "?",
    "<", "<script>", "${x}", "{{x}}", "a", "z", "0", "9",
)
odd_text = st.lists(st.sampled_from(ODD_CHARS) | st.characters(), max_size=30).map("".join)
huge_text = st.builds(lambda piece, count: piece * count,
                      st.sampled_from(["x", "ab ", "é", "\u202e", "\U0001f600", "-"]),
                      st.integers(1_000, 120_000))


@st.composite
def fragments(draw) -> str:
    """A piece of a real document's text, so that quotes and openings are sometimes found."""
    text = REAL.documents[draw(st.sampled_from(DOCUMENTS))].text
    start = draw(st.integers(0, len(text) - 1))
    return text[start : start + draw(st.integers(0, 400))]


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.dates(), st.datetimes(),
    st.sampled_from(VALID), st.sampled_from(PATH_IDS), odd_text, huge_text, fragments(),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), odd_text, st.integers(), st.booleans(), st.none(),
                 st.dates())
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=10,
)


def _slots(tree: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) of ``tree``, so that a mutation can reach any value."""
    found = []
    stack = [tree]
    while stack:
        node = stack.pop()
        pairs = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in pairs:
            found.append((node, key))
            stack.append(value)
    return found


@st.composite
def mutated_tree(draw, tree: Any) -> Any:
    """``tree`` after one to three edits: drop, replace, add, wrap, duplicate, rename, stringify."""
    holder = [copy.deepcopy(tree)]
    for _ in range(draw(st.integers(1, 3))):
        container, key = draw(st.sampled_from(_slots(holder)))
        operation = draw(st.sampled_from(
            ["drop", "replace", "replace", "replace", "add", "wrap", "duplicate", "rename", "stringify"]))
        if operation == "drop" and container is not holder:
            del container[key]
        elif operation == "add" and isinstance(container, dict):
            container[draw(keys)] = draw(values)
        elif operation == "add" and isinstance(container, list):
            container.insert(key, draw(values))
        elif operation == "wrap":
            container[key] = draw(st.sampled_from([[container[key]], {"value": container[key]}]))
        elif operation == "duplicate" and isinstance(container, list):
            container.insert(key, copy.deepcopy(container[key]))
        elif operation == "rename" and isinstance(container, dict):
            container[draw(keys)] = container.pop(key)
        elif operation == "stringify":
            container[key] = str(container[key])[:200]
        else:
            container[key] = draw(values)
    return holder[0]


def dump(tree: Any, allow_unicode: bool) -> bytes:
    """YAML bytes of ``tree``; lone surrogates pass through as the invalid UTF-8 they would be.

    libyaml's emitter is fast but refuses lone surrogates; PyYAML's own writes them.
    """
    options = {"allow_unicode": allow_unicode, "sort_keys": False, "width": 100}
    try:
        text = yaml.dump(tree, Dumper=yaml.CSafeDumper, **options)
    except UnicodeEncodeError:
        text = yaml.dump(tree, Dumper=yaml.SafeDumper, **options)
    return text.encode("utf-8", "surrogatepass")


def _bomb(levels: int) -> str:
    lines = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        aliases = ", ".join([f"*lol{level - 1}"] * 9)
        lines.append(f"lol{level}: &lol{level} [{aliases}]")
    return "\n".join(lines) + "\n"


SNIPPETS = (
    _bomb(9), _bomb(12), "bomb: &b {a: &c [x, x], b: *c, c: [*c, *c, *c]}\nmore: [*b, *b, *b]\n",
    "deep: " + "[" * 5000 + "]" * 5000 + "\n", "deep: " + "[" * 100_000 + "\n",
    "deep: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n",
    "".join(" " * i + "- \n" for i in range(300)),
    "".join(" " * i + "k:\n" for i in range(300)) + " " * 300 + "v\n",
    "many: &x 1\nrefs: [" + ", ".join(["*x"] * 2000) + "]\n",
    "n: " + "9" * 5000 + "\n", "n: -" + "9" * 4400 + "\n", "n: 0x" + "f" * 5000 + "\n",
    "n: 0b" + "1" * 20_000 + "\n", "n: 1" + "_0" * 3000 + "\n", "n: 1e999999\n", "n: .nan\n",
    "x: !!python/object/apply:os.system ['touch kg-fuzz-pwned']\n",
    "x: !!python/name:os.system\n", "x: !!binary aGVsbG8=\n", "x: !!set {a, b}\n",
    "x: !!omap [a: 1, b: 2]\n", "x: !!pairs [a: 1]\n", "x: !!int nope\n", "x: !!bool maybe\n",
    "x: !!float x\n", "x: !!timestamp 2026-99-99\n", "x: !custom x\n", "x: !<tag:evil> y\n",
    "x: !!str [1]\n", "x: !!map [1]\n", "x: !!seq {a: 1}\n", "x: !!null x\n",
    "---\nx: 1\n---\ny: 2\n", "%YAML 1.1\n---\n", "%TAG ! tag:evil,2026:\n---\n", "...\n", "---\n",
    "<<: *missing\n", "base: &b {document: ../../etc/x}\n<<: *b\n", "r: &r [*r]\n",
    "? [a, b]\n: c\n", "? {a: 1}\n: c\n", "document: a\ndocument: b\n", "[1, 2]: x\n",
    "claims: &c [*c]\n", "'\\ud800': x\n", "x: \"\\ud800\"\n", "x: \"\\0\\e\\a\"\n",
    "x: \"\\U0010FFFF\\u2028\\x85\"\n", "x: \x00\n", "x: \x85\n", "\t- tab\n", "x:\t1\n", "\ufeff",
    "x: |\n  literal\n   more\n", "x: >-\n  folded\n", "x: 'unclosed\n", "x: \"unclosed\n",
    "x: [unclosed\n", "x: {unclosed\n", "- 1\n", "just a string\n", "null\n", "~\n", "[]\n", "{}\n",
    "@x\n", "`x\n", "x: " + "y" * 200_000 + "\n", "\n" * 5000, "# " + "c" * 100_000 + "\n",
)
INVALID_UTF8 = (b"\xff", b"\xfe\xff", b"\xc3", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
                b"\xc0\xaf", b"\xe2\x82", b"\x80")


@st.composite
def mangled(draw, data: bytes) -> bytes:
    """``data`` after zero to two byte-level edits."""
    for _ in range(draw(st.integers(0, 2))):
        operation = draw(st.sampled_from(["snippet", "snippet", "snippet", "junk", "invalid-utf8",
                                          "truncate", "bom", "utf16", "crlf", "cr", "tabs"]))
        lines = [0] + [i + 1 for i, byte in enumerate(data) if byte == 0x0A]
        at = draw(st.sampled_from(lines[:1] * 4 + lines))  # the start of the file often
        if operation == "snippet":
            data = data[:at] + draw(st.sampled_from(SNIPPETS)).encode("utf-8", "surrogatepass") + data[at:]
        elif operation == "junk":
            data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
        elif operation == "invalid-utf8":
            data = data[:at] + draw(st.sampled_from(INVALID_UTF8)) + data[at:]
        elif operation == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
        elif operation == "bom":
            data = b"\xef\xbb\xbf" + data
        elif operation == "utf16":
            data = data.decode("utf-8", "replace").encode("utf-16")
        elif operation == "crlf":
            data = data.replace(b"\n", b"\r\n")
        elif operation == "cr":
            data = data.replace(b"\n", b"\r")
        else:
            data = data.replace(b"\n  ", b"\n\t")
    return data


@functools.cache
def _parsed(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)  # a SafeLoader


def yaml_tree(path: Path) -> Any:
    """The plain YAML tree of a real file, parsed once: shared, so never edit it in place
    (:func:`mutated_tree` edits a copy)."""
    return _parsed(path)


@functools.cache
def standalone_tree(document: str) -> Any:
    """The YAML tree of ``document``'s annotations as a one-document sandbox holds them."""
    return yaml.load(standalone_annotation(document), Loader=yaml.CSafeLoader)  # a SafeLoader


@st.composite
def mutated_yaml(draw, tree: Any) -> bytes:
    """A YAML tree (most often edited), dumped, and its bytes mangled."""
    if draw(st.integers(0, 5)):
        tree = draw(mutated_tree(tree))
    return draw(mangled(dump(tree, draw(st.booleans()))))


def mutated_file(path: Path) -> st.SearchStrategy[bytes]:
    """A real YAML file, edited and mangled (see :func:`mutated_yaml`)."""
    return mutated_yaml(yaml_tree(path))


# --- running ----------------------------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Sandbox:
    """A writable copy of a corpus three folders below ``top``, with snapshots of all of ``top``."""

    def __init__(self, top: Path, source: Path = CORPUS, documents: tuple[str, ...] | None = None):
        self.top = top
        self.root = top / "inner" / "deeper" / "corpus"
        if documents is None:
            shutil.copytree(source, self.root)
        else:
            for folder in ("documents", "annotations"):
                (self.root / folder).mkdir(parents=True)
            shutil.copytree(source / "catalogues", self.root / "catalogues")
            for doc_id in documents:
                for suffix in (".txt", ".yaml"):
                    shutil.copy(source / "documents" / f"{doc_id}{suffix}", self.root / "documents")
                (self.root / "annotations" / f"{doc_id}.yaml").write_text(standalone_annotation(doc_id),
                                                                          encoding="utf-8")
        for path in self.root.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)  # documents are stored read-only

    def snapshot(self) -> dict[str, tuple]:
        """Every file and folder under ``top``: (sha256, size, mtime_ns) or ``dir``."""
        state: dict[str, tuple] = {}
        for folder, dirs, files in os.walk(self.top):
            for name in dirs:
                state[os.path.join(folder, name)] = ("dir",)
            for name in files:
                path = Path(folder, name)
                info = path.lstat()
                state[str(path)] = (_digest(path), info.st_size, info.st_mtime_ns)
        return state

    @contextmanager
    def replaced(self, relative: str, data: bytes) -> Iterator[Path]:
        """``relative`` holds ``data`` inside the block; afterwards it is as it was (or gone)."""
        path = self.root / relative
        original = path.read_bytes() if path.exists() else None
        path.write_bytes(data)
        try:
            yield path
        finally:
            if original is None:
                path.unlink()
            else:
                path.write_bytes(original)


def readable_yaml(path: Path) -> bool:
    """Whether ``path`` parses as YAML, so that a problem in it can name a line."""
    try:
        data = path.read_bytes()
        return len(data) <= MAX_YAML_BYTES and not load_located(data.decode("utf-8"), str(path))[1]
    except (OSError, UnicodeDecodeError):
        return False


LINELESS = ("missing document file", "no metadata", "must be lower-case kebab case", "missing catalogue")
MAX_MESSAGE = 600  # characters: an echoed value is cut, never pasted whole into the message


def check_problems(error: CorpusError, root: Path) -> list[Problem]:
    """Every problem names a file of the corpus, a line when that file is readable YAML, and says
    what is wrong in one line of readable length, with control and invisible characters escaped."""
    assert error.problems, "a CorpusError without problems"
    readable: dict[str, bool] = {}
    for problem in error.problems:
        path = Path(problem.file)
        assert path.is_relative_to(root), problem
        assert problem.message.strip(), problem
        assert len(problem.message) <= MAX_MESSAGE, f"{len(problem.message)} characters: {problem}"[:2000]
        hidden = [ch for ch in problem.message if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs")]
        assert not hidden, f"unescaped {hidden[:3]} in: {problem}"[:2000]
        if path.suffix == ".yaml" and not problem.message.startswith(LINELESS):
            if problem.file not in readable:
                readable[problem.file] = readable_yaml(path)
            if readable[problem.file]:
                assert problem.line is not None and problem.line >= 1, problem
    return error.problems
