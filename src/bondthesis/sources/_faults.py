"""How the HTTP client reads faults: ``Retry-After``, failed connections, log records with URLs."""

from __future__ import annotations

import email.utils
import logging

import httpx

from bondthesis.errors import redact

__all__ = ["OFFLINE_HINT", "connect_fault", "install_log_redaction", "parse_retry_after"]

OFFLINE_HINT = (
    "check the network, or work from files: `bondthesis refresh --snapshot DIR` loads a local "
    "folder, and BONDTHESIS_OFFLINE=1 stops every network request"
)
_DNS_MARKERS = (
    "name or service not known",
    "temporary failure in name resolution",
    "nodename nor servname",
    "no address associated",
    "getaddrinfo",
    "name resolution",
)


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

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        record.msg = redact(message)
        record.args = None
        return True


_REDACTING_FILTER = _RedactingFilter("bondthesis-redact")


def install_log_redaction() -> None:
    for name in ("httpx", "httpcore", "httpcore.http11", "httpcore.http2", "httpcore.connection"):
        library_logger = logging.getLogger(name)
        if _REDACTING_FILTER not in library_logger.filters:
            library_logger.addFilter(_REDACTING_FILTER)


def connect_fault(exc: httpx.ConnectError) -> str:
    text = str(exc).lower()
    if any(marker in text for marker in _DNS_MARKERS):
        return "dns"
    if "refused" in text:
        return "refused"
    return f"connection: ConnectError: {redact(str(exc))}"
