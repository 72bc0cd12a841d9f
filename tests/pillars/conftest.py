"""PillarData built once per session from ../shared/data (via the ``shared_data`` fixture)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from bondthesis.pillars import OUTCOME_KEYS, PILLAR_KEYS, PillarData
from bondthesis.sources.snapshot import read_snapshot


@lru_cache(maxsize=1)
def _load(folder: str) -> PillarData:
    content = read_snapshot(Path(folder), only={*PILLAR_KEYS, *OUTCOME_KEYS, "AUCTIONS"})
    series = {key: rows for key, (rows, _) in content.series.items()}
    holdings = content.holdings_13f
    if holdings is not None:
        holdings = holdings.drop(columns=["price_ok"])  # the store's layout has no such column
    return PillarData.from_series(series, content.auctions, holdings)


@pytest.fixture
def real_data(shared_data: Path) -> PillarData:
    """Every series the pillars and outcomes read, from the real snapshot."""
    return _load(str(shared_data))
