"""Wall time and peak memory of a command, measured from outside the process.

Every measurement runs in a child process so that one step's memory never inflates the next and
the numbers include interpreter start-up and imports, as a user sees them.

Two memory figures, because ``kg build`` validates in worker processes:

* ``max_rss``: from ``os.wait4``, the rusage of the child, whose ``ru_maxrss`` is the largest peak
  of the child or any descendant it waited for (Linux takes the maximum, not the sum). Exact, but
  blind to several processes being alive at once.
* ``tree_peak``: the largest *sum* over the child and all its descendants, sampled from ``/proc``
  every ``SAMPLE_EVERY`` seconds by a thread while the main thread blocks in ``wait4`` (so the wall
  time is not rounded to the sampling interval). Summed as PSS (proportional set size), which
  shares pages between the processes that map them instead of counting them once per process.
  ``None`` where ``/proc`` does not exist; a peak shorter than the interval can be missed, which is
  why ``max_rss`` is kept beside it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_EVERY = 0.1  # seconds between /proc samples
PROC = Path("/proc")


@dataclass(frozen=True)
class Run:
    """One finished (or stopped) command."""

    argv: tuple[str, ...]
    wall: float  # seconds, from before the fork to the return of wait4
    max_rss: int  # bytes, largest single process (wait4 rusage)
    tree_peak: int | None  # bytes, largest PSS sum of the process tree, sampled; None without /proc
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    @property
    def peak(self) -> int:
        """The memory figure to compare with a target: the tree's peak when known, else max_rss."""
        return max(self.max_rss, self.tree_peak or 0)

    def failure(self) -> str:
        """What went wrong, in one paragraph, for the error list of the run."""
        how = "timed out" if self.timed_out else f"exit code {self.returncode}"
        tail = (self.stderr.strip() or self.stdout.strip())[-600:]
        return f"`{' '.join(self.argv)}`: {how}" + (f"\n    {tail}" if tail else "")


def run(argv: list[str], *, cwd: Path | None = None, timeout: float | None = None,
        sample_tree: bool = True, scratch: Path) -> Run:
    """Run ``argv`` to the end and measure it.

    Output goes to files in ``scratch`` rather than pipes, so a child that writes a lot can never
    block on a full pipe while we wait. The child gets its own session so that a timeout can stop
    it together with its worker processes.
    """
    scratch.mkdir(parents=True, exist_ok=True)
    out_path, err_path = scratch / "stdout.txt", scratch / "stderr.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err,  # noqa: S603 (our own argv)
                                 stdin=subprocess.DEVNULL, start_new_session=True)
        watcher = _Watcher(child.pid, timeout, sample_tree and PROC.is_dir())
        watcher.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        watcher.stop()
    return Run(tuple(str(a) for a in argv), wall, _maxrss_bytes(usage.ru_maxrss),
               watcher.peak if watcher.sampling else None, child.returncode,
               out_path.read_text("utf-8", errors="replace"), err_path.read_text("utf-8", errors="replace"),
               watcher.timed_out)


def _maxrss_bytes(value: int) -> int:
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS.
    return value if os.uname().sysname == "Darwin" else value * 1024


class _Watcher(threading.Thread):
    """Samples the memory of a process tree and stops it at its deadline."""

    def __init__(self, pid: int, timeout: float | None, sampling: bool):
        super().__init__(daemon=True)
        self.pid, self.sampling = pid, sampling
        self.deadline = time.monotonic() + timeout if timeout else None
        self.peak = 0
        self.timed_out = False
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            if self.sampling:
                self.peak = max(self.peak, tree_memory(self.pid))
            if self.deadline is not None and time.monotonic() > self.deadline:
                self.timed_out = True
                with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
                    os.killpg(self.pid, signal.SIGKILL)
                return
            self._done.wait(SAMPLE_EVERY)

    def stop(self) -> None:
        self._done.set()
        self.join()


def tree_memory(root: int) -> int:
    """PSS (or RSS where PSS is unreadable) summed over ``root`` and its descendants, in bytes."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # the process ended while we looked
        # The command name in parentheses may hold spaces; the parent pid follows the last ')'.
        fields = stat[stat.rfind(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _process_memory(pid)
        todo.extend(children.get(pid, ()))
    return total


def _process_memory(pid: int) -> int:
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            text = (PROC / str(pid) / name).read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    return 0


def median(values: list[float]) -> float:
    return statistics.median(values)
