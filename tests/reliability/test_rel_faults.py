"""Provider faults against a real local server: each one retried or refused by name, never hung.

Every case uses a client with short timeouts (a fraction of a second) so the suite stays fast;
the rules are the same at the defaults. Each failure must name the provider and the URL.
"""

from __future__ import annotations

import gzip
import random
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx
import pandas as pd
import pytest
from _rel_server import Fault, RelServer, Request, gzip_bomb, lines

from bondthesis.catalog import get_spec
from bondthesis.config import Settings
from bondthesis.data.refresh import refresh_online
from bondthesis.data.store import Store
from bondthesis.errors import PayloadChanged, SourceError, SourceRejected, SourceUnavailable
from bondthesis.sources._http import HttpClient, expect_text


class NoWait:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def client(tmp_path: Path, **options: float) -> HttpClient:
    settings = Settings(home=tmp_path)
    return HttpClient(
        settings,
        # Generous for answers that do come (a loaded CI box), short where a case says so.
        timeout_s=options.get("timeout_s", 5.0),
        max_retries=int(options.get("max_retries", 2)),
        request_deadline_s=options.get("request_deadline_s", 20.0),
        body_limits={"x": int(options.get("limit", 1 << 20))},
        rate_limits={"x": 1e6, "fred": 1e6},
        sleep=NoWait(),
        rng=random.Random(3),
    )


def named(exc: SourceError, server: RelServer, path: str) -> None:
    """The error names the provider and the URL."""
    assert exc.source == "x"
    assert exc.url is not None
    assert exc.url.startswith(server.url(path))


def case_5xx_then_ok(server: RelServer, tmp_path: Path) -> None:
    server.script("/a", Fault(503, b"busy"), Fault(200, b"date,value\n2026-01-02,1\n"))
    assert client(tmp_path).get("x", server.url("/a")).status_code == 200
    assert server.hits("/a") == 2


def case_5xx_forever(server: RelServer, tmp_path: Path) -> None:
    server.script("/a", Fault(502, b"bad gateway"))
    with pytest.raises(SourceUnavailable, match="HTTP 502 after 3 tries") as info:
        client(tmp_path).get("x", server.url("/a"))
    named(info.value, server, "/a")


def case_429_retry_after(server: RelServer, tmp_path: Path) -> None:
    server.script("/a", Fault(429, b"", {"Retry-After": "2"}), Fault(200, b"ok"))
    http = client(tmp_path)
    assert http.get("x", server.url("/a")).content == b"ok"
    assert 2.0 in http._sleep.calls  # type: ignore[attr-defined]  # waited as told


def case_429_too_long(server: RelServer, tmp_path: Path) -> None:
    server.script("/a", Fault(429, b"", {"Retry-After": "86400"}))
    with pytest.raises(SourceUnavailable, match="run the refresh again later") as info:
        client(tmp_path).get("x", server.url("/a"))
    named(info.value, server, "/a")
    assert server.hits("/a") == 1


def case_html_instead_of_csv(server: RelServer, tmp_path: Path) -> None:
    server.script("/a", Fault(200, b"<!DOCTYPE html><html><body>Please log in</body></html>"))
    response = client(tmp_path).get("x", server.url("/a"))
    with pytest.raises(PayloadChanged, match="HTML page") as info:
        expect_text(response, provider="x")
    named(info.value, server, "/a")


def case_truncated_body(server: RelServer, tmp_path: Path) -> None:
    server.script("/a", Fault(200, b"date,value\n" * 100, truncate_to=50))
    with pytest.raises(SourceUnavailable, match="truncated") as info:
        client(tmp_path).get("x", server.url("/a"))
    named(info.value, server, "/a")
    assert server.hits("/a") == 3  # retried, then reported


def case_hang(server: RelServer, tmp_path: Path) -> None:
    server.script("/a", Fault(200, b"late", delay_s=2.0))
    http = client(tmp_path, timeout_s=0.3, max_retries=1)
    with pytest.raises(SourceUnavailable, match="timed out after 2 tries") as info:
        http.get("x", server.url("/a"))
    named(info.value, server, "/a")


def case_drip(server: RelServer, tmp_path: Path) -> None:
    # One byte every 0.1 s: each read is well inside the 1 s timeout, the whole never ends.
    server.script("/a", Fault(200, b"x" * 400, drip_s=0.1))
    http = client(tmp_path, request_deadline_s=0.8)
    with pytest.raises(SourceUnavailable, match=r"no complete answer within 0\.8 s") as info:
        http.get("x", server.url("/a"))
    named(info.value, server, "/a")


def case_huge_body(server: RelServer, tmp_path: Path) -> None:
    server.script("/a", Fault(200, stream_bytes=8 << 20))
    with pytest.raises(PayloadChanged, match="larger than the 1 MB") as info:
        client(tmp_path).get("x", server.url("/a"))
    named(info.value, server, "/a")
    assert server.hits("/a") == 1  # refused, not retried


def case_gzip_bomb(server: RelServer, tmp_path: Path) -> None:
    server.script("/a", Fault(200, gzip_bomb(64 << 20), {"Content-Encoding": "gzip"}))
    with pytest.raises(PayloadChanged, match="larger than the 1 MB") as info:
        client(tmp_path).get("x", server.url("/a"))
    named(info.value, server, "/a")


def case_bad_gzip(server: RelServer, tmp_path: Path) -> None:
    broken = gzip.compress(b"date,value\n" * 50)[:12] + b"not gzip at all" * 5
    server.script("/a", Fault(200, broken, {"Content-Encoding": "gzip"}))
    with pytest.raises(SourceUnavailable, match="could not be decoded") as info:
        client(tmp_path, max_retries=1).get("x", server.url("/a"))
    named(info.value, server, "/a")


def case_redirect_loop(server: RelServer, tmp_path: Path) -> None:
    server.script("/loop", Fault(302, b"", {"Location": "/loop"}))
    http = client(tmp_path)
    acquired: list[str] = []
    original = http.rate_limiter.acquire

    def counting(provider: str) -> None:
        acquired.append(provider)
        original(provider)

    http.rate_limiter.acquire = counting  # type: ignore[method-assign]
    with pytest.raises(SourceRejected, match="redirected more than 5 times") as info:
        http.get("x", server.url("/loop"))
    named(info.value, server, "/loop")
    assert server.hits("/loop") == 6  # the request and five redirects, no retries
    assert len(acquired) == 6  # every redirect waited for the rate limit


def case_connection_refused(server: RelServer, tmp_path: Path) -> None:
    closed = RelServer()  # bound, never started: its port refuses... after close
    port = closed.port
    closed.httpd.server_close()
    http = client(tmp_path, max_retries=3)
    url = f"http://127.0.0.1:{port}/a"
    with pytest.raises(SourceUnavailable, match=r"refused the connection.*--snapshot DIR"):
        http.get("x", url)
    assert len(http._sleep.calls) <= 1  # type: ignore[attr-defined]  # one brief retry
    with pytest.raises(SourceUnavailable, match="BONDTHESIS_OFFLINE=1"):
        http.get("x", url + "?again=1")  # the host is known to be down: no new tries


def case_no_dns(server: RelServer, tmp_path: Path) -> None:
    tries: list[str] = []

    def no_dns(request: httpx.Request) -> httpx.Response:
        tries.append(str(request.url))
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution")

    http = HttpClient(
        Settings(home=tmp_path), transport=httpx.MockTransport(no_dns), sleep=NoWait()
    )
    with pytest.raises(SourceUnavailable, match=r"cannot resolve api\.stlouisfed\.org.*--snapshot"):
        http.get("fred", "https://api.stlouisfed.org/fred/series/observations")
    assert len(tries) == 2


FAULTS: dict[str, Callable[[RelServer, Path], None]] = {
    name.removeprefix("case_"): function
    for name, function in dict(globals()).items()
    if name.startswith("case_") and callable(function)
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_is_retried_or_refused_by_name(fault: str, tmp_path: Path) -> None:
    with RelServer() as server:
        FAULTS[fault](server, tmp_path)


# -- end to end: refresh_online keeps the store -------------------------------------------------


def fredgraph(rows: list[str]) -> Callable[[Request], Fault]:
    def answer(request: Request) -> Fault:
        series = request.query["id"][0]
        return Fault(200, lines([f"observation_date,{series}", *rows]))

    return answer


def seeded_store(tmp_path: Path, days: int = 300) -> Store:
    store = Store(tmp_path / "s.duckdb")
    dates = pd.bdate_range("2024-01-01", periods=days)
    store.write_series(
        get_spec("DGS30"),
        pd.DataFrame({"date": dates, "value": 4.0}),
        served_by="fred:fredgraph",
    )
    return store


def refresh(server: RelServer, tmp_path: Path, store: Store, **options: object) -> object:
    settings = Settings(home=tmp_path)
    http = client(tmp_path)
    try:
        return refresh_online(
            settings,
            store,
            keys=["DGS30"],
            http=http,
            endpoints={"fred": {"graph_url": server.url("/fredgraph.csv"), "vintage_keys": ()}},
            today=date(2030, 1, 1),
            **options,  # type: ignore[arg-type]
        )
    finally:
        http.close()


@pytest.mark.parametrize(
    ("answer", "full", "words"),
    [
        (["2026-11-30,4.1", "2026-12-01,4.2", "2026-12-02,4.3"], True, "answer covers 2026-11-30"),
        ([f"{d.date()},." for d in pd.bdate_range("2025-02-03", periods=8)], False, "no values"),
        (["2025-02-19,4.1", "2025-02-20,inf"], False, "is not a number"),
        (["2025-02-19,4.1", "2025-02-20,1e300"], False, "not plausible"),
    ],
    ids=["full-answer-shrinks", "blank-answer", "infinite-value", "implausible-yield"],
)
def test_answers_that_would_lose_history_are_refused(
    answer: list[str], full: bool, words: str, tmp_path: Path
) -> None:
    store = seeded_store(tmp_path)
    before = store.read_series("DGS30")
    with RelServer() as server:
        server.script("/fredgraph.csv", fredgraph(answer))
        report = refresh(server, tmp_path, store, full=full)
    (row,) = report.rows  # type: ignore[attr-defined]
    assert row.status == "failed"
    assert words in row.error
    assert "DGS30" in row.error or "fred" in row.error
    pd.testing.assert_series_equal(store.read_series("DGS30"), before)


def test_refresh_deadline_stops_a_hanging_provider_and_keeps_the_store(tmp_path: Path) -> None:
    store = seeded_store(tmp_path)
    before = store.read_series("DGS30")
    with RelServer() as server:
        server.script("/fredgraph.csv", Fault(200, b"late", delay_s=3.0))
        report = refresh(server, tmp_path, store, timeout_s=0.5)
    (row,) = report.rows  # type: ignore[attr-defined]
    assert row.status == "failed"
    assert "--timeout" in row.error or "timed out" in row.error
    pd.testing.assert_series_equal(store.read_series("DGS30"), before)


def test_writer_lock_is_free_while_a_provider_is_waited_for(tmp_path: Path) -> None:
    store = seeded_store(tmp_path)
    gate = threading.Event()
    rows = [f"{d.date()},4.5" for d in pd.bdate_range("2024-01-01", periods=320)]
    outcome: list[object] = []
    with RelServer() as server:
        server.script(
            "/fredgraph.csv", lambda request: Fault(200, fredgraph(rows)(request).body, gate=gate)
        )
        worker = threading.Thread(
            target=lambda: outcome.append(refresh(server, tmp_path, store, full=True))
        )
        worker.start()
        try:
            for _ in range(3000):  # at most ~30 s for the refresh to reach the network
                if server.hits("/fredgraph.csv"):
                    break
                worker.join(0.01)
            assert server.hits("/fredgraph.csv") == 1
            # The refresh is waiting on the network: another writer gets the lock at once.
            with Store(store.path).writer_lock(timeout_s=5):
                pass
        finally:
            gate.set()
            worker.join(timeout=30)
    (row,) = outcome[0].rows  # type: ignore[attr-defined]
    assert row.status == "ok"
    assert store.read_series("DGS30").iloc[-1] == 4.5
