"""A long-end par curve (10, 20 and 30 years) from Treasury constant-maturity yields, pure.

Inputs are FRED's CMT series: daily ``DGS10``, ``DGS20``, ``DGS30`` and the monthly averages
``GS10``, ``GS20``, ``GS30``. CMT yields are par yields read off the on-the-run curve, so the
curve is a *par* curve: a bond with ``m`` years to run and a coupon equal to
:meth:`ParCurve.par_yield_at` ``(m)`` is worth about 100.

Gaps, and how they are filled (every filled point is marked in :attr:`ParCurve.filled`)
------------------------------------------------------------------------------------------
* The **20-year** has no value 1987-01 .. 1993-09 (the bond was not issued) and DGS20 stops
  before DGS10/DGS30 in recent snapshots.
* The **30-year** starts 1977-02-15 (daily and monthly).

A missing tenor is its nearest observed neighbour tenor plus a *spread* that is carried across
the gap: inside a gap the spread moves linearly in time from its mean over the last
``window`` observations before the gap to its mean over the first ``window`` after it; at the
edge of the data (the 30-year before 1977, the 20-year after its last print) it is held flat at
the mean of the nearest ``window`` observations. The 20-year's neighbour is the 30-year, the
30-year's is the 20-year, and the 10-year is the fallback neighbour of both.

Why a carried spread rather than straight-line interpolation in maturity: the long end is
concave. Over 1977-1986 and 1993-2026 the 20-year averages 0.05 percentage points *above* the
30-year while the 20-10 spread swings between -0.2 and +0.9 (curve.py's docstring table in
README); the midpoint of 10y and 30y would put the 20-year 0.2-0.4 points too low in most years,
and extrapolating 30y = 2·20y - 10y would overshoot by the 20-10 spread. The 20-30 spread is
small and slow, so carrying it is the smallest assumption. The leave-out check
(``tests/bonds/test_ladder_curve.py``) measures it.

Interpolation in maturity
-------------------------
Between nodes the par yield is linear in maturity (10-20 and 20-30 years); beyond 30 years it is
flat at the 30-year, below 10 years flat at the 10-year. Linear is monotone between nodes and
adds no wiggles a spline would bring with three nodes.

Monthly averages fill dates before the first daily observation (1953-04 .. 1961-12), which the
ladder needs only for the coupons of bonds issued before its first priced day; those rows are
placed on the 15th of their month and flagged in :attr:`ParCurve.monthly`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bondthesis._typing import BoolArray, FloatArray

__all__ = [
    "DAILY_KEYS",
    "MONTHLY_KEYS",
    "TENORS_YEARS",
    "ParCurve",
    "build_par_curve",
    "fill_tenor_gaps",
    "interpolate_par_yield",
]

TENORS_YEARS: tuple[float, ...] = (10.0, 20.0, 30.0)
DAILY_KEYS: tuple[str, ...] = ("DGS10", "DGS20", "DGS30")
MONTHLY_KEYS: tuple[str, ...] = ("GS10", "GS20", "GS30")

# Neighbours tried, in order, when a tenor is missing (by column: 10y, 20y, 30y).
_NEIGHBOURS: tuple[tuple[int, ...], ...] = ((1, 2), (2, 0), (1, 0))


@dataclass(frozen=True)
class ParCurve:
    """The 10/20/30-year par yields on each date, with where each point came from.

    Attributes
    ----------
    dates : DatetimeIndex of shape (n_dates,)
        Ascending; daily dates, preceded by monthly ones (the 15th) before daily data starts.
    yields : ndarray of shape (n_dates, 3)
        Par yields at :data:`TENORS_YEARS`, decimals (0.045 is 4.5%). No NaN.
    filled : ndarray of bool, shape (n_dates, 3)
        True where the point was not observed but filled from a neighbour tenor.
    monthly : ndarray of bool, shape (n_dates,)
        True for rows taken from monthly averages (before the daily series start).
    """

    dates: pd.DatetimeIndex
    yields: FloatArray
    filled: BoolArray
    monthly: BoolArray

    @property
    def first_daily_date(self) -> pd.Timestamp:
        """The first date that comes from daily data."""
        return pd.Timestamp(self.dates[~self.monthly][0])

    def to_frame(self) -> pd.DataFrame:
        """Columns ``y10, y20, y30`` (decimals), ``filled10..30`` and ``monthly``, by date."""
        frame = pd.DataFrame(self.yields, index=self.dates, columns=["y10", "y20", "y30"])
        for column, tenor in enumerate(("10", "20", "30")):
            frame[f"filled{tenor}"] = self.filled[:, column]
        frame["monthly"] = self.monthly
        frame.index.name = "date"
        return frame

    def par_yield_at(
        self, maturity_years: FloatArray, rows: FloatArray | None = None
    ) -> FloatArray:
        """Par yields at ``maturity_years`` on the curve's dates (or on the given ``rows``).

        Parameters
        ----------
        maturity_years : ndarray of shape (n_rows, n_bonds) or (n_rows,)
            Remaining maturities in years.
        rows : ndarray of int, shape (n_rows,), optional
            Row numbers into :attr:`dates`; all rows by default.

        Returns
        -------
        ndarray, shape of ``maturity_years``
        """
        nodes = self.yields if rows is None else self.yields[np.asarray(rows, dtype=np.int64)]
        return interpolate_par_yield(nodes, maturity_years)


def interpolate_par_yield(node_yields: FloatArray, maturity_years: FloatArray) -> FloatArray:
    """Linear-in-maturity par yield between the 10, 20 and 30-year nodes, flat outside.

    Parameters
    ----------
    node_yields : ndarray of shape (n_rows, 3)
        Yields at 10, 20 and 30 years, decimals.
    maturity_years : ndarray of shape (n_rows,) or (n_rows, n_bonds)

    Returns
    -------
    ndarray, shape of ``maturity_years``

    Examples
    --------
    With 4% at 20 years and 5% at 30 years, a 25-year bond's par yield is 4.5%:

    >>> float(interpolate_par_yield(np.array([[0.03, 0.04, 0.05]]), np.array([25.0]))[0])
    0.045
    """
    nodes = np.asarray(node_yields, dtype=np.float64)
    maturities = np.asarray(maturity_years, dtype=np.float64)
    if nodes.ndim != 2 or nodes.shape[1] != len(TENORS_YEARS):
        raise ValueError(f"node_yields must have shape (n_rows, 3), got {nodes.shape}")
    if maturities.shape[0] != nodes.shape[0]:
        raise ValueError(
            f"maturity_years has {maturities.shape[0]} rows but node_yields {nodes.shape[0]}"
        )
    squeeze = maturities.ndim == 1
    years = maturities[:, None] if squeeze else maturities
    y10, y20, y30 = (nodes[:, k : k + 1] for k in range(3))
    low = y10 + (y20 - y10) * (np.clip(years, 10.0, 20.0) - 10.0) / 10.0
    high = y20 + (y30 - y20) * (np.clip(years, 20.0, 30.0) - 20.0) / 10.0
    out = np.where(years <= 20.0, low, high)
    return out[:, 0] if squeeze else out


def _runs(missing: BoolArray) -> list[tuple[int, int]]:
    """(start, stop) index pairs of consecutive True values."""
    edges = np.diff(np.concatenate(([0], missing.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def fill_tenor_gaps(yields: FloatArray, window: int = 60) -> tuple[FloatArray, BoolArray]:
    """Fill missing tenors from a neighbour tenor plus a spread carried across the gap.

    Parameters
    ----------
    yields : ndarray of shape (n_dates, 3)
        10/20/30-year yields on ascending dates, NaN where missing.
    window : int, default 60
        Observations on each side of a gap whose mean spread anchors the fill.

    Returns
    -------
    filled_yields : ndarray of shape (n_dates, 3)
        NaN only on rows where every tenor is missing.
    filled : ndarray of bool, shape (n_dates, 3)

    Examples
    --------
    The 30-year missing for two days while the 20-year sits 0.2 points below it:

    >>> y = np.array([[.03, .040, .042], [.03, .041, np.nan], [.03, .043, np.nan],
    ...               [.03, .044, .046]])
    >>> np.round(fill_tenor_gaps(y)[0][:, 2], 4).tolist()
    [0.042, 0.043, 0.045, 0.046]
    """
    if window < 1:
        raise ValueError(f"window must be a positive number of observations, got {window}")
    original = np.asarray(yields, dtype=np.float64)
    out = original.copy()
    filled = np.zeros(out.shape, dtype=bool)
    for column, neighbours in enumerate(_NEIGHBOURS):
        for neighbour in neighbours:
            missing = np.isnan(out[:, column]) & ~np.isnan(original[:, neighbour])
            if not missing.any():
                continue
            spread = original[:, column] - original[:, neighbour]
            positions = np.flatnonzero(~np.isnan(spread))
            for start, stop in _runs(missing):
                before = positions[positions < start][-window:]
                after = positions[positions >= stop][:window]
                rows = np.arange(start, stop)
                if not len(before) and not len(after):
                    # The tenor was never seen beside this neighbour: take the neighbour's level.
                    carried = np.zeros(len(rows))
                elif len(before) and len(after):
                    left, right = spread[before].mean(), spread[after].mean()
                    share = (rows - before[-1]) / (after[0] - before[-1])
                    carried = left + (right - left) * share
                elif len(before):
                    carried = np.full(len(rows), spread[before].mean())
                else:
                    carried = np.full(len(rows), spread[after].mean())
                out[rows, column] = original[rows, neighbour] + carried
                filled[rows, column] = True
    return out, filled


def _frame(series: Mapping[str, pd.Series], keys: tuple[str, ...]) -> pd.DataFrame:
    columns = {}
    for key in keys:
        values = series.get(key)
        columns[key] = (
            pd.Series(dtype="float64") if values is None else values.astype("float64") / 100.0
        )
    frame = pd.concat(columns, axis=1).sort_index()
    frame.index = pd.DatetimeIndex(frame.index)
    return frame.dropna(how="all")


def build_par_curve(series: Mapping[str, pd.Series], window: int = 60) -> ParCurve:
    """The 10/20/30-year par curve from CMT series in percent, gaps filled and marked.

    Parameters
    ----------
    series : mapping of str to Series
        ``DGS10``, ``DGS20``, ``DGS30`` (daily) and optionally ``GS10``, ``GS20``, ``GS30``
        (monthly, dated the 1st of the month as FRED does), each in **percent** as published,
        indexed by date, NaN where missing. ``DGS10`` is required.
    window : int, default 60
        See :func:`fill_tenor_gaps`.

    Returns
    -------
    ParCurve
        Daily rows where any daily tenor is observed; before the first of them, monthly rows
        (on the 15th) from the GS series.

    Examples
    --------
    >>> idx = pd.to_datetime(["2024-01-02", "2024-01-03"])
    >>> curve = build_par_curve({"DGS10": pd.Series([4.0, 4.1], idx),
    ...                          "DGS20": pd.Series([4.3, 4.4], idx),
    ...                          "DGS30": pd.Series([4.2, 4.3], idx)})
    >>> round(float(curve.par_yield_at(np.array([25.0]), np.array([0]))[0]), 4)
    0.0425
    """
    if "DGS10" not in series or series["DGS10"].dropna().empty:
        raise ValueError("build_par_curve needs DGS10 (daily 10-year CMT yields, in percent)")
    daily = _frame(series, DAILY_KEYS)
    first_daily = daily.index[0]
    monthly = _frame(series, MONTHLY_KEYS)
    if not monthly.empty:
        monthly.index = monthly.index + pd.Timedelta(days=14)
        monthly = monthly[monthly.index < first_daily]
        monthly.columns = pd.Index(list(DAILY_KEYS))
    # Monthly and daily rows are filled separately: a spread carried across their seam would
    # mix averages with closes.
    daily_yields, daily_filled = fill_tenor_gaps(daily.to_numpy(), window)
    parts_yields, parts_filled = [daily_yields], [daily_filled]
    dates = daily.index
    is_monthly = np.zeros(len(daily), dtype=bool)
    if not monthly.empty:
        monthly_yields, monthly_filled = fill_tenor_gaps(monthly.to_numpy(), max(1, window // 20))
        parts_yields.insert(0, monthly_yields)
        parts_filled.insert(0, monthly_filled)
        dates = monthly.index.append(daily.index)
        is_monthly = np.concatenate([np.ones(len(monthly), dtype=bool), is_monthly])
    yields = np.vstack(parts_yields)
    filled = np.vstack(parts_filled)
    keep = np.asarray(~np.isnan(yields).any(axis=1), dtype=bool)
    return ParCurve(
        dates=pd.DatetimeIndex(dates[keep], name="date"),
        yields=yields[keep],
        filled=filled[keep],
        monthly=is_monthly[keep],
    )
