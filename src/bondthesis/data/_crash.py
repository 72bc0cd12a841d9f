"""A test hook: ``kill -9`` of this process at a named point of a refresh, deterministically.

The crash tests set ``BONDTHESIS_CRASH_AT=<point>`` (or ``<point>:<n>`` for the n-th time the
point is passed) in a child process; the refresh calls :func:`crash_point` at each point and the
process dies there with SIGKILL, as a power cut or an OOM kill would end it, with no timing
race. Unset (always, outside those tests) it costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

__all__ = ["CRASH_ENV", "crash_point"]

CRASH_ENV = "BONDTHESIS_CRASH_AT"
_passed: Counter[str] = Counter()


def crash_point(name: str) -> None:
    """Die here with SIGKILL when ``$BONDTHESIS_CRASH_AT`` names this point (and count)."""
    wanted = os.environ.get(CRASH_ENV)
    if not wanted:
        return
    point, _, count = wanted.partition(":")
    if point != name:
        return
    _passed[name] += 1
    if _passed[name] >= (int(count) if count else 1):
        os.kill(os.getpid(), signal.SIGKILL)
