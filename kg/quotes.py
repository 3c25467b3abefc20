"""Find an annotator's quote in a document and return the exact original span.

Annotators type straight quotes, plain spaces and hyphens; published texts carry curly quotes,
no-break spaces and en/em dashes, and wrap lines anywhere. We therefore compare both sides after a
*normalisation* that folds those differences, while keeping, for every normalised character, the
span of original characters it came from. The W3C selectors we record (``oa:exact`` and the
``oa:start``/``oa:end`` code-point offsets) always describe the document exactly as stored, never
the normalised form.

Both sides are also put in Unicode's canonical composition (NFC): a text saved decomposed (NFD, as
some Mac and PDF tools write it: "a" followed by a combining acute accent) reads exactly like the
composed "á" an annotator types, and must match it. Composition changes lengths, so it is applied
to the short clusters (a character and the combining marks after it) that need it, each mapped
back to its original span like a collapsed run of white space.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from array import array
from bisect import bisect_right
from dataclasses import dataclass

from rapidfuzz import fuzz

# Characters folded to one ASCII form. Sources: Unicode general categories Pd (dashes), Pi/Pf
# (initial/final quotes) and Zs (space separators) as they occur in news and NGO texts.
_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    **dict.fromkeys("\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
                    "\t\n\r\v\f", " "),
    "\u2026": "...",
}
# Invisible characters dropped altogether (zero-width space/joiners, soft hyphen, BOM).
_DROP = frozenset("\u200b\u200c\u200d\u00ad\ufeff")

_SPACES = "".join(ch for ch, to in _FOLD.items() if to == " ") + " "
# Folds that keep offsets (one character for one): applied to the whole text before it is cut.
_ONE_TO_ONE = tuple((ch, to) for ch, to in _FOLD.items() if len(to) == 1 and to != " ")
_S, _D = re.escape(_SPACES), re.escape("".join(sorted(_DROP)))
# A plain space is ordinary unless another space or an invisible character follows it (then it
# starts a white-space run to collapse). A white-space run ends on a space, so invisible
# characters after it are dropped on their own, as they would be one by one.
_SEGMENTS = re.compile(
    rf"(?P<plain>(?:[^{_S}{_D}\u2026]+| (?![{_S}{_D}]))+)"
    rf"|(?P<space>[{_S}](?:[{_S}{_D}]*[{_S}])?)"
    rf"|(?P<drop>[{_D}]+)"
    rf"|(?P<ellipsis>\u2026)"
)

# How many characters of context the TextQuoteSelector keeps on each side. Long enough to tell
# apart the repeated pull-quotes of an NGO press release, short enough to stay readable.
CONTEXT_CHARS = 32


@dataclass(frozen=True)
class Span:
    """A passage of the stored text: ``text[start:end]`` == ``exact`` (0-based code points)."""

    start: int
    end: int
    exact: str
    prefix: str  # up to CONTEXT_CHARS characters before ``start``
    suffix: str  # up to CONTEXT_CHARS characters after ``end``


class _Offsets:
    """Original offsets of normalised characters, computed from the runs they came from.

    Storing one offset per character would cost tens of bytes a character in Python; a corpus
    of thousands of documents is loaded with one such map alive at a time, but each stays cheap.
    """

    def __init__(self, runs: _Runs, end: bool):
        self.runs = runs
        self.end = end

    def __len__(self) -> int:
        return self.runs.length

    def __getitem__(self, index: int) -> int:
        runs = self.runs
        if index < 0:
            index += runs.length
        if not 0 <= index < runs.length:
            raise IndexError(index)
        run = bisect_right(runs.at, index) - 1
        if runs.linear[run]:
            return runs.source[run] + (index - runs.at[run]) + self.end
        return runs.last[run] if self.end else runs.source[run]


class _Runs:
    """Runs of the normalised text: where each begins, where it came from, and how it maps."""

    def __init__(self) -> None:
        self.at = array("l")  # index in the normalised text where the run begins
        self.source = array("l")  # original offset of its first character
        self.last = array("l")  # original end offset (for a collapsed space or an ellipsis)
        self.linear = array("b")  # 1: one original character per normalised one
        self.length = 0

    def add(self, size: int, source: int, last: int, linear: bool) -> None:
        self.at.append(self.length)
        self.source.append(source)
        self.last.append(last)
        self.linear.append(linear)
        self.length += size


@dataclass(frozen=True)
class Normalised:
    """A normalised string with, for each of its characters, the original span it came from."""

    text: str
    runs: _Runs

    @property
    def starts(self) -> _Offsets:
        return _Offsets(self.runs, end=False)

    @property
    def ends(self) -> _Offsets:
        return _Offsets(self.runs, end=True)


def normalise(text: str) -> Normalised:
    """Fold quotes, dashes and spaces and collapse white space, remembering original offsets.

    The text is cut by a regular expression into runs of ordinary characters (translated in one
    call), runs of white space (one space covering the run), invisible characters (dropped) and
    ellipses, so that long documents cost a few Python steps per line rather than per character;
    the result is the same as folding character by character.
    """
    out: list[str] = []
    runs = _Runs()
    folded = text
    for char, to in _ONE_TO_ONE:  # str.replace scans at C speed; translate is slow on non-ASCII
        if char in folded:
            folded = folded.replace(char, to)
    composed = folded.isascii() or unicodedata.is_normalized("NFC", folded)  # one check, in C, for most texts
    for match in _SEGMENTS.finditer(folded):
        i, j = match.span()
        kind = match.lastgroup
        if kind == "plain":
            piece = match.group()
            if composed or piece.isascii() or unicodedata.is_normalized("NFC", piece):
                out.append(piece)
                runs.add(j - i, i, j, True)
            else:
                _compose(piece, i, out, runs)
        elif kind == "space":
            out.append(" ")
            runs.add(1, i, j, False)
        elif kind == "ellipsis":
            out.append("...")
            runs.add(3, i, j, False)
    return Normalised("".join(out), runs)


def _compose(piece: str, offset: int, out: list[str], runs: _Runs) -> None:
    """Add ``piece`` (ordinary characters from ``offset`` on) in NFC to ``out`` and ``runs``.

    Between clusters the text is left as it is and maps one for one; each cluster is replaced by
    its composition, whose characters all map to the cluster's whole original span.
    """
    at = 0
    for cluster in _clusters().finditer(piece):
        start, end = cluster.span()
        if start > at:
            out.append(piece[at:start])
            runs.add(start - at, offset + at, offset + start, True)
        composed = unicodedata.normalize("NFC", cluster.group())
        out.append(composed)
        runs.add(len(composed), offset + start, offset + end, composed == cluster.group())
        at = end
    if at < len(piece):
        out.append(piece[at:])
        runs.add(len(piece) - at, offset + at, offset + len(piece), True)


@functools.cache
def _clusters() -> re.Pattern[str]:
    """Clusters that NFC may change: one or more characters that may combine with what precedes
    them or change on their own, with the character before them.

    Those are the characters with a combining class, those that are not in NFC by themselves
    (Angstrom sign, ...), those that end a canonical pair (they may compose with the character
    before: U+0B3E, ...), and Hangul vowel and final jamo. Any other character is a safe place to
    cut: NFC of the pieces between is NFC of the whole. Built on first use (a quarter of a second
    over every code point), which only a text that is not already NFC needs.
    """
    combining = {0x1161 + i for i in range(21)} | {0x11A8 + i for i in range(27)}
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.combining(char):
            combining.add(code)
            continue
        decomposition = unicodedata.decomposition(char)
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if unicodedata.normalize("NFC", char) != char:
                combining.add(code)
            if len(parts) == 2:
                combining.add(int(parts[1], 16))
    ranges = []  # consecutive code points as one range of the character class
    for _, block in itertools.groupby(enumerate(sorted(combining)), key=lambda pair: pair[1] - pair[0]):
        codes = [code for _, code in block]
        ranges.append(f"{re.escape(chr(codes[0]))}-{re.escape(chr(codes[-1]))}")
    members = "".join(ranges)
    return re.compile(f"[^{members}]?[{members}]+", re.DOTALL)


def fold(text: str) -> str:
    """The normalised form of a short string (a quote, a prefix), trimmed of outer white space."""
    return normalise(text).text.strip()


def find_quote(
    text: str,
    quote: str,
    prefix: str | None = None,
    suffix: str | None = None,
    *,
    normalised: Normalised | None = None,
) -> list[Span]:
    """Every place where ``quote`` occurs in ``text``, narrowed by optional prefix/suffix hints.

    Returns an empty list when the quote is absent and several spans when it is ambiguous; the
    caller decides how to report either. ``normalised`` lets a caller that matches many quotes in
    one document normalise the document once.
    """
    norm = normalised or normalise(text)
    needle = fold(quote)
    if not needle:
        return []
    want_prefix = fold(prefix) if prefix else ""
    want_suffix = fold(suffix) if suffix else ""
    spans = []
    at = norm.text.find(needle)
    while at != -1:
        last = at + len(needle) - 1
        if _ends_with(norm.text, at, want_prefix) and _starts_with(norm.text, last + 1, want_suffix):
            spans.append(_span(text, norm.starts[at], norm.ends[last]))
        at = norm.text.find(needle, at + 1)
    return spans


# The hints are compared in place, skipping white space, rather than by slicing the text before
# and after each occurrence: a short quote that occurs everywhere in a long document would copy the
# whole document once per occurrence.
def _ends_with(text: str, end: int, hint: str) -> bool:
    """``text[:end].rstrip().endswith(hint)``, without copying ``text[:end]``."""
    if not hint:
        return True
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return text.endswith(hint, 0, end)


def _starts_with(text: str, start: int, hint: str) -> bool:
    """``text[start:].lstrip().startswith(hint)``, without copying ``text[start:]``."""
    if not hint:
        return True
    while start < len(text) and text[start].isspace():
        start += 1
    return text.startswith(hint, start)


def _span(text: str, start: int, end: int) -> Span:
    return Span(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


@dataclass(frozen=True)
class Nearest:
    """The passage most like a quote that was not found, to show the annotator what to fix."""

    start: int
    end: int
    passage: str
    score: float  # 0-100, rapidfuzz partial-ratio similarity


# Above this many characters a quote is not aligned with the whole document at once: rapidfuzz's
# partial ratio costs time in proportion to both lengths for a long needle (a 5,000-character quote
# against a 10 MB record: minutes), but stays fast for needles up to 64 characters (bit-parallel).
PROBE_CHARS = 64
PROBES = 3


def nearest_passage(text: str, quote: str, *, normalised: Normalised | None = None) -> Nearest | None:
    """The stored passage that best matches ``quote`` (after normalisation), or None.

    A short quote is aligned with the whole text. A long one is located through a few probes of
    ``PROBE_CHARS`` characters (its start, middle and end), each aligned with the whole text; the
    quote is then compared with the passage of its own length where each probe puts it, and the
    best of those is the answer. The cost grows with the text, not with the text times the quote.
    """
    norm = normalised or normalise(text)
    needle = fold(quote)
    if not needle or not norm.text:
        return None
    if len(needle) <= PROBE_CHARS:
        found = fuzz.partial_ratio_alignment(needle, norm.text)
        if found is None or found.dest_end <= found.dest_start:
            return None
        begin, finish, score = found.dest_start, found.dest_end, found.score
    else:
        begin, finish, score = _probed(needle, norm.text)
    start = norm.starts[begin]
    end = norm.ends[finish - 1]
    return Nearest(start, end, text[start:end], score)


def _probed(needle: str, haystack: str) -> tuple[int, int, float]:
    """(start, end, score) in ``haystack`` of the passage most like the long ``needle``."""
    size = len(needle)
    best = (0, min(size, len(haystack)), -1.0)
    for index in range(PROBES):
        offset = (size - PROBE_CHARS) * index // (PROBES - 1)
        found = fuzz.partial_ratio_alignment(needle[offset : offset + PROBE_CHARS], haystack)
        if found is None:
            continue
        begin = min(max(0, found.dest_start - offset), max(0, len(haystack) - size))
        finish = min(len(haystack), begin + size)
        score = fuzz.ratio(needle, haystack[begin:finish])
        if score > best[2]:
            best = (begin, finish, score)
    return best


def line_of(text: str, offset: int) -> int:
    """1-based line number of a code-point offset, for messages that point into a document."""
    return text.count("\n", 0, offset) + 1
