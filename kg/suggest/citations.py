"""Norms cited or designated in a passage.

A norm is cited by a name the catalogue has for it (an alias, a notation: "self-defence",
"Resolution 3314", "ICCPR", "General Comment No. 36"), by an article of an instrument ("Article 51
of the UN Charter", "Art. 2(4)", "Article 2, paragraph 4", "Articles 2(3) and 2(4) of the Charter",
"the Charter's Article 2(4)"), by a numbered resolution or general comment, or designated by the
words of the lexicon's ``designations`` ("the threat or use of force" with the Charter named).
Articles are looked up through the notations of the catalogue's provisions ("UN Charter Art.
2(4)" is article 2(4) of the instrument un-charter), so a provision added to a catalogue is cited
without a new rule. A citation the catalogues cannot resolve keeps the id a new entry would
have, for the draft to propose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..corpus.models import Corpus, Norm
from .lexicon import Lexicon
from .mentions import _compiled, _key, _names


@dataclass(frozen=True)
class Citation:
    start: int
    end: int
    text: str
    norm: str | None  # the catalogue id; None when no entry has it
    how: str  # for notes: "cites 'Article 51 of the Charter'"
    proposed: tuple[tuple[str, str], ...] = ()  # for an unknown norm: the fields of a new entry


_ARTICLE = re.compile(
    r"(?<![\w-])(?P<word>Articles?|Arts?\.?)\s+(?P<list>\d+[\w()]*(?:\s*,\s*paragraph\s+\d+)?"
    r"(?:(?:\s*,\s*|\s+and\s+|\s+or\s+)\d+[\w()]*(?:\s*,\s*paragraph\s+\d+)?)*)"
)
_ONE_ARTICLE = re.compile(
    r"(?P<number>\d+)(?P<parts>(?:\(\w{1,4}\))*)(?:\s*,\s*paragraph\s+(?P<paragraph>\d+))?"
)
_RESOLUTION = re.compile(
    r"(?<![\w-])(?P<organ>(?:UN\s*|U\.N\.\s*)?(?:General Assembly|Security Council|UNGA|UNSC)\s+)?"
    r"(?:[Rr]esolution|[Rr]es\.)\s+(?:No\.\s*)?(?P<number>\d{2,4})(?:\s*\((?P<session>[IVXLC]+)\))?"
    r"|(?<![\w-])(?P<organ2>UNGA|UNSC)\s+(?P<number2>\d{2,4})(?![\w-])"
    r"|(?<![\w/])(?P<symbol>A|S)/RES/(?P<number3>\d{2,4})"
)
_COMMENT = re.compile(r"(?<![\w-])General\s+Comment\s+(?:No\.?\s*)?(?P<number>\d+)", re.IGNORECASE)
_NOTATION_ARTICLE = re.compile(r"Art\.\s*(?P<path>\d+[\w()]*)\s*$")
_NOTATION_RESOLUTION = re.compile(r"Res\.\s*(?P<number>\d+)")
_OF_INSTRUMENT = re.compile(r"^\s*(?:of|under|in)\s+(?:the\s+)?")


def article_path(number: str, parts: str = "", paragraph: str | None = None) -> str:
    """An article as a dotted path: "2(4)" -> 2.4, "3(a)" -> 3.a, "2, paragraph 4" -> 2.4."""
    path = [number, *re.findall(r"\((\w+)\)", parts)]
    if paragraph:
        path.append(paragraph)
    return ".".join(p.lower() for p in path)


class Citations:
    """The norm finder of one corpus's catalogues."""

    def __init__(self, corpus: Corpus, lexicon: Lexicon):
        self.corpus = corpus
        self.lexicon = lexicon
        norms = corpus.norms
        named = {}
        for norm_id, norm in norms.items():
            named[norm_id] = _Named([*norm.aliases, norm.notation]
                                    + ([norm.labels.get("en", "")] if norm.type == "instrument" else []))
        self.names = _names(named.items(), with_labels=False)
        self._names = _compiled(self.names, lexicon.spellings)
        self._by_key = {_key(n): ids for n, ids in self.names.items()}
        self.instruments = {i for i, n in norms.items() if n.type == "instrument"}
        self.articles: dict[tuple[str, str], str] = {}
        for norm_id, norm in norms.items():
            found = _NOTATION_ARTICLE.search(norm.notation)
            if found and norm.part_of:
                self.articles[(norm.part_of[0], article_path(*_split(found.group("path"))))] = norm_id
        self.resolutions: dict[str, str] = {}
        for norm_id, norm in norms.items():
            found = _NOTATION_RESOLUTION.search(norm.notation)
            if found and norm.type == "instrument":
                self.resolutions.setdefault(found.group("number"), norm_id)

    def find(self, text: str, context: str = "") -> list[Citation]:
        """Citations in ``text`` (a sentence); ``context`` is the text before it, where the
        instrument of a bare "Article 2(4)" may have been named."""
        found: list[Citation] = []
        named = self._named(text)
        for match in _ARTICLE.finditer(text):
            found += self._articles(text, match, named, context)
        taken = [(c.start, c.end) for c in found]
        for match in _RESOLUTION.finditer(text):
            if not any(a <= match.start() < b for a, b in taken):
                found.append(self._resolution(match, text))
        for match in _COMMENT.finditer(text):
            found.append(self._comment(match))
        taken = [(c.start, c.end) for c in found]
        for citation in named:
            if not any(a <= citation.start and citation.end <= b for a, b in taken):
                found.append(citation)
                taken.append((citation.start, citation.end))
        for designation in self.lexicon.designations:
            if designation.norm not in self.corpus.norms:
                continue
            match = designation.cue.pattern.search(text)
            if match is None or not all(w.pattern.search(text) for w in designation.with_):
                continue
            if any(c.norm == designation.norm for c in found):
                continue
            found.append(Citation(match.start(), match.end(), match.group(), designation.norm,
                                  f"'{match.group()}' designates {designation.norm} (lexicon)"))
        # an instrument cited only as the home of a provision cited with it is not invoked itself
        provisions_of = {self.corpus.norms[c.norm].part_of[0] for c in found
                         if c.norm and self.corpus.norms[c.norm].part_of}
        found = [c for c in found if not (c.norm in provisions_of and self._attached(text, c, found))]
        found.sort(key=lambda c: (c.start, c.end))
        return [c for i, c in enumerate(found) if c.norm is None or c.norm not in {d.norm for d in found[:i]}]

    def _attached(self, text: str, instrument: Citation, found: list[Citation]) -> bool:
        """Whether an instrument's name stands right next to a citation of one of its provisions."""
        for other in found:
            if other is instrument or other.norm is None:
                continue
            part_of = self.corpus.norms[other.norm].part_of
            if part_of and part_of[0] == instrument.norm:
                gap = text[min(other.end, instrument.end):max(other.start, instrument.start)]
                if len(gap) < 40:
                    return True
        return False

    def _named(self, text: str) -> list[Citation]:
        if self._names is None:
            return []
        found = []
        for match in self._names.finditer(text):
            ids = self._by_key.get(_key(match.group()), set())
            if len(ids) == 1:
                (norm,) = ids
                found.append(Citation(match.start(), match.end(), match.group(), norm,
                                      f"cites '{match.group()}' ({self.corpus.norms[norm].notation})"))
        return found

    def _instrument_near(self, text: str, end: int, start: int, named: list[Citation],
                         context: str) -> tuple[str | None, int]:
        """The instrument an article belongs to: named just after it ("of the Charter"), just
        before it ("the Charter's Article 2(4)"), elsewhere in the sentence, or in ``context``."""
        after = _OF_INSTRUMENT.match(text[end:])
        instruments = [c for c in named if c.norm in self.instruments]
        if after:
            here = end + after.end()
            for citation in instruments:
                if end <= citation.start <= here:
                    return citation.norm, citation.end
        for citation in instruments:
            if 0 <= start - citation.end <= 4:
                return citation.norm, end
        if instruments:
            return instruments[0].norm, end
        earlier = [c for c in self._named(context) if c.norm in self.instruments]
        return (earlier[-1].norm, end) if earlier else (None, end)

    def _articles(self, text: str, match: re.Match, named: list[Citation], context: str) -> list[Citation]:
        instrument, end = self._instrument_near(text, match.end(), match.start(), named, context)
        found = []
        for one in _ONE_ARTICLE.finditer(match.group("list")):
            path = article_path(one.group("number"), one.group("parts") or "", one.group("paragraph"))
            cited = text[match.start():end]
            if instrument is None:
                found.append(Citation(match.start(), end, cited, None,
                                      f"cites '{cited}' of an instrument it does not name"))
                continue
            norm = self.articles.get((instrument, path))
            if norm:
                found.append(Citation(match.start(), end, cited, norm,
                                      f"cites '{cited}' ({self.corpus.norms[norm].notation})"))
            else:
                found.append(self._unknown_article(instrument, path, cited, match.start(), end))
        return found

    def _unknown_article(self, instrument: str, path: str, cited: str, start: int, end: int) -> Citation:
        parent: Norm = self.corpus.norms[instrument]
        new_id = f"{instrument}-art-{path.replace('.', '-')}"
        display = path.split(".")[0] + "".join(f"({p})" for p in path.split(".")[1:])
        proposed = (("id", new_id), ("type", "provision"), ("source_type", _provision_source(parent)),
                    ("part_of", instrument), ("notation", f"{parent.notation} Art. {display}"))
        return Citation(start, end, cited, None,
                        f"cites '{cited}', which the norm catalogue lacks (proposed: {new_id})", proposed)

    def _resolution(self, match: re.Match, text: str) -> Citation:
        number = match.group("number") or match.group("number2") or match.group("number3")
        cited = match.group()
        norm = self.resolutions.get(number)
        if norm:
            return Citation(match.start(), match.end(), cited, norm,
                            f"cites '{cited}' ({self.corpus.norms[norm].notation})")
        organ = (match.group("organ") or match.group("organ2") or match.group("symbol") or "")
        council = bool(re.search(r"Security Council|UNSC|^S$", organ.strip()))
        prefix = "unsc" if council else "unga"
        new_id = f"{prefix}-res-{number}"
        session = f" ({match.group('session')})" if match.group("session") else ""
        proposed = (("id", new_id), ("type", "instrument"), ("source_type", "un-resolution"),
                    ("notation", f"{prefix.upper()} Res. {number}{session}"),
                    ("note", "check the organ: the text says " + repr(cited)))
        return Citation(match.start(), match.end(), cited, None,
                        f"cites '{cited}', which the norm catalogue lacks (proposed: {new_id})", proposed)

    def _comment(self, match: re.Match) -> Citation:
        number = match.group("number")
        cited = match.group()
        for norm_id, norm in self.corpus.norms.items():
            names = [*norm.aliases, norm.notation]
            if any(re.fullmatch(rf"(?:General Comment|GC)\s*(?:No\.?\s*)?{number}", n, re.IGNORECASE)
                   for n in names):
                return Citation(match.start(), match.end(), cited, norm_id,
                                f"cites '{cited}' ({norm.notation})")
        new_id = f"ccpr-gc-{number}"
        proposed = (("id", new_id), ("type", "instrument"), ("source_type", "authoritative-interpretation"),
                    ("notation", f"CCPR/C/GC/{number}"),
                    ("note", "check which treaty body issued it"))
        return Citation(match.start(), match.end(), cited, None,
                        f"cites '{cited}', which the norm catalogue lacks (proposed: {new_id})", proposed)


@dataclass(frozen=True)
class _Named:
    aliases: list[str]


def _split(path: str) -> tuple[str, str]:
    found = re.match(r"(\d+)(.*)", path)
    return (found.group(1), found.group(2)) if found else (path, "")


def _provision_source(parent: Norm) -> str:
    return "un-resolution" if parent.source_type == "un-resolution" else "treaty-provision"
