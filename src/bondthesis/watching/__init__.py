"""Watch the thesis: evaluations stored, flips latched, notifications through apprise.

>>> from bondthesis.watching import parse_rules
>>> [r.text for r in parse_rules("any claim changes")]
['any claim changes']

Modules: :mod:`~bondthesis.watching.rules` (what is watched, hysteresis), :mod:`~.facts` (what the
store says now), :mod:`~.engine` (what flipped), :mod:`~.messages` (in en and zh-Hant),
:mod:`~.notify` (apprise), :mod:`~.run` (one run, the loop); the memory lives in the store
(:mod:`bondthesis.data.watch_log`).
"""

from __future__ import annotations

from bondthesis.watching.engine import Flip, Memory, compare
from bondthesis.watching.facts import Evaluation, Fact, evaluate_store
from bondthesis.watching.messages import LANGUAGES, flip_line, flips_message
from bondthesis.watching.notify import NotifyTarget, parse_targets
from bondthesis.watching.rules import DEFAULT_RULES, Rule, RulesError, parse_rules, read_rules
from bondthesis.watching.run import (
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
