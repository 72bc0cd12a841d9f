"""Performance figures of an equity curve, with the formulas the README prints.

``V`` is the daily value (any start), ``r[t] = V[t] / V[t-1] - 1`` the daily return, ``b[t]``
the bill return into the same day (:func:`bondthesis.data.backtest_assets.bill_returns`) and
``x = r - b`` the excess return. ``N = 252`` trading days a year.

* total return ``V[-1] / V[0] - 1``; **CAGR** ``(V[-1] / V[0]) ** (365.25 / calendar days) - 1``;
* **volatility** ``std(r, ddof=1) * sqrt(N)``;
* **Sharpe** ``mean(x) / std(x, ddof=1) * sqrt(N)``; **Sortino**
  ``mean(x) * N / (sqrt(mean(min(x, 0) ** 2)) * sqrt(N))`` (downside deviation over all days);
* **drawdown** ``V / running max(V) - 1``; **max drawdown** its minimum, with the peak (the last
  high before it), the trough and the recovery (the first day back at the peak; ``None`` if not
  yet); **Calmar** ``CAGR / |max drawdown|``; **Ulcer index** ``sqrt(mean(drawdown ** 2))``;
* **worst year**: the lowest calendar-year return, each year from the last close of the year
  before (partial first and last years are flagged ``partial``);
* **longest under water**: the most calendar days from a peak to its recovery (or to the last
  day when not recovered).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from bondthesis._typing import FloatArray
from bondthesis.serialize import Serializable

__all__ = [
    "TRADING_DAYS_PER_YEAR",
    "AnnualReturn",
    "Drawdown",
    "Metrics",
    "annual_returns",
    "compute_metrics",
    "drawdown_episodes",
    "summary_many",
]

TRADING_DAYS_PER_YEAR = 252
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Drawdown(Serializable):
    """A fall from a high and the way back.

    Attributes
    ----------
    peak, trough : date
    recovery : date or None
        First day back at the peak's value; None while still under water.
    depth : float
        ``trough / peak - 1`` (negative decimal).
    days_under_water : int
        Calendar days from the peak to the recovery, or to the last day when not recovered.
    """

    peak: date
    trough: date
    recovery: date | None
    depth: float
    days_under_water: int


@dataclass(frozen=True)
class AnnualReturn(Serializable):
    """One calendar year's return, from the last close before it to its last close in the data."""

    year: int
    value: float
    start: date
    end: date
    partial: bool
    simulated: bool


@dataclass(frozen=True)
class Metrics(Serializable):
    """Figures of one equity curve (formulas in the module docstring); decimals, ISO dates."""

    start: date
    end: date
    years: float
    total_return: float
    cagr: float
    volatility: float
    sharpe: float
    sortino: float
    max_drawdown: float
    max_drawdown_peak: date | None
    max_drawdown_trough: date | None
    max_drawdown_recovery: date | None
    calmar: float
    ulcer_index: float
    worst_year: int | None
    worst_year_return: float
    worst_year_partial: bool
    longest_under_water_days: int
    longest_under_water_start: date | None
    longest_under_water_end: date | None
    longest_under_water_recovered: bool
    final_value: float


def _day(stamp: object) -> date:
    return pd.Timestamp(stamp).date()  # type: ignore[arg-type]


def drawdown_episodes(values: pd.Series) -> list[Drawdown]:
    """Every drawdown of ``values`` (a curve indexed by date), deepest first."""
    v = values.to_numpy(dtype=np.float64)
    dates = pd.DatetimeIndex(values.index)
    if len(v) < 2:
        return []
    peak = np.maximum.accumulate(v)
    under = v < peak
    edges = np.diff(np.r_[0, under.astype(np.int8), 0])
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    episodes = []
    for first_np, stop_np in zip(starts, stops, strict=True):
        first, stop = int(first_np), int(stop_np)
        peak_at = first - 1
        trough_at = first + int(np.argmin(v[first:stop]))
        recovered = stop < len(v)
        end_at = stop if recovered else len(v) - 1
        episodes.append(
            Drawdown(
                peak=_day(dates[peak_at]),
                trough=_day(dates[trough_at]),
                recovery=_day(dates[stop]) if recovered else None,
                depth=float(v[trough_at] / v[peak_at] - 1.0),
                days_under_water=int((dates[end_at] - dates[peak_at]).days),
            )
        )
    episodes.sort(key=lambda e: e.depth)
    return episodes


def annual_returns(values: pd.Series, simulated: pd.Series | None = None) -> list[AnnualReturn]:
    """Calendar-year returns of a curve; a year without a close before it or its last trading
    day of December in the data is ``partial``."""
    dates = pd.DatetimeIndex(values.index)
    years = dates.year
    out = []
    for year in np.unique(years):
        inside = np.flatnonzero(years == year)
        first_at = max(int(inside[0]) - 1, 0)
        last_at = int(inside[-1])
        begin, finish = values.iloc[first_at], values.iloc[last_at]
        complete_start = inside[0] > 0
        complete_end = last_at < len(dates) - 1 or (
            dates[last_at].month == 12 and dates[last_at].day >= 24
        )
        flags = simulated.iloc[first_at + 1 : last_at + 1] if simulated is not None else None
        out.append(
            AnnualReturn(
                year=int(year),
                value=float(finish / begin - 1.0) if begin > 0 else float("nan"),
                start=_day(dates[first_at]),
                end=_day(dates[last_at]),
                partial=not (complete_start and complete_end),
                simulated=bool(flags.any()) if flags is not None and len(flags) else False,
            )
        )
    return out


def _ratio(top: float, bottom: float) -> float:
    return top / bottom if bottom > 0 and math.isfinite(bottom) else float("nan")


def compute_metrics(
    values: pd.Series, bill_return: pd.Series, simulated: pd.Series | None = None
) -> tuple[Metrics, list[AnnualReturn], list[Drawdown]]:
    """Metrics, calendar years and drawdowns of ``values`` (module docstring for formulas).

    Parameters
    ----------
    values : Series of float indexed by date
        The equity curve.
    bill_return : Series of float, same index
        The bill return into each day (the first is ignored).
    simulated : Series of bool, same index, optional
        True on days whose return came from a simulation (marks the years).
    """
    v = values.to_numpy(dtype=np.float64)
    dates = pd.DatetimeIndex(values.index)
    returns = v[1:] / v[:-1] - 1.0
    excess = returns - bill_return.to_numpy(dtype=np.float64)[1:]
    calendar_days = float((dates[-1] - dates[0]).days)
    years = calendar_days / DAYS_PER_YEAR
    growth = v[-1] / v[0]
    cagr = growth ** (1.0 / years) - 1.0 if years > 0 and growth > 0 else float("nan")
    if growth <= 0:
        cagr = -1.0
    root = math.sqrt(TRADING_DAYS_PER_YEAR)
    volatility = float(np.std(returns, ddof=1)) * root if len(returns) > 1 else float("nan")
    excess_sd = float(np.std(excess, ddof=1)) if len(excess) > 1 else float("nan")
    downside = math.sqrt(float(np.mean(np.minimum(excess, 0.0) ** 2))) if len(excess) else 0.0
    mean_excess = float(np.mean(excess)) if len(excess) else float("nan")
    drawdown = v / np.maximum.accumulate(v) - 1.0
    episodes = drawdown_episodes(values)
    deepest = episodes[0] if episodes else None
    longest = max(episodes, key=lambda e: e.days_under_water) if episodes else None
    annual = annual_returns(values, simulated)
    full = [a for a in annual if math.isfinite(a.value)]
    worst = min(full, key=lambda a: a.value) if full else None
    max_drawdown = float(drawdown.min())
    metrics = Metrics(
        start=_day(dates[0]),
        end=_day(dates[-1]),
        years=years,
        total_return=float(growth - 1.0),
        cagr=float(cagr),
        volatility=volatility,
        sharpe=_ratio(mean_excess, excess_sd) * root,
        sortino=_ratio(mean_excess * TRADING_DAYS_PER_YEAR, downside * root),
        max_drawdown=max_drawdown,
        max_drawdown_peak=deepest.peak if deepest else None,
        max_drawdown_trough=deepest.trough if deepest else None,
        max_drawdown_recovery=deepest.recovery if deepest else None,
        calmar=_ratio(float(cagr), abs(max_drawdown)),
        ulcer_index=float(np.sqrt(np.mean(drawdown**2))),
        worst_year=worst.year if worst else None,
        worst_year_return=worst.value if worst else float("nan"),
        worst_year_partial=worst.partial if worst else False,
        longest_under_water_days=longest.days_under_water if longest else 0,
        longest_under_water_start=longest.peak if longest else None,
        longest_under_water_end=(longest.recovery or _day(dates[-1])) if longest else None,
        longest_under_water_recovered=longest.recovery is not None if longest else True,
        final_value=float(v[-1]),
    )
    return metrics, annual, episodes


def summary_many(
    values: FloatArray, dates: pd.DatetimeIndex, bill_return: FloatArray
) -> dict[str, FloatArray]:
    """CAGR, volatility, Sharpe and max drawdown of many curves at once.

    Parameters
    ----------
    values : ndarray of shape (n_portfolios, n_days)
    dates : DatetimeIndex of length n_days
    bill_return : ndarray of shape (n_days,)

    Returns
    -------
    dict of str to ndarray of shape (n_portfolios,)
        ``cagr``, ``volatility``, ``sharpe``, ``max_drawdown`` (same formulas as one curve).
    """
    from bondthesis.backtesting._summary_kernel import summarize_many  # numba, on first use

    years = (dates[-1] - dates[0]).days / DAYS_PER_YEAR
    root = math.sqrt(TRADING_DAYS_PER_YEAR)
    with np.errstate(divide="ignore", invalid="ignore"):
        figures = summarize_many(values, bill_return)
        growth = values[:, -1] / values[:, 0]
        cagr = np.where(growth > 0, np.abs(growth) ** (1.0 / years) - 1.0, -1.0)
        volatility = figures[:, 1] * root
        sharpe = figures[:, 2] / figures[:, 3] * root
    return {"cagr": cagr, "volatility": volatility, "sharpe": sharpe, "max_drawdown": figures[:, 4]}
