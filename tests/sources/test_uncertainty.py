"""Caldara-Iacoviello GPR (.xls) and TPU (.xlsx) parsers and IacovielloSource.

The workbooks are written at test time: TPU with openpyxl, GPR with the small BIFF8 writer in
``_uncertainty_xls.py`` (xlwt is not a dependency), then read back by the real xlrd/openpyxl code.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import httpx
import openpyxl
import pandas as pd
import pytest
from _uncertainty_xls import write_xls
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.config import Settings
from bondthesis.errors import PayloadChanged, SourceRejected
from bondthesis.sources._http import HttpClient
from bondthesis.sources._sheets import cell_date, cell_float, excel_serial_to_date
from bondthesis.sources.base import Fetched, FetchFailed
from bondthesis.sources.uncertainty import (
    IacovielloSource,
    monthly_rows_to_frame,
    parse_gpr_xls,
    parse_tpu_xlsx,
)

# Rows of the real data_gpr_export.xls (SOURCES.md sample): month as the raw Excel serial.
GPR_ROWS: list[list[float | str | None]] = [
    ["month", "GPR", "GPRT", "GPRA", "GPRH", "GPRC_USA"],
    [1.0, None, None, None, 87.92784881591797, None],
    [32.0, None, None, None, 86.56649017333984, None],
    [31048.0, 102.17337799072266, 107.57417297363281, 89.64749145507812, 87.15, 2.57],
    [31079.0, 117.10202026367188, 126.4427261352539, 96.60166931152344, 99.55, 2.85],
    [45292.0, 159.7572021484375, 140.49798583984375, 207.6502685546875, 134.09, 3.84],
    [45323.0, 146.54066467285156, 140.18963623046875, 171.114013671875, 122.26, 3.39],
]


def tpu_workbook() -> bytes:
    book = openpyxl.Workbook()
    readme = book.active
    assert readme is not None
    readme.title = "ReadMe"
    readme.append(["Trade Policy Uncertainty Index, Caldara et al."])
    monthly = book.create_sheet("TPU_MONTHLY")
    monthly.append(["DATE", "N7", "TPU_RAW", "TPU_SHARE", "TPU"])
    monthly.append([datetime(1960, 1, 1), 40817, 74, 0.001812970085993581, 18.12970085993581])
    monthly.append([datetime(1960, 2, 1), 37415, 43, 0.0011492716824802887, 11.492716824802887])
    # Recent values are stored as text in the real file.
    monthly.append([datetime(2024, 1, 1), 13946, 97, 0.00695539939767675, "69.55399397676753"])
    monthly.append([datetime(2024, 2, 1), 13123, 82, 0.00624857121085117, "62.48571210851177"])
    monthly.append([datetime(2024, 3, 1), 14379, 118, 0.0082064121287989, None])
    daily = book.create_sheet("TPU_DAILY")
    daily.append(["DAY", "N7D", "TPUD_RAW", "TPUD_SHARE", "TPUD_SHARE_MA", "TPUD", "TPUD_MA"])
    daily.append(["2014/01/01", 718, 0, 0, None, 0, None])
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


def test_gpr_from_a_real_xls() -> None:
    frame = parse_gpr_xls(write_xls({"Sheet1": GPR_ROWS}))
    assert frame["date"].dt.date.tolist() == [
        date(1900, 1, 1),
        date(1900, 2, 1),
        date(1985, 1, 1),
        date(1985, 2, 1),
        date(2024, 1, 1),
        date(2024, 2, 1),
    ]
    assert math.isnan(frame["value"].iloc[0])  # GPR starts in 1985; only GPRH runs from 1900
    assert frame["value"].iloc[2] == pytest.approx(102.17337799072266)
    assert frame["value"].iloc[-1] == pytest.approx(146.54066467285156)


def test_excel_serials_match_the_sample_file() -> None:
    # The sample lists month and raw serial side by side: 1 -> 1900-01-01, 61 -> 1900-03-01.
    assert excel_serial_to_date(1.0) == date(1900, 1, 1)
    assert excel_serial_to_date(32.0) == date(1900, 2, 1)
    assert excel_serial_to_date(61.0) == date(1900, 3, 1)
    assert excel_serial_to_date(31107.0) == date(1985, 3, 1)
    assert excel_serial_to_date(45444.0) == date(2024, 6, 1)
    assert excel_serial_to_date(0.0, datemode=1) == date(1904, 1, 1)


def test_tpu_coerces_text_values() -> None:
    frame = parse_tpu_xlsx(tpu_workbook())
    assert frame["date"].dt.date.tolist()[-3:] == [
        date(2024, 1, 1),
        date(2024, 2, 1),
        date(2024, 3, 1),
    ]
    assert frame["value"].iloc[2] == pytest.approx(69.55399397676753)
    assert frame["value"].iloc[0] == pytest.approx(18.12970085993581)
    assert math.isnan(frame["value"].iloc[-1])


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<!DOCTYPE html><html>moved</html>", "HTML"),
        (b"PK\x03\x04 truncated", "cannot be read"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "cannot be read"),
    ],
)
def test_broken_downloads_are_payload_changed(content: bytes, words: str) -> None:
    parser = parse_tpu_xlsx if content.startswith(b"PK") else parse_gpr_xls
    with pytest.raises(PayloadChanged, match=words):
        parser(content)


def test_renamed_columns_are_payload_changed() -> None:
    rows = [["date", "GPR_NEW"], [45292.0, 1.0]]
    with pytest.raises(PayloadChanged, match="GPR"):
        parse_gpr_xls(write_xls({"Sheet1": rows}))


def test_tpu_missing_sheet() -> None:
    book = openpyxl.Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(PayloadChanged, match="TPU_MONTHLY"):
        parse_tpu_xlsx(buffer.getvalue())


cells = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**7), 10**7),
    st.text(max_size=12),
    st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2200, 1, 1)),
    st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(
    header=st.lists(st.sampled_from(["DATE", "TPU", "month", "GPR", "x", None]), max_size=5),
    body=st.lists(st.lists(cells, max_size=5), max_size=8),
)
def test_rows_to_frame_clean_or_payload_changed(
    header: list[object], body: list[list[object]]
) -> None:
    try:
        frame = monthly_rows_to_frame([header, *body], "DATE", "TPU")
    except PayloadChanged:
        return
    assert list(frame.columns) == ["date", "value"]
    assert frame["date"].is_monotonic_increasing
    assert frame["date"].is_unique
    assert (frame["date"].dt.day == 1).all()
    assert frame["value"].notna().any()
    assert not frame["value"].isin([math.inf, -math.inf]).any()


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_workbook_readers_on_random_bytes(content: bytes) -> None:
    for parser, magic in (
        (parse_gpr_xls, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
        (parse_tpu_xlsx, b"PK\x03\x04"),
    ):
        for body in (content, magic + content):
            try:
                frame = parser(body)
            except PayloadChanged:
                continue
            assert isinstance(frame, pd.DataFrame)


def test_cell_coercion() -> None:
    assert cell_float(" 1,234.5 ") == 1234.5
    assert math.isnan(cell_float("…") or 0.0)
    assert cell_float(True) is None
    assert cell_date("2014/01/01") == date(2014, 1, 1)
    assert cell_date("2014-02-30") is None
    assert cell_date(datetime(2022, 4, 30, 0, 0)) == date(2022, 4, 30)


def test_source_serves_both_and_fails_per_key(tmp_path: Path) -> None:
    xls = write_xls({"Sheet1": GPR_ROWS})
    xlsx = tpu_workbook()
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path.endswith(".xls"):
            return httpx.Response(200, content=xls)
        if request.url.path.endswith(".xlsx"):
            return httpx.Response(200, content=xlsx)
        return httpx.Response(404)

    http = client(tmp_path, handler)
    source = IacovielloSource(http, Settings(home=tmp_path), base_url="http://mirror.test/")
    results = {
        r.key: r for r in source.fetch(["GPR", "TPU", "EPUTRADE"], {"GPR": date(2024, 1, 1)})
    }
    assert paths == ["/gpr_files/data_gpr_export.xls", "/tpu_files/tpu_web_latest.xlsx"]
    gpr, tpu, epu = results["GPR"], results["TPU"], results["EPUTRADE"]
    assert isinstance(gpr, Fetched)
    assert gpr.served_by == "iacoviello"
    assert len(gpr.rows) == 6  # the whole file, whatever `since` says
    assert isinstance(tpu, Fetched)
    assert len(tpu.rows) == 5
    assert isinstance(epu, FetchFailed)
    assert isinstance(epu.error, SourceRejected)


def test_source_html_instead_of_xls(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="<html><body>Site maintenance</body></html>")

    source = IacovielloSource(client(tmp_path, handler), Settings(home=tmp_path))
    (result,) = list(source.fetch(["GPR"], {}))
    assert isinstance(result, FetchFailed)
    assert isinstance(result.error, PayloadChanged)
    assert "HTML" in str(result.error)


@pytest.mark.live
@pytest.mark.skipif(os.environ.get("BONDTHESIS_LIVE") != "1", reason="set BONDTHESIS_LIVE=1")
def test_live_gpr_tpu() -> None:  # pragma: no cover - network
    settings_ = Settings.from_env()
    with HttpClient(settings_) as http:
        results = list(IacovielloSource(http, settings_).fetch(["GPR", "TPU"], {}))
    assert all(isinstance(r, Fetched) for r in results), results
