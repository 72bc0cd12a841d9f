"""Every series the thesis reads: where it comes from, how often, in what units, how late.

This is the catalog's public face: ``CATALOG`` (key -> :class:`SeriesSpec`, in the table's
order) and the lookups :func:`get_spec` and :func:`keys_for_provider`. Every other module
imports from here, so the catalog can be rearranged behind it. The catalog itself lives in two
modules, split so that each stays short and does one job:

* :mod:`bondthesis.catalog.types`: ``Frequency``, ``Provider`` and ``SeriesSpec`` (re-exported
  here), and the constructor of FRED entries;
* :mod:`bondthesis.catalog.series`: the table of entries, with the reasoning behind the
  publication lags (``publication_lag_days``), which point-in-time readings (``as_of=``) use
  where the store has no vintages.

Imports run one way, types <- series <- catalog, so there is no cycle.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from bondthesis.catalog.series import SPECS
from bondthesis.catalog.types import Frequency, Provider, SeriesSpec

__all__ = ["CATALOG", "Frequency", "Provider", "SeriesSpec", "get_spec", "keys_for_provider"]

CATALOG: dict[str, SeriesSpec] = {spec.key: spec for spec in SPECS}


def get_spec(key: str) -> SeriesSpec:
    """The spec of ``key``, or a ValueError with a did-you-mean."""
    try:
        return CATALOG[key]
    except KeyError:
        upper = key.upper()
        if upper in CATALOG:
            return CATALOG[upper]
        close = difflib.get_close_matches(upper, list(CATALOG), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ValueError(
            f"unknown series {key!r}{hint} (`bondthesis status` lists every series)"
        ) from None


def keys_for_provider(provider: Provider, keys: Iterable[str] | None = None) -> list[str]:
    chosen = CATALOG if keys is None else {k: CATALOG[k] for k in keys}
    return [k for k, spec in chosen.items() if spec.provider is provider]
