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

The package, in the order its modules import each other (no circle): :mod:`.spec` (what defines a
run; no numba), :mod:`.results` (percentiles, shortfall, drawdowns), :mod:`.blocks` (the unit of
work: blocks of paths and their random streams), :mod:`.distributed` (the same blocks as Dask
tasks, loaded only for a cluster), :mod:`.engine` (:func:`simulate`). Import the names from here.
"""

from __future__ import annotations

from bondthesis.scenarios.bootstrap import BootstrapHistory, bootstrap_history
from bondthesis.scenarios.montecarlo.blocks import (
    block_states,
    chunk_blocks,
    short_rate_path,
    simulate_block_range,
)
from bondthesis.scenarios.montecarlo.engine import simulate, simulate_paths
from bondthesis.scenarios.montecarlo.results import (
    QUANTILE_LEVELS,
    MonteCarloResult,
    Outcome,
    quantiles,
    summarize,
)
from bondthesis.scenarios.montecarlo.spec import (
    BLOCK_PATHS,
    TRADING_DAYS,
    BlockBootstrap,
    LeveragedFund,
    MonteCarloSpec,
    NormalShocks,
    Shocks,
    StockModel,
    StudentTShocks,
    TreasuryFund,
)
from bondthesis.scenarios.position import PositionWeights

__all__ = [
    "BLOCK_PATHS",
    "QUANTILE_LEVELS",
    "TRADING_DAYS",
    "BlockBootstrap",
    "BootstrapHistory",
    "LeveragedFund",
    "MonteCarloResult",
    "MonteCarloSpec",
    "NormalShocks",
    "Outcome",
    "PositionWeights",
    "Shocks",
    "StockModel",
    "StudentTShocks",
    "TreasuryFund",
    "block_states",
    "bootstrap_history",
    "chunk_blocks",
    "quantiles",
    "short_rate_path",
    "simulate",
    "simulate_block_range",
    "simulate_paths",
    "summarize",
]
