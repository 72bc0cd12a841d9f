"""``bondthesis fund``: JSON shape, marks of simulated years, errors; on a small store and on
the real snapshot."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from bondthesis.catalog import get_spec
from bondthesis.cli import app
from bondthesis.config import Settings
from bondthesis.data.store import Store
from bondthesis.funds.history import fund_return, load_fund_inputs, yield_change_between
from bondthesis.sources.snapshot import read_snapshot


def _store() -> Store:
    return Store(Settings.from_env(os.environ).store_path)


def _write(store: Store, key: str, values: pd.Series) -> None:
    frame = pd.DataFrame({"date": values.index, "value": values.to_numpy()})
    store.write_series(get_spec(key), frame, served_by="test")


@pytest.fixture
def small_store() -> Store:
    """Five years of made-up yields and prices, TMF from March 2016."""
    rng = np.random.default_rng(42)
    dates = pd.bdate_range("2015-01-02", "2019-12-31")
    walk = np.cumsum(rng.normal(0.0, 0.05, len(dates)))
    store = _store()
    for key, level in (("DGS10", 2.2), ("DGS20", 2.6), ("DGS30", 2.9)):
        _write(store, key, pd.Series(level + walk, dates))
    _write(store, "DGS3MO", pd.Series(np.linspace(0.1, 2.0, len(dates)), dates))
    tlt = 100.0 * np.cumprod(1.0 + rng.normal(0.0002, 0.008, len(dates)))
    _write(store, "TLT", pd.Series(tlt, dates))
    tmf_dates = dates[dates >= "2016-03-01"]
    tmf = 20.0 * np.cumprod(1.0 + rng.normal(0.0, 0.024, len(tmf_dates)))
    _write(store, "TMF", pd.Series(tmf, tmf_dates))
    return store


def test_fund_json_has_years_params_and_fit(small_store: Store) -> None:
    result = CliRunner().invoke(app, ["fund", "tmf", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["fund"] == "TMF"
    years = {row["year"]: row for row in document["annual"]}
    assert sorted(years) == [2015, 2016, 2017, 2018, 2019]
    assert years[2015]["actual"] is None  # before TMF existed
    assert years[2016]["actual"] is None  # a partial first year is not compared
    assert years[2015]["spliced_from_simulation"] is True
    assert years[2017]["spliced_from_simulation"] is False
    assert isinstance(years[2018]["actual"], float)
    assert document["params"]["leverage"] == 3.0
    assert document["params"]["spread_calibrated"] is True
    assert document["fit"]["holdout"]["start"] == "2017-12-29"
    assert set(document["fit"]["in_sample"]) >= {"daily_correlation", "annual_mean_abs_difference"}


def test_fund_start_filters_years_and_the_table_marks_simulated_ones(small_store: Store) -> None:
    result = CliRunner().invoke(app, ["fund", "TMF", "--start", "2016"])
    assert result.exit_code == 0, result.output
    assert "2016*" in result.stdout
    assert "2015" not in result.stdout.split("maximum drawdowns")[0]
    assert "2018*" not in result.stdout
    assert "financing spread" in result.stdout
    json_result = CliRunner().invoke(app, ["fund", "TLT", "--json", "--start", "2018-06-30"])
    assert [row["year"] for row in json.loads(json_result.stdout)["annual"]] == [2018, 2019]


def test_unknown_fund_exits_2_listing_the_known_ones(small_store: Store) -> None:
    result = CliRunner().invoke(app, ["fund", "QQQ"])
    assert result.exit_code == 2
    assert "known funds: TLT, TMF" in result.output


def test_a_bad_start_exits_2(small_store: Store) -> None:
    result = CliRunner().invoke(app, ["fund", "TLT", "--start", "last year"])
    assert result.exit_code == 2
    assert "--start" in result.output


def test_an_empty_store_says_to_refresh() -> None:
    # The command raises CacheMiss; the app prints it on one line and exits 2, as for every
    # command that finds the store empty (in process as from the shell).
    result = CliRunner().invoke(app, ["fund", "TLT"])
    assert result.exit_code == 2
    assert "bondthesis refresh" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_fund_on_the_real_snapshot(shared_data: Path) -> None:
    keys = {"DGS10", "DGS20", "DGS30", "GS10", "GS20", "GS30", "DGS1MO", "DGS3MO", "TB3MS"}
    keys |= {"TLT", "TMF"}
    content = read_snapshot(shared_data, only=keys | {"AUCTIONS"})
    store = _store()
    for key, (rows, file_name) in content.series.items():
        store.write_series(get_spec(key), rows, served_by=f"snapshot:{file_name}")
    assert content.auctions is not None
    store.write_table("auctions", content.auctions)
    result = CliRunner().invoke(app, ["fund", "TMF", "--json", "--start", "1990"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    years = {row["year"]: row for row in document["annual"]}
    assert years[2022]["actual"] == pytest.approx(-0.726, abs=0.001)
    assert years[2022]["simulated"] == pytest.approx(-0.726, abs=0.02)
    assert years[1994]["actual"] is None
    assert years[1994]["spliced_from_simulation"] is True
    assert document["fit"]["holdout"]["annual_mean_abs_difference"] < 0.009
    tlt = CliRunner().invoke(app, ["fund", "TLT", "--start", "2001"])
    assert "2002*" in tlt.stdout  # TLT started in July 2002
    assert "2003*" not in tlt.stdout


def test_window_returns_for_the_claims_ledger(shared_data: Path) -> None:
    keys = {"DGS10", "DGS20", "DGS30", "DGS3MO", "TB3MS", "TLT"}
    content = read_snapshot(shared_data, only=keys)
    store = _store()
    for key, (rows, _) in content.series.items():
        store.write_series(get_spec(key), rows, served_by="test")
    inputs = load_fund_inputs(store)
    tlt = content.series["TLT"][0].set_index("date")["value"]
    window = fund_return("TLT", inputs, "2007-12-31", "2014-12-31")
    assert window.value == pytest.approx(tlt["2014-12-31"] / tlt["2007-12-31"] - 1.0, rel=1e-12)
    assert window.simulated is False
    assert fund_return("TLT", inputs, "1990-01-02", "2010-01-04").simulated is True
    dgs30 = content.series["DGS30"][0].set_index("date")["value"]
    change = yield_change_between(inputs, "2019-12-31", "2020-08-04")
    assert change == pytest.approx((dgs30["2020-08-04"] - dgs30["2019-12-31"]) / 100, abs=1e-12)
