"""Each pillar on a small fixture whose answer is computed by hand in the test."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from bondthesis.pillars import PILLARS, PillarData, Verdict, read_all
from bondthesis.pillars.economy import read_economy
from bondthesis.pillars.fiscal import read_fiscal
from bondthesis.pillars.gold import read_gold
from bondthesis.pillars.issuance import issuance_mix, read_issuance, term_years
from bondthesis.pillars.policy import qe_episodes, read_policy
from bondthesis.pillars.positioning import read_positioning
from bondthesis.pillars.smart_money import quarterly_options, read_smart_money
from bondthesis.pillars.trade import read_trade
from bondthesis.pillars.valuation import read_valuation


def month_starts(n: int, start: str = "2015-01-01") -> pd.DatetimeIndex:
    return pd.date_range(start, periods=n, freq="MS")


def test_gold_rise_from_the_five_year_low() -> None:
    prices = np.full(72, 1000.0)
    prices[20] = 500.0  # the low, inside the last 60 months
    prices[-1] = 1600.0
    data = PillarData.from_series({"GOLD_MONTHLY": pd.Series(prices, month_starts(72))})
    reading = read_gold(data)
    assert reading.value == pytest.approx(1600 / 500 - 1)  # +220%
    assert reading.verdict is Verdict.SUPPORTS
    assert reading.as_of == date(2020, 12, 31)  # month of December 2020, dated at its end
    assert reading.details["change_3y"] == pytest.approx(1600 / 1000 - 1)
    assert reading.trigger is not None
    assert bool(reading.trigger.iloc[-1])
    assert not reading.trigger.iloc[:-1].any()
    # Before the last month the rise was 1000/500 - 1 = +100%: neutral.
    earlier = read_gold(data, as_of=date(2020, 12, 1))
    assert earlier.value == pytest.approx(1.0)
    assert earlier.verdict is Verdict.NEUTRAL


def test_fiscal_interest_share_of_gdp_and_its_change() -> None:
    quarters = pd.date_range("2023-01-01", periods=6, freq="QS")
    interest = pd.Series([600.0, 650.0, 700.0, 700.0, 760.0, 800.0], quarters)
    gdp = pd.Series(20_000.0, quarters)
    reading = read_fiscal(PillarData.from_series({"A091RC1Q027SBEA": interest, "GDP": gdp}))
    assert reading.value == pytest.approx(800 / 20_000)  # 4.0% of GDP
    assert reading.details["change_12m"] == pytest.approx((800 - 650) / 20_000)
    assert reading.verdict is Verdict.SUPPORTS
    assert reading.as_of == date(2024, 6, 30)  # 2024Q2, dated at the quarter's end
    assert any("receipts" in note for note in reading.notes)
    low = read_fiscal(PillarData.from_series({"A091RC1Q027SBEA": interest / 2, "GDP": gdp}))
    assert low.verdict is Verdict.CONTRADICTS  # 2.0% of GDP


def auctions_fixture() -> pd.DataFrame:
    issue = date(2025, 6, 1)
    rows = [
        # cusip, type, original term, tips, amount, maturity
        ("B1", "Bill", "26-Week", False, 900.0, date(2025, 11, 30)),
        ("N1", "Note", "10-Year", False, 80.0, date(2035, 6, 1)),
        ("L1", "Bond", "30-Year", False, 10.0, date(2055, 3, 1)),  # a reopening
        ("T1", "Bond", "30-Year", True, 10.0, date(2055, 6, 1)),  # TIPS: not nominal
    ]
    return pd.DataFrame(
        {
            "cusip": [r[0] for r in rows],
            "issue_date": [issue] * 4,
            "auction_date": [date(2025, 5, 27)] * 4,
            "maturity_date": [r[5] for r in rows],
            "security_type": [r[1] for r in rows],
            "security_term": ["26-Week", "10-Year", "29-Year 9-Month", "30-Year"],
            "original_security_term": [r[2] for r in rows],
            "reopening": ["No", "No", "Yes", "No"],
            "tips": [r[3] for r in rows],
            "frn": [False] * 4,
            "offering_amt": [r[4] for r in rows],
        }
    )


def test_issuance_shares_and_wam_over_twelve_months() -> None:
    auctions = auctions_fixture()
    # A year later a tiny bill keeps the trailing window rolling to 2026-05.
    later = auctions.iloc[[0]].assign(
        cusip="B2",
        issue_date=date(2026, 5, 1),
        auction_date=date(2026, 4, 28),
        maturity_date=date(2026, 10, 30),
        offering_amt=1e-9,
    )
    table = pd.concat([auctions, later], ignore_index=True)
    mix = issuance_mix(table)
    first = mix.iloc[0]
    assert mix.index[0] == pd.Timestamp("2026-04-30")  # 12 months of data first complete
    assert first["share_long_all"] == pytest.approx(10 / 1000)
    assert first["share_long_coupon"] == pytest.approx(10 / 90)
    years = [
        (pd.Timestamp(m) - pd.Timestamp("2025-06-01")).days / 365.25
        for m in auctions["maturity_date"]
    ]
    assert first["wam_years"] == pytest.approx(
        float(np.dot(years, auctions["offering_amt"])) / 1000
    )
    reading = read_issuance(PillarData.from_series({}, auctions=table))
    assert reading.value == pytest.approx(10 / 1000, rel=1e-6)
    assert reading.verdict is Verdict.NEUTRAL  # under 5 years of history: no percentile yet
    assert term_years("20-Year 1-Month") == pytest.approx(20 + 1 / 12)


def test_positioning_crowded_and_light() -> None:
    dates = pd.date_range("2024-01-15", periods=4, freq="MS") + pd.Timedelta(days=14)
    short = pd.Series([10e6, 20e6, 30e6, 40e6], dates)
    days = pd.Series([1.0, 1.5, 2.0, 5.0], dates)
    reading = read_positioning(
        PillarData.from_series({"TLT_SHORT_INTEREST": short, "TLT_DAYS_TO_COVER": days})
    )
    assert reading.value == 40e6
    assert reading.percentile == 100.0
    assert reading.details["days_to_cover"] == 5.0
    assert reading.verdict is Verdict.SUPPORTS
    light = read_positioning(
        PillarData.from_series(
            {
                "TLT_SHORT_INTEREST": short[::-1].set_axis(dates),
                "TLT_DAYS_TO_COVER": days[::-1].set_axis(dates),
            }
        )
    )
    assert light.percentile == 25.0  # 10M is the lowest of four
    assert light.verdict is Verdict.CONTRADICTS
    assert any("fewer than 24 observations" in note for note in light.notes)


def test_economy_counts_three_of_five_warning_signs() -> None:
    months = month_starts(130)
    core = 100 * np.cumprod(np.r_[1.0, np.full(126, 1.005), np.full(3, 1.001)])
    sentiment = np.r_[np.full(129, 80.0), 50.0]
    hy = np.r_[np.full(124, 3.0), np.full(6, 4.5)]
    weeks = pd.date_range("2015-01-03", "2025-10-25", freq="W-SAT")
    series = {
        "CPILFESL": pd.Series(core, months),
        "UMCSENT": pd.Series(sentiment, months),
        "BAMLH0A0HYM2": pd.Series(hy, months + pd.offsets.MonthEnd(0)),
        "SAHMREALTIME": pd.Series(0.1, months),
        "ICSA": pd.Series(200_000.0, weeks),
    }
    reading = read_economy(PillarData.from_series(series))
    assert reading.as_of == date(2025, 10, 31)
    assert reading.value == pytest.approx(3 / 5)
    assert reading.verdict is Verdict.SUPPORTS
    assert reading.details["components_flagged"] == "inflation_momentum, sentiment, credit"
    yoy = core[-1] / core[-13] - 1
    assert reading.details["core_cpi_yoy"] == pytest.approx(yoy)
    assert reading.details["core_cpi_3m_annualized"] == pytest.approx(1.001**12 - 1)


def test_policy_pressure_and_qe_detection() -> None:
    months = month_starts(130)
    thirty = np.r_[np.full(124, 3.0), np.linspace(3.2, 4.0, 6)]
    series = {
        "DGS30": pd.Series(thirty, months + pd.offsets.MonthEnd(0)),
        "T10Y2Y": pd.Series(0.5, months + pd.offsets.MonthEnd(0)),
        "NFCI": pd.Series(-0.5, months + pd.offsets.MonthEnd(0)),
    }
    reading = read_policy(PillarData.from_series(series))
    assert reading.value == pytest.approx(2 / 4)  # yield high and rising; slope and NFCI calm
    assert reading.verdict is Verdict.SUPPORTS
    assert reading.details["yield_30y_change_6m_pp"] == pytest.approx(1.0)
    assert any("THREEFYTP10" in note for note in reading.notes)
    holdings = pd.Series([2000.0] * 7 + [2300.0], pd.date_range("2020-01-31", periods=8, freq="ME"))
    qe = qe_episodes(holdings)
    assert qe.tolist() == [False] * 7 + [True]  # +15% over six months


def test_trade_spike_zscore() -> None:
    days = pd.date_range("2020-01-01", "2023-01-31", freq="D")
    values = np.where(days.month % 2 == 0, 200.0, 100.0).astype(float)
    values[days >= "2023-01-01"] = 400.0
    reading = read_trade(PillarData.from_series({"USEPUINDXD": pd.Series(values, days)}))
    prior = np.array([200.0 if m % 2 == 0 else 100.0 for m in range(1, 13)] * 3)
    expected = (400.0 - prior.mean()) / prior.std(ddof=1)
    assert reading.value == pytest.approx(expected)
    assert reading.verdict is Verdict.SUPPORTS
    assert reading.as_of == date(2023, 1, 31)


def test_smart_money_call_share_and_price_check() -> None:
    def row(
        quarter: str, cik: str, side: str, value: float, price: float = 100.0
    ) -> dict[str, object]:
        return {
            "period_end": date.fromisoformat(quarter),
            "cik": cik,
            "filer_name": f"Fund {cik}",
            "cusip": "464287432",
            "putcall": side,
            "value_usd": value,
            "shares": value / price,
        }

    rows = [
        row("2025-09-30", "1", "Call", 50e6),
        row("2025-09-30", "3", "Put", 50e6),
        row("2025-12-31", "1", "Call", 60e6),
        row("2025-12-31", "2", "Call", 20e6),
        row("2025-12-31", "3", "Put", 40e6),
        row("2025-12-31", "4", "Call", 5e4, price=0.1),  # premium, not notional: left out
    ]
    holdings = pd.DataFrame(rows)
    options = quarterly_options(holdings)
    assert options.loc[pd.Timestamp("2025-12-31"), "call_value"] == 80e6
    reading = read_smart_money(PillarData.from_series({}, holdings_13f=holdings))
    assert reading.value == pytest.approx(80 / 120)
    assert reading.details["call_value_change_usd"] == 30e6
    assert reading.details["call_filers"] == 2.0
    assert reading.verdict is Verdict.SUPPORTS
    assert reading.details["largest_call_holders"] == "Fund 1 $0.06bn; Fund 2 $0.02bn"
    # 13F data is public 45 days after the quarter: on 2026-02-13 only Q3 is known.
    early = read_smart_money(PillarData.from_series({}, holdings_13f=holdings), date(2026, 2, 13))
    assert early.as_of == date(2025, 9, 30)
    assert early.value == pytest.approx(0.5)


def test_valuation_excess_cape_yield() -> None:
    months = month_starts(121, "2010-01-01")
    cpi = pd.Series(np.linspace(100.0, 135.0, 121), months)
    series = {
        "SHILLER_CAPE": pd.Series(40.0, months),
        "SHILLER_CPI": cpi,
        "GS10": pd.Series(4.2, months),
    }
    reading = read_valuation(PillarData.from_series(series))
    expected = 1 / 40 - (0.042 - (1.35**0.1 - 1))
    assert reading.value == pytest.approx(expected)  # about 1.35 pp
    assert reading.verdict is Verdict.SUPPORTS
    assert reading.details["cape_yield_minus_10y"] == pytest.approx(0.025 - 0.042)


def test_empty_data_gives_no_data_for_every_pillar() -> None:
    readings = read_all(PillarData.from_series({}))
    assert [r.name for r in readings] == list(PILLARS)
    assert all(r.verdict is Verdict.NO_DATA for r in readings)
    assert all(r.value is None and r.notes for r in readings)


def test_stale_inputs_are_flagged() -> None:
    quarters = pd.date_range("2020-01-01", periods=8, freq="QS")
    data = PillarData.from_series(
        {"A091RC1Q027SBEA": pd.Series(700.0, quarters), "GDP": pd.Series(20_000.0, quarters)}
    )
    fresh = read_fiscal(data, as_of=date(2022, 1, 31))  # 2021Q4 is public from 2022-01-30
    assert not fresh.stale
    old = read_fiscal(data, as_of=date(2023, 6, 30))
    assert old.stale
    assert any("1.5 years before 2023-06-30" in note for note in old.notes)
