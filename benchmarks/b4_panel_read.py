"""B4 (c): read a 40-series daily panel since 1962 from the store, against pandas reading CSVs.

Both sides produce the same date-aligned float frame (outer join on dates); the script checks that
they agree exactly before it prints the timings. Run: ``uv run python benchmarks/b4_panel_read.py``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from _timing import median_seconds  # type: ignore[import-not-found]
from bondthesis.catalog import CATALOG, get_spec
from bondthesis.data.store import Store

N_SERIES = 40


def build(folder: Path) -> tuple[Store, list[str], list[Path]]:
    rng = np.random.default_rng(0)
    days = pd.bdate_range("1962-01-02", "2026-07-31")
    # The catalog's own keys (the store writes only those), each filled with daily values.
    keys = list(CATALOG)[:N_SERIES]
    store = Store(folder / "bench.duckdb")
    paths = []
    with store.batch():
        for i, key in enumerate(keys):
            values = np.round(5 + np.cumsum(rng.normal(0, 0.05, len(days))), 2)
            values[rng.random(len(days)) < 0.03] = np.nan  # holidays as published: missing
            start = rng.integers(0, len(days) // 2) if i % 3 else 0
            rows = pd.DataFrame({"date": days[start:], "value": values[start:]})
            store.write_series(get_spec(key), rows, served_by="bench")
            path = folder / f"{key}.csv"
            rows.to_csv(path, index=False, header=["observation_date", key], na_rep=".")
            paths.append(path)
    return store, keys, paths


def pandas_panel(paths: list[Path]) -> pd.DataFrame:
    frames = [
        pd.read_csv(p, index_col=0, parse_dates=True, na_values=".").iloc[:, 0] for p in paths
    ]
    return pd.concat(frames, axis=1, join="outer", sort=True).astype("float64")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store, keys, paths = build(Path(tmp))
        ours = store.read_panel(keys)
        theirs = pandas_panel(paths)
        theirs.index = pd.DatetimeIndex(theirs.index.astype("datetime64[ns]"), name="date")
        pd.testing.assert_frame_equal(ours, theirs, check_freq=False, check_names=False)
        n_rows = int(ours.notna().sum().sum())
        t_ours = median_seconds(lambda: store.read_panel(keys))
        t_pandas = median_seconds(lambda: pandas_panel(paths))
        print(f"{len(keys)} daily series since 1962, {n_rows:,} values; frames identical")
        print("| task | pandas read_csv + concat | bondthesis Store.read_panel | ratio |")
        print("|---|---|---|---|")
        print(
            f"| {len(keys)}-series daily panel since 1962 | {t_pandas * 1e3:.0f} ms "
            f"| {t_ours * 1e3:.0f} ms | {t_pandas / t_ours:.1f}x |"
        )


if __name__ == "__main__":
    main()
