"""A stored document read as an annotator reads it: paragraphs, sentences, quoted speech.

Everything downstream works on the text as ``kg.corpus.quotes.normalise`` folds it (straight
quotes, plain spaces, one space for a run of white space), the form an annotator types a quote in,
and maps offsets back to the stored text through it, so a draft's quote is found by the loader
exactly as a typed one is. Sentences come from sentencex (Wikimedia's segmenter); it keeps a
quotation whole, so quotation marks are hidden from it (replaced by spaces, offsets unchanged)
to get the sentences of a quoted statement one by one, as annotators quote them. A sub-heading
that lost its line break ("Trading of allegations Mr. Jenča stated ...") is cut off as a heading.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ..corpus.quotes import Normalised, normalise

_QUOTE_MARKS = re.compile(r'"|(?<![A-Za-z])\'|\'(?![A-Za-z])')  # not the apostrophe of "Venezuela's"
_TRIM = " \"'-*:;,"


@dataclass(frozen=True)
class Sentence:
    """A sentence (or heading, or byline) of the folded text, with what the reader knows of it."""

    index: int
    start: int  # offsets in the folded text
    end: int
    text: str
    paragraph: int
    quoted: bool  # inside a quotation (opened before it or in it, closed in it or after it)
    opens_quote: bool  # a quotation opens at its start
    closes_quote: bool  # a quotation is closed in it
    terminal: bool  # ends with . ! ? (or a quotation mark after one)


@dataclass(frozen=True)
class Reading:
    original: str
    folded: Normalised
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        return self.folded.text

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.folded.starts[start], self.folded.ends[end - 1]


def read(text: str) -> Reading:
    """Cut a stored text into sentences, each knowing its paragraph and whether it is quoted."""
    folded = normalise(text)
    flat = folded.text
    sentences: list[Sentence] = []
    inside = False  # within an open quotation, carried across sentences
    for paragraph, (first, last) in enumerate(_paragraphs(text, folded)):
        spans = _run_in_heading(flat[first:last], _segments(flat[first:last]))
        for number, (start, end) in enumerate(spans):
            start, end = first + start, first + end
            if number and flat[start - 1:start] == '"' and flat[start - 2:start - 1] == " ":
                start -= 1  # the quotation mark that opens it, which the sentence before ended with
            if number + 1 < len(spans) and re.search(r'[.!?,] "$', flat[start:end]):
                end -= 2
            while start < end and flat[start] in _TRIM and flat[start] != '"':
                start += 1
            while end > start and flat[end - 1] == " ":
                end -= 1
            if end - start < 2 or not re.search(r"\w", flat[start:end]):
                continue
            piece = flat[start:end]
            opens = piece.startswith('"')
            quoted = inside or opens
            if piece.count('"') % 2:
                inside = not inside
            closes = quoted and not inside
            terminal = bool(re.search(r"[.!?][\"')]*$", piece))
            sentences.append(Sentence(len(sentences), start, end, piece, paragraph, quoted, opens, closes,
                                      terminal))
        # a quotation left open at a paragraph's end goes on only where the next paragraph reopens it
        inside = False
    return Reading(text, folded, tuple(sentences))


# A sub-heading run into its paragraph's first sentence, as some sites lose the line break:
# "Trading of allegations Mr. Jenča stated that ..." (a capitalised phrase of lower-case words,
# then a title that starts the sentence).
_RUN_IN = re.compile(r"[A-Z][a-z]+(?: [a-z]+){0,5}(?= (?:Mr|Ms|Mrs|Dr|Prof)\. [A-Z])")


def _run_in_heading(flat: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of a paragraph with a run-in sub-heading cut off its first sentence, so that no
    quote of that sentence starts with the heading."""
    if not spans:
        return spans
    start, end = spans[0]
    head = _RUN_IN.match(flat, start + len(flat[start:end]) - len(flat[start:end].lstrip()))
    if head is None:
        return spans
    return [(start, head.end()), (head.end() + 1, end), *spans[1:]]


def _segments(flat: str) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph by sentencex, with quotation marks hidden from it."""
    from sentencex import get_sentence_boundaries

    hidden = _QUOTE_MARKS.sub(" ", flat)
    return [(found["start_index"], found["end_index"]) for found in get_sentence_boundaries("en", hidden)
            if not found["is_paragraph_break"]]


def _paragraphs(text: str, folded: Normalised) -> list[tuple[int, int]]:
    """(start, end) in the folded text of each line of the stored text that holds something."""
    flat = folded.text
    cuts = [0]
    for match in re.finditer(" ", flat):
        index = match.start()
        if "\n" in text[folded.starts[index]:folded.ends[index]]:
            cuts.append(index)
    cuts.append(len(flat))
    return [(a, b) for a, b in itertools.pairwise(cuts) if flat[a:b].strip()]
