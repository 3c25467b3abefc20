"""SECURITY.md's table of promises names the tests that keep them: each one must exist.

A promise whose test was renamed or deleted would still read as kept; this test fails instead.
"""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import REPO

TABLE = "## Promises and the tests that keep them"
_CODE = re.compile(r"`([^`]+)`")
_REFERENCE = re.compile(r"(tests/[\w/]+\.py)?(?:::(\w+))?(\[[^\]]+\])?")


def named_tests() -> list[str]:
    """The tests the table's last column names, as pytest node ids.

    Shorthand is expanded: ``::name`` is a test of the file named before it, ``[case]`` a case of
    the test named before it. Code that starts otherwise (a function name) is prose.
    """
    text = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    assert TABLE in text, f"SECURITY.md has no section '{TABLE}'"
    section = text.split(TABLE, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]  # past the header
    named: list[str] = []
    for row in rows:
        path = test = ""
        for code in _CODE.findall(row.rstrip(" |").rsplit("|", 1)[1]):
            if not code.startswith(("tests/", "::", "[")):
                continue
            match = _REFERENCE.fullmatch(code)
            assert match, f"SECURITY.md: cannot read {code!r} as a test"
            file, name, case = match.groups()
            path = file or path
            test = name or (test if case else "")
            named.append(path + (f"::{test}" if test else "") + (case or ""))
    return named


def test_every_test_the_promises_name_exists():
    named = named_tests()
    assert len(named) >= 10
    files = sorted({node.split("::")[0] for node in named})
    missing_files = [file for file in files if not (REPO / file).is_file()]
    assert not missing_files
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *files],
        cwd=REPO, capture_output=True, text=True, check=True).stdout.splitlines()
    nodes = {line for line in collected if "::" in line}
    missing = [node for node in named if "::" in node and node not in nodes
               and not any(found.startswith(node + "[") for found in nodes)]
    assert missing == []
