"""Pillar 3, issuance: how little of the Treasury's gross issuance is 20- and 30-year bonds.

The article: 20/30-year bonds are only ~1.7% of issuance, the rest mostly bills, so long-bond
supply is scarce. Indicators, over the trailing 12 months of auctions (by auction date):

- the 20y+30y share of all gross auction amounts (bills, CMBs, notes, bonds, TIPS, FRNs);
- the 20y+30y share of nominal coupon issuance (notes and bonds, TIPS and FRNs excluded);
- the weighted average maturity (years, issue to maturity) of all new issuance.

A reopening counts toward its original term (``original_security_term``: a ``29-Year 10-Month``
reopening is a 30-year bond). TIPS and FRNs are told apart by their flags, since TreasuryDirect
labels them Note or Bond. Amounts are offering amounts (filled for every auction; SOMA add-ons
excluded).
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from bondthesis.pillars._common import (
    decimal_percent,
    last_or_none,
    no_data_reading,
    prepare,
    reading,
    rolling_percentile,
)
from bondthesis.pillars.base import PillarReading, Verdict
from bondthesis.pillars.data import PillarData, auction_known_dates

__all__ = ["issuance_mix", "read_issuance", "term_years"]

NAME = "issuance"
TITLE = "20y+30y bonds' share of gross Treasury issuance, trailing 12 months"
UNIT = "decimal share (0.017 = 1.7%)"
KEYS = ("AUCTIONS",)
LOW_PERCENTILE = 25.0
HIGH_PERCENTILE = 75.0
PERCENTILE_WINDOW_MONTHS = 240
LONG_TERM_YEARS = 19.0
RULE = (
    "supports when the 20y+30y share of trailing-12-month gross issuance is in the lowest "
    f"{LOW_PERCENTILE:.0f}% of its trailing {PERCENTILE_WINDOW_MONTHS // 12}-year history "
    "(long bonds scarce); contradicts in the highest "
    f"{100 - HIGH_PERCENTILE:.0f}%; neutral between"
)
_TERM = re.compile(r"(?:(\d+)-Year)?\s*(?:(\d+)-Month)?\s*(?:(\d+)-Week)?\s*(?:(\d+)-Day)?")


def term_years(term: str) -> float:
    """A TreasuryDirect term as years.

    >>> term_years("29-Year 10-Month"), term_years("26-Week"), term_years("10-Year")
    (29.833333333333332, 0.5, 10.0)
    """
    match = _TERM.fullmatch(str(term).strip())
    if match is None or not any(match.groups()):
        return float("nan")
    years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
    return years + months / 12.0 + weeks * 7.0 / 364.0 + days / 365.0


def issuance_mix(auctions: pd.DataFrame) -> pd.DataFrame:
    """Month-end trailing-12-month sums: columns ``all``, ``long``, ``coupon``, ``long_coupon``,
    ``share_long_all``, ``share_long_coupon``, ``wam_years`` (amounts in USD).

    Example: in a year of $900 of bills (0.5 years), $90 of 10-year notes and $10 of 30-year
    bonds, the long share of all issuance is 10/1000 = 1%, of coupons 10/100 = 10%, and the
    WAM is (900*0.5 + 90*10 + 10*30)/1000 = 1.65 years.
    """
    if auctions.empty:
        return pd.DataFrame()
    frame = auctions.copy()
    frame["known"] = auction_known_dates(frame).to_numpy()
    amount = pd.to_numeric(frame["offering_amt"], errors="coerce").fillna(0.0)
    original = frame["original_security_term"].fillna(frame.get("security_term"))
    years_original = original.map(term_years)
    issue = pd.to_datetime(frame["issue_date"])
    maturity = pd.to_datetime(frame["maturity_date"])
    years_to_maturity = ((maturity - issue).dt.days / 365.25).fillna(years_original)
    tips = frame["tips"].fillna(False).astype(bool) if "tips" in frame else False
    frn = frame["frn"].fillna(False).astype(bool) if "frn" in frame else False
    bill = frame["security_type"].str.strip().str.lower().eq("bill")
    coupon = (~bill) & ~tips & ~frn
    long = (years_original >= LONG_TERM_YEARS) & coupon
    parts = pd.DataFrame(
        {
            "all": amount,
            "long": amount.where(long, 0.0),
            "coupon": amount.where(coupon, 0.0),
            "weighted_years": amount * years_to_maturity.fillna(0.0),
        }
    )
    parts.index = pd.DatetimeIndex(frame["known"])
    by_month = parts.groupby(pd.Grouper(freq="ME")).sum()
    trailing = by_month.rolling(12, min_periods=12).sum()
    out = pd.DataFrame(
        {
            "all": trailing["all"],
            "long": trailing["long"],
            "coupon": trailing["coupon"],
            "share_long_all": trailing["long"] / trailing["all"],
            "share_long_coupon": trailing["long"] / trailing["coupon"],
            "wam_years": trailing["weighted_years"] / trailing["all"],
        }
    )
    out = out.replace([np.inf, -np.inf], np.nan).dropna(subset=["share_long_all"])
    out.index.name = "date"
    return out


def read_issuance(data: PillarData, as_of: date | None = None) -> PillarReading:
    """20y+30y share of trailing-12-month gross issuance (decimal), monthly."""
    data = prepare(data, as_of)
    mix = issuance_mix(data.auctions)
    if mix.empty:
        return no_data_reading(
            NAME, TITLE, UNIT, RULE, KEYS, "needs 12 months of the auctions table"
        )
    share = mix["share_long_all"]
    pct = rolling_percentile(share, PERCENTILE_WINDOW_MONTHS, min_periods=60)
    latest_pct = last_or_none(pct)
    if latest_pct is None:
        verdict = Verdict.NEUTRAL
    elif latest_pct <= LOW_PERCENTILE:
        verdict = Verdict.SUPPORTS
    elif latest_pct >= HIGH_PERCENTILE:
        verdict = Verdict.CONTRADICTS
    else:
        verdict = Verdict.NEUTRAL
    last_month = pd.Timestamp(mix.index[-1])
    latest = mix.iloc[-1]
    details: dict[str, float | str | None] = {
        "share_long_of_coupons": float(latest["share_long_coupon"]),
        "wam_years": float(latest["wam_years"]),
        "gross_issuance_12m_usd": float(latest["all"]),
        "long_issuance_12m_usd": float(latest["long"]),
        "trailing_20y_percentile": latest_pct,
        "last_auction": str(pd.Timestamp(auction_known_dates(data.auctions).max()).date()),
    }
    notes: list[str | None] = [
        "bills dominate gross issuance (they roll every few weeks), so the share of all issuance "
        "is far below the share of debt outstanding; the coupon share is the steadier measure "
        f"({decimal_percent(float(latest['share_long_coupon']))} now)",
        "the 30-year bond was not auctioned 2002-2005 and the 20-year only from 2020",
    ]
    reference = data.reference_date
    if reference is not None and (pd.Timestamp(reference) - last_month).days > 45:
        notes.append(
            f"the auctions table ends {details['last_auction']}; the trailing window ends "
            f"{last_month.date()}, {(pd.Timestamp(reference) - last_month).days} days before "
            f"{reference}"
        )
    return reading(
        reference=data.reference_date,
        name=NAME,
        title=TITLE,
        history=share,
        unit=UNIT,
        verdict=verdict,
        rule=RULE,
        keys=KEYS,
        trigger=pct <= LOW_PERCENTILE,
        # The percentile shown is the rule's own (trailing 20 years), not the whole history's.
        percentile=(
            latest_pct,
            f"the trailing {PERCENTILE_WINDOW_MONTHS // 12} years, as the rule",
        ),
        details=details,
        notes=notes,
    )
