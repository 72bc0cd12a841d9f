"""The staleness rule of ``bondthesis.status``: fresh, stale or missing on a given day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

import bondthesis as bt
from bondthesis.catalog import CATALOG, get_spec
from bondthesis.data.status import staleness


def test_the_rule_allows_the_frequency_plus_the_publication_lag() -> None:
    daily = get_spec("DGS30")  # 5 days + 1 day of lag
    allowed = daily.frequency.stale_after_days + daily.publication_lag_days
    last = date(2026, 3, 2)
    assert staleness(daily, last, date.fromordinal(last.toordinal() + allowed)) == (
        "fresh",
        allowed,
    )
    assert staleness(daily, last, date.fromordinal(last.toordinal() + allowed + 1))[0] == "stale"
    assert staleness(daily, None, last) == ("missing", None)


def test_status_lists_every_catalog_series_in_order(tmp_path: Path) -> None:
    store = bt.Store(tmp_path / "store.duckdb")
    rows = pd.DataFrame({"date": pd.to_datetime(["2026-03-02", "2026-03-03"]), "value": [4.6, 4.7]})
    store.write_series(get_spec("DGS30"), rows, served_by="test")
    result = bt.status(store, today=date(2026, 3, 5))
    assert [s.series for s in result.series] == list(CATALOG)
    dgs30 = next(s for s in result.series if s.series == "DGS30")
    assert (dgs30.state, dgs30.age_days, dgs30.rows) == ("fresh", 2, 2)
    assert result.counts()["missing"] == len(CATALOG) - 1
    document = result.to_dict()
    assert document["store"] == str(tmp_path / "store.duckdb")
    assert document["series"][list(CATALOG).index("DGS30")]["last_date"] == "2026-03-03"
    later = bt.status(store, today=date(2026, 6, 1))
    assert next(s for s in later.series if s.series == "DGS30").state == "stale"
