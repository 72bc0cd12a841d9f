from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bondthesis.cli import app


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["TLT=0.5,QQQ=0.5"], "unknown ticker 'QQQ'"),
        (["TLT=half"], "is not a number"),
        (["TLT"], "has no weight"),
        (["--preset", "permanent"], "unknown preset"),
        ([], "give weights"),
        (["TLT=1", "--rebalance", "weekly"], "unknown rebalancing"),
        (["TLT=1", "--start", "soon"], "--start"),
    ],
)
def test_bad_input_exits_2_with_a_fix_it_line(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["backtest", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_json_and_an_empty_window(real_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BONDTHESIS_HOME", str(real_home))
    result = CliRunner().invoke(
        # SPY and bills need no Treasury ladder: the quickest real history to build.
        app,
        ["backtest", "SPY=0.6,CASH=0.4", "--start", "2015-01-02", "--cost-bps", "5", "--json"],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) >= {"metrics", "annual", "drawdowns", "assets", "notes"}
    assert document["metrics"]["start"] == "2015-01-02"
    assert -1.0 < document["metrics"]["max_drawdown"] < 0.0
    assert document["cost_bps"] == 5.0
    empty = CliRunner().invoke(app, ["backtest", "SPY=1", "--start", "2030-01-01"])
    assert empty.exit_code == 2
    assert "pick --start/--end inside" in empty.output
