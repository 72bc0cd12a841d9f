"""Changes between calendar dates: a month (or quarter) that is missing stays missing.

``series.shift(12)`` counts *rows*. When a month was never published (CPI for October 2025),
the row twelve places back is thirteen months back and a "year-on-year" change silently spans
thirteen months. These helpers key every value by its calendar period instead: the value
"12 months ago" is the value of the month twelve calendar months earlier, or NaN when that month
has no value. Rolling windows run over every calendar month (:func:`every_month`), so a
120-month window is ten years however many months are missing.

>>> s = pd.Series([100.0, 101.0, 103.0], index=pd.to_datetime(["2025-09-30", "2025-11-30",
...     "2025-12-31"]))
>>> periods_ago(s, 1).tolist()  # October is missing: November has no 1-month change
[nan, nan, 101.0]
>>> round(float(change(s, 2).iloc[-1]), 4)  # December over October: October is missing
nan
>>> round(float(change(s, 3).iloc[-1]), 4)  # December over September
0.03
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["annualized_change", "change", "every_month", "periods_ago", "rolling_percentile"]

ChangeKind = Literal["ratio", "difference"]


def periods_ago(series: pd.Series, periods: int, freq: str = "M") -> pd.Series:
    """The value ``periods`` calendar periods (``"M"``, ``"Q"``, ``"Y"``) before each date.

    Indexed like ``series``; NaN where that earlier period has no value. Several values in one
    period (a daily series) count as that period's last.
    """
    if series.empty:
        return series.astype("float64")
    index = pd.DatetimeIndex(series.index)
    keys = index.to_period(freq)
    lookup = pd.Series(series.to_numpy(dtype="float64"), index=keys)
    lookup = lookup[~lookup.index.duplicated(keep="last")]
    earlier = lookup.reindex(keys - periods).to_numpy()
    return pd.Series(earlier, index=series.index, name=series.name, dtype="float64")


def change(
    series: pd.Series, periods: int, freq: str = "M", kind: ChangeKind = "ratio"
) -> pd.Series:
    """Change over ``periods`` calendar periods: ``x / x_ago - 1`` or ``x - x_ago``."""
    before = periods_ago(series, periods, freq)
    values = series.astype("float64")
    return values / before - 1.0 if kind == "ratio" else values - before


def annualized_change(series: pd.Series, months: int) -> pd.Series:
    """``(x / x_{months ago}) ** (12 / months) - 1`` between calendar months."""
    return (series.astype("float64") / periods_ago(series, months)) ** (12.0 / months) - 1.0


def every_month(series: pd.Series) -> pd.Series:
    """``series`` (month-end dated) on every calendar month end from its first to its last.

    Missing months become NaN, so ``rolling(n)`` and ``shift(n)`` on the result count months.
    """
    if series.empty:
        return series.astype("float64")
    index = pd.DatetimeIndex(series.index)
    months = pd.date_range(index.min() + pd.offsets.MonthEnd(0), index.max(), freq="ME")
    keyed = pd.Series(series.to_numpy(dtype="float64"), index=index + pd.offsets.MonthEnd(0))
    keyed = keyed[~keyed.index.duplicated(keep="last")]
    out = keyed.reindex(months)
    out.index.name = series.index.name
    return out


def rolling_percentile(series: pd.Series, window: int, min_periods: int) -> pd.Series:
    """Share (in %) of the trailing ``window`` calendar months' values at or below each value.

    Missing months are neither counted nor ranked; the result is indexed like ``series``.
    """
    if series.empty:
        return series.astype("float64")

    def rank(values: np.ndarray) -> float:
        latest = values[-1]
        if np.isnan(latest):
            return float("nan")
        present = values[~np.isnan(values)]
        return float((present <= latest).mean() * 100.0)

    full = every_month(series)
    ranked = full.rolling(window, min_periods=min_periods).apply(rank, raw=True)
    keys = pd.DatetimeIndex(series.index) + pd.offsets.MonthEnd(0)
    return pd.Series(ranked.reindex(keys).to_numpy(), index=series.index, dtype="float64")
