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

import difflib
import functools
import itertools
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Callable
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


@dataclass(frozen=True, slots=True)
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
            spans.append(span_at(text, norm.starts[at], norm.ends[last]))
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


def span_at(text: str, start: int, end: int) -> Span:
    """The span of ``text[start:end]``: its words and the context around them follow from the text."""
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
    # where the typed quote and the passage first differ (both normalised), with some context:
    # (typed, text, in how many places they differ, None if not counted); None when they differ
    # only in what normalisation folds
    difference: tuple[str, str, int | None] | None = None


# Characters of context shown on each side of the first difference between a quote and the text.
DIFFERENCE_CONTEXT = 20
# An alignment is anchored on runs of at least this many equal characters: a single equal
# character in the text around a passage is chance, not the start of what was meant.
_ANCHOR = 3
# How many characters at each end of a quote are aligned with the text to place the passage.
_EDGE = 48
# Quotes up to this long are compared whole, to count the places where they differ from the text.
_COUNTED_CHARS = 1000


# Above this many characters a quote is not aligned with the whole document at once: rapidfuzz's
# partial ratio costs time in proportion to both lengths for a long needle (a 5,000-character quote
# against a 10 MB record: minutes), but stays fast for needles up to 64 characters (bit-parallel).
PROBE_CHARS = 64
PROBES = 3


def nearest_passage(text: str, quote: str, *, normalised: Normalised | None = None) -> Nearest | None:
    """The stored passage that best matches ``quote`` (after normalisation), or None.

    rapidfuzz finds the window of the text most like the quote, but a window is as long as the
    quote: when the quote lacks or adds a word, the window starts a word late or runs into the
    paragraph before (whose line the message would then name). The window is therefore widened
    and the quote aligned with it (difflib's longest common stretches, case folded), and the
    passage runs from the first to the last stretch the two share, never across a line break that
    only unmatched characters of the quote would reach.

    A long quote is first located through a few probes of ``PROBE_CHARS`` characters (its start,
    middle and end), each aligned with the whole text, and compared with the passage of its own
    length where each probe puts it: the cost grows with the text, not with the text times the
    quote.
    """
    norm = normalised or normalise(text)
    needle = fold(quote)
    if not needle or not norm.text:
        return None
    haystack, wanted = _lower(norm.text), _lower(needle)
    if len(wanted) <= PROBE_CHARS:
        found = fuzz.partial_ratio_alignment(wanted, haystack)
        if found is None or found.dest_end <= found.dest_start:
            return None
        lo, hi, score = found.dest_start, found.dest_end, found.score
    else:
        lo, hi, score = _probed(wanted, haystack)
    begin, end = _aligned(wanted, haystack, lo, hi, _breaks(text, norm))
    start = norm.starts[begin]
    stop = norm.ends[end - 1]
    return Nearest(start, stop, text[start:stop], score, difference(needle, norm.text[begin:end]))


def _lower(text: str) -> str:
    """``text`` in lower case if that keeps every offset (it does unless a character such as 'İ'
    lowers to two); otherwise as it is."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text


def _breaks(text: str, norm: Normalised) -> Callable[[int], bool]:
    """Whether the normalised character at an index stands for white space with a line break."""

    def line_break(index: int) -> bool:
        return norm.text[index] == " " and "\n" in text[norm.starts[index] : norm.ends[index]]

    return line_break


def _aligned(wanted: str, haystack: str, lo: int, hi: int,
             line_break: Callable[[int], bool]) -> tuple[int, int]:
    """The span of ``haystack`` that ``wanted`` is aligned with, starting from the window [lo, hi).

    Only the quote's first and last ``_EDGE`` characters are aligned, each with the text around
    its end of the window: aligning a long quote whole costs time in proportion to the square of
    its length (seconds for a quote of pages that matches nothing), and only the ends move.
    """
    head, tail = wanted[:_EDGE], wanted[-_EDGE:]
    pad = 16 + min(len(wanted) // 4, 4 * _EDGE)  # as far as a missing or extra word moves an end
    anchor = min(_ANCHOR, len(head))

    def shared(part: str, left: int, right: int) -> list:
        # No autojunk: in a text of 200 characters or more it would ignore every frequent letter.
        matcher = difflib.SequenceMatcher(None, part, haystack[left:right], autojunk=False)
        return [block for block in matcher.get_matching_blocks() if block.size >= anchor]

    left = max(0, lo - pad)
    starts = shared(head, left, min(len(haystack), lo + len(head) + pad))
    right = min(len(haystack), hi + pad)
    tail_left = max(0, hi - len(tail) - pad)
    ends = shared(tail, tail_left, right)
    if not starts or not ends:
        return lo, hi
    first, last = starts[0], ends[-1]
    matched_begin, matched_end = left + first.b, tail_left + last.b + last.size
    if matched_begin >= matched_end:
        return lo, hi
    # Characters of the quote before the first shared stretch (a typo in its first letter, a word
    # the text lacks) stand for as many characters of the text, but not across a line break.
    begin = max(left, matched_begin - first.a)
    for index in range(matched_begin, begin - 1, -1):
        if line_break(index):
            begin = index + 1
            break
    end = min(right, matched_end + len(tail) - (last.a + last.size))
    for index in range(matched_end - 1, end):
        if line_break(index):
            end = index
            break
    while begin < end and haystack[begin] == " ":
        begin += 1
    while end > begin and haystack[end - 1] == " ":
        end -= 1
    return (begin, end) if begin < end else (lo, hi)


def difference(typed: str, passage: str) -> tuple[str, str, int | None] | None:
    """Where ``typed`` and ``passage`` first differ: an excerpt of each around that place (with
    ``…`` where cut) and in how many places they differ (None for quotes longer than
    ``_COUNTED_CHARS``); None when they are equal.

    Changes separated by fewer than ``_ANCHOR`` equal characters are one place ("every" for
    "any" is one changed word, not three edits).
    """
    if typed == passage:
        return None
    shorter = min(len(typed), len(passage))
    pairs = zip(typed[:shorter], passage[:shorter], strict=True)
    same = next((i for i, (a, b) in enumerate(pairs) if a != b), shorter)
    # The first place is found in a stretch after the common beginning; the count, which needs the
    # whole of both, only for quotes of ordinary length (see _aligned on the cost).
    counted = max(len(typed), len(passage)) <= _COUNTED_CHARS
    offset = 0 if counted else same
    places = _places(typed[offset:] if counted else typed[same : same + 2 * _EDGE],
                     passage[offset:] if counted else passage[same : same + 2 * _EDGE])
    typed_start, typed_end, passage_start, passage_end = (value + offset for value in places[0])

    def excerpt(text: str, start: int, end: int) -> str:
        lo, hi = max(0, start - DIFFERENCE_CONTEXT), min(len(text), end + DIFFERENCE_CONTEXT)
        return ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")

    return (excerpt(typed, typed_start, typed_end), excerpt(passage, passage_start, passage_end),
            len(places) if counted else None)


def _places(typed: str, passage: str) -> list[tuple[int, int, int, int]]:
    """(typed start, typed end, passage start, passage end) of each place where the two differ."""
    places: list[list[int]] = []
    matcher = difflib.SequenceMatcher(None, typed, passage, autojunk=False)
    for tag, typed_start, typed_end, passage_start, passage_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        if places and typed_start - places[-1][1] < _ANCHOR and passage_start - places[-1][3] < _ANCHOR:
            places[-1][1], places[-1][3] = typed_end, passage_end
        else:
            places.append([typed_start, typed_end, passage_start, passage_end])
    return [tuple(place) for place in places]


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
