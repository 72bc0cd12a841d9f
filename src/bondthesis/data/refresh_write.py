"""What one refresh did (:class:`RefreshRow`, :class:`RefreshReport`) and how one answer is
written: the store-side half of :mod:`bondthesis.data.refresh`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from bondthesis.catalog import get_spec
from bondthesis.data.refresh_guard import refusal
from bondthesis.data.store import Store
from bondthesis.serialize import Serializable
from bondthesis.sources.base import Fetched

__all__ = ["RefreshReport", "RefreshRow", "write_fetched"]


@dataclass(frozen=True)
class RefreshRow(Serializable):
    """The outcome for one series or record table."""

    key: str
    provider: str
    served_by: str | None
    new_rows: int
    last_date: date | None
    status: str  # "ok", "unchanged", "current", "failed", "skipped"
    error: str | None = None


@dataclass
class RefreshReport(Serializable):
    """Everything one refresh did, in the order results arrived."""

    rows: list[RefreshRow] = field(default_factory=list)
    unknown_files: list[str] = field(default_factory=list)
    skipped_files: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> list[RefreshRow]:
        return [r for r in self.rows if r.status == "failed"]

    def count(self, status: str) -> int:
        """How many rows ended with ``status`` (``"current"``, ``"skipped"``, ...)."""
        return sum(r.status == status for r in self.rows)

    @property
    def stored(self) -> int:
        """Rows that wrote to the store (neither failed, current nor skipped)."""
        return len(self.rows) - len(self.failed) - self.count("current") - self.count("skipped")


def _count_new(rows: pd.DataFrame, previous_last: date | None) -> tuple[int, date | None]:
    real = rows.dropna(subset=["value"])
    if real.empty:
        return 0, previous_last
    dates = pd.to_datetime(real["date"])
    last = dates.max().date()
    if previous_last is None:
        return len(real), last
    return int((dates > pd.Timestamp(previous_last)).sum()), max(last, previous_last)


def write_fetched(
    store: Store,
    fetched: Fetched,
    since: date | None,
    previous_last: date | None,
    provider: str,
) -> RefreshRow:
    """Store one provider answer (a series from ``since`` on, or a record table) and say what
    it did; an answer that would shrink or blank the stored history is refused by name."""
    if fetched.table is not None:
        n = store.write_table(fetched.table, fetched.rows)
        store.write_series_meta(fetched.key, provider, fetched.served_by)
        return RefreshRow(fetched.key, provider, fetched.served_by, n, None, "ok")
    spec = get_spec(fetched.key)
    new, last = _count_new(fetched.rows, previous_last)
    if fetched.rows.empty:  # nothing new; the stored rows stay as they are
        return RefreshRow(spec.key, provider, fetched.served_by, 0, last, "unchanged")
    replace_from = since
    if since is not None:
        # Replace only the dates the provider sent again: a provider that answers from a later
        # day than asked must not erase the days in between.
        replace_from = max(since, pd.to_datetime(fetched.rows["date"]).min().date())
    refused = refusal(store, spec, fetched.rows, replace_from, provider)
    if refused is not None:
        return RefreshRow(
            spec.key, provider, fetched.served_by, 0, previous_last, "failed", refused
        )
    store.write_series(spec, fetched.rows, served_by=fetched.served_by, replace_from=replace_from)
    return RefreshRow(
        spec.key, provider, fetched.served_by, new, last, "ok" if new else "unchanged"
    )
