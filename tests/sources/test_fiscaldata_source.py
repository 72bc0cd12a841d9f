"""Fiscal Data parsers on hand-written envelopes, and FiscalDataSource against a local server.

The payload rows are made up in Fiscal Data's format (strings everywhere, "null" for missing).
"""

from __future__ import annotations

import json
import math
from datetime import date

import pytest
from fault_server import FaultServer, Reply, Seen
from source_helpers import payload

from bondthesis.errors import PayloadChanged, SourceRejected, SourceUnavailable
from bondthesis.sources._http import HttpClient
from bondthesis.sources.base import Fetched, FetchFailed
from bondthesis.sources.fiscaldata import (
    AUCTION_COLUMNS,
    FiscalDataSource,
    parse_auction_rows,
    parse_envelope,
    parse_interest_expense,
    parse_mts_table_1,
)

BASE = "/services/api/fiscal_service"
AUCTIONS = f"{BASE}/v1/accounting/od/auctions_query"
INTEREST = f"{BASE}/v2/accounting/od/interest_expense"
MTS = f"{BASE}/v1/accounting/mts/mts_table_1"


def _rows(name: str) -> list[dict[str, str]]:
    rows, _, _ = parse_envelope(json.loads(payload("fiscaldata", name)))
    return rows


def _by_key(results: list[Fetched | FetchFailed]) -> dict[str, Fetched | FetchFailed]:
    return {r.key: r for r in results}


def test_envelope_paging_fields() -> None:
    rows, pages, has_next = parse_envelope(json.loads(payload("fiscaldata", "auctions_page1.json")))
    assert (len(rows), pages, has_next) == (2, 2, True)
    assert parse_envelope(json.loads(payload("fiscaldata", "auctions_page2.json")))[2] is False


def test_auctions_rows_in_store_layout_with_reopenings_and_nulls() -> None:
    table = parse_auction_rows(_rows("auctions_page1.json") + _rows("auctions_page2.json"))
    assert list(table.columns) == list(AUCTION_COLUMNS)
    reopening = table[(table["cusip"] == "912810ZZ1") & (table["reopening"] == "Yes")].iloc[0]
    assert reopening["security_term"] == "29-Year 11-Month"
    assert reopening["original_security_term"] == "30-Year"
    assert reopening["offering_amt"] == 22e9
    assert reopening["high_yield"] == pytest.approx(4.773)
    assert reopening["issue_date"] == date(2025, 12, 15)
    tips = table[table["cusip"] == "912828ZZ7"].iloc[0]
    assert bool(tips["tips"]) is True
    assert math.isnan(tips["bid_to_cover_ratio"])  # "null": announced, not yet held


def test_auction_without_original_term_takes_the_cusips_first_term() -> None:
    rows = _rows("auctions_page1.json")
    for row in rows:
        del row["original_security_term"]
    table = parse_auction_rows(rows)
    assert table["original_security_term"].tolist() == ["30-Year", "30-Year"]


def test_interest_expense_sums_public_issues_per_month() -> None:
    frame = parse_interest_expense(_rows("interest_expense.json"))
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-11-01",
        "2025-12-01",
        "2026-01-01",
    ]
    # 40000000000.25 + 30000000000.50 - 1000000000.75 (the GAS row is left out)
    assert frame["value"].iloc[0] == pytest.approx(69_000_000_000.0)
    assert frame["value"].iloc[1] == pytest.approx(41e9)  # the "null" row adds nothing
    assert math.isnan(frame["value"].iloc[2])  # every amount "null"


def test_mts_reads_each_statements_own_month_after_its_fy_label() -> None:
    series = parse_mts_table_1(_rows("mts_table_1.json"))
    receipts, outlays = series["MTS_RECEIPTS"], series["MTS_OUTLAYS"]
    assert receipts["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-12-01", "2026-01-01"]
    assert receipts["value"].tolist() == [479e9, 560e9]
    assert outlays["value"].tolist() == [624e9, 655e9]


def test_mts_ambiguous_month_is_a_changed_payload() -> None:
    rows = [r for r in _rows("mts_table_1.json") if not r["classification_desc"].startswith("FY")]
    with pytest.raises(PayloadChanged, match="rows for December"):
        parse_mts_table_1(rows)


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda r: r.pop("issue_date"), "issue_date"),
        (lambda r: r.update(offering_amt="22,000,000,000"), "not a number"),
        (lambda r: r.update(auction_date="07/10/2025"), "not a date"),
        (lambda r: r.update(offering_amt=22), "not a string"),
    ],
)
def test_auctions_reject_changed_rows(mutate: object, match: str) -> None:
    rows = _rows("auctions_page1.json")
    mutate(rows[0])  # type: ignore[operator]
    with pytest.raises(PayloadChanged, match=match):
        parse_auction_rows(rows)


def test_interest_expense_renamed_category_is_reported() -> None:
    rows = _rows("interest_expense.json")
    for row in rows:
        row["expense_catg_desc"] = row["expense_catg_desc"].title()
    assert len(parse_interest_expense(rows)) == 3  # case does not matter
    for row in rows:
        row["expense_catg_desc"] = "PUBLIC ISSUES INTEREST"
    with pytest.raises(PayloadChanged, match="no 'INTEREST EXPENSE ON PUBLIC ISSUES' rows"):
        parse_interest_expense(rows)


def test_source_follows_pages_and_derives_bid_to_cover(
    server: FaultServer, keyless_http: HttpClient
) -> None:
    def answer(seen: Seen) -> Reply:
        page = seen.query["page[number]"][0]
        assert seen.query["page[size]"] == ["10000"]
        return Reply(200, payload("fiscaldata", f"auctions_page{page}.json"))

    server.script(AUCTIONS, answer)
    source = FiscalDataSource(keyless_http, keyless_http.settings, base_url=server.url(BASE))
    since = {"AUCTIONS": date(2025, 11, 1), "BIDTOCOVER_30Y": date(2025, 12, 1)}
    results = _by_key(list(source.fetch(["AUCTIONS", "BIDTOCOVER_30Y"], since)))
    auctions = results["AUCTIONS"]
    assert isinstance(auctions, Fetched)
    assert auctions.table == "auctions"
    assert len(auctions.rows) == 4
    btc = results["BIDTOCOVER_30Y"]
    assert isinstance(btc, Fetched)
    assert btc.rows["value"].tolist() == [2.42]  # the reopening on 2025-12-11 only
    requests = server.requests_to(AUCTIONS)
    assert len(requests) == 2
    assert requests[0].query["filter"] == ["auction_date:gte:2025-11-01"]


def test_source_interest_and_mts(server: FaultServer, keyless_http: HttpClient) -> None:
    server.script(INTEREST, Reply(200, payload("fiscaldata", "interest_expense.json")))
    server.script(MTS, Reply(200, payload("fiscaldata", "mts_table_1.json")))
    source = FiscalDataSource(keyless_http, keyless_http.settings, base_url=server.url(BASE))
    results = _by_key(list(source.fetch(["INTEREST_EXPENSE", "MTS_RECEIPTS", "MTS_OUTLAYS"], {})))
    assert {k: type(v).__name__ for k, v in results.items()} == {
        "INTEREST_EXPENSE": "Fetched",
        "MTS_RECEIPTS": "Fetched",
        "MTS_OUTLAYS": "Fetched",
    }
    assert len(server.requests_to(MTS)) == 1


def test_source_reports_faults_per_key(server: FaultServer, keyless_http: HttpClient) -> None:
    server.script(AUCTIONS, Reply(400, payload("fiscaldata", "error_bad_field.json")))
    server.script(INTEREST, Reply(500, b"Internal Server Error"))
    server.script(MTS, Reply(200, b'{"data": [{"record_date": "2026-01-31"}], "meta": {}}'))
    source = FiscalDataSource(keyless_http, keyless_http.settings, base_url=server.url(BASE))
    keys = ["AUCTIONS", "INTEREST_EXPENSE", "MTS_RECEIPTS", "MTS_OUTLAYS"]
    results = _by_key(list(source.fetch(keys, {})))
    assert all(isinstance(r, FetchFailed) for r in results.values())
    errors = {k: r.error for k, r in results.items() if isinstance(r, FetchFailed)}
    assert isinstance(errors["AUCTIONS"], SourceRejected)
    assert "Fields must exist on the dataset" in str(errors["AUCTIONS"])
    assert isinstance(errors["INTEREST_EXPENSE"], SourceUnavailable)
    assert "HTTP 500 after 3 tries" in str(errors["INTEREST_EXPENSE"])
    assert isinstance(errors["MTS_OUTLAYS"], PayloadChanged)
    assert "classification_desc" in str(errors["MTS_OUTLAYS"])
