"""A small on-disk cache of the report's results and pages, keyed by what the store holds.

The key (package version, store fingerprint, evaluation date; for pages also the language and
the day) changes whenever the store's content does, so an entry is never stale; only the newest
few entries of each kind are kept. A damaged or unreadable entry is a miss, never an error.
"""

from __future__ import annotations

import os
import pickle
import re
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["load", "load_page", "save", "save_page"]

KEEP = 6  # entries kept per kind: a few evaluation dates (and languages) of the current store


def _path(folder: Path, prefix: str, key: str, suffix: str) -> Path:
    return folder / f"{prefix}{re.sub(r'[^A-Za-z0-9._-]', '_', key)}{suffix}"


def _write(folder: Path, target: Path, payload: bytes, pattern: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
        os.replace(temporary, target)
        entries = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        return  # a cache that cannot be written only costs time


def load(folder: Path, key: str) -> Any:
    """The cached results for ``key``, or None."""
    try:
        with _path(folder, "report-", key, ".pickle").open("rb") as handle:
            return pickle.load(handle)  # our own file, in the user's data folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None


def save(folder: Path, key: str, value: Any) -> None:
    """Write the results ``value`` under ``key`` atomically."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    _write(folder, _path(folder, "report-", key, ".pickle"), payload, "report-*.pickle")


def load_page(folder: Path, key: str) -> str | None:
    """The cached HTML page for ``key``, or None."""
    try:
        return _path(folder, "page-", key, ".html").read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def save_page(folder: Path, key: str, page: str) -> None:
    """Write the HTML ``page`` under ``key`` atomically."""
    _write(folder, _path(folder, "page-", key, ".html"), page.encode("utf-8"), "page-*.html")
