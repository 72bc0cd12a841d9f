"""B3: leveraged-fund Monte Carlo, 100,000 paths x 252 days (see ../shared/BENCHMARKS.md).

Daily yield changes ~ Normal(0, 8bp); TLT-like daily return -D dy + 0.5 C dy² + carry/252 with
D = 16, C = 300 years², carry 4.5%; TMF-like 3 r - 2 cash/252 - fee/252 (cash 4%, fee 0.91%);
compounded to terminal values; percentiles reported.

Measured side by side in one run:
- numpy, straightforward (float64 paths x days arrays, np.prod), the peer;
- bondthesis ``simulate`` end to end (fused numba generator + fund step + the summary: nine
  percentiles, probability of loss, expected shortfall, drawdowns of TLT, TMF and the mix), with
  no stock model as B3 has no stocks, and again with the stock stream ``bondthesis montecarlo``
  draws for P(beats stocks);
- compute alone: bondthesis's fund step over yield changes already in memory, beside the memory-
  streaming floor (``np.sum`` over the same bytes);
- memory: a 1,000,000 x 252 run in a fresh process (peak RSS, and tracemalloc's peak of numpy
  allocations), and the numpy peer's tracemalloc peak at 100,000 paths.

Run: ``uv run python benchmarks/b3_leveraged_monte_carlo.py`` (prints a markdown table). For the
code an AVX2-only CPU gets, on an AVX-512 host: ``eval "$(uv run python benchmarks/_machine.py
--avx2-env)"`` first. numpy and bondthesis alternate run by run (a burst of load from other
processes hits both), and both the best and the median of the repeats are printed: on a shared
machine the best is the better estimate of what the code costs.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

# A cold numba cache, so the first call's compile time is real and reported on its own; no result
# cache (``simulate`` would answer a repeated spec from it).
os.environ.setdefault("NUMBA_CACHE_DIR", tempfile.mkdtemp(prefix="b3-numba-"))
os.environ["BONDTHESIS_RESULT_CACHE"] = "0"

import numpy as np

from _machine import describe, is_avx2_emulation
from bondthesis.scenarios import _kernels as kernels
from bondthesis.scenarios.montecarlo import (
    QUANTILE_LEVELS,
    LeveragedFund,
    MonteCarloSpec,
    NormalShocks,
    PositionWeights,
    StockModel,
    TreasuryFund,
    simulate,
    simulate_block_range,
)
from bondthesis.scenarios.montecarlo.blocks import _kernel_inputs

N_PATHS = 100_000
N_DAYS = 252
DAILY_VOL = 0.0008
DURATION = 16.0
CONVEXITY = 300.0
CARRY = 0.045
CASH = 0.04
FEE = 0.0091
REPEATS = 9
PERCENTS = [q * 100 for q in QUANTILE_LEVELS]


def spec_b3(
    n_paths: int = N_PATHS, seed: int = 0, stocks: StockModel | None = None
) -> MonteCarloSpec:
    """B3's fund model in bondthesis terms: fixed duration and carry, no TLT fee, no stocks.

    B3 asks for TLT and TMF only, so no stock model (no stock stream, no P(beats stocks));
    ``stocks=StockModel()`` adds the comparison that ``bondthesis montecarlo`` prints.
    """
    return MonteCarloSpec(
        n_paths=n_paths,
        horizon_days=N_DAYS,
        shocks=NormalShocks(DAILY_VOL),
        start_yield=CARRY,
        cash_rate=CASH,
        tlt=TreasuryFund(
            duration_years=DURATION,
            convexity_years2=CONVEXITY,
            reference_yield=CARRY,
            duration_follows_yield=False,
            carry_follows_yield=False,
            expense_ratio=0.0,
        ),
        tmf=LeveragedFund(leverage=3.0, expense_ratio=FEE, financing_spread=0.0),
        weights=PositionWeights(tlt=0.5, tmf=0.5, stocks=0.0, cash=0.0),
        stocks=stocks,
        seed=seed,
    )


def numpy_straightforward(seed: int, n_paths: int = N_PATHS) -> tuple[Any, Any]:
    """The peer: float64 (paths x days) arrays, np.prod, np.percentile."""
    rng = np.random.default_rng(seed)
    dy = rng.normal(0.0, DAILY_VOL, size=(n_paths, N_DAYS))
    r = -DURATION * dy + 0.5 * CONVEXITY * dy**2 + CARRY / 252
    tlt = np.prod(1.0 + r, axis=1)
    tmf = np.prod(1.0 + 3.0 * r - 2.0 * CASH / 252 - FEE / 252, axis=1)
    return np.percentile(tlt - 1, PERCENTS), np.percentile(tmf - 1, PERCENTS)


def bondthesis_end_to_end(seed: int, stocks: StockModel | None = None) -> tuple[Any, Any]:
    result = simulate(spec_b3(seed=seed, stocks=stocks))
    return (
        np.array(result.outcome("tlt").return_quantiles),
        np.array(result.outcome("tmf").return_quantiles),
    )


def timed(function: Callable[[], object], repeats: int = REPEATS) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeats`` calls after one warm-up call."""
    function()
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return float(np.median(walls)), float(np.median(cpus))


def alternated(
    functions: list[Callable[[], object]], repeats: int = REPEATS
) -> list[tuple[list[float], list[float]]]:
    """Wall and CPU seconds of each function, run in turn, ``repeats`` times each."""
    for function in functions:
        function()
    times: list[tuple[list[float], list[float]]] = [([], []) for _ in functions]
    for _ in range(repeats):
        for function, (walls, cpus) in zip(functions, times, strict=True):
            wall, cpu = time.perf_counter(), time.process_time()
            function()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    return times


def one_thread_ns_per_path_day(blocks: int = 6) -> float:
    """Best CPU nanoseconds per path-day of the fused kernel on one thread (no summary).

    The thread's CPU time, not the wall: on a shared machine it leaves out the time the thread
    waited for a core, so it is what the code costs.
    """
    spec = spec_b3(n_paths=blocks * 4096)
    best = math.inf
    simulate_block_range(spec, 0, 1, threads=1)
    for _ in range(REPEATS):
        start = time.thread_time()
        simulate_block_range(spec, 0, blocks, threads=1)
        best = min(best, time.thread_time() - start)
    return best / (blocks * 4096 * N_DAYS) * 1e9


_MEMORY_PROBE = """
import sys, time, tracemalloc
sys.path.insert(0, {bench!r})
from b3_leveraged_monte_carlo import spec_b3
from bondthesis.scenarios.montecarlo import simulate

def high_water_bytes():
    # VmHWM: this process's own peak RSS (ru_maxrss would carry the parent's over exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")

simulate(spec_b3(n_paths=10))  # imports and compile (or cache load) outside the measurement
base = high_water_bytes()
tracemalloc.start()
start = time.perf_counter()
result = simulate(spec_b3(n_paths=1_000_000))
wall = time.perf_counter() - start
traced = tracemalloc.get_traced_memory()[1]
print(base, high_water_bytes(), traced, wall, result.outcome("tmf").return_quantiles[4])
"""


def memory_of_a_million_paths() -> tuple[float, float, float, float]:
    code = _MEMORY_PROBE.format(bench=os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    base, peak, traced, wall, _ = (float(x) for x in done.stdout.split())
    return base, peak, traced, wall


def main() -> None:
    # JIT compile, cold cache: first call minus a warm call of the same size.
    start = time.perf_counter()
    simulate(spec_b3(n_paths=10))
    first_call = time.perf_counter() - start
    start = time.perf_counter()
    simulate(spec_b3(n_paths=10))
    compile_seconds = first_call - (time.perf_counter() - start)
    inputs = _kernel_inputs(spec_b3())
    small = np.zeros((N_DAYS, 10))
    start = time.perf_counter()
    kernels.funds_from_shocks(small, inputs.params, inputs.cash_path, np.empty(10), np.empty(10))
    compile_compute = time.perf_counter() - start

    # End to end, numpy and bondthesis (B3 as asked, then with the stock comparison) in turn.
    (numpy_times, numpy_cpus), (ours_times, ours_cpus), (stock_times, stock_cpus) = alternated(
        [
            lambda: numpy_straightforward(1),
            lambda: bondthesis_end_to_end(1),
            lambda: bondthesis_end_to_end(1, StockModel()),
        ]
    )
    stock_best, stock_median, stock_cpu = (
        min(stock_times),
        float(np.median(stock_times)),
        min(stock_cpus),
    )
    numpy_best, ours_best = min(numpy_times), min(ours_times)
    numpy_median, ours_median = float(np.median(numpy_times)), float(np.median(ours_times))
    numpy_cpu, ours_cpu = min(numpy_cpus), min(ours_cpus)
    per_path_day = one_thread_ns_per_path_day()
    rng = np.random.default_rng(0)
    normals = np.empty((N_PATHS, N_DAYS))
    rng_wall, _ = timed(lambda: rng.standard_normal(out=normals))

    # Agreement (different random numbers): percentiles against the peer's, in units of the
    # peer's own seed-to-seed spread.
    peer_a, peer_b = numpy_straightforward(1), numpy_straightforward(2)
    ours = bondthesis_end_to_end(1)
    gaps = {}
    for i, name in enumerate(("TLT", "TMF")):
        noise = np.max(np.abs(peer_a[i] - peer_b[i]))
        gaps[name] = (np.max(np.abs(ours[i] - peer_a[i])), noise)

    # Compute alone on the same bytes: day-major yield changes already in memory.
    shocks = np.random.default_rng(3).normal(0.0, DAILY_VOL, size=(N_DAYS, N_PATHS))
    out_tlt, out_tmf = np.empty(N_PATHS), np.empty(N_PATHS)

    def compute() -> None:
        kernels.funds_from_shocks(shocks, inputs.params, inputs.cash_path, out_tlt, out_tmf)

    compute_wall, _ = timed(compute)
    floor_wall, _ = timed(lambda: np.sum(shocks))
    r = -DURATION * shocks + 0.5 * CONVEXITY * shocks**2 + CARRY / 252
    same_tlt = np.max(np.abs(out_tlt / np.prod(1 + r, axis=0) - 1))
    same_tmf = np.max(np.abs(out_tmf / np.prod(1 + 3 * r - 2 * CASH / 252 - FEE / 252, axis=0) - 1))
    del r

    # Memory.
    import tracemalloc

    tracemalloc.start()
    numpy_straightforward(1)
    numpy_traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    base, peak, traced, million_wall = memory_of_a_million_paths()

    mb = 1e-6
    target = "AVX2 code (emulated)" if is_avx2_emulation() else "native code"
    print(f"B3, {N_PATHS:,} paths x {N_DAYS} days, {target}; best and median of {REPEATS} runs")
    print(f"after a warm-up, numpy and bondthesis in turn. {describe()} (at the end).\n")
    print("| | wall, best | wall, median | CPU, best | vs numpy: wall best / median / CPU |")
    print("|---|---|---|---|---|")
    print(
        f"| numpy straightforward (float64, end to end) | {numpy_best * 1e3:.0f} ms | "
        f"{numpy_median * 1e3:.0f} ms | {numpy_cpu * 1e3:.0f} ms | 1.0x |"
    )
    print(f"| numpy random normals alone (1 thread, median) | | {rng_wall * 1e3:.0f} ms | | |")
    print(
        f"| **bondthesis `simulate`, end to end** | **{ours_best * 1e3:.0f} ms** | "
        f"{ours_median * 1e3:.0f} ms | {ours_cpu * 1e3:.0f} ms | "
        f"**{numpy_best / ours_best:.1f}x** / {numpy_median / ours_median:.1f}x / "
        f"{numpy_cpu / ours_cpu:.1f}x |"
    )
    print(
        f"| bondthesis `simulate` with P(beats stocks) (a stock stream drawn too) | "
        f"{stock_best * 1e3:.0f} ms | {stock_median * 1e3:.0f} ms | {stock_cpu * 1e3:.0f} ms | "
        f"{numpy_best / stock_best:.1f}x / {numpy_median / stock_median:.1f}x / "
        f"{numpy_cpu / stock_cpu:.1f}x |"
    )
    print(f"| bondthesis fused kernel, one thread | | | {per_path_day:.2f} ns per path-day | |")
    print(
        f"| bondthesis compute alone (shocks in memory, {shocks.nbytes * mb:.0f} MB, median) | | "
        f"{compute_wall * 1e3:.1f} ms | | |"
    )
    print(
        f"| floor: `np.sum` over the same {shocks.nbytes * mb:.0f} MB (median) | | "
        f"{floor_wall * 1e3:.1f} ms | | compute / floor = {compute_wall / floor_wall:.2f}x |"
    )
    print()
    print(
        f"JIT compile (cold cache): engine {compile_seconds:.1f} s, compute kernel "
        f"{compile_compute:.1f} s (cached on disk afterwards)."
    )
    for name, (gap, noise) in gaps.items():
        print(
            f"Agreement {name}: largest percentile gap to numpy {gap * 100:.2f} points; numpy's "
            f"own seed-to-seed gap {noise * 100:.2f} points (different random numbers)."
        )
    print(
        f"Same shocks: compute kernel vs numpy, largest relative difference TLT {same_tlt:.1e},"
        f" TMF {same_tmf:.1e}."
    )
    print(
        f"Memory, 1,000,000 x 252 in a fresh process: peak RSS {peak * mb:.0f} MB "
        f"({(peak - base) * mb:.0f} MB above the {base * mb:.0f} MB after imports), tracemalloc "
        f"peak {traced * mb:.0f} MB, {million_wall:.2f} s; numpy straightforward at 100,000 "
        f"paths: tracemalloc peak {numpy_traced * mb:.0f} MB."
    )


if __name__ == "__main__":
    main()
