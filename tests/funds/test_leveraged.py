"""Daily-reset leveraged funds: identities, the gap decomposition, calibration, TMF fidelity."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bondthesis.bonds.curve import build_par_curve
from bondthesis.bonds.ladder import TreasuryLadder, long_bond_issuance
from bondthesis.funds.fit import annual_returns, calibrate
from bondthesis.funds.history import FundInputs, simulate_fund
from bondthesis.funds.leveraged import (
    TMF_FINANCING_SPREAD,
    LeveragedFund,
    combine_cash_rate,
    decompose_gap,
    fund_daily_returns,
    splice_history,
)
from bondthesis.sources.snapshot import read_snapshot


def _index(n: int = 500, seed: int = 7, vol: float = 0.01) -> pd.Series:
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2015-01-02", periods=n)
    return pd.Series(rng.normal(0.0002, vol, n), index=dates)


def _cash(index: pd.Index, level: float = 0.02) -> pd.Series:
    return pd.Series(level, index=index)


def test_leverage_one_is_the_index_minus_the_fee_whatever_the_cash_rate() -> None:
    index = _index()
    out = fund_daily_returns(index, _cash(index.index, 0.05), 1.0, expense_ratio=0.01, spread=0.004)
    days = np.diff(index.index.to_numpy(dtype="datetime64[D]").astype(np.int64), prepend=0)
    days[0] = 0
    np.testing.assert_allclose(out.to_numpy(), index.to_numpy() - 0.01 * days / 365.0)


def test_financing_accrues_over_weekends_on_the_borrowed_part() -> None:
    dates = pd.to_datetime(["2024-01-04", "2024-01-05", "2024-01-08"])  # Thu, Fri, Mon
    index = pd.Series([0.0, 0.0, 0.0], dates)
    cash = pd.Series([0.04, 0.05, 0.06], dates)
    out = fund_daily_returns(index, cash, 3.0, expense_ratio=0.0, spread=0.01)
    # Monday pays Friday's rate plus the spread on 2x for three days.
    assert out.iloc[2] == pytest.approx(-2 * (0.05 + 0.01) * 3 / 360)
    assert out.iloc[1] == pytest.approx(-2 * (0.04 + 0.01) * 1 / 360)
    inverse = fund_daily_returns(index, cash, -3.0, expense_ratio=0.0, spread=0.01)
    assert inverse.iloc[2] == pytest.approx(4 * (0.05 - 0.01) * 3 / 360)


def test_zero_volatility_has_no_drag_and_the_decomposition_adds_up() -> None:
    dates = pd.bdate_range("2020-01-01", periods=250)
    index = pd.Series(0.0004, dates)
    parts = decompose_gap(index, _cash(dates, 0.03), 3.0, expense_ratio=0.01, spread=0.005)
    assert abs(parts.volatility_drag) < 1e-12
    assert parts.compounding > 0.0  # daily resets on a steady rise beat 3x the total
    assert parts.fees < 0.0
    assert parts.financing < 0.0
    log_gap = np.log1p(parts.fund_return) - np.log1p(parts.levered_index_return)
    assert parts.gap == pytest.approx(log_gap, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(
    leverage=st.sampled_from([-3.0, -2.0, -1.0, 0.5, 1.0, 2.0, 3.0]),
    vol=st.floats(0.0, 0.02),
    seed=st.integers(0, 10_000),
    fee=st.floats(0.0, 0.02),
    spread=st.floats(0.0, 0.01),
)
def test_the_gap_components_always_add_up_to_the_log_gap(
    leverage: float, vol: float, seed: int, fee: float, spread: float
) -> None:
    index = _index(120, seed, vol)
    # L times the window's return must stay above -100% for the log gap to exist.
    assume(1.0 + leverage * (float(np.prod(1.0 + index)) - 1.0) > 0.0)
    cash = _cash(index.index, 0.03)
    parts = decompose_gap(index, cash, leverage, fee, spread)
    fund = fund_daily_returns(index, cash, leverage, fee, spread)
    assert parts.fund_return == pytest.approx(float(np.prod(1.0 + fund) - 1.0), rel=1e-9, abs=1e-12)
    log_gap = np.log1p(parts.fund_return) - np.log1p(parts.levered_index_return)
    assert parts.gap == pytest.approx(log_gap, abs=1e-10)
    if leverage == 1.0:
        assert parts.volatility_drag == pytest.approx(0.0, abs=1e-12)
        assert parts.financing == pytest.approx(0.0, abs=1e-15)
        assert parts.compounding == pytest.approx(0.0, abs=1e-12)
    elif vol > 0.008:
        # -(L² - L)/2 σ² T: a drag outside [0, 1], a gain inside it.
        assert np.sign(parts.volatility_drag) == (1.0 if 0.0 < leverage < 1.0 else -1.0)


def test_volatility_drag_is_about_minus_half_l_squared_minus_l_sigma_squared() -> None:
    index = _index(252 * 20, 3, 0.01) - 0.0002  # zero-mean, 1% a day
    parts = decompose_gap(index, _cash(index.index, 0.0), 3.0)
    expected = -(9 - 3) / 2 * 0.01**2 * len(index)
    assert parts.volatility_drag == pytest.approx(expected, rel=0.1)


def test_calibration_recovers_a_known_spread_from_a_noisy_fund() -> None:
    index = _index(252 * 8, 11)
    cash = _cash(index.index, 0.02)
    truth = LeveragedFund(3.0, 0.009, 0.0045)
    # The real fund's close is its NAV times (1 + a premium that does not persist).
    premium = np.random.default_rng(5).normal(0.0, 0.002, len(index))
    actual = (1.0 + truth.daily_returns(index, cash)).cumprod() * (1.0 + premium)
    result = calibrate(index, cash, actual, 3.0, 0.009, "2019-12-31")
    assert result.fund.spread == pytest.approx(0.0045, abs=0.001)
    assert result.holdout is not None
    assert result.holdout.start == result.fit_end
    assert result.in_sample.daily_correlation > 0.99


def test_a_launch_year_outlier_does_not_set_the_spread() -> None:
    # Like TMF in 2009: the first, partial year misses by ~7pp for reasons no drift explains.
    index = _index(252 * 8 + 180, 13)
    cash = _cash(index.index, 0.01)
    truth = LeveragedFund(3.0, 0.009, 0.0045)
    actual_returns = truth.daily_returns(index, cash)
    actual_returns.iloc[1:121] -= 0.07 / 120
    actual = (1.0 + actual_returns).cumprod()
    result = calibrate(index, cash, actual, 3.0, 0.009, "2021-12-31")
    # Measured 0.00572 (soft_l1, 1pp scale); plain least squares on the same years: 0.01304.
    assert result.fund.spread == pytest.approx(0.0045, abs=0.0015)


def test_splice_marks_simulated_rows_and_keeps_the_level_continuous() -> None:
    index = _index(30)
    actual = (1.0 + index.iloc[10:]).cumprod() * 57.0
    history = splice_history(index, actual)
    assert history["simulated"].tolist() == [True] * 10 + [False] * 20
    np.testing.assert_allclose(
        history["level"].to_numpy(), np.cumprod(1.0 + index.to_numpy()), rtol=1e-12
    )
    only_simulated = splice_history(index, pd.Series(dtype="float64"))
    assert only_simulated["simulated"].all()


def test_cash_rate_is_monthly_before_daily_and_in_decimals() -> None:
    out = combine_cash_rate(
        pd.Series([5.0, 5.1], pd.to_datetime(["1981-09-01", "1981-09-02"])),
        pd.Series([4.0, 4.5, 4.9], pd.to_datetime(["1981-07-01", "1981-08-01", "1981-09-01"])),
    )
    assert out.to_list() == [0.04, 0.045, 0.05, 0.051]
    shortest = combine_cash_rate(
        pd.Series([5.0, 5.1, 5.2], pd.to_datetime(["1981-09-01", "2001-07-30", "2001-07-31"])),
        pd.Series([4.0], pd.to_datetime(["1981-08-01"])),
        pd.Series([3.6, 3.7], pd.to_datetime(["2001-07-31", "2001-08-01"])),
    )
    assert shortest.to_list() == pytest.approx([0.04, 0.05, 0.051, 0.036, 0.037], abs=1e-15)
    assert shortest.index.is_monotonic_increasing
    with pytest.raises(ValueError, match="percent"):
        fund_daily_returns(_index(5), out * 100, 3.0)


def test_bad_parameters_say_how_to_fix_them() -> None:
    with pytest.raises(ValueError, match="between -3 and 3"):
        LeveragedFund(4.0)
    with pytest.raises(ValueError, match="decimal"):
        LeveragedFund(3.0, expense_ratio=0.91)


# --- fidelity against the real TMF (../shared/data) ---------------------------------------------

KEYS = {
    "DGS10",
    "DGS20",
    "DGS30",
    "GS10",
    "GS20",
    "GS30",
    "DGS1MO",
    "DGS3MO",
    "TB3MS",
    "TLT",
    "TMF",
}


@lru_cache(maxsize=1)
def _inputs(folder: Path) -> FundInputs:
    content = read_snapshot(folder, only=KEYS | {"AUCTIONS"})
    series = {k: rows.set_index("date")["value"] for k, (rows, _) in content.series.items()}
    assert content.auctions is not None
    return FundInputs(
        yields={k: series[k] for k in ("DGS10", "DGS20", "DGS30", "GS10", "GS20", "GS30")},
        cash_rate=combine_cash_rate(series["DGS3MO"], series["TB3MS"], series["DGS1MO"]),
        prices={k: series[k].dropna() for k in ("TLT", "TMF")},
        issuance=long_bond_issuance(content.auctions),
    )


def test_synthetic_tmf_matches_the_real_tmf_out_of_sample(shared_data: Path) -> None:
    simulation = simulate_fund("TMF", _inputs(shared_data))
    annual = simulation.annual
    holdout = (annual["simulated"] - annual["actual"]).loc[2018:2025]
    # Fitted on 2009-04..2017, tested on 2018-2025: measured 0.64pp (README, fund section; the
    # issue's 0.5pp is not met). It was 0.76pp with DGS3MO cash and plain least squares.
    assert holdout.abs().mean() <= 0.0068
    assert abs(holdout.mean()) <= 0.002
    assert annual.loc[2022, "actual"] == pytest.approx(-0.726, abs=0.001)
    assert abs(annual.loc[2022, "simulated"] - annual.loc[2022, "actual"]) <= 0.02
    assert 0.0 <= simulation.fund.spread <= 0.012
    # The scenario and Monte Carlo defaults use this fit; if the data moves it, update the constant.
    assert simulation.fund.spread == pytest.approx(TMF_FINANCING_SPREAD, abs=0.0005)
    assert simulation.annual.loc[:2008, "spliced_from_simulation"].all()
    assert not simulation.annual.loc[2010:, "spliced_from_simulation"].any()
    assert np.isnan(simulation.annual.loc[2009, "actual"])  # TMF started in April 2009


def test_tmf_on_real_tlt_tracks_better_than_on_the_ladder(shared_data: Path) -> None:
    inputs = _inputs(shared_data)
    ladder = TreasuryLadder.tlt_like().run(build_par_curve(inputs.yields), inputs.issuance)
    tlt = inputs.prices["TLT"]
    gross = tlt.pct_change().fillna(0.0) + 0.0015 / 252
    tmf = inputs.prices["TMF"]

    def holdout_error(index: pd.Series) -> float:
        fitted = calibrate(index, inputs.cash_rate, tmf, 3.0, 0.0091, "2017-12-31")
        assert fitted.holdout is not None
        return fitted.holdout.annual_mean_abs_difference

    on_tlt, on_ladder = holdout_error(gross), holdout_error(ladder.daily_return)
    assert on_tlt < on_ladder
    assert on_ladder < 0.02
    years = annual_returns(tmf, full_years_only=True)
    assert years.loc[2022] == pytest.approx(-0.726, abs=0.001)
