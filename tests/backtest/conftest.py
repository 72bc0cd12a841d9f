"""A store built once per session from ../shared/data, and the asset panel read from it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from bondthesis.catalog import get_spec
from bondthesis.data.backtest_assets import AssetPanel, load_asset_panel
from bondthesis.data.store import Store
from bondthesis.sources.snapshot import read_snapshot

BACKTEST_KEYS = {
    *("DGS10", "DGS20", "DGS30", "GS10", "GS20", "GS30", "DGS1MO", "DGS3MO", "TB3MS"),
    *("TLT", "TMF", "SPY", "IEF", "GLD", "GOLD_DAILY", "GOLD_MONTHLY", "SHILLER_P", "SHILLER_D"),
}
ALL_TICKERS = (
    "TLT",
    "TMF",
    "SPY",
    "IEF",
    "GLD",
    "CASH",
    "UPRO",
    "TLT?L=1",
    "TLT?L=3&E=0.91&SP=0.47",
)


def write_snapshot_store(folder: Path, home: Path) -> Store:
    """The backtest's series from the snapshot, in ``home/bondthesis.duckdb``."""
    content = read_snapshot(folder, only=BACKTEST_KEYS | {"AUCTIONS"})
    home.mkdir(parents=True, exist_ok=True)
    store = Store(home / "bondthesis.duckdb")
    for key, (rows, file_name) in content.series.items():
        store.write_series(get_spec(key), rows, served_by=f"snapshot:{file_name}")
    if content.auctions is not None:
        store.write_table("auctions", content.auctions)
    return store


@lru_cache(maxsize=1)
def _home(folder: str, home: str) -> str:
    write_snapshot_store(Path(folder), Path(home))
    return home


@pytest.fixture(scope="session")
def _session_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("backtest-home")


@pytest.fixture
def real_home(shared_data: Path, _session_home: Path) -> Path:
    """A BONDTHESIS_HOME whose store holds the real snapshot's prices and yields (built once)."""
    return Path(_home(str(shared_data), str(_session_home)))


@lru_cache(maxsize=1)
def _panel(home: str) -> AssetPanel:
    return load_asset_panel(Store(Path(home) / "bondthesis.duckdb"), ALL_TICKERS)


@pytest.fixture
def real_panel(real_home: Path) -> AssetPanel:
    """Every ticker the tests use, 1962 on, from the real snapshot (built once)."""
    return _panel(str(real_home))
