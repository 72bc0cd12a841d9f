"""World Bank Pink Sheet (link scraping, "Monthly Prices" sheet) and Stooq XAUUSD daily gold."""

from __future__ import annotations

import io
import math
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.config import Settings
from bondthesis.errors import PayloadChanged, SourceRejected, SourceUnavailable
from bondthesis.sources._http import HttpClient
from bondthesis.sources.base import Fetched, FetchFailed
from bondthesis.sources.gold import (
    PinkSheetSource,
    StooqGoldSource,
    find_pink_sheet_link,
    parse_pink_sheet,
    pink_sheet_rows_to_frame,
)

PAYLOADS = Path(__file__).parent / "payloads"
LANDING = (PAYLOADS / "worldbank_commodity_markets_landing.html").read_text(encoding="utf-8")
WORKBOOK_URL = (
    "https://thedocs.worldbank.org/en/doc/5d903e848db1d1b83e0ec8f744e55570-0350012021/"
    "related/CMO-Historical-Data-Monthly.xlsx"
)

# The layout of the real sheet (SOURCES.md §6): rows 1-4 titles, 5 names, 6 units, 7 codes.
PINK_ROWS: list[list[object]] = [
    ["World Bank Commodity Price Data (The Pink Sheet)"],
    ["monthly prices in nominal US dollars, 1960 to present"],
    ["(monthly series are available only in nominal US dollars)"],
    ["Updated on December 03, 2024"],
    [None, "Crude oil, WTI", "Gold", "Silver", "Platinum"],
    [None, "($/bbl)", "($/troy oz)", "($/troy oz)", "($/troy oz)"],
    [None, "CRUDE_WTI", "GOLD", "SILVER", "PLATINUM"],
    ["1960M01", "…", 35.27, 0.9137, 83.5],
    ["1960M02", "…", 35.27, 0.9137, 83.5],
    ["2024M10", 71.6, 2690.08, 32.416, 998.91],
    ["2024M11", 69.69, 2651.13, 31.094, 965.53],
    ["2024M12", 70.12, "…", 30.5, 940.0],
]


def pink_workbook(rows: list[list[object]] = PINK_ROWS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Monthly Prices"
    for row in rows:
        sheet.append(row)
    book.create_sheet("Monthly Indices").append(["index sheet"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def client(tmp_path: Path, handler: Callable[[httpx.Request], httpx.Response]) -> HttpClient:
    return HttpClient(
        Settings(home=tmp_path),
        transport=httpx.MockTransport(handler),
        max_retries=0,
        backoff_base_s=0.0,
        sleep=lambda _s: None,
    )


def test_landing_page_link() -> None:
    assert find_pink_sheet_link(LANDING) == WORKBOOK_URL


def test_relative_link_is_made_absolute() -> None:
    page = '<a href="/content/dam/CMO-Historical-Data-Monthly.xlsx?v=2">x</a>'
    assert (
        find_pink_sheet_link(page, "https://www.worldbank.org/en/research/commodity-markets")
        == "https://www.worldbank.org/content/dam/CMO-Historical-Data-Monthly.xlsx?v=2"
    )


def test_landing_page_without_link() -> None:
    with pytest.raises(PayloadChanged, match=r"CMO-Historical-Data-Monthly\.xlsx"):
        find_pink_sheet_link("<html><a href='/annual.xlsx'>annual</a></html>")


def test_gold_column_from_a_real_xlsx() -> None:
    frame = parse_pink_sheet(pink_workbook())
    assert frame["date"].dt.date.tolist() == [
        date(1960, 1, 1),
        date(1960, 2, 1),
        date(2024, 10, 1),
        date(2024, 11, 1),
        date(2024, 12, 1),
    ]
    assert frame["value"].tolist()[:4] == [35.27, 35.27, 2690.08, 2651.13]
    assert math.isnan(frame["value"].iloc[-1])  # "…" is missing


def test_other_codes_and_shifted_header() -> None:
    rows = [["an extra title row"], *PINK_ROWS]
    frame = pink_sheet_rows_to_frame(rows, "SILVER")
    assert frame["value"].iloc[-1] == 30.5


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        (PINK_ROWS[:6], "no column coded"),
        ([*PINK_ROWS[:7], ["1960-01", 1, 2, 3, 4]], "not a period"),
        ([*PINK_ROWS[:7], ["1960M13", 1, 2, 3, 4]], "no month"),
        ([*PINK_ROWS[:7], ["1960M01", 1, "n.a.x", 3, 4]], "not a price"),
        (PINK_ROWS[:7], "no data rows"),
    ],
)
def test_sheet_changes_are_payload_changed(rows: list[list[object]], words: str) -> None:
    with pytest.raises(PayloadChanged, match=words):
        pink_sheet_rows_to_frame(rows)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.sampled_from(["GOLD", "…", "1960M01", "2024M12", "2024M00"]),
                st.floats(),
                st.integers(),
                st.text(max_size=8),
            ),
            max_size=4,
        ),
        max_size=12,
    )
)
def test_pink_rows_clean_or_payload_changed(rows: list[list[object]]) -> None:
    try:
        frame = pink_sheet_rows_to_frame(rows)
    except PayloadChanged:
        return
    assert frame["date"].is_monotonic_increasing
    assert frame["date"].is_unique
    assert ((frame["value"] >= 0) | frame["value"].isna()).all()


def test_pink_sheet_source_scrapes_then_downloads(tmp_path: Path) -> None:
    workbook = pink_workbook()
    urls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        if request.url.host == "www.worldbank.org":
            return httpx.Response(200, text=LANDING, headers={"content-type": "text/html"})
        return httpx.Response(200, content=workbook)

    source = PinkSheetSource(client(tmp_path, handler), Settings(home=tmp_path))
    results = list(source.fetch(["GOLD_MONTHLY", "GOLD_ANNUAL"], {"GOLD_MONTHLY": None}))
    assert urls == ["https://www.worldbank.org/en/research/commodity-markets", WORKBOOK_URL]
    monthly, annual = results
    assert isinstance(monthly, Fetched)
    assert monthly.served_by == "worldbank"
    assert len(monthly.rows) == 5
    assert isinstance(annual, FetchFailed)
    assert isinstance(annual.error, SourceRejected)


def test_stooq_gold_incremental_with_overlap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STOOQ_API_KEY", raising=False)
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, text=(PAYLOADS / "stooq_xauusd_d.csv").read_text())

    source = StooqGoldSource(client(tmp_path, handler), Settings(home=tmp_path))
    (result,) = list(source.fetch(["GOLD_DAILY"], {"GOLD_DAILY": date(2025, 12, 22)}))
    assert isinstance(result, Fetched)
    assert result.served_by == "stooq"
    assert result.rows["value"].iloc[-1] == 4479.325
    params = seen[0].params
    assert params["s"] == "xauusd"
    assert params["d1"] == "20251215"  # a week of overlap for late corrections
    assert "apikey" not in params


def test_stooq_gold_hits_limit(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="Exceeded the daily hits limit")

    source = StooqGoldSource(client(tmp_path, handler), Settings(home=tmp_path), api_key="k-123")
    (result,) = list(source.fetch(["GOLD_DAILY"], {}))
    assert isinstance(result, FetchFailed)
    assert isinstance(result.error, SourceUnavailable)
    assert "k-123" not in str(result.error)


@pytest.mark.live
@pytest.mark.skipif(os.environ.get("BONDTHESIS_LIVE") != "1", reason="set BONDTHESIS_LIVE=1")
def test_live_pink_sheet() -> None:  # pragma: no cover - network
    settings_ = Settings.from_env()
    with HttpClient(settings_) as http:
        (result,) = list(PinkSheetSource(http, settings_).fetch(["GOLD_MONTHLY"], {}))
    assert isinstance(result, Fetched), result
