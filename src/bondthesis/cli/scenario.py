"""``bondthesis scenario``: a yield shock for the TLT-like ladder, TMF and the position."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import typer
from rich.table import Table

from bondthesis.bonds.curve import build_par_curve
from bondthesis.bonds.ladder import TreasuryLadder, long_bond_issuance
from bondthesis.cli._app import app, console, fail, parse_date, print_json, settings
from bondthesis.data.store import Store
from bondthesis.errors import BondThesisError, CacheMiss, StoreError
from bondthesis.funds.leveraged import TMF_FINANCING_SPREAD
from bondthesis.scenarios.ladder_inputs import (
    CurveShock,
    LadderHoldings,
    YieldCurve,
    coupons_at_issue,
    representative_ladder,
)
from bondthesis.scenarios.paths import (
    FundTerms,
    PositionWeights,
    ScenarioResult,
    run_scenario,
    tmf_path_dependence,
)
from bondthesis.scenarios.shocks import ArticleRow, article_table

CURVE_KEYS = ("DGS10", "DGS20", "DGS30")
LADDERS = ("simulated", "rebuilt", "par")
LADDER_HISTORY_YEARS = 11  # bonds with 20+ years left were issued in the last 10 years
CASH_KEY = "DGS3MO"
CURVE_YEARS = (10.0, 20.0, 30.0)
MAX_HORIZON_MONTHS = 120.0


@dataclass(frozen=True)
class CurveReading:
    """The curve the scenario starts from, with where each number came from."""

    as_of: date
    curve: YieldCurve
    cash_rate: float
    cash_date: date
    history: pd.DataFrame  # DGS10/20/30 in percent, as published, up to ``as_of``
    note: str


def read_curve(store: Store, as_of: date | None) -> CurveReading:
    """The last date on or before ``as_of`` where DGS10, DGS20 and DGS30 all have a value."""
    panel = store.read_panel([*CURVE_KEYS, CASH_KEY])
    if as_of is not None:
        panel = panel.loc[: pd.Timestamp(as_of)]
    complete = panel[list(CURVE_KEYS)].dropna()
    if complete.empty:
        raise CacheMiss(
            "no date has DGS10, DGS20 and DGS30 together"
            + (f" on or before {as_of}" if as_of else "")
            + "; run `bondthesis refresh --only DGS10 --only DGS20 --only DGS30 --only DGS3MO`"
        )
    day = complete.index[-1]
    cash = panel[CASH_KEY].loc[:day].dropna()
    if cash.empty:
        raise CacheMiss(
            f"DGS3MO has no value on or before {day.date()}; run `bondthesis refresh --only DGS3MO`"
        )
    latest = {key: panel[key].dropna().index[-1] for key in CURVE_KEYS}
    note = ""
    if max(latest.values()) > day:
        ends = ", ".join(f"{key} ends {when.date()}" for key, when in latest.items())
        note = f"{ends}; the curve is that of {day.date()}, the last date all three were published"
    levels = complete.loc[day].to_numpy(dtype=float) / 100.0
    return CurveReading(
        as_of=day.date(),
        curve=YieldCurve(CURVE_YEARS, levels),
        cash_rate=float(cash.iloc[-1]) / 100.0,
        cash_date=cash.index[-1].date(),
        history=panel[list(CURVE_KEYS)].loc[:day],
        note=note,
    )


def _simulated_holdings(store: Store, reading: CurveReading) -> LadderHoldings:
    """The holdings of :meth:`TreasuryLadder.tlt_like` on the curve's date."""
    day = pd.Timestamp(reading.as_of)
    recent = reading.history.loc[day - pd.DateOffset(years=LADDER_HISTORY_YEARS) :]
    curve = build_par_curve({key: recent[key].dropna() for key in CURVE_KEYS})
    try:
        auctions = store.read_table("auctions")
    except BondThesisError:
        auctions = pd.DataFrame()
    issuance = long_bond_issuance(auctions) if not auctions.empty else None
    frame = TreasuryLadder.tlt_like().run(curve, issuance).holdings(day)
    return LadderHoldings(
        coupon=frame["coupon"].to_numpy(dtype=float),
        years_to_maturity=frame["years_to_maturity"].to_numpy(dtype=float),
        face=frame["face"].to_numpy(dtype=float),
    )


def build_ladder(store: Store, reading: CurveReading, kind: str) -> tuple[LadderHoldings, str]:
    """The ladder the scenario holds, and a line that says how it was built."""
    if kind == "simulated":
        ladder = _simulated_holdings(store, reading)
        return ladder, (
            f"TLT-like ladder of bondthesis.bonds.ladder (TreasuryLadder.tlt_like): "
            f"{ladder.n_bonds} simulated 30-year issues with more than 20 years left, "
            "coupon = 30-year par yield at issue, face by issuance"
        )
    if kind == "par":
        return (
            representative_ladder(reading.curve),
            "representative TLT-like ladder: 41 bonds, 20-30 years left (one a quarter), "
            "equal face, par coupons",
        )
    years = representative_ladder(reading.curve).years_to_maturity
    coupons = coupons_at_issue(years, pd.Timestamp(reading.as_of), reading.history["DGS30"])
    return (
        representative_ladder(reading.curve, coupons=coupons),
        "representative TLT-like ladder: 41 bonds, 20-30 years left (one a quarter), equal "
        "face, coupons = DGS30 on each bond's issue date rounded down to 1/8%",
    )


def _percent(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{100.0 * value:+.{digits}f}%"


def _article_rows(rows: list[ArticleRow]) -> list[dict[str, Any]]:
    return [
        {
            "shift_bp": r.shift_bp,
            "article_low": r.article_low,
            "article_high": r.article_high,
            "full_repricing": r.full_repricing,
            "duration_only": r.duration_only,
            "duration_convexity": r.duration_convexity,
            "approximation_error": r.approximation_error,
            "error_bound": r.error_bound,
            "verdict": r.verdict,
        }
        for r in rows
    ]


def _print_article_table(rows: list[ArticleRow]) -> None:
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


def _print_scenario(result: ScenarioResult, horizon_months: float) -> None:
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
    if horizon_months > 0:
        console.print(f"horizon {horizon_months:g} months, shock spread evenly over it")


@app.command()
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
    as_of: str | None = typer.Option(None, "--as-of", help="Use the curve of this date."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (decimals) instead."),
) -> None:
    """Shift and twist the curve; reprice the TLT-like ladder, TMF and the position."""
    if shift_bp is None and not show_article_table:
        fail("give --shift-bp N (e.g. --shift-bp -100), or --article-table")
    if not 0.0 <= horizon_months <= MAX_HORIZON_MONTHS:
        fail(f"--horizon-months must be between 0 and {MAX_HORIZON_MONTHS:g}, e.g. 12")
    try:
        weights = PositionWeights(tlt=tlt, tmf=tmf, stocks=stocks, cash=cash)
        shock = CurveShock(0.0 if shift_bp is None else shift_bp, twist_bp)
        spread = financing_spread if financing_spread is not None else financing_spread_bp * 1e-4
        terms = FundTerms(financing_spread=spread)
    except ValueError as exc:
        fail(str(exc))
    if ladder_kind not in LADDERS:
        fail(f"--ladder must be one of {', '.join(LADDERS)}; got {ladder_kind!r}")
    if not -1.0 <= stocks_return <= 10.0:
        fail("--stocks-return is a decimal total return over the horizon, e.g. 0.05 for +5%")
    try:
        store = Store(settings().store_path)
        reading = read_curve(store, parse_date(as_of, "--as-of"))
        ladder, ladder_text = build_ladder(store, reading, ladder_kind)
    except (CacheMiss, StoreError) as exc:
        fail(str(exc), code=1 if isinstance(exc, StoreError) else 2)
    except ValueError as exc:
        fail(str(exc))
    horizon_years = horizon_months / 12.0
    header: dict[str, Any] = {
        "as_of": reading.as_of,
        "source": "FRED DGS10, DGS20, DGS30 (curve), DGS3MO (cash) from the local store",
        "curve": dict(zip(("10y", "20y", "30y"), reading.curve.yields.tolist(), strict=True)),
        "cash_rate": reading.cash_rate,
        "ladder": ladder_text,
        "note": reading.note,
    }
    rows = article_table(ladder, reading.curve) if show_article_table else None
    result = None
    path_rows = []
    if shift_bp is not None:
        result = run_scenario(
            ladder,
            reading.curve,
            shock,
            horizon_years,
            cash_rate=reading.cash_rate,
            weights=weights,
            stocks_return=stocks_return,
            terms=terms,
        )
        if horizon_years > 0:
            path_rows = tmf_path_dependence(
                ladder,
                reading.curve,
                shock,
                horizon_years,
                cash_rate=reading.cash_rate,
                terms=terms,
            )
    if as_json:
        document: dict[str, Any] = dict(header)
        if result is not None:
            d = result.decomposition
            document.update(
                {
                    "shift_bp": shock.shift_bp,
                    "twist_bp": shock.twist_bp,
                    "horizon_months": horizon_months,
                    "yield": result.risk.yield_,
                    "duration": result.risk.duration_years,
                    "convexity": result.risk.convexity_years2,
                    "weights": {"TLT": tlt, "TMF": tmf, "stocks": stocks, "cash": cash},
                    "stocks_return": stocks_return,
                    "rows": [
                        {
                            "instrument": r.instrument,
                            "price_return": r.price_return,
                            "income": r.income,
                            "total_return": r.total_return,
                        }
                        for r in result.rows
                        if r.instrument in ("TLT", "TMF", "position")
                    ],
                    "ladder_decomposition": {
                        "income": d.income,
                        "pull_to_par": d.pull_to_par,
                        "roll_down": d.roll_down,
                        "duration": d.duration,
                        "convexity": d.convexity,
                        "residual": d.residual,
                        "residual_bound": d.residual_bound,
                        "total": d.total,
                    },
                    "tmf_path_dependence": [
                        {
                            "daily_vol_bp": p.daily_vol_bp,
                            "tlt_total_return": p.tlt_total_return,
                            "tmf_total_return": p.tmf_total_return,
                            "index_volatility": p.index_volatility,
                        }
                        for p in path_rows
                    ],
                }
            )
        if rows is not None:
            document["article_table"] = _article_rows(rows)
        print_json(document)
        return
    console.print(
        f"curve of {reading.as_of} (FRED): 10y {100 * reading.curve.yields[0]:.2f}%, "
        f"20y {100 * reading.curve.yields[1]:.2f}%, 30y {100 * reading.curve.yields[2]:.2f}%; "
        f"cash (DGS3MO, {reading.cash_date}) {100 * reading.cash_rate:.2f}%"
    )
    if reading.note:
        console.print(f"note: {reading.note}")
    console.print(ladder_text)
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
        _print_scenario(result, horizon_months)
        if path_rows:
            table = Table(title="TMF's path dependence: same end yields, different paths")
            for column in ("daily noise", "index vol (ann.)", "TLT", "TMF"):
                table.add_column(column, justify="right")
            for p in path_rows:
                table.add_row(
                    f"{p.daily_vol_bp:g}bp",
                    f"{100 * p.index_volatility:.1f}%",
                    _percent(p.tlt_total_return),
                    _percent(p.tmf_total_return),
                )
            console.print(table)
    if rows is not None:
        _print_article_table(rows)
