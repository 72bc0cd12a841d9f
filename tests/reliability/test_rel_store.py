"""The store's own edges: a file where its folder should be, a file held by another program."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from _rel_snapshot import good_files, write_folder

from bondthesis.data.store import Store
from bondthesis.errors import ConfigError, StoreBusy


def test_home_that_is_a_file_is_a_clean_error(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder\n")
    with (
        pytest.raises(ConfigError, match="BONDTHESIS_HOME"),
        Store(home / "s.duckdb").writer_lock(),
    ):
        pass
    folder = write_folder(tmp_path / "snap", dict(good_files(1)))
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from bondthesis.cli import main; main()",
            "refresh",
            "--snapshot",
            str(folder),
        ],
        env={"BONDTHESIS_HOME": str(home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "BONDTHESIS_HOME" in result.stderr


def test_a_store_held_by_another_program_names_it(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
            "sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"  # the file is locked from here on
        with pytest.raises(StoreBusy, match=rf"held by python\S* \(pid {holder.pid}\)"):
            Store(path, lock_timeout_s=0.2).last_dates()
    finally:
        holder.communicate(input="", timeout=30)
