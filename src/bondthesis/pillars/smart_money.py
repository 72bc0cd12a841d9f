"""Pillar 8, smart money: TLT call options versus puts in 13F filings, per quarter.

The article: 13F filings show large funds adding TLT calls (Soros's fund among them). Indicator:
per quarter, across the 13F filers in the data, the value of TLT shares underlying calls over
that of calls plus puts (0.5: balanced). Beside it: call and put values, the number of filers with
calls, the change on the quarter, the largest call holders. Rows whose value/shares is far from
the quarter's TLT price (filers that reported premiums or contracts) are left out of the sums.

Caveats, stated in every reading: 13F option values are notionals of the underlying, not
direction (a call can hedge a short; the largest holders are market makers); coverage of filers
varies by quarter in the data (about 350 filers in 2024Q4, 2025Q4, 2026Q1, 17-25 in others), so
values and counts are comparable only between well-covered quarters, the call share less so.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from bondthesis.data.months import change
from bondthesis.pillars._common import (
    decimal_percent,
    no_data_reading,
    prepare,
    reading,
    staleness_note,
)
from bondthesis.pillars.base import PillarReading, Verdict
from bondthesis.pillars.data import PillarData

__all__ = ["TLT_CUSIP", "quarterly_options", "read_smart_money"]

NAME = "smart_money"
TITLE = "TLT calls' share of 13F option notional (calls / (calls + puts))"
UNIT = "decimal share (0.5 = balanced)"
KEYS = ("TLT_13F_CALL_VALUE", "TLT_13F_PUT_VALUE", "TLT_13F_CALL_FILERS", "TLT_13F_PUT_FILERS")
TLT_CUSIP = "464287432"
BULLISH_SHARE = 0.55
BEARISH_SHARE = 0.45
PRICE_TOLERANCE = 0.5
RULE = (
    f"supports when calls are at least {BULLISH_SHARE:.0%} of TLT option notional in the latest "
    f"quarter and call notional rose on the quarter; contradicts when calls are at most "
    f"{BEARISH_SHARE:.0%}; neutral otherwise"
)


def _clean_rows(holdings: pd.DataFrame) -> pd.DataFrame:
    """TLT rows whose implied price is within 50% of the quarter's median implied price."""
    rows = holdings.copy()
    if "cusip" in rows.columns:
        rows = rows[rows["cusip"].astype(str).str.strip() == TLT_CUSIP]
    rows["period_end"] = pd.to_datetime(rows["period_end"])
    value = pd.to_numeric(rows["value_usd"], errors="coerce")
    shares = pd.to_numeric(rows["shares"], errors="coerce")
    implied = value / shares.where(shares > 0)
    median = implied.groupby(rows["period_end"]).transform("median")
    ok = (implied / median - 1.0).abs() <= PRICE_TOLERANCE
    if "price_ok" in rows.columns:
        ok &= rows["price_ok"].fillna(False).astype(bool)
    return rows[ok.fillna(False).to_numpy()].assign(value_usd=value)


def quarterly_options(holdings: pd.DataFrame) -> pd.DataFrame:
    """Per quarter end: ``call_value``, ``put_value`` (USD), ``call_filers``, ``put_filers``.

    Example: two filers with calls of $60M and $20M and one with puts of $40M give call value
    $80M, put value $40M, 2 call filers, call share 80/120 = 0.667.
    """
    if holdings.empty:
        return pd.DataFrame()
    rows = _clean_rows(holdings)
    out = {}
    for side in ("Call", "Put"):
        part = rows[rows["putcall"].astype(str).str.strip().str.title() == side]
        grouped = part.groupby("period_end")
        out[f"{side.lower()}_value"] = grouped["value_usd"].sum()
        out[f"{side.lower()}_filers"] = grouped["cik"].nunique().astype("float64")
    frame = pd.DataFrame(out).sort_index()
    frame[["call_value", "put_value"]] = frame[["call_value", "put_value"]].fillna(0.0)
    frame[["call_filers", "put_filers"]] = frame[["call_filers", "put_filers"]].fillna(0.0)
    frame.index.name = "date"
    return frame


def _from_series(data: PillarData) -> pd.DataFrame:
    columns = {
        "call_value": "TLT_13F_CALL_VALUE",
        "put_value": "TLT_13F_PUT_VALUE",
        "call_filers": "TLT_13F_CALL_FILERS",
        "put_filers": "TLT_13F_PUT_FILERS",
    }
    frame = pd.DataFrame({name: data.series(key) for name, key in columns.items()})
    return frame.fillna(0.0).sort_index()


def read_smart_money(data: PillarData, as_of: date | None = None) -> PillarReading:
    """Calls' share of TLT option notional in 13F filings, quarterly."""
    data = prepare(data, as_of)
    from_table = not data.holdings_13f.empty
    options = quarterly_options(data.holdings_13f) if from_table else _from_series(data)
    if options.empty or (options["call_value"] + options["put_value"]).eq(0).all():
        return no_data_reading(NAME, TITLE, UNIT, RULE, KEYS, "no TLT option rows in 13F data")
    total = options["call_value"] + options["put_value"]
    share = (options["call_value"] / total.where(total > 0)).dropna()
    latest = options.loc[share.index[-1]]
    # The quarter before, by the calendar: a quarter with no filings leaves no change.
    prior_quarter = pd.Timestamp(share.index[-1]).to_period("Q") - 1
    earlier = [d for d in options.index if pd.Timestamp(d).to_period("Q") == prior_quarter]
    previous = options.loc[earlier[-1]] if earlier else None
    call_change = None if previous is None else float(latest["call_value"] - previous["call_value"])
    latest_share = float(share.iloc[-1])
    if latest_share >= BULLISH_SHARE and (call_change is None or call_change > 0):
        verdict = Verdict.SUPPORTS
    elif latest_share <= BEARISH_SHARE:
        verdict = Verdict.CONTRADICTS
    else:
        verdict = Verdict.NEUTRAL
    details: dict[str, float | str | None] = {
        "call_value_usd": float(latest["call_value"]),
        "put_value_usd": float(latest["put_value"]),
        "call_filers": float(latest["call_filers"]),
        "put_filers": float(latest["put_filers"]),
        "call_value_change_usd": call_change,
        "call_filers_change": None
        if previous is None
        else float(latest["call_filers"] - previous["call_filers"]),
        "quarters": float(len(share)),
    }
    if from_table:
        details["largest_call_holders"] = _largest(data.holdings_13f, share.index[-1], "Call")
        details["largest_put_holders"] = _largest(data.holdings_13f, share.index[-1], "Put")
    quarter_end = pd.Timestamp(share.index[-1])
    notes: list[str | None] = [
        staleness_note("TLT_13F_CALL_VALUE", quarter_end, data.reference_date),
        f"only {len(share)} quarters of 13F option data; filer coverage varies by quarter"
        if len(share) < 20
        else None,
        "option notionals show exposure, not direction: calls may hedge shorts, and market makers "
        "(Susquehanna, Jane Street, Citadel) hold most of them",
        f"calls {decimal_percent(latest_share)} of notional at {quarter_end.date()}",
    ]
    trigger = (share >= BULLISH_SHARE) & (
        change(options["call_value"], 1, freq="Q", kind="difference").reindex(share.index) > 0
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
        trigger=trigger,
        details=details,
        notes=notes,
    )


def _largest(holdings: pd.DataFrame, quarter: pd.Timestamp, side: str, n: int = 5) -> str:
    rows = _clean_rows(holdings)
    part = rows[
        (rows["period_end"] == quarter)
        & (rows["putcall"].astype(str).str.strip().str.title() == side)
    ]
    top = part.groupby("filer_name")["value_usd"].sum().sort_values(ascending=False).head(n)
    return "; ".join(f"{name} ${value / 1e9:.2f}bn" for name, value in top.items())
