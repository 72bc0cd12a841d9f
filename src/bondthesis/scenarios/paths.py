"""Yield paths through a horizon, the ladder along them, TMF's daily reset, and the position.

Pure: numpy and :mod:`bondthesis.bonds` only. A path is the curve shock on each trading day
(``n_days + 1`` points from 0). The ladder is repriced in full on every day of the path (the
bonds age ``horizon_years / n_days`` a day; coupons are kept as cash), which gives a daily index
return ``r_t``. A daily-reset fund with leverage ``L`` then earns each day

    ``L r_t - (L - 1) (cash rate + financing spread) dt - expense ratio dt``

(floored at -100%), so a 3x fund's result depends on the path, not only on where yields end:
:func:`tmf_path_dependence` shows the same end yield reached calmly and through volatility.
TLT is the same fund with ``L = 1`` and its own expense ratio.

A linear path with no noise ends exactly where :func:`~bondthesis.scenarios.shocks.reprice_ladder`
does (the daily returns telescope), which the tests check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from bondthesis._typing import FloatArray
from bondthesis.bonds.pricing import dirty_price_from_years
from bondthesis.funds.terms import (
    TLT_EXPENSE_RATIO,
    TMF_EXPENSE_RATIO,
    TMF_FINANCING_SPREAD,
    TMF_LEVERAGE,
)
from bondthesis.scenarios.ladder_inputs import CurveShock, LadderHoldings, YieldCurve
from bondthesis.scenarios.position import PositionWeights
from bondthesis.scenarios.shocks import (
    LadderRisk,
    ReturnDecomposition,
    coupons_remaining,
    ladder_risk,
    reprice_ladder,
)
from bondthesis.units import check_decimal_rate

__all__ = [
    "TRADING_DAYS_PER_YEAR",
    "FundTerms",
    "InstrumentReturn",
    "PathDependenceRow",
    "PositionWeights",
    "ScenarioResult",
    "ShockPath",
    "bridge_path",
    "daily_reset_values",
    "index_values",
    "linear_path",
    "run_scenario",
    "tmf_path_dependence",
]

TRADING_DAYS_PER_YEAR = 252


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


@dataclass(frozen=True)
class ShockPath:
    """A curve shock day by day: ``parallel_bp`` and ``twist_bp`` of shape (n_days + 1,).

    Day 0 is the start (both 0); the ladder ages ``horizon_years / n_days`` years a day, and an
    instant shock is one day of zero length (``horizon_years = 0``).
    """

    parallel_bp: FloatArray
    twist_bp: FloatArray
    horizon_years: float

    def __post_init__(self) -> None:
        _check(
            self.parallel_bp.ndim == 1
            and self.parallel_bp.shape == self.twist_bp.shape
            and self.parallel_bp.size >= 2,
            "a path needs parallel_bp and twist_bp of the same length n_days + 1 >= 2",
        )
        _check(
            bool(self.parallel_bp[0] == 0.0 and self.twist_bp[0] == 0.0),
            "a path starts at 0bp on day 0",
        )
        _check(
            bool(np.isfinite(self.parallel_bp).all() and np.isfinite(self.twist_bp).all()),
            "a path must hold finite basis points",
        )
        _check(
            math.isfinite(self.horizon_years) and self.horizon_years >= 0.0,
            "horizon_years must be >= 0",
        )

    @property
    def n_days(self) -> int:
        return int(self.parallel_bp.size - 1)

    @property
    def day_years(self) -> float:
        """Length of one step in years (0 for an instant shock)."""
        return self.horizon_years / self.n_days


def _days_for(horizon_years: float) -> int:
    return max(1, round(horizon_years * TRADING_DAYS_PER_YEAR))


def linear_path(shock: CurveShock, horizon_years: float, n_days: int | None = None) -> ShockPath:
    """The shock spread evenly over the horizon's trading days (one step when instant).

    Examples
    --------
    >>> path = linear_path(CurveShock(-100.0), 1.0)
    >>> path.n_days, float(path.parallel_bp[126]), float(path.parallel_bp[-1])
    (252, -50.0, -100.0)
    """
    days = _days_for(horizon_years) if n_days is None else n_days
    _check(days >= 1, "n_days must be at least 1")
    fraction = np.arange(days + 1, dtype=np.float64) / days
    return ShockPath(fraction * shock.shift_bp, fraction * shock.twist_bp, float(horizon_years))


def bridge_path(
    shock: CurveShock,
    horizon_years: float,
    daily_vol_bp: float,
    *,
    seed: int | np.random.Generator,
    n_days: int | None = None,
) -> ShockPath:
    """The linear path plus a Brownian bridge: daily noise that nets to 0 by the horizon.

    ``daily_vol_bp`` is the standard deviation of the daily parallel noise (5.5bp is about the
    30-year yield's daily volatility since 2022). Same seed, same path; 0 gives the linear path.

    Examples
    --------
    >>> path = bridge_path(CurveShock(-100.0), 1.0, 6.0, seed=7)
    >>> float(path.parallel_bp[-1])
    -100.0
    """
    _check(math.isfinite(daily_vol_bp) and daily_vol_bp >= 0.0, "daily_vol_bp must be >= 0")
    calm = linear_path(shock, horizon_years, n_days)
    days = calm.n_days
    generator = np.random.default_rng(seed)
    walk = np.concatenate(([0.0], np.cumsum(generator.normal(0.0, daily_vol_bp, days))))
    bridge = walk - np.arange(days + 1) / days * walk[-1]
    bridge[-1] = 0.0
    return ShockPath(calm.parallel_bp + bridge, calm.twist_bp, calm.horizon_years)


def index_values(ladder: LadderHoldings, curve: YieldCurve, path: ShockPath) -> FloatArray:
    """The ladder's value on each day of ``path`` by full repricing, shape (n_days + 1,).

    Value is the face-weighted dirty price plus coupons paid so far, divided by the start
    value (so day 0 is 1.0). Bonds are held (no rebalancing).

    Examples
    --------
    >>> bond = LadderHoldings([0.048], [30.0], [1.0])
    >>> flat = YieldCurve((10.0, 30.0), (0.048, 0.048))
    >>> values = index_values(bond, flat, linear_path(CurveShock(0.0), 1.0))
    >>> round(float(values[-1]) - 1.0, 10)  # a par bond on a flat curve earns its yield
    0.048
    """
    f = ladder.frequency
    elapsed = np.arange(path.n_days + 1, dtype=np.float64)[:, None] * path.day_years
    years = ladder.years_to_maturity[None, :] - elapsed
    _check(
        bool((years > 0.0).all()),
        "the horizon reaches a bond's maturity; use a horizon shorter than the shortest bond",
    )
    change_bp = (
        path.parallel_bp[:, None] + path.twist_bp[:, None] * (years - 20.0) / 20.0
    )  # the same twist rule as CurveShock
    yields = curve.yield_at(years) + change_bp * 1e-4
    prices = dirty_price_from_years(ladder.coupon[None, :], years, yields, f)
    paid = coupons_remaining(ladder.years_to_maturity[None, :], f) - coupons_remaining(years, f)
    value = (prices + paid * 100.0 * ladder.coupon[None, :] / f) @ ladder.face
    return np.asarray(value / value[0], dtype=np.float64)


def daily_reset_values(
    index: FloatArray,
    *,
    leverage: float,
    day_years: float,
    financing_rate: float = 0.0,
    expense_ratio: float = 0.0,
) -> FloatArray:
    """A daily-reset fund's value on an index's path, shape of ``index``, starting at 1.0.

    Parameters
    ----------
    index : ndarray of shape (n_days + 1,)
        Index values (any start level).
    leverage : float
        Daily exposure, >= 0 (3 for TMF, 1 for an unleveraged fund).
    day_years : float
        Length of a day in years (1/252); financing and fees accrue over it.
    financing_rate : float
        Annual rate paid on the borrowed ``leverage - 1`` (cash rate plus spread), decimal.
    expense_ratio : float
        Annual fee, decimal.

    Examples
    --------
    Index +10% then -10%: the index ends at 0.99, a 3x fund at 1.3 * 0.7 = 0.91.

    >>> values = daily_reset_values(np.array([1.0, 1.1, 0.99]), leverage=3.0, day_years=0.0)
    >>> [round(float(v), 6) for v in values]
    [1.0, 1.3, 0.91]
    """
    _check(math.isfinite(leverage) and leverage >= 0.0, "leverage must be >= 0 (3 for TMF)")
    returns = np.diff(index) / index[:-1]
    cost = ((leverage - 1.0) * financing_rate + expense_ratio) * day_years
    daily = np.maximum(leverage * returns - cost, -1.0)
    return np.concatenate(([1.0], np.cumprod(1.0 + daily)))


@dataclass(frozen=True)
class FundTerms:
    """Fees, leverage and financing of the two funds (annual decimals).

    Defaults: TLT's expense ratio 0.15%; TMF 3x daily with a 0.91% expense ratio (the figure
    the Monte Carlo section uses) and financing at the cash rate plus ``financing_spread``
    (:data:`~bondthesis.funds.terms.TMF_FINANCING_SPREAD`, 0.47%, fitted to the real TMF).
    """

    tlt_expense_ratio: float = TLT_EXPENSE_RATIO
    tmf_expense_ratio: float = TMF_EXPENSE_RATIO
    tmf_leverage: float = TMF_LEVERAGE
    financing_spread: float = TMF_FINANCING_SPREAD

    def __post_init__(self) -> None:
        for name in ("tlt_expense_ratio", "tmf_expense_ratio", "tmf_leverage", "financing_spread"):
            _check(math.isfinite(getattr(self, name)), f"{name} must be a finite number")
        for name in ("tlt_expense_ratio", "tmf_expense_ratio", "financing_spread"):
            check_decimal_rate(getattr(self, name), name)
        _check(self.tmf_leverage >= 1.0, "tmf_leverage must be >= 1 (3 for TMF)")


@dataclass(frozen=True)
class InstrumentReturn:
    """One instrument's return over the scenario (decimals): price + income = total."""

    instrument: str
    price_return: float
    income: float
    total_return: float


@dataclass(frozen=True)
class ScenarioResult:
    """A scenario for the ladder (TLT), TMF, and the position.

    ``rows`` are TLT, TMF, stocks, cash and position; ``income`` is net of fees and (TMF)
    financing. ``tlt_values`` and ``tmf_values`` are the funds' daily paths (shape
    (n_days + 1,), start 1.0).
    """

    risk: LadderRisk
    decomposition: ReturnDecomposition
    rows: list[InstrumentReturn]
    tlt_values: FloatArray = field(repr=False)
    tmf_values: FloatArray = field(repr=False)

    def row(self, instrument: str) -> InstrumentReturn:
        for candidate in self.rows:
            if candidate.instrument == instrument:
                return candidate
        raise KeyError(instrument)


def _row(instrument: str, total: float, income: float) -> InstrumentReturn:
    return InstrumentReturn(instrument, total - income, income, total)


def run_scenario(
    ladder: LadderHoldings,
    curve: YieldCurve,
    shock: CurveShock,
    horizon_years: float = 0.0,
    *,
    cash_rate: float,
    weights: PositionWeights | None = None,
    stocks_return: float = 0.0,
    terms: FundTerms | None = None,
    path: ShockPath | None = None,
) -> ScenarioResult:
    """TLT, TMF, stocks, cash and the position after ``shock`` over ``horizon_years``.

    Parameters
    ----------
    ladder, curve, shock, horizon_years
        As in :func:`~bondthesis.scenarios.shocks.reprice_ladder`.
    cash_rate : float
        Annual bill rate, decimal: what cash earns and what TMF's borrowing costs.
    weights : PositionWeights, optional
        The position; defaults to :class:`PositionWeights`.
    stocks_return : float
        Stocks' total return over the horizon, decimal (an assumption: a yield scenario says
        nothing about stocks by itself; 0 by default).
    terms : FundTerms, optional
    path : ShockPath, optional
        The daily path to the shock; default the linear path. It must end at ``shock``.

    Examples
    --------
    >>> bond = LadderHoldings([0.048], [30.0], [1.0])
    >>> flat = YieldCurve((10.0, 30.0), (0.048, 0.048))
    >>> result = run_scenario(bond, flat, CurveShock(-100.0), cash_rate=0.04)
    >>> round(result.row("TMF").total_return / result.row("TLT").total_return, 6)
    3.0
    """
    weights = PositionWeights() if weights is None else weights
    terms = FundTerms() if terms is None else terms
    _check(math.isfinite(cash_rate) and abs(cash_rate) < 0.5, "cash_rate is a decimal, e.g. 0.04")
    check_decimal_rate(stocks_return, "stocks_return")
    check_decimal_rate(cash_rate, "cash_rate")
    decomposition = reprice_ladder(ladder, curve, shock, horizon_years)
    if path is None:
        path = linear_path(shock, horizon_years)
    _check(
        math.isclose(path.horizon_years, horizon_years)
        and math.isclose(float(path.parallel_bp[-1]), shock.shift_bp, abs_tol=1e-9)
        and math.isclose(float(path.twist_bp[-1]), shock.twist_bp, abs_tol=1e-9),
        "the path must end at the shock and span the horizon",
    )
    index = index_values(ladder, curve, path)
    tlt = daily_reset_values(
        index, leverage=1.0, day_years=path.day_years, expense_ratio=terms.tlt_expense_ratio
    )
    financing = cash_rate + terms.financing_spread
    tmf = daily_reset_values(
        index,
        leverage=terms.tmf_leverage,
        day_years=path.day_years,
        financing_rate=financing,
        expense_ratio=terms.tmf_expense_ratio,
    )
    leverage = terms.tmf_leverage
    tlt_income = decomposition.income - terms.tlt_expense_ratio * horizon_years
    tmf_income = (
        leverage * decomposition.income
        - ((leverage - 1.0) * financing + terms.tmf_expense_ratio) * horizon_years
    )
    rows = [
        _row("TLT", float(tlt[-1] - 1.0), tlt_income),
        _row("TMF", float(tmf[-1] - 1.0), tmf_income),
        _row("stocks", stocks_return, 0.0),
        _row("cash", cash_rate * horizon_years, cash_rate * horizon_years),
    ]
    shares = (weights.tlt, weights.tmf, weights.stocks, weights.cash)
    rows.append(
        _row(
            "position",
            sum(w * r.total_return for w, r in zip(shares, rows, strict=True)),
            sum(w * r.income for w, r in zip(shares, rows, strict=True)),
        )
    )
    return ScenarioResult(ladder_risk(ladder, curve), decomposition, rows, tlt, tmf)


@dataclass(frozen=True)
class PathDependenceRow:
    """TLT and TMF over one path to the same end yield (decimals)."""

    daily_vol_bp: float
    tlt_total_return: float
    tmf_total_return: float
    index_volatility: float  # annualised volatility of the index's daily returns


def tmf_path_dependence(
    ladder: LadderHoldings,
    curve: YieldCurve,
    shock: CurveShock,
    horizon_years: float,
    *,
    cash_rate: float,
    daily_vols_bp: tuple[float, ...] = (0.0, 5.5, 11.0),
    terms: FundTerms | None = None,
    seed: int = 0,
) -> list[PathDependenceRow]:
    """The same end yield reached calmly (vol 0) and through noisier paths (one seeded path each).

    Every noisy path uses the same seed's draws scaled by its volatility, so rows differ only
    by how violently yields travel, not by where they end.

    Examples
    --------
    >>> bond = LadderHoldings([0.048], [30.0], [1.0])
    >>> flat = YieldCurve((10.0, 30.0), (0.048, 0.048))
    >>> rows = tmf_path_dependence(bond, flat, CurveShock(-100.0), 1.0, cash_rate=0.04)
    >>> rows[0].tmf_total_return > rows[-1].tmf_total_return
    True
    """
    _check(horizon_years > 0.0, "path dependence needs a horizon > 0, e.g. 1 year")
    terms = FundTerms() if terms is None else terms
    rows: list[PathDependenceRow] = []
    for vol in daily_vols_bp:
        path = bridge_path(shock, horizon_years, vol, seed=seed)
        result = run_scenario(
            ladder, curve, shock, horizon_years, cash_rate=cash_rate, terms=terms, path=path
        )
        index = index_values(ladder, curve, path)
        index_returns = np.diff(index) / index[:-1]
        volatility = float(np.std(index_returns) * math.sqrt(1.0 / path.day_years))
        rows.append(
            PathDependenceRow(
                daily_vol_bp=float(vol),
                tlt_total_return=result.row("TLT").total_return,
                tmf_total_return=result.row("TMF").total_return,
                index_volatility=volatility,
            )
        )
    return rows
