"""SEC 13F data sets: link discovery, zip streaming, VALUE units, amendments, price checks."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.config import Settings
from bondthesis.data.records import HOLDINGS_COLUMNS
from bondthesis.data.refresh import refresh_from_sources
from bondthesis.data.store import Store
from bondthesis.errors import ConfigError, PayloadChanged, SourceRejected
from bondthesis.sources._http import HttpClient
from bondthesis.sources.base import Fetched, FetchFailed
from bondthesis.sources.prices import PriceSource
from bondthesis.sources.sec13f import (
    TLT_CUSIP,
    DataSet,
    Sec13fSource,
    find_data_sets,
    holdings_from_filings,
    parse_data_set_name,
    read_13f_tables,
    read_13f_zip,
    select_data_sets,
)
from bondthesis.sources.snapshot import flag_13f_prices, parse_13f_rows, thirteenf_series

PAYLOADS = Path(__file__).parent / "payloads"
TABLES = PAYLOADS / "sec13f"
LANDING = (PAYLOADS / "sec_13f_data_sets_landing.html").read_text(encoding="utf-8")
FAKE_AGENT = "Jane Tester jane.secret-agent@example.org"
SEC = "https://www.sec.gov"


def table(name: str) -> str:
    return (TABLES / name).read_text(encoding="utf-8")


def make_zip(folder: str = "2023q1_form13f/", tables: dict[str, str] | None = None) -> bytes:
    tables = tables or {n: table(n) for n in ("SUBMISSION.tsv", "COVERPAGE.tsv", "INFOTABLE.tsv")}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in tables.items():
            archive.writestr(folder + name, text)
        archive.writestr(folder + "SUMMARYPAGE.tsv", "ACCESSION_NUMBER\tTABLEENTRYTOTAL\n")
    return buffer.getvalue()


def client(
    tmp_path: Path, handler: Callable[[httpx.Request], httpx.Response], agent: str | None
) -> HttpClient:
    return HttpClient(
        Settings(home=tmp_path, sec_user_agent=agent),
        transport=httpx.MockTransport(handler),
        max_retries=0,
        backoff_base_s=0.0,
        sleep=lambda _s: None,
    )


# -- landing page ---------------------------------------------------------------------------------


def test_data_set_names_both_schemes() -> None:
    assert parse_data_set_name("2013q2_form13f.zip") == (date(2013, 4, 1), date(2013, 6, 30), 0)
    assert parse_data_set_name("2023q4_form13f.zip") == (date(2023, 10, 1), date(2023, 12, 31), 0)
    assert parse_data_set_name("01dec2024-28feb2025_form13f_1.zip") == (
        date(2024, 12, 1),
        date(2025, 2, 28),
        1,
    )
    assert parse_data_set_name("form13f_metadata.json") is None
    assert parse_data_set_name("31feb2024-31may2024_form13f.zip") is None


def test_landing_page_links() -> None:
    sets = find_data_sets(LANDING, SEC + "/data-research/sec-markets-data/form-13f-data-sets")
    names = [s.url.rsplit("/", 1)[-1] for s in sets]
    assert names == [
        "2022q4_form13f.zip",
        "2023q4_form13f.zip",
        "01jan2024-29feb2024_form13f.zip",
        "01mar2024-31may2024_form13f_1.zip",  # the re-upload wins over the first upload
        "01jun2024-31aug2024_form13f.zip",
        "01sep2024-30nov2024_form13f.zip",
    ]
    assert sets[-1].url == (
        "https://www.sec.gov/files/datastandardsinnovation/data/form-13f-data-sets/"
        "01sep2024-30nov2024_form13f.zip"
    )
    assert sets[0].url.startswith("https://www.sec.gov/files/structureddata/")


def test_landing_page_without_links() -> None:
    with pytest.raises(PayloadChanged, match="form13f"):
        find_data_sets("<html><body>Page not found</body></html>")


def test_select_by_since() -> None:
    sets = find_data_sets(LANDING, SEC)
    assert select_data_sets(sets, None) == sets
    chosen = select_data_sets(sets, date(2024, 3, 31))
    assert [s.filed_from for s in chosen] == [
        date(2024, 3, 1),
        date(2024, 6, 1),
        date(2024, 9, 1),
    ]


# -- tables ---------------------------------------------------------------------------------------


def read_fixture() -> tuple[pd.DataFrame, pd.DataFrame]:
    return read_13f_tables(
        io.StringIO(table("INFOTABLE.tsv")),
        io.StringIO(table("SUBMISSION.tsv")),
        io.StringIO(table("COVERPAGE.tsv")),
    )


def test_only_tlt_lines_and_holdings_filings() -> None:
    lines, filings = read_fixture()
    assert set(lines["cusip"]) == {TLT_CUSIP}
    assert len(lines) == 10
    assert set(lines["putcall"]) == {"SH", "Call", "Put"}  # "CALL" is normalised
    # The 13F-NT notice is not a holdings filing; CIK 555's restatement is kept (no TLT line).
    assert "0000000777-23-000001" not in set(filings["accession"])
    assert "0000000555-23-000002" in set(filings["accession"])
    assert set(filings["cik"]) == {"312069", "1423053", "999", "555"}
    quoted = filings.loc[filings["accession"] == "0000000555-23-000001", "filer_name"]
    assert quoted.item() == '"QUOTED" CAPITAL LP'  # doubled quotes read as one


def expected_holdings() -> pd.DataFrame:
    rows = [
        (date(2022, 9, 30), "312069", "Call", 665_798_000.0, 6_500_000.0, True),
        (date(2022, 9, 30), "312069", "SH", 381_189_000.0, 3_720_000.0, True),
        (date(2022, 12, 31), "1423053", "Call", 398_240_000.0, 4_000_000.0, True),
        (date(2022, 12, 31), "1423053", "Put", 199_120_000.0, 2_000_000.0, True),
        (date(2022, 12, 31), "999", "Call", 1_300.0, 10_000.0, False),
        (date(2022, 12, 31), "999", "Put", 4_978_000.0, 50_000.0, True),
        (date(2022, 12, 31), "999", "SH", 9_956_000.0, 100_000.0, True),
    ]
    return pd.DataFrame(
        rows, columns=["period_end", "cik", "putcall", "value_usd", "shares", "price_ok"]
    )


def test_holdings_units_amendments_and_price_check() -> None:
    holdings = holdings_from_filings(*read_fixture())
    assert list(holdings.columns) == [*HOLDINGS_COLUMNS, "price_ok"]
    got = holdings.sort_values(["period_end", "cik", "putcall"]).reset_index(drop=True)
    want = expected_holdings().sort_values(["period_end", "cik", "putcall"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        got[list(want.columns)], want, check_dtype=False, check_exact=True
    )
    barclays = got[got["cik"] == "312069"]
    assert set(barclays["filer_name"]) == {"BARCLAYS PLC"}
    assert set(barclays["filing_date"]) == {date(2022, 11, 14)}
    citadel = got[(got["cik"] == "1423053") & (got["putcall"] == "Call")]
    assert citadel["accession"].item() == "0001423053-23-000020"  # the restatement only


def test_value_unit_switch_on_filing_date() -> None:
    header = table("SUBMISSION.tsv").splitlines()[0]
    info_header = table("INFOTABLE.tsv").splitlines()[0]
    submission = "\n".join(
        [
            header,
            "a-1\t02-JAN-2023\t13F-HR\t1\t30-SEP-2022",
            "a-2\t03-JAN-2023\t13F-HR\t2\t30-SEP-2022",
        ]
    )
    infotable = "\n".join(
        [
            info_header,
            f"a-1\t1\tISHARES TR\tETF\t{TLT_CUSIP}\t\t1000\t10\tSH\t\tSOLE\t\t10\t0\t0",
            f"a-2\t1\tISHARES TR\tETF\t{TLT_CUSIP}\t\t1000\t10\tSH\t\tSOLE\t\t10\t0\t0",
        ]
    )
    lines, filings = read_13f_tables(io.StringIO(infotable), io.StringIO(submission))
    holdings = holdings_from_filings(lines, filings).set_index("cik")
    assert holdings.loc["1", "value_usd"] == 1_000_000.0  # thousands before 2023-01-03
    assert holdings.loc["2", "value_usd"] == 1_000.0  # dollars from 2023-01-03
    assert holdings["filer_name"].isna().all()  # no COVERPAGE, no name


def test_series_from_holdings() -> None:
    series = thirteenf_series(holdings_from_filings(*read_fixture()))
    calls = series["TLT_13F_CALL_VALUE"]
    assert calls["date"].dt.date.tolist() == [date(2022, 9, 30), date(2022, 12, 31)]
    assert calls["value"].tolist() == [665_798_000.0, 398_240_000.0]  # the premium row is out
    assert series["TLT_13F_CALL_FILERS"]["value"].tolist() == [1.0, 1.0]
    assert series["TLT_13F_PUT_VALUE"]["value"].tolist() == [199_120_000.0 + 4_978_000.0]
    assert series["TLT_13F_PUT_FILERS"]["value"].tolist() == [2.0]
    later = thirteenf_series(holdings_from_filings(*read_fixture()), since=date(2022, 10, 1))
    assert later["TLT_13F_CALL_VALUE"]["date"].dt.date.tolist() == [date(2022, 12, 31)]


def test_price_flags_against_a_given_reference() -> None:
    holdings = holdings_from_filings(*read_fixture())
    reference = {date(2022, 9, 30): 130.0, date(2022, 12, 31): 99.56}
    flags = flag_13f_prices(holdings, reference)
    by_period = dict(zip(holdings["period_end"], flags, strict=False))
    assert not by_period[date(2022, 9, 30)]  # 102.4 is below 0.8 × 130
    assert flag_13f_prices(holdings.iloc[:0]).shape == (0,)


def test_price_rule_matches_the_snapshot_checks(shared_data: Path) -> None:
    text = (shared_data / "TLT_13F_all_positions.csv").read_text(encoding="utf-8")
    raw = pd.read_csv(io.StringIO(text), dtype=str)
    rows = parse_13f_rows(text).drop(columns="price_ok")
    # The snapshot's price_check was made independently (value/shares vs the period median).
    np.testing.assert_array_equal(flag_13f_prices(rows), raw["price_check"].eq("ok").to_numpy())


def test_zip_streaming_reads_members_in_a_folder(tmp_path: Path) -> None:
    path = tmp_path / "2023q1_form13f.zip"
    path.write_bytes(make_zip())
    lines, filings = read_13f_zip(path)
    assert len(lines) == 10
    assert len(filings) == 7


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<html>Request Rate Threshold Exceeded</html>", "cannot be read"),
        (make_zip(tables={"INFOTABLE.tsv": "ACCESSION_NUMBER\n"}), "SUBMISSION"),
        (
            make_zip(tables={"INFOTABLE.tsv": "A\tB\n", "SUBMISSION.tsv": "A\n"}),
            "lacks columns",
        ),
    ],
)
def test_bad_zips(content: bytes, words: str) -> None:
    with pytest.raises(PayloadChanged, match=words):
        read_13f_zip(io.BytesIO(content))


tsv_cells = st.one_of(
    st.sampled_from(["", TLT_CUSIP, "Call", "put", "13F-HR", "13F-HR/A", "30-JUN-2026", "1e3"]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=8),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(tsv_cells, min_size=1, max_size=15), max_size=6),
    st.lists(st.lists(tsv_cells, min_size=1, max_size=5), max_size=6),
)
def test_tables_clean_or_payload_changed(info: list[list[str]], subs: list[list[str]]) -> None:
    info_header = table("INFOTABLE.tsv").splitlines()[0]
    sub_header = table("SUBMISSION.tsv").splitlines()[0]
    infotable = "\n".join([info_header, *("\t".join(row) for row in info)])
    submission = "\n".join([sub_header, *("\t".join(row) for row in subs)])
    try:
        lines, filings = read_13f_tables(io.StringIO(infotable), io.StringIO(submission))
        holdings = holdings_from_filings(lines, filings)
    except PayloadChanged:
        return
    assert set(holdings["putcall"]) <= {"Call", "Put", "SH"}
    assert not holdings.duplicated(["period_end", "cik", "cusip", "putcall"]).any()
    thirteenf_series(holdings)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_zip_reader_on_random_bytes(content: bytes) -> None:
    for body in (content, b"PK\x03\x04" + content):
        try:
            read_13f_zip(io.BytesIO(body))
        except PayloadChanged:
            continue


# -- the source through MockTransport -------------------------------------------------------------


def sec_handler(
    zips: dict[str, bytes], seen: list[httpx.Request]
) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        path = request.url.path
        if path.endswith("form-13f-data-sets"):
            return httpx.Response(200, text=LANDING, headers={"content-type": "text/html"})
        name = path.rsplit("/", 1)[-1]
        if name in zips:
            return httpx.Response(200, content=zips[name])
        return httpx.Response(404, text="<html>Not Found</html>")

    return handler


def test_source_incremental_fetch_serves_table_and_series(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    zips = {
        "01jun2024-31aug2024_form13f.zip": make_zip("a/"),
        "01sep2024-30nov2024_form13f.zip": make_zip(
            "b/",
            {
                "SUBMISSION.tsv": table("SUBMISSION.tsv").splitlines()[0] + "\n",
                "INFOTABLE.tsv": table("INFOTABLE.tsv").splitlines()[0] + "\n",
            },
        ),
    }
    http = client(tmp_path, sec_handler(zips, seen), FAKE_AGENT)
    source = Sec13fSource(http, http.settings, work_dir=tmp_path)
    keys = ["HOLDINGS_13F", "TLT_13F_CALL_VALUE", "TLT_13F_PUT_FILERS", "DGS30"]
    # The refresh cannot date the table (None); the series' dates decide which zips are read.
    since = {
        "HOLDINGS_13F": None,
        "TLT_13F_CALL_VALUE": date(2024, 7, 1),
        "TLT_13F_PUT_FILERS": date(2024, 6, 30),
    }
    results = {r.key: r for r in source.fetch(keys, since)}
    assert [r.url.path.rsplit("/", 1)[-1] for r in seen[1:]] == list(zips)  # not the older zips
    assert {r.headers["user-agent"] for r in seen} == {FAKE_AGENT}
    table_result = results["HOLDINGS_13F"]
    assert isinstance(table_result, Fetched)
    assert table_result.table == "holdings_13f"
    assert table_result.served_by == "sec"
    assert len(table_result.rows) == 7
    calls = results["TLT_13F_CALL_VALUE"]
    assert isinstance(calls, Fetched)
    assert calls.table is None
    # The fixture's filings are for 2022 periods: before `since`, so no series rows (the table
    # keeps them: an upsert of what the fetched windows hold).
    assert calls.rows.empty
    assert list(calls.rows.columns) == ["date", "value"]
    assert isinstance(results["DGS30"], FetchFailed)
    assert isinstance(results["DGS30"].error, SourceRejected)
    assert list(tmp_path.glob("*.zip")) == []  # temporary zips are gone


def test_restatement_in_a_later_data_set_drops_the_position(tmp_path: Path) -> None:
    sub_header = table("SUBMISSION.tsv").splitlines()[0]
    info_header = table("INFOTABLE.tsv").splitlines()[0]
    tlt = f"ISHARES TR\tETF\t{TLT_CUSIP}\t\t995600\t10000\tSH\t\tSOLE\t\t10000\t0\t0"
    aapl = "APPLE INC\tCOM\t037833100\t\t1300000\t10000\tSH\t\tSOLE\t\t10000\t0\t0"
    first = {
        "SUBMISSION.tsv": f"{sub_header}\nx-1\t10-FEB-2023\t13F-HR\t555\t31-DEC-2022\n",
        "INFOTABLE.tsv": f"{info_header}\nx-1\t1\t{tlt}\n",
    }
    second = {
        "SUBMISSION.tsv": f"{sub_header}\nx-2\t15-MAY-2023\t13F-HR/A\t555\t31-DEC-2022\n",
        "INFOTABLE.tsv": f"{info_header}\nx-2\t1\t{aapl}\n",
    }
    zips = {"01mar2024-31may2024_form13f_1.zip": make_zip("", first)}
    zips["01jun2024-31aug2024_form13f.zip"] = make_zip("", second)
    empty = {"SUBMISSION.tsv": sub_header + "\n", "INFOTABLE.tsv": info_header + "\n"}
    zips["01sep2024-30nov2024_form13f.zip"] = make_zip("", empty)
    seen: list[httpx.Request] = []
    http = client(tmp_path, sec_handler(zips, seen), FAKE_AGENT)
    (result,) = list(
        Sec13fSource(http, http.settings).fetch(
            ["HOLDINGS_13F"], {"HOLDINGS_13F": date(2024, 5, 1)}
        )
    )
    assert isinstance(result, Fetched)
    assert result.rows.empty


def test_missing_user_agent_is_a_config_error(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    http = client(tmp_path, sec_handler({}, seen), None)
    source = Sec13fSource(http, http.settings)
    with pytest.raises(ConfigError, match="BONDTHESIS_SEC_USER_AGENT"):
        list(source.fetch(["HOLDINGS_13F"], {}))
    assert seen == []


def test_failed_zip_fails_every_key_and_hides_the_agent(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    http = client(tmp_path, sec_handler({}, seen), FAKE_AGENT)
    results = list(
        Sec13fSource(http, http.settings).fetch(
            ["TLT_13F_PUT_VALUE", "HOLDINGS_13F"], {"TLT_13F_PUT_VALUE": date(2024, 9, 1)}
        )
    )
    assert [type(r) for r in results] == [FetchFailed, FetchFailed]
    for result in results:
        assert isinstance(result, FetchFailed)
        assert isinstance(result.error, SourceRejected)  # the 404 of a zip
        assert "jane.secret-agent" not in str(result.error)


def test_data_sets_sort_oldest_first() -> None:
    older = DataSet(date(2023, 10, 1), date(2023, 12, 31), 0, "b")
    newer = DataSet(date(2024, 1, 1), date(2024, 2, 29), 0, "a")
    assert sorted([newer, older]) == [older, newer]


@pytest.mark.live
@pytest.mark.skipif(os.environ.get("BONDTHESIS_LIVE") != "1", reason="set BONDTHESIS_LIVE=1")
def test_live_landing_page() -> None:  # pragma: no cover - network
    settings_ = Settings.from_env()
    with HttpClient(settings_) as http:
        response = http.get("sec", SEC + "/data-research/sec-markets-data/form-13f-data-sets")
    assert len(find_data_sets(response.text, str(response.url))) > 40


def test_refresh_stores_table_series_and_prices(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    sec = sec_handler({"2022q4_form13f.zip": make_zip()}, seen)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "query1.finance.yahoo.com":
            return httpx.Response(429)
        if request.url.host == "stooq.com":
            text = (PAYLOADS / "stooq_tlt_us_d.csv").read_text(encoding="utf-8")
            return httpx.Response(200, text=text)
        if "2022q4" in request.url.path or request.url.path.endswith("data-sets"):
            return sec(request)
        return httpx.Response(
            200,
            content=make_zip(
                "",
                {
                    "SUBMISSION.tsv": table("SUBMISSION.tsv").splitlines()[0] + "\n",
                    "INFOTABLE.tsv": table("INFOTABLE.tsv").splitlines()[0] + "\n",
                },
            ),
        )

    http = client(tmp_path, handler, FAKE_AGENT)
    store = Store(tmp_path / "store.duckdb")
    sources = {
        Sec13fSource(http, http.settings): ["HOLDINGS_13F", "TLT_13F_CALL_VALUE"],
        PriceSource(http, http.settings, stooq_api_key=None): ["TLT"],
    }
    report = refresh_from_sources(store, sources)
    assert {r.key: r.status for r in report.rows} == {
        "HOLDINGS_13F": "ok",
        "TLT_13F_CALL_VALUE": "ok",
        "TLT": "ok",
    }
    served = {s.series: s.served_by for s in store.status()}
    assert served["TLT"] == "stooq"
    assert served["TLT_13F_CALL_VALUE"] == "sec"
    assert len(store.read_table("holdings_13f")) == 7
    calls = store.read_series("TLT_13F_CALL_VALUE")
    assert calls.tolist() == [665_798_000.0, 398_240_000.0]
