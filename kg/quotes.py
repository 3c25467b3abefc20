"""Find an annotator's quote in a document and return the exact original span.

Annotators type straight quotes, plain spaces and hyphens; published texts carry curly quotes,
no-break spaces and en/em dashes, and wrap lines anywhere. We therefore compare both sides after a
*normalisation* that folds those differences, while keeping, for every normalised character, the
span of original characters it came from. The W3C selectors we record (``oa:exact`` and the
``oa:start``/``oa:end`` code-point offsets) always describe the document exactly as stored, never
the normalised form.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Normalised:
    """A normalised string with, for each of its characters, the original span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def normalise(text: str) -> Normalised:
    """Fold quotes, dashes and spaces and collapse white space, remembering original offsets."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if ch in _DROP:
            continue
        folded = _FOLD.get(ch, ch)
        for piece in folded:
            if piece == " " and out and out[-1] == " ":
                ends[-1] = i + 1  # the collapsed run extends the one space we kept
                continue
            out.append(piece)
            starts.append(i)
            ends.append(i + 1)
    return Normalised("".join(out), tuple(starts), tuple(ends))


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
        before = norm.text[:at].rstrip()
        after = norm.text[last + 1 :].lstrip()
        if before.endswith(want_prefix) and after.startswith(want_suffix):
            spans.append(_span(text, norm.starts[at], norm.ends[last]))
        at = norm.text.find(needle, at + 1)
    return spans


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


def nearest_passage(text: str, quote: str, *, normalised: Normalised | None = None) -> Nearest | None:
    """The stored passage that best matches ``quote`` (after normalisation), or None."""
    norm = normalised or normalise(text)
    needle = fold(quote)
    if not needle or not norm.text:
        return None
    found = fuzz.partial_ratio_alignment(needle, norm.text)
    if found is None or found.dest_end <= found.dest_start:
        return None
    start = norm.starts[found.dest_start]
    end = norm.ends[found.dest_end - 1]
    return Nearest(start, end, text[start:end], found.score)


def line_of(text: str, offset: int) -> int:
    """1-based line number of a code-point offset, for messages that point into a document."""
    return text.count("\n", 0, offset) + 1
