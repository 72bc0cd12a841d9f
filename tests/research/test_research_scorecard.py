"""Scorecard on synthetic data where the answer is known, and walk-forward that never peeks."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr

from bondthesis.pillars.base import PillarReading, Verdict
from bondthesis.research.returns import forward_excess_return
from bondthesis.research.scorecard import (
    PillarSignal,
    build_scorecard,
    outcome_stats,
    point_in_time_monthly,
    publication_offset_days,
    signal_from_reading,
)
from bondthesis.research.skill import (
    block_bootstrap_interval,
    expanding_percentile,
    rank_correlation,
    walk_forward_skill,
)

MONTHS = pd.date_range("1970-01-31", periods=600, freq="ME")


def _world(seed: int) -> tuple[pd.Series, pd.Series, pd.Series]:
    """A persistent predictive signal, an unrelated one, and monthly excess returns it drives."""
    rng = np.random.default_rng(seed)
    n = len(MONTHS)
    predictive = np.zeros(n)
    noise = np.zeros(n)
    for i in range(1, n):
        predictive[i] = 0.95 * predictive[i - 1] + rng.normal()
        noise[i] = 0.95 * noise[i - 1] + rng.normal()
    # Next month's bond return rises with today's predictive signal; stocks are pure noise.
    bond = np.r_[0.0, 0.006 * predictive[:-1]] + rng.normal(0, 0.03, n)
    stock = rng.normal(0.005, 0.04, n)
    bonds = pd.Series(bond, index=MONTHS)
    stocks = pd.Series(stock, index=MONTHS)
    forward = forward_excess_return(bonds, stocks, 12)
    return pd.Series(predictive, index=MONTHS), pd.Series(noise, index=MONTHS), forward


def _signal(name: str, values: pd.Series, verdict: Verdict = Verdict.SUPPORTS) -> PillarSignal:
    supports = (values > values.median()).astype("float64")
    return PillarSignal(name, values, supports, 1, verdict, float(values.iloc[-1]), None, "test")


@pytest.fixture(scope="module")
def worlds() -> list[tuple[pd.Series, pd.Series, pd.Series]]:
    return [_world(seed) for seed in range(8)]


def test_forward_excess_return_compounds_the_next_months() -> None:
    bonds = pd.Series(0.01, index=MONTHS[:30])
    stocks = pd.Series(0.0, index=MONTHS[:30])
    forward = forward_excess_return(bonds, stocks, 12)
    assert forward.iloc[0] == pytest.approx(1.01**12 - 1)
    # The window after month t starts at t+1: the last complete start is the 18th month.
    assert forward.last_valid_index() == MONTHS[17]
    assert forward.iloc[18:].isna().all()


def test_forward_excess_return_refuses_windows_with_holes() -> None:
    index = MONTHS[:30].delete(10)
    forward = forward_excess_return(pd.Series(0.01, index=index), pd.Series(0.0, index=index), 3)
    assert np.isnan(forward.loc[MONTHS[8]])  # its window would span the missing month
    assert not np.isnan(forward.loc[MONTHS[11]])


def test_rank_correlation_matches_scipy_and_widens_with_overlap() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=300)
    y = 0.3 * x + rng.normal(size=300)
    est = rank_correlation(x, y, hac_lags=0)
    assert est.rank_correlation == pytest.approx(spearmanr(x, y).statistic, abs=1e-12)
    # Independent pairs: the HAC error is close to the textbook 1/sqrt(n) (shrunk by 1 - rho^2).
    assert 0.5 / np.sqrt(300) < est.standard_error < 1.2 / np.sqrt(300)
    # Overlapping 12-month sums of the same noise: the error must be far wider than 1/sqrt(n).
    e1, e2 = rng.normal(size=312), rng.normal(size=312)
    s1 = np.convolve(e1, np.ones(12), "valid")[:300]
    s2 = np.convolve(e2, np.ones(12), "valid")[:300]
    overlapped = rank_correlation(s1, s2, hac_lags=18)
    assert overlapped.standard_error > 2.0 / np.sqrt(300)
    assert overlapped.effective_n == 25.0


def test_bootstrap_interval_brackets_the_estimate() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=240)
    y = 0.5 * x + rng.normal(size=240)
    low, high = block_bootstrap_interval(x, y, n_resamples=300, seed=1)
    r = rank_correlation(x, y).rank_correlation
    assert low < r < high
    assert low > 0


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=60))
@settings(max_examples=80, deadline=None)
def test_expanding_percentile_uses_only_the_past(values: list[float]) -> None:
    series = pd.Series(values)
    full = expanding_percentile(series, min_history=1)
    for cut in {1, len(values) // 2 or 1, len(values)}:
        head = expanding_percentile(series.iloc[:cut], min_history=1)
        assert np.allclose(full.iloc[:cut], head, equal_nan=True)
    assert ((full >= 0) & (full <= 1)).all()


def test_predictive_signal_earns_weight_and_noise_does_not(worlds) -> None:  # type: ignore[no-untyped-def]
    weighted_good, weighted_noise = 0, 0
    for predictive, noise, forward in worlds:
        card = build_scorecard(
            [_signal("good", predictive), _signal("noise", noise, Verdict.CONTRADICTS)],
            forward,
            MONTHS[-1].date(),
            bootstrap_resamples=100,
        )
        good, bad = card.pillars
        assert good.skill is not None
        assert good.skill.rank_correlation > 0.1
        assert good.skill.bootstrap_low is not None
        assert good.skill.effective_n == good.skill.n_pairs / 12
        weighted_good += good.weight > 0
        weighted_noise += bad.weight > 0
        if good.weight > 0 and bad.weight == 0:
            # The composite follows the only skilled pillar's verdict.
            assert good.weight == 1.0
            assert card.composite.weighted_vote == 1.0
            assert card.composite.verdict is Verdict.SUPPORTS
            assert card.composite.skill is not None
            assert card.composite.skill.rank_correlation > 0
        if bad.weight == 0:
            assert "wrong sign" in bad.weight_reason or "not distinguishable" in bad.weight_reason
    # A 95% gate lets noise through now and then, not often; real skill passes most of the time.
    assert weighted_good >= 6
    assert weighted_noise <= 1


def test_walk_forward_never_peeks(worlds) -> None:  # type: ignore[no-untyped-def]
    predictive, _, forward = worlds[0]
    predictor = expanding_percentile(predictive)
    cut = MONTHS[400]
    before = walk_forward_skill(predictor, forward)
    # Scramble everything not known at `cut`: outcomes of windows ending after it, later signals.
    rng = np.random.default_rng(9)
    future_outcome = forward.index > cut - pd.offsets.MonthEnd(12)
    scrambled_forward = forward.copy()
    scrambled_forward[future_outcome] = rng.normal(size=int(future_outcome.sum()))
    scrambled_signal = predictive.copy()
    scrambled_signal[scrambled_signal.index > cut] = rng.normal(size=int((cut < MONTHS).sum()))
    after = walk_forward_skill(expanding_percentile(scrambled_signal), scrambled_forward)
    pd.testing.assert_frame_equal(before.loc[:cut], after.loc[:cut])
    assert not before.loc[MONTHS[-1]].equals(after.loc[MONTHS[-1]])

    card_before = build_scorecard([_signal("s", predictive)], forward, cut.date())
    card_after = build_scorecard([_signal("s", scrambled_signal)], scrambled_forward, cut.date())
    assert card_before.pillars[0].weight_reason == card_after.pillars[0].weight_reason
    pd.testing.assert_series_equal(card_before.composite.history, card_after.composite.history)


def test_point_in_time_monthly_applies_the_publication_lag() -> None:
    history = pd.Series([1.0, 2.0], index=pd.to_datetime(["2020-01-01", "2020-02-01"]))
    # CPI: monthly, dated at the month's first day, public 14 days after the month ends.
    offset = publication_offset_days(["CPIAUCSL"])
    assert offset == 30 + 14
    monthly = point_in_time_monthly(history, offset, 200)
    # Nothing is known at the end of January: January's value is out on 2020-02-14.
    assert monthly.first_valid_index() == pd.Timestamp("2020-02-29")
    assert monthly.loc["2020-02-29"] == 1.0
    assert monthly.loc["2020-03-31"] == 2.0
    # Stale values are dropped after max_age_days.
    stale = point_in_time_monthly(history, offset, 40, pd.Timestamp("2020-06-30"))
    assert stale.loc["2020-03-31"] == 2.0  # seen on 2020-03-15, 16 days old
    assert np.isnan(stale.loc["2020-04-30"])  # 46 days old: stale
    assert np.isnan(stale.loc["2020-06-30"])


def test_signal_from_reading_infers_direction_from_trigger() -> None:
    days = pd.date_range("2000-01-01", periods=120, freq="MS")
    history = pd.Series(np.linspace(0, 1, 120), index=days)
    reading = PillarReading(
        name="valuation",
        title="t",
        value=0.1,
        unit="%",
        as_of=date(2009, 12, 1),
        history=history,
        percentile=5.0,
        verdict=Verdict.SUPPORTS,
        rule="low is good",
        series=("SHILLER_CAPE",),
        providers=("shiller",),
        trigger=history < 0.2,
    )
    signal = signal_from_reading(reading)
    assert signal.direction == -1
    # Shiller CAPE: monthly with a 90-day lag, so nothing is seen in the first ~4 months.
    assert signal.signal.first_valid_index() >= pd.Timestamp("2000-04-30")
    assert set(signal.supports.dropna().unique()) <= {0.0, 1.0}


def test_support_counts_and_outcomes() -> None:
    index = MONTHS[:60]
    forward = pd.Series(np.linspace(-0.1, 0.1, 60), index=index)
    a = PillarSignal(
        "a", pd.Series(1.0, index=index), pd.Series(1.0, index=index), 1, Verdict.SUPPORTS
    )
    b_flags = pd.Series((np.arange(60) >= 30).astype(float), index=index)
    b = PillarSignal("b", pd.Series(1.0, index=index), b_flags, 1, Verdict.SUPPORTS)
    card = build_scorecard([a, b], forward, MONTHS[80].date(), min_pairs=1000)
    support = card.support
    assert support.count_today == 2
    # Two pillars supported from month 30 on; all 30 of those outcomes are realized by month 80.
    assert support.same_count.n_months == 30
    assert support.same_count.mean == pytest.approx(float(forward.iloc[30:].mean()))
    assert support.same_count.hit_rate == pytest.approx(float((forward.iloc[30:] > 0).mean()))
    assert support.all_months.n_months == 60
    assert support.same_count.n_nonoverlapping == 3
    # No skill can be estimated from so little: every weight is zero and the notes say so.
    assert all(p.weight == 0 for p in card.pillars)
    assert card.notes
    assert card.composite.weighted_vote is None


def test_outcome_stats_of_nothing() -> None:
    stats = outcome_stats(pd.Series(dtype="float64"))
    assert stats.n_months == 0
    assert stats.mean is None


def test_signal_from_reading_uses_the_readings_own_lag() -> None:
    month_ends = pd.date_range("2000-01-31", periods=24, freq="ME")
    history = pd.Series(np.arange(24.0), index=month_ends)
    reading = PillarReading(
        name="economy",
        title="t",
        value=23.0,
        unit="x",
        as_of=date(2001, 12, 31),
        history=history,
        percentile=100.0,
        verdict=Verdict.NEUTRAL,
        rule="r",
        series=("CPILFESL",),
        providers=("fred",),
        known_lag_days=14,
    )
    signal = signal_from_reading(reading).signal
    # January's value (dated 2000-01-31, public 2000-02-14) is the one known at the end of
    # February; nothing is known at the end of January.
    assert signal.first_valid_index() == pd.Timestamp("2000-02-29")
    assert signal.loc["2000-02-29"] == 0.0
    assert signal.loc["2001-12-31"] == 22.0  # December's value is not out until 2002-01-14


def test_majority_needs_half_the_pillars_and_at_least_three() -> None:
    index = MONTHS[:60]
    forward = pd.Series(np.linspace(-0.1, 0.1, 60), index=index)
    ones = pd.Series(1.0, index=index)
    late = pd.Series((np.arange(60) >= 40).astype(float), index=index)
    signals = [
        PillarSignal("a", ones, ones, 1, Verdict.SUPPORTS),
        PillarSignal("b", ones, ones, 1, Verdict.SUPPORTS),
        PillarSignal("c", ones, late, 1, Verdict.SUPPORTS),
        PillarSignal("d", ones, pd.Series(0.0, index=index), 1, Verdict.NEUTRAL),
    ]
    support = build_scorecard(signals, forward, MONTHS[80].date(), min_pairs=1000).support
    assert support.majority.n_months == 20  # 3 of 4 from month 40 on; 2 of 4 is not enough
    assert support.majority.mean == pytest.approx(float(forward.iloc[40:].mean()))
    two = build_scorecard(signals[:2], forward, MONTHS[80].date(), min_pairs=1000).support
    assert two.majority.n_months == 0  # two pillars can never make three
