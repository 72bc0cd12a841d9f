"""The nine pillars of the thesis, each a pure function of :class:`PillarData`.

>>> list(PILLARS)[:3]
['gold', 'fiscal', 'issuance']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from types import MappingProxyType

from bondthesis.data.cache import cached_result
from bondthesis.pillars.base import PillarReading, Verdict
from bondthesis.pillars.data import OUTCOME_KEYS, PILLAR_KEYS, PillarData
from bondthesis.pillars.economy import read_economy
from bondthesis.pillars.fiscal import read_fiscal
from bondthesis.pillars.gold import read_gold
from bondthesis.pillars.issuance import read_issuance
from bondthesis.pillars.policy import read_policy
from bondthesis.pillars.positioning import read_positioning
from bondthesis.pillars.smart_money import read_smart_money
from bondthesis.pillars.trade import read_trade
from bondthesis.pillars.valuation import read_valuation

__all__ = [
    "OUTCOME_KEYS",
    "PILLARS",
    "PILLAR_KEYS",
    "PillarData",
    "PillarFunction",
    "PillarReading",
    "Verdict",
    "read_all",
]

PillarFunction = Callable[[PillarData, date | None], PillarReading]


def _cached(name: str, read: PillarFunction) -> PillarFunction:
    """``read``, answered from the result cache when the same data was read before.

    Keyed by the whole :class:`PillarData` (a few milliseconds to digest) and ``as_of``; the
    reading is the pickled object, equal to a fresh one (:mod:`bondthesis.data.cache`).
    """

    def cached_read(data: PillarData, as_of: date | None = None) -> PillarReading:
        return cached_result(f"pillar_{name}", (data, as_of), lambda: read(data, as_of))

    cached_read.__name__ = read.__name__
    cached_read.__doc__ = read.__doc__
    cached_read.__wrapped__ = read  # type: ignore[attr-defined]
    return cached_read


PILLARS: Mapping[str, PillarFunction] = MappingProxyType(
    {
        name: _cached(name, read)
        for name, read in (
            ("gold", read_gold),
            ("fiscal", read_fiscal),
            ("issuance", read_issuance),
            ("positioning", read_positioning),
            ("economy", read_economy),
            ("policy", read_policy),
            ("trade", read_trade),
            ("smart_money", read_smart_money),
            ("valuation", read_valuation),
        )
    }
)


def read_all(data: PillarData, as_of: date | None = None) -> list[PillarReading]:
    """Every pillar's reading, in :data:`PILLARS` order, on the data as it was on ``as_of``."""
    cut = data if as_of is None else data.as_of(as_of)
    return [read(cut, None if as_of is None else as_of) for read in PILLARS.values()]
