"""Monthly total-return indices of long Treasuries and US stocks, and their forward excess return.

The scorecard and the claims ledger ask one question of history: over the next 12 months, did long
bonds beat stocks? Both legs are total returns (coupons and dividends reinvested):

* **bonds**: TLT's adjusted close since it started (2002-07); before that a long-bond index built
  from Treasury yields: either the synthetic TLT ladder of :mod:`bondthesis.bonds.ladder` when the
  caller passes it, or :func:`par_bond_monthly_returns` on the 20-year yield (a constant-maturity
  par bond, repriced monthly; the textbook way to turn CMT yields into returns).
* **stocks**: SPY's adjusted close since 1993; before that Shiller's S&P composite, price plus one
  twelfth of the annual dividend each month.

Everything here is pure: series in, series out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "forward_excess_return",
    "index_returns",
    "long_yield_monthly",
    "month_end",
    "par_bond_monthly_returns",
    "shiller_monthly_returns",
    "splice_returns",
]


def month_end(series: pd.Series) -> pd.Series:
    """The last observation of each calendar month, indexed by the month's last day.

    >>> month_end(pd.Series([1.0, 2.0], index=pd.to_datetime(["2020-01-03", "2020-01-30"]))).iloc[0]
    2.0
    """
    clean = series.dropna()
    if clean.empty:
        return pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))
    out = clean.resample("ME").last().dropna()
    out.index.name = "date"
    return out.astype("float64")


def par_bond_monthly_returns(yields: pd.Series, maturity_years: float = 20.0) -> pd.Series:
    """Monthly total return of a constant-maturity par bond, from month-end yields.

    At the end of month ``t-1`` a par bond with coupon ``y[t-1]`` (semi-annual) is bought; one
    month later it has ``maturity_years - 1/12`` left and is priced at ``y[t]``; the return is the
    price change plus one month of coupon accrual.

    Parameters
    ----------
    yields : Series of float, decimals (0.045), indexed by month end
    maturity_years : float

    Returns
    -------
    Series of float, decimal monthly returns, indexed by the month end they accrue to (the first
    month has no return and is dropped).

    Examples
    --------
    With yields unchanged at 5% the return is the coupon, 0.05/12 = 0.4167% a month (plus a tiny
    roll-down term, zero for a flat curve at par).
    """
    y = yields.dropna().astype("float64")
    if len(y) < 2:
        return pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))
    coupon = y.to_numpy()[:-1]
    y_new = y.to_numpy()[1:]
    periods = 2.0 * (maturity_years - 1.0 / 12.0)
    half = y_new / 2.0
    discount = (1.0 + half) ** (-periods)
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = np.where(half > 1e-12, (1.0 - discount) / half, periods)
    price = coupon / 2.0 * annuity + discount
    returns = price - 1.0 + coupon / 12.0
    return pd.Series(returns, index=y.index[1:], name="bond_return")


def long_yield_monthly(
    dgs30: pd.Series | None, dgs20: pd.Series | None, gs20: pd.Series | None
) -> pd.Series:
    """A month-end long Treasury yield (decimal) from whatever tenors exist each month.

    Prefers the 20-year (TLT's bonds are 20-30 years; its average maturity is ~25 years and
    the 20-year is the longer history), then the 30-year, then the monthly-average 20-year (GS20,
    back to 1953). Inputs are in percent, as FRED publishes them; the output is in decimals.
    """
    parts = [month_end(s) for s in (dgs20, dgs30, gs20) if s is not None]
    if not parts:
        return pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))
    if gs20 is not None:
        # GS20 is dated at the first of the month (a monthly average): move it to the month end.
        monthly = gs20.dropna()
        monthly.index = monthly.index + pd.offsets.MonthEnd(0)
        parts[-1] = monthly.astype("float64")
    combined = parts[0]
    for part in parts[1:]:
        combined = combined.combine_first(part)
    return (combined / 100.0).rename("long_yield")


def shiller_monthly_returns(price: pd.Series, dividend: pd.Series) -> pd.Series:
    """Monthly total return of Shiller's S&P composite: price change plus a month of dividends.

    Parameters
    ----------
    price : Series, index points, dated at the first of each month (Shiller's monthly average)
    dividend : Series, index points at an annual rate, same dates

    Returns
    -------
    Series of decimal returns indexed by month end. E.g. P 100 -> 101 with D = 3.6 gives
    0.01 + 0.3/100 = 1.3%.
    """
    frame = pd.concat([price.rename("p"), dividend.rename("d")], axis=1, sort=True).dropna(
        subset=["p"]
    )
    frame["d"] = frame["d"].ffill()
    frame.index = frame.index + pd.offsets.MonthEnd(0)
    p = frame["p"]
    returns = p / p.shift(1) - 1.0 + (frame["d"].shift(1) / 12.0) / p.shift(1)
    return returns.dropna().rename("stock_return")


def splice_returns(preferred: pd.Series, fallback: pd.Series) -> pd.Series:
    """Monthly returns: ``preferred`` where it exists, ``fallback`` before its first month."""
    preferred = preferred.dropna()
    fallback = fallback.dropna()
    if preferred.empty:
        return fallback
    head = fallback[fallback.index < preferred.index[0]]
    joined: pd.Series = pd.concat([head, preferred]).sort_index()
    return joined


def index_returns(adjusted_close: pd.Series) -> pd.Series:
    """Month-end to month-end returns of a total-return index (an adjusted close)."""
    levels = month_end(adjusted_close)
    return (levels / levels.shift(1) - 1.0).dropna()


def forward_excess_return(
    bond_returns: pd.Series, stock_returns: pd.Series, horizon_months: int = 12
) -> pd.Series:
    """Bonds-minus-stocks total return over the ``horizon_months`` after each month end.

    ``F[t] = prod(1 + b[t+1..t+h]) - prod(1 + s[t+1..t+h])``: the difference of the two simple
    returns, known only at ``t + h``. Months whose window runs past either series' end are NaN.

    Parameters
    ----------
    bond_returns, stock_returns : Series of decimal monthly returns indexed by month end
    horizon_months : int

    Returns
    -------
    Series indexed by month end ``t`` (the start of the window).

    Examples
    --------
    Bonds +1% and stocks 0% every month: F = 1.01**12 - 1 = 12.68% for every complete window.
    """
    if horizon_months < 1:
        raise ValueError("horizon_months must be at least 1, e.g. 12")
    frame = pd.concat(
        [bond_returns.rename("b"), stock_returns.rename("s")], axis=1, sort=True
    ).dropna()
    if frame.empty:
        return pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))
    log_b = np.log1p(frame["b"])
    log_s = np.log1p(frame["s"])
    # Sum of the next h log returns, aligned to the window's start.
    fwd_b = log_b[::-1].rolling(horizon_months).sum()[::-1].shift(-1)
    fwd_s = log_s[::-1].rolling(horizon_months).sum()[::-1].shift(-1)
    out = np.expm1(fwd_b) - np.expm1(fwd_s)
    # The window must be made of consecutive months (no holes in either series).
    stamps = pd.DatetimeIndex(frame.index)
    months = np.asarray(stamps.year * 12 + stamps.month)
    gap = pd.Series(np.diff(months), index=frame.index[1:])
    holes = (gap > 1).astype(int).reindex(frame.index, fill_value=0)
    holes_ahead = holes[::-1].rolling(horizon_months, min_periods=1).sum()[::-1].shift(-1)
    out[holes_ahead > 0] = np.nan
    out.index.name = "date"
    result: pd.Series = out.rename("forward_excess_return").astype("float64")
    return result
