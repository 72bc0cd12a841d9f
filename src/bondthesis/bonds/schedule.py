"""US Treasury coupon schedules, vectorized over arrays of bonds.

Coupons fall every ``12 / frequency`` months counted back from the maturity date, on the
maturity's day of the month, never adjusted for weekends or holidays (Treasury pays on the next
business day but accrues and discounts to the nominal date). Two rules fix the day:

* end of month: a bond maturing on the last day of a month pays on the last day of every coupon
  month (a note maturing 2028-04-30 pays on 2027-10-31 and 2028-04-30);
* short months: otherwise the day is clipped to the month's length (a bond maturing 2046-08-30
  pays on 2046-02-28, then on 2046-08-30 again, because each date is counted from maturity).

Every coupon period before maturity is taken as regular: the odd first coupon of a newly issued
bond (31 CFR 356 Appendix B, cases B, C, E, F, G) is not modelled.

All functions take dates as ``datetime64[D]`` arrays, ``datetime.date`` objects or ISO strings,
broadcast their arguments together and return arrays of the broadcast shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from bondthesis._typing import DateArray, FloatArray, IntArray

__all__ = [
    "CouponPosition",
    "coupon_dates",
    "coupon_position",
    "next_coupon_date",
    "previous_coupon_date",
    "remaining_coupons",
    "to_dates",
]

_ALLOWED_FREQUENCIES = (1, 2, 3, 4, 6, 12)


def to_dates(value: Any, name: str) -> DateArray:
    """Dates as a ``datetime64[D]`` array, or a ``ValueError`` that names the argument.

    >>> to_dates("2046-02-15", "maturity")
    array('2046-02-15', dtype='datetime64[D]')
    """
    try:
        dates = np.asarray(value, dtype="datetime64[D]")
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"{name} must be dates (datetime64[D], datetime.date or 'YYYY-MM-DD'); got {value!r}"
        ) from exc
    if np.isnat(dates).any():
        raise ValueError(f"{name} contains a missing date (NaT); pass real dates")
    return dates


def check_frequency(frequency: int) -> int:
    """The number of coupons a year, checked: 1, 2, 3, 4, 6 or 12."""
    if isinstance(frequency, bool) or int(frequency) != frequency:
        raise TypeError(f"frequency must be a whole number of coupons a year; got {frequency!r}")
    if int(frequency) not in _ALLOWED_FREQUENCIES:
        raise ValueError(
            f"frequency must be one of {_ALLOWED_FREQUENCIES} coupons a year; got {frequency!r}"
            " (US Treasuries pay 2)"
        )
    return int(frequency)


def _month_index(dates: DateArray) -> IntArray:
    return dates.astype("datetime64[M]").astype(np.int64)


def _month_start(month_index: IntArray) -> DateArray:
    return month_index.astype("datetime64[M]").astype("datetime64[D]")


def _days_in_month(month_index: IntArray) -> IntArray:
    return (_month_start(month_index + 1) - _month_start(month_index)).astype(np.int64)


def _coupon_date(
    maturity_month: IntArray,
    maturity_day: IntArray,
    end_of_month: np.ndarray[Any, np.dtype[np.bool_]],
    periods_before: IntArray,
    months_per_period: int,
) -> DateArray:
    """The coupon date ``periods_before`` periods before maturity (0 is maturity itself)."""
    month = maturity_month - periods_before * months_per_period
    length = _days_in_month(month)
    day = np.where(end_of_month, length, np.minimum(maturity_day, length))
    dates: DateArray = _month_start(month) + (day - 1).astype("timedelta64[D]")
    return dates


@dataclass(frozen=True)
class CouponPosition:
    """Where a settlement date sits in the coupon schedule of each bond.

    Attributes
    ----------
    previous : ndarray of datetime64[D]
        Last coupon date on or before settlement (settlement itself on a coupon date).
    next : ndarray of datetime64[D]
        First coupon date after settlement.
    remaining : ndarray of int64
        Coupons paid after settlement, maturity's included (at least 1).
    days_accrued : ndarray of int64
        Days from ``previous`` to settlement.
    days_in_period : ndarray of int64
        Days from ``previous`` to ``next`` (181 to 184 for semiannual coupons).
    """

    previous: DateArray
    next: DateArray
    remaining: IntArray
    days_accrued: IntArray
    days_in_period: IntArray

    @property
    def fraction_to_next(self) -> FloatArray:
        """Days to the next coupon over days in the period, in (0, 1] (actual/actual ICMA)."""
        return (self.days_in_period - self.days_accrued) / self.days_in_period


def coupon_position(maturity: Any, settlement: Any, frequency: int = 2) -> CouponPosition:
    """Previous and next coupon dates, remaining coupons and day counts at settlement.

    Parameters
    ----------
    maturity, settlement : array_like of dates
        Broadcast together; settlement must fall before maturity.
    frequency : int, default 2
        Coupons a year (Treasuries: 2).

    Returns
    -------
    CouponPosition
        Arrays of the broadcast shape.

    Examples
    --------
    The 8¾% bond of 31 CFR 356 Appendix B (due 2020-05-15), settled 1990-05-15, has 60
    coupons to come, the next on 1990-11-15, in a 184-day period:

    >>> p = coupon_position("2020-05-15", "1990-05-15")
    >>> str(p.next), int(p.remaining), int(p.days_in_period)
    ('1990-11-15', 60, 184)
    """
    frequency = check_frequency(frequency)
    maturity_dates, settlement_dates = np.broadcast_arrays(
        to_dates(maturity, "maturity"), to_dates(settlement, "settlement")
    )
    if (settlement_dates >= maturity_dates).any():
        bad = np.flatnonzero((settlement_dates >= maturity_dates).ravel())[0]
        raise ValueError(
            "settlement must fall before maturity; got settlement "
            f"{settlement_dates.ravel()[bad]} for maturity {maturity_dates.ravel()[bad]}"
        )
    step = 12 // frequency
    maturity_month = _month_index(maturity_dates)
    maturity_day = (maturity_dates - _month_start(maturity_month)).astype(np.int64) + 1
    end_of_month = maturity_day == _days_in_month(maturity_month)
    # The coupon counted back k = floor(months apart / step) periods falls in settlement's month
    # or within the step after it: one comparison decides whether it is the previous or the next.
    periods = (maturity_month - _month_index(settlement_dates)) // step
    candidate = _coupon_date(maturity_month, maturity_day, end_of_month, periods, step)
    after = candidate > settlement_dates
    periods_next = np.where(after, periods, periods - 1)
    next_date = np.where(
        after,
        candidate,
        _coupon_date(maturity_month, maturity_day, end_of_month, periods_next, step),
    )
    previous_date = np.where(
        after,
        _coupon_date(maturity_month, maturity_day, end_of_month, periods + 1, step),
        candidate,
    )
    return CouponPosition(
        previous=previous_date,
        next=next_date,
        remaining=np.asarray(periods_next + 1, dtype=np.int64),
        days_accrued=np.asarray(settlement_dates - previous_date).astype(np.int64),
        days_in_period=np.asarray(next_date - previous_date).astype(np.int64),
    )


def previous_coupon_date(maturity: Any, settlement: Any, frequency: int = 2) -> DateArray:
    """Last coupon date on or before settlement, ``datetime64[D]`` of the broadcast shape.

    >>> previous_coupon_date("2046-08-31", "2026-03-10")
    array('2026-02-28', dtype='datetime64[D]')
    """
    return coupon_position(maturity, settlement, frequency).previous


def next_coupon_date(maturity: Any, settlement: Any, frequency: int = 2) -> DateArray:
    """First coupon date after settlement, ``datetime64[D]`` of the broadcast shape.

    >>> next_coupon_date("2046-08-31", "2026-03-10")
    array('2026-08-31', dtype='datetime64[D]')
    """
    return coupon_position(maturity, settlement, frequency).next


def remaining_coupons(maturity: Any, settlement: Any, frequency: int = 2) -> IntArray:
    """Number of coupons paid after settlement, maturity's included, int64.

    >>> remaining_coupons("2046-08-31", "2026-03-10")
    array(41)
    """
    return coupon_position(maturity, settlement, frequency).remaining


def coupon_dates(maturity: Any, settlement: Any, frequency: int = 2) -> DateArray:
    """All coupon dates of one bond after settlement, in order, ending at maturity.

    Parameters
    ----------
    maturity, settlement : date
        One bond (scalars).
    frequency : int, default 2

    Returns
    -------
    ndarray of datetime64[D], shape (remaining,)

    >>> coupon_dates("2027-08-30", "2026-09-01")
    array(['2027-02-28', '2027-08-30'], dtype='datetime64[D]')
    """
    frequency = check_frequency(frequency)
    maturity_date = to_dates(maturity, "maturity")
    if maturity_date.ndim != 0 or np.ndim(to_dates(settlement, "settlement")) != 0:
        raise ValueError("coupon_dates takes one bond: pass a single maturity and settlement")
    count = int(remaining_coupons(maturity_date, settlement, frequency))
    step = 12 // frequency
    month = _month_index(maturity_date)
    day = (maturity_date - _month_start(month)).astype(np.int64) + 1
    end_of_month = np.asarray(day == _days_in_month(month))
    periods = np.arange(count - 1, -1, -1, dtype=np.int64)
    return _coupon_date(
        np.full(count, month), np.full(count, day), np.full(count, end_of_month), periods, step
    )
