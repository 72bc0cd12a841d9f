"""B1 backtest: bondthesis against bt and vectorbt on the same prices, in one run.

3 assets (TLT-, TMF- and SPY-like: seeded daily returns with their volatilities, TMF = 3x TLT less
financing), 6,300 trading days, fixed target weights rebalanced on the first trading day of each
month, no costs, start value 1.0, the daily equity curve kept:

(a) one portfolio (60/20/20), pandas in and out: ``bondthesis.backtesting.simulate`` (a DataFrame of
    prices in, a Series of values out) against ``bt`` (``integer_positions=False``) and vectorbt;
(b) 1,000 weight vectors at once: the kernel (``simulate_many``: arrays in, the 1,000 x 6,300
    curves out), ``run_portfolios`` (the same plus CAGR, volatility, Sharpe and max drawdown of
    each), vectorbt (``from_orders`` target percent, cash sharing per portfolio) and bt on a few
    portfolios (a full run takes minutes; its time is scaled to 1,000 and marked so).

Agreement is the largest relative difference of the daily values against each peer. Medians of
``--runs`` timed runs after a warm-up; the numba compile time is measured in a fresh process
with the disk cache off.

Run: ``uv sync --group dev --group bench && uv run python benchmarks/b1_backtest.py``
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
import warnings
from typing import Any

import numba
import numpy as np
import pandas as pd

from bondthesis.backtesting._kernel import simulate_many
from bondthesis.backtesting.engine import run_portfolios, simulate
from bondthesis.backtesting.rebalance import calendar_days
from bondthesis.data.backtest_assets import AssetPanel

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_seconds

N_DAYS = 6_300
N_PORTFOLIOS = 1_000
ONE = {"TLT": 0.6, "TMF": 0.2, "SPY": 0.2}
TICKERS = list(ONE)


def make_prices(seed: int = 2026) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2001-01-02", periods=N_DAYS)
    tlt = rng.normal(0.0002, 0.009, N_DAYS)
    spy = rng.normal(0.0004, 0.012, N_DAYS) - 0.2 * tlt
    tmf = 3.0 * tlt - 2.0 * 0.03 / 252 - 0.0091 / 252
    returns = np.column_stack([tlt, tmf, spy])
    returns[0] = 0.0
    return pd.DataFrame(100.0 * np.cumprod(1.0 + returns, axis=0), index=dates, columns=TICKERS)


def make_weights(seed: int = 7) -> np.ndarray:
    weights = np.random.default_rng(seed).dirichlet(np.ones(3), N_PORTFOLIOS)
    weights[0] = [ONE[t] for t in TICKERS]
    return weights


def cpu() -> str:
    model, flags = platform.processor() or "unknown", ""
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name") and model in ("unknown", "x86_64", ""):
                    model = line.split(":", 1)[1].strip()
                if line.startswith("flags"):
                    have = set(line.split(":", 1)[1].split())
                    wanted = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512vl")
                    flags = " ".join(f for f in wanted if f in have)
                    break
    except OSError:
        pass
    return f"{model}; flags: {flags or 'n/a'}; {os.cpu_count()} logical cores"


def run_bt(prices: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    import bt

    strategy = bt.Strategy(
        "b1",
        [
            bt.algos.RunMonthly(run_on_first_date=True),
            bt.algos.SelectAll(),
            bt.algos.WeighSpecified(**weights),
            bt.algos.Rebalance(),
        ],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        test = bt.Backtest(
            strategy, prices, initial_capital=1.0, integer_positions=False, progress_bar=False
        )
        bt.run(test)
    values: pd.Series = test.strategy.values.reindex(prices.index)
    return values


def run_vectorbt(vbt: Any, prices: pd.DataFrame, weights: np.ndarray) -> np.ndarray:
    """Values (n_portfolios, n_days): a group of 3 columns per portfolio, cash shared inside."""
    n = weights.shape[0]
    tiled = pd.DataFrame(
        np.tile(prices.to_numpy(), (1, n)),
        index=prices.index,
        columns=pd.MultiIndex.from_product([range(n), TICKERS], names=["portfolio", "asset"]),
    )
    rebalance = calendar_days(pd.DatetimeIndex(prices.index), "monthly")
    rebalance[0] = True
    size = np.full(tiled.shape, np.nan)
    size[rebalance] = weights.reshape(1, -1)
    start = 1e6  # at 1.0 vectorbt drops orders below its minimum size; rescaled below
    portfolio = vbt.Portfolio.from_orders(
        tiled,
        size=size,
        size_type="targetpercent",
        group_by="portfolio",
        cash_sharing=True,
        call_seq="auto",
        init_cash=start,
        freq="1D",
    )
    values = np.asarray(portfolio.value().to_numpy(), dtype=np.float64)
    # One group comes back as a Series: shape (n_days,); many as (n_days, n_groups).
    return values.reshape(len(prices), -1).T / start


def compile_seconds() -> float:
    code = (
        "import time, numpy as np\n"
        "from bondthesis.backtesting._kernel import simulate_many\n"
        "g = np.ones((30, 3)); w = np.full((2, 3), 1/3); c = np.zeros(30, bool); z = np.zeros(30)\n"
        "t = time.perf_counter(); simulate_many(g, w, c, 0.0, 0.0, 0.0, z, z)\n"
        "simulate_many(g, w, c, 0.0, 0.05, 0.0, z, z); print(time.perf_counter() - t)\n"
    )
    env = {**os.environ, "BONDTHESIS_NUMBA_CACHE": "0"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def relative(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(np.asarray(a) / np.asarray(b) - 1.0)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median)")
    parser.add_argument("--bt-portfolios", type=int, default=3, help="bt runs timed for (b)")
    args = parser.parse_args()
    prices = make_prices()
    weights = make_weights()
    growth = np.empty(prices.shape)
    growth[0] = 1.0
    growth[1:] = prices.to_numpy()[1:] / prices.to_numpy()[:-1]
    calendar = calendar_days(pd.DatetimeIndex(prices.index), "monthly")
    zero = np.zeros(N_DAYS)
    returns = pd.DataFrame(growth - 1.0, index=prices.index, columns=TICKERS)
    panel = AssetPanel(
        returns=returns,
        simulated=pd.DataFrame(False, index=prices.index, columns=TICKERS),
        cash_rate=pd.Series(0.0, index=prices.index),
        bill_return=pd.Series(0.0, index=prices.index),
    )
    frame = pd.DataFrame(weights, columns=TICKERS)

    print(f"# B1 backtest: {N_DAYS:,} days x 3 assets, monthly rebalancing, no costs")
    print(f"CPU: {cpu()}")
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"numba {numba.__version__} ({numba.config.NUMBA_NUM_THREADS} threads); "
        f"median of {args.runs} runs after a warm-up"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average before the run (1, 5, 15 min): {load}")
    print(f"numba compile (fresh process, no disk cache): {compile_seconds():.2f} s\n")

    one = simulate(prices, ONE, "monthly")
    many, _, _ = simulate_many(growth, weights, calendar, 0.0, 0.0, 0.0, zero, zero)
    t_one = median_seconds(lambda: simulate(prices, ONE, "monthly"), repeats=args.runs)
    t_kernel = median_seconds(
        lambda: simulate_many(growth, weights, calendar, 0.0, 0.0, 0.0, zero, zero),
        repeats=args.runs,
    )
    buffer = np.empty_like(many)
    t_reused = median_seconds(
        lambda: simulate_many(growth, weights, calendar, 0.0, 0.0, 0.0, zero, zero, out=buffer),
        repeats=args.runs,
    )
    t_run = median_seconds(
        lambda: run_portfolios(panel, frame, "monthly", borrow_spread=0.0), repeats=args.runs
    )
    rows = [
        ("bondthesis `simulate` (pandas in/out)", "(a) one", t_one, "-"),
        ("bondthesis kernel `simulate_many`", "(b) 1,000", t_kernel, "-"),
        ("bondthesis kernel, into a reused output array", "(b) 1,000", t_reused, "-"),
        ("bondthesis `run_portfolios` (+ metrics)", "(b) 1,000", t_run, "-"),
    ]
    try:
        import bt  # noqa: F401

        bt_one = run_bt(prices, ONE)
        t_bt = median_seconds(lambda: run_bt(prices, ONE), repeats=max(1, min(args.runs, 3)))
        rows.append(
            ("bt (`integer_positions=False`)", "(a) one", t_bt, f"{relative(one, bt_one):.1e}")
        )
        k = args.bt_portfolios
        started = time.perf_counter()
        agree = 0.0
        for row in range(k):
            values = run_bt(prices, dict(zip(TICKERS, weights[row].tolist(), strict=True)))
            agree = max(agree, relative(many[row], values.to_numpy()))
        scaled = (time.perf_counter() - started) / k * N_PORTFOLIOS
        rows.append(
            (f"bt, {k} portfolios timed, scaled to 1,000", "(b) 1,000", scaled, f"{agree:.1e}")
        )
    except ImportError:
        print("bt is not installed: `uv sync --group dev`")
    try:
        import vectorbt as vbt

        vbt_one = run_vectorbt(vbt, prices, weights[:1])
        t_vbt_one = median_seconds(
            lambda: run_vectorbt(vbt, prices, weights[:1]), repeats=args.runs
        )
        rows.append(
            (
                "vectorbt `from_orders` targetpercent",
                "(a) one",
                t_vbt_one,
                f"{relative(one, vbt_one[0]):.1e}",
            )
        )
        vbt_many = run_vectorbt(vbt, prices, weights)
        t_vbt = median_seconds(
            lambda: run_vectorbt(vbt, prices, weights), repeats=max(1, min(args.runs, 3)), warmup=0
        )
        rows.append(
            (
                "vectorbt `from_orders` targetpercent",
                "(b) 1,000",
                t_vbt,
                f"{relative(many, vbt_many):.1e}",
            )
        )
    except ImportError:
        print("vectorbt cannot be imported: `uv sync --group dev --group bench` installs it")

    print("| | task | time | max relative difference of daily values vs bondthesis |")
    print("|---|---|---|---|")
    for name, task, seconds, agreement in rows:
        shown = f"{seconds * 1e3:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"
        print(f"| {name} | {task} | {shown} | {agreement} |")
    speedups = [
        (name, task, seconds)
        for name, task, seconds, _ in rows
        if not name.startswith("bondthesis")
    ]
    base = {"(a) one": t_one, "(b) 1,000": t_kernel}
    print()
    for name, task, seconds in speedups:
        print(f"- {task}: bondthesis is {seconds / base[task]:,.0f}x faster than {name}")
    print(
        f"- goals: (a) <= 2 ms: {t_one * 1e3:.2f} ms; (b) <= 20 ms: {t_kernel * 1e3:.1f} ms "
        f"({t_reused * 1e3:.1f} ms into a reused array)"
    )


if __name__ == "__main__":
    main()
