"""The watcher's memory in the store: what each rule last reported, every flip, every delivery.

Tables (created on the first write, beside the store's own)
----------------------------------------------------------
``watch_state(key, state, value, on_date, evaluated_at)``
    One row per watched (rule, fact): the state last reported. Updated in the same transaction
    that records the flips, so a change is either recorded *and* remembered, or neither.
``watch_flips(id, detected_at, memory_key, rule, subject, kind, name, before, after, value, unit,
on_date, percentile, detail, command, stale, condition, threshold, band, percent, data_as_of)``
    Every flip ever reported, with its figure, date and percentile.
``watch_deliveries(flip_id, target, target_label, status, attempts, last_attempt_at, error)``
    One row per (flip, notification target): ``pending``, ``ok`` or ``failed``. A row is written
    ``pending`` with its flip, so a crash between recording and sending loses nothing; anything
    not ``ok`` is sent again on the next run. ``target`` is the SHA-256 of the notification URL
    and ``target_label`` only its ``scheme://host``: URLs carry passwords and tokens, and the
    store never holds them.

Rows go in and out as plain dicts; :mod:`bondthesis.watch` turns them into its results.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import duckdb

from bondthesis.data.store import Store
from bondthesis.errors import redact

__all__ = ["FLIP_COLUMNS", "WATCH_SCHEMA_SQL", "WatchLog"]

WATCH_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS watch_state (
    key VARCHAR PRIMARY KEY, state VARCHAR NOT NULL, value DOUBLE, on_date DATE,
    evaluated_at TIMESTAMP);
CREATE SEQUENCE IF NOT EXISTS watch_flip_id;
CREATE TABLE IF NOT EXISTS watch_flips (
    id BIGINT PRIMARY KEY DEFAULT nextval('watch_flip_id'), detected_at TIMESTAMP,
    memory_key VARCHAR, rule VARCHAR, subject VARCHAR, kind VARCHAR, name VARCHAR,
    before VARCHAR, after VARCHAR, value DOUBLE, unit VARCHAR, on_date DATE, percentile DOUBLE,
    detail VARCHAR, command VARCHAR, stale BOOLEAN, condition VARCHAR, threshold DOUBLE,
    band DOUBLE, percent BOOLEAN, data_as_of DATE);
CREATE TABLE IF NOT EXISTS watch_deliveries (
    flip_id BIGINT NOT NULL, target VARCHAR NOT NULL, target_label VARCHAR,
    status VARCHAR NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_attempt_at TIMESTAMP,
    error VARCHAR, PRIMARY KEY (flip_id, target));
"""

# Columns of watch_flips after the id, in table order (the dicts :meth:`WatchLog.record` takes).
FLIP_COLUMNS: tuple[str, ...] = (
    "detected_at",
    "memory_key",
    "rule",
    "subject",
    "kind",
    "name",
    "before",
    "after",
    "value",
    "unit",
    "on_date",
    "percentile",
    "detail",
    "command",
    "stale",
    "condition",
    "threshold",
    "band",
    "percent",
    "data_as_of",
)
_STATE_COLUMNS = ("key", "state", "value", "on_date", "evaluated_at")


class WatchLog:
    """The watch tables of ``store`` (the store's file, its locking and retries)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @contextmanager
    def _write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        # The store's own connection (busy-file retries, schema); the watch tables are this
        # module's, created here so that stores that never watched carry none of them.
        with self.store._connect(write=True) as con:
            con.execute(WATCH_SCHEMA_SQL)
            yield con

    def _read(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a query, or none when the store or the watch tables do not exist yet."""
        if not self.store.path.exists():
            return []
        with self.store._connect(write=False) as con:
            try:
                return con.execute(sql, list(parameters)).fetchall()
            except duckdb.CatalogException:  # never watched: no tables yet
                return []

    def data_fingerprint(self) -> str:
        """A short text that changes whenever the store's data may have changed.

        Every write of a series stamps ``series_meta.updated_at``; record tables are counted.
        Equal fingerprints mean the same data, so an evaluation can be skipped.
        """
        rows = self._read(
            "SELECT (SELECT count(*) FROM series_meta), (SELECT max(updated_at) FROM series_meta), "
            "(SELECT count(*) FROM observations), (SELECT count(*) FROM auctions), "
            "(SELECT count(*) FROM holdings_13f)"
        )
        return "|".join(str(v) for v in rows[0]) if rows else "empty"

    # -- memory --------------------------------------------------------------------------------

    def read_state(self) -> list[dict[str, Any]]:
        """Every remembered state, as dicts with the ``watch_state`` columns."""
        rows = self._read(f"SELECT {', '.join(_STATE_COLUMNS)} FROM watch_state ORDER BY key")
        return [dict(zip(_STATE_COLUMNS, row, strict=True)) for row in rows]

    def record(
        self,
        states: Sequence[Mapping[str, Any]],
        flips: Sequence[Mapping[str, Any]],
        targets: Sequence[tuple[str, str]],
    ) -> list[int]:
        """Remember ``states``; append ``flips``, each pending for every target; one transaction.

        ``targets`` are ``(sha256 of the URL, scheme://host)``. Returns the flips' new ids.
        """
        ids: list[int] = []
        with self._write() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                if states:
                    con.executemany(
                        f"INSERT OR REPLACE INTO watch_state ({', '.join(_STATE_COLUMNS)}) "
                        f"VALUES ({', '.join('?' * len(_STATE_COLUMNS))})",
                        [[s[c] for c in _STATE_COLUMNS] for s in states],
                    )
                for flip in flips:
                    row = con.execute(
                        f"INSERT INTO watch_flips ({', '.join(FLIP_COLUMNS)}) "
                        f"VALUES ({', '.join('?' * len(FLIP_COLUMNS))}) RETURNING id",
                        [flip[c] for c in FLIP_COLUMNS],
                    ).fetchone()
                    assert row is not None
                    ids.append(int(row[0]))
                pending = [(i, digest, label) for i in ids for digest, label in targets]
                if pending:
                    con.executemany(
                        "INSERT INTO watch_deliveries (flip_id, target, target_label, status) "
                        "VALUES (?, ?, ?, 'pending')",
                        pending,
                    )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return ids

    # -- deliveries ----------------------------------------------------------------------------

    def undelivered(self, target: str) -> list[dict[str, Any]]:
        """Flips not yet delivered to ``target`` (a URL's SHA-256), oldest first."""
        rows = self._read(
            f"SELECT f.id, {', '.join('f.' + c for c in FLIP_COLUMNS)} FROM watch_flips f "
            "JOIN watch_deliveries d ON d.flip_id = f.id "
            "WHERE d.target = ? AND d.status <> 'ok' ORDER BY f.id",
            [target],
        )
        return [dict(zip(("id", *FLIP_COLUMNS), row, strict=True)) for row in rows]

    def mark(
        self,
        target: str,
        flip_ids: Sequence[int],
        *,
        ok: bool,
        error: str | None,
        when: datetime,
    ) -> None:
        """Record one attempt to deliver ``flip_ids`` to ``target`` (errors redacted)."""
        if not flip_ids:
            return
        with self._write() as con:
            con.execute(
                "UPDATE watch_deliveries SET status = ?, attempts = attempts + 1, "
                "last_attempt_at = ?, error = ? "
                "WHERE target = ? AND flip_id IN (SELECT unnest(?))",
                [
                    "ok" if ok else "failed",
                    when,
                    None if ok or error is None else redact(error),
                    target,
                    list(flip_ids),
                ],
            )

    # -- history -------------------------------------------------------------------------------

    def flips(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Recorded flips, newest first, each with its deliveries (a list of dicts)."""
        rows = self._read(
            f"SELECT id, {', '.join(FLIP_COLUMNS)} FROM watch_flips ORDER BY id DESC"
            + (" LIMIT ?" if limit is not None else ""),
            [limit] if limit is not None else [],
        )
        flips = [dict(zip(("id", *FLIP_COLUMNS), row, strict=True)) for row in rows]
        if not flips:
            return flips
        deliveries = self._read(
            "SELECT flip_id, target_label, status, attempts, last_attempt_at, error "
            "FROM watch_deliveries WHERE flip_id IN (SELECT unnest(?)) ORDER BY flip_id, target",
            [[f["id"] for f in flips]],
        )
        by_flip: dict[int, list[dict[str, Any]]] = {}
        for flip_id, label, status, attempts, last, error in deliveries:
            by_flip.setdefault(int(flip_id), []).append(
                {
                    "target": label,
                    "status": status,
                    "attempts": int(attempts),
                    "last_attempt_at": last,
                    "error": error,
                }
            )
        for flip in flips:
            flip["deliveries"] = by_flip.get(int(flip["id"]), [])
        return flips
