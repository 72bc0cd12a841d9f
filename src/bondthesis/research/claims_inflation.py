"""Claim 6 of the ledger: core inflation back to 2021 levels, sentiment at a ten-year low."""

from __future__ import annotations

from datetime import date

import pandas as pd

from bondthesis.pillars.data import stale_after_days
from bondthesis.research.claims_rules import Claim, ClaimVerdict, combine, pct, when_min

__all__ = ["inflation_sentiment_claim"]


def _range_2021(yoy: pd.Series) -> str:
    """2021's range of core CPI YoY, the claim's yardstick; an earlier evaluation has none yet."""
    year = yoy[pd.DatetimeIndex(yoy.index).year == 2021]
    if year.empty:
        return "2021 not yet in the data"
    return f"2021 ranged {pct(float(year.min()), 1)}-{pct(float(year.max()), 1)}"


def inflation_sentiment_claim(
    core: pd.Series, headline: pd.Series, sentiment: pd.Series, as_of: date, text: str
) -> Claim:
    """Claim 6: core CPI YoY back to 2021 levels; Michigan sentiment at a ten-year low.

    The core print used is named with its month and its age on ``as_of``; a print older than
    CPI's frequency and publication lag allow is stale and its part holds at most partly.
    Headline CPI is shown beside it when it has a later print.
    """
    rule = (
        "core: holds when the lowest core CPI YoY of the last 3 months was last matched in 2021 "
        "or earlier, else does not hold; sentiment: holds within 5% of the 10-year minimum, partly "
        "in the bottom decile of the last 10 years; both parts combined; a core print older "
        "than CPI's frequency and publication lag allow is stale: its part holds at most partly"
    )
    reproduce = (
        "bondthesis series CPILFESL UMCSENT --start 2021-01-01  (or: bondthesis pillar economy)"
    )
    parts: list[ClaimVerdict] = []
    texts: list[str] = []
    values: dict[str, float | None] = {}
    last_dates: list[pd.Timestamp] = []
    yoy = (core / core.shift(12, freq="MS") - 1.0).dropna() if not core.empty else core
    if len(yoy) > 24:
        today, today_date = float(yoy.iloc[-1]), yoy.index[-1]
        # The recent level is the lowest of the last three readings; "lowest since" is the last
        # month before them at or below that level.
        recent = yoy.iloc[-3:]
        level = float(recent.min())
        earlier = yoy[(yoy.index < recent.index[0]) & (yoy <= level + 1e-12)]
        since = earlier.index[-1] if not earlier.empty else None
        core_part = (
            ClaimVerdict.HOLDS
            if since is not None and since.year <= 2021
            else ClaimVerdict.DOES_NOT_HOLD
        )
        # Which print, and how old on the evaluation date (from the month's end).
        age = (pd.Timestamp(as_of) - (today_date + pd.offsets.MonthEnd(0))).days
        stale = age > stale_after_days(("CPILFESL",))
        if stale and core_part is ClaimVerdict.HOLDS:
            core_part = ClaimVerdict.PARTLY
        parts.append(core_part)
        when = f"{since:%b %Y}" if since is not None else "ever"
        headline_yoy = (headline / headline.shift(12, freq="MS") - 1.0).dropna()
        headline_text = (
            f"; headline CPI {pct(float(headline_yoy.iloc[-1]), 1)} YoY in "
            f"{headline_yoy.index[-1]:%b %Y}"
            if len(headline_yoy) and headline_yoy.index[-1] > today_date
            else ""
        )
        texts.append(
            f"core CPI {pct(today, 1)} YoY in {today_date:%b %Y} ({age} days old"
            f"{', stale' if stale else ''}; 3-month low {pct(level, 2)}, "
            f"lowest since {when}; {_range_2021(yoy)}){headline_text}"
        )
        values["core_yoy"] = today
        values["core_print_age_days"] = float(age)
        if headline_text:
            values["headline_yoy"] = float(headline_yoy.iloc[-1])
        last_dates.append(today_date)
    else:
        parts.append(ClaimVerdict.NO_DATA)
        texts.append("no core CPI")
    if len(sentiment) > 120:
        now, now_date = float(sentiment.iloc[-1]), sentiment.index[-1]
        window = sentiment[sentiment.index > now_date - pd.DateOffset(years=10)]
        low, low_date = float(window.min()), when_min(window)
        percentile = float((window < now).mean() + 0.5 * (window == now).mean())
        if now <= low * 1.05:
            parts.append(ClaimVerdict.HOLDS)
        else:
            parts.append(ClaimVerdict.PARTLY if percentile <= 0.10 else ClaimVerdict.DOES_NOT_HOLD)
        texts.append(
            f"Michigan sentiment {now:.1f} in {now_date:%b %Y} (10-year low {low:.1f} in "
            f"{low_date:%b %Y}, percentile {percentile * 100:.0f})"
        )
        values["sentiment"] = now
        values["sentiment_10y_low"] = low
        last_dates.append(now_date)
    else:
        parts.append(ClaimVerdict.NO_DATA)
        texts.append("no Michigan sentiment")
    return Claim(
        6,
        text,
        "; ".join(texts),
        max(last_dates).date() if last_dates else None,
        combine(parts),
        f"{texts[0][0].upper()}{texts[0][1:]}; {texts[1]}.",
        reproduce,
        rule,
        values,
    )
