"""Helpers the provider tests import by name (a module named ``conftest`` would be ambiguous:
several test folders have one, and whichever was imported first would answer)."""

from __future__ import annotations

import random
from pathlib import Path

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


def payload(*parts: str) -> bytes:
    return PAYLOADS.joinpath(*parts).read_bytes()
