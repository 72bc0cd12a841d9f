"""The unit of work of every run: whole blocks of paths, each with its own random stream.

:func:`simulate_block_range` turns a spec into the kernel's arguments and runs blocks
``first .. stop - 1`` on threads; the local engine and the Dask tasks both call it, so chunking
and clusters cannot change a number.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from bondthesis._typing import FloatArray
from bondthesis.scenarios import _layout as k
from bondthesis.scenarios.montecarlo._threads import cores, shared_pool
from bondthesis.scenarios.montecarlo.spec import (
    BLOCK_PATHS,
    TRADING_DAYS,
    BlockBootstrap,
    MonteCarloSpec,
    StudentTShocks,
    _check,
)

__all__ = ["block_states", "chunk_blocks", "short_rate_path", "simulate_block_range"]


@dataclass(frozen=True, eq=False)
class _KernelInputs:
    model: int
    params: FloatArray
    cash_path: FloatArray
    history_long: FloatArray
    history_short: FloatArray
    history_stock: FloatArray
    block_days: int
    simulate_stocks: bool


def _kernel_inputs(spec: MonteCarloSpec) -> _KernelInputs:
    params = np.zeros(k.N_PARAMS, dtype=np.float64)
    shocks = spec.shocks
    empty = np.zeros(0, dtype=np.float64)
    history_long = history_short = history_stock = empty
    block_days = 1
    if isinstance(shocks, BlockBootstrap):
        model = k.MODEL_BOOTSTRAP
        h = shocks.history
        history_long = h.long_yield_change.astype(np.float64, copy=True)
        history_short = h.short_rate_change.astype(np.float64, copy=True)
        if shocks.demean:
            history_long -= history_long.mean()
            history_short -= history_short.mean()
        if h.stock_return is not None:
            history_stock = h.stock_return.astype(np.float64, copy=True)
        params[k.P_HISTORY_STD] = float(history_long.std())
        block_days = shocks.block_days
    else:
        model = k.MODEL_STUDENT_T if isinstance(shocks, StudentTShocks) else k.MODEL_NORMAL
        params[k.P_DAILY_VOL] = shocks.daily_vol
        if isinstance(shocks, StudentTShocks):
            params[k.P_DEGREES_OF_FREEDOM] = shocks.degrees_of_freedom
    params[k.P_START_YIELD] = spec.start_yield
    if spec.target_yield is not None:
        params[k.P_REVERSION_DAILY] = spec.reversion_per_year / TRADING_DAYS
        params[k.P_TARGET_YIELD] = spec.target_yield
    tlt = spec.tlt
    params[k.P_DURATION] = tlt.duration_years
    if tlt.duration_follows_yield:
        params[k.P_DURATION_SLOPE] = tlt.duration_years**2 - tlt.convexity_years2
    params[k.P_CONVEXITY] = tlt.convexity_years2
    params[k.P_REFERENCE_YIELD] = tlt.reference_yield
    params[k.P_CARRY_FOLLOWS] = 1.0 if tlt.carry_follows_yield else 0.0
    params[k.P_TLT_FEE_DAILY] = tlt.expense_ratio / TRADING_DAYS
    params[k.P_LEVERAGE] = spec.tmf.leverage
    params[k.P_FINANCING_SPREAD] = spec.tmf.financing_spread
    params[k.P_TMF_FEE_DAILY] = spec.tmf.expense_ratio / TRADING_DAYS
    if spec.stocks is not None:
        params[k.P_STOCK_MEAN_DAILY] = spec.stocks.annual_return / TRADING_DAYS
        params[k.P_STOCK_VOL_DAILY] = spec.stocks.annual_vol / math.sqrt(TRADING_DAYS)
        params[k.P_STOCK_CORRELATION] = spec.stocks.correlation_with_yield_changes
    w = spec.weights
    params[k.P_WEIGHT_TLT] = w.tlt
    params[k.P_WEIGHT_TMF] = w.tmf
    params[k.P_WEIGHT_STOCKS] = w.stocks
    params[k.P_WEIGHT_CASH] = w.cash
    return _KernelInputs(
        model=model,
        params=params,
        cash_path=short_rate_path(spec),
        history_long=history_long,
        history_short=history_short,
        history_stock=history_stock,
        block_days=block_days,
        # for P(beats stocks) even when the mix holds none; not at all without a stock model
        simulate_stocks=spec.stocks is not None,
    )


def short_rate_path(spec: MonteCarloSpec) -> FloatArray:
    """The deterministic part of the short rate on each day, decimal, shape (horizon_days,).

    Day ``t`` is ``target + (cash_rate - target) * (1 - kappa/252)**t``; flat without a target.
    From 3.7% toward 3.0% at ``kappa = 1``, day 252 is at 3.0% + 0.7% * 0.368 = 3.26%.
    """
    days = np.arange(spec.horizon_days, dtype=np.float64)
    if spec.cash_target is None:
        return np.full(spec.horizon_days, spec.cash_rate, dtype=np.float64)
    decay = (1.0 - spec.cash_reversion_per_year / TRADING_DAYS) ** days
    return spec.cash_target + (spec.cash_rate - spec.cash_target) * decay


def block_states(
    seed: int, first_block: int, n_blocks: int
) -> np.ndarray[Any, np.dtype[np.uint64]]:
    """Generator states of blocks ``first_block .. first_block + n_blocks - 1``, shape (n, 8).

    Block ``b`` is ``SeedSequence(seed, spawn_key=(b,))`` (the same as
    ``SeedSequence(seed).spawn(b + 1)[b]``): words 0-3 seed the yield stream, 4-7 the stock stream.
    """
    states = np.empty((n_blocks, 8), dtype=np.uint64)
    for i in range(n_blocks):
        sequence = np.random.SeedSequence(seed, spawn_key=(first_block + i,))
        states[i] = sequence.generate_state(8, dtype=np.uint64)
    return states


def simulate_block_range(
    spec: MonteCarloSpec, first_block: int, stop_block: int, *, threads: int | None = None
) -> FloatArray:
    """Per-path results of blocks ``first_block .. stop_block - 1``, shape (paths, 10).

    The unit of work of both the local and the Dask runs; columns as in ``_layout.OUT_*``.
    Blocks run on ``threads`` threads (default: one per core; the kernel releases the GIL); each
    block writes only its own rows, so the thread count cannot change a number.
    """
    # the kernels (and numba) load on the first simulation, not when this module is imported
    from bondthesis.scenarios._drawn import run_block

    inputs = _kernel_inputs(spec)
    first_path = first_block * BLOCK_PATHS
    n_chunk = min(stop_block * BLOCK_PATHS, spec.n_paths) - first_path
    _check(n_chunk > 0, f"blocks {first_block}..{stop_block} hold no paths of this run")
    out = np.empty((n_chunk, k.N_OUT), dtype=np.float64)
    states = block_states(spec.seed, first_block, stop_block - first_block)

    def run(index: int) -> None:
        first = index * BLOCK_PATHS
        last = min(first + BLOCK_PATHS, n_chunk)
        run_block(inputs, states[index], first, last, spec.horizon_days, out)

    wanted = threads or cores()
    n_threads = min(wanted, len(states))
    if n_threads <= 1:
        for index in range(len(states)):
            run(index)
    elif wanted == cores():
        list(shared_pool().map(run, range(len(states))))
    else:
        with ThreadPoolExecutor(n_threads) as pool:
            list(pool.map(run, range(len(states))))
    return out


def chunk_blocks(n_paths: int, chunk_paths: int | None) -> list[tuple[int, int]]:
    """(first, stop) block ranges of ``chunk_paths`` paths each (one range when None)."""
    n_blocks = -(-n_paths // BLOCK_PATHS)
    if chunk_paths is None:
        return [(0, n_blocks)]
    _check(
        isinstance(chunk_paths, int) and chunk_paths > 0 and chunk_paths % BLOCK_PATHS == 0,
        f"chunk_paths must be a positive multiple of {BLOCK_PATHS}, got {chunk_paths!r}",
    )
    step = chunk_paths // BLOCK_PATHS
    return [(b, min(b + step, n_blocks)) for b in range(0, n_blocks, step)]
