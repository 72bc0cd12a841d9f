"""``bondthesis watch``: tell me when a pillar, a claim or the position flips."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from bondthesis.cli._app import (
    console,
    console_err,
    exit_code_for,
    fail,
    parse_date,
    print_json,
    print_result,
    settings,
)
from bondthesis.data.store import Store
from bondthesis.errors import BondThesisError, ConfigError
from bondthesis.serialize import to_jsonable
from bondthesis.watching import (
    DEFAULT_RULES,
    LANGUAGES,
    WatchRun,
    flip_history,
    flip_line,
    parse_targets,
    read_rules,
    watch_loop,
)
from bondthesis.watching.run import MIN_SLEEP, flip_from_row

_EVERY = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _parse_every(text: str | None) -> timedelta | None:
    if text is None:
        return None
    match = _EVERY.match(text.strip().lower())
    if match is None:
        fail(f"--every {text!r} is not a duration; write e.g. --every 6h, 30m or 1d")
    every = timedelta(seconds=float(match.group(1)) * _SECONDS[match.group(2)])
    if every < MIN_SLEEP:
        fail(f"--every {text} is too often; the data change daily at most: use 15m or more")
    return every


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _print_run(run: WatchRun, as_json: bool) -> None:
    if as_json:
        print_result(run)
        return
    data = run.data_as_of.isoformat() if run.data_as_of else "n/a"
    console.print(
        f"[bold]watch[/] {run.evaluated_at:%Y-%m-%d %H:%M} UTC · data to {data} · "
        f"{_plural(len(run.rules), 'rule')}"
    )
    if run.refresh.source != "none":
        console.print(
            f"  refresh ({run.refresh.source}): {run.refresh.stored} stored, "
            f"{run.refresh.current} current, {run.refresh.failed} failed"
        )
        for error in run.refresh.errors:
            console_err.print(f"  [yellow]refresh:[/] {error}", soft_wrap=True)
    if run.baseline:
        console.print(
            f"  first look at {_plural(len(run.baseline), 'fact')}: remembered; their changes "
            "are reported from the next run on"
        )
    if run.flips:
        console.print(f"[bold]{_plural(len(run.flips), 'change')}:[/]")
        for message in run.messages:
            console.print(f"  {message}", soft_wrap=True)
    elif run.reused:
        console.print("  no change: the store holds no new data since the last run")
    elif not run.baseline:
        console.print("  no change")
    for delivery in run.deliveries:
        status = "[green]sent[/]" if delivery.ok else f"[bold red]failed[/]: {delivery.error}"
        console.print(
            f"  notify {delivery.target}: {status} ({_plural(len(delivery.flip_ids), 'change')})"
            + ("" if delivery.ok else "; kept, tried again next run"),
            soft_wrap=True,
        )
    for reason in run.unavailable:
        console.print(f"  [dim]not available: {reason}[/]", soft_wrap=True)


def _print_history(store: Store, lang: str, limit: int, as_json: bool) -> None:
    rows = flip_history(store, limit)
    if as_json:
        print_json(to_jsonable(rows))
        return
    if not rows:
        console.print("no flips recorded yet: run `bondthesis watch --once` to start watching")
        return
    table = Table(title="[bold]every flip the watcher reported[/]", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("detected (UTC)")
    table.add_column("change", ratio=3)
    table.add_column("delivered")
    for row in rows:
        deliveries = row["deliveries"]
        delivered = (
            ", ".join(f"{d['target']} {d['status']}" for d in deliveries) if deliveries else "—"
        )
        table.add_row(
            str(row["id"]),
            f"{row['detected_at']:%Y-%m-%d %H:%M}",
            flip_line(flip_from_row(row), lang),
            delivered,
        )
    console.print(table)


def watch(
    once: Annotated[
        bool, typer.Option("--once", help="Run once and exit (for cron or a systemd timer).")
    ] = False,
    every: Annotated[
        str | None,
        typer.Option(
            "--every",
            help="Run at this interval (6h, 30m, 1d) instead of when the next release is due.",
        ),
    ] = None,
    notify: Annotated[
        list[str] | None,
        typer.Option(
            "--notify",
            help="An apprise URL (ntfy://, mailto://, json://, dbus://); repeat for several.",
        ),
    ] = None,
    rules_file: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            help="A rules file, one a line: `position drawdown below -15%`, `DGS30 above "
            "5.25%`, `any claim changes`. Default: every pillar, claim and the scorecard.",
        ),
    ] = None,
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the messages: en or zh-Hant.")
    ] = "en",
    history: Annotated[
        bool, typer.Option("--history", help="Print every flip reported so far, and exit.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="Most flips --history prints.")] = 50,
    snapshot: Annotated[
        Path | None,
        typer.Option("--snapshot", help="Load this snapshot folder instead of the network."),
    ] = None,
    no_refresh: Annotated[
        bool, typer.Option("--no-refresh", help="Evaluate the store as it is, fetch nothing.")
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Evaluate the store as known on this date (a replay)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Re-check the thesis and report what flipped since the last run (latched, once each)."""
    if lang not in LANGUAGES:
        fail(f"--lang {lang!r}: choose one of {', '.join(LANGUAGES)}")
    config = settings()
    store = Store(config.store_path)
    if history:
        if limit < 1:
            fail("--limit must be 1 or more")
        _print_history(store, lang, limit, as_json)
        return
    interval = _parse_every(every)
    if snapshot is not None and not snapshot.is_dir():
        fail(f"--snapshot {snapshot}: no such folder; pass the folder that holds DGS30.csv etc.")
    try:
        rules = read_rules(rules_file) if rules_file is not None else DEFAULT_RULES
        targets = parse_targets(notify or [])
    except ConfigError as exc:
        fail(str(exc))
    when = parse_date(as_of, "--as-of")

    def report_error(exc: BondThesisError) -> None:
        console_err.print(f"[bold red]error:[/] {exc}; trying again at the next check")

    try:
        watch_loop(
            store,
            every=interval,
            max_runs=1 if once else None,
            on_run=lambda run: _print_run(run, as_json),
            on_error=None if once else report_error,
            rules=rules,
            notify=targets,
            lang=lang,
            as_of=when,
            snapshot=snapshot,
            refresh=None if no_refresh or snapshot is not None else config,
        )
    except BondThesisError as exc:  # --once: the run's error is the command's
        fail(str(exc), exit_code_for(exc))
    except KeyboardInterrupt:
        console_err.print("stopped")
