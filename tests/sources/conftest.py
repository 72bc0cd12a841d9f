"""Fixtures of the provider tests: a local fault server and an HttpClient that never waits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_server import FaultServer
from source_helpers import FAKE_KEY, Sleeps, make_http

from bondthesis.config import Settings
from bondthesis.sources._http import HttpClient


@pytest.fixture
def server() -> Iterator[FaultServer]:
    running = FaultServer().start()
    yield running
    running.stop()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def keyless_http(tmp_path: Path, sleeps: Sleeps) -> Iterator[HttpClient]:
    client = make_http(Settings(home=tmp_path), sleeps)
    yield client
    client.close()


@pytest.fixture
def keyed_settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path, fred_api_key=FAKE_KEY)


@pytest.fixture
def keyed_http(keyed_settings: Settings, sleeps: Sleeps) -> Iterator[HttpClient]:
    client = make_http(keyed_settings, sleeps)
    yield client
    client.close()
