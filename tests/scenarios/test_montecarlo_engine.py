"""The Monte Carlo engine: deterministic limits, invariants, reproducibility, distributions."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from bondthesis.funds.leveraged import TMF_FINANCING_SPREAD
from bondthesis.scenarios import _kernels as k
from bondthesis.scenarios.montecarlo import (
    BLOCK_PATHS,
    LeveragedFund,
    MonteCarloSpec,
    NormalShocks,
    PositionWeights,
    StockModel,
    StudentTShocks,
    TreasuryFund,
    simulate,
    simulate_paths,
)

# TMF's financing accrues ACT/360 over the calendar days a trading day spans (365.25/252).
ACT_360_DAY = 365.25 / 252 / 360


def _flat(**overrides: object) -> MonteCarloSpec:
    base: dict[str, object] = {
        "n_paths": 7,
        "horizon_days": 252,
        "shocks": NormalShocks(daily_vol=0.0),
        "stocks": StockModel(annual_return=0.06, annual_vol=0.0),
    }
    base.update(overrides)
    return MonteCarloSpec(**base)  # type: ignore[arg-type]


def test_zero_volatility_earns_carry_only() -> None:
    spec = _flat(start_yield=0.05, cash_rate=0.04)
    paths = simulate_paths(spec)
    days = spec.horizon_days
    tlt = (1 + 0.05 / 252 - 0.0015 / 252) ** days
    # TMF borrows 2x at the bill rate plus its fitted spread (the default), ACT/360 on the
    # calendar days a trading day spans (365.25/252), and pays 0.91%.
    financing = 2 * (0.04 + TMF_FINANCING_SPREAD) * 365.25 / 252 / 360
    tmf = (1 + 3 * 0.05 / 252 - financing - 0.0091 / 252) ** days
    cash = (1 + 0.04 / 252) ** days
    stocks = (1 + 0.06 / 252) ** days
    np.testing.assert_allclose(paths[:, k.OUT_YIELD], 0.05, rtol=0, atol=0)
    np.testing.assert_allclose(paths[:, k.OUT_TLT], tlt, rtol=1e-12)
    np.testing.assert_allclose(paths[:, k.OUT_TMF], tmf, rtol=1e-12)
    np.testing.assert_allclose(paths[:, k.OUT_CASH], cash, rtol=1e-12)
    np.testing.assert_allclose(paths[:, k.OUT_STOCKS], stocks, rtol=1e-12)
    position = 0.4 * tlt + 0.2 * tmf + 0.3 * stocks + 0.1 * cash
    np.testing.assert_allclose(paths[:, k.OUT_POSITION], position, rtol=1e-12)
    # steadily rising values never draw down
    assert np.all(paths[:, k.OUT_DRAWDOWN_TLT :] == 0.0)


def _deterministic_reference(spec: MonteCarloSpec) -> tuple[float, float, float]:
    """Plain-Python day loop of the documented formulas: terminal yield, TLT, TMF."""
    assert spec.target_yield is not None
    assert spec.cash_target is not None
    y, tlt, tmf = spec.start_yield, 1.0, 1.0
    d0, c0, y_ref = spec.tlt.duration_years, spec.tlt.convexity_years2, spec.tlt.reference_yield
    kappa, kappa_cash = spec.reversion_per_year / 252, spec.cash_reversion_per_year / 252
    for day in range(spec.horizon_days):
        cash = spec.cash_target + (spec.cash_rate - spec.cash_target) * (1 - kappa_cash) ** day
        dy = kappa * (spec.target_yield - y)
        duration = d0 + (d0**2 - c0) * (y - y_ref)
        index = -duration * dy + 0.5 * c0 * dy**2 + y / 252
        tlt *= 1 + index - spec.tlt.expense_ratio / 252
        financing = cash + spec.tmf.financing_spread
        tmf *= 1 + 3 * index - 2 * financing * ACT_360_DAY - spec.tmf.expense_ratio / 252
        y += dy
    return y, tlt, tmf


def test_zero_volatility_with_drift_follows_the_deterministic_path() -> None:
    spec = _flat(start_yield=0.05, target_yield=0.035, reversion_per_year=2.0, cash_target=0.025)
    y, tlt, tmf = _deterministic_reference(spec)
    assert y == pytest.approx(0.035 + 0.015 * (1 - 2 / 252) ** 252, rel=1e-12)
    paths = simulate_paths(spec)
    np.testing.assert_allclose(paths[:, k.OUT_YIELD], y, rtol=1e-12)
    np.testing.assert_allclose(paths[:, k.OUT_TLT], tlt, rtol=1e-12)
    np.testing.assert_allclose(paths[:, k.OUT_TMF], tmf, rtol=1e-12)
    # a 150bp fall in yields: TLT gains well beyond its carry
    assert tlt > 1.2


@pytest.mark.parametrize("shocks", [NormalShocks(0.0008), StudentTShocks(0.0008, 4.0)])
def test_leverage_one_equals_the_underlying(shocks: NormalShocks | StudentTShocks) -> None:
    spec = MonteCarloSpec(
        n_paths=3000,
        horizon_days=60,
        shocks=shocks,
        tmf=LeveragedFund(leverage=1.0, expense_ratio=0.0015, financing_spread=0.01),
        seed=11,
    )
    paths = simulate_paths(spec)
    np.testing.assert_array_equal(paths[:, k.OUT_TMF], paths[:, k.OUT_TLT])


@settings(max_examples=25, deadline=None)
@given(
    n_paths=st.integers(1, 5 * BLOCK_PATHS + 17),
    blocks_per_chunk=st.integers(1, 4),
    seed=st.integers(0, 2**32),
)
def test_chunked_equals_unchunked(n_paths: int, blocks_per_chunk: int, seed: int) -> None:
    spec = MonteCarloSpec(n_paths=n_paths, horizon_days=5, seed=seed)
    whole = simulate_paths(spec)
    chunked = simulate_paths(spec, chunk_paths=blocks_per_chunk * BLOCK_PATHS)
    np.testing.assert_array_equal(whole, chunked)


def test_paths_do_not_depend_on_the_run_size() -> None:
    small = simulate_paths(MonteCarloSpec(n_paths=100, horizon_days=20, seed=3))
    large = simulate_paths(MonteCarloSpec(n_paths=2 * BLOCK_PATHS + 5, horizon_days=20, seed=3))
    np.testing.assert_array_equal(small, large[:100])


def test_thread_count_does_not_change_a_number() -> None:
    from bondthesis.scenarios.montecarlo import simulate_block_range

    spec = MonteCarloSpec(n_paths=3 * BLOCK_PATHS, horizon_days=10, shocks=StudentTShocks())
    np.testing.assert_array_equal(
        simulate_block_range(spec, 0, 3, threads=3),
        simulate_block_range(spec, 0, 3, threads=1),
    )


def test_seed_changes_the_numbers_and_repeats_them() -> None:
    first = simulate_paths(MonteCarloSpec(n_paths=500, horizon_days=10, seed=1))
    again = simulate_paths(MonteCarloSpec(n_paths=500, horizon_days=10, seed=1))
    other = simulate_paths(MonteCarloSpec(n_paths=500, horizon_days=10, seed=2))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def _one_day_shocks(spec: MonteCarloSpec) -> np.ndarray:
    paths = simulate_paths(spec)
    return paths[:, k.OUT_YIELD] - spec.start_yield


def test_normal_shocks_are_standard_normal() -> None:
    spec = MonteCarloSpec(n_paths=200_000, horizon_days=1, shocks=NormalShocks(1.0), start_yield=0)
    z = _one_day_shocks(spec)
    assert stats.kstest(z, "norm").pvalue > 1e-3
    assert abs(z.mean()) < 5 / math.sqrt(z.size)
    assert z.std() == pytest.approx(1.0, abs=0.01)
    # the ziggurat's tail beyond 3.654 is reached and has the normal's weight (2.6e-4 two-sided)
    assert np.count_nonzero(np.abs(z) > 3.6541528853610088) == pytest.approx(51.6, abs=25)


def test_student_t_shocks_have_the_volatility_and_the_tails() -> None:
    dof = 5.0
    spec = MonteCarloSpec(
        n_paths=200_000, horizon_days=1, shocks=StudentTShocks(0.001, dof), start_yield=0
    )
    shocks = _one_day_shocks(spec)
    scale = 0.001 * math.sqrt((dof - 2) / dof)
    assert stats.kstest(shocks / scale, stats.t(dof).cdf).pvalue > 1e-3
    assert shocks.std() == pytest.approx(0.001, rel=0.03)
    assert stats.kurtosis(shocks) > 2.0  # normal: 0; t(5): 6


def test_terminal_yield_spread_matches_the_random_walk() -> None:
    spec = MonteCarloSpec(n_paths=20_000, horizon_days=252, shocks=NormalShocks(0.0008))
    result = simulate(spec)
    yields = np.array(result.terminal_yield_quantiles)
    expected = stats.norm(0.047, 0.0008 * math.sqrt(252)).ppf(result.outcome("tlt").quantile_levels)
    np.testing.assert_allclose(yields, expected, atol=0.0006)


def test_funds_lose_to_volatility_drag() -> None:
    """Same mean yield change, more volatility: TMF's median falls (daily reset)."""
    calm = simulate(MonteCarloSpec(n_paths=20_000, shocks=NormalShocks(0.0003)))
    wild = simulate(MonteCarloSpec(n_paths=20_000, shocks=NormalShocks(0.0010)))
    assert wild.outcome("tmf").return_quantiles[4] < calm.outcome("tmf").return_quantiles[4] - 0.05


def test_summary_statistics_match_the_terminal_values() -> None:
    spec = MonteCarloSpec(n_paths=10_001, horizon_days=63, shocks=NormalShocks(0.0008))
    result = simulate(spec, keep_terminal=True)
    for outcome in result.outcomes:
        values = outcome.terminal_values
        assert values is not None
        assert values.shape == (10_001,)
        returns = np.sort(values - 1)
        tail = math.ceil(0.05 * returns.size)
        assert outcome.probability_of_loss == pytest.approx(np.mean(returns < 0), abs=0)
        assert outcome.expected_shortfall_5pct == pytest.approx(returns[:tail].mean(), rel=1e-12)
        assert outcome.return_quantiles[4] == pytest.approx(returns[5000], rel=1e-12)
    assert [o.name for o in result.outcomes] == ["tlt", "tmf", "stocks", "position", "cash"]
    no_stocks = simulate(MonteCarloSpec(n_paths=10, weights=PositionWeights(0.5, 0.5, 0, 0)))
    assert [o.name for o in no_stocks.outcomes] == ["tlt", "tmf", "position", "cash"]


def test_max_drawdown_is_at_least_the_loss() -> None:
    paths = simulate_paths(MonteCarloSpec(n_paths=5000, shocks=NormalShocks(0.0008)))
    for value, drawdown in ((k.OUT_TLT, k.OUT_DRAWDOWN_TLT), (k.OUT_TMF, k.OUT_DRAWDOWN_TMF)):
        assert np.all(paths[:, drawdown] <= np.minimum(0.0, paths[:, value] - 1.0) + 1e-15)
        assert np.all(paths[:, drawdown] >= -1.0)
    assert np.median(paths[:, k.OUT_DRAWDOWN_TMF]) < np.median(paths[:, k.OUT_DRAWDOWN_TLT])


def test_stock_correlation_with_yield_changes() -> None:
    spec = MonteCarloSpec(
        n_paths=50_000,
        horizon_days=1,
        stocks=StockModel(annual_return=0.0, annual_vol=0.16, correlation_with_yield_changes=0.5),
    )
    paths = simulate_paths(spec)
    correlation = np.corrcoef(paths[:, k.OUT_YIELD], paths[:, k.OUT_STOCKS])[0, 1]
    assert correlation == pytest.approx(0.5, abs=0.02)
    assert (paths[:, k.OUT_STOCKS] - 1).std() == pytest.approx(0.16 / math.sqrt(252), rel=0.02)


def test_compute_kernel_matches_numpy_on_the_same_shocks() -> None:
    """The fused step against the B3 formula written in numpy, on identical shocks."""
    rng = np.random.default_rng(5)
    shocks = rng.normal(0.0, 0.0008, size=(300, 252))  # paths x days
    spec = MonteCarloSpec(
        n_paths=1,
        tlt=TreasuryFund(
            duration_years=16.0,
            convexity_years2=300.0,
            reference_yield=0.045,
            duration_follows_yield=False,
            carry_follows_yield=False,
            expense_ratio=0.0,
        ),
        cash_rate=0.04,
    )
    from bondthesis.scenarios.montecarlo.blocks import _kernel_inputs

    inputs = _kernel_inputs(spec)
    tlt = np.empty(300)
    tmf = np.empty(300)
    k.funds_from_shocks(np.ascontiguousarray(shocks.T), inputs.params, inputs.cash_path, tlt, tmf)
    index = -16.0 * shocks + 0.5 * 300.0 * shocks**2 + 0.045 / 252
    np.testing.assert_allclose(tlt, np.prod(1 + index, axis=1), rtol=1e-12)
    financing = 0.04 + TMF_FINANCING_SPREAD
    expected_tmf = np.prod(1 + 3 * index - 2 * financing * ACT_360_DAY - 0.0091 / 252, axis=1)
    np.testing.assert_allclose(tmf, expected_tmf, rtol=1e-12)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: MonteCarloSpec(n_paths=-5), "n_paths must be >= 1"),
        (lambda: MonteCarloSpec(n_paths=10, horizon_days=0), "horizon_days must be >= 1"),
        (lambda: MonteCarloSpec(n_paths=10, seed=-1), "seed must be >= 0"),
        (lambda: MonteCarloSpec(n_paths=1.5), "n_paths must be an integer"),  # type: ignore[arg-type]
        (
            lambda: MonteCarloSpec(n_paths=10, start_yield=4.7),
            "start_yield 4.7 looks like a percent.*did you mean 0.047",
        ),
        (lambda: StudentTShocks(0.001, 2.0), "degrees_of_freedom must be > 2"),
        (lambda: NormalShocks(-0.001), "daily_vol must be >= 0"),
        (lambda: PositionWeights(0.5, 0.5, 0.5, 0.0), "must sum to 1"),
        (lambda: LeveragedFund(leverage=0.5), "leverage must be >= 1"),
        (lambda: StockModel(correlation_with_yield_changes=1.5), "between -1 and 1"),
        (
            lambda: simulate_paths(MonteCarloSpec(n_paths=10), chunk_paths=1000),
            "multiple of 4096",
        ),
    ],
)
def test_bad_arguments_say_how_to_fix_them(build: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()  # type: ignore[operator]


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(
        st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False), min_size=1, max_size=60
    )
)
def test_quantiles_match_numpy(values: list[float]) -> None:
    from bondthesis.scenarios.montecarlo.results import QUANTILE_LEVELS, quantiles

    array = np.array(values)
    expected = np.quantile(array, QUANTILE_LEVELS)
    np.testing.assert_allclose(
        quantiles(np.sort(array), QUANTILE_LEVELS), expected, rtol=1e-12, atol=1e-9
    )
