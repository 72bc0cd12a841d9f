"""Argument checks and broadcasting shared by pricing.py and risk.py (private)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from bondthesis._typing import FloatArray, IntArray
from bondthesis.bonds.schedule import check_frequency, coupon_position

Convention = Literal["street", "treasury"]

# Periods within this of a whole number count as whole: 30.0 years must not become 61 coupons
# because 30.0 * 2 came out as 60.000000000000007 after arithmetic on day counts.
_WHOLE_PERIOD_TOLERANCE = 1e-9


def is_treasury(convention: str) -> bool:
    """True for the Treasury (Appendix B) convention, False for the street convention."""
    if convention == "street":
        return False
    if convention == "treasury":
        return True
    raise ValueError(
        f"convention must be 'street' (market quotes, QuantLib) or 'treasury' "
        f"(31 CFR 356 Appendix B auction formula); got {convention!r}"
    )


def as_float_array(value: Any, name: str) -> FloatArray:
    """A float64 array of finite numbers, or a ValueError naming the argument."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (ValueError, TypeError) as exc:
        raise TypeError(f"{name} must be numbers; got {value!r}") from exc
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinity; pass finite numbers")
    return array


def coupons(value: Any) -> FloatArray:
    """Annual coupon rates as decimals in [0, 1]."""
    array = as_float_array(value, "coupon")
    if (array < 0.0).any() or (array > 1.0).any():
        raise ValueError(
            "coupon is an annual rate as a decimal in [0, 1], e.g. 0.045 for 4.5%; "
            f"got {array[(array < 0.0) | (array > 1.0)].ravel()[0]!r}"
        )
    return array


def yields(value: Any, frequency: int, name: str = "ytm") -> FloatArray:
    """Yields as decimals above -frequency (where the discount factor 1/(1+y/f) stays positive)."""
    array = as_float_array(value, name)
    if (array <= -frequency).any():
        raise ValueError(
            f"{name} must be a decimal above {-frequency} (1 + {name}/frequency must stay "
            f"positive), e.g. 0.045 for 4.5%; got {array[array <= -frequency].ravel()[0]!r}"
        )
    return array


@dataclass(frozen=True)
class BondTerms:
    """Bonds as the kernels see them, all of one shape (see bonds/_kernels.py)."""

    coupon_per_period: FloatArray
    n_after_next: IntArray
    fraction_to_next: FloatArray
    frequency: int

    @property
    def shape(self) -> tuple[int, ...]:
        return self.n_after_next.shape

    @property
    def accrued(self) -> FloatArray:
        """Accrued interest per 100 face."""
        return np.asarray((1.0 - self.fraction_to_next) * self.coupon_per_period)


def terms_from_dates(coupon: Any, maturity: Any, settlement: Any, frequency: int) -> BondTerms:
    """Kernel terms from coupon rates and maturity/settlement dates (broadcast together)."""
    frequency = check_frequency(frequency)
    rates = coupons(coupon)
    position = coupon_position(maturity, settlement, frequency)
    shape = np.broadcast_shapes(rates.shape, position.remaining.shape)
    return BondTerms(
        coupon_per_period=np.broadcast_to(100.0 * rates / frequency, shape),
        n_after_next=np.broadcast_to(position.remaining - 1, shape),
        fraction_to_next=np.broadcast_to(position.fraction_to_next, shape),
        frequency=frequency,
    )


def terms_from_years(coupon: Any, years_to_maturity: Any, frequency: int) -> BondTerms:
    """Kernel terms from coupon rates and times to maturity in years (broadcast together)."""
    frequency = check_frequency(frequency)
    rates = coupons(coupon)
    years = as_float_array(years_to_maturity, "years_to_maturity")
    if (years <= 0.0).any():
        raise ValueError(
            "years_to_maturity must be positive (a bond that has matured has no price); "
            f"got {years[years <= 0.0].ravel()[0]!r}"
        )
    periods = years * frequency
    whole = np.round(periods)
    periods = np.where(np.abs(periods - whole) <= _WHOLE_PERIOD_TOLERANCE, whole, periods)
    remaining = np.maximum(np.ceil(periods), 1.0)
    fraction = periods - (remaining - 1.0)
    shape = np.broadcast_shapes(rates.shape, years.shape)
    return BondTerms(
        coupon_per_period=np.broadcast_to(100.0 * rates / frequency, shape),
        n_after_next=np.broadcast_to((remaining - 1.0).astype(np.int64), shape),
        fraction_to_next=np.broadcast_to(fraction, shape),
        frequency=frequency,
    )


def _flat(array: np.ndarray[Any, Any], shape: tuple[int, ...], dtype: Any) -> Any:
    return np.ascontiguousarray(np.broadcast_to(array, shape), dtype=dtype).reshape(-1)


def prices(terms: BondTerms, ytm: FloatArray, treasury: bool, *, clean: bool) -> FloatArray:
    """Dirty (or clean) prices per 100 of ``terms`` at ``ytm``, broadcast together."""
    from bondthesis.bonds import _kernels  # numba loads on the first price, not on import

    full = np.broadcast_shapes(terms.shape, ytm.shape)
    total = math.prod(full)
    bond_shape = (1,) * (len(full) - len(terms.shape)) + terms.shape
    ytm_shape = (1,) * (len(full) - ytm.ndim) + ytm.shape
    # Bonds that vary only along the leading axes (a column of bonds against a row of yield
    # shifts) are priced as a grid, without copying each bond's terms once per yield.
    varying = [axis for axis, size in enumerate(bond_shape) if size != 1]
    split = varying[-1] + 1 if varying else 0
    rows = math.prod(full[:split])
    cols = total // rows if rows else 0
    row_shape = full[:split] + (1,) * (len(full) - split)

    def per_row(array: np.ndarray[Any, Any], dtype: Any) -> Any:
        return _flat(array.reshape(bond_shape), row_shape, dtype)

    if rows >= 4 and cols >= 16 and all(size == 1 for size in ytm_shape[:split]):
        # every bond sees the same yields: the shared-yield kernel needs one exp a price
        offset = terms.accrued if clean else np.zeros(terms.shape)
        table = _kernels.prices_shared_yields(
            per_row(terms.coupon_per_period, np.float64),
            per_row(terms.n_after_next, np.int64),
            per_row(terms.fraction_to_next, np.float64),
            per_row(offset, np.float64),
            _flat(ytm.reshape(ytm_shape), (1,) * split + full[split:], np.float64),
            float(terms.frequency),
            treasury,
        )
        return table.reshape(full)
    if total >= _kernels.PARALLEL_THRESHOLD and rows >= 2:
        dirty = _kernels.dirty_price_grid(
            per_row(terms.coupon_per_period, np.float64),
            per_row(terms.n_after_next, np.int64),
            per_row(terms.fraction_to_next, np.float64),
            np.broadcast_to(ytm, full).reshape(rows, cols),
            float(terms.frequency),
            treasury,
        ).reshape(full)
    else:
        dirty = _kernels.dirty_prices(
            _flat(terms.coupon_per_period, full, np.float64),
            _flat(terms.n_after_next, full, np.int64),
            _flat(terms.fraction_to_next, full, np.float64),
            _flat(ytm, full, np.float64),
            float(terms.frequency),
            treasury,
        ).reshape(full)
    if clean:
        dirty -= terms.accrued
    return dirty


def risk_terms(terms: BondTerms, ytm: FloatArray, treasury: bool) -> FloatArray:
    """Dirty price, dP/dy, d2P/dy2 and Macaulay duration: shape broadcast + (4,)."""
    full = np.broadcast_shapes(terms.shape, ytm.shape)
    from bondthesis.bonds import _kernels  # numba loads on first pricing only

    table = _kernels.risk_terms(
        _flat(terms.coupon_per_period, full, np.float64),
        _flat(terms.n_after_next, full, np.int64),
        _flat(terms.fraction_to_next, full, np.float64),
        _flat(ytm, full, np.float64),
        float(terms.frequency),
        treasury,
    )
    return table.reshape((*full, 4))
