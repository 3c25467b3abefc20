"""Checked documents and claims as JSON values, and back: what the cache of checked files keeps.

Loading a corpus of ten thousand documents spends most of its time checking: anchoring a hundred
thousand quotes, resolving every reference. A file that was checked without a problem gives the
same records as long as its bytes, its document's and the catalogues are the same
(:mod:`kg.corpus.loader` decides when); its records are kept as plain JSON values (never pickle:
reading a cache must not run code), written and read here field by field, so that a change to a
record's fields is a change of the code, which empties the cache (its entries are stamped with
the code that made them).
"""

from __future__ import annotations

from typing import Any

from .dates import PartialDate
from .models import Claim, Document, Piece, Where
from .quotes import span_at

# The claim's lists of ids, written as one string: ids separated by IDS, lists by LISTS (YAML
# refuses both control characters, so no id can hold them). A hundred thousand claims with a dozen
# lists each, mostly empty, would otherwise be over a million small JSON lists to read back.
_ID_LISTS = ("reported_by", "against", "concerns", "invokes", "attacks", "supports", "schemes",
             "affirms", "denies", "rebuts", "undercuts", "undermines")
IDS, LISTS = "\x1f", "\x1e"


def claim_to_json(claim: Claim, bare: bool = False) -> list[Any] | None:
    """The fields in their order (a list: a corpus of ten thousand documents has a hundred
    thousand claims, and their field names would be most of the bytes to read back), ``where``
    as two values, each quote as its offsets (the words follow from the document's text) and the
    lists of ids as one string. ``bare`` leaves out (as null) what every claim of one annotation
    file shares: its document, its file as named in messages and as recorded;
    :func:`claim_from_json` is then told them. None if an id holds a separator (never from YAML)."""
    c = claim
    lists = [getattr(c, name) for name in _ID_LISTS]
    if any(IDS in i or LISTS in i for ids in lists for i in ids) or any(not i for ids in lists for i in ids):
        return None
    shared = [None, None, None] if bare else [c.document, c.where.file, c.annotation]
    return [c.id, shared[0], c.claimant, c.stance, c.date.text, [[s.start, s.end] for s in c.evidence],
            shared[1], c.where.line, shared[2], c.voiced_by, c.note, c.proposition,
            LISTS.join(IDS.join(ids) for ids in lists)]


def claim_from_json(value: list[Any], text: str, shared: tuple[str, str, str] | None = None) -> Claim:
    """The claim of ``value``, whose quotes are passages of ``text`` (its document's); ``shared``:
    the document, file and annotation a ``bare`` value left out."""
    (claim_id, document, claimant, stance, day, evidence, file, line, annotation, voiced_by, note,
     proposition, lists) = value
    if shared is not None:
        document, file, annotation = shared
    (reported_by, against, concerns, invokes, attacks, supports, schemes, affirms, denies, rebuts,
     undercuts, undermines) = (tuple(ids.split(IDS)) if ids else () for ids in lists.split(LISTS))
    return Claim(claim_id, document, claimant, stance, PartialDate(day),
                 tuple([span_at(text, start, end) for start, end in evidence]), Where(file, line),
                 annotation, voiced_by, reported_by, against, concerns, invokes, attacks, supports, note,
                 dict(proposition), schemes, affirms, denies, rebuts, undercuts, undermines)


_DOCUMENT_PLAIN = ("id", "path", "sha256", "title", "language", "outlet", "author", "genre",
                   "truncated", "seed")


def document_to_json(document: Document) -> dict[str, Any]:
    """Everything but the text, which is read from its file (it is one of the cache's keys)."""
    value: dict[str, Any] = {name: getattr(document, name) for name in _DOCUMENT_PLAIN}
    value["date"] = document.date.text
    value["where"] = [document.where.file, document.where.line]
    value["notes"] = list(document.notes)
    value["pieces"] = [[p.title, p.date.text, p.start, p.end] for p in document.pieces]
    return value


def document_from_json(value: dict[str, Any], text: str) -> Document:
    fields = {name: value[name] for name in _DOCUMENT_PLAIN}
    return Document(text=text, date=PartialDate(value["date"]), where=Where(*value["where"]),
                    notes=tuple(value["notes"]),
                    pieces=tuple(Piece(title, PartialDate(day), start, end)
                                 for title, day, start, end in value["pieces"]), **fields)
