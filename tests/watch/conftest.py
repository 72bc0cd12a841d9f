"""Fixtures of the watcher's tests: a local webhook receiver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from watch_helpers import Receiver, serve


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A local webhook receiver, shut down after the test."""
    with serve() as state:
        yield state
