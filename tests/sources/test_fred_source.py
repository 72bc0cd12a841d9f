"""FRED parsers on hand-written payloads in FRED's formats, and FredSource against a local server.

The payload values are made up in FRED's formats (not real observations).
"""

from __future__ import annotations

import io
import json
import logging
import math
import zipfile
from datetime import date

import pytest
from fault_server import FaultServer, Reply, Seen
from source_helpers import FAKE_KEY, Sleeps, payload

from bondthesis.errors import PayloadChanged, SourceRejected, SourceUnavailable
from bondthesis.sources._http import HttpClient
from bondthesis.sources.base import Fetched, FetchFailed
from bondthesis.sources.fred import (
    FredSource,
    parse_fredgraph_csv,
    parse_fredgraph_payload,
    parse_observations_json,
)

GRAPH = "/graph/fredgraph.csv"
API = "/fred/series/observations"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _source(http: HttpClient, server: FaultServer, **kwargs: object) -> FredSource:
    return FredSource(
        http,
        http.settings,
        graph_url=server.url(GRAPH),
        api_url=server.url(API),
        **kwargs,  # type: ignore[arg-type]
    )


def _by_key(results: list[Fetched | FetchFailed]) -> dict[str, Fetched | FetchFailed]:
    return {r.key: r for r in results}


# -- parsers -------------------------------------------------------------------------------------


def test_new_format_with_two_series_and_empty_missing() -> None:
    frames = parse_fredgraph_csv(payload("fred", "fredgraph_new_two_series.csv").decode())
    assert sorted(frames) == ["DGS10", "DGS30"]
    dgs30 = frames["DGS30"]
    assert list(dgs30["date"].dt.strftime("%Y-%m-%d")) == [
        "2025-12-29",
        "2025-12-30",
        "2025-12-31",
        "2026-01-01",
        "2026-01-02",
    ]
    assert dgs30["value"].iloc[0] == pytest.approx(4.80)
    assert math.isnan(dgs30["value"].iloc[3])
    assert frames["DGS10"]["value"].iloc[-1] == pytest.approx(4.19)


def test_old_format_with_dot_missing_and_crlf() -> None:
    frame = parse_fredgraph_csv(payload("fred", "fredgraph_old_dgs20.csv").decode(), ["DGS20"])[
        "DGS20"
    ]
    assert frame["value"].isna().tolist() == [False, False, True, False]
    assert frame["value"].iloc[3] == pytest.approx(6.03)


def test_zip_of_mixed_frequencies_is_parsed_member_by_member() -> None:
    content = _zip(
        {
            "DGS20.csv": payload("fred", "fredgraph_old_dgs20.csv"),
            "GDP.csv": payload("fred", "fredgraph_gdp_quarterly.csv"),
            "README.txt": b"ignored",
        }
    )
    frames = parse_fredgraph_payload(content, ["DGS20", "GDP"])
    assert len(frames["GDP"]) == 3
    assert frames["GDP"]["value"].iloc[1] == pytest.approx(29962.047)
    with pytest.raises(PayloadChanged, match=r"lacks series \['UNRATE'\]"):
        parse_fredgraph_payload(content, ["UNRATE"])


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("<!DOCTYPE html><html>Access denied</html>", "HTML page"),
        ("", "empty"),
        ("Date_Of_Obs,DGS30\n2026-01-02,4.86\n", "does not start with DATE"),
        ("observation_date,DGS30\n2026-01-02,4.86,9\n", "line 2 has 3 fields"),
        ("observation_date,DGS30\n2026-13-02,4.86\n", "not a calendar date"),
        ("observation_date,DGS30\n2026-01-02,n/a\n", "not a number"),
        ("observation_date,DGS30\n2026-01-02,inf\n", "not a number"),
        ("observation_date,DGS30\n2026-01-0", "truncated body"),
        ("observation_date,DGS30\n2026-01-0,4", "not a date"),
    ],
)
def test_fredgraph_rejects_changed_payloads(text: str, match: str) -> None:
    with pytest.raises(PayloadChanged, match=match):
        parse_fredgraph_csv(text)


def test_renamed_column_is_reported() -> None:
    with pytest.raises(PayloadChanged, match=r"lacks columns \['DGS30'\]"):
        parse_fredgraph_csv("observation_date,DGS30_20260101\n2026-01-02,4.86\n", ["DGS30"])


def test_api_json_values_are_strings_with_dot_missing() -> None:
    frame = parse_observations_json(json.loads(payload("fred", "observations_cpi.json")))
    assert list(frame.columns) == ["date", "value"]
    assert math.isnan(frame["value"].iloc[0])
    assert frame["value"].iloc[1:].tolist() == pytest.approx([324.122, 324.954, 325.301])


def test_alfred_rows_carry_their_vintage() -> None:
    frame = parse_observations_json(
        json.loads(payload("fred", "alfred_payems_vintages.json")), vintages=True
    )
    assert list(frame.columns) == ["date", "value", "vintage"]
    november = frame[frame["date"] == "2025-11-01"]
    assert november["vintage"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-12-16",
        "2026-01-09",
        "2026-02-06",
    ]
    assert november["value"].tolist() == [159598.0, 159556.0, 159540.0]


@pytest.mark.parametrize(
    "body",
    [[], {"observations": "x"}, {"observations": [{"date": "2025-01-01"}]}, {"error_code": 400}],
)
def test_api_json_rejects_other_shapes(body: object) -> None:
    with pytest.raises(PayloadChanged):
        parse_observations_json(body)


# -- FredSource against the local fault server ----------------------------------------------------


def test_keyless_batches_same_frequency_ids_into_one_request(
    server: FaultServer, keyless_http: HttpClient
) -> None:
    server.script(GRAPH, Reply(200, payload("fred", "fredgraph_new_two_series.csv")))
    source = _source(keyless_http, server)
    results = _by_key(list(source.fetch(["DGS10", "DGS30"], {"DGS10": None, "DGS30": None})))
    requests = server.requests_to(GRAPH)
    assert len(requests) == 1
    assert requests[0].query["id"] == ["DGS10,DGS30"]
    assert requests[0].headers["User-Agent"].startswith("bondthesis/")
    fetched = results["DGS30"]
    assert isinstance(fetched, Fetched)
    assert fetched.served_by == "fred:fredgraph"
    assert len(fetched.rows) == 5


def test_failed_batch_falls_back_to_one_id_per_request(
    server: FaultServer, keyless_http: HttpClient, sleeps: Sleeps
) -> None:
    def answer(seen: Seen) -> Reply:
        series = seen.query["id"][0]
        if "," in series:
            return Reply(504, b"Gateway Timeout")
        if series == "DGS10":
            return Reply(200, b"observation_date,DGS10\n2026-01-02,4.19\n")
        return Reply(200, b"<html><body>Please verify you are a human</body></html>")

    server.script(GRAPH, answer)
    source = _source(keyless_http, server)
    since = {"DGS10": date(2026, 1, 1), "DGS30": date(2026, 1, 1)}
    results = _by_key(list(source.fetch(["DGS10", "DGS30"], since)))
    assert isinstance(results["DGS10"], Fetched)
    assert results["DGS10"].rows["value"].tolist() == [4.19]
    failed = results["DGS30"]
    assert isinstance(failed, FetchFailed)
    assert isinstance(failed.error, PayloadChanged)
    assert "HTML page" in str(failed.error)
    batch_tries = [s for s in server.requests_to(GRAPH) if "," in s.query["id"][0]]
    assert len(batch_tries) == 3  # 1 try + 2 retries, then the fallback
    assert all(s.query["cosd"] == ["2026-01-01"] for s in server.requests_to(GRAPH))
    assert len(sleeps.calls) == 2


def test_429_with_retry_after_is_waited_out_then_succeeds(
    server: FaultServer, keyless_http: HttpClient, sleeps: Sleeps
) -> None:
    server.script(
        GRAPH,
        Reply(429, b"Too Many Requests", {"Retry-After": "7"}),
        Reply(200, payload("fred", "fredgraph_old_dgs20.csv")),
    )
    results = list(_source(keyless_http, server).fetch(["DGS20"], {}))
    assert isinstance(results[0], Fetched)
    assert 7.0 in sleeps.calls


def test_persistent_429_is_reported_with_its_retry_after(
    server: FaultServer, keyless_http: HttpClient
) -> None:
    server.script(GRAPH, Reply(429, b"slow down", {"Retry-After": "30"}))
    (result,) = list(_source(keyless_http, server).fetch(["DGS20"], {}))
    assert isinstance(result, FetchFailed)
    assert isinstance(result.error, SourceUnavailable)
    assert "429 Too Many Requests: retry after 30 s" in str(result.error)


def test_truncated_body_is_retried_then_reported(
    server: FaultServer, keyless_http: HttpClient
) -> None:
    body = payload("fred", "fredgraph_old_dgs20.csv")
    server.script(GRAPH, Reply(200, body, truncate_to=20))
    (result,) = list(_source(keyless_http, server).fetch(["DGS20"], {}))
    assert isinstance(result, FetchFailed)
    assert isinstance(result.error, SourceUnavailable)
    assert "truncated or malformed response" in str(result.error)
    assert len(server.requests_to(GRAPH)) == 3


def test_timeouts_are_retried_then_reported(
    server: FaultServer, tmp_path: object, sleeps: Sleeps
) -> None:
    from source_helpers import make_http

    from bondthesis.config import Settings

    http = make_http(Settings(home=tmp_path), sleeps, timeout_s=0.1, max_retries=1)  # type: ignore[arg-type]
    try:
        server.script(GRAPH, Reply(200, b"observation_date,DGS20\n", delay_s=0.4))
        (result,) = list(_source(http, server).fetch(["DGS20"], {}))
    finally:
        http.close()
    assert isinstance(result, FetchFailed)
    assert "timed out after 2 tries" in str(result.error)


def test_api_with_key_alfred_vintages_and_no_key_anywhere(
    server: FaultServer, keyed_http: HttpClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    def answer(seen: Seen) -> Reply:
        series = seen.query["series_id"][0]
        assert seen.query["api_key"] == [FAKE_KEY]
        if series == "PAYEMS":
            assert seen.query["realtime_start"] == ["1776-07-04"]
            return Reply(200, payload("fred", "alfred_payems_vintages.json"))
        return Reply(200, payload("fred", "observations_cpi.json"))

    server.script(API, answer)
    source = _source(keyed_http, server, vintage_keys={"PAYEMS"})
    results = _by_key(list(source.fetch(["PAYEMS", "CPIAUCSL"], {"CPIAUCSL": date(2025, 10, 1)})))
    payems, cpi = results["PAYEMS"], results["CPIAUCSL"]
    assert isinstance(payems, Fetched)
    assert isinstance(cpi, Fetched)
    assert payems.served_by == "fred:alfred"
    assert "vintage" in payems.rows.columns
    assert cpi.served_by == "fred:api"
    assert server.requests_to(API)[1].query["observation_start"] == ["2025-10-01"]
    assert FAKE_KEY not in caplog.text
    assert FAKE_KEY not in repr(results)
    assert not server.requests_to(GRAPH)


def test_rejected_key_falls_back_to_fredgraph_and_never_leaks(
    server: FaultServer, keyed_http: HttpClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.script(API, Reply(400, payload("fred", "error_bad_key.json")))
    server.script(GRAPH, Reply(503, b"down"))
    (result,) = list(_source(keyed_http, server).fetch(["UNRATE"], {}))
    assert isinstance(result, FetchFailed)
    # Both paths failed: the API's rejection (what the user must fix) leads, the fallback follows.
    assert isinstance(result.error, SourceRejected)
    assert "api_key is not registered" in str(result.error)
    assert "HTTP 503 after 3 tries" in str(result.error)
    assert "api_key is not registered" in caplog.text  # the API's own message was logged
    assert FAKE_KEY not in caplog.text
    assert FAKE_KEY not in str(result.error)
    assert FAKE_KEY not in repr(result)
    assert len(server.requests_to(API)) == 1  # a 4xx is not retried


def test_api_paging_follows_count(server: FaultServer, keyed_http: HttpClient) -> None:
    page = json.loads(payload("fred", "observations_cpi.json"))

    def answer(seen: Seen) -> Reply:
        offset = int(seen.query["offset"][0])
        part = dict(page, observations=page["observations"][offset : offset + 2])
        return Reply(200, json.dumps(part).encode())

    server.script(API, answer)
    (result,) = list(_source(keyed_http, server, vintage_keys=()).fetch(["CPIAUCSL"], {}))
    assert isinstance(result, Fetched)
    assert len(result.rows) == 4
    assert [s.query["offset"] for s in server.requests_to(API)] == [["0"], ["2"]]


def test_unknown_key_is_a_programming_error(keyless_http: HttpClient) -> None:
    with pytest.raises(ValueError, match="not a FRED series"):
        list(FredSource(keyless_http, keyless_http.settings).fetch(["TLT"], {}))


def test_rejection_error_type(server: FaultServer, keyless_http: HttpClient) -> None:
    server.script(GRAPH, Reply(404, b"Series not found"))
    (result,) = list(_source(keyless_http, server).fetch(["DGS20"], {}))
    assert isinstance(result, FetchFailed)
    assert isinstance(result.error, SourceRejected)
    assert "HTTP 404" in str(result.error)


def test_latency_below_the_timeout_is_waited_for(
    server: FaultServer, keyless_http: HttpClient, sleeps: Sleeps
) -> None:
    server.script(GRAPH, Reply(200, payload("fred", "fredgraph_old_dgs20.csv"), delay_s=0.3))
    (result,) = list(_source(keyless_http, server).fetch(["DGS20"], {}))
    assert isinstance(result, Fetched)
    assert len(server.requests_to(GRAPH)) == 1  # slow but within the 2 s timeout: no retry
    assert sleeps.calls == []
