"""Worker processes for the parts of a build that parallelise (YAML parsing, SHACL validation).

Workers are spawned, not forked: the parent may hold threads (the endpoint) or Rust state
(pyoxigraph) that a fork would copy half-way. A worker also watches its parent and exits when
the parent is gone: killing ``kg build`` (say ``kill PID`` from another terminal) must not leave
busy orphans behind, holding memory and CPU until their queue runs dry.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context


def worker_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of ``jobs`` spawned workers that end with their parent."""
    return ProcessPoolExecutor(jobs, mp_context=get_context("spawn"), initializer=_watch_parent,
                               initargs=(os.getpid(),))


def _watch_parent(parent: int, every: float = 0.5) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)  # the parent died: our results have nowhere to go

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()
