"""One Treasury's price and risk from its yield: the ``bond`` task of the front door."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bondthesis.serialize import Serializable

__all__ = ["BondQuote", "bond", "default_settlement"]

Convention = Literal["street", "treasury"]


def default_settlement(today: date) -> date:
    """T+1: the next weekday after ``today`` (US holidays are not skipped).

    >>> default_settlement(date(2026, 11, 27)).isoformat()  # a Friday
    '2026-11-30'
    """
    settlement = today + timedelta(days=1)
    while settlement.weekday() >= 5:
        settlement += timedelta(days=1)
    return settlement


@dataclass(frozen=True)
class BondQuote(Serializable):
    """Prices per 100 face, durations in years, convexity in years², DV01 per 100 per 1bp."""

    coupon: float
    maturity: date
    ytm: float
    settlement: date
    convention: Convention
    clean_price: float
    dirty_price: float
    accrued: float
    macaulay_duration: float
    modified_duration: float
    convexity: float
    dv01: float


def _check_rate(value: float, name: str, example: str) -> None:
    if not math.isfinite(value):
        raise ValueError(f"{name} {value!r} is not a finite number; pass a decimal, e.g. {example}")
    if value >= 1.0:
        raise ValueError(
            f"{name} {value:g} looks like a percent; rates are decimals, "
            f"e.g. {value / 100:g} for {value:g}%"
        )
    if value <= -1.0:
        raise ValueError(f"{name} {value:g} is below -100%; pass a decimal such as {example}")


def bond(
    coupon: float,
    maturity: date,
    ytm: float,
    settlement: date | None = None,
    convention: Convention = "street",
) -> BondQuote:
    """Clean and dirty price, accrued interest, durations, convexity and DV01 of a Treasury.

    ``coupon`` and ``ytm`` are decimals (0.045 is 4.5%); ``settlement`` defaults to the next
    weekday after today; ``convention`` is ``street`` (market quotes) or ``treasury``
    (31 CFR 356 App. B, auctions).

    >>> q = bond(0.045, date(2055, 11, 15), 0.048, settlement=date(2026, 1, 2))
    >>> round(q.clean_price, 4), round(q.modified_duration, 2)
    (95.2605, 15.9)

    Raises
    ------
    ValueError
        A rate that looks like a percent, a negative coupon, a maturity not after settlement or
        an unknown convention.
    """
    from bondthesis import bonds

    _check_rate(coupon, "coupon", "0.045")
    if coupon < 0.0:
        raise ValueError(f"coupon {coupon:g} is negative; pass the annual rate as a decimal")
    _check_rate(ytm, "ytm", "0.048")
    if convention not in ("street", "treasury"):
        raise ValueError(f"convention {convention!r} is unknown; use street or treasury")
    when = settlement if settlement is not None else default_settlement(date.today())
    if when >= maturity:
        raise ValueError(f"maturity {maturity} is not after settlement {when}")
    terms = (coupon, maturity, ytm, when)
    return BondQuote(
        coupon=coupon,
        maturity=maturity,
        ytm=ytm,
        settlement=when,
        convention=convention,
        clean_price=float(bonds.clean_price(*terms, convention=convention)),
        dirty_price=float(bonds.dirty_price(*terms, convention=convention)),
        accrued=float(bonds.accrued_interest(coupon, maturity, when)),
        macaulay_duration=float(bonds.macaulay_duration(*terms, convention=convention)),
        modified_duration=float(bonds.modified_duration(*terms, convention=convention)),
        convexity=float(bonds.convexity(*terms, convention=convention)),
        dv01=float(bonds.dv01(*terms, convention=convention)),
    )
