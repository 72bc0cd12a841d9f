"""A refresh in a process of its own, for the crash and concurrency tests.

``python _rel_crash_child.py MODE STORE VERSION WORKDIR``: MODE is ``online`` (two fake
providers, no network), ``online-a``/``online-b`` (one provider each) or ``snapshot`` (the
hand-written folder of :mod:`_rel_snapshot`). ``$BONDTHESIS_CRASH_AT`` kills it at a point.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from _rel_snapshot import good_files, write_folder

from bondthesis.data.refresh import refresh_from_snapshot, refresh_from_sources
from bondthesis.data.store import Store
from bondthesis.sources.base import Fetched, FetchFailed

FRED_KEYS = ["DGS1", "DGS2", "DGS5", "DGS7", "DGS10", "DGS20", "DGS30", "GS10"]
PRICE_KEYS = ["TLT", "SPY", "IEF"]


def frame(key: str, version: int) -> pd.DataFrame:
    days = pd.bdate_range("2020-01-01", periods=60)
    base = 100.0 if key in PRICE_KEYS else 3.0
    offset = (FRED_KEYS + PRICE_KEYS).index(key) / 10
    return pd.DataFrame(
        {"date": days, "value": [base + version + offset + n / 1000 for n in range(60)]}
    )


class FakeSource:
    def __init__(self, name: str, version: int, pause_s: float) -> None:
        self.name = name
        self.version = version
        self.pause_s = pause_s

    def fetch(
        self, keys: Sequence[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        for key in keys:
            if self.pause_s:
                time.sleep(self.pause_s)
            yield Fetched(key, frame(key, self.version), self.name)


def run(mode: str, store: Store, version: int, workdir: Path) -> None:
    if mode == "snapshot":
        folder = write_folder(workdir / f"snap{version}", dict(good_files(version)))
        refresh_from_snapshot(store, folder)
        return
    sources = {}
    if mode in {"online", "online-a"}:
        sources[FakeSource("fred", version, 0.05 if mode != "online" else 0.0)] = FRED_KEYS
    if mode in {"online", "online-b"}:
        sources[FakeSource("prices", version, 0.05 if mode != "online" else 0.0)] = PRICE_KEYS
    refresh_from_sources(store, sources, full=True)


if __name__ == "__main__":
    mode, path, version, workdir = sys.argv[1:5]
    run(mode, Store(Path(path), lock_timeout_s=60), int(version), Path(workdir))
