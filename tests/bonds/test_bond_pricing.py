"""Golden values from 31 CFR 356 Appendix B, round trips, invariants and argument checks."""

from __future__ import annotations

import datetime as dt
import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bondthesis.bonds
from bondthesis.bonds import (
    accrued_from_years,
    accrued_interest,
    clean_price,
    clean_price_from_years,
    coupon_position,
    dirty_price,
    dirty_price_from_years,
    next_coupon_date,
    previous_coupon_date,
    price_from_years,
    pricing,
    remaining_coupons,
    risk,
    schedule,
    yield_from_price,
    yield_from_price_years,
)

# 31 CFR 356 Appendix B worked examples whose settlement falls in a regular coupon period
# (the odd-first-coupon cases B, C, E, F, G are outside what bondthesis models).
# (section, coupon, maturity, settlement, yield, Treasury's price P, Treasury's accrued A)
APPENDIX_B = [
    ("II.A 8 3/4% 30-year bond", 0.0875, "2020-05-15", "1990-05-15", 0.0884, 99.057893, 0.0),
    ("II.D 9 1/2% 10-year note", 0.095, "1995-11-15", "1985-11-29", 0.0954, 99.730918, 0.367403),
    ("III.A 3 7/8% 10-year TIPS", 0.03875, "2009-01-15", "1999-01-15", 0.03898, 99.811030, 0.0),
    ("III.B 3 5/8% 10-year TIPS", 0.03625, "2008-01-15", "1998-10-15", 0.0365, 99.797017, 0.906250),
]


@pytest.mark.parametrize(
    ("coupon", "maturity", "settlement", "ytm", "price", "accrued"),
    [case[1:] for case in APPENDIX_B],
    ids=[case[0] for case in APPENDIX_B],
)
def test_appendix_b_worked_examples(
    coupon: float, maturity: str, settlement: str, ytm: float, price: float, accrued: float
) -> None:
    # Treasury rounds P and A to six places; its intermediate rounding moves the last digit.
    found = clean_price(coupon, maturity, ytm, settlement, convention="treasury")
    assert float(found) == pytest.approx(price, abs=1.5e-6)
    assert float(accrued_interest(coupon, maturity, settlement)) == pytest.approx(accrued, abs=5e-7)
    back = yield_from_price(coupon, maturity, price, settlement, convention="treasury")
    assert float(back) == pytest.approx(ytm, abs=1e-7)


def test_appendix_b_ii_d_intermediate_numbers() -> None:
    # (P + A) [1 + (r/s)(i/2)] = C/2 + (C/2) a_n + 100 v^n with r = 167, s = 181, n = 19
    position = coupon_position("1995-11-15", "1985-11-29")
    assert int(position.days_in_period) == 181
    assert int(position.days_in_period - position.days_accrued) == 167
    assert int(position.remaining) == 20
    full = dirty_price(0.095, "1995-11-15", 0.0954, "1985-11-29", convention="treasury")
    assert float(full) * (1 + 167 / 181 * 0.0954 / 2) == pytest.approx(104.5036982843, abs=1e-8)


def test_conventions_agree_on_coupon_dates_and_in_the_final_period() -> None:
    on_coupon = ["2046-02-15", "2046-02-15"], ["2026-02-15", "2026-08-15"]
    street = clean_price(0.045, on_coupon[0], 0.05, on_coupon[1])
    treasury = clean_price(0.045, on_coupon[0], 0.05, on_coupon[1], convention="treasury")
    np.testing.assert_allclose(street, treasury, rtol=0, atol=1e-12)
    final = clean_price(0.045, "2026-08-15", 0.05, "2026-04-01")
    assert float(final) == pytest.approx(
        float(clean_price(0.045, "2026-08-15", 0.05, "2026-04-01", convention="treasury")),
        abs=1e-13,
    )
    # mid-period the simple-interest fraction is worth less than compounding at the same yield
    street_mid = clean_price(0.045, "2046-02-15", 0.05, "2026-05-15")
    treasury_mid = clean_price(0.045, "2046-02-15", 0.05, "2026-05-15", convention="treasury")
    assert 0.0 < float(street_mid - treasury_mid) < 0.01


def test_final_period_is_simple_interest() -> None:
    # 98 of 181 days to go: (100 + 2.25) / (1 + 98/181 * 0.05/2) - accrued
    accrued = 2.25 * (181 - 98) / 181
    expected = 102.25 / (1 + 98 / 181 * 0.025) - accrued
    assert float(clean_price(0.045, "2026-08-15", 0.05, "2026-05-09")) == pytest.approx(
        expected, abs=1e-12
    )


def test_par_bond_on_a_coupon_date_prices_at_par() -> None:
    np.testing.assert_allclose(
        clean_price([0.0, 0.01, 0.045], "2056-02-15", [0.0, 0.01, 0.045], "2026-02-15"),
        100.0,
        atol=1e-10,
    )


def test_zero_yield_prices_at_the_sum_of_the_cash_flows() -> None:
    # 41 coupons of 2.25 plus 100, at a zero yield: clean = sum of flows less accrued
    settlement = "2026-03-10"
    flows = 41 * 2.25 + 100.0
    expected = flows - float(accrued_interest(0.045, "2046-08-31", settlement))
    assert float(clean_price(0.045, "2046-08-31", 0.0, settlement)) == pytest.approx(expected)
    assert float(clean_price(0.045, "2046-08-31", 1e-13, settlement)) == pytest.approx(
        expected, abs=1e-8
    )


def test_schedule_end_of_month_and_short_months() -> None:
    assert str(previous_coupon_date("2046-08-31", "2026-03-10")) == "2026-02-28"
    assert str(next_coupon_date("2046-02-28", "2026-03-10")) == "2026-08-31"  # Feb 28 is EOM
    assert str(next_coupon_date("2048-02-29", "2027-09-01")) == "2028-02-29"
    # the 30th of a 31-day month is not a month end: clipped in February, the 30th again after
    assert str(next_coupon_date("2046-08-30", "2026-01-10")) == "2026-02-28"
    assert str(next_coupon_date("2046-08-30", "2026-03-01")) == "2026-08-30"
    # settlement on a coupon date: that coupon belongs to the seller
    position = coupon_position("2046-02-15", "2026-08-15")
    assert (str(position.previous), str(position.next)) == ("2026-08-15", "2027-02-15")
    assert int(position.days_accrued) == 0
    assert int(remaining_coupons("2046-02-15", "2026-08-15")) == 39


def test_schedule_is_vectorized_with_broadcasting() -> None:
    maturities = np.array(["2046-02-15", "2046-08-31", "2036-05-30"], dtype="datetime64[D]")
    settlements = np.array(["2026-03-10", "2026-11-20"], dtype="datetime64[D]")[:, None]
    position = coupon_position(maturities, settlements)
    assert position.next.shape == (2, 3)
    assert str(position.next[1, 2]) == "2026-11-30"
    assert str(position.previous[0, 1]) == "2026-02-28"
    for i in range(2):
        for j in range(3):
            alone = coupon_position(maturities[j], settlements[i, 0])
            assert alone.next == position.next[i, j]
            assert alone.remaining == position.remaining[i, j]


def test_years_form_equals_dates_form_on_coupon_dates_and_mid_period() -> None:
    assert float(clean_price_from_years(0.045, 20.0, 0.05)) == pytest.approx(
        float(clean_price(0.045, "2046-02-15", 0.05, "2026-02-15")), abs=1e-12
    )
    # mid-period: 2026-05-15 is 89 of 181 days into Feb 15 - Aug 15
    years = (39 + (181 - 89) / 181) / 2
    for convention in ("street", "treasury"):
        assert float(dirty_price_from_years(0.045, years, 0.05, convention=convention)) == (
            pytest.approx(
                float(dirty_price(0.045, "2046-02-15", 0.05, "2026-05-15", convention=convention)),
                abs=1e-11,
            )
        )
    assert float(accrued_from_years(0.045, years)) == pytest.approx(2.25 * 89 / 181, abs=1e-12)
    assert price_from_years is clean_price_from_years


def test_years_just_below_a_whole_number_of_periods_count_as_whole() -> None:
    assert float(accrued_from_years(0.04, 30.0 - 1e-12)) == pytest.approx(0.0, abs=1e-8)
    assert float(dirty_price_from_years(0.04, 60 * (1 / 2), 0.04)) == pytest.approx(100.0)


def test_grid_broadcasting_matches_elementwise_prices() -> None:
    rng = np.random.default_rng(7)
    coupons = rng.uniform(0.01, 0.05, size=(40, 1))
    years = rng.uniform(20.0, 30.0, size=(40, 1))
    ytm = 0.045 + np.linspace(-0.03, 0.03, 1001)
    grid = clean_price_from_years(coupons, years, ytm)  # large enough for the parallel grid path
    assert grid.shape == (40, 1001)
    for i in (0, 17, 39):
        for j in (0, 500, 1000):
            alone = clean_price_from_years(coupons[i, 0], years[i, 0], ytm[j])
            assert grid[i, j] == pytest.approx(float(alone), abs=1e-12)
    transposed = clean_price_from_years(coupons.T, years.T, ytm[:, None])
    np.testing.assert_allclose(transposed, grid.T, rtol=1e-13, atol=0)


@settings(max_examples=200, deadline=None)
@given(
    coupon=st.floats(0.0, 0.15),
    years=st.floats(0.01, 40.0),
    ytm=st.floats(-0.05, 0.30),
    convention=st.sampled_from(["street", "treasury"]),
)
def test_yield_round_trip_years(coupon: float, years: float, ytm: float, convention: str) -> None:
    price = clean_price_from_years(coupon, years, ytm, convention=convention)  # type: ignore[arg-type]
    back = yield_from_price_years(coupon, years, price, convention=convention)  # type: ignore[arg-type]
    assert float(back) == pytest.approx(ytm, abs=1e-10)


@settings(max_examples=100, deadline=None)
@given(
    coupon=st.floats(0.0, 0.15),
    days_to_maturity=st.integers(1, 365 * 30),
    ytm=st.floats(-0.02, 0.25),
)
def test_price_round_trip_dates(coupon: float, days_to_maturity: int, ytm: float) -> None:
    settlement = dt.date(2026, 11, 24)
    maturity = settlement + dt.timedelta(days=days_to_maturity)
    price = clean_price(coupon, maturity, ytm, settlement)
    back = yield_from_price(coupon, maturity, price, settlement)
    assert float(back) == pytest.approx(ytm, abs=1e-10)
    assert float(clean_price(coupon, maturity, back, settlement)) == pytest.approx(
        float(price), rel=1e-13
    )


def test_yield_solver_handles_extreme_prices() -> None:
    # deep discount and far premium both converge and round-trip
    for price in (1.0, 20.0, 250.0, 400.0):
        found = yield_from_price_years(0.045, 30.0, price)
        assert float(clean_price_from_years(0.045, 30.0, found)) == pytest.approx(price, rel=1e-12)


def test_prices_fall_as_yields_rise() -> None:
    prices = clean_price_from_years(0.045, 25.3, np.linspace(-0.02, 0.2, 500))
    assert (np.diff(prices) < 0).all()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: clean_price(4.5, "2046-02-15", 0.05, "2026-02-15"), "0.045"),
        (lambda: clean_price(0.045, "2046-02-15", -2.5, "2026-02-15"), "above -2"),
        (lambda: clean_price(0.045, "2026-02-15", 0.05, "2026-02-15"), "before maturity"),
        (lambda: clean_price(0.045, "2046-02-30", 0.05, "2026-02-15"), "YYYY-MM-DD"),
        (lambda: clean_price(0.045, "2046-02-15", np.nan, "2026-02-15"), "NaN"),
        (lambda: clean_price(0.045, "2046-02-15", 0.05, "2026-02-15", 5), "coupons a year"),
        (lambda: clean_price_from_years(0.045, 0.0, 0.05), "positive"),
        (lambda: yield_from_price_years(0.045, 10.0, -3.0), "positive"),
        (lambda: clean_price_from_years(0.045, 10.0, 0.05, convention="bloomberg"), "street"),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_say_how_to_fix_them(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_exported_names_are_pinned() -> None:
    assert sorted(bondthesis.bonds.__all__) == sorted(
        [
            "CouponPosition",
            "accrued_from_years",
            "accrued_interest",
            "clean_price",
            "clean_price_from_years",
            "convexity",
            "convexity_from_years",
            "coupon_dates",
            "coupon_position",
            "dirty_price",
            "dirty_price_from_years",
            "dv01",
            "dv01_from_years",
            "effective_duration",
            "effective_duration_from_years",
            "macaulay_duration",
            "macaulay_duration_from_years",
            "modified_duration",
            "modified_duration_from_years",
            "next_coupon_date",
            "previous_coupon_date",
            "price_from_years",
            "remaining_coupons",
            "yield_from_price",
            "yield_from_price_years",
        ]
    )
    for name in bondthesis.bonds.__all__:
        assert hasattr(bondthesis.bonds, name)


@pytest.mark.parametrize("module", [pricing, risk, schedule], ids=lambda m: m.__name__)
def test_docstring_examples_hold(module: object) -> None:
    failures, tried = doctest.testmod(module, raise_on_error=False)  # type: ignore[arg-type]
    assert tried > 0
    assert failures == 0


@pytest.mark.parametrize("convention", ["street", "treasury"])
@pytest.mark.parametrize(
    ("bond_shape", "yield_shape"),
    [
        ((8, 1), (600_000,)),  # shared yields, split over threads (>= 4M prices)
        ((40, 1), (40, 3_000)),  # a yield per bond and scenario: per-element grid, threads
        ((1,), (150_000,)),  # one bond, many yields: flat kernel, threads
        ((3, 1), (50,)),  # few bonds: flat kernel, one thread
    ],
)
def test_every_kernel_path_agrees_with_one_price_at_a_time(
    bond_shape: tuple[int, ...], yield_shape: tuple[int, ...], convention: str
) -> None:
    rng = np.random.default_rng(11)
    coupons = rng.uniform(0.0, 0.08, bond_shape)
    years = rng.uniform(0.1, 30.0, bond_shape)
    ytm = rng.uniform(-0.01, 0.12, yield_shape)
    clean = clean_price_from_years(coupons, years, ytm, convention=convention)  # type: ignore[arg-type]
    dirty = dirty_price_from_years(coupons, years, ytm, convention=convention)  # type: ignore[arg-type]
    assert clean.shape == np.broadcast_shapes(bond_shape, yield_shape)
    coupon_full, years_full, ytm_full = np.broadcast_arrays(coupons, years, ytm)
    for index in rng.integers(0, clean.size, 25):
        where = np.unravel_index(index, clean.shape)
        args = (coupon_full[where], years_full[where], ytm_full[where])
        alone = clean_price_from_years(*args, convention=convention)  # type: ignore[arg-type]
        assert clean[where] == pytest.approx(float(alone), rel=1e-13, abs=1e-12)
        assert dirty[where] - clean[where] == pytest.approx(
            float(accrued_from_years(args[0], args[1])), abs=1e-12
        )
