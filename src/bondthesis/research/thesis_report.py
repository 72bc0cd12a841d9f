"""The scorecard and the claims ledger read from the store: the ``scorecard`` and ``claims``
tasks of the front door, and their JSON documents.

Loading is point in time (:func:`~bondthesis.data.datasets.load_pillar_data`); the synthetic
TLT-like ladder is built once per call on the latest data and serves earlier dates without
look-ahead (see :func:`~bondthesis.research.thesis.synthetic_ladder`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from bondthesis.data.datasets import load_pillar_data
from bondthesis.data.store import Store
from bondthesis.pillars import OUTCOME_KEYS, PILLAR_KEYS, PillarData
from bondthesis.research.claims import ARTICLE_AS_OF, Claim, ClaimsLedger, ClaimVerdict
from bondthesis.research.skill import SkillEstimate
from bondthesis.research.thesis import (
    EXTRA_KEYS,
    ThesisCheck,
    check_claims,
    score,
    synthetic_ladder,
)
from bondthesis.serialize import Serializable, to_jsonable

__all__ = ["KEYS", "ClaimsReport", "ScorecardReport", "claims", "scorecard"]

KEYS: tuple[str, ...] = (*PILLAR_KEYS, *OUTCOME_KEYS, *EXTRA_KEYS)
"""Every series the scorecard and the claims read."""


def _load(store: Store, when: date | None) -> PillarData:
    return load_pillar_data(store, as_of=when, keys=KEYS)


def _skill_dict(skill: SkillEstimate | None) -> dict[str, Any] | None:
    return None if skill is None else dataclasses.asdict(skill)


@dataclass(frozen=True, eq=False)
class ScorecardReport(Serializable):
    """The scorecard, the readings behind it and the outcome series (``check``)."""

    check: ThesisCheck

    def to_dict(self) -> dict[str, Any]:
        """Pillars, composite, what followed similar readings, outcome labels and notes."""
        check = self.check
        card = check.scorecard
        units = {r.name: r.unit for r in check.readings}
        support = card.support
        document = {
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
                "same_count": dataclasses.asdict(support.same_count),
                "at_least": dataclasses.asdict(support.at_least),
                "all_months": dataclasses.asdict(support.all_months),
                "majority": dataclasses.asdict(support.majority),
            },
            "outcome": check.outcome.labels,
            "notes": list(card.notes),
        }
        result: dict[str, Any] = to_jsonable(document)
        return result


def scorecard(store: Store, as_of: date | None = None) -> ScorecardReport:
    """The nine pillars weighted by out-of-sample skill, on ``as_of`` (default: latest data).

    Raises
    ------
    CacheMiss
        The store holds none of the pillars' series.
    """
    data = _load(store, as_of)
    ladder = synthetic_ladder(data)
    return ScorecardReport(score(data, as_of, ladder=ladder))


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


_LATEST_KEYS = ("figure", "as_of", "verdict", "explanation", "values", "stale")


@dataclass(frozen=True, eq=False)
class ClaimsReport(Serializable):
    """The eleven claims as of the article's date (``article``) and on the latest data."""

    article: ClaimsLedger
    latest: ClaimsLedger

    def article_tally(self) -> dict[ClaimVerdict, int]:
        """How many claims got each verdict as of the article's date (every verdict listed)."""
        return {v: sum(1 for c in self.article.claims if c.verdict is v) for v in ClaimVerdict}

    def latest_by_id(self) -> dict[int, Claim]:
        """The latest evaluation of each claim, by claim id."""
        return {c.id: c for c in self.latest.claims}

    def to_dict(self) -> dict[str, Any]:
        """Both ledgers as one document: the article's date first, the latest data nested."""
        latest_by_id = self.latest_by_id()
        rows = []
        for claim in self.article.claims:
            row = _claim_dict(claim)
            other = _claim_dict(latest_by_id[claim.id])
            row["latest"] = {key: value for key, value in other.items() if key in _LATEST_KEYS}
            rows.append(row)
        document = {
            "article_as_of": self.article.as_of,
            "latest_as_of": self.latest.as_of,
            "claims": rows,
        }
        result: dict[str, Any] = to_jsonable(document)
        return result


def claims(store: Store, as_of: date | None = None) -> ClaimsReport:
    """Each of the article's claims on ``as_of`` (default: the article's date) and on the latest.

    Raises
    ------
    CacheMiss
        The store holds none of the pillars' series.
    """
    when = as_of if as_of is not None else ARTICLE_AS_OF
    latest_data = _load(store, None)
    ladder = synthetic_ladder(latest_data)
    ledgers = []
    for day, data in ((when, _load(store, when)), (None, latest_data)):
        check = score(data, day, ladder=ladder, bootstrap_resamples=0)
        ledgers.append(check_claims(data, day, scorecard=check.scorecard, ladder=ladder))
    article, latest = ledgers
    return ClaimsReport(article=article, latest=latest)
