"""What the README's set-up commands do on a fresh machine, read from the Makefile itself.

``make -n -B TARGET`` prints every command the target would run with nothing yet installed,
without running any. CI also runs ``make build`` for real in a fresh clone with Node shadowed by
stubs that fail (``.ci/run``); this is the quick check of the same promise.
"""

from __future__ import annotations

import re
import subprocess
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import REPO

CONSTRAINTS = REPO / "constraints.txt"


def planned(target: str, *variables: str) -> list[str]:
    """The commands ``make TARGET`` would run on a machine where nothing is installed yet."""
    done = subprocess.run(["make", "--no-print-directory", "-n", "-B", target, *variables], cwd=REPO,
                          capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def runs(commands: list[str], program: str) -> bool:
    return any(re.search(rf"(^|[\s;&|(]){program}(\s|$)", line) for line in commands)


def test_make_build_needs_no_node():
    commands = planned("build")
    assert commands[-1] == ".venv/bin/kg build"
    assert not any(runs(commands, program) for program in ("npm", "npx", "node"))
    assert any("--constraint constraints.txt -e ." in line for line in commands)


@pytest.mark.parametrize("target", ["test", "editor"])
def test_make_test_and_make_editor_install_yasgui(target):
    assert "npm ci --ignore-scripts --no-audit --no-fund" in planned(target)


def test_make_test_newest_installs_the_newest_allowed_versions_apart():
    commands = planned("test-newest")
    install = [line for line in commands if "pip install" in line and "-e '.[test]'" in line]
    assert install and all(line.startswith(".venv-newest/bin/python") for line in install)
    for line in install:
        assert "--upgrade --upgrade-strategy eager" in line and "--constraint" not in line
    assert ".venv-newest/bin/python -m pytest" in commands


def pins() -> dict[str, str]:
    pinned = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pinned[canonicalize_name(name)] = version
    return pinned


def test_constraints_pin_every_dependency_within_its_range():
    """A range changed in pyproject.toml without `make constraints` fails here, not in pip."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(text) for text in project["dependencies"]]
    for extra in ("test", "notebooks"):
        requirements += [Requirement(text) for text in project["optional-dependencies"][extra]]
    pinned = pins()
    outside = {}
    for requirement in requirements:
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            outside[str(requirement)] = version
    assert outside == {}, "run `make constraints` and `make test`, and commit constraints.txt"
    assert "ilkg" not in pinned  # the package itself is installed from the checkout


def test_constraints_say_how_they_are_made():
    header = CONSTRAINTS.read_text(encoding="utf-8").splitlines()[:2]
    assert any("make constraints" in line for line in header)
    assert planned("constraints")[-1].startswith("rm -rf build/constraints-venv")
