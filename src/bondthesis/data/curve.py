"""The curve and the ladder a scenario starts from, read out of the store.

:func:`read_curve` finds the last date on which FRED's 10, 20 and 30-year yields were all
published (percent in the store, decimals here: the conversion happens once, in this module) and
the 3-month bill on or before it; :func:`build_ladder` builds the TLT-like ladder the scenario
holds on that date. Not pure: both read the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from bondthesis.data.store import Store
from bondthesis.errors import BondThesisError, CacheMiss
from bondthesis.scenarios.ladder_inputs import (
    LadderHoldings,
    YieldCurve,
    coupons_at_issue,
    representative_ladder,
)

__all__ = [
    "CASH_KEY",
    "CURVE_KEYS",
    "CURVE_YEARS",
    "LADDERS",
    "CurveReading",
    "build_ladder",
    "read_curve",
    "simulated_holdings",
]

CURVE_KEYS = ("DGS10", "DGS20", "DGS30")
CASH_KEY = "DGS3MO"
CURVE_YEARS = (10.0, 20.0, 30.0)
LADDERS = ("simulated", "rebuilt", "par")
LADDER_HISTORY_YEARS = 11  # bonds with 20+ years left were issued in the last 10 years


@dataclass(frozen=True)
class CurveReading:
    """The curve the scenario starts from, with where each number came from."""

    as_of: date
    curve: YieldCurve
    cash_rate: float
    cash_date: date
    history: pd.DataFrame  # DGS10/20/30 in percent, as published, up to ``as_of``
    note: str


def read_curve(store: Store, as_of: date | None = None) -> CurveReading:
    """The last date on or before ``as_of`` where DGS10, DGS20 and DGS30 all have a value.

    Raises
    ------
    CacheMiss
        No such date, or no DGS3MO on or before it; the message says what to refresh.
    """
    panel = store.read_panel([*CURVE_KEYS, CASH_KEY])
    if as_of is not None:
        panel = panel.loc[: pd.Timestamp(as_of)]
    complete = panel[list(CURVE_KEYS)].dropna()
    if complete.empty:
        raise CacheMiss(
            "no date has DGS10, DGS20 and DGS30 together"
            + (f" on or before {as_of}" if as_of else "")
            + "; run `bondthesis refresh --only DGS10 --only DGS20 --only DGS30 --only DGS3MO`"
        )
    day = complete.index[-1]
    cash = panel[CASH_KEY].loc[:day].dropna()
    if cash.empty:
        raise CacheMiss(
            f"DGS3MO has no value on or before {day.date()}; run `bondthesis refresh --only DGS3MO`"
        )
    latest = {key: panel[key].dropna().index[-1] for key in CURVE_KEYS}
    note = ""
    if max(latest.values()) > day:
        ends = ", ".join(f"{key} ends {when.date()}" for key, when in latest.items())
        note = f"{ends}; the curve is that of {day.date()}, the last date all three were published"
    levels = complete.loc[day].to_numpy(dtype=float) / 100.0
    return CurveReading(
        as_of=day.date(),
        curve=YieldCurve(CURVE_YEARS, levels),
        cash_rate=float(cash.iloc[-1]) / 100.0,
        cash_date=cash.index[-1].date(),
        history=panel[list(CURVE_KEYS)].loc[:day],
        note=note,
    )


def simulated_holdings(store: Store, reading: CurveReading) -> LadderHoldings:
    """The holdings of :meth:`TreasuryLadder.tlt_like` on the curve's date."""
    from bondthesis.bonds.curve import build_par_curve  # numba loads on use, not on import
    from bondthesis.bonds.ladder import TreasuryLadder, long_bond_issuance

    day = pd.Timestamp(reading.as_of)
    recent = reading.history.loc[day - pd.DateOffset(years=LADDER_HISTORY_YEARS) :]
    curve = build_par_curve({key: recent[key].dropna() for key in CURVE_KEYS})
    try:
        auctions = store.read_table("auctions")
    except BondThesisError:
        auctions = pd.DataFrame()
    issuance = long_bond_issuance(auctions) if not auctions.empty else None
    frame = TreasuryLadder.tlt_like().run(curve, issuance).holdings(day)
    return LadderHoldings(
        coupon=frame["coupon"].to_numpy(dtype=float),
        years_to_maturity=frame["years_to_maturity"].to_numpy(dtype=float),
        face=frame["face"].to_numpy(dtype=float),
    )


def build_ladder(store: Store, reading: CurveReading, kind: str) -> tuple[LadderHoldings, str]:
    """The ladder the scenario holds (``simulated``, ``rebuilt`` or ``par``) and how it was built.

    Raises
    ------
    ValueError
        ``kind`` is not one of :data:`LADDERS`.
    """
    if kind not in LADDERS:
        raise ValueError(f"ladder must be one of {', '.join(LADDERS)}; got {kind!r}")
    if kind == "simulated":
        ladder = simulated_holdings(store, reading)
        return ladder, (
            f"TLT-like ladder of bondthesis.bonds.ladder (TreasuryLadder.tlt_like): "
            f"{ladder.n_bonds} simulated 30-year issues with more than 20 years left, "
            "coupon = 30-year par yield at issue, face by issuance"
        )
    if kind == "par":
        return (
            representative_ladder(reading.curve),
            "representative TLT-like ladder: 41 bonds, 20-30 years left (one a quarter), "
            "equal face, par coupons",
        )
    years = representative_ladder(reading.curve).years_to_maturity
    coupons = coupons_at_issue(years, pd.Timestamp(reading.as_of), reading.history["DGS30"])
    return (
        representative_ladder(reading.curve, coupons=coupons),
        "representative TLT-like ladder: 41 bonds, 20-30 years left (one a quarter), equal "
        "face, coupons = DGS30 on each bond's issue date rounded down to 1/8%",
    )
