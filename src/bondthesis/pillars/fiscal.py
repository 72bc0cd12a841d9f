"""Pillar 2, fiscal: federal interest payments as a share of GDP, and its 12-month change.

The article: interest of ~$1.2T a year, ~4% of GDP, feeds a fiscal-dominance loop that ends with
the Fed capping long yields. Indicator: BEA's federal interest payments (A091RC1Q027SBEA, bn USD
SAAR) over nominal GDP (bn USD SAAR), quarterly. Interest as a share of receipts is reported when
the Treasury's monthly statement (INTEREST_EXPENSE, MTS_RECEIPTS) is in the data.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from bondthesis.data.months import change
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

__all__ = ["HIGH_SHARE", "LOW_SHARE", "read_fiscal"]

NAME = "fiscal"
TITLE = "Federal interest payments as a share of GDP"
UNIT = "decimal share of GDP (0.04 = 4%)"
HIGH_SHARE = 0.035
LOW_SHARE = 0.025
FALLING = -0.0025
RULE = (
    f"supports when federal interest is at least {HIGH_SHARE:.1%} of GDP and higher than four "
    f"quarters earlier (the fiscal-dominance loop); contradicts below {LOW_SHARE:.1%} of GDP or "
    f"when the share fell by more than {-FALLING:.2%} of GDP in a year; neutral otherwise"
)
KEYS = ("A091RC1Q027SBEA", "GDP", "INTEREST_EXPENSE", "MTS_RECEIPTS")


def read_fiscal(data: PillarData, as_of: date | None = None) -> PillarReading:
    """Federal interest over GDP (decimal), quarterly, dated at each quarter's end.

    Example: interest of 1,150 bn SAAR and GDP of 29,000 bn SAAR give 1150/29000 = 0.0397;
    four quarters earlier 0.0370, so the share rose 0.27 points: supports.
    """
    data = prepare(data, as_of)
    interest = monthly(data, "A091RC1Q027SBEA")
    gdp = monthly(data, "GDP")
    share = (interest / gdp).dropna()
    keys: tuple[str, ...] = ("A091RC1Q027SBEA", "GDP")
    if share.empty:
        return no_data_reading(NAME, TITLE, UNIT, RULE, keys, "needs A091RC1Q027SBEA and GDP")
    change_1y = change(share, 4, freq="Q", kind="difference")  # four calendar quarters
    rising = change_1y > 0
    trigger = (share >= HIGH_SHARE) & rising
    latest = float(share.iloc[-1])
    latest_change = last_or_none(change_1y)
    if latest >= HIGH_SHARE and latest_change is not None and latest_change > 0:
        verdict = Verdict.SUPPORTS
    elif latest < LOW_SHARE or (latest_change is not None and latest_change < FALLING):
        verdict = Verdict.CONTRADICTS
    else:
        verdict = Verdict.NEUTRAL
    details: dict[str, float | str | None] = {
        # Both at the quarter of the share (GDP runs quarters past NIPA interest).
        "quarter": str(pd.Timestamp(share.index[-1]).date()),
        "interest_bn_usd_saar": last_or_none(interest.loc[: share.index[-1]]),
        "gdp_bn_usd_saar": last_or_none(gdp.loc[: share.index[-1]]),
        "gdp_latest_bn_usd_saar": last_or_none(gdp),
        "gdp_latest_quarter": None if last_date(gdp) is None else str(last_date(gdp).date()),  # type: ignore[union-attr]
        "change_12m": latest_change,
    }
    notes: list[str | None] = [
        staleness_note("A091RC1Q027SBEA", last_date(interest), data.reference_date),
        staleness_note("GDP", last_date(gdp), data.reference_date),
        "NIPA interest payments (accrual basis, incl. interest on securities held by the Fed); "
        "the Treasury's cash 'net interest' outlay is smaller",
    ]
    receipts_share = _interest_share_of_receipts(data)
    if receipts_share is None:
        notes.append(
            "interest as a share of receipts: no Monthly Treasury Statement data "
            "(INTEREST_EXPENSE, MTS_RECEIPTS) in the store"
        )
    else:
        keys = KEYS
        details["interest_share_of_receipts_12m"] = last_or_none(receipts_share)
        notes.append(
            "trailing-12-month interest expense over receipts "
            f"{decimal_percent(last_or_none(receipts_share))}"
        )
    return reading(
        reference=data.reference_date,
        name=NAME,
        title=TITLE,
        history=share,
        unit=UNIT,
        verdict=verdict,
        rule=RULE,
        keys=keys,
        trigger=trigger,
        details=details,
        notes=notes,
    )


def _interest_share_of_receipts(data: PillarData) -> pd.Series | None:
    interest = monthly(data, "INTEREST_EXPENSE")
    receipts = monthly(data, "MTS_RECEIPTS")
    if len(interest) < 12 or len(receipts) < 12:
        return None
    ratio = interest.rolling(12).sum() / receipts.rolling(12).sum()
    ratio = ratio.dropna()
    return ratio if len(ratio) else None
