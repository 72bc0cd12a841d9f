"""The same Monte Carlo on a Dask cluster gives the same numbers, bit for bit."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest

from bondthesis.scenarios.montecarlo import (
    BLOCK_PATHS,
    BlockBootstrap,
    MonteCarloSpec,
    StudentTShocks,
    bootstrap_history,
    simulate,
    simulate_paths,
)

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as local_cluster:
        yield local_cluster


def test_dask_equals_local(cluster: object) -> None:
    spec = MonteCarloSpec(
        n_paths=3 * BLOCK_PATHS + 123, horizon_days=21, shocks=StudentTShocks(), seed=9
    )
    local = simulate_paths(spec)
    with distributed.Client(cluster) as client:
        remote = simulate_paths(spec, client=client, chunk_paths=BLOCK_PATHS)
        result = simulate(spec, client=client)
    np.testing.assert_array_equal(remote, local)
    assert result.outcome("tmf").return_quantiles == simulate(spec).outcome("tmf").return_quantiles


def test_dask_by_scheduler_address_with_bootstrap(cluster: object) -> None:
    rng = np.random.default_rng(0)
    dates = pd.bdate_range("2010-01-01", periods=600)
    history = bootstrap_history(
        pd.Series(0.04 + np.cumsum(rng.normal(0, 0.0005, 600)), index=dates),
        stock_price=pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.01, 600))), index=dates),
    )
    spec = MonteCarloSpec(
        n_paths=BLOCK_PATHS + 7, horizon_days=30, shocks=BlockBootstrap(history, block_days=10)
    )
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    remote = simulate_paths(spec, client=address, chunk_paths=BLOCK_PATHS)
    np.testing.assert_array_equal(remote, simulate_paths(spec))


def test_client_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(TypeError, match=r"distributed\.Client or a scheduler address"):
        simulate_paths(MonteCarloSpec(n_paths=10), client=42)  # type: ignore[arg-type]
