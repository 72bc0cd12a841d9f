"""Bounded reads of HTTP bodies, and the checks every body passes before a parser sees it.

A provider's answer is streamed, never read whole on trust: each body has a size limit per
provider (:data:`DEFAULT_BODY_LIMITS`) and a deadline; past either the read stops and the
answer is refused by name. The limit counts *decoded* bytes, so a small gzip that inflates to
gigabytes is refused as well. Error pages (4xx/5xx) are read only far enough for the provider's
own message (:data:`ERROR_BODY_LIMIT`).

:func:`expect_text` and :func:`expect_json` then refuse empty bodies, HTML error pages, ZIPs
and text that is not UTF-8, naming the provider and the URL.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

import httpx

from bondthesis.errors import PayloadChanged, redact

__all__ = [
    "DEFAULT_BODY_LIMIT",
    "DEFAULT_BODY_LIMITS",
    "ERROR_BODY_LIMIT",
    "MAX_REDIRECTS",
    "BodyTooLarge",
    "DeadlinePassed",
    "TooManyRedirects",
    "expect_json",
    "expect_text",
    "human_bytes",
    "is_zip",
    "provider_message",
    "read_capped",
    "rebuilt",
    "stream_capped",
]

MiB = 1 << 20
# The largest real answers: FRED's keyed JSON of a daily series with its vintages (~30 MB),
# SEC's quarterly 13F zip (~100 MB, streamed to disk). Everything else is a few MB at most.
DEFAULT_BODY_LIMIT = 64 * MiB
DEFAULT_BODY_LIMITS: dict[str, int] = {"fred": 256 * MiB, "sec": 768 * MiB}
ERROR_BODY_LIMIT = 64 * 1024
# Redirects followed per request; each one also waits for the provider's rate limit.
MAX_REDIRECTS = 5
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


class BodyTooLarge(Exception):
    """The body passed its limit (``limit`` bytes)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"body larger than {human_bytes(limit)}")
        self.limit = limit


class DeadlinePassed(Exception):
    """The request's (or the refresh's) deadline passed while the body was arriving."""


class TooManyRedirects(Exception):
    """More than :data:`MAX_REDIRECTS` redirects."""


def human_bytes(count: int) -> str:
    """``64 MB``, ``512 kB``, ``12 bytes``."""
    if count >= MiB:
        return f"{count / MiB:g} MB"
    if count >= 1024:
        return f"{count / 1024:g} kB"
    return f"{count} bytes"


def read_capped(
    response: httpx.Response,
    *,
    limit: int,
    deadline: float,
    clock: Callable[[], float] = time.monotonic,
    truncate: bool = False,
) -> bytes:
    """The decoded body, at most ``limit`` bytes (more: :class:`BodyTooLarge`, or cut)."""
    parts: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():  # as it arrives: no buffering past the deadline
        size += len(chunk)
        if size > limit:
            if truncate:
                parts.append(chunk[: len(chunk) - (size - limit)])
                break
            raise BodyTooLarge(limit)
        parts.append(chunk)
        if clock() > deadline:
            raise DeadlinePassed
    return b"".join(parts)


def stream_capped(
    response: httpx.Response,
    sink: BinaryIO,
    *,
    limit: int,
    deadline: float,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Write the body into ``sink`` (rewound and truncated first); return the bytes written."""
    sink.seek(0)
    sink.truncate()
    written = 0
    for chunk in response.iter_bytes():
        written += len(chunk)
        if written > limit:
            raise BodyTooLarge(limit)
        sink.write(chunk)
        if clock() > deadline:
            raise DeadlinePassed
    sink.flush()
    return written


def rebuilt(
    response: httpx.Response, content: bytes, extra: Mapping[str, Any] | None = None
) -> httpx.Response:
    """A read response holding ``content`` (already decoded) with the original's status."""
    headers = [
        (name, value)
        for name, value in response.headers.multi_items()
        if name.lower() not in {"content-encoding", "content-length", "transfer-encoding"}
    ]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=content,
        request=response.request,
        extensions={**response.extensions, **(extra or {})},
    )


def provider_message(response: httpx.Response) -> str | None:
    """The provider's own error text, when the body carries one (JSON field or short text)."""
    try:
        body = response.text
    except (UnicodeDecodeError, LookupError, httpx.ResponseNotRead):
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
