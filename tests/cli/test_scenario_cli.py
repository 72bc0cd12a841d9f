"""``bondthesis scenario`` end to end on a store the test fills itself."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from bondthesis.bonds.curve import build_par_curve
from bondthesis.bonds.ladder import TreasuryLadder
from bondthesis.catalog import get_spec
from bondthesis.cli import app
from bondthesis.config import Settings
from bondthesis.data.store import Store
from bondthesis.scenarios.ladder_inputs import (
    CurveShock,
    YieldCurve,
    coupons_at_issue,
    representative_ladder,
)
from bondthesis.scenarios.paths import run_scenario
from bondthesis.sources.snapshot import read_snapshot

runner = CliRunner()
LAST_CURVE_DAY = pd.Timestamp("2026-03-01")
FINAL = {"DGS10": 4.26, "DGS20": 4.85, "DGS30": 4.88, "DGS3MO": 3.70}
CURVES = ("DGS10", "DGS20", "DGS30")


def _history(key: str) -> pd.DataFrame:
    dates = pd.date_range("1995-01-01", LAST_CURVE_DAY, freq="MS")
    months = np.arange(dates.size)
    level = {"DGS10": 4.0, "DGS20": 4.4, "DGS30": 4.5, "DGS3MO": 3.0}[key]
    values = level + 1.5 * np.sin(months / 17.0)
    values[-1] = FINAL[key]
    frame = pd.DataFrame({"date": dates.date, "value": values})
    if key == "DGS30":  # DGS30 published once more after the others stop
        extra = pd.DataFrame({"date": [pd.Timestamp("2026-04-01").date()], "value": [5.5]})
        frame = pd.concat([frame, extra], ignore_index=True)
    return frame


@pytest.fixture
def store() -> Store:
    target = Store(Settings.from_env().store_path)
    for key in FINAL:
        target.write_series(get_spec(key), _history(key), served_by="test")
    return target


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["scenario", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_matches_the_library_on_the_stored_curve(store: Store) -> None:
    code, out, err = invoke(
        "--shift-bp", "-100", "--horizon-months", "12", "--ladder", "rebuilt", "--json"
    )  # fmt: skip
    assert code == 0, err
    document = json.loads(out)
    assert document["as_of"] == "2026-03-01"
    assert "DGS30 ends 2026-04-01" in document["note"]
    curve = YieldCurve((10.0, 20.0, 30.0), (0.0426, 0.0485, 0.0488))
    years = representative_ladder(curve).years_to_maturity
    history = store.read_series("DGS30")
    coupons = coupons_at_issue(years, LAST_CURVE_DAY, history.loc[:LAST_CURVE_DAY])
    ladder = representative_ladder(curve, coupons=coupons)
    expected = run_scenario(ladder, curve, CurveShock(-100.0), 1.0, cash_rate=0.037)
    assert document["yield"] == pytest.approx(expected.risk.yield_)
    assert document["duration"] == pytest.approx(expected.risk.duration_years)
    assert document["convexity"] == pytest.approx(expected.risk.convexity_years2)
    rows = {r["instrument"]: r for r in document["rows"]}
    assert set(rows) == {"TLT", "TMF", "position"}
    for name in rows:
        assert rows[name]["total_return"] == pytest.approx(expected.row(name).total_return)
        assert rows[name]["price_return"] + rows[name]["income"] == pytest.approx(
            rows[name]["total_return"]
        )
    # default position: 40% TLT, 20% TMF, 30% stocks at 0%, 10% cash at DGS3MO for a year
    assert rows["position"]["total_return"] == pytest.approx(
        0.4 * rows["TLT"]["total_return"] + 0.2 * rows["TMF"]["total_return"] + 0.1 * 0.037
    )
    paths = document["tmf_path_dependence"]
    assert paths[0]["daily_vol_bp"] == 0.0
    assert paths[0]["tmf_total_return"] == pytest.approx(rows["TMF"]["total_return"])


def test_weights_stocks_return_and_par_ladder_options(store: Store) -> None:
    code, out, err = invoke(
        "--shift-bp", "50", "--twist-bp", "-20", "--tlt", "0.5", "--tmf", "0", "--stocks",
        "0.5", "--cash", "0", "--stocks-return", "0.1", "--ladder", "par", "--json",
    )  # fmt: skip
    assert code == 0, err
    document = json.loads(out)
    rows = {r["instrument"]: r for r in document["rows"]}
    assert rows["position"]["total_return"] == pytest.approx(
        0.5 * rows["TLT"]["total_return"] + 0.05
    )
    assert "par coupons" in document["ladder"]


def test_default_ladder_is_the_simulated_tlt_like_ladder(store: Store) -> None:
    code, out, err = invoke("--shift-bp", "-100", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert "TreasuryLadder.tlt_like" in document["ladder"]
    history = {key: store.read_series(key).loc[:LAST_CURVE_DAY] for key in CURVES}
    ladder = TreasuryLadder.tlt_like().run(build_par_curve(history))
    # The ladder module's effective duration (repricing ±10bp) against ours (analytic).
    assert document["duration"] == pytest.approx(
        ladder.effective_duration(LAST_CURVE_DAY), rel=1e-3
    )
    assert document["yield"] == pytest.approx(ladder.ladder_yield(LAST_CURVE_DAY), rel=1e-9)


def test_article_table_and_text_output(store: Store) -> None:
    code, out, err = invoke("--article-table", "--json")
    assert code == 0, err
    table = json.loads(out)["article_table"]
    assert [r["shift_bp"] for r in table] == [-200, -150, -100, 100, 150, 200]
    assert all(abs(r["approximation_error"]) <= r["error_bound"] for r in table)
    code, out, err = invoke("--shift-bp", "-150", "--horizon-months", "6", "--article-table")
    assert code == 0, err
    for text in ("TMF's path dependence", "position", "proven bound", "+35% to +45%"):
        assert text in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shift-bp", "-100", "--tlt", "0.9"], "sum to 1"),
        (["--shift-bp", "-100", "--cash", "-0.1", "--tlt", "0.6"], ">= 0"),
        (["--shift-bp", "-100", "--horizon-months", "-1"], "--horizon-months"),
        (["--shift-bp", "-100", "--horizon-months", "500"], "--horizon-months"),
        (["--shift-bp", "5000"], "1000bp"),
        ([], "--shift-bp"),
        (["--shift-bp", "-100", "--as-of", "March"], "YYYY-MM-DD"),
        (["--shift-bp", "-100", "--as-of", "1990-01-01"], "DGS10, DGS20 and DGS30"),
        (["--shift-bp", "-100", "--stocks-return", "-3"], "--stocks-return"),
        (["--shift-bp", "-100", "--ladder", "real"], "--ladder"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(store: Store, args: list[str], message: str) -> None:
    code, out, err = invoke(*args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out


def test_empty_store_says_to_refresh() -> None:
    code, _, err = invoke("--shift-bp", "-100")
    assert code == 2
    assert "bondthesis refresh" in err


def test_real_curve_reproduces_the_article_table(shared_data: Path) -> None:
    content = read_snapshot(shared_data, only={"DGS10", "DGS20", "DGS30", "DGS3MO"})
    target = Store(Settings.from_env().store_path)
    for key, (rows, name) in content.series.items():
        target.write_series(get_spec(key), rows, served_by=f"snapshot:{name}")
    code, out, err = invoke("--shift-bp", "-100", "--article-table", "--json")
    assert code == 0, err
    document = json.loads(out)
    # The rebuilt ladder should look like TLT: the article says ~15.5 years of duration.
    assert 14.0 < document["duration"] < 18.0
    falls = [r for r in document["article_table"] if r["shift_bp"] < 0]
    rises = {r["shift_bp"]: r for r in document["article_table"] if r["shift_bp"] > 0}
    for row in falls:
        assert row["full_repricing"] > -rises[-row["shift_bp"]]["full_repricing"]
