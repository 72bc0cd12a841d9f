"""Pillar 1, gold: how far gold has risen from its trailing five-year low.

The article: a ~200% gold surge in a short time preceded recession, disinflation and falling real
rates (1970s, early 1980s, 2000s, 2008). Indicator: monthly average gold price over the lowest
monthly average of the trailing 60 months (the current one included), minus one; the three-year
change is reported beside it. History starts in 1971, when the dollar's gold peg ended; before
that the price was fixed and the indicator means nothing.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from bondthesis.data.months import change, every_month
from bondthesis.pillars._common import (
    decimal_percent,
    last_date,
    last_or_none,
    monthly,
    no_data_reading,
    prepare,
    reading,
    staleness_note,
)
from bondthesis.pillars.base import PillarReading, Verdict
from bondthesis.pillars.data import PillarData

__all__ = ["SURGE_TRIGGER", "WINDOW_MONTHS", "read_gold"]

NAME = "gold"
TITLE = "Gold's rise from its trailing 5-year low"
UNIT = "decimal (2.0 = +200%)"
WINDOW_MONTHS = 60
SURGE_TRIGGER = 2.0
NEUTRAL_FROM = 1.0
FLOATING_SINCE = pd.Timestamp("1971-01-01")
RULE = (
    f"supports when gold's monthly average is at least +{SURGE_TRIGGER:.0%} above its lowest "
    f"monthly average of the trailing {WINDOW_MONTHS} months (the article's surge); neutral from "
    f"+{NEUTRAL_FROM:.0%} to +{SURGE_TRIGGER:.0%}; contradicts below +{NEUTRAL_FROM:.0%} (no surge)"
)
KEYS = ("GOLD_MONTHLY",)


def rise_from_trailing_low(price: pd.Series, window_months: int = WINDOW_MONTHS) -> pd.Series:
    """``price / min(price over the trailing window) - 1`` for each month (decimal).

    The window is ``window_months`` calendar months; a window with a missing month is missing.

    >>> months = pd.to_datetime(["2020-01-31", "2020-02-29", "2020-03-31"])
    >>> rise_from_trailing_low(pd.Series([100.0, 50.0, 150.0], months), window_months=2).tolist()
    [nan, 0.0, 2.0]
    """
    full = every_month(price)
    low = full.rolling(window_months, min_periods=window_months).min()
    return (full / low - 1.0).reindex(price.index)


def read_gold(data: PillarData, as_of: date | None = None) -> PillarReading:
    """Gold's rise from its trailing 5-year low (decimal: 1.5 is +150%).

    Example: a 2021-2025 low of $1,680 and a latest average of $4,200 give 4200/1680 - 1 = 1.5,
    +150%: neutral.
    """
    data = prepare(data, as_of)
    price = monthly(data, "GOLD_MONTHLY")
    if len(price) < WINDOW_MONTHS:
        return no_data_reading(
            NAME, TITLE, UNIT, RULE, KEYS, f"needs {WINDOW_MONTHS} monthly gold prices"
        )
    rise = rise_from_trailing_low(price)
    rise = rise[rise.index >= FLOATING_SINCE].dropna()
    if rise.empty:
        return no_data_reading(NAME, TITLE, UNIT, RULE, KEYS, "no gold prices after 1971")
    change_3y = change(price, 36)
    latest = float(rise.iloc[-1])
    if latest >= SURGE_TRIGGER:
        verdict = Verdict.SUPPORTS
    elif latest >= NEUTRAL_FROM:
        verdict = Verdict.NEUTRAL
    else:
        verdict = Verdict.CONTRADICTS
    window = price[price.index > price.index[-1] - pd.DateOffset(months=WINDOW_MONTHS)]
    details: dict[str, float | str | None] = {
        "price_usd_per_oz": last_or_none(price),
        "trailing_5y_low_usd_per_oz": float(window.min()),
        "trailing_5y_low_month": str(window.index[int(window.to_numpy().argmin())].date()),
        "change_3y": last_or_none(change_3y),
    }
    notes = [
        staleness_note("GOLD_MONTHLY", last_date(price), data.reference_date),
        "monthly average prices (World Bank/LBMA); a daily peak can be higher than the average",
        f"latest 3-year change {decimal_percent(details['change_3y'])}"  # type: ignore[arg-type]
        if details["change_3y"] is not None
        else None,
    ]
    return reading(
        reference=data.reference_date,
        name=NAME,
        title=TITLE,
        history=rise,
        unit=UNIT,
        verdict=verdict,
        rule=RULE,
        keys=KEYS,
        trigger=rise >= SURGE_TRIGGER,
        details=details,
        notes=notes,
    )
