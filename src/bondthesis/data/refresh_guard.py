"""What the refresh refuses to store: implausible values, and answers that would lose history.

A provider that answers a full-history request with five rows, or an incremental one with
blanks, is not revising the series: it is failing in a well-formed way. Storing that answer would
replace 12,537 days of DGS30 with a week. :func:`refusal` compares the answer with what the
store holds over the range the write would replace and returns the reason to keep the store
(the refresh reports it as a failure, by name), or None when the answer may be written.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from bondthesis.catalog import SeriesSpec
from bondthesis.data.store import Store
from bondthesis.errors import PayloadChanged
from bondthesis.sources._plausible import check_plausible

__all__ = ["SHRINK_TOLERANCE", "refusal"]

# Values a replacing answer may have fewer than the store over the same range: a provider may
# drop a holiday's placeholder or fold a duplicate. More than this (and at least 3) is refused.
SHRINK_TOLERANCE = 0.01


def refusal(
    store: Store, spec: SeriesSpec, rows: pd.DataFrame, replace_from: date | None, source: str
) -> str | None:
    """Why ``rows`` must not replace the stored ``spec`` from ``replace_from`` on, or None."""
    try:
        check_plausible(spec, rows, source=source)
    except PayloadChanged as exc:
        return f"refused: {exc}; kept the store"
    if "vintage" in rows.columns:
        return None  # dated vintages are added, never replaced: nothing stored is lost
    span = store.stored_span(spec.key, replace_from)
    if span is None:
        return None
    stored_first, stored_last, stored_count = span
    real = rows.dropna(subset=["value"])
    held = f"store holds {stored_first}..{stored_last} ({stored_count:,} values)"
    if real.empty:
        return f"refused: {spec.key}: the answer has no values, {held}; kept the store"
    days = pd.to_datetime(real["date"])
    first, last, count = days.min().date(), days.max().date(), len(real)
    lost = []
    if replace_from is None and first > stored_first:
        lost.append(f"the dates before {first}")
    if last < stored_last:
        lost.append(f"the dates after {last}")
    if count < stored_count - max(3, int(stored_count * SHRINK_TOLERANCE)):
        lost.append(f"{stored_count - count:,} stored values")
    if not lost:
        return None
    return (
        f"refused: {spec.key}: answer covers {first}..{last} ({count:,} values), {held}; "
        f"storing it would drop {' and '.join(lost)}; kept the store"
    )
