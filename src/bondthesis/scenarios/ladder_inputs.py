"""Inputs of the deterministic scenarios: a yield curve, a ladder of bonds, a curve shock.

Pure: numpy only. Yields are decimals (0.047), maturities and horizons in years, prices per 100
face. These are plain value objects so the scenario code can be tested with a hand-built ladder;
:func:`representative_ladder` builds the documented TLT-like ladder the CLI uses.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bondthesis._typing import ArrayLike, FloatArray

__all__ = [
    "CurveShock",
    "LadderHoldings",
    "YieldCurve",
    "coupons_at_issue",
    "representative_ladder",
]

_PIVOT_YEARS = 20.0
_TWIST_SPAN_YEARS = 20.0  # the twist is the change of the 30y yield minus the 10y yield


def _vector(values: ArrayLike, name: str) -> FloatArray:
    array = np.atleast_1d(np.asarray(values, dtype=np.float64))
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-d sequence of numbers")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinity; pass finite numbers")
    return array


@dataclass(frozen=True)
class YieldCurve:
    """Yields by maturity, linear in between and flat beyond the ends.

    Parameters
    ----------
    maturities_years : array_like of shape (n_points,)
        Strictly increasing, positive, e.g. ``(10, 20, 30)``.
    yields : array_like of shape (n_points,)
        Decimals, e.g. ``(0.0440, 0.0490, 0.0495)``; read as yields to maturity of bonds of
        that maturity (constant-maturity par yields used as YTMs).

    Examples
    --------
    >>> curve = YieldCurve((10.0, 30.0), (0.04, 0.05))
    >>> round(float(curve.yield_at(25.0)), 6)
    0.0475
    """

    maturities_years: FloatArray
    yields: FloatArray

    def __init__(self, maturities_years: ArrayLike, yields: ArrayLike) -> None:
        years = _vector(maturities_years, "maturities_years")
        levels = _vector(yields, "yields")
        if years.shape != levels.shape:
            raise ValueError(
                f"maturities_years and yields must have the same length; "
                f"got {years.size} and {levels.size}"
            )
        if (years <= 0.0).any() or (np.diff(years) <= 0.0).any():
            raise ValueError("maturities_years must be positive and strictly increasing")
        if (np.abs(levels) > 0.5).any():
            raise ValueError("yields are decimals (0.047 for 4.7%), not percent")
        object.__setattr__(self, "maturities_years", years)
        object.__setattr__(self, "yields", levels)

    def yield_at(self, years: ArrayLike) -> FloatArray:
        """The curve's yield at ``years`` (any shape), decimal."""
        return np.asarray(
            np.interp(np.asarray(years, dtype=np.float64), self.maturities_years, self.yields),
            dtype=np.float64,
        )


@dataclass(frozen=True)
class CurveShock:
    """A parallel shift plus a twist of the curve, in basis points.

    The yield at maturity ``m`` years changes by ``shift_bp + twist_bp * (m - 20) / 20`` basis
    points: the 20-year point moves by the shift, and the 30-year minus 10-year spread widens by
    ``twist_bp`` (a positive twist steepens the curve).

    Examples
    --------
    A 100bp rally with 20bp of steepening: the 30-year falls 90bp, the 10-year 110bp.

    >>> shock = CurveShock(shift_bp=-100.0, twist_bp=20.0)
    >>> [round(float(x) * 1e4, 6) for x in shock.change_at([10.0, 30.0])]
    [-110.0, -90.0]
    """

    shift_bp: float
    twist_bp: float = 0.0

    def __post_init__(self) -> None:
        for name in ("shift_bp", "twist_bp"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number of basis points, e.g. -100")
            if abs(value) > 1000.0:
                raise ValueError(
                    f"{name}={value} is beyond ±1000bp; pass basis points, e.g. -100 for a 1% fall"
                )

    def change_at(self, years: ArrayLike) -> FloatArray:
        """The yield change at maturity ``years`` (any shape), decimal."""
        maturities = np.asarray(years, dtype=np.float64)
        bp = self.shift_bp + self.twist_bp * (maturities - _PIVOT_YEARS) / _TWIST_SPAN_YEARS
        return np.asarray(bp * 1e-4, dtype=np.float64)


@dataclass(frozen=True)
class LadderHoldings:
    """A fund's bonds: coupons, times to maturity and face amounts, shape (n_bonds,) each.

    Each bond is priced at the curve's yield at its own maturity. ``face`` is any positive scale
    (dollars, shares of the fund); only the proportions matter.

    Examples
    --------
    >>> ladder = LadderHoldings(coupon=[0.04, 0.02], years_to_maturity=[20.0, 30.0], face=[1, 1])
    >>> ladder.n_bonds
    2
    """

    coupon: FloatArray
    years_to_maturity: FloatArray
    face: FloatArray
    frequency: int = 2

    def __init__(
        self,
        coupon: ArrayLike,
        years_to_maturity: ArrayLike,
        face: ArrayLike,
        frequency: int = 2,
    ) -> None:
        coupons = _vector(coupon, "coupon")
        years = _vector(years_to_maturity, "years_to_maturity")
        faces = _vector(face, "face")
        if not coupons.shape == years.shape == faces.shape:
            raise ValueError(
                "coupon, years_to_maturity and face must have one entry per bond; got lengths "
                f"{coupons.size}, {years.size}, {faces.size}"
            )
        if (coupons < 0.0).any() or (coupons > 0.5).any():
            raise ValueError("coupon is a decimal annual rate, e.g. 0.045 for 4.5%")
        if (years <= 0.0).any():
            raise ValueError("years_to_maturity must be positive")
        if (faces <= 0.0).any():
            raise ValueError("face amounts must be positive")
        if frequency not in (1, 2, 4, 12):
            raise ValueError(f"frequency must be 1, 2, 4 or 12 coupons a year; got {frequency}")
        object.__setattr__(self, "coupon", coupons)
        object.__setattr__(self, "years_to_maturity", years)
        object.__setattr__(self, "face", faces)
        object.__setattr__(self, "frequency", frequency)

    @property
    def n_bonds(self) -> int:
        return int(self.coupon.size)


def representative_ladder(
    curve: YieldCurve,
    *,
    coupons: Sequence[float] | FloatArray | None = None,
    shortest_years: float = 20.0,
    longest_years: float = 30.0,
    bonds_per_year: int = 4,
) -> LadderHoldings:
    """A documented TLT-like ladder: one bond per quarter from 20 to 30 years, equal face.

    Parameters
    ----------
    curve : YieldCurve
        Today's curve; with ``coupons=None`` each bond's coupon is the curve's yield at its
        maturity, so every bond starts at par (a "par ladder").
    coupons : array_like of shape (n_bonds,), optional
        Coupons to use instead (e.g. the 30-year yield on each bond's issue date, which is how
        the CLI rebuilds the discount bonds TLT really holds).
    shortest_years, longest_years : float
        The ladder's maturity range (TLT's index holds bonds with more than 20 years left).
    bonds_per_year : int
        Bonds per year of maturity; 4 gives 41 bonds from 20.0 to 30.0 years.

    Examples
    --------
    >>> ladder = representative_ladder(YieldCurve((20.0, 30.0), (0.048, 0.049)))
    >>> ladder.n_bonds, round(float(ladder.coupon[0]), 4), round(float(ladder.coupon[-1]), 4)
    (41, 0.048, 0.049)
    """
    if not 0.0 < shortest_years < longest_years:
        raise ValueError("need 0 < shortest_years < longest_years, e.g. 20 and 30")
    if bonds_per_year < 1:
        raise ValueError("bonds_per_year must be at least 1, e.g. 4 (one bond a quarter)")
    n_bonds = round((longest_years - shortest_years) * bonds_per_year) + 1
    years = np.linspace(shortest_years, longest_years, n_bonds)
    if coupons is None:
        coupon = curve.yield_at(years)
    else:
        coupon = _vector(coupons, "coupons")
        if coupon.size != n_bonds:
            raise ValueError(f"coupons needs one rate per bond ({n_bonds}); got {coupon.size}")
    return LadderHoldings(coupon=coupon, years_to_maturity=years, face=np.ones(n_bonds))


def coupons_at_issue(
    years_to_maturity: ArrayLike,
    as_of: pd.Timestamp,
    thirty_year_yields: pd.Series,
    *,
    original_term_years: float = 30.0,
) -> FloatArray:
    """Coupons of 30-year bonds with ``years_to_maturity`` left on ``as_of``, from yield history.

    A bond with ``T`` years left was auctioned ``30 - T`` years before ``as_of``; its coupon is
    the 30-year yield on that day (the last value on or before it) rounded down to 1/8 of 1%,
    at least 1/8% (how Treasury sets auction coupons). This rebuilds the discount bonds of a
    TLT-like ladder (August 2020's 30-year bond pays 1.375%) without holdings data.

    Parameters
    ----------
    years_to_maturity : array_like of shape (n_bonds,)
        Each at most ``original_term_years``.
    as_of : Timestamp
        The valuation date.
    thirty_year_yields : Series
        The 30-year yield in **percent** (FRED's DGS30 as published), indexed by date.

    Returns
    -------
    ndarray of shape (n_bonds,)
        Decimal coupons.

    Examples
    --------
    >>> history = pd.Series([1.38, 4.79], index=pd.to_datetime(["2020-08-03", "2025-11-03"]))
    >>> coupons_at_issue([24.75, 30.0], pd.Timestamp("2025-11-03"), history).tolist()
    [0.01375, 0.0475]
    """
    years = _vector(years_to_maturity, "years_to_maturity")
    if (years > original_term_years).any() or (years <= 0.0).any():
        raise ValueError(f"years_to_maturity must be in (0, {original_term_years:g}]")
    history = thirty_year_yields.dropna().sort_index()
    issue_dates = [
        as_of - pd.DateOffset(months=round((original_term_years - t) * 12)) for t in years
    ]
    if history.empty or min(issue_dates) < history.index[0]:
        raise ValueError(
            "the 30-year yield history does not reach back to the oldest bond's issue date; "
            "refresh DGS30 with its full history"
        )
    positions = history.index.searchsorted(pd.DatetimeIndex(issue_dates), side="right") - 1
    percent = history.to_numpy(dtype=np.float64)[positions]
    eighths = np.maximum(np.floor(percent * 8.0 + 1e-9), 1.0) / 8.0
    return np.asarray(eighths / 100.0, dtype=np.float64)
