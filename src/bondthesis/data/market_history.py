"""Daily market history out of the store, as the Monte Carlo's block bootstrap reads it.

Yields are stored in percent as FRED publishes them; :func:`load_bootstrap_history` turns them
into decimals here, once. Not pure: reads the store.
"""

from __future__ import annotations

from typing import Any

from bondthesis.data.store import Store
from bondthesis.errors import CacheMiss, StoreError
from bondthesis.scenarios.bootstrap import BootstrapHistory, bootstrap_history

__all__ = ["load_bootstrap_history"]


def load_bootstrap_history(store: Store, first_year: int, last_year: int) -> BootstrapHistory:
    """DGS30, DGS3MO and SPY from the store, as aligned daily changes for the bootstrap.

    DGS30 is required; without DGS3MO the short rate does not move, without SPY stocks use the
    parametric model.

    Raises
    ------
    CacheMiss
        DGS30 is not in the store (the message says to run ``bondthesis refresh``).
    ValueError
        The years lie outside the data.
    """
    try:
        long_yield = store.read_series("DGS30") / 100.0
    except (CacheMiss, StoreError) as exc:
        raise CacheMiss(
            f"the bootstrap needs DGS30 in the store ({exc}); run `bondthesis refresh` first"
        ) from exc
    optional: dict[str, Any] = {}
    for key, name, scale in (("DGS3MO", "short_rate", 100.0), ("SPY", "stock_price", 1.0)):
        try:
            optional[name] = store.read_series(key) / scale
        except CacheMiss:
            optional[name] = None
    return bootstrap_history(
        long_yield,
        short_rate=optional["short_rate"],
        stock_price=optional["stock_price"],
        start=first_year,
        end=last_year,
    )
