"""How fresh each series of the catalog is in the store: the staleness rule, in one place.

A series is ``missing`` when the store has no value, ``stale`` when its last value is older than
its frequency allows plus its publication lag (a monthly value dated the 1st is complete at the
month's end and public after its lag), else ``fresh``. Reads the store's metadata only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from bondthesis.catalog import CATALOG, SeriesSpec
from bondthesis.data.store import SeriesStatus, Store
from bondthesis.data.store_runs import InterruptedRun, interrupted_run
from bondthesis.serialize import Serializable

__all__ = ["SeriesState", "StoreStatus", "staleness", "status"]

State = Literal["fresh", "stale", "missing"]


def staleness(spec: SeriesSpec, last: date | None, today: date) -> tuple[State, int | None]:
    """(state, age in days) of a series whose last value is dated ``last``, seen on ``today``."""
    if last is None:
        return "missing", None
    age = (today - last).days
    allowed = spec.frequency.stale_after_days + spec.publication_lag_days
    return ("stale" if age > allowed else "fresh"), age


@dataclass(frozen=True)
class SeriesState(Serializable):
    """One series of the catalog as the store holds it (``age_days`` counted to ``today``)."""

    series: str
    title: str
    frequency: str
    first_date: date | None
    last_date: date | None
    age_days: int | None
    state: State
    rows: int
    provider: str
    served_by: str | None
    last_status: str | None
    last_error: str | None


@dataclass(frozen=True)
class StoreStatus(Serializable):
    """Every series of the catalog, in catalog order, with its state in the store at ``store``."""

    store: Path
    interrupted_refresh: InterruptedRun | None
    series: tuple[SeriesState, ...]

    def counts(self) -> dict[str, int]:
        """How many series are in each state, most common first."""
        return dict(Counter(s.state for s in self.series).most_common())


def status(store: Store, today: date | None = None) -> StoreStatus:
    """Each series of the catalog: dates, rows, provider, last error and freshness on ``today``.

    ``today`` defaults to the local calendar date (the only place this module reads the clock).
    """
    when = today if today is not None else date.today()
    known: dict[str, SeriesStatus] = {s.series: s for s in store.status()}
    rows = []
    for key, spec in CATALOG.items():
        st = known.get(key)
        last = st.last_date if st else None
        state, age = staleness(spec, last, when)
        rows.append(
            SeriesState(
                series=key,
                title=spec.title,
                frequency=spec.frequency.value,
                first_date=st.first_date if st else None,
                last_date=last,
                age_days=age,
                state=state,
                rows=st.rows if st else 0,
                provider=spec.provider.value,
                served_by=st.served_by if st else None,
                last_status=st.last_status if st else None,
                last_error=st.last_error if st else None,
            )
        )
    return StoreStatus(
        store=store.path, interrupted_refresh=interrupted_run(store), series=tuple(rows)
    )
