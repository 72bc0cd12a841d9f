"""HttpClient: retries, Retry-After, rate limits, redaction, body checks (httpx MockTransport)."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from bondthesis.config import Settings
from bondthesis.errors import ConfigError, PayloadChanged, SourceRejected, SourceUnavailable
from bondthesis.sources._http import (
    HttpClient,
    RateLimiter,
    expect_json,
    expect_text,
    is_zip,
    parse_retry_after,
)

FAKE_KEY = "abcdef0123456789abcdef0123456789"


class FakeTime:
    """A clock that only moves when something sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds

    def clock(self) -> float:
        return self.now


def make_client(
    handler: Callable[[httpx.Request], httpx.Response],
    fake: FakeTime,
    *,
    settings: Settings | None = None,
    **kwargs: object,
) -> HttpClient:
    return HttpClient(
        settings or Settings(home=Path("/nonexistent"), fred_api_key=FAKE_KEY),
        transport=httpx.MockTransport(handler),
        sleep=fake.sleep,
        clock=fake.clock,
        wall_clock=lambda: 1_000_000.0,
        rng=random.Random(7),
        **kwargs,  # type: ignore[arg-type]
    )


def test_retries_5xx_then_succeeds_with_backoff_within_full_jitter_bounds() -> None:
    fake = FakeTime()
    answers = iter([503, 502, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers), text="ok")

    client = make_client(handler, fake, backoff_base_s=1.0, rate_limits={"x": 1000.0})
    response = client.get("x", "https://example.test/a")
    assert response.text == "ok"
    assert len(fake.sleeps) == 2
    assert 0 <= fake.sleeps[0] <= 1.0
    assert 0 <= fake.sleeps[1] <= 2.0


def test_5xx_after_all_tries_names_provider_code_and_count() -> None:
    fake = FakeTime()
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(503)

    client = make_client(handler, fake, max_retries=3)
    with pytest.raises(SourceUnavailable, match="HTTP 503 after 4 tries") as info:
        client.get("fiscaldata", "https://example.test/a")
    assert info.value.source == "fiscaldata"
    assert str(info.value).startswith("fiscaldata: ")
    assert len(calls) == 4


def test_429_retry_after_seconds_is_honoured_and_reported() -> None:
    fake = FakeTime()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "30"})

    client = make_client(handler, fake, max_retries=2, rate_limits={"fred": 1000.0})
    with pytest.raises(SourceUnavailable, match=r"429 Too Many Requests: retry after 30 s"):
        client.get("fred", "https://example.test/a")
    assert fake.sleeps == [30.0, 30.0]


def test_429_retry_after_http_date() -> None:
    fake = FakeTime()
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "Mon, 12 Jan 1970 13:46:52 GMT"}),
            httpx.Response(200, text="fine"),
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return next(answers)

    # wall clock 1_000_000 s = 1970-01-12 13:46:40 UTC, so the date is 12 s later.
    client = make_client(handler, fake, rate_limits={"x": 1000.0})
    assert client.get("x", "https://example.test/a").text == "fine"
    assert fake.sleeps == [pytest.approx(12.0)]


def test_429_retry_after_beyond_cap_gives_up_at_once() -> None:
    fake = FakeTime()
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(429, headers={"Retry-After": "3600"})

    client = make_client(handler, fake, retry_after_cap_s=60.0)
    with pytest.raises(SourceUnavailable, match="retry after 3600 s"):
        client.get("x", "https://example.test/a")
    assert len(calls) == 1
    assert fake.sleeps == []


def test_timeouts_reported_by_name() -> None:
    fake = FakeTime()

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    client = make_client(handler, fake, max_retries=2, timeout_s=5.0)
    with pytest.raises(SourceUnavailable, match="timed out after 3 tries"):
        client.get("x", "https://example.test/a")


def test_connection_errors_reported_by_name() -> None:
    fake = FakeTime()

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection reset by a firewall", request=request)

    client = make_client(handler, fake, max_retries=1)
    with pytest.raises(SourceUnavailable, match=r"connection failed after 2 tries.*ConnectError"):
        client.get("x", "https://example.test/a")


def test_refused_connection_says_how_to_work_offline_and_is_not_tried_again() -> None:
    fake = FakeTime()
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    client = make_client(handler, fake, max_retries=3)
    with pytest.raises(SourceUnavailable, match=r"refused the connection.*--snapshot DIR"):
        client.get("x", "https://example.test/a")
    assert len(calls) == 2  # one quick retry, not four tries with backoff
    with pytest.raises(SourceUnavailable, match="BONDTHESIS_OFFLINE=1"):
        client.get("x", "https://example.test/b")
    assert len(calls) == 2  # the host is known to be unreachable: failed at once


def test_4xx_is_rejected_with_fred_error_message_and_no_key(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeTime()
    body = {
        "error_code": 400,
        "error_message": "Bad Request.  The value for variable api_key is not registered.",
    }

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params["api_key"] == FAKE_KEY
        return httpx.Response(400, json=body)

    client = make_client(handler, fake)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SourceRejected, match="api_key is not registered") as info:
        client.get("fred", "https://example.test/obs", params={"api_key": FAKE_KEY, "x": "1"})
    assert FAKE_KEY not in str(info.value)
    assert FAKE_KEY not in repr(info.value.args)
    assert info.value.url is not None
    assert "api_key=***" in info.value.url
    assert FAKE_KEY not in caplog.text
    assert len(fake.sleeps) == 0


def test_key_echoed_in_body_is_scrubbed() -> None:
    fake = FakeTime()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, text=f"no such thing for {FAKE_KEY}")

    client = make_client(handler, fake)
    with pytest.raises(SourceRejected) as info:
        client.get("fred", "https://example.test/obs")
    assert FAKE_KEY not in str(info.value)
    assert "HTTP 404" in str(info.value)


def test_accepted_status_is_returned() -> None:
    fake = FakeTime()
    client = make_client(lambda r: httpx.Response(403), fake)
    response = client.get("finra", "https://example.test/f", accept_statuses=frozenset({403}))
    assert response.status_code == 403


def test_user_agents() -> None:
    fake = FakeTime()
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["User-Agent"])
        return httpx.Response(200, text="x")

    settings = Settings(home=Path("/x"), sec_user_agent="Jane Doe jane@example.org")
    client = make_client(handler, fake, settings=settings)
    client.get("fred", "https://example.test/a")
    client.get("sec", "https://example.test/b")
    assert seen[0].startswith("bondthesis/")
    assert "Mozilla" not in seen[0]
    assert seen[1] == "Jane Doe jane@example.org"
    with pytest.raises(ConfigError):
        make_client(handler, fake).get("sec", "https://example.test/b")


def test_offline_settings_refuse_requests() -> None:
    fake = FakeTime()
    settings = Settings(home=Path("/x"), offline=True)
    client = make_client(lambda r: httpx.Response(200), fake, settings=settings)
    with pytest.raises(SourceUnavailable, match="offline"):
        client.get("fred", "https://example.test/a")


def test_post_json_sends_body_and_accept_header() -> None:
    fake = FakeTime()

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Accept"] == "application/json"
        assert request.headers["Content-Type"] == "application/json"
        return httpx.Response(200, content=request.content)

    client = make_client(handler, fake)
    assert client.post_json("finra", "https://example.test/q", {"limit": 5}).json() == {"limit": 5}


def test_rate_limiter_spaces_requests_at_the_rate() -> None:
    fake = FakeTime()
    limiter = RateLimiter({"fred": 2.0}, clock=fake.clock, sleep=fake.sleep)
    waits = [limiter.reserve("fred") for _ in range(5)]
    # bucket of 2 tokens, refilled at 2/s: two at once, then 0.5 s apart (reservations stack)
    assert waits == pytest.approx([0.0, 0.0, 0.5, 1.0, 1.5])
    fake.now = 10.0
    assert limiter.reserve("fred") == 0.0


def test_a_burst_leaves_at_once_then_the_rate_holds() -> None:
    fake = FakeTime()
    limiter = RateLimiter(
        {"prices": 1.0}, bursts={"prices": 5.0}, clock=fake.clock, sleep=fake.sleep
    )
    waits = [limiter.reserve("prices") for _ in range(7)]
    assert waits == pytest.approx([0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0])


def test_rate_limiter_is_thread_safe() -> None:
    fake = FakeTime()
    limiter = RateLimiter({"sec": 10.0}, clock=fake.clock, sleep=fake.sleep)
    waits: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(25):
            wait = limiter.reserve("sec")
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 100 reservations with the clock frozen: 10 free, then one every 0.1 s, each exactly once.
    expected = [0.0] * 10 + [0.1 * k for k in range(1, 91)]
    assert sorted(waits) == pytest.approx(expected)


def test_rate_limiter_rejects_bad_rates() -> None:
    with pytest.raises(ValueError, match="must be > 0"):
        RateLimiter({"x": 0.0})


@pytest.mark.parametrize(
    ("header", "expected"),
    [("0", 0.0), (" 12 ", 12.0), ("-5", 0.0), ("soon", None), ("", None), (None, None)],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header, now_epoch_s=0.0) == expected


def _response(content: bytes) -> httpx.Response:
    return httpx.Response(200, content=content, request=httpx.Request("GET", "https://e.test/x"))


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "empty body"),
        (b"  \n", "empty body"),
        (b"<!DOCTYPE html><html><body>blocked</body></html>", "HTML page"),
        (b"\n<html>", "HTML page"),
        (b"PK\x03\x04rest", "ZIP archive"),
        (b"\xff\xfe\xfa", "not UTF-8"),
    ],
)
def test_expect_text_rejects(content: bytes, match: str) -> None:
    with pytest.raises(PayloadChanged, match=match):
        expect_text(_response(content), "CSV", provider="fred")


def test_expect_text_and_json_accept_good_bodies() -> None:
    assert expect_text(_response(b"\xef\xbb\xbfDATE,X\n")) == "DATE,X"
    assert expect_json(_response(b'{"a": 1}')) == {"a": 1}
    with pytest.raises(PayloadChanged, match="expected JSON"):
        expect_json(_response(b'{"a": '), provider="finra")
    assert is_zip(b"PK\x03\x04")
    assert not is_zip(b"DATE")
