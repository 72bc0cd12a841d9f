"""Validation on the real snapshot in ../shared/data: all nine pillars compute sensible values."""

from __future__ import annotations

from datetime import date

import pandas as pd

from bondthesis.pillars import PILLARS, PillarData, Verdict, read_all
from bondthesis.research.events import build_outcomes, study_reading


def test_all_nine_pillars_read_the_real_data(real_data: PillarData) -> None:
    readings = {r.name: r for r in read_all(real_data, as_of=date(2026, 6, 30))}
    assert list(readings) == list(PILLARS)
    for reading in readings.values():
        assert reading.verdict is not Verdict.NO_DATA, reading.name
        assert reading.value is not None
        assert reading.percentile is not None
        assert 0 <= reading.percentile <= 100
        assert reading.as_of is not None
        assert reading.as_of <= date(2026, 6, 30)
        assert len(reading.history) > 10 or reading.name == "smart_money"
        assert reading.rule
        assert reading.series
        assert reading.providers
    gold = readings["gold"]
    assert gold.value is not None
    assert gold.value > 1.0
    assert gold.details["trailing_5y_low_month"] == "2022-10-31"
    fiscal = readings["fiscal"]
    assert fiscal.value is not None
    assert 0.03 < fiscal.value < 0.045
    assert any("stale" in note for note in fiscal.notes)  # NIPA interest ends 2025Q1
    issuance = readings["issuance"]
    assert issuance.value is not None
    assert 0.01 < issuance.value < 0.025
    positioning = readings["positioning"]
    assert positioning.value == 97_802_533.0  # FINRA, 2026-05-15
    trade = readings["trade"]
    assert any("stale" in note for note in trade.notes)  # EPU ends 2025-03
    assert readings["smart_money"].as_of == date(2026, 3, 31)
    valuation = readings["valuation"]
    cape = valuation.details["cape"]
    assert isinstance(cape, float)
    assert 30 < cape < 45


def test_gold_surges_of_the_past_are_found(real_data: PillarData) -> None:
    gold = PILLARS["gold"](real_data, None)
    assert gold.trigger is not None
    on = gold.trigger[gold.trigger]
    years = sorted({d.year for d in on.index})
    assert 1974 in years
    assert 1979 in years
    assert 2011 in years


def test_event_study_of_the_gold_trigger_runs_on_real_outcomes(real_data: PillarData) -> None:
    outcomes = build_outcomes(real_data.panel)
    assert "APPROXIMATION" in outcomes.labels["long_bonds"]
    # The stocks index is SPY after 1993: its monthly returns match SPY's month-end changes.
    spy = real_data.series("SPY").resample("ME").last()
    both = pd.concat([outcomes.stocks, spy], axis=1).dropna().pct_change().dropna()
    assert (both.iloc[:, 0] - both.iloc[:, 1]).abs().max() < 1e-12
    gold = study_reading(PILLARS["gold"](real_data, None), outcomes)
    study = gold.events
    assert study is not None
    assert 2 <= study.n_episodes <= 8
    assert study.episodes[0].start.year in (1973, 1974)
