"""B5 (report): `bondthesis report` end to end from a warm store, first and second time.

A store is filled once from ../shared/data (or the folder in $BONDTHESIS_SNAPSHOT); then the
command runs as a user runs it (a fresh process each time, wall clock):

* **first report**: the store is filled but the report's cache is empty (every library call runs);
* **second report**: nothing new in the store, so the cached results are read and rendered;
* the same second report in zh-Hant, and the in-process split (read + build, render).

Run: ``uv run python benchmarks/b5_report.py`` (about two minutes on a busy 2-core machine).
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bondthesis.data.refresh import refresh_from_snapshot
from bondthesis.data.store import Store

REPEATS = 3
SNAPSHOT = Path(
    os.environ.get(
        "BONDTHESIS_SNAPSHOT", Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    )
)


def _find_snapshot() -> Path:
    here = Path(__file__).resolve()
    for folder in [SNAPSHOT, *(p / "shared" / "data" for p in here.parents)]:
        if (folder / "DGS30.csv").is_file():
            return folder
    sys.exit("no snapshot found: set BONDTHESIS_SNAPSHOT to a folder holding DGS30.csv")


def _run(home: Path, *args: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one ``bondthesis report`` process.

    CPU time is what the run itself costs; on a shared machine the wall clock adds the time spent
    waiting for a core (load average above the core count).
    """
    env = {**os.environ, "BONDTHESIS_HOME": str(home)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        ["bondthesis", "report", *args], env=env, check=True, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    snapshot = _find_snapshot()
    with tempfile.TemporaryDirectory(prefix="b5-report-") as tmp:
        home = Path(tmp)
        started = time.perf_counter()
        refresh_from_snapshot(Store(home / "bondthesis.duckdb"), snapshot)
        fill = time.perf_counter() - started
        out = home / "report.html"
        first, second, second_zh = [], [], []
        for _ in range(REPEATS):
            shutil.rmtree(home / "cache", ignore_errors=True)
            first.append(_run(home, "-o", str(out)))
            second.append(_run(home, "-o", str(out)))
            second_zh.append(_run(home, "--lang", "zh-Hant", "-o", str(home / "zh.html")))
        os.environ["BONDTHESIS_HOME"] = str(home)
        started = time.perf_counter()
        from bondthesis.report.build import build_report
        from bondthesis.report.render import write_html

        imported = time.perf_counter() - started
        started = time.perf_counter()
        report = build_report(Store(home / "bondthesis.duckdb"))
        built = time.perf_counter() - started
        started = time.perf_counter()
        write_html(report, out)
        rendered = time.perf_counter() - started
        size = out.stat().st_size
    load = os.getloadavg()[0]
    print(
        f"snapshot {snapshot}; store filled in {fill:.1f} s; load average {load:.1f} on "
        f"{os.cpu_count()} cores"
    )
    print(
        "| run (fresh process) | wall clock, median | CPU (user+sys), median | wall runs | goal |"
    )
    print("|---|---|---|---|---|")
    for label, runs, goal in (
        ("first report, filled store, empty cache", first, "≤ 5 s"),
        ("second report, nothing new (en)", second, "well under 5 s"),
        ("second report, nothing new (zh-Hant)", second_zh, ""),
    ):
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(
            f"| {label} | {wall:.2f} s | {cpu:.2f} s | "
            f"{', '.join(f'{w:.1f}' for w, _ in runs)} | {goal} |"
        )
    print(
        f"in process (results cached): imports {imported:.2f} s, read + build {built:.2f} s, "
        f"render + write {rendered:.2f} s; page {size / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
