"""The data commands: one run end to end through the real entry point, the rest in process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bondthesis.cli import app

SRC = Path(__file__).resolve().parents[2] / "src"


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BONDTHESIS_HOME": str(home), "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-c", "from bondthesis.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    folder = tmp_path / "snap"
    (folder / "alt").mkdir(parents=True)
    (folder / "DGS30.csv").write_text(
        "observation_date,DGS30\n2020-03-06,1.25\n2020-03-09,0.99\n2020-03-10,\n"
    )
    (folder / "GS30.csv").write_text('"Date","GS30"\n2023-10-01,4.95\n2023-11-01,4.66\n')
    (folder / "alt" / "GS30.csv").write_text(
        "observation_date,GS30\n2023-11-01,4.66\n2023-12-01,4.14\n"
    )
    return folder


def test_refresh_status_series_json(tmp_path: Path, snapshot: Path) -> None:
    home = tmp_path / "home"
    done = run("refresh", "--snapshot", str(snapshot), home=home)
    assert done.returncode == 0, done.stderr
    assert "DGS30" in done.stdout
    status = json.loads(run("status", "--json", home=home).stdout)
    dgs30 = next(s for s in status["series"] if s["series"] == "DGS30")
    assert dgs30["last_date"] == "2020-03-09"
    assert dgs30["state"] == "stale"
    out = run("series", "DGS30", "GS30", "--json", home=home)
    document = json.loads(out.stdout)
    assert document["series"]["DGS30"]["units"] == "percent"
    assert document["series"]["DGS30"]["observations"] == [
        {"date": "2020-03-06", "value": 1.25},
        {"date": "2020-03-09", "value": 0.99},
        {"date": "2020-03-10", "value": None},
    ]
    assert [o["date"] for o in document["series"]["GS30"]["observations"]] == [
        "2023-10-01",
        "2023-11-01",
        "2023-12-01",
    ]
    csv_out = run("series", "DGS30", "--csv", "--start", "2020-03-09", home=home).stdout
    assert csv_out.splitlines() == ["date,DGS30", "2020-03-09,0.99", "2020-03-10,"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("series", "DGS3"), "did you mean DGS30"),
        (("series", "DGS30", "--start", "2020-13-01"), "YYYY-MM-DD"),
        (("series", "DGS30", "--start", "2021-01-01", "--end", "2020-01-01"), "swap them"),
        (("refresh", "--snapshot", "/no/such/folder"), "no such folder"),
        (("refresh", "--only", "NOPE", "--snapshot", "."), "unknown series"),
        (("series", "DGS30"), "bondthesis refresh"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    monkeypatch.setenv("BONDTHESIS_HOME", str(tmp_path / "empty"))
    done = CliRunner().invoke(app, list(args))
    assert done.exit_code == 2, (done.stdout, done.stderr)
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
