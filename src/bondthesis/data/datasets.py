"""Read the data the analysis needs out of the store (not pure: this module touches the store).

:func:`load_pillar_data` is the one bridge from :class:`~bondthesis.data.store.Store` to
:class:`~bondthesis.pillars.PillarData`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from bondthesis.catalog import get_spec
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

__all__ = ["load_pillar_data"]


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

    Raises
    ------
    CacheMiss
        No store yet, or none of ``keys`` in it.
    """
    unique = list(dict.fromkeys(get_spec(k).key for k in keys))
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
