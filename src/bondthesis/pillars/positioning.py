"""Pillar 4, positioning: TLT short interest, days to cover, and where they stand in history.

The article: ~144M TLT shares short with more than 4 days to cover, a crowded short that can be
squeezed. Indicator: FINRA shares short (settlement dates, twice a month), with days to cover
(short interest over average daily volume) beside it. The history is short (2020 onward) and
patchy (see ``notes``): percentiles are over the observations there are, not a full cycle.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from bondthesis.pillars._common import (
    last_date,
    last_or_none,
    no_data_reading,
    percentile_of_latest,
    prepare,
    reading,
    staleness_note,
)
from bondthesis.pillars.base import PillarReading, Verdict
from bondthesis.pillars.data import PillarData

__all__ = ["CROWDED_DAYS_TO_COVER", "read_positioning"]

NAME = "positioning"
TITLE = "TLT shares sold short"
UNIT = "shares"
KEYS = ("TLT_SHORT_INTEREST", "TLT_DAYS_TO_COVER", "TLT_AVG_DAILY_VOLUME")
CROWDED_DAYS_TO_COVER = 4.0
CROWDED_PERCENTILE = 75.0
LIGHT_PERCENTILE = 25.0
LIGHT_DAYS_TO_COVER = 2.0
RULE = (
    f"supports (crowded short) when shares short are at or above the {CROWDED_PERCENTILE:.0f}th "
    f"percentile of their history or days to cover exceed {CROWDED_DAYS_TO_COVER:.0f}; "
    f"contradicts when shares short are at or below the {LIGHT_PERCENTILE:.0f}th percentile and "
    f"days to cover are under {LIGHT_DAYS_TO_COVER:.0f}; neutral otherwise"
)
MIN_OBSERVATIONS = 24


def read_positioning(data: PillarData, as_of: date | None = None) -> PillarReading:
    """TLT shares short at each settlement date, with days to cover in ``details``.

    Example: 150.5M shares short, the largest of 63 observations, is the 100th percentile:
    supports whatever the days to cover.
    """
    data = prepare(data, as_of)
    short = data.series("TLT_SHORT_INTEREST")
    if short.empty:
        return no_data_reading(NAME, TITLE, UNIT, RULE, KEYS, "no TLT short interest in the data")
    days = _days_to_cover(data)
    percentile = percentile_of_latest(short)
    latest_days = last_or_none(days)
    days_date = last_date(days)
    # Days to cover counts only when measured at the same settlement date as the shares short.
    days_now = latest_days if days_date == short.index[-1] else None
    crowded = (percentile is not None and percentile >= CROWDED_PERCENTILE) or (
        days_now is not None and days_now > CROWDED_DAYS_TO_COVER
    )
    light = (
        percentile is not None
        and percentile <= LIGHT_PERCENTILE
        and (days_now is None or days_now < LIGHT_DAYS_TO_COVER)
    )
    verdict = Verdict.SUPPORTS if crowded else Verdict.CONTRADICTS if light else Verdict.NEUTRAL
    expanding = short.expanding(min_periods=1)
    trigger = short >= expanding.quantile(CROWDED_PERCENTILE / 100.0)
    if len(days):
        trigger = trigger | (days.reindex(short.index) > CROWDED_DAYS_TO_COVER).fillna(False)
    details: dict[str, float | str | None] = {
        "days_to_cover": latest_days,
        "days_to_cover_date": None if days_date is None else str(days_date.date()),
        "days_to_cover_percentile": percentile_of_latest(days),
        "observations": float(len(short)),
        "first_observation": str(short.index[0].date()),
    }
    notes: list[str | None] = [
        staleness_note("TLT_SHORT_INTEREST", last_date(short), data.reference_date),
        f"only {len(short)} observations since {short.index[0].date()}, with gaps; percentiles "
        "are over this short sample"
        if len(short) < 150
        else None,
        f"days to cover is from {days_date.date()}, not the latest settlement date"
        if days_date is not None and days_now is None
        else None,
        "short interest is not shown as a share of shares outstanding (not in the data); TLT's "
        "share count has grown since 2020, so raw share counts overstate crowding",
    ]
    if len(short) < MIN_OBSERVATIONS:
        notes.append(f"fewer than {MIN_OBSERVATIONS} observations: the percentile is not reliable")
    return reading(
        reference=data.reference_date,
        name=NAME,
        title=TITLE,
        history=short,
        unit=UNIT,
        verdict=verdict,
        rule=RULE,
        keys=KEYS,
        trigger=trigger,
        details=details,
        notes=notes,
    )


def _days_to_cover(data: PillarData) -> pd.Series:
    """Published days to cover, else shares short over average daily volume where both exist."""
    published = data.series("TLT_DAYS_TO_COVER")
    volume = data.series("TLT_AVG_DAILY_VOLUME")
    short = data.series("TLT_SHORT_INTEREST")
    computed = (short / volume.where(volume > 0)).dropna()
    return published.combine_first(computed).sort_index()
