"""FINRA parsers on hand-written payloads in FINRA's formats, and FinraSource on a local server.

The rows are made up in FINRA's layouts (not real TLT positions).
"""

from __future__ import annotations

import json
import math
from datetime import date

import pytest
from fault_server import FaultServer, Reply, Seen
from source_helpers import payload

from bondthesis.errors import PayloadChanged, SourceUnavailable
from bondthesis.sources._http import HttpClient
from bondthesis.sources.base import Fetched, FetchFailed
from bondthesis.sources.finra import (
    FinraSource,
    parse_api_rows,
    parse_short_interest_file,
    settlement_dates,
    short_interest_series,
)

API = "/data/group/otcMarket/name/consolidatedShortInterest"
FILES = "/equity/otcmarket/biweekly"
TLT_KEYS = ["TLT_SHORT_INTEREST", "TLT_DAYS_TO_COVER", "TLT_AVG_DAILY_VOLUME", "TMF_SHORT_INTEREST"]


def _api_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(payload("finra", "api_page1.json"))
    return rows + json.loads(payload("finra", "api_page2.json"))


def _by_key(results: list[Fetched | FetchFailed]) -> dict[str, Fetched | FetchFailed]:
    return {r.key: r for r in results}


def _source(http: HttpClient, server: FaultServer, today: date) -> FinraSource:
    return FinraSource(
        http,
        http.settings,
        api_url=server.url(API),
        files_url=server.url(FILES),
        today=lambda: today,
    )


def test_api_rows_restatement_wins_and_sentinel_is_missing() -> None:
    table = parse_api_rows(_api_rows())
    tlt = table[table["symbol"] == "TLT"]
    assert tlt["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-12-15", "2025-12-31"]
    assert tlt["shares_short"].tolist() == [98_500_000.0, 101_000_000.0]  # revisionFlag Y row
    tmf = table[table["symbol"] == "TMF"]
    assert math.isnan(tmf["days_to_cover"].iloc[0])  # 999.99
    assert tmf["days_to_cover"].iloc[1] == 1.0


def test_file_parse_filters_symbols_and_maps_the_sentinel() -> None:
    text = payload("finra", "shrt20260115.csv").decode()
    table = parse_short_interest_file(text, {"TLT", "TMF"})
    assert sorted(table["symbol"]) == ["TLT", "TMF"]
    tlt = table[table["symbol"] == "TLT"].iloc[0]
    assert (tlt["shares_short"], tlt["avg_daily_volume"], tlt["days_to_cover"]) == (
        103_000_000.0,
        41_000_000.0,
        2.51,
    )
    everything = parse_short_interest_file(text)
    assert math.isnan(everything.loc[everything["symbol"] == "ZZZQ", "days_to_cover"].iloc[0])


def test_series_for_catalog_keys() -> None:
    series = short_interest_series(parse_api_rows(_api_rows()), [*TLT_KEYS, "EDV_SHORT_INTEREST"])
    assert sorted(series) == sorted(TLT_KEYS)  # no EDV rows, no EDV series
    assert series["TLT_AVG_DAILY_VOLUME"]["value"].tolist() == [35e6, 40e6]
    assert series["TLT_DAYS_TO_COVER"]["value"].tolist() == [2.81, 2.53]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "empty"),
        ("<html><body>Access Denied</body></html>", "not the short-interest layout"),
        ("symbolCode|settlementDate\nTLT", "line 2 has 1 fields"),
        (
            "symbolCode|settlementDate|currentShortPositionQuantity\nTLT|2026-01-15|1,000\n",
            "number",
        ),
        ("symbolCode|settlementDate\nTLT|2026-01-15\n", "currentShortPositionQuantity"),
        ("symbolCode|settlementDate|currentShortPositionQuantity\nTLT|15/01/2026|1\n", "date"),
    ],
)
def test_file_rejects_changed_payloads(text: str, match: str) -> None:
    with pytest.raises(PayloadChanged, match=match):
        parse_short_interest_file(text)


@pytest.mark.parametrize("body", [{"rows": []}, ["x"], [{"symbolCode": 5}]])
def test_api_rejects_changed_payloads(body: object) -> None:
    with pytest.raises(PayloadChanged):
        parse_api_rows(body)


def test_settlement_dates_mid_month_and_month_end() -> None:
    assert settlement_dates(date(2024, 2, 1), date(2024, 3, 15)) == [
        date(2024, 2, 15),
        date(2024, 2, 29),
        date(2024, 3, 15),
    ]


def test_api_pages_by_offset_and_record_total(
    server: FaultServer, keyless_http: HttpClient
) -> None:
    def answer(seen: Seen) -> Reply:
        body = json.loads(seen.body)
        assert body["domainFilters"] == [{"fieldName": "symbolCode", "values": ["TLT", "TMF"]}]
        assert body["dateRangeFilters"][0]["startDate"] == "2025-12-01"
        page = "api_page1.json" if body["offset"] == 0 else "api_page2.json"
        return Reply(200, payload("finra", page), {"record-total": "5"})

    server.script(API, answer)
    since = dict.fromkeys(TLT_KEYS, date(2025, 12, 1))
    results = _by_key(list(_source(keyless_http, server, date(2026, 1, 5)).fetch(TLT_KEYS, since)))
    assert [json.loads(s.body)["offset"] for s in server.requests_to(API)] == [0, 3]
    assert all(s.method == "POST" for s in server.requests_to(API))
    for key in TLT_KEYS:
        result = results[key]
        assert isinstance(result, Fetched)
        assert result.served_by == "finra:api"
    short = results["TLT_SHORT_INTEREST"]
    assert isinstance(short, Fetched)
    assert short.rows["value"].tolist() == [98.5e6, 101e6]
    assert not [s for s in server.seen if s.path.startswith(FILES)]


def test_api_204_means_nothing_new(server: FaultServer, keyless_http: HttpClient) -> None:
    server.script(API, Reply(204))
    since = {"TLT_SHORT_INTEREST": date(2026, 1, 16)}
    source = _source(keyless_http, server, date(2026, 1, 20))
    (result,) = list(source.fetch(["TLT_SHORT_INTEREST"], since))
    assert isinstance(result, Fetched)
    assert result.rows.empty


def test_api_down_falls_back_to_files_walking_back_over_holidays(
    server: FaultServer, keyless_http: HttpClient
) -> None:
    server.script(API, Reply(503, b"Service Unavailable"))
    january_15 = payload("finra", "shrt20260115.csv")
    january_30 = january_15.replace(b"2026-01-15", b"2026-01-30").replace(b"103000000", b"99000000")

    def files(seen: Seen) -> Reply:
        name = seen.path.rsplit("/", 1)[-1]
        content = {"shrt20260115.csv": january_15, "shrt20260130.csv": january_30}.get(name)
        return Reply(200, content) if content else Reply(403, b"<Error>AccessDenied</Error>")

    for day in ("20260115", "20260131", "20260130"):
        server.script(f"{FILES}/shrt{day}.csv", files)
    since = {"TLT_SHORT_INTEREST": date(2026, 1, 1)}
    source = _source(keyless_http, server, date(2026, 2, 10))
    (result,) = list(source.fetch(["TLT_SHORT_INTEREST"], since))
    assert isinstance(result, Fetched)
    assert result.served_by == "finra:files"
    assert result.rows["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-15", "2026-01-30"]
    assert result.rows["value"].tolist() == [103e6, 99e6]
    asked = [s.path.rsplit("/", 1)[-1] for s in server.seen if s.path.startswith(FILES)]
    # 2026-01-31 is a Saturday: the walk back goes to Friday 2026-01-30 directly
    assert asked == ["shrt20260115.csv", "shrt20260130.csv"]


def test_everything_down_is_reported_per_key(server: FaultServer, keyless_http: HttpClient) -> None:
    server.script(API, Reply(500, b"oops"))
    server.script(f"{FILES}/shrt20260115.csv", Reply(502, b"bad gateway"))
    since = dict.fromkeys(TLT_KEYS, date(2026, 1, 10))
    source = _source(keyless_http, server, date(2026, 1, 20))
    results = list(source.fetch(TLT_KEYS, since))
    assert len(results) == len(TLT_KEYS)
    for result in results:
        assert isinstance(result, FetchFailed)
        assert isinstance(result.error, SourceUnavailable)
        assert "HTTP 502 after 3 tries" in str(result.error)


def test_unknown_symbol_everywhere_is_a_changed_payload(
    server: FaultServer, keyless_http: HttpClient
) -> None:
    server.script(API, Reply(200, b"[]", {"record-total": "0"}))
    source = _source(keyless_http, server, date(2018, 1, 5))
    (result,) = list(source.fetch(["EDV_SHORT_INTEREST"], {}))
    assert isinstance(result, FetchFailed)
    assert isinstance(result.error, PayloadChanged)
    assert "no short-interest rows for EDV" in str(result.error)
