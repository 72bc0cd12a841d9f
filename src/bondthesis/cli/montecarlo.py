"""``bondthesis montecarlo``: what TLT, TMF, stocks and the held mix could do over a horizon."""

from __future__ import annotations

import re
from typing import Annotated, Any

import typer
from rich.table import Table

from bondthesis.cli._app import app, console, fail, print_json, settings
from bondthesis.config import Settings
from bondthesis.data.store import Store
from bondthesis.errors import CacheMiss, StoreError
from bondthesis.funds.leveraged import TMF_FINANCING_SPREAD
from bondthesis.scenarios.market_start import market_start, starting_point
from bondthesis.scenarios.montecarlo import (
    BlockBootstrap,
    BootstrapHistory,
    LeveragedFund,
    MonteCarloResult,
    MonteCarloSpec,
    NormalShocks,
    PositionWeights,
    StockModel,
    StudentTShocks,
    TreasuryFund,
    bootstrap_history,
    simulate,
)

_MODEL = re.compile(r"^(normal|t|bootstrap)(?::(\d{4})-(\d{4}))?$")
_MAX_PATHS = 20_000_000  # 80 bytes of results per path: 1.6 GB


def load_bootstrap_history(config: Settings, first_year: int, last_year: int) -> BootstrapHistory:
    """DGS30, DGS3MO and SPY from the store, as aligned daily changes for the bootstrap.

    The one place this command reads data; tests replace it. DGS30 is required; without DGS3MO
    the short rate does not move, without SPY stocks use the parametric model.
    """
    from bondthesis.data.store import Store

    store = Store(config.store_path)
    try:
        long_yield = store.read_series("DGS30") / 100.0
    except (CacheMiss, StoreError) as exc:
        fail(f"the bootstrap needs DGS30 in the store ({exc}); run `bondthesis refresh` first")
    optional: dict[str, Any] = {}
    for key, name, scale in (("DGS3MO", "short_rate", 100.0), ("SPY", "stock_price", 1.0)):
        try:
            optional[name] = store.read_series(key) / scale
        except CacheMiss:
            optional[name] = None
    return bootstrap_history(
        long_yield,
        short_rate=optional["short_rate"],
        stock_price=optional["stock_price"],
        start=first_year,
        end=last_year,
    )


def _shocks(model: str, vol_bp: float, dof: float, block_days: int) -> Any:
    match = _MODEL.match(model.strip().lower())
    if match is None:
        fail(f"--model {model!r} is unknown; use normal, t, or bootstrap:FIRST-LAST (years)")
    kind, first, last = match.groups()
    if kind != "bootstrap":
        if first is not None:
            fail(f"--model {model!r}: only bootstrap takes a period, e.g. bootstrap:1990-2025")
        if kind == "normal":
            return NormalShocks(daily_vol=vol_bp / 1e4)
        return StudentTShocks(daily_vol=vol_bp / 1e4, degrees_of_freedom=dof)
    first_year = int(first) if first else 1900
    last_year = int(last) if last else 2999
    if first_year > last_year:
        fail(f"--model {model!r}: the period runs backwards; write bootstrap:1990-2025")
    history = load_bootstrap_history(settings(), first_year, last_year)
    return BlockBootstrap(history, block_days=block_days)


def _weights(text: str) -> PositionWeights:
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        fail(f"--weights {text!r}: give four numbers tlt,tmf,stocks,cash, e.g. 0.4,0.2,0.3,0.1")
    if len(values) != 4:
        fail(f"--weights {text!r}: give four numbers tlt,tmf,stocks,cash, e.g. 0.4,0.2,0.3,0.1")
    return PositionWeights(*values)


def _weights_from(
    text: str, tlt: float | None, tmf: float | None, stocks: float | None, cash: float | None
) -> PositionWeights:
    """``--weights``, with any of ``--tlt --tmf --stocks --cash`` (scenario's names) over it."""
    base = _weights(text)
    return PositionWeights(
        tlt=base.tlt if tlt is None else tlt,
        tmf=base.tmf if tmf is None else tmf,
        stocks=base.stocks if stocks is None else stocks,
        cash=base.cash if cash is None else cash,
    )


def _percent(value: float) -> str:
    return f"{value * 100:+.1f}%"


def _document(result: MonteCarloResult, model: str) -> dict[str, Any]:
    spec = result.spec
    period = result.bootstrap_period
    return {
        "model": model,
        "paths": spec.n_paths,
        "days": spec.horizon_days,
        "seed": spec.seed,
        "start_yield": spec.start_yield,
        "target_yield": spec.target_yield,
        "cash_rate": spec.cash_rate,
        "weights": {
            "tlt": spec.weights.tlt,
            "tmf": spec.weights.tmf,
            "stocks": spec.weights.stocks,
            "cash": spec.weights.cash,
        },
        "bootstrap_period": list(period) if period else None,
        "terminal_yield_quantiles": {
            f"p{round(q * 100):02d}": v
            for q, v in zip(
                result.outcomes[0].quantile_levels, result.terminal_yield_quantiles, strict=True
            )
        },
        "outcomes": {o.name: o.to_dict() for o in result.outcomes},
    }


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


@app.command()
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
    leverage: Annotated[float, typer.Option("--leverage", help="TMF-like leverage.")] = 3.0,
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
    if paths < 1 or paths > _MAX_PATHS:
        fail(f"--paths must be between 1 and {_MAX_PATHS:,}, got {paths}; e.g. --paths 100000")
    if days < 1:
        fail(f"--days must be at least 1, got {days}; e.g. --days 252 for a year")
    if seed < 0:
        fail(f"--seed must be >= 0, got {seed}")
    market = None
    if None in (start_yield, duration, convexity, cash_rate):
        try:
            market = market_start(Store(settings().store_path))
        except CacheMiss:
            market = None  # no curve stored: the fixed defaults, said so below
    start = starting_point(
        market,
        start_yield=start_yield,
        duration_years=duration,
        convexity_years2=convexity,
        cash_rate=cash_rate,
    )
    try:
        shocks = _shocks(model, vol_bp, dof, block_days)
        spec = MonteCarloSpec(
            n_paths=paths,
            horizon_days=days,
            shocks=shocks,
            start_yield=start.start_yield,
            target_yield=target_yield,
            reversion_per_year=reversion,
            cash_rate=start.cash_rate,
            cash_target=cash_target,
            tlt=TreasuryFund(
                duration_years=start.duration_years,
                convexity_years2=start.convexity_years2,
                reference_yield=start.start_yield,
            ),
            tmf=LeveragedFund(leverage=leverage, financing_spread=financing_spread),
            stocks=StockModel(stock_return, stock_vol, stock_correlation),
            weights=_weights_from(weights, tlt, tmf, stocks, cash),
            seed=seed,
        )
        result = simulate(spec, client=scheduler)
    except ValueError as exc:
        fail(str(exc))
    except OSError as exc:  # includes timeouts: the scheduler is down or the address is wrong
        fail(f"cannot reach the Dask scheduler at {scheduler}: {exc}; is it running?", code=1)
    if as_json:
        print_json({**_document(result, model), "start": start.to_dict()})
        return
    console.print(_table(result))
    console.print(start.description)
    levels = result.outcomes[0].quantile_levels
    yields = dict(zip(levels, result.terminal_yield_quantiles, strict=True))
    console.print(
        f"long yield after {days} days: p5 {yields[0.05] * 100:.2f}%, median "
        f"{yields[0.5] * 100:.2f}%, p95 {yields[0.95] * 100:.2f}% "
        f"(from {start.start_yield * 100:.2f}%)"
    )
    if result.bootstrap_period is not None:
        first, last = result.bootstrap_period
        console.print(f"bootstrap of daily changes {first}..{last} in {block_days}-day blocks")
