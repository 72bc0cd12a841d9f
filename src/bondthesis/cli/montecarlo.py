"""``bondthesis montecarlo``: what TLT, TMF, stocks and the held mix could do over a horizon."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

import bondthesis as bt
from bondthesis.cli._app import console, fail, print_result, settings
from bondthesis.errors import CacheMiss
from bondthesis.funds.terms import TMF_FINANCING_SPREAD, TMF_LEVERAGE
from bondthesis.scenarios.montecarlo_run import MAX_PATHS, parse_model

if TYPE_CHECKING:
    from bondthesis.scenarios.montecarlo import MonteCarloResult


def _weights(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        fail(f"--weights {text!r}: give four numbers tlt,tmf,stocks,cash, e.g. 0.4,0.2,0.3,0.1")
    if len(values) != 4:
        fail(f"--weights {text!r}: give four numbers tlt,tmf,stocks,cash, e.g. 0.4,0.2,0.3,0.1")
    return values


def _percent(value: float) -> str:
    return f"{value * 100:+.1f}%"


def _table(result: MonteCarloResult) -> Table:
    spec = result.spec
    title = f"{spec.n_paths:,} paths x {spec.horizon_days} days, seed {spec.seed}"
    table = Table(title=title, title_justify="left")
    for column in (
        "",
        "p5",
        "p25",
        "median",
        "p75",
        "p95",
        "mean",
        "P(loss)",
        "P(beats stocks)",
        "ES 5%",
        "median max DD",
    ):
        table.add_column(column, justify="left" if column == "" else "right")
    for o in result.outcomes:
        q = dict(zip(o.quantile_levels, o.return_quantiles, strict=True))
        table.add_row(
            o.name,
            *(_percent(q[level]) for level in (0.05, 0.25, 0.5, 0.75, 0.95)),
            _percent(o.mean_return),
            f"{o.probability_of_loss * 100:.1f}%",
            "" if o.probability_beats_stocks is None else f"{o.probability_beats_stocks:.1%}",
            _percent(o.expected_shortfall_5pct),
            _percent(o.max_drawdown_median),
        )
    return table


def montecarlo(
    paths: Annotated[int, typer.Option("--paths", help="Number of paths.")] = 100_000,
    days: Annotated[int, typer.Option("--days", help="Trading days per path.")] = 252,
    model: Annotated[
        str, typer.Option("--model", help="normal, t, or bootstrap:FIRST-LAST (years).")
    ] = "normal",
    seed: Annotated[int, typer.Option("--seed", help="Random seed (>= 0).")] = 0,
    start_yield: Annotated[
        float | None,
        typer.Option("--start-yield", help="Long yield on day 0, decimal (default: the store's)."),
    ] = None,
    vol_bp: Annotated[
        float, typer.Option("--vol-bp", help="Daily yield volatility in bp (normal, t).")
    ] = 5.5,
    dof: Annotated[float, typer.Option("--dof", help="Student-t degrees of freedom.")] = 4.0,
    block_days: Annotated[int, typer.Option("--block-days", help="Bootstrap block length.")] = 21,
    target_yield: Annotated[
        float | None, typer.Option("--target-yield", help="Yield the path drifts toward.")
    ] = None,
    reversion: Annotated[
        float, typer.Option("--reversion", help="Speed of that drift, per year.")
    ] = 1.0,
    cash_rate: Annotated[
        float | None,
        typer.Option("--cash-rate", help="Bill rate on day 0, decimal (default: the store's)."),
    ] = None,
    cash_target: Annotated[
        float | None, typer.Option("--cash-target", help="Short rate it drifts toward.")
    ] = None,
    leverage: Annotated[
        float, typer.Option("--leverage", help="TMF-like leverage.")
    ] = TMF_LEVERAGE,
    financing_spread: Annotated[
        float,
        typer.Option(
            "--financing-spread",
            help="TMF's financing cost over the short rate, decimal a year (fitted: 0.0047).",
        ),
    ] = TMF_FINANCING_SPREAD,
    duration: Annotated[
        float | None,
        typer.Option("--duration", help="TLT-like duration, years (default: the store's ladder)."),
    ] = None,
    convexity: Annotated[
        float | None,
        typer.Option("--convexity", help="TLT-like convexity, years² (default: the ladder's)."),
    ] = None,
    weights: Annotated[
        str, typer.Option("--weights", help="Held mix tlt,tmf,stocks,cash.")
    ] = "0.4,0.2,0.3,0.1",
    tlt: Annotated[
        float | None,
        typer.Option("--tlt", help="Weight in TLT (wins over --weights)."),
    ] = None,
    tmf: Annotated[float | None, typer.Option("--tmf", help="Weight in TMF.")] = None,
    stocks: Annotated[float | None, typer.Option("--stocks", help="Weight in stocks.")] = None,
    cash: Annotated[float | None, typer.Option("--cash", help="Weight in cash.")] = None,
    stock_return: Annotated[
        float, typer.Option("--stock-return", help="Stocks' expected return a year.")
    ] = 0.07,
    stock_vol: Annotated[float, typer.Option("--stock-vol", help="Stocks' volatility.")] = 0.18,
    stock_correlation: Annotated[
        float,
        typer.Option("--stock-correlation", help="Correlation of stock returns with dy."),
    ] = 0.17,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Monte Carlo of TLT, TMF, stocks and the held mix; same arguments, same numbers."""
    if paths < 1 or paths > MAX_PATHS:
        fail(f"--paths must be between 1 and {MAX_PATHS:,}, got {paths}; e.g. --paths 100000")
    if days < 1:
        fail(f"--days must be at least 1, got {days}; e.g. --days 252 for a year")
    if seed < 0:
        fail(f"--seed must be >= 0, got {seed}")
    try:
        parse_model(model, "--model")
        report = bt.montecarlo(
            store=bt.Store(settings().store_path),
            model=model,
            paths=paths,
            days=days,
            seed=seed,
            start_yield=start_yield,
            vol_bp=vol_bp,
            dof=dof,
            block_days=block_days,
            target_yield=target_yield,
            reversion=reversion,
            cash_rate=cash_rate,
            cash_target=cash_target,
            leverage=leverage,
            financing_spread=financing_spread,
            duration=duration,
            convexity=convexity,
            weights=_weights(weights),
            tlt=tlt,
            tmf=tmf,
            stocks=stocks,
            cash=cash,
            stock_return=stock_return,
            stock_vol=stock_vol,
            stock_correlation=stock_correlation,
            scheduler=scheduler,
        )
    except (ValueError, CacheMiss) as exc:
        fail(str(exc))
    except OSError as exc:  # includes timeouts: the scheduler is down or the address is wrong
        fail(f"cannot reach the Dask scheduler at {scheduler}: {exc}; is it running?", code=1)
    if as_json:
        print_result(report)
        return
    result = report.result
    console.print(_table(result))
    if report.start is not None:
        console.print(report.start.description)
    levels = result.outcomes[0].quantile_levels
    yields = dict(zip(levels, result.terminal_yield_quantiles, strict=True))
    console.print(
        f"long yield after {days} days: p5 {yields[0.05] * 100:.2f}%, median "
        f"{yields[0.5] * 100:.2f}%, p95 {yields[0.95] * 100:.2f}% "
        f"(from {result.spec.start_yield * 100:.2f}%)"
    )
    if result.bootstrap_period is not None:
        first, last = result.bootstrap_period
        console.print(f"bootstrap of daily changes {first}..{last} in {block_days}-day blocks")
