"""Fund command: ``fund TLT|TMF`` — calendar-year returns, simulated against real."""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from bondthesis.cli._app import app, console, fail, print_json, settings
from bondthesis.data.store import Store
from bondthesis.funds.fit import FitStatistics
from bondthesis.funds.history import FUNDS, FundSimulation, load_fund_inputs, simulate_fund


def _start_year(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text) if len(text) == 4 else date.fromisoformat(text).year
    except ValueError:
        fail(f"--start {text!r} is not a year or a date; write e.g. --start 2000 or 2000-01-01")


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


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def fund_document(simulation: FundSimulation, start_year: int | None) -> dict[str, Any]:
    """The JSON document of ``bondthesis fund`` (also what a JSON API would return)."""
    annual = simulation.annual
    if start_year is not None:
        annual = annual[annual.index >= start_year]
    rows = [
        {
            "year": int(str(year)),
            "simulated": _number(row["simulated"]),
            "actual": _number(row["actual"]),
            "spliced_from_simulation": bool(row["spliced_from_simulation"]),
            "label": row["label"],
            "partial": bool(row["partial"]),
            "simulated_end": None if pd.isna(row["simulated_end"]) else row["simulated_end"].date(),
            "actual_end": None if pd.isna(row["actual_end"]) else row["actual_end"].date(),
        }
        for year, row in annual.iterrows()
    ]
    fund = simulation.fund
    return {
        "fund": simulation.spec.ticker,
        "title": simulation.spec.title,
        "annual": rows,
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
            "cash_rate": (
                "DGS1MO daily from 2001-07-31, DGS3MO from 1981-09, TB3MS monthly before (decimals)"
            ),
            "day_counts": "financing ACT/360, fee ACT/365",
        },
    }


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:+.1f}%"


@app.command()
def fund(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(sorted(FUNDS))}.")],
    start: Annotated[
        str | None, typer.Option("--start", help="First year shown (2000 or 2000-01-01).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Calendar-year returns of a fund, simulated since 1962 against the real fund."""
    key = name.strip().upper()
    if key not in FUNDS:
        fail(f"unknown fund {name!r}; known funds: {', '.join(sorted(FUNDS))}")
    start_year = _start_year(start)
    store = Store(settings().store_path)
    inputs = load_fund_inputs(store)  # CacheMiss: exit 2 saying what to refresh, like the rest
    simulation = simulate_fund(key, inputs)
    document = fund_document(simulation, start_year)
    if as_json:
        print_json(document)
        return
    console.print(f"{key} calendar-year total returns; * = simulated (the fund did not exist)")
    table = Table()
    for column in ("year", "simulated", "actual", "difference"):
        table.add_column(column, justify="right")
    for row in document["annual"]:
        actual, simulated = row["actual"], row["simulated"]
        difference = "" if actual is None or simulated is None else _percent(simulated - actual)
        marker = "*" if row["spliced_from_simulation"] else " "
        simulated_text = _percent(simulated)
        if actual is not None and row["simulated_end"] != row["actual_end"]:
            # The two run to different dates: say so rather than difference them.
            simulated_text += f" (to {row['simulated_end']:%m-%d})"
            difference = ""
        table.add_row(f"{row['label']}{marker}", simulated_text, _percent(actual), difference)
    console.print(table)
    console.print("maximum drawdowns (peak → trough, recovered):")
    for dd in document["drawdowns"]:
        recovered = dd["recovery"] or f"not by {dd['end']}"
        console.print(
            f"  {dd['label']}: {dd['depth']:.1%} ({dd['peak']} → {dd['trough']}, recovered "
            f"{recovered})"
        )
    for label, stats in document["fit"].items():
        if stats is None:
            continue
        console.print(
            f"{label} {stats['start']}..{stats['end']}: daily correlation "
            f"{stats['daily_correlation']:.3f}, tracking error {stats['tracking_error']:.2%}/yr, "
            f"mean |annual difference| {stats['annual_mean_abs_difference']:.2%} over "
            f"{stats['n_years']} years (mean {stats['annual_mean_difference']:+.2%})"
        )
    params = document["params"]
    calibrated = f" (calibrated to {params['fit_end']})" if params["spread_calibrated"] else ""
    console.print(
        f"params: leverage {params['leverage']:g}, expense ratio {params['expense_ratio']:.2%}, "
        f"financing spread {params['financing_spread']:.2%}{calibrated}; "
        f"underlying: {params['underlying']}"
    )
