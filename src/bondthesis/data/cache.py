"""A result cache for computations that depend only on the data: same inputs, same bits, no wait.

The synthetic ladder since 1962, the walk-forward skill of each pillar and the like take seconds
and change only when a refresh changes one of their inputs. :func:`cached_result` keys a result by
a content digest of exactly the inputs it was computed from (the series' values and dates, the
tables' rows, the arguments) plus the digest of bondthesis's own source code, so

- a refresh that changes one series recomputes exactly the results that read that series, at the
  next call, by whichever caller comes first (CLI, report, app, watcher);
- a code change recomputes everything (an answer never outlives the code that produced it);
- a cached answer is the pickled object itself: equal to a fresh computation bit for bit.

Files: ``$BONDTHESIS_HOME/cache/<name>/<digest>.pkl``, written to a temporary file and renamed
(a crash never leaves half a file under a real name); an unreadable file is deleted and the
result recomputed. Each ``<name>`` keeps its newest :data:`KEEP_PER_NAME` files.
``BONDTHESIS_RESULT_CACHE=0`` turns the cache off (nothing read, nothing written).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

__all__ = [
    "KEEP_PER_NAME",
    "cache_folder",
    "cached_result",
    "code_digest",
    "content_digest",
    "result_cache_enabled",
]

T = TypeVar("T")

KEEP_PER_NAME = 256
"""Files kept per result name; the oldest beyond it are deleted after a write."""

_PACKAGE = Path(__file__).resolve().parent.parent


def result_cache_enabled() -> bool:
    """False when ``BONDTHESIS_RESULT_CACHE`` is ``0``/``false``/``no``."""
    value = os.environ.get("BONDTHESIS_RESULT_CACHE", "1").strip().lower()
    return value not in {"0", "false", "no", "off"}


def cache_folder() -> Path:
    """``$BONDTHESIS_HOME/cache`` (the store's folder; see :class:`bondthesis.config.Settings`)."""
    from bondthesis.config import Settings

    return Settings.from_env().home / "cache"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of every ``.py`` file of the installed bondthesis package (once per process)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(_PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _feed(digest: Any, part: object) -> None:
    """Feed ``part`` into ``digest`` by content, tagged by kind so that no two kinds collide."""
    if part is None or isinstance(part, bool | int | float | str | bytes):
        digest.update(f"{type(part).__name__}:{part!r};".encode())
    elif isinstance(part, datetime | date | pd.Timestamp):
        digest.update(f"{type(part).__name__}:{part.isoformat()};".encode())
    elif isinstance(part, pd.Series | pd.DataFrame | pd.Index):
        kind = type(part).__name__
        dtypes = str(part.dtypes) if isinstance(part, pd.DataFrame) else str(part.dtype)
        names = list(part.columns) if isinstance(part, pd.DataFrame) else [part.name]
        digest.update(f"{kind}:{len(part)}:{dtypes}:{names!r}:".encode())
        hashed = pd.util.hash_pandas_object(part, index=not isinstance(part, pd.Index))
        digest.update(np.ascontiguousarray(hashed.to_numpy(dtype=np.uint64)).tobytes())
        if not isinstance(part, pd.Index):
            _feed(digest, part.index.name)
    elif isinstance(part, np.ndarray):
        digest.update(f"ndarray:{part.dtype.str}:{part.shape};".encode())
        digest.update(np.ascontiguousarray(part).tobytes())
    elif isinstance(part, np.generic):
        _feed(digest, part.item())
    elif isinstance(part, Mapping):
        digest.update(f"mapping:{len(part)}(".encode())
        for key in sorted(part, key=repr):
            _feed(digest, key)
            _feed(digest, part[key])
        digest.update(b")")
    elif isinstance(part, list | tuple):
        digest.update(f"{type(part).__name__}:{len(part)}(".encode())
        for item in part:
            _feed(digest, item)
        digest.update(b")")
    elif dataclasses.is_dataclass(part) and not isinstance(part, type):
        digest.update(f"dataclass:{type(part).__qualname__}(".encode())
        for item in dataclasses.fields(part):
            digest.update(item.name.encode())
            _feed(digest, getattr(part, item.name))
        digest.update(b")")
    else:
        raise TypeError(
            f"content_digest cannot hash a {type(part).__name__}: pass its data (series, "
            "arrays, numbers, strings) instead"
        )


def content_digest(*parts: object) -> str:
    """A 32-hex-digit digest of ``parts`` by content (values, dates, names, dtypes, order)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        _feed(digest, part)
    return digest.hexdigest()


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in files[KEEP_PER_NAME:]:
        stale.unlink(missing_ok=True)


def _read(path: Path) -> tuple[bool, Any]:
    try:
        with path.open("rb") as handle:
            return True, pickle.load(handle)
    except FileNotFoundError:
        return False, None
    except Exception:  # any unreadable file (truncated, older pickle) is only a miss
        path.unlink(missing_ok=True)
        return False, None


def _write(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        _prune(path.parent)
    except OSError:
        # a read-only or full disk costs the next caller a recomputation, never an error
        return


def cached_result(name: str, inputs: tuple[object, ...], compute: Callable[[], T]) -> T:
    """``compute()``, or the result an earlier call with the same ``inputs`` stored.

    Parameters
    ----------
    name : str
        What is cached (a folder name): ``"ladder_history"``, ``"walk_forward_skill"``...
    inputs : tuple
        Everything the result depends on besides the code: the series and tables it reads
        (by content) and its arguments. Leaving an input out serves stale answers, so pass
        exactly what ``compute`` reads.
    compute : callable
        Computes the result; called only on a miss.
    """
    if not result_cache_enabled():
        return compute()
    path = cache_folder() / name / f"{content_digest(code_digest(), name, inputs)}.pkl"
    found, value = _read(path)
    if found:
        return value  # type: ignore[no-any-return]
    value = compute()
    _write(path, value)
    return value
