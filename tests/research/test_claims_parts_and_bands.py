"""Issue 10, defect 5: compound claims graded on one window, bands of definitions, the prints a
verdict rests on, income rather than yield."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bondthesis.research.claims_history import tlt_2020_claim
from bondthesis.research.claims_inflation import inflation_sentiment_claim
from bondthesis.research.claims_issuance import long_bond_share_band
from bondthesis.research.claims_rules import ClaimVerdict
from bondthesis.sources.snapshot import read_snapshot


def test_claim_8_parts_hold_on_different_windows_so_it_is_partly(shared_data: Path) -> None:
    content = read_snapshot(shared_data, only={"TLT", "DGS30"})
    series = {k: rows.set_index("date")["value"] for k, (rows, _) in content.series.items()}
    tlt, dgs30 = series["TLT"], series["DGS30"]
    tlt.index, dgs30.index = pd.DatetimeIndex(tlt.index), pd.DatetimeIndex(dgs30.index)
    claim = tlt_2020_claim(tlt, dgs30, "2020: 30y ~2.4% to ~1.2%, TLT +40% in under 12 months")
    # +45% only from 3.04% (March 2019); on the article's path (2.39% -> 0.99%) TLT rose ~27%.
    assert claim.verdict is ClaimVerdict.PARTLY
    assert "article's path" in claim.figure
    assert "best run" in claim.figure
    assert claim.values["tlt_return_on_article_path"] == pytest.approx(0.27, abs=0.01)


def test_claim_4_is_graded_on_the_band_of_definitions() -> None:
    day = pd.Timestamp("2025-06-01")
    auctions = pd.DataFrame(
        {
            "auction_date": [day, day, day, day],
            "issue_date": [day, day, day, day],
            "maturity_date": [day + pd.DateOffset(years=30), day + pd.DateOffset(years=20)]
            + [day + pd.DateOffset(months=3)] * 2,
            "offering_amt": [20.0, 10.0, 500.0, 470.0],
            "total_accepted": [25.0, 11.0, 500.0, 470.0],
            "reopening": ["No", "Yes", "No", "No"],  # text: "No" must not count as a reopening
            "tips": [False, False, False, False],
            "frn": [False, False, False, False],
        }
    )
    band = long_bond_share_band(auctions, date(2025, 12, 31))
    assert band["offered, reopenings in, TIPS/FRNs out"] == pytest.approx(0.03)
    assert band["offered, new issues only"] == pytest.approx(0.02)
    assert band["accepted (with SOMA add-ons)"] == pytest.approx(36.0 / 1006.0)


def test_claim_6_names_its_print_and_a_stale_one_holds_at_most_partly() -> None:
    months = pd.date_range("2015-01-01", "2026-01-01", freq="MS")
    rng = np.random.default_rng(1)
    core = pd.Series(100.0 * np.cumprod(1.0 + rng.normal(0.002, 0.002, len(months))), months)
    core.loc["2021-01-01":"2021-12-01"] = core.loc["2021-01-01"]  # 2021 YoY well below today
    sentiment = pd.Series(np.linspace(90.0, 50.0, len(months)), months)
    fresh = inflation_sentiment_claim(core, core, sentiment, date(2026, 2, 20), "claim 6")
    stale = inflation_sentiment_claim(core, core, sentiment, date(2026, 7, 31), "claim 6")
    assert "Jan 2026" in fresh.figure
    assert "days old" in fresh.figure
    assert "stale" not in fresh.figure.split(";")[0]
    assert "stale" in stale.figure
    assert stale.values["core_print_age_days"] == (date(2026, 7, 31) - date(2026, 1, 31)).days
    # The same data: a fresh print holds, the same print half a year later holds only partly.
    assert fresh.verdict is ClaimVerdict.HOLDS
    assert stale.verdict is ClaimVerdict.PARTLY


def test_claim_6_before_2021_was_published_says_so() -> None:
    # Evaluated in 2019 (`claims --as-of 2019-06-30`) the yardstick year is still to come; this
    # once ended in a KeyError for '2021'.
    months = pd.date_range("2010-01-01", "2019-05-01", freq="MS")
    core = pd.Series(100.0 * np.cumprod(np.full(len(months), 1.002)), months)
    sentiment = pd.Series(np.linspace(90.0, 80.0, len(months)), months)
    claim = inflation_sentiment_claim(core, core, sentiment, date(2019, 6, 30), "claim 6")
    assert "2021 not yet in the data" in claim.figure
    assert claim.verdict is not ClaimVerdict.NO_DATA  # the parts are still graded


def test_a_claim_about_the_present_on_old_data_is_stale() -> None:
    from bondthesis.research.claims import _mark_stale
    from bondthesis.research.claims_rules import Claim

    claim = Claim(3, "interest", "$1.11T", date(2025, 1, 1), ClaimVerdict.HOLDS, "x", "r", "rule")
    old = _mark_stale(claim, date(2026, 1, 31))  # 2025Q1 judged in 2026-01: past its lag
    assert old.stale
    assert old.verdict is ClaimVerdict.PARTLY
    assert "Stale" in old.explanation
    recent = _mark_stale(claim, date(2025, 5, 31))
    assert not recent.stale
    assert recent.verdict is ClaimVerdict.HOLDS
