"""The event-study engine on synthetic series whose answers are planted."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from bondthesis.research.events import (
    MIN_EPISODES,
    TOO_FEW,
    event_study,
    find_episode_starts,
    monthly_trigger,
)
from bondthesis.research.outcomes import Outcomes

MONTHS = pd.date_range("2000-01-31", periods=300, freq="ME")


def planted(trigger_positions: list[int], gain: float = 0.05) -> Outcomes:
    """Bonds jump by ``gain`` the month after each trigger; yields drop 1pp; a recession follows."""
    jumps = np.ones(len(MONTHS))
    yields = np.full(len(MONTHS), 0.05)
    recession = np.zeros(len(MONTHS))
    for i in trigger_positions:
        jumps[i + 1] *= 1.0 + gain
        yields[i + 1 :] -= 0.01
        recession[i + 2] = 1.0
    flat = pd.Series(1.0, MONTHS)
    return Outcomes(
        long_bonds=pd.Series(np.cumprod(jumps), MONTHS),
        stocks=flat,
        yield_30y=pd.Series(yields, MONTHS),
        core_inflation_yoy=pd.Series(0.03, MONTHS),
        recession=pd.Series(recession, MONTHS),
        real_yield_10y=pd.Series(yields - 0.03, MONTHS),
        labels={"long_bonds": "synthetic"},
    )


def trigger_at(positions: list[int]) -> pd.Series:
    values = np.zeros(len(MONTHS), dtype=bool)
    values[positions] = True
    return pd.Series(values, MONTHS)


def test_planted_five_percent_every_thirty_months() -> None:
    positions = list(range(0, 300, 30))  # 10 triggers, the last at month 270 (+24 = 294 < 300)
    study = event_study(trigger_at(positions), planted(positions), cooldown_months=12, seed=7)
    assert study.n_episodes == 10
    assert [e.start for e in study.episodes][:2] == [date(2000, 1, 31), date(2002, 7, 31)]
    for horizon in (3, 6, 12, 24):
        summary = study.summary("bonds_minus_stocks", horizon)
        assert summary.n == 10
        assert summary.mean == pytest.approx(0.05)
        assert summary.median == pytest.approx(0.05)
        assert summary.hit_rate == 1.0
        assert summary.ci_low == pytest.approx(0.05)
        assert summary.ci_high == pytest.approx(0.05)
        assert study.summary("yield_30y_change", horizon).mean == pytest.approx(-0.01)
        assert study.summary("recession", horizon).hit_rate == 1.0
        assert study.summary("core_inflation_change", horizon).mean == pytest.approx(0.0)
    assert "N=10" in study.conclusion
    assert "100%" in study.conclusion


def test_windows_past_the_data_are_left_out() -> None:
    positions = [0, 290]
    study = event_study(trigger_at(positions), planted([0]), cooldown_months=12)
    assert study.n_episodes == 2
    assert study.episodes[1].outcomes["bonds_minus_stocks"][12] is None
    assert study.summary("bonds_minus_stocks", 12).n == 1
    assert study.summary("bonds_minus_stocks", 3).n == 2
    assert TOO_FEW in study.conclusion


def test_bootstrap_interval_is_seeded_and_brackets_the_mean() -> None:
    rng = np.random.default_rng(3)
    positions = list(range(0, 270, 27))
    outcomes = planted(positions)
    noisy = outcomes.long_bonds * np.exp(rng.normal(0, 0.02, len(MONTHS)).cumsum())
    outcomes = Outcomes(**{**outcomes.__dict__, "long_bonds": noisy})
    first = event_study(trigger_at(positions), outcomes, seed=1)
    again = event_study(trigger_at(positions), outcomes, seed=1)
    summary = first.summary("bonds_minus_stocks", 12)
    assert summary == again.summary("bonds_minus_stocks", 12)
    assert summary.ci_low is not None
    assert summary.ci_high is not None
    assert summary.ci_low <= summary.mean <= summary.ci_high  # type: ignore[operator]
    assert summary.ci_low < summary.ci_high


def test_cooldown_declusters_and_a_persistent_trigger_is_one_episode() -> None:
    every_six = trigger_at(list(range(0, 300, 6)))
    starts = find_episode_starts(monthly_trigger(every_six), cooldown_months=12)
    assert len(starts) == 25  # every other trigger survives a 12-month cool-down
    persistent = pd.Series(True, MONTHS)
    spans = find_episode_starts(monthly_trigger(persistent), cooldown_months=12)
    assert spans == [(MONTHS[0], MONTHS[-1])]


def test_few_episodes_say_so() -> None:
    positions = [0, 60, 120]
    study = event_study(trigger_at(positions), planted(positions))
    assert study.n_episodes == 3 < MIN_EPISODES
    assert study.conclusion.startswith("N=3")
    assert TOO_FEW in study.conclusion


def test_publication_lag_moves_the_start_to_the_month_it_was_known() -> None:
    trigger = pd.Series([True], [pd.Timestamp("2000-01-31")])
    monthly = monthly_trigger(trigger, lag_days=14)
    assert monthly.index[0] == pd.Timestamp("2000-02-29")
    with pytest.raises(ValueError, match="cooldown"):
        find_episode_starts(monthly, cooldown_months=-1)
