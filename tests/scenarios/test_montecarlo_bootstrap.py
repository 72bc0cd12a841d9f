"""Block bootstrap: the history it draws from, and draws that really come from it."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bondthesis.scenarios import _layout as k
from bondthesis.scenarios.montecarlo import (
    BlockBootstrap,
    MonteCarloSpec,
    bootstrap_history,
    simulate,
    simulate_paths,
)


def _synthetic(n: int = 400, seed: int = 1) -> tuple[pd.Series, pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2015-01-01", periods=n)
    long_yield = pd.Series(0.03 + np.cumsum(rng.normal(0, 0.0006, n)), index=dates)
    short_rate = pd.Series(0.01 + np.cumsum(rng.normal(0, 0.0002, n)), index=dates)
    stock = pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.01, n))), index=dates)
    return long_yield, short_rate, stock


def test_history_drops_changes_across_gaps_and_aligns() -> None:
    dates = pd.to_datetime(["2001-12-28", "2001-12-31", "2006-02-09", "2006-02-10", "2006-02-13"])
    levels = pd.Series([0.054, 0.055, 0.045, np.nan, 0.046], index=dates)
    history = bootstrap_history(levels)
    # 2001-12-31 (+10bp) kept; the four-year jump dropped; 2006-02-13 is 4 days after 02-09
    np.testing.assert_allclose(history.long_yield_change, [0.001, 0.001], atol=1e-15)
    assert (history.first_date, history.last_date) == (date(2001, 12, 31), date(2006, 2, 13))
    np.testing.assert_array_equal(history.short_rate_change, [0.0, 0.0])
    assert history.stock_return is None


def test_history_period_by_years_and_outside_the_data() -> None:
    long_yield, short_rate, stock = _synthetic()
    history = bootstrap_history(
        long_yield, short_rate=short_rate, stock_price=stock, start=2015, end=2015
    )
    assert history.first_date == date(2015, 1, 2)
    assert history.last_date == date(2015, 12, 31)
    assert history.stock_return is not None
    assert history.n_days == len(pd.bdate_range("2015-01-02", "2015-12-31"))
    with pytest.raises(ValueError, match=r"outside the data, which covers 2015-01-02\.\.2016"):
        bootstrap_history(long_yield, start=1950, end=1960)
    with pytest.raises(ValueError, match="starts"):
        bootstrap_history(long_yield, start=2016, end=2015)


def test_an_open_period_takes_the_whole_history() -> None:
    # `--model bootstrap` with no period asks for 1900..2999; 2999 lies beyond a nanosecond
    # index and once crashed the label slice instead of meaning "to the end".
    long_yield, short_rate, stock = _synthetic()
    whole = bootstrap_history(long_yield, short_rate=short_rate, stock_price=stock)
    open_period = bootstrap_history(
        long_yield, short_rate=short_rate, stock_price=stock, start=1900, end=2999
    )
    assert (open_period.first_date, open_period.last_date) == (whole.first_date, whole.last_date)
    assert np.array_equal(open_period.long_yield_change, whole.long_yield_change)


def test_one_day_blocks_draw_historical_days_jointly() -> None:
    long_yield, short_rate, stock = _synthetic()
    history = bootstrap_history(long_yield, short_rate=short_rate, stock_price=stock)
    spec = MonteCarloSpec(
        n_paths=5000,
        horizon_days=1,
        start_yield=0.0,
        shocks=BlockBootstrap(history, block_days=1, demean=False),
    )
    paths = simulate_paths(spec)
    assert history.stock_return is not None
    pairs = {(round(a, 15), round(b, 15)) for a, b in zip(*_pairs(history), strict=True)}
    drawn = zip(paths[:, k.OUT_YIELD], paths[:, k.OUT_STOCKS] - 1, strict=True)
    assert all((round(a, 15), round(b, 15)) in pairs for a, b in drawn)
    # every day is equally likely: ~5000/399 = 12.5 draws each
    _, counts = np.unique(paths[:, k.OUT_YIELD], return_counts=True)
    assert counts.size > 0.95 * history.n_days


def _pairs(history: object) -> tuple[np.ndarray, np.ndarray]:
    return history.long_yield_change, history.stock_return  # type: ignore[attr-defined]


def test_a_path_of_one_block_is_a_historical_window() -> None:
    long_yield, _, _ = _synthetic()
    history = bootstrap_history(long_yield)
    window = 10
    spec = MonteCarloSpec(
        n_paths=300,
        horizon_days=window,
        start_yield=0.0,
        shocks=BlockBootstrap(history, block_days=window, demean=False),
    )
    moves = simulate_paths(spec)[:, k.OUT_YIELD]
    sums = np.convolve(history.long_yield_change, np.ones(window), mode="valid")
    distance = np.abs(moves[:, None] - sums[None, :]).min(axis=1)
    assert distance.max() < 1e-14


def test_demeaned_draws_have_no_drift() -> None:
    long_yield, _, _ = _synthetic()
    trending = long_yield + np.linspace(0, 0.02, long_yield.size)  # +2% over the sample
    history = bootstrap_history(trending)
    kept = simulate(
        MonteCarloSpec(n_paths=20_000, shocks=BlockBootstrap(history, demean=False))
    ).terminal_yield_quantiles[4]
    removed = simulate(
        MonteCarloSpec(n_paths=20_000, shocks=BlockBootstrap(history, demean=True))
    ).terminal_yield_quantiles[4]
    drift = float(history.long_yield_change.mean()) * 252
    assert kept - 0.047 == pytest.approx(drift, abs=0.002)
    assert removed - 0.047 == pytest.approx(0.0, abs=0.002)


def test_block_days_longer_than_the_history_is_refused() -> None:
    history = bootstrap_history(_synthetic(n=30)[0])
    with pytest.raises(ValueError, match="block_days must be between 1 and the 29 days"):
        BlockBootstrap(history, block_days=40)


def test_bootstrap_of_real_dgs30(shared_data: Path) -> None:
    """1990-2025 of FRED's DGS30 (percent, read here with pandas only for the test)."""
    frame = pd.read_csv(shared_data / "DGS30.csv", index_col=0, parse_dates=True, na_values=".")
    long_yield = frame.iloc[:, 0].astype(float) / 100
    history = bootstrap_history(long_yield, start=1990, end=2025)
    # the 30-year bond was not issued from 2002 to 2006: that gap adds no change
    assert history.first_date.year == 1990
    assert np.abs(history.long_yield_change).max() < 0.005
    daily_std = float(history.long_yield_change.std())
    assert 0.0004 < daily_std < 0.0008
    result = simulate(MonteCarloSpec(n_paths=20_000, shocks=BlockBootstrap(history)))
    spread = (result.terminal_yield_quantiles[7] - result.terminal_yield_quantiles[1]) / 3.29
    # a year of 21-day blocks spreads about as a random walk would (loose: blocks keep the
    # history's short-run autocorrelation)
    assert spread == pytest.approx(daily_std * math.sqrt(252), rel=0.25)
    assert result.bootstrap_period == (history.first_date, history.last_date)
