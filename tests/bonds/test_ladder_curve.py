"""The long-end par curve: interpolation, gap filling, and the fill rule checked on real data."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.bonds.curve import build_par_curve, fill_tenor_gaps, interpolate_par_yield
from bondthesis.sources.snapshot import read_snapshot

KEYS = {"DGS10", "DGS20", "DGS30", "GS10", "GS20", "GS30"}


@lru_cache(maxsize=1)
def _yields(folder: Path) -> dict[str, pd.Series]:
    content = read_snapshot(folder, only=KEYS)
    return {key: rows.set_index("date")["value"] for key, (rows, _) in content.series.items()}


def test_interpolation_is_linear_between_nodes_and_flat_outside() -> None:
    nodes = np.array([[0.03, 0.04, 0.05]])
    years = np.array([[5.0, 10.0, 15.0, 20.0, 22.5, 30.0, 35.0]])
    got = interpolate_par_yield(nodes, years)[0]
    np.testing.assert_allclose(got, [0.03, 0.03, 0.035, 0.04, 0.0425, 0.05, 0.05])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(0.0, 0.2), min_size=3, max_size=3),
    st.floats(10.0, 30.0),
)
def test_interpolated_yield_lies_between_its_neighbour_nodes(
    nodes: list[float], maturity: float
) -> None:
    value = interpolate_par_yield(np.array([nodes]), np.array([maturity]))[0]
    pair = nodes[:2] if maturity <= 20.0 else nodes[1:]
    assert min(pair) - 1e-15 <= value <= max(pair) + 1e-15


def test_a_gap_is_bridged_by_a_spread_moving_linearly_in_time() -> None:
    rows = 10
    y30 = np.linspace(0.05, 0.06, rows)
    spread = np.linspace(0.001, 0.004, rows)  # 20y minus 30y, drifting
    y20 = y30 + spread
    y20_gappy = y20.copy()
    y20_gappy[3:7] = np.nan
    yields = np.column_stack([np.full(rows, 0.04), y20_gappy, y30])
    filled, flags = fill_tenor_gaps(yields, window=1)
    np.testing.assert_allclose(filled[:, 1], y20, atol=1e-15)
    assert flags[:, 1].tolist() == [False] * 3 + [True] * 4 + [False] * 3
    assert not flags[:, [0, 2]].any()


def test_a_missing_edge_holds_the_nearest_spread_flat() -> None:
    y20 = np.array([0.040, 0.041, 0.042, 0.043])
    y30 = np.array([np.nan, np.nan, 0.0425, 0.0435])  # 30y starts later, 0.05 points above
    filled, flags = fill_tenor_gaps(np.column_stack([np.full(4, 0.03), y20, y30]))
    np.testing.assert_allclose(filled[:2, 2], [0.0405, 0.0415])
    assert flags[:, 2].tolist() == [True, True, False, False]


def test_build_par_curve_converts_percent_marks_fills_and_prepends_monthly_rows() -> None:
    days = pd.bdate_range("1962-01-02", periods=5)
    months = pd.to_datetime(["1961-11-01", "1961-12-01", "1962-01-01"])
    curve = build_par_curve(
        {
            "DGS10": pd.Series([4.0, 4.1, 4.2, 4.3, 4.4], days),
            "DGS20": pd.Series([4.2, 4.3, 4.4, 4.5, 4.6], days),
            "GS10": pd.Series([3.9, 3.95, 4.1], months),
            "GS20": pd.Series([4.1, 4.15, 4.3], months),
        }
    )
    assert curve.monthly.tolist() == [True, True] + [False] * 5  # January 1962 is daily
    assert curve.dates[0] == pd.Timestamp("1961-11-15")
    np.testing.assert_allclose(curve.yields[2], [0.040, 0.042, 0.042])  # 30y = 20y + 0
    assert curve.filled[:, 2].all()
    assert not curve.filled[:, :2].any()
    assert curve.first_daily_date == pd.Timestamp("1962-01-02")


def test_build_par_curve_needs_the_ten_year() -> None:
    with pytest.raises(ValueError, match="DGS10"):
        build_par_curve({"DGS30": pd.Series([4.0], pd.to_datetime(["2020-01-02"]))})


def _leave_out_errors(yields: pd.DataFrame, column: str, start: str, end: str) -> dict[str, float]:
    """Mean absolute error (percentage points) of three fill rules on a hidden stretch."""
    frame = yields.dropna().copy()
    truth = frame.loc[start:end, column]
    hidden = frame.copy()
    hidden.loc[start:end, column] = np.nan
    filled, _ = fill_tenor_gaps(hidden[["DGS10", "DGS20", "DGS30"]].to_numpy() / 100.0)
    ours = pd.Series(filled[:, ["DGS10", "DGS20", "DGS30"].index(column)] * 100, frame.index)
    window = frame.loc[start:end]
    if column == "DGS20":
        other = (window["DGS10"] + window["DGS30"]) / 2.0  # midpoint in maturity
    else:
        other = 2.0 * window["DGS20"] - window["DGS10"]  # linear extrapolation in maturity
    return {
        "carried_spread": float((ours.loc[start:end] - truth).abs().mean()),
        "maturity_line": float((other - truth).abs().mean()),
    }


def test_the_fill_rule_beats_straight_lines_in_maturity_on_hidden_real_data(
    shared_data: Path,
) -> None:
    series = _yields(shared_data)
    frame = pd.concat({k: series[k] for k in ("DGS10", "DGS20", "DGS30")}, axis=1)
    # Hide 20y for three years after its return (like the 1987-1993 gap) and the 30y's first
    # three years (like the pre-1977 edge); each rule fills them from what is left.
    twenty = _leave_out_errors(frame, "DGS20", "1993-10-01", "1996-09-30")
    thirty = _leave_out_errors(frame.loc[:"1986-12-31"], "DGS30", "1977-02-15", "1980-02-15")
    assert twenty["carried_spread"] < twenty["maturity_line"]
    assert thirty["carried_spread"] < thirty["maturity_line"]
    assert twenty["carried_spread"] < 0.15
    assert thirty["carried_spread"] < 0.15


def test_the_real_curve_has_no_holes_and_marks_the_known_gaps(shared_data: Path) -> None:
    curve = build_par_curve(_yields(shared_data))
    frame = curve.to_frame()
    assert not np.isnan(curve.yields).any()
    assert frame.loc["1990-06-01":"1990-06-30", "filled20"].all()
    assert frame.loc["1970-06-01":"1970-06-30", "filled30"].all()
    assert not frame.loc["2010-06-01":"2010-06-30", ["filled10", "filled20", "filled30"]].any(
        axis=None
    )
    assert frame.index[~frame["monthly"]][0] == pd.Timestamp("1962-01-02")
    assert frame["monthly"].iloc[0]  # GS10/GS20 from 1953 reach further back
