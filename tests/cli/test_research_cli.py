"""``bondthesis scorecard`` and ``bondthesis claims`` on a store filled from ../shared/data."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from bondthesis.catalog import get_spec
from bondthesis.cli import app
from bondthesis.cli.research import KEYS
from bondthesis.data.store import Store
from bondthesis.sources.snapshot import read_snapshot


@lru_cache(maxsize=1)
def _store_home(folder: str, home: str) -> str:
    """A store holding the snapshot's series and tables, written once per session."""
    content = read_snapshot(Path(folder), only={*KEYS, "AUCTIONS"})
    store = Store(Path(home) / "bondthesis.duckdb")
    for key, (rows, source) in content.series.items():
        store.write_series(get_spec(key), rows, served_by=f"snapshot:{source}")
    if content.auctions is not None:
        store.write_table("auctions", content.auctions)
    if content.holdings_13f is not None:
        holdings = content.holdings_13f.drop(columns=["price_ok"])
        store.write_table(
            "holdings_13f", holdings.drop_duplicates(["period_end", "cik", "cusip", "putcall"])
        )
    return home


@pytest.fixture
def snapshot_home(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = _store_home(str(shared_data), str(tmp_path_factory.getbasetemp() / "research-cli"))
    monkeypatch.setenv("BONDTHESIS_HOME", home)
    return Path(home)


def test_scorecard_json_as_of_the_article(snapshot_home: Path) -> None:
    result = CliRunner().invoke(app, ["scorecard", "--as-of", "2026-01-31", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["as_of"] == "2026-01-31"
    names = [p["name"] for p in document["pillars"]]
    assert len(names) == 9
    assert names[0] == "gold"
    for pillar in document["pillars"]:
        assert set(pillar) >= {"name", "verdict", "value", "percentile", "rule", "weight"}
        assert pillar["verdict"] in {"supports", "neutral", "contradicts", "no data", "stale"}
    composite = document["composite"]
    assert composite["verdict"] in {"supports", "neutral", "contradicts"}
    followed = document["what_followed"]
    supporting = sum(p["verdict"] == "supports" for p in document["pillars"])
    assert followed["verdicts_supporting_today"] == supporting
    assert 0 <= followed["supporting_today"] <= followed["pillars_with_data_today"] <= 9
    assert followed["all_months"]["n_months"] >= followed["at_least"]["n_months"]
    # Weights are a distribution over pillars, or all zero with a note that says so.
    total = sum(p["weight"] for p in document["pillars"])
    assert total == pytest.approx(1.0) or (total == 0.0 and document["notes"])


def test_claims_table_with_explanations(snapshot_home: Path) -> None:
    result = CliRunner().invoke(app, ["claims", "--explain"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "as of the article (2026-01-31)" in text
    assert "latest data" in text
    for number in range(1, 12):
        assert f"{number}. reproduce:" in text
    assert "rule:" in text
    assert "holds" in text


def test_claims_json_shape(snapshot_home: Path) -> None:
    result = CliRunner().invoke(app, ["claims", "--json", "--as-of", "2025-12-31"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["article_as_of"] == "2025-12-31"
    claims = document["claims"]
    assert [c["id"] for c in claims] == list(range(1, 12))
    for claim in claims:
        assert set(claim) >= {
            "id",
            "claim",
            "figure",
            "as_of",
            "verdict",
            "explanation",
            "reproduce",
        }
        assert claim["verdict"] in {"holds", "partly", "does not hold", "no data"}
        assert claim["latest"]["verdict"] in {"holds", "partly", "does not hold", "no data"}
        if claim["as_of"] is not None:
            assert pd.Timestamp(claim["as_of"]) <= pd.Timestamp("2025-12-31")


def test_bad_date_and_missing_store_exit_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = CliRunner().invoke(app, ["scorecard", "--as-of", "Jan 2026"])
    assert bad.exit_code == 2
    assert "YYYY-MM-DD" in bad.output
    monkeypatch.setenv("BONDTHESIS_HOME", str(tmp_path / "empty"))
    missing = CliRunner().invoke(app, ["claims"])
    assert missing.exit_code != 0
    assert "refresh" in str(missing.exception) or "refresh" in missing.output
