"""The front door: ``import bondthesis`` is cheap, ``__all__`` is what resolves, and for every
command the CLI's ``--json`` is exactly the library call's ``to_dict()``."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import bondthesis as bt
from bondthesis.catalog import get_spec
from bondthesis.cli import app
from bondthesis.cli._commands import COMMANDS, load_command

HEAVY = ("numba", "dask", "distributed", "duckdb", "pandas")


def test_all_is_exactly_what_resolves() -> None:
    public = {
        name
        for name in dir(bt)
        if not name.startswith("_") and not isinstance(getattr(bt, name), types.ModuleType)
    }
    exported = set(bt._EXPORTS) | {"__version__"}
    assert set(bt.__all__) == exported
    for name in bt.__all__:
        assert getattr(bt, name) is not None
    assert public - {"annotations"} <= exported  # `annotations`: from __future__
    assert list(bt._EXPORTS) == sorted(bt._EXPORTS), "keep _EXPORTS sorted, one entry a line"
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = bt.nope  # type: ignore[attr-defined]


def _modules_after(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(done.stdout.split())


def test_import_bondthesis_loads_nothing_heavy() -> None:
    loaded = _modules_after("import bondthesis")
    assert not loaded & set(HEAVY)


def test_cli_help_loads_no_numba_dask_duckdb_or_pandas() -> None:
    loaded = _modules_after(
        "from bondthesis.cli import app\n"
        "from typer.testing import CliRunner\n"
        "assert CliRunner().invoke(app, ['--help']).exit_code == 0"
    )
    assert not loaded & {"numba", "dask", "distributed", "duckdb", "pandas"}


def test_bond_command_loads_no_numba_dask_duckdb_or_pandas() -> None:
    loaded = _modules_after(
        "import sys\n"
        "from bondthesis.cli import main\n"
        "sys.argv = ['bondthesis', 'bond', '--coupon', '0.045', '--maturity', '2055-11-15',"
        " '--yield', '0.048', '--settlement', '2026-01-02', '--json']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code\n"
    )
    assert "bondthesis.bonds.quote" in loaded
    assert not loaded & set(HEAVY)


def test_every_command_in_the_table_loads_and_has_its_docstring_as_help() -> None:
    for name, (_, text) in COMMANDS.items():
        command = load_command(name)
        assert command.help.split("\n\n")[0].replace("\n", " ") == text


def test_a_command_registered_the_old_way_still_runs() -> None:
    """``@app.command()`` on the shared app (eager) keeps working beside the lazy table."""
    from bondthesis.cli._app import app as shared

    @shared.command("front-door-echo")
    def echo(word: str = "x") -> None:
        """Echo a word (test only)."""
        print(word)

    try:
        assert CliRunner().invoke(app, ["front-door-echo", "--word", "hi"]).stdout == "hi\n"
        assert "front-door-echo" in CliRunner().invoke(app, ["--help"]).stdout
    finally:
        shared.registered_commands.pop()


def _write(store: bt.Store, key: str, values: pd.Series) -> None:
    frame = pd.DataFrame({"date": values.index, "value": values.to_numpy()})
    store.write_series(get_spec(key), frame, served_by="test")


@pytest.fixture(scope="module")
def store_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Daily yields, bills and fund prices 2005-2019; monthly gold, yields and stocks 1980-2019."""
    home = tmp_path_factory.mktemp("front-door")
    store = bt.Store(home / "bondthesis.duckdb")
    rng = np.random.default_rng(9)
    days = pd.bdate_range("2005-01-03", "2019-12-31")
    walk = np.cumsum(rng.normal(0.0, 0.04, len(days)))
    for key, level in (("DGS10", 2.2), ("DGS20", 2.6), ("DGS30", 2.9)):
        _write(store, key, pd.Series(level + walk, days))
    _write(store, "DGS3MO", pd.Series(np.linspace(0.1, 2.0, len(days)), days))
    for key, start, vol in (("TLT", 100.0, 0.008), ("TMF", 20.0, 0.024), ("SPY", 130.0, 0.01)):
        _write(store, key, pd.Series(start * np.cumprod(1 + rng.normal(0, vol, len(days))), days))
    months = pd.date_range("1980-01-01", "2019-12-01", freq="MS")
    gold = np.full(len(months), 400.0)
    gold[120:130] = 1300.0
    for key, values in {
        "GOLD_MONTHLY": gold,
        "GS20": np.linspace(8.0, 3.0, len(months)),
        "GS30": np.linspace(8.2, 3.2, len(months)),
        "SHILLER_P": np.linspace(100.0, 3000.0, len(months)),
        "SHILLER_D": np.linspace(4.0, 60.0, len(months)),
    }.items():
        _write(store, key, pd.Series(values, months))
    return home


def _bond() -> Any:
    return bt.bond(0.045, date(2055, 11, 15), 0.048, date(2026, 1, 2))


# (command line, the same call through the front door)
CASES: list[tuple[list[str], Callable[[bt.Store], Any]]] = [
    (["status"], lambda s: bt.status(s)),
    (
        ["series", "DGS30", "GS30", "--start", "2019-06-01"],
        lambda s: bt.series(s, ["DGS30", "GS30"], start=date(2019, 6, 1)),
    ),
    (["pillar", "gold", "--events"], lambda s: bt.pillar(s, "gold", events=True)),
    (
        ["pillar", "valuation", "--as-of", "2010-01-31"],
        lambda s: bt.pillar(s, "valuation", date(2010, 1, 31)),
    ),
    (["scorecard", "--as-of", "2019-06-30"], lambda s: bt.scorecard(s, date(2019, 6, 30))),
    (["claims", "--as-of", "2019-06-30"], lambda s: bt.claims(s, date(2019, 6, 30))),
    (["fund", "TMF", "--start", "2016"], lambda s: bt.fund(s, "TMF", 2016)),
    (
        ["scenario", "--shift-bp", "-100", "--horizon-months", "6", "--article-table"],
        lambda s: bt.scenario(s, -100.0, horizon_months=6.0, article_table=True),
    ),
    (
        ["scenario", "--shift-bp", "-150", "--horizon-months", "18", "--daily-noise-bp", "8"],
        lambda s: bt.scenario(s, -150.0, horizon_months=18.0, daily_noise_bp=8.0),
    ),
    (
        ["montecarlo", "--paths", "500", "--days", "21", "--model", "t", "--seed", "3"],
        lambda s: bt.montecarlo(paths=500, days=21, model="t", seed=3),
    ),
    (
        ["montecarlo", "--paths", "500", "--days", "21", "--model", "bootstrap:2013-2018"],
        lambda s: bt.montecarlo(paths=500, days=21, model="bootstrap:2013-2018", store=s),
    ),
    (
        ["backtest", "SPY=0.6,TLT=0.4", "--start", "2016-01-04"],
        lambda s: bt.backtest(s, "SPY=0.6,TLT=0.4", start=date(2016, 1, 4)),
    ),
    (["track", "--since", "2019-06-28"], lambda s: bt.track(s, date(2019, 6, 28))),
    (["walkforward"], lambda s: bt.walkforward(s)),
    (
        [
            "bond",
            "--coupon",
            "0.045",
            "--maturity",
            "2055-11-15",
            "--yield",
            "0.048",
            "--settlement",
            "2026-01-02",
        ],
        lambda s: _bond(),
    ),
]


def test_every_command_is_covered() -> None:
    # refresh writes the store; report writes an HTML page (tests/report checks it in Chromium);
    # watch is stateful (each run changes the memory it compares with): the CLI and the library
    # are checked against each other in tests/watch; serve runs the app (tests/server checks that
    # its API equals the CLI).
    assert {args[0] for args, _ in CASES} == set(COMMANDS) - {"refresh", "report", "watch", "serve"}


@pytest.mark.parametrize(("args", "call"), CASES, ids=[" ".join(a[:2]) for a, _ in CASES])
def test_cli_json_is_the_library_to_dict(
    store_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    call: Callable[[bt.Store], Any],
) -> None:
    monkeypatch.setenv("BONDTHESIS_HOME", str(store_home))
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    expected = call(bt.Store(store_home / "bondthesis.duckdb")).to_dict()
    assert json.loads(result.stdout) == json.loads(json.dumps(expected, allow_nan=False))
    assert result.stdout == json.dumps(expected, indent=2, allow_nan=False) + "\n"


def test_refresh_from_a_snapshot_reports_what_it_stored(tmp_path: Path) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "DGS30.csv").write_text("observation_date,DGS30\n2020-03-06,1.25\n2020-03-09,0.99\n")
    store = bt.Store(tmp_path / "store.duckdb")
    report = bt.refresh(store, snapshot=folder, keys=["DGS30"])
    assert report.stored == 1
    row = report.to_dict()["rows"][0]
    assert (row["key"], row["last_date"], row["status"]) == ("DGS30", "2020-03-09", "ok")
    with pytest.raises(ValueError, match="no such folder"):
        bt.refresh(store, snapshot=tmp_path / "missing")
