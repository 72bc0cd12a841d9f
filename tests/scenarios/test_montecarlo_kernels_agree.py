"""The fast kernel for drawn shocks equals the general kernel, bit for bit, on any spec.

``_drawn.simulate_drawn_block`` (shocks drawn 32 days ahead, the day step in LLVM IR with paths
held in vector registers, constant duration and carry folded when they do not follow the yield)
must give every path the bits of ``_kernels.simulate_block``, the plain numba kernel that handles
every model. Hypothesis varies the funds, the mix, the shock model, the drift and the horizon
(across the 32-day chunk boundary), with and without the stock stream.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.scenarios.montecarlo import (
    LeveragedFund,
    MonteCarloSpec,
    NormalShocks,
    PositionWeights,
    StockModel,
    StudentTShocks,
    TreasuryFund,
)
from bondthesis.scenarios.montecarlo.blocks import _kernel_inputs, block_states

N_PATHS = 300  # one partial group of 256 lanes and a second one


def _both_kernels(spec: MonteCarloSpec) -> tuple[np.ndarray, np.ndarray]:
    from bondthesis.scenarios._drawn import simulate_drawn_block
    from bondthesis.scenarios._kernels import simulate_block

    inputs = _kernel_inputs(spec)
    state = block_states(spec.seed, 0, 1)[0]
    fast = np.full((spec.n_paths, 10), np.nan)
    plain = np.full((spec.n_paths, 10), np.nan)
    simulate_drawn_block(
        inputs.model,
        state,
        0,
        spec.n_paths,
        spec.horizon_days,
        inputs.params,
        inputs.cash_path,
        inputs.simulate_stocks,
        fast,
    )
    simulate_block(
        inputs.model,
        state,
        0,
        spec.n_paths,
        spec.horizon_days,
        inputs.params,
        inputs.cash_path,
        inputs.history_long,
        inputs.history_short,
        inputs.history_stock,
        inputs.block_days,
        inputs.simulate_stocks,
        plain,
    )
    return fast, plain


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(a.view(np.uint64), b.view(np.uint64)))


@st.composite
def _specs(draw: st.DrawFn) -> MonteCarloSpec:
    student = draw(st.booleans())
    vol = draw(st.sampled_from([0.0, 0.0005, 0.0008, 0.004, 0.012]))
    shocks = (
        StudentTShocks(daily_vol=vol, degrees_of_freedom=draw(st.sampled_from([3.0, 4.0, 8.0])))
        if student
        else NormalShocks(daily_vol=vol)
    )
    holds_stocks = draw(st.booleans())
    stock_model = draw(st.sampled_from([None, StockModel(), StockModel(0.05, 0.25, -0.3)]))
    if holds_stocks and stock_model is None:
        stock_model = StockModel()
    w_stocks = 0.3 if holds_stocks else 0.0
    target = draw(st.sampled_from([None, 0.03, 0.06]))
    return MonteCarloSpec(
        n_paths=N_PATHS,
        horizon_days=draw(st.sampled_from([1, 31, 32, 33, 70])),
        shocks=shocks,
        start_yield=draw(st.sampled_from([0.047, 0.02, 0.0])),
        target_yield=target,
        reversion_per_year=draw(st.sampled_from([0.0, 1.0, 5.0])),
        cash_rate=draw(st.sampled_from([0.0, 0.037])),
        cash_target=draw(st.sampled_from([None, 0.02])),
        tlt=TreasuryFund(
            duration_years=draw(st.sampled_from([16.0, 16.5, 7.5])),
            convexity_years2=draw(st.sampled_from([300.0, 0.0, 90.0])),
            reference_yield=draw(st.sampled_from([0.045, 0.047, 0.0])),
            duration_follows_yield=draw(st.booleans()),
            carry_follows_yield=draw(st.booleans()),
            expense_ratio=draw(st.sampled_from([0.0, 0.0015])),
        ),
        tmf=LeveragedFund(
            leverage=draw(st.sampled_from([1.0, 3.0])),
            expense_ratio=draw(st.sampled_from([0.0, 0.0091])),
            financing_spread=draw(st.sampled_from([0.0, 0.0047])),
        ),
        stocks=stock_model,
        weights=PositionWeights(tlt=0.4, tmf=0.2, stocks=w_stocks, cash=0.4 - w_stocks),
        seed=draw(st.integers(0, 2**32)),
    )


@settings(max_examples=60, deadline=None)
@given(_specs())
def test_fast_kernel_equals_the_plain_kernel(spec: MonteCarloSpec) -> None:
    fast, plain = _both_kernels(spec)
    assert _same_bits(fast, plain)


def test_the_b3_spec_with_fixed_duration_and_carry() -> None:
    """B3's model (duration and carry fixed, no TLT fee): the folded step, bit for bit."""
    spec = MonteCarloSpec(
        n_paths=N_PATHS,
        horizon_days=252,
        shocks=NormalShocks(0.0008),
        start_yield=0.045,
        cash_rate=0.04,
        tlt=TreasuryFund(16.0, 300.0, 0.045, False, False, 0.0),
        tmf=LeveragedFund(3.0, 0.0091, 0.0),
        stocks=None,
        weights=PositionWeights(tlt=0.5, tmf=0.5, stocks=0.0, cash=0.0),
        seed=7,
    )
    for variant in (spec, dataclasses.replace(spec, stocks=StockModel())):
        fast, plain = _both_kernels(variant)
        assert _same_bits(fast, plain)


def test_a_wiped_out_fund_keeps_its_bits() -> None:
    """40bp-a-day Student-t shocks wipe TMF out on some paths (a factor floored at 0)."""
    spec = MonteCarloSpec(
        n_paths=N_PATHS,
        horizon_days=252,
        shocks=StudentTShocks(daily_vol=0.012, degrees_of_freedom=3.0),
        tlt=TreasuryFund(duration_follows_yield=False, carry_follows_yield=False),
        seed=3,
    )
    fast, plain = _both_kernels(spec)
    assert np.any(fast[:, 2] == 0.0)  # TMF at zero on some path: the floor was exercised
    assert _same_bits(fast, plain)
