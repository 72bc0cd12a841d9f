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

Fitting a simulation to a real fund (fit statistics, calibration) is in
:mod:`bondthesis.funds.fit`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bondthesis._typing import FloatArray
from bondthesis.funds.terms import TMF_FINANCING_SPREAD

__all__ = [
    "FEE_DAY_COUNT",
    "FINANCING_DAY_COUNT",
    "TMF_FINANCING_SPREAD",
    "GapDecomposition",
    "LeveragedFund",
    "combine_cash_rate",
    "decompose_gap",
    "fund_daily_returns",
    "splice_history",
]

FINANCING_DAY_COUNT = 360.0
FEE_DAY_COUNT = 365.0


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
