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
* every URL and message passes through :func:`~bondthesis.errors.redact`, and every configured
  secret (FRED and Stooq keys, the SEC User-Agent) is registered with
  :mod:`bondthesis.redaction`, so none reaches an exception, a log line or the store;
* bounded work: bodies are streamed under a per-provider size limit (:mod:`._body`), each request
  has an overall deadline across its tries (a provider dripping one byte every few seconds ends
  there), a refresh may set one deadline for all requests (:meth:`HttpClient.set_deadline`),
  redirects are followed by hand (at most :data:`~._body.MAX_REDIRECTS`, each one waiting for
  the rate limit), and a host whose name does not resolve or that refuses connections is tried
  twice, then failed at once for the rest of the client's life, with a hint to work offline.

Sleep, monotonic clock, wall clock and the jitter's random generator are injectable so tests run
without waiting.
"""

from __future__ import annotations

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
from bondthesis.redaction import register_secret
from bondthesis.sources._body import (
    DEFAULT_BODY_LIMIT,
    DEFAULT_BODY_LIMITS,
    ERROR_BODY_LIMIT,
    MAX_REDIRECTS,
    BodyTooLarge,
    DeadlinePassed,
    TooManyRedirects,
    expect_json,
    expect_text,
    human_bytes,
    is_zip,
    provider_message,
    read_capped,
    rebuilt,
    stream_capped,
)
from bondthesis.sources._faults import (
    OFFLINE_HINT,
    connect_fault,
    install_log_redaction,
    parse_retry_after,
)
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

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A streamed download (SEC's 13F zips, ~100 MB) may take this many request deadlines.
_DOWNLOAD_DEADLINE_FACTOR = 6


class HttpClient:
    """The shared httpx client with retries, rate limits, bounds and honest identification.

    Parameters
    ----------
    settings : Settings
        ``offline`` refuses every request; ``sec_user_agent`` identifies SEC requests;
        ``fred_api_key`` and the agent are hidden from every message.
    transport : httpx.BaseTransport, optional
        For tests (``httpx.MockTransport``); None uses the network.
    timeout_s : float
        Connect/read/write timeout of one try, seconds.
    max_retries : int
        Retries after the first try (3 → at most 4 tries).
    backoff_base_s, backoff_cap_s : float
        Full-jitter backoff: the wait before retry ``n`` (0-based) is uniform in
        ``[0, min(backoff_cap_s, backoff_base_s * 2**n)]``.
    retry_after_cap_s : float
        Longest ``Retry-After`` honoured; a longer one ends the retries at once.
    request_deadline_s : float
        Longest time one request may take, all tries, waits and body reads included;
        :meth:`download` (SEC's ~100 MB zips) gets six times as long.
    body_limits : mapping of provider to bytes, optional
        Overrides of :data:`~._body.DEFAULT_BODY_LIMITS` (others: ``DEFAULT_BODY_LIMIT``).
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
        request_deadline_s: float = 300.0,
        body_limits: Mapping[str, int] | None = None,
        rate_limits: Mapping[str, float] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        if timeout_s <= 0 or request_deadline_s <= 0:
            raise ValueError(
                f"timeout_s and request_deadline_s must be > 0 seconds, got {timeout_s}, "
                f"{request_deadline_s}"
            )
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
        self.request_deadline_s = request_deadline_s
        self.body_limits = {**DEFAULT_BODY_LIMITS, **(body_limits or {})}
        self.deadline: float | None = None  # set_deadline: the end of the whole refresh
        self.user_agent = f"bondthesis/{__version__} (+{PROJECT_URL})"
        self._sleep = sleep
        self._clock = clock
        self._wall_clock = wall_clock
        self._rng = rng if rng is not None else random.Random()
        self._rng_lock = threading.Lock()
        self._unreachable: dict[str, str] = {}  # host -> the fault that made it unreachable
        self.rate_limiter = RateLimiter(
            {**DEFAULT_RATE_LIMITS, **(rate_limits or {})},
            bursts=DEFAULT_BURSTS,
            clock=clock,
            sleep=sleep,
        )
        register_secret(settings.fred_api_key)
        register_secret(settings.sec_user_agent)
        install_log_redaction()
        self._client = httpx.Client(
            transport=transport, timeout=httpx.Timeout(timeout_s), follow_redirects=False
        )

    # -- lifecycle -------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def set_deadline(self, seconds: float | None) -> None:
        """Every request must end within ``seconds`` from now (a refresh's ``--timeout``)."""
        self.deadline = None if seconds is None else self._clock() + seconds

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
            Offline mode, timeouts / connection faults / 429 / 5xx after the last retry, or the
            deadline passed.
        SourceRejected
            Any other 4xx (with the provider's own message when it gives one), a redirect loop.
        PayloadChanged
            A body larger than the provider's limit.
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

        Same retries, rate limits, limits and errors as :meth:`get`; the body never sits in
        memory whole. ``sink`` must be seekable: a retry rewinds and truncates it.
        """
        response = self._send(provider, "DOWNLOAD", url, params, headers, sink, frozenset())
        return int(response.extensions.get("bondthesis_bytes", 0))

    # -- machinery -------------------------------------------------------------------------------

    def scrub(self, text: str) -> str:
        """``text`` with secret query values and every registered secret replaced by ``***``."""
        return redact(text)

    def _headers(self, provider: str, extra: Mapping[str, str] | None) -> dict[str, str]:
        agent = self.settings.require_sec_user_agent() if provider == "sec" else self.user_agent
        return {"User-Agent": agent, **(extra or {})}

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.backoff_cap_s, self.backoff_base_s * (2.0**attempt))
        with self._rng_lock:
            return self._rng.uniform(0.0, ceiling)

    def _attempt(
        self,
        provider: str,
        method: str,
        url: str,
        params: Mapping[str, str | int | float] | None,
        headers: Mapping[str, str],
        body: Any,
        deadline: float,
    ) -> httpx.Response:
        """One try: send, follow redirects by hand, read the body within its limits."""
        timeout = httpx.Timeout(max(0.01, min(self.timeout_s, deadline - self._clock())))
        if method == "POST":
            request = self._client.build_request(
                "POST", url, json=body, headers=headers, timeout=timeout
            )
        else:
            request = self._client.build_request(
                "GET", url, params=params, headers=headers, timeout=timeout
            )
        limit = self.body_limits.get(provider, DEFAULT_BODY_LIMIT)
        for hop in range(MAX_REDIRECTS + 1):
            if hop:
                self.rate_limiter.acquire(provider)  # a redirect is a request like any other
            response = self._client.send(request, stream=True)
            try:
                following = response.next_request if response.is_redirect else None
                if following is None:
                    if response.status_code >= 400:
                        return rebuilt(
                            response,
                            read_capped(
                                response,
                                limit=ERROR_BODY_LIMIT,
                                deadline=deadline,
                                clock=self._clock,
                                truncate=True,
                            ),
                        )
                    if method == "DOWNLOAD":
                        written = stream_capped(
                            response, body, limit=limit, deadline=deadline, clock=self._clock
                        )
                        return rebuilt(response, b"", {"bondthesis_bytes": written})
                    content = read_capped(
                        response, limit=limit, deadline=deadline, clock=self._clock
                    )
                    return rebuilt(response, content)
            finally:
                response.close()
            request = following
        raise TooManyRedirects

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
        parsed = httpx.URL(url, params=dict(params) if params else None)
        shown_url = self.scrub(str(parsed))
        if self.settings.offline:
            raise SourceUnavailable(
                "offline mode (BONDTHESIS_OFFLINE=1) forbids network requests; "
                "unset it or refresh from a snapshot",
                source=provider,
                url=shown_url,
            )
        host = parsed.host
        if host in self._unreachable:
            raise SourceUnavailable(self._unreachable[host], source=provider, url=shown_url)
        request_headers = self._headers(provider, headers)
        allowed = self.request_deadline_s * (
            _DOWNLOAD_DEADLINE_FACTOR if method == "DOWNLOAD" else 1
        )
        deadline = self._clock() + allowed
        if self.deadline is not None:
            deadline = min(deadline, self.deadline)
        tries = self.max_retries + 1
        last_fault = ""
        wait_hint: float | None = None
        for attempt in range(tries):
            if self._clock() >= deadline:
                last_fault = "deadline"
                break
            self.rate_limiter.acquire(provider)
            logger.debug("%s %s %s (try %d/%d)", provider, method, shown_url, attempt + 1, tries)
            wait_hint = None
            try:
                response = self._attempt(
                    provider, method, url, params, request_headers, body, deadline
                )
            except BodyTooLarge as exc:
                raise PayloadChanged(
                    f"the answer is larger than the {human_bytes(exc.limit)} this tool reads "
                    f"from {provider}; refused (not stored)",
                    source=provider,
                    url=shown_url,
                ) from None
            except TooManyRedirects:
                raise SourceRejected(
                    f"redirected more than {MAX_REDIRECTS} times (a redirect loop?); the "
                    "address has moved, check the provider's page",
                    source=provider,
                    url=shown_url,
                ) from None
            except DeadlinePassed:
                last_fault = "deadline"
                break
            except httpx.TimeoutException:
                # Each read may wait only until the deadline: past it, that is what happened.
                last_fault = "deadline" if self._clock() >= deadline else "timeout"
                if last_fault == "deadline":
                    break
            except httpx.ConnectError as exc:
                last_fault = connect_fault(exc)
                if last_fault in {"dns", "refused"} and attempt >= 1:
                    break  # recognised at once: one quick retry, not a minute of backoff
            except httpx.RemoteProtocolError as exc:
                last_fault = f"connection: truncated or malformed response ({self.scrub(str(exc))})"
            except httpx.DecodingError as exc:
                last_fault = f"connection: the body could not be decoded ({self.scrub(str(exc))})"
            except httpx.HTTPError as exc:
                last_fault = f"connection: {type(exc).__name__}: {self.scrub(str(exc))}"
            else:
                status = response.status_code
                if status < 400 or status in accept_statuses:
                    return response
                if status not in _RETRY_STATUSES:
                    own = provider_message(response)
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
            if last_fault in {"dns", "refused"}:
                delay = min(delay, 0.5)
            if wait_hint is not None:
                delay = max(delay, min(wait_hint, self.retry_after_cap_s))
            if self._clock() + delay >= deadline:
                break  # the wait alone would pass the deadline: report the fault now
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
        message = self._final_message(last_fault, attempt + 1, wait_hint, host, allowed)
        if last_fault in {"dns", "refused"}:
            self._unreachable[host] = message
        raise SourceUnavailable(message, source=provider, url=shown_url)

    def _describe(self, fault: str) -> str:
        if fault == "timeout":
            return f"timed out after {self.timeout_s:g} s"
        if fault.startswith("status:"):
            return f"HTTP {fault.removeprefix('status:')}"
        if fault in {"dns", "refused"}:
            return "cannot connect"
        return fault.removeprefix("connection: ")

    def _final_message(
        self, fault: str, tries: int, wait_hint: float | None, host: str, allowed: float
    ) -> str:
        plural = "try" if tries == 1 else "tries"
        if fault == "deadline":
            if self.deadline is not None and self._clock() >= self.deadline:
                return "stopped: the refresh's time limit (--timeout) ran out; run it again later"
            return (
                f"no complete answer within {allowed:g} s (the request's "
                f"deadline, {tries} {plural}); the provider is slow or down, try again later"
            )
        if fault == "dns":
            return f"cannot resolve {host} (no network or no DNS?); {OFFLINE_HINT}"
        if fault == "refused":
            return f"{host} refused the connection; {OFFLINE_HINT}"
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
