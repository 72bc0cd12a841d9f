"""Position rules through the tracker (a stand-in module here), and without one."""

from __future__ import annotations

import sys
import types
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from bondthesis.data.store import Store
from bondthesis.errors import CacheMiss
from bondthesis.watching import WatchRun, evaluate_store, parse_rules, watch

TRACKER = "bondthesis.research.track"
RULES = "position drawdown below -15%\nposition return below -10%"


def _tracker(drawdown: float, total_return: float) -> types.ModuleType:
    """A module shaped like the tracker: ``track(store, composite=...)`` -> lines."""
    module = types.ModuleType(TRACKER)

    def track(store: Store, *, composite: bool = True) -> SimpleNamespace:
        assert composite is False  # the watcher does not ask for the tracker's composite
        position = SimpleNamespace(
            kind="position",
            drawdown_now=drawdown,
            total_return=total_return,
            start=date(2026, 1, 30),
            end=date(2026, 7, 28),
            simulated=False,
        )
        spy = SimpleNamespace(kind="benchmark", drawdown_now=0.0, total_return=0.05)
        return SimpleNamespace(lines=(spy, position))

    module.track = track  # type: ignore[attr-defined]
    return module


def test_a_drawdown_past_the_limit_is_reported_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = Store(tmp_path / "bondthesis.duckdb")
    rules = parse_rules(RULES)

    def run(drawdown: float, total_return: float, lang: str = "en") -> WatchRun:
        # The stand-in tracker changes while the store does not: evaluate explicitly (a run
        # would otherwise see unchanged data and skip the evaluation).
        monkeypatch.setitem(sys.modules, TRACKER, _tracker(drawdown, total_return))
        return watch(store, rules=rules, evaluation=evaluate_store(store, rules), lang=lang)

    first = run(-0.08, -0.05)
    assert first.flips == ()
    facts = evaluate_store(store, rules)
    assert [(f.key, f.value, f.on) for f in facts.facts] == [
        ("position:drawdown", -0.08, date(2026, 7, 28)),
        ("position:return", -0.05, date(2026, 7, 28)),
    ]
    second = run(-0.16, -0.12)
    assert second.messages == (
        "position drawdown below -15%: now -16.00% on 2026-07-28 · more: bondthesis track",
        "position return below -10%: now -12.00% on 2026-07-28 · more: bondthesis track",
    )
    # -14.5% is inside the 1-point band: still past the limit, nothing new.
    assert run(-0.145, -0.12).flips == ()
    [recovered] = run(-0.13, -0.12, lang="zh-Hant").messages
    assert recovered == (
        "持倉回撤 不再低於 -15%(已回到 -14% 以上)(-13.00%,2026-07-28)· 詳見:bondthesis track"
    )


def test_without_a_tracker_position_rules_are_skipped_and_said_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, TRACKER, None)  # importing it raises ImportError
    facts = evaluate_store(Store(tmp_path / "s.duckdb"), parse_rules(RULES))
    assert facts.facts == ()
    [reason] = facts.unavailable
    assert "position drawdown, position return: not available" in reason


def test_a_tracker_that_cannot_run_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    module = types.ModuleType(TRACKER)

    def track(store: Store, *, composite: bool = True) -> None:
        raise CacheMiss("the store holds no data for TMF; run `bondthesis refresh --only TMF`")

    module.track = track  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, TRACKER, module)
    facts = evaluate_store(Store(tmp_path / "s.duckdb"), parse_rules(RULES))
    assert facts.facts == ()
    assert "no data for TMF" in facts.unavailable[0]
