"""Run a spec locally (threads) or on a Dask cluster, and summarize the per-path results."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from bondthesis._typing import FloatArray
from bondthesis.data.cache import cached_result
from bondthesis.scenarios import _layout as k
from bondthesis.scenarios.montecarlo.blocks import chunk_blocks, simulate_block_range
from bondthesis.scenarios.montecarlo.results import MonteCarloResult, summarize
from bondthesis.scenarios.montecarlo.spec import BLOCK_PATHS, MonteCarloSpec

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["simulate", "simulate_paths"]


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
        # Dask loads only when a cluster is asked for
        from bondthesis.scenarios.montecarlo.distributed import simulate_paths_on_cluster

        return simulate_paths_on_cluster(spec, client, chunk_paths=chunk_paths)
    chunks = chunk_blocks(spec.n_paths, chunk_paths)
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

    A local run with a spec run before is read from the result cache (the same bits;
    :mod:`bondthesis.data.cache`, ``BONDTHESIS_RESULT_CACHE=0`` to always run).

    Returns
    -------
    MonteCarloResult

    Examples
    --------
    With no volatility a TLT-like fund only earns its carry: 4.7% less 0.15% fee, compounded
    daily over 252 days, is +4.65%:

    >>> from bondthesis.scenarios.montecarlo import NormalShocks
    >>> spec = MonteCarloSpec(n_paths=10, shocks=NormalShocks(daily_vol=0.0))
    >>> round(simulate(spec).outcome("tlt").mean_return, 4)
    0.0465
    """

    def run() -> MonteCarloResult:
        paths = simulate_paths(spec, chunk_paths=chunk_paths, client=client)
        return summarize(spec, paths, keep_terminal=keep_terminal)

    # a local run is a pure function of the spec (chunking changes no number); a cluster run runs
    return run() if client is not None else cached_result("montecarlo", (spec, keep_terminal), run)
