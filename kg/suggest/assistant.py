"""``kg suggest``: draft the annotation of a stored document, for a scholar to review.

Reads the corpus as far as it reads (``kg.corpus.loader.read_corpus``: an unreviewed draft or a
missing annotation elsewhere does not stop it), drafts the document from its text and the
catalogues (``draft``), and writes the annotation file (``writer``). Claims of the same document
are never consulted: whether or not the document already has an annotation, the draft is the same.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..corpus.fields import did_you_mean
from ..corpus.loader import read_corpus
from ..errors import OutputError, SetupError
from ..limits import shown
from .draft import Draft, Drafter
from .writer import to_yaml


@dataclass(frozen=True)
class Suggestion:
    draft: Draft
    text: str  # the annotation file
    written: Path | None  # where it was written, if anywhere

    @property
    def undecided(self) -> int:
        return sum(len(c.undecided) for c in self.draft.claims)

    def summary(self) -> str:
        claims = len(self.draft.claims)
        return (f"{claims} claim{'s' if claims != 1 else ''} drafted, {self.undecided} value"
                f"{'s' if self.undecided != 1 else ''} left to decide, {len(self.draft.proposals)} "
                f"catalogue entr{'ies' if len(self.draft.proposals) != 1 else 'y'} proposed")


def suggest(corpus_dir: Path | str, document_id: str, output: Path | str | None = None,
            force: bool = False) -> Suggestion:
    """Draft ``document_id``'s annotation; write it to ``output`` if given (never over an existing
    file unless ``force``)."""
    corpus, _problems = read_corpus(corpus_dir)
    document = corpus.documents.get(document_id)
    if document is None:
        stored = Path(corpus_dir) / "documents" / f"{document_id}.txt"
        why = ("its text or metadata has problems (run kg validate)" if stored.exists()
               else f"no documents/{shown(document_id)}.txt with its metadata")
        raise SetupError(f"cannot suggest for '{shown(document_id)}': {why}"
                         f"{did_you_mean(document_id, corpus.documents)}")
    draft = Drafter(corpus).draft(document)
    text = to_yaml(draft)
    written = None
    if output is not None:
        written = Path(output)
        if written.exists() and not force:
            raise OutputError(f"'{shown(written, 300)}' exists; kg suggest never overwrites an annotation "
                              "(review and edit it, or pass --force to replace it with a new draft)")
        _write(written, text)
    return Suggestion(draft, text, written)


def _write(path: Path, text: str) -> None:
    """All or nothing: a temporary file in the same folder, renamed over ``path``."""
    if path.exists() and not path.is_file():
        raise OutputError(f"cannot write '{shown(path, 300)}': it is not a regular file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write '{shown(path, 300)}': {exc.strerror}") from exc
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
