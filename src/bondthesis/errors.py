"""The one exception tree of bondthesis.

::

    BondThesisError
    ├── ConfigError            a setting is missing or malformed (how to fix it is in the message)
    ├── SourceError            a provider failed; carries ``.source`` and ``.url`` (never a key)
    │   ├── SourceUnavailable  network fault, timeout, 429/5xx after the retries ran out
    │   ├── SourceRejected     the provider refused the request (4xx: bad key, unknown series)
    │   └── PayloadChanged     the answer did not have the expected shape (HTML instead of CSV,
    │                          renamed columns, unparseable values)
    ├── StoreError             the local DuckDB store cannot be used
    │   └── StoreBusy          another process holds the writer lock
    ├── CacheMiss              a series was asked for that the store does not hold
    └── ConvergenceError       a numerical solver did not converge

Bad arguments to functions stay ``ValueError``/``TypeError``; non-fatal problems are warnings
(``StaleDataWarning``). Every message says how to fix the problem.
"""

from __future__ import annotations

import re

from bondthesis.redaction import scrub

__all__ = [
    "BondThesisError",
    "CacheMiss",
    "ConfigError",
    "ConvergenceError",
    "PayloadChanged",
    "SourceError",
    "SourceRejected",
    "SourceUnavailable",
    "StaleDataWarning",
    "StoreBusy",
    "StoreError",
    "redact",
]

# Query parameters and headers that carry secrets; their values are replaced before any URL or
# message leaves a SourceError, a log line or the store.
_SECRET_PARAMS = re.compile(r"(?i)(api_key|apikey|token|key|access_token)=([^&\s\"']+)")


def redact(text: str) -> str:
    """Replace secret-looking query values and every registered secret in ``text`` with ``***``.

    >>> redact("https://x/obs?series_id=DGS30&api_key=abc123&file_type=json")
    'https://x/obs?series_id=DGS30&api_key=***&file_type=json'
    """
    return scrub(_SECRET_PARAMS.sub(lambda m: f"{m.group(1)}=***", text))


class BondThesisError(Exception):
    """Base class of every error bondthesis raises on purpose."""


class ConfigError(BondThesisError):
    """A setting is missing or malformed."""


class SourceError(BondThesisError):
    """A data provider failed.

    Parameters
    ----------
    message : str
        What went wrong and how to fix it.
    source : str
        The provider's name (``"fred"``, ``"fiscaldata"``...).
    url : str, optional
        The request's URL, with any secret redacted.
    """

    def __init__(self, message: str, *, source: str, url: str | None = None) -> None:
        self.source = source
        self.url = redact(url) if url else None
        super().__init__(redact(message))

    def __str__(self) -> str:
        text = super().__str__()
        where = f" ({self.url})" if self.url else ""
        return f"{self.source}: {text}{where}"


class SourceUnavailable(SourceError):
    """The provider could not be reached or kept failing (timeouts, 429, 5xx)."""


class SourceRejected(SourceError):
    """The provider refused the request (a bad key, an unknown series, a bad parameter)."""


class PayloadChanged(SourceError):
    """The provider answered, but not in the format bondthesis knows."""


class StoreError(BondThesisError):
    """The local store cannot be opened or written."""


class StoreBusy(StoreError):
    """Another bondthesis process is writing to the store."""


class CacheMiss(BondThesisError):
    """The store holds no data for a series that was asked for."""


class ConvergenceError(BondThesisError):
    """A numerical solver did not converge."""


class StaleDataWarning(UserWarning):
    """Data is older than its frequency and publication lag allow; results may be out of date."""
