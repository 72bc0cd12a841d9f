"""Which source object serves which catalog series, built from settings and one HTTP client."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bondthesis.catalog import CATALOG, Provider, get_spec
from bondthesis.config import Settings
from bondthesis.sources._http import HttpClient
from bondthesis.sources.base import Source
from bondthesis.sources.finra import FinraSource
from bondthesis.sources.fiscaldata import FiscalDataSource
from bondthesis.sources.fred import FredSource
from bondthesis.sources.gold import PinkSheetSource, StooqGoldSource
from bondthesis.sources.prices import PriceSource
from bondthesis.sources.sec13f import Sec13fSource
from bondthesis.sources.shiller import ShillerSource
from bondthesis.sources.uncertainty import IacovielloSource

__all__ = ["SOURCE_OF_PROVIDER", "build_sources", "keys_by_source"]

SourceFactory = Callable[..., Source]

# Series that only snapshot folders carry: no provider publishes the long annual gold average.
SNAPSHOT_ONLY = frozenset({"GOLD_ANNUAL"})

# Catalog provider -> the source that serves it. Several providers share one source where one
# module reads them (gold: the World Bank Pink Sheet and Stooq's XAUUSD).
SOURCE_OF_PROVIDER: dict[Provider, str] = {
    Provider.FRED: "fred",
    Provider.FISCALDATA: "fiscaldata",
    Provider.FINRA: "finra",
    Provider.SEC: "sec",
    Provider.PRICES: "prices",
    Provider.STOOQ: "stooq",
    Provider.WORLDBANK: "worldbank",
    Provider.IACOVIELLO: "iacoviello",
    Provider.SHILLER: "shiller",
}

_FACTORIES: dict[str, SourceFactory] = {
    "fred": FredSource,
    "fiscaldata": FiscalDataSource,
    "finra": FinraSource,
    "sec": Sec13fSource,
    "prices": PriceSource,
    "stooq": StooqGoldSource,
    "worldbank": PinkSheetSource,
    "iacoviello": IacovielloSource,
    "shiller": ShillerSource,
}


def keys_by_source(keys: Sequence[str] | None = None) -> tuple[dict[str, list[str]], list[str]]:
    """Group catalog keys by the source that fetches them.

    Returns
    -------
    (grouped, unserved) : the keys per source name, and keys no online source serves.
    """
    chosen = list(CATALOG) if keys is None else [get_spec(k).key for k in keys]
    grouped: dict[str, list[str]] = {}
    unserved: list[str] = []
    for key in chosen:
        if key in SNAPSHOT_ONLY:
            unserved.append(key)
            continue
        source = SOURCE_OF_PROVIDER.get(CATALOG[key].provider)
        if source is None or source not in _FACTORIES:
            unserved.append(key)
        else:
            grouped.setdefault(source, []).append(key)
    return grouped, unserved


def build_sources(
    settings: Settings,
    http: HttpClient,
    names: Sequence[str],
    *,
    endpoints: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Source]:
    """One source object per name, with optional endpoint overrides (tests, benchmarks).

    ``endpoints`` maps a source name to keyword arguments of its constructor, e.g.
    ``{"fred": {"graph_url": "http://127.0.0.1:8000/fredgraph.csv"}}``.
    """
    overrides = endpoints or {}
    return {
        name: _FACTORIES[name](http, settings, **dict(overrides.get(name, {}))) for name in names
    }
