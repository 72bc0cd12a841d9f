"""TLT-like yield, effective duration and yield-shift returns from the Treasury's own bonds.

Used by the claims ledger (claims 9 and 10). The ladder is the set of nominal Treasury bonds that
were outstanding on the date with more than 20 years to maturity (TLT tracks the ICE US Treasury
20+ Year index), each with its real coupon and maturity from the auctions table and its face value
summed over the original auction and reopenings; each is priced at the constant-maturity yield
interpolated at its remaining term (linear between the 20- and 30-year yields, flat beyond), and
weighted by market value. Price changes under parallel shifts are exact repricings, so convexity
is included; they are price-only (no coupon income, no roll-down).

Pure: tables and numbers in, a dataclass out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from bondthesis.bonds import dirty_price_from_years, effective_duration_from_years

__all__ = ["DEFAULT_SHIFTS_BP", "LadderRisk", "auction_ladder_risk"]

DEFAULT_SHIFTS_BP: tuple[int, ...] = (-200, -150, -100, 100)
MIN_YEARS_TO_MATURITY = 20.0


@dataclass(frozen=True)
class LadderRisk:
    """A long-Treasury ladder's yield, duration and repricing on one date.

    Parameters
    ----------
    on : date
    yield_to_maturity : float
        Market-value-weighted yield, decimal (0.047).
    effective_duration_years : float
        Market-value-weighted effective duration (±10bp repricing).
    price_change_by_shift_bp : dict of int to float
        Decimal price-only return for each parallel shift in basis points (``-100: 0.17``).
    n_bonds : int
    source : str
        How the ladder was built, in words.
    """

    on: date
    yield_to_maturity: float
    effective_duration_years: float
    price_change_by_shift_bp: dict[int, float] = field(default_factory=dict)
    n_bonds: int = 0
    source: str = ""
    # A year's coupons over the ladder's market value (decimal): the income, which is less
    # than the yield to maturity when the bonds trade below par (the rest is pull to par).
    current_yield: float | None = None


def _bond_universe(auctions: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    table = auctions.copy()
    table["issue_date"] = pd.to_datetime(table["issue_date"])
    table["maturity_date"] = pd.to_datetime(table["maturity_date"])
    nominal = ~table["tips"].fillna(False).astype(bool) & ~table["frn"].fillna(False).astype(bool)
    issued = table["issue_date"] <= on
    long_left = table["maturity_date"] > on + pd.DateOffset(years=int(MIN_YEARS_TO_MATURITY))
    bonds = table[nominal & issued & long_left & table["int_rate"].notna()]
    if bonds.empty:
        return pd.DataFrame(columns=["coupon", "maturity_date", "face"])
    grouped = bonds.groupby("cusip")
    return pd.DataFrame(
        {
            "coupon": grouped["int_rate"].first() / 100.0,
            "maturity_date": grouped["maturity_date"].first(),
            "face": grouped["offering_amt"].sum(),
        }
    )


def auction_ladder_risk(
    auctions: pd.DataFrame,
    yield_20y: float,
    yield_30y: float,
    on: date,
    shifts_bp: Sequence[int] = DEFAULT_SHIFTS_BP,
) -> LadderRisk | None:
    """The 20+ year ladder on ``on`` from the auctions table, priced off the CMT curve.

    Parameters
    ----------
    auctions : DataFrame in the store's ``auctions`` layout
        Needs ``cusip, issue_date, maturity_date, int_rate, offering_amt, tips, frn``.
    yield_20y, yield_30y : float
        Constant-maturity yields on ``on``, decimals.
    on : date
    shifts_bp : sequence of int

    Returns
    -------
    LadderRisk, or None when no bond qualifies (e.g. a date before the table starts).

    Examples
    --------
    On 2026-01-30 (20-year 4.82%, 30-year 4.87%) the snapshot's auctions give 40 bonds, a yield
    of 4.85% and an effective duration of 15.7 years; a 100bp fall adds 17.6% to their price.
    """
    stamp = pd.Timestamp(on)
    universe = _bond_universe(auctions, stamp)
    if universe.empty:
        return None
    years = ((universe["maturity_date"] - stamp).dt.days / 365.25).to_numpy(dtype="float64")
    weight_30 = np.clip((years - 20.0) / 10.0, 0.0, 1.0)
    ytm = (1.0 - weight_30) * yield_20y + weight_30 * yield_30y
    coupon = universe["coupon"].to_numpy(dtype="float64")
    face = universe["face"].to_numpy(dtype="float64")
    price = np.asarray(dirty_price_from_years(coupon, years, ytm), dtype="float64")
    market_value = face * price / 100.0
    weights = market_value / market_value.sum()
    duration = np.asarray(effective_duration_from_years(coupon, years, ytm), dtype="float64")
    changes: dict[int, float] = {}
    for shift in shifts_bp:
        shifted = np.asarray(
            dirty_price_from_years(coupon, years, ytm + shift / 10_000.0), dtype="float64"
        )
        changes[int(shift)] = float(np.sum(face * shifted / 100.0) / market_value.sum() - 1.0)
    return LadderRisk(
        on=on,
        yield_to_maturity=float(weights @ ytm),
        effective_duration_years=float(weights @ duration),
        price_change_by_shift_bp=changes,
        n_bonds=len(universe),
        current_yield=float(np.sum(face * coupon * 100.0) / np.sum(face * price)),
        source=(
            "market-value-weighted ladder of the nominal Treasury bonds with 20+ years left "
            "(auctions table), priced at the CMT yield interpolated between 20y and 30y"
        ),
    )
