"""Per-provider request rates: a thread-safe token bucket and the default limits.

FRED throttles above about 2 requests a second and SEC above 10 (SOURCES.md); the other providers
publish no limit, so bondthesis stays polite by default. Used by :class:`~bondthesis.sources.
_http.HttpClient`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["DEFAULT_BURSTS", "DEFAULT_RATE_LIMITS", "RateLimiter"]

DEFAULT_RATE_LIMITS: dict[str, float] = {
    "fred": 2.0,
    "sec": 10.0,
    "fiscaldata": 4.0,
    "finra": 2.0,
    "prices": 1.0,
    "yahoo": 1.0,
    "stooq": 1.0,
    "worldbank": 1.0,
    "iacoviello": 1.0,
    "shiller": 1.0,
}
_FALLBACK_RATE = 2.0
# How many requests may leave at once before the rate applies. One refresh asks Yahoo for five
# tickers and each whole-file site for a landing page and a file: that many at once is what
# ordinary clients do (yfinance fetches tickers in parallel threads), and then the rate holds.
# FRED and SEC keep the default (a bucket of ``rate`` tokens): their limits are per second.
DEFAULT_BURSTS: dict[str, float] = {
    "prices": 5.0,
    "yahoo": 5.0,
    "stooq": 2.0,
    "worldbank": 2.0,
    "iacoviello": 2.0,
    "shiller": 2.0,
}


@dataclass
class _Bucket:
    rate: float
    capacity: float
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per provider, safe to share between threads.

    Each provider's bucket holds up to ``max(1, rate, burst)`` tokens and refills at ``rate``
    tokens per second. :meth:`acquire` takes one token, reserving a future one when the bucket is
    empty, and sleeps (outside the lock) until it is due. With ``rate = 2`` and a full bucket,
    five requests at once leave at t = 0, 0, 0.5, 1.0 and 1.5 s.

    Parameters
    ----------
    rates : mapping of str to float
        Requests per second per provider; providers not named get ``default_rate``.
    bursts : mapping of str to float, optional
        Requests per provider that may leave at once (the bucket's size) before the rate applies.
    default_rate : float
    clock : callable returning seconds (monotonic)
    sleep : callable taking seconds
    """

    def __init__(
        self,
        rates: Mapping[str, float],
        *,
        bursts: Mapping[str, float] | None = None,
        default_rate: float = _FALLBACK_RATE,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        for provider, rate in {**rates, "(default)": default_rate}.items():
            if not rate > 0:
                raise ValueError(f"rate limit of {provider!r} must be > 0 requests/s, got {rate}")
        self._rates = dict(rates)
        self._bursts = dict(bursts or {})
        self._default = default_rate
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._buckets: dict[str, _Bucket] = {}

    def rate(self, provider: str) -> float:
        """Requests per second allowed for ``provider``."""
        return self._rates.get(provider, self._default)

    def reserve(self, provider: str) -> float:
        """Take a token for ``provider``; return how many seconds to wait before using it."""
        with self._lock:
            now = self._clock()
            bucket = self._buckets.get(provider)
            if bucket is None:
                rate = self.rate(provider)
                capacity = max(1.0, rate, self._bursts.get(provider, 0.0))
                bucket = _Bucket(rate=rate, capacity=capacity, tokens=capacity, updated=now)
                self._buckets[provider] = bucket
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(bucket.capacity, bucket.tokens + elapsed * bucket.rate)
            bucket.updated = now
            bucket.tokens -= 1.0
            return 0.0 if bucket.tokens >= 0 else -bucket.tokens / bucket.rate

    def acquire(self, provider: str) -> float:
        """Wait for a token for ``provider``; return the seconds waited."""
        wait = self.reserve(provider)
        if wait > 0:
            self._sleep(wait)
        return wait
