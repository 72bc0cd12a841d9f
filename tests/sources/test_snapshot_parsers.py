"""Snapshot parsers: every header and date format of the snapshot, else PayloadChanged."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.errors import PayloadChanged
from bondthesis.sources.snapshot import (
    parse_13f_rows,
    parse_auctions_table,
    parse_dated_values,
    parse_shiller,
    parse_short_interest_table,
    splice,
)


@pytest.mark.parametrize(
    "text",
    [
        "observation_date,DGS30\n2020-03-09,0.99\n2020-03-10,\n",
        "DATE,DGS30\n2020-03-09,0.99\n2020-03-10,.\n",
        '"Date","DGS30"\n2020-03-09,0.99\n2020-03-10,.\n',
        "date,value\n2020-03-09,0.99\n2020-03-10,\n",
        "\ufeffDATE,VALUE\n2020-03-09,0.99\n2020-03-10,.\n",
    ],
)
def test_every_header_of_the_snapshot(text: str) -> None:
    rows = parse_dated_values(text)
    assert rows["date"].tolist() == list(pd.to_datetime(["2020-03-09", "2020-03-10"]))
    assert rows["value"].iloc[0] == 0.99
    assert math.isnan(rows["value"].iloc[1])


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Date,Price\n1833-01,18.93\n", "1833-01-01"),
        ("Date,Price\n1833,18.93\n", "1833-01-01"),
        ("DATE,FYFSD\n6/30/1901,63\n", "1901-06-30"),
    ],
)
def test_monthly_annual_and_us_dates(text: str, first: str) -> None:
    assert parse_dated_values(text)["date"].iloc[0] == pd.Timestamp(first)


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><body>Too many requests</body></html>",
        "observation_date\n2020-01-01\n",
        "DATE,DGS30\n2020-03-09,n/a\n",
        "DATE,DGS30\nyesterday,1.0\n",
        "",
    ],
)
def test_what_is_not_a_series_is_payload_changed(text: str) -> None:
    with pytest.raises(PayloadChanged):
        parse_dated_values(text, "DGS30.csv")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text_parses_clean_or_raises_payload_changed(text: str) -> None:
    try:
        rows = parse_dated_values(text)
    except PayloadChanged:
        return
    assert list(rows.columns) == ["date", "value"]
    assert rows["date"].is_monotonic_increasing
    assert not rows["date"].duplicated().any()
    assert rows["value"].dtype == "float64"


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.dates(), st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False))),
        min_size=1,
        max_size=20,
        unique_by=lambda t: t[0],
    )
)
def test_written_series_read_back_exactly(points: list[tuple[object, float | None]]) -> None:
    body = "DATE,X\n" + "".join(f"{d},{'.' if v is None else repr(v)}\n" for d, v in points)
    rows = parse_dated_values(body)
    expected = sorted(points, key=lambda t: str(t[0]))
    for (_day, value), (_, got) in zip(expected, rows.itertuples(index=False), strict=True):
        assert (value is None and math.isnan(got)) or got == value


def test_splice_extends_after_the_primary_ends() -> None:
    primary = parse_dated_values("DATE,X\n2020-01-01,1\n2020-02-01,2\n2020-03-01,.\n")
    extension = parse_dated_values("DATE,X\n2020-02-01,2.5\n2020-03-01,3\n2020-04-01,4\n")
    assert splice(primary, extension)["value"].tolist() == [1, 2, 3, 4]


def test_auctions_count_reopenings_toward_their_original_term() -> None:
    text = (
        "auction_date,issue_date,maturity_date,cusip,security_type,security_term,"
        "inflation_index_security,floating_rate,offering_amt,total_accepted,high_yield,"
        "int_rate,bid_to_cover_ratio\n"
        "2025-05-08,2025-05-15,2055-05-15,912810UF3,Bond,30-Year,No,No,25000000000,,4.819,"
        "4.75,2.31\n"
        "2025-06-12,2025-06-16,2055-05-15,912810UF3,Bond,29-Year 11-Month,No,No,22000000000,"
        ",4.844,4.75,2.43\n"
    )
    rows = parse_auctions_table(text)
    assert rows["original_security_term"].tolist() == ["30-Year", "30-Year"]
    assert rows["reopening"].tolist() == ["No", "Yes"]
    assert rows["offering_amt"].sum() == 47e9


def test_short_interest_and_13f_tables() -> None:
    short = parse_short_interest_table(
        "settlement_date,symbol,shares_short,avg_daily_volume,days_to_cover\n"
        "2025-12-15,TLT,150500000,,\n2025-11-28,tlt,140000000,35000000,4.0\n"
    )
    assert short["date"].is_monotonic_increasing
    assert short["days_to_cover"].iloc[0] == 4.0
    holdings = parse_13f_rows(
        "period_end,cik,filer_name,cusip,putcall,value_usd,shares_or_prn_amt,price_check\n"
        "2026-03-31,0001423053,CITADEL,464287432,Call,2545764547,29366300,ok\n"
        "2026-03-31,0001423053,CITADEL,464287432,,102461448,1182018,ok\n"
    )
    assert holdings["putcall"].tolist() == ["Call", "SH"]
    assert holdings["cik"].iloc[0] == "1423053"
    with pytest.raises(PayloadChanged, match="missing"):
        parse_13f_rows("period_end,cik\n2026-03-31,1\n")


def test_shiller_columns_become_series() -> None:
    frames = parse_shiller(
        "date,P,D,E,CPI,CAPE\n2026-06-01,7450.0,81.0,294.2,336.2,39.6\n"
        "2026-07-01,7483.2,,,336.7,39.5\n"
    )
    assert frames["SHILLER_P"]["value"].tolist() == [7450.0, 7483.2]
    assert math.isnan(frames["SHILLER_E"]["value"].iloc[1])
