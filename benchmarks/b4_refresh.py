"""B4: the whole catalog refreshed from a local provider emulator that answers after 150 ms.

bondthesis: ``refresh_online`` with the default rate limits (FRED 2/s, SEC 10/s, Yahoo 1/s, ...),
a cold refresh into a fresh store, then a warm refresh of the same store (nothing new). Peer, in
the same run against the same server: ``fredapi.Fred.get_series`` for every FRED series one
after another, then plain sequential ``httpx`` GETs/POSTs for everything else (one request per
series, or per file where several series share one file), each parsed with pandas the way a
script would. Both sides are checked against the values the emulator generated.

Run: ``uv sync --group dev --group bench`` once, then ``uv run python benchmarks/b4_refresh.py``
(``--runs N`` changes the number of timed runs; default 5 after one warm-up).
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import httpx
import numpy as np
import pandas as pd
from fredapi import Fred

from _emulated_data import EmulatedData, generate
from bondthesis.catalog import CATALOG, Provider
from bondthesis.config import Settings
from bondthesis.data.refresh import refresh_online
from bondthesis.data.store import Store
from bondthesis.sources._http import DEFAULT_BURSTS, DEFAULT_RATE_LIMITS, HttpClient
from provider_emulator import (
    FINRA_API,
    FISCAL,
    GPR_FILE,
    SEC_LANDING,
    SHILLER_PAGE,
    TPU_FILE,
    WORLDBANK_PAGE,
    default_end,
    spawn,
)

DELAY_S = 0.15
AGENT = "Bench bench@example.org"
FAKE_KEY = "abcdef0123456789abcdef0123456789"
FRED_KEYS = [k for k, s in CATALOG.items() if s.provider is Provider.FRED]
BUCKETS = {  # first path segment -> the rate-limit bucket bondthesis uses for it
    "fred": "fred",
    "fiscal_service": "fiscaldata",
    "finra": "finra",
    "yahoo": "yahoo",
    "stooq": "stooq",
    "worldbank": "worldbank",
    "iacoviello": "iacoviello",
    "sec": "sec",
    "shiller": "shiller",
    "shillerdata": "shiller",
}


# -- bondthesis ------------------------------------------------------------------------------------


def stored_rows(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute("SELECT count(*) FROM observations WHERE value IS NOT NULL").fetchone()
    return int(row[0]) if row else 0


def agreement(store: Store, expected: dict[str, pd.DataFrame], data: EmulatedData) -> list[str]:
    """Keys whose stored values differ from what the emulator generated (empty: all agree)."""
    bad = []
    for key, frame in expected.items():
        stored = store.read_series(key).dropna()
        if stored.index.tolist() != frame["date"].tolist() or not np.array_equal(
            stored.to_numpy(), frame["value"].to_numpy()
        ):
            bad.append(key)
    if len(store.read_table("auctions")) != len(data.auctions):
        bad.append("AUCTIONS")
    return bad


def refresh_once(
    endpoints: dict[str, dict[str, object]], settings: Settings, store: Store
) -> float:
    http = HttpClient(settings)  # the default rate limits, a fresh client as a new CLI run has
    try:
        started = time.perf_counter()
        report = refresh_online(settings, store, endpoints=endpoints, http=http)
        elapsed = time.perf_counter() - started
    finally:
        http.close()
    failed = [r for r in report.rows if r.status == "failed"]
    if failed:
        raise RuntimeError(f"refresh failed: {failed[:3]}")
    return elapsed


def bondthesis_run(child: Any, data: EmulatedData, expected: dict[str, pd.DataFrame]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(home=Path(tmp), sec_user_agent=AGENT)
        store = Store(settings.store_path)
        endpoints = child.endpoints()
        child.stats(reset=True)
        cold = refresh_once(endpoints, settings, store)
        cold_paths = child.stats(reset=True)["paths"]
        rows = stored_rows(settings.store_path)
        warm = refresh_once(endpoints, settings, store)
        warm_paths = child.stats(reset=True)["paths"]
        bad = agreement(store, expected, data)
    return {
        "cold": cold,
        "warm": warm,
        "cold_paths": cold_paths,
        "warm_paths": warm_paths,
        "rows": rows,
        "bad": bad,
    }


# -- the sequential peer ---------------------------------------------------------------------------


def _link(page: str, pattern: str) -> list[str]:
    return re.findall(rf'href="([^"]*{pattern}[^"]*)"', page)


def peer_run(child: Any) -> dict[str, pd.Series]:
    """Every series, one request after another, parsed with pandas."""
    base = child.base
    out: dict[str, pd.Series] = {}
    fred = Fred(api_key=FAKE_KEY)
    fred.root_url = base + "/fred"
    for key in FRED_KEYS:
        out[key] = fred.get_series(key)
    with httpx.Client(timeout=60, headers={"User-Agent": AGENT}) as http:
        page, rows = 1, []
        while True:  # auctions: ~11k rows in pages of 10,000
            answer = http.get(
                f"{base}{FISCAL}/v1/accounting/od/auctions_query",
                params={"page[number]": page, "page[size]": 10000, "sort": "auction_date"},
            ).json()
            rows += answer["data"]
            if not answer["links"]["next"]:
                break
            page += 1
        out["AUCTIONS"] = pd.DataFrame(rows)["bid_to_cover_ratio"]
        for path in ("v2/accounting/od/interest_expense", "v1/accounting/mts/mts_table_1"):
            answer = http.get(f"{base}{FISCAL}/{path}", params={"page[size]": 10000}).json()
            out[path] = pd.DataFrame(answer["data"]).iloc[:, 0]
        for symbol in sorted(
            {
                CATALOG[k].remote_id.split(":")[0]
                for k in CATALOG
                if CATALOG[k].provider is Provider.FINRA
            }
        ):
            body = {
                "domainFilters": [{"fieldName": "symbolCode", "values": [symbol]}],
                "limit": 5000,
            }
            frame = pd.DataFrame(http.post(base + FINRA_API, json=body).json())
            out[f"{symbol}_SHORT_INTEREST"] = frame.set_index("settlementDate")[
                "currentShortPositionQuantity"
            ]
        for ticker in ("TLT", "TMF", "SPY", "IEF", "GLD"):
            chart = http.get(
                f"{base}/yahoo/v8/finance/chart/{ticker}",
                params={"period1": 0, "period2": 2**31, "interval": "1d"},
            ).json()["chart"]["result"][0]
            days = pd.to_datetime(chart["timestamp"], unit="s").normalize()
            out[ticker] = pd.Series(chart["indicators"]["adjclose"][0]["adjclose"], index=days)
        text = http.get(f"{base}/stooq/q/d/l/", params={"s": "xauusd", "i": "d"}).text
        out["GOLD_DAILY"] = pd.read_csv(io.StringIO(text), index_col=0, parse_dates=True)["Close"]
        landing = http.get(base + WORLDBANK_PAGE).text
        workbook = http.get(base + _link(landing, "Monthly.xlsx")[0]).content
        sheet = pd.read_excel(io.BytesIO(workbook), sheet_name="Monthly Prices", header=None)
        out["GOLD_MONTHLY"] = sheet.iloc[7:, list(sheet.iloc[6]).index("GOLD")]
        gpr = pd.read_excel(io.BytesIO(http.get(base + GPR_FILE).content), engine="xlrd")
        out["GPR"] = pd.Series(
            gpr["GPR"].to_numpy(),
            index=pd.Timestamp("1899-12-30") + pd.to_timedelta(gpr["month"], "D"),
        )
        tpu = pd.read_excel(io.BytesIO(http.get(base + TPU_FILE).content), sheet_name="TPU_MONTHLY")
        out["TPU"] = pd.to_numeric(tpu["TPU"])
        landing = http.get(base + SEC_LANDING).text
        for link in _link(landing, "_form13f.zip"):
            with zipfile.ZipFile(io.BytesIO(http.get(base + link).content)) as archive:
                name = next(n for n in archive.namelist() if n.endswith("INFOTABLE.tsv"))
                table = pd.read_csv(archive.open(name), sep="\t", dtype=str)
                out[link] = table[table["CUSIP"] == "464287432"]["VALUE"]
        landing = http.get(base + SHILLER_PAGE).text
        workbook = http.get(_link(landing, "ie_data.xls")[0]).content
        out["SHILLER"] = pd.read_excel(
            io.BytesIO(workbook), sheet_name="Data", header=None, engine="xlrd"
        )[12]
    return out


def peer_agrees(out: dict[str, pd.Series], expected: dict[str, pd.DataFrame]) -> list[str]:
    bad = []
    for key in ("DGS10", "DGS30", "GS30", "ICSA", "TLT", "GLD", "GOLD_DAILY", "GPR"):
        got = out[key].dropna().astype(float)
        want = expected[key]
        if list(pd.DatetimeIndex(got.index)) != want["date"].tolist() or not np.array_equal(
            got.to_numpy(), want["value"].to_numpy()
        ):
            bad.append(key)
    return bad


# -- report ----------------------------------------------------------------------------------------


def network_floor(count: int, bucket: str, delay_s: float = DELAY_S) -> float:
    """Seconds for ``count`` requests sent one after another through the bucket's token bucket."""
    rate = DEFAULT_RATE_LIMITS[bucket]
    capacity = max(1.0, rate, DEFAULT_BURSTS.get(bucket, 0.0))
    clock = 0.0
    for k in range(count):
        clock = max(clock, max(0.0, k + 1 - capacity) / rate) + delay_s
    return clock


def per_bucket(paths: list[str]) -> Counter[str]:
    return Counter(BUCKETS[p.split("/")[1]] for p in paths)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    end = default_end()
    data = generate(end)
    expected = data.expected()
    child = spawn(end, delay_s=DELAY_S)
    try:
        bondthesis_run(child, data, expected)  # warm-up: fills the emulator's body cache
        peer_run(child)
        child.stats(reset=True)
        ours, theirs, peer_requests = [], [], 0
        for _ in range(runs):
            ours.append(bondthesis_run(child, data, expected))
            started = time.perf_counter()
            out = peer_run(child)
            theirs.append(time.perf_counter() - started)
            peer_requests = child.stats(reset=True)["requests"]
        peer_bad = peer_agrees(out, expected)
    finally:
        child.stop()
    cold = statistics.median(r["cold"] for r in ours)
    warm = statistics.median(r["warm"] for r in ours)
    peer = statistics.median(theirs)
    last = ours[-1]
    bad = sorted({k for r in ours for k in r["bad"]})
    n_series = len(expected) + 1
    ours_agree = "all equal" if not bad else f"differ: {', '.join(bad)}"
    peer_agree = "equal" if not peer_bad else f"differ: {', '.join(peer_bad)}"
    print(
        f"Emulator: 127.0.0.1, {DELAY_S * 1e3:.0f} ms per answer, data to {end}; "
        f"{runs} timed runs after one warm-up; Python {sys.version.split()[0]}."
    )
    print()
    print(
        "| | cold refresh (median) | warm refresh, nothing new (median) | requests cold / warm "
        "| rows stored | agrees with the emulator's values |"
    )
    print("|---|---|---|---|---|---|")
    print(
        f"| sequential peer (fredapi + httpx, one request after another) | {peer:.2f} s | — "
        f"| {peer_requests} | — | {peer_agree} (8 series checked) |"
    )
    print(
        f"| bondthesis `refresh_online`, default rate limits | {cold:.2f} s | {warm:.2f} s "
        f"| {len(last['cold_paths'])} / {len(last['warm_paths'])} | {last['rows']:,} + "
        f"{len(data.auctions):,} auctions | {ours_agree} ({n_series} series and tables) |"
    )
    print(f"| ratio peer / bondthesis (cold) | {peer / cold:.1f}x | | | | |")
    print()
    print("Runs (s): bondthesis cold " + ", ".join(f"{r['cold']:.2f}" for r in ours))
    print("          bondthesis warm " + ", ".join(f"{r['warm']:.2f}" for r in ours))
    print("          peer            " + ", ".join(f"{t:.2f}" for t in theirs))
    print()
    print(
        "| provider bucket | rate limit (req/s), burst | requests cold | network floor cold | "
        "requests warm | network floor warm |"
    )
    print("|---|---|---|---|---|---|")
    cold_counts, warm_counts = per_bucket(last["cold_paths"]), per_bucket(last["warm_paths"])
    for bucket in sorted(cold_counts, key=lambda b: -network_floor(cold_counts[b], b)):
        rate = DEFAULT_RATE_LIMITS[bucket]
        burst = max(1.0, rate, DEFAULT_BURSTS.get(bucket, 0.0))
        print(
            f"| {bucket} | {rate:g}, {burst:g} | {cold_counts[bucket]} | "
            f"{network_floor(cold_counts[bucket], bucket):.2f} s | {warm_counts[bucket]} | "
            f"{network_floor(warm_counts[bucket], bucket):.2f} s |"
        )
    print(f"| peer, all sequential | — | {peer_requests} | {peer_requests * DELAY_S:.2f} s | | |")


if __name__ == "__main__":
    main()
