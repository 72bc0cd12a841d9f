"""How fresh each series in the store is, and a fingerprint of what the store holds.

Not pure: reads the store's status (one query). A series is *stale* when its last observation is
older than its frequency allows plus its publication lag (a monthly value dated the 1st is
complete at the month's end and public after its lag), judged on ``today``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from bondthesis.catalog import CATALOG
from bondthesis.data.status import staleness
from bondthesis.data.store import Store
from bondthesis.data.store_schema import SeriesStatus
from bondthesis.serialize import Serializable

__all__ = ["DataFreshness", "SeriesFreshness", "data_freshness", "store_fingerprint"]


@dataclass(frozen=True)
class SeriesFreshness(Serializable):
    """One catalog series: where it stands on ``checked_on``.

    ``state`` is ``"fresh"``, ``"stale"`` or ``"missing"``; ``age_days`` is days from the last
    observation to the check date; ``allowed_days`` the frequency's limit plus the lag.
    """

    key: str
    title: str
    provider: str
    frequency: str
    first_date: date | None
    last_date: date | None
    rows: int
    age_days: int | None
    allowed_days: int
    state: str
    served_by: str | None


@dataclass(frozen=True)
class DataFreshness(Serializable):
    """Every catalog series' freshness on ``checked_on``, and the store's fingerprint."""

    checked_on: date
    series: tuple[SeriesFreshness, ...]
    fingerprint: str

    @property
    def stale(self) -> tuple[SeriesFreshness, ...]:
        return tuple(s for s in self.series if s.state == "stale")

    @property
    def missing(self) -> tuple[SeriesFreshness, ...]:
        return tuple(s for s in self.series if s.state == "missing")

    @property
    def last_date(self) -> date | None:
        """The latest observation date across the store (the data's end)."""
        dates = [s.last_date for s in self.series if s.last_date is not None]
        return max(dates) if dates else None


def _fingerprint(statuses: list[SeriesStatus]) -> str:
    text = "\n".join(
        f"{s.series}|{s.first_date}|{s.last_date}|{s.rows}|{s.updated_at}" for s in statuses
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def store_fingerprint(store: Store) -> str:
    """A short hash of what the store holds (each series' dates, row count and update time).

    Two stores with the same fingerprint give the same results; any refresh that writes changes
    it. Empty store: the hash of nothing.
    """
    return _fingerprint(store.status())


def data_freshness(store: Store, today: date | None = None) -> DataFreshness:
    """Freshness of every catalog series on ``today`` (default: the system date)."""
    checked_on = today or date.today()
    statuses = store.status()
    known = {s.series: s for s in statuses}
    rows: list[SeriesFreshness] = []
    for key, spec in CATALOG.items():
        status = known.get(key)
        last = status.last_date if status else None
        allowed = spec.frequency.stale_after_days + spec.publication_lag_days
        state, age = staleness(spec, last, checked_on)  # the rule `bondthesis status` applies
        rows.append(
            SeriesFreshness(
                key=key,
                title=spec.title,
                provider=spec.provider.value,
                frequency=spec.frequency.value,
                first_date=status.first_date if status else None,
                last_date=last,
                rows=int(status.rows) if status else 0,
                age_days=age,
                allowed_days=allowed,
                state=state,
                served_by=status.served_by if status else None,
            )
        )
    return DataFreshness(checked_on, tuple(rows), _fingerprint(statuses))
