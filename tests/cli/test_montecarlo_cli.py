"""``bondthesis montecarlo`` through typer's runner: reproducible output, clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from bondthesis.cli import app
from bondthesis.data.store import Store
from bondthesis.scenarios import montecarlo_run as command
from bondthesis.scenarios.montecarlo import BootstrapHistory, bootstrap_history

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["montecarlo", *args])
    return result.exit_code, result.stdout, result.stderr


def test_same_arguments_same_output() -> None:
    args = ("--paths", "3000", "--days", "21", "--model", "t", "--seed", "7", "--json")
    code, first, _ = invoke(*args)
    assert code == 0
    assert invoke(*args)[1] == first
    document = json.loads(first)
    assert document["paths"] == 3000
    assert set(document["outcomes"]) == {"tlt", "tmf", "stocks", "position", "cash"}
    tmf = document["outcomes"]["tmf"]
    assert tmf["return_quantiles"]["p05"] < tmf["return_quantiles"]["p50"]
    assert 0.0 < tmf["probability_of_loss"] < 1.0
    assert invoke(*args[:-3], "--seed", "8", "--json")[1] != first


def test_table_output() -> None:
    code, out, _ = invoke("--paths", "2000", "--days", "10")
    assert code == 0
    assert "2,000 paths x 10 days, seed 0" in out
    for name in ("tlt", "tmf", "stocks", "position", "long yield after 10 days"):
        assert name in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--paths", "-5"), "--paths must be between 1"),
        (("--days", "0"), "--days must be at least 1"),
        (("--seed", "-1"), "--seed must be >= 0"),
        (("--model", "garch"), "--model 'garch' is unknown"),
        (("--model", "normal:1990-2000"), "only bootstrap takes a period"),
        (("--model", "bootstrap:2020-1990"), "the period runs backwards"),
        (("--weights", "0.5,0.5"), "give four numbers"),
        (("--weights", "0.5,0.5,0.5,0.5"), "must sum to 1"),
        (("--model", "t", "--dof", "1.5"), "degrees_of_freedom must be > 2"),
        (("--start-yield", "4.7"), "did you mean 0.047"),
        (("--target-yield", "4"), "did you mean 0.04"),
        (("--cash-rate", "3.7"), "did you mean 0.037"),
        (("--stock-return", "7"), "did you mean 0.07"),
        (("--financing-spread", "47"), "0.0047 (47bp)"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args: tuple[str, ...], message: str) -> None:
    code, out, err = invoke("--paths", "10", *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out


def _synthetic_history(first_year: int, last_year: int) -> BootstrapHistory:
    rng = np.random.default_rng(3)
    dates = pd.bdate_range("2010-01-01", "2014-12-31")
    n = dates.size
    return bootstrap_history(
        pd.Series(0.035 + np.cumsum(rng.normal(0, 0.0006, n)), index=dates),
        short_rate=pd.Series(0.002 + np.cumsum(rng.normal(0, 0.0001, n)), index=dates),
        stock_price=pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.01, n))), index=dates),
        start=first_year,
        end=last_year,
    )


def test_bootstrap_with_history_passed_in(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[int, int]] = []

    def fake(store: Store, first_year: int, last_year: int) -> BootstrapHistory:
        asked.append((first_year, last_year))
        return _synthetic_history(first_year, last_year)

    monkeypatch.setattr(command, "load_bootstrap_history", fake)
    args = ("--paths", "2000", "--days", "63", "--model", "bootstrap:2011-2012", "--json")
    code, out, err = invoke(*args)
    assert code == 0, err
    assert asked == [(2011, 2012)]
    document = json.loads(out)
    assert document["bootstrap_period"] == ["2011-01-03", "2012-12-31"]
    assert invoke(*args)[1] == out
    code, _, err = invoke("--paths", "10", "--model", "bootstrap:1950-1960")
    assert code == 2
    assert "outside the data, which covers 2010-01-04..2014-12-31" in err


def test_bootstrap_of_real_dgs30(monkeypatch: pytest.MonkeyPatch, shared_data: Path) -> None:
    def from_csv(store: Store, first_year: int, last_year: int) -> BootstrapHistory:
        def read(name: str) -> pd.Series:
            frame = pd.read_csv(shared_data / f"{name}.csv", index_col=0, parse_dates=True)
            return frame.iloc[:, 0].astype(float)

        return bootstrap_history(
            read("DGS30") / 100,
            short_rate=read("DGS3MO") / 100,
            stock_price=read("SPY"),
            start=first_year,
            end=last_year,
        )

    monkeypatch.setattr(command, "load_bootstrap_history", from_csv)
    code, out, err = invoke("--paths", "5000", "--model", "bootstrap:1990-2025", "--json")
    assert code == 0, err
    document = json.loads(out)
    # SPY starts in 1993: the joint sample starts there too
    assert document["bootstrap_period"][0].startswith("1993-")
    assert document["bootstrap_period"][1].startswith("2025-12")
    quantiles = document["terminal_yield_quantiles"]
    assert 0.03 < quantiles["p05"] < 0.047 < quantiles["p95"] < 0.065
    code, _, err = invoke("--paths", "10", "--model", "bootstrap:1950-1960")
    assert code == 2
    assert "outside the data" in err


def test_bootstrap_without_a_store_says_refresh() -> None:
    code, _, err = invoke("--paths", "10", "--model", "bootstrap:1990-2025")
    assert code == 2
    assert "run `bondthesis refresh` first" in err


def test_bootstrap_from_the_store(tmp_path: Path) -> None:
    """Snapshot files in FRED's and the price provider's formats -> refresh -> bootstrap."""
    folder = tmp_path / "snap"
    folder.mkdir()
    rng = np.random.default_rng(4)
    dates = pd.bdate_range("2018-01-01", "2019-12-31")
    long_yield = 3.0 + np.cumsum(rng.normal(0, 0.05, dates.size))
    short_rate = 1.5 + np.cumsum(rng.normal(0, 0.01, dates.size))
    price = 250 * np.exp(np.cumsum(rng.normal(0, 0.01, dates.size)))
    day = dates.strftime("%Y-%m-%d")
    for name, header, values in (
        ("DGS30", "observation_date,DGS30", [f"{v:.2f}" for v in long_yield]),
        ("DGS3MO", "observation_date,DGS3MO", [f"{v:.2f}" for v in short_rate]),
        ("SPY", "Date,Close", [f"{v:.6f}" for v in price]),
    ):
        rows = "".join(f"{d},{v}\n" for d, v in zip(day, values, strict=True))
        (folder / f"{name}.csv").write_text(f"{header}\n{rows}")
    refreshed = runner.invoke(
        app,
        [
            "refresh",
            "--snapshot",
            str(folder),
            "--only",
            "DGS30",
            "--only",
            "DGS3MO",
            "--only",
            "SPY",
        ],
    )
    assert refreshed.exit_code == 0, refreshed.stderr
    code, out, err = invoke(
        "--paths", "500", "--days", "30", "--model", "bootstrap:2019-2019", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["bootstrap_period"] == ["2019-01-01", "2019-12-31"]
