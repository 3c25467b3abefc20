"""SECURITY.md's table of promises names real tests: a renamed or deleted test breaks this one.

Each row of "Promises and the tests that keep them" names test files (``test_x.py``) and the test
functions in them (``test_y``), a function belonging to the file named before it in the cell.
"""

from __future__ import annotations

import ast
import re

from .conftest import REPO

TABLE_TITLE = "## Promises and the tests that keep them"


def table_rows() -> list[tuple[str, str]]:
    text = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    assert TABLE_TITLE in text
    section = text.split(TABLE_TITLE, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        header = cells == ["promise", "test"] or set(cells[0]) == {"-"}
        if line.startswith("|") and len(cells) == 2 and not header:
            rows.append((cells[0], cells[1]))
    return rows


def functions_in(file: str) -> set[str]:
    tree = ast.parse((REPO / "tests" / file).read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_every_promise_names_tests_that_exist():
    rows = table_rows()
    assert len(rows) >= 10
    for promise, tests in rows:
        named = re.findall(r"\b(test_\w+?\.py|test_\w+)\b", tests)
        assert named and named[0].endswith(".py"), f"name the test file first: {promise}"
        file, functions = None, 0
        for name in named:
            if name.endswith(".py"):
                file = name
                assert (REPO / "tests" / file).is_file(), f"no tests/{file} ({promise})"
                continue
            assert name in functions_in(file), f"no {name} in tests/{file} ({promise})"
            functions += 1
        assert functions, f"name the tests that keep it: {promise}"
