"""Small pure helpers the pillar modules share: period-end dating, percentiles, staleness notes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from bondthesis.catalog import CATALOG, Frequency
from bondthesis.data.months import rolling_percentile as calendar_rolling_percentile
from bondthesis.data.panel import period_end
from bondthesis.pillars.base import PillarReading, Verdict
from bondthesis.pillars.data import PillarData, known_lag_days, stale_after_days

__all__ = [
    "decimal_percent",
    "empty_series",
    "monthly",
    "no_data_reading",
    "percentile_of_latest",
    "providers_of",
    "reading",
    "staleness_note",
]


STALE_MARK = " is stale:"


def empty_series() -> pd.Series:
    return pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))


def monthly(data: PillarData, key: str, how: str = "last") -> pd.Series:
    """Series ``key`` dated at its periods' ends, daily and weekly values reduced to month ends.

    Monthly FRED values dated 2026-01-01 become 2026-01-31; a daily series becomes its last
    (``how="last"``) or average (``how="mean"``) value of each calendar month, dated at the
    month's end. Quarterly and annual series keep one value per period, dated at its end.
    """
    raw = data.series(key)
    if raw.empty:
        return empty_series()
    spec = CATALOG[key]
    dated = pd.Series(raw.to_numpy(), index=period_end(pd.DatetimeIndex(raw.index), spec))
    if spec.frequency in {Frequency.QUARTERLY, Frequency.ANNUAL}:
        dated.index.name = "date"
        return dated
    grouped = dated.resample("ME")
    out = grouped.mean() if how == "mean" else grouped.last()
    out = out.dropna()
    out.index.name = "date"
    return out.astype("float64")


def percentile_of_latest(history: pd.Series) -> float | None:
    """Share of the history (in %) at or below its latest value.

    >>> percentile_of_latest(pd.Series([1.0, 3.0, 2.0, 4.0]))
    100.0
    >>> percentile_of_latest(pd.Series([1.0, 3.0, 4.0, 2.0]))
    50.0
    """
    clean = history.dropna()
    if clean.empty:
        return None
    latest = clean.iloc[-1]
    return float((clean.to_numpy() <= latest).mean() * 100.0)


def rolling_percentile(series: pd.Series, window: int, min_periods: int) -> pd.Series:
    """Share (in %) of the trailing ``window`` calendar months' values at or below each value."""
    return calendar_rolling_percentile(series, window, min_periods)


def staleness_note(key: str, last: pd.Timestamp | None, reference: date | None) -> str | None:
    """A note when ``key``'s latest observation (period end) is older than its frequency allows.

    Allowed age = the frequency's ``stale_after_days`` plus the publication lag, counted from
    the observation's period end.
    """
    if last is None or reference is None or key not in CATALOG:
        return None
    spec = CATALOG[key]
    age_days = (pd.Timestamp(reference) - pd.Timestamp(last)).days
    allowed = spec.frequency.stale_after_days + spec.publication_lag_days
    if age_days <= allowed:
        return None
    years = age_days / 365.25
    age = f"{years:.1f} years" if years >= 1 else f"{age_days} days"
    when = pd.Timestamp(last).date()
    return f"{key}{STALE_MARK} its latest value is for {when}, {age} before {reference}"


def partial_month_note(data: PillarData, key: str) -> str | None:
    """A note when ``key``'s (daily) values end before their last month's last business day.

    A month averaged from its first days is not the month: the reader is told how many days
    and to which date.
    """
    raw = data.series(key)
    if raw.empty:
        return None
    last = pd.Timestamp(raw.index[-1])
    month_end_business = last + pd.offsets.BMonthEnd(0)
    if last >= month_end_business:
        return None
    days = int((pd.DatetimeIndex(raw.index).to_period("M") == last.to_period("M")).sum())
    return (
        f"{key}'s latest month ({last:%Y-%m}) is a partial month: the average of {days} daily "
        f"values, to {last.date()}"
    )


def providers_of(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(CATALOG[k].provider.value for k in keys if k in CATALOG))


def decimal_percent(value: float | None, digits: int = 1) -> str:
    """``0.0375 -> "3.8%"`` for rules and notes."""
    return "n/a" if value is None or not np.isfinite(value) else f"{value * 100:.{digits}f}%"


def reading(
    *,
    name: str,
    title: str,
    history: pd.Series,
    unit: str,
    verdict: Verdict,
    rule: str,
    keys: tuple[str, ...],
    trigger: pd.Series | None,
    details: dict[str, float | str | None] | None = None,
    notes: Iterable[str | None] = (),
    reference: date | None = None,
    provisional: bool = False,
    percentile: tuple[float | None, str] | None = None,
) -> PillarReading:
    """A PillarReading from a signal history (latest value and percentile taken from it).

    Judged at ``reference`` (the data's reference date): a latest value older than
    :func:`~bondthesis.pillars.data.stale_after_days` allows makes the verdict ``STALE``.
    """
    clean = history.dropna().astype("float64")
    clean.index.name = "date"
    kept = [n for n in notes if n]
    has_data = not clean.empty
    as_of = pd.Timestamp(clean.index[-1]).date() if has_data else None
    allowed = stale_after_days(keys)
    age = None if as_of is None or reference is None else (reference - as_of).days
    stale = age is not None and age > allowed
    rule_verdict = verdict if has_data else Verdict.NO_DATA
    if stale and rule_verdict is not Verdict.NO_DATA:
        kept.insert(
            0,
            f"stale reading: its latest value is for {as_of}, {age} days before {reference} "
            f"(more than the {allowed} days its series' frequency and publication lag allow); "
            f"the rule would say {rule_verdict.value!r} and it does not count as support",
        )
    if provisional:
        kept.insert(0, "provisional: the latest value rests on a row its provider will revise")
    return PillarReading(
        name=name,
        title=title,
        value=float(clean.iloc[-1]) if has_data else None,
        unit=unit,
        as_of=as_of,
        history=clean,
        percentile=percentile_of_latest(clean) if percentile is None else percentile[0],
        percentile_basis="the whole history" if percentile is None else percentile[1],
        verdict=Verdict.STALE if stale and has_data else rule_verdict,
        rule=rule,
        series=keys,
        providers=providers_of(keys),
        trigger=None if trigger is None else trigger.astype(bool),
        details=dict(details or {}),
        notes=tuple(kept),
        known_lag_days=known_lag_days(keys),
        stale=stale,
        stale_verdict=rule_verdict if stale and has_data else None,
        reference_date=reference,
        age_days=age,
        stale_after_days=allowed,
        provisional=provisional and has_data,
    )


def no_data_reading(
    name: str, title: str, unit: str, rule: str, keys: tuple[str, ...], why: str
) -> PillarReading:
    return reading(
        name=name,
        title=title,
        history=empty_series(),
        unit=unit,
        verdict=Verdict.NO_DATA,
        rule=rule,
        keys=keys,
        trigger=None,
        notes=(why,),
    )


def prepare(data: PillarData, as_of: date | None) -> PillarData:
    """The data as it was on ``as_of`` (unchanged when None)."""
    return data if as_of is None else data.as_of(as_of)


def last_or_none(series: pd.Series) -> float | None:
    clean = series.dropna()
    return float(clean.iloc[-1]) if len(clean) else None


def last_date(series: pd.Series) -> pd.Timestamp | None:
    clean = series.dropna()
    return pd.Timestamp(clean.index[-1]) if len(clean) else None
