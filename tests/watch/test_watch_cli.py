"""``bondthesis watch`` on a small store, its errors, and the loop's schedule."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner
from watch_helpers import Receiver

from bondthesis.catalog import get_spec
from bondthesis.cli import app
from bondthesis.config import Settings
from bondthesis.data.store import Store
from bondthesis.watching import next_check, parse_rules, watch_loop
from bondthesis.watching.run import MAX_SLEEP, MIN_SLEEP, RELEASE_HOUR_UTC

runner = CliRunner()


def _store() -> Store:
    return Store(Settings.from_env(os.environ).store_path)


def _write_dgs30(store: Store, values: list[float], start: str = "2026-07-20") -> None:
    dates = pd.bdate_range(start, periods=len(values))
    store.write_series(
        get_spec("DGS30"), pd.DataFrame({"date": dates, "value": values}), served_by="test"
    )


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "rules.txt"
    path.write_text("DGS30 above 5.25%\nposition drawdown below -15%\n", encoding="utf-8")
    return path


def test_once_reports_a_crossing_then_nothing(
    rules_file: Path, receiver: Receiver, tmp_path: Path
) -> None:
    store = _store()
    _write_dgs30(store, [5.0, 5.1, 5.2])
    base = ["watch", "--once", "--no-refresh", "--rules", str(rules_file)]
    first = runner.invoke(app, [*base, "--notify", receiver.url])
    assert first.exit_code == 0, first.output
    assert "first look at 1 fact:" in first.output
    assert "position drawdown: not available" in first.output.replace("\n", " ")
    _write_dgs30(store, [5.0, 5.1, 5.2, 5.3])
    second = runner.invoke(app, [*base, "--notify", receiver.url, "--json"])
    assert second.exit_code == 0, second.output
    document = json.loads(second.output)
    [flip] = document["flips"]
    assert (flip["subject"], flip["after"], flip["value"], flip["on"]) == (
        "series:DGS30",
        "holds",
        5.3,
        "2026-07-23",
    )
    assert document["deliveries"] == [
        {"target": "json://127.0.0.1", "flip_ids": [flip["id"]], "ok": True, "error": None}
    ]
    assert receiver.lines()[0].startswith("DGS30 above 5.25%: now 5.30% on 2026-07-23")
    third = runner.invoke(app, [*base, "--notify", receiver.url])
    assert third.exit_code == 0, third.output
    assert "no change" in third.output
    assert len(receiver.messages) == 1
    history = runner.invoke(app, ["watch", "--history", "--json"])
    assert history.exit_code == 0, history.output
    [row] = json.loads(history.output)
    assert row["deliveries"][0]["status"] == "ok"
    assert receiver.url not in history.output
    text = runner.invoke(app, ["watch", "--history", "--lang", "zh-Hant"])
    assert "DGS30 高於 5.25%" in text.output


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--every", "5m"], "too often"),
        (["--every", "soon"], "not a duration"),
        (["--lang", "fr"], "zh-Hant"),
        (["--notify", "bogus"], "not a URL"),
        (["--snapshot", "/no/such/folder"], "no such folder"),
        (["--as-of", "31/12/2025"], "YYYY-MM-DD"),
    ],
)
def test_bad_options_exit_2_with_the_fix(arguments: list[str], says: str) -> None:
    result = runner.invoke(app, ["watch", "--once", "--no-refresh", *arguments])
    assert result.exit_code == 2
    assert says in result.output


def test_a_bad_rules_file_exits_2_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "rules.txt"
    path.write_text("any claim changes\nDGS30 abov 5%\n", encoding="utf-8")
    result = runner.invoke(app, ["watch", "--once", "--no-refresh", "--rules", str(path)])
    assert result.exit_code == 2
    assert f"{path}, line 2: cannot read 'DGS30 abov 5%'" in result.output.replace("\n", "")


def test_an_empty_store_says_how_to_fill_it() -> None:
    result = runner.invoke(app, ["watch", "--once", "--no-refresh"])
    assert result.exit_code == 2
    assert "bondthesis refresh" in result.output


def test_history_of_a_store_that_never_watched() -> None:
    result = runner.invoke(app, ["watch", "--history"])
    assert result.exit_code == 0
    assert "no flips recorded yet" in result.output


def test_the_loop_sleeps_until_the_next_release(tmp_path: Path) -> None:
    store = Store(tmp_path / "loop.duckdb")
    _write_dgs30(store, [5.0, 5.1], start="2026-07-27")  # last: Tuesday 2026-07-28
    now = datetime(2026, 7, 29, 20, 0)
    # DGS30 of Wednesday is public Thursday (one day's lag), at the release hour.
    assert next_check(store, now) == datetime(2026, 7, 30, RELEASE_HOUR_UTC)
    # Never more than a day away.
    assert next_check(store, now - timedelta(days=1)) == now
    assert next_check(store, now, timedelta(hours=6)) == now + timedelta(hours=6)
    assert next_check(store, now, timedelta(minutes=1)) == now + MIN_SLEEP
    # Long overdue data (nothing due after today) does not make the loop spin.
    assert next_check(store, datetime(2027, 1, 1)) == datetime(2027, 1, 1) + MAX_SLEEP
    slept: list[float] = []
    runs = watch_loop(
        store,
        max_runs=3,
        sleep=slept.append,
        clock=lambda: now,
        rules=parse_rules("DGS30 above 5.25%"),
    )
    assert runs == 3
    assert slept == [(datetime(2026, 7, 30, RELEASE_HOUR_UTC) - now).total_seconds()] * 2


def test_a_refresh_that_cannot_run_does_not_stop_the_watch(
    rules_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_dgs30(_store(), [5.0, 5.3])
    monkeypatch.setenv("BONDTHESIS_OFFLINE", "1")
    result = runner.invoke(app, ["watch", "--once", "--rules", str(rules_file), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["refresh"]["source"] == "online"
    assert "BONDTHESIS_OFFLINE" in document["refresh"]["errors"][0]
    assert [f["subject"] for f in document["flips"]] == ["series:DGS30"]


def test_no_store_is_an_error_and_creates_none(rules_file: Path) -> None:
    result = runner.invoke(app, ["watch", "--once", "--no-refresh", "--rules", str(rules_file)])
    assert result.exit_code == 2
    assert "bondthesis refresh" in result.output
    assert not _store().path.exists()
