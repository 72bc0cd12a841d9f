"""An online refresh end to end against a local server: partial failures, and no key anywhere."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest
from fault_server import FaultServer, Reply, Seen
from source_helpers import FAKE_KEY, Sleeps, make_http, payload

from bondthesis.config import Settings
from bondthesis.data.refresh import refresh_online
from bondthesis.data.store import Store
from bondthesis.errors import ConfigError

API = "/fred/series/observations"


def test_keyed_refresh_stores_what_came_and_never_shows_the_key(
    tmp_path: Path, server: FaultServer, sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(home=tmp_path, fred_api_key=FAKE_KEY)

    def answer(seen: Seen) -> Reply:
        series = seen.query["series_id"][0]
        if series == "CPIAUCSL":
            return Reply(200, payload("fred", "observations_cpi.json"))
        if series == "UNRATE":
            return Reply(400, payload("fred", "error_bad_key.json"))
        return Reply(503, b"unavailable")

    server.script(API, answer)
    server.script("/fredgraph.csv", Reply(503, b"down"))
    store = Store(tmp_path / "s.duckdb")
    http = make_http(settings, sleeps)
    caplog.set_level(logging.DEBUG)
    report = refresh_online(
        settings,
        store,
        keys=["CPIAUCSL", "UNRATE", "DGS30"],
        http=http,
        endpoints={
            "fred": {
                "api_url": server.url(API),
                "graph_url": server.url("/fredgraph.csv"),
                "vintage_keys": (),
            }
        },
    )
    http.close()
    by_key = {r.key: r for r in report.rows}
    assert by_key["CPIAUCSL"].status == "ok"
    assert by_key["UNRATE"].status == "failed"
    assert "not registered" in str(by_key["UNRATE"].error)
    assert by_key["DGS30"].status == "failed"
    assert "503" in str(by_key["DGS30"].error)
    assert store.read_series("CPIAUCSL").dropna().iloc[-1] > 300
    # The key was sent to the server, and shows up nowhere else.
    assert any(FAKE_KEY in str(s.query) for s in server.seen)
    everything = " ".join(str(r) for r in report.rows) + caplog.text
    everything += store.fetch_log().to_string()
    assert FAKE_KEY not in everything
    assert FAKE_KEY.encode() not in (tmp_path / "s.duckdb").read_bytes()


def test_offline_mode_refuses_with_a_way_out(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, offline=True)
    with pytest.raises(ConfigError, match="--snapshot"):
        refresh_online(settings, Store(tmp_path / "s.duckdb"), keys=["DGS30"])


def test_sec_series_need_a_user_agent(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    store = Store(tmp_path / "s.duckdb")
    with pytest.raises(ConfigError, match="BONDTHESIS_SEC_USER_AGENT"):
        refresh_online(settings, store, keys=["TLT_13F_CALL_VALUE"])


def test_whole_catalog_without_network_names_every_failure(tmp_path: Path) -> None:
    """Every provider unreachable: each series fails by name, SEC and snapshot-only skip."""
    settings = Settings(home=tmp_path)
    unreachable = "http://127.0.0.1:9"  # the discard port: connection refused at once
    http = make_http(settings, Sleeps(), max_retries=0, timeout_s=1.0)
    endpoints = {
        "fred": {"graph_url": f"{unreachable}/g", "api_url": f"{unreachable}/a"},
        "fiscaldata": {"base_url": unreachable},
        "finra": {"api_url": f"{unreachable}/f", "files_url": f"{unreachable}/files"},
        "prices": {"base_url": unreachable, "stooq_base_url": unreachable},
        "stooq": {"base_url": unreachable},
        "worldbank": {"base_url": unreachable},
        "iacoviello": {"base_url": unreachable},
        "shiller": {"landing_url": unreachable, "fallback_url": f"{unreachable}/ie.xls"},
    }
    report = refresh_online(settings, Store(tmp_path / "s.duckdb"), http=http, endpoints=endpoints)
    http.close()
    statuses = {r.key: r.status for r in report.rows}
    assert statuses["TLT_13F_CALL_VALUE"] == "skipped"
    assert statuses["GOLD_ANNUAL"] == "skipped"
    assert statuses["DGS30"] == statuses["TLT"] == statuses["GPR"] == "failed"
    assert all(r.error for r in report.rows if r.status != "ok")


def test_series_with_nothing_new_yet_are_not_asked_for(tmp_path: Path) -> None:
    """A refresh right after one asks only for what can have changed (no request here)."""
    import pandas as pd

    from bondthesis.catalog import get_spec

    settings = Settings(home=tmp_path)
    store = Store(tmp_path / "s.duckdb")
    days = pd.DataFrame(
        {"date": pd.to_datetime(["2026-11-19", "2026-11-20"]), "value": [4.70, 4.72]}
    )
    store.write_series(get_spec("DGS30"), days, served_by="test")
    unreachable = {"fred": {"graph_url": "http://127.0.0.1:9/g", "api_url": "http://127.0.0.1:9/a"}}
    http = make_http(settings, Sleeps(), max_retries=0, timeout_s=1.0)
    # Friday's yield is stored; Monday's is public on Tuesday: on Monday there is nothing to ask.
    monday = refresh_online(
        settings, store, keys=["DGS30"], http=http, endpoints=unreachable, today=date(2026, 11, 23)
    )
    assert [(r.key, r.status) for r in monday.rows] == [("DGS30", "current")]
    assert "2026-11-24" in str(monday.rows[0].error)
    tuesday = refresh_online(
        settings, store, keys=["DGS30"], http=http, endpoints=unreachable, today=date(2026, 11, 24)
    )
    assert tuesday.rows[0].status == "failed"  # asked, and the server is not there
    forced = refresh_online(
        settings,
        store,
        keys=["DGS30"],
        http=http,
        endpoints=unreachable,
        full=True,
        today=date(2026, 11, 23),
    )
    http.close()
    assert forced.rows[0].status == "failed"
