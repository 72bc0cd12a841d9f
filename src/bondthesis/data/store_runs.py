"""Refreshes leave a mark: begun, finished, or interrupted (and which series they did not reach).

Each refresh writes a row to ``refresh_runs`` before it fetches anything (the keys it plans to
load, its process id) and stamps ``finished_at`` at the end. A row without ``finished_at`` whose
process is gone is an interrupted refresh (``kill -9``, a power cut, Ctrl-C at the wrong
moment): the series already written are whole (one transaction each), the others keep their
last good data, and :func:`interrupted_run` names the ones it did not reach, for ``status``.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from bondthesis.data.store import Store
from bondthesis.serialize import Serializable

__all__ = ["InterruptedRun", "begin_run", "finish_run", "interrupted_run"]

_RUNS_SQL = """
CREATE TABLE IF NOT EXISTS refresh_runs (
    id VARCHAR PRIMARY KEY, kind VARCHAR, pid BIGINT, started_at TIMESTAMP, keys VARCHAR,
    finished_at TIMESTAMP)
"""


@dataclass(frozen=True)
class InterruptedRun(Serializable):
    """The last refresh, which stopped before its end."""

    kind: str  # "online" or "snapshot"
    started_at: datetime
    pid: int
    not_reached: tuple[str, ...]

    def describe(self) -> str:
        """One line for ``status``."""
        missing = ", ".join(self.not_reached[:12])
        more = f" and {len(self.not_reached) - 12} more" if len(self.not_reached) > 12 else ""
        reached = f"it did not reach {missing}{more}" if self.not_reached else "all series arrived"
        again = "bondthesis refresh" + (" --snapshot DIR" if self.kind == "snapshot" else "")
        return (
            f"the last refresh ({self.kind}, started {self.started_at:%Y-%m-%d %H:%M} UTC, pid "
            f"{self.pid}) was interrupted; {reached}. Stored series are whole; run `{again}` "
            "again to finish"
        )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def begin_run(store: Store, kind: str, keys: Iterable[str]) -> str:
    """Record the start of a refresh that plans to load ``keys``; return its id."""
    run_id = uuid.uuid4().hex
    with store._connect(write=True) as con:
        con.execute(_RUNS_SQL)
        con.execute(
            "INSERT INTO refresh_runs VALUES (?, ?, ?, ?, ?, NULL)",
            [run_id, kind, os.getpid(), _now(), json.dumps(sorted(set(keys)))],
        )
    return run_id


def finish_run(store: Store, run_id: str) -> None:
    """Stamp the refresh ``run_id`` as finished."""
    with store._connect(write=True) as con:
        con.execute(_RUNS_SQL)
        con.execute("UPDATE refresh_runs SET finished_at = ? WHERE id = ?", [_now(), run_id])


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process is not running a refresh while it asks
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def interrupted_run(store: Store) -> InterruptedRun | None:
    """The last refresh if it was interrupted (its process gone, no finish stamp), else None."""
    if store.session is None and not store.path.exists():
        return None
    with store._connect(write=False) as con:
        exists = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'refresh_runs'"
        ).fetchone()
        if not exists or not exists[0]:
            return None
        last = con.execute(
            "SELECT kind, pid, started_at, keys, finished_at FROM refresh_runs "
            "ORDER BY started_at DESC LIMIT 1"
        ).fetchone()
        if last is None or last[4] is not None or _alive(int(last[1])):
            return None
        kind, pid, started_at, keys_json, _ = last
        # Reached: written (series_meta stamped in the series' own transaction) or logged.
        reached = {
            str(row[0])
            for row in con.execute(
                "SELECT series FROM series_meta WHERE updated_at >= ? "
                "UNION SELECT series FROM fetch_log WHERE fetched_at >= ?",
                [started_at, started_at],
            ).fetchall()
        }
    planned = [str(k) for k in json.loads(keys_json)]
    return InterruptedRun(
        str(kind), started_at, int(pid), tuple(k for k in planned if k not in reached)
    )
