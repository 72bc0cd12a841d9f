"""The values a series can plausibly take, checked before anything is stored.

Every parser already refuses text that is not a number; this module refuses numbers that cannot
be the series: infinities, ``1e308`` in a yield, a zero or negative fund price, a recession flag
of 7. The bounds are wide on purpose (a yield between -100% and 100%, a price above zero and
below a million): they catch broken files and changed payloads, never a real extreme.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bondthesis.catalog import SeriesSpec
from bondthesis.errors import PayloadChanged

__all__ = ["bounds_of", "check_plausible"]

_UNBOUNDED = 1e15  # dollars of federal outlays are ~1e13: anything beyond is not data


def bounds_of(spec: SeriesSpec) -> tuple[float, float, bool]:
    """``(low, high, strictly_positive)`` for the series' units."""
    units = spec.units.lower()
    if units.startswith(("percent", "percentage points")):
        return -100.0, 100.0, False
    if units.startswith(("usd, adjusted close", "usd per troy ounce")):
        return 0.0, 1e6, True
    if units == "0/1":
        return 0.0, 1.0, False
    if units in {"shares", "persons", "thousands of persons", "days", "filers", "rows", "ratio"}:
        return 0.0, _UNBOUNDED, False
    if units.startswith("index"):
        return -1e9, 1e9, False
    return -_UNBOUNDED, _UNBOUNDED, False


def check_plausible(
    spec: SeriesSpec,
    rows: pd.DataFrame,
    *,
    source: str,
    where: str | None = None,
    lines: np.ndarray | None = None,
) -> None:
    """Raise :class:`PayloadChanged` at the first value ``spec`` cannot take.

    ``where`` names the file (snapshot) and ``lines`` gives each row's line in it, so the
    message points at the line to fix.
    """
    values = pd.to_numeric(rows["value"], errors="coerce").to_numpy(dtype="float64")
    low, high, positive = bounds_of(spec)
    present = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        bad = present & (
            ~np.isfinite(values) | (values < low) | (values > high) | (positive & (values <= 0))
        )
    if not bad.any():
        return
    first = int(np.flatnonzero(bad)[0])
    value = float(values[first])
    day = pd.Timestamp(rows["date"].iloc[first]).date().isoformat()
    rule = "> 0" if positive and value <= 0 else f"between {low:g} and {high:g}"
    place = f"{where}, line {int(lines[first])}: " if where and lines is not None else ""
    raise PayloadChanged(
        f"{place}{spec.key} = {value!r} on {day} is not plausible ({spec.units}: expected a "
        f"finite value {rule}); {int(bad.sum())} such value(s), nothing of it stored",
        source=source,
    )
