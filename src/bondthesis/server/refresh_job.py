"""One data refresh at a time, in a background thread, with its progress readable meanwhile.

``POST /api/refresh`` starts :meth:`RefreshJob.start`; ``GET /api/refresh`` reads
:meth:`RefreshJob.snapshot`. The refresh itself is the library's (``bondthesis.refresh``, from
the providers or a snapshot folder), the same as ``bondthesis refresh``; this module only runs
it off the request thread and keeps count. The job writes through its own :class:`Store`
object, so that its batch connection is never seen by the readers that serve requests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from bondthesis.config import Settings
from bondthesis.data.store import Store
from bondthesis.serialize import Serializable

__all__ = ["RefreshBusy", "RefreshJob", "RefreshState"]

State = Literal["idle", "running", "done", "failed"]


class RefreshBusy(RuntimeError):
    """A refresh is already running; the message says since when."""


@dataclass(frozen=True)
class RefreshRowState(Serializable):
    """One series' outcome, as the refresh reported it."""

    series: str
    status: str
    new_rows: int
    last_date: Any
    error: str | None


@dataclass(frozen=True)
class RefreshState(Serializable):
    """Where the current (or last) refresh stands."""

    state: State = "idle"
    source: str | None = None
    started: datetime | None = None
    finished: datetime | None = None
    total: int = 0
    done: int = 0
    current: str | None = None
    failed: int = 0
    error: str | None = None
    rows: tuple[RefreshRowState, ...] = field(default=())


Runner = Callable[[Store, Callable[[str, str], None]], Any]


class RefreshJob:
    """At most one refresh of ``settings``' store at a time.

    Parameters
    ----------
    settings : Settings
        The keys and network settings of an online refresh.
    store_path : Path
        The store to write.
    on_finish : callable, optional
        Called after a refresh ends (the app drops its cached results).
    """

    def __init__(
        self,
        settings: Settings,
        store_path: Path,
        *,
        on_finish: Callable[[], None] | None = None,
    ) -> None:
        self._settings = settings
        self._store_path = store_path
        self._on_finish = on_finish
        self._lock = threading.Lock()
        self._state = RefreshState()
        self._thread: threading.Thread | None = None

    def snapshot(self) -> RefreshState:
        """The state right now (a frozen copy)."""
        with self._lock:
            return self._state

    def start(
        self,
        *,
        only: Sequence[str] | None = None,
        full: bool = False,
        snapshot_folder: Path | None = None,
    ) -> RefreshState:
        """Start a refresh and return its first state, or raise :class:`RefreshBusy`.

        ``only`` are catalog keys already checked by the caller; ``snapshot_folder`` loads a
        local folder in the providers' formats instead of the network.
        """
        import bondthesis as bt
        from bondthesis.catalog import CATALOG

        if snapshot_folder is not None and not snapshot_folder.is_dir():
            raise ValueError(
                f"snapshot {snapshot_folder}: no such folder; give the folder that holds DGS30.csv"
            )
        keys = list(only) if only else None
        settings = self._settings

        def runner(store: Store, progress: Callable[[str, str], None]) -> Any:
            return bt.refresh(
                store,
                settings=settings,
                keys=keys,
                snapshot=snapshot_folder,
                full=full,
                progress=progress,
            )

        source = (
            f"snapshot {snapshot_folder}" if snapshot_folder is not None else "providers (online)"
        )
        with self._lock:
            if self._state.state == "running":
                raise RefreshBusy(
                    f"a refresh is already running since {self._state.started:%H:%M:%S} UTC "
                    f"({self._state.done} of {self._state.total} done); read GET /api/refresh "
                    "and start another when it has finished"
                )
            self._state = RefreshState(
                state="running",
                source=source,
                started=datetime.now(UTC),
                total=len(keys) if keys else len(CATALOG),
            )
            self._thread = threading.Thread(
                target=self._run, args=(runner,), name="bondthesis-refresh", daemon=True
            )
            self._thread.start()
            return self._state

    def wait(self, timeout_s: float | None = None) -> RefreshState:
        """Block until the running refresh ends (tests and the CLI); the final state."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)
        return self.snapshot()

    def _progress(self, key: str, status: str) -> None:
        with self._lock:
            self._state = replace(
                self._state,
                done=self._state.done + 1,
                current=key,
                failed=self._state.failed + (status == "failed"),
            )

    def _run(self, runner: Runner) -> None:
        try:
            report = runner(Store(self._store_path), self._progress)
        except Exception as exc:  # the job must end in a readable state, whatever happened
            from bondthesis.errors import redact

            with self._lock:
                self._state = replace(
                    self._state,
                    state="failed",
                    finished=datetime.now(UTC),
                    current=None,
                    error=redact(f"{type(exc).__name__}: {exc}"),
                )
        else:
            rows = tuple(
                RefreshRowState(r.key, r.status, r.new_rows, r.last_date, r.error)
                for r in report.rows
            )
            with self._lock:
                self._state = replace(
                    self._state,
                    state="done",
                    finished=datetime.now(UTC),
                    current=None,
                    done=len(rows),
                    failed=sum(r.status == "failed" for r in rows),
                    rows=rows,
                )
        if self._on_finish is not None:
            self._on_finish()
