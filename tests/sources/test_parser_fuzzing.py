"""Every parser returns clean data or raises PayloadChanged, whatever it is fed (Hypothesis)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import httpx
import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from source_helpers import payload

from bondthesis.errors import PayloadChanged
from bondthesis.sources._http import expect_json
from bondthesis.sources.finra import parse_api_rows, parse_short_interest_file
from bondthesis.sources.fiscaldata import (
    AUCTION_COLUMNS,
    AUCTION_FIELDS,
    parse_auction_rows,
    parse_envelope,
    parse_interest_expense,
    parse_mts_table_1,
)
from bondthesis.sources.fred import (
    parse_fredgraph_csv,
    parse_fredgraph_payload,
    parse_observations_json,
)

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
cell_values = st.one_of(
    st.none(),
    st.sampled_from(
        ["null", "", ".", "Yes", "No", "2025-01-31", "1.5", "-3e2", "NaN", "inf", "999.99"]
    ),
    st.text(max_size=10),
    st.integers(),
    st.floats(),
)


def _mutations(text: str) -> st.SearchStrategy[str]:
    """``text`` with a few characters deleted, replaced or inserted, or cut short."""

    def apply(edits: list[tuple[int, int, str]], cut: int | None) -> str:
        chars = list(text)
        for position, op, char in edits:
            where = position % (len(chars) + 1)
            if op == 0 and where < len(chars):
                del chars[where]
            elif op == 1 and where < len(chars):
                chars[where] = char
            else:
                chars.insert(where, char)
        out = "".join(chars)
        return out if cut is None else out[: cut % (len(out) + 1)]

    edit = st.tuples(
        st.integers(0, 10_000), st.integers(0, 2), st.sampled_from(list(',.|\n"x0-9 :{}[]'))
    )
    return st.builds(apply, st.lists(edit, max_size=6), st.none() | st.integers(0, 10_000))


def _check_series(frame: pd.DataFrame) -> None:
    assert {"date", "value"} <= set(frame.columns)
    assert frame["date"].dtype.kind == "M"
    assert frame["value"].dtype == np.float64
    values = frame["value"].to_numpy()
    assert np.all(np.isfinite(values) | np.isnan(values))
    keys = ["date", "vintage"] if "vintage" in frame.columns else ["date"]
    assert not frame.duplicated(keys).any()
    assert frame["date"].is_monotonic_increasing


def _clean_or_changed(parse: Callable[[], Any], check: Callable[[Any], None]) -> None:
    try:
        result = parse()
    except PayloadChanged:
        return
    check(result)


def _check_series_dict(frames: dict[str, pd.DataFrame]) -> None:
    for frame in frames.values():
        _check_series(frame)


def _check_short_table(table: pd.DataFrame) -> None:
    assert table["date"].dtype.kind == "M"
    for column in ("shares_short", "avg_daily_volume", "days_to_cover"):
        values = table[column].to_numpy(dtype="float64")
        assert np.all(np.isfinite(values) | np.isnan(values))
    assert not table.duplicated(["symbol", "date"]).any()


FRED_CSV = payload("fred", "fredgraph_new_two_series.csv").decode()
FRED_JSON = payload("fred", "alfred_payems_vintages.json").decode()
FINRA_FILE = payload("finra", "shrt20260115.csv").decode()
MTS_JSON = payload("fiscaldata", "mts_table_1.json").decode()
AUCTIONS_JSON = payload("fiscaldata", "auctions_page1.json").decode()


@FUZZ
@given(st.text(max_size=300) | _mutations(FRED_CSV))
def test_fredgraph_csv(text: str) -> None:
    _clean_or_changed(lambda: parse_fredgraph_csv(text), _check_series_dict)


@FUZZ
@given(st.binary(max_size=300) | _mutations(FRED_CSV).map(str.encode))
def test_fredgraph_bytes(content: bytes) -> None:
    _clean_or_changed(lambda: parse_fredgraph_payload(content), _check_series_dict)


@FUZZ
@given(st.binary(max_size=40), st.integers(0, 400), st.integers(0, 255))
def test_fredgraph_corrupted_zip(junk: bytes, position: int, byte: int) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("DGS10.csv", FRED_CSV)
        archive.writestr("junk.csv", junk)
    content = bytearray(buffer.getvalue())
    content[position % len(content)] = byte
    _clean_or_changed(lambda: parse_fredgraph_payload(bytes(content)), _check_series_dict)


@FUZZ
@given(json_values | _mutations(FRED_JSON), st.booleans())
def test_fred_json(value: Any, vintages: bool) -> None:
    def parse() -> pd.DataFrame:
        body = value.encode() if isinstance(value, str) else json.dumps(value).encode()
        request = httpx.Request("GET", "https://e.test/obs")
        decoded = expect_json(httpx.Response(200, content=body, request=request), provider="fred")
        return parse_observations_json(decoded, vintages=vintages)

    _clean_or_changed(parse, _check_series)


def _rows(fields: list[str]) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(
        st.dictionaries(st.sampled_from(fields), cell_values, max_size=len(fields)), max_size=5
    )


@FUZZ
@given(_rows([*AUCTION_FIELDS, "record_date"]) | _mutations(AUCTIONS_JSON))
def test_auctions(rows: Any) -> None:
    def parse() -> pd.DataFrame:
        data = rows if isinstance(rows, list) else parse_envelope(_loads(rows))[0]
        return parse_auction_rows(data)

    def check(table: pd.DataFrame) -> None:
        assert list(table.columns) == list(AUCTION_COLUMNS)
        assert table["issue_date"].notna().all()
        assert not table.duplicated(["cusip", "issue_date"]).any()

    _clean_or_changed(parse, check)


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise PayloadChanged("not JSON", source="test") from None


@FUZZ
@given(_rows(["record_date", "expense_catg_desc", "month_expense_amt"]))
def test_interest_expense(rows: list[dict[str, Any]]) -> None:
    for row in rows[:2]:
        row.setdefault("expense_catg_desc", "INTEREST EXPENSE ON PUBLIC ISSUES")
    _clean_or_changed(lambda: parse_interest_expense(rows), _check_series)


@FUZZ
@given(
    _rows(
        [
            "record_date",
            "classification_desc",
            "current_month_gross_rcpt_amt",
            "current_month_gross_outly_amt",
            "print_order_nbr",
        ]
    )
    | _mutations(MTS_JSON)
)
def test_mts(rows: Any) -> None:
    def parse() -> dict[str, pd.DataFrame]:
        data = rows if isinstance(rows, list) else parse_envelope(_loads(rows))[0]
        return parse_mts_table_1(data)

    _clean_or_changed(parse, _check_series_dict)


@FUZZ
@given(
    _rows(["settlementDate", "symbolCode", "currentShortPositionQuantity", "daysToCoverQuantity"])
    | json_values
)
def test_finra_api(rows: Any) -> None:
    _clean_or_changed(lambda: parse_api_rows(rows), _check_short_table)


@FUZZ
@given(st.text(max_size=300) | _mutations(FINRA_FILE))
def test_finra_file(text: str) -> None:
    _clean_or_changed(lambda: parse_short_interest_file(text), _check_short_table)
