"""Rebalancing rules: ``monthly``, ``quarterly``, ``yearly``, ``daily``, ``none``, ``band:5``,
``relband:25``.

* **Calendar**: trade back to the targets at the close of the first trading day of each new
  month, quarter (Jan/Apr/Jul/Oct) or year (what ``bt``'s ``RunMonthly`` does).
* **Bands**: ``band:5`` trades when any asset's weight is more than 5 percentage points from its
  target; ``relband:25`` when it is more than 25% of its target away (a 40% target: outside
  30%..50%). Once outside, *everything* goes back to the targets (hysteresis: the next trade waits
  for a new full band's drift, not a step back inside the band).
* ``none``: buy on the first day and hold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["RebalanceRule", "calendar_days", "parse_rebalance"]

CALENDARS = ("daily", "monthly", "quarterly", "yearly", "none")
_SYNONYMS = {
    "annual": "yearly",
    "annually": "yearly",
    "year": "yearly",
    "month": "monthly",
    "quarter": "quarterly",
    "never": "none",
    "buy-and-hold": "none",
    "day": "daily",
}


@dataclass(frozen=True)
class RebalanceRule:
    """A parsed rule: ``calendar`` one of :data:`CALENDARS` (``none`` with bands), the band
    half-widths (decimals; 0 when not used) and the text it came from."""

    calendar: str
    band_absolute: float = 0.0
    band_relative: float = 0.0
    text: str = ""


def parse_rebalance(text: str) -> RebalanceRule:
    """A :class:`RebalanceRule` from ``text`` or a ValueError that lists the choices.

    Examples
    --------
    >>> parse_rebalance("band:5")
    RebalanceRule(calendar='none', band_absolute=0.05, band_relative=0.0, text='band:5')
    """
    written = text.strip().lower()
    choices = "monthly, quarterly, yearly, daily, none, band:5 (points) or relband:25 (%)"
    kind, colon, number = written.partition(":")
    if colon:
        if kind not in ("band", "relband"):
            raise ValueError(f"unknown rebalancing {text!r}; use one of {choices}")
        try:
            width = float(number.rstrip("%")) / 100.0
        except ValueError:
            raise ValueError(f"{text!r}: the band width must be a number, e.g. band:5") from None
        if not 0.0 < width < 10.0:
            raise ValueError(f"{text!r}: the band width must be above 0, e.g. band:5")
        if kind == "band":
            return RebalanceRule("none", band_absolute=width, text=written)
        return RebalanceRule("none", band_relative=width, text=written)
    calendar = _SYNONYMS.get(written, written)
    if calendar not in CALENDARS:
        raise ValueError(f"unknown rebalancing {text!r}; use one of {choices}")
    return RebalanceRule(calendar, text=calendar)


def calendar_days(dates: pd.DatetimeIndex, calendar: str) -> np.ndarray:
    """True on the first trading day of each new period of ``calendar`` (False on day 0)."""
    n_days = len(dates)
    if calendar == "none" or n_days == 0:
        return np.zeros(n_days, dtype=bool)
    if calendar == "daily":
        mask = np.ones(n_days, dtype=bool)
    else:
        if calendar == "monthly":
            period = dates.year * 12 + dates.month
        elif calendar == "quarterly":
            period = dates.year * 4 + (dates.month - 1) // 3
        else:
            period = dates.year
        values = np.asarray(period)
        mask = np.r_[False, values[1:] != values[:-1]]
    mask[0] = False
    return mask
