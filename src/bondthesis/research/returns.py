"""Monthly bonds-minus-stocks total returns: the outcome the scorecard is judged on.

The scorecard and the claims ledger ask one question of history: over the next 12 months, did long
bonds beat stocks? Both legs are total returns (coupons and dividends reinvested):

* **bonds**: TLT's adjusted close since it started (2002-07); before that the long-Treasury index
  of :func:`bondthesis.research.outcomes.build_outcomes`: the synthetic TLT ladder of
  :mod:`bondthesis.bonds.ladder` when the caller passes it, else its constant-maturity 20-year
  par-bond approximation.
* **stocks**: SPY's adjusted close since 1993, spliced onto Shiller's S&P composite total return
  (``build_outcomes``).

Everything here is pure: series in, series out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bondthesis.data.months import change
from bondthesis.research.outcomes import build_outcomes

__all__ = [
    "BondsMinusStocks",
    "bonds_minus_stocks",
    "forward_excess_return",
    "index_returns",
    "month_end",
    "splice_returns",
]


def month_end(series: pd.Series) -> pd.Series:
    """The last observation of each calendar month, indexed by the month's last day.

    >>> days = pd.to_datetime(["2020-01-03", "2020-01-30"])
    >>> float(month_end(pd.Series([1.0, 2.0], index=days)).iloc[0])
    2.0
    """
    clean = series.dropna()
    if clean.empty:
        return pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))
    out = clean.resample("ME").last().dropna()
    out.index.name = "date"
    return out.astype("float64")


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
    return change(levels, 1).dropna()  # between calendar months: a missing month stays out


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


@dataclass(frozen=True, eq=False)
class BondsMinusStocks:
    """Monthly returns of both legs and the forward excess return, with where each comes from."""

    bond_returns: pd.Series
    stock_returns: pd.Series
    forward: pd.Series
    horizon_months: int
    labels: dict[str, str]


def bonds_minus_stocks(
    panel: pd.DataFrame,
    long_bond_index: pd.Series | None = None,
    horizon_months: int = 12,
    long_bond_label: str | None = None,
) -> BondsMinusStocks:
    """Forward bonds-minus-stocks total return from a panel of catalog series.

    Parameters
    ----------
    panel : DataFrame
        Catalog keys as columns (values as published): ``TLT`` (adjusted close), ``SPY``,
        ``SHILLER_P``, ``SHILLER_D`` and the yields :func:`build_outcomes` reads.
    long_bond_index : Series, optional
        A long-Treasury total-return index for the years before TLT (the synthetic ladder).
    horizon_months : int
    long_bond_label : str, optional
        What ``long_bond_index`` is, in words (for the labels).
    """
    outcomes = (
        build_outcomes(panel, long_bond_index, long_bond_label)
        if long_bond_label
        else build_outcomes(panel, long_bond_index)
    )
    fallback = index_returns(outcomes.long_bonds)
    labels = dict(outcomes.labels)
    if "TLT" in panel.columns and panel["TLT"].notna().any():
        bonds = splice_returns(index_returns(panel["TLT"]), fallback)
        labels["long_bonds"] = f"TLT adjusted close from 2002-07; before it: {labels['long_bonds']}"
    else:
        bonds = fallback
    stocks = index_returns(outcomes.stocks)
    return BondsMinusStocks(
        bond_returns=bonds,
        stock_returns=stocks,
        forward=forward_excess_return(bonds, stocks, horizon_months),
        horizon_months=horizon_months,
        labels=labels,
    )
