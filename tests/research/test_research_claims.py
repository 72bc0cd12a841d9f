"""Claims ledger: tolerance rules and each claim's figure on small fixtures."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from bondthesis.bonds import dirty_price_from_years, effective_duration_from_years
from bondthesis.pillars import Verdict
from bondthesis.research.claims import (
    ClaimsInput,
    ClaimVerdict,
    claim_gold_since_2020,
    claim_interest_expense,
    claim_issuance,
    claim_ladder_risk,
    claim_scorecard,
    claim_shift_table,
    claim_short_interest,
    evaluate_claims,
    long_bond_share,
)
from bondthesis.research.claims_history import (
    gold_surge_claim,
    gold_surge_episodes,
    tlt_2008_2014_claim,
    tlt_2020_claim,
)
from bondthesis.research.claims_rules import combine, grade
from bondthesis.research.ladder_risk import LadderRisk, auction_ladder_risk
from bondthesis.research.scorecard import (
    CompositeScore,
    OutcomeStats,
    Scorecard,
    SupportOutcome,
)
from bondthesis.research.skill import SkillEstimate

H, P, N, X = (
    ClaimVerdict.HOLDS,
    ClaimVerdict.PARTLY,
    ClaimVerdict.DOES_NOT_HOLD,
    ClaimVerdict.NO_DATA,
)


def _data(columns: dict[str, pd.Series], as_of: date = date(2026, 1, 31), **extra) -> ClaimsInput:  # type: ignore[no-untyped-def]
    panel = pd.concat([s.rename(k) for k, s in columns.items()], axis=1, sort=True)
    return ClaimsInput(panel=panel, as_of=as_of, **extra)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2.0, H), (1.7, H), (2.3, H), (1.5, P), (2.6, P), (1.2, N), (3.0, N), (float("nan"), X)],
)
def test_grade_bands(value: float, expected: ClaimVerdict) -> None:
    assert grade(value, 1.7, 2.3, 0.4) is expected


@pytest.mark.parametrize(
    ("parts", "expected"),
    [([H, H], H), ([H, P], P), ([N, N], N), ([H, N], P), ([H, X], P), ([X, X], X), ([N, X], N)],
)
def test_combine(parts: list[ClaimVerdict], expected: ClaimVerdict) -> None:
    assert combine(parts) is expected


def _monthly(start: str, values: list[float] | np.ndarray) -> pd.Series:
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="MS"))


@pytest.mark.parametrize(("latest", "expected"), [(4500.0, H), (3600.0, P), (2400.0, N)])
def test_gold_since_2020(latest: float, expected: ClaimVerdict) -> None:
    gold = _monthly("2019-01-01", [1300.0] * 12 + [1600.0, 1500.0] + [2000.0] * 70 + [latest])
    claim = claim_gold_since_2020(_data({"GOLD_MONTHLY": gold}, as_of=date(2030, 1, 1)))
    assert claim.verdict is expected
    assert claim.values["rise"] == pytest.approx(latest / 1500.0 - 1.0)
    assert claim.values["base"] == 1500.0


def test_claims_without_data_say_no_data() -> None:
    ledger = evaluate_claims(ClaimsInput(panel=pd.DataFrame(), as_of=date(2026, 1, 31)))
    assert [c.id for c in ledger.claims] == list(range(1, 12))
    assert all(c.verdict is X for c in ledger.claims)
    assert all(c.reproduce.startswith("bondthesis ") for c in ledger.claims)


def test_interest_expense_parts() -> None:
    quarters = pd.date_range("2024-01-01", periods=4, freq="QS")
    exact = claim_interest_expense(
        _data({"A091RC1Q027SBEA": pd.Series(1200.0, quarters), "GDP": pd.Series(30000.0, quarters)})
    )
    assert exact.verdict is H
    assert exact.values["share_of_gdp"] == pytest.approx(0.04)
    # $0.95T fails the dollars (below $0.96T), 3.2% of GDP is inside the partly band: partly.
    low = claim_interest_expense(
        _data({"A091RC1Q027SBEA": pd.Series(950.0, quarters), "GDP": pd.Series(30000.0, quarters)})
    )
    assert low.verdict is P


def _auctions() -> pd.DataFrame:
    rows = []
    for month in range(1, 13):
        issue = pd.Timestamp(2025, month, 15)
        rows.append((f"B{month:02d}", issue, "Bill", 91, 1000.0))
        rows.append((f"N{month:02d}", issue, "Note", 365 * 10, 80.0))
        rows.append((f"L{month:02d}", issue, "Bond", int(365.25 * 30), 20.0))
    frame = pd.DataFrame(rows, columns=["cusip", "issue_date", "security_type", "days", "amt"])
    return pd.DataFrame(
        {
            "cusip": frame["cusip"],
            "issue_date": frame["issue_date"].dt.date,
            "auction_date": (frame["issue_date"] - pd.Timedelta(days=5)).dt.date,
            "maturity_date": (frame["issue_date"] + pd.to_timedelta(frame["days"], "D")).dt.date,
            "security_type": frame["security_type"],
            "tips": False,
            "frn": False,
            "offering_amt": frame["amt"],
            "int_rate": np.where(frame["security_type"] == "Bill", np.nan, 4.5),
        }
    )


def test_long_bond_share_counts_only_long_nominal_bonds() -> None:
    table = _auctions()
    share, coupon_share = long_bond_share(table, date(2025, 12, 31))
    assert share == pytest.approx(20.0 / 1100.0)
    assert coupon_share == pytest.approx(20.0 / 100.0)
    # TIPS are excluded from the long bucket (they stay in the total).
    table.loc[table["cusip"].str.startswith("L"), "tips"] = True
    assert long_bond_share(table, date(2025, 12, 31))[0] == 0.0
    claim = claim_issuance(
        ClaimsInput(panel=pd.DataFrame(), as_of=date(2026, 1, 31), auctions=_auctions())
    )
    assert claim.verdict is H  # 1.82%
    assert claim.values["share_of_all"] == pytest.approx(20.0 / 1100.0)


@pytest.mark.parametrize(
    ("shares", "days", "expected"),
    [(144e6, 4.5, H), (144e6, None, P), (150e6, 3.5, P), (90e6, 2.0, N)],
)
def test_short_interest(shares: float, days: float | None, expected: ClaimVerdict) -> None:
    when = pd.DatetimeIndex(["2025-12-15"])
    columns = {"TLT_SHORT_INTEREST": pd.Series([shares], when)}
    if days is not None:
        columns["TLT_DAYS_TO_COVER"] = pd.Series([days], when)
    assert claim_short_interest(_data(columns)).verdict is expected


def test_gold_surges_recession_and_disinflation() -> None:
    months = pd.date_range("1970-01-01", "1999-12-01", freq="MS")
    gold = pd.Series(100.0, months)
    gold["1975-01-01":"1975-06-01"] = 320.0  # +220% over the 5-year low
    gold["1990-01-01":"1990-03-01"] = 320.0
    recession = pd.Series(0.0, months)
    recession["1976-01-01":"1976-06-01"] = 1.0  # after the first surge only
    level = np.ones(len(months))
    inflation = np.full(len(months), 0.05 / 12)
    inflation[(months >= "1976-01-01")] = 0.02 / 12  # disinflation after 1975 for good
    cpi = pd.Series(100.0 * np.cumprod(np.exp(inflation)) * level, months)
    assert gold_surge_episodes(gold) == [pd.Timestamp("1975-01-01"), pd.Timestamp("1990-01-01")]
    claim = gold_surge_claim(gold, recession, cpi, "text")
    # 1975: recession and disinflation; 1990: neither (inflation flat at 2%): 1 of 2 both.
    assert claim.values == {"episodes": 2.0, "both": 1.0, "either": 1.0}
    assert claim.verdict is N


def _daily(start: str, end: str, first: float, last: float) -> pd.Series:
    days = pd.bdate_range(start, end)
    return pd.Series(np.geomspace(first, last, len(days)), days)


def test_tlt_2008_2014() -> None:
    tlt = _daily("2007-06-01", "2015-06-30", 50.0, 90.0)
    dgs30 = pd.Series(np.linspace(4.5, 2.2, len(tlt)), tlt.index)
    claim = tlt_2008_2014_claim(tlt, dgs30, "text")
    expected = float(tlt[:"2014-12-31"].iloc[-1] / tlt["2008-01-01":].iloc[0] - 1)
    assert claim.values["tlt_total_return"] == pytest.approx(expected)
    assert 0.55 <= expected <= 0.85
    assert claim.verdict is H
    flat = tlt_2008_2014_claim(pd.Series(50.0, tlt.index), dgs30, "text")
    assert flat.verdict is P  # the yields hold, the return does not


def test_tlt_2008_2014_without_2008_yields_has_no_data() -> None:
    # A store whose yields start in 2010 once crashed on an empty 2008 (argmax of nothing).
    tlt = _daily("2007-06-01", "2015-06-30", 50.0, 90.0)
    dgs30 = pd.Series(np.linspace(4.5, 2.2, len(tlt)), tlt.index)["2010-01-01":]
    claim = tlt_2008_2014_claim(tlt, dgs30, "text")
    assert claim.verdict is ClaimVerdict.NO_DATA


def test_tlt_2020_best_window_under_a_year() -> None:
    days = pd.bdate_range("2019-01-01", "2020-12-31")
    prices = pd.Series(100.0, days)
    prices["2019-06-03":] = np.linspace(100.0, 140.0, len(prices["2019-06-03":]))
    dgs30 = pd.Series(np.linspace(2.8, 1.2, len(days)), days)
    claim = tlt_2020_claim(prices, dgs30, "text")
    # Brute force over every (start, end) pair less than a year apart with the end in 2020.
    best = max(
        prices[end] / prices[start] - 1.0
        for end in prices["2020-01-01":].index[::5]
        for start in prices[end - pd.Timedelta(days=364) : end].index
    )
    assert claim.values["tlt_best_return"] == pytest.approx(best, rel=0.01)
    assert claim.verdict in {P, N}


def test_auction_ladder_of_one_par_bond() -> None:
    table = _auctions().iloc[[2]].copy()  # the January 30-year bond, 4.5% coupon
    on = date(2025, 1, 15)
    table["issue_date"] = on
    table["maturity_date"] = date(2055, 1, 15)
    risk = auction_ladder_risk(table, 0.045, 0.045, on, shifts_bp=(-100,))
    assert risk is not None
    assert risk.n_bonds == 1
    years = (pd.Timestamp("2055-01-15") - pd.Timestamp(on)).days / 365.25
    assert risk.effective_duration_years == pytest.approx(
        float(effective_duration_from_years(0.045, years, 0.045))
    )
    base = float(dirty_price_from_years(0.045, years, 0.045))
    assert risk.price_change_by_shift_bp[-100] == pytest.approx(
        float(dirty_price_from_years(0.045, years, 0.035)) / base - 1.0
    )


def test_ladder_claims_bands() -> None:
    ladder = LadderRisk(date(2026, 1, 30), 0.0455, 15.6, {-100: 0.17, -150: 0.27, -200: 0.39})
    data = ClaimsInput(panel=pd.DataFrame(), as_of=date(2026, 1, 31), ladder=ladder)
    assert claim_ladder_risk(data).verdict is H
    assert claim_shift_table(data).verdict is H
    off = LadderRisk(date(2026, 1, 30), 0.052, 12.0, {-100: 0.12, -150: 0.27, -200: 0.39})
    data = ClaimsInput(panel=pd.DataFrame(), as_of=date(2026, 1, 31), ladder=off)
    assert claim_ladder_risk(data).verdict is N  # 12 years and 5.2%: both outside
    assert claim_shift_table(data).verdict is P  # -100bp 12% is 3pp below 15%: partly


def _card(mean: float, hit: float, low: float) -> Scorecard:
    stats = OutcomeStats(30, 3, mean, mean, hit)
    skill = SkillEstimate(0.2, 300, 25.0, 0.1, low, low + 0.4)
    empty = pd.Series(dtype="float64")
    return Scorecard(
        as_of=date(2026, 1, 31),
        horizon_months=12,
        pillars=(),
        composite=CompositeScore(0.5, Verdict.SUPPORTS, 0.1, {}, skill, "rule", empty),
        support=SupportOutcome(5, 9, stats, stats, stats, empty, empty, majority=stats),
    )


@pytest.mark.parametrize(
    ("mean", "hit", "low", "expected"),
    [(0.05, 0.6, 0.01, H), (0.05, 0.6, -0.1, P), (-0.05, 0.4, 0.01, P), (-0.05, 0.4, -0.1, N)],
)
def test_scorecard_claim(mean: float, hit: float, low: float, expected: ClaimVerdict) -> None:
    data = ClaimsInput(
        panel=pd.DataFrame(), as_of=date(2026, 1, 31), scorecard=_card(mean, hit, low)
    )
    assert claim_scorecard(data).verdict is expected
