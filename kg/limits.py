"""How big the inputs of a corpus may be, and why each limit sits where it does.

The loader reads files that anyone can hand a scholar: a mistyped bracket, a text pasted twice, a
YAML file written by a script gone wrong or built on purpose to exhaust memory (the "billion
laughs" of aliases to aliases). Without limits such a file ends in a hang, a crash deep inside the
YAML parser or an out-of-memory kill, and the annotator learns nothing. With them it ends in one
line saying which file, how big, and what to do.

Each limit is set far above what real corpora need, so that only broken or hostile input meets it:
the numbers below say what the largest real input is and how much room the limit leaves. They are
plain module constants so that tests (and a corpus that really outgrows one) can read them.
"""

from __future__ import annotations

import reprlib
import unicodedata

MB = 1_000_000  # sizes are reported in decimal megabytes, as file managers show them

# One document's text. The longest records this project meets are UN Security Council verbatim
# records and General Assembly debates: a few hundred KB of text for a day of speeches (the
# bundled documents are 2-17 KB). 10 MB is twenty times that; anything larger is several
# documents pasted together, or not a text at all, and slows the quote search that runs over it.
MAX_DOCUMENT_BYTES = 10 * MB

# One YAML file: an annotation file, a document's metadata or a catalogue. The bundled annotation
# of a long Amnesty International report (36 claims, with notes) is 35 KB, about 1 KB a claim; a
# catalogue of every state, UN organ and NGO a scholar could name is a few MB at most.
MAX_YAML_BYTES = 5 * MB

# Claims in one annotation file. The densest bundled document carries 36; a day-long debate of
# 190 speakers with a dozen claims each stays under 2,500. Five thousand is twice that.
MAX_CLAIMS_PER_FILE = 5_000

# One quote, in characters. A quote is the sentence or paragraph that carries a claim (the longest
# bundled quote is 325 characters); 5,000 characters is two printed pages. A quote that is not
# found is compared with the whole document to suggest the nearest passage, which costs time in
# proportion to both lengths, so a runaway quote would also make the error report crawl.
MAX_QUOTE_CHARS = 5_000

# Quotes not found for which the loader looks for the nearest passage to suggest, in one run. Each
# search compares the quote with its whole document (a second or so for a long quote in a long
# record); a run with more misses than this has a wider cause (the wrong document, another edition)
# and the remaining misses are reported without a suggestion instead of taking an hour.
NEAREST_PASSAGE_SEARCHES = 200

# Nesting of YAML collections. An annotation file nests five deep (file, claims, claim, quotes,
# quote); catalogues four. libyaml's composer recurses once per level in C, so thousands of
# unclosed brackets would crash the interpreter rather than raise an error: 64 stops it early.
MAX_YAML_DEPTH = 64

# Aliases (``*name``) in one YAML file. The bundled files use none; a few shared blocks (``<<:
# *common``) in a hand-written catalogue would use dozens.
MAX_YAML_ALIASES = 500

# Values (scalars and collections) in one YAML file once every alias is expanded. An alias costs a
# few bytes but stands for everything its anchor holds, so nine aliases to nine aliases to ...
# describe a billion values in a few hundred bytes. The 35 KB annotation file holds about 1,500
# values; a file at MAX_YAML_BYTES written out by hand holds well under a million.
MAX_YAML_VALUES = 1_000_000


def size_text(size: int) -> str:
    """A byte count as people read it: ``12.3 MB``, ``850 KB``, ``10 MB``."""
    if size >= MB:
        text = f"{size / MB:.1f} MB"
    elif size >= 1000:
        text = f"{size / 1000:.1f} KB"
    else:
        text = f"{size} bytes"
    return text.replace(".0 ", " ")


def over_limit(size: int, limit: int) -> str:
    """``12.3 MB, over the limit of 10 MB`` (in bytes when rounding would hide the difference)."""
    over = size_text(size)
    if over == size_text(limit):
        over = f"{size:,} bytes"
    return f"{over}, over the limit of {size_text(limit)}"


# How much of a value a message quotes. An unknown id of 200,000 characters (a paste gone wrong)
# must not turn one line of the error report into a page; the start of it is enough to find it.
SHOWN_CHARS = 80
_SHOWN = reprlib.Repr()
_SHOWN.maxstring = _SHOWN.maxother = _SHOWN.maxlong = SHOWN_CHARS
_SHOWN.maxlevel, _SHOWN.maxlist, _SHOWN.maxdict, _SHOWN.maxset, _SHOWN.maxtuple = 3, 4, 4, 4, 4
# Characters a message writes as escapes: controls (a carriage return or an ESC sequence would
# rewrite the annotator's terminal), line and paragraph separators (one problem, one line), and
# format characters such as bidi overrides and zero-width spaces, which hide what a value holds.
_ESCAPED = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """``value`` as a message quotes it: its text up to ``limit`` characters, then how much more
    there was, with invisible characters escaped; a list or mapping as a short repr, built
    without walking all of a huge value."""
    if isinstance(value, (list, dict, set, tuple)):
        return _SHOWN.repr(value)
    try:
        text = str(value)
    except ValueError:  # an integer too long for Python to print
        return f"a {type(value).__name__}"
    cut = f"... ({len(text):,} characters in all)" if len(text) > limit else ""
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in _ESCAPED else ch
        for ch in text[:limit]
    ) + cut


# --- bounds on the work a hostile or unlucky input can cause ----------------------------------

# Seconds that the nearest-passage hints of one run may take in all. Each search is itself bounded
# (kg.corpus.quotes.nearest_passage compares a long quote through short probes, so that a search costs
# about as much as one pass over the text rather than minutes: benchmarks/bounds.py); without a total,
# NEAREST_PASSAGE_SEARCHES of them could still take as long as the rest of a large run. Once the
# budget is spent the remaining misses are reported without a suggestion, saying so.
NEAREST_PASSAGE_SECONDS = 10.0

# Preferred and stable labellings: how many complete labellings of one weakly connected part of an
# argument map the search may examine, and how long the search of one map may take. The bundled
# map has none to search (its attacks have no cycle); a part with a dozen mutual attacks has
# thousands. A part that reaches either bound keeps its claims undecided, marked "bound reached",
# and the map says so; other parts are answered exactly. Independent parts are never multiplied
# out: 40 independent mutual attacks take as little time as one.
SEMANTICS_LABELLINGS = 100_000
SEMANTICS_SECONDS = 10.0

# Extensions a labelled map lists. Independent parts multiply: 16 independent mutual attacks have
# 65,536 preferred extensions and 40 have 10^12. Beyond this many the map gives their number only.
SEMANTICS_EXTENSIONS = 10_000
# Claims held in the labellings a search keeps (their "in" sets), so that a part of thousands of
# claims with thousands of labellings stops at tens of megabytes rather than gigabytes.
SEMANTICS_MEMBERS = 2_000_000

# The structured reading of a map (kg map --reading structured): how many defeats its ASPIC+ theory
# may have and how long building them may take. Element conflicts are pooled over the claims in
# scope, so the defeats can grow with the square of the claims that take a position on one element
# (1,000 affirming and 1,000 denying are a million). The theory is built part by part (claims linked
# by a conflict), smallest first; a part that does not fit keeps its claims undecided, marked
# "bound reached", and the map says so; other parts are exact. The bundled corpus has a few hundred.
STRUCTURED_DEFEATS = 2_000_000
STRUCTURED_SECONDS = 20.0
