"""``bondthesis pillar``: panels, JSON, events, did-you-mean and a missing store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from bondthesis.catalog import get_spec
from bondthesis.cli import app
from bondthesis.data.store import Store

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store with 40 years of monthly gold (two planted surges), yields and stocks."""
    folder = tmp_path / "home"
    monkeypatch.setenv("BONDTHESIS_HOME", str(folder))
    store = Store(folder / "bondthesis.duckdb")
    months = pd.date_range("1980-01-01", "2019-12-01", freq="MS")
    gold = np.full(len(months), 400.0)
    gold[120:130] = 1300.0  # 1990: +225% over the 5-year low
    gold[-10:] = 1300.0  # 2019: a second surge
    frames = {
        "GOLD_MONTHLY": gold,
        "GS20": np.linspace(8.0, 3.0, len(months)),
        "GS30": np.linspace(8.2, 3.2, len(months)),
        "SHILLER_P": np.linspace(100.0, 3000.0, len(months)),
        "SHILLER_D": np.linspace(4.0, 60.0, len(months)),
    }
    for key, values in frames.items():
        rows = pd.DataFrame({"date": months, "value": values})
        store.write_series(get_spec(key), rows, served_by="test")
    return folder


def test_pillar_panel_shows_value_verdict_rule(home: Path) -> None:
    result = CliRunner().invoke(app, ["pillar", "gold"])
    assert result.exit_code == 0, result.output
    assert "225.00%" in result.output  # 1300/400 - 1
    assert "supports" in result.output
    assert "trailing 60 months" in result.output


def test_pillar_json_and_events(home: Path) -> None:
    result = CliRunner().invoke(app, ["pillar", "gold", "--json", "--events"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["verdict"] == "supports"
    assert document["value"] == pytest.approx(2.25)
    events = document["events"]
    assert [e["start"] for e in events["episodes"]] == ["1990-02-28", "2019-04-30"]
    assert "too few episodes" in events["conclusion"]
    assert "APPROXIMATION" in events["labels"]["long_bonds"]


def test_pillar_events_table_and_as_of(home: Path) -> None:
    result = CliRunner().invoke(app, ["pillar", "gold", "--events", "--as-of", "2000-01-31"])
    assert result.exit_code == 0, result.output
    assert "1990-02-28" in result.output
    assert "2019-04-30" not in result.output
    assert "What followed" in result.output


def test_unknown_pillar_and_bad_date_exit_2(home: Path) -> None:
    result = CliRunner().invoke(app, ["pillar", "gld"])
    assert result.exit_code == 2
    assert "did you mean 'gold'" in result.output
    bad = CliRunner().invoke(app, ["pillar", "gold", "--as-of", "June"])
    assert bad.exit_code == 2
    assert "YYYY-MM-DD" in bad.output


def test_missing_store_is_a_cache_miss(tmp_path: Path) -> None:
    env = {**os.environ, "BONDTHESIS_HOME": str(tmp_path / "empty"), "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", "from bondthesis.cli import main; main()", "pillar", "fiscal"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "bondthesis refresh" in done.stderr
    assert "Traceback" not in done.stderr


def test_events_use_the_synthetic_ladder_when_yields_are_stored(home: Path) -> None:
    """With DGS10 in the store, long bonds are the TLT-like ladder, not the GS20 approximation."""
    store = Store(home / "bondthesis.duckdb")
    days = pd.bdate_range("1980-01-02", "2019-12-31")
    for key, level in {"DGS10": 6.0, "DGS20": 6.3, "DGS30": 6.5}.items():
        values = level + np.sin(np.arange(len(days)) / 400.0)
        store.write_series(
            get_spec(key), pd.DataFrame({"date": days, "value": values}), served_by="test"
        )
    result = CliRunner().invoke(app, ["pillar", "gold", "--json", "--events"])
    assert result.exit_code == 0, result.output
    labels = json.loads(result.output)["events"]["labels"]
    assert "synthetic TLT-like ladder" in labels["long_bonds"]
