"""Monte Carlo of the long-Treasury position: yield paths -> TLT-like, TMF-like, stocks, the mix.

A path is ``horizon_days`` trading days. Each day the long yield moves by a shock (normal,
Student-t, or a block of historical days) plus an optional pull toward a target yield; a TLT-like
fund earns ``-D(y) dy + 0.5 C dy² + carry(y)/252`` less its fee; a TMF-like fund earns ``L``
times that, less ``(L-1)`` times the financing rate (the short-rate path plus a spread) and its
fee; stocks earn a normal daily return correlated with the yield shock (or the same historical
day's return in the bootstrap); cash earns the short rate. The position is bought on day 0 and
held (no rebalancing inside the horizon).

Reproducibility: paths come in fixed blocks of :data:`BLOCK_PATHS`; block ``b`` draws from its
own ``numpy.random.SeedSequence(seed, spawn_key=(b,))`` child. Chunks are whole numbers of blocks,
so the numbers do not depend on the chunk size, the thread count or whether a Dask cluster ran them.

Memory: the generator is fused with the fund step, so no (paths x days) array exists; a run holds
``n_paths x 10`` doubles of per-path results (80 MB for a million paths).
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from bondthesis._typing import FloatArray
from bondthesis.funds.leveraged import TMF_FINANCING_SPREAD
from bondthesis.scenarios import _kernels as k
from bondthesis.scenarios.bootstrap import BootstrapHistory, bootstrap_history
from bondthesis.scenarios.montecarlo_results import (
    QUANTILE_LEVELS,
    MonteCarloResult,
    Outcome,
    summarize,
)
from bondthesis.scenarios.position import PositionWeights
from bondthesis.units import check_decimal_rate

if TYPE_CHECKING:
    from distributed import Client

__all__ = [
    "BLOCK_PATHS",
    "QUANTILE_LEVELS",
    "BlockBootstrap",
    "BootstrapHistory",
    "LeveragedFund",
    "MonteCarloResult",
    "MonteCarloSpec",
    "NormalShocks",
    "Outcome",
    "PositionWeights",
    "StockModel",
    "StudentTShocks",
    "TreasuryFund",
    "bootstrap_history",
    "simulate",
    "simulate_paths",
    "summarize",
]

BLOCK_PATHS = 4096
"""Paths per random stream. Part of the definition of a seed's numbers: do not change lightly."""

TRADING_DAYS = 252.0


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _finite(value: float, name: str) -> None:
    _check(math.isfinite(value), f"{name} must be a finite number, got {value!r}")


@dataclass(frozen=True)
class NormalShocks:
    """Daily yield changes ~ Normal(0, daily_vol²).

    ``daily_vol`` is decimal per day; the default 0.00055 (5.5bp) is about the standard deviation
    of DGS30's daily changes in 2022-2026 (5.6bp; 5.2bp over 1977-2026), i.e. ~87bp a year.
    """

    daily_vol: float = 0.00055

    def __post_init__(self) -> None:
        _finite(self.daily_vol, "daily_vol")
        _check(self.daily_vol >= 0.0, "daily_vol must be >= 0 (a decimal, 0.0008 is 8bp a day)")


@dataclass(frozen=True)
class StudentTShocks:
    """Daily yield changes ~ Student-t with ``degrees_of_freedom``, scaled to std ``daily_vol``.

    Fat tails at the same volatility: with 4 degrees of freedom a 5-sigma day is ~70 times more
    likely than under the normal.
    """

    daily_vol: float = 0.00055
    degrees_of_freedom: float = 4.0

    def __post_init__(self) -> None:
        _finite(self.daily_vol, "daily_vol")
        _check(self.daily_vol >= 0.0, "daily_vol must be >= 0 (a decimal, 0.0008 is 8bp a day)")
        _check(
            math.isfinite(self.degrees_of_freedom) and self.degrees_of_freedom > 2.0,
            "degrees_of_freedom must be > 2 (the variance is infinite at 2 or below), e.g. 4",
        )


@dataclass(frozen=True)
class BlockBootstrap:
    """Blocks of ``block_days`` consecutive historical days, drawn with replacement.

    A drawn day brings its long-yield change, short-rate change and (when the history has it)
    stock return together, so their joint behaviour on that day is kept. ``demean=True`` removes
    the sample's average yield and short-rate changes (the 1990-2025 sample drifted ~-0.4bp a day,
    ~-1% a year); the drift toward a target then comes only from ``target_yield``.
    """

    history: BootstrapHistory
    block_days: int = 21
    demean: bool = True

    def __post_init__(self) -> None:
        _check(
            1 <= self.block_days <= self.history.n_days,
            f"block_days must be between 1 and the {self.history.n_days} days of history",
        )


@dataclass(frozen=True)
class TreasuryFund:
    """A TLT-like fund as one equivalent bond: duration, convexity and carry at the path's yield.

    Defaults: effective duration 16.5 years at a 4.7% yield (the article: ~15.5-16.5; a 3% coupon,
    26-year bond at 4.7% has 16.4 years), convexity 350 years² (that bond: 362; a 25-year par bond
    at 4.7%: 297), expense ratio 0.15%. When ``duration_follows_yield`` the duration moves with the
    yield by its exact local slope dD/dy = D² - C (16.5² - 350 = -77.75: -0.78 years per +100bp);
    when ``carry_follows_yield`` the carry is the current yield, else ``reference_yield``.
    """

    duration_years: float = 16.5
    convexity_years2: float = 350.0
    reference_yield: float = 0.047
    duration_follows_yield: bool = True
    carry_follows_yield: bool = True
    expense_ratio: float = 0.0015

    def __post_init__(self) -> None:
        for name in ("duration_years", "convexity_years2", "reference_yield", "expense_ratio"):
            _finite(getattr(self, name), name)
        check_decimal_rate(self.reference_yield, "reference_yield")
        check_decimal_rate(self.expense_ratio, "expense_ratio")
        _check(self.duration_years >= 0.0, "duration_years must be >= 0, e.g. 16.5")
        _check(self.convexity_years2 >= 0.0, "convexity_years2 must be >= 0, e.g. 350")


@dataclass(frozen=True)
class LeveragedFund:
    """A TMF-like daily-reset fund on the TLT-like index: leverage, fee, financing spread.

    Borrowing ``leverage - 1`` times the assets costs the short rate plus ``financing_spread`` a
    year (swap financing; by default :data:`~bondthesis.funds.leveraged.TMF_FINANCING_SPREAD`,
    0.47%, fitted to the real TMF); the fee is 0.91% a year (TMF's expense ratio). A day's value
    is floored at 0 (a -33% index day wipes out a 3x fund).
    """

    leverage: float = 3.0
    expense_ratio: float = 0.0091
    financing_spread: float = TMF_FINANCING_SPREAD

    def __post_init__(self) -> None:
        for name in ("leverage", "expense_ratio", "financing_spread"):
            _finite(getattr(self, name), name)
        check_decimal_rate(self.expense_ratio, "expense_ratio")
        check_decimal_rate(self.financing_spread, "financing_spread")
        _check(self.leverage >= 1.0, "leverage must be >= 1 (3 for TMF)")


@dataclass(frozen=True)
class StockModel:
    """Stocks: normal daily simple returns with a stated correlation to the yield shock.

    Defaults: 7% a year expected, 18% volatility (SPY 1993-2026: 18.4%), correlation +0.17 with
    the daily yield change (SPY returns vs DGS30 changes: +0.17 over 1993-2026, +0.33 in
    2000-2021, -0.08 in 2022-2026). A positive value means stocks fall when yields fall, which is
    the recession case the thesis bets on; set it to the regime you believe in.
    """

    annual_return: float = 0.07
    annual_vol: float = 0.18
    correlation_with_yield_changes: float = 0.17

    def __post_init__(self) -> None:
        for name in ("annual_return", "annual_vol", "correlation_with_yield_changes"):
            _finite(getattr(self, name), name)
        check_decimal_rate(self.annual_return, "stock_return")
        check_decimal_rate(self.annual_vol, "stock_vol", allow_negative=False)
        _check(
            -1.0 <= self.correlation_with_yield_changes <= 1.0,
            "correlation_with_yield_changes must be between -1 and 1",
        )


Shocks = NormalShocks | StudentTShocks | BlockBootstrap


@dataclass(frozen=True)
class MonteCarloSpec:
    """Everything that defines a run; the same spec and seed give the same numbers, bit for bit.

    Parameters
    ----------
    n_paths, horizon_days : int
        Number of paths (>= 1) and trading days per path (>= 1).
    shocks : NormalShocks, StudentTShocks or BlockBootstrap
        The daily yield-change model.
    start_yield : float
        Long yield on day 0, decimal (0.047).
    target_yield : float or None
        When set, each day the yield also moves ``reversion_per_year/252 * (target - y)``: the
        expected gap to the target shrinks by ~63% a year at ``reversion_per_year=1``.
    cash_rate, cash_target, cash_reversion_per_year
        The short-rate path (decimal): starts at ``cash_rate`` and, if ``cash_target`` is set,
        drifts toward it the same way; the bootstrap adds the historical short-rate changes. It is
        floored at 0 and finances TMF's borrowing and pays the cash sleeve.
    tlt, tmf, stocks, weights
        The instruments and the held mix.
    seed : int
        Root of the numpy SeedSequence tree (>= 0).
    """

    n_paths: int
    horizon_days: int = 252
    shocks: Shocks = field(default_factory=NormalShocks)
    start_yield: float = 0.047
    target_yield: float | None = None
    reversion_per_year: float = 1.0
    cash_rate: float = 0.037
    cash_target: float | None = None
    cash_reversion_per_year: float = 1.0
    tlt: TreasuryFund = field(default_factory=TreasuryFund)
    tmf: LeveragedFund = field(default_factory=LeveragedFund)
    stocks: StockModel = field(default_factory=StockModel)
    weights: PositionWeights = field(default_factory=PositionWeights)
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("n_paths", "horizon_days", "seed"):
            value = getattr(self, name)
            _check(
                isinstance(value, int | np.integer) and not isinstance(value, bool),
                f"{name} must be an integer, got {value!r}",
            )
        _check(self.n_paths >= 1, f"n_paths must be >= 1, got {self.n_paths}")
        _check(self.horizon_days >= 1, f"horizon_days must be >= 1, got {self.horizon_days}")
        _check(self.seed >= 0, f"seed must be >= 0, got {self.seed}")
        for name in ("start_yield", "reversion_per_year", "cash_rate", "cash_reversion_per_year"):
            _finite(getattr(self, name), name)
        for name in ("target_yield", "cash_target"):
            value = getattr(self, name)
            if value is not None:
                _finite(value, name)
        _check(
            0.0 <= self.reversion_per_year <= TRADING_DAYS
            and 0.0 <= self.cash_reversion_per_year <= TRADING_DAYS,
            "reversion speeds must be between 0 and 252 a year (1.0 closes ~63% of the gap a year)",
        )
        check_decimal_rate(self.cash_rate, "cash_rate", allow_negative=False)
        check_decimal_rate(self.start_yield, "start_yield")
        for name in ("target_yield", "cash_target"):
            value = getattr(self, name)
            if value is not None:
                check_decimal_rate(value, name)


# ---------------------------------------------------------------------------------------------
# Kernel arguments


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
        simulate_stocks=True,  # for P(beats stocks) even when the mix holds none
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

    The unit of work of both the local and the Dask runs; columns as in ``_kernels.OUT_*``.
    Blocks run on ``threads`` threads (default: one per core; the kernel releases the GIL); each
    block writes only its own rows, so the thread count cannot change a number.
    """
    inputs = _kernel_inputs(spec)
    first_path = first_block * BLOCK_PATHS
    n_chunk = min(stop_block * BLOCK_PATHS, spec.n_paths) - first_path
    _check(n_chunk > 0, f"blocks {first_block}..{stop_block} hold no paths of this run")
    out = np.empty((n_chunk, k.N_OUT), dtype=np.float64)
    states = block_states(spec.seed, first_block, stop_block - first_block)

    def run(index: int) -> None:
        first = index * BLOCK_PATHS
        k.simulate_block(
            inputs.model,
            states[index],
            first,
            min(first + BLOCK_PATHS, n_chunk),
            spec.horizon_days,
            inputs.params,
            inputs.cash_path,
            inputs.history_long,
            inputs.history_short,
            inputs.history_stock,
            inputs.block_days,
            inputs.simulate_stocks,
            out,
        )

    n_threads = min(threads or os.cpu_count() or 1, len(states))
    if n_threads <= 1:
        for index in range(len(states)):
            run(index)
    else:
        with ThreadPoolExecutor(n_threads) as pool:
            list(pool.map(run, range(len(states))))
    return out


def _chunk_blocks(n_paths: int, chunk_paths: int | None) -> list[tuple[int, int]]:
    n_blocks = -(-n_paths // BLOCK_PATHS)
    if chunk_paths is None:
        return [(0, n_blocks)]
    _check(
        isinstance(chunk_paths, int) and chunk_paths > 0 and chunk_paths % BLOCK_PATHS == 0,
        f"chunk_paths must be a positive multiple of {BLOCK_PATHS}, got {chunk_paths!r}",
    )
    step = chunk_paths // BLOCK_PATHS
    return [(b, min(b + step, n_blocks)) for b in range(0, n_blocks, step)]


def simulate_paths(
    spec: MonteCarloSpec,
    *,
    chunk_paths: int | None = None,
    client: Client | str | None = None,
) -> FloatArray:
    """Per-path results of the whole run, shape (n_paths, 10), computed locally or on Dask.

    ``chunk_paths`` (a multiple of :data:`BLOCK_PATHS`) bounds the work per call or task; the
    numbers are the same for every chunking and for every cluster.
    """
    if client is not None:
        from bondthesis.scenarios.distributed import simulate_paths_on_cluster

        return simulate_paths_on_cluster(spec, client, chunk_paths=chunk_paths)
    chunks = _chunk_blocks(spec.n_paths, chunk_paths)
    if len(chunks) == 1:
        return simulate_block_range(spec, *chunks[0])
    out = np.empty((spec.n_paths, k.N_OUT), dtype=np.float64)
    for first, stop in chunks:
        rows = simulate_block_range(spec, first, stop)
        out[first * BLOCK_PATHS : first * BLOCK_PATHS + rows.shape[0]] = rows
    return out


def simulate(
    spec: MonteCarloSpec,
    *,
    chunk_paths: int | None = None,
    client: Client | str | None = None,
    keep_terminal: bool = False,
) -> MonteCarloResult:
    """Run the Monte Carlo and summarize it.

    Parameters
    ----------
    spec : MonteCarloSpec
        The run.
    chunk_paths : int, optional
        Paths per kernel call or Dask task, a multiple of :data:`BLOCK_PATHS` (default: one call
        locally, 16 blocks per task on a cluster). Results do not depend on it.
    client : distributed.Client or str, optional
        A Dask client or a scheduler address (``"tcp://10.0.0.5:8786"``): the chunks run on that
        cluster, with the same numbers as locally.
    keep_terminal : bool
        Keep each instrument's terminal values (n_paths doubles each) in the outcomes.

    Returns
    -------
    MonteCarloResult

    Examples
    --------
    With no volatility a TLT-like fund only earns its carry: 4.7% less 0.15% fee, compounded
    daily over 252 days, is +4.65%:

    >>> spec = MonteCarloSpec(n_paths=10, shocks=NormalShocks(daily_vol=0.0))
    >>> round(simulate(spec).outcome("tlt").mean_return, 4)
    0.0465
    """
    paths = simulate_paths(spec, chunk_paths=chunk_paths, client=client)
    return summarize(spec, paths, keep_terminal=keep_terminal)
