"""Invariants of the engine on made-up prices (Hypothesis) and against the plain loop."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _backtest_reference import reference_backtest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from bondthesis.backtesting._kernel import simulate_many
from bondthesis.backtesting.engine import simulate
from bondthesis.backtesting.rebalance import calendar_days
from bondthesis.funds.leveraged import fund_daily_returns

N_DAYS = 90
DATES = pd.bdate_range("2023-11-20", periods=N_DAYS)

daily_returns = arrays(
    np.float64, (N_DAYS, 3), elements=st.floats(-0.09, 0.09, allow_nan=False, allow_infinity=False)
)
weight_vectors = arrays(np.float64, 3, elements=st.floats(-0.5, 1.5, allow_nan=False))


def _prices(returns: np.ndarray) -> pd.DataFrame:
    returns = returns.copy()
    returns[0] = 0.0
    return pd.DataFrame(100.0 * np.cumprod(1.0 + returns, axis=0), index=DATES, columns=list("ABC"))


@settings(max_examples=40, deadline=None)
@given(daily_returns)
def test_all_in_one_asset_is_the_asset(returns: np.ndarray) -> None:
    prices = _prices(returns)
    for rule in ("monthly", "none", "band:5", "daily"):
        values = simulate(prices, {"B": 1.0}, rule)
        np.testing.assert_allclose(values, prices["B"] / prices["B"].iloc[0], rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(daily_returns, weight_vectors)
def test_no_rebalancing_is_buy_and_hold(returns: np.ndarray, weights: np.ndarray) -> None:
    prices = _prices(returns)
    w = dict(zip("ABC", weights.tolist(), strict=True))
    held = sum(w[n] * prices[n] / prices[n].iloc[0] for n in "ABC") + (1.0 - sum(w.values()))
    assume(held.min() > 1e-6)  # a wiped-out portfolio stays at zero (tested below)
    np.testing.assert_allclose(simulate(prices, w, "none"), held, rtol=1e-10, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(daily_returns, weight_vectors, st.floats(0.0, 50.0), st.floats(0.0, 0.08))
def test_equals_the_plain_loop(
    returns: np.ndarray, weights: np.ndarray, cost: float, rate: float
) -> None:
    prices = _prices(returns)
    w = dict(zip("ABC", weights.tolist(), strict=True))
    rates = pd.Series(rate, index=DATES)
    days = DATES.to_series().diff().dt.days.fillna(0).to_numpy()
    bills = pd.Series(rate * days / 360.0, index=DATES)
    ours = simulate(prices, w, "monthly", cost, bill_return=bills, borrow_spread=0.01)
    theirs = reference_backtest(prices, w, "monthly", cost, rates, borrow_spread=0.01)
    assume(min(theirs) > 1e-6)
    np.testing.assert_allclose(ours, theirs, rtol=1e-11)


@settings(max_examples=30, deadline=None)
@given(daily_returns, weight_vectors)
def test_zero_cost_is_the_no_cost_path_and_costs_only_lower(
    returns: np.ndarray, weights: np.ndarray
) -> None:
    prices = _prices(returns)
    w = dict(zip("ABC", np.abs(weights).tolist(), strict=True))
    free = simulate(prices, w, "monthly")
    np.testing.assert_array_equal(simulate(prices, w, "monthly", cost_bps=0.0), free)
    assert (simulate(prices, w, "monthly", cost_bps=25.0) <= free * (1 + 1e-12)).all()


def test_the_fast_calendar_route_equals_the_daily_loop() -> None:
    rng = np.random.default_rng(7)
    growth = 1.0 + rng.normal(0.0003, 0.012, (800, 4))
    # Cash (x0.9), fully invested (x1.0: the fused route), debt (x1.4) and a short position.
    weights = np.vstack(
        [
            rng.dirichlet(np.ones(4), 20) * 0.9,
            rng.dirichlet(np.ones(4), 20),
            rng.dirichlet(np.ones(4), 20) * 1.4,
            [[0.5, 0.3, -0.2, 0.0]],
        ]
    )
    calendar = np.zeros(800, dtype=bool)
    calendar[::21] = True
    cash, debt = np.full(800, 1e-4), np.full(800, 1.3e-4)
    fast = simulate_many(growth, weights, calendar, 0.0, 0.0, 0.002, cash, debt)
    # A relative band too wide to trigger sends the same portfolios through the daily loop.
    slow = simulate_many(growth, weights, calendar, 0.0, 1e9, 0.002, cash, debt)
    np.testing.assert_allclose(fast[0], slow[0], rtol=1e-13)
    np.testing.assert_allclose(fast[1], slow[1], rtol=1e-13)
    np.testing.assert_array_equal(fast[2], slow[2])


def test_bands_trade_back_to_target_once_outside() -> None:
    # A rises 10% a day, B flat: 50/50 drifts to 52.4% after one day, 54.8% after two.
    prices = pd.DataFrame(
        {"A": [1.0, 1.1, 1.21, 1.331], "B": [1.0, 1.0, 1.0, 1.0]},
        index=pd.bdate_range("2024-01-01", periods=4),
    )
    values = simulate(prices, {"A": 0.5, "B": 0.5}, "band:4")
    # Day 2 is outside the 4-point band (54.8%): back to 50/50, then day 3 grows 5%.
    assert values.iloc[2] == pytest.approx(0.5 * 1.21 + 0.5)
    assert values.iloc[3] == pytest.approx(values.iloc[2] * 1.05)


def test_leverage_one_without_fee_is_the_index() -> None:
    index = pd.Series(
        np.random.default_rng(1).normal(0, 0.01, 300), pd.bdate_range("2020-01-01", periods=300)
    )
    cash = pd.Series(0.03, index.index)
    np.testing.assert_array_equal(fund_daily_returns(index, cash, 1.0).to_numpy(), index.to_numpy())


def test_a_wiped_out_portfolio_stays_at_zero() -> None:
    prices = pd.DataFrame(
        {"A": [1.0, 0.5, 0.2, 0.4]}, index=pd.bdate_range("2024-01-01", periods=4)
    )
    # 3x on -50%: the value falls to 1 + 3 * -0.5 = -0.5, below zero; it stays at zero after.
    values = simulate(prices, {"A": 3.0}, "daily")
    assert values.tolist() == [1.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("n_assets", [1, 4, 5])
def test_any_number_of_assets_equals_the_plain_loop(n_assets: int) -> None:
    # Up to four assets take the fused calendar route, five the daily loop.
    rng = np.random.default_rng(n_assets)
    names = [f"A{i}" for i in range(n_assets)]
    returns = rng.normal(0.0003, 0.01, (300, n_assets))
    returns[0] = 0.0
    dates = pd.bdate_range("2020-01-01", periods=300)
    prices = pd.DataFrame(np.cumprod(1.0 + returns, axis=0), index=dates, columns=names)
    weights = dict(zip(names, (rng.dirichlet(np.ones(n_assets)) * 1.2).tolist(), strict=True))
    growth = 1.0 + returns
    calendar = calendar_days(dates, "monthly")
    zero = np.zeros(300)
    vector = np.array([weights[n] for n in names])[None, :]
    ours, _, _ = simulate_many(growth, vector, calendar, 0.0, 0.0, 7e-4, zero, zero)
    theirs = reference_backtest(prices, weights, "monthly", cost_bps=7.0)
    np.testing.assert_allclose(ours[0], theirs, rtol=1e-12)
