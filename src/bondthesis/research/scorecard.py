"""The scorecard: nine pillar verdicts, a skill-weighted composite, and what followed in the past.

Inputs are the pillars' readings (each with its ``history`` signal and ``trigger`` condition) and a
monthly series of forward 12-month bonds-minus-stocks total returns
(:func:`bondthesis.research.returns.forward_excess_return`). Outputs are frozen dataclasses.

Rules (each one a constant below, each one printed in the result's ``rule`` text):

* **Point in time.** A pillar's history (dated at each period's end) is moved forward by the
  reading's ``known_lag_days``, the publication lag of its slowest series (core CPI for November,
  dated 2025-11-30 with a 14-day lag, is used from 2025-12-14), and read at month ends, carried
  forward no longer than the series' staleness limit. Revisions are not undone where the store
  holds no vintages: values are then the latest published.
* **Orientation.** Every signal is oriented so that *higher* means *more support for the thesis*
  (bonds beat stocks). The direction comes from the pillar's own trigger (the mean signal when the
  trigger held versus when it did not), else from :data:`DEFAULT_DIRECTIONS`.
* **Skill and weight.** See :mod:`bondthesis.research.skill`: the walk-forward Spearman correlation
  of the oriented percentile with the next 12 months' bonds-minus-stocks return. The weight is that
  correlation when its 95% HAC interval lies above zero, else 0 (not distinguishable from zero, or
  the wrong sign). Weights are normalised to sum to 1 across pillars with positive weight.
* **Composite.** Today: the weighted vote of the verdicts (supports +1, neutral 0, contradicts -1),
  in [-1, 1]; above +0.2 the composite supports, below -0.2 it contradicts. Through history: the
  weighted oriented percentile ``sum w (2 p - 1) / sum w``, whose own out-of-sample rank
  correlation with the outcome is reported.
* **What followed.** Each month, the number of pillars whose trigger held (point in time, stale
  series dropped); the forward 12-month bonds-minus-stocks return over the months with as many
  supporting pillars as today by the same count (and at least as many): N, effective N, mean,
  median, hit rate; and over the months when the conditions "lined up" (at least half of the
  pillars with data, and at least three, supported: ``majority``). Today's verdicts are counted
  too, and can differ (a verdict read off a stale series, or a trigger rule narrower than the
  verdict's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from bondthesis.pillars.base import Verdict
from bondthesis.research.signals import (
    DEFAULT_DIRECTIONS,
    PillarSignal,
    point_in_time_monthly,
    publication_offset_days,
    signal_from_reading,
)
from bondthesis.research.skill import (
    HAC_LAGS,
    HORIZON_MONTHS,
    MIN_PAIRS,
    SkillEstimate,
    block_bootstrap_interval,
    expanding_percentile,
    rank_correlation,
    walk_forward_skill,
)

__all__ = [
    "DEFAULT_DIRECTIONS",
    "MAJORITY_MIN_PILLARS",
    "VOTE_THRESHOLD",
    "CompositeScore",
    "OutcomeStats",
    "PillarScore",
    "PillarSignal",
    "Scorecard",
    "SupportOutcome",
    "build_scorecard",
    "outcome_stats",
    "point_in_time_monthly",
    "publication_offset_days",
    "signal_from_reading",
]

VOTE_THRESHOLD = 0.2
# "The conditions line up": at least half of the pillars with data, and at least three, support.
MAJORITY_MIN_PILLARS = 3
_VOTE = {Verdict.SUPPORTS: 1.0, Verdict.NEUTRAL: 0.0, Verdict.CONTRADICTS: -1.0}


@dataclass(frozen=True)
class PillarScore:
    """One row of the scorecard."""

    name: str
    verdict: Verdict
    value: float | None
    percentile: float | None
    rule: str
    reading_date: date | None
    direction: int
    skill: SkillEstimate | None
    weight: float
    weight_reason: str
    weight_history: pd.Series = field(repr=False)
    stale: bool = False  # the reading is older than its series allow: verdict STALE, no vote
    provisional: bool = False


@dataclass(frozen=True)
class OutcomeStats:
    """Forward bonds-minus-stocks returns over a set of months (decimals)."""

    n_months: int
    n_nonoverlapping: int
    mean: float | None
    median: float | None
    hit_rate: float | None


@dataclass(frozen=True)
class SupportOutcome:
    """What followed when as many pillars supported as today.

    ``count_today`` and ``available_today`` come from the same point-in-time trigger histories
    as the past months they are matched with (a pillar whose series is stale drops out);
    ``verdict_count_today`` counts today's verdicts, which can differ from it.
    """

    count_today: int
    available_today: int
    same_count: OutcomeStats
    at_least: OutcomeStats
    all_months: OutcomeStats
    history: pd.Series = field(repr=False)  # supporting pillars per month end
    available: pd.Series = field(repr=False)  # pillars with a known trigger per month end
    verdict_count_today: int = 0
    verdict_available_today: int = 0
    majority: OutcomeStats = field(default_factory=lambda: OutcomeStats(0, 0, None, None, None))


@dataclass(frozen=True)
class CompositeScore:
    """Skill-weighted combination of the pillars."""

    weighted_vote: float | None
    verdict: Verdict
    weighted_signal: float | None
    weights: dict[str, float]
    skill: SkillEstimate | None
    rule: str
    history: pd.Series = field(repr=False)
    window_note: str = ""  # why the out-of-sample record starts and ends where it does


@dataclass(frozen=True)
class Scorecard:
    """The scorecard as of a date."""

    as_of: date
    horizon_months: int
    pillars: tuple[PillarScore, ...]
    composite: CompositeScore
    support: SupportOutcome
    notes: tuple[str, ...] = ()


def outcome_stats(forward: pd.Series, horizon_months: int = HORIZON_MONTHS) -> OutcomeStats:
    """N, non-overlapping N, mean, median and hit rate (share > 0) of forward returns.

    ``n_nonoverlapping`` counts months at least ``horizon_months`` apart, taken greedily in order.
    """
    clean = forward.dropna()
    if clean.empty:
        return OutcomeStats(0, 0, None, None, None)
    stamps = pd.DatetimeIndex(clean.index)
    count, last = 0, -(10**9)
    for month in (stamps.year * 12 + stamps.month).tolist():
        if month - last >= horizon_months:
            count, last = count + 1, month
    return OutcomeStats(
        n_months=len(clean),
        n_nonoverlapping=count,
        mean=float(clean.mean()),
        median=float(clean.median()),
        hit_rate=float((clean > 0).mean()),
    )


def _month_end_on_or_before(day: date) -> pd.Timestamp:
    stamp = pd.Timestamp(day)
    end = stamp + pd.offsets.MonthEnd(0)
    return end if end == stamp else stamp - pd.offsets.MonthEnd(1)


def _weight_reason(wf: pd.DataFrame, at: pd.Timestamp, min_pairs: int) -> tuple[float, str]:
    row = None if wf.empty or at not in wf.index else wf.loc[at].to_numpy(dtype="float64")
    if row is None or np.isnan(row[0]):
        n = 0 if row is None else int(row[3])
        return 0.0, f"history too short: {n} completed 12-month outcomes (< {min_pairs})"
    r, low, high = float(row[0]), float(row[1]), float(row[2])
    interval = f"rho {r:+.2f}, 95% CI [{low:+.2f}, {high:+.2f}]"
    if r < 0:
        return 0.0, f"wrong sign: {interval}"
    if low <= 0:
        return 0.0, f"not distinguishable from zero: {interval}"
    return r, interval


def build_scorecard(
    signals: Sequence[PillarSignal],
    forward: pd.Series,
    as_of: date,
    *,
    horizon_months: int = HORIZON_MONTHS,
    min_pairs: int = MIN_PAIRS,
    hac_lags: int = HAC_LAGS,
    bootstrap_resamples: int = 500,
    seed: int = 20260131,
) -> Scorecard:
    """The scorecard on ``as_of``, using only what was known then.

    Parameters
    ----------
    signals : sequence of PillarSignal
        One per pillar (:func:`signal_from_reading`).
    forward : Series
        Forward ``horizon_months`` bonds-minus-stocks total return by month end ``t``; only the
        outcomes complete by ``as_of`` (``t <= as_of - horizon``) are used.
    as_of : date
        The month end on or before it is the evaluation month.
    """
    at = _month_end_on_or_before(as_of)
    realized = forward[forward.index <= at - pd.offsets.MonthEnd(horizon_months)].dropna()
    scores: list[PillarScore] = []
    oriented: dict[str, pd.Series] = {}
    weight_paths: dict[str, pd.Series] = {}
    for sig in signals:
        history = sig.signal[sig.signal.index <= at]
        percentile = expanding_percentile(history)
        predictor = percentile if sig.direction > 0 else 1.0 - percentile
        oriented[sig.name] = predictor
        wf = walk_forward_skill(
            predictor,
            realized,
            horizon_months=horizon_months,
            min_pairs=min_pairs,
            hac_lags=hac_lags,
            end=at,
        )
        wf = wf[wf.index <= at]
        weight, reason = _weight_reason(wf, at, min_pairs)
        skill = None
        pairs = pd.concat([predictor.rename("x"), realized.rename("y")], axis=1, sort=True).dropna()
        if len(pairs) >= min_pairs:
            skill = rank_correlation(
                pairs["x"].to_numpy(),
                pairs["y"].to_numpy(),
                horizon_months=horizon_months,
                hac_lags=hac_lags,
            )
            low: float | None = None
            high: float | None = None
            if bootstrap_resamples > 0:
                low, high = block_bootstrap_interval(
                    pairs["x"].to_numpy(),
                    pairs["y"].to_numpy(),
                    n_resamples=bootstrap_resamples,
                    seed=seed,
                    block_months=2 * horizon_months,
                )
            skill = SkillEstimate(
                **{
                    **skill.__dict__,
                    "bootstrap_low": low,
                    "bootstrap_high": high,
                    "first": pairs.index[0].date(),
                    "last": pairs.index[-1].date(),
                }
            )
        weight_paths[sig.name] = wf["weight"] if not wf.empty else pd.Series(dtype="float64")
        scores.append(
            PillarScore(
                name=sig.name,
                verdict=sig.verdict,
                value=sig.value,
                percentile=sig.percentile,
                rule=sig.rule,
                reading_date=sig.reading_date,
                direction=sig.direction,
                skill=skill,
                weight=weight,
                weight_reason=reason,
                weight_history=weight_paths[sig.name],
                stale=sig.stale,
                provisional=sig.provisional,
            )
        )
    total = sum(s.weight for s in scores)
    weights = {s.name: (s.weight / total if total > 0 else 0.0) for s in scores}
    composite = _composite(
        scores, weights, oriented, weight_paths, realized, at, horizon_months, hac_lags
    )
    support = _support(signals, realized, at, horizon_months)
    notes = []
    if total == 0:
        notes.append(
            "no pillar has out-of-sample skill distinguishable from zero: the composite is not "
            "a forecast, only a count of verdicts"
        )
    return Scorecard(
        as_of=at.date(),
        horizon_months=horizon_months,
        pillars=tuple(replace_weight(s, weights[s.name]) for s in scores),
        composite=composite,
        support=support,
        notes=tuple(notes),
    )


def replace_weight(score: PillarScore, weight: float) -> PillarScore:
    """``score`` with its normalised weight (the raw correlation stays in ``skill``)."""
    return PillarScore(**{**score.__dict__, "weight": weight})


def _composite(
    scores: Sequence[PillarScore],
    weights: Mapping[str, float],
    oriented: Mapping[str, pd.Series],
    weight_paths: Mapping[str, pd.Series],
    realized: pd.Series,
    at: pd.Timestamp,
    horizon_months: int,
    hac_lags: int,
) -> CompositeScore:
    # A stale reading's verdict is STALE (not in _VOTE) and a provisional one does not vote.
    voting = [
        (weights[s.name], _VOTE[s.verdict])
        for s in scores
        if s.verdict in _VOTE and not s.provisional
    ]
    weight_sum = sum(w for w, _ in voting)
    vote = sum(w * v for w, v in voting) / weight_sum if weight_sum > 0 else None
    if vote is None:
        verdict = Verdict.NEUTRAL
    elif vote > VOTE_THRESHOLD:
        verdict = Verdict.SUPPORTS
    elif vote < -VOTE_THRESHOLD:
        verdict = Verdict.CONTRADICTS
    else:
        verdict = Verdict.NEUTRAL
    empty_index = pd.DatetimeIndex([], name="date")
    numerator = pd.Series(dtype="float64", index=empty_index)
    denominator = pd.Series(dtype="float64", index=empty_index)
    for name, predictor in oriented.items():
        path = weight_paths[name]
        if path.empty:
            continue
        frame = pd.concat([predictor.rename("p"), path.rename("w")], axis=1, sort=True).dropna()
        frame = frame[frame["w"] > 0]
        numerator = numerator.add(frame["w"] * (2 * frame["p"] - 1), fill_value=0.0)
        denominator = denominator.add(frame["w"], fill_value=0.0)
    history = (numerator / denominator).dropna().rename("composite")
    history = history[history.index <= at]
    today = float(history.loc[at]) if at in history.index else None
    skill = None
    pairs = pd.concat([history.rename("x"), realized.rename("y")], axis=1, sort=True).dropna()
    if len(pairs) >= 3 * horizon_months:
        skill = rank_correlation(
            pairs["x"].to_numpy(),
            pairs["y"].to_numpy(),
            horizon_months=horizon_months,
            hac_lags=hac_lags,
        )
        skill = SkillEstimate(
            **{**skill.__dict__, "first": pairs.index[0].date(), "last": pairs.index[-1].date()}
        )
    window_note = _window_note(history, realized)
    rule = (
        f"weighted vote of the verdicts (supports +1, neutral 0, contradicts -1) with weights = "
        f"walk-forward out-of-sample skill where its 95% interval is above zero; "
        f"> +{VOTE_THRESHOLD} supports, < -{VOTE_THRESHOLD} contradicts"
    )
    return CompositeScore(
        weighted_vote=vote,
        verdict=verdict,
        weighted_signal=today,
        weights=dict(weights),
        skill=skill,
        rule=rule,
        history=history,
        window_note=window_note,
    )


def _window_note(history: pd.Series, realized: pd.Series) -> str:
    """Why the composite's out-of-sample record covers the months it does."""
    outcomes = realized.dropna()
    if outcomes.empty:
        return "no completed 12-month outcomes yet"
    first_outcome, last_outcome = outcomes.index[0].date(), outcomes.index[-1].date()
    scored = history.reindex(outcomes.index).dropna()
    if scored.empty:
        return (
            f"no month from {first_outcome} to {last_outcome} had a pillar with a positive "
            "walk-forward weight, so the composite has no out-of-sample record"
        )
    first, last = scored.index[0].date(), scored.index[-1].date()
    text = (
        f"the composite exists only in months when at least one pillar had earned a positive "
        f"walk-forward weight (its 95% interval above zero on the data before that month): "
        f"{first} to {last}"
    )
    if last < last_outcome:
        text += (
            f"; after {last} no pillar kept such a weight, so there is nothing to score although "
            f"12-month outcomes run to {last_outcome}"
        )
    return text


def _with_row(series: pd.Series, when: pd.DatetimeIndex, value: int) -> pd.Series:
    kept = series[~series.index.isin(when)]
    row = pd.Series([float(value)], index=when, dtype="float64")
    return pd.concat([kept, row]).sort_index() if len(kept) else row


def _support(
    signals: Sequence[PillarSignal], realized: pd.Series, at: pd.Timestamp, horizon_months: int
) -> SupportOutcome:
    flags = (
        pd.concat([s.supports.rename(s.name) for s in signals], axis=1, sort=True)
        if signals
        else None
    )
    if flags is None or flags.empty:
        empty = pd.Series(dtype="float64")
        history, available = empty, empty
    else:
        flags = flags[flags.index <= at]
        history = (flags > 0.5).sum(axis=1).astype("float64")
        available = flags.notna().sum(axis=1).astype("float64")
        history = history[available > 0]
        available = available[available > 0]
    # One count for today and the past: pillars whose rule supports on current, final data.
    # A stale reading (verdict STALE) is left out, as the history leaves out stale months; a
    # provisional one is counted as available but not as support.
    verdict_count = sum(
        1 for s in signals if s.verdict is Verdict.SUPPORTS and not s.stale and not s.provisional
    )
    verdict_available = sum(1 for s in signals if s.verdict not in (Verdict.NO_DATA, Verdict.STALE))
    count_today, available_today = verdict_count, verdict_available
    if available_today:
        # Today's row of the history is today's count (the trigger histories, read at this
        # month end, are the same rule on the same data; the verdicts are authoritative).
        today = pd.DatetimeIndex([at], name=history.index.name)
        history = _with_row(history, today, count_today)
        available = _with_row(available, today, available_today)
    aligned = realized.reindex(history.index)
    lined_up = history >= np.maximum(MAJORITY_MIN_PILLARS, np.ceil(available / 2.0))
    return SupportOutcome(
        count_today=count_today,
        available_today=available_today,
        same_count=outcome_stats(aligned[history == count_today], horizon_months),
        at_least=outcome_stats(aligned[history >= count_today], horizon_months),
        all_months=outcome_stats(aligned, horizon_months),
        history=history,
        available=available,
        verdict_count_today=verdict_count,
        verdict_available_today=verdict_available,
        majority=outcome_stats(aligned[lined_up], horizon_months),
    )
