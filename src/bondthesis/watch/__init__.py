"""Watch the thesis: evaluations stored, flips latched, notifications through apprise.

>>> from bondthesis.watch import parse_rules
>>> [r.text for r in parse_rules("any claim changes")]
['any claim changes']

Modules: :mod:`~bondthesis.watch.rules` (what is watched, hysteresis), :mod:`~.facts` (what the
store says now), :mod:`~.engine` (what flipped), :mod:`~.messages` (in en and zh-Hant),
:mod:`~.notify` (apprise), :mod:`~.run` (one run, the loop); the memory lives in the store
(:mod:`bondthesis.data.watch_log`).
"""

from __future__ import annotations

import sys
import types
from typing import Any

from bondthesis.watch.engine import Flip, Memory, compare
from bondthesis.watch.facts import Evaluation, Fact, evaluate_store
from bondthesis.watch.messages import LANGUAGES, flip_line, flips_message
from bondthesis.watch.notify import NotifyTarget, parse_targets
from bondthesis.watch.rules import DEFAULT_RULES, Rule, RulesError, parse_rules, read_rules
from bondthesis.watch.run import (
    Delivery,
    RefreshSummary,
    WatchRun,
    flip_history,
    next_check,
    watch,
    watch_loop,
)

__all__ = [
    "DEFAULT_RULES",
    "LANGUAGES",
    "Delivery",
    "Evaluation",
    "Fact",
    "Flip",
    "Memory",
    "NotifyTarget",
    "RefreshSummary",
    "Rule",
    "RulesError",
    "WatchRun",
    "compare",
    "evaluate_store",
    "flip_history",
    "flip_line",
    "flips_message",
    "next_check",
    "parse_rules",
    "parse_targets",
    "read_rules",
    "watch",
    "watch_loop",
]


class _CallableModule(types.ModuleType):
    """``bondthesis.watch(store, ...)`` is the function :func:`~bondthesis.watch.run.watch`.

    The front door exports ``watch`` lazily, but ``bondthesis.watch`` is also this package: once
    anything imports the package, Python sets the attribute ``bondthesis.watch`` to the module,
    and the front door's ``__getattr__`` is never asked again. Calling the module runs a watch,
    so ``bt.watch(store)`` works whichever of the two the attribute holds.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> WatchRun:
        return watch(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
