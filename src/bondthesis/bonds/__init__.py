"""Exact US Treasury bond math: schedules, prices, yields, durations, convexity, DV01.

Pure: numpy and numba only, never files, the network or the clock. Coupons and yields are
decimals (0.045 is 4.5%), prices are per 100 face, durations in years, convexity in years
squared. Every function broadcasts its array arguments and has a twin ``*_from_years`` that
takes the time to maturity in years instead of maturity and settlement dates.
"""

from __future__ import annotations

from bondthesis.bonds.pricing import (
    accrued_from_years,
    accrued_interest,
    clean_price,
    clean_price_from_years,
    dirty_price,
    dirty_price_from_years,
    price_from_years,
    yield_from_price,
    yield_from_price_years,
)
from bondthesis.bonds.risk import (
    convexity,
    convexity_from_years,
    dv01,
    dv01_from_years,
    effective_duration,
    effective_duration_from_years,
    macaulay_duration,
    macaulay_duration_from_years,
    modified_duration,
    modified_duration_from_years,
)
from bondthesis.bonds.schedule import (
    CouponPosition,
    coupon_dates,
    coupon_position,
    next_coupon_date,
    previous_coupon_date,
    remaining_coupons,
)

__all__ = [
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
