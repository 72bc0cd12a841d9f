"""The app's memory of documents already computed, keyed by route, parameters and store version.

A refresh changes the store's version, so a document is never served for data it was not
computed from; the newest 64 are kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from fastapi import Request

from bondthesis.data.store import Store
from bondthesis.server import calls

__all__ = ["ResultCache", "cached_document"]


class ResultCache:
    """Documents already computed, per route, parameters and store version (newest 64)."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()

    def get_or_call(
        self, key: tuple[Any, ...], call: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        document = call()
        with self._lock:
            self._items[key] = document
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return document

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def cached_document(
    request: Request, name: str, params: tuple[Any, ...], call: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    store: Store = request.app.state.store
    cache: ResultCache = request.app.state.cache
    return cache.get_or_call((name, params, calls.store_version(store)), call)
