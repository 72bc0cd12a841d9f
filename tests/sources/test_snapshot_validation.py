"""The real snapshot in ../shared/data loads whole, and values read back exactly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from bondthesis.catalog import get_spec
from bondthesis.data.store import Store
from bondthesis.sources.snapshot import read_snapshot


def test_every_file_is_known(shared_data: Path) -> None:
    content = read_snapshot(shared_data)
    assert content.unknown_files == []
    assert content.auctions is not None
    assert len(content.auctions) == 10875
    assert "DGS30" in content.series


def test_values_read_back_exactly_from_the_store(shared_data: Path, tmp_path: Path) -> None:
    content = read_snapshot(shared_data, only={"DGS30", "GS30", "CPILFESL"})
    store = Store(tmp_path / "s.duckdb")
    for key, (rows, source) in content.series.items():
        store.write_series(get_spec(key), rows, served_by=f"snapshot:{source}")
    assert store.read_series("DGS30")[pd.Timestamp("2020-03-09")] == 0.99
    # GS30 is spliced from alt/GS30.csv after 2023-11: the extension is there.
    gs30 = store.read_series("GS30")
    assert gs30.index.max() == pd.Timestamp("2025-10-01")
    assert gs30[pd.Timestamp("1977-02-01")] == 7.75
    # as_of hides what was not yet published: core CPI for a month appears ~2 weeks after it.
    core = store.read_series("CPILFESL", as_of=date(2020, 3, 1))
    assert core.index.max() == pd.Timestamp("2020-01-01")
