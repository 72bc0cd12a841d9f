"""``track`` and ``walkforward`` on the real snapshot (prices, yields and the pillars' series)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest

from bondthesis.catalog import get_spec
from bondthesis.data.backtest_assets import AssetPanel, load_asset_panel
from bondthesis.data.store import Store
from bondthesis.pillars import OUTCOME_KEYS, PILLAR_KEYS, PillarData
from bondthesis.research.thesis import EXTRA_KEYS
from bondthesis.research.track import track
from bondthesis.research.walkforward import walkforward
from bondthesis.sources.snapshot import read_snapshot

PRICE_KEYS = {"DGS1MO", "DGS3MO", "TB3MS", "TLT", "TMF", "SPY", "IEF", "SHILLER_P", "SHILLER_D"}


@lru_cache(maxsize=1)
def _inputs(folder: str, home: str) -> tuple[Store, AssetPanel, PillarData]:
    # Keyed by the data folder: the session's home is made once (see the fixture below).
    keys = {*PILLAR_KEYS, *OUTCOME_KEYS, *EXTRA_KEYS, *PRICE_KEYS}
    content = read_snapshot(Path(folder), only=keys | {"AUCTIONS"})
    store = Store(Path(home) / "bondthesis.duckdb")
    for key, (rows, file_name) in content.series.items():
        store.write_series(get_spec(key), rows, served_by=f"snapshot:{file_name}")
    if content.auctions is not None:
        store.write_table("auctions", content.auctions)
    panel = load_asset_panel(store, ["TLT", "TMF", "SPY", "IEF"])
    holdings = content.holdings_13f
    if holdings is not None:
        holdings = holdings.drop(columns=["price_ok"])
    series = {key: rows for key, (rows, _) in content.series.items()}
    data = PillarData.from_series(series, content.auctions, holdings)
    return store, panel, data


@pytest.fixture(scope="session")
def _track_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("track")


@pytest.fixture
def inputs(shared_data: Path, _track_home: Path) -> tuple[Store, AssetPanel, PillarData]:
    return _inputs(str(shared_data), str(_track_home))


def test_track_since_the_article(inputs: tuple[Store, AssetPanel, PillarData]) -> None:
    store, panel, data = inputs
    result = track(store, panel=panel, data=data, composite=False)
    document = result.to_dict()
    lines = {line["name"]: line for line in document["lines"]}
    assert set(lines) == {"position", "TLT", "TMF", "SPY", "60/40"}
    assert lines["position"]["start"] == "2026-01-30"  # the last close before Saturday 2026-01-31
    assert lines["position"]["end"] >= "2026-07-31"
    tlt = panel.returns.loc["2026-01-31" : lines["TLT"]["end"], "TLT"]
    assert lines["TLT"]["total_return"] == pytest.approx((1 + tlt).prod() - 1, rel=1e-12)
    assert -1.0 < lines["TMF"]["max_drawdown"] <= lines["TMF"]["drawdown_now"] <= 0.0
    assert not any(line["simulated"] for line in document["lines"])
    pillars = {row["pillar"]: row for row in document["pillars"]}
    assert len(pillars) == 9
    assert pillars["issuance"]["verdict_then"] in {"supports", "neutral", "contradicts", "no data"}
    assert all(
        row["changed"] == (row["verdict_then"] != row["verdict_now"]) for row in pillars.values()
    )
    assert "~60%" in document["notes"][0]
    later = track(store, since=date(2026, 4, 1), panel=panel, data=data, composite=False)
    assert later.lines[0].start.isoformat() == "2026-04-01"


def test_walkforward_uses_only_the_past(inputs: tuple[Store, AssetPanel, PillarData]) -> None:
    store, panel, data = inputs
    result = walkforward(store, panel=panel, data=data, cost_bps=5.0)
    document = result.to_dict()
    names = [line["name"] for line in document["lines"]]
    assert names == ["scorecard rule", "bond mix (static)", "other mix (static)", "SPY"]
    assert len({(line["start"], line["end"]) for line in document["lines"]}) == 1
    taus = result.threshold_history.dropna()
    assert set(taus.unique()) <= set(result.thresholds)
    # The first threshold needs three years of known results after the composite starts.
    assert len(result.positions) < len(result.threshold_history)
    stats = {row["pillar"]: row for row in document["pillars"]}
    assert len(stats) == 9
    valuation = stats["valuation"]
    assert 0.0 <= valuation["hit_rate"] <= 1.0
    assert 0.0 <= valuation["balanced_accuracy"] <= 1.0
    assert -1.0 <= valuation["kendall_tau"] <= 1.0
    assert 0.0 <= valuation["kendall_p_value"] <= 1.0
    assert valuation["n_nonoverlapping"] == pytest.approx(valuation["n_months"] / 12, abs=1)
    with pytest.raises(ValueError, match="delay_months"):
        walkforward(store, panel=panel, data=data, delay_months=-1)


def test_track_cli_refuses_a_bad_date() -> None:
    from typer.testing import CliRunner

    from bondthesis.cli import app

    result = CliRunner().invoke(app, ["track", "--since", "last spring"])
    assert result.exit_code == 2
    assert "--since" in result.output
