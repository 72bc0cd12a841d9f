"""B5 app: request latency of ``bondthesis serve`` over HTTP, many requests in a row, warm.

Starts ``bondthesis serve`` in its own process on a free port of 127.0.0.1 over a store loaded
from the shared snapshot (or ``--home``), then times, with one keep-alive httpx client:

* ``/api/scenario``: ``--requests`` requests in a row, each with a different shift, twist,
  horizon, noise and mix (as a slider sends them), none answered from a result cache;
* the same while a 1,000,000 x 252 Monte Carlo runs in another request (a slow call must not
  block the others);
* ``POST /api/backtest/portfolios`` with 1,000 portfolios (and ``/api/backtest`` with one),
  when the backtest is in this build;
* ``/api/montecarlo`` 100,000 x 252 and ``/api/status`` for scale.

Run: ``uv run python benchmarks/b5_app.py`` (about a minute; prints markdown). Goals
(BENCHMARKS.md): a scenario request at most 100 ms, a 1,000-portfolio backtest at most 200 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_home(snapshot: Path) -> Path:
    from bondthesis.data.refresh import refresh_from_snapshot
    from bondthesis.data.store import Store

    home = Path(tempfile.mkdtemp(prefix="b5-app-"))
    refresh_from_snapshot(Store(home / "bondthesis.duckdb"), snapshot)
    return home


def start_server(home: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BONDTHESIS_HOME": str(home), "BONDTHESIS_OFFLINE": "1"}
    command = [sys.executable, "-c", "from bondthesis.cli import main; main()"]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/refresh", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start within 120 s")


def scenario_params(i: int) -> dict[str, Any]:
    """The i-th slider position: every request different, as a user dragging sliders."""
    tlt = [0.2, 0.3, 0.4, 0.5][i % 4]
    tmf = [0.1, 0.2, 0.3][i % 3]
    stocks = 0.3 if tlt + tmf <= 0.7 else 0.0
    return {
        "shift_bp": -200 + (i * 7) % 400,
        "twist_bp": -50 + (i * 3) % 100,
        "horizon_months": 1 + i % 36,
        "daily_noise_bp": (i % 5) * 2.5,
        "tlt": tlt,
        "tmf": tmf,
        "stocks": stocks,
        "cash": round(1.0 - tlt - tmf - stocks, 2),
        "financing_spread_bp": 30 + i % 40,
    }


def portfolio_grid() -> list[dict[str, float]]:
    """1,000 different mixes of TLT, TMF and SPY (BENCHMARKS.md B1 (b)), each summing to one."""
    grid = []
    for i in range(1_000):
        tlt = (i % 40) / 80  # 0 .. 0.4875
        tmf = (i // 40) / 100  # 0 .. 0.24
        grid.append({"TLT": tlt, "TMF": tmf, "SPY": round(1.0 - tlt - tmf, 6)})
    return grid


# B1's window: about 6,300 trading days, monthly rebalancing on the first trading day.
B1_START = "2001-03-01"


def timed(client: httpx.Client, path: str, params: dict[str, Any]) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(path, params=params)
    return (time.perf_counter() - started) * 1e3, response.status_code


def summary(times_ms: list[float]) -> dict[str, float]:
    ordered = sorted(times_ms)
    return {
        "n": len(ordered),
        "median": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "max": ordered[-1],
    }


def row(label: str, stats: dict[str, float], goal: str) -> str:
    return (
        f"| {label} | {stats['n']:,.0f} | {stats['median']:.1f} ms | {stats['p95']:.1f} ms | "
        f"{stats['max']:.1f} ms | {goal} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--home", type=Path, help="BONDTHESIS_HOME with a store (default: snapshot)"
    )
    parser.add_argument("--requests", type=int, default=500, help="scenario requests in a row")
    parser.add_argument("--backtests", type=int, default=30, help="backtest requests in a row")
    args = parser.parse_args()
    home = args.home or build_home(SHARED_DATA)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(home, port)
    lines: list[str] = []
    try:
        with httpx.Client(base_url=base, timeout=600) as client:
            first_ms, status = timed(client, "/api/scenario", scenario_params(0))
            assert status == 200, status
            for i in range(1, 20):  # warm: numba, the ladder of each kind, the connection
                timed(client, "/api/scenario", scenario_params(i))
            scenario = [
                timed(client, "/api/scenario", scenario_params(i))
                for i in range(20, 20 + args.requests)
            ]
            assert all(code == 200 for _, code in scenario), "a scenario request failed"
            scenario_ms = [ms for ms, _ in scenario]

            # The same requests while a big Monte Carlo runs in another request.
            busy: list[float] = []
            heavy_ms: list[float] = []

            def heavy() -> None:
                with httpx.Client(base_url=base, timeout=600) as other:
                    heavy_ms.append(
                        timed(other, "/api/montecarlo", {"paths": 1_000_000, "days": 252})[0]
                    )

            worker = threading.Thread(target=heavy)
            worker.start()
            time.sleep(0.2)
            i = 10_000
            while worker.is_alive() and len(busy) < args.requests:
                busy.append(timed(client, "/api/scenario", scenario_params(i))[0])
                i += 1
            worker.join()

            montecarlo = [
                timed(client, "/api/montecarlo", {"paths": 100_000, "days": 252, "seed": s})[0]
                for s in range(5)
            ]
            status_ms = [timed(client, "/api/status", {})[0] for _ in range(50)]
            backtest_code = client.get("/api/backtest", params={"preset": "article"}).status_code
            backtest_ms: list[float] = []
            single_ms: list[float] = []
            if backtest_code == 200:
                body = {"portfolios": portfolio_grid(), "rebalance": "monthly", "start": B1_START}
                for _ in range(3):  # warm: numba, the asset panel
                    client.post("/api/backtest/portfolios", json=body)
                for _ in range(args.backtests):
                    started = time.perf_counter()
                    answer = client.post("/api/backtest/portfolios", json=body)
                    backtest_ms.append((time.perf_counter() - started) * 1e3)
                    assert answer.status_code == 200, answer.text
                    assert len(answer.json()["summary"]["cagr"]) == len(body["portfolios"])
                for i in range(args.backtests):  # a new window each time: no result cache
                    single_ms.append(
                        timed(
                            client,
                            "/api/backtest",
                            {
                                "weights": "TLT=0.4,TMF=0.2,SPY=0.4",
                                "start": f"{1990 + i % 30}-01-01",
                            },
                        )[0]
                    )
    finally:
        server.terminate()
        server.wait(30)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines.append("| request | requests | median | p95 | max | goal |")
    lines.append("|---|---|---|---|---|---|")
    median = statistics.median(scenario_ms)
    lines.append(
        row(
            "`/api/scenario`, each a new slider position",
            summary(scenario_ms),
            f"≤ 100 ms: {'met' if median <= 100 else 'not met'}",
        )
    )
    if busy:
        lines.append(
            row(
                f"`/api/scenario` while a 1,000,000 × 252 Monte Carlo runs "
                f"({heavy_ms[0] / 1e3:.1f} s)",
                summary(busy),
                "not blocked",
            )
        )
    if backtest_code == 200:
        median_backtest = statistics.median(backtest_ms)
        lines.append(
            row(
                "`POST /api/backtest/portfolios`, 1,000 TLT/TMF/SPY mixes, monthly, 2001-03 on",
                summary(backtest_ms),
                f"≤ 200 ms: {'met' if median_backtest <= 200 else 'not met'}",
            )
        )
        lines.append(
            row(
                "`/api/backtest`, one portfolio, every figure, new window each",
                summary(single_ms),
                "",
            )
        )
    else:
        lines.append(
            f"| `/api/backtest`, 1,000 portfolios | | answered {backtest_code}: not in this "
            "build | | | ≤ 200 ms: not measured |"
        )
    lines.append(row("`/api/montecarlo`, 100,000 × 252, new seed each", summary(montecarlo), ""))
    lines.append(row("`/api/status` (cached document)", summary(status_ms), ""))
    print("\n".join(lines))
    print()
    print(
        f"First scenario request after start {first_ms:.0f} ms (reads the curve and builds "
        f"the ladder). CPU: {cpu_name()}, {os.cpu_count()} cores, load average {load:.1f} at "
        f"the end; Python {platform.python_version()}, one uvicorn worker, keep-alive client "
        f"on 127.0.0.1. Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}."
    )


if __name__ == "__main__":
    main()
