"""No look-ahead: scrambling everything published after a date leaves that date's readings alone."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from bondthesis.catalog import CATALOG
from bondthesis.data.panel import known_dates
from bondthesis.pillars import PILLARS, PillarData, PillarReading, read_all
from bondthesis.pillars.data import auction_known_dates, holdings_known_dates


def scrambled_after(data: PillarData, cutoff: date, seed: int) -> PillarData:
    """Every value not yet public on ``cutoff`` replaced by noise; rows already public kept."""
    rng = np.random.default_rng(seed)
    stamp = pd.Timestamp(cutoff)
    panel = data.panel.copy()
    for key in panel.columns:
        future = known_dates(pd.DatetimeIndex(panel.index), CATALOG[key]) > stamp
        present = panel[key].notna().to_numpy()
        mask = future & present
        panel.loc[mask, key] = panel.loc[mask, key] * rng.uniform(0.2, 5.0, mask.sum())
    auctions = data.auctions.copy()
    late = (auction_known_dates(auctions) > stamp).to_numpy()
    auctions.loc[late, "offering_amt"] = rng.uniform(1e9, 1e12, late.sum())
    auctions.loc[late, "original_security_term"] = "30-Year"
    holdings = data.holdings_13f.copy()
    late_13f = (holdings_known_dates(holdings) > stamp).to_numpy()
    holdings.loc[late_13f, "putcall"] = "Call"
    return PillarData(panel=panel, auctions=auctions, holdings_13f=holdings)


def same(first: PillarReading, second: PillarReading) -> None:
    assert first.value == second.value
    assert first.as_of == second.as_of
    assert first.percentile == second.percentile
    assert first.verdict == second.verdict
    assert first.details == second.details
    assert first.notes == second.notes
    pd.testing.assert_series_equal(first.history, second.history)
    if first.trigger is None:
        assert second.trigger is None
    else:
        assert second.trigger is not None
        pd.testing.assert_series_equal(first.trigger, second.trigger)


@pytest.mark.parametrize("cutoff", [date(2021, 9, 30), date(2025, 1, 15)])
def test_scrambling_the_future_changes_no_reading(real_data: PillarData, cutoff: date) -> None:
    noisy = scrambled_after(real_data, cutoff, seed=11)
    before = read_all(real_data, as_of=cutoff)
    after = read_all(noisy, as_of=cutoff)
    assert [r.name for r in before] == list(PILLARS)
    for first, second in zip(before, after, strict=True):
        same(first, second)
    # The scramble is real: read without a cut-off, the noisy data gives other readings.
    changed = [
        a.name
        for a, b in zip(read_all(real_data), read_all(noisy), strict=True)
        if a.value != b.value
    ]
    assert len(changed) >= 7


def test_as_of_hides_values_until_their_publication_lag_passes() -> None:
    core = pd.Series([100.0, 101.0], pd.DatetimeIndex(["2026-01-01", "2026-02-01"]))
    data = PillarData.from_series({"CPILFESL": core})
    # January's core CPI (lag 14 days after the month ends) is public from 2026-02-14.
    assert data.as_of(date(2026, 2, 13)).series("CPILFESL").empty
    assert data.as_of(date(2026, 2, 14)).series("CPILFESL").tolist() == [100.0]
    assert data.as_of(date(2026, 3, 14)).series("CPILFESL").tolist() == [100.0, 101.0]
    assert data.as_of(date(2026, 3, 14)).as_of_date == date(2026, 3, 14)


def test_panel_columns_must_be_catalog_keys() -> None:
    with pytest.raises(ValueError, match="catalog"):
        PillarData(panel=pd.DataFrame({"NOT_A_KEY": [1.0]}, index=pd.DatetimeIndex(["2020-01-01"])))
