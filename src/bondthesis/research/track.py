"""Since the article: the position and its parts from its date to the latest data, against SPY and
60/40, and what each pillar said then and says now.

Every figure carries its own dates: a line starts at the last close on or before the article's date
and ends at the last close its assets share; a pillar's reading carries the date of the observation
it read (often weeks before the evaluation date: publication lags).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bondthesis.backtesting.engine import backtest, resolve_portfolio
from bondthesis.backtesting.presets import PRESETS
from bondthesis.data.backtest_assets import AssetPanel, load_asset_panel
from bondthesis.data.datasets import load_pillar_data
from bondthesis.data.store import Store
from bondthesis.pillars import (
    OUTCOME_KEYS,
    PILLAR_KEYS,
    PillarData,
    PillarReading,
    Verdict,
    read_all,
)
from bondthesis.research.claims import ARTICLE_AS_OF
from bondthesis.research.thesis import EXTRA_KEYS, score
from bondthesis.serialize import Serializable

__all__ = ["ARTICLE_AS_OF", "PillarThenNow", "TrackLine", "TrackResult", "track"]

BENCHMARKS: dict[str, str] = {"SPY": "spy", "60/40": "6040"}


@dataclass(frozen=True)
class TrackLine(Serializable):
    """One holding or benchmark since the article (decimals; its own start and end dates).

    ``drawdown_now`` is the fall from the highest close since the start to the last one.
    """

    name: str
    kind: str  # "position", "part" or "benchmark"
    weights: dict[str, float]
    start: date
    end: date
    total_return: float
    max_drawdown: float
    max_drawdown_trough: date | None
    drawdown_now: float
    simulated: bool


@dataclass(frozen=True)
class PillarThenNow(Serializable):
    """A pillar's verdict and reading on the article's date and on the latest data."""

    pillar: str
    title: str
    unit: str
    verdict_then: Verdict
    value_then: float | None
    reading_date_then: date | None
    verdict_now: Verdict
    value_now: float | None
    reading_date_now: date | None
    changed: bool


@dataclass(frozen=True)
class TrackResult(Serializable):
    """The thesis tracked since ``since``.

    ``composite_then``/``composite_now`` are the scorecard's composite verdicts on both dates
    (None when not computed); ``evaluated_now`` is the latest data's reference date.
    """

    since: date
    evaluated_now: date | None
    position: dict[str, float]
    lines: tuple[TrackLine, ...]
    pillars: tuple[PillarThenNow, ...]
    composite_then: Verdict | None
    composite_now: Verdict | None
    notes: tuple[str, ...]


def _line(
    panel: AssetPanel, name: str, kind: str, weights: Mapping[str, float], since: date
) -> TrackLine:
    rebalance = "none" if kind == "part" else "quarterly"
    result = backtest(panel, dict(weights), rebalance=rebalance, start=since)
    equity = result.equity
    return TrackLine(
        name=name,
        kind=kind,
        weights=dict(weights),
        start=result.metrics.start,
        end=result.metrics.end,
        total_return=result.metrics.total_return,
        max_drawdown=result.metrics.max_drawdown,
        max_drawdown_trough=result.metrics.max_drawdown_trough,
        drawdown_now=float(equity.iloc[-1] / equity.max() - 1.0),
        simulated=result.simulated_share > 0.0,
    )


def _pillars(then: list[PillarReading], now: list[PillarReading]) -> tuple[PillarThenNow, ...]:
    latest = {reading.name: reading for reading in now}
    rows = []
    for old in then:
        new = latest[old.name]
        rows.append(
            PillarThenNow(
                pillar=old.name,
                title=new.title,
                unit=new.unit,
                verdict_then=old.verdict,
                value_then=old.value,
                reading_date_then=old.as_of,
                verdict_now=new.verdict,
                value_now=new.value,
                reading_date_now=new.as_of,
                changed=old.verdict != new.verdict,
            )
        )
    return tuple(rows)


def track(
    store: Store,
    since: date = ARTICLE_AS_OF,
    weights: str | Mapping[str, float] | None = None,
    *,
    panel: AssetPanel | None = None,
    data: PillarData | None = None,
    composite: bool = True,
) -> TrackResult:
    """The position (default: the article preset), its parts, SPY and 60/40 since ``since``.

    Parameters
    ----------
    store : Store
    since : date
        The article's date (2026-01-31); the lines start at the last close on or before it.
    weights : str or mapping, optional
        Another position (``"TLT=0.5,TMF=0.1,SPY=0.4"`` or a preset name).
    panel, data : optional
        Prebuilt asset panel and pillar data (read from the store when not given).
    composite : bool
        Also compute the scorecard's composite verdict then and now (a few seconds).
    """
    position, _ = resolve_portfolio(weights if weights is not None else "article")
    tickers = set(position) | {t for p in BENCHMARKS.values() for t in PRESETS[p].weights}
    if panel is None:
        panel = load_asset_panel(store, sorted(tickers))
    lines = [_line(panel, "position", "position", position, since)]
    lines += [_line(panel, t, "part", {t: 1.0}, since) for t in position]
    # A benchmark already shown as a part (SPY alone) is not repeated.
    lines += [
        _line(panel, label, "benchmark", PRESETS[preset].weights, since)
        for label, preset in BENCHMARKS.items()
        if PRESETS[preset].weights not in [line.weights for line in lines]
    ]
    if data is None:
        data = load_pillar_data(store, keys=(*PILLAR_KEYS, *OUTCOME_KEYS, *EXTRA_KEYS))
    then_data = data.as_of(since)
    readings_then = read_all(then_data)
    readings_now = read_all(data)
    verdict_then = verdict_now = None
    if composite:
        verdict_then = score(then_data, bootstrap_resamples=0).scorecard.composite.verdict
        verdict_now = score(data, bootstrap_resamples=0).scorecard.composite.verdict
    notes = [
        "the article gives only '~60% in TLT and TMF'; the default position reads it as "
        "40% TLT, 20% TMF, 40% SPY, rebalanced quarterly",
        "pillar readings are dated by the observation they read (publication lags), not by the "
        "evaluation date",
    ]
    if any(line.simulated for line in lines):
        notes.append("some lines hold simulated history (marked simulated)")
    return TrackResult(
        since=since,
        evaluated_now=data.reference_date,
        position=position,
        lines=tuple(lines),
        pillars=_pillars(readings_then, readings_now),
        composite_then=verdict_then,
        composite_now=verdict_now,
        notes=tuple(notes),
    )
