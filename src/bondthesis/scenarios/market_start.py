"""Where a Monte Carlo starts: the store's latest TLT-like ladder and bill rate, dated.

The Monte Carlo once started from fixed constants (4.70%, duration 16.5) while the store said
5.09% and the ladder's duration was 15.4. :func:`market_start` reads the store's curve, builds
the TLT-like ladder of :mod:`bondthesis.bonds.ladder` on it and takes, on its last priced day,
the ladder's market-value-weighted yield, effective duration and convexity, and the bill rate
that finances TMF and pays cash (DGS1MO, else DGS3MO, else TB3MS).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from bondthesis.data.store import Store
from bondthesis.errors import CacheMiss
from bondthesis.funds.history import FundInputs, load_fund_inputs
from bondthesis.serialize import Serializable

__all__ = ["MarketStart", "market_start", "market_start_from_inputs"]


@dataclass(frozen=True)
class MarketStart(Serializable):
    """The starting point of a simulation, each figure with its date.

    Attributes
    ----------
    as_of : date
        The ladder's last priced day on or before the date asked for.
    start_yield : float
        The ladder's market-value-weighted yield to maturity, decimal.
    duration_years, convexity_years2 : float
        The ladder's effective duration and convexity (±10bp repricing).
    cash_rate : float
        The bill rate on ``cash_date``, decimal.
    cash_date : date
    source : str
        Where the numbers came from, in words.
    """

    as_of: date
    start_yield: float
    duration_years: float
    convexity_years2: float
    cash_rate: float
    cash_date: date
    source: str


def market_start_from_inputs(inputs: FundInputs, as_of: date | None = None) -> MarketStart:
    """The ladder's yield, duration and convexity and the bill rate on ``as_of`` (or latest)."""
    history = inputs.ladder()
    dates = pd.DatetimeIndex(history.index.index)
    cutoff = dates[-1] if as_of is None else pd.Timestamp(as_of)
    priced = dates[dates <= cutoff]
    if priced.empty:
        raise CacheMiss(f"the ladder has no priced day on or before {cutoff.date()}")
    day = priced[-1]
    cash = inputs.cash_rate.dropna()
    cash = cash[cash.index <= day]
    if cash.empty:
        raise CacheMiss(f"no bill rate on or before {day.date()}; run `bondthesis refresh`")
    return MarketStart(
        as_of=day.date(),
        start_yield=history.ladder_yield(day),
        duration_years=history.effective_duration(day),
        convexity_years2=history.effective_convexity(day),
        cash_rate=float(cash.iloc[-1]),
        cash_date=pd.Timestamp(cash.index[-1]).date(),
        source=(
            "the store's TLT-like ladder (bondthesis.bonds.ladder) on its last priced day: "
            "yield, effective duration and convexity; bill rate DGS1MO (DGS3MO, TB3MS before)"
        ),
    )


def market_start(store: Store, as_of: date | None = None) -> MarketStart:
    """:func:`market_start_from_inputs` on the store's data (CacheMiss when it lacks them).

    Cached (:mod:`bondthesis.data.cache`) by what the store holds for every series and table
    the fund inputs read: building the ladder is most of a warm ``bondthesis montecarlo``.
    """
    from bondthesis.bonds.curve import DAILY_KEYS, MONTHLY_KEYS
    from bondthesis.data.cache import cached_result
    from bondthesis.data.datasets import store_state
    from bondthesis.funds.history import CASH_KEYS, PRICE_KEYS

    keys = list(dict.fromkeys((*DAILY_KEYS, *MONTHLY_KEYS, *CASH_KEYS, *PRICE_KEYS)))
    return cached_result(
        "market_start",
        (store_state(store, keys), as_of),
        lambda: market_start_from_inputs(load_fund_inputs(store), as_of),
    )


# Used only when the store holds no curve: the article's figures, said so in the output.
FALLBACK = {
    "start_yield": 0.047,
    "duration_years": 16.5,
    "convexity_years2": 350.0,
    "cash_rate": 0.037,
}


@dataclass(frozen=True)
class StartingPoint(Serializable):
    """The figures a run starts from and where each came from (``store``, ``option``, ``fixed``)."""

    start_yield: float
    duration_years: float
    convexity_years2: float
    cash_rate: float
    origins: dict[str, str]
    market: MarketStart | None
    description: str


def starting_point(
    market: MarketStart | None,
    *,
    start_yield: float | None = None,
    duration_years: float | None = None,
    convexity_years2: float | None = None,
    cash_rate: float | None = None,
) -> StartingPoint:
    """Options given win; the rest come from ``market`` (the store), else :data:`FALLBACK`."""
    given = {
        "start_yield": start_yield,
        "duration_years": duration_years,
        "convexity_years2": convexity_years2,
        "cash_rate": cash_rate,
    }
    values: dict[str, float] = {}
    origins: dict[str, str] = {}
    for name, value in given.items():
        if value is not None:
            values[name], origins[name] = float(value), "option"
        elif market is not None:
            values[name], origins[name] = float(getattr(market, name)), "store"
        else:
            values[name], origins[name] = FALLBACK[name], "fixed"
    parts = [
        f"yield {values['start_yield']:.2%} ({origins['start_yield']})",
        f"duration {values['duration_years']:.1f} ({origins['duration_years']})",
        f"convexity {values['convexity_years2']:.0f} ({origins['convexity_years2']})",
        f"bill rate {values['cash_rate']:.2%} ({origins['cash_rate']})",
    ]
    if market is not None and "store" in origins.values():
        where = (
            f"from the store's TLT-like ladder on {market.as_of} (bill rate of {market.cash_date})"
        )
    elif "fixed" in origins.values():
        where = "no curve in the store: fixed defaults where no option was given"
    else:
        where = "all from the options given"
    return StartingPoint(
        start_yield=values["start_yield"],
        duration_years=values["duration_years"],
        convexity_years2=values["convexity_years2"],
        cash_rate=values["cash_rate"],
        origins=origins,
        market=market,
        description=f"start: {', '.join(parts)}; {where}",
    )
