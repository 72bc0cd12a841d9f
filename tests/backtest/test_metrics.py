from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from bondthesis.backtesting.metrics import compute_metrics, drawdown_episodes, summary_many


def test_figures_by_hand() -> None:
    dates = pd.DatetimeIndex(["2023-12-29", "2024-01-02", "2024-06-28", "2024-12-31", "2025-03-31"])
    values = pd.Series([1.0, 1.2, 0.9, 1.2, 1.3], index=dates)
    bills = pd.Series([0.0, 0.001, 0.001, 0.001, 0.001], index=dates)
    metrics, annual, drawdowns = compute_metrics(values, bills)
    days = (dates[-1] - dates[0]).days
    assert metrics.cagr == pytest.approx(1.3 ** (365.25 / days) - 1.0, rel=1e-12)
    returns = np.array([0.2, -0.25, 1.2 / 0.9 - 1.0, 1.3 / 1.2 - 1.0])
    assert metrics.volatility == pytest.approx(np.std(returns, ddof=1) * math.sqrt(252), rel=1e-12)
    excess = returns - 0.001
    assert metrics.sharpe == pytest.approx(excess.mean() / excess.std(ddof=1) * math.sqrt(252))
    downside = math.sqrt(np.mean(np.minimum(excess, 0) ** 2))
    assert metrics.sortino == pytest.approx(excess.mean() * 252 / (downside * math.sqrt(252)))
    assert metrics.max_drawdown == pytest.approx(-0.25)
    assert str(metrics.max_drawdown_peak) == "2024-01-02"
    assert str(metrics.max_drawdown_trough) == "2024-06-28"
    assert str(metrics.max_drawdown_recovery) == "2024-12-31"
    assert metrics.longest_under_water_days == (dates[3] - dates[1]).days
    assert metrics.calmar == pytest.approx(metrics.cagr / 0.25)
    drawdown = np.array([0, 0, -0.25, 0, 0])
    assert metrics.ulcer_index == pytest.approx(math.sqrt(np.mean(drawdown**2)))
    assert [(a.year, a.partial) for a in annual] == [(2023, True), (2024, False), (2025, True)]
    assert annual[1].value == pytest.approx(0.2)
    assert metrics.worst_year == 2023 or metrics.worst_year == 2024
    assert len(drawdowns) == 1


def test_an_open_drawdown_has_no_recovery() -> None:
    values = pd.Series([1.0, 2.0, 1.5, 1.8], index=pd.bdate_range("2024-01-01", periods=4))
    (episode,) = drawdown_episodes(values)
    assert episode.recovery is None
    assert episode.depth == pytest.approx(-0.25)
    assert episode.days_under_water == 2


def test_summary_of_many_matches_one() -> None:
    rng = np.random.default_rng(3)
    dates = pd.bdate_range("2020-01-01", periods=400)
    curves = np.cumprod(1.0 + rng.normal(0.0004, 0.01, (5, 400)), axis=1)
    bills = np.full(400, 0.0001)
    many = summary_many(curves, dates, bills)
    for row in range(5):
        one, _, _ = compute_metrics(pd.Series(curves[row], dates), pd.Series(bills, dates))
        assert many["cagr"][row] == pytest.approx(one.cagr, rel=1e-12)
        assert many["sharpe"][row] == pytest.approx(one.sharpe, rel=1e-9)
        assert many["max_drawdown"][row] == pytest.approx(one.max_drawdown, rel=1e-12)
