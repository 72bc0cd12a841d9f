"""What defines a Monte Carlo run: the yield-shock model, the funds, stocks, the held mix.

Plain frozen dataclasses that check their arguments; no numba, no Dask. The same spec and seed
give the same numbers, bit for bit (see :mod:`bondthesis.scenarios.montecarlo`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from bondthesis.funds.terms import (
    TLT_EXPENSE_RATIO,
    TMF_EXPENSE_RATIO,
    TMF_FINANCING_SPREAD,
    TMF_LEVERAGE,
)
from bondthesis.scenarios.bootstrap import BootstrapHistory
from bondthesis.scenarios.position import PositionWeights
from bondthesis.units import check_decimal_rate

__all__ = [
    "BLOCK_PATHS",
    "TRADING_DAYS",
    "BlockBootstrap",
    "LeveragedFund",
    "MonteCarloSpec",
    "NormalShocks",
    "Shocks",
    "StockModel",
    "StudentTShocks",
    "TreasuryFund",
]

BLOCK_PATHS = 4096
"""Paths per random stream. Part of the definition of a seed's numbers: do not change lightly."""

TRADING_DAYS = 252.0


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _finite(value: float, name: str) -> None:
    _check(math.isfinite(value), f"{name} must be a finite number, got {value!r}")


@dataclass(frozen=True)
class NormalShocks:
    """Daily yield changes ~ Normal(0, daily_vol²).

    ``daily_vol`` is decimal per day; the default 0.00055 (5.5bp) is about the standard deviation
    of DGS30's daily changes in 2022-2026 (5.6bp; 5.2bp over 1977-2026), i.e. ~87bp a year.
    """

    daily_vol: float = 0.00055

    def __post_init__(self) -> None:
        _finite(self.daily_vol, "daily_vol")
        _check(self.daily_vol >= 0.0, "daily_vol must be >= 0 (a decimal, 0.0008 is 8bp a day)")


@dataclass(frozen=True)
class StudentTShocks:
    """Daily yield changes ~ Student-t with ``degrees_of_freedom``, scaled to std ``daily_vol``.

    Fat tails at the same volatility: with 4 degrees of freedom a 5-sigma day is ~70 times more
    likely than under the normal.
    """

    daily_vol: float = 0.00055
    degrees_of_freedom: float = 4.0

    def __post_init__(self) -> None:
        _finite(self.daily_vol, "daily_vol")
        _check(self.daily_vol >= 0.0, "daily_vol must be >= 0 (a decimal, 0.0008 is 8bp a day)")
        _check(
            math.isfinite(self.degrees_of_freedom) and self.degrees_of_freedom > 2.0,
            "degrees_of_freedom must be > 2 (the variance is infinite at 2 or below), e.g. 4",
        )


@dataclass(frozen=True)
class BlockBootstrap:
    """Blocks of ``block_days`` consecutive historical days, drawn with replacement.

    A drawn day brings its long-yield change, short-rate change and (when the history has it)
    stock return together, so their joint behaviour on that day is kept. ``demean=True`` removes
    the sample's average yield and short-rate changes (the 1990-2025 sample drifted ~-0.4bp a day,
    ~-1% a year); the drift toward a target then comes only from ``target_yield``.
    """

    history: BootstrapHistory
    block_days: int = 21
    demean: bool = True

    def __post_init__(self) -> None:
        _check(
            1 <= self.block_days <= self.history.n_days,
            f"block_days must be between 1 and the {self.history.n_days} days of history",
        )


@dataclass(frozen=True)
class TreasuryFund:
    """A TLT-like fund as one equivalent bond: duration, convexity and carry at the path's yield.

    Defaults: effective duration 16.5 years at a 4.7% yield (the article: ~15.5-16.5; a 3% coupon,
    26-year bond at 4.7% has 16.4 years), convexity 350 years² (that bond: 362; a 25-year par bond
    at 4.7%: 297), expense ratio 0.15%. When ``duration_follows_yield`` the duration moves with the
    yield by its exact local slope dD/dy = D² - C (16.5² - 350 = -77.75: -0.78 years per +100bp);
    when ``carry_follows_yield`` the carry is the current yield, else ``reference_yield``.
    """

    duration_years: float = 16.5
    convexity_years2: float = 350.0
    reference_yield: float = 0.047
    duration_follows_yield: bool = True
    carry_follows_yield: bool = True
    expense_ratio: float = TLT_EXPENSE_RATIO

    def __post_init__(self) -> None:
        for name in ("duration_years", "convexity_years2", "reference_yield", "expense_ratio"):
            _finite(getattr(self, name), name)
        check_decimal_rate(self.reference_yield, "reference_yield")
        check_decimal_rate(self.expense_ratio, "expense_ratio")
        _check(self.duration_years >= 0.0, "duration_years must be >= 0, e.g. 16.5")
        _check(self.convexity_years2 >= 0.0, "convexity_years2 must be >= 0, e.g. 350")


@dataclass(frozen=True)
class LeveragedFund:
    """A TMF-like daily-reset fund on the TLT-like index: leverage, fee, financing spread.

    Borrowing ``leverage - 1`` times the assets costs the short rate plus ``financing_spread`` a
    year (swap financing; by default :data:`~bondthesis.funds.terms.TMF_FINANCING_SPREAD`,
    0.47%, fitted to the real TMF); the fee is 0.91% a year (TMF's expense ratio). A day's value
    is floored at 0 (a -33% index day wipes out a 3x fund).
    """

    leverage: float = TMF_LEVERAGE
    expense_ratio: float = TMF_EXPENSE_RATIO
    financing_spread: float = TMF_FINANCING_SPREAD

    def __post_init__(self) -> None:
        for name in ("leverage", "expense_ratio", "financing_spread"):
            _finite(getattr(self, name), name)
        check_decimal_rate(self.expense_ratio, "expense_ratio")
        check_decimal_rate(self.financing_spread, "financing_spread")
        _check(self.leverage >= 1.0, "leverage must be >= 1 (3 for TMF)")


@dataclass(frozen=True)
class StockModel:
    """Stocks: normal daily simple returns with a stated correlation to the yield shock.

    Defaults: 7% a year expected, 18% volatility (SPY 1993-2026: 18.4%), correlation +0.17 with
    the daily yield change (SPY returns vs DGS30 changes: +0.17 over 1993-2026, +0.33 in
    2000-2021, -0.08 in 2022-2026). A positive value means stocks fall when yields fall, which is
    the recession case the thesis bets on; set it to the regime you believe in.
    """

    annual_return: float = 0.07
    annual_vol: float = 0.18
    correlation_with_yield_changes: float = 0.17

    def __post_init__(self) -> None:
        for name in ("annual_return", "annual_vol", "correlation_with_yield_changes"):
            _finite(getattr(self, name), name)
        check_decimal_rate(self.annual_return, "stock_return")
        check_decimal_rate(self.annual_vol, "stock_vol", allow_negative=False)
        _check(
            -1.0 <= self.correlation_with_yield_changes <= 1.0,
            "correlation_with_yield_changes must be between -1 and 1",
        )


Shocks = NormalShocks | StudentTShocks | BlockBootstrap


@dataclass(frozen=True)
class MonteCarloSpec:
    """Everything that defines a run; the same spec and seed give the same numbers, bit for bit.

    Parameters
    ----------
    n_paths, horizon_days : int
        Number of paths (>= 1) and trading days per path (>= 1).
    shocks : NormalShocks, StudentTShocks or BlockBootstrap
        The daily yield-change model.
    start_yield : float
        Long yield on day 0, decimal (0.047).
    target_yield : float or None
        When set, each day the yield also moves ``reversion_per_year/252 * (target - y)``: the
        expected gap to the target shrinks by ~63% a year at ``reversion_per_year=1``.
    cash_rate, cash_target, cash_reversion_per_year
        The short-rate path (decimal): starts at ``cash_rate`` and, if ``cash_target`` is set,
        drifts toward it the same way; the bootstrap adds the historical short-rate changes. It is
        floored at 0 and finances TMF's borrowing and pays the cash sleeve.
    tlt, tmf, weights
        The funds and the held mix.
    stocks : StockModel or None
        The stock model every path is compared with (P(beats stocks)) and that the mix may
        hold. ``None`` leaves stocks out: no stock stream is drawn, no outcome says whether it
        beat stocks, and the mix must hold none. Every other number is the same bit for bit
        (stocks have their own random stream). A bootstrap still replays its history's stock
        returns, as it draws none.
    seed : int
        Root of the numpy SeedSequence tree (>= 0).
    """

    n_paths: int
    horizon_days: int = 252
    shocks: Shocks = field(default_factory=NormalShocks)
    start_yield: float = 0.047
    target_yield: float | None = None
    reversion_per_year: float = 1.0
    cash_rate: float = 0.037
    cash_target: float | None = None
    cash_reversion_per_year: float = 1.0
    tlt: TreasuryFund = field(default_factory=TreasuryFund)
    tmf: LeveragedFund = field(default_factory=LeveragedFund)
    stocks: StockModel | None = field(default_factory=StockModel)
    weights: PositionWeights = field(default_factory=PositionWeights)
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("n_paths", "horizon_days", "seed"):
            value = getattr(self, name)
            _check(
                isinstance(value, int | np.integer) and not isinstance(value, bool),
                f"{name} must be an integer, got {value!r}",
            )
        _check(self.n_paths >= 1, f"n_paths must be >= 1, got {self.n_paths}")
        _check(self.horizon_days >= 1, f"horizon_days must be >= 1, got {self.horizon_days}")
        _check(self.seed >= 0, f"seed must be >= 0, got {self.seed}")
        for name in ("start_yield", "reversion_per_year", "cash_rate", "cash_reversion_per_year"):
            _finite(getattr(self, name), name)
        for name in ("target_yield", "cash_target"):
            value = getattr(self, name)
            if value is not None:
                _finite(value, name)
        _check(
            0.0 <= self.reversion_per_year <= TRADING_DAYS
            and 0.0 <= self.cash_reversion_per_year <= TRADING_DAYS,
            "reversion speeds must be between 0 and 252 a year (1.0 closes ~63% of the gap a year)",
        )
        check_decimal_rate(self.cash_rate, "cash_rate", allow_negative=False)
        check_decimal_rate(self.start_yield, "start_yield")
        for name in ("target_yield", "cash_target"):
            value = getattr(self, name)
            if value is not None:
                check_decimal_rate(value, name)
        _check(
            self.stocks is not None or self.weights.stocks == 0.0,
            "a mix that holds stocks needs a stock model: pass stocks=StockModel(...)",
        )
