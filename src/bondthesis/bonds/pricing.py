"""Price from yield, yield from price and accrued interest of US Treasury notes and bonds.

Conventions (US Treasury): coupons semiannual (``frequency=2``) on the schedule of
:mod:`bondthesis.bonds.schedule`; accrued interest and the fractional first period by
actual/actual ICMA (days accrued over days in the coupon period); yields compound once per
coupon period; prices per 100 face; coupons and yields are decimals (0.045 is 4.5%).

Two conventions discount the fraction of a period up to the next coupon when more than one
coupon remains (``convention=``):

``"street"`` (default)
    compound: ``v ** w``. What the secondary market quotes (SIFMA "street" yields) and what
    QuantLib computes with ``Compounded``.
``"treasury"``
    simple: ``1 / (1 + w * ytm / 2)``. The formula of 31 CFR 356 Appendix B (section II),
    which Treasury uses to turn auction yields into prices; it matches QuantLib's stepwise
    ``SimpleThenCompounded``.

In the final coupon period both discount with simple interest, ``(100 + C/2) / (1 + w y / 2)``.
The two differ by a few thousandths of a point mid-period and agree on coupon dates.

Each function comes twice: with dates (``maturity``, ``settlement``) and with the time to
maturity in years (``*_from_years``), where the fractional part of ``years * frequency`` sets
the accrued fraction (30.25 years semiannual: 61 coupons to come, half a period accrued). The
years form is what the ladder and scenario code call in loops over thousands of bonds.

Every function broadcasts its array arguments together (numpy rules) and returns a float64
array of the broadcast shape (0-d for scalar arguments).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bondthesis._typing import FloatArray
from bondthesis.bonds import _inputs
from bondthesis.bonds._inputs import BondTerms, Convention
from bondthesis.errors import ConvergenceError

__all__ = [
    "accrued_from_years",
    "accrued_interest",
    "clean_price",
    "clean_price_from_years",
    "dirty_price",
    "dirty_price_from_years",
    "price_from_years",
    "yield_from_price",
    "yield_from_price_years",
]


def accrued_interest(coupon: Any, maturity: Any, settlement: Any, frequency: int = 2) -> FloatArray:
    """Accrued interest per 100 face at settlement (actual/actual ICMA).

    Parameters
    ----------
    coupon : array_like of float
        Annual coupon rate, decimal (0.0475 is 4¾%).
    maturity, settlement : array_like of dates
        ``datetime64[D]``, ``datetime.date`` or ISO strings; settlement before maturity.
    frequency : int, default 2
        Coupons a year.

    Returns
    -------
    ndarray of float64, broadcast shape
        ``coupon * 100 / frequency * days accrued / days in the period``.

    Examples
    --------
    9½% note of 31 CFR 356 App. B II.D, 14 of 181 days accrued: 0.367403 per 100.

    >>> round(float(accrued_interest(0.095, "1995-11-15", "1985-11-29")), 6)
    0.367403
    """
    return _inputs.terms_from_dates(coupon, maturity, settlement, frequency).accrued


def accrued_from_years(coupon: Any, years_to_maturity: Any, frequency: int = 2) -> FloatArray:
    """Accrued interest per 100 face with the time to maturity in years.

    The accrued fraction of the current period is ``ceil(years * frequency) - years *
    frequency``; a whole number of periods to maturity means a coupon was just paid.

    Parameters
    ----------
    coupon : array_like of float
        Annual coupon rate, decimal.
    years_to_maturity : array_like of float
        Positive.
    frequency : int, default 2

    Returns
    -------
    ndarray of float64, broadcast shape

    Examples
    --------
    A 4% bond with 29.75 years to run is half-way through a period: 1.0 per 100.

    >>> float(accrued_from_years(0.04, 29.75))
    1.0
    """
    return _inputs.terms_from_years(coupon, years_to_maturity, frequency).accrued


def _price(terms: BondTerms, ytm: Any, convention: Convention, *, clean: bool) -> FloatArray:
    treasury = _inputs.is_treasury(convention)
    rates = _inputs.yields(ytm, terms.frequency)
    return _inputs.prices(terms, rates, treasury, clean=clean)


def dirty_price(
    coupon: Any,
    maturity: Any,
    ytm: Any,
    settlement: Any,
    frequency: int = 2,
    convention: Convention = "street",
) -> FloatArray:
    """Dirty (full) price per 100 face from a yield to maturity: clean price plus accrued.

    Parameters
    ----------
    coupon : array_like of float
        Annual coupon rate, decimal.
    maturity : array_like of dates
    ytm : array_like of float
        Yield to maturity, decimal, compounded ``frequency`` times a year; above ``-frequency``.
    settlement : array_like of dates
        Before maturity.
    frequency : int, default 2
    convention : {"street", "treasury"}, default "street"
        How the fraction of a period up to the next coupon is discounted (module docstring).

    Returns
    -------
    ndarray of float64, broadcast shape

    Examples
    --------
    9½% note due 1995-11-15 at 9.54%, settled 1985-11-29 (31 CFR 356 App. B II.D):
    Treasury's P + A is 100.098321.

    >>> round(float(dirty_price(0.095, "1995-11-15", 0.0954, "1985-11-29",
    ...                         convention="treasury")), 6)
    100.098321
    """
    terms = _inputs.terms_from_dates(coupon, maturity, settlement, frequency)
    return _price(terms, ytm, convention, clean=False)


def clean_price(
    coupon: Any,
    maturity: Any,
    ytm: Any,
    settlement: Any,
    frequency: int = 2,
    convention: Convention = "street",
) -> FloatArray:
    """Clean (quoted) price per 100 face from a yield to maturity: dirty price less accrued.

    Parameters are those of :func:`dirty_price`.

    Returns
    -------
    ndarray of float64, broadcast shape

    Examples
    --------
    8¾% bond due 2020-05-15 at 8.84%, settled on its issue date 1990-05-15 (31 CFR 356 App. B
    II.A, where both conventions agree): 99.057893.

    >>> round(float(clean_price(0.0875, "2020-05-15", 0.0884, "1990-05-15")), 6)
    99.057893
    """
    terms = _inputs.terms_from_dates(coupon, maturity, settlement, frequency)
    return _price(terms, ytm, convention, clean=True)


def dirty_price_from_years(
    coupon: Any,
    years_to_maturity: Any,
    ytm: Any,
    frequency: int = 2,
    convention: Convention = "street",
) -> FloatArray:
    """Dirty price per 100 face with the time to maturity in years instead of dates.

    Parameters
    ----------
    coupon : array_like of float
        Annual coupon rate, decimal.
    years_to_maturity : array_like of float
        Positive; ``years * frequency`` rounded up is the number of coupons to come and its
        fractional part the share of the current period still to run.
    ytm : array_like of float
        Decimal, above ``-frequency``.
    frequency : int, default 2
    convention : {"street", "treasury"}, default "street"

    Returns
    -------
    ndarray of float64, broadcast shape

    Examples
    --------
    A 4% bond with exactly 30 years to run, priced at a 4% yield, is at par:

    >>> round(float(dirty_price_from_years(0.04, 30.0, 0.04)), 10)
    100.0
    """
    terms = _inputs.terms_from_years(coupon, years_to_maturity, frequency)
    return _price(terms, ytm, convention, clean=False)


def clean_price_from_years(
    coupon: Any,
    years_to_maturity: Any,
    ytm: Any,
    frequency: int = 2,
    convention: Convention = "street",
) -> FloatArray:
    """Clean price per 100 face with the time to maturity in years instead of dates.

    Parameters are those of :func:`dirty_price_from_years`. Fast path for many bonds against
    many yields: pass ``coupon`` and ``years_to_maturity`` of shape (n_bonds, 1) and ``ytm`` of
    shape (n_scenarios,) to get (n_bonds, n_scenarios) prices without copying the bonds.

    Returns
    -------
    ndarray of float64, broadcast shape

    Examples
    --------
    A 4% bond with 20 years to run and a 2% bond with 30, each at 4.5% and 5.5%: the first
    row is 93.45 and 81.94 per 100.

    >>> p = clean_price_from_years([[0.04], [0.02]], [[20.0], [30.0]], [0.045, 0.055])
    >>> p.shape, round(float(p[0, 0]), 2), round(float(p[0, 1]), 2)
    ((2, 2), 93.45, 81.94)
    """
    terms = _inputs.terms_from_years(coupon, years_to_maturity, frequency)
    return _price(terms, ytm, convention, clean=True)


price_from_years = clean_price_from_years
"""Alias of :func:`clean_price_from_years` (the name the ladder and scenario code first used)."""


def _solve(terms: BondTerms, clean: Any, convention: Convention) -> FloatArray:
    treasury = _inputs.is_treasury(convention)
    prices = _inputs.as_float_array(clean, "clean_price")
    full = np.broadcast_shapes(terms.shape, prices.shape)
    dirty = np.broadcast_to(prices + terms.accrued, full)
    if (dirty <= 0.0).any() or (prices <= 0.0).any():
        raise ValueError(
            "clean_price is per 100 face and must be positive, e.g. 98.5; "
            f"got {prices[prices <= 0.0].ravel()[0] if (prices <= 0.0).any() else prices!r}"
        )

    def flat(array: Any, dtype: Any) -> Any:
        return np.ascontiguousarray(np.broadcast_to(array, full), dtype=dtype).reshape(-1)

    from bondthesis.bonds import _solver  # numba loads on first use only

    found, status = _solver.solve_yields(
        flat(terms.coupon_per_period, np.float64),
        flat(terms.n_after_next, np.int64),
        flat(terms.fraction_to_next, np.float64),
        flat(dirty, np.float64),
        float(terms.frequency),
        treasury,
    )
    failed = status != _solver.STATUS_CONVERGED
    if failed.any():
        first = int(np.flatnonzero(failed)[0])
        raise ConvergenceError(
            f"yield solver did not converge for {int(failed.sum())} of {failed.size} bonds "
            f"(first at flat index {first}: dirty price {flat(dirty, np.float64)[first]!r}); "
            "check that the prices are per 100 face"
        )
    return found.reshape(full)


def yield_from_price(
    coupon: Any,
    maturity: Any,
    clean_price: Any,
    settlement: Any,
    frequency: int = 2,
    convention: Convention = "street",
) -> FloatArray:
    """Yield to maturity (decimal) that reproduces a clean price: inverse of :func:`clean_price`.

    Newton's method on the log of the dirty price inside a shrinking bracket, falling back to
    bisection; it converges to about 1e-15 in yield for any positive price or raises.

    Parameters
    ----------
    coupon : array_like of float
        Annual coupon rate, decimal.
    maturity : array_like of dates
    clean_price : array_like of float
        Per 100 face, positive.
    settlement : array_like of dates
    frequency : int, default 2
    convention : {"street", "treasury"}, default "street"

    Returns
    -------
    ndarray of float64, broadcast shape

    Raises
    ------
    ConvergenceError
        If the solver fails for any element (not seen in practice; reported with its index).

    Examples
    --------
    The 8¾% bond of 31 CFR 356 App. B II.A at 99.057893 yields 8.84%:

    >>> round(float(yield_from_price(0.0875, "2020-05-15", 99.057893, "1990-05-15")), 6)
    0.0884
    """
    terms = _inputs.terms_from_dates(coupon, maturity, settlement, frequency)
    return _solve(terms, clean_price, convention)


def yield_from_price_years(
    coupon: Any,
    years_to_maturity: Any,
    clean_price: Any,
    frequency: int = 2,
    convention: Convention = "street",
) -> FloatArray:
    """Yield to maturity (decimal) from a clean price, time to maturity in years.

    Inverse of :func:`clean_price_from_years`; solver and errors as :func:`yield_from_price`.

    Examples
    --------
    A 4% bond, 30 years to run, quoted at par yields 4%:

    >>> round(float(yield_from_price_years(0.04, 30.0, 100.0)), 12)
    0.04
    """
    terms = _inputs.terms_from_years(coupon, years_to_maturity, frequency)
    return _solve(terms, clean_price, convention)
