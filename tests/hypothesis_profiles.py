"""Hypothesis settings for the fuzz tests: a fixed budget in CI, a long run before releases.

``ci`` (the default) is derandomized, so every run of the suite tries the same examples and a
failure reproduces on any machine; it keeps no example database. ``release`` multiplies every
test's example count by ``RELEASE_FACTOR``, draws fresh random examples each run and keeps the
failing ones in ``.hypothesis/`` so that the next run tries them first::

    HYPOTHESIS_PROFILE=release python -m pytest -q tests/*/test_fuzz_*.py

Tests ask for their count with :func:`examples`, because a count given in ``@settings`` would
override the profile's.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

RELEASE_FACTOR = 50
# Generated inputs are large on purpose (huge strings, whole annotation files) and each example
# loads a corpus: the health checks that flag slow or large data would only flag the design.
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
          HealthCheck.large_base_example]

settings.register_profile("ci", deadline=None, derandomize=True, database=None,
                          suppress_health_check=_QUIET, print_blob=True)
settings.register_profile("release", deadline=None, derandomize=False,
                          database=DirectoryBasedExampleDatabase(".hypothesis/examples"),
                          suppress_health_check=_QUIET, print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def examples(count: int) -> int:
    """The example count for a test: ``count`` in CI, ``RELEASE_FACTOR`` times it for a release."""
    return count * RELEASE_FACTOR if PROFILE == "release" else count


class Hang(BaseException):
    """Raised by :func:`hard_limit` in the middle of whatever ran too long.

    A BaseException, so that no ``except Exception`` in the code under test can swallow it.
    """


@contextmanager
def hard_limit(seconds: float) -> Iterator[None]:
    """Fail an example that runs longer than ``seconds`` instead of freezing the suite.

    Hypothesis's deadline only judges an example after it returns; a real hang never returns.
    SIGALRM interrupts Python code wherever it is (pytest runs tests in the main thread).
    """

    def expire(signum, frame):
        raise Hang(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except Hang as exc:  # outside the code under test now: fail the example so Hypothesis shrinks it
        raise AssertionError(str(exc)) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
