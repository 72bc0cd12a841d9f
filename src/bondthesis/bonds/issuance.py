"""How much long-bond face the ladder issues each month: the auction record or the calendar.

:func:`long_bond_issuance` sums the Treasury's long-bond auctions (reopenings included) by month;
:func:`issuance_face` is the 30-year's historical auction calendar for months outside that record.
Pure: tables in, arrays out. :mod:`bondthesis.bonds.ladder` documents how the two are combined.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from bondthesis._typing import FloatArray

__all__ = ["DAYS_PER_YEAR", "Issuance", "issuance_face", "long_bond_issuance", "splice_issued_face"]

Issuance = Literal["historical", "monthly"]
DAYS_PER_YEAR = 365.25


def _auction_months(year: int, month: int) -> tuple[int, ...]:
    """Months of the year with a 30-year auction under the historical calendar."""
    stamp = year * 12 + month - 1
    quarterly, semiannual = (2, 5, 8, 11), (2, 8)
    if stamp <= 1993 * 12 + 7:
        return quarterly
    if stamp <= 2001 * 12 + 7:
        return semiannual
    if stamp <= 2006 * 12 + 0:
        return ()
    if year <= 2007:
        return semiannual
    if year == 2008:
        return quarterly
    return tuple(range(1, 13))


def issuance_face(
    issue_months: pd.DatetimeIndex,
    issuance: Issuance = "historical",
    face_growth_per_year: float = 0.0,
) -> FloatArray:
    """Face amount issued in each month (arbitrary units; 12 a year before growth).

    Parameters
    ----------
    issue_months : DatetimeIndex
        Any day of each month.
    issuance : {"historical", "monthly"}
        Calendar of 30-year auctions (module docstring).
    face_growth_per_year : float
        Continuous growth of the yearly face amount, decimal; 0 keeps it equal.

    Returns
    -------
    ndarray of shape (n_months,)

    Examples
    --------
    Quarterly in 1990 (3 units each in Feb/May/Aug/Nov), nothing in 2004, monthly in 2020:

    >>> issuance_face(pd.to_datetime(["1990-02-15", "1990-03-15", "2004-02-15", "2020-06-15"]))
    array([3., 0., 0., 1.])
    """
    if issuance not in ("historical", "monthly"):
        raise ValueError(f"issuance must be 'historical' or 'monthly', got {issuance!r}")
    years = issue_months.year.to_numpy()
    months = issue_months.month.to_numpy()
    face = np.ones(len(issue_months))
    if issuance == "historical":
        for position, (year, month) in enumerate(zip(years, months, strict=True)):
            auctions = _auction_months(int(year), int(month))
            face[position] = 12.0 / len(auctions) if month in auctions else 0.0
    elapsed = (years + (months - 1) / 12.0) - 2000.0
    return face * np.exp(face_growth_per_year * elapsed)


def long_bond_issuance(auctions: pd.DataFrame, min_term_years: float = 20.5) -> pd.Series:
    """Face issued each month in fixed-rate bonds of more than ``min_term_years`` original term.

    Parameters
    ----------
    auctions : DataFrame
        The store's ``auctions`` table: ``issue_date``, ``maturity_date``, ``offering_amt``
        (USD), ``tips`` and ``frn`` (bool). Reopenings count as new face in their month.
    min_term_years : float, default 20.5
        Keeps the 30-year bond (and 1980s 25-30 year bonds); a new 20-year bond never has more
        than 20 years left at a month end, so it never enters the ladder.

    Returns
    -------
    Series of float
        USD issued, indexed by the first day of each month with an auction (ascending).
    """
    issue = pd.to_datetime(auctions["issue_date"])
    term_years = (pd.to_datetime(auctions["maturity_date"]) - issue).dt.days / DAYS_PER_YEAR
    keep = term_years > min_term_years
    for flag in ("tips", "frn"):
        if flag in auctions:
            keep &= ~auctions[flag].astype(bool)
    amounts = pd.to_numeric(auctions["offering_amt"], errors="coerce").fillna(0.0)
    months = issue[keep].dt.to_period("M").dt.to_timestamp()
    total = amounts[keep].groupby(months.to_numpy()).sum().sort_index()
    total.index = pd.DatetimeIndex(total.index, name="month")
    issued: pd.Series = total.astype("float64").rename("long_bond_issuance")
    return issued


def splice_issued_face(
    months: pd.DatetimeIndex, calendar_face: FloatArray, issued: pd.Series
) -> FloatArray:
    """Actual monthly face inside the data's range; the calendar, rescaled, outside it."""
    data = issued.dropna()
    if data.empty:
        return calendar_face
    data_months = pd.DatetimeIndex(data.index).to_period("M")
    month_periods = months.to_period("M")
    by_month = pd.Series(data.to_numpy(dtype=np.float64), index=data_months).groupby(level=0).sum()
    first, last = by_month.index.min(), by_month.index.max()
    inside = (month_periods >= first) & (month_periods <= last)
    face = calendar_face.copy()
    face[inside] = by_month.reindex(month_periods[inside], fill_value=0.0).to_numpy()
    full = by_month.reindex(pd.period_range(first, last, freq="M"), fill_value=0.0)
    before, after = month_periods < first, month_periods > last
    if before.any():
        # The calendar issues 1 unit a month on average: scale it to the data's mean.
        face[before] *= float(full.iloc[:60].mean())
    if after.any():
        face[after] *= float(full.iloc[-60:].mean())
    return face
