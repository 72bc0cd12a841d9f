"""Every configured secret, registered once and replaced by ``***`` wherever text leaves the tool.

API keys (FRED, Stooq) and the SEC User-Agent (a name and an e-mail address) are registered when
they are read; :func:`scrub` then replaces each of them, and their URL-encoded forms (a server
that echoes a query string or a header back), in any text: exception messages, log records, the
fetch log, refresh rows. :func:`bondthesis.errors.redact` calls it, so every path that already
redacts secret query parameters hides the registered values too.

:func:`clip` cuts a message to a readable length (a 50 MB cell must not become a 50 MB error).
"""

from __future__ import annotations

import re
import threading
from urllib.parse import quote, quote_plus

__all__ = ["MIN_SECRET_CHARS", "clip", "register_secret", "registered_secrets", "scrub"]

# Shorter values would match ordinary words and digits; no real key or agent is this short.
MIN_SECRET_CHARS = 6
_EMAIL = re.compile(r"[^\s<>\"']+@[^\s<>\"']+\.[^\s<>\"']+")

_lock = threading.Lock()
_secrets: set[str] = set()
_ordered: tuple[str, ...] = ()


def register_secret(value: str | None) -> None:
    """Hide ``value`` (and its URL-encoded forms, and any e-mail address in it) from now on."""
    if value is None:
        return
    text = value.strip()
    if len(text) < MIN_SECRET_CHARS:
        return
    forms = {text, quote(text, safe=""), quote_plus(text), quote(text)}
    forms.update(match.group(0) for match in _EMAIL.finditer(text))
    forms.update(quote(match.group(0), safe="") for match in _EMAIL.finditer(text))
    global _ordered
    with _lock:
        _secrets.update(f for f in forms if len(f) >= MIN_SECRET_CHARS)
        # Longest first, so a secret's encoded form is not half-replaced by a shorter one.
        _ordered = tuple(sorted(_secrets, key=len, reverse=True))


def registered_secrets() -> tuple[str, ...]:
    """The values currently hidden (for tests that search for leaks)."""
    return _ordered


def scrub(text: str) -> str:
    """``text`` with every registered secret replaced by ``***``."""
    for secret in _ordered:
        if secret in text:
            text = text.replace(secret, "***")
    return text


def clip(text: str, limit: int = 400) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"
