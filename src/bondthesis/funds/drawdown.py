"""The deepest fall of a total-return index: peak, trough, and when (if ever) it recovered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from bondthesis.serialize import Serializable

__all__ = ["Drawdown", "max_drawdown"]


@dataclass(frozen=True)
class Drawdown(Serializable):
    """The maximum drawdown of a level series over a window.

    Attributes
    ----------
    label : str
        Which series and window (``"real TLT since inception"``).
    depth : float
        ``trough / peak - 1`` (decimal, <= 0).
    peak, trough : date
        The high before the fall and the low of it.
    recovery : date or None
        The first close back at or above the peak; None if it has not recovered by ``end``.
    start, end : date
        The window measured.
    simulated : bool
        Any part of the window is simulated history (the fund did not exist).
    """

    label: str
    depth: float
    peak: date
    trough: date
    recovery: date | None
    start: date
    end: date
    simulated: bool


def max_drawdown(levels: pd.Series, label: str, simulated: bool = False) -> Drawdown | None:
    """The deepest peak-to-trough fall of ``levels`` (None with fewer than two levels).

    >>> s = pd.Series([100.0, 120.0, 90.0, 110.0, 125.0],
    ...               index=pd.date_range("2020-01-01", periods=5))
    >>> d = max_drawdown(s, "example")
    >>> round(d.depth, 4), str(d.peak), str(d.trough), str(d.recovery)
    (-0.25, '2020-01-02', '2020-01-03', '2020-01-05')
    """
    clean = levels.dropna()
    if len(clean) < 2:
        return None
    values = clean.to_numpy(dtype="float64")
    running_peak = np.maximum.accumulate(values)
    falls = values / running_peak - 1.0
    trough_at = int(np.argmin(falls))
    peak_at = int(np.argmax(values[: trough_at + 1]))
    after = np.nonzero(values[trough_at:] >= values[peak_at])[0]
    dates = pd.DatetimeIndex(clean.index)
    recovery = dates[trough_at + int(after[0])].date() if len(after) else None
    return Drawdown(
        label=label,
        depth=float(falls[trough_at]),
        peak=dates[peak_at].date(),
        trough=dates[trough_at].date(),
        recovery=recovery,
        start=dates[0].date(),
        end=dates[-1].date(),
        simulated=simulated,
    )
