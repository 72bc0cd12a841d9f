"""What every pillar returns: a reading of one indicator, its history and what it means."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import pandas as pd

__all__ = ["PillarReading", "Verdict"]


class Verdict(StrEnum):
    SUPPORTS = "supports"
    NEUTRAL = "neutral"
    CONTRADICTS = "contradicts"
    NO_DATA = "no data"
    # The latest reading is older than its series' frequency plus publication lag allow: what the
    # rule says on it is kept in ``PillarReading.stale_verdict``; it never counts as support.
    STALE = "stale"


@dataclass(frozen=True)
class PillarReading:
    """One pillar of the thesis measured on data.

    Parameters
    ----------
    name : str
        Machine name (``"gold"``, ``"fiscal"``, ``"issuance"``, ``"positioning"``, ``"economy"``,
        ``"policy"``, ``"trade"``, ``"smart_money"``, ``"valuation"``).
    title : str
        What the indicator is, in words.
    value : float or None
        The latest reading in ``unit``; None when there is no data.
    unit : str
    as_of : date or None
        The date of the latest reading (the observation's own date).
    history : Series
        The indicator's full history (float, indexed by date) — the ``signal`` whose percentile,
        skill and event study are measured.
    percentile : float or None
        Where ``value`` stands (0-100) over ``percentile_basis``: the whole history unless the
        rule ranks over a window of its own (issuance: the trailing 20 years).
    verdict : Verdict
    rule : str
        The rule that produced the verdict, in words, with its thresholds.
    series : tuple of str
        Catalog keys read.
    providers : tuple of str
        Providers behind those series.
    trigger : Series of bool, optional
        Dates on which the pillar's condition held (for the event study).
    events : Any, optional
        The event study of past triggers (``bondthesis.research.events.EventStudy``).
    details : dict
        Secondary figures (e.g. 3-year change, days to cover), each a float or str.
    notes : tuple of str
        Caveats (short or patchy history, stale data, substitutes used).
    known_lag_days : int
        Days from a history date (a period's end) until that value was public: the largest
        publication lag of the series read. Shift ``history``/``trigger`` by it before pairing
        them with market returns (the event study and the scorecard do).
    stale : bool
        The reading itself (``as_of``) is older than its series' frequency plus publication lag
        allow (``stale_after_days``), judged at ``reference_date``; ``verdict`` is then
        ``Verdict.STALE`` and ``stale_verdict`` says what the rule gives on the old reading.
        Stale *inputs* of a fresh reading (a component carried forward) are named in ``notes``.
    stale_verdict : Verdict or None
        The rule's verdict on a stale reading (None when the reading is current).
    reference_date : date or None
        The date the reading is judged at: ``--as-of``, else the latest date in the data.
    age_days : int or None
        Days from ``as_of`` (the period's end) to ``reference_date``.
    stale_after_days : int
        Age beyond which the reading is stale (:func:`bondthesis.pillars.data.stale_after_days`).
    provisional : bool
        The latest value rests on a row its provider marks as provisional (Shiller's last
        months); shown as such and not counted as support.
    """

    name: str
    title: str
    value: float | None
    unit: str
    as_of: date | None
    history: pd.Series
    percentile: float | None
    verdict: Verdict
    rule: str
    series: tuple[str, ...]
    providers: tuple[str, ...]
    trigger: pd.Series | None = None
    events: Any = None
    details: dict[str, float | str | None] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    known_lag_days: int = 0
    stale: bool = False
    stale_verdict: Verdict | None = None
    reference_date: date | None = None
    age_days: int | None = None
    stale_after_days: int = 0
    provisional: bool = False
    percentile_basis: str = "the whole history"

    @property
    def counts_as_support(self) -> bool:
        """Supports on current, final data: not stale, not provisional."""
        return self.verdict is Verdict.SUPPORTS and not self.stale and not self.provisional
