"""bondthesis.bonds against QuantLib, an independent implementation, on random Treasuries.

QuantLib set up with US Treasury conventions: semiannual schedule generated backward from
maturity, end-of-month rule when maturity is a month end, no business-day adjustment of coupon
dates (Treasury accrues and discounts to nominal dates), ActualActual(ISMA) day count, yields
compounded semiannually. The schedule uses NullCalendar because QuantLib's end-of-month test
with a business calendar would call Friday 2027-04-28 a month end when the 29th and 30th fall
on a weekend; Treasury's rule is about calendar month ends.

Street convention: ``Compounded`` while more than one coupon remains, ``SimpleThenCompounded``
(simple interest) in the final period. Treasury convention (31 CFR 356 App. B): QuantLib's
stepwise discounting with ``SimpleThenCompounded`` applies simple interest to the fractional
first period and compounding after it, which is exactly the Appendix B formula.
"""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.bonds import (
    accrued_interest,
    clean_price,
    convexity,
    coupon_dates,
    dirty_price,
    macaulay_duration,
    modified_duration,
    remaining_coupons,
    yield_from_price,
)

ql = pytest.importorskip("QuantLib")

DAY_COUNT = ql.ActualActual(ql.ActualActual.ISMA)


def to_ql(day: dt.date) -> object:
    return ql.Date(day.day, day.month, day.year)


def quantlib_bond(coupon: float, maturity: dt.date) -> tuple[object, object]:
    """A 40-year-old regular bond (no odd first coupon) and its schedule."""
    end = to_ql(maturity)
    end_of_month = ql.Date.isEndOfMonth(end)
    issue = end - ql.Period(6 * 80, ql.Months)
    if end_of_month:
        issue = ql.Date.endOfMonth(issue)
    schedule = ql.Schedule(
        issue,
        end,
        ql.Period(ql.Semiannual),
        ql.NullCalendar(),
        ql.Unadjusted,
        ql.Unadjusted,
        ql.DateGeneration.Backward,
        end_of_month,
    )
    bond = ql.FixedRateBond(0, 100.0, schedule, [coupon], DAY_COUNT, ql.Unadjusted, 100.0, issue)
    return bond, schedule


@st.composite
def treasuries(draw: st.DrawFn) -> tuple[float, dt.date, float, dt.date]:
    """(coupon, maturity, ytm, settlement): month ends and the 29th-31st drawn often."""
    year = draw(st.integers(2027, 2056))
    month = draw(st.integers(1, 12))
    last = calendar.monthrange(year, month)[1]
    day = draw(st.one_of(st.integers(1, last), st.integers(28, last)))
    maturity = dt.date(year, month, day)
    earliest = dt.date(2026, 1, 1)
    settlement = earliest + dt.timedelta(days=draw(st.integers(0, (maturity - earliest).days - 1)))
    coupon = draw(st.sampled_from([0.0, 0.00125, 0.01, 0.02875, 0.045, 0.0475, 0.0625, 0.08]))
    coupon = draw(st.one_of(st.just(coupon), st.floats(0.0, 0.12)))
    ytm = draw(st.floats(-0.01, 0.15))
    return coupon, maturity, ytm, settlement


def street_compounding(maturity: dt.date, settlement: dt.date) -> object:
    last_period = int(remaining_coupons(maturity, settlement)) == 1
    return ql.SimpleThenCompounded if last_period else ql.Compounded


@settings(max_examples=150, deadline=None)
@given(treasuries())
def test_prices_and_accrued_match_quantlib(bond: tuple[float, dt.date, float, dt.date]) -> None:
    coupon, maturity, ytm, settlement = bond
    reference, _ = quantlib_bond(coupon, maturity)
    when = to_ql(settlement)
    compounding = street_compounding(maturity, settlement)
    expected_clean = ql.BondFunctions.cleanPrice(
        reference, ytm, DAY_COUNT, compounding, ql.Semiannual, when
    )
    rate = ql.InterestRate(ytm, DAY_COUNT, compounding, ql.Semiannual)
    expected_dirty = ql.CashFlows.npv(reference.cashflows(), rate, False, when, when)
    assert float(clean_price(coupon, maturity, ytm, settlement)) == pytest.approx(
        expected_clean, abs=1e-10
    )
    assert float(dirty_price(coupon, maturity, ytm, settlement)) == pytest.approx(
        expected_dirty, abs=1e-10
    )
    assert float(accrued_interest(coupon, maturity, settlement)) == pytest.approx(
        ql.BondFunctions.accruedAmount(reference, when), abs=1e-12
    )


@settings(max_examples=150, deadline=None)
@given(treasuries())
def test_treasury_convention_matches_quantlib_stepwise_simple_then_compounded(
    bond: tuple[float, dt.date, float, dt.date],
) -> None:
    coupon, maturity, ytm, settlement = bond
    reference, _ = quantlib_bond(coupon, maturity)
    expected = ql.BondFunctions.cleanPrice(
        reference, ytm, DAY_COUNT, ql.SimpleThenCompounded, ql.Semiannual, to_ql(settlement)
    )
    mine = clean_price(coupon, maturity, ytm, settlement, convention="treasury")
    assert float(mine) == pytest.approx(expected, abs=1e-10)


@settings(max_examples=150, deadline=None)
@given(treasuries())
def test_durations_and_convexity_match_quantlib(
    bond: tuple[float, dt.date, float, dt.date],
) -> None:
    coupon, maturity, ytm, settlement = bond
    reference, _ = quantlib_bond(coupon, maturity)
    when = to_ql(settlement)
    rate = ql.InterestRate(ytm, DAY_COUNT, street_compounding(maturity, settlement), ql.Semiannual)
    expected_modified = ql.BondFunctions.duration(reference, rate, ql.Duration.Modified, when)
    expected_convexity = ql.BondFunctions.convexity(reference, rate, when)
    assert float(modified_duration(coupon, maturity, ytm, settlement)) == pytest.approx(
        expected_modified, abs=1e-8
    )
    assert float(convexity(coupon, maturity, ytm, settlement)) == pytest.approx(
        expected_convexity, abs=1e-8
    )
    if int(remaining_coupons(maturity, settlement)) > 1:  # QuantLib's Macaulay needs Compounded
        expected_macaulay = ql.BondFunctions.duration(reference, rate, ql.Duration.Macaulay, when)
        assert float(macaulay_duration(coupon, maturity, ytm, settlement)) == pytest.approx(
            expected_macaulay, abs=1e-8
        )


@settings(max_examples=100, deadline=None)
@given(treasuries())
def test_coupon_dates_match_quantlib_schedule(bond: tuple[float, dt.date, float, dt.date]) -> None:
    coupon, maturity, _, settlement = bond
    _, schedule = quantlib_bond(coupon, maturity)
    expected = [
        np.datetime64(dt.date(d.year(), d.month(), d.dayOfMonth()), "D")
        for d in schedule.dates()
        if dt.date(d.year(), d.month(), d.dayOfMonth()) > settlement
    ]
    np.testing.assert_array_equal(coupon_dates(maturity, settlement), np.array(expected))


@settings(max_examples=100, deadline=None)
@given(treasuries())
def test_yield_matches_quantlib_solver(bond: tuple[float, dt.date, float, dt.date]) -> None:
    coupon, maturity, ytm, settlement = bond
    reference, _ = quantlib_bond(coupon, maturity)
    when = to_ql(settlement)
    compounding = street_compounding(maturity, settlement)
    price = ql.BondFunctions.cleanPrice(reference, ytm, DAY_COUNT, compounding, ql.Semiannual, when)
    quoted = ql.BondPrice(price, ql.BondPrice.Clean)
    expected = ql.BondFunctions.bondYield(
        reference, quoted, DAY_COUNT, compounding, ql.Semiannual, when, 1e-14, 200
    )
    found = float(yield_from_price(coupon, maturity, price, settlement))
    assert found == pytest.approx(expected, abs=1e-9)
    assert found == pytest.approx(ytm, abs=1e-9)


def test_vectorized_call_equals_loop_of_quantlib_prices() -> None:
    rng = np.random.default_rng(20260101)
    maturities = np.datetime64("2040-02-15") + rng.integers(0, 6000, size=300)
    settlements = np.datetime64("2026-01-02") + rng.integers(0, 4000, size=300)
    coupons = rng.uniform(0.0, 0.08, size=300)
    ytms = rng.uniform(0.0, 0.09, size=300)
    prices = clean_price(coupons, maturities, ytms, settlements)
    for i in range(300):
        maturity = maturities[i].astype(dt.date)
        settlement = settlements[i].astype(dt.date)
        reference, _ = quantlib_bond(float(coupons[i]), maturity)
        expected = ql.BondFunctions.cleanPrice(
            reference,
            float(ytms[i]),
            DAY_COUNT,
            street_compounding(maturity, settlement),
            ql.Semiannual,
            to_ql(settlement),
        )
        assert prices[i] == pytest.approx(expected, abs=1e-10)


@pytest.mark.parametrize(
    ("frequency", "period"), [(1, "Annual"), (4, "Quarterly"), (12, "Monthly")]
)
def test_other_coupon_frequencies_match_quantlib(frequency: int, period: str) -> None:
    rng = np.random.default_rng(frequency)
    quantlib_frequency = getattr(ql, period)
    months = 12 // frequency
    for _ in range(40):
        maturity = dt.date(2031, 1, 1) + dt.timedelta(days=int(rng.integers(0, 7000)))
        settlement = dt.date(2026, 1, 1) + dt.timedelta(days=int(rng.integers(0, 1800)))
        coupon, ytm = float(rng.uniform(0, 0.1)), float(rng.uniform(-0.01, 0.12))
        end = to_ql(maturity)
        end_of_month = ql.Date.isEndOfMonth(end)
        issue = end - ql.Period(months * 12 * frequency * 3, ql.Months)
        if end_of_month:
            issue = ql.Date.endOfMonth(issue)
        schedule = ql.Schedule(
            issue, end, ql.Period(quantlib_frequency), ql.NullCalendar(), ql.Unadjusted,
            ql.Unadjusted, ql.DateGeneration.Backward, end_of_month,
        )  # fmt: skip
        bond = ql.FixedRateBond(0, 100.0, schedule, [coupon], DAY_COUNT, ql.Unadjusted, 100.0)
        last = int(remaining_coupons(maturity, settlement, frequency)) == 1
        compounding = ql.SimpleThenCompounded if last else ql.Compounded
        expected = ql.BondFunctions.cleanPrice(
            bond, ytm, DAY_COUNT, compounding, quantlib_frequency, to_ql(settlement)
        )
        found = clean_price(coupon, maturity, ytm, settlement, frequency=frequency)
        assert float(found) == pytest.approx(expected, abs=1e-10)
