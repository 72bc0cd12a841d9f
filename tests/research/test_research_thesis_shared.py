"""Validation on ../shared/data: the scorecard and all eleven claims compute on the real snapshot.

The figures checked here are recomputed independently from the CSV files with pandas alone.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

from bondthesis.pillars import OUTCOME_KEYS, PILLAR_KEYS, PillarData, Verdict
from bondthesis.research.claims import ARTICLE_AS_OF, ClaimsLedger, ClaimVerdict
from bondthesis.research.thesis import (
    EXTRA_KEYS,
    ThesisCheck,
    check_claims,
    score,
    synthetic_ladder,
)
from bondthesis.sources.snapshot import read_snapshot


@lru_cache(maxsize=1)
def _run(folder: str) -> tuple[PillarData, ThesisCheck, ClaimsLedger, ClaimsLedger]:
    content = read_snapshot(
        Path(folder), only={*PILLAR_KEYS, *OUTCOME_KEYS, *EXTRA_KEYS, "AUCTIONS"}
    )
    series = {key: rows for key, (rows, _) in content.series.items()}
    holdings = content.holdings_13f
    if holdings is not None:
        holdings = holdings.drop(columns=["price_ok"])
    data = PillarData.from_series(series, content.auctions, holdings)
    ladder = synthetic_ladder(data)
    article_check = score(data, ARTICLE_AS_OF, ladder=ladder, bootstrap_resamples=50)
    article = check_claims(data, ARTICLE_AS_OF, scorecard=article_check.scorecard, ladder=ladder)
    latest_check = score(data, None, ladder=ladder, bootstrap_resamples=0)
    latest = check_claims(data, None, scorecard=latest_check.scorecard, ladder=ladder)
    return data, article_check, article, latest


@pytest.fixture
def run(shared_data: Path) -> tuple[PillarData, ThesisCheck, ClaimsLedger, ClaimsLedger]:
    return _run(str(shared_data))


def _csv(folder: Path, name: str) -> pd.Series:
    frame = pd.read_csv(folder / name)
    values = pd.to_numeric(frame.iloc[:, 1], errors="coerce")
    return pd.Series(values.to_numpy(), index=pd.to_datetime(frame.iloc[:, 0])).dropna()


def test_all_eleven_claims_compute_then_and_now(run, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    _, _, article, latest = run
    for ledger in (article, latest):
        assert [c.id for c in ledger.claims] == list(range(1, 12))
        for claim in ledger.claims:
            print(f"{ledger.as_of} #{claim.id} {claim.verdict.value}: {claim.figure}")
            assert claim.verdict is not ClaimVerdict.NO_DATA, (claim.id, claim.explanation)
            assert all((claim.figure, claim.explanation, claim.reproduce, claim.rule))
    assert article.as_of == ARTICLE_AS_OF
    # Nothing published after the article's date is used for it.
    for claim in article.claims:
        if claim.as_of is not None:
            assert claim.as_of <= ARTICLE_AS_OF, claim.id


def test_figures_match_the_files(run, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    _, _, article, latest = run
    by_id = {c.id: c for c in latest.claims}
    # Claim 1: gold's latest monthly average over 2020's lowest.
    gold = _csv(shared_data, "gold_monthly.csv")
    expected = gold.iloc[-1] / gold["2020"].min() - 1.0
    assert by_id[1].values["rise"] == pytest.approx(expected)
    # Claim 7: TLT's adjusted close over the first and last trading days of 2008-2014.
    tlt = _csv(shared_data, "TLT.csv")
    window = tlt["2008-01-01":"2014-12-31"]
    assert by_id[7].values["tlt_total_return"] == pytest.approx(
        window.iloc[-1] / window.iloc[0] - 1.0
    )
    # Claim 5 on the article's date: the last settlement published by then (11-day lag).
    shares = pd.read_csv(shared_data / "TLT_short_interest.csv", parse_dates=["settlement_date"])
    visible = shares[shares["settlement_date"] + pd.Timedelta(days=11) <= "2026-01-31"]
    then = {c.id: c for c in article.claims}[5]
    assert then.values["shares_short"] == float(visible.iloc[-1]["shares_short"])


def test_scorecard_on_the_article_date(run) -> None:  # type: ignore[no-untyped-def]
    _, check, _, _ = run
    card = check.scorecard
    assert card.as_of == date(2026, 1, 31)
    assert [p.name for p in card.pillars] == [r.name for r in check.readings]
    assert len(card.pillars) == 9
    total = sum(p.weight for p in card.pillars)
    assert total == pytest.approx(1.0) or total == 0.0
    for p in card.pillars:
        assert p.weight >= 0.0
        if p.skill is not None:
            assert p.skill.effective_n == pytest.approx(p.skill.n_pairs / 12)
            assert p.skill.low <= p.skill.rank_correlation <= p.skill.high
            # Only outcomes complete by the evaluation date were used.
            assert p.skill.last is not None
            assert p.skill.last <= date(2025, 1, 31)
    support = card.support
    assert support.verdict_count_today == sum(p.verdict is Verdict.SUPPORTS for p in card.pillars)
    assert support.count_today == int(support.history.loc["2026-01-31"])
    assert support.count_today <= support.available_today <= 9
    assert support.all_months.n_months > 600  # the ladder reaches back to 1962
    assert support.same_count.n_months <= support.at_least.n_months <= support.all_months.n_months
