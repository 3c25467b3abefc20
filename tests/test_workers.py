"""Worker processes end with their build: killing ``kg build`` leaves no orphans working on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kg.synth import generate

from .conftest import outlive

KG = [sys.executable, "-c", "from kg.cli import main; main()"]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def test_workers_exit_when_their_build_is_killed(tmp_path):
    corpus = tmp_path / "corpus"
    generate(corpus, 80, seed=3)  # enough files and documents for both worker pools
    build = subprocess.Popen([*KG, "build", "--corpus", str(corpus), "-o", str(tmp_path / "out" / "g.nt"),
                              "--format", "nt", "-j", "2", "-q"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while len(workers) < 2 and build.poll() is None and time.monotonic() < deadline:
            workers = {pid for pid in _children(build.pid) if "spawn_main" in
                       Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")}
            time.sleep(0.05)
        assert len(workers) >= 2, "the build never started its worker processes"
        os.kill(build.pid, signal.SIGKILL)  # the parent alone, as `kill -9 PID` would
        build.wait()
        assert outlive(workers) == [], "workers outlived their build"
    finally:
        if build.poll() is None:
            build.kill()
