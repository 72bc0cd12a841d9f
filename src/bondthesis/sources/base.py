"""What every provider module hands to the refresh: fetched rows, named, with who served them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import pandas as pd

from bondthesis.errors import SourceError

__all__ = ["FetchFailed", "Fetched", "Source"]


@dataclass(frozen=True)
class Fetched:
    """Rows of one catalog series (or one record table) as a provider published them.

    Parameters
    ----------
    key : str
        The catalog key (``"DGS30"``) or, for record tables, ``"AUCTIONS"``/``"HOLDINGS_13F"``.
    rows : DataFrame
        Series: columns ``date``, ``value`` (float, NaN for missing) and optionally ``vintage``.
        Tables: the store's table layout (:data:`bondthesis.data.records.AUCTION_COLUMNS`...).
    served_by : str
        Which endpoint answered (``"fred:fredgraph"``, ``"yahoo"``, ``"stooq"``...).
    table : str or None
        ``"auctions"`` or ``"holdings_13f"`` for record tables; None for series.
    """

    key: str
    rows: pd.DataFrame
    served_by: str
    table: str | None = None


@dataclass(frozen=True)
class FetchFailed:
    """A catalog key the provider could not deliver, with the error that says why."""

    key: str
    error: SourceError


class Source(Protocol):
    """A provider as the refresh sees it.

    ``name`` is the provider's catalog name (rate limits and logs are per provider). ``fetch``
    yields one :class:`Fetched` or :class:`FetchFailed` per requested key, in any order; it may
    batch several keys into one request. ``since`` maps each key to the first date wanted (None:
    the whole history), so refreshes are incremental.
    """

    name: str

    def fetch(
        self, keys: Sequence[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]: ...
