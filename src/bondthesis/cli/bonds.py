"""``bondthesis bond``: price and risk of one US Treasury from its yield.

Coupon and yield are decimals (0.045 is 4.5%), as everywhere in bondthesis. A value of 1 or
more is refused with a hint (``--coupon 4.5`` almost always meant 0.045): accepting both
spellings would make ``--yield 0.5`` ambiguous between 50% and 0.5%.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import typer
from rich.table import Table

import bondthesis as bt
from bondthesis.bonds.quote import default_settlement
from bondthesis.cli._app import console, fail, parse_date, print_result

__all__ = ["bond", "default_settlement"]


def _parse_rate(text: str, option: str, example: str) -> float:
    """A decimal rate from the command line, or exit 2 with one line saying how to write it."""
    try:
        value = float(text)
    except ValueError:
        fail(f"{option} {text!r} is not a number; pass a decimal, e.g. {option} {example}")
    if not math.isfinite(value):
        fail(f"{option} {text!r} is not a finite number; pass a decimal, e.g. {option} {example}")
    if value >= 1.0:
        fail(
            f"{option} {value:g} looks like a percent; rates are decimals, "
            f"e.g. {option} {value / 100:g} for {value:g}%"
        )
    if value <= -1.0:
        fail(f"{option} {value:g} is below -100%; pass a decimal such as {option} {example}")
    return value


def bond(
    coupon_text: Annotated[
        str,
        typer.Option(
            "--coupon", metavar="DECIMAL", help="Annual coupon rate as a decimal: 0.045 is 4.5%."
        ),
    ],
    maturity: Annotated[
        str, typer.Option("--maturity", metavar="DATE", help="Maturity date, YYYY-MM-DD.")
    ],
    ytm_text: Annotated[
        str,
        typer.Option(
            "--yield", metavar="DECIMAL", help="Yield to maturity as a decimal: 0.048 is 4.8%."
        ),
    ],
    settlement: Annotated[
        str | None,
        typer.Option(
            "--settlement",
            help="Settlement date, YYYY-MM-DD (default: the next weekday after today).",
            metavar="DATE",
        ),
    ] = None,
    convention: Annotated[
        str,
        typer.Option(
            "--convention",
            help="street (market quotes, default) or treasury (31 CFR 356 App. B auctions).",
        ),
    ] = "street",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Clean and dirty price, accrued interest, durations, convexity and DV01 of a Treasury."""
    coupon = _parse_rate(coupon_text, "--coupon", "0.045")
    if coupon < 0.0:
        fail(f"--coupon {coupon:g} is negative; pass the annual rate as a decimal, e.g. 0.045")
    ytm = _parse_rate(ytm_text, "--yield", "0.048")
    if convention not in ("street", "treasury"):
        fail(f"--convention {convention!r} is unknown; use street or treasury")
    rule: Literal["street", "treasury"] = "street" if convention == "street" else "treasury"
    maturity_date = parse_date(maturity, "--maturity")
    settlement_date = parse_date(settlement, "--settlement")
    assert maturity_date is not None  # parse_date returns None only for None
    try:
        quote = bt.bond(coupon, maturity_date, ytm, settlement_date, rule)
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        print_result(quote)
        return
    table = Table(
        title=f"{coupon * 100:g}% Treasury due {maturity_date} at {ytm * 100:g}% ({rule})",
        caption=f"settlement {quote.settlement}; prices per 100 face",
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("unit")
    rows = [
        ("clean price", f"{quote.clean_price:.6f}", "per 100"),
        ("dirty price", f"{quote.dirty_price:.6f}", "per 100"),
        ("accrued interest", f"{quote.accrued:.6f}", "per 100"),
        ("Macaulay duration", f"{quote.macaulay_duration:.4f}", "years"),
        ("modified duration", f"{quote.modified_duration:.4f}", "years"),
        ("convexity", f"{quote.convexity:.2f}", "years²"),
        ("DV01", f"{quote.dv01:.6f}", "per 100 per 1bp"),
    ]
    for row in rows:
        table.add_row(*row)
    console.print(table)
