"""The payoff curve: TLT and TMF across parallel shifts, instantly and over a horizon.

Each point is one :func:`~bondthesis.scenarios.paths.run_scenario` (full repricing of the ladder,
TMF's daily reset, financing at the bill rate); the curve shows the asymmetry the article sells
(convexity for TLT, path and financing drag for TMF) on one chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from bondthesis.scenarios.ladder_inputs import CurveShock, LadderHoldings, YieldCurve
from bondthesis.scenarios.paths import FundTerms, run_scenario
from bondthesis.serialize import Serializable

__all__ = ["DEFAULT_PAYOFF_SHIFTS_BP", "PayoffCurve", "payoff_curve"]

DEFAULT_PAYOFF_SHIFTS_BP: tuple[int, ...] = tuple(range(-300, 301, 25))


@dataclass(frozen=True)
class PayoffCurve(Serializable):
    """Total returns (decimals) of TLT and TMF for each shift, instantly and over the horizon."""

    shifts_bp: tuple[int, ...]
    horizon_months: float
    tlt_instant: tuple[float, ...]
    tmf_instant: tuple[float, ...]
    tlt_horizon: tuple[float, ...]
    tmf_horizon: tuple[float, ...]


def payoff_curve(
    ladder: LadderHoldings,
    curve: YieldCurve,
    *,
    cash_rate: float,
    shifts_bp: tuple[int, ...] = DEFAULT_PAYOFF_SHIFTS_BP,
    horizon_months: float = 12.0,
    terms: FundTerms | None = None,
) -> PayoffCurve:
    """TLT's and TMF's total return for each parallel shift in ``shifts_bp``.

    Instantly (price only, no carry) and spread evenly over ``horizon_months`` (with income, fees
    and TMF's financing at ``cash_rate``).
    """
    values: dict[str, list[float]] = {k: [] for k in ("ti", "mi", "th", "mh")}
    for shift in shifts_bp:
        shock = CurveShock(float(shift))
        now = run_scenario(ladder, curve, shock, 0.0, cash_rate=cash_rate, terms=terms)
        later = run_scenario(
            ladder, curve, shock, horizon_months / 12.0, cash_rate=cash_rate, terms=terms
        )
        values["ti"].append(now.row("TLT").total_return)
        values["mi"].append(now.row("TMF").total_return)
        values["th"].append(later.row("TLT").total_return)
        values["mh"].append(later.row("TMF").total_return)
    return PayoffCurve(
        shifts_bp=tuple(shifts_bp),
        horizon_months=horizon_months,
        tlt_instant=tuple(values["ti"]),
        tmf_instant=tuple(values["mi"]),
        tlt_horizon=tuple(values["th"]),
        tmf_horizon=tuple(values["mh"]),
    )
