"""Deterministic yield scenarios for a TLT-like ladder, TMF and the article's position.

Pure: numpy and :mod:`bondthesis.bonds` only. Every price comes from the bond math
(:func:`bondthesis.bonds.pricing.dirty_price_from_years`); nothing here prices a bond itself.

A scenario moves the curve by a :class:`~bondthesis.scenarios.ladder_inputs.CurveShock` (a
parallel shift and a twist), instantly or spread evenly over a horizon, and holds the ladder's
bonds through it (no rebalancing inside the horizon; coupons are kept as cash at 0%). Each bond
goes from its start price ``P0`` to

* ``A`` = its price at the horizon at its *own* start yield, plus the coupons paid (carry:
  coupon ``income`` and ``pull_to_par``),
* ``B`` = its price at the unchanged curve's yield at its shorter maturity (``roll_down``),
* ``C`` = its price at the shocked curve's yield (the rate move, split into the ``duration``
  term ``-D Δy``, the ``convexity`` term ``½ C Δy²`` and the ``residual`` that full repricing
  adds to that second-order approximation).

The six parts add up to the total return exactly, bond by bond and for the ladder (face-weighted
sums over the start value). :func:`reprice_ladder` also returns a rigorous bound on the residual
(third-order Taylor remainder), so the approximation's error is reported with its ceiling.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bondthesis._typing import FloatArray
from bondthesis.bonds.pricing import dirty_price_from_years
from bondthesis.bonds.risk import convexity_from_years, modified_duration_from_years
from bondthesis.scenarios.ladder_inputs import CurveShock, LadderHoldings, YieldCurve

__all__ = [
    "ARTICLE_PRICE_RETURNS",
    "ArticleRow",
    "LadderRisk",
    "ReturnDecomposition",
    "article_table",
    "coupons_remaining",
    "ladder_risk",
    "reprice_ladder",
]

ARTICLE_PRICE_RETURNS: dict[int, tuple[float, float]] = {
    -100: (0.15, 0.18),
    -150: (0.25, 0.30),
    -200: (0.35, 0.45),
}
"""The article's claim 10: long yields fall N bp -> TLT price return in [low, high] (decimals)."""

_WHOLE_PERIOD_TOLERANCE = 1e-9  # the bond math's rule for "exactly on a coupon date"


def coupons_remaining(years_to_maturity: FloatArray, frequency: int) -> FloatArray:
    """Coupons still to be paid with ``years_to_maturity`` left (the bond math's rounding).

    ``years * frequency`` rounded up, at least 1; a bond exactly on a coupon date has just paid
    it. Shapes broadcast; returns float64 counts.

    Examples
    --------
    >>> coupons_remaining(np.array([30.0, 29.75, 0.1]), 2).tolist()
    [60.0, 60.0, 1.0]
    """
    periods = np.asarray(years_to_maturity, dtype=np.float64) * frequency
    whole = np.round(periods)
    periods = np.where(np.abs(periods - whole) <= _WHOLE_PERIOD_TOLERANCE, whole, periods)
    return np.asarray(np.maximum(np.ceil(periods), 1.0), dtype=np.float64)


@dataclass(frozen=True)
class LadderRisk:
    """A ladder's yield and first- and second-order rate risk on a curve.

    Attributes
    ----------
    yield_ : float
        Market-value-weighted yield to maturity, decimal.
    duration_years : float
        Market-value-weighted modified duration: ``-(dV/dy)/V`` for a parallel shift of every
        bond's yield, exact.
    convexity_years2 : float
        Market-value-weighted convexity: ``(d²V/dy²)/V`` for a parallel shift, exact.
    average_price : float
        Face-weighted mean dirty price per 100 face.
    average_coupon : float
        Face-weighted mean coupon, decimal.
    average_years : float
        Face-weighted mean time to maturity.
    """

    yield_: float
    duration_years: float
    convexity_years2: float
    average_price: float
    average_coupon: float
    average_years: float


def _market_weights(ladder: LadderHoldings, prices: FloatArray) -> FloatArray:
    value = ladder.face * prices
    return np.asarray(value / value.sum(), dtype=np.float64)


def ladder_risk(ladder: LadderHoldings, curve: YieldCurve) -> LadderRisk:
    """Yield, duration and convexity of ``ladder`` priced on ``curve``.

    Examples
    --------
    A single 30-year 4.75% bond at 4.8%: modified duration 15.85 years, convexity 366.

    >>> one = LadderHoldings([0.0475], [30.0], [1.0])
    >>> risk = ladder_risk(one, YieldCurve((10.0, 30.0), (0.048, 0.048)))
    >>> round(risk.duration_years, 2), round(risk.convexity_years2)
    (15.85, 366)
    """
    years = ladder.years_to_maturity
    yields = curve.yield_at(years)
    f = ladder.frequency
    prices = dirty_price_from_years(ladder.coupon, years, yields, f)
    weights = _market_weights(ladder, prices)
    duration = modified_duration_from_years(ladder.coupon, years, yields, f)
    convexity = convexity_from_years(ladder.coupon, years, yields, f)
    face_weights = ladder.face / ladder.face.sum()
    return LadderRisk(
        yield_=float(weights @ yields),
        duration_years=float(weights @ duration),
        convexity_years2=float(weights @ convexity),
        average_price=float(face_weights @ prices),
        average_coupon=float(face_weights @ ladder.coupon),
        average_years=float(face_weights @ years),
    )


@dataclass(frozen=True)
class ReturnDecomposition:
    """A ladder's return over a scenario, in parts that add up to the total (decimals).

    Attributes
    ----------
    income : float
        Coupons accrued over the horizon over the start value (0 for an instant shock).
    pull_to_par : float
        Clean-price drift at each bond's own unchanged yield (positive below par).
    roll_down : float
        Each bond's yield sliding along the unchanged curve to its shorter maturity.
    duration : float
        ``-D Δy``: the first-order effect of the curve shock (at the horizon's maturities).
    convexity : float
        ``½ C Δy²``: the second-order effect.
    residual : float
        Full repricing minus the duration-convexity approximation: the approximation's error.
    residual_bound : float
        A proven ceiling on ``|residual|`` (third-order Taylor remainder, see module docs).
    horizon_years : float
        The scenario's horizon.
    yield_change : float
        Market-value-weighted yield change the bonds see at the horizon, decimal.
    """

    income: float
    pull_to_par: float
    roll_down: float
    duration: float
    convexity: float
    residual: float
    residual_bound: float
    horizon_years: float
    yield_change: float

    @property
    def total(self) -> float:
        """Total return by full repricing (coupons included), decimal."""
        return (
            self.income
            + self.pull_to_par
            + self.roll_down
            + self.duration
            + self.convexity
            + self.residual
        )

    @property
    def price_return(self) -> float:
        """Clean-price return: the total less the coupon income, decimal."""
        return self.total - self.income

    @property
    def carry(self) -> float:
        """Income plus pull to par: what the ladder earns if its yields do not move."""
        return self.income + self.pull_to_par

    @property
    def approximation(self) -> float:
        """The rate move's duration-convexity approximation, ``-D Δy + ½ C Δy²``."""
        return self.duration + self.convexity

    @property
    def rate_move(self) -> float:
        """The rate move by full repricing: duration + convexity + residual."""
        return self.duration + self.convexity + self.residual


def _check_horizon(ladder: LadderHoldings, horizon_years: float) -> None:
    if not (np.isfinite(horizon_years) and horizon_years >= 0.0):
        raise ValueError(f"horizon_years must be >= 0 (0 is an instant shock); got {horizon_years}")
    shortest = float(ladder.years_to_maturity.min())
    if horizon_years >= shortest:
        raise ValueError(
            f"horizon of {horizon_years:g} years reaches the shortest bond's maturity "
            f"({shortest:g} years); use a horizon shorter than that"
        )


def reprice_ladder(
    ladder: LadderHoldings,
    curve: YieldCurve,
    shock: CurveShock,
    horizon_years: float = 0.0,
) -> ReturnDecomposition:
    """Reprice ``ladder`` after ``shock``, held for ``horizon_years`` (0: instantly).

    Parameters
    ----------
    ladder : LadderHoldings
        Bonds, shape (n_bonds,) each; each priced at ``curve``'s yield at its maturity.
    curve : YieldCurve
        The curve at the start; it is the same at the horizon except for ``shock``.
    shock : CurveShock
        The curve's change by the horizon.
    horizon_years : float, default 0
        Time the bonds age; must be shorter than the shortest bond's life.

    Returns
    -------
    ReturnDecomposition
        Gross of any fund fee.

    Examples
    --------
    A 30-year 4.8% par bond, 4.8% curve, yields fall 100bp at once: +17.81% by full repricing,
    of which -D Δy = +15.81% and ½ C Δy² = +1.82% (the rest, +0.17%, is the residual).

    >>> bond = LadderHoldings([0.048], [30.0], [1.0])
    >>> flat = YieldCurve((10.0, 30.0), (0.048, 0.048))
    >>> r = reprice_ladder(bond, flat, CurveShock(-100.0))
    >>> round(r.total, 4), round(r.duration, 4), round(r.convexity, 4)
    (0.1781, 0.1581, 0.0182)
    """
    _check_horizon(ladder, horizon_years)
    f = ladder.frequency
    coupon = ladder.coupon
    start_years = ladder.years_to_maturity
    end_years = start_years - horizon_years
    start_yield = curve.yield_at(start_years)
    rolled_yield = curve.yield_at(end_years)
    change = shock.change_at(end_years)
    shocked_yield = rolled_yield + change
    if (shocked_yield <= -0.5 * f).any():
        raise ValueError("the shock takes yields below what the bond math can price; shrink it")

    start_price = dirty_price_from_years(coupon, start_years, start_yield, f)
    own_yield_price = dirty_price_from_years(coupon, end_years, start_yield, f)
    rolled_price = dirty_price_from_years(coupon, end_years, rolled_yield, f)
    shocked_price = dirty_price_from_years(coupon, end_years, shocked_yield, f)
    duration = modified_duration_from_years(coupon, end_years, rolled_yield, f)
    convexity = convexity_from_years(coupon, end_years, rolled_yield, f)
    paid = (coupons_remaining(start_years, f) - coupons_remaining(end_years, f)) * (
        100.0 * coupon / f
    )
    income = 100.0 * coupon * horizon_years

    linear = -duration * change * rolled_price
    quadratic = 0.5 * convexity * change**2 * rolled_price
    residual = shocked_price - rolled_price - linear - quadratic
    lowest = np.minimum(rolled_yield, shocked_yield)
    bound = (
        np.abs(change) ** 3
        / 6.0
        * ((end_years + 2.0 / f) / (1.0 + lowest / f)) ** 3
        * np.maximum(rolled_price, shocked_price)
    )

    face = ladder.face
    start_value = float(face @ start_price)

    def share(per_bond: FloatArray) -> float:
        return float(face @ per_bond) / start_value

    end_weights = _market_weights(ladder, rolled_price)
    return ReturnDecomposition(
        income=share(income),
        pull_to_par=share(own_yield_price + paid - income - start_price),
        roll_down=share(rolled_price - own_yield_price),
        duration=share(linear),
        convexity=share(quadratic),
        residual=share(residual),
        residual_bound=share(bound),
        horizon_years=float(horizon_years),
        yield_change=float(end_weights @ change),
    )


@dataclass(frozen=True)
class ArticleRow:
    """One row of the article's table, computed: an instant parallel shift, price only.

    Attributes
    ----------
    shift_bp : int
        The yield change (negative: a rally).
    article_low, article_high : float or None
        The article's range for the fall (None for the rises, which it does not give).
    full_repricing : float
        The ladder's price return by full repricing, decimal.
    duration_only : float
        ``-D Δy``.
    duration_convexity : float
        ``-D Δy + ½ C Δy²``.
    approximation_error : float
        ``full_repricing - duration_convexity``.
    error_bound : float
        Ceiling on ``|approximation_error|``.
    verdict : str
        ``"inside"``, ``"below"``, ``"above"`` the article's range, or ``""`` with no range.
    """

    shift_bp: int
    article_low: float | None
    article_high: float | None
    full_repricing: float
    duration_only: float
    duration_convexity: float
    approximation_error: float
    error_bound: float
    verdict: str


def article_table(
    ladder: LadderHoldings,
    curve: YieldCurve,
    shifts_bp: tuple[int, ...] = (-200, -150, -100, 100, 150, 200),
) -> list[ArticleRow]:
    """The article's scenario table recomputed for ``ladder``, falls and the mirror rises.

    Examples
    --------
    >>> bond = LadderHoldings([0.048], [30.0], [1.0])
    >>> rows = article_table(bond, YieldCurve((10.0, 30.0), (0.048, 0.048)), (-100, 100))
    >>> [(r.shift_bp, round(r.full_repricing, 3), r.verdict) for r in rows]
    [(-100, 0.178, 'inside'), (100, -0.141, '')]
    """
    rows: list[ArticleRow] = []
    for shift in shifts_bp:
        result = reprice_ladder(ladder, curve, CurveShock(float(shift)))
        low, high = ARTICLE_PRICE_RETURNS.get(shift, (None, None))
        verdict = ""
        if low is not None and high is not None:
            inside = low <= result.price_return <= high
            verdict = "inside" if inside else ("below" if result.price_return < low else "above")
        rows.append(
            ArticleRow(
                shift_bp=shift,
                article_low=low,
                article_high=high,
                full_repricing=result.price_return,
                duration_only=result.duration,
                duration_convexity=result.approximation,
                approximation_error=result.residual,
                error_bound=result.residual_bound,
                verdict=verdict,
            )
        )
    return rows
