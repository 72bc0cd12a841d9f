"""Issue 10 on the pillars: calendar-month changes (defect 1), stale and provisional readings
(defect 3), one count of support in the scorecard (defect 4)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from bondthesis.pillars import PILLARS, PillarData, Verdict
from bondthesis.pillars.economy import economy_components
from bondthesis.pillars.trade import read_trade


def test_core_cpi_yoy_for_january_2026_is_12_calendar_months(real_data: PillarData) -> None:
    # October 2025 CPI was never published; counting rows made this a 13-month change (2.95%).
    measures, _ = economy_components(real_data)
    assert measures.loc["2026-01-31", "core_cpi_yoy"] == pytest.approx(0.0251, abs=0.0001)
    # The 3-month change of January needs October 2025: missing, not a 4-month change.
    assert np.isnan(measures.loc["2026-01-31", "core_cpi_3m_annualized"])
    assert not np.isnan(measures.loc["2025-11-30", "core_cpi_3m_annualized"])  # over August


def test_economy_score_at_the_end_of_2025_is_0_6(real_data: PillarData) -> None:
    reading = PILLARS["economy"](real_data, date(2025, 12, 31))
    assert reading.value == pytest.approx(0.6)
    assert reading.verdict is Verdict.SUPPORTS


def _epu(end: str) -> pd.Series:
    days = pd.bdate_range("2015-01-01", end)
    rng = np.random.default_rng(3)
    values = 100.0 + rng.normal(0.0, 10.0, len(days))
    values[-30:] += 400.0  # a spike in the last weeks: the rule says "supports"
    return pd.Series(values, days)


def test_a_reading_older_than_its_series_allow_is_stale_and_not_support() -> None:
    epu = _epu("2025-03-31")
    gold = pd.Series(1500.0, pd.date_range("2015-01-01", "2026-06-01", freq="MS"))
    data = PillarData.from_series({"USEPUINDXD": epu, "GOLD_MONTHLY": gold})
    fresh = read_trade(data, date(2025, 4, 10))
    assert fresh.verdict is Verdict.SUPPORTS
    assert not fresh.stale
    assert fresh.counts_as_support
    old = read_trade(data, date(2026, 6, 30))  # 15 months after the last reading
    assert old.verdict is Verdict.STALE
    assert old.stale
    assert old.stale_verdict is Verdict.SUPPORTS
    assert not old.counts_as_support
    assert old.age_days is not None
    assert old.age_days > old.stale_after_days
    assert "stale" in old.notes[0]


def test_the_real_trade_pillar_is_stale_at_the_article_date(real_data: PillarData) -> None:
    trade = PILLARS["trade"](real_data, date(2026, 1, 31))
    assert trade.as_of == date(2025, 3, 31)
    assert trade.verdict is Verdict.STALE
    assert trade.stale_verdict is Verdict.SUPPORTS
    # March 2025 is averaged from the days published before the index ended: said so.
    assert any("partial month" in note for note in trade.notes)


def test_shillers_last_row_is_provisional(real_data: PillarData) -> None:
    valuation = PILLARS["valuation"](real_data, None)
    assert valuation.provisional
    assert not valuation.counts_as_support
    assert any("provisional" in note for note in valuation.notes)
    # A month before the sheet's last row, with its E, is final.
    cut = PillarData(panel=real_data.panel[real_data.panel.index <= "2025-12-01"])
    history = PILLARS["valuation"](cut, None).history
    earlier = PILLARS["valuation"](
        PillarData(panel=cut.panel[cut.panel.index <= "2025-12-01"]), None
    )
    assert earlier.provisional  # the last row of what it sees
    assert len(history) > 100
