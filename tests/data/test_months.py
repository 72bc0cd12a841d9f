"""Changes between calendar months (issue 10, defect 1): a missing month stays missing."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.data.months import (
    annualized_change,
    change,
    every_month,
    periods_ago,
    rolling_percentile,
)

MONTHS = pd.date_range("2024-01-31", periods=24, freq="ME")


def test_a_missing_month_in_the_middle_stays_missing() -> None:
    # October 2025 was never published (as with CPI): rows no longer equal months.
    months = pd.date_range("2024-10-31", "2026-01-31", freq="ME")
    series = pd.Series(np.arange(len(months), dtype="float64") + 100.0, months)
    gappy = series.drop(pd.Timestamp("2025-10-31"))
    yoy = change(gappy, 12)
    # January 2026 over January 2025 (12 calendar months), not over December 2024 (12 rows).
    assert yoy.loc["2026-01-31"] == series.loc["2026-01-31"] / series.loc["2025-01-31"] - 1.0
    # November's 1-month change needs October: missing.
    assert np.isnan(change(gappy, 1).loc["2025-11-30"])
    # The 3-month change spans three calendar months (January over October): missing too.
    assert np.isnan(change(gappy, 3).loc["2026-01-31"])
    assert (
        change(gappy, 3).loc["2025-12-31"]
        == series.loc["2025-12-31"] / series.loc["2025-09-30"] - 1.0
    )
    assert np.isnan(annualized_change(gappy, 3).loc["2026-01-31"])


def test_quarters_count_by_the_calendar() -> None:
    quarters = pd.DatetimeIndex(["2024-03-31", "2024-06-30", "2024-12-31", "2025-03-31"])
    series = pd.Series([1.0, 2.0, 4.0, 5.0], quarters)
    assert change(series, 4, freq="Q", kind="difference").loc["2025-03-31"] == 4.0
    assert np.isnan(periods_ago(series, 1, freq="Q").loc["2024-12-31"])  # 2024Q3 is missing


def test_every_month_puts_the_gaps_back() -> None:
    full = every_month(pd.Series([1.0, 2.0], pd.DatetimeIndex(["2025-01-31", "2025-04-30"])))
    assert len(full) == 4
    assert full.isna().sum() == 2


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(1.0, 1000.0), min_size=24, max_size=24),
    dropped=st.sets(st.integers(0, 23), max_size=8),
    months=st.integers(1, 12),
)
def test_changes_span_exactly_the_calendar_months_asked(
    values: list[float], dropped: set[int], months: int
) -> None:
    series = pd.Series(values, MONTHS)
    gappy = series.drop(MONTHS[sorted(dropped)])
    result = change(gappy, months)
    for when, value in result.items():
        earlier = pd.Timestamp(when) - pd.offsets.MonthEnd(months)
        if earlier in gappy.index:
            assert value == gappy.loc[when] / gappy.loc[earlier] - 1.0
        else:
            assert np.isnan(value)


def test_rolling_percentile_ranks_over_calendar_months() -> None:
    series = pd.Series([1.0, 2.0, 3.0, 4.0], pd.date_range("2025-01-31", periods=4, freq="ME"))
    gappy = series.drop(pd.Timestamp("2025-02-28"))
    ranked = rolling_percentile(gappy, 2, min_periods=1)
    # The 2-month window at March holds February (missing) and March: March alone, 100th.
    assert ranked.loc["2025-03-31"] == 100.0
    assert ranked.loc["2025-04-30"] == 100.0
