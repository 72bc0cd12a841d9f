"""Paths: the daily ladder, TMF's daily reset, the position, path dependence."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.scenarios.ladder_inputs import (
    CurveShock,
    LadderHoldings,
    YieldCurve,
    representative_ladder,
)
from bondthesis.scenarios.paths import (
    FundTerms,
    PositionWeights,
    ShockPath,
    bridge_path,
    daily_reset_values,
    index_values,
    linear_path,
    run_scenario,
    tmf_path_dependence,
)
from bondthesis.scenarios.shocks import reprice_ladder

CURVE = YieldCurve((10.0, 20.0, 30.0), (0.0426, 0.0485, 0.0488))
LADDER = representative_ladder(CURVE, coupons=np.linspace(0.0125, 0.05, 41))
NO_COSTS = FundTerms(tlt_expense_ratio=0.0, tmf_expense_ratio=0.0, tmf_leverage=1.0)


@pytest.mark.parametrize(
    ("shock", "horizon_years"),
    [(CurveShock(-100.0), 1.0), (CurveShock(150.0, 40.0), 0.5), (CurveShock(-200.0), 0.0)],
)
def test_zero_volatility_path_equals_the_deterministic_scenario(
    shock: CurveShock, horizon_years: float
) -> None:
    calm = bridge_path(shock, horizon_years, 0.0, seed=1)
    np.testing.assert_array_equal(calm.parallel_bp, linear_path(shock, horizon_years).parallel_bp)
    values = index_values(LADDER, CURVE, calm)
    expected = reprice_ladder(LADDER, CURVE, shock, horizon_years).total
    assert values[-1] - 1.0 == pytest.approx(expected, rel=1e-12, abs=1e-14)
    result = run_scenario(LADDER, CURVE, shock, horizon_years, cash_rate=0.037, terms=NO_COSTS)
    assert result.row("TLT").total_return == pytest.approx(expected, rel=1e-10)


@settings(max_examples=40, deadline=None)
@given(
    shift_bp=st.floats(-300.0, 300.0),
    vol_bp=st.floats(0.0, 15.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_leverage_one_without_costs_is_the_underlying(
    shift_bp: float, vol_bp: float, seed: int
) -> None:
    path = bridge_path(CurveShock(shift_bp), 0.25, vol_bp, seed=seed)
    index = index_values(LADDER, CURVE, path)
    fund = daily_reset_values(index, leverage=1.0, day_years=path.day_years, financing_rate=0.05)
    np.testing.assert_allclose(fund, index / index[0], rtol=1e-12)


def test_leverage_one_fund_row_equals_the_tlt_row() -> None:
    result = run_scenario(LADDER, CURVE, CurveShock(-75.0), 1.0, cash_rate=0.04, terms=NO_COSTS)
    assert result.row("TMF").total_return == pytest.approx(result.row("TLT").total_return)
    assert result.row("TMF").income == pytest.approx(result.row("TLT").income)


def test_daily_reset_compounds_leveraged_daily_returns_less_costs() -> None:
    rng = np.random.default_rng(5)
    index = np.concatenate(([100.0], 100.0 * np.cumprod(1.0 + rng.normal(0.0, 0.01, 30))))
    day = 1.0 / 252.0
    fund = daily_reset_values(
        index, leverage=3.0, day_years=day, financing_rate=0.04, expense_ratio=0.01
    )
    by_hand = 1.0
    for before, after in itertools.pairwise(index):
        by_hand *= 1.0 + 3.0 * (after / before - 1.0) - (2.0 * 0.04 + 0.01) * day
    assert fund[-1] == pytest.approx(by_hand, rel=1e-12)
    # A flat index costs exactly the financing and the fee.
    flat = daily_reset_values(np.ones(253), leverage=3.0, day_years=day, financing_rate=0.04)
    assert flat[-1] == pytest.approx((1.0 - 2.0 * 0.04 * day) ** 252, rel=1e-12)
    # A -40% day wipes out a 3x fund and it stays at 0.
    crash = daily_reset_values(np.array([1.0, 0.6, 0.7]), leverage=3.0, day_years=0.0)
    assert crash.tolist() == [1.0, 0.0, 0.0]


def test_instant_shock_tmf_is_three_times_tlt_gross() -> None:
    terms = FundTerms()
    result = run_scenario(LADDER, CURVE, CurveShock(-100.0), cash_rate=0.04, terms=terms)
    tlt, tmf = result.row("TLT"), result.row("TMF")
    assert tmf.total_return == pytest.approx(3.0 * tlt.total_return)
    assert tlt.income == tmf.income == 0.0


def test_volatility_costs_tmf_but_not_the_held_ladder() -> None:
    rows = tmf_path_dependence(
        LADDER, CURVE, CurveShock(-100.0), 1.0, cash_rate=0.037, daily_vols_bp=(0.0, 5.5, 11.0)
    )
    tlt = [r.tlt_total_return for r in rows]
    tmf = [r.tmf_total_return for r in rows]
    # Held bonds end at the same prices whatever the path: TLT is path-independent.
    assert max(tlt) - min(tlt) < 1e-6
    # The 3x daily reset loses to volatility: the noisier the path, the less it makes.
    assert tmf[0] > tmf[1] > tmf[2]
    # About 0.5 L (L - 1) sigma² T of drag: with sigma the index's realised volatility.
    drag = math.log1p(tmf[0]) - math.log1p(tmf[2])
    expected = 0.5 * 3.0 * 2.0 * (rows[2].index_volatility ** 2 - rows[0].index_volatility ** 2)
    assert drag == pytest.approx(expected, rel=0.25)


def test_position_is_the_weighted_sum_and_cash_earns_the_bill_rate() -> None:
    weights = PositionWeights(tlt=0.25, tmf=0.25, stocks=0.4, cash=0.1)
    result = run_scenario(
        LADDER,
        CURVE,
        CurveShock(50.0),
        0.5,
        cash_rate=0.04,
        weights=weights,
        stocks_return=0.06,
    )
    rows = {r.instrument: r for r in result.rows}
    assert rows["cash"].total_return == pytest.approx(0.02)
    assert rows["stocks"].total_return == 0.06
    expected = (
        0.25 * rows["TLT"].total_return + 0.25 * rows["TMF"].total_return + 0.4 * 0.06 + 0.1 * 0.02
    )
    assert rows["position"].total_return == pytest.approx(expected)
    for row in result.rows:
        assert row.price_return + row.income == pytest.approx(row.total_return)


def test_bridge_path_is_seeded_and_ends_on_the_shock() -> None:
    a = bridge_path(CurveShock(-100.0, 20.0), 1.0, 6.0, seed=3)
    b = bridge_path(CurveShock(-100.0, 20.0), 1.0, 6.0, seed=3)
    np.testing.assert_array_equal(a.parallel_bp, b.parallel_bp)
    assert a.parallel_bp[-1] == -100.0
    assert a.twist_bp[-1] == 20.0
    assert np.std(np.diff(a.parallel_bp)) == pytest.approx(6.0, rel=0.15)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: PositionWeights(tlt=0.5, tmf=0.5, stocks=0.5, cash=0.0), "sum to 1"),
        (lambda: PositionWeights(tlt=-0.1, tmf=0.5, stocks=0.5, cash=0.1), ">= 0"),
        (lambda: FundTerms(tmf_leverage=0.5), ">= 1"),
        (lambda: ShockPath(np.array([1.0, 2.0]), np.zeros(2), 1.0), "starts at 0bp"),
        (
            lambda: run_scenario(
                LADDER,
                CURVE,
                CurveShock(-100.0),
                1.0,
                cash_rate=0.04,
                path=linear_path(CurveShock(-50.0), 1.0),
            ),
            "end at the shock",
        ),
        (
            lambda: tmf_path_dependence(LADDER, CURVE, CurveShock(-1.0), 0.0, cash_rate=0.04),
            "horizon > 0",
        ),
        (
            lambda: index_values(
                LadderHoldings([0.04], [1.0], [1.0]), CURVE, linear_path(CurveShock(0.0), 2.0)
            ),
            "maturity",
        ),
    ],
)
def test_bad_path_inputs_say_how_to_fix(build: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()  # type: ignore[operator]
