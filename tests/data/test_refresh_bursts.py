"""Refresh writes whatever has arrived under one store connection, and still stores every row."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from bondthesis.data.refresh import WRITE_BURST_MAX, refresh_from_sources
from bondthesis.data.store import Store
from bondthesis.sources.base import Fetched, FetchFailed

KEYS = ["DGS1", "DGS2", "DGS5", "DGS7", "DGS10", "DGS20", "DGS30", "GS10", "GS20", "GS30"]


class CountingStore(Store):
    """Counts the write connections opened on the database file."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.opened = 0

    @contextlib.contextmanager
    def _connect(self, *, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        if write and self._session is None:
            self.opened += 1
        with super()._connect(write=write) as con:
            yield con


class QueuedSource:
    """Yields one frame per key; sets ``drained`` once every result is queued."""

    name = "fred"

    def __init__(self, frames: dict[str, pd.DataFrame]) -> None:
        self.frames = frames
        self.drained = threading.Event()

    def fetch(
        self, keys: Sequence[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        for key in keys:
            yield Fetched(key, self.frames[key], "fred:fredgraph")
        self.drained.set()


def frames(seed: int) -> dict[str, pd.DataFrame]:
    days = pd.bdate_range("2020-01-01", periods=50)
    return {
        key: pd.DataFrame({"date": days, "value": [seed + i + n / 100 for n in range(50)]})
        for i, key in enumerate(KEYS)
    }


def test_results_that_arrived_together_share_one_connection(tmp_path: Path) -> None:
    store = CountingStore(tmp_path / "s.duckdb")
    source = QueuedSource(frames(1))

    def hold_first(key: str, status: str) -> None:
        # While the first result is written, let the source queue all the others.
        assert source.drained.wait(timeout=10)

    report = refresh_from_sources(store, {source: KEYS}, progress=hold_first)
    assert [r.status for r in report.rows] == ["ok"] * len(KEYS)
    # One connection marks the refresh begun; the first burst holds the first result (maybe
    # more), the second everything else and the finish mark; without bursts each of the ten
    # series would open the file once.
    assert len(KEYS) <= WRITE_BURST_MAX
    assert store.opened <= 3
    for key, frame in frames(1).items():
        stored = store.read_series(key)
        assert stored.to_numpy().tolist() == frame["value"].tolist()


def test_bursts_keep_the_incremental_window(tmp_path: Path) -> None:
    store = CountingStore(tmp_path / "s.duckdb")
    refresh_from_sources(store, {QueuedSource(frames(1)): KEYS})
    newer = {k: f.iloc[-3:].assign(value=f["value"].iloc[-3:] + 50) for k, f in frames(1).items()}
    report = refresh_from_sources(store, {QueuedSource(newer): KEYS})
    assert {r.status for r in report.rows} == {"unchanged"}  # same dates, revised values
    for key, frame in frames(1).items():
        stored = store.read_series(key).to_numpy().tolist()
        assert stored[:-3] == frame["value"].iloc[:-3].tolist()
        assert stored[-3:] == (frame["value"].iloc[-3:] + 50).tolist()
