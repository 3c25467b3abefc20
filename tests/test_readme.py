"""Every command the README shows works, copied as written, in a fresh copy of the repository.

The commands are read from README.md's ``sh`` blocks when the test runs, so an example added or
changed there is run here and one that stops working fails the build. They run one after the
other in one folder, as a reader types them into a shell at the top of a clone: a copy of the
files git has (tracked, or new and not ignored), where ``kg`` and ``.venv/bin/python`` are the
environment running the tests. For the commands that talk to ``kg serve`` on 127.0.0.1:8000, a
``kg serve`` of the copy's corpus is started on a free port and the address rewritten to it, and
curl fails on an HTTP error as a reader would notice it (``--fail``, from a ``.curlrc``).
Each ``sparql`` block runs with ``kg query -e`` and must answer at least one row.

A few commands cannot run inside a test; ``NOT_HERE`` lists them, each with the reason and where
else it is checked. Those that ``.ci/run`` runs instead must be in ``.ci/run``.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.load_endpoint import ServedEndpoint

from .conftest import REPO

README = REPO / "README.md"
CI = REPO / ".ci" / "run"
COMMAND_TIMEOUT_S = 600  # a guard against a hang, not a target

# The commands that are not run here, by their first words: (why, whether .ci/run runs them).
NOT_HERE: dict[tuple[str, ...], tuple[str, bool]] = {
    ("make", "build"): ("creates .venv and installs from PyPI; CI runs it in a fresh clone with no "
                        "Node on the PATH", True),
    ("make", "test"): ("is this test suite", True),
    ("make", "notebooks"): ("opens JupyterLab and waits for the reader; its set-up is the one of "
                            "make notebooks-html", False),
    ("make", "notebooks-html"): ("installs JupyterLab from PyPI; CI runs it in the fresh clone, after "
                                 "make build alone", True),
    ("kg", "serve"): ("waits for requests until stopped; a kg serve is started here for the "
                      "commands that query one", False),
    (".venv/bin/python", "benchmarks/run.py"): ("tens of minutes at 10,000 documents; "
                                                "tests/test_benchmark_smoke.py runs it with --small", False),
    (".venv/bin/python", "benchmarks/load_endpoint.py"): ("minutes of load; "
                                                          "tests/sparql/test_endpoint_load.py runs it with "
                                                          "--small", False),
}
README_PORT = "127.0.0.1:8000"  # where the README's requests go: `kg serve`'s default address


@dataclass(frozen=True)
class Command:
    text: str  # as written, continuation lines and here-documents included
    line: int  # where it starts in README.md

    @property
    def words(self) -> tuple[str, ...]:
        """The command's words as the shell splits them, its comment left out."""
        return tuple(shlex.split(self.text, comments=True))

    def not_here(self) -> tuple[str, bool] | None:
        return next((why for first, why in NOT_HERE.items() if self.words[:len(first)] == first), None)


def fenced_blocks(text: str, language: str) -> list[tuple[int, list[str]]]:
    """(line of the first body line, body lines) of every ```language block of a Markdown text."""
    blocks, body, start = [], None, 0
    for number, line in enumerate(text.splitlines(), 1):
        fence = line.strip()
        if body is None and fence == f"```{language}":
            body, start = [], number + 1
        elif body is not None and fence == "```":
            blocks.append((start, body))
            body = None
        elif body is not None:
            body.append(line)
    return blocks


def shell_commands(text: str) -> list[Command]:
    """The commands of the ``sh`` blocks: one per line, with its continuation lines (a trailing
    backslash) and the body of a here-document (``<<'EOF'`` ... ``EOF``) it opens."""
    commands = []
    for start, lines in fenced_blocks(text, "sh"):
        index = 0
        while index < len(lines):
            first, gathered = index, [lines[index]]
            while gathered[-1].endswith("\\") and index + 1 < len(lines):
                index += 1
                gathered.append(lines[index])
            heredoc = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", "\n".join(gathered))
            if heredoc:
                while index + 1 < len(lines) and gathered[-1].strip() != heredoc.group(1):
                    index += 1
                    gathered.append(lines[index])
            index += 1
            if "\n".join(gathered).strip() and not gathered[0].lstrip().startswith("#"):
                commands.append(Command("\n".join(gathered), start + first))
    return commands


def test_the_reader_of_commands_splits_as_a_shell_does():
    text = ("intro\n```sh\nkg query --list   # saved queries\ncurl -H 'A: b' \\\n     http://x/y\n\n"
            "# a comment line\ncat > q.rq <<'EOF'\nSELECT * WHERE { ?s ?p ?o } # not a shell comment\nEOF\n"
            "```\n```\nnot sh\n```\n")
    commands = shell_commands(text)
    assert [c.text for c in commands] == [
        "kg query --list   # saved queries", "curl -H 'A: b' \\\n     http://x/y",
        "cat > q.rq <<'EOF'\nSELECT * WHERE { ?s ?p ?o } # not a shell comment\nEOF"]
    assert [c.line for c in commands] == [3, 4, 8]
    assert commands[0].words == ("kg", "query", "--list")
    assert Command("make build   # set up", 1).not_here()[1] is True
    assert Command("make builds", 1).not_here() is None


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """A copy of the checkout as a clone has it, with the environment of the tests as its .venv."""
    root = tmp_path_factory.mktemp("readme") / "ilkg"
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=REPO, capture_output=True, check=True).stdout.decode("utf-8")
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file() and not source.is_symlink():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    (root / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    # curl exits 0 on an HTTP error unless told otherwise; a reader would see the error, so the
    # README's curl examples must fail here too: --fail from a .curlrc, the command left as written.
    (root.parent / "curl").mkdir()
    (root.parent / "curl" / ".curlrc").write_text("fail\nshow-error\nsilent\n", encoding="utf-8")
    return root


def run(command: str, cwd: Path, port: int | None) -> subprocess.CompletedProcess:
    if port is not None:
        command = command.replace(README_PORT, f"127.0.0.1:{port}")
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
               CURL_HOME=str(cwd.parent / "curl"))
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", command], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, stdin=subprocess.DEVNULL)


def test_every_command_of_the_readme_works(fresh):
    commands = shell_commands(README.read_text(encoding="utf-8"))
    runnable = [c for c in commands if c.not_here() is None]
    assert len(runnable) >= 10, "the README shows hardly any command: has the sh block fence changed?"
    server = None
    if any(README_PORT in c.text for c in runnable):
        server = ServedEndpoint(corpus=fresh / "corpus")
    failed = []
    try:
        for command in runnable:
            done = run(command.text, fresh, server.port if server else None)
            if done.returncode != 0:
                failed.append(f"README.md:{command.line}: `{command.text}` exited {done.returncode}:\n"
                              f"{done.stderr.strip()[-2000:]}")
    finally:
        if server is not None:
            server.__exit__(None, None, None)
    hint = ("\n\nFix the command in the README (or the code); if it cannot run in a test, add it to "
            "NOT_HERE in tests/test_readme.py with the reason and where else it is checked.")
    assert failed == [], "\n\n".join(failed) + hint


def test_every_sparql_example_of_the_readme_answers(fresh):
    blocks = fenced_blocks(README.read_text(encoding="utf-8"), "sparql")
    assert blocks, "the README shows no SPARQL: has the sparql block fence changed?"
    for start, lines in blocks:
        done = run(shlex.join(["kg", "query", "-f", "csv", "-e", "\n".join(lines)]), fresh, None)
        assert done.returncode == 0, f"README.md:{start}: {done.stderr.strip()}"
        rows = done.stdout.strip().splitlines()[1:]  # after the header of the W3C CSV
        assert rows, f"README.md:{start}: the query answers no rows"


def test_what_ci_runs_instead_is_in_ci():
    """A command left out here because CI runs it must really be run by .ci/run."""
    ci = "\n".join(line for line in CI.read_text(encoding="utf-8").splitlines()
                   if not line.lstrip().startswith("#"))
    shown = {c.words[:len(first)] for c in shell_commands(README.read_text(encoding="utf-8"))
             for first in NOT_HERE if c.words[:len(first)] == first}
    for first, (_, in_ci) in NOT_HERE.items():
        if in_ci and first in shown:
            assert re.search(rf"(^|\s){re.escape(' '.join(first))}(\s|$)", ci, re.MULTILINE), first
