"""The DuckDB store: round trips, revisions, vintages, crashes and concurrent writers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bondthesis.catalog import get_spec
from bondthesis.data.store import FetchRecord, Store
from bondthesis.errors import CacheMiss, StoreBusy

SRC = Path(__file__).resolve().parents[2] / "src"


def frame(dates: list[str], values: list[float | None]) -> pd.DataFrame:
    return pd.DataFrame({"date": pd.to_datetime(dates), "value": values})


def test_round_trip_keeps_values_and_missing_markers(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    rows = frame(["2020-03-06", "2020-03-09", "2020-03-10"], [1.25, None, 1.28])
    assert store.write_series(get_spec("DGS30"), rows, served_by="test") == 3
    got = store.read_series("DGS30")
    assert got.index.tolist() == list(pd.to_datetime(["2020-03-06", "2020-03-09", "2020-03-10"]))
    assert got.iloc[0] == 1.25
    assert np.isnan(got.iloc[1])
    assert store.schema_version() == 1


def test_incremental_write_replaces_only_the_revision_window(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    spec = get_spec("CPIAUCSL")
    store.write_series(
        spec, frame(["2024-01-01", "2024-02-01", "2024-03-01"], [1, 2, 3]), served_by="a"
    )
    # A revision of March and a new April; January and February are outside the window.
    store.write_series(
        spec,
        frame(["2024-03-01", "2024-04-01"], [3.5, 4]),
        served_by="b",
        replace_from=date(2024, 3, 1),
    )
    got = store.read_series("CPIAUCSL")
    assert got.tolist() == [1, 2, 3.5, 4]


def test_as_of_uses_vintages_where_present(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    rows = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-04-01"]),
            "vintage": pd.to_datetime(["2024-04-25", "2024-07-30", "2024-07-30"]),
            "value": [100.0, 101.0, 105.0],
        }
    )
    store.write_series(get_spec("GDP"), rows, served_by="alfred")
    assert store.read_series("GDP", as_of=date(2024, 5, 1)).tolist() == [100.0]
    assert store.read_series("GDP", as_of=date(2024, 8, 1)).tolist() == [101.0, 105.0]
    assert store.read_series("GDP").tolist() == [101.0, 105.0]


def test_as_of_uses_publication_lags_without_vintages(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    months = ["2024-01-01", "2024-02-01", "2024-03-01"]
    store.write_series(get_spec("CPILFESL"), frame(months, [1, 2, 3]), served_by="t")
    # February's CPI (period ends Feb 29, lag 14 days) is public from March 14.
    assert store.read_series("CPILFESL", as_of=date(2024, 3, 13)).tolist() == [1]
    assert store.read_series("CPILFESL", as_of=date(2024, 3, 14)).tolist() == [1, 2]


def test_reading_a_missing_store_or_series_says_what_to_run(tmp_path: Path) -> None:
    store = Store(tmp_path / "nothing.duckdb")
    with pytest.raises(CacheMiss, match="bondthesis refresh"):
        store.read_series("DGS30")
    store.write_series(get_spec("DGS10"), frame(["2020-01-02"], [1.0]), served_by="t")
    with pytest.raises(CacheMiss, match="refresh --only DGS30"):
        store.read_series("DGS30")
    with pytest.raises(CacheMiss, match="refresh --only DGS30"):
        store.read_panel(["DGS10", "DGS30"], start=date(2020, 1, 1))
    assert store.read_panel(["DGS10"], start=date(2021, 1, 1)).empty


def test_fetch_log_never_keeps_a_secret(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    key = "abcdef0123456789abcdef0123456789"
    store.log_fetch([FetchRecord("fred", "DGS30", 0, "failed", f"HTTP 500 for ?api_key={key}")])
    assert key not in store.fetch_log().to_string()
    with (tmp_path / "s.duckdb").open("rb") as handle:
        assert key.encode() not in handle.read()


def test_second_writer_waits_then_is_told(tmp_path: Path) -> None:
    first = Store(tmp_path / "s.duckdb")
    second = Store(tmp_path / "s.duckdb", lock_timeout_s=0.3)
    with first.writer_lock():
        started = time.monotonic()
        with pytest.raises(StoreBusy, match="wait for it to finish"), second.writer_lock():
            pass
        assert time.monotonic() - started >= 0.3
    with second.writer_lock():  # released with the block
        pass


_WRITER = textwrap.dedent(
    """
    import sys, pandas as pd, numpy as np
    from pathlib import Path
    from bondthesis.catalog import get_spec
    from bondthesis.data.store import Store
    store = Store(Path(sys.argv[1]))
    dates = pd.date_range("1900-01-01", periods=200_000, freq="D")
    spec = get_spec("DGS30")
    version = 0
    with store.writer_lock(), store.batch():
        while True:
            version += 1
            rows = pd.DataFrame({"date": dates, "value": np.full(len(dates), float(version))})
            store.write_series(spec, rows, served_by=f"v{version}")
            print(version, flush=True)
    """
)


def test_kill_9_mid_write_leaves_the_last_good_data(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    # Let it commit at least two versions, then kill it in the middle of the next write.
    for _ in range(2):
        assert proc.stdout.readline().strip()
    time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    values = Store(path).read_series("DGS30")
    assert len(values) == 200_000
    assert values.nunique() == 1  # one whole version, never a mix
    assert values.iloc[0] >= 2
    # And the store takes writes again: the lock died with the process.
    with Store(path, lock_timeout_s=1).writer_lock():
        pass


_REFRESHER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from bondthesis.data.refresh import refresh_from_snapshot
    from bondthesis.data.store import Store
    from bondthesis.errors import StoreBusy
    try:
        store = Store(Path(sys.argv[1]), lock_timeout_s=60)
        report = refresh_from_snapshot(store, Path(sys.argv[2]))
        print("ok", len(report.rows))
    except StoreBusy as exc:
        print("busy", exc)
    """
)


def test_two_refreshes_at_once_do_not_corrupt(tmp_path: Path) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    days = pd.date_range("1990-01-01", periods=5000, freq="D")
    body = "observation_date,DGS30\n" + "".join(
        f"{d.date()},{i / 100:.2f}\n" for i, d in enumerate(days)
    )
    (folder / "DGS30.csv").write_text(body)
    (folder / "DGS10.csv").write_text(body.replace("DGS30", "DGS10"))
    path = tmp_path / "s.duckdb"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _REFRESHER, str(path), str(folder)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(out.startswith(("ok", "busy")) for out in outputs), outputs
    assert any(out.startswith("ok") for out in outputs)
    values = Store(path).read_series("DGS30")
    assert len(values) == 5000
    assert values.iloc[-1] == pytest.approx(49.99)


def test_panel_aligns_series_and_keeps_missing_values(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    store.write_series(
        get_spec("DGS30"), frame(["2020-01-02", "2020-01-03"], [1.0, None]), served_by="t"
    )
    store.write_series(
        get_spec("DGS10"), frame(["2020-01-03", "2020-01-06"], [2.0, 3.0]), served_by="t"
    )
    panel = store.read_panel(["DGS10", "DGS30"])
    assert list(panel.columns) == ["DGS10", "DGS30"]
    assert panel.index.tolist() == list(pd.to_datetime(["2020-01-02", "2020-01-03", "2020-01-06"]))
    assert np.isnan(panel.loc["2020-01-03", "DGS30"])
    assert panel.loc["2020-01-06", "DGS10"] == 3.0
    # The latest-vintage fast path and the point-in-time path agree on the same rows.
    later = store.read_panel(["DGS10", "DGS30"], as_of=date(2030, 1, 1))
    pd.testing.assert_frame_equal(panel, later)
    clipped = store.read_panel(["DGS10"], start=date(2020, 1, 4))
    assert clipped.index.tolist() == [pd.Timestamp("2020-01-06")]


def test_status_lists_record_tables_with_their_dates(tmp_path: Path) -> None:
    from bondthesis.data.records import AUCTION_COLUMNS

    store = Store(tmp_path / "s.duckdb")
    row = dict.fromkeys(AUCTION_COLUMNS)
    row |= {
        "cusip": "912810UF3",
        "issue_date": date(2025, 5, 15),
        "auction_date": date(2025, 5, 8),
        "offering_amt": 25e9,
        "tips": False,
        "frn": False,
    }
    store.write_table("auctions", pd.DataFrame([row]))
    store.write_series_meta("AUCTIONS", "fiscaldata", "fiscaldata:auctions_query")
    (status,) = [s for s in store.status() if s.series == "AUCTIONS"]
    assert (status.rows, status.last_date, status.served_by) == (
        1,
        date(2025, 5, 8),
        "fiscaldata:auctions_query",
    )
    with pytest.raises(ValueError, match="unknown table"):
        store.write_table("nope", pd.DataFrame([row]))


def test_a_group_commits_together_or_not_at_all(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    rows = frame(["2020-01-02"], [1.0])
    with store.batch(), store.group():
        store.write_series(get_spec("DGS30"), rows, served_by="t")
        store.write_series(get_spec("DGS10"), rows, served_by="t")
    assert store.read_panel(["DGS30", "DGS10"]).shape == (1, 2)

    def write_then_fail() -> None:
        with store.batch(), store.group():
            store.write_series(get_spec("DGS20"), rows, served_by="t")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_then_fail()
    with pytest.raises(CacheMiss):
        store.read_series("DGS20")
    with pytest.raises(RuntimeError, match="needs an open"), store.group():
        pass
