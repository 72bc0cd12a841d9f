"""bondthesis: a macro thesis on long-duration US Treasuries, made checkable with public data."""

from __future__ import annotations

from bondthesis.errors import (
    BondThesisError,
    CacheMiss,
    ConfigError,
    ConvergenceError,
    PayloadChanged,
    SourceError,
    SourceRejected,
    SourceUnavailable,
    StaleDataWarning,
    StoreBusy,
    StoreError,
)

__version__ = "0.1.0"

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
    "__version__",
]
