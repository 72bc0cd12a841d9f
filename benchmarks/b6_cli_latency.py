"""B6: start-up latency of the ``bondthesis`` command (goal: ``--help`` under 0.5 s).

Each command runs in a fresh process, as a user types it: ``bondthesis --help``,
``bondthesis bond ...`` (one Treasury priced) and ``python -c "import bondthesis"``. The script
prints the median wall time of several runs after a warm-up, and which heavy modules (numba,
Dask, DuckDB, pandas) each one imported, found with ``python -X importtime``.

Run: ``uv run python benchmarks/b6_cli_latency.py [--repeats 7] [--baseline-src DIR]``.
``--baseline-src`` times another checkout's ``src`` (e.g. ``git archive main src | tar -x -C
/tmp/base``) beside this one, with the same interpreter.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("numba", "dask", "distributed", "duckdb", "pandas")
SRC = Path(__file__).resolve().parents[1] / "src"
MAIN = "import sys; from bondthesis.cli import main; sys.argv[0] = 'bondthesis'; main()"
BOND = ["bond", "--coupon", "0.045", "--maturity", "2055-11-15", "--yield", "0.048"]
CASES = {
    "bondthesis --help": ["-c", MAIN, "--help"],
    "bondthesis bond ...": ["-c", MAIN, *BOND],
    "import bondthesis": ["-c", "import bondthesis"],
}


def _env(src: Path) -> dict[str, str]:
    # The store goes to a throw-away folder; PYTHONPATH picks the checkout under test.
    return {**os.environ, "PYTHONPATH": str(src), "BONDTHESIS_HOME": "/tmp/bondthesis-b6"}


def _run(args: list[str], src: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child): CPU time is what a busy machine inflates least."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], env=_env(src), capture_output=True, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _heavy_imports(args: list[str], src: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        env=_env(src),
        capture_output=True,
        text=True,
        check=True,
    )
    names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    return [name for name in HEAVY if name in names]


def measure(src: Path, repeats: int) -> dict[str, tuple[float, float, list[str]]]:
    """label -> (median wall s, median CPU s, heavy modules imported)."""
    results = {}
    for label, args in CASES.items():
        _run(args, src)  # warm-up: numba's cache, the OS file cache
        runs = [_run(args, src) for _ in range(repeats)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        results[label] = (wall, cpu, _heavy_imports(args, src))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--baseline-src", type=Path, default=None)
    options = parser.parse_args()
    runs = {"this checkout": measure(SRC, options.repeats)}
    if options.baseline_src is not None:
        runs["baseline"] = measure(options.baseline_src.resolve(), options.repeats)
    load = os.getloadavg()[0]
    print(
        f"median of {options.repeats} runs after a warm-up, {os.cpu_count()} cores, "
        f"load average {load:.1f}; wall time (CPU time)"
    )
    print(f"| command | {' | '.join(runs)} | heavy modules imported (this checkout) |")
    print(f"|---|{'---|' * len(runs)}---|")
    for label in CASES:
        cells = " | ".join(f"{r[label][0]:.2f} s ({r[label][1]:.2f} s)" for r in runs.values())
        heavy = ", ".join(runs["this checkout"][label][2]) or "none"
        print(f"| `{label}` | {cells} | {heavy} |")


if __name__ == "__main__":
    main()
