"""Numba kernels of the Monte Carlo engine: a fused random generator and the daily fund step.

Nothing here is public; :mod:`bondthesis.scenarios.montecarlo` checks the arguments and calls in.

Random numbers
--------------
Each block of paths owns one xoshiro256++ stream seeded from its own ``numpy.random.SeedSequence``
child (8 words: 4 for the yield stream, 4 for the stock stream). A block is simulated path after
path, day after day, by one thread, so the numbers a path sees depend only on the seed and its
block, never on the chunking, the thread count or the machine that ran it (the generators are in
:mod:`bondthesis.scenarios._random`).

Fund step (one day, decimals)
-----------------------------
index return  r = -D(y) dy + 0.5 C dy² + carry(y) / 252
TLT-like      1 + r - expense_tlt / 252
TMF-like      max(0, 1 + L r - (L - 1)(cash + spread) 365.25/252/360 - expense_tmf / 252)
with D(y) = max(0, D0 + (D0² - C)(y - y_ref)) when duration follows the yield (the exact local slope
of modified duration: dD/dy = D² - C), and carry(y) = y when carry follows the yield.
"""

from __future__ import annotations

import math
from typing import Any

import numba
import numpy as np
from llvmlite import ir  # type: ignore[import-untyped]
from numba.core import types
from numba.extending import intrinsic

from bondthesis.scenarios._layout import (
    DAY_FRACTION,
    FINANCING_DAY_FRACTION,
    LANES,
    MODEL_BOOTSTRAP,
    MODEL_STUDENT_T,
    OUT_CASH,
    OUT_DRAWDOWN_POSITION,
    OUT_DRAWDOWN_STOCKS,
    OUT_DRAWDOWN_TLT,
    OUT_DRAWDOWN_TMF,
    OUT_POSITION,
    OUT_STOCKS,
    OUT_TLT,
    OUT_TMF,
    OUT_YIELD,
    P_CARRY_FOLLOWS,
    P_CONVEXITY,
    P_DAILY_VOL,
    P_DEGREES_OF_FREEDOM,
    P_DURATION,
    P_DURATION_SLOPE,
    P_FINANCING_SPREAD,
    P_HISTORY_STD,
    P_LEVERAGE,
    P_REFERENCE_YIELD,
    P_REVERSION_DAILY,
    P_START_YIELD,
    P_STOCK_CORRELATION,
    P_STOCK_MEAN_DAILY,
    P_STOCK_VOL_DAILY,
    P_TARGET_YIELD,
    P_TLT_FEE_DAILY,
    P_TMF_FEE_DAILY,
    P_WEIGHT_CASH,
    P_WEIGHT_STOCKS,
    P_WEIGHT_TLT,
    P_WEIGHT_TMF,
)
from bondthesis.scenarios._random import next_gamma, next_normal, next_uniform

__all__: list[str] = []


def _min_max_codegen(name: str) -> Any:
    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        double = ir.DoubleType()
        function = builder.module.declare_intrinsic(
            name, [double], ir.FunctionType(double, [double, double])
        )
        # nnan: no NaN reaches here, so maxnum/minnum lower to one vmaxpd/vminpd
        return builder.call(function, args, fastmath=("nnan",))

    return codegen


def _larger_typing(typingctx: Any, old: Any, new: Any) -> Any:  # pragma: no cover - compiled
    """``max(old, new)`` as LLVM's ``maxnum``: one vmaxpd and an unmasked store.

    Python's ``max()`` is a branch in numba; ``lane[i] = max(lane[i], v)`` then becomes, in
    LLVM, a store only where the value changed, and vectorized, a masked store (vmaskmovpd),
    microcoded and ~10x slower on AVX2 CPUs. A ``select`` of the loaded value gets the same
    treatment, and ``np.maximum`` stores every lane but spends three compares and three blends
    on NaN rules. ``maxnum`` is neither. No NaN reaches the peaks and drawdowns and they never
    hold -0.0, so every bit is the same as ``max()``'s.
    """
    return types.float64(types.float64, types.float64), _min_max_codegen("llvm.maxnum")


def _smaller_typing(typingctx: Any, old: Any, new: Any) -> Any:  # pragma: no cover - compiled
    """``min(old, new)`` as LLVM's ``minnum`` (see :func:`_larger_typing`)."""
    return types.float64(types.float64, types.float64), _min_max_codegen("llvm.minnum")


_larger: Any = intrinsic(_larger_typing)
_smaller: Any = intrinsic(_smaller_typing)


# offsets of the per-lane fields in the kernel's one work buffer
_F_SHOCK = 0 * LANES
_F_STANDARDIZED = 1 * LANES
_F_SHORT_CHANGE = 2 * LANES
_F_STOCK_RETURN = 3 * LANES
_F_Y = 4 * LANES
_F_SHORT_SHIFT = 5 * LANES
_F_TLT = 6 * LANES
_F_TMF = 7 * LANES
_F_STOCKS = 8 * LANES
_F_CASH = 9 * LANES
_F_PEAK_TLT = 10 * LANES
_F_PEAK_TMF = 11 * LANES
_F_PEAK_STOCKS = 12 * LANES
_F_PEAK_POSITION = 13 * LANES
_F_DD_TLT = 14 * LANES
_F_DD_TMF = 15 * LANES
_F_DD_STOCKS = 16 * LANES
_F_DD_POSITION = 17 * LANES
_N_FIELDS = 18


@numba.njit(nogil=True, cache=True, error_model="numpy")
def simulate_block(
    model: int,
    state: Any,
    first: int,
    last: int,
    n_days: int,
    params: Any,
    cash_path: Any,
    history_long: Any,
    history_short: Any,
    history_stock: Any,
    block_days: int,
    simulate_stocks: bool,
    out: Any,
) -> None:
    """Simulate paths ``first .. last - 1`` (one block) from its 8-word ``state`` into ``out``.

    ``out`` has shape (n_paths, N_OUT); only rows ``first .. last - 1`` are written. One compiled
    function for every caller (local threads, Dask tasks): a path's numbers cannot depend on
    which loop called it.
    """
    start_yield = params[P_START_YIELD]
    daily_vol = params[P_DAILY_VOL]
    dof = params[P_DEGREES_OF_FREEDOM]
    t_scale = math.sqrt(max(dof - 2.0, 0.0) / 2.0)
    reversion = params[P_REVERSION_DAILY]
    target = params[P_TARGET_YIELD]
    duration0 = params[P_DURATION]
    slope = params[P_DURATION_SLOPE]
    half_convexity = 0.5 * params[P_CONVEXITY]
    reference = params[P_REFERENCE_YIELD]
    carry_follows = params[P_CARRY_FOLLOWS]
    carry_fixed = 1.0 - carry_follows
    tlt_fee = params[P_TLT_FEE_DAILY]
    leverage = params[P_LEVERAGE]
    borrowed = leverage - 1.0
    spread = params[P_FINANCING_SPREAD]
    tmf_fee = params[P_TMF_FEE_DAILY]
    stock_mean = params[P_STOCK_MEAN_DAILY]
    stock_vol = params[P_STOCK_VOL_DAILY]
    rho = params[P_STOCK_CORRELATION]
    rho_orth = math.sqrt(max(1.0 - rho * rho, 0.0))
    w_tlt = params[P_WEIGHT_TLT]
    w_tmf = params[P_WEIGHT_TMF]
    w_stocks = params[P_WEIGHT_STOCKS]
    w_cash = params[P_WEIGHT_CASH]
    history_std = params[P_HISTORY_STD]
    n_starts = history_long.shape[0] - block_days + 1
    stock_history = history_stock.shape[0] > 0
    draw_stocks = simulate_stocks and not (model == MODEL_BOOTSTRAP and stock_history)

    s0 = state[0]
    s1 = state[1]
    s2 = state[2]
    s3 = state[3]
    q0 = state[4]
    q1 = state[5]
    q2 = state[6]
    q3 = state[7]

    # one buffer, fields at constant offsets: the compiler can then prove the lanes of different
    # fields never overlap and vectorize the day step (separate arrays defeat its alias checks)
    lane = np.zeros(_N_FIELDS * LANES)
    history_index = np.zeros(LANES, dtype=np.intp)

    for group in range(first, last, LANES):
        lanes = min(LANES, last - group)
        for j in range(LANES):
            lane[_F_Y + j] = start_yield
            lane[_F_SHORT_SHIFT + j] = 0.0
            lane[_F_TLT + j] = 1.0
            lane[_F_TMF + j] = 1.0
            lane[_F_STOCKS + j] = 1.0
            lane[_F_CASH + j] = 1.0
            lane[_F_PEAK_TLT + j] = 1.0
            lane[_F_PEAK_TMF + j] = 1.0
            lane[_F_PEAK_STOCKS + j] = 1.0
            lane[_F_PEAK_POSITION + j] = 1.0
            lane[_F_DD_TLT + j] = 0.0
            lane[_F_DD_TMF + j] = 0.0
            lane[_F_DD_STOCKS + j] = 0.0
            lane[_F_DD_POSITION + j] = 0.0
        for day in range(n_days):
            # 1. draws, lane by lane (the order defines the stream)
            if model == MODEL_BOOTSTRAP:
                day_in_block = day % block_days
                for j in range(LANES):
                    if day_in_block == 0:
                        u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
                        history_index[j] = min(np.intp(u * n_starts), n_starts - 1)
                    k = history_index[j] + day_in_block
                    lane[_F_SHOCK + j] = history_long[k]
                    lane[_F_SHORT_CHANGE + j] = history_short[k]
                    if stock_history:
                        lane[_F_STOCK_RETURN + j] = history_stock[k]
                    elif history_std > 0.0:
                        lane[_F_STANDARDIZED + j] = lane[_F_SHOCK + j] / history_std
            elif model == MODEL_STUDENT_T:
                for j in range(LANES):
                    z, s0, s1, s2, s3 = next_normal(s0, s1, s2, s3)
                    g, s0, s1, s2, s3 = next_gamma(0.5 * dof, s0, s1, s2, s3)
                    z = z * t_scale / math.sqrt(g)
                    lane[_F_STANDARDIZED + j] = z
                    lane[_F_SHOCK + j] = daily_vol * z
            else:
                for j in range(LANES):
                    z, s0, s1, s2, s3 = next_normal(s0, s1, s2, s3)
                    lane[_F_STANDARDIZED + j] = z
                    lane[_F_SHOCK + j] = daily_vol * z
            if draw_stocks:
                for j in range(LANES):
                    e, q0, q1, q2, q3 = next_normal(q0, q1, q2, q3)
                    lane[_F_STOCK_RETURN + j] = stock_mean + stock_vol * (
                        rho * lane[_F_STANDARDIZED + j] + rho_orth * e
                    )
            # 2. the day step, branch-free so the loop vectorizes
            cash_today = cash_path[day]
            for j in range(LANES):
                level = lane[_F_Y + j]
                dy = reversion * (target - level) + lane[_F_SHOCK + j]
                rate = max(cash_today + lane[_F_SHORT_SHIFT + j], 0.0)
                duration = max(duration0 + slope * (level - reference), 0.0)
                carry = carry_follows * level + carry_fixed * reference
                r = -duration * dy + half_convexity * dy * dy + carry * DAY_FRACTION
                tlt_value = lane[_F_TLT + j] * (1.0 + r - tlt_fee)
                tmf_value = lane[_F_TMF + j] * max(
                    1.0
                    + leverage * r
                    - borrowed * (rate + spread) * FINANCING_DAY_FRACTION
                    - tmf_fee,
                    0.0,
                )
                cash_value = lane[_F_CASH + j] * (1.0 + rate * DAY_FRACTION)
                stock_value = lane[_F_STOCKS + j] * max(1.0 + lane[_F_STOCK_RETURN + j], 0.0)
                position = (
                    w_tlt * tlt_value
                    + w_tmf * tmf_value
                    + w_stocks * stock_value
                    + w_cash * cash_value
                )
                lane[_F_Y + j] = level + dy
                lane[_F_SHORT_SHIFT + j] += lane[_F_SHORT_CHANGE + j]
                lane[_F_TLT + j] = tlt_value
                lane[_F_TMF + j] = tmf_value
                lane[_F_CASH + j] = cash_value
                lane[_F_STOCKS + j] = stock_value
                # peaks and drawdowns: computed, then stored on every lane (see _larger)
                peak_tlt = _larger(lane[_F_PEAK_TLT + j], tlt_value)
                peak_tmf = _larger(lane[_F_PEAK_TMF + j], tmf_value)
                peak_stocks = _larger(lane[_F_PEAK_STOCKS + j], stock_value)
                peak_position = _larger(lane[_F_PEAK_POSITION + j], position)
                lane[_F_PEAK_TLT + j] = peak_tlt
                lane[_F_PEAK_TMF + j] = peak_tmf
                lane[_F_PEAK_STOCKS + j] = peak_stocks
                lane[_F_PEAK_POSITION + j] = peak_position
                lane[_F_DD_TLT + j] = _smaller(lane[_F_DD_TLT + j], tlt_value / peak_tlt - 1.0)
                lane[_F_DD_TMF + j] = _smaller(lane[_F_DD_TMF + j], tmf_value / peak_tmf - 1.0)
                lane[_F_DD_STOCKS + j] = _smaller(
                    lane[_F_DD_STOCKS + j], stock_value / peak_stocks - 1.0
                )
                lane[_F_DD_POSITION + j] = _smaller(
                    lane[_F_DD_POSITION + j], position / peak_position - 1.0
                )
        for j in range(lanes):
            p = group + j
            out[p, OUT_YIELD] = lane[_F_Y + j]
            out[p, OUT_TLT] = lane[_F_TLT + j]
            out[p, OUT_TMF] = lane[_F_TMF + j]
            out[p, OUT_STOCKS] = lane[_F_STOCKS + j]
            out[p, OUT_CASH] = lane[_F_CASH + j]
            out[p, OUT_POSITION] = (
                w_tlt * lane[_F_TLT + j]
                + w_tmf * lane[_F_TMF + j]
                + w_stocks * lane[_F_STOCKS + j]
                + w_cash * lane[_F_CASH + j]
            )
            out[p, OUT_DRAWDOWN_TLT] = lane[_F_DD_TLT + j]
            out[p, OUT_DRAWDOWN_TMF] = lane[_F_DD_TMF + j]
            out[p, OUT_DRAWDOWN_STOCKS] = lane[_F_DD_STOCKS + j]
            out[p, OUT_DRAWDOWN_POSITION] = lane[_F_DD_POSITION + j]


def _funds_from_shocks_impl(
    yield_changes: Any, params: Any, cash_path: Any, out_tlt: Any, out_tmf: Any
) -> None:
    """Terminal TLT-like and TMF-like values from given daily yield changes, day-major.

    ``yield_changes`` has shape (n_days, n_paths) (each day's changes contiguous, so a day's step
    streams through memory and vectorizes over paths); ``out_tlt``/``out_tmf`` (n_paths,). No
    drift, no random numbers: the compute part alone, for the memory-streaming benchmark and for
    checks against an independent reference on the same shocks.
    """
    n_days, n_paths = yield_changes.shape
    start_yield = params[P_START_YIELD]
    duration0 = params[P_DURATION]
    slope = params[P_DURATION_SLOPE]
    half_convexity = 0.5 * params[P_CONVEXITY]
    reference = params[P_REFERENCE_YIELD]
    carry_follows = params[P_CARRY_FOLLOWS]
    carry_fixed = 1.0 - carry_follows
    tlt_fee = params[P_TLT_FEE_DAILY]
    leverage = params[P_LEVERAGE]
    borrowed = leverage - 1.0
    spread = params[P_FINANCING_SPREAD]
    tmf_fee = params[P_TMF_FEE_DAILY]
    group_paths = 2048
    n_groups = (n_paths + group_paths - 1) // group_paths
    for group in numba.prange(n_groups):
        first = group * group_paths
        lanes = min(group_paths, n_paths - first)
        y = np.full(lanes, start_yield)
        tlt = np.ones(lanes)
        tmf = np.ones(lanes)
        for day in range(n_days):
            financing = borrowed * (cash_path[day] + spread) * FINANCING_DAY_FRACTION + tmf_fee
            row = yield_changes[day, first : first + lanes]
            for j in range(lanes):
                level = y[j]
                dy = row[j]
                duration = max(duration0 + slope * (level - reference), 0.0)
                carry = carry_follows * level + carry_fixed * reference
                r = -duration * dy + half_convexity * dy * dy + carry * DAY_FRACTION
                tlt[j] *= 1.0 + r - tlt_fee
                tmf[j] *= max(1.0 + leverage * r - financing, 0.0)
                y[j] = level + dy
        out_tlt[first : first + lanes] = tlt
        out_tmf[first : first + lanes] = tmf


funds_from_shocks = numba.njit(parallel=True, cache=True, nogil=True, error_model="numpy")(
    _funds_from_shocks_impl
)
