"""Pillar 9, valuation: the equity earnings yield against Treasury yields.

The article: stocks price strong growth, bonds price fiscal stress. Indicator: the excess CAPE
yield (Shiller, Black and Jivraj 2020), the cyclically adjusted earnings yield ``1/CAPE`` minus
the real 10-year yield (GS10 minus the trailing 10-year annualized CPI inflation), as a decimal.
It replaces the first version's nominal gap as the headline because it compares a real equity
yield with a real bond yield; the nominal gaps (1/CAPE and trailing E/P minus the 10- and
30-year yields) are reported in ``details``. A low or negative excess yield means stocks pay
little over bonds.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from bondthesis.data.months import annualized_change
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

__all__ = ["excess_cape_yield", "read_valuation"]

NAME = "valuation"
TITLE = "Excess CAPE yield: 1/CAPE minus the real 10-year yield"
UNIT = "decimal (0.01 = 1 pp)"
KEYS = ("SHILLER_CAPE", "SHILLER_E", "SHILLER_P", "SHILLER_CPI", "GS10", "DGS10", "DGS30")
STOCKS_RICH = 0.015
STOCKS_CHEAP = 0.035
RULE = (
    f"supports when the excess CAPE yield is at most {STOCKS_RICH:.1%} (stocks pay little over "
    f"real bond yields); contradicts at or above {STOCKS_CHEAP:.1%} (stocks cheap against bonds); "
    "neutral between"
)


def excess_cape_yield(cape: pd.Series, ten_year_pct: pd.Series, cpi: pd.Series) -> pd.Series:
    """``1/CAPE - (GS10/100 - trailing 10-year annualized inflation)`` (decimals), monthly.

    Example: CAPE 40 (yield 0.025), 10-year 4.2%, prices up 35% in ten years (3.05% a year):
    0.025 - (0.042 - 0.0305) = 0.0135.
    """
    inflation_10y = annualized_change(cpi, 120)
    real_yield = ten_year_pct / 100.0 - inflation_10y
    return (1.0 / cape - real_yield).dropna()


def _is_provisional(month: pd.Timestamp, price: pd.Series, earnings: pd.Series) -> bool:
    """Shiller's last row (P the month's first close, E and CPI estimated) or a month without E."""
    last_price = last_date(price)
    last_earnings = last_date(earnings)
    return bool(
        (last_price is not None and month >= last_price)
        or (last_earnings is not None and month > last_earnings)
    )


def read_valuation(data: PillarData, as_of: date | None = None) -> PillarReading:
    """Excess CAPE yield (decimal), monthly, with nominal yield gaps in ``details``."""
    data = prepare(data, as_of)
    cape = monthly(data, "SHILLER_CAPE")
    cpi = monthly(data, "SHILLER_CPI")
    ten = monthly(data, "GS10")
    ten_daily = monthly(data, "DGS10", how="mean")
    ten = ten.combine_first(ten_daily) if len(ten_daily) else ten
    thirty = monthly(data, "DGS30", how="mean")
    ecy = excess_cape_yield(cape, ten, cpi)
    if ecy.empty:
        return no_data_reading(
            NAME, TITLE, UNIT, RULE, KEYS, "needs SHILLER_CAPE, SHILLER_CPI and a 10-year yield"
        )
    latest = float(ecy.iloc[-1])
    verdict = (
        Verdict.SUPPORTS
        if latest <= STOCKS_RICH
        else Verdict.CONTRADICTS
        if latest >= STOCKS_CHEAP
        else Verdict.NEUTRAL
    )
    month = ecy.index[-1]
    earnings = monthly(data, "SHILLER_E")
    price = monthly(data, "SHILLER_P")
    cape_yield = (1.0 / cape).loc[:month]
    trailing_ep = (earnings / price).dropna().loc[:month]
    ten_now = last_or_none(ten.loc[:month])
    thirty_now = last_or_none(thirty.loc[:month])

    def gap(equity: pd.Series, bond_pct: float | None) -> float | None:
        value = last_or_none(equity)
        return None if value is None or bond_pct is None else value - bond_pct / 100.0

    details: dict[str, float | str | None] = {
        "cape": last_or_none(cape.loc[:month]),
        "cape_yield": last_or_none(cape_yield),
        "trailing_earnings_yield": last_or_none(trailing_ep),
        "yield_10y": None if ten_now is None else ten_now / 100.0,
        "yield_30y": None if thirty_now is None else thirty_now / 100.0,
        "cape_yield_minus_10y": gap(cape_yield, ten_now),
        "cape_yield_minus_30y": gap(cape_yield, thirty_now),
        "trailing_ep_minus_10y": gap(trailing_ep, ten_now),
        "trailing_ep_minus_30y": gap(trailing_ep, thirty_now),
    }
    notes: list[str | None] = [
        staleness_note("SHILLER_CAPE", last_date(cape), data.reference_date),
        f"nominal gap 1/CAPE - 10y = {decimal_percent(details['cape_yield_minus_10y'])}"  # type: ignore[arg-type]
        if details["cape_yield_minus_10y"] is not None
        else None,
        "Shiller's P is a monthly average of daily closes and E is trailing 12-month reported "
        "earnings, updated with a lag of about a quarter",
    ]
    keys = tuple(k for k in KEYS if not data.series(k).empty)
    provisional = _is_provisional(month, price, earnings)
    if provisional:
        notes.append(
            f"Shiller's row for {month:%Y-%m} is provisional (the sheet's last row: P is a "
            "partial month, E and CPI estimated); it is revised later and does not count as "
            "support"
        )
    return reading(
        provisional=provisional,
        reference=data.reference_date,
        name=NAME,
        title=TITLE,
        history=ecy,
        unit=UNIT,
        verdict=verdict,
        rule=RULE,
        keys=keys,
        trigger=ecy <= STOCKS_RICH,
        details=details,
        notes=notes,
    )
