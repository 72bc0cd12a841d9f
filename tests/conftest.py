"""Shared fixtures: a clean environment for every test, the path to ../shared/data when present."""

from __future__ import annotations

from pathlib import Path

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
