"""YAML that remembers where each value was written.

Annotators need errors that point at a line. PyYAML's composer knows the line of every node but its
constructors drop it, so we construct mappings and sequences into small ``dict``/``list``
subclasses that keep the line of each key and item. The loader also closes two YAML traps that
bite annotators of legal texts: duplicate keys (PyYAML silently keeps the last) and YAML 1.1
booleans (``NO``, ``on``, ``yes`` — an ISO code or a word becoming ``True``/``False``). Only
``true`` and ``false`` are booleans here. A duplicate key is reported and the first value kept, so
that the rest of the file is still checked: one pasted line must not hide every other mistake.

It also refuses, with a line, what would otherwise end in a crash or a hang rather than a message
(limits in :mod:`kg.limits`): collections nested thousands deep (libyaml's composer recurses in C
and takes the interpreter down), alias bombs (a few hundred bytes of aliases to aliases standing
for a billion values), and scalars PyYAML cannot turn into values (``!!int x``, an integer too
long for Python to print).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import Problem
from ..limits import MAX_YAML_ALIASES, MAX_YAML_DEPTH, MAX_YAML_VALUES, shown


class LocatedDict(dict):
    """A mapping with ``line`` (where it starts) and ``lines[key]`` (where each value is).

    ``null_comments[key]`` is the comment written after a ``null`` value on its line
    (``claimant: null  # left to decide: ...``): a draft says there why a value is still open,
    and the loader repeats it (kg.corpus.loader, "left to decide").
    """

    line: int = 0
    lines: dict[Any, int]
    null_comments: dict[Any, str]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lines = {}  # an empty one stands in for a value that was no mapping (kg.corpus.fields)
        self.null_comments = {}

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class LocatedList(list):
    """A sequence with ``line`` and ``lines[i]`` for each item."""

    line: int = 0
    lines: list[int]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lines = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


class YamlSyntaxError(Exception):
    """Raised inside the loader; carries a line for the Problem the caller reports."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


class _Loader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):
    """SafeLoader (libyaml's parser where available: 10x faster on large corpora) with located
    containers, strict keys and YAML 1.2-style booleans."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.duplicates: list[YamlSyntaxError] = []  # duplicate keys met, reported after loading
        self.source = stream
        self.source_lines: list[str] | None = None  # split on the first null value met

    def comment_after(self, node: yaml.Node) -> str | None:
        """The comment that follows ``node`` on its last line (without the ``#``), if any."""
        if self.source_lines is None:
            self.source_lines = self.source.split("\n")
        mark = node.end_mark
        if mark.line >= len(self.source_lines):
            return None
        rest = self.source_lines[mark.line][mark.column:].strip()
        return rest[1:].strip() if rest.startswith("#") else None

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """PyYAML's constructors raise ValueError, KeyError, ... on scalars they cannot read
        (``!!int x``, ``!!bool maybe``); say so with the line instead of a traceback."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, KeyError, TypeError, OverflowError) as exc:
            tag = node.tag.rsplit(":", 1)[-1]
            raise YamlSyntaxError(node.start_mark.line + 1,
                                  f"cannot read this value as {shown(tag)}: {shown(str(exc), 200)}") from None


# Drop YAML 1.1's yes/no/on/off booleans; keep true/false.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _tagged_as(node: yaml.Node, kind: type, what: str) -> None:
    """An explicit ``!!map``/``!!seq`` tag on the wrong kind of node reaches our constructors."""
    if not isinstance(node, kind):
        tag = shown(node.tag.rsplit(":", 1)[-1])
        raise YamlSyntaxError(node.start_mark.line + 1, f"a value tagged {tag} must be a {what}")


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LocatedDict:
    _tagged_as(node, yaml.MappingNode, "mapping")
    loader.flatten_mapping(node)
    result = LocatedDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise YamlSyntaxError(line, "a key must be a plain value, not a list or mapping")
        if key in result:
            loader.duplicates.append(YamlSyntaxError(
                line, f"duplicate key '{shown(key)}' (first written on line {result.lines[key]}); "
                "the first value was checked, remove one of them"))
            continue
        result[key] = value = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
        if value is None and isinstance(value_node, yaml.ScalarNode):
            comment = loader.comment_after(value_node)
            if comment:
                result.null_comments[key] = comment
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    _tagged_as(node, yaml.SequenceNode, "list")
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


# Python refuses to print integers of more than 4,300 digits (sys.get_int_max_str_digits), so a
# longer one could not appear in a message or a literal; it stays the text that was written.
_INT_DIGITS = 4000
_INT_BITS = _INT_DIGITS * 10 // 3  # 10 bits hold 3 decimal digits


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> object:
    text = loader.construct_scalar(node)
    if len(text) > _INT_DIGITS:  # not even converted: int() itself refuses over 4,300 digits
        return text
    value = yaml.SafeLoader.construct_yaml_int(loader, node)
    return text if value.bit_length() > _INT_BITS else value


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> object:
    """A date-like scalar that is no calendar date (2026-13-03, or anything tagged ``!!timestamp``)
    stays text for a clear message."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, AttributeError):  # AttributeError: PyYAML's pattern did not match at all
        return loader.construct_scalar(node)


def _construct_refused(loader: _Loader, node: yaml.Node) -> object:
    """YAML's ``!!binary``, ``!!set``, ``!!omap`` and ``!!pairs`` make bytes, sets and lists of
    pairs, which no field of a corpus holds: ``genre: !!binary aGVsbG8=`` would be stored as the
    text "b'hello'". Refused, with the line, rather than turned into text nobody wrote."""
    tag = node.tag.rsplit(":", 1)[-1]
    raise YamlSyntaxError(node.start_mark.line + 1, f"values tagged !!{shown(tag)} are not used in a corpus; "
                          "remove the tag and write the value as text, a list or a mapping")


for _refused in ("binary", "set", "omap", "pairs"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_refused}", _construct_refused)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _event_loader(text: str) -> type:
    """The parser that walks ``text`` for :func:`_check_shape`: libyaml's (fast), unless a line
    opens more than MAX_YAML_DEPTH flow collections.

    libyaml's scanner reads ahead along a line (up to 1,024 characters) before its parser hands
    out the events of that line, and the libyaml of recent PyYAML wheels (6.0.4) stops at a fixed
    depth of 1,000 with words of its own ("while increasing flow level exceeded maximum nesting
    depth"). A line of a thousand brackets would meet that cap before our walk counted 65 levels,
    and the annotator would read libyaml's words, which change from one PyYAML release to the next.
    PyYAML's pure-Python parser keeps a stack too, has no such cap and hands out such a line's
    events one by one, so our limit speaks first. It is ten times slower, and no real file has a
    line with more than a handful of brackets, so only such lines pay for it. Block collections
    (``- - - x``) nest without brackets, but libyaml hands out their events as it reads them.
    """
    if text.count("[") + text.count("{") > MAX_YAML_DEPTH:
        for line in text.splitlines():
            if line.count("[") + line.count("{") > MAX_YAML_DEPTH:
                return yaml.SafeLoader
    return _Loader


def _check_shape(text: str) -> None:
    """Walk the parser's events (the parsers keep a stack, they do not recurse) and refuse deep
    nesting, many aliases and alias bombs before the recursive composer sees them."""
    depth = aliases = values = 0
    sizes: dict[str, int] = {}  # anchor -> values it stands for, itself included
    opened: list[tuple[str | None, int]] = []  # (anchor, values before it) of open collections
    for event in yaml.parse(text, Loader=_event_loader(text)):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_YAML_ALIASES:
                raise YamlSyntaxError(line, f"more than {MAX_YAML_ALIASES} aliases (*name) in one file; "
                                      "write the values out")
            values += sizes.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            values += 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise YamlSyntaxError(line, f"lists and mappings nested more than {MAX_YAML_DEPTH} deep; "
                                      "is a bracket left open?")
            opened.append((event.anchor, values))
            values += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            anchor, before = opened.pop()
            if anchor is not None:
                sizes[anchor] = values - before
        if values > MAX_YAML_VALUES:
            raise YamlSyntaxError(line, f"more than {MAX_YAML_VALUES:,} values once aliases are "
                                  "expanded (aliases of aliases?); write the values out")


def load(text: str, filename: str) -> tuple[Any, list[Problem]]:
    """Parse ``text``; return the data (None when the file cannot be read) and the problems found.

    Data and problems may come together: a duplicate key is a problem in a file that was read.
    """
    try:
        _check_shape(text)
        loader = _Loader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
        return data, [Problem(filename, dup.line, str(dup)) for dup in loader.duplicates]
    except YamlSyntaxError as exc:
        return None, [Problem(filename, exc.line, str(exc))]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        return None, [Problem(filename, line, f"malformed YAML: {shown(what, 300)}")]
    except UnicodeEncodeError as exc:  # a lone surrogate in a str that did not come from a file
        line = text.count("\n", 0, exc.start) + 1
        return None, [Problem(filename, line, f"character U+{ord(text[exc.start]):04X} (half of a "
                              "surrogate pair) is not text; remove it")]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, C1 controls)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character or "\0")
        # libyaml counts the position in UTF-8 bytes, PyYAML's own reader in characters
        before = text.encode("utf-8")[: exc.position] if yaml.__with_libyaml__ else text[: exc.position]
        line = before.count(b"\n" if yaml.__with_libyaml__ else "\n") + 1
        return None, [Problem(filename, line, f"malformed YAML: character U+{code:04X} is not allowed "
                              "in YAML (control characters, U+FFFE and U+FFFF are not); remove it")]
    except yaml.YAMLError as exc:
        return None, [Problem(filename, None, f"malformed YAML: {shown(str(exc), 300)}")]


# Below this many files, starting worker processes (~0.5 s) costs more than it saves.
PARALLEL_FILES = 64


def load_many(items: list[tuple[str, str]], jobs: int = 1) -> list[tuple[Any, list[Problem]]]:
    """``load`` for many (text, filename) pairs, in ``jobs`` worker processes when there are many.

    Parsing is most of the time of loading a large corpus and each file is independent; the
    located values travel back pickled, which costs a small fraction of parsing them.
    """
    if jobs < 2 or len(items) < PARALLEL_FILES:
        return [load(text, filename) for text, filename in items]
    from ..workers import worker_pool

    with worker_pool(jobs) as pool:
        return list(pool.map(_load_pair, items, chunksize=16))


def _load_pair(item: tuple[str, str]) -> tuple[Any, list[Problem]]:
    return load(*item)
