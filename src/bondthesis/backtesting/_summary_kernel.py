"""Figures of many portfolio curves at once, compiled by numba (the backtest's metrics kernel).

:func:`summarize_many` gives, per curve, the mean and standard deviation of daily returns and of
returns over bills, and the maximum drawdown, in one parallel pass per curve; the figures built on
them (CAGR, Sharpe, Sortino...) are computed in :mod:`bondthesis.backtesting.metrics`.
"""

from __future__ import annotations

import numba
import numpy as np

from bondthesis._typing import FloatArray
from bondthesis.bonds._jit import jit

__all__ = ["summarize_many"]


@jit(parallel=True)
def _summarize(values: FloatArray, bill_return: FloatArray, out: FloatArray) -> None:
    n_days = values.shape[1]
    for p in numba.prange(values.shape[0]):
        row = values[p]
        # Two-pass sums (mean, then squared deviations) keep the precision of numpy's std.
        total = 0.0
        total_excess = 0.0
        peak = row[0]
        deepest = 0.0
        for t in range(1, n_days):
            r = row[t] / row[t - 1] - 1.0
            total += r
            total_excess += r - bill_return[t]
            if row[t] > peak:
                peak = row[t]
            drawdown = row[t] / peak - 1.0
            if drawdown < deepest:
                deepest = drawdown
        n = n_days - 1
        mean = total / n
        mean_excess = total_excess / n
        square = 0.0
        square_excess = 0.0
        for t in range(1, n_days):
            r = row[t] / row[t - 1] - 1.0
            square += (r - mean) ** 2
            square_excess += (r - bill_return[t] - mean_excess) ** 2
        out[p, 0] = mean
        out[p, 1] = np.sqrt(square / (n - 1)) if n > 1 else np.nan
        out[p, 2] = mean_excess
        out[p, 3] = np.sqrt(square_excess / (n - 1)) if n > 1 else np.nan
        out[p, 4] = deepest


def summarize_many(values: FloatArray, bill_return: FloatArray) -> FloatArray:
    """Per curve: mean and sd of daily returns, mean and sd of excess returns, max drawdown.

    Returns an array of shape (n_portfolios, 5); a curve that reaches zero gives NaN/inf figures
    the caller reads as such.
    """
    out = np.empty((values.shape[0], 5))
    _summarize(
        np.ascontiguousarray(values, dtype=np.float64),
        np.ascontiguousarray(bill_return, dtype=np.float64),
        out,
    )
    return out
