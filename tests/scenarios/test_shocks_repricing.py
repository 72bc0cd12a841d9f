"""Deterministic shocks: full repricing against cash-flow sums, the split, the approximation."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.scenarios import ladder_inputs, paths, shocks
from bondthesis.scenarios.ladder_inputs import (
    CurveShock,
    LadderHoldings,
    YieldCurve,
    coupons_at_issue,
    representative_ladder,
)
from bondthesis.scenarios.shocks import article_table, ladder_risk, reprice_ladder

FLAT = YieldCurve((10.0, 30.0), (0.048, 0.048))
SLOPED = YieldCurve((10.0, 20.0, 30.0), (0.042, 0.0485, 0.049))


def cash_flow_price(coupon: float, periods: int, ytm: float) -> float:
    """Dirty price per 100 of a bond exactly on a coupon date: the textbook sum, no bond library."""
    discount = 1.0 / (1.0 + ytm / 2.0)
    flows = [100.0 * coupon / 2.0] * periods
    flows[-1] += 100.0
    return sum(flow * discount ** (k + 1) for k, flow in enumerate(flows))


def test_module_examples_hold() -> None:
    for module in (ladder_inputs, shocks, paths):
        result = doctest.testmod(module)
        assert result.attempted > 0
        assert result.failed == 0, module.__name__


@settings(max_examples=60, deadline=None)
@given(
    coupons=st.lists(st.floats(0.0, 0.08), min_size=1, max_size=5),
    shift_bp=st.floats(-300.0, 300.0),
    base=st.floats(0.01, 0.07),
)
def test_instant_full_repricing_matches_cash_flow_sums(
    coupons: list[float], shift_bp: float, base: float
) -> None:
    periods = [40 + 4 * i for i in range(len(coupons))]  # 20, 22, ... years: on coupon dates
    ladder = LadderHoldings(coupons, [p / 2 for p in periods], np.arange(1, len(coupons) + 1))
    curve = YieldCurve((10.0, 30.0), (base, base))
    start = sum(
        w * cash_flow_price(c, n, base)
        for w, c, n in zip(ladder.face, coupons, periods, strict=True)
    )
    end = sum(
        w * cash_flow_price(c, n, base + shift_bp * 1e-4)
        for w, c, n in zip(ladder.face, coupons, periods, strict=True)
    )
    result = reprice_ladder(ladder, curve, CurveShock(shift_bp))
    assert result.total == pytest.approx(end / start - 1.0, rel=1e-9, abs=1e-12)
    assert result.income == 0.0
    assert result.roll_down == 0.0
    assert result.price_return == pytest.approx(result.total)


@pytest.mark.parametrize("horizon_years", [0.5, 1.0, 3.0])
def test_horizon_return_is_end_price_plus_coupons_paid(horizon_years: float) -> None:
    coupon, years = 0.03, 25.0
    ladder = LadderHoldings([coupon], [years], [1.0])
    shock = CurveShock(-80.0, twist_bp=30.0)
    end_years = years - horizon_years
    start_yield = float(SLOPED.yield_at(years))
    end_yield = float(SLOPED.yield_at(end_years)) + float(shock.change_at(end_years))
    n_paid = round(2 * horizon_years)
    start = cash_flow_price(coupon, round(2 * years), start_yield)
    end = cash_flow_price(coupon, round(2 * end_years), end_yield) + n_paid * 100 * coupon / 2
    result = reprice_ladder(ladder, SLOPED, shock, horizon_years)
    assert result.total == pytest.approx(end / start - 1.0, rel=1e-10)
    assert result.income == pytest.approx(100 * coupon * horizon_years / start, rel=1e-12)


def test_par_bond_on_flat_curve_earns_its_yield_and_nothing_else() -> None:
    ladder = LadderHoldings([0.048], [30.0], [1.0])
    result = reprice_ladder(ladder, FLAT, CurveShock(0.0), 1.0)
    assert result.total == pytest.approx(0.048, abs=1e-12)
    assert result.pull_to_par == pytest.approx(0.0, abs=1e-12)
    assert result.roll_down == 0.0
    assert result.duration == result.convexity == result.residual == 0.0


def test_discount_bond_pulls_to_par_and_an_upward_curve_rolls_down() -> None:
    ladder = LadderHoldings([0.02], [25.0], [1.0])
    result = reprice_ladder(ladder, SLOPED, CurveShock(0.0), 2.0)
    assert result.pull_to_par > 0.0  # priced below par at a constant yield, it accretes
    assert result.roll_down > 0.0  # a lower yield at 23 years than at 25 on this curve
    assert result.carry == pytest.approx(result.income + result.pull_to_par)


@settings(max_examples=100, deadline=None)
@given(
    coupon=st.floats(0.0, 0.08),
    years=st.floats(20.5, 30.0),
    shift_bp=st.floats(-500.0, 500.0),
    twist_bp=st.floats(-100.0, 100.0),
    horizon_years=st.sampled_from([0.0, 0.25, 1.0, 5.0]),
    base=st.floats(0.005, 0.08),
)
def test_parts_add_up_and_the_approximation_error_stays_under_its_bound(
    coupon: float,
    years: float,
    shift_bp: float,
    twist_bp: float,
    horizon_years: float,
    base: float,
) -> None:
    ladder = LadderHoldings([coupon, 0.03], [years, 20.25], [2.0, 1.0])
    curve = YieldCurve((10.0, 30.0), (base, base + 0.005))
    result = reprice_ladder(ladder, curve, CurveShock(shift_bp, twist_bp), horizon_years)
    parts = (
        result.income,
        result.pull_to_par,
        result.roll_down,
        result.duration,
        result.convexity,
        result.residual,
    )
    assert sum(parts) == pytest.approx(result.total)
    assert abs(result.residual) <= result.residual_bound * (1 + 1e-9) + 1e-15


def test_approximation_error_is_third_order() -> None:
    ladder = representative_ladder(SLOPED)
    small = reprice_ladder(ladder, SLOPED, CurveShock(-10.0)).residual
    double = reprice_ladder(ladder, SLOPED, CurveShock(-20.0)).residual
    assert double / small == pytest.approx(8.0, rel=0.02)


def test_risk_measures_match_finite_differences_of_repricing() -> None:
    ladder = representative_ladder(SLOPED, coupons=np.linspace(0.015, 0.05, 41))
    risk = ladder_risk(ladder, SLOPED)
    h_bp = 1.0
    up = reprice_ladder(ladder, SLOPED, CurveShock(h_bp)).total
    down = reprice_ladder(ladder, SLOPED, CurveShock(-h_bp)).total
    assert (down - up) / (2 * h_bp * 1e-4) == pytest.approx(risk.duration_years, rel=1e-6)
    assert (up + down) / (h_bp * 1e-4) ** 2 == pytest.approx(risk.convexity_years2, rel=1e-3)
    assert 0.0485 < risk.yield_ < 0.049


def test_falls_gain_more_than_rises_lose() -> None:
    ladder = representative_ladder(SLOPED)
    rows = {row.shift_bp: row for row in article_table(ladder, SLOPED)}
    for size in (100, 150, 200):
        assert rows[-size].full_repricing > -rows[size].full_repricing > 0.0
        assert rows[-size].verdict in {"inside", "below", "above"}
        assert rows[size].verdict == ""


def test_article_verdict_follows_the_range() -> None:
    # A 4.8% par 30-year bond: -100bp gives +17.8% (computed above), inside +15..18%.
    one = LadderHoldings([0.048], [30.0], [1.0])
    rows = {r.shift_bp: r for r in article_table(one, FLAT, (-100, -200))}
    assert rows[-100].verdict == "inside"
    # A 20-year par bond has too little duration for the article's -200bp range.
    short = LadderHoldings([0.048], [20.0], [1.0])
    low = article_table(short, FLAT, (-200,))[0]
    assert low.full_repricing < 0.35
    assert low.verdict == "below"


def test_twist_pivots_at_twenty_years() -> None:
    shock = CurveShock(0.0, twist_bp=40.0)
    assert shock.change_at([10.0, 20.0, 30.0]).tolist() == pytest.approx([-0.002, 0.0, 0.002])
    ladder = LadderHoldings([0.04, 0.04], [22.0, 30.0], [1.0, 1.0])
    long_only = LadderHoldings([0.04], [30.0], [1.0])
    assert reprice_ladder(long_only, FLAT, shock).total < 0.0  # steepening hurts the long end
    assert reprice_ladder(ladder, FLAT, shock).total > reprice_ladder(long_only, FLAT, shock).total


def test_coupons_at_issue_round_down_to_eighths() -> None:
    history = pd.Series(
        [0.05, 2.99, 4.874],
        index=pd.to_datetime(["2016-01-01", "2020-01-02", "2026-01-02"]),
    )
    as_of = pd.Timestamp("2026-01-02")
    got = coupons_at_issue([20.0, 24.0, 30.0], as_of, history)
    assert got.tolist() == [0.00125, 0.02875, 0.0475]  # 4.874% rounds down to 4¾%
    with pytest.raises(ValueError, match="reach back"):
        coupons_at_issue([20.0], as_of, history.iloc[1:])


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: YieldCurve((10.0, 30.0), (4.2, 4.8)), "decimals"),
        (lambda: YieldCurve((30.0, 10.0), (0.04, 0.05)), "increasing"),
        (lambda: LadderHoldings([0.04], [20.0, 30.0], [1.0]), "one entry per bond"),
        (lambda: LadderHoldings([0.04], [20.0], [0.0]), "positive"),
        (lambda: CurveShock(float("nan")), "finite"),
        (lambda: CurveShock(-5000.0), "1000bp"),
        (
            lambda: reprice_ladder(LadderHoldings([0.04], [2.0], [1.0]), FLAT, CurveShock(0), 3),
            "horizon",
        ),
        (
            lambda: reprice_ladder(LadderHoldings([0.04], [2.0], [1.0]), FLAT, CurveShock(0), -1),
            ">= 0",
        ),
    ],
)
def test_bad_inputs_say_how_to_fix(build: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()  # type: ignore[operator]
