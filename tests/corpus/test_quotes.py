"""Quote matching: what annotators type against what the sources print."""

from __future__ import annotations

import pytest

from kg.corpus.quotes import difference, find_quote, line_of, nearest_passage, normalise

from ..conftest import CORPUS

SOURCE = "He said: \u201cthe US\u2019s strike \u2013 unlawful\u201d.\u00a0Next\n  line \u2014 here."

CASES = [
    # (what the annotator typed, the exact original span expected)
    ("the US's strike - unlawful", "the US\u2019s strike \u2013 unlawful"),
    ('"the US\'s strike - unlawful".', "\u201cthe US\u2019s strike \u2013 unlawful\u201d."),
    (". Next line - here", ".\u00a0Next\n  line \u2014 here"),
    ("Next   line", "Next\n  line"),
    ("  strike  ", "strike"),
    ("\u201cthe US\u2019s", "\u201cthe US\u2019s"),  # typing the curly original works too
]


@pytest.mark.parametrize(("typed", "expected"), CASES)
def test_typed_quote_finds_exact_original_span(typed, expected):
    [span] = find_quote(SOURCE, typed)
    assert span.exact == expected
    assert SOURCE[span.start : span.end] == expected


def test_absent_quote_gives_no_span():
    assert find_quote(SOURCE, "lawful strike") == []


def test_ambiguous_quote_gives_every_occurrence():
    text = "Silence is permission. Later: Silence is permission."
    spans = find_quote(text, "Silence is permission.")
    assert [s.start for s in spans] == [0, 30]


def test_prefix_and_suffix_pick_one_occurrence():
    text = "A said: Silence is permission. B said: Silence is permission. End"
    [by_prefix] = find_quote(text, "Silence is permission.", prefix="B said:")
    [by_suffix] = find_quote(text, "Silence is permission.", suffix="B said")
    assert by_prefix.start == text.rindex("Silence")
    assert by_suffix.start == text.index("Silence")


def test_context_is_recorded_from_the_original():
    [span] = find_quote(SOURCE, "strike")
    assert SOURCE.endswith(span.suffix) or SOURCE[span.end :].startswith(span.suffix)
    assert span.prefix.endswith("US\u2019s ")


def test_offsets_are_code_points_not_bytes():
    text = "Agn\u00e8s Callamard said \u201cno\u201d"
    [span] = find_quote(text, '"no"')
    assert (span.start, span.end) == (21, 25)  # in UTF-8 bytes it would be (22, 26)
    assert text[span.start : span.end] == "\u201cno\u201d"


def test_normalise_maps_every_character_back():
    norm = normalise(SOURCE)
    for i, ch in enumerate(norm.text):
        original = SOURCE[norm.starts[i] : norm.ends[i]]
        assert original.strip() == "" if ch == " " else original


def test_nearest_passage_points_at_the_misquoted_text():
    text = (CORPUS / "documents" / "amnesty-2026-02-03.txt").read_text(encoding="utf-8")
    nearest = nearest_passage(text, "Drug traficking allegations are not an armed attack")
    assert nearest is not None
    assert "trafficking allegations are not" in nearest.passage
    assert nearest.score > 80


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("amnesty-2026-02-03", 'are not an "armed attack" that can trigger self-defense'),
        ("sg-alarmed-2026-01-03", "full respect - by all - of international law, including the UN Charter"),
        ("blitz-no-one-is-safe-2026-01", "at least 80 people - soldiers and civilians - were killed"),
        ("maduro-last-chance-2025-12-01", "said that 'the President acted in line with the law"),
    ],
)
def test_seed_texts_with_curly_quotes_dashes_and_no_break_spaces(name, typed):
    text = (CORPUS / "documents" / f"{name}.txt").read_text(encoding="utf-8")
    [span] = find_quote(text, typed)
    assert span.exact != typed  # the original differs: curly quotes, dashes or no-break spaces
    assert text[span.start : span.end] == span.exact


def test_line_of_counts_from_one():
    assert line_of("a\nb\nc", 0) == 1
    assert line_of("a\nb\nc", 4) == 3


def _fold_one_by_one(text: str) -> tuple[str, list[int], list[int]]:
    """The normalisation as its docstring defines it, one character at a time (the oracle)."""
    from kg.corpus.quotes import _DROP, _FOLD

    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if ch in _DROP:
            continue
        for piece in _FOLD.get(ch, ch):
            if piece == " " and out and out[-1] == " ":
                ends[-1] = i + 1
                continue
            out.append(piece)
            starts.append(i)
            ends.append(i + 1)
    return "".join(out), starts, ends


def test_normalise_by_runs_equals_folding_one_character_at_a_time():
    """normalise() cuts the text into runs for speed; it must agree with the plain definition on
    every mix of the characters it folds, drops and collapses."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kg.corpus.quotes import _DROP, _FOLD

    alphabet = st.sampled_from(sorted({*_FOLD, *_DROP, "a", "b", " ", ".", "\n"}))

    @settings(max_examples=1000, deadline=None, derandomize=True)
    @given(st.lists(alphabet, max_size=16).map("".join))
    def agrees(text: str) -> None:
        norm = normalise(text)
        size = len(norm.text)
        assert (norm.text, [norm.starts[i] for i in range(size)],
                [norm.ends[i] for i in range(size)]) == _fold_one_by_one(text)

    agrees()


# --- the nearest passage starts where the quote does, and says where the two differ ---------------

MONCADA = ('He said the United States violated the founding U.N. Charter, which states: "All members shall '
           'refrain in their international relations from the threat or use of force against the territorial '
           'integrity or political independence of any state."')


def test_nearest_passage_does_not_start_in_the_paragraph_before():
    """Regression: the passage for this misquote began in the paragraph before ("national peace and
    security.") and the message named that paragraph's line."""
    text = (CORPUS / "documents" / "sg-alarmed-2026-01-03.txt").read_text(encoding="utf-8")
    nearest = nearest_passage(text, MONCADA)
    assert nearest is not None
    start = text.index("He said the U.S. had violated")
    assert (nearest.start, line_of(text, nearest.start)) == (start, line_of(text, start))
    assert nearest.passage.endswith("political independence of any state.\u201d")
    assert nearest.difference[:2] == ("He said the United States violated the foundi…",
                                      "He said the U.S. had violated the foundi…")


PARAGRAPHS = "First paragraph ends here.\n\nThe Charter prohibits the use of force against any state.\nMore."
SENTENCE = "The Charter prohibits the use of force against any state."


@pytest.mark.parametrize("typed", [
    "Xhe Charter prohibits the use of force against any state.",  # a typo in the first letter
    "the Charter prohibits use of force against any state.",  # lower case, and a word left out
    "Indeed, the Charter prohibits the use of force against any state.",  # a word the text lacks
    "The Charter prohibits the use of force against every state.",  # a changed word at the end
    "The Charter prohibits the use of forcee against any state",
])
def test_nearest_passage_is_the_sentence_meant(typed):
    """Regression: the passage started one character late, or inside the previous paragraph."""
    assert find_quote(PARAGRAPHS, typed) == []
    nearest = nearest_passage(PARAGRAPHS, typed)
    assert nearest.start == PARAGRAPHS.index(SENTENCE)
    assert SENTENCE.startswith(nearest.passage) and len(nearest.passage) >= len(SENTENCE) - 1
    assert line_of(PARAGRAPHS, nearest.start) == 3


@pytest.mark.parametrize(("typed", "passage", "expected"), [
    ("use of force against every state.", "use of force against any state.",
     ("…se of force against every state.", "…se of force against any state.", 1)),
    ("the Charter prohibits use of force", "The Charter prohibits the use of force",
     ("the Charter prohibits…", "The Charter prohibits…", 2)),
    ("the same words", "the same words", None),
    ("a" * 1500 + " one " + "b" * 10, "a" * 1500 + " two " + "b" * 10,  # long: not counted
     ("…" + "a" * 19 + " one " + "b" * 10, "…" + "a" * 19 + " two " + "b" * 10, None)),
])
def test_difference_shows_the_first_place_with_context(typed, passage, expected):
    assert difference(typed, passage) == expected


# Letters, combining marks (acute, diaeresis, dot below, ring), their precomposed forms, the
# Angstrom sign (NFC: U+00C5), Hangul jamo that compose into syllables, and what normalise folds.
CANONICAL = ["a", "e", "A", "o", "\u0301", "\u0308", "\u0323", "\u030a", "\u00e1", "\u00e4", "\u00c5",
             "\u212b", "\u1100", "\u1161", "\u11a8", "\ud55c", " ", "\u2019", "\u00a0", "-"]


def test_canonically_equivalent_texts_normalise_alike():
    """Issue 13 item 12: a text saved decomposed (NFD) and a quote typed composed (NFC) look
    identical; normalise() puts both in NFC, and every character maps back into the original."""
    import unicodedata

    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=500, deadline=None, derandomize=True)
    @given(st.lists(st.sampled_from(CANONICAL), max_size=12).map("".join))
    def alike(text: str) -> None:
        forms = {normalise(unicodedata.normalize(form, text)).text for form in ("NFC", "NFD")}
        assert forms == {normalise(text).text}
        norm = normalise(text)
        assert unicodedata.is_normalized("NFC", norm.text)
        for i in range(len(norm.text)):
            assert 0 <= norm.starts[i] < norm.ends[i] <= len(text)
            assert norm.starts[i] <= norm.starts[min(i + 1, len(norm.text) - 1)]

    alike()


def test_a_composed_quote_finds_its_decomposed_original():
    import unicodedata

    typed = "Nicol\u00e1s Maduro said the \u00c5ngstr\u00f6m report on Se\u00f1or Mu\u00f1oz"
    stored = "Before. " + unicodedata.normalize("NFD", typed.replace("\u00c5", "\u212b")) + ". After."
    assert stored != typed and unicodedata.normalize("NFC", stored).count(typed) == 1
    [span] = find_quote(stored, typed)
    assert (span.start, span.end) == (8, 8 + len(unicodedata.normalize("NFD", typed)))  # stored code points
    assert span.exact == stored[span.start : span.end] and unicodedata.normalize("NFC", span.exact) == typed
    [inner] = find_quote(stored, "Se\u00f1or")  # starts and ends inside the decomposed text
    assert unicodedata.normalize("NFC", inner.exact) == "Se\u00f1or"
    assert find_quote(unicodedata.normalize("NFC", stored), unicodedata.normalize("NFD", typed))
