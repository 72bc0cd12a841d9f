"""A store filled from ../shared/data once per session, and the report rendered from it."""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

import pytest

from bondthesis.data.refresh import refresh_from_snapshot
from bondthesis.data.store import Store
from bondthesis.report.build import Report, build_report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@lru_cache(maxsize=1)
def _filled_store(folder: str, home: str) -> str:
    store = Store(Path(home) / "bondthesis.duckdb")
    refresh_from_snapshot(store, Path(folder))
    return home


@pytest.fixture
def report_home(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """BONDTHESIS_HOME pointing at the session's snapshot store."""
    home = _filled_store(str(shared_data), str(tmp_path_factory.getbasetemp() / "report-store"))
    monkeypatch.setenv("BONDTHESIS_HOME", home)
    return Path(home)


@lru_cache(maxsize=2)
def _report(home: str, lang: str) -> Report:
    return build_report(Store(Path(home) / "bondthesis.duckdb"), lang=lang)


@pytest.fixture
def report_en(report_home: Path) -> Report:
    return _report(str(report_home), "en")


@pytest.fixture
def report_zh(report_home: Path) -> Report:
    return _report(str(report_home), "zh-Hant")
