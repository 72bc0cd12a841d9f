"""A fund's calendar-year returns, simulated against real: the ``fund`` task of the front door."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from bondthesis.data.store import Store
from bondthesis.funds.fit import FitStatistics
from bondthesis.funds.history import FundSimulation, get_fund, load_fund_inputs, simulate_fund
from bondthesis.serialize import Serializable, to_jsonable

__all__ = ["FundReport", "fund"]

CASH_RATE_TEXT = (
    "DGS1MO daily from 2001-07-31, DGS3MO from 1981-09, TB3MS monthly before (decimals)"
)
DAY_COUNT_TEXT = "financing ACT/360, fee ACT/365"


def _stats(stats: FitStatistics | None) -> dict[str, Any] | None:
    if stats is None:
        return None
    return {
        "start": stats.start.date(),
        "end": stats.end.date(),
        "n_days": stats.n_days,
        "daily_correlation": stats.daily_correlation,
        "tracking_error": stats.tracking_error,
        "annual_mean_abs_difference": stats.annual_mean_abs_difference,
        "annual_mean_difference": stats.annual_mean_difference,
        "n_years": stats.n_years,
    }


def _day(value: Any) -> date | None:
    return None if pd.isna(value) else value.date()


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


@dataclass(frozen=True, eq=False)
class FundReport(Serializable):
    """The fund simulated since 1962 and compared with the real one; years from ``start_year``."""

    simulation: FundSimulation
    start_year: int | None = None

    def annual_rows(self) -> list[dict[str, Any]]:
        """Calendar years from ``start_year``: simulated, actual (None before the fund), whether
        the spliced history is simulated that year, and where a partial year ends on each side
        (``label`` says it, e.g. ``2026 (to 07-31)``)."""
        annual = self.simulation.annual
        if self.start_year is not None:
            annual = annual[annual.index >= self.start_year]
        return [
            {
                "year": int(str(year)),
                "simulated": _number(row["simulated"]),
                "actual": _number(row["actual"]),
                "spliced_from_simulation": bool(row["spliced_from_simulation"]),
                "label": row["label"],
                "partial": bool(row["partial"]),
                "simulated_end": _day(row["simulated_end"]),
                "actual_end": _day(row["actual_end"]),
            }
            for year, row in annual.iterrows()
        ]

    def differences(self) -> list[float | None]:
        """Simulated minus actual return, per row of :meth:`annual_rows`.

        None without both, and None when the two run to different days (a partial year whose
        simulation stops before the real fund's last price): subtracting them would compare
        different periods.
        """
        return [
            None
            if r["simulated"] is None
            or r["actual"] is None
            or r["simulated_end"] != r["actual_end"]
            else r["simulated"] - r["actual"]
            for r in self.annual_rows()
        ]

    def to_dict(self) -> dict[str, Any]:
        """Fund, title, calendar years, maximum drawdowns, the fit in and out of sample, and the
        parameters."""
        simulation = self.simulation
        fund = simulation.fund
        document = {
            "fund": simulation.spec.ticker,
            "title": simulation.spec.title,
            "annual": self.annual_rows(),
            "drawdowns": [d.to_dict() for d in simulation.drawdowns],
            "fit": {
                "in_sample": _stats(simulation.in_sample),
                "holdout": _stats(simulation.holdout),
            },
            "params": {
                "leverage": fund.leverage,
                "expense_ratio": fund.expense_ratio,
                "financing_spread": fund.spread,
                "spread_calibrated": simulation.spec.fit_end is not None,
                "fit_end": simulation.spec.fit_end,
                "underlying": simulation.underlying,
                "cash_rate": CASH_RATE_TEXT,
                "day_counts": DAY_COUNT_TEXT,
            },
        }
        result: dict[str, Any] = to_jsonable(document)
        return result


def fund(store: Store, name: str, start: int | date | None = None) -> FundReport:
    """Calendar-year returns of ``name`` (TLT or TMF) simulated since 1962 against the real fund.

    ``start`` (a year or a date) only trims the years shown; the simulation always runs on the
    whole curve.

    Raises
    ------
    ValueError
        Unknown fund (the message lists the known ones).
    CacheMiss
        The store lacks the yields the simulation needs (the message says what to refresh).
    """
    spec = get_fund(name)
    start_year = start.year if isinstance(start, date) else start
    simulation = simulate_fund(spec.ticker, load_fund_inputs(store))
    return FundReport(simulation, start_year)
