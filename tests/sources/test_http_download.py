"""HttpClient.download: large bodies streamed to a file, with the same retries and errors as get."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bondthesis.config import Settings
from bondthesis.errors import ConfigError, SourceRejected, SourceUnavailable
from bondthesis.sources._http import HttpClient

BODY = bytes(range(256)) * 8192  # 2 MiB: several chunks


class BrokenStream(httpx.SyncByteStream):
    """Sends half the body, then drops the connection."""

    def __iter__(self) -> Iterator[bytes]:
        yield BODY[: len(BODY) // 2]
        raise httpx.ReadError("connection reset by peer")


def make_client(tmp_path: Path, handler: httpx.MockTransport, retries: int = 2) -> HttpClient:
    return HttpClient(
        Settings(home=tmp_path, sec_user_agent="Jane Tester jane@example.org"),
        transport=handler,
        max_retries=retries,
        backoff_base_s=0.0,
        sleep=lambda _s: None,
    )


def test_download_streams_the_whole_body(tmp_path: Path) -> None:
    http = make_client(tmp_path, httpx.MockTransport(lambda r: httpx.Response(200, content=BODY)))
    with tempfile.TemporaryFile() as sink:
        written = http.download("sec", "https://www.sec.gov/files/x.zip", sink)
        sink.seek(0)
        assert sink.read() == BODY
    assert written == len(BODY)


def test_broken_transfer_is_retried_from_scratch(tmp_path: Path) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(200, stream=BrokenStream())
        if len(calls) == 2:
            return httpx.Response(503)
        return httpx.Response(200, content=BODY)

    http = make_client(tmp_path, httpx.MockTransport(handler))
    with tempfile.TemporaryFile() as sink:
        http.download("sec", "https://www.sec.gov/files/x.zip", sink)
        sink.seek(0)
        assert sink.read() == BODY  # the half from the first try was truncated away
    assert len(calls) == 3


def test_download_errors_match_get(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("gone.zip"):
            return httpx.Response(404, text="<html>Not Found</html>")
        return httpx.Response(200, stream=BrokenStream())

    http = make_client(tmp_path, httpx.MockTransport(handler), retries=1)
    with tempfile.TemporaryFile() as sink:
        with pytest.raises(SourceRejected, match="404"):
            http.download("sec", "https://www.sec.gov/files/gone.zip", sink)
        with pytest.raises(SourceUnavailable, match="after 2 tries"):
            http.download("sec", "https://www.sec.gov/files/flaky.zip", sink)


def test_download_needs_the_sec_agent(tmp_path: Path) -> None:
    http = HttpClient(
        Settings(home=tmp_path),
        transport=httpx.MockTransport(lambda r: httpx.Response(200, content=BODY)),
    )
    with tempfile.TemporaryFile() as sink, pytest.raises(ConfigError):
        http.download("sec", "https://www.sec.gov/files/x.zip", sink)
