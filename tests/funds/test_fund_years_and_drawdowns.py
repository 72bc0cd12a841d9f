"""Issue 10, defects 2 and 9: partial years say where they end, actuals run as far as the real
fund's prices, and drawdowns come with their peak, trough and recovery dates."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

from bondthesis.bonds.ladder import long_bond_issuance
from bondthesis.funds.drawdown import max_drawdown
from bondthesis.funds.fit import annual_returns
from bondthesis.funds.history import FundInputs, simulate_fund, year_label
from bondthesis.funds.leveraged import combine_cash_rate
from bondthesis.sources.snapshot import read_snapshot

KEYS = {"DGS10", "DGS20", "DGS30", "GS10", "GS20", "GS30", "DGS1MO", "DGS3MO", "TB3MS"}


@lru_cache(maxsize=1)
def _inputs(folder: Path) -> FundInputs:
    content = read_snapshot(folder, only=KEYS | {"TLT", "TMF", "AUCTIONS"})
    series = {k: rows.set_index("date")["value"] for k, (rows, _) in content.series.items()}
    assert content.auctions is not None
    return FundInputs(
        yields={k: series[k] for k in ("DGS10", "DGS20", "DGS30", "GS10", "GS20", "GS30")},
        cash_rate=combine_cash_rate(series["DGS3MO"], series["TB3MS"], series["DGS1MO"]),
        prices={k: series[k].dropna() for k in ("TLT", "TMF")},
        issuance=long_bond_issuance(content.auctions),
    )


def test_tlt_2026_runs_to_its_last_price_and_says_so(shared_data: Path) -> None:
    simulation = simulate_fund("TLT", _inputs(shared_data))
    row = simulation.annual.loc[2026]
    assert row["actual_end"] == pd.Timestamp("2026-07-31")  # TLT's prices, not the yields
    assert row["simulated_end"] == pd.Timestamp("2026-07-28")  # the last yield date
    assert row["partial"]
    assert row["label"] == "2026 (to 07-31)"
    assert row["actual"] == pytest.approx(-0.035, abs=0.001)
    assert simulation.annual.loc[2025, "label"] == "2025"


def test_tlt_and_tmf_drawdowns_name_their_dates(shared_data: Path) -> None:
    tlt = {d.label: d for d in simulate_fund("TLT", _inputs(shared_data)).drawdowns}
    real = tlt["real TLT since inception"]
    assert real.depth == pytest.approx(-0.48, abs=0.01)
    assert real.peak == date(2020, 8, 4)
    assert real.trough == date(2023, 10, 19)
    assert real.recovery is None
    assert not real.simulated
    tmf = simulate_fund("TMF", _inputs(shared_data)).drawdowns
    assert any(d.simulated and d.start.year == 1962 for d in tmf)
    assert all(d.depth <= 0 for d in tmf)


def test_a_partial_year_is_labelled_with_its_end() -> None:
    assert year_label(2026, pd.Timestamp("2026-07-31")) == "2026 (to 07-31)"
    assert year_label(2025, pd.Timestamp("2025-12-31")) == "2025"
    assert year_label(2024, pd.Timestamp("2024-12-27")) == "2024"  # a holiday-shortened end


def test_drawdown_recovery_and_a_missing_calendar_year() -> None:
    days = pd.to_datetime(["2020-01-01", "2020-06-01", "2021-01-01", "2021-06-01", "2023-01-02"])
    levels = pd.Series([100.0, 80.0, 90.0, 101.0, 110.0], days)
    drawdown = max_drawdown(levels, "x")
    assert drawdown is not None
    assert drawdown.depth == pytest.approx(-0.2)
    assert drawdown.recovery == date(2021, 6, 1)
    # 2022 has no level: 2023's return is not taken over two years.
    years = annual_returns(levels, full_years_only=True)
    assert 2023 not in years.index
    assert years.loc[2021] == pytest.approx(101.0 / 80.0 - 1.0)
