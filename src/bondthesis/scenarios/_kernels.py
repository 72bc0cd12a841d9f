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
TMF-like      max(0, 1 + L r - (L - 1)(cash + spread) / 252 - expense_tmf / 252)
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


@numba.njit(inline="always")
def _rotl(x: Any, k: Any) -> Any:
    return (x << k) | (x >> (_SHIFT_64 - k))


@numba.njit(inline="always")
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


@numba.njit(inline="always")
def _next_uniform(s0: Any, s1: Any, s2: Any, s3: Any) -> Any:
    """A double in [0, 1) from the top 53 bits."""
    r, s0, s1, s2, s3 = _next_u64(s0, s1, s2, s3)
    return float(r >> _SHIFT_11) * _TWO_POW_MINUS_53, s0, s1, s2, s3


@numba.njit(inline="always")
def _next_normal(s0: Any, s1: Any, s2: Any, s3: Any) -> Any:
    """A standard normal by the ziggurat method, and the new state.

    The tables are module globals (numba bakes them in as constants) and the function is inlined:
    passing three arrays and returning a tuple through a call cost more than the draw itself.
    """
    ki = _KI
    wi = _WI
    fi = _FI
    while True:
        r, s0, s1, s2, s3 = _next_u64(s0, s1, s2, s3)
        idx = np.intp(r & _U64_FF)
        # branch-free sign: a 50/50 branch here would be mispredicted half the time
        sign = 1.0 - 2.0 * float(np.int64((r >> _SHIFT_8) & _U64_ONE))
        rabs = (r >> _SHIFT_9) & _U64_MASK_52
        x = sign * float(np.int64(rabs)) * wi[idx]
        if rabs < ki[idx]:
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
        if (fi[idx - 1] - fi[idx]) * u + fi[idx] < math.exp(-0.5 * x * x):
            return x, s0, s1, s2, s3


@numba.njit
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


@numba.njit(inline="always")
def _index_return(y: float, dy: float, params: Any) -> Any:
    duration = params[P_DURATION] + params[P_DURATION_SLOPE] * (y - params[P_REFERENCE_YIELD])
    duration = max(duration, 0.0)
    carry = y if params[P_CARRY_FOLLOWS] != 0.0 else params[P_REFERENCE_YIELD]
    return -duration * dy + 0.5 * params[P_CONVEXITY] * dy * dy + carry / 252.0


def _simulate_blocks_impl(
    model: int,
    states: Any,
    n_paths: int,
    block_paths: int,
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
    """Simulate the paths of ``states.shape[0]`` consecutive blocks into ``out`` (n_paths, N_OUT).

    ``states`` is (n_blocks, 8) uint64; block ``b`` fills rows ``b*block_paths`` up to
    ``min((b+1)*block_paths, n_paths)``.
    """
    n_blocks = states.shape[0]
    start_yield = params[P_START_YIELD]
    daily_vol = params[P_DAILY_VOL]
    dof = params[P_DEGREES_OF_FREEDOM]
    t_scale = math.sqrt(max(dof - 2.0, 0.0) / 2.0)
    reversion = params[P_REVERSION_DAILY]
    target = params[P_TARGET_YIELD]
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
    for b in numba.prange(n_blocks):
        s0 = states[b, 0]
        s1 = states[b, 1]
        s2 = states[b, 2]
        s3 = states[b, 3]
        q0 = states[b, 4]
        q1 = states[b, 5]
        q2 = states[b, 6]
        q3 = states[b, 7]
        first = b * block_paths
        last = min(first + block_paths, n_paths)
        for p in range(first, last):
            y = start_yield
            short_shift = 0.0
            tlt = 1.0
            tmf = 1.0
            stocks = 1.0
            cash = 1.0
            peak_tlt = 1.0
            peak_tmf = 1.0
            peak_stocks = 1.0
            peak_position = 1.0
            dd_tlt = 0.0
            dd_tmf = 0.0
            dd_stocks = 0.0
            dd_position = 0.0
            history_index = 0
            day_in_block = block_days
            for day in range(n_days):
                stock_return = 0.0
                standardized = 0.0
                short_change = 0.0
                if model == MODEL_BOOTSTRAP:
                    if day_in_block == block_days:
                        u, s0, s1, s2, s3 = _next_uniform(s0, s1, s2, s3)
                        history_index = min(np.intp(u * n_starts), n_starts - 1)
                        day_in_block = 0
                    k = history_index + day_in_block
                    day_in_block += 1
                    shock = history_long[k]
                    short_change = history_short[k]
                    if stock_history:
                        stock_return = history_stock[k]
                    elif history_std > 0.0:
                        standardized = shock / history_std
                else:
                    z, s0, s1, s2, s3 = _next_normal(s0, s1, s2, s3)
                    if model == MODEL_STUDENT_T:
                        g, s0, s1, s2, s3 = _next_gamma(0.5 * dof, s0, s1, s2, s3)
                        z = z * t_scale / math.sqrt(g)
                    standardized = z
                    shock = daily_vol * z
                if simulate_stocks and not (model == MODEL_BOOTSTRAP and stock_history):
                    e, q0, q1, q2, q3 = _next_normal(q0, q1, q2, q3)
                    stock_return = stock_mean + stock_vol * (rho * standardized + rho_orth * e)
                dy = reversion * (target - y) + shock
                rate = max(cash_path[day] + short_shift, 0.0)
                r = _index_return(y, dy, params)
                tlt *= 1.0 + r - tlt_fee
                tmf *= max(1.0 + leverage * r - borrowed * (rate + spread) / 252.0 - tmf_fee, 0.0)
                cash *= 1.0 + rate / 252.0
                y += dy
                short_shift += short_change
                if simulate_stocks:
                    stocks *= max(1.0 + stock_return, 0.0)
                position = w_tlt * tlt + w_tmf * tmf + w_stocks * stocks + w_cash * cash
                # drawdowns: divide only on days below the running peak
                if tlt >= peak_tlt:
                    peak_tlt = tlt
                else:
                    dd_tlt = min(dd_tlt, tlt / peak_tlt - 1.0)
                if tmf >= peak_tmf:
                    peak_tmf = tmf
                else:
                    dd_tmf = min(dd_tmf, tmf / peak_tmf - 1.0)
                if stocks >= peak_stocks:
                    peak_stocks = stocks
                else:
                    dd_stocks = min(dd_stocks, stocks / peak_stocks - 1.0)
                if position >= peak_position:
                    peak_position = position
                else:
                    dd_position = min(dd_position, position / peak_position - 1.0)
            out[p, OUT_YIELD] = y
            out[p, OUT_TLT] = tlt
            out[p, OUT_TMF] = tmf
            out[p, OUT_STOCKS] = stocks
            out[p, OUT_CASH] = cash
            out[p, OUT_POSITION] = w_tlt * tlt + w_tmf * tmf + w_stocks * stocks + w_cash * cash
            out[p, OUT_DRAWDOWN_TLT] = dd_tlt
            out[p, OUT_DRAWDOWN_TMF] = dd_tmf
            out[p, OUT_DRAWDOWN_STOCKS] = dd_stocks
            out[p, OUT_DRAWDOWN_POSITION] = dd_position


def _funds_from_shocks_impl(
    yield_changes: Any, params: Any, cash_path: Any, out_tlt: Any, out_tmf: Any
) -> None:
    """Terminal TLT-like and TMF-like values from given daily yield changes (n_paths, n_days).

    No drift and no random numbers: the compute part alone, for the memory-streaming benchmark and
    for checks against an independent reference on the same shocks.
    """
    n_paths, n_days = yield_changes.shape
    start_yield = params[P_START_YIELD]
    tlt_fee = params[P_TLT_FEE_DAILY]
    leverage = params[P_LEVERAGE]
    borrowed = leverage - 1.0
    spread = params[P_FINANCING_SPREAD]
    tmf_fee = params[P_TMF_FEE_DAILY]
    for p in numba.prange(n_paths):
        y = start_yield
        tlt = 1.0
        tmf = 1.0
        for day in range(n_days):
            dy = float(yield_changes[p, day])
            r = _index_return(y, dy, params)
            tlt *= 1.0 + r - tlt_fee
            tmf *= max(
                1.0 + leverage * r - borrowed * (cash_path[day] + spread) / 252.0 - tmf_fee, 0.0
            )
            y += dy
        out_tlt[p] = tlt
        out_tmf[p] = tmf


# One Python body, two compilations: parallel over blocks for one machine, serial for a Dask task
# (the cluster parallelizes over chunks; nesting thread pools would only oversubscribe).
simulate_blocks_parallel = numba.njit(parallel=True, cache=True, nogil=True)(_simulate_blocks_impl)
simulate_blocks_serial = numba.njit(cache=True, nogil=True)(_simulate_blocks_impl)
funds_from_shocks = numba.njit(parallel=True, cache=True, nogil=True)(_funds_from_shocks_impl)
