"""Daily-reset leveraged funds (TMF-like) on any underlying index, pure.

Each day the fund returns ``leverage`` times the index's daily total return, pays or earns
interest on the cash that leverage implies, and pays its expense ratio
(``../shared/samples/SOURCES.md`` §8.3)::

    r_fund[t] = L * r_index[t]
              + (1 - L) * cash[t-1] * d[t] / 360          # financing of the borrowed (L-1)
              - |1 - L| * spread * d[t] / 360             # the swap spread, always a cost
              - expense_ratio * d[t] / 365                # the fee, by calendar day

``d[t]`` is the number of calendar days since the previous observation, so weekends and
holidays accrue. Financing uses ACT/360, the money-market and swap floating-leg convention
(SOFR, fed funds, T-bill yields on a money-market basis); the expense ratio is an annual
percentage of net assets accrued daily by calendar day, ACT/365. ``cash[t-1]`` is the previous
observation's rate (what the swap reset to). For ``L > 1`` the fund borrows ``L - 1`` and pays
cash plus the spread; for ``L < 1`` (inverse funds) it holds ``1 - L`` of cash and earns the cash
rate minus the spread; ``L = 1`` is the index minus the fee.

Calibration
-----------
The spread and the fee are both constants accrued by calendar day, so in returns they are
exactly collinear: least squares identifies only their sum. :func:`calibrate` therefore fits
the spread (and, optionally, the effective leverage) with the fee held at the fund's published
expense ratio, on a fit window, and reports the fit on a holdout window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bondthesis._typing import FloatArray

__all__ = [
    "FEE_DAY_COUNT",
    "FINANCING_DAY_COUNT",
    "ROBUST_SCALE",
    "Calibration",
    "FitStatistics",
    "GapDecomposition",
    "LeveragedFund",
    "annual_returns",
    "calibrate",
    "combine_cash_rate",
    "decompose_gap",
    "fit_statistics",
    "fund_daily_returns",
    "splice_history",
]

FINANCING_DAY_COUNT = 360.0
FEE_DAY_COUNT = 365.0
ROBUST_SCALE = 0.01
"""Calendar-year misses beyond this (1pp, decimal) weigh linearly in :func:`calibrate`."""


@dataclass(frozen=True)
class LeveragedFund:
    """The terms of a daily-reset fund.

    Parameters
    ----------
    leverage : float
        Daily multiple of the index, in [-3, 3] (TMF: 3, TMV: -3).
    expense_ratio : float
        Annual fee, decimal (TMF about 0.0091 in 2025, 0.0109-0.0111 earlier).
    spread : float
        Financing spread over the cash rate, decimal a year (calibrated; about 0.002-0.006).
    """

    leverage: float
    expense_ratio: float = 0.0
    spread: float = 0.0

    def __post_init__(self) -> None:
        if not -3.0 <= self.leverage <= 3.0:
            raise ValueError(f"leverage must be between -3 and 3, got {self.leverage}")
        if not 0.0 <= self.expense_ratio < 0.1:
            raise ValueError(
                f"expense_ratio is a decimal a year, e.g. 0.0091; got {self.expense_ratio}"
            )
        if not -0.05 < self.spread < 0.05:
            raise ValueError(f"spread is a decimal a year, e.g. 0.004; got {self.spread}")

    def daily_returns(self, index_returns: pd.Series, cash_rate: pd.Series) -> pd.Series:
        """The fund's daily returns; see :func:`fund_daily_returns`."""
        return fund_daily_returns(
            index_returns, cash_rate, self.leverage, self.expense_ratio, self.spread
        )


def _elapsed_days(index: pd.Index) -> FloatArray:
    days = pd.DatetimeIndex(index).to_numpy(dtype="datetime64[D]").astype(np.int64)
    elapsed = np.diff(days, prepend=days[0] if len(days) else 0).astype(np.float64)
    return elapsed


def _cash_on(index: pd.Index, cash_rate: pd.Series) -> FloatArray:
    """The cash rate in force before each date: the last observation strictly before it."""
    clean = cash_rate.dropna().sort_index()
    if clean.empty:
        raise ValueError("cash_rate has no values; pass daily or monthly rates as decimals")
    if float(clean.abs().max()) > 0.5:
        raise ValueError("cash_rate looks like percent; pass decimals (0.05 for 5%)")
    dates = pd.DatetimeIndex(index)
    position = pd.DatetimeIndex(clean.index).searchsorted(dates, side="left") - 1
    values = clean.to_numpy(dtype=np.float64)
    # Before the first cash observation the first value stands in.
    return values[np.clip(position, 0, None)]


def fund_daily_returns(
    index_returns: pd.Series,
    cash_rate: pd.Series,
    leverage: float,
    expense_ratio: float = 0.0,
    spread: float = 0.0,
) -> pd.Series:
    """Daily returns of a daily-reset fund of ``leverage`` on an index (module docstring).

    Parameters
    ----------
    index_returns : Series of float, indexed by ascending dates
        The index's daily total returns, decimals; the first value is the return into the
        first date (0.0 if unknown) and gets no financing.
    cash_rate : Series of float
        Annualised cash rate, decimals, on any dates (daily or monthly); each day uses the last
        value strictly before it.
    leverage, expense_ratio, spread : float
        As in :class:`LeveragedFund`.

    Returns
    -------
    Series of float, same index as ``index_returns``

    Examples
    --------
    3x on a +1% day after a weekend (3 days) at 5% cash, 0.5% spread, 1% fee:
    ``0.03 - 2*0.055*3/360 - 0.01*3/365 = 0.029001``.

    >>> idx = pd.to_datetime(["2024-01-05", "2024-01-08"])
    >>> r = fund_daily_returns(pd.Series([0.0, 0.01], idx), pd.Series([0.05], idx[:1]),
    ...                        3.0, 0.01, 0.005)
    >>> round(float(r.iloc[1]), 6)
    0.029001
    """
    LeveragedFund(leverage, expense_ratio, spread)  # validates
    returns = index_returns.to_numpy(dtype=np.float64)
    elapsed = _elapsed_days(index_returns.index)
    cash = _cash_on(index_returns.index, cash_rate)
    financing = ((1.0 - leverage) * cash - abs(1.0 - leverage) * spread) * (
        elapsed / FINANCING_DAY_COUNT
    )
    fee = expense_ratio * elapsed / FEE_DAY_COUNT
    out = leverage * returns + financing - fee
    return pd.Series(out, index=index_returns.index, name="fund_return")


@dataclass(frozen=True)
class GapDecomposition:
    """Why a daily-reset fund did not return ``L`` times its index over a window.

    All components are **log returns** that add up exactly:
    ``log(1 + fund) - log(1 + L * index) = fees + financing + compounding + volatility_drag``.

    Attributes
    ----------
    fund_return, index_return, levered_index_return : float
        Simple returns over the window: the fund, the index, ``L`` times the index.
    fees : float
        Log cost of the expense ratio.
    financing : float
        Log cost (or income, for inverse funds) of the cash leg, spread included.
    compounding : float
        What daily resets do on a path with no volatility: ``n log(1 + L g) - log(1 + L R)``
        with ``g`` the index's geometric mean daily return and ``R`` its window return.
    volatility_drag : float
        The rest: ``Σ log(1 + L r) - n log(1 + L g)``; zero when every day's return is the same,
        about ``-(L² - L)/2 σ² T`` otherwise.
    """

    fund_return: float
    index_return: float
    levered_index_return: float
    fees: float
    financing: float
    compounding: float
    volatility_drag: float

    @property
    def gap(self) -> float:
        """``log(1 + fund) - log(1 + L * index)``, the sum of the four components."""
        return self.fees + self.financing + self.compounding + self.volatility_drag


def decompose_gap(
    index_returns: pd.Series,
    cash_rate: pd.Series,
    leverage: float,
    expense_ratio: float = 0.0,
    spread: float = 0.0,
) -> GapDecomposition:
    """Split the gap between a fund and ``leverage`` times its index into its causes.

    The first return of ``index_returns`` is treated like the others (pass the returns *inside*
    the window). Parameters are those of :func:`fund_daily_returns`.

    Examples
    --------
    An index that gains 0.1% every day for 10 days, 3x, no costs: no volatility drag.

    >>> idx = pd.bdate_range("2024-01-01", periods=10)
    >>> d = decompose_gap(pd.Series(0.001, idx), pd.Series(0.0, idx), 3.0)
    >>> abs(d.volatility_drag) < 1e-12
    True
    """
    returns = index_returns.to_numpy(dtype=np.float64)
    n = len(returns)
    if n == 0:
        raise ValueError("decompose_gap needs at least one daily return")
    levered = leverage * returns
    with_financing = fund_daily_returns(index_returns, cash_rate, leverage, 0.0, spread).to_numpy()
    fund = fund_daily_returns(index_returns, cash_rate, leverage, expense_ratio, spread).to_numpy()
    if (1.0 + fund <= 0.0).any() or (1.0 + levered <= 0.0).any():
        raise ValueError("the fund lost everything on some day; no log decomposition exists")
    index_total = float(np.prod(1.0 + returns) - 1.0)
    levered_total = leverage * index_total
    if 1.0 + levered_total <= 0.0:
        raise ValueError("L times the index's window return is below -100%; use a shorter window")
    log_levered_daily = float(np.log1p(levered).sum())
    log_financed = float(np.log1p(with_financing).sum())
    log_fund = float(np.log1p(fund).sum())
    geometric = (1.0 + index_total) ** (1.0 / n) - 1.0
    smooth = n * float(np.log1p(leverage * geometric))
    return GapDecomposition(
        fund_return=float(np.expm1(log_fund)),
        index_return=index_total,
        levered_index_return=levered_total,
        fees=log_fund - log_financed,
        financing=log_financed - log_levered_daily,
        compounding=smooth - float(np.log1p(levered_total)),
        volatility_drag=log_levered_daily - smooth,
    )


@dataclass(frozen=True)
class FitStatistics:
    """How a simulated series tracks the real one over a window.

    Attributes
    ----------
    start, end : Timestamp
    n_days : int
        Common daily observations.
    daily_correlation : float
    tracking_error : float
        Standard deviation of daily return differences, annualised by sqrt(252), decimal.
    annual_mean_abs_difference : float
        Mean of |simulated - actual| calendar-year returns over full years, decimal.
    annual_mean_difference : float
        Mean of (simulated - actual), decimal: the bias.
    n_years : int
    """

    start: pd.Timestamp
    end: pd.Timestamp
    n_days: int
    daily_correlation: float
    tracking_error: float
    annual_mean_abs_difference: float
    annual_mean_difference: float
    n_years: int


def annual_returns(levels: pd.Series, full_years_only: bool = False) -> pd.Series:
    """Calendar-year returns (decimals) from a level series, indexed by year.

    The first year runs from the first level; with ``full_years_only`` a year counts only if
    the series has a level in the previous December (or earlier) to start from.
    """
    clean = levels.dropna()
    index = pd.DatetimeIndex(clean.index)
    year_end = clean.groupby(index.year).last()
    start = year_end.shift(1)
    if not full_years_only:
        start.iloc[0] = float(clean.iloc[0])
    out = (year_end / start - 1.0).dropna()
    out.index.name = "year"
    return out


def fit_statistics(simulated: pd.Series, actual: pd.Series) -> FitStatistics:
    """Compare two level series (total-return indices) on their common dates.

    Daily returns are taken between consecutive common dates, so both cover the same span.
    Calendar years count when both series have the previous year's last common date.
    """
    common = pd.DatetimeIndex(simulated.dropna().index).intersection(
        pd.DatetimeIndex(actual.dropna().index)
    )
    if len(common) < 3:
        raise ValueError("the series share fewer than 3 dates; nothing to compare")
    sim, act = simulated.reindex(common), actual.reindex(common)
    sim_returns = sim.pct_change().iloc[1:].to_numpy()
    act_returns = act.pct_change().iloc[1:].to_numpy()
    years = annual_returns(sim, full_years_only=True) - annual_returns(act, full_years_only=True)
    years = years.dropna()
    return FitStatistics(
        start=common[0],
        end=common[-1],
        n_days=len(common),
        daily_correlation=float(np.corrcoef(sim_returns, act_returns)[0, 1]),
        tracking_error=float(np.std(sim_returns - act_returns) * np.sqrt(252.0)),
        annual_mean_abs_difference=float(years.abs().mean()) if len(years) else float("nan"),
        annual_mean_difference=float(years.mean()) if len(years) else float("nan"),
        n_years=len(years),
    )


@dataclass(frozen=True)
class Calibration:
    """Parameters fitted to a real fund, with the fit in and out of sample.

    Attributes
    ----------
    fund : LeveragedFund
        Leverage (as given, or fitted), the expense ratio held fixed, the fitted spread.
    fit_start, fit_end : Timestamp
        The window the parameters were fitted on.
    in_sample, holdout : FitStatistics or None
        Fit on the fitting window and on the rest of the common history (None if empty).
    """

    fund: LeveragedFund
    fit_start: pd.Timestamp
    fit_end: pd.Timestamp
    in_sample: FitStatistics
    holdout: FitStatistics | None


def _levels(returns: pd.Series) -> pd.Series:
    return (1.0 + returns).cumprod()


def _year_ends(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The first date of ``index`` and the last date of each calendar year in it."""
    frame = pd.Series(index, index=index)
    ends = pd.DatetimeIndex(frame.groupby(index.year).last().to_numpy())
    return ends.insert(0, index[0]).unique()


def calibrate(
    index_returns: pd.Series,
    cash_rate: pd.Series,
    actual_levels: pd.Series,
    leverage: float,
    expense_ratio: float,
    fit_end: pd.Timestamp | str,
) -> Calibration:
    """Fit the financing spread to a real fund by robust least squares on calendar years.

    Minimises a robust (``soft_l1``, scale :data:`ROBUST_SCALE` = 1pp) sum of the differences
    between the fund's actual **calendar-year** returns and the simulated ones over the years
    of the fitting window (the first, partial year from the fund's first date included; the
    window ends at the last common date on or before ``fit_end``); the rest of the common
    history is the holdout. Years rather than days or months: the spread is a drift of a few
    basis points a month, and least squares on daily or monthly simple returns weighs it by the
    months of largest moves and mistakes the real fund's extra day-to-day noise (closing-time
    mismatch, premium/discount) for drift. Robust rather than plain squares: a fund's launch
    months can miss by far more than any drift (TMF from 2009-04-16 to 2009-12-31 lost 39.2%
    against 32.3% simulated, when it still tracked the NYSE 20+ index), and squares let that
    one partial year set the spread. Measured on TMF fitted on 2009-04..2017 with DGS1MO cash
    (README, fund section): holdout 2018-2025 mean |annual difference| 0.64pp robust (spread
    0.47%), 0.66pp with plain squares (spread 0.59%, bias -0.21pp a year).
    Daily returns are taken between consecutive common dates (the index compounded over the
    span), so holidays of one calendar do not misalign them.

    Parameters
    ----------
    index_returns : Series of float
        The underlying's daily total returns.
    cash_rate : Series of float
        Decimals; see :func:`fund_daily_returns`.
    actual_levels : Series of float
        The real fund's adjusted closes (total-return levels).
    leverage : float
    expense_ratio : float
        Held fixed (it cannot be told apart from the spread; module docstring).
    fit_end : date-like
        Last date of the fitting window.

    Returns
    -------
    Calibration
    """
    from scipy.optimize import least_squares

    fit_end_at = pd.Timestamp(fit_end)
    index_levels = _levels(index_returns.fillna(0.0))
    common = pd.DatetimeIndex(index_levels.index).intersection(
        pd.DatetimeIndex(actual_levels.dropna().index)
    )
    if len(common) < 30:
        raise ValueError("fewer than 30 common dates between the index and the fund")
    spans = index_levels.reindex(common).pct_change().fillna(0.0)
    actual_series = actual_levels.reindex(common)
    fit_dates = common[common <= fit_end_at]
    if len(fit_dates) < 20:
        raise ValueError(f"fit_end {fit_end_at.date()} leaves fewer than 20 days to fit on")
    periods = _year_ends(fit_dates)
    actual_periods = actual_series.reindex(periods).pct_change().iloc[1:].to_numpy()

    def residuals(parameters: FloatArray) -> FloatArray:
        trial = LeveragedFund(leverage, expense_ratio, float(parameters[0]))
        levels = _levels(trial.daily_returns(spans, cash_rate)).reindex(periods)
        simulated_periods = levels.pct_change().iloc[1:].to_numpy()
        return np.asarray(simulated_periods - actual_periods, dtype=np.float64)

    solution = least_squares(
        residuals,
        np.array([0.003]),
        bounds=([-0.0499], [0.0499]),
        x_scale=[0.001],
        loss="soft_l1",
        f_scale=ROBUST_SCALE,
    )
    fund = LeveragedFund(leverage, expense_ratio, float(solution.x[0]))
    simulated = _levels(fund.daily_returns(spans, cash_rate))
    in_window = common <= fit_end_at
    holdout_dates = common[~in_window]
    # The holdout's first year starts from the fit window's last level.
    after = common[common >= common[in_window][-1]]
    return Calibration(
        fund=fund,
        fit_start=common[0],
        fit_end=common[in_window][-1],
        in_sample=fit_statistics(simulated[in_window], actual_series[in_window]),
        holdout=(
            fit_statistics(simulated.reindex(after), actual_series.reindex(after))
            if len(holdout_dates) >= 3
            else None
        ),
    )


def combine_cash_rate(
    daily_percent: pd.Series,
    monthly_percent: pd.Series,
    short_daily_percent: pd.Series | None = None,
) -> pd.Series:
    """One cash-rate series in decimals: the shortest daily rate where it exists, then longer.

    A leveraged fund's swaps reset on an overnight rate (SOURCES.md §8.2), so the financing
    rate is the shortest bill yield available each day: ``short_daily_percent`` (DGS1MO,
    1-month CMT, daily from 2001-07-31) where it exists, ``daily_percent`` (DGS3MO) before it,
    ``monthly_percent`` (TB3MS) before that. Measured on TMF (README, fund section): holdout
    2018-2025 mean |annual difference| 0.64pp with DGS1MO against 0.69pp with DGS3MO (same
    fit; monthly FEDFUNDS, the overnight rate itself but averaged by month, 0.72pp).

    Parameters
    ----------
    daily_percent : Series
        DGS3MO (3-month CMT, daily from 1981-09), percent.
    monthly_percent : Series
        TB3MS (3-month bill, monthly average dated the 1st, from 1934), percent; used before the
        first daily value (each month's value stands from its first day, forward-filled by
        :func:`fund_daily_returns`).
    short_daily_percent : Series, optional
        DGS1MO (1-month CMT), percent; used from its first value on.

    Examples
    --------
    >>> rates = combine_cash_rate(
    ...     pd.Series([5.0, 5.2], pd.to_datetime(["1981-09-01", "2001-08-01"])),
    ...     pd.Series([4.0, 4.5], pd.to_datetime(["1981-07-01", "1981-08-01"])),
    ...     pd.Series([3.7], pd.to_datetime(["2001-07-31"])))
    >>> [round(rate, 6) for rate in rates]
    [0.04, 0.045, 0.05, 0.037]
    """
    layers = [
        part.dropna().sort_index()
        for part in (short_daily_percent, daily_percent, monthly_percent)
        if part is not None
    ]
    kept: list[pd.Series] = []
    first: pd.Timestamp | None = None
    for part in layers:  # shortest first; each longer rate only before the shorter ones start
        if first is not None:
            part = part[pd.DatetimeIndex(part.index) < first]
        if not part.empty:
            start = pd.Timestamp(part.index[0])
            first = start if first is None else min(first, start)
        kept.append(part)
    combined: pd.Series = pd.concat(kept[::-1]).sort_index() / 100.0
    combined.index = pd.DatetimeIndex(combined.index, name="date")
    return combined.astype("float64").rename("cash_rate")


def splice_history(simulated_returns: pd.Series, actual_levels: pd.Series) -> pd.DataFrame:
    """A fund's history: the real fund where it exists, its simulation before.

    Parameters
    ----------
    simulated_returns : Series of float
        Daily returns of the simulation (decimals).
    actual_levels : Series of float
        The real fund's adjusted closes; may be empty.

    Returns
    -------
    DataFrame indexed by date with columns
        ``return`` (decimal daily return), ``level`` (1.0 on the first date; continuous at the
        seam), ``simulated`` (bool: True before the real fund's first date).

    Examples
    --------
    >>> idx = pd.bdate_range("2024-01-01", periods=4)
    >>> h = splice_history(pd.Series([0.0, 0.01, 0.01, 0.01], idx),
    ...                    pd.Series([50.0, 51.0], idx[2:]))
    >>> h["simulated"].tolist(), round(float(h["level"].iloc[-1]), 6)
    ([True, True, False, False], 1.040502)
    """
    actual = actual_levels.dropna()
    simulated = simulated_returns.dropna()
    if actual.empty:
        returns = simulated.copy()
        flags = np.ones(len(returns), dtype=bool)
    else:
        first_actual = pd.Timestamp(actual.index[0])
        before = simulated[simulated.index < first_actual]
        # The simulated return into the fund's first date bridges the last simulated close
        # to the first real one.
        bridge = simulated[simulated.index == first_actual]
        actual_returns = actual.pct_change()
        actual_returns.iloc[0] = float(bridge.iloc[0]) if len(bridge) and len(before) else 0.0
        returns = pd.concat([before, actual_returns])
        flags = np.concatenate([np.ones(len(before), dtype=bool), np.zeros(len(actual), bool)])
    frame = pd.DataFrame(
        {"return": returns.to_numpy(dtype=np.float64), "simulated": flags},
        index=pd.DatetimeIndex(returns.index, name="date"),
    )
    frame["level"] = np.cumprod(1.0 + frame["return"].to_numpy())
    return frame[["return", "level", "simulated"]]
