"""``bondthesis backtest``: a portfolio or a preset over the spliced history; parse, call, print."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

import bondthesis as bt
from bondthesis.backtesting.engine import BacktestResult
from bondthesis.backtesting.presets import PRESETS
from bondthesis.backtesting.stress import StressResult, stress_test
from bondthesis.cli._app import console, fail, parse_date, print_result, settings

__all__ = ["backtest"]

YEARS_PER_LINE = 6


def _pct(value: float | None, sign: bool = False) -> str:
    if value is None or value != value:
        return "n/a"
    return f"{value:+.1%}" if sign else f"{value:.1%}"


def _print(result: BacktestResult) -> None:
    m = result.metrics
    weights = ", ".join(f"{t} {w:.0%}" for t, w in result.portfolio.items())
    title = f"preset {result.preset}: " if result.preset else ""
    console.print(
        f"{title}{weights}; rebalance {result.rebalance}, costs {result.cost_bps:g} bp, "
        f"{m.start}..{m.end} ({m.years:.1f} years)"
    )
    table = Table(show_header=False)
    table.add_column("figure")
    table.add_column("value", justify="right")
    recovery = (
        f"recovered {m.max_drawdown_recovery}" if m.max_drawdown_recovery else "not recovered"
    )
    rows = [
        ("CAGR", _pct(m.cagr, True)),
        ("total return", _pct(m.total_return, True)),
        ("volatility", _pct(m.volatility)),
        ("Sharpe (vs bills)", f"{m.sharpe:.2f}"),
        ("Sortino (vs bills)", f"{m.sortino:.2f}"),
        (
            "max drawdown",
            f"{_pct(m.max_drawdown)} "
            f"({m.max_drawdown_peak} -> {m.max_drawdown_trough}, {recovery})",
        ),
        ("Calmar", f"{m.calmar:.2f}"),
        ("Ulcer index", f"{m.ulcer_index:.3f}"),
        (
            "worst year",
            f"{m.worst_year} {_pct(m.worst_year_return, True)}"
            + (" (partial)" if m.worst_year_partial else ""),
        ),
        (
            "longest under water",
            f"{m.longest_under_water_days} days from {m.longest_under_water_start}"
            + ("" if m.longest_under_water_recovered else " (not recovered)"),
        ),
        ("turnover a year", f"{result.turnover_per_year:.2f} ({result.n_rebalances} rebalances)"),
        ("days with simulated history", _pct(result.simulated_share)),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    console.print("calendar years (* simulated, ~ partial):")
    cells = [
        f"{row.year}{'*' if row.simulated else ''}{'~' if row.partial else ''} "
        f"{_pct(row.value, True)}"
        for row in result.annual
    ]
    for first in range(0, len(cells), YEARS_PER_LINE):
        console.print("  " + "  ".join(f"{c:>14}" for c in cells[first : first + YEARS_PER_LINE]))
    for asset in result.assets:
        until = f"; simulated until {asset.simulated_until}" if asset.simulated_until else ""
        console.print(f"  {asset.ticker}: {asset.source}{until}")
    for note in result.notes:
        console.print(f"note: {note}")


def backtest(
    weights: Annotated[
        str | None,
        typer.Argument(
            help='Weights, e.g. "TLT=0.4,TMF=0.2,SPY=0.4" or "TLT?L=3&E=0.91=0.5,SPY=0.5".'
        ),
    ] = None,
    preset: Annotated[
        str | None, typer.Option("--preset", help=f"One of: {', '.join(PRESETS)}.")
    ] = None,
    rebalance: Annotated[
        str | None,
        typer.Option("--rebalance", help="monthly|quarterly|yearly|daily|none|band:5|relband:25."),
    ] = None,
    start: Annotated[str | None, typer.Option("--start", help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last day, YYYY-MM-DD.")] = None,
    cost_bps: Annotated[
        float, typer.Option("--cost-bps", help="Cost in bp of every amount traded.")
    ] = 0.0,
    stress: Annotated[
        bool,
        typer.Option(
            "--stress",
            help="Every preset (and your weights) over the stress windows, side by side.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Backtest a portfolio on real funds spliced with their simulations since 1962."""
    if stress:
        _stress(weights, cost_bps, as_json)
        return
    if (weights is None) == (preset is None):
        fail(
            'give weights ("TLT=0.4,TMF=0.2,SPY=0.4") or --preset article|spy|6040|hfea, '
            "one of the two"
        )
    if preset is not None and preset.strip().lower() not in PRESETS:
        fail(f"unknown preset {preset!r}; presets: {', '.join(PRESETS)}")
    first, last = parse_date(start, "--start"), parse_date(end, "--end")
    try:
        result = bt.backtest(
            bt.Store(settings().store_path),
            preset if preset is not None else str(weights),
            rebalance=rebalance,
            start=first,
            end=last,
            cost_bps=cost_bps,
        )
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        print_result(result)
        return
    _print(result)


def _stress(weights: str | None, cost_bps: float, as_json: bool) -> None:
    portfolios: dict[str, str] = {name: name for name in PRESETS}
    if weights is not None:
        portfolios = {"yours": weights, **portfolios}
    try:
        result = stress_test(bt.Store(settings().store_path), portfolios, cost_bps=cost_bps)
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        print_result(result)
        return
    _print_stress(result)


def _print_stress(result: StressResult) -> None:
    table = Table(
        title="return/max drawdown (rows marked 'a year': CAGR); * = some history simulated"
    )
    for column in ("window", "from", "to"):
        table.add_column(column, no_wrap=True)
    for label in result.portfolios:
        table.add_column(label, justify="right", no_wrap=True)
    for row in result.rows:
        cells = []
        for f in row.figures:
            gain = _pct(f.cagr if row.years > 3 else f.total_return, True)
            cells.append(f"{gain}/{_pct(f.max_drawdown)}{'*' if f.simulated else ''}")
        name = f"{row.window}, a year" if row.years > 3 else row.window
        table.add_row(name, str(row.start), str(row.end), *cells)
    console.print(table)
    for label, weights in result.portfolios.items():
        console.print(f"  {label}: " + ", ".join(f"{t} {w:.0%}" for t, w in weights.items()))
