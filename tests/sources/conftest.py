"""Fixtures of the provider tests: a local fault server and an HttpClient that never waits."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_server import FaultServer

from bondthesis.config import Settings
from bondthesis.sources._http import HttpClient

PAYLOADS = Path(__file__).parent / "payloads"
FAKE_KEY = "abcdef0123456789abcdef0123456789"


class Sleeps:
    """Records the waits the client asked for instead of waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    running = FaultServer().start()
    yield running
    running.stop()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def make_http(settings: Settings, sleeps: Sleeps, **kwargs: float) -> HttpClient:
    options: dict[str, float] = {"timeout_s": 2.0, "max_retries": 2} | kwargs
    return HttpClient(
        settings,
        sleep=sleeps,
        rng=random.Random(11),
        timeout_s=options["timeout_s"],
        max_retries=int(options["max_retries"]),
        # no rate-limit waits here, so ``sleeps`` records the retry backoffs only
        rate_limits={"fred": 1e6, "fiscaldata": 1e6, "finra": 1e6},
    )


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


def payload(*parts: str) -> bytes:
    return PAYLOADS.joinpath(*parts).read_bytes()
