"""Pillar readings as point-in-time monthly signals: publication lags, staleness, orientation.

A pillar's ``history`` is dated at each period's end; it becomes usable ``known_lag_days`` later
(the slowest series' publication lag). :func:`signal_from_reading` moves it there, reads it at
month ends, drops values older than the series' staleness limit, and orients it so that higher
means more support for the thesis. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from bondthesis.catalog import CATALOG
from bondthesis.data.panel import known_dates
from bondthesis.pillars.base import PillarReading, Verdict
from bondthesis.pillars.data import stale_after_days

__all__ = [
    "DEFAULT_DIRECTIONS",
    "PillarSignal",
    "point_in_time_monthly",
    "publication_offset_days",
    "signal_from_reading",
]

# +1: a higher signal is read as more support for bonds over stocks. Used only when a pillar has no
# trigger to infer it from.
DEFAULT_DIRECTIONS: dict[str, int] = {
    "gold": 1,
    "fiscal": 1,
    "issuance": -1,  # a smaller share of long bonds in issuance
    "positioning": 1,
    "economy": 1,
    "policy": 1,
    "trade": 1,
    "smart_money": 1,
    "valuation": -1,  # equity earnings yield minus bond yield: lower favours bonds
}


@dataclass(frozen=True)
class PillarSignal:
    """One pillar's point-in-time monthly signal and support flag, and today's verdict.

    ``signal`` and ``supports`` are indexed by month end and hold what was known at that month end;
    ``supports`` is 1.0 (trigger held), 0.0 or NaN (unknown). ``direction`` is +1 when a higher
    signal means more support for the thesis, -1 otherwise.
    """

    name: str
    signal: pd.Series
    supports: pd.Series
    direction: int
    verdict: Verdict
    value: float | None = None
    percentile: float | None = None
    rule: str = ""
    reading_date: date | None = None
    stale: bool = False
    provisional: bool = False


def publication_offset_days(series_keys: Sequence[str]) -> int:
    """Days from an observation's date to the day it is public, for the slowest of ``series_keys``.

    Period length (FRED dates monthly values at the month's first day) plus the catalog lag; e.g.
    CPI (monthly, 14-day lag) gives 30 + 14 = 44 days. Unknown keys count as one day.
    """
    reference = pd.DatetimeIndex([pd.Timestamp("2001-01-01")])
    offsets = [1]
    for key in series_keys:
        spec = CATALOG.get(key)
        if spec is not None:
            offsets.append(int((known_dates(reference, spec)[0] - reference[0]).days))
    return max(offsets)


def point_in_time_monthly(
    history: pd.Series, offset_days: int, max_age_days: int, end: pd.Timestamp | None = None
) -> pd.Series:
    """What was known of ``history`` at each month end.

    Each observation becomes visible ``offset_days`` after its date; at a month end the latest
    visible value is used if it became visible at most ``max_age_days`` earlier, else NaN.

    Examples
    --------
    A value dated 2020-01-01 with a 44-day offset is first seen at the end of February 2020.
    """
    clean = history.dropna().astype("float64").sort_index()
    if clean.empty:
        return pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))
    visible = clean.copy()
    visible.index = pd.DatetimeIndex(clean.index) + pd.Timedelta(days=offset_days)
    last_seen = visible.index.max() + pd.offsets.MonthEnd(0)
    last = last_seen if end is None else max(end, last_seen)
    months = pd.date_range(visible.index.min() + pd.offsets.MonthEnd(0), last, freq="ME")
    positions = np.searchsorted(visible.index.to_numpy(), months.to_numpy(), side="right") - 1
    values = np.full(len(months), np.nan)
    ok = positions >= 0
    seen = visible.index.to_numpy()[positions[ok]]
    age_days = (months.to_numpy()[ok] - seen) / np.timedelta64(1, "D")
    picked = visible.to_numpy()[positions[ok]]
    values[ok] = np.where(age_days <= max_age_days, picked, np.nan)
    out = pd.Series(values, index=pd.DatetimeIndex(months, name="date"))
    if end is not None:
        out = out[out.index <= end]
    return out


def _infer_direction(reading: PillarReading) -> int:
    trigger = reading.trigger
    if trigger is not None and not trigger.empty:
        frame = pd.concat(
            [reading.history.rename("h"), trigger.astype("float64").rename("t")],
            axis=1,
            join="inner",
            sort=True,
        ).dropna()
        on, off = frame.loc[frame["t"] > 0.5, "h"], frame.loc[frame["t"] <= 0.5, "h"]
        if len(on) and len(off) and on.mean() != off.mean():
            return 1 if on.mean() > off.mean() else -1
    return DEFAULT_DIRECTIONS.get(reading.name, 1)


def signal_from_reading(
    reading: PillarReading, end: date | None = None, direction: int | None = None
) -> PillarSignal:
    """A pillar reading turned into a point-in-time monthly signal (publication lags applied).

    The reading's history is dated at each period's end; it is moved forward by the reading's
    ``known_lag_days`` (at least one day), or, for a reading that does not set it, by
    :func:`publication_offset_days` of its series (period length plus lag: conservative).
    """
    lag = int(reading.known_lag_days)
    offset = max(lag, 1) if lag > 0 else publication_offset_days(reading.series)
    # The same limit as the reading's own ``stale`` (counted from the period's end), so a past
    # month counts a pillar exactly when its reading would have been current then.
    allowed = reading.stale_after_days or stale_after_days(tuple(reading.series))
    max_age = max(allowed - offset, 0)
    stop = None if end is None else pd.Timestamp(end)
    signal = point_in_time_monthly(reading.history, offset, max_age, stop)
    if reading.trigger is not None and not reading.trigger.empty:
        supports = point_in_time_monthly(reading.trigger.astype("float64"), offset, max_age, stop)
    else:
        supports = pd.Series(np.nan, index=signal.index)
    return PillarSignal(
        name=reading.name,
        signal=signal,
        supports=supports,
        direction=direction if direction is not None else _infer_direction(reading),
        verdict=reading.verdict,
        value=reading.value,
        stale=reading.stale,
        provisional=reading.provisional,
        percentile=reading.percentile,
        rule=reading.rule,
        reading_date=reading.as_of,
    )
