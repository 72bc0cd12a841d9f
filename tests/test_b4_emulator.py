"""Benchmark B4's provider emulator, end to end through ``refresh_online`` without delays.

Keeps the benchmark's machinery from rotting: every provider format the emulator serves is read
by the real sources, and what lands in the store equals what the emulator generated.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from _emulated_data import EmulatedData, generate
from bondthesis.config import Settings
from bondthesis.data.refresh import refresh_online
from bondthesis.data.store import Store
from bondthesis.sources._http import HttpClient
from provider_emulator import FRED_GRAPH, ProviderEmulator, spawn

END = date(2026, 6, 30)
# One or two series of every provider (SEC: all five keys come from one pass anyway).
KEYS = [
    "DGS30",
    "DGS10",
    "GS30",
    "GDP",
    "AUCTIONS",
    "BIDTOCOVER_30Y",
    "INTEREST_EXPENSE",
    "MTS_RECEIPTS",
    "TLT_SHORT_INTEREST",
    "TLT_DAYS_TO_COVER",
    "TLT_13F_CALL_VALUE",
    "TLT_13F_PUT_FILERS",
    "TLT",
    "GLD",
    "GOLD_DAILY",
    "GOLD_MONTHLY",
    "GPR",
    "TPU",
    "SHILLER_CAPE",
    "SHILLER_P",
]
FAKE_KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def data() -> EmulatedData:
    return generate(END, seed=7)


@pytest.fixture(scope="module")
def emulator(data: EmulatedData) -> Iterator[ProviderEmulator]:
    running = ProviderEmulator(data, delay_s=0.0, lifetime_s=60).start()
    yield running
    running.stop()


def client(settings: Settings) -> HttpClient:
    fast = dict.fromkeys(("fred", "sec", "yahoo", "stooq", "worldbank", "iacoviello"), 1e6)
    return HttpClient(settings, max_retries=0, rate_limits=fast | {"shiller": 1e6})


def test_cold_then_warm_refresh_stores_what_the_emulator_generated(
    tmp_path: Path, data: EmulatedData, emulator: ProviderEmulator
) -> None:
    settings = Settings(home=tmp_path, sec_user_agent="Bench bench@example.org")
    store = Store(tmp_path / "s.duckdb")
    with client(settings) as http:
        cold = refresh_online(settings, store, keys=KEYS, endpoints=emulator.endpoints(), http=http)
        assert {r.key: r.status for r in cold.rows} == dict.fromkeys(KEYS, "ok")
        expected = data.expected()
        for key in KEYS:
            if key == "AUCTIONS":
                assert len(store.read_table("auctions")) == len(data.auctions)
                continue
            stored = store.read_series(key).dropna()
            assert stored.index.tolist() == expected[key]["date"].tolist(), key
            assert stored.to_numpy().tolist() == expected[key]["value"].tolist(), key
        seen_cold = len(emulator.server.seen)
        warm = refresh_online(settings, store, keys=KEYS, endpoints=emulator.endpoints(), http=http)
    assert {r.status for r in warm.rows} <= {"ok", "unchanged"}
    assert all(r.new_rows == 0 for r in warm.rows if r.key != "AUCTIONS")
    # The warm FRED request asked from a recent date and got a short answer.
    graph = [s for s in emulator.server.seen[seen_cold:] if s.path == FRED_GRAPH]
    assert graph
    assert all(date.fromisoformat(s.query["cosd"][0]) > date(2023, 1, 1) for s in graph)
    assert store.read_series("DGS30").dropna().tolist() == expected["DGS30"]["value"].tolist()


def test_keyed_fred_reads_the_json_api(
    tmp_path: Path, data: EmulatedData, emulator: ProviderEmulator
) -> None:
    settings = Settings(home=tmp_path, fred_api_key=FAKE_KEY)
    store = Store(tmp_path / "s.duckdb")
    endpoints = emulator.endpoints()
    endpoints["fred"] = {**endpoints["fred"], "vintage_keys": ()}
    with client(settings) as http:
        report = refresh_online(
            settings, store, keys=["DGS1", "UNRATE"], endpoints=endpoints, http=http
        )
    assert {r.served_by for r in report.rows} == {"fred:api"}
    expected = data.expected()
    for key in ("DGS1", "UNRATE"):
        assert store.read_series(key).dropna().tolist() == expected[key]["value"].tolist()


def test_the_emulator_in_a_child_process_counts_requests_and_stops() -> None:
    child = spawn(END, delay_s=0.0, seed=7, lifetime_s=60)
    try:
        fred = child.endpoints()["fred"]["graph_url"]
        answer = httpx.get(str(fred), params={"id": "GS30,GS10", "cosd": "2026-01-01"})
        assert answer.text.splitlines()[0] == "observation_date,GS30,GS10"
        assert child.stats(reset=True)["requests"] == 1
        assert child.stats()["requests"] == 0
    finally:
        child.stop()
    assert child.process.returncode == 0
