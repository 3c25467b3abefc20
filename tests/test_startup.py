"""Commands that only print help or a list start without the heavy libraries (issue 17).

Importing rdflib, pyoxigraph, networkx, pySHACL or py_arg costs from tens to hundreds of
milliseconds each; ``kg --help``, ``kg serve --help`` and ``kg query --list`` need none of them.
Checked by what a fresh interpreter has imported after the command, not by a timing.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("rdflib", "pyoxigraph", "networkx", "pyshacl", "py_arg")

PROBE = f"HEAVY = {list(HEAVY)!r}\n" + """
import json, sys
from kg.cli import cli
try:
    cli.main(args=sys.argv[1:], prog_name="kg")
except SystemExit as exit:
    code = exit.code
else:
    code = 0
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(HEAVY))
print(json.dumps({"code": code, "heavy": heavy}))
"""


@pytest.mark.parametrize("args", [["--help"], ["serve", "--help"], ["query", "--list"], ["build", "--help"]])
def test_help_and_lists_import_no_heavy_library(args):
    assert _probe(args) == {"code": 0, "heavy": []}


def _probe(args: list[str]) -> dict:
    """Run ``kg ARGS`` in a fresh interpreter; its exit code and the heavy libraries it imported."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.stdout.strip(), done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_probe_sees_a_heavy_import():
    """The check can fail: listing the prefixes reads kg.graph.namespaces, which is rdflib's."""
    result = _probe(["query", "--prefixes"])
    assert result["code"] == 0 and "rdflib" in result["heavy"]
