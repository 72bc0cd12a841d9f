"""The Monte Carlo kernel for drawn shocks (normal, Student-t): same numbers, less work a day.

:func:`bondthesis.scenarios._kernels.simulate_block` handles every model. For the drawn models the
short rate has no random part, so the financing cost and the cash part of the position are the same
on every path and are computed once per block. A group of 256 paths runs in chunks of
``CHUNK_DAYS`` days: the day step (:mod:`bondthesis.scenarios._lane_step`) advances the chunk with
each vector of paths held in registers, and meanwhile draws the next chunk's normal shocks (the
next group's first chunk after a group's last: the stream goes on), in the general kernel's order
(day after day, lane after lane: the order defines the stream). Student-t shocks, and what the
step could not draw ahead, are drawn here in the same order. Stocks, when not compared, stay at 1
without a draw or a step. Every operation that produces an output keeps its order and operands, so
each path's bits equal the general kernel's (``tests/scenarios/test_montecarlo_kernels_agree.py``,
``tests/scenarios/test_montecarlo_pinned_bits.py``).
"""

from __future__ import annotations

import math
from typing import Any

import numba
import numpy as np

from bondthesis.scenarios import _lane_step as step
from bondthesis.scenarios import _layout as k
from bondthesis.scenarios._kernels import simulate_block
from bondthesis.scenarios._random import _KI, _WI_SIGNED, next_gamma, next_normal

__all__: list[str] = []

_LANES = k.LANES
_DAY_FRACTION = k.DAY_FRACTION
_FINANCING_DAY_FRACTION = k.FINANCING_DAY_FRACTION  # ACT/360 (see _layout)

CHUNK_DAYS = 42
"""Days per chunk: a 252-day year is 6 chunks of the same length, so the last chunk of a group
draws all of the next group's first; 2 x 86 KB of shocks (inside L2), and the paths' state is
loaded and stored once per 42 days instead of every day. 18 to 42 days measured alike (within
0.1 ns per path-day)."""


@numba.njit(nogil=True, cache=True, error_model="numpy")
def simulate_drawn_block(
    model: int,
    state: Any,
    first: int,
    last: int,
    n_days: int,
    params: Any,
    cash_path: Any,
    simulate_stocks: bool,
    out: Any,
) -> None:
    """``simulate_block`` for the normal and Student-t models: the same rows, bit for bit."""
    start_yield = params[k.P_START_YIELD]
    dof = params[k.P_DEGREES_OF_FREEDOM]
    t_scale = math.sqrt(max(dof - 2.0, 0.0) / 2.0)
    leverage = params[k.P_LEVERAGE]
    borrowed = leverage - 1.0
    spread = params[k.P_FINANCING_SPREAD]
    stock_mean = params[k.P_STOCK_MEAN_DAILY]
    stock_vol = params[k.P_STOCK_VOL_DAILY]
    rho = params[k.P_STOCK_CORRELATION]
    rho_orth = math.sqrt(max(1.0 - rho * rho, 0.0))
    w_tlt = params[k.P_WEIGHT_TLT]
    w_tmf = params[k.P_WEIGHT_TMF]
    w_stocks = params[k.P_WEIGHT_STOCKS]
    w_cash = params[k.P_WEIGHT_CASH]

    consts = np.empty(step.N_CONSTANTS)
    consts[step.C_REVERSION] = params[k.P_REVERSION_DAILY]
    consts[step.C_TARGET] = params[k.P_TARGET_YIELD]
    consts[step.C_DAILY_VOL] = params[k.P_DAILY_VOL]
    consts[step.C_DURATION] = params[k.P_DURATION]
    consts[step.C_SLOPE] = params[k.P_DURATION_SLOPE]
    consts[step.C_REFERENCE] = params[k.P_REFERENCE_YIELD]
    consts[step.C_HALF_CONVEXITY] = 0.5 * params[k.P_CONVEXITY]
    consts[step.C_CARRY_FOLLOWS] = params[k.P_CARRY_FOLLOWS]
    consts[step.C_CARRY_FIXED] = 1.0 - params[k.P_CARRY_FOLLOWS]
    consts[step.C_TLT_FEE] = params[k.P_TLT_FEE_DAILY]
    consts[step.C_LEVERAGE] = leverage
    consts[step.C_TMF_FEE] = params[k.P_TMF_FEE_DAILY]
    consts[step.C_W_TLT] = w_tlt
    consts[step.C_W_TMF] = w_tmf
    consts[step.C_W_STOCKS] = w_stocks
    consts[step.C_STOCK_PART] = w_stocks * 1.0  # stocks not held stay at 1.0
    consts[step.C_STOCK_MEAN] = stock_mean
    consts[step.C_STOCK_VOL] = stock_vol
    consts[step.C_RHO] = rho
    consts[step.C_RHO_ORTH] = rho_orth

    # duration and carry fixed: the step may use them as constants, with the very same bits
    # (a duration > 0 plus 0 * x is itself; 0 * y + 1.0 * reference is reference unless -0.0)
    reference = params[k.P_REFERENCE_YIELD]
    fixed_terms = (
        params[k.P_DURATION_SLOPE] == 0.0
        and params[k.P_DURATION] > 0.0
        and params[k.P_CARRY_FOLLOWS] == 0.0
        and math.copysign(1.0, reference) > 0.0
    )

    # what every path shares each day (the general kernel's lane-wise values, once per block)
    financing_path = np.empty(n_days)
    cash_part_path = np.empty(n_days)
    cash_value = 1.0
    for day in range(n_days):
        rate = max(cash_path[day] + 0.0, 0.0)
        financing_path[day] = borrowed * (rate + spread) * _FINANCING_DAY_FRACTION
        cash_value = cash_value * (1.0 + rate * _DAY_FRACTION)
        cash_part_path[day] = w_cash * cash_value

    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    q0, q1, q2, q3 = state[4], state[5], state[6], state[7]
    streams = np.empty(8, dtype=np.uint64)
    paths = np.empty(step.N_STATE * _LANES)
    # two chunks of shocks: the step reads one while it draws the next into the other
    shock_buffers = np.empty((2, CHUNK_DAYS * _LANES))
    stock_buffers = np.empty((2, CHUNK_DAYS * _LANES))
    shared = np.empty(2 * CHUNK_DAYS)
    current = 0
    drawn_ahead = 0  # shocks of the coming chunk the step drew already
    for group in range(first, last, _LANES):
        lanes = min(_LANES, last - group)
        for j in range(_LANES):
            paths[step.S_Y * _LANES + j] = start_yield
            for field in (step.S_TLT, step.S_TMF, step.S_STOCKS):
                paths[field * _LANES + j] = 1.0
            for field in (step.S_PEAK_TLT, step.S_PEAK_TMF, step.S_PEAK_STOCKS):
                paths[field * _LANES + j] = 1.0
            paths[step.S_PEAK_POSITION * _LANES + j] = 1.0
            for field in (step.S_DD_TLT, step.S_DD_TMF, step.S_DD_STOCKS, step.S_DD_POSITION):
                paths[field * _LANES + j] = 0.0
        for first_day in range(0, n_days, CHUNK_DAYS):
            days = min(CHUNK_DAYS, n_days - first_day)
            # the next chunk: this group's, else the next group's first (the stream goes on)
            next_days = min(CHUNK_DAYS, n_days - first_day - days)
            if next_days == 0 and group + _LANES < last:
                next_days = min(CHUNK_DAYS, n_days, days)
            shocks = shock_buffers[current]
            stock_returns = stock_buffers[current]
            # 1. draws, day by day and lane by lane, in the general kernel's order (the order
            #    defines the stream): normal shocks come from the step before, the rest here
            if model == k.MODEL_STUDENT_T:
                for i in range(drawn_ahead, days * _LANES):
                    z, s0, s1, s2, s3 = next_normal(s0, s1, s2, s3)
                    g, s0, s1, s2, s3 = next_gamma(0.5 * dof, s0, s1, s2, s3)
                    shocks[i] = z * t_scale / math.sqrt(g)
            else:
                for i in range(drawn_ahead, days * _LANES):
                    z, s0, s1, s2, s3 = next_normal(s0, s1, s2, s3)
                    shocks[i] = z
            if simulate_stocks:
                for i in range(drawn_ahead, days * _LANES):
                    e, q0, q1, q2, q3 = next_normal(q0, q1, q2, q3)
                    mixed = rho * shocks[i] + rho_orth * e
                    stock_returns[i] = stock_mean + stock_vol * mixed
            # 2. what every path shares on these days
            for d in range(days):
                shared[d] = financing_path[first_day + d]
                shared[days + d] = cash_part_path[first_day + d]
            # 3. the day step, paths in vector registers, drawing the next chunk's normal shocks
            need = next_days * _LANES if model != k.MODEL_STUDENT_T else 0
            streams[0], streams[1], streams[2], streams[3] = s0, s1, s2, s3
            streams[4], streams[5], streams[6], streams[7] = q0, q1, q2, q3
            following = 1 - current
            next_shocks = shock_buffers[following]
            next_stocks = stock_buffers[following]
            if simulate_stocks and fixed_terms:
                step.step_with_stocks_fixed_terms(
                    paths, shocks, stock_returns, shared, consts, days,
                    streams, next_shocks, next_stocks, need, _KI, _WI_SIGNED,
                )  # fmt: skip
            elif simulate_stocks:
                step.step_with_stocks(
                    paths, shocks, stock_returns, shared, consts, days,
                    streams, next_shocks, next_stocks, need, _KI, _WI_SIGNED,
                )  # fmt: skip
            elif fixed_terms:
                step.step_bonds_fixed_terms(
                    paths, shocks, stock_returns, shared, consts, days,
                    streams, next_shocks, next_stocks, need, _KI, _WI_SIGNED,
                )  # fmt: skip
            else:
                step.step_bonds(
                    paths, shocks, stock_returns, shared, consts, days,
                    streams, next_shocks, next_stocks, need, _KI, _WI_SIGNED,
                )  # fmt: skip
            s0, s1, s2, s3 = streams[0], streams[1], streams[2], streams[3]
            q0, q1, q2, q3 = streams[4], streams[5], streams[6], streams[7]
            drawn_ahead = need
            current = following
        for j in range(lanes):
            p = group + j
            tlt = paths[step.S_TLT * _LANES + j]
            tmf = paths[step.S_TMF * _LANES + j]
            stocks = paths[step.S_STOCKS * _LANES + j]
            out[p, k.OUT_YIELD] = paths[step.S_Y * _LANES + j]
            out[p, k.OUT_TLT] = tlt
            out[p, k.OUT_TMF] = tmf
            out[p, k.OUT_STOCKS] = stocks
            out[p, k.OUT_CASH] = cash_value
            out[p, k.OUT_POSITION] = (
                w_tlt * tlt + w_tmf * tmf + w_stocks * stocks + w_cash * cash_value
            )
            out[p, k.OUT_DRAWDOWN_TLT] = paths[step.S_DD_TLT * _LANES + j]
            out[p, k.OUT_DRAWDOWN_TMF] = paths[step.S_DD_TMF * _LANES + j]
            out[p, k.OUT_DRAWDOWN_STOCKS] = paths[step.S_DD_STOCKS * _LANES + j]
            out[p, k.OUT_DRAWDOWN_POSITION] = paths[step.S_DD_POSITION * _LANES + j]


def run_block(inputs: Any, state: Any, first: int, last: int, n_days: int, out: Any) -> None:
    """Rows ``first .. last - 1`` of ``out`` with the kernel for the model of ``inputs``.

    ``inputs`` is the engine's ``_KernelInputs``; the kernels release the GIL, so blocks run on
    threads. Drawn shocks take :func:`simulate_drawn_block`, the bootstrap the general kernel.
    """
    if inputs.model != k.MODEL_BOOTSTRAP:
        simulate_drawn_block(
            inputs.model,
            state,
            first,
            last,
            n_days,
            inputs.params,
            inputs.cash_path,
            inputs.simulate_stocks,
            out,
        )
        return
    simulate_block(
        inputs.model,
        state,
        first,
        last,
        n_days,
        inputs.params,
        inputs.cash_path,
        inputs.history_long,
        inputs.history_short,
        inputs.history_stock,
        inputs.block_days,
        inputs.simulate_stocks,
        out,
    )
