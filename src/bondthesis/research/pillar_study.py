"""One pillar read from the store, optionally with the event study of its past triggers.

The ``pillar`` task of the front door. The event study's long-bond outcome is the synthetic
TLT-like ladder since 1962, net of TLT's fee (the same index the scorecard uses); the 20-year
par-bond approximation only when the store has no yields.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from datetime import date
from typing import Any

from bondthesis.data.datasets import load_pillar_data
from bondthesis.data.store import Store
from bondthesis.funds.terms import TLT_EXPENSE_RATIO
from bondthesis.pillars import OUTCOME_KEYS, PILLAR_KEYS, PILLARS, PillarData, PillarReading
from bondthesis.research.events import EventStudy, study_reading
from bondthesis.research.outcomes import Outcomes, build_outcomes
from bondthesis.research.thesis import EXTRA_KEYS, synthetic_ladder
from bondthesis.serialize import Serializable, to_jsonable

__all__ = ["PillarReport", "pillar", "pillar_outcomes", "resolve_pillar"]


def resolve_pillar(name: str) -> str:
    """The pillar's key for ``name`` (any case, ``-`` or ``_``), or a ValueError with a hint."""
    wanted = name.strip().lower().replace("-", "_")
    if wanted in PILLARS:
        return wanted
    close = difflib.get_close_matches(wanted, list(PILLARS), n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise ValueError(f"unknown pillar {name!r}; {hint}choose one of: {', '.join(PILLARS)}")


def pillar_outcomes(data: PillarData) -> Outcomes:
    """What the event study measures after each trigger, long bonds being the synthetic ladder."""
    ladder = synthetic_ladder(data)
    long_bonds = None if ladder is None else ladder.net_of_fee(TLT_EXPENSE_RATIO)
    return build_outcomes(
        data.panel,
        long_bonds,
        "synthetic TLT-like ladder since 1962 (bondthesis.bonds.ladder), net of TLT's 0.15% fee",
    )


@dataclass(frozen=True, eq=False)
class PillarReport(Serializable):
    """A pillar's reading (with ``reading.events`` set when the event study was asked for)."""

    reading: PillarReading

    def to_dict(self) -> dict[str, Any]:
        """The reading, history as parallel date/value lists, ``events`` when studied."""
        reading = self.reading
        document: dict[str, Any] = {
            "name": reading.name,
            "title": reading.title,
            "value": reading.value,
            "unit": reading.unit,
            "as_of": reading.as_of,
            "percentile": reading.percentile,
            "percentile_basis": reading.percentile_basis,
            "verdict": reading.verdict.value,
            "rule": reading.rule,
            "series": list(reading.series),
            "providers": list(reading.providers),
            "details": reading.details,
            "notes": list(reading.notes),
            "known_lag_days": reading.known_lag_days,
            "stale": reading.stale,
            "stale_verdict": None if reading.stale_verdict is None else reading.stale_verdict.value,
            "reference_date": reading.reference_date,
            "age_days": reading.age_days,
            "stale_after_days": reading.stale_after_days,
            "provisional": reading.provisional,
            "counts_as_support": reading.counts_as_support,
            "history": {
                "dates": [d.date() for d in reading.history.index],
                "values": reading.history.tolist(),
            },
        }
        if isinstance(reading.events, EventStudy):
            document["events"] = dataclasses.asdict(reading.events)
        result: dict[str, Any] = to_jsonable(document)
        return result


def pillar(
    store: Store, name: str, as_of: date | None = None, *, events: bool = False
) -> PillarReport:
    """One pillar of the thesis on the data as known on ``as_of`` (default: everything stored).

    ``events=True`` adds the event study of the pillar's past triggers (``reading.events``).

    Raises
    ------
    ValueError
        Unknown pillar (the message suggests the closest name).
    CacheMiss
        The store holds none of the pillars' series.
    """
    key = resolve_pillar(name)
    keys = (*PILLAR_KEYS, *OUTCOME_KEYS, *(EXTRA_KEYS if events else ()))
    data = load_pillar_data(store, as_of=as_of, keys=keys)
    reading = PILLARS[key](data, None)
    if events:
        reading = study_reading(reading, pillar_outcomes(data))
    return PillarReport(reading)
