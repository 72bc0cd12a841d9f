"""Event studies: what followed past episodes of a pillar's trigger.

An *episode* starts in a month when the trigger turns on (it was off the month before, or the data
begins with it on) and no episode started in the ``cooldown_months`` before: a trigger that stays
on for years is one episode, and flickering on and off does not multiply it. Triggers are moved
to the month they became public (``lag_days`` after their date) before episodes are found.

For each episode and each horizon (3, 6, 12, 24 months) five outcomes are measured from the
episode's start month end ``t`` to ``t + h``:

========================  ==================================================  ==============
outcome                   measure                                             "hit" when
========================  ==================================================  ==============
bonds_minus_stocks        long-Treasury total return minus stocks' (decimal)  > 0
yield_30y_change          change of the 30-year yield (decimal)               < 0
core_inflation_change     change of core CPI YoY inflation (decimal)          < 0
recession                 1 if any NBER recession month in (t, t+h], else 0   = 1
real_yield_change         change of the ex-post real 10-year yield            < 0
========================  ==================================================  ==============

Summaries per (outcome, horizon): the number of episodes with a complete window, mean, median,
hit rate and a seeded bootstrap 95% interval of the mean. Fewer than :data:`MIN_EPISODES`
episodes: "too few episodes to conclude anything".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from bondthesis.pillars.base import PillarReading
from bondthesis.research.outcomes import Outcomes, build_outcomes

__all__ = [
    "HORIZONS_MONTHS",
    "MIN_EPISODES",
    "OUTCOME_NAMES",
    "Episode",
    "EventStudy",
    "HorizonSummary",
    "Outcomes",
    "build_outcomes",
    "event_study",
    "find_episode_starts",
    "study_reading",
]

HORIZONS_MONTHS: tuple[int, ...] = (3, 6, 12, 24)
MIN_EPISODES = 5
OUTCOME_NAMES: tuple[str, ...] = (
    "bonds_minus_stocks",
    "yield_30y_change",
    "core_inflation_change",
    "recession",
    "real_yield_change",
)
_HIT_RULES = {
    "bonds_minus_stocks": "long bonds beat stocks (> 0)",
    "yield_30y_change": "the 30-year yield fell (< 0)",
    "core_inflation_change": "core inflation fell (< 0)",
    "recession": "a recession month inside the window",
    "real_yield_change": "the real yield fell (< 0)",
}
TOO_FEW = "too few episodes to conclude anything"


@dataclass(frozen=True)
class Episode:
    """One independent trigger episode.

    Parameters
    ----------
    start : date
        Month end at which the episode starts (the trigger public, on, after a cool-down).
    end : date
        Last month end of the uninterrupted run of trigger months that began at ``start``.
    outcomes : mapping
        outcome name -> {horizon in months -> value, or None when the window runs past the data}.
    """

    start: date
    end: date
    outcomes: Mapping[str, Mapping[int, float | None]]


@dataclass(frozen=True)
class HorizonSummary:
    """Summary of one outcome at one horizon across the episodes with a complete window."""

    outcome: str
    horizon_months: int
    n: int
    mean: float | None
    median: float | None
    hit_rate: float | None
    ci_low: float | None
    ci_high: float | None
    hit_rule: str


@dataclass(frozen=True)
class EventStudy:
    """Episodes of a trigger and what followed them.

    ``conclusion`` says plainly what the sample allows, e.g. "N=3: too few episodes to conclude
    anything". ``labels`` say where each outcome series came from (approximations named).
    """

    name: str
    episodes: tuple[Episode, ...]
    summaries: tuple[HorizonSummary, ...]
    cooldown_months: int
    lag_days: int
    conclusion: str
    labels: Mapping[str, str]
    notes: tuple[str, ...] = ()

    @property
    def n_episodes(self) -> int:
        return len(self.episodes)

    def summary(self, outcome: str, horizon_months: int) -> HorizonSummary:
        for item in self.summaries:
            if item.outcome == outcome and item.horizon_months == horizon_months:
                return item
        raise ValueError(
            f"no summary for {outcome!r} at {horizon_months} months; outcomes are "
            f"{list(OUTCOME_NAMES)} and horizons {list(HORIZONS_MONTHS)}"
        )


def monthly_trigger(trigger: pd.Series, lag_days: int = 0) -> pd.Series:
    """Month-end booleans: True in a month when the trigger was on (and public) at any date in it.

    ``lag_days`` moves each date to when it became public: a trigger dated 2026-01-31 with a
    14-day lag counts in February 2026.
    """
    clean = trigger.dropna().astype(bool)
    if clean.empty:
        return pd.Series(dtype=bool, index=pd.DatetimeIndex([]))
    clean.index = pd.DatetimeIndex(clean.index) + pd.Timedelta(days=lag_days)
    # Months without a reading come out NaN (float): missing is "off".
    return clean.resample("ME").max().fillna(0.0).astype(bool)


def find_episode_starts(
    monthly: pd.Series, cooldown_months: int = 12
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """(start, end) month ends of de-clustered episodes in a month-end boolean series.

    A start is a month that is on while the month before was off (or the series begins on), and
    at least ``cooldown_months`` after the previous episode's start. ``end`` is the last month of
    the run of on-months beginning at ``start``.

    >>> months = pd.date_range("2000-01-31", periods=5, freq="ME")
    >>> s = pd.Series([True, True, False, True, False], months)
    >>> [(a.month, b.month) for a, b in find_episode_starts(s, cooldown_months=2)]
    [(1, 2), (4, 4)]
    """
    if cooldown_months < 0:
        raise ValueError("cooldown_months must be >= 0, e.g. 12")
    values = monthly.to_numpy(dtype=bool)
    index = pd.DatetimeIndex(monthly.index)
    episodes: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    last_start: pd.Timestamp | None = None
    for i, on in enumerate(values):
        rising = on and (i == 0 or not values[i - 1])
        if not rising:
            continue
        start = index[i]
        if last_start is not None and start < last_start + pd.DateOffset(months=cooldown_months):
            continue
        j = i
        while j + 1 < len(values) and values[j + 1]:
            j += 1
        episodes.append((start, index[j]))
        last_start = start
    return episodes


def _value_at(series: pd.Series, when: pd.Timestamp) -> float | None:
    if when in series.index:
        value = series.loc[when]
        return float(value) if np.isfinite(value) else None
    return None


def _forward(outcomes: Outcomes, start: pd.Timestamp, horizon: int) -> dict[str, float | None]:
    stop = start + pd.offsets.MonthEnd(horizon)
    out: dict[str, float | None] = {}
    b0, b1 = _value_at(outcomes.long_bonds, start), _value_at(outcomes.long_bonds, stop)
    s0, s1 = _value_at(outcomes.stocks, start), _value_at(outcomes.stocks, stop)
    out["bonds_minus_stocks"] = (
        None if None in (b0, b1, s0, s1) else (b1 / b0 - 1.0) - (s1 / s0 - 1.0)  # type: ignore[operator]
    )
    for name, series in (
        ("yield_30y_change", outcomes.yield_30y),
        ("core_inflation_change", outcomes.core_inflation_yoy),
        ("real_yield_change", outcomes.real_yield_10y),
    ):
        v0, v1 = _value_at(series, start), _value_at(series, stop)
        out[name] = None if v0 is None or v1 is None else v1 - v0
    rec = outcomes.recession.dropna()
    if len(rec) and rec.index[-1] >= stop:
        window = rec[(rec.index > start) & (rec.index <= stop)]
        out["recession"] = float((window > 0).any())
    else:
        out["recession"] = None
    return out


def _hit(outcome: str, values: np.ndarray) -> np.ndarray:
    if outcome in ("bonds_minus_stocks",):
        return values > 0
    if outcome == "recession":
        return values >= 1.0
    return values < 0


def _summarise(
    outcome: str, horizon: int, values: Sequence[float], n_bootstrap: int, seed: int
) -> HorizonSummary:
    array = np.asarray(values, dtype="float64")
    n = len(array)
    if n == 0:
        return HorizonSummary(
            outcome, horizon, 0, None, None, None, None, None, _HIT_RULES[outcome]
        )
    low = high = None
    if n >= 2:
        rng = np.random.default_rng(seed)
        draws = rng.integers(0, n, size=(n_bootstrap, n))
        means = array[draws].mean(axis=1)
        low, high = (float(q) for q in np.quantile(means, [0.025, 0.975]))
    return HorizonSummary(
        outcome=outcome,
        horizon_months=horizon,
        n=n,
        mean=float(array.mean()),
        median=float(np.median(array)),
        hit_rate=float(_hit(outcome, array).mean()),
        ci_low=low,
        ci_high=high,
        hit_rule=_HIT_RULES[outcome],
    )


def event_study(
    trigger: pd.Series,
    outcomes: Outcomes,
    *,
    name: str = "trigger",
    horizons_months: Sequence[int] = HORIZONS_MONTHS,
    cooldown_months: int = 12,
    lag_days: int = 0,
    n_bootstrap: int = 2000,
    seed: int = 0,
) -> EventStudy:
    """Episodes of ``trigger`` and the outcomes that followed them.

    Parameters
    ----------
    trigger : Series of bool indexed by date (any frequency)
    outcomes : Outcomes
        Month-end series from :func:`build_outcomes` (or built by hand in tests).
    cooldown_months : int
        Minimum months between two episode starts.
    lag_days : int
        Publication delay of the trigger (``PillarReading.known_lag_days``).
    n_bootstrap, seed : int
        Bootstrap draws of the mean and the seed of their generator.

    Example: a trigger on every 30th month over 20 years gives 8 episodes; if long bonds gain 5%
    more than stocks after each, every horizon's mean and median are 0.05 and the hit rate 1.
    """
    monthly = monthly_trigger(trigger, lag_days)
    spans = find_episode_starts(monthly, cooldown_months)
    episodes = []
    for start, end in spans:
        values: dict[str, dict[int, float | None]] = {o: {} for o in OUTCOME_NAMES}
        for h in horizons_months:
            for outcome, value in _forward(outcomes, start, h).items():
                values[outcome][h] = value
        episodes.append(Episode(start=start.date(), end=end.date(), outcomes=values))
    summaries = []
    for outcome in OUTCOME_NAMES:
        for h in horizons_months:
            observed = [v for e in episodes if (v := e.outcomes[outcome][h]) is not None]
            summaries.append(_summarise(outcome, h, observed, n_bootstrap, seed))
    conclusion = _conclusion(len(episodes), summaries)
    notes = []
    if len(monthly) and bool(monthly.iloc[0]):
        notes.append(
            "the trigger is already on when the data begins; its first episode may be older"
        )
    return EventStudy(
        name=name,
        episodes=tuple(episodes),
        summaries=tuple(summaries),
        cooldown_months=cooldown_months,
        lag_days=lag_days,
        conclusion=conclusion,
        labels=dict(outcomes.labels),
        notes=tuple(notes),
    )


def _conclusion(n_episodes: int, summaries: Sequence[HorizonSummary]) -> str:
    if n_episodes < MIN_EPISODES:
        return f"N={n_episodes}: {TOO_FEW} (fewer than {MIN_EPISODES} independent episodes)"
    key = next(
        (s for s in summaries if s.outcome == "bonds_minus_stocks" and s.horizon_months == 12), None
    )
    if key is None or key.n < MIN_EPISODES or key.mean is None or key.hit_rate is None:
        return (
            f"N={n_episodes} episodes, but fewer than {MIN_EPISODES} with 12 months of returns "
            f"after them: {TOO_FEW}"
        )
    interval = (
        f", 95% bootstrap interval of the mean {key.ci_low:+.1%} to {key.ci_high:+.1%}"
        if key.ci_low is not None and key.ci_high is not None
        else ""
    )
    return (
        f"N={n_episodes} episodes: over the next 12 months long bonds beat stocks in "
        f"{key.hit_rate:.0%} of {key.n}, by {key.mean:+.1%} on average (median "
        f"{key.median:+.1%}{interval})"
    )


def study_reading(
    reading: PillarReading, outcomes: Outcomes, *, cooldown_months: int = 12, seed: int = 0
) -> PillarReading:
    """``reading`` with ``events`` set to the event study of its trigger."""
    if reading.trigger is None or reading.trigger.dropna().empty:
        return reading
    study = event_study(
        reading.trigger,
        outcomes,
        name=reading.name,
        cooldown_months=cooldown_months,
        lag_days=reading.known_lag_days,
        seed=seed,
    )
    return dataclasses.replace(reading, events=study)


def episode_dates(study: EventStudy) -> list[tuple[date, date]]:
    return [(e.start, e.end) for e in study.episodes]
