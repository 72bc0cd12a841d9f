"""Monthly outcome series for event studies: what followed a pillar's trigger.

:func:`build_outcomes` turns a panel of catalog series (values as published) into month-end
series: total-return indices of long Treasuries and of stocks, the 30-year yield, core CPI
inflation, the NBER recession flag and an ex-post real 10-year yield. Long Treasuries come from
the caller (the synthetic TLT index of ``bondthesis.bonds.ladder``) when given; otherwise from an
APPROXIMATION, a constant-maturity 20-year par bond re-priced monthly from GS20:

    r_t = y_{t-1}/12 - D_{t-1} * (y_t - y_{t-1}) + 0.5 * C_{t-1} * (y_t - y_{t-1})**2

with ``D``/``C`` the modified duration/convexity of a 20-year semiannual par bond at ``y_{t-1}``
(decimals). Stocks are SPY's adjusted close from 1993 on, spliced at SPY's first month end onto a
total-return index built from Shiller's monthly price P and dividends D (annual rate):
``(P_t + D_t/12) / P_{t-1}``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bondthesis.data.months import change, periods_ago

__all__ = ["Outcomes", "build_outcomes", "par_bond_return", "shiller_total_return"]


@dataclass(frozen=True, eq=False)
class Outcomes:
    """Month-end outcome series (index: month ends). Yields and inflation are decimals.

    Parameters
    ----------
    long_bonds : Series
        Total-return index of long Treasuries.
    stocks : Series
        Total-return index of US stocks.
    yield_30y, core_inflation_yoy, real_yield_10y : Series
        Decimals (0.045).
    recession : Series
        1.0 in NBER recession months, else 0.0.
    labels : dict
        Where each series comes from, in words (the approximations are named).
    """

    long_bonds: pd.Series
    stocks: pd.Series
    yield_30y: pd.Series
    core_inflation_yoy: pd.Series
    recession: pd.Series
    real_yield_10y: pd.Series
    labels: dict[str, str]


def _month_end(series: pd.Series, how: str = "last", period_start: bool = False) -> pd.Series:
    if series.dropna().empty:
        return pd.Series(dtype="float64", index=pd.DatetimeIndex([]))
    clean = series.dropna()
    if period_start:  # FRED monthly values are dated at the month's first day
        clean.index = pd.DatetimeIndex(clean.index) + pd.offsets.MonthEnd(0)
    grouped = clean.resample("ME")
    return (grouped.mean() if how == "mean" else grouped.last()).dropna()


def par_bond_return(yields: pd.Series, maturity_years: float = 20.0) -> pd.Series:
    """Monthly total return of a constant-maturity par bond from month-end yields (decimals).

    Example: at 5% a 20-year par bond has modified duration 12.55; a 10bp rise over a month
    returns 0.05/12 - 12.55 * 0.001 + 0.5 * 218.1 * 0.001**2 = -0.00827.
    """
    y_prev = periods_ago(yields, 1)  # the previous calendar month (NaN when it is missing)
    change = yields - y_prev
    half = y_prev / 2.0
    n = 2.0 * maturity_years
    discount = (1.0 + half) ** -n
    duration = (1.0 - discount) / y_prev
    times = np.arange(1, int(n) + 1) / 2.0
    coupon = y_prev.to_numpy() / 2.0
    # Convexity of a semiannual par bond, summed over its cash flows: sum t(t+0.5) CF_t DF_t / P.
    convexity = np.full(len(yields), np.nan)
    for i, (c, h) in enumerate(zip(coupon, half.to_numpy(), strict=True)):
        if np.isfinite(h):
            flows = np.full(len(times), c)
            flows[-1] += 1.0
            df = (1.0 + h) ** (-2.0 * times)
            convexity[i] = float(np.sum(times * (times + 0.5) * flows * df)) / (1.0 + h) ** 2
    result = y_prev / 12.0 - duration * change + 0.5 * convexity * change**2
    return result.dropna()


def shiller_total_return(price: pd.Series, dividends: pd.Series) -> pd.Series:
    """Monthly total-return index from Shiller's P and D (annual rate), starting at 1.0.

    Example: P 100 -> 101 with D 3.0 a year returns (101 + 0.25)/100 - 1 = 1.25% that month.
    """
    frame = pd.concat([price, dividends], axis=1, keys=["p", "d"]).dropna()
    growth = (frame["p"] + frame["d"] / 12.0) / periods_ago(frame["p"], 1)
    index = growth.fillna(1.0).cumprod()
    return index


def build_outcomes(
    panel: pd.DataFrame,
    long_bond_index: pd.Series | None = None,
    long_bond_label: str = "long-Treasury total-return index supplied by the caller",
) -> Outcomes:
    """Outcome series from a panel of catalog series (values as published, dated as stored).

    Parameters
    ----------
    panel : DataFrame indexed by date; columns among GS20, DGS20, GS30, DGS30, GS10, SPY,
        SHILLER_P, SHILLER_D, CPILFESL, USREC
    long_bond_index : Series, optional
        A total-return index of long Treasuries (daily or monthly). None: the constant-maturity
        20-year approximation described in the module docstring.
    long_bond_label : str
        What ``long_bond_index`` is, in words (shown with every study that uses it).
    """

    def col(key: str) -> pd.Series:
        return (
            panel[key]
            if key in panel.columns
            else pd.Series(dtype="float64", index=pd.DatetimeIndex([]))
        )

    labels: dict[str, str] = {}
    if long_bond_index is not None and len(long_bond_index.dropna()):
        long_bonds = _month_end(long_bond_index)
        labels["long_bonds"] = long_bond_label
    else:
        twenty = _month_end(col("GS20"), period_start=True)
        daily_twenty = _month_end(col("DGS20"), how="mean")
        thirty = _month_end(col("GS30"), period_start=True)
        combined = twenty.combine_first(daily_twenty).combine_first(thirty) / 100.0
        long_bonds = (1.0 + par_bond_return(combined)).cumprod()
        labels["long_bonds"] = (
            "APPROXIMATION: constant-maturity 20-year par bond re-priced monthly from GS20 "
            "(DGS20 monthly mean, then GS30, where GS20 is missing, e.g. 1987-1993)"
        )
    shiller = shiller_total_return(
        _month_end(col("SHILLER_P"), period_start=True),
        _month_end(col("SHILLER_D"), period_start=True),
    )
    spy = _month_end(col("SPY"))
    stocks = _splice(shiller, spy)
    labels["stocks"] = (
        "SPY adjusted close from 1993, spliced onto Shiller's S&P total return (P, D)"
    )
    gs30 = _month_end(col("GS30"), period_start=True)
    dgs30 = _month_end(col("DGS30"), how="mean")
    gs20 = _month_end(col("GS20"), period_start=True)
    yield_30y = dgs30.combine_first(gs30).combine_first(gs20[gs20.index < gs30.index.min()]) / 100.0
    labels["yield_30y"] = (
        "30-year CMT yield, monthly mean of DGS30 (GS30 where missing; the 20-year GS20 before "
        "the 30-year series begins in 1977)"
    )
    core = _month_end(col("CPILFESL"), period_start=True)
    core_inflation = change(core, 12).dropna()
    labels["core_inflation_yoy"] = "core CPI (CPILFESL) year-on-year"
    recession = _month_end(col("USREC"), period_start=True)
    labels["recession"] = "NBER recession months (USREC)"
    ten = _month_end(col("GS10"), period_start=True) / 100.0
    real = (ten - core_inflation).dropna()
    labels["real_yield_10y"] = "ex-post real 10-year yield: GS10 minus core CPI YoY"
    return Outcomes(
        long_bonds=long_bonds,
        stocks=stocks,
        yield_30y=yield_30y,
        core_inflation_yoy=core_inflation,
        recession=recession,
        real_yield_10y=real,
        labels=labels,
    )


def _splice(history: pd.Series, recent: pd.Series) -> pd.Series:
    """``recent`` from its first date, ``history`` scaled to meet it before."""
    if recent.empty:
        return history
    if history.empty:
        return recent
    start = recent.index[0]
    before = history[history.index <= start]
    if before.empty:
        return recent
    scale = recent.iloc[0] / before.iloc[-1]
    joined: pd.Series = pd.concat([before.iloc[:-1] * scale, recent])
    out: pd.Series = joined[~joined.index.duplicated(keep="last")]
    return out
