"""Worker processes end with their build: killing ``kg build`` leaves no orphans working on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from benchmarks.load_endpoint import spawned_workers
from kg.synth.generate import generate

from .conftest import outlive

KG = [sys.executable, "-c", "from kg.cli import main; main()"]


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
            workers = set(spawned_workers(build.pid))
            time.sleep(0.05)
        assert len(workers) >= 2, "the build never started its worker processes"
        os.kill(build.pid, signal.SIGKILL)  # the parent alone, as `kill -9 PID` would
        build.wait()
        assert outlive(workers) == [], "workers outlived their build"
    finally:
        if build.poll() is None:
            build.kill()
