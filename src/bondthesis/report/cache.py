"""A small on-disk cache of the report's results, keyed by what the store holds.

The key (package version, store fingerprint, evaluation date) changes whenever the store's
content does, so an entry is never stale; only the newest few entries are kept.
A damaged or unreadable entry is a miss, never an error.
"""

from __future__ import annotations

import os
import pickle
import re
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["load", "save"]

_PREFIX = "report-"
KEEP = 6  # entries kept: a few evaluation dates of the current store


def _path(folder: Path, key: str) -> Path:
    return folder / f"{_PREFIX}{re.sub(r'[^A-Za-z0-9._-]', '_', key)}.pickle"


def load(folder: Path, key: str) -> Any:
    """The cached value for ``key``, or None."""
    path = _path(folder, key)
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # our own file, in the user's data folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None


def save(folder: Path, key: str, value: Any) -> None:
    """Write ``value`` under ``key`` atomically and keep only the newest :data:`KEEP` entries."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = _path(folder, key)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
        entries = sorted(folder.glob(f"{_PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        return  # a cache that cannot be written only costs time
