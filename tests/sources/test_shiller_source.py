"""Shiller's workbook: the real file's layout, the landing-page link, faults by name."""

from __future__ import annotations

import math
from pathlib import Path

import httpx
import pandas as pd
import pytest

from bondthesis.config import Settings
from bondthesis.errors import PayloadChanged
from bondthesis.sources._http import HttpClient
from bondthesis.sources.base import Fetched, FetchFailed
from bondthesis.sources.shiller import (
    ShillerSource,
    find_workbook_link,
    parse_shiller_rows,
    parse_shiller_xls,
)

HEADER = [
    "Date",
    "P",
    "D",
    "E",
    "CPI",
    "Fraction",
    "Rate GS10",
    "Price",
    "Dividend",
    "Price",
    "Earnings",
    "Earnings",
    "CAPE",
    "",
    "TR CAPE",
]


def rows() -> list[list[object]]:
    return [
        ["Stock Market Data Used in 'Irrational Exuberance'"] + [""] * 14,
        HEADER,
        [
            2025.09,
            6600.0,
            78.0,
            230.0,
            323.0,
            2025.7,
            4.1,
            6700,
            79,
            4.6e6,
            233,
            1.9e5,
            39.1,
            "",
            41.9,
        ],
        [
            2025.1,
            6700.0,
            78.5,
            231.0,
            324.0,
            2025.8,
            4.0,
            6800,
            79,
            4.7e6,
            234,
            1.9e5,
            39.3,
            "",
            42.0,
        ],
        [2025.11, 6650.0, "", "", 325.0, 2025.9, 4.1, 6750, "", 4.65e6, "", "", 39.0, "", 41.8],
        ["", "July price is July 1st close"] + [""] * 13,
    ]


def test_decimal_months_and_blanks() -> None:
    frames = parse_shiller_rows(rows())
    p = frames["SHILLER_P"]
    assert p["date"].tolist() == list(pd.to_datetime(["2025-09-01", "2025-10-01", "2025-11-01"]))
    assert p["value"].tolist() == [6600.0, 6700.0, 6650.0]
    assert math.isnan(frames["SHILLER_E"]["value"].iloc[2])
    assert frames["SHILLER_REAL_TR_PRICE"]["value"].iloc[1] == 4.7e6
    assert frames["SHILLER_CAPE"]["value"].iloc[0] == 39.1


def test_changed_layout_is_payload_changed() -> None:
    broken = rows()
    broken[1] = [c if c != "CAPE" else "PE10" for c in HEADER]
    with pytest.raises(PayloadChanged, match="CAPE"):
        parse_shiller_rows(broken)
    with pytest.raises(PayloadChanged, match="not Shiller's workbook"):
        parse_shiller_xls(b"<html>blocked</html>")


def test_landing_page_link() -> None:
    html = '<a href="https://img1.example/blobby/go/abc/downloads/ie_data.xls?ver=1">data</a>'
    assert find_workbook_link(html).endswith("ie_data.xls?ver=1")
    assert find_workbook_link('<a href="/files/ie_data.xls">x</a>') == (
        "https://shillerdata.com/files/ie_data.xls"
    )
    with pytest.raises(PayloadChanged):
        find_workbook_link("<p>moved</p>")


def test_real_workbook_matches_the_snapshot_csv(shared_data: Path) -> None:
    raw = shared_data / "raw" / "shiller_ie_data_2024-current.xls"
    if not raw.is_file():
        pytest.skip(f"{raw} is absent")
    frames = parse_shiller_xls(raw.read_bytes())
    csv = pd.read_csv(shared_data / "shiller_ie_data.csv", parse_dates=["date"])
    p = frames["SHILLER_P"].set_index("date")["value"]
    assert p.index[0] == pd.Timestamp("1871-01-01")
    assert p[pd.Timestamp("2025-10-01")] == pytest.approx(
        csv.set_index("date").loc["2025-10-01", "P"]
    )
    cape = frames["SHILLER_CAPE"].set_index("date")["value"].dropna()
    expected = csv.set_index("date")["CAPE"].dropna()
    pd.testing.assert_series_equal(
        cape, expected, check_names=False, check_freq=False, check_index_type=False
    )


def test_source_falls_back_to_yale_and_says_so() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if "shillerdata" in str(request.url):
            return httpx.Response(503)
        return httpx.Response(200, content=b"<html>not a workbook</html>")

    http = HttpClient(
        Settings(home=Path(".")),
        transport=httpx.MockTransport(handler),
        max_retries=0,
        sleep=lambda s: None,
    )
    results = list(ShillerSource(http, Settings(home=Path("."))).fetch(["SHILLER_P"], {}))
    assert isinstance(results[0], FetchFailed)
    assert "not Shiller's workbook" in str(results[0].error)
    assert not isinstance(results[0], Fetched)
