"""The local store: one DuckDB file, the only module that touches the disk cache.

Tables
------
``observations(series, date, vintage, value)``
    Keyed by all three. ``vintage`` is the first day a value was known (ALFRED's
    ``realtime_start``) or :data:`~bondthesis.data.panel.VINTAGE_UNKNOWN` for values kept as latest.
``series_meta``
    One row per series written: provider, remote id, units, which provider served it, when.
``fetch_log``
    One row per attempt: when, provider, series, rows, status, error (secrets redacted).
``auctions``, ``holdings_13f``
    Record tables of the issuance and smart-money pillars.
``meta``
    The schema version.

Every series is written in one transaction, so a crash (even ``kill -9``) leaves either the old or
the new rows, never a mix. DuckDB allows one read-write process at a time: connections are opened
per operation and a busy file is retried until ``lock_timeout_s`` runs out, then
:class:`~bondthesis.errors.StoreBusy` says which process to wait for.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO

import duckdb
import numpy as np
import pandas as pd

from bondthesis.catalog import SeriesSpec, get_spec
from bondthesis.data._crash import crash_point
from bondthesis.data.panel import VINTAGE_UNKNOWN, align_latest, clip, to_panel, visible_as_of
from bondthesis.data.store_schema import (
    SCHEMA_SQL,
    SCHEMA_VERSION,
    TABLE_COLUMNS,
    FetchRecord,
    SeriesStatus,
    lock_holder,
    normalise_observations,
)
from bondthesis.errors import CacheMiss, ConfigError, StoreBusy, StoreError, redact

__all__ = ["SCHEMA_VERSION", "FetchRecord", "SeriesStatus", "Store"]


class Store:
    """The DuckDB store at ``path`` (created on first write).

    Parameters
    ----------
    path : Path
        The database file, normally ``Settings.store_path``.
    lock_timeout_s : float
        How long to wait for another process that holds the file.
    """

    def __init__(self, path: Path, *, lock_timeout_s: float = 30.0) -> None:
        self.path = Path(path)
        self.lock_timeout_s = lock_timeout_s
        self._session: duckdb.DuckDBPyConnection | None = None
        self._grouped = False

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Keep one write connection open for many writes (each still its own transaction).

        Opening a DuckDB file costs ~20 ms; a snapshot load writes ~80 series. Readers in other
        processes wait while a batch is open, so online refreshes, which spend their time on
        the network, open one only around the results that have already arrived.
        """
        with self._connect(write=True) as con:
            self._session = con
            try:
                yield
            finally:
                self._session = None

    # -- connections -------------------------------------------------------------------------

    @property
    def session(self) -> duckdb.DuckDBPyConnection | None:
        """The connection a :meth:`batch` holds open, or None."""
        return self._session

    @contextlib.contextmanager
    def group(self) -> Iterator[None]:
        """Write several series in one transaction (inside :meth:`batch`).

        Each series still lands whole or not at all; what the group saves is a commit (a WAL
        flush, ~8 ms) per series. If anything inside fails, the whole group is rolled back and
        the error propagates: the caller writes the series again one by one.
        """
        if self._session is None:
            raise RuntimeError("Store.group() needs an open Store.batch()")
        self._session.execute("BEGIN TRANSACTION")
        self._grouped = True
        try:
            yield
        except BaseException:
            self._grouped = False
            self._session.execute("ROLLBACK")
            raise
        self._grouped = False
        self._session.execute("COMMIT")

    @contextlib.contextmanager
    def _transaction(self, con: duckdb.DuckDBPyConnection) -> Iterator[None]:
        """One transaction, unless a :meth:`group` already holds one."""
        if self._grouped:
            yield
            return
        con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    @contextlib.contextmanager
    def _connect(self, *, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._session is not None:
            yield self._session
            return
        if not write and not self.path.exists():
            raise CacheMiss(
                f"no store at {self.path} yet; run `bondthesis refresh` "
                "(or `bondthesis refresh --snapshot DIR` offline)"
            )
        if write:
            self._make_home()
        deadline = time.monotonic() + self.lock_timeout_s
        delay = 0.02
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=not write)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                    if "lock" in str(exc).lower():
                        raise StoreBusy(
                            f"the store {self.path} is held by {lock_holder(str(exc))}; "
                            "wait for it to finish (or close it) and try again"
                        ) from exc
                    raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
            except duckdb.Error as exc:
                raise StoreError(
                    f"cannot open the store {self.path}: {exc}; move the file away to start anew"
                ) from exc
        try:
            if write:
                con.execute(SCHEMA_SQL)
            yield con
        finally:
            con.close()

    def _make_home(self) -> None:
        """Create the store's folder, or say why it cannot be (a file in the way, no rights)."""
        try:  # a file named like the folder, no rights, a read-only disk: say how to fix it
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            message = f"cannot use {self.path.parent} as the store folder ({exc.strerror}); "
            raise ConfigError(message + "point BONDTHESIS_HOME at a folder you can write") from None

    @contextlib.contextmanager
    def writer_lock(self, timeout_s: float | None = None) -> Iterator[None]:
        """Hold the store's writer lock (one refresh at a time) for the block.

        A second writer waits up to ``timeout_s`` (default ``lock_timeout_s``), then gets
        :class:`StoreBusy`. The lock is an OS file lock: it dies with its process, ``kill -9``
        included, so a crashed refresh never leaves the store locked.
        """
        self._make_home()
        lock_path = self.path.with_suffix(".lock")
        handle: IO[str] = open(lock_path, "a+")  # noqa: SIM115 - held for the whole block
        deadline = time.monotonic() + (self.lock_timeout_s if timeout_s is None else timeout_s)
        try:
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        handle.seek(0)
                        holder = handle.read().strip() or "another process"
                        raise StoreBusy(
                            f"another refresh ({holder}) is writing to {self.path}; "
                            "wait for it to finish, then run this again"
                        ) from None
                    time.sleep(0.1)
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}")
            handle.flush()
            yield
        finally:
            handle.close()

    # -- writing -----------------------------------------------------------------------------

    def write_series(
        self,
        spec: SeriesSpec,
        observations: pd.DataFrame,
        *,
        served_by: str,
        replace_from: date | None = None,
    ) -> int:
        """Write one series in one transaction; return the number of rows written.

        Parameters
        ----------
        observations : DataFrame with columns ``date`` and ``value`` (and optionally ``vintage``)
            Values as published; NaN for missing markers.
        replace_from : date, optional
            Rows of unknown vintage on or after this date are replaced (the revision window of
            an incremental refresh). None replaces every row of unknown vintage.
        """
        frame = normalise_observations(observations)
        with self._connect(write=True) as con, self._transaction(con):
            if replace_from is None:
                con.execute(
                    "DELETE FROM observations WHERE series = ? AND vintage = ?",
                    [spec.key, VINTAGE_UNKNOWN],
                )
            else:
                con.execute(
                    "DELETE FROM observations WHERE series = ? AND vintage = ? AND date >= ?",
                    [spec.key, VINTAGE_UNKNOWN, replace_from],
                )
            crash_point("series-mid-write")  # old rows deleted, new ones not yet written
            con.register("incoming", frame)
            con.execute(
                "INSERT OR REPLACE INTO observations "
                "SELECT ?, CAST(date AS DATE), CAST(vintage AS DATE), value FROM incoming",
                [spec.key],
            )
            con.unregister("incoming")
            con.execute(
                "INSERT OR REPLACE INTO series_meta VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    spec.key,
                    spec.provider.value,
                    spec.remote_id,
                    spec.units,
                    spec.frequency.value,
                    served_by,
                    _now(),
                ],
            )
        return len(frame)

    def write_table(self, table: str, rows: pd.DataFrame) -> int:
        """Upsert rows of a record table (``auctions`` or ``holdings_13f``) in one transaction."""
        columns = TABLE_COLUMNS.get(table)
        if columns is None:
            raise ValueError(f"unknown table {table!r}; expected one of {sorted(TABLE_COLUMNS)}")
        missing = [c for c in columns if c not in rows.columns]
        if missing:
            raise ValueError(f"rows for {table} lack columns {missing}")
        frame = rows.loc[:, list(columns)]
        with self._connect(write=True) as con, self._transaction(con):
            con.register("incoming", frame)
            con.execute(f"INSERT OR REPLACE INTO {table} SELECT {', '.join(columns)} FROM incoming")
            con.unregister("incoming")
        return len(frame)

    def write_series_meta(self, key: str, provider: str, served_by: str) -> None:
        """Record who served a record table (``AUCTIONS``, ``HOLDINGS_13F``) and when."""
        with self._connect(write=True) as con:
            con.execute(
                "INSERT OR REPLACE INTO series_meta VALUES (?, ?, ?, ?, ?, ?, ?)",
                [key, provider, key.lower(), "records", "table", served_by, _now()],
            )

    def log_fetch(self, records: Iterable[FetchRecord]) -> None:
        """Append attempts to the fetch log (errors redacted of secrets)."""
        rows = [
            (_now(), r.provider, r.series, r.rows, r.status, redact(r.error) if r.error else None)
            for r in records
        ]
        if not rows:
            return
        with self._connect(write=True) as con:
            con.executemany(
                "INSERT INTO fetch_log (fetched_at, provider, series, rows, status, error) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )

    # -- reading -----------------------------------------------------------------------------

    def stored_span(self, key: str, since: date | None = None) -> tuple[date, date, int] | None:
        """(first date, last date, count) of ``key``'s latest values from ``since``, or None."""
        if self._session is None and not self.path.exists():
            return None
        with self._connect(write=False) as con:
            row = con.execute(
                "SELECT min(date), max(date), count(*) FROM observations WHERE series = ? "
                "AND vintage = ? AND value IS NOT NULL AND (?::DATE IS NULL OR date >= ?)",
                [key, VINTAGE_UNKNOWN, since, since],
            ).fetchone()
        if row is None or not row[2]:
            return None
        return row[0], row[1], int(row[2])

    def schema_version(self) -> int:
        with self._connect(write=False) as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def last_dates(self) -> dict[str, date]:
        """The last observation date of every stored series (for incremental refreshes)."""
        if not self.path.exists():
            return {}
        with self._connect(write=False) as con:
            rows = con.execute(
                "SELECT series, max(date) FROM observations WHERE value IS NOT NULL GROUP BY 1"
            ).fetchall()
        return {str(k): v for k, v in rows}

    def read_rows(self, keys: Sequence[str]) -> dict[str, pd.DataFrame]:
        """Every stored row (all vintages) of ``keys``: key -> DataFrame(date, vintage, value)."""
        with self._connect(write=False) as con:
            frame = con.execute(
                "SELECT series, date, vintage, value FROM observations "
                "WHERE series IN (SELECT unnest(?)) ORDER BY series, date, vintage",
                [list(keys)],
            ).df()
        out: dict[str, pd.DataFrame] = {}
        for key in keys:
            part = frame[frame["series"] == key]
            out[key] = part[["date", "vintage", "value"]].reset_index(drop=True)
        return out

    def read_series(
        self,
        key: str,
        *,
        start: date | None = None,
        end: date | None = None,
        as_of: date | None = None,
    ) -> pd.Series:
        """One series as a float Series indexed by date; CacheMiss if it was never stored."""
        return self.read_panel([key], start=start, end=end, as_of=as_of)[get_spec(key).key]

    def read_panel(
        self,
        keys: Sequence[str],
        *,
        start: date | None = None,
        end: date | None = None,
        as_of: date | None = None,
    ) -> pd.DataFrame:
        """Date-aligned panel of ``keys`` (outer join on dates, one column per key).

        ``as_of`` keeps only what was known on that date: vintages where the store has them,
        else each series' publication lag (see :mod:`bondthesis.data.panel`).
        """
        specs = [get_spec(k) for k in keys]
        if as_of is None:
            return self._read_latest_panel([s.key for s in specs], start, end)
        rows = self.read_rows([s.key for s in specs])
        empty = [s.key for s in specs if rows[s.key].empty]
        if empty:
            raise CacheMiss(
                f"the store holds no data for {', '.join(empty)}; "
                f"run `bondthesis refresh --only {' '.join(empty)}`"
            )
        series = [clip(visible_as_of(rows[s.key], s, as_of), start, end) for s in specs]
        return to_panel(series)

    def _read_latest_panel(
        self, keys: list[str], start: date | None, end: date | None
    ) -> pd.DataFrame:
        """The latest vintage of every value, aligned on the union of dates.

        The common case (no ``as_of``) needs no point-in-time logic: the rows come out of DuckDB
        as plain integer and float arrays and :func:`~bondthesis.data.panel.align_latest` keeps the
        last vintage of each (series, date) and scatters the values into columns.
        """
        unique = list(dict.fromkeys(keys))
        with self._connect(write=False) as con:
            # No ORDER BY: rows are written in (series, date) order, so they mostly come back
            # sorted; a sort in DuckDB costs more than checking, and sorting only when needed.
            result = con.execute(
                """
                SELECT (list_position($1, series) - 1)::INTEGER AS s,
                       (date - DATE '1700-01-01')::INTEGER AS d,
                       (vintage - DATE '1700-01-01')::INTEGER AS v, value
                FROM observations
                WHERE series IN (SELECT unnest($1))
                  AND ($2::DATE IS NULL OR date >= $2) AND ($3::DATE IS NULL OR date <= $3)
                """,
                [unique, start, end],
            ).fetchnumpy()
            stored = {
                row[0]
                for row in con.execute(
                    "SELECT series FROM series_meta WHERE series IN (SELECT unnest(?))", [unique]
                ).fetchall()
            }
        # A series never stored is a CacheMiss; an empty window of a stored one is an answer.
        missing = [k for k in unique if k not in stored]
        if missing:
            raise CacheMiss(
                f"the store holds no data for {', '.join(missing)}; "
                f"run `bondthesis refresh --only {' '.join(missing)}`"
            )
        frame = align_latest(
            np.asarray(result["s"], dtype=np.int64),
            np.asarray(result["d"], dtype=np.int64),
            np.asarray(result["v"], dtype=np.int64),
            np.ma.filled(np.ma.asarray(result["value"], dtype="float64"), np.nan),
            unique,
            epoch=np.datetime64("1700-01-01", "D"),
        )
        return frame[keys] if len(unique) != len(keys) else frame

    def read_table(self, table: str) -> pd.DataFrame:
        if table not in TABLE_COLUMNS:
            raise ValueError(f"unknown table {table!r}; expected one of {sorted(TABLE_COLUMNS)}")
        with self._connect(write=False) as con:
            return con.execute(f"SELECT * FROM {table}").df()

    def status(self) -> list[SeriesStatus]:
        """One row per series the store has seen (written or attempted)."""
        if not self.path.exists():
            return []
        with self._connect(write=False) as con:
            rows = con.execute(
                """
                WITH obs AS (
                    SELECT series, min(date) AS first_date, max(date) AS last_date,
                           count(*) AS n FROM observations WHERE value IS NOT NULL GROUP BY 1),
                last_log AS (
                    SELECT series, status, error,
                           row_number() OVER (PARTITION BY series ORDER BY id DESC) AS rn
                    FROM fetch_log),
                names AS (
                    SELECT series FROM series_meta UNION SELECT series FROM fetch_log)
                SELECT n.series, m.provider, m.served_by, o.first_date, o.last_date,
                       coalesce(o.n, 0), m.updated_at, l.status, l.error
                FROM names n
                LEFT JOIN series_meta m USING (series)
                LEFT JOIN obs o USING (series)
                LEFT JOIN last_log l ON l.series = n.series AND l.rn = 1
                ORDER BY n.series
                """
            ).fetchall()
            tables = con.execute(
                """
                SELECT 'AUCTIONS', min(coalesce(auction_date, issue_date)),
                       max(coalesce(auction_date, issue_date)), count(*) FROM auctions
                UNION ALL
                SELECT 'HOLDINGS_13F', min(period_end), max(period_end), count(*)
                FROM holdings_13f
                """
            ).fetchall()
        statuses = {row[0]: SeriesStatus(*row) for row in rows}
        # Record tables are listed under their catalog key with their own date range.
        for key, first, last, count in tables:
            if count:
                known = statuses.get(key)
                statuses[key] = SeriesStatus(
                    key,
                    known.provider if known else None,
                    known.served_by if known else None,
                    first,
                    last,
                    int(count),
                    known.updated_at if known else None,
                    known.last_status if known else None,
                    known.last_error if known else None,
                )
        return [statuses[key] for key in sorted(statuses)]

    def fetch_log(self, limit: int = 100) -> pd.DataFrame:
        with self._connect(write=False) as con:
            return con.execute(
                "SELECT fetched_at, provider, series, rows, status, error FROM fetch_log "
                "ORDER BY id DESC LIMIT ?",
                [limit],
            ).df()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
