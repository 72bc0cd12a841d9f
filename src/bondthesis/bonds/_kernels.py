"""numba kernels behind bonds/pricing.py and bonds/risk.py: one bond per array element.

Every kernel sees a bond only through its position in the coupon cycle:

``coupon_per_period``
    the coupon paid each period per 100 face (``100 * coupon / frequency``);
``n_after_next``
    how many coupons remain after the next one (0 in the final coupon period);
``fraction_to_next``
    the time to the next coupon as a fraction of the current period, in (0, 1]
    (actual/actual ICMA: days to the next coupon over days in the period); the accrued
    fraction is ``1 - fraction_to_next``.

Discounting at ``x = ytm / frequency`` per period, with ``v = 1 / (1 + x)``:

* more than one coupon left, street convention (SIFMA; QuantLib's ``Compounded``)::

      dirty = v**w * (cpn * (1 + a_n) + 100 * v**n),   a_n = v + v**2 + ... + v**n

* more than one coupon left, Treasury convention (31 CFR 356 Appendix B: simple interest for
  the fractional first period)::

      dirty = (cpn * (1 + a_n) + 100 * v**n) / (1 + w * x)

* final coupon period (both conventions)::

      dirty = (cpn + 100) / (1 + w * x)

Prices use the closed form (three transcendental calls a price); risk measures sum the cash
flows (exact and stable near ``ytm = 0`` where closed forms of ``sum k v**k`` cancel).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from bondthesis._typing import FloatArray, IntArray
from bondthesis.bonds._jit import jit

# Above this many prices the kernels run on every core; below it thread start-up costs more
# than it saves.
PARALLEL_THRESHOLD = 20_000

STATUS_CONVERGED = 0
STATUS_NOT_CONVERGED = 1


@jit()
def _annuity(n: int, x: float, log_growth: float) -> float:
    """v + v**2 + ... + v**n without cancellation near x = 0 (v = 1 / (1 + x))."""
    if n == 0:
        return 0.0
    if x == 0.0:
        return float(n)
    return -math.expm1(-n * log_growth) / x


@jit()
def dirty_price_scalar(
    coupon_per_period: float,
    n_after_next: int,
    fraction_to_next: float,
    ytm: float,
    frequency: float,
    treasury: bool,
) -> float:
    """Dirty price per 100 face of one bond (see the module docstring for the formulas)."""
    x = ytm / frequency
    if n_after_next == 0:
        return (coupon_per_period + 100.0) / (1.0 + fraction_to_next * x)
    log_growth = math.log1p(x)
    annuity = _annuity(n_after_next, x, log_growth)
    flows = coupon_per_period * (1.0 + annuity) + 100.0 * math.exp(-n_after_next * log_growth)
    if treasury:
        return flows / (1.0 + fraction_to_next * x)
    return math.exp(-fraction_to_next * log_growth) * flows


@jit()
def risk_scalar(
    coupon_per_period: float,
    n_after_next: int,
    fraction_to_next: float,
    ytm: float,
    frequency: float,
    treasury: bool,
) -> tuple[float, float, float, float]:
    """Dirty price, dP/dy, d2P/dy2 (per 100, per unit of yield) and Macaulay duration (years)."""
    x = ytm / frequency
    v = 1.0 / (1.0 + x)
    w = fraction_to_next
    n = n_after_next
    if n == 0 or treasury:
        # price = g(y) * S(y): simple interest over the fraction, compounding after it
        g = 1.0 / (1.0 + w * x)
        total = 0.0
        weighted = 0.0  # sum k * CF_k * v**k
        weighted2 = 0.0  # sum k * (k + 1) * CF_k * v**k
        discount = 1.0
        for k in range(n + 1):
            flow = coupon_per_period + (100.0 if k == n else 0.0)
            total += flow * discount
            weighted += k * flow * discount
            weighted2 += k * (k + 1.0) * flow * discount
            discount *= v
        d_total = -weighted * v / frequency
        d2_total = weighted2 * v * v / (frequency * frequency)
        step = w / frequency
        d_g = -step * g * g
        d2_g = 2.0 * step * step * g * g * g
        price = g * total
        first = d_g * total + g * d_total
        second = d2_g * total + 2.0 * d_g * d_total + g * d2_total
        macaulay = (w * total + weighted) / (frequency * total)
        return price, first, second, macaulay
    price = 0.0
    timed = 0.0  # sum tau * PV, tau in periods
    timed2 = 0.0  # sum tau * (tau + 1) * PV
    discount = math.exp(-w * math.log1p(x))
    for k in range(n + 1):
        flow = coupon_per_period + (100.0 if k == n else 0.0)
        tau = w + k
        present = flow * discount
        price += present
        timed += tau * present
        timed2 += tau * (tau + 1.0) * present
        discount *= v
    first = -timed * v / frequency
    second = timed2 * v * v / (frequency * frequency)
    return price, first, second, timed / (frequency * price)


@jit()
def _price_serial(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    ytm: FloatArray,
    frequency: float,
    treasury: bool,
    out: FloatArray,
) -> None:
    for i in range(out.size):
        out[i] = dirty_price_scalar(
            coupon_per_period[i], n_after_next[i], fraction_to_next[i], ytm[i], frequency, treasury
        )


@jit(parallel=True)
def _price_parallel(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    ytm: FloatArray,
    frequency: float,
    treasury: bool,
    out: FloatArray,
) -> None:
    for i in numba.prange(out.size):
        out[i] = dirty_price_scalar(
            coupon_per_period[i], n_after_next[i], fraction_to_next[i], ytm[i], frequency, treasury
        )


@jit(parallel=True)
def _price_grid(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    ytm: FloatArray,
    frequency: float,
    treasury: bool,
    out: FloatArray,
) -> None:
    # out[i, j]: bond i at yield ytm[i, j]; one bond's terms stay in registers along a row
    for i in numba.prange(out.shape[0]):
        cpn = coupon_per_period[i]
        n = n_after_next[i]
        w = fraction_to_next[i]
        for j in range(out.shape[1]):
            out[i, j] = dirty_price_scalar(cpn, n, w, ytm[i, j], frequency, treasury)


def dirty_prices(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    ytm: FloatArray,
    frequency: float,
    treasury: bool,
) -> FloatArray:
    """Dirty prices per 100 for 1-D arrays of equal length (one bond per element)."""
    out = np.empty(ytm.size, dtype=np.float64)
    kernel = _price_parallel if out.size >= PARALLEL_THRESHOLD else _price_serial
    kernel(coupon_per_period, n_after_next, fraction_to_next, ytm, frequency, treasury, out)
    return out


def dirty_price_grid(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    ytm: FloatArray,
    frequency: float,
    treasury: bool,
) -> FloatArray:
    """Dirty prices per 100 of ``n_bonds`` bonds, each at its row of a 2-D ``ytm`` grid."""
    out = np.empty(ytm.shape, dtype=np.float64)
    _price_grid(coupon_per_period, n_after_next, fraction_to_next, ytm, frequency, treasury, out)
    return out


@jit(parallel=True)
def _risk_loop(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    ytm: FloatArray,
    frequency: float,
    treasury: bool,
    out: FloatArray,
) -> None:
    for i in numba.prange(out.shape[0]):
        price, first, second, macaulay = risk_scalar(
            coupon_per_period[i], n_after_next[i], fraction_to_next[i], ytm[i], frequency, treasury
        )
        out[i, 0] = price
        out[i, 1] = first
        out[i, 2] = second
        out[i, 3] = macaulay


def risk_terms(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    ytm: FloatArray,
    frequency: float,
    treasury: bool,
) -> FloatArray:
    """Columns dirty price, dP/dy, d2P/dy2, Macaulay duration (years): shape (n_bonds, 4)."""
    out = np.empty((ytm.size, 4), dtype=np.float64)
    _risk_loop(coupon_per_period, n_after_next, fraction_to_next, ytm, frequency, treasury, out)
    return out


@jit()
def _solve_scalar(
    coupon_per_period: float,
    n_after_next: int,
    fraction_to_next: float,
    dirty_target: float,
    frequency: float,
    treasury: bool,
) -> tuple[float, int]:
    """Yield whose dirty price is ``dirty_target``: Newton on log price inside a bracket.

    The price falls strictly as the yield rises on (-frequency, inf), from +inf to 0, so a
    positive target has exactly one root. Every trial point shrinks the bracket; a Newton step
    that leaves it is replaced by bisection (or doubling while no upper bound is known).
    """
    w = fraction_to_next
    log_target = math.log(dirty_target)
    years = (n_after_next + w) / frequency
    clean_guess = dirty_target - (1.0 - w) * coupon_per_period
    y = (coupon_per_period * frequency + (100.0 - clean_guess) / years) / (
        0.5 * (100.0 + clean_guess)
    )
    low = -frequency
    high = math.inf
    y = min(max(y, -0.5 * frequency), 2.0)
    for _ in range(300):
        price, first, _second, _mac = risk_scalar(
            coupon_per_period, n_after_next, w, y, frequency, treasury
        )
        if not (price > 0.0 and math.isfinite(price)):
            gap = math.inf  # overflow near y = -frequency: the price is far too high
        else:
            gap = math.log(price) - log_target
        if gap > 0.0:
            low = y
        else:
            high = y
        if abs(gap) <= 1e-15:
            return y, STATUS_CONVERGED
        candidate = math.nan
        if math.isfinite(gap) and first < 0.0:
            candidate = y - gap * price / first
        if not (low < candidate < high):
            candidate = 0.5 * (low + high) if math.isfinite(high) else max(2.0 * y, y + 1.0)
        if abs(candidate - y) <= 1e-15 * (1.0 + abs(y)):
            return candidate, STATUS_CONVERGED
        y = candidate
    return y, STATUS_NOT_CONVERGED


@jit(parallel=True)
def _solve_loop(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    dirty_target: FloatArray,
    frequency: float,
    treasury: bool,
    out: FloatArray,
    status: IntArray,
) -> None:
    for i in numba.prange(out.size):
        out[i], status[i] = _solve_scalar(
            coupon_per_period[i],
            n_after_next[i],
            fraction_to_next[i],
            dirty_target[i],
            frequency,
            treasury,
        )


def solve_yields(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    dirty_target: FloatArray,
    frequency: float,
    treasury: bool,
) -> tuple[FloatArray, IntArray]:
    """Yields (decimals) matching dirty prices, and a status per bond (0 converged)."""
    out = np.empty(dirty_target.size, dtype=np.float64)
    status = np.empty(dirty_target.size, dtype=np.int64)
    _solve_loop(
        coupon_per_period,
        n_after_next,
        fraction_to_next,
        dirty_target,
        frequency,
        treasury,
        out,
        status,
    )
    return out, status
