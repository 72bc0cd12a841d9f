"""Refresh: concurrent providers, partial failures keep what succeeded, incremental windows."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from bondthesis.data.refresh import refresh_from_snapshot, refresh_from_sources, since_dates
from bondthesis.data.store import Store
from bondthesis.errors import SourceUnavailable
from bondthesis.sources.base import Fetched, FetchFailed


class FakeSource:
    def __init__(
        self,
        name: str,
        rows: dict[str, pd.DataFrame],
        fail: set[str] = frozenset(),
        crash: bool = False,
        barrier: threading.Barrier | None = None,
    ) -> None:
        self.name = name
        self.rows = rows
        self.fail = fail
        self.crash = crash
        self.barrier = barrier
        self.asked: dict[str, date | None] = {}

    def fetch(
        self, keys: Sequence[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        self.asked.update(since)
        if self.barrier is not None:
            self.barrier.wait(timeout=5)  # proves the providers run at the same time
        if self.crash:
            raise SourceUnavailable("HTTP 503 after 4 tries", source=self.name)
        for key in keys:
            if key in self.fail:
                yield FetchFailed(
                    key, SourceUnavailable("timed out after 3 tries", source=self.name)
                )
            elif key in self.rows:
                yield Fetched(key, self.rows[key], served_by=self.name)


def days(start: str, n: int, value: float = 1.0) -> pd.DataFrame:
    return pd.DataFrame({"date": pd.date_range(start, periods=n, freq="D"), "value": value})


def test_providers_run_concurrently_and_failures_keep_the_rest(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    barrier = threading.Barrier(3)
    fred = FakeSource(
        "fred",
        {"DGS30": days("2020-01-01", 10), "DGS10": days("2020-01-01", 5)},
        fail={"DGS10"},
        barrier=barrier,
    )
    prices = FakeSource("prices", {"TLT": days("2020-01-01", 7)}, barrier=barrier)
    finra = FakeSource("finra", {}, crash=True, barrier=barrier)
    report = refresh_from_sources(
        store, {fred: ["DGS30", "DGS10"], prices: ["TLT", "SPY"], finra: ["TLT_SHORT_INTEREST"]}
    )
    by_key = {r.key: r for r in report.rows}
    assert by_key["DGS30"].status == "ok"
    assert by_key["DGS30"].new_rows == 10
    assert by_key["TLT"].status == "ok"
    assert "timed out after 3 tries" in str(by_key["DGS10"].error)
    assert "HTTP 503" in str(by_key["TLT_SHORT_INTEREST"].error)
    assert "returned nothing for SPY" in str(by_key["SPY"].error)
    assert {r.key for r in report.failed} == {"DGS10", "TLT_SHORT_INTEREST", "SPY"}
    assert len(store.read_series("DGS30")) == 10


def test_a_failed_refresh_leaves_the_last_good_data(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    refresh_from_sources(store, {FakeSource("fred", {"DGS30": days("2020-01-01", 10)}): ["DGS30"]})
    refresh_from_sources(store, {FakeSource("fred", {}, crash=True): ["DGS30"]})
    assert len(store.read_series("DGS30")) == 10
    assert any(s.last_status == "failed" for s in store.status() if s.series == "DGS30")


def test_incremental_refresh_asks_from_the_revision_window(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    refresh_from_sources(store, {FakeSource("fred", {"DGS30": days("2020-01-01", 31)}): ["DGS30"]})
    again = FakeSource("fred", {"DGS30": days("2020-01-25", 10, value=2.0)})
    report = refresh_from_sources(store, {again: ["DGS30"]})
    assert again.asked["DGS30"] == date(2020, 1, 21)  # Jan 31 minus 10 days
    assert report.rows[0].new_rows == 3  # Feb 1-3 are new
    values = store.read_series("DGS30")
    assert len(values) == 34
    assert values[pd.Timestamp("2020-01-20")] == 1.0
    assert values[pd.Timestamp("2020-01-25")] == 2.0


def test_since_dates_full_history_when_asked() -> None:
    assert since_dates({"DGS30": date(2020, 1, 31)}, ["DGS30", "GDP"], full=True) == {
        "DGS30": None,
        "GDP": None,
    }
    assert since_dates({"GDP": date(2024, 1, 1)}, ["GDP"])["GDP"] == date(2022, 11, 27)


def test_snapshot_names_unknown_files(tmp_path: Path) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "DGS30.csv").write_text("DATE,DGS30\n2020-03-09,0.99\n2020-03-10,.\n")
    (folder / "mystery.csv").write_text("a,b\n1,2\n")
    report = refresh_from_snapshot(Store(tmp_path / "s.duckdb"), folder)
    assert report.unknown_files == ["mystery.csv"]
    assert [r.key for r in report.rows] == ["DGS30"]


def test_snapshot_of_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        refresh_from_snapshot(Store(tmp_path / "s.duckdb"), tmp_path / "nope")


def test_an_empty_answer_changes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    refresh_from_sources(store, {FakeSource("fred", {"DGS30": days("2020-01-01", 31)}): ["DGS30"]})
    empty = pd.DataFrame({"date": pd.to_datetime([]), "value": []})
    report = refresh_from_sources(store, {FakeSource("fred", {"DGS30": empty}): ["DGS30"]})
    assert report.rows[0].status == "unchanged"
    assert len(store.read_series("DGS30")) == 31


def test_a_series_the_database_refuses_does_not_take_its_burst_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import duckdb

    store = Store(tmp_path / "s.duckdb")
    original = Store.write_series

    def refuse_dgs10(self: Store, spec, observations, **kwargs):  # type: ignore[no-untyped-def]
        if spec.key == "DGS10":
            raise duckdb.ConstraintException("simulated constraint failure")
        return original(self, spec, observations, **kwargs)

    monkeypatch.setattr(Store, "write_series", refuse_dgs10)
    rows = {k: days("2020-01-01", 5) for k in ("DGS30", "DGS10", "DGS20")}
    report = refresh_from_sources(store, {FakeSource("fred", rows): ["DGS30", "DGS10", "DGS20"]})
    by_key = {r.key: r for r in report.rows}
    assert by_key["DGS10"].status == "failed"
    assert "simulated constraint failure" in str(by_key["DGS10"].error)
    assert by_key["DGS30"].status == by_key["DGS20"].status == "ok"
    assert len(store.read_series("DGS30")) == len(store.read_series("DGS20")) == 5
