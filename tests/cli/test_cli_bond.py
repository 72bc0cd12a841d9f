"""``bondthesis bond``: numbers equal the library's, bad input exits 2 with one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bondthesis import bonds
from bondthesis.cli import app
from bondthesis.cli.bonds import default_settlement

SRC = Path(__file__).resolve().parents[2] / "src"
GOOD = ["--coupon", "0.0475", "--maturity", "2055-05-15", "--yield", "0.048"]
KEYS = {
    "clean_price",
    "dirty_price",
    "accrued",
    "macaulay_duration",
    "modified_duration",
    "convexity",
    "dv01",
}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["bond", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_has_the_documented_keys_and_the_library_numbers() -> None:
    code, out, _ = invoke(*GOOD, "--settlement", "2025-06-03", "--json")
    assert code == 0
    document = json.loads(out)
    assert set(document) >= KEYS
    assert set(document) - KEYS == {"coupon", "maturity", "ytm", "settlement", "convention"}
    assert document["settlement"] == "2025-06-03"
    arguments = (0.0475, "2055-05-15", 0.048, "2025-06-03")
    assert document["clean_price"] == pytest.approx(float(bonds.clean_price(*arguments)))
    assert document["dirty_price"] == pytest.approx(float(bonds.dirty_price(*arguments)))
    assert document["convexity"] == pytest.approx(float(bonds.convexity(*arguments)))
    assert document["dv01"] == pytest.approx(float(bonds.dv01(*arguments)))
    assert document["dirty_price"] == pytest.approx(
        document["clean_price"] + document["accrued"], abs=1e-12
    )


def test_treasury_convention_is_passed_through() -> None:
    code, out, _ = invoke(
        "--coupon", "0.095", "--maturity", "1995-11-15", "--yield", "0.0954",
        "--settlement", "1985-11-29", "--convention", "treasury", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["clean_price"] == pytest.approx(99.730918, abs=1.5e-6)


def test_table_shows_every_measure() -> None:
    code, out, _ = invoke(*GOOD, "--settlement", "2025-06-03")
    assert code == 0
    for label in ("clean price", "dirty price", "accrued", "Macaulay", "modified", "convexity"):
        assert label in out
    assert f"{float(bonds.clean_price(0.0475, '2055-05-15', 0.048, '2025-06-03')):.6f}" in out


def test_default_settlement_is_the_next_weekday() -> None:
    assert default_settlement(date(2026, 11, 23)) == date(2026, 11, 24)  # Monday -> Tuesday
    assert default_settlement(date(2026, 11, 27)) == date(2026, 11, 30)  # Friday -> Monday
    assert default_settlement(date(2026, 11, 28)) == date(2026, 11, 30)  # Saturday -> Monday


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["--coupon", "4.75", "--maturity", "2055-05-15", "--yield", "0.048"], "--coupon 0.0475"),
        (["--coupon", "0.0475", "--maturity", "2055-05-15", "--yield", "4.8"], "--yield 0.048"),
        (["--coupon", "0.0475", "--maturity", "2055-05-15", "--yield", "-1.5"], "below -100%"),
        (["--coupon", "0.0475", "--maturity", "2055-05-15", "--yield", "abc"], "not a number"),
        (["--coupon", "-0.01", "--maturity", "2055-05-15", "--yield", "0.04"], "negative"),
        (["--coupon", "0.0475", "--maturity", "2055-02-30", "--yield", "0.048"], "YYYY-MM-DD"),
        ([*GOOD, "--settlement", "2056-01-01"], "not after settlement"),
        ([*GOOD, "--convention", "bloomberg"], "street or treasury"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], hint: str) -> None:
    code, out, err = invoke(*args)
    assert code == 2
    assert out == ""
    assert hint in err
    assert len(err.strip().splitlines()) == 1


def test_real_entry_point_exits_2_without_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "BONDTHESIS_HOME": str(tmp_path), "PYTHONPATH": str(SRC)}
    command = [sys.executable, "-c", "from bondthesis.cli import main; main()", "bond"]
    bad = subprocess.run(
        [*command, "--coupon", "4.5", "--maturity", "2055-05-15", "--yield", "0.05"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 2
    assert "--coupon 0.045" in bad.stderr
    assert "Traceback" not in bad.stderr
