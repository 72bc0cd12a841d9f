"""A store built once from the shared snapshot, and the app and CLI over it."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bondthesis.data.store import Store

with warnings.catch_warnings():
    # Starlette's TestClient warns that it will move to httpx2; the client works the same.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _shared_data() -> Path | None:
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared" / "data"
        if (candidate / "DGS30.csv").is_file():
            return candidate
    return None


@pytest.fixture(scope="session")
def snapshot_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bondthesis home whose store holds the shared snapshot (loaded once per session)."""
    folder = _shared_data()
    if folder is None:
        pytest.skip("shared/data not found beside the checkout (CI has it); the app tests need it")
    from bondthesis.data.refresh import refresh_from_snapshot

    home = tmp_path_factory.mktemp("home")
    report = refresh_from_snapshot(Store(home / "bondthesis.duckdb"), folder)
    assert not report.failed, report.failed
    return home


@pytest.fixture(scope="session")
def snapshot_store(snapshot_home: Path) -> Store:
    return Store(snapshot_home / "bondthesis.duckdb")


@pytest.fixture(scope="session")
def client(snapshot_store: Store) -> Iterator[TestClient]:
    from bondthesis.server import create_app

    with TestClient(create_app(snapshot_store)) as test_client:
        yield test_client


@pytest.fixture
def cli_json(snapshot_home: Path) -> Any:
    """Run ``bondthesis ARGS --json`` in process on the snapshot store; its parsed stdout."""
    from bondthesis.cli import app

    runner = CliRunner()

    def run(*args: str) -> Any:
        result = runner.invoke(app, [*args, "--json"], env={"BONDTHESIS_HOME": str(snapshot_home)})
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return run
