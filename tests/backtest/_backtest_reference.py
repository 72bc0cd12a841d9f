"""An independent backtest written as the plainest loop: shares, not weights; one day at a time.

It shares no code with bondthesis: prices in, a list of values out.
"""

from __future__ import annotations

import pandas as pd


def reference_backtest(
    prices: pd.DataFrame,
    weights: dict[str, float],
    rebalance: str = "monthly",
    cost_bps: float = 0.0,
    cash_rate: pd.Series | None = None,
    borrow_spread: float = 0.0,
) -> list[float]:
    """Hold shares; on the first trading day of a new month (or never) trade back to weights.

    ``cash_rate`` (decimal a year, one value per row) accrues on cash over the calendar days since
    the previous row at the previous row's rate, ACT/360; debt pays it plus ``borrow_spread``.
    """
    dates = list(prices.index)
    names = list(weights)
    rows = [prices.loc[d] for d in dates]
    rates = [0.0] * len(dates) if cash_rate is None else list(cash_rate)
    cost = cost_bps / 10_000.0
    value = 1.0
    value -= sum(abs(weights[n]) for n in names) * value * cost
    shares = {n: weights[n] * value / rows[0][n] for n in names}
    cash = value * (1.0 - sum(weights.values()))
    out = [value]
    for i in range(1, len(dates)):
        days = (dates[i] - dates[i - 1]).days
        rate = rates[i - 1] + (borrow_spread if cash < 0 else 0.0)
        cash = cash * (1.0 + rate * days / 360.0)
        value = sum(shares[n] * rows[i][n] for n in names) + cash
        new_month = dates[i].month != dates[i - 1].month
        if rebalance == "monthly" and new_month:
            traded = sum(abs(weights[n] * value - shares[n] * rows[i][n]) for n in names)
            value -= traded * cost
            shares = {n: weights[n] * value / rows[i][n] for n in names}
            cash = value * (1.0 - sum(weights.values()))
        out.append(value)
    return out
