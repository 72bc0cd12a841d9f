"""One watch run, and the loop that repeats it when the next release is due.

A run: refresh what is due (or load a snapshot folder), evaluate the rules' facts, compare them
with the memory in the store, record the flips and the new memory in one transaction, then send
every flip not yet delivered to each notification URL, this run's and any earlier one's that
failed. A failing notifier is reported in the run's deliveries and tried again next run; the
flip waits in the store until it is delivered.

The loop sleeps until the catalog's calendars say the next observation of a stored series can be
public (:func:`bondthesis.data.panel.next_release`), at least :data:`MIN_SLEEP` and at most
:data:`MAX_SLEEP`, or a fixed ``every``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bondthesis.catalog import CATALOG
from bondthesis.config import Settings
from bondthesis.data.panel import next_release
from bondthesis.data.store import Store
from bondthesis.data.watch_log import FLIP_COLUMNS, WatchLog
from bondthesis.errors import BondThesisError, CacheMiss, ConfigError, SourceError
from bondthesis.serialize import Serializable
from bondthesis.watching.engine import Flip, Memory, compare, with_id
from bondthesis.watching.facts import Evaluation, evaluate_store
from bondthesis.watching.messages import LANGUAGES, flip_line, flips_message
from bondthesis.watching.notify import NotifyTarget, send
from bondthesis.watching.rules import DEFAULT_RULES, Rule

__all__ = [
    "FINGERPRINT_KEY",
    "MAX_SLEEP",
    "MIN_SLEEP",
    "RELEASE_HOUR_UTC",
    "Delivery",
    "RefreshSummary",
    "WatchRun",
    "flip_from_row",
    "flip_history",
    "next_check",
    "watch",
    "watch_loop",
]

MIN_SLEEP = timedelta(minutes=15)
MAX_SLEEP = timedelta(hours=24)
# The memory row that holds the data and rules of the last evaluation (see `watch`).
FINGERPRINT_KEY = "data:fingerprint"
# US data come out during the US working day; by 18:00 UTC (14:00 in New York) most are out.
RELEASE_HOUR_UTC = 18


@dataclass(frozen=True)
class Delivery(Serializable):
    """One attempt to deliver flips to one notification target (shown as ``scheme://host``)."""

    target: str
    flip_ids: tuple[int, ...]
    ok: bool
    error: str | None = None


@dataclass(frozen=True)
class RefreshSummary(Serializable):
    """What the refresh before the evaluation did."""

    source: str  # "snapshot", "online" or "none"
    stored: int = 0
    current: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class WatchRun(Serializable):
    """Everything one run did: the flips found, what was delivered, what could not be watched."""

    evaluated_at: datetime
    data_as_of: date | None
    rules: tuple[str, ...]
    flips: tuple[Flip, ...]
    messages: tuple[str, ...]
    baseline: tuple[str, ...]
    deliveries: tuple[Delivery, ...]
    unavailable: tuple[str, ...]
    refresh: RefreshSummary
    lang: str
    reused: bool = False  # the data had not changed since the last run: nothing re-evaluated


def _memory_rows(memory: dict[str, Memory]) -> list[dict[str, Any]]:
    return [
        {
            "key": m.key,
            "state": m.state,
            "value": m.value,
            "on_date": m.on,
            "evaluated_at": m.evaluated_at,
        }
        for m in memory.values()
    ]


def _flip_row(flip: Flip) -> dict[str, Any]:
    row = {c: getattr(flip, c, None) for c in FLIP_COLUMNS}
    row["on_date"] = flip.on
    return row


def flip_from_row(row: dict[str, Any]) -> Flip:
    values = {c: row[c] for c in FLIP_COLUMNS if c != "on_date"}
    return Flip(**values, on=row["on_date"], id=int(row["id"]))


def _to_date(value: Any) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def _read_memory(log: WatchLog) -> dict[str, Memory]:
    return {
        row["key"]: Memory(
            row["key"], row["state"], row["value"], _to_date(row["on_date"]), row["evaluated_at"]
        )
        for row in log.read_state()
    }


def _refresh(store: Store, snapshot: Path | None, settings: Settings | None) -> RefreshSummary:
    from bondthesis.data.refresh import refresh

    if snapshot is None and settings is None:
        return RefreshSummary("none")
    source = "snapshot" if snapshot is not None else "online"
    try:
        report = refresh(store, settings=settings, snapshot=snapshot)
    except (SourceError, ConfigError) as exc:
        # A provider down (or offline mode) must not stop the watch: evaluate what is stored.
        return RefreshSummary(source, failed=1, errors=(str(exc),))
    failed = report.failed
    current = sum(r.status == "current" for r in report.rows)
    skipped = sum(r.status == "skipped" for r in report.rows)
    return RefreshSummary(
        source,
        stored=len(report.rows) - len(failed) - current - skipped,
        current=current,
        failed=len(failed),
        errors=tuple(f"{r.key}: {r.error}" for r in failed[:10]),
    )


def watch(
    store: Store,
    *,
    rules: Sequence[Rule] = DEFAULT_RULES,
    notify: Sequence[NotifyTarget] = (),
    lang: str = "en",
    as_of: date | None = None,
    snapshot: Path | None = None,
    refresh: Settings | None = None,
    evaluation: Evaluation | None = None,
    now: datetime | None = None,
) -> WatchRun:
    """One watch run on ``store``; see the module.

    Parameters
    ----------
    rules : sequence of Rule
        Default: every pillar, every claim, the scorecard (:data:`~bondthesis.watching.rules.
        DEFAULT_RULES`); :func:`~bondthesis.watching.rules.read_rules` reads a file.
    notify : sequence of NotifyTarget
        :func:`~bondthesis.watching.notify.parse_targets` of the URLs.
    lang : {"en", "zh-Hant"}
        Language of the messages.
    as_of : date, optional
        Evaluate the store as it was known on this date (a replay); default: all of it.
    snapshot : Path, optional
        Load this snapshot folder into the store first.
    refresh : Settings, optional
        Refresh what is due from the providers first (ignored when ``snapshot`` is given).
    evaluation : Evaluation, optional
        Use these facts instead of reading the store (tests, replays).
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of: {', '.join(LANGUAGES)}")
    summary = _refresh(store, snapshot, refresh) if evaluation is None else RefreshSummary("none")
    if evaluation is None and not store.path.exists():
        # Nothing to watch; and the memory must not create an empty store in its place.
        raise CacheMiss(
            f"no store at {store.path} yet; run `bondthesis refresh` "
            "(or `bondthesis refresh --snapshot DIR` offline), or pass --snapshot DIR"
        )
    log = WatchLog(store)
    memory = _read_memory(log)
    evaluated, fingerprint, reused = evaluation, None, False
    if evaluated is None:
        # Same data, same rules, same date: the facts cannot have changed, so the scorecard is
        # not rebuilt (seconds of work on every cron tick); undelivered flips are still sent.
        rule_keys = ",".join(sorted(r.key for r in rules))
        fingerprint = f"{log.data_fingerprint()}|{as_of}|{rule_keys}"
        last = memory.get(FINGERPRINT_KEY)
        reused = last is not None and last.state == fingerprint
        if last is not None and reused:
            stamp = (now or datetime.now(UTC)).replace(tzinfo=None, microsecond=0)
            evaluated = Evaluation(stamp, last.on, ())
        else:
            evaluated = evaluate_store(store, rules, as_of=as_of, now=now)
    comparison = compare(rules, evaluated, memory)
    kept = dict(comparison.memory)
    if fingerprint is not None:
        kept[FINGERPRINT_KEY] = Memory(
            FINGERPRINT_KEY, fingerprint, None, evaluated.data_as_of, evaluated.evaluated_at
        )
    ids = log.record(
        _memory_rows(kept),
        [_flip_row(f) for f in comparison.flips],
        [(t.digest, t.label) for t in notify],
    )
    flips = tuple(with_id(f, i) for f, i in zip(comparison.flips, ids, strict=True))
    deliveries = []
    attempted_at = (now or datetime.now(UTC)).replace(tzinfo=None, microsecond=0)
    for target in notify:
        waiting = [flip_from_row(row) for row in log.undelivered(target.digest)]
        if not waiting:
            continue
        title, body = flips_message(waiting, lang, evaluated.data_as_of)
        ok, error = send(target, title, body)
        flip_ids = tuple(f.id for f in waiting if f.id is not None)
        log.mark(target.digest, flip_ids, ok=ok, error=error, when=attempted_at)
        deliveries.append(Delivery(target.label, flip_ids, ok, error))
    return WatchRun(
        evaluated_at=evaluated.evaluated_at,
        data_as_of=evaluated.data_as_of,
        rules=tuple(r.text for r in rules),
        flips=flips,
        messages=tuple(flip_line(f, lang) for f in flips),
        baseline=comparison.baseline,
        deliveries=tuple(deliveries),
        unavailable=evaluated.unavailable,
        refresh=summary,
        lang=lang,
        reused=reused,
    )


def flip_history(store: Store, limit: int | None = None) -> list[dict[str, Any]]:
    """Every recorded flip, newest first, with its deliveries (``bondthesis watch --history``)."""
    return WatchLog(store).flips(limit)


def next_check(store: Store, now: datetime, every: timedelta | None = None) -> datetime:
    """When to run again: after ``every``, else the next day an observation can be public.

    The earliest :func:`~bondthesis.data.panel.next_release` after today among the stored
    series, at :data:`RELEASE_HOUR_UTC`; kept between :data:`MIN_SLEEP` and :data:`MAX_SLEEP`
    from ``now`` (a series long overdue does not make the loop spin).
    """
    if every is not None:
        return now + max(every, MIN_SLEEP)
    today = now.date()
    due = [
        next_release(CATALOG[key], last)
        for key, last in store.last_dates().items()
        if key in CATALOG
    ]
    upcoming = [d for d in due if d > today]
    if not upcoming:
        return now + MAX_SLEEP
    first = min(upcoming)
    wake = datetime(first.year, first.month, first.day, RELEASE_HOUR_UTC)
    return min(max(wake, now + MIN_SLEEP), now + MAX_SLEEP)


def watch_loop(
    store: Store,
    *,
    every: timedelta | None = None,
    max_runs: int | None = None,
    on_run: Callable[[WatchRun], None] | None = None,
    on_error: Callable[[BondThesisError], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC).replace(tzinfo=None),
    **options: Any,
) -> int:
    """Run :func:`watch` until ``max_runs`` (None: for ever); return the number of runs.

    An error of one run (the store busy, a provider down) is handed to ``on_error`` and the loop
    goes on; ``options`` are :func:`watch`'s.
    """
    runs = 0
    while max_runs is None or runs < max_runs:
        try:
            run = watch(store, **options)
            if on_run is not None:
                on_run(run)
        except BondThesisError as exc:
            if on_error is None:
                raise
            on_error(exc)
        runs += 1
        if max_runs is not None and runs >= max_runs:
            break
        now = clock()
        sleep((next_check(store, now, every) - now).total_seconds())
    return runs
