"""Read the data the analysis needs out of the store (not pure: this module touches the store).

:func:`load_pillar_data` is the one bridge from :class:`~bondthesis.data.store.Store` to
:class:`~bondthesis.pillars.PillarData`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb
import pandas as pd

from bondthesis.catalog import get_spec
from bondthesis.data.cache import cached_result
from bondthesis.data.panel import visible_as_of
from bondthesis.data.store import Store
from bondthesis.errors import CacheMiss
from bondthesis.pillars.data import (
    OUTCOME_KEYS,
    PILLAR_KEYS,
    PillarData,
    auction_known_dates,
    holdings_known_dates,
)

__all__ = ["load_pillar_data", "store_state"]


def load_pillar_data(
    store: Store,
    as_of: date | None = None,
    keys: Sequence[str] = (*PILLAR_KEYS, *OUTCOME_KEYS),
) -> PillarData:
    """The pillars' series and record tables as they were known on ``as_of``.

    Series are cut with the store's vintages where it has them, else the catalog's publication
    lags (:func:`bondthesis.data.panel.visible_as_of`); auctions from their auction date, 13F rows
    from their filing date (else 45 days after the quarter). Series the store lacks are left
    out (the pillars say "no data"). Read the result with ``as_of=None``: the cut is done.

    Cached (:mod:`bondthesis.data.cache`) by a digest of what the store holds for ``keys`` and
    the record tables (row count, dates and a hash of every row, computed inside DuckDB in a few
    milliseconds): a refresh that changes any of them reloads, one that changes nothing does not.

    Raises
    ------
    CacheMiss
        No store yet, or none of ``keys`` in it.
    """
    unique = list(dict.fromkeys(get_spec(k).key for k in keys))
    state = store_state(store, unique)
    return cached_result(
        "pillar_data", (state, as_of, unique), lambda: _load_pillar_data(store, as_of, unique)
    )


def store_state(store: Store, keys: list[str]) -> tuple[object, ...]:
    """What the store holds for ``keys`` and the record tables, as a cache key.

    Per series: rows, first and last date, last vintage and the sum of DuckDB's hash of every
    (date, vintage, value) row; per record table: rows and the sum of every row's hash. Any
    insert, update or delete changes it; the DuckDB version is part of it (its hash may change).
    """
    # one read-only aggregate query; the store module has no room for it (500-line rule)
    with store._connect(write=False) as con:
        series = con.execute(
            "SELECT series, count(*), min(date), max(date), max(vintage), "
            "sum(hash(date, vintage, value)::HUGEINT)::VARCHAR FROM observations "
            "WHERE series IN (SELECT unnest(?)) GROUP BY 1 ORDER BY 1",
            [keys],
        ).fetchall()
        tables = [
            con.execute(f"SELECT count(*), sum(hash({t})::HUGEINT)::VARCHAR FROM {t}").fetchall()
            for t in ("auctions", "holdings_13f")
        ]
    return (duckdb.__version__, [tuple(str(v) for v in row) for row in series], tables)


def _load_pillar_data(store: Store, as_of: date | None, unique: list[str]) -> PillarData:
    rows = store.read_rows(unique)
    series = {
        key: visible_as_of(rows[key], get_spec(key), as_of) for key in unique if not rows[key].empty
    }
    series = {key: values for key, values in series.items() if len(values)}
    if not series:
        raise CacheMiss(
            f"the store at {store.path} holds none of the pillars' series; run `bondthesis "
            "refresh` (or `bondthesis refresh --snapshot DIR` offline)"
        )
    auctions = store.read_table("auctions")
    holdings = store.read_table("holdings_13f")
    if as_of is not None:
        cutoff = pd.Timestamp(as_of)
        if len(auctions):
            auctions = auctions[(auction_known_dates(auctions) <= cutoff).to_numpy()]
        if len(holdings):
            holdings = holdings[(holdings_known_dates(holdings) <= cutoff).to_numpy()]
    data = PillarData.from_series(series, auctions, holdings)
    return PillarData(
        panel=data.panel,
        auctions=data.auctions,
        holdings_13f=holdings.reset_index(drop=True),
        as_of_date=as_of,
    )
