"""B5 command latency: how long a person waits for `bondthesis ...`, cold and warm.

A store is built from the data snapshot beside the project (``bondthesis refresh --snapshot``) in
a temporary ``BONDTHESIS_HOME``; then each command runs as a fresh process:

- **cold**: the first run after the refresh, with an empty result cache and an empty numba cache
  (``NUMBA_CACHE_DIR`` points at a new folder): what the first command after installing costs;
- **warm**: the same command again (best and median of ``--repeats``): result cache and numba
  cache filled by the cold run;
- **no result cache**: warm numba cache, ``BONDTHESIS_RESULT_CACHE=0`` (what the cache saves).

Every run must exit 0, and a warm run must print exactly what the cold run printed (the cache
changes the wait, never the answer). Python bytecode is compiled before timing (as
``uv sync --compile-bytecode`` or any first import leaves it); ``PYTHONDONTWRITEBYTECODE`` is
removed from the commands' environment.

Run: ``uv run python benchmarks/b5_latency.py [--data ../shared/data] [--repeats 5]``. For the
code an AVX2-only CPU gets: ``eval "$(uv run python benchmarks/_machine.py --avx2-env)"`` first.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bondthesis
from _machine import describe

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("claims",),
    ("scorecard",),
    ("pillar", "valuation"),
    ("montecarlo",),
)
WARM_UP_IMPORTS = (
    "import pandas, numpy, scipy.stats, duckdb, typer, rich, numba, bondthesis.cli, "
    "bondthesis.research.thesis, bondthesis.scenarios.montecarlo"
)


def find_shared_data() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data"
        if (candidate / "DGS30.csv").exists():
            return candidate
    return None


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: tuple[str, ...], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of one ``bondthesis`` process, and what it printed.

    CPU is the process's user + system time: on a shared machine the wall includes waiting for
    a core, the CPU time does not (for these mostly single-threaded commands it is close to the
    wall on an idle machine).
    """
    executable = Path(sys.executable).with_name("bondthesis")
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(
        [str(executable), *command], env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"`bondthesis {' '.join(command)}` failed:\n{done.stderr[-2000:]}")
    return seconds, cpu, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=find_shared_data())
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()
    if options.data is None or not (options.data / "DGS30.csv").exists():
        raise SystemExit("no data snapshot: pass --data DIR (the folder holding DGS30.csv)")

    with tempfile.TemporaryDirectory(prefix="b5-") as folder:
        home = Path(folder)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(
            BONDTHESIS_HOME=str(home / "home"),
            BONDTHESIS_OFFLINE="1",
            NUMBA_CACHE_DIR=str(home / "numba"),
            COLUMNS="100",
        )
        env.pop("BONDTHESIS_RESULT_CACHE", None)
        compileall.compile_dir(Path(bondthesis.__file__).parent, quiet=1)
        subprocess.run([sys.executable, "-c", WARM_UP_IMPORTS], env=env, check=True)
        refresh_seconds, _, _ = run(("refresh", "--snapshot", str(options.data)), env)

        rows = []
        for command in COMMANDS:
            cold, cold_cpu, cold_output = run(command, env)
            warm, warm_cpu = [], []
            for _ in range(options.repeats):
                seconds, cpu, output = run(command, env)
                if output != cold_output:
                    raise SystemExit(f"`bondthesis {' '.join(command)}`: warm output differs")
                warm.append(seconds)
                warm_cpu.append(cpu)
            uncached_env = {**env, "BONDTHESIS_RESULT_CACHE": "0"}
            uncached, uncached_cpu, uncached_output = run(command, uncached_env)
            if uncached_output != cold_output:
                raise SystemExit(f"`bondthesis {' '.join(command)}`: uncached output differs")
            rows.append(
                (
                    command,
                    (cold, cold_cpu),
                    (min(warm), statistics.median(warm), min(warm_cpu)),
                    (uncached, uncached_cpu),
                )
            )

    print(f"B5 command latency, store from {options.data} (refresh took {refresh_seconds:.1f} s).")
    print(f"{describe()} (at the end).\n")
    print(
        "| command | cold: wall (CPU) | warm: best wall | warm: median wall | warm: best CPU "
        "| no result cache: wall (CPU) |"
    )
    print("|---|---|---|---|---|---|")
    for command, (cold, cold_cpu), (best, median, best_cpu), (uncached, uncached_cpu) in rows:
        print(
            f"| `bondthesis {' '.join(command)}` | {cold:.2f} s ({cold_cpu:.2f} s) | "
            f"**{best:.2f} s** | {median:.2f} s | **{best_cpu:.2f} s** | "
            f"{uncached:.2f} s ({uncached_cpu:.2f} s) |"
        )
    print(
        f"\nWarm: best and median of {options.repeats} runs, each a new process; every warm and "
        "uncached run printed exactly what the cold run printed."
    )


if __name__ == "__main__":
    main()
