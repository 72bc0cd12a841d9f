"""Shared fixtures: a clean environment for every test, the path to ../shared/data when present."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def _find_shared_data() -> Path:
    """``shared/data`` beside the checkout, or beside any folder above it (git worktrees)."""
    repo = Path(__file__).resolve().parents[1]
    for folder in repo.parents:
        candidate = folder / "shared" / "data"
        if (candidate / "DGS30.csv").is_file():
            return candidate
    return repo.parent / "shared" / "data"


SHARED_DATA = _find_shared_data()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees a real API key or writes outside its temporary folder."""
    for name in ("FRED_API_KEY", "BONDTHESIS_SEC_USER_AGENT", "BONDTHESIS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BONDTHESIS_HOME", str(tmp_path / "home"))


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or a skip that says why."""
    if not (SHARED_DATA / "DGS30.csv").is_file():
        pytest.skip(f"validation data not found at {SHARED_DATA} (CI has it beside the checkout)")
    return SHARED_DATA


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless system Chromium through Playwright, one for the whole session, or a skip.

    One for all: Playwright's sync API refuses to start while another sync session is open in
    the same thread, so the report's and the app's browser tests share this one.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
