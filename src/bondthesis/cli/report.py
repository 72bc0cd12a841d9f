"""``bondthesis report``: the thesis on one page (HTML, optionally PDF), in English or zh-Hant."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bondthesis.cli._app import console, console_err, fail, parse_date, settings

__all__ = ["report"]


def report(
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="HTML file to write (default: report.html, report.zh-Hant.html)."
        ),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="en or zh-Hant.")] = "en",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge with what was published by this date.")
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also print a PDF with headless Chromium.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Refresh what is stale from the providers first.")
    ] = False,
    snapshot: Annotated[
        Path | None,
        typer.Option("--snapshot", help="Load this snapshot folder (e.g. ../shared/data) first."),
    ] = None,
) -> None:
    """Write the report: verdict, scorecard, claims, pillars, scenarios, Monte Carlo, data."""
    from bondthesis.data.store import Store
    from bondthesis.errors import CacheMiss
    from bondthesis.report.build import LANGUAGES
    from bondthesis.report.render import report_page

    if lang not in LANGUAGES:
        fail(f"--lang must be one of {', '.join(LANGUAGES)}; got {lang!r}")
    when = parse_date(as_of, "--as-of")
    if snapshot is not None and not snapshot.is_dir():
        fail(f"--snapshot {snapshot}: no such folder; pass the folder that holds DGS30.csv etc.")
    config = settings()
    store = Store(config.store_path)
    if snapshot is not None or refresh:
        import bondthesis as bt

        done = bt.refresh(store, settings=config, snapshot=snapshot)
        if done.failed:
            console_err.print(
                f"[yellow]refresh:[/] {len(done.failed)} series failed: "
                + ", ".join(r.key for r in done.failed[:10])
            )
    try:
        page = report_page(store, lang=lang, as_of=when)
    except CacheMiss as exc:
        fail(str(exc))
    target = output or Path("report.html" if lang == "en" else f"report.{lang}.html")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    console.print(f"report ({lang}) → {target}")
    if pdf:
        from bondthesis.report.pdf import print_pdf

        written = print_pdf(target, target.with_suffix(".pdf"))
        console.print(f"PDF → {written}")
