"""The one HTTP client of bondthesis: timeouts, retries with backoff, per-provider rate limits.

Every provider module sends its requests through :class:`HttpClient`, so politeness and error
reporting are the same everywhere:

* retries with exponential backoff and *full jitter* (a delay drawn uniformly from
  ``[0, min(cap, base * 2**attempt)]``) on timeouts, connection faults, truncated bodies, 429 and
  5xx, honouring ``Retry-After`` (seconds or an HTTP date, capped);
* a thread-safe token bucket per provider (FRED 2 requests/s, SEC 10/s, others polite defaults);
* a plain User-Agent ``bondthesis/<version> (+<project url>)``, except for SEC, whose fair-access
  rules want a name and an e-mail address (:meth:`Settings.require_sec_user_agent`);
* after the retries, :class:`~bondthesis.errors.SourceUnavailable` naming the provider and the fault
  ("HTTP 503 after 4 tries"); a 4xx is :class:`~bondthesis.errors.SourceRejected` carrying the
  provider's own message when it sends one (FRED's JSON ``error_message``);
* every URL and message passes through :func:`~bondthesis.errors.redact`, and the configured FRED
  key is scrubbed literally too, so a key never reaches an exception, a log line or the store.

Sleep, monotonic clock, wall clock and the jitter's random generator are injectable so tests run
without waiting.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

import httpx

from bondthesis import __version__
from bondthesis.config import Settings
from bondthesis.errors import PayloadChanged, SourceRejected, SourceUnavailable, redact
from bondthesis.sources._ratelimit import DEFAULT_BURSTS, DEFAULT_RATE_LIMITS, RateLimiter

__all__ = [
    "DEFAULT_BURSTS",
    "DEFAULT_RATE_LIMITS",
    "PROJECT_URL",
    "HttpClient",
    "RateLimiter",
    "expect_json",
    "expect_text",
    "is_zip",
    "parse_retry_after",
]

logger = logging.getLogger("bondthesis.http")

PROJECT_URL = "https://github.com/bondthesis/bondthesis"

# Requests per second per provider. FRED throttles bursts above ~2/s with 429 (SOURCES.md §1.1),
# SEC allows 10/s per host (§4.3); the rest publish no limit, so one or a few per second.
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_DOWNLOAD_CHUNK_BYTES = 1 << 20


def parse_retry_after(value: str | None, *, now_epoch_s: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date).

    >>> parse_retry_after("30", now_epoch_s=0.0)
    30.0
    >>> parse_retry_after("Thu, 01 Jan 1970 00:01:00 GMT", now_epoch_s=0.0)
    60.0

    Returns None when the header is absent or unreadable; never negative.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now_epoch_s)


class _RedactingFilter(logging.Filter):
    """Rewrites records of httpx/httpcore (which log full URLs at INFO) without secrets."""

    def __init__(self) -> None:
        super().__init__("bondthesis-redact")
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        record.msg = _scrub(message, tuple(self.secrets))
        record.args = None
        return True


_REDACTING_FILTER = _RedactingFilter()


def _install_log_redaction(secrets: tuple[str, ...]) -> None:
    _REDACTING_FILTER.secrets.update(secrets)
    for name in ("httpx", "httpcore", "httpcore.http11", "httpcore.http2", "httpcore.connection"):
        library_logger = logging.getLogger(name)
        if _REDACTING_FILTER not in library_logger.filters:
            library_logger.addFilter(_REDACTING_FILTER)


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    text = redact(text)
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def _provider_message(response: httpx.Response) -> str | None:
    """The provider's own error text, when the body carries one (JSON field or short text)."""
    try:
        body = response.text
    except (UnicodeDecodeError, httpx.ResponseNotRead):
        return None
    body = body.strip()
    if not body:
        return None
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        for field in ("error_message", "message", "detail", "error", "errors"):
            value = parsed.get(field)
            if isinstance(value, str) and value.strip():
                return " ".join(value.split())[:300]
    head = body[:512].lower()
    if "<html" in head or "<!doctype" in head or parsed is not None:
        return None
    return " ".join(body.split())[:300]


class HttpClient:
    """The shared httpx client with retries, rate limits and honest identification.

    Parameters
    ----------
    settings : Settings
        ``offline`` refuses every request; ``sec_user_agent`` identifies SEC requests;
        ``fred_api_key`` is scrubbed from every message.
    transport : httpx.BaseTransport, optional
        For tests (``httpx.MockTransport``); None uses the network.
    timeout_s : float
        Connect/read/write timeout of one try, seconds.
    max_retries : int
        Retries after the first try (3 → at most 4 tries).
    backoff_base_s, backoff_cap_s : float
        Full-jitter backoff: the wait before retry ``n`` (0-based) is uniform in
        ``[0, min(backoff_cap_s, backoff_base_s * 2**n)]``; with base 0.5 s the ceilings are
        0.5, 1 and 2 s.
    retry_after_cap_s : float
        Longest ``Retry-After`` honoured; a longer one ends the retries at once.
    rate_limits : mapping of provider to requests per second, optional
        Overrides of :data:`DEFAULT_RATE_LIMITS`.
    sleep, clock, wall_clock : callables
        ``time.sleep``, ``time.monotonic`` and ``time.time`` unless a test injects others.
    rng : random.Random, optional
        The jitter's generator (seed it in tests).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout_s: float = 30.0,
        max_retries: int = 3,
        backoff_base_s: float = 0.5,
        backoff_cap_s: float = 30.0,
        retry_after_cap_s: float = 60.0,
        rate_limits: Mapping[str, float] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        if timeout_s <= 0:
            raise ValueError(f"timeout_s must be > 0 seconds, got {timeout_s}")
        if max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {max_retries}")
        if backoff_base_s < 0 or backoff_cap_s < 0 or retry_after_cap_s < 0:
            raise ValueError("backoff_base_s, backoff_cap_s and retry_after_cap_s must be >= 0")
        self.settings = settings
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self.retry_after_cap_s = retry_after_cap_s
        self.user_agent = f"bondthesis/{__version__} (+{PROJECT_URL})"
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._rng = rng if rng is not None else random.Random()
        self._rng_lock = threading.Lock()
        self.rate_limiter = RateLimiter(
            {**DEFAULT_RATE_LIMITS, **(rate_limits or {})},
            bursts=DEFAULT_BURSTS,
            clock=clock,
            sleep=sleep,
        )
        self._secrets = tuple(s for s in (settings.fred_api_key,) if s)
        _install_log_redaction(self._secrets)
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout_s),
            follow_redirects=True,
        )

    # -- lifecycle -------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public requests -------------------------------------------------------------------------

    def get(
        self,
        provider: str,
        url: str,
        params: Mapping[str, str | int | float] | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        accept_statuses: frozenset[int] = frozenset(),
    ) -> httpx.Response:
        """GET ``url`` for ``provider`` with retries; return the 2xx response (body read).

        ``accept_statuses`` are 4xx codes returned to the caller instead of raised (FINRA's 403
        for a file not yet published).

        Raises
        ------
        SourceUnavailable
            Offline mode, or timeouts / connection faults / 429 / 5xx after the last retry.
        SourceRejected
            Any other 4xx, with the provider's own message when it gives one.
        """
        return self._send(provider, "GET", url, params, headers, None, accept_statuses)

    def post_json(
        self,
        provider: str,
        url: str,
        body: Any,
        headers: Mapping[str, str] | None = None,
        *,
        accept_statuses: frozenset[int] = frozenset(),
    ) -> httpx.Response:
        """POST ``body`` as JSON (``Accept: application/json``); same retries and errors as GET."""
        merged = {"Accept": "application/json", **(headers or {})}
        return self._send(provider, "POST", url, None, merged, body, accept_statuses)

    def download(
        self,
        provider: str,
        url: str,
        sink: BinaryIO,
        params: Mapping[str, str | int | float] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> int:
        """Stream a large body (SEC's 13F zips, ~100 MB) into ``sink``; return the bytes written.

        Same retries, rate limits and errors as :meth:`get`; the body never sits in memory whole.
        ``sink`` must be seekable: a retry after a broken transfer rewinds and truncates it.
        """
        response = self._send(provider, "DOWNLOAD", url, params, headers, sink, frozenset())
        return int(response.extensions.get("bondthesis_bytes", 0))

    # -- machinery -------------------------------------------------------------------------------

    def _stream_into(
        self,
        sink: BinaryIO,
        url: str,
        params: Mapping[str, str | int | float] | None,
        headers: Mapping[str, str],
    ) -> httpx.Response:
        request = self._client.build_request("GET", url, params=params, headers=headers)
        response = self._client.send(request, stream=True)
        try:
            if response.status_code >= 400:
                response.read()  # small error page: read for the provider's message
                return response
            sink.seek(0)
            sink.truncate()
            written = 0
            for chunk in response.iter_bytes(_DOWNLOAD_CHUNK_BYTES):
                sink.write(chunk)
                written += len(chunk)
            sink.flush()
            response.extensions = {**response.extensions, "bondthesis_bytes": written}
            return response
        finally:
            response.close()

    def scrub(self, text: str) -> str:
        """``text`` with secret query values and the configured keys replaced by ``***``."""
        return _scrub(text, self._secrets)

    def _headers(self, provider: str, extra: Mapping[str, str] | None) -> dict[str, str]:
        agent = self.settings.require_sec_user_agent() if provider == "sec" else self.user_agent
        return {"User-Agent": agent, **(extra or {})}

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.backoff_cap_s, self.backoff_base_s * (2.0**attempt))
        with self._rng_lock:
            return self._rng.uniform(0.0, ceiling)

    def _send(
        self,
        provider: str,
        method: str,
        url: str,
        params: Mapping[str, str | int | float] | None,
        headers: Mapping[str, str] | None,
        body: Any,
        accept_statuses: frozenset[int],
    ) -> httpx.Response:
        shown_url = self.scrub(str(httpx.URL(url, params=dict(params) if params else None)))
        if self.settings.offline:
            raise SourceUnavailable(
                "offline mode (BONDTHESIS_OFFLINE=1) forbids network requests; "
                "unset it or refresh from a snapshot",
                source=provider,
                url=shown_url,
            )
        request_headers = self._headers(provider, headers)
        tries = self.max_retries + 1
        last_fault = ""
        for attempt in range(tries):
            self.rate_limiter.acquire(provider)
            logger.debug("%s %s %s (try %d/%d)", provider, method, shown_url, attempt + 1, tries)
            wait_hint: float | None = None
            try:
                if method == "GET":
                    response = self._client.get(url, params=params, headers=request_headers)
                elif method == "DOWNLOAD":
                    response = self._stream_into(body, url, params, request_headers)
                else:
                    response = self._client.post(url, json=body, headers=request_headers)
            except httpx.TimeoutException:
                last_fault = "timeout"
            except httpx.RemoteProtocolError as exc:
                last_fault = f"connection: truncated or malformed response ({self.scrub(str(exc))})"
            except httpx.TransportError as exc:
                last_fault = f"connection: {type(exc).__name__}: {self.scrub(str(exc))}"
            else:
                status = response.status_code
                if status < 400 or status in accept_statuses:
                    return response
                if status not in _RETRY_STATUSES:
                    own = _provider_message(response)
                    reason = f"HTTP {status} {response.reason_phrase}".strip()
                    message = f"{reason}: {own}" if own else reason
                    raise SourceRejected(self.scrub(message), source=provider, url=shown_url)
                last_fault = f"status:{status}"
                if status == 429 or response.headers.get("Retry-After"):
                    wait_hint = parse_retry_after(
                        response.headers.get("Retry-After"), now_epoch_s=self._wall_clock()
                    )
                if status == 429 and wait_hint is not None and wait_hint > self.retry_after_cap_s:
                    raise SourceUnavailable(
                        f"429 Too Many Requests: retry after {wait_hint:.0f} s "
                        f"(longer than the {self.retry_after_cap_s:.0f} s this tool waits); "
                        "run the refresh again later",
                        source=provider,
                        url=shown_url,
                    )
            if attempt + 1 >= tries:
                break
            delay = self._backoff(attempt)
            if wait_hint is not None:
                delay = max(delay, min(wait_hint, self.retry_after_cap_s))
            logger.warning(
                "%s: %s on %s; retry %d/%d in %.2f s",
                provider,
                self._describe(last_fault),
                shown_url,
                attempt + 1,
                self.max_retries,
                delay,
            )
            if delay > 0:
                self._sleep(delay)
        raise SourceUnavailable(
            self._final_message(last_fault, tries, wait_hint), source=provider, url=shown_url
        )

    def _describe(self, fault: str) -> str:
        if fault == "timeout":
            return f"timed out after {self.timeout_s:g} s"
        if fault.startswith("status:"):
            return f"HTTP {fault.removeprefix('status:')}"
        return fault.removeprefix("connection: ")

    def _final_message(self, fault: str, tries: int, wait_hint: float | None) -> str:
        plural = "try" if tries == 1 else "tries"
        if fault == "timeout":
            return (
                f"timed out after {tries} {plural} ({self.timeout_s:g} s each); "
                "the provider is slow or down, try again later"
            )
        if fault == "status:429":
            after = f"retry after {wait_hint:.0f} s" if wait_hint is not None else "slow down"
            return f"429 Too Many Requests: {after} (gave up after {tries} {plural})"
        if fault.startswith("status:"):
            code = fault.removeprefix("status:")
            return f"HTTP {code} after {tries} {plural}; the provider is failing, try again later"
        detail = fault.removeprefix("connection: ")
        return f"connection failed after {tries} {plural} ({detail}); check the network"


# -- body checks ---------------------------------------------------------------------------------


def _provider_of(response: httpx.Response, provider: str | None) -> tuple[str, str | None]:
    try:
        url = redact(str(response.request.url))
    except RuntimeError:
        url = None
    return (provider or "http"), url


def is_zip(content: bytes) -> bool:
    """True when ``content`` starts like a ZIP archive (``PK\\x03\\x04`` or an empty archive)."""
    return content.startswith(_ZIP_MAGIC)


def expect_text(response: httpx.Response, kind: str = "CSV", *, provider: str | None = None) -> str:
    """The body as text, or :class:`PayloadChanged` when it is empty, HTML, a ZIP or not UTF-8.

    ``kind`` names what was expected, for the message ("CSV", "pipe-delimited text").
    """
    source, url = _provider_of(response, provider)
    content = response.content
    if is_zip(content):
        raise PayloadChanged(f"expected {kind}, got a ZIP archive", source=source, url=url)
    try:
        text = content.decode(response.encoding or "utf-8")
    except (UnicodeDecodeError, LookupError):
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise PayloadChanged(
                f"expected {kind}, got bytes that are not UTF-8 text", source=source, url=url
            ) from None
    stripped = text.lstrip("\ufeff").strip()
    if not stripped:
        raise PayloadChanged(f"expected {kind}, got an empty body", source=source, url=url)
    head = stripped[:512].lower()
    if "<html" in head or "<!doctype" in head:
        raise PayloadChanged(
            f"expected {kind}, got an HTML page (blocked, moved or an error page)",
            source=source,
            url=url,
        )
    return stripped


def expect_json(response: httpx.Response, *, provider: str | None = None) -> Any:
    """The body parsed as JSON, or :class:`PayloadChanged` (empty, HTML, truncated, not JSON)."""
    text = expect_text(response, "JSON", provider=provider)
    try:
        return json.loads(text)
    except ValueError as exc:
        source, url = _provider_of(response, provider)
        raise PayloadChanged(
            f"expected JSON, got unparseable text ({exc.__class__.__name__} at char "
            f"{getattr(exc, 'pos', '?')})",
            source=source,
            url=url,
        ) from None
