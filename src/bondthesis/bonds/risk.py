"""Interest-rate risk of US Treasury notes and bonds: durations, convexity, DV01.

One function per quantity, each with dates (``maturity``, ``settlement``) and with the time to
maturity in years (``*_from_years``); conventions and broadcasting as in
:mod:`bondthesis.bonds.pricing`. All measures are taken on the dirty price ``P`` as a function
of the yield ``y`` (decimal, compounded ``frequency`` times a year):

* Macaulay duration, years: present-value-weighted mean time to the cash flows;
* modified duration, years: ``-(dP/dy) / P`` (street convention: Macaulay / (1 + y/f));
* effective duration, years: ``(P(y - h) - P(y + h)) / (2 h P(y))`` by full repricing;
* convexity, years squared: ``(d2P/dy2) / P``, analytic;
* DV01, per 100 face: ``-(dP/dy) * 0.0001``, the price change for a 1bp fall in yield.

Derivatives are analytic (sums over the cash flows), so modified duration and convexity agree
with QuantLib's ``BondFunctions.duration``/``convexity`` to about 1e-12.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bondthesis._typing import FloatArray
from bondthesis.bonds import _inputs
from bondthesis.bonds._inputs import BondTerms, Convention

__all__ = [
    "convexity",
    "convexity_from_years",
    "dv01",
    "dv01_from_years",
    "effective_duration",
    "effective_duration_from_years",
    "macaulay_duration",
    "macaulay_duration_from_years",
    "modified_duration",
    "modified_duration_from_years",
]

_BASIS_POINT = 1e-4
_PRICE, _FIRST, _SECOND, _MACAULAY = range(4)


def _table(terms: BondTerms, ytm: Any, convention: Convention) -> FloatArray:
    treasury = _inputs.is_treasury(convention)
    return _inputs.risk_terms(terms, _inputs.yields(ytm, terms.frequency), treasury)


def _dates(coupon: Any, maturity: Any, settlement: Any, frequency: int) -> BondTerms:
    return _inputs.terms_from_dates(coupon, maturity, settlement, frequency)


def _years(coupon: Any, years_to_maturity: Any, frequency: int) -> BondTerms:
    return _inputs.terms_from_years(coupon, years_to_maturity, frequency)


def _effective(terms: BondTerms, ytm: Any, convention: Convention, shift_bp: float) -> FloatArray:
    if not (np.isfinite(shift_bp) and shift_bp > 0.0):
        raise ValueError(f"shift_bp must be a positive number of basis points; got {shift_bp!r}")
    treasury = _inputs.is_treasury(convention)
    rates = _inputs.yields(ytm, terms.frequency)
    shift = shift_bp * _BASIS_POINT
    down = _inputs.prices(
        terms, _inputs.yields(rates - shift, terms.frequency), treasury, clean=False
    )
    up = _inputs.prices(terms, rates + shift, treasury, clean=False)
    middle = _inputs.prices(terms, rates, treasury, clean=False)
    return np.asarray((down - up) / (2.0 * shift * middle))


def macaulay_duration(
    coupon: Any,
    maturity: Any,
    ytm: Any,
    settlement: Any,
    frequency: int = 2,
    convention: Convention = "street",
) -> FloatArray:
    """Macaulay duration in years: present-value-weighted mean time to the cash flows.

    Parameters
    ----------
    coupon : array_like of float
        Annual coupon rate, decimal.
    maturity, settlement : array_like of dates
    ytm : array_like of float
        Yield to maturity, decimal.
    frequency : int, default 2
    convention : {"street", "treasury"}, default "street"

    Returns
    -------
    ndarray of float64, broadcast shape, years

    Examples
    --------
    A 4¾% bond due 2055-05-15 at 4.8%, settled 2025-05-15: 16.23 years.

    >>> round(float(macaulay_duration(0.0475, "2055-05-15", 0.048, "2025-05-15")), 2)
    16.23
    """
    return _table(_dates(coupon, maturity, settlement, frequency), ytm, convention)[..., _MACAULAY]


def modified_duration(
    coupon: Any,
    maturity: Any,
    ytm: Any,
    settlement: Any,
    frequency: int = 2,
    convention: Convention = "street",
) -> FloatArray:
    """Modified duration in years: ``-(dP/dy) / P`` on the dirty price.

    Parameters are those of :func:`macaulay_duration`.

    Returns
    -------
    ndarray of float64, broadcast shape, years

    Examples
    --------
    The same 4¾% 30-year bond at 4.8%: 15.85 years, so a 1bp rise costs about 0.158% of price.

    >>> round(float(modified_duration(0.0475, "2055-05-15", 0.048, "2025-05-15")), 2)
    15.85
    """
    table = _table(_dates(coupon, maturity, settlement, frequency), ytm, convention)
    return np.asarray(-table[..., _FIRST] / table[..., _PRICE])


def effective_duration(
    coupon: Any,
    maturity: Any,
    ytm: Any,
    settlement: Any,
    frequency: int = 2,
    convention: Convention = "street",
    shift_bp: float = 10.0,
) -> FloatArray:
    """Effective duration in years by repricing at ``ytm ± shift_bp`` (central difference).

    Parameters
    ----------
    coupon, maturity, ytm, settlement, frequency, convention
        As :func:`macaulay_duration`.
    shift_bp : float, default 10.0
        Half-width of the yield shift, basis points.

    Returns
    -------
    ndarray of float64, broadcast shape, years
        Equals :func:`modified_duration` up to ``O(shift**2)`` for these option-free bonds.

    Examples
    --------
    >>> round(float(effective_duration(0.0475, "2055-05-15", 0.048, "2025-05-15")), 2)
    15.85
    """
    terms = _dates(coupon, maturity, settlement, frequency)
    return _effective(terms, ytm, convention, shift_bp)


def convexity(
    coupon: Any,
    maturity: Any,
    ytm: Any,
    settlement: Any,
    frequency: int = 2,
    convention: Convention = "street",
) -> FloatArray:
    """Convexity in years squared: ``(d2P/dy2) / P`` on the dirty price, analytic.

    Parameters are those of :func:`macaulay_duration`.

    Returns
    -------
    ndarray of float64, broadcast shape, years squared

    Examples
    --------
    The 4¾% 30-year bond at 4.8%: about 366, so a 100bp move adds 0.5 * 366 * 0.01**2 = 1.8% of
    price to the duration estimate.

    >>> round(float(convexity(0.0475, "2055-05-15", 0.048, "2025-05-15")))
    366
    """
    table = _table(_dates(coupon, maturity, settlement, frequency), ytm, convention)
    return np.asarray(table[..., _SECOND] / table[..., _PRICE])


def dv01(
    coupon: Any,
    maturity: Any,
    ytm: Any,
    settlement: Any,
    frequency: int = 2,
    convention: Convention = "street",
) -> FloatArray:
    """DV01 per 100 face: ``-(dP/dy) * 0.0001``, the price gain for a 1bp fall in yield.

    Parameters are those of :func:`macaulay_duration`.

    Returns
    -------
    ndarray of float64, broadcast shape, price points per 100 face

    Examples
    --------
    The 4¾% 30-year bond at 4.8% (price 99.21): a 1bp rise lowers the price by 15.7 cents.

    >>> round(float(dv01(0.0475, "2055-05-15", 0.048, "2025-05-15")), 3)
    0.157
    """
    table = _table(_dates(coupon, maturity, settlement, frequency), ytm, convention)
    return np.asarray(-table[..., _FIRST] * _BASIS_POINT)


def macaulay_duration_from_years(
    coupon: Any,
    years_to_maturity: Any,
    ytm: Any,
    frequency: int = 2,
    convention: Convention = "street",
) -> FloatArray:
    """Macaulay duration in years, time to maturity in years (see :func:`macaulay_duration`).

    >>> round(float(macaulay_duration_from_years(0.0475, 30.0, 0.048)), 2)
    16.23
    """
    return _table(_years(coupon, years_to_maturity, frequency), ytm, convention)[..., _MACAULAY]


def modified_duration_from_years(
    coupon: Any,
    years_to_maturity: Any,
    ytm: Any,
    frequency: int = 2,
    convention: Convention = "street",
) -> FloatArray:
    """Modified duration in years, time to maturity in years (see :func:`modified_duration`).

    >>> round(float(modified_duration_from_years(0.0475, 30.0, 0.048)), 2)
    15.85
    """
    table = _table(_years(coupon, years_to_maturity, frequency), ytm, convention)
    return np.asarray(-table[..., _FIRST] / table[..., _PRICE])


def effective_duration_from_years(
    coupon: Any,
    years_to_maturity: Any,
    ytm: Any,
    frequency: int = 2,
    convention: Convention = "street",
    shift_bp: float = 10.0,
) -> FloatArray:
    """Effective duration in years by repricing at ``ytm ± shift_bp``, time in years.

    >>> round(float(effective_duration_from_years(0.0475, 30.0, 0.048)), 2)
    15.85
    """
    return _effective(_years(coupon, years_to_maturity, frequency), ytm, convention, shift_bp)


def convexity_from_years(
    coupon: Any,
    years_to_maturity: Any,
    ytm: Any,
    frequency: int = 2,
    convention: Convention = "street",
) -> FloatArray:
    """Convexity in years squared, time to maturity in years (see :func:`convexity`).

    >>> round(float(convexity_from_years(0.0475, 30.0, 0.048)))
    366
    """
    table = _table(_years(coupon, years_to_maturity, frequency), ytm, convention)
    return np.asarray(table[..., _SECOND] / table[..., _PRICE])


def dv01_from_years(
    coupon: Any,
    years_to_maturity: Any,
    ytm: Any,
    frequency: int = 2,
    convention: Convention = "street",
) -> FloatArray:
    """DV01 per 100 face, time to maturity in years (see :func:`dv01`).

    >>> round(float(dv01_from_years(0.0475, 30.0, 0.048)), 3)
    0.157
    """
    table = _table(_years(coupon, years_to_maturity, frequency), ytm, convention)
    return np.asarray(-table[..., _FIRST] * _BASIS_POINT)
