"""Pillar 6, policy: pressure on the Fed to step into the long end, and past QE episodes.

The article: when long yields threaten growth, fiscal costs or markets, the Fed buys long bonds
(QE) or caps yields (YCC). Indicator: the share of four pressure signs present each month:

- the 30-year yield (DGS30, month end) at or above the 80th percentile of its trailing 10 years;
- the 30-year yield up at least 0.5 pp over 6 months;
- a term-premium proxy at or above 1.0 pp. THREEFYTP10 (Kim-Wright) is not in the data, so the
  proxy is the 10y-2y slope (T10Y2Y, else DGS10 - DGS2): the 2-year yield stands in for the
  expected path of short rates, so the slope is the 10-year's compensation beyond it;
- financial conditions tighter than average (NFCI > 0).

QE episodes are detected from the Fed's balance sheet: months when total assets (WALCL, weekly;
TREAST, quarterly Treasury holdings, where WALCL is missing) grew more than 10% over 6 months.
WSHOTSL (Treasury notes and bonds) is not in the data; WALCL also counts MBS and emergency
lending, and the 2019-20 bill purchases show up as an episode too.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from bondthesis.data.months import change
from bondthesis.pillars._common import (
    last_date,
    last_or_none,
    monthly,
    no_data_reading,
    prepare,
    reading,
    rolling_percentile,
    staleness_note,
)
from bondthesis.pillars.base import PillarReading, Verdict
from bondthesis.pillars.data import PillarData

__all__ = ["qe_episodes", "read_policy"]

NAME = "policy"
TITLE = "Pressure for Fed intervention in the long end (share of signs present)"
UNIT = "share of signs (0-1)"
KEYS = ("DGS30", "T10Y2Y", "DGS10", "DGS2", "NFCI", "WALCL", "TREAST")
HIGH_PERCENTILE = 80.0
RISE_PP = 0.5
STEEP_PP = 1.0
QE_GROWTH_6M = 0.10
SUPPORTS_FROM = 0.5
RULE = (
    f"supports when at least {SUPPORTS_FROM:.0%} of four pressure signs are present (30y yield at "
    f"or above the {HIGH_PERCENTILE:.0f}th percentile of 10 years; 30y up {RISE_PP}pp or more in "
    f"6 months; 10y-2y term-premium proxy at or above {STEEP_PP:.1f}pp; NFCI above 0) or the "
    "Fed's balance sheet is growing as in QE (more than "
    f"{QE_GROWTH_6M:.0%} in 6 months); contradicts when no sign is present and there is no QE; "
    "neutral otherwise"
)


def qe_episodes(holdings: pd.Series, growth_6m: float = QE_GROWTH_6M) -> pd.Series:
    """Month-end flags (bool): the balance sheet grew more than ``growth_6m`` over 6 months.

    ``holdings`` is a month-end series (any units). Example: 2,000 -> 2,300 in six months is
    +15%: a QE month.
    """
    if holdings.empty:
        return pd.Series(dtype=bool, index=pd.DatetimeIndex([], name="date"))
    months = holdings.resample("ME").last().ffill()
    growth = months / months.shift(6) - 1.0
    return (growth > growth_6m).where(growth.notna(), False).astype(bool)


def read_policy(data: PillarData, as_of: date | None = None) -> PillarReading:
    """Share of the four intervention-pressure signs present (0-1), monthly.

    Example: 30y at the 92nd percentile (sign), +0.3pp in 6 months (no), slope 0.6pp (no), NFCI
    -0.5 (no): 1 of 4 = 0.25, neutral unless QE is running.
    """
    data = prepare(data, as_of)
    thirty = monthly(data, "DGS30")
    if thirty.empty:
        return no_data_reading(NAME, TITLE, UNIT, RULE, KEYS, "needs DGS30")
    keys_used = ["DGS30"]
    percentile = rolling_percentile(thirty, 120, min_periods=36)
    change_6m = change(thirty, 6, kind="difference")
    slope = monthly(data, "T10Y2Y")
    if slope.empty:
        slope = (monthly(data, "DGS10") - monthly(data, "DGS2")).dropna()
        keys_used += ["DGS10", "DGS2"] if len(slope) else []
    else:
        keys_used.append("T10Y2Y")
    nfci = monthly(data, "NFCI")
    keys_used += ["NFCI"] if len(nfci) else []
    signs = pd.DataFrame(
        {
            "yield_high": (percentile >= HIGH_PERCENTILE)
            .astype("float64")
            .where(percentile.notna()),
            "yield_rising": (change_6m >= RISE_PP).astype("float64").where(change_6m.notna()),
            "term_premium_proxy": (slope >= STEEP_PP).astype("float64").where(slope.notna()),
            "nfci_tight": (nfci > 0).astype("float64").where(nfci.notna()),
        }
    )
    available = signs.notna().sum(axis=1)
    score = (signs.sum(axis=1) / available).where(available >= 2).dropna()
    balance = monthly(data, "WALCL")
    if balance.empty:
        balance = monthly(data, "TREAST")
        keys_used += ["TREAST"] if len(balance) else []
    else:
        keys_used.append("WALCL")
    qe = qe_episodes(balance)
    qe_now = bool(qe.iloc[-1]) if len(qe) else False
    latest = float(score.iloc[-1]) if len(score) else 0.0
    if latest >= SUPPORTS_FROM or qe_now:
        verdict = Verdict.SUPPORTS
    elif latest == 0.0:
        verdict = Verdict.CONTRADICTS
    else:
        verdict = Verdict.NEUTRAL
    starts = qe & ~qe.shift(1, fill_value=False)
    details: dict[str, float | str | None] = {
        "yield_30y_pct": last_or_none(thirty),
        "yield_30y_10y_percentile": last_or_none(percentile),
        "yield_30y_change_6m_pp": last_or_none(change_6m),
        "term_premium_proxy_pp": last_or_none(slope),
        "nfci": last_or_none(nfci),
        "qe_now": "yes" if qe_now else "no",
        "qe_episode_starts": ", ".join(str(d.date())[:7] for d in starts[starts].index),
        "balance_sheet_last": None
        if last_date(balance) is None
        else str(last_date(balance).date()),  # type: ignore[union-attr]
    }
    trigger = (score >= SUPPORTS_FROM) | qe.reindex(score.index, fill_value=False)
    notes: list[str | None] = [
        staleness_note("DGS30", last_date(data.series("DGS30")), data.reference_date),
        staleness_note("NFCI", last_date(data.series("NFCI")), data.reference_date),
        staleness_note("WALCL", last_date(data.series("WALCL")), data.reference_date)
        if "WALCL" in keys_used
        else None,
        "THREEFYTP10 is not in the data: term premium proxied by the 10y-2y slope",
        "QE detected from total assets (WALCL), not long-bond holdings (WSHOTSL missing); "
        "Operation Twist (2011-12) changed maturities, not size, and is not detected",
    ]
    return reading(
        reference=data.reference_date,
        name=NAME,
        title=TITLE,
        history=score,
        unit=UNIT,
        verdict=verdict,
        rule=RULE,
        keys=tuple(keys_used),
        trigger=trigger,
        details=details,
        notes=notes,
    )
