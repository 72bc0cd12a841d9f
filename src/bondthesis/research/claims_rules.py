"""Verdicts of the claims ledger and the tolerance rules that produce them (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import numpy as np
import pandas as pd

__all__ = ["Claim", "ClaimVerdict", "combine", "grade", "last_value", "pct", "when_max", "when_min"]


class ClaimVerdict(StrEnum):
    HOLDS = "holds"
    PARTLY = "partly"
    DOES_NOT_HOLD = "does not hold"
    NO_DATA = "no data"


@dataclass(frozen=True)
class Claim:
    """One row of the ledger.

    Parameters
    ----------
    id : int
        1-11, as numbered in PILLARS.md.
    claim : str
        The article's claim, in words.
    figure : str
        What the data gives, with units and dates.
    as_of : date or None
        The date of the figure (the latest observation it rests on).
    verdict : ClaimVerdict
    explanation : str
        One sentence.
    reproduce : str
        The command that prints the figure's inputs.
    rule : str
        The tolerance rule behind the verdict.
    values : dict
        The figure's numbers, machine-readable (decimals for rates and returns).
    stale : bool
        A claim about the present whose figure rests on data older than its series' frequency
        plus publication lag allow on the ledger's date; a stale "holds" is shown as "partly".
    """

    id: int
    claim: str
    figure: str
    as_of: date | None
    verdict: ClaimVerdict
    explanation: str
    reproduce: str
    rule: str
    values: dict[str, float | None] = field(default_factory=dict)
    stale: bool = False


def grade(value: float, low: float, high: float, slack: float) -> ClaimVerdict:
    """``holds`` inside ``[low, high]``, ``partly`` within ``slack`` of it, else ``does not hold``.

    >>> grade(2.04, 1.7, 2.3, 0.4), grade(1.5, 1.7, 2.3, 0.4), grade(0.5, 1.7, 2.3, 0.4)
    (<ClaimVerdict.HOLDS: 'holds'>, <ClaimVerdict.PARTLY: 'partly'>, \
<ClaimVerdict.DOES_NOT_HOLD: 'does not hold'>)
    """
    if value is None or not np.isfinite(value):
        return ClaimVerdict.NO_DATA
    if low <= value <= high:
        return ClaimVerdict.HOLDS
    if low - slack <= value <= high + slack:
        return ClaimVerdict.PARTLY
    return ClaimVerdict.DOES_NOT_HOLD


def combine(parts: Iterable[ClaimVerdict]) -> ClaimVerdict:
    """All parts hold: holds; all fail: does not hold; all missing: no data; else partly.

    A part without data caps the claim at ``partly`` (unless every part failed or is missing).
    """
    verdicts = list(parts)
    known = [v for v in verdicts if v is not ClaimVerdict.NO_DATA]
    if not known:
        return ClaimVerdict.NO_DATA
    if len(known) == len(verdicts) and all(v is ClaimVerdict.HOLDS for v in known):
        return ClaimVerdict.HOLDS
    if all(v is ClaimVerdict.DOES_NOT_HOLD for v in known):
        return ClaimVerdict.DOES_NOT_HOLD
    return ClaimVerdict.PARTLY


def pct(value: float | None, digits: int = 1, *, sign: bool = False) -> str:
    """A decimal as a percentage string: ``pct(0.0371, 2) == '3.71%'``."""
    if value is None or not np.isfinite(value):
        return "n/a"
    text = f"{value * 100:+.{digits}f}%" if sign else f"{value * 100:.{digits}f}%"
    return text


def last_value(series: pd.Series) -> tuple[pd.Timestamp, float] | None:
    """The last (date, value) of a series with NaN dropped, or None."""
    clean = series.dropna()
    if clean.empty:
        return None
    return pd.Timestamp(clean.index[-1]), float(clean.iloc[-1])


def when_min(series: pd.Series) -> pd.Timestamp:
    """The date of the series' smallest value (first one on ties)."""
    return pd.Timestamp(pd.DatetimeIndex(series.index)[int(np.nanargmin(series.to_numpy()))])


def when_max(series: pd.Series) -> pd.Timestamp:
    """The date of the series' largest value (first one on ties)."""
    return pd.Timestamp(pd.DatetimeIndex(series.index)[int(np.nanargmax(series.to_numpy()))])
