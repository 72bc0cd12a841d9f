"""The Monte Carlo kernel for drawn shocks (normal, Student-t): same numbers, less work a day.

:func:`bondthesis.scenarios._kernels.simulate_block` handles every model; for the drawn models the
short rate has no random part, so the cash rate, the financing cost and the cash value are the same
on every lane and are computed once a day, and stocks (when not held) stay at 1 without a step.
The day step then touches 10 fields of 256 lanes (20 KB, inside a 32 KB L1 cache) instead of 18,
and one division fewer without stocks. Every operation that produces an output keeps its order and
operands, so each path's bits equal the general kernel's (``tests/scenarios/
test_montecarlo_pinned_bits.py`` pins them).
"""

from __future__ import annotations

import math
from typing import Any

import numba
import numpy as np

from bondthesis.scenarios import _layout as k
from bondthesis.scenarios._kernels import _larger, _smaller, simulate_block
from bondthesis.scenarios._random import next_gamma, next_normal

__all__: list[str] = []

_LANES = k.LANES
_DAY_FRACTION = k.DAY_FRACTION
_FINANCING_DAY_FRACTION = k.FINANCING_DAY_FRACTION  # ACT/360 (see _layout)

# offsets of the per-lane fields in the work buffer
_F_Z = 0 * _LANES
_F_STOCK_RETURN = 1 * _LANES
_F_Y = 2 * _LANES
_F_TLT = 3 * _LANES
_F_TMF = 4 * _LANES
_F_STOCKS = 5 * _LANES
_F_PEAK_TLT = 6 * _LANES
_F_PEAK_TMF = 7 * _LANES
_F_PEAK_STOCKS = 8 * _LANES
_F_PEAK_POSITION = 9 * _LANES
_F_DD_TLT = 10 * _LANES
_F_DD_TMF = 11 * _LANES
_F_DD_STOCKS = 12 * _LANES
_F_DD_POSITION = 13 * _LANES
_N_FIELDS = 14


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
    daily_vol = params[k.P_DAILY_VOL]
    dof = params[k.P_DEGREES_OF_FREEDOM]
    t_scale = math.sqrt(max(dof - 2.0, 0.0) / 2.0)
    reversion = params[k.P_REVERSION_DAILY]
    target = params[k.P_TARGET_YIELD]
    duration0 = params[k.P_DURATION]
    slope = params[k.P_DURATION_SLOPE]
    half_convexity = 0.5 * params[k.P_CONVEXITY]
    reference = params[k.P_REFERENCE_YIELD]
    carry_follows = params[k.P_CARRY_FOLLOWS]
    carry_fixed = 1.0 - carry_follows
    tlt_fee = params[k.P_TLT_FEE_DAILY]
    leverage = params[k.P_LEVERAGE]
    borrowed = leverage - 1.0
    spread = params[k.P_FINANCING_SPREAD]
    tmf_fee = params[k.P_TMF_FEE_DAILY]
    stock_mean = params[k.P_STOCK_MEAN_DAILY]
    stock_vol = params[k.P_STOCK_VOL_DAILY]
    rho = params[k.P_STOCK_CORRELATION]
    rho_orth = math.sqrt(max(1.0 - rho * rho, 0.0))
    w_tlt = params[k.P_WEIGHT_TLT]
    w_tmf = params[k.P_WEIGHT_TMF]
    w_stocks = params[k.P_WEIGHT_STOCKS]
    w_cash = params[k.P_WEIGHT_CASH]

    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    q0, q1, q2, q3 = state[4], state[5], state[6], state[7]

    lane = np.zeros(_N_FIELDS * _LANES)
    for group in range(first, last, _LANES):
        lanes = min(_LANES, last - group)
        for j in range(_LANES):
            lane[_F_Y + j] = start_yield
            lane[_F_TLT + j] = 1.0
            lane[_F_TMF + j] = 1.0
            lane[_F_STOCKS + j] = 1.0
            lane[_F_PEAK_TLT + j] = 1.0
            lane[_F_PEAK_TMF + j] = 1.0
            lane[_F_PEAK_STOCKS + j] = 1.0
            lane[_F_PEAK_POSITION + j] = 1.0
            lane[_F_DD_TLT + j] = 0.0
            lane[_F_DD_TMF + j] = 0.0
            lane[_F_DD_STOCKS + j] = 0.0
            lane[_F_DD_POSITION + j] = 0.0
        cash_value = 1.0
        for day in range(n_days):
            # 1. draws, lane by lane, in the general kernel's order (the order defines the stream)
            if model == k.MODEL_STUDENT_T:
                for j in range(_LANES):
                    z, s0, s1, s2, s3 = next_normal(s0, s1, s2, s3)
                    g, s0, s1, s2, s3 = next_gamma(0.5 * dof, s0, s1, s2, s3)
                    lane[_F_Z + j] = z * t_scale / math.sqrt(g)
            else:
                for j in range(_LANES):
                    z, s0, s1, s2, s3 = next_normal(s0, s1, s2, s3)
                    lane[_F_Z + j] = z
            if simulate_stocks:
                for j in range(_LANES):
                    e, q0, q1, q2, q3 = next_normal(q0, q1, q2, q3)
                    lane[_F_STOCK_RETURN + j] = stock_mean + stock_vol * (
                        rho * lane[_F_Z + j] + rho_orth * e
                    )
            # 2. what every lane shares today (the general kernel's lane-wise values, once)
            rate = max(cash_path[day] + 0.0, 0.0)
            financing = borrowed * (rate + spread) * _FINANCING_DAY_FRACTION
            cash_value = cash_value * (1.0 + rate * _DAY_FRACTION)
            cash_part = w_cash * cash_value
            # 3. the day step, branch-free and with unmasked stores so it vectorizes on AVX2
            if simulate_stocks:
                for j in range(_LANES):
                    level = lane[_F_Y + j]
                    dy = reversion * (target - level) + daily_vol * lane[_F_Z + j]
                    duration = max(duration0 + slope * (level - reference), 0.0)
                    carry = carry_follows * level + carry_fixed * reference
                    r = -duration * dy + half_convexity * dy * dy + carry * _DAY_FRACTION
                    tlt_value = lane[_F_TLT + j] * (1.0 + r - tlt_fee)
                    tmf_value = lane[_F_TMF + j] * max(
                        1.0 + leverage * r - financing - tmf_fee, 0.0
                    )
                    stock_value = lane[_F_STOCKS + j] * max(1.0 + lane[_F_STOCK_RETURN + j], 0.0)
                    position = w_tlt * tlt_value + w_tmf * tmf_value + w_stocks * stock_value
                    position = position + cash_part
                    lane[_F_Y + j] = level + dy
                    lane[_F_TLT + j] = tlt_value
                    lane[_F_TMF + j] = tmf_value
                    lane[_F_STOCKS + j] = stock_value
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
            else:
                # stocks not held: their value stays 1.0 (a zero return), its peak 1, drawdown 0
                stock_part = w_stocks * 1.0
                for j in range(_LANES):
                    level = lane[_F_Y + j]
                    dy = reversion * (target - level) + daily_vol * lane[_F_Z + j]
                    duration = max(duration0 + slope * (level - reference), 0.0)
                    carry = carry_follows * level + carry_fixed * reference
                    r = -duration * dy + half_convexity * dy * dy + carry * _DAY_FRACTION
                    tlt_value = lane[_F_TLT + j] * (1.0 + r - tlt_fee)
                    tmf_value = lane[_F_TMF + j] * max(
                        1.0 + leverage * r - financing - tmf_fee, 0.0
                    )
                    position = w_tlt * tlt_value + w_tmf * tmf_value + stock_part + cash_part
                    lane[_F_Y + j] = level + dy
                    lane[_F_TLT + j] = tlt_value
                    lane[_F_TMF + j] = tmf_value
                    peak_tlt = _larger(lane[_F_PEAK_TLT + j], tlt_value)
                    peak_tmf = _larger(lane[_F_PEAK_TMF + j], tmf_value)
                    peak_position = _larger(lane[_F_PEAK_POSITION + j], position)
                    lane[_F_PEAK_TLT + j] = peak_tlt
                    lane[_F_PEAK_TMF + j] = peak_tmf
                    lane[_F_PEAK_POSITION + j] = peak_position
                    lane[_F_DD_TLT + j] = _smaller(lane[_F_DD_TLT + j], tlt_value / peak_tlt - 1.0)
                    lane[_F_DD_TMF + j] = _smaller(lane[_F_DD_TMF + j], tmf_value / peak_tmf - 1.0)
                    lane[_F_DD_POSITION + j] = _smaller(
                        lane[_F_DD_POSITION + j], position / peak_position - 1.0
                    )
        for j in range(lanes):
            p = group + j
            out[p, k.OUT_YIELD] = lane[_F_Y + j]
            out[p, k.OUT_TLT] = lane[_F_TLT + j]
            out[p, k.OUT_TMF] = lane[_F_TMF + j]
            out[p, k.OUT_STOCKS] = lane[_F_STOCKS + j]
            out[p, k.OUT_CASH] = cash_value
            out[p, k.OUT_POSITION] = (
                w_tlt * lane[_F_TLT + j]
                + w_tmf * lane[_F_TMF + j]
                + w_stocks * lane[_F_STOCKS + j]
                + w_cash * cash_value
            )
            out[p, k.OUT_DRAWDOWN_TLT] = lane[_F_DD_TLT + j]
            out[p, k.OUT_DRAWDOWN_TMF] = lane[_F_DD_TMF + j]
            out[p, k.OUT_DRAWDOWN_STOCKS] = lane[_F_DD_STOCKS + j]
            out[p, k.OUT_DRAWDOWN_POSITION] = lane[_F_DD_POSITION + j]


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
