"""Durations, convexity and DV01 against finite differences of the price and each other."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.bonds import (
    convexity,
    convexity_from_years,
    dirty_price,
    dirty_price_from_years,
    dv01,
    dv01_from_years,
    effective_duration,
    effective_duration_from_years,
    macaulay_duration,
    macaulay_duration_from_years,
    modified_duration,
    modified_duration_from_years,
)

STEP = 1e-5  # yield step for central differences: error ~ STEP**2 * P'''/P, about 1e-8


@settings(max_examples=150, deadline=None)
@given(
    coupon=st.floats(0.0, 0.12),
    years=st.floats(0.05, 35.0),
    ytm=st.floats(-0.01, 0.2),
    convention=st.sampled_from(["street", "treasury"]),
)
def test_analytic_derivatives_match_finite_differences(
    coupon: float, years: float, ytm: float, convention: str
) -> None:
    kwargs = {"frequency": 2, "convention": convention}
    shifted = dirty_price_from_years(coupon, years, [ytm - STEP, ytm, ytm + STEP], **kwargs)  # type: ignore[arg-type]
    down, middle, up = (float(p) for p in shifted)
    first = (up - down) / (2 * STEP)
    second = (up - 2 * middle + down) / STEP**2
    assert float(modified_duration_from_years(coupon, years, ytm, **kwargs)) == pytest.approx(  # type: ignore[arg-type]
        -first / middle, rel=1e-7, abs=1e-9
    )
    assert float(convexity_from_years(coupon, years, ytm, **kwargs)) == pytest.approx(  # type: ignore[arg-type]
        second / middle, rel=2e-4, abs=1e-3
    )
    assert float(dv01_from_years(coupon, years, ytm, **kwargs)) == pytest.approx(  # type: ignore[arg-type]
        -first * 1e-4, rel=1e-7, abs=1e-12
    )


@settings(max_examples=100, deadline=None)
@given(coupon=st.floats(0.0, 0.12), years=st.floats(1.0, 35.0), ytm=st.floats(-0.01, 0.2))
def test_street_modified_is_macaulay_over_one_plus_half_yield(
    coupon: float, years: float, ytm: float
) -> None:
    macaulay = float(macaulay_duration_from_years(coupon, years, ytm))
    modified = float(modified_duration_from_years(coupon, years, ytm))
    assert modified == pytest.approx(macaulay / (1 + ytm / 2), rel=1e-12)


def test_macaulay_of_a_zero_coupon_is_its_life() -> None:
    assert float(macaulay_duration_from_years(0.0, 17.3, 0.05)) == pytest.approx(17.3, rel=1e-12)
    # final period: the one flow is w/2 years away
    assert float(macaulay_duration_from_years(0.045, 0.3, 0.05)) == pytest.approx(0.3, rel=1e-12)


def test_effective_duration_converges_to_modified() -> None:
    modified = float(modified_duration(0.0475, "2055-05-15", 0.048, "2025-06-03"))
    wide = float(effective_duration(0.0475, "2055-05-15", 0.048, "2025-06-03", shift_bp=25.0))
    narrow = float(effective_duration(0.0475, "2055-05-15", 0.048, "2025-06-03", shift_bp=0.5))
    assert abs(narrow - modified) < 1e-5
    assert abs(narrow - modified) < abs(wide - modified)
    assert abs(wide - modified) < 0.02
    with pytest.raises(ValueError, match="shift_bp"):
        effective_duration_from_years(0.04, 10.0, 0.04, shift_bp=0.0)


def test_dates_and_years_forms_agree_and_broadcast() -> None:
    maturities = np.array(["2046-02-15", "2055-08-15"], dtype="datetime64[D]")
    yields = np.array([[0.04], [0.05], [0.06]])
    settlement = "2026-02-15"
    years = np.array([20.0, 29.5])
    pairs = [
        (macaulay_duration, macaulay_duration_from_years),
        (modified_duration, modified_duration_from_years),
        (effective_duration, effective_duration_from_years),
        (convexity, convexity_from_years),
        (dv01, dv01_from_years),
    ]
    for with_dates, with_years in pairs:
        a = with_dates(0.045, maturities, yields, settlement)
        b = with_years(0.045, years, yields)
        assert a.shape == (3, 2)
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_dv01_is_modified_duration_times_dirty_price() -> None:
    args = (0.0425, "2054-08-15", 0.047, "2026-11-24")
    assert float(dv01(*args)) == pytest.approx(
        float(modified_duration(*args)) * float(dirty_price(*args)) * 1e-4, rel=1e-13
    )


def test_longer_bonds_have_more_duration_and_convexity() -> None:
    years = np.linspace(1.0, 30.0, 59)
    durations = modified_duration_from_years(0.04, years, 0.045)
    convexities = convexity_from_years(0.04, years, 0.045)
    assert (np.diff(durations) > 0).all()
    assert (np.diff(convexities) > 0).all()
