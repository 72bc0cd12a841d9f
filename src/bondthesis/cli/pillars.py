"""``bondthesis pillar NAME``: one pillar's reading, and with ``--events`` what followed its past
triggers."""

from __future__ import annotations

import math

import typer
from rich.panel import Panel
from rich.table import Table

import bondthesis as bt
from bondthesis.cli._app import console, fail, parse_date, print_result, settings
from bondthesis.pillars import PILLARS, PillarReading, Verdict
from bondthesis.research.events import HORIZONS_MONTHS, OUTCOME_NAMES, EventStudy

__all__ = ["format_value", "pillar"]

_COLOURS = {
    Verdict.SUPPORTS: "bold green",
    Verdict.NEUTRAL: "yellow",
    Verdict.CONTRADICTS: "bold red",
    Verdict.NO_DATA: "dim",
    Verdict.STALE: "magenta",
}


def format_value(value: float | str | None, unit: str) -> str:
    """A reading's number for people: decimals as percentages, share counts with separators."""
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    if not math.isfinite(value):
        return "n/a"
    if unit.startswith("decimal"):
        return f"{value * 100:.2f}%"
    if unit == "shares":
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def pillar(
    name: str = typer.Argument(..., help=f"One of: {', '.join(PILLARS)}."),
    events: bool = typer.Option(False, "--events", help="Event study of past triggers."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Read the data as it was known on this date (YYYY-MM-DD)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a panel."),
) -> None:
    """One pillar of the thesis: value, percentile, verdict and the rule behind it."""
    when = parse_date(as_of, "--as-of")
    try:
        report = bt.pillar(bt.Store(settings().store_path), name, when, events=events)
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        print_result(report)
        return
    reading = report.reading
    _print_reading(reading)
    if events:
        _print_events(reading)


def _print_reading(reading: PillarReading) -> None:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    colour = _COLOURS[reading.verdict]
    table.add_row("value", format_value(reading.value, reading.unit))
    table.add_row("unit", reading.unit)
    as_of_text = str(reading.as_of) if reading.as_of else "n/a"
    table.add_row("as of", as_of_text + (" [bold red](stale)[/]" if reading.stale else ""))
    pct = "n/a" if reading.percentile is None else _ordinal(round(reading.percentile))
    basis = (
        f"of {len(reading.history)} readings"
        if reading.percentile_basis == "the whole history"
        else f"over {reading.percentile_basis}"
    )
    table.add_row("percentile", f"{pct} ({basis})")
    verdict = f"[{colour}]{reading.verdict.value}[/]"
    if reading.stale_verdict is not None:
        verdict += f" (on this old reading the rule says {reading.stale_verdict.value})"
    if reading.provisional:
        verdict += " [magenta](provisional data: not counted as support)[/]"
    table.add_row("verdict", verdict)
    table.add_row("rule", reading.rule)
    table.add_row("series", f"{', '.join(reading.series)} ({', '.join(reading.providers)})")
    for label, value in reading.details.items():
        unit = reading.unit if label == "change_12m" else _detail_unit(label)
        text = format_value(value, unit)
        if label.endswith("percentile") and isinstance(value, float):
            text = f"{value:.1f} (percentile, 0-100)"  # 0.8 is below 1%, not 80%
        table.add_row(label.replace("_", " "), text)
    for i, note in enumerate(reading.notes):
        table.add_row("notes" if i == 0 else "", f"- {note}")
    console.print(Panel(table, title=f"[bold]{reading.name}[/]: {reading.title}", expand=False))


def _ordinal(number: int) -> str:
    """``1 -> "1st"``, ``33 -> "33rd"``, ``12 -> "12th"``."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _detail_unit(label: str) -> str:
    if label.endswith(("_month", "_quarter", "_date")):
        return "text"
    if label.endswith(("_usd", "_usd_saar", "_usd_per_oz")) or "filers" in label:
        return "count"
    if label.endswith(("_pp", "_pct", "percentile", "years", "days_to_cover", "zscore")):
        return "number"
    if label in {"cape", "sentiment", "nfci", "observations", "quarters"} or "average" in label:
        return "number"
    if label.startswith("epu"):
        return "number"
    return "decimal"


def _print_events(reading: PillarReading) -> None:
    study = reading.events
    if not isinstance(study, EventStudy):
        console.print("no trigger history: no event study")
        return
    episodes = Table(
        title=f"{study.n_episodes} episodes (cool-down {study.cooldown_months} months)"
    )
    for column in ("start", "end", "bonds-stocks 12m", "30y change 12m", "recession in 24m"):
        episodes.add_column(column, justify="right")
    for episode in study.episodes:
        bms = episode.outcomes["bonds_minus_stocks"][12]
        dy = episode.outcomes["yield_30y_change"][12]
        rec = episode.outcomes["recession"][24]
        episodes.add_row(
            str(episode.start),
            str(episode.end),
            "n/a" if bms is None else f"{bms:+.1%}",
            "n/a" if dy is None else f"{dy * 100:+.2f}pp",
            "n/a" if rec is None else ("yes" if rec else "no"),
        )
    console.print(episodes)
    summary = Table(title="What followed (mean, median, hit rate, 95% bootstrap interval)")
    for column in ("outcome", "months", "N", "mean", "median", "hit", "interval", "hit means"):
        summary.add_column(
            column, justify="right" if column not in ("outcome", "hit means") else "left"
        )
    for outcome in OUTCOME_NAMES:
        for horizon in HORIZONS_MONTHS:
            item = study.summary(outcome, horizon)
            scale = 100.0 if outcome != "bonds_minus_stocks" else 1.0

            def show(value: float | None, outcome: str = outcome, scale: float = scale) -> str:
                if value is None:
                    return "n/a"
                if outcome == "bonds_minus_stocks":
                    return f"{value:+.1%}"
                if outcome == "recession":
                    return f"{value:.0%}"
                return f"{value * scale:+.2f}pp"

            interval = (
                "n/a"
                if item.ci_low is None or item.ci_high is None
                else f"{show(item.ci_low)} to {show(item.ci_high)}"
            )
            summary.add_row(
                outcome if horizon == HORIZONS_MONTHS[0] else "",
                str(horizon),
                str(item.n),
                show(item.mean),
                show(item.median),
                "n/a" if item.hit_rate is None else f"{item.hit_rate:.0%}",
                interval,
                item.hit_rule if horizon == HORIZONS_MONTHS[0] else "",
            )
    console.print(summary)
    console.print(f"[bold]{study.conclusion}[/]")
    for label, text in study.labels.items():
        console.print(f"  {label}: {text}")
    for note in study.notes:
        console.print(f"  note: {note}")
