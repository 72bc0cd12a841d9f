"""Sources into the store: concurrent across providers, polite within each, incremental.

The only module that imports both ``sources`` and ``store``. Each provider runs in its own
thread (its own rate limit lives in the shared HTTP client); results come back through a queue
and are written by this thread alone, each series whole or not at all, so a failure of one
provider or one series never touches what others stored, and a crash leaves the last good data.
Whatever has arrived is written under one store connection (at most :data:`WRITE_BURST_MAX`
results), so the writer keeps up with a dozen providers answering at once.

Bounded and guarded: the writer lock and the store file are held only while results are being
written, never while providers are waited for; a refresh has an overall deadline
(``timeout_s``, the CLI's ``--timeout``), after which the series not yet arrived are reported
and the store keeps their last data; an answer that would shrink or blank a stored history is
refused by name (:mod:`.refresh_guard`); every refresh is marked begun and finished
(:mod:`.store_runs`), so ``status`` can say that one was interrupted and what it missed.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bondthesis.catalog import Frequency, get_spec
from bondthesis.config import Settings
from bondthesis.data._crash import crash_point
from bondthesis.data.panel import next_release
from bondthesis.data.refresh_write import RefreshReport, RefreshRow, write_fetched
from bondthesis.data.store import FetchRecord, Store
from bondthesis.data.store_runs import begin_run, finish_run
from bondthesis.errors import ConfigError, SourceError, redact
from bondthesis.redaction import clip
from bondthesis.sources.base import Fetched, FetchFailed, Source
from bondthesis.sources.snapshot import read_snapshot

__all__ = [
    "DEFAULT_TIMEOUT_S",
    "REVISION_WINDOW_DAYS",
    "WRITE_BURST_MAX",
    "RefreshReport",
    "RefreshRow",
    "refresh_from_snapshot",
    "refresh_from_sources",
    "refresh_online",
    "since_dates",
]

# How far back an incremental refresh asks again, so that revisions of recent values arrive:
# a few business days for daily market data, months for revised macro series.
REVISION_WINDOW_DAYS: dict[Frequency, int] = {
    Frequency.DAILY: 10,
    Frequency.WEEKLY: 35,
    Frequency.BIWEEKLY: 45,
    Frequency.MONTHLY: 190,
    Frequency.QUARTERLY: 400,
    Frequency.ANNUAL: 800,
}

Progress = Callable[[str, str], None]  # (key, status) after each result

# Most results written under one store connection: bounds how long readers in other processes
# wait for the file (one transaction per burst; each series whole or absent).
WRITE_BURST_MAX = 16
# Seconds without results after which the refresh lets go of the store file.
IDLE_CLOSE_S = 0.25
# Longest online refresh by default: the whole catalog takes ~1-2 minutes when providers answer,
# a first download of SEC's 13F data sets (several ~100 MB zips) much longer on a slow line.
DEFAULT_TIMEOUT_S = 3600.0


def since_dates(
    last_dates: Mapping[str, date], keys: Iterable[str], *, full: bool = False
) -> dict[str, date | None]:
    """The first date to ask for, per key: the last stored date minus the revision window."""
    out: dict[str, date | None] = {}
    for key in keys:
        last = last_dates.get(key)
        if full or last is None:
            out[key] = None
        else:
            out[key] = last - timedelta(days=REVISION_WINDOW_DAYS[get_spec(key).frequency])
    return out


def refresh_from_snapshot(
    store: Store,
    folder: Path,
    *,
    only: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> RefreshReport:
    """Load a snapshot folder (``../shared/data`` layout) into the store.

    Every series is replaced whole by the folder's version, one transaction per series.
    """
    if not folder.is_dir():
        raise FileNotFoundError(
            f"snapshot folder {folder} does not exist; pass the folder that holds DGS30.csv etc."
        )
    keys = {get_spec(k).key for k in only} if only else None
    content = read_snapshot(folder, keys)
    report = RefreshReport(unknown_files=content.unknown_files, skipped_files=content.skipped_files)
    previous = store.last_dates()
    for key, reason in sorted(content.refused_keys.items()):
        report.rows.append(
            RefreshRow(key, "snapshot", None, 0, previous.get(key), "failed", reason)
        )
    planned = [*content.series, *(["AUCTIONS"] if content.auctions is not None else [])]
    with store.writer_lock(), store.batch():
        run = begin_run(store, "snapshot", planned)
        crash_point("run-begun")
        for index, (key, (rows, source)) in enumerate(content.series.items()):
            if index == len(content.series) // 2:
                crash_point("snapshot-half")
            fetched = Fetched(key, rows, f"snapshot:{source}")
            row = write_fetched(store, fetched, None, previous.get(key), "snapshot")
            report.rows.append(row)
            if progress:
                progress(key, row.status)
        tables = {"AUCTIONS": ("auctions", content.auctions)}
        tables["HOLDINGS_13F"] = ("holdings_13f", content.holdings_13f)
        for key, (table, frame) in tables.items():
            if frame is None or (keys is not None and key not in keys):
                continue
            fetched = Fetched(key, frame, "snapshot", table=table)
            report.rows.append(write_fetched(store, fetched, None, None, "snapshot"))
            if progress:
                progress(key, "ok")
        store.log_fetch(
            FetchRecord("snapshot", r.key, r.new_rows, r.status, r.error) for r in report.rows
        )
        crash_point("before-finish")
        finish_run(store, run)
    return report


def refresh_from_sources(
    store: Store,
    sources: Mapping[Source, Sequence[str]],
    *,
    full: bool = False,
    progress: Progress | None = None,
    timeout_s: float | None = None,
) -> RefreshReport:
    """Fetch ``{source: keys}`` concurrently (one thread per provider) and store what arrives.

    A provider that fails, or a series that fails, is reported in the returned rows with the
    error's own words; everything that arrived is stored. Nothing is deleted on failure. After
    ``timeout_s`` seconds the keys not yet arrived are reported as failed and left as stored.
    """
    previous = store.last_dates()
    report = RefreshReport()
    results: queue.Queue[tuple[str, Fetched | FetchFailed | BaseException | None]] = queue.Queue()
    wanted: dict[str, set[str]] = {}
    deadline = None if timeout_s is None else time.monotonic() + timeout_s

    def run(source: Source, keys: Sequence[str]) -> None:
        try:
            since = since_dates(previous, keys, full=full)
            for item in source.fetch(keys, since):
                results.put((source.name, item))
        except BaseException as exc:  # reported as a failure of every key not yet delivered
            results.put((source.name, exc))
        finally:
            results.put((source.name, None))

    def store_fetched(provider: str, item: Fetched, *, grouped: bool) -> RefreshRow:
        since = None if full else since_dates(previous, [item.key]).get(item.key)
        if item.table is not None:
            since = None
        try:
            return write_fetched(store, item, since, previous.get(item.key), provider)
        except (ValueError, KeyError) as exc:  # the rows themselves are unusable
            message = f"could not store the rows: {clip(redact(str(exc)))}"
        except Exception as exc:
            if grouped:
                raise  # the burst's transaction is broken: the caller writes one by one
            message = f"could not store the rows: {clip(redact(str(exc)))}"
        return RefreshRow(item.key, provider, item.served_by, 0, None, "failed", message)

    def handle(
        provider: str, item: Fetched | FetchFailed | BaseException | None, *, grouped: bool
    ) -> tuple[bool, list[RefreshRow]]:
        """The rows one queued item yields; True when it is the provider's end marker."""
        if item is None or isinstance(item, BaseException):
            if item is None:  # a provider that went quiet on a key
                reasons = {k: f"{provider} returned nothing for {k}" for k in wanted[provider]}
            else:
                message = str(item) if isinstance(item, SourceError) else repr(item)
                reasons = dict.fromkeys(wanted[provider], clip(redact(message)))
            rows = [
                RefreshRow(key, provider, None, 0, previous.get(key), "failed", reasons[key])
                for key in sorted(reasons)
            ]
            wanted[provider].clear()
            return item is None, rows
        wanted[provider].discard(item.key)
        if isinstance(item, FetchFailed):
            return False, [
                RefreshRow(
                    item.key,
                    provider,
                    None,
                    0,
                    previous.get(item.key),
                    "failed",
                    clip(redact(str(item.error))),
                )
            ]
        return False, [store_fetched(provider, item, grouped=grouped)]

    def write_burst(burst: list[tuple[str, Fetched | FetchFailed | BaseException | None]]) -> int:
        """Store one burst of results (lock and file held by the caller); return providers done."""
        finished = 0
        outcomes: list[list[RefreshRow]] = []
        writes = any(isinstance(item, Fetched) for _, item in burst)
        try:
            # One transaction for the burst saves a commit per series; each series is still
            # whole or absent.
            with store.group() if writes else contextlib.nullcontext():
                for provider, item in burst:
                    done, rows = handle(provider, item, grouped=writes)
                    finished += done
                    outcomes.append(rows)
        except Exception:
            # Rolled back: store the burst's series again, each on its own.
            for index, (provider, item) in enumerate(burst):
                if index < len(outcomes):
                    if isinstance(item, Fetched):
                        outcomes[index] = [store_fetched(provider, item, grouped=False)]
                else:
                    done, rows = handle(provider, item, grouped=False)
                    finished += done
                    outcomes.append(rows)
        crash_point("burst-written")
        written = [row for rows in outcomes for row in rows]
        store.log_fetch(
            FetchRecord(r.provider, r.key, r.new_rows, r.status, r.error) for r in written
        )
        report.rows.extend(written)
        if progress:
            for row in written:
                progress(row.key, row.status)
        return finished

    for source, keys in sources.items():
        wanted[source.name] = set(keys)
    with store.writer_lock(), store.batch():
        run_id = begin_run(store, "online", [k for keys in sources.values() for k in keys])
    crash_point("run-begun")
    threads = [
        threading.Thread(target=run, args=(s, k), name=f"fetch-{s.name}", daemon=True)
        for s, k in sources.items()
    ]
    for thread in threads:
        thread.start()
    running = len(threads)
    # The writer lock and the store stay held while results keep arriving (opening the DuckDB
    # file costs ~30 ms) and are let go once the queue has been quiet for IDLE_CLOSE_S: no lock
    # is held while the providers are slow, so readers and other refreshes get in.
    session = contextlib.ExitStack()
    try:
        while running:
            wait = IDLE_CLOSE_S
            if deadline is not None:
                wait = min(wait, deadline - time.monotonic())
                if wait <= 0:
                    break
            try:
                first = results.get(timeout=wait)
            except queue.Empty:
                session.close()
                continue
            burst = [first]
            while len(burst) < WRITE_BURST_MAX:
                try:
                    burst.append(results.get_nowait())
                except queue.Empty:
                    break
            if store.session is None:
                session.enter_context(store.writer_lock())
                session.enter_context(store.batch())
            running -= write_burst(burst)
        late = [
            RefreshRow(
                key,
                provider,
                None,
                0,
                previous.get(key),
                "failed",
                f"not arrived within the refresh's time limit of {timeout_s:g} s (--timeout); "
                "the store keeps its last data",
            )
            for provider, keys in wanted.items()
            for key in sorted(keys)
        ]
        if store.session is None:  # the last burst's connection, when still open, is reused
            session.enter_context(store.writer_lock())
            session.enter_context(store.batch())
        if late:
            store.log_fetch(FetchRecord(r.provider, r.key, 0, r.status, r.error) for r in late)
            report.rows.extend(late)
        crash_point("before-finish")
        finish_run(store, run_id)
    finally:
        session.close()
    for thread in threads:
        thread.join(timeout=0 if late else None)
    return report


def _drop_current(store: Store, grouped: dict[str, list[str]], today: date) -> list[RefreshRow]:
    """Take out of ``grouped`` the keys with nothing new to ask for yet; report them."""
    last = store.last_dates()
    rows = []
    for source, keys in list(grouped.items()):
        kept = []
        for key in keys:
            if key in last and (due := next_release(get_spec(key), last[key])) > today:
                rows.append(
                    RefreshRow(
                        key,
                        source,
                        None,
                        0,
                        last[key],
                        "current",
                        f"next observation public from {due}",
                    )
                )
            else:
                kept.append(key)
        if kept:
            grouped[source] = kept
        else:
            del grouped[source]
    return rows


def refresh_online(
    settings: Settings,
    store: Store,
    *,
    keys: Sequence[str] | None = None,
    full: bool = False,
    progress: Progress | None = None,
    endpoints: Mapping[str, Mapping[str, object]] | None = None,
    http: object | None = None,
    today: date | None = None,
    timeout_s: float | None = DEFAULT_TIMEOUT_S,
) -> RefreshReport:
    """Refresh ``keys`` (default: the whole catalog) from the providers themselves.

    ``timeout_s`` bounds the whole refresh: every request ends by then, and series not arrived
    are reported as failed, their stored data kept (None: no overall limit).

    A series whose next observation cannot be public yet (:func:`~bondthesis.data.panel.
    next_release` after its last stored date, against ``today``) is not asked for: it is
    reported as ``current``. ``full=True`` asks for everything again, whole histories.
    ``endpoints`` points sources at other URLs (a local server in tests and benchmarks); ``http``
    may be an already configured :class:`~bondthesis.sources._http.HttpClient`.
    """
    from bondthesis.sources._http import HttpClient
    from bondthesis.sources.registry import build_sources, keys_by_source

    if settings.offline:
        raise ConfigError(
            "BONDTHESIS_OFFLINE is set: unset it to reach the providers, or load a folder with "
            "`bondthesis refresh --snapshot DIR`"
        )
    grouped, unserved = keys_by_source(keys)
    skipped: list[RefreshRow] = []
    if not full:
        skipped.extend(_drop_current(store, grouped, today or datetime.now(UTC).date()))
    if "sec" in grouped:
        try:
            settings.require_sec_user_agent()
        except ConfigError:
            if keys is not None:
                raise  # asked for by name: the user must set it (exit 2)
            # The whole catalog: everything else still refreshes; 13F waits for the setting.
            skipped = [
                RefreshRow(
                    key,
                    "sec",
                    None,
                    0,
                    None,
                    "skipped",
                    'set BONDTHESIS_SEC_USER_AGENT="Your Name you@example.org"',
                )
                for key in grouped.pop("sec")
            ]
    if timeout_s is not None and not timeout_s > 0:
        raise ConfigError(f"--timeout must be a positive number of seconds, got {timeout_s}")
    client = http if isinstance(http, HttpClient) else HttpClient(settings)
    client.set_deadline(timeout_s)
    try:
        sources = build_sources(settings, client, list(grouped), endpoints=endpoints)
        report = refresh_from_sources(
            store,
            {sources[name]: grouped[name] for name in grouped},
            full=full,
            progress=progress,
            # A moment after the HTTP deadline, so requests report their own fault first.
            timeout_s=None if timeout_s is None else timeout_s + 1.0,
        )
    finally:
        if client is not http:
            client.close()
    report.rows.extend(skipped)
    for key in unserved:
        report.rows.append(
            RefreshRow(
                key,
                get_spec(key).provider.value,
                None,
                0,
                None,
                "skipped",
                "only snapshot folders carry this series; load it with --snapshot",
            )
        )
    return report


def refresh(
    store: Store,
    *,
    settings: Settings | None = None,
    keys: Sequence[str] | None = None,
    snapshot: Path | None = None,
    full: bool = False,
    progress: Progress | None = None,
    timeout_s: float | None = DEFAULT_TIMEOUT_S,
) -> RefreshReport:
    """Fetch the catalog's series (or ``keys``) into ``store``, incrementally; the front door's
    ``refresh``.

    With ``snapshot`` a local folder in the providers' formats is loaded instead of the network.
    ``settings`` default to ``Settings.from_env()``; ``progress(key, status)`` is called per
    series as results arrive. An online refresh stops after ``timeout_s`` seconds; series that
    have not arrived keep their stored data and are reported.

    Raises
    ------
    ValueError
        ``snapshot`` is not a folder, or an unknown key.
    """
    if snapshot is not None:
        if not Path(snapshot).is_dir():
            raise ValueError(
                f"snapshot {snapshot}: no such folder; pass the folder that holds DGS30.csv etc."
            )
        return refresh_from_snapshot(store, Path(snapshot), only=keys, progress=progress)
    config = settings if settings is not None else Settings.from_env()
    return refresh_online(
        config, store, keys=keys, full=full, progress=progress, timeout_s=timeout_s
    )
