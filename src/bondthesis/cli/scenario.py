"""``bondthesis scenario``: a yield shock for the TLT-like ladder, TMF and the position."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.table import Table

import bondthesis as bt
from bondthesis.cli._app import console, fail, parse_date, print_result, settings
from bondthesis.data.curve import LADDERS
from bondthesis.errors import CacheMiss, StoreError
from bondthesis.funds.terms import TMF_FINANCING_SPREAD
from bondthesis.scenarios.report import MAX_HORIZON_MONTHS

if TYPE_CHECKING:
    from bondthesis.scenarios.paths import ScenarioResult
    from bondthesis.scenarios.shocks import ArticleRow


def _percent(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{100.0 * value:+.{digits}f}%"


def _print_article_table(rows: tuple[ArticleRow, ...]) -> None:
    table = Table(title="TLT-like ladder, instant parallel shift, price return")
    for column in ("shift", "article", "full repricing", "-DΔy", "-DΔy+½CΔy²", "error", "bound"):
        table.add_column(column, justify="right")
    table.add_column("verdict")
    for r in rows:
        claim = (
            f"{100 * r.article_low:+.0f}% to {100 * r.article_high:+.0f}%"
            if r.article_low is not None and r.article_high is not None
            else "-"
        )
        table.add_row(
            f"{r.shift_bp:+d}bp",
            claim,
            _percent(r.full_repricing),
            _percent(r.duration_only),
            _percent(r.duration_convexity),
            _percent(r.approximation_error),
            f"{100 * r.error_bound:.2f}%",
            r.verdict,
        )
    console.print(table)


def _print_scenario(
    result: ScenarioResult, horizon_months: float, daily_noise_bp: float = 0.0
) -> None:
    table = Table(title="Returns over the scenario (income is net of fees and financing)")
    for column in ("instrument", "price return", "income", "total return"):
        table.add_column(column, justify="right" if column != "instrument" else "left")
    for row in result.rows:
        table.add_row(
            row.instrument,
            _percent(row.price_return),
            _percent(row.income),
            _percent(row.total_return),
        )
    console.print(table)
    d = result.decomposition
    parts = Table(title="TLT-like ladder by full repricing, split (gross of fee)")
    for column in ("income", "pull to par", "roll-down", "-DΔy", "½CΔy²", "residual", "total"):
        parts.add_column(column, justify="right")
    parts.add_row(
        *(
            _percent(v)
            for v in (
                d.income,
                d.pull_to_par,
                d.roll_down,
                d.duration,
                d.convexity,
                d.residual,
                d.total,
            )
        )
    )
    console.print(parts)
    console.print(
        f"duration-convexity approximation of the rate move: {_percent(d.approximation)}; "
        f"full repricing: {_percent(d.rate_move)}; error {_percent(d.residual, 3)} "
        f"(proven bound ±{100 * d.residual_bound:.3f}%)"
    )
    if horizon_months > 0 and daily_noise_bp > 0:
        console.print(
            f"horizon {horizon_months:g} months, along one seeded path with "
            f"{daily_noise_bp:g}bp of daily noise to the same end yields"
        )
    elif horizon_months > 0:
        console.print(f"horizon {horizon_months:g} months, shock spread evenly over it")


def scenario(
    shift_bp: float | None = typer.Option(
        None, "--shift-bp", help="Parallel move of the curve in bp (-100: yields fall 1%)."
    ),
    horizon_months: float = typer.Option(
        0.0, "--horizon-months", help="Months over which the shock unfolds; 0 = instantly."
    ),
    twist_bp: float = typer.Option(
        0.0, "--twist-bp", help="Change of the 30y-minus-10y spread in bp (pivot at 20y)."
    ),
    tlt: float = typer.Option(0.40, "--tlt", help="Position weight in TLT."),
    tmf: float = typer.Option(0.20, "--tmf", help="Position weight in TMF."),
    stocks: float = typer.Option(0.30, "--stocks", help="Position weight in stocks."),
    cash: float = typer.Option(0.10, "--cash", help="Position weight in cash (earns DGS3MO)."),
    stocks_return: float = typer.Option(
        0.0, "--stocks-return", help="Stocks' total return over the horizon, decimal (assumed)."
    ),
    financing_spread_bp: float = typer.Option(
        TMF_FINANCING_SPREAD * 1e4,
        "--financing-spread-bp",
        help="TMF's financing cost above the bill rate, bp a year (fitted to the real TMF: 47).",
    ),
    financing_spread: float | None = typer.Option(
        None,
        "--financing-spread",
        help="The same as a decimal a year, as montecarlo takes it (0.0047); wins over -bp.",
    ),
    ladder_kind: str = typer.Option(
        "simulated",
        "--ladder",
        help="simulated (the TLT-like ladder of bondthesis.bonds.ladder), rebuilt (41 bonds, "
        "coupons from DGS30 at issue) or par (41 par bonds).",
    ),
    show_article_table: bool = typer.Option(
        False, "--article-table", help="Print the article's table (-200..+200bp) recomputed."
    ),
    daily_noise_bp: float = typer.Option(
        0.0,
        "--daily-noise-bp",
        help="Send the rows along one seeded path with this daily noise (bp) to the same end "
        "yields; needs --horizon-months.",
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="Use the curve of this date."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (decimals) instead."),
) -> None:
    """Shift and twist the curve; reprice the TLT-like ladder, TMF and the position."""
    if shift_bp is None and not show_article_table:
        fail("give --shift-bp N (e.g. --shift-bp -100), or --article-table")
    if not 0.0 <= horizon_months <= MAX_HORIZON_MONTHS:
        fail(f"--horizon-months must be between 0 and {MAX_HORIZON_MONTHS:g}, e.g. 12")
    if ladder_kind not in LADDERS:
        fail(f"--ladder must be one of {', '.join(LADDERS)}; got {ladder_kind!r}")
    if not -1.0 <= stocks_return <= 10.0:
        fail("--stocks-return is a decimal total return over the horizon, e.g. 0.05 for +5%")
    when = parse_date(as_of, "--as-of")
    try:
        report = bt.scenario(
            bt.Store(settings().store_path),
            shift_bp,
            horizon_months=horizon_months,
            twist_bp=twist_bp,
            tlt=tlt,
            tmf=tmf,
            stocks=stocks,
            cash=cash,
            stocks_return=stocks_return,
            # --financing-spread (a decimal, as montecarlo takes it) wins over the bp form.
            financing_spread=financing_spread_bp * 1e-4
            if financing_spread is None
            else financing_spread,
            ladder=ladder_kind,
            article_table=show_article_table,
            as_of=when,
            daily_noise_bp=daily_noise_bp,
        )
    except (CacheMiss, StoreError) as exc:
        fail(str(exc), code=1 if isinstance(exc, StoreError) else 2)
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        print_result(report)
        return
    reading, result, shock = report.reading, report.result, report.shock
    console.print(
        f"curve of {reading.as_of} (FRED): 10y {100 * reading.curve.yields[0]:.2f}%, "
        f"20y {100 * reading.curve.yields[1]:.2f}%, 30y {100 * reading.curve.yields[2]:.2f}%; "
        f"cash (DGS3MO, {reading.cash_date}) {100 * reading.cash_rate:.2f}%"
    )
    if reading.note:
        console.print(f"note: {reading.note}")
    console.print(report.ladder_text)
    if result is not None:
        risk = result.risk
        console.print(
            f"ladder: yield {100 * risk.yield_:.2f}%, modified duration "
            f"{risk.duration_years:.2f} years, convexity {risk.convexity_years2:.0f}, "
            f"average coupon {100 * risk.average_coupon:.2f}%, price {risk.average_price:.2f}"
        )
        console.print(
            f"shock: {shock.shift_bp:+g}bp parallel, {shock.twist_bp:+g}bp twist; position "
            f"{tlt:.0%} TLT / {tmf:.0%} TMF / {stocks:.0%} stocks ({stocks_return:+.1%} assumed) "
            f"/ {cash:.0%} cash"
        )
        _print_scenario(result, horizon_months, report.daily_noise_bp)
        if report.path_rows:
            table = Table(title="TMF's path dependence: same end yields, different paths")
            for column in ("daily noise", "index vol (ann.)", "TLT", "TMF"):
                table.add_column(column, justify="right")
            for p in report.path_rows:
                table.add_row(
                    f"{p.daily_vol_bp:g}bp",
                    f"{100 * p.index_volatility:.1f}%",
                    _percent(p.tlt_total_return),
                    _percent(p.tmf_total_return),
                )
            console.print(table)
    if report.article_rows is not None:
        _print_article_table(report.article_rows)
