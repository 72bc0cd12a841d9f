"""Point-in-time rules and date alignment for series, pure (no store, no network).

A value is *known* on a date when it had been published by then. Where the store holds vintages
(ALFRED), the vintage date says so. Elsewhere the catalog's publication lag does: a monthly value
dated at the start of its month (FRED's convention) is known ``lag`` days after the month ends.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from bondthesis._typing import FloatArray, IntArray
from bondthesis.catalog import Frequency, SeriesSpec

__all__ = [
    "VINTAGE_UNKNOWN",
    "align_latest",
    "known_dates",
    "next_release",
    "period_end",
    "to_panel",
    "visible_as_of",
]

# FRED's own "beginning of time" realtime date marks rows whose vintage is not recorded: the
# latest values as published, revised in place by later refreshes.
VINTAGE_UNKNOWN = date(1776, 7, 4)

_PERIOD_START_DATED = {Frequency.MONTHLY, Frequency.QUARTERLY}


def period_end(dates: pd.DatetimeIndex, spec: SeriesSpec) -> pd.DatetimeIndex:
    """The last day of the period each observation covers.

    FRED dates monthly and quarterly observations at the first day of the period; 13F data is
    dated at the quarter's end already (its remote id names a CUSIP), so it stays as it is.
    """
    if spec.frequency in _PERIOD_START_DATED and not spec.remote_id.startswith("464287432"):
        months = 1 if spec.frequency is Frequency.MONTHLY else 3
        return dates + pd.DateOffset(months=months) - pd.Timedelta(days=1)
    return dates


def known_dates(dates: pd.DatetimeIndex, spec: SeriesSpec) -> pd.DatetimeIndex:
    """The day each observation became public: its period's end plus the publication lag."""
    return period_end(dates, spec) + pd.Timedelta(days=spec.publication_lag_days)


def next_release(spec: SeriesSpec, last_date: date) -> date:
    """The first day the observation after ``last_date`` can be public.

    The next observation's date follows the series' frequency (the next weekday for daily data,
    the 15th or the month's end for FINRA's twice-monthly settlements, the next month or quarter
    for period-start dated series); it becomes public at its period's end plus the catalog lag.
    A refresh need not ask before that day: nothing new can exist.

    >>> from bondthesis.catalog import get_spec
    >>> next_release(get_spec("DGS30"), date(2026, 11, 20))  # a Friday: Monday's yield, Tuesday
    datetime.date(2026, 11, 24)
    >>> next_release(get_spec("CPIAUCSL"), date(2026, 9, 1))  # October's CPI, mid-November
    datetime.date(2026, 11, 14)
    """
    day = pd.Timestamp(last_date)
    frequency = spec.frequency
    if frequency is Frequency.DAILY:
        following = day + pd.offsets.BDay(1)
    elif frequency is Frequency.WEEKLY:
        following = day + pd.Timedelta(days=7)
    elif frequency is Frequency.BIWEEKLY:
        month_end = day + pd.offsets.MonthEnd(0)
        if day.day < 15:
            following = day.replace(day=15)
        elif day < month_end:
            following = month_end
        else:
            following = (day + pd.Timedelta(days=1)).replace(day=15)
    elif frequency is Frequency.MONTHLY:
        following = day + pd.DateOffset(months=1)
    elif frequency is Frequency.QUARTERLY:
        following = day + pd.DateOffset(months=3)
    else:
        following = day + pd.DateOffset(years=1)
    known: date = known_dates(pd.DatetimeIndex([following]), spec)[0].date()
    return known


def visible_as_of(frame: pd.DataFrame, spec: SeriesSpec, as_of: date | None) -> pd.Series:
    """The series as it could have been read on ``as_of``.

    Parameters
    ----------
    frame : DataFrame with columns ``date`` (datetime64), ``vintage`` (datetime64), ``value``
        Every stored row of one series.
    spec : SeriesSpec
    as_of : date or None
        None: the latest vintage of every observation.

    Returns
    -------
    Series of float indexed by date (ascending), named ``spec.key``.
    """
    if frame.empty:
        return pd.Series(dtype="float64", name=spec.key, index=pd.DatetimeIndex([], name="date"))
    unknown = frame["vintage"] == pd.Timestamp(VINTAGE_UNKNOWN)
    rows = frame
    if as_of is not None:
        cutoff = pd.Timestamp(as_of)
        with_vintage = frame[~unknown]
        with_vintage = with_vintage[with_vintage["vintage"] <= cutoff]
        by_lag = frame[unknown]
        by_lag = by_lag[known_dates(pd.DatetimeIndex(by_lag["date"]), spec) <= cutoff]
        # A date with real vintages is judged by them; the lag rule covers the other dates.
        by_lag = by_lag[~by_lag["date"].isin(with_vintage["date"])]
        rows = pd.concat([with_vintage, by_lag])
    rows = rows.sort_values(["date", "vintage"]).drop_duplicates("date", keep="last")
    series = pd.Series(
        rows["value"].to_numpy(dtype="float64"),
        index=pd.DatetimeIndex(rows["date"], name="date"),
        name=spec.key,
    )
    return series


def to_panel(series: list[pd.Series]) -> pd.DataFrame:
    """Align series on the union of their dates (outer join), columns in the order given."""
    if not series:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="date"))
    frame = pd.concat(series, axis=1, join="outer", sort=True)
    frame.index = pd.DatetimeIndex(frame.index.astype("datetime64[ns]"), name="date")
    return frame.astype("float64")


def _as_timestamp(value: date | None) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value)


def clip(series: pd.Series, start: date | None, end: date | None) -> pd.Series:
    """Observations from ``start`` to ``end`` inclusive (either may be None)."""
    lo, hi = _as_timestamp(start), _as_timestamp(end)
    mask = np.ones(len(series), dtype=bool)
    if lo is not None:
        mask &= series.index >= lo
    if hi is not None:
        mask &= series.index <= hi
    return series[mask]


def align_latest(
    which: IntArray,
    day: IntArray,
    vintage: IntArray,
    values: FloatArray,
    keys: list[str],
    *,
    epoch: np.datetime64,
) -> pd.DataFrame:
    """Rows of many series -> one column per series on the union of dates, latest vintage.

    Parameters
    ----------
    which : int array of shape (n_rows,)
        Column of each row (an index into ``keys``).
    day, vintage : int arrays of shape (n_rows,)
        Days since ``epoch`` of the observation and of its vintage (both < 2**21).
    values : float array of shape (n_rows,)
        NaN where the value is missing as published.
    keys : list of str
        Column names.

    Rows may come in any order; they are sorted only when they are not sorted already (the
    store writes them in order, so the check usually saves the sort). The last vintage of each
    (series, date) wins, and each series is scattered into its column by ``searchsorted``.
    """
    sort_key = (which << 42) | (day << 21) | vintage
    if len(sort_key) and not bool(np.all(sort_key[1:] >= sort_key[:-1])):
        order = np.argsort(sort_key, kind="stable")
        which, day, values = which[order], day[order], values[order]
    if len(which):
        last_of_pair = np.ones(len(which), dtype=bool)
        last_of_pair[:-1] = (which[1:] != which[:-1]) | (day[1:] != day[:-1])
        which, day, values = which[last_of_pair], day[last_of_pair], values[last_of_pair]
    index_days = np.unique(day)
    matrix = np.full((len(index_days), len(keys)), np.nan)
    matrix[np.searchsorted(index_days, day), which] = values
    dates = (epoch + index_days).astype("datetime64[ns]")
    return pd.DataFrame(matrix, index=pd.DatetimeIndex(dates, name="date"), columns=keys)
