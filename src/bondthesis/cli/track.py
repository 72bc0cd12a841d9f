"""``bondthesis track`` and ``bondthesis walkforward``: the thesis since the article, and traded."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

import bondthesis as bt
from bondthesis.cli._app import console, parse_date, print_result, settings
from bondthesis.research.claims import ARTICLE_AS_OF
from bondthesis.research.track import TrackResult
from bondthesis.research.walkforward import WalkForwardResult

__all__ = ["track", "walkforward"]


def _pct(value: float | None, sign: bool = True) -> str:
    if value is None or value != value:
        return "n/a"
    return f"{value:+.1%}" if sign else f"{value:.1%}"


def _number(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None or value != value else f"{value:.{digits}f}"


def _print_track(result: TrackResult) -> None:
    console.print(
        f"Since {result.since} (the article); latest data {result.evaluated_now}. "
        "Each line from its start close to its end close."
    )
    table = Table()
    for column in ("line", "kind", "from", "to", "return", "max drawdown", "trough", "now vs peak"):
        table.add_column(column, justify="right" if column not in ("line", "kind") else "left")
    for line in result.lines:
        table.add_row(
            line.name + ("*" if line.simulated else ""),
            line.kind,
            str(line.start),
            str(line.end),
            _pct(line.total_return),
            _pct(line.max_drawdown),
            str(line.max_drawdown_trough or ""),
            _pct(line.drawdown_now),
        )
    console.print(table)
    pillars = Table(title="what each pillar said then and says now (reading dates in brackets)")
    for column in ("pillar", "then", "now", "changed"):
        pillars.add_column(column)
    for row in result.pillars:
        pillars.add_row(
            row.pillar,
            f"{row.verdict_then} [{row.reading_date_then or '-'}]",
            f"{row.verdict_now} [{row.reading_date_now or '-'}]",
            "yes" if row.changed else "",
        )
    console.print(pillars)
    if result.composite_then is not None:
        console.print(
            f"composite verdict: then {result.composite_then}, now {result.composite_now}"
        )
    for note in result.notes:
        console.print(f"note: {note}")


def track(
    since: Annotated[
        str | None, typer.Option("--since", help=f"Start date (default {ARTICLE_AS_OF}).")
    ] = None,
    weights: Annotated[
        str | None, typer.Option("--weights", help='The position, e.g. "TLT=0.4,TMF=0.2,SPY=0.4".')
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """The position since the article against SPY and 60/40, and the pillars then and now."""
    start = parse_date(since, "--since") or ARTICLE_AS_OF
    result = bt.track(bt.Store(settings().store_path), start, weights)
    if as_json:
        print_result(result)
        return
    _print_track(result)


def _print_walkforward(result: WalkForwardResult) -> None:
    console.print(
        f"Scorecard rule: bond mix {result.bond_mix} when the composite is above a threshold "
        f"chosen on past data only, else {result.other_mix}; costs {result.cost_bps:g} bp, "
        f"delay {result.delay_months} month(s)."
    )
    table = Table()
    for column in ("strategy", "from", "to", "CAGR", "vol", "Sharpe", "max DD", "in bonds"):
        table.add_column(column, justify="left" if column == "strategy" else "right")
    for line in result.lines:
        table.add_row(
            line.name,
            str(line.start),
            str(line.end),
            _pct(line.cagr),
            _pct(line.volatility, False),
            _number(line.sharpe),
            _pct(line.max_drawdown),
            _pct(line.share_in_bond_mix, False),
        )
    console.print(table)
    console.print(
        f"threshold now {_number(result.threshold_now)}; composite {_number(result.composite_now)}"
        f" at {result.composite_date or 'n/a'}"
    )
    pillars = Table(title="each pillar against the next 12 months' bonds-minus-stocks return")
    columns = ("pillar", "months", "hit rate", "bal. acc.", "tau", "p (non-overl.)", "naive P&L/yr")
    for column in columns:
        pillars.add_column(column, justify="left" if column == "pillar" else "right")
    for row in result.pillars:
        pillars.add_row(
            row.pillar,
            str(row.n_months),
            _pct(row.hit_rate, False),
            _pct(row.balanced_accuracy, False),
            _number(row.kendall_tau),
            f"{_number(row.kendall_p_value, 3)} (n={row.n_nonoverlapping})",
            _pct(row.naive_annual_return),
        )
    console.print(pillars)
    for note in result.notes:
        console.print(f"note: {note}")


def walkforward(
    cost_bps: Annotated[
        float, typer.Option("--cost-bps", help="Cost in bp of the weights traded at a switch.")
    ] = 5.0,
    delay_months: Annotated[
        int, typer.Option("--delay-months", help="Extra months between signal and trade.")
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """The scorecard as an allocation rule, walked forward, and each pillar's statistics."""
    store = bt.Store(settings().store_path)
    result = bt.walkforward(store, cost_bps=cost_bps, delay_months=delay_months)
    if as_json:
        print_result(result)
        return
    _print_walkforward(result)
