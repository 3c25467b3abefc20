"""Fixtures of the annotation assistant's tests: the bundled corpus read once, and corpora with
documents written for the tests (about other disputes, or about none)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.corpus.loader import read_corpus
from kg.corpus.models import Document, Where
from kg.suggest.draft import Drafter

from ..conftest import CORPUS

DOCUMENTS = Path(__file__).parent / "documents"
NEW = ("un-essequibo-2026-03-12", "ngo-darfur-2026-04-02", "football-2026-02-14")


@pytest.fixture(scope="session")
def corpus():
    read, problems = read_corpus(CORPUS)
    assert problems == []
    return read


@pytest.fixture(scope="session")
def drafter(corpus):
    return Drafter(corpus)


@pytest.fixture
def with_new_documents(tmp_path) -> Path:
    """A copy of the bundled corpus with the documents written for these tests (not annotated)."""
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    for path in DOCUMENTS.iterdir():
        shutil.copy(path, root / "documents" / path.name)
    return root


def document(text: str, genre: str = "news report", date: str = "2026-01-03", outlet: str | None = None,
             author: str | None = None) -> Document:
    """A document made up in a test (never stored)."""
    from kg.corpus.dates import parse_date

    return Document(id="test-document", path="documents/test-document.txt", text=text, sha256="",
                    title="test", date=parse_date(date), language="en", where=Where("test"),
                    outlet=outlet, author=author, genre=genre)
