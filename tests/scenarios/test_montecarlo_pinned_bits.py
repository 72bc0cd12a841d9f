"""Pinned bits: a seed's Monte Carlo numbers never change, whatever the kernel's speed work.

The hashes below were taken before any performance change to the fused generator and fund step;
a faster kernel must reproduce every output bit for these seeds (normal, Student-t, bootstrap,
stocks on and off), whole, chunked and on the cluster. Changing a hash is changing what a seed
means: say so in the commit and in the README, never silently.

Re-pinned once, on merging issue 10 (branch ``numbers``): TMF's financing accrues ACT/360
(``FINANCING_DAY_FRACTION``) and stocks are drawn on every path (for P(beats stocks)). The new
hashes were taken from the kernel before the speed work with those two changes, and the fast
kernels reproduce them bit for bit.
"""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pandas as pd
import pytest

from bondthesis.funds.leveraged import TMF_FINANCING_SPREAD
from bondthesis.scenarios._layout import OUT_DRAWDOWN_STOCKS, OUT_STOCKS
from bondthesis.scenarios.montecarlo import (
    BLOCK_PATHS,
    BlockBootstrap,
    LeveragedFund,
    MonteCarloResult,
    MonteCarloSpec,
    NormalShocks,
    PositionWeights,
    StockModel,
    StudentTShocks,
    TreasuryFund,
    bootstrap_history,
    simulate,
    simulate_paths,
)


def _history() -> BlockBootstrap:
    rng = np.random.default_rng(0)
    dates = pd.bdate_range("2010-01-01", periods=600)
    history = bootstrap_history(
        pd.Series(0.04 + np.cumsum(rng.normal(0, 0.0005, 600)), index=dates),
        stock_price=pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.01, 600))), index=dates),
    )
    return BlockBootstrap(history, block_days=10)


def _specs() -> dict[str, MonteCarloSpec]:
    n = 2 * BLOCK_PATHS + 301
    return {
        "normal": MonteCarloSpec(n_paths=n, horizon_days=40, seed=11),
        "normal-stocks-drift": MonteCarloSpec(
            n_paths=n,
            horizon_days=40,
            seed=12,
            target_yield=0.03,
            cash_target=0.02,
            stocks=StockModel(annual_return=0.07, annual_vol=0.18),
            weights=PositionWeights(tlt=0.3, tmf=0.2, stocks=0.4, cash=0.1),
            tmf=LeveragedFund(financing_spread=TMF_FINANCING_SPREAD),
            tlt=TreasuryFund(duration_follows_yield=True, carry_follows_yield=True),
        ),
        "student-t": MonteCarloSpec(
            n_paths=n, horizon_days=40, seed=13, shocks=StudentTShocks(degrees_of_freedom=4.0)
        ),
        "bootstrap": MonteCarloSpec(
            n_paths=n,
            horizon_days=40,
            seed=14,
            shocks=_history(),
            weights=PositionWeights(tlt=0.4, tmf=0.2, stocks=0.4, cash=0.0),
        ),
        "high-vol": MonteCarloSpec(
            n_paths=BLOCK_PATHS, horizon_days=252, seed=15, shocks=NormalShocks(daily_vol=0.004)
        ),
    }


PINNED = {
    "normal": "fae934d88981b8cbf2084917a29b63da",
    "normal-stocks-drift": "de811b0e0ad748d2fcac5b29600c49a9",
    "student-t": "cc8df9e09549dc50824f38465a1e6010",
    "bootstrap": "ff7a5516d00e2349081115f555f5f881",
    "high-vol": "2928eaca400e512943b03cd7da1d1c14",
}


PINNED_SUMMARY = {
    "normal": "75030c5c6f54e7a46a5b8e35cb4fddc4",
    "normal-stocks-drift": "4eb2d2f9f1ead1634ec9fee4154790b7",
    "student-t": "67af03bd9888cd5cbe30af86fb6efccd",
    "bootstrap": "76b8e0c89cabc438bca92e3ecf241397",
    "high-vol": "f9ab71cb934a51c4d52ddafd315597ab",
}


def _summary_digest(result: MonteCarloResult) -> str:
    numbers = [
        (
            o.name,
            o.return_quantiles,
            o.mean_return,
            o.return_std,
            o.probability_of_loss,
            o.expected_shortfall_5pct,
            o.max_drawdown_median,
            o.max_drawdown_worst_5pct,
        )
        for o in result.outcomes
    ]
    text = repr([*numbers, result.terminal_yield_quantiles])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _digest(paths: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(paths, dtype="<f8").tobytes()).hexdigest()[:32]


@pytest.mark.parametrize("name", sorted(PINNED))
def test_outputs_keep_their_bits(name: str) -> None:
    spec = _specs()[name]
    whole = simulate_paths(spec)
    assert _digest(whole) == PINNED[name]
    chunked = simulate_paths(spec, chunk_paths=BLOCK_PATHS)
    assert _digest(chunked) == PINNED[name]


@pytest.mark.parametrize("name", sorted(PINNED_SUMMARY))
def test_summaries_keep_their_bits(name: str) -> None:
    assert _summary_digest(simulate(_specs()[name])) == PINNED_SUMMARY[name]


def test_outputs_keep_their_bits_on_a_cluster() -> None:
    distributed = pytest.importorskip("distributed")
    spec = _specs()["student-t"]
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = simulate_paths(spec, client=client, chunk_paths=BLOCK_PATHS)
    assert _digest(remote) == PINNED["student-t"]


def _bonds_and_cash(spec: MonteCarloSpec) -> MonteCarloSpec:
    """``spec`` with a mix that holds no stocks (stocks still drawn, for P(beats stocks))."""
    return dataclasses.replace(
        spec, weights=PositionWeights(tlt=0.5, tmf=0.3, stocks=0.0, cash=0.2)
    )


def _with_stock_columns_of(paths: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """``paths`` with the two stock columns taken from ``reference`` (the rest untouched)."""
    merged = paths.copy()
    columns = [OUT_STOCKS, OUT_DRAWDOWN_STOCKS]
    merged[:, columns] = reference[:, columns]
    return merged


@pytest.mark.parametrize("name", ["normal", "student-t", "bootstrap", "high-vol"])
def test_leaving_stocks_out_changes_no_other_bit(name: str) -> None:
    """Without a stock model no stock stream is drawn (the no-stocks day step runs), and every
    other column has the bits of the run that draws stocks: they have a stream of their own."""
    with_stocks = _bonds_and_cash(_specs()[name])
    reference = simulate_paths(with_stocks)
    alone = simulate_paths(dataclasses.replace(with_stocks, stocks=None))
    if name != "bootstrap":  # the bootstrap replays its history's stock returns without draws
        assert np.all(alone[:, OUT_STOCKS] == 1.0)
        assert np.all(alone[:, OUT_DRAWDOWN_STOCKS] == 0.0)
    assert _digest(_with_stock_columns_of(alone, reference)) == _digest(reference)
    summary = simulate(dataclasses.replace(with_stocks, stocks=None))
    assert all(o.probability_beats_stocks is None for o in summary.outcomes)
    assert _summary_digest(summary) == _summary_digest(simulate(with_stocks))


def test_a_mix_holding_stocks_needs_a_stock_model() -> None:
    with pytest.raises(ValueError, match="needs a stock model"):
        MonteCarloSpec(n_paths=10, stocks=None, weights=PositionWeights(0.3, 0.3, 0.4, 0.0))


_AVX2_PROBE = """
import sys, dataclasses
sys.path.insert(0, {tests!r})
from test_montecarlo_pinned_bits import _bonds_and_cash, _digest, _specs, _with_stock_columns_of
from bondthesis.scenarios.montecarlo import simulate_paths
print(_digest(simulate_paths(_specs()["normal-stocks-drift"])))
print(_digest(simulate_paths(_specs()["student-t"])))
spec = _bonds_and_cash(_specs()["high-vol"])
alone = simulate_paths(dataclasses.replace(spec, stocks=None))
print(_digest(_with_stock_columns_of(alone, simulate_paths(spec))) == _digest(simulate_paths(spec)))
"""


def test_avx2_code_keeps_the_bits() -> None:
    """The code numba generates for an AVX2-only CPU gives the same bits (run on this host)."""
    import os
    import platform
    import subprocess
    import sys
    from pathlib import Path

    if platform.machine().lower() not in {"x86_64", "amd64"}:
        pytest.skip("AVX2 code can only run on an x86-64 host")
    import llvmlite.binding as ll

    features = ll.get_host_cpu_features().flatten().split(",")
    if "+avx2" not in features:
        pytest.skip("this CPU has no AVX2")
    narrowed = ",".join(
        "-" + f[1:] if f[1:].startswith(("avx512", "avx10", "amx-avx512")) else f for f in features
    )
    env = {**os.environ, "NUMBA_CPU_NAME": "znver3", "NUMBA_CPU_FEATURES": narrowed}
    code = _AVX2_PROBE.format(tests=str(Path(__file__).parent))
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == [
        PINNED["normal-stocks-drift"],
        PINNED["student-t"],
        "True",  # the no-stocks step equals the step with stocks, bit for bit
    ]
