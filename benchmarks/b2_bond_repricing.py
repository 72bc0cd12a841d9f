"""B2 bond repricing: 40 Treasuries x 10,000 parallel shifts, bondthesis against QuantLib.

40 semiannual Treasuries (20-30 years, coupons 1-5%, seeded) repriced from a flat 4.5% yield
under 10,000 parallel shifts from -300bp to +300bp: 400,000 clean prices, plus the modified
duration and convexity of each bond at the flat yield. QuantLib prices with
``BondFunctions.cleanPrice`` on bonds built once (street convention: ``Compounded``, every bond
has more than one coupon left). bondthesis runs its dates API (``clean_price`` with the
schedule computed on every call) and its years API (``clean_price_from_years``).

Run: ``uv run python benchmarks/b2_bond_repricing.py`` (about a minute; prints markdown). For an
AVX2-only machine's code on an AVX-512 host, first ``eval "$(uv run python
benchmarks/_machine.py --avx2-env)"`` (see ``benchmarks/_machine.py``).
Medians of ``--runs`` timed runs after one warm-up; compile time measured in a fresh process
with the numba disk cache turned off.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numba
import numpy as np
import QuantLib as ql

from _machine import describe
from bondthesis.bonds import (
    clean_price,
    clean_price_from_years,
    convexity,
    convexity_from_years,
    modified_duration,
    modified_duration_from_years,
)

SETTLEMENT = dt.date(2026, 11, 24)
FLAT_YIELD = 0.045
N_BONDS = 40
N_SHIFTS = 10_000


def make_bonds(seed: int = 2026) -> tuple[np.ndarray, np.ndarray]:
    """Coupons (decimals, 1/8ths of a point) and maturities (the 15th or a month end)."""
    rng = np.random.default_rng(seed)
    coupons = np.round(rng.uniform(0.01, 0.05, N_BONDS) * 800) / 800
    months = rng.integers(20 * 12, 30 * 12 + 1, N_BONDS)
    start = np.datetime64(SETTLEMENT, "M")
    month_starts = (start + months.astype("timedelta64[M]")).astype("datetime64[D]")
    month_ends = (start + (months + 1).astype("timedelta64[M]")).astype("datetime64[D]") - 1
    fifteenth = month_starts + 14
    maturities = np.where(rng.random(N_BONDS) < 0.5, fifteenth, month_ends)
    return coupons, maturities


def quantlib_bonds(coupons: np.ndarray, maturities: np.ndarray) -> list[Any]:
    day_count = ql.ActualActual(ql.ActualActual.ISMA)
    bonds = []
    for coupon, maturity in zip(coupons, maturities.astype(dt.date), strict=True):
        end = ql.Date(maturity.day, maturity.month, maturity.year)
        end_of_month = ql.Date.isEndOfMonth(end)
        issue = end - ql.Period(6 * 60, ql.Months)
        if end_of_month:
            issue = ql.Date.endOfMonth(issue)
        schedule = ql.Schedule(
            issue,
            end,
            ql.Period(ql.Semiannual),
            ql.NullCalendar(),
            ql.Unadjusted,
            ql.Unadjusted,
            ql.DateGeneration.Backward,
            end_of_month,
        )
        bonds.append(
            ql.FixedRateBond(0, 100.0, schedule, [float(coupon)], day_count, ql.Unadjusted, 100.0)
        )
    return bonds


def run_quantlib(bonds: list[Any], yields: np.ndarray) -> tuple[np.ndarray, ...]:
    day_count = ql.ActualActual(ql.ActualActual.ISMA)
    settle = ql.Date(SETTLEMENT.day, SETTLEMENT.month, SETTLEMENT.year)
    compounded, semiannual = ql.Compounded, ql.Semiannual
    clean = ql.BondFunctions.cleanPrice
    grid = np.empty((len(bonds), yields.size))
    as_list = yields.tolist()
    for i, bond in enumerate(bonds):
        row = grid[i]
        for j, y in enumerate(as_list):
            row[j] = clean(bond, y, day_count, compounded, semiannual, settle)
    rate = ql.InterestRate(FLAT_YIELD, day_count, compounded, semiannual)
    durations = np.array(
        [ql.BondFunctions.duration(b, rate, ql.Duration.Modified, settle) for b in bonds]
    )
    convexities = np.array([ql.BondFunctions.convexity(b, rate, settle) for b in bonds])
    return grid, durations, convexities


def run_dates(coupons: np.ndarray, maturities: np.ndarray, yields: np.ndarray) -> tuple[Any, ...]:
    grid = clean_price(coupons[:, None], maturities[:, None], yields, SETTLEMENT)
    durations = modified_duration(coupons, maturities, FLAT_YIELD, SETTLEMENT)
    convexities = convexity(coupons, maturities, FLAT_YIELD, SETTLEMENT)
    return grid, durations, convexities


def run_years(coupons: np.ndarray, years: np.ndarray, yields: np.ndarray) -> tuple[Any, ...]:
    grid = clean_price_from_years(coupons[:, None], years[:, None], yields)
    durations = modified_duration_from_years(coupons, years, FLAT_YIELD)
    convexities = convexity_from_years(coupons, years, FLAT_YIELD)
    return grid, durations, convexities


def median_seconds(function: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    function()  # warm-up: compile or load the kernels, touch the memory
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


COLD_START = """
import time, datetime as dt
start = time.perf_counter()
from bondthesis.bonds import clean_price, modified_duration, convexity
imported = time.perf_counter()
clean_price([[0.04]], [["2050-05-15"]], [0.04, 0.05], dt.date(2026, 11, 24))
clean_price([[0.04], [0.03]], [["2050-05-15"], ["2051-05-15"]], [0.04] * 20000, "2026-11-24")
modified_duration(0.04, "2050-05-15", 0.04, "2026-11-24")
convexity(0.04, "2050-05-15", 0.04, "2026-11-24")
print(imported - start, time.perf_counter() - imported)
"""


def cold_start_seconds() -> tuple[float, float]:
    """Import time and first-call time with no numba disk cache (a fresh compile)."""
    env = {**os.environ, "BONDTHESIS_NUMBA_CACHE": "0"}
    out = subprocess.run(
        [sys.executable, "-c", COLD_START], capture_output=True, text=True, env=env, check=True
    ).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31, help="timed runs of bondthesis")
    parser.add_argument("--quantlib-runs", type=int, default=5, help="timed runs of QuantLib")
    options = parser.parse_args()

    coupons, maturities = make_bonds()
    days = (maturities - np.datetime64(SETTLEMENT, "D")).astype(np.int64)
    # Years form with the same coupon position: whole periods to come plus the fraction of the
    # current period, from the schedule (what the ladder code does with constant maturities).
    from bondthesis.bonds import coupon_position

    position = coupon_position(maturities, SETTLEMENT)
    years = (position.remaining - 1 + position.fraction_to_next) / 2
    yields = FLAT_YIELD + np.linspace(-0.03, 0.03, N_SHIFTS)
    prices = N_BONDS * N_SHIFTS

    bonds = quantlib_bonds(coupons, maturities)
    reference = run_quantlib(bonds, yields)
    dates_result = run_dates(coupons, maturities, yields)
    years_result = run_years(coupons, years, yields)

    timings = {
        "QuantLib `BondFunctions.cleanPrice`, bonds built once": median_seconds(
            lambda: run_quantlib(bonds, yields), options.quantlib_runs
        ),
        "bondthesis `clean_price` (dates, schedule each call)": median_seconds(
            lambda: run_dates(coupons, maturities, yields), options.runs
        ),
        "bondthesis `clean_price_from_years`": median_seconds(
            lambda: run_years(coupons, years, yields), options.runs
        ),
    }
    results = [reference, dates_result, years_result]
    import_seconds, compile_seconds = cold_start_seconds()

    print(f"Machine: {describe()} (at the start)\n")
    print(
        f"B2: {N_BONDS} bonds x {N_SHIFTS:,} shifts = {prices:,} clean prices + modified "
        f"duration and convexity of each bond; maturities {days.min() / 365.25:.1f}-"
        f"{days.max() / 365.25:.1f}y, coupons {coupons.min():.3%}-{coupons.max():.3%}\n"
    )
    print(
        "| | median time | best time | prices/s (median) | vs QuantLib (medians) "
        "| max abs diff price (per 100) | max abs diff mod. duration | max abs diff convexity |"
    )
    print("|---|---|---|---|---|---|---|---|")
    base = next(iter(timings.values()))[0]
    for (label, (seconds, times)), (grid, durations, convexities) in zip(
        timings.items(), results, strict=True
    ):
        print(
            f"| {label} | {seconds * 1e3:,.2f} ms | {min(times) * 1e3:,.2f} ms "
            f"| {prices / seconds / 1e6:,.2f}M "
            f"| {base / seconds:,.0f}x | {np.abs(grid - reference[0]).max():.1e} "
            f"| {np.abs(durations - reference[1]).max():.1e} "
            f"| {np.abs(convexities - reference[2]).max():.1e} |"
        )
    print(
        f"\nCold start without the numba disk cache: import {import_seconds:.2f} s, first calls "
        f"(compile) {compile_seconds:.2f} s. bondthesis runs {options.runs}, QuantLib runs "
        f"{options.quantlib_runs}, medians after one warm-up."
    )
    print(
        f"Machine: {describe()} (at the end; other processes share the cores). numba "
        f"{numba.__version__} ({numba.get_num_threads()} threads), numpy {np.__version__}, "
        f"QuantLib {ql.__version__}, Python {platform.python_version()}."
    )


if __name__ == "__main__":
    main()
