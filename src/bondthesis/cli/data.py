"""Data commands: ``refresh``, ``status``, ``series``."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

import bondthesis as bt
from bondthesis.catalog import CATALOG, get_spec
from bondthesis.cli._app import console, console_err, fail, parse_date, print_result, settings
from bondthesis.data.refresh import DEFAULT_TIMEOUT_S, RefreshReport

_STATUS_STYLE = {
    "ok": "green",
    "unchanged": "dim",
    "current": "dim",
    "failed": "bold red",
    "skipped": "yellow",
}


def _keys_or_exit(keys: list[str] | None) -> list[str] | None:
    """Catalog keys from repeated or comma-separated options, or exit 2 with a did-you-mean."""
    if not keys:
        return None
    names = [name.strip() for text in keys for name in text.split(",") if name.strip()]
    if not names:
        fail("no series named; pass catalog keys like DGS30,TLT (`bondthesis status` lists them)")
    try:
        return [get_spec(k).key for k in names]
    except ValueError as exc:
        fail(str(exc))


def _summary(report: RefreshReport) -> Table:
    table = Table(title="refresh", title_justify="left")
    for column in ("series", "new rows", "last date", "provider", "status"):
        table.add_column(column, justify="right" if column == "new rows" else "left")
    for row in sorted(report.rows, key=lambda r: (r.status != "failed", r.key)):
        style = _STATUS_STYLE.get(row.status, "")
        status = row.status if row.error is None else f"{row.status}: {row.error}"
        table.add_row(
            row.key,
            f"{row.new_rows:,}",
            row.last_date.isoformat() if row.last_date else "",
            row.served_by or row.provider,
            f"[{style}]{status}[/]",
        )
    return table


def refresh(
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Refresh only these series: --only DGS30,TLT or repeated."),
    ] = None,
    snapshot: Annotated[
        Path | None,
        typer.Option(
            "--snapshot",
            help="Load a local folder in the providers' formats (e.g. ../shared/data) "
            "instead of the network.",
        ),
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Fetch whole histories, not just what is new.")
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            help="Stop an online refresh after this many seconds; series not arrived keep "
            "their stored data.",
            min=1.0,
            max=86400.0,
        ),
    ] = DEFAULT_TIMEOUT_S,
) -> None:
    """Fetch every series of the catalog into the local store (incremental), then summarise."""
    keys = _keys_or_exit(only)
    config = settings()
    store = bt.Store(config.store_path)
    if snapshot is not None and not snapshot.is_dir():
        fail(f"--snapshot {snapshot}: no such folder; pass the folder that holds DGS30.csv etc.")
    total = len(keys) if keys else len(CATALOG)
    with Progress(
        TextColumn("[bold]refresh[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console_err,
        transient=True,
        disable=not console_err.is_terminal,
    ) as bar:
        task = bar.add_task("", total=total)

        def advance(key: str, status: str) -> None:
            bar.update(task, advance=1, description=f"{key} {status}")

        report = bt.refresh(
            store,
            settings=config,
            keys=keys,
            snapshot=snapshot,
            full=full,
            progress=advance,
            timeout_s=timeout,
        )
    console.print(_summary(report))
    if report.unknown_files:
        console_err.print(
            f"[yellow]files not recognised (not loaded):[/] {', '.join(report.unknown_files)}"
        )
    failed = report.failed
    counts = {state: report.count(state) for state in ("current", "skipped")}
    notes = "".join(f", {n} {state}" for state, n in counts.items() if n)
    console.print(f"{report.stored} stored{notes}, {len(failed)} failed → {config.store_path}")
    if failed:
        console_err.print(
            "[bold red]failed:[/] "
            + ", ".join(f"{r.key} ({r.error})" for r in failed[:10])
            + (f" and {len(failed) - 10} more" if len(failed) > 10 else "")
        )
        raise typer.Exit(1)


def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Each series: last date, staleness against its frequency, provider, last error."""
    config = settings()
    result = bt.status(bt.Store(config.store_path))
    if as_json:
        print_result(result)
        return
    table = Table(title=f"bondthesis store: {config.store_path}", title_justify="left")
    for column in ("series", "freq", "first", "last", "age", "state", "rows", "served by"):
        table.add_column(column, justify="right" if column in {"age", "rows"} else "left")
    styles = {"fresh": "green", "stale": "yellow", "missing": "red"}
    for r in result.series:
        note = f" [red]{r.last_error}[/]" if r.last_error else ""
        table.add_row(
            r.series,
            r.frequency,
            str(r.first_date or ""),
            str(r.last_date or ""),
            "" if r.age_days is None else f"{r.age_days:,}d",
            f"[{styles[r.state]}]{r.state}[/]",
            f"{r.rows:,}",
            f"{r.served_by or r.provider}{note}",
        )
    console.print(table)
    console.print(", ".join(f"{n} {state}" for state, n in result.counts().items()))
    if result.interrupted_refresh is not None:
        console.print(f"[bold yellow]{result.interrupted_refresh.describe()}[/]")


def _rows(panel: pd.DataFrame) -> list[tuple[str, list[float]]]:
    """(ISO date, values) per row, for printing."""
    days = pd.DatetimeIndex(panel.index).strftime("%Y-%m-%d")
    return list(zip(days, panel.to_numpy(dtype="float64").tolist(), strict=True))


def series(
    keys: Annotated[list[str], typer.Argument(help="Catalog keys, e.g. DGS30 CPILFESL.")],
    start: Annotated[str | None, typer.Option(help="First date, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option(help="Last date, YYYY-MM-DD.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Only what was published by this date.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON document.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """Print one or more series from the store, as published (optionally point in time)."""
    if as_json and as_csv:
        fail("choose one of --json and --csv")
    chosen = _keys_or_exit(keys) or []
    first, last, known = parse_date(start, "--start"), parse_date(end, "--end"), None
    known = parse_date(as_of, "--as-of")
    if first and last and first > last:
        fail(f"--start {first} is after --end {last}; swap them")
    view = bt.series(bt.Store(settings().store_path), chosen, start=first, end=last, as_of=known)
    if as_json:
        print_result(view)
        return
    panel, served = view.panel, view.served_by
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["date", *chosen])
        for day, cells in _rows(panel):
            writer.writerow([day, *("" if pd.isna(v) else repr(v) for v in cells)])
        return
    table = Table(title_justify="left")
    table.add_column("date")
    for key in chosen:
        spec = get_spec(key)
        table.add_column(f"{key}\n[dim]{spec.units}[/]", justify="right")
    shown = panel if len(panel) <= 40 else pd.concat([panel.head(10), panel.tail(25)])
    for i, (day, cells) in enumerate(_rows(shown)):
        if len(panel) > 40 and i == 10:
            table.add_row("…", *["…"] * len(chosen))
        table.add_row(
            day,
            *("" if pd.isna(v) else f"{v:,.6g}" for v in cells),
        )
    console.print(table)
    sources = "; ".join(f"{k}: {served.get(k) or get_spec(k).provider.value}" for k in chosen)
    console.print(f"[dim]{len(panel):,} dates. Source: {sources}[/]")
