"""Fund command: ``fund TLT|TMF`` — calendar-year returns, simulated against real."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

import bondthesis as bt
from bondthesis.cli._app import console, fail, print_result, settings
from bondthesis.funds.history import FUNDS


def _start_year(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text) if len(text) == 4 else date.fromisoformat(text).year
    except ValueError:
        fail(f"--start {text!r} is not a year or a date; write e.g. --start 2000 or 2000-01-01")


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:+.1f}%"


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
    # CacheMiss propagates: bondthesis.cli.main prints it on one line and exits 2.
    report = bt.fund(bt.Store(settings().store_path), key, start_year)
    if as_json:
        print_result(report)
        return
    document = report.to_dict()
    console.print(f"{key} calendar-year total returns; * = simulated (the fund did not exist)")
    table = Table()
    for column in ("year", "simulated", "actual", "difference"):
        table.add_column(column, justify="right")
    for row, gap in zip(document["annual"], report.differences(), strict=True):
        actual, simulated = row["actual"], row["simulated"]
        difference = "" if gap is None else _percent(gap)
        marker = "*" if row["spliced_from_simulation"] else " "
        simulated_text = _percent(simulated)
        ends = row["simulated_end"], row["actual_end"]
        if actual is not None and ends[0] is not None and ends[0] != ends[1]:
            # The two run to different days: say where the simulation stops (no difference).
            simulated_text += f" (to {row['simulated_end'][5:]})"
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
