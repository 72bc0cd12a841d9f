"""The verdict in three parts: what holds, what does not, what history says the odds are.

Pure: a summary of results already computed (the scorecard and the two claims ledgers), so that
a report or an app can write three plain sentences without counting anything itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bondthesis.research.claims import ClaimsLedger, ClaimVerdict
from bondthesis.research.scorecard import OutcomeStats, Scorecard
from bondthesis.serialize import Serializable

__all__ = ["ThesisVerdict", "thesis_verdict"]


@dataclass(frozen=True)
class ThesisVerdict(Serializable):
    """Counts and ids behind the verdict's three sentences (returns are decimals).

    ``holds``, ``partly``, ``does_not_hold``, ``no_data`` are claim ids on the latest data
    (``claims_as_of``); ``article_holds`` the number that held on the article's date;
    ``supporting``/``with_data`` today's supporting pillars (verdicts) and those with data;
    ``trigger_count``/``trigger_available`` the pillars whose trigger rule holds today, point in
    time, and those with current data (the count matched with past months);
    ``history`` what followed months with as many supporting pillars (``same_count``) and with
    at least as many, over ``horizon_months``.
    """

    scorecard_as_of: date
    claims_as_of: date
    article_as_of: date
    holds: tuple[int, ...]
    partly: tuple[int, ...]
    does_not_hold: tuple[int, ...]
    no_data: tuple[int, ...]
    article_holds: int
    n_claims: int
    composite: str
    weighted_vote: float | None
    supporting: int
    with_data: int
    trigger_count: int
    trigger_available: int
    horizon_months: int
    same_count: OutcomeStats
    at_least: OutcomeStats
    all_months: OutcomeStats


def _ids(ledger: ClaimsLedger, verdict: ClaimVerdict) -> tuple[int, ...]:
    return tuple(c.id for c in ledger.claims if c.verdict is verdict)


def thesis_verdict(card: Scorecard, article: ClaimsLedger, latest: ClaimsLedger) -> ThesisVerdict:
    """The verdict's figures from the scorecard and the ledgers (article's date, latest)."""
    support = card.support
    return ThesisVerdict(
        scorecard_as_of=card.as_of,
        claims_as_of=latest.as_of,
        article_as_of=article.as_of,
        holds=_ids(latest, ClaimVerdict.HOLDS),
        partly=_ids(latest, ClaimVerdict.PARTLY),
        does_not_hold=_ids(latest, ClaimVerdict.DOES_NOT_HOLD),
        no_data=_ids(latest, ClaimVerdict.NO_DATA),
        article_holds=len(_ids(article, ClaimVerdict.HOLDS)),
        n_claims=len(latest.claims),
        composite=card.composite.verdict.value,
        weighted_vote=card.composite.weighted_vote,
        supporting=support.verdict_count_today,
        with_data=support.verdict_available_today,
        trigger_count=support.count_today,
        trigger_available=support.available_today,
        horizon_months=card.horizon_months,
        same_count=support.same_count,
        at_least=support.at_least,
        all_months=support.all_months,
    )
