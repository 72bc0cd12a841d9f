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

Prices of bonds that each have their own yield use the closed form (``expm1`` keeps the annuity
exact near ``ytm = 0``; three transcendental calls a price). Many bonds against the same yields
(parallel shifts, scenarios) share tables of ``v**k`` and the annuity per block of yields and
need one ``exp`` a price. Risk measures sum the cash flows (exact and stable near ``ytm = 0``,
where closed forms of ``sum k v**k`` cancel).
"""

from __future__ import annotations

import math

import numpy as np

from bondthesis._typing import FloatArray, IntArray
from bondthesis.bonds._jit import jit, prange

# Above this many prices the kernels run on every core; below it thread start-up, and on a
# busy machine the wait for the slowest thread, cost more than they save. The shared-yield
# kernel needs ~4 ns a price on one core, so it splits only very large grids.
PARALLEL_THRESHOLD = 100_000
SHARED_PARALLEL_THRESHOLD = 4_000_000


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
    for i in prange(out.size):
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
    for i in prange(out.shape[0]):
        cpn = coupon_per_period[i]
        n = n_after_next[i]
        w = fraction_to_next[i]
        for j in range(out.shape[1]):
            out[i, j] = dirty_price_scalar(cpn, n, w, ytm[i, j], frequency, treasury)


@jit()
def _shared_yields_block(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    offset: FloatArray,
    ytm: FloatArray,
    frequency: float,
    treasury: bool,
    max_n: int,
    start: int,
    width: int,
    out: FloatArray,
) -> None:
    # out[i, start:start + width]: every bond at the same yields. The tables
    # powers[k, j] = v_j**k and annuity[k, j] = v_j + ... + v_j**k are built once for the block
    # (two multiply-adds an entry, vectorized), then a price needs one exp (v**w) or none
    # (Treasury convention). A product of <= max_n factors loses at most ~max_n ulp.
    x = np.empty(width)
    v = np.empty(width)
    log_growth = np.empty(width)
    powers = np.empty((max_n + 1, width))
    annuity = np.empty((max_n + 1, width))
    for j in range(width):
        x[j] = ytm[start + j] / frequency
        v[j] = 1.0 / (1.0 + x[j])
        log_growth[j] = math.log1p(x[j])
        powers[0, j] = 1.0
        annuity[0, j] = 0.0
    for k in range(1, max_n + 1):
        for j in range(width):
            powers[k, j] = powers[k - 1, j] * v[j]
            annuity[k, j] = annuity[k - 1, j] + powers[k, j]
    for i in range(coupon_per_period.size):
        n = n_after_next[i]
        w = fraction_to_next[i]
        cpn = coupon_per_period[i]
        shift = offset[i]
        if n == 0 or treasury:
            for j in range(width):
                flows = cpn * (1.0 + annuity[n, j]) + 100.0 * powers[n, j]
                out[i, start + j] = flows / (1.0 + w * x[j]) - shift
        else:
            for j in range(width):
                flows = cpn * (1.0 + annuity[n, j]) + 100.0 * powers[n, j]
                out[i, start + j] = math.exp(-w * log_growth[j]) * flows - shift


@jit()
def _shared_yields_serial(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    offset: FloatArray,
    ytm: FloatArray,
    frequency: float,
    treasury: bool,
    max_n: int,
    block: int,
    out: FloatArray,
) -> None:
    for start in range(0, ytm.size, block):
        width = min(ytm.size - start, block)
        _shared_yields_block(
            coupon_per_period, n_after_next, fraction_to_next, offset, ytm,
            frequency, treasury, max_n, start, width, out,
        )  # fmt: skip


@jit(parallel=True)
def _shared_yields_parallel(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    offset: FloatArray,
    ytm: FloatArray,
    frequency: float,
    treasury: bool,
    max_n: int,
    block: int,
    out: FloatArray,
) -> None:
    n_blocks = (ytm.size + block - 1) // block
    for b in prange(n_blocks):
        start = b * block
        width = min(ytm.size - start, block)
        _shared_yields_block(
            coupon_per_period, n_after_next, fraction_to_next, offset, ytm,
            frequency, treasury, max_n, start, width, out,
        )  # fmt: skip


def prices_shared_yields(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    offset: FloatArray,
    ytm: FloatArray,
    frequency: float,
    treasury: bool,
) -> FloatArray:
    """Prices per 100 less ``offset`` of ``n_bonds`` bonds (1-D) at every one of ``ytm`` (1-D).

    Returns shape (n_bonds, n_yields). Pass the accrued interest as ``offset`` for clean prices,
    zeros for dirty prices.
    """
    out = np.empty((coupon_per_period.size, ytm.size), dtype=np.float64)
    max_n = int(n_after_next.max()) if n_after_next.size else 0
    # two tables of (max_n + 1) x block doubles per thread: about 2 MB for 30-year bonds
    block = max(16, min(2048, 131_072 // (max_n + 1)))
    parallel = out.size >= SHARED_PARALLEL_THRESHOLD
    kernel = _shared_yields_parallel if parallel else _shared_yields_serial
    kernel(
        coupon_per_period, n_after_next, fraction_to_next, offset, ytm,
        frequency, treasury, max_n, block, out,
    )  # fmt: skip
    return out


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


@jit()
def _risk_serial(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    ytm: FloatArray,
    frequency: float,
    treasury: bool,
    out: FloatArray,
) -> None:
    for i in range(out.shape[0]):
        price, first, second, macaulay = risk_scalar(
            coupon_per_period[i], n_after_next[i], fraction_to_next[i], ytm[i], frequency, treasury
        )
        out[i, 0] = price
        out[i, 1] = first
        out[i, 2] = second
        out[i, 3] = macaulay


@jit(parallel=True)
def _risk_parallel(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    ytm: FloatArray,
    frequency: float,
    treasury: bool,
    out: FloatArray,
) -> None:
    for i in prange(out.shape[0]):
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
    # about 60 cash flows a bond: worth the threads from a few thousand bonds on
    kernel = _risk_parallel if ytm.size >= PARALLEL_THRESHOLD // 20 else _risk_serial
    kernel(coupon_per_period, n_after_next, fraction_to_next, ytm, frequency, treasury, out)
    return out
