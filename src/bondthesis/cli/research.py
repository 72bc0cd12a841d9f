"""``bondthesis scorecard`` and ``bondthesis claims``: the thesis against the data."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import typer
from rich.panel import Panel
from rich.table import Table

from bondthesis.cli._app import app, console, parse_date, print_json, settings
from bondthesis.cli.pillars import format_value
from bondthesis.data.datasets import load_pillar_data
from bondthesis.data.store import Store
from bondthesis.pillars import OUTCOME_KEYS, PILLAR_KEYS, PillarData, Verdict
from bondthesis.research.claims import ARTICLE_AS_OF, Claim, ClaimsLedger, ClaimVerdict
from bondthesis.research.scorecard import OutcomeStats, Scorecard
from bondthesis.research.skill import SkillEstimate
from bondthesis.research.thesis import (
    EXTRA_KEYS,
    ThesisCheck,
    check_claims,
    score,
    synthetic_ladder,
)

__all__ = ["claims", "claims_document", "scorecard", "scorecard_document"]

KEYS: tuple[str, ...] = (*PILLAR_KEYS, *OUTCOME_KEYS, *EXTRA_KEYS)

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


def _load(when: date | None) -> PillarData:
    return load_pillar_data(Store(settings().store_path), as_of=when, keys=KEYS)


def _skill_dict(skill: SkillEstimate | None) -> dict[str, Any] | None:
    return None if skill is None else dataclasses.asdict(skill)


def _stats_dict(stats: OutcomeStats) -> dict[str, Any]:
    return dataclasses.asdict(stats)


def scorecard_document(check: ThesisCheck) -> dict[str, Any]:
    """The scorecard as a JSON-ready dict (the ``--json`` output)."""
    card = check.scorecard
    units = {r.name: r.unit for r in check.readings}
    support = card.support
    return {
        "as_of": card.as_of,
        "horizon_months": card.horizon_months,
        "pillars": [
            {
                "name": p.name,
                "verdict": p.verdict.value,
                "value": p.value,
                "unit": units.get(p.name),
                "percentile": p.percentile,
                "rule": p.rule,
                "reading_date": p.reading_date,
                "stale": p.stale,
                "provisional": p.provisional,
                "direction": p.direction,
                "skill": _skill_dict(p.skill),
                "weight": p.weight,
                "weight_reason": p.weight_reason,
            }
            for p in card.pillars
        ],
        "composite": {
            "verdict": card.composite.verdict.value,
            "weighted_vote": card.composite.weighted_vote,
            "weighted_signal": card.composite.weighted_signal,
            "weights": card.composite.weights,
            "skill": _skill_dict(card.composite.skill),
            "rule": card.composite.rule,
            "window_note": card.composite.window_note,
        },
        "what_followed": {
            "supporting_today": support.count_today,
            "pillars_with_data_today": support.available_today,
            "verdicts_supporting_today": support.verdict_count_today,
            "verdicts_with_data_today": support.verdict_available_today,
            "same_count": _stats_dict(support.same_count),
            "at_least": _stats_dict(support.at_least),
            "all_months": _stats_dict(support.all_months),
            "majority": _stats_dict(support.majority),
        },
        "outcome": check.outcome.labels,
        "notes": list(card.notes),
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


@app.command()
def scorecard(
    as_of: str | None = typer.Option(
        None, "--as-of", help="Score with only what was published by this date (YYYY-MM-DD)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """The nine pillars, weighted by out-of-sample skill, and what followed similar readings."""
    when = parse_date(as_of, "--as-of")
    data = _load(when)
    ladder = synthetic_ladder(data)
    check = score(data, when, ladder=ladder)
    if as_json:
        print_json(scorecard_document(check))
        return
    _print_scorecard(check)


def _claim_dict(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "claim": claim.claim,
        "figure": claim.figure,
        "as_of": claim.as_of,
        "verdict": claim.verdict.value,
        "explanation": claim.explanation,
        "reproduce": claim.reproduce,
        "rule": claim.rule,
        "values": claim.values,
        "stale": claim.stale,
    }


def claims_document(article: ClaimsLedger, latest: ClaimsLedger) -> dict[str, Any]:
    """Both ledgers as one JSON-ready dict: the article's date first, the latest data nested."""
    latest_by_id = {c.id: c for c in latest.claims}
    rows = []
    for claim in article.claims:
        row = _claim_dict(claim)
        other = latest_by_id[claim.id]
        row["latest"] = {
            key: value
            for key, value in _claim_dict(other).items()
            if key in {"figure", "as_of", "verdict", "explanation", "values", "stale"}
        }
        rows.append(row)
    return {"article_as_of": article.as_of, "latest_as_of": latest.as_of, "claims": rows}


def _verdict_cell(claim: Claim) -> str:
    style = _CLAIM_STYLE[claim.verdict]
    when = f" [dim]({claim.as_of})[/]" if claim.as_of else ""
    when += " [magenta]stale[/]" if claim.stale else ""
    return f"[{style}]{_CLAIM_MARK[claim.verdict]} {claim.verdict.value}[/]{when}\n{claim.figure}"


def _print_claims(article: ClaimsLedger, latest: ClaimsLedger, explain: bool) -> None:
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
    tally = {v: sum(1 for c in article.claims if c.verdict is v) for v in ClaimVerdict}
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


@app.command()
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
    latest_data = _load(None)
    ladder = synthetic_ladder(latest_data)
    ledgers = []
    for day, data in ((when, _load(when)), (None, latest_data)):
        check = score(data, day, ladder=ladder, bootstrap_resamples=0)
        ledgers.append(check_claims(data, day, scorecard=check.scorecard, ladder=ladder))
    article, latest = ledgers
    if as_json:
        print_json(claims_document(article, latest))
        return
    _print_claims(article, latest, explain)
