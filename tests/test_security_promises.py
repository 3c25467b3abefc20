"""SECURITY.md's table of promises names, for each promise, tests that exist.

A promise whose test was renamed or removed would be kept by nothing while the page still says
it is; here every test the table names must be a test function in the file it names.
"""

from __future__ import annotations

import re

from .conftest import REPO

SECTION = "## Promises and the tests that keep them"


def promises() -> list[tuple[str, str]]:
    """(promise, its tests cell) for each row of the table."""
    text = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    assert SECTION in text
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("|---")]
    cells = [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows[1:]]
    return [(promise, tests) for promise, tests in cells]


def named_tests(cell: str) -> list[tuple[str, str]]:
    """(file, test) for each test a cell names: a file (``tests/x.py`` or ``x.py``) applies to the
    test names after it until the next file."""
    found, current = [], None
    for token in re.findall(r"`([^`]+)`", cell):
        path, _, name = token.partition("::")
        if path.endswith(".py"):
            current = path.removeprefix("tests/")
        if name or (path.startswith("test_") and not path.endswith(".py")):
            found.append((current, name or path))
    return found


def test_every_promise_names_tests_that_exist():
    table = promises()
    assert len(table) >= 10
    for promise, cell in table:
        tests = named_tests(cell)
        assert tests, f"no test named for: {promise}"
        for filename, name in tests:
            assert filename is not None, f"{name}: which file? ({promise})"
            source = (REPO / "tests" / filename).read_text(encoding="utf-8")
            assert re.search(rf"^def {re.escape(name)}\(", source, re.MULTILINE), f"{filename}::{name}"
