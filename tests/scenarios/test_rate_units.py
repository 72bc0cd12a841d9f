"""Issue 10, defect 8: a rate of 1 or more is refused with the decimal it probably meant."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bondthesis.scenarios.montecarlo import LeveragedFund, MonteCarloSpec, StockModel
from bondthesis.scenarios.paths import FundTerms
from bondthesis.units import check_decimal_rate


@given(st.floats(1.0, 1e6) | st.floats(-1e6, -1.0))
def test_percents_are_refused_with_the_decimal_meant(value: float) -> None:
    with pytest.raises(ValueError, match=f"did you mean {value / 100:g}"):
        check_decimal_rate(value, "rate")


@given(st.floats(-0.999, 0.999))
def test_decimals_pass_unchanged(value: float) -> None:
    assert check_decimal_rate(value, "rate") == value


@pytest.mark.parametrize(
    "build",
    [
        lambda: MonteCarloSpec(n_paths=10, target_yield=4.0),
        lambda: MonteCarloSpec(n_paths=10, cash_rate=3.7),
        lambda: StockModel(annual_return=7.0),
        lambda: LeveragedFund(financing_spread=47.0),
        lambda: FundTerms(financing_spread=47.0),
    ],
)
def test_every_rate_option_checks_its_unit(build: object) -> None:
    with pytest.raises(ValueError, match="looks like a percent"):
        build()  # type: ignore[operator]
