"""The yield solver behind ``yield_from_price``: one bond per array element (private).

Bonds are described as in :mod:`bondthesis.bonds._kernels`; the target is the dirty price.
"""

from __future__ import annotations

import math

import numpy as np

from bondthesis._typing import FloatArray, IntArray
from bondthesis.bonds._jit import jit, prange
from bondthesis.bonds._kernels import PARALLEL_THRESHOLD, risk_scalar

STATUS_CONVERGED = 0
STATUS_NOT_CONVERGED = 1


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


@jit()
def _solve_serial(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    dirty_target: FloatArray,
    frequency: float,
    treasury: bool,
    out: FloatArray,
    status: IntArray,
) -> None:
    for i in range(out.size):
        out[i], status[i] = _solve_scalar(
            coupon_per_period[i],
            n_after_next[i],
            fraction_to_next[i],
            dirty_target[i],
            frequency,
            treasury,
        )


@jit(parallel=True)
def _solve_parallel(
    coupon_per_period: FloatArray,
    n_after_next: IntArray,
    fraction_to_next: FloatArray,
    dirty_target: FloatArray,
    frequency: float,
    treasury: bool,
    out: FloatArray,
    status: IntArray,
) -> None:
    for i in prange(out.size):
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
    kernel = _solve_parallel if out.size >= PARALLEL_THRESHOLD // 200 else _solve_serial
    kernel(
        coupon_per_period, n_after_next, fraction_to_next, dirty_target, frequency, treasury,
        out, status,
    )  # fmt: skip
    return out, status
