"""Historical daily changes for the block bootstrap: long yield, short rate and stocks, aligned.

Pure: takes pandas Series the caller read (from the store, a CSV in a test), returns arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from bondthesis._typing import FloatArray

__all__ = ["BootstrapHistory", "bootstrap_history"]


@dataclass(frozen=True, eq=False)
class BootstrapHistory:
    """Aligned daily changes the block bootstrap draws from, one row per trading day.

    Parameters
    ----------
    long_yield_change : ndarray of shape (n_days,)
        Daily change of the long (30y) yield, decimal (0.0005 is +5bp).
    short_rate_change : ndarray of shape (n_days,)
        Daily change of the short (3-month) rate on the same days, decimal; zeros when no short
        rate was given.
    stock_return : ndarray of shape (n_days,) or None
        Daily simple return of stocks on the same days (0.01 is +1%), or None.
    first_date, last_date : date
        The first and last day whose change is in the sample.
    """

    long_yield_change: FloatArray
    short_rate_change: FloatArray
    stock_return: FloatArray | None
    first_date: date
    last_date: date

    def __post_init__(self) -> None:
        n = self.long_yield_change.shape[0]
        if self.long_yield_change.ndim != 1 or n < 2:
            raise ValueError("a bootstrap history needs at least 2 daily yield changes")
        if self.short_rate_change.shape != (n,):
            raise ValueError("short_rate_change must have the same length as long_yield_change")
        if self.stock_return is not None and self.stock_return.shape != (n,):
            raise ValueError("stock_return must have the same length as long_yield_change")
        arrays = [self.long_yield_change, self.short_rate_change]
        if self.stock_return is not None:
            arrays.append(self.stock_return)
        if not all(np.isfinite(a).all() for a in arrays):
            raise ValueError("a bootstrap history must not contain NaN or infinite values")

    @property
    def n_days(self) -> int:
        """Number of daily changes in the sample."""
        return int(self.long_yield_change.shape[0])


def _daily_changes(levels: pd.Series, max_gap_days: int) -> pd.Series:
    """Changes between consecutive observations no more than ``max_gap_days`` calendar days apart.

    Removes the change across a gap (DGS30 was not published from Feb 2002 to Feb 2006) instead of
    booking four years of yield moves on one day.
    """
    clean = levels.dropna().sort_index()
    clean = clean[~clean.index.duplicated(keep="last")]
    index = pd.DatetimeIndex(clean.index)
    gap_days = pd.Series(index, index=index).diff().dt.days
    changes = clean.diff()
    return changes[(gap_days <= max_gap_days).to_numpy()]


def _as_date(value: date | str | int, *, end: bool) -> pd.Timestamp:
    if isinstance(value, int):
        return (
            pd.Timestamp(year=value, month=12, day=31)
            if end
            else pd.Timestamp(year=value, month=1, day=1)
        )
    return pd.Timestamp(value)


def bootstrap_history(
    long_yield: pd.Series,
    *,
    short_rate: pd.Series | None = None,
    stock_price: pd.Series | None = None,
    start: date | str | int | None = None,
    end: date | str | int | None = None,
    max_gap_days: int = 7,
) -> BootstrapHistory:
    """Align daily changes of the long yield, the short rate and stocks for the block bootstrap.

    Parameters
    ----------
    long_yield : Series indexed by date
        Long-bond yield level, decimal (FRED's DGS30 divided by 100). Missing values are dropped.
    short_rate : Series indexed by date, optional
        Short rate level, decimal (DGS3MO / 100). When given, only days where both changes exist
        are kept; when absent the short rate does not move in the bootstrap.
    stock_price : Series indexed by date, optional
        Stock index or ETF price (SPY's adjusted close). When given, only days with all three are
        kept, so the draw is joint (a day's yield change travels with that day's stock return).
    start, end : date, ISO string or year, optional
        The period to sample, inclusive; a year means the whole year (``1990`` to ``2025`` is
        1990-01-01 to 2025-12-31).
    max_gap_days : int
        Changes across a gap longer than this many calendar days are dropped.

    Returns
    -------
    BootstrapHistory

    Raises
    ------
    ValueError
        When the period holds fewer than 2 changes, or lies outside the data (the message gives
        the dates the data covers).

    Examples
    --------
    Levels 4.00%, 4.05%, 4.02% on three consecutive days give changes +5bp and -3bp:

    >>> index = pd.to_datetime(["2025-01-02", "2025-01-03", "2025-01-06"])
    >>> h = bootstrap_history(pd.Series([0.04, 0.0405, 0.0402], index=index))
    >>> [round(float(x) * 1e4, 6) for x in h.long_yield_change]
    [5.0, -3.0]
    """
    columns = {"long": _daily_changes(long_yield, max_gap_days)}
    if short_rate is not None:
        columns["short"] = _daily_changes(short_rate, max_gap_days)
    if stock_price is not None:
        prices = stock_price.dropna().sort_index()
        prices = prices[~prices.index.duplicated(keep="last")]
        columns["stock"] = prices.pct_change().iloc[1:]
    # An inner join keeps the first frame's order only when every index is sorted: sort, so the
    # period can be cut by label.
    frame = pd.concat(columns, axis=1, join="inner").dropna().sort_index()
    if frame.empty:
        raise ValueError("the yield, short-rate and stock series share no dates; check the inputs")
    covered = (frame.index[0].date(), frame.index[-1].date())
    lower = _as_date(start, end=False) if start is not None else frame.index[0]
    upper = _as_date(end, end=True) if end is not None else frame.index[-1]
    if lower > upper:
        raise ValueError(f"bootstrap period starts ({lower.date()}) after it ends ({upper.date()})")
    # Clamp to the data before slicing: a year like 2999 lies beyond what a nanosecond index can
    # compare by label.
    window = frame.loc[max(lower, frame.index[0]) : min(upper, frame.index[-1])]
    if len(window) < 2:
        raise ValueError(
            f"bootstrap period {lower.date()}..{upper.date()} is outside the data, which covers "
            f"{covered[0]}..{covered[1]}; choose years inside that range"
        )
    return BootstrapHistory(
        long_yield_change=window["long"].to_numpy(dtype=np.float64),
        short_rate_change=(
            window["short"].to_numpy(dtype=np.float64)
            if "short" in window
            else np.zeros(len(window), dtype=np.float64)
        ),
        stock_return=window["stock"].to_numpy(dtype=np.float64) if "stock" in window else None,
        first_date=window.index[0].date(),
        last_date=window.index[-1].date(),
    )
