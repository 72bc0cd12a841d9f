"""``bondthesis scorecard`` and ``bondthesis claims``: the thesis against the data."""

from __future__ import annotations

import typer
from rich.panel import Panel
from rich.table import Table

import bondthesis as bt
from bondthesis.cli._app import console, parse_date, print_result, settings
from bondthesis.cli.pillars import format_value
from bondthesis.pillars import Verdict
from bondthesis.research.claims import ARTICLE_AS_OF, Claim, ClaimVerdict
from bondthesis.research.scorecard import Scorecard
from bondthesis.research.skill import SkillEstimate
from bondthesis.research.thesis import ThesisCheck
from bondthesis.research.thesis_report import KEYS, ClaimsReport

__all__ = ["KEYS", "claims", "scorecard"]

_VERDICT_STYLE = {
    Verdict.SUPPORTS: "bold green",
    Verdict.NEUTRAL: "yellow",
    Verdict.CONTRADICTS: "bold red",
    Verdict.NO_DATA: "dim",
    Verdict.STALE: "magenta",
}
_CLAIM_STYLE = {
    ClaimVerdict.HOLDS: "bold green",
    ClaimVerdict.PARTLY: "yellow",
    ClaimVerdict.DOES_NOT_HOLD: "bold red",
    ClaimVerdict.NO_DATA: "dim",
}
_CLAIM_MARK = {
    ClaimVerdict.HOLDS: "✔",
    ClaimVerdict.PARTLY: "◐",
    ClaimVerdict.DOES_NOT_HOLD: "✘",
    ClaimVerdict.NO_DATA: "·",
}


def _pct(value: float | None, digits: int = 1, sign: bool = True) -> str:
    if value is None:
        return "n/a"
    return f"{value:+.{digits}%}" if sign else f"{value:.{digits}%}"


def _skill_text(skill: SkillEstimate | None) -> str:
    if skill is None:
        return "[dim]too short[/]"
    colour = "green" if skill.low > 0 else ("red" if skill.high < 0 else "white")
    return (
        f"[{colour}]{skill.rank_correlation:+.2f}[/] [dim][{skill.low:+.2f}, {skill.high:+.2f}][/]"
    )


def _print_scorecard(check: ThesisCheck) -> None:
    card = check.scorecard
    units = {r.name: r.unit for r in check.readings}
    table = Table(
        title=f"[bold]Scorecard[/] as of {card.as_of}: does the data back long bonds over stocks?",
        title_justify="left",
        show_lines=False,
    )
    table.add_column("pillar", style="bold")
    table.add_column("verdict")
    table.add_column("value", justify="right")
    table.add_column("date", justify="right")
    table.add_column("stale")
    table.add_column("pctile", justify="right")
    table.add_column("skill ρ [95% CI]", justify="right")
    table.add_column("eff. N", justify="right")
    table.add_column("weight", justify="right")
    for p in card.pillars:
        style = _VERDICT_STYLE[p.verdict]
        table.add_row(
            p.name.replace("_", " "),
            f"[{style}]{p.verdict.value}[/]",
            format_value(p.value, units.get(p.name, "")),
            str(p.reading_date or "n/a"),
            "[magenta]stale[/]" if p.stale else ("provisional" if p.provisional else "no"),
            "n/a" if p.percentile is None else f"{p.percentile:.0f}",
            _skill_text(p.skill),
            "n/a" if p.skill is None else f"{p.skill.effective_n:.0f}",
            f"{p.weight:.0%}" if p.weight > 0 else "[dim]0[/]",
        )
    console.print(table)
    composite = card.composite
    vote = "n/a" if composite.weighted_vote is None else f"{composite.weighted_vote:+.2f}"
    lines = [
        f"[{_VERDICT_STYLE[composite.verdict]}]{composite.verdict.value}[/]  "
        f"(skill-weighted vote {vote}; {card.support.count_today} of "
        f"{card.support.available_today} pillars with current data support)",
        f"[dim]{composite.rule}[/]",
    ]
    if composite.skill is not None:
        s = composite.skill
        lines.append(
            f"composite's own out-of-sample rank correlation {s.rank_correlation:+.2f} "
            f"[{s.low:+.2f}, {s.high:+.2f}], N {s.n_pairs} months ≈ {s.effective_n:.0f} "
            f"non-overlapping years ({s.first} to {s.last})"
        )
    if composite.window_note:
        lines.append(f"[dim]{composite.window_note}[/]")
    lines.extend(f"[yellow]note:[/] {note}" for note in card.notes)
    console.print(Panel("\n".join(lines), title="[bold]composite[/]", expand=False))
    _print_what_followed(card)
    console.print("[bold]why each weight[/]")
    for p in card.pillars:
        console.print(f"  {p.name}: {p.weight_reason}")
    console.print(f"[dim]bonds: {check.outcome.labels.get('long_bonds', '')}[/]")
    console.print(f"[dim]stocks: {check.outcome.labels.get('stocks', '')}[/]")


def _print_what_followed(card: Scorecard) -> None:
    support = card.support
    table = Table(
        title=(
            f"What followed: next {card.horizon_months} months of bonds minus stocks "
            "(total return), by supporting pillars (point in time)"
        ),
        title_justify="left",
    )
    for column in ("months", "N", "non-overlapping", "mean", "median", "bonds won"):
        table.add_column(column, justify="right" if column != "months" else "left")
    rows = (
        (f"exactly {support.count_today} supporting (as today)", support.same_count),
        (f"{support.count_today} or more supporting", support.at_least),
        ("half or more of those with data (3+)", support.majority),
        ("all months", support.all_months),
    )
    for label, stats in rows:
        colour = "green" if (stats.mean or 0) > 0 else "red"
        table.add_row(
            label,
            str(stats.n_months),
            str(stats.n_nonoverlapping),
            f"[{colour}]{_pct(stats.mean)}[/]",
            _pct(stats.median),
            _pct(stats.hit_rate, 0, sign=False),
        )
    console.print(table)
    console.print(
        f"[dim]today: {support.count_today} of {support.available_today} pillars with current "
        f"data support (stale readings left out, as stale months are in the past); the same "
        f"count is matched with the past[/]"
    )


def scorecard(
    as_of: str | None = typer.Option(
        None, "--as-of", help="Score with only what was published by this date (YYYY-MM-DD)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """The nine pillars, weighted by out-of-sample skill, and what followed similar readings."""
    when = parse_date(as_of, "--as-of")
    report = bt.scorecard(bt.Store(settings().store_path), when)
    if as_json:
        print_result(report)
        return
    _print_scorecard(report.check)


def _verdict_cell(claim: Claim) -> str:
    style = _CLAIM_STYLE[claim.verdict]
    when = f" [dim]({claim.as_of})[/]" if claim.as_of else ""
    when += " [magenta]stale[/]" if claim.stale else ""
    return f"[{style}]{_CLAIM_MARK[claim.verdict]} {claim.verdict.value}[/]{when}\n{claim.figure}"


def _print_claims(report: ClaimsReport, explain: bool) -> None:
    article, latest = report.article, report.latest
    table = Table(
        title="[bold]The article's claims against the data[/]",
        title_justify="left",
        show_lines=True,
    )
    table.add_column("#", justify="right", style="bold")
    table.add_column("claim", ratio=2)
    table.add_column(f"as of the article ({article.as_of})", ratio=3)
    table.add_column(f"latest data ({latest.as_of})", ratio=3)
    latest_by_id = {c.id: c for c in latest.claims}
    for claim in article.claims:
        table.add_row(
            str(claim.id), claim.claim, _verdict_cell(claim), _verdict_cell(latest_by_id[claim.id])
        )
    console.print(table)
    tally = report.article_tally()
    console.print(
        "as of the article: "
        + ", ".join(f"[{_CLAIM_STYLE[v]}]{n} {v.value}[/]" for v, n in tally.items() if n)
    )
    for claim in article.claims:
        other = latest_by_id[claim.id]
        if explain:
            console.print(f"[bold]{claim.id}.[/] {claim.explanation}")
            if other.explanation != claim.explanation:
                console.print(f"   [dim]latest:[/] {other.explanation}")
            console.print(f"   [dim]rule: {claim.rule}[/]")
        console.print(f"   [dim]{claim.id}. reproduce:[/] {claim.reproduce}")


def claims(
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help=f"Date of the first evaluation (default {ARTICLE_AS_OF}, as of the article).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    explain: bool = typer.Option(False, "--explain", help="Add each claim's explanation and rule."),
) -> None:
    """Each of the article's eleven claims: the figure, its date and a verdict, then and now."""
    when = parse_date(as_of, "--as-of") or ARTICLE_AS_OF
    report = bt.claims(bt.Store(settings().store_path), when)
    if as_json:
        print_result(report)
        return
    _print_claims(report, explain)
