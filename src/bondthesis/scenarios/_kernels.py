"""Numba kernels of the Monte Carlo engine: a fused random generator and the daily fund step.

Nothing here is public; :mod:`bondthesis.scenarios.montecarlo` checks the arguments and calls in.

Random numbers
--------------
Each block of paths owns one xoshiro256++ stream seeded from its own ``numpy.random.SeedSequence``
child (8 words: 4 for the yield stream, 4 for the stock stream). A block is simulated path after
path, day after day, by one thread, so the numbers a path sees depend only on the seed and its
block, never on the chunking, the thread count or the machine that ran it. Normals come from the
256-layer ziggurat of Marsaglia & Tsang (2000) in the layout numpy uses (52-bit mantissa, 8 bits of
layer index, 1 sign bit from one 64-bit draw); ~99% of draws cost one generator call, a table
look-up, one multiply and one compare. Gammas (for Student-t) use Marsaglia & Tsang (2000) as well.

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

__all__: list[str] = []

# ---------------------------------------------------------------------------------------------
# Ziggurat tables (256 layers, right tail at r = 3.654..., layer area v), built once at import.
_ZIGGURAT_R = 3.6541528853610088
_ZIGGURAT_AREA = 0.00492867323399
_MANTISSA = float(2**52)


def _ziggurat_tables() -> tuple[Any, Any, Any]:
    ki = np.zeros(256, dtype=np.uint64)
    wi = np.zeros(256, dtype=np.float64)
    fi = np.zeros(256, dtype=np.float64)
    dn = _ZIGGURAT_R
    tn = dn
    q = _ZIGGURAT_AREA / math.exp(-0.5 * dn * dn)
    ki[0] = np.uint64((dn / q) * _MANTISSA)
    ki[1] = 0
    wi[0] = q / _MANTISSA
    wi[255] = dn / _MANTISSA
    fi[0] = 1.0
    fi[255] = math.exp(-0.5 * dn * dn)
    for i in range(254, 0, -1):
        dn = math.sqrt(-2.0 * math.log(_ZIGGURAT_AREA / dn + math.exp(-0.5 * dn * dn)))
        ki[i + 1] = np.uint64((dn / tn) * _MANTISSA)
        tn = dn
        fi[i] = math.exp(-0.5 * dn * dn)
        wi[i] = dn / _MANTISSA
    return ki, wi, fi


_KI, _WI, _FI = _ziggurat_tables()

_U64_MASK_52 = np.uint64(0x000FFFFFFFFFFFFF)
_U64_FF = np.uint64(0xFF)
_U64_ONE = np.uint64(1)
_SHIFT_8 = np.uint64(8)
_SHIFT_9 = np.uint64(9)
_SHIFT_11 = np.uint64(11)
_SHIFT_17 = np.uint64(17)
_ROT_23 = np.uint64(23)
_ROT_45 = np.uint64(45)
_SHIFT_64 = np.uint64(64)
_TWO_POW_MINUS_53 = 1.0 / 9007199254740992.0


@numba.njit(inline="always", error_model="numpy")
def _rotl(x: Any, k: Any) -> Any:
    return (x << k) | (x >> (_SHIFT_64 - k))


@numba.njit(inline="always", error_model="numpy")
def _next_u64(s0: Any, s1: Any, s2: Any, s3: Any) -> Any:
    """xoshiro256++: (output, new state)."""
    result = _rotl(s0 + s3, _ROT_23) + s0
    t = s1 << _SHIFT_17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, _ROT_45)
    return result, s0, s1, s2, s3


@numba.njit(inline="always", error_model="numpy")
def _next_uniform(s0: Any, s1: Any, s2: Any, s3: Any) -> Any:
    """A double in [0, 1) from the top 53 bits."""
    r, s0, s1, s2, s3 = _next_u64(s0, s1, s2, s3)
    return float(r >> _SHIFT_11) * _TWO_POW_MINUS_53, s0, s1, s2, s3


@numba.njit(error_model="numpy")
def _ziggurat_rest(r: Any, s0: Any, s1: Any, s2: Any, s3: Any) -> Any:
    """Finish a ziggurat draw whose first 64 bits ``r`` fell outside its layer's box (~1.2%)."""
    while True:
        idx = np.intp(r & _U64_FF)
        sign = 1.0 - 2.0 * float(np.int64((r >> _SHIFT_8) & _U64_ONE))
        rabs = (r >> _SHIFT_9) & _U64_MASK_52
        x = sign * float(np.int64(rabs)) * _WI[idx]
        if rabs < _KI[idx]:
            return x, s0, s1, s2, s3
        if idx == 0:
            # the tail beyond r: Marsaglia's exponential rejection
            while True:
                u1, s0, s1, s2, s3 = _next_uniform(s0, s1, s2, s3)
                u2, s0, s1, s2, s3 = _next_uniform(s0, s1, s2, s3)
                xx = -math.log1p(-u1) / _ZIGGURAT_R
                yy = -math.log1p(-u2)
                if yy + yy > xx * xx:
                    return sign * (_ZIGGURAT_R + xx), s0, s1, s2, s3
        u, s0, s1, s2, s3 = _next_uniform(s0, s1, s2, s3)
        if (_FI[idx - 1] - _FI[idx]) * u + _FI[idx] < math.exp(-0.5 * x * x):
            return x, s0, s1, s2, s3
        r, s0, s1, s2, s3 = _next_u64(s0, s1, s2, s3)


@numba.njit(inline="always", error_model="numpy")
def _next_normal(s0: Any, s1: Any, s2: Any, s3: Any) -> Any:
    """A standard normal by the ziggurat method, and the new state.

    The tables are module globals (numba bakes them in as constants) and the fast path is
    inlined: passing three arrays and returning a tuple through a call cost more than the draw.
    """
    r, s0, s1, s2, s3 = _next_u64(s0, s1, s2, s3)
    idx = np.intp(r & _U64_FF)
    # branch-free sign: a 50/50 branch here would be mispredicted half the time
    sign = 1.0 - 2.0 * float(np.int64((r >> _SHIFT_8) & _U64_ONE))
    rabs = (r >> _SHIFT_9) & _U64_MASK_52
    if rabs < _KI[idx]:
        return sign * float(np.int64(rabs)) * _WI[idx], s0, s1, s2, s3
    return _ziggurat_rest(r, s0, s1, s2, s3)


@numba.njit(error_model="numpy")
def _next_gamma(shape: float, s0: Any, s1: Any, s2: Any, s3: Any) -> Any:
    """Gamma(shape, 1) for shape >= 1 (Marsaglia & Tsang 2000), and the new state."""
    d = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        z, s0, s1, s2, s3 = _next_normal(s0, s1, s2, s3)
        v = 1.0 + c * z
        if v <= 0.0:
            continue
        v = v * v * v
        u, s0, s1, s2, s3 = _next_uniform(s0, s1, s2, s3)
        if u < 1.0 - 0.0331 * z * z * z * z:
            return d * v, s0, s1, s2, s3
        if math.log(u) < 0.5 * z * z + d * (1.0 - v + math.log(v)):
            return d * v, s0, s1, s2, s3


DAY_FRACTION = 1.0 / 252.0  # a multiply: three divisions a day cost more than the ziggurat
# TMF's swap financing accrues ACT/360 on calendar days: a trading day is 365.25/252 calendar
# days on average, so a year of trading days costs 365.25/360 of the quoted rate (not 1x).
FINANCING_DAY_FRACTION = 365.25 / 252.0 / 360.0

MODEL_NORMAL = 0
MODEL_STUDENT_T = 1
MODEL_BOOTSTRAP = 2

# Positions in the float parameter vector handed to the kernel (one vector keeps the signature
# short and the compiled kernel unique).
P_START_YIELD = 0
P_DAILY_VOL = 1
P_DEGREES_OF_FREEDOM = 2
P_REVERSION_DAILY = 3
P_TARGET_YIELD = 4
P_DURATION = 5
P_DURATION_SLOPE = 6
P_CONVEXITY = 7
P_REFERENCE_YIELD = 8
P_CARRY_FOLLOWS = 9
P_TLT_FEE_DAILY = 10
P_LEVERAGE = 11
P_FINANCING_SPREAD = 12
P_TMF_FEE_DAILY = 13
P_STOCK_MEAN_DAILY = 14
P_STOCK_VOL_DAILY = 15
P_STOCK_CORRELATION = 16
P_WEIGHT_TLT = 17
P_WEIGHT_TMF = 18
P_WEIGHT_STOCKS = 19
P_WEIGHT_CASH = 20
P_HISTORY_STD = 21
N_PARAMS = 22

# Columns of the output matrix, one row per path.
OUT_YIELD = 0
OUT_TLT = 1
OUT_TMF = 2
OUT_STOCKS = 3
OUT_CASH = 4
OUT_POSITION = 5
OUT_DRAWDOWN_TLT = 6
OUT_DRAWDOWN_TMF = 7
OUT_DRAWDOWN_STOCKS = 8
OUT_DRAWDOWN_POSITION = 9
N_OUT = 10


LANES = 256
"""Paths stepped side by side within a block: the day step of one path is a chain of dependent
floating-point operations (~4 ns of latency); 256 independent paths per inner loop let the CPU
overlap them and the compiler vectorize the step. The random numbers for a day are drawn first,
lane by lane, in a fixed order, so a block's numbers are still defined by its seed alone."""


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
                        u, s0, s1, s2, s3 = _next_uniform(s0, s1, s2, s3)
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
                    z, s0, s1, s2, s3 = _next_normal(s0, s1, s2, s3)
                    g, s0, s1, s2, s3 = _next_gamma(0.5 * dof, s0, s1, s2, s3)
                    z = z * t_scale / math.sqrt(g)
                    lane[_F_STANDARDIZED + j] = z
                    lane[_F_SHOCK + j] = daily_vol * z
            else:
                for j in range(LANES):
                    z, s0, s1, s2, s3 = _next_normal(s0, s1, s2, s3)
                    lane[_F_STANDARDIZED + j] = z
                    lane[_F_SHOCK + j] = daily_vol * z
            if draw_stocks:
                for j in range(LANES):
                    e, q0, q1, q2, q3 = _next_normal(q0, q1, q2, q3)
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
                lane[_F_PEAK_TLT + j] = max(lane[_F_PEAK_TLT + j], tlt_value)
                lane[_F_PEAK_TMF + j] = max(lane[_F_PEAK_TMF + j], tmf_value)
                lane[_F_PEAK_STOCKS + j] = max(lane[_F_PEAK_STOCKS + j], stock_value)
                lane[_F_PEAK_POSITION + j] = max(lane[_F_PEAK_POSITION + j], position)
                lane[_F_DD_TLT + j] = min(
                    lane[_F_DD_TLT + j], tlt_value / lane[_F_PEAK_TLT + j] - 1.0
                )
                lane[_F_DD_TMF + j] = min(
                    lane[_F_DD_TMF + j], tmf_value / lane[_F_PEAK_TMF + j] - 1.0
                )
                lane[_F_DD_STOCKS + j] = min(
                    lane[_F_DD_STOCKS + j], stock_value / lane[_F_PEAK_STOCKS + j] - 1.0
                )
                lane[_F_DD_POSITION + j] = min(
                    lane[_F_DD_POSITION + j], position / lane[_F_PEAK_POSITION + j] - 1.0
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
