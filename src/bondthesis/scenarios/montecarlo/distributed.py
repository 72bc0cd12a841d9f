"""Run the Monte Carlo on a Dask cluster: one task per chunk of whole blocks, gathered in order.

Each task calls the same kernel as a local run on the same blocks, with the same SeedSequence
children, so the gathered per-path results are identical to the local ones, bit for bit. Tasks run
their blocks on one thread: the cluster supplies the parallelism, and nested thread pools would
only fight over the cores.

Point it at a cluster with a client or a scheduler address::

    from distributed import Client
    client = Client("tcp://scheduler:8786")
    simulate(MonteCarloSpec(n_paths=10_000_000), client=client)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from bondthesis._typing import FloatArray
from bondthesis.scenarios import _layout as k
from bondthesis.scenarios.montecarlo.blocks import chunk_blocks, simulate_block_range
from bondthesis.scenarios.montecarlo.spec import BLOCK_PATHS, MonteCarloSpec

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["DEFAULT_BLOCKS_PER_TASK", "simulate_paths_on_cluster"]

DEFAULT_BLOCKS_PER_TASK = 16


def _run_chunk(spec: MonteCarloSpec, first_block: int, stop_block: int) -> FloatArray:
    return simulate_block_range(spec, first_block, stop_block, threads=1)


def simulate_paths_on_cluster(
    spec: MonteCarloSpec, client: Client | str, *, chunk_paths: int | None = None
) -> FloatArray:
    """Per-path results of ``spec`` computed on the cluster behind ``client``, shape (n_paths, 10).

    Parameters
    ----------
    spec : MonteCarloSpec
        The run.
    client : distributed.Client or str
        A connected client, or a scheduler address such as ``"tcp://127.0.0.1:8786"`` (a client is
        opened for the call and closed after it).
    chunk_paths : int, optional
        Paths per task, a multiple of ``BLOCK_PATHS``; default 16 blocks (65,536 paths).
    """
    from distributed import Client as DaskClient

    if chunk_paths is None:
        chunk_paths = DEFAULT_BLOCKS_PER_TASK * BLOCK_PATHS
    chunks = chunk_blocks(spec.n_paths, chunk_paths)
    if isinstance(client, str):
        with DaskClient(client, timeout="10s") as owned:  # type: ignore[no-untyped-call]
            return _gather(spec, owned, chunks)
    if not isinstance(client, DaskClient):
        raise TypeError(
            f"client must be a distributed.Client or a scheduler address, got {type(client)!r}"
        )
    return _gather(spec, client, chunks)


def _gather(spec: MonteCarloSpec, client: Any, chunks: list[tuple[int, int]]) -> FloatArray:
    # hash=False: a fresh key per run, so a rerun never races the release of the last one
    [spec_future] = client.scatter([spec], broadcast=True, hash=False)
    futures = [
        client.submit(_run_chunk, spec_future, first, stop, pure=False) for first, stop in chunks
    ]
    parts = client.gather(futures)
    out = np.empty((spec.n_paths, k.N_OUT), dtype=np.float64)
    for (first, _stop), rows in zip(chunks, parts, strict=True):
        out[first * BLOCK_PATHS : first * BLOCK_PATHS + rows.shape[0]] = rows
    return out
