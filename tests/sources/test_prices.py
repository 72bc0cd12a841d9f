"""Yahoo chart v8 and Stooq CSV parsers, and the Yahoo → Stooq failover of PriceSource."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.config import Settings
from bondthesis.errors import PayloadChanged, SourceRejected, SourceUnavailable
from bondthesis.sources._http import HttpClient
from bondthesis.sources.base import Fetched, FetchFailed
from bondthesis.sources.prices import (
    PriceSource,
    parse_stooq_csv,
    parse_yahoo_chart,
    stooq_api_key_from_env,
)

PAYLOADS = Path(__file__).parent / "payloads"
FAKE_STOOQ_KEY = "stq-SECRET-9f8e7d"


def payload(name: str) -> str:
    return (PAYLOADS / name).read_text(encoding="utf-8")


def client(tmp_path: Path, handler: Callable[[httpx.Request], httpx.Response]) -> HttpClient:
    return HttpClient(
        Settings(home=tmp_path),
        transport=httpx.MockTransport(handler),
        max_retries=1,
        backoff_base_s=0.0,
        sleep=lambda _s: None,
    )


# -- Yahoo parser ---------------------------------------------------------------------------------


def test_yahoo_adjusted_closes_on_exchange_dates() -> None:
    frame = parse_yahoo_chart(payload("yahoo_chart_TLT_2024-06.json"), "TLT")
    # 13:30 UTC with gmtoffset -14400 is 09:30 New York on the same day; the null row is dropped.
    assert list(frame["date"].dt.date) == [date(2024, 6, 3), date(2024, 6, 4), date(2024, 6, 5)]
    assert frame["value"].tolist() == [88.43, 89.33, 90.06]
    assert frame["value"].dtype == "float64"


def test_yahoo_recorded_aapl_sample_shape() -> None:
    # The shape of gadicc/node-yahoo-finance2's recorded AAPL response (SOURCES.md §5.2).
    body = {
        "chart": {
            "result": [
                {
                    "meta": {"symbol": "AAPL", "gmtoffset": -18000},
                    "timestamp": [1577975400],
                    "indicators": {
                        "quote": [{"close": [75.0875015258789]}],
                        "adjclose": [{"adjclose": [73.98847198486328]}],
                    },
                }
            ],
            "error": None,
        }
    }
    frame = parse_yahoo_chart(json.dumps(body), "AAPL")
    assert frame["date"].dt.date.tolist() == [date(2020, 1, 2)]
    assert frame["value"].iloc[0] == pytest.approx(73.98847198486328)


def test_yahoo_chart_error_not_found_is_rejected() -> None:
    with pytest.raises(SourceRejected, match="symbol may be delisted"):
        parse_yahoo_chart(payload("yahoo_chart_not_found.json"), "NOPE")


@pytest.mark.parametrize(
    "body",
    [
        "<!DOCTYPE html><html>consent</html>",
        '{"chart": {"result": [], "error": null}}',
        '{"chart": {"result": [{"timestamp": [1], "indicators": {"quote": [{}]}}], "error": null}}',
        '{"chart": {"result": [{"timestamp": [1, 2], '
        '"indicators": {"adjclose": [{"adjclose": [1.0]}]}}], "error": null}}',
        '{"chart": {"result": [{"timestamp": [1], '
        '"indicators": {"adjclose": [{"adjclose": [-3.0]}]}}], "error": null}}',
        '{"chart": {"result": null, "error": {"code": "Bad Request", "description": "x"}}}',
    ],
)
def test_yahoo_unexpected_shapes_are_payload_changed(body: str) -> None:
    with pytest.raises(PayloadChanged):
        parse_yahoo_chart(body, "TLT")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    stamps=st.lists(st.one_of(st.integers(-(2**40), 2**40), st.floats(), st.text(max_size=3))),
    closes=st.lists(st.one_of(st.none(), st.floats(), st.integers(), st.text(max_size=3))),
    offset=st.one_of(st.integers(-50000, 50000), st.none(), st.text(max_size=2)),
    noise=json_values,
)
def test_yahoo_parser_clean_or_payload_changed(
    stamps: list[object], closes: list[object], offset: object, noise: object
) -> None:
    body = {
        "chart": {
            "result": [
                {
                    "meta": {"gmtoffset": offset, "x": noise},
                    "timestamp": stamps,
                    "indicators": {"adjclose": [{"adjclose": closes}]},
                }
            ],
            "error": None,
        }
    }
    try:
        frame = parse_yahoo_chart(json.dumps(body), "TLT")
    except PayloadChanged:
        return
    assert_clean(frame)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_yahoo_parser_random_bytes(body: bytes) -> None:
    try:
        frame = parse_yahoo_chart(body, "TLT")
    except PayloadChanged:
        return
    assert_clean(frame)


def assert_clean(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == ["date", "value"]
    assert len(frame) > 0
    assert frame["date"].is_monotonic_increasing
    assert frame["date"].is_unique
    assert all(math.isfinite(v) and v > 0 for v in frame["value"])


# -- Stooq parser ---------------------------------------------------------------------------------


def test_stooq_closes() -> None:
    frame = parse_stooq_csv(payload("stooq_tlt_us_d.csv"), "tlt.us")
    assert frame["date"].dt.date.tolist() == [date(2024, 6, 3), date(2024, 6, 4), date(2024, 6, 5)]
    assert frame["value"].tolist() == [88.43, 89.33, 90.06]


def test_stooq_metals_have_no_volume_column() -> None:
    frame = parse_stooq_csv(payload("stooq_xauusd_d.csv"), "xauusd")
    assert frame["date"].iloc[0] == pd.Timestamp("1793-03-01")
    assert frame["value"].iloc[-1] == 4479.325


@pytest.mark.parametrize(
    ("body", "error", "words"),
    [
        ("No data", SourceRejected, "no data"),
        ("", SourceRejected, "no data"),
        ("Exceeded the daily hits limit", SourceUnavailable, "daily hits limit"),
        ("<!DOCTYPE html><html><script>pow()</script></html>", PayloadChanged, "STOOQ_API_KEY"),
        ("Symbol,Date,Close\nx,2024-01-01,1", PayloadChanged, "header"),
        ("Date,Open,High,Low,Close\n2024-13-01,1,1,1,1", PayloadChanged, "not a date"),
        ("Date,Open,High,Low,Close\n2024-01-02,1,1,1,n/a", PayloadChanged, "not a number"),
    ],
)
def test_stooq_failure_bodies(body: str, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=f"(?i){words}"):
        parse_stooq_csv(body, "tlt.us")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.dates().map(str), st.text(max_size=10)),
            st.one_of(st.floats().map(repr), st.text(max_size=6), st.integers().map(str)),
        ),
        max_size=8,
    ),
    st.sampled_from(["Date,Open,High,Low,Close,Volume", "Date,Close", "date,x", ""]),
)
def test_stooq_parser_clean_or_payload_changed(rows: list[tuple[str, str]], header: str) -> None:
    text = header + "\n" + "\n".join(f"{d},1,1,1,{c},10" for d, c in rows)
    try:
        frame = parse_stooq_csv(text, "tlt.us")
    except PayloadChanged:
        return
    except SourceRejected:
        assert header == ""
        assert not rows
        return
    assert_clean(frame)


# -- PriceSource (fetch through MockTransport) ---------------------------------------------


def test_yahoo_serves_when_it_answers(tmp_path: Path) -> None:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, text=payload("yahoo_chart_TLT_2024-06.json"))

    source = PriceSource(client(tmp_path, handler), Settings(home=tmp_path), stooq_api_key=None)
    (result,) = list(source.fetch(["TLT"], {"TLT": None}))
    assert isinstance(result, Fetched)
    assert result.served_by == "yahoo"
    assert len(result.rows) == 3
    url = seen[0]
    assert url.path == "/v8/finance/chart/TLT"
    assert url.params["interval"] == "1d"
    assert url.params["events"] == "div|split"
    assert url.params["includeAdjustedClose"] == "true"
    assert url.params["period1"] == "0"


def test_yahoo_429_fails_over_to_stooq_with_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STOOQ_API_KEY", FAKE_STOOQ_KEY)
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        if request.url.host == "query1.finance.yahoo.com":
            return httpx.Response(429, text="Too Many Requests")
        assert request.url.params["s"] == "tmf.us"
        assert request.url.params["apikey"] == FAKE_STOOQ_KEY
        return httpx.Response(200, text=payload("stooq_tlt_us_d.csv"))

    source = PriceSource(client(tmp_path, handler), Settings(home=tmp_path))
    (result,) = list(source.fetch(["TMF"], {}))
    assert isinstance(result, Fetched)
    assert result.served_by == "stooq"
    assert hosts == ["query1.finance.yahoo.com", "query1.finance.yahoo.com", "stooq.com"]


def test_both_down_names_both_and_hides_the_key(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "stooq.com":
            return httpx.Response(200, text="Exceeded the daily hits limit")
        return httpx.Response(429)

    source = PriceSource(
        client(tmp_path, handler), Settings(home=tmp_path), stooq_api_key=FAKE_STOOQ_KEY
    )
    (result,) = list(source.fetch(["SPY"], {"SPY": date(2024, 1, 1)}))
    assert isinstance(result, FetchFailed)
    assert isinstance(result.error, SourceUnavailable)
    text = str(result.error)
    assert "429" in text
    assert "daily hits limit" in text
    assert FAKE_STOOQ_KEY not in text
    assert FAKE_STOOQ_KEY not in repr(result.error.url)


def test_stooq_html_wall_is_payload_changed(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "stooq.com":
            return httpx.Response(200, text="<html><body>Get your apikey</body></html>")
        return httpx.Response(200, text=payload("yahoo_chart_not_found.json"))

    source = PriceSource(client(tmp_path, handler), Settings(home=tmp_path), stooq_api_key=None)
    (result,) = list(source.fetch(["IEF"], {}))
    assert isinstance(result, FetchFailed)
    assert isinstance(result.error, PayloadChanged)
    assert "STOOQ_API_KEY" in str(result.error)


def test_one_result_per_key_unknown_keys_fail(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=payload("yahoo_chart_TLT_2024-06.json"))

    source = PriceSource(client(tmp_path, handler), Settings(home=tmp_path), stooq_api_key=None)
    results = list(source.fetch(["TLT", "DGS30", "GLD"], {}))
    assert [r.key for r in results] == ["TLT", "DGS30", "GLD"]
    assert isinstance(results[1], FetchFailed)
    assert isinstance(results[1].error, SourceRejected)


def test_stooq_key_from_env() -> None:
    assert stooq_api_key_from_env({"STOOQ_API_KEY": " k "}) == "k"
    assert stooq_api_key_from_env({}) is None


@pytest.mark.live
@pytest.mark.skipif(os.environ.get("BONDTHESIS_LIVE") != "1", reason="set BONDTHESIS_LIVE=1")
def test_live_tlt_prices(tmp_path: Path) -> None:  # pragma: no cover - network
    settings_ = Settings.from_env()
    with HttpClient(settings_) as http:
        (result,) = list(PriceSource(http, settings_).fetch(["TLT"], {}))
    assert isinstance(result, Fetched), result
    assert result.rows["date"].min() <= pd.Timestamp("2002-08-30")


@pytest.mark.parametrize(("new_york_time", "drops_last"), [("11:45", True), ("17:00", False)])
def test_a_download_during_the_session_stores_only_finished_closes(
    tmp_path: Path, new_york_time: str, drops_last: bool
) -> None:
    body = payload("yahoo_chart_TLT_2024-06.json")
    full = parse_yahoo_chart(body, "TLT")
    last_day = full["date"].iloc[-1].date().isoformat()
    captured = datetime.fromisoformat(f"{last_day}T{new_york_time}").replace(
        tzinfo=ZoneInfo("America/New_York")
    )
    source = PriceSource(
        client(tmp_path, lambda request: httpx.Response(200, text=body)),
        Settings(home=tmp_path),
        stooq_api_key=None,
        clock=lambda: captured,
    )
    (result,) = list(source.fetch(["TLT"], {}))
    assert isinstance(result, Fetched)
    expected = full.iloc[:-1] if drops_last else full
    pd.testing.assert_frame_equal(
        result.rows.reset_index(drop=True), expected.reset_index(drop=True)
    )
