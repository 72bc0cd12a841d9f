"""Series out of the store as published (optionally point in time), with units and source.

The ``series`` task of the front door: each series read alone (its own dates and its own missing
values, not the gaps an outer join of several would add) plus the joined panel for tables and CSV.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from bondthesis.catalog import get_spec
from bondthesis.data.store import Store
from bondthesis.serialize import Serializable

__all__ = ["SeriesColumn", "SeriesView", "series"]


@dataclass(frozen=True)
class SeriesColumn(Serializable):
    """One series: its units, who served it, and its observations (``None`` where missing)."""

    units: str
    source: str
    observations: tuple[dict[str, Any], ...]


@dataclass(frozen=True, eq=False)
class SeriesView(Serializable):
    """The series asked for, by catalog key, and the panel that joins them on dates."""

    series: dict[str, SeriesColumn]
    panel: pd.DataFrame = field(metadata={"json": False})
    served_by: dict[str, str | None] = field(metadata={"json": False})


def series(
    store: Store,
    keys: Sequence[str],
    *,
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
) -> SeriesView:
    """The series ``keys`` (catalog keys, any case) between ``start`` and ``end``.

    ``as_of`` keeps only what was published by that date.

    Raises
    ------
    ValueError
        An unknown key (with a did-you-mean), or ``start`` after ``end``.
    CacheMiss
        The store holds none of them yet.
    """
    chosen = [get_spec(k).key for k in keys]
    if start and end and start > end:
        raise ValueError(f"start {start} is after end {end}; swap them")
    panel = store.read_panel(chosen, start=start, end=end, as_of=as_of)
    served = {s.series: s.served_by for s in store.status()}
    columns = {}
    for key in chosen:
        spec = get_spec(key)
        values = store.read_series(key, start=start, end=end, as_of=as_of)
        columns[key] = SeriesColumn(
            units=spec.units,
            source=f"{spec.provider.value} ({served.get(key) or 'unknown'})",
            observations=tuple(
                {"date": day.date(), "value": None if pd.isna(v) else float(v)}
                for day, v in zip(values.index, values.to_numpy(), strict=True)
            ),
        )
    return SeriesView(series=columns, panel=panel, served_by={k: served.get(k) for k in chosen})
