"""Strict, pure conversions shared by the provider parsers: text in, clean arrays or PayloadChanged.

Numbers must look like numbers (``-12.5``, ``1e9``); ``nan``, ``inf``, ``1_000`` and anything else
is a changed payload, not a value. Dates must be ISO ``YYYY-MM-DD`` (or ``YYYYMMDD`` where asked).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from bondthesis.errors import PayloadChanged

__all__ = ["NUMBER", "series_frame", "strict_dates", "strict_floats"]

NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COMPACT_DATE = re.compile(r"\d{8}")


def strict_floats(
    raw: Sequence[object],
    *,
    missing: Collection[str],
    source: str,
    what: str,
) -> np.ndarray:
    """Floats from strings (or JSON numbers), NaN where the value is a missing marker or None.

    >>> strict_floats(["4.86", ".", "", None, 7], missing={".", ""}, source="fred", what="DGS30")
    array([4.86,  nan,  nan,  nan, 7.  ])

    Raises
    ------
    PayloadChanged
        A value that is neither a plain decimal number nor a missing marker, or not finite.
    """
    if len(raw) > 64 and all(type(value) is str for value in raw):
        return _strict_floats_from_text(raw, missing=missing, source=source, what=what)
    out = np.full(len(raw), np.nan, dtype="float64")
    for index, value in enumerate(raw):
        if value is None:
            continue
        if isinstance(value, bool):
            raise PayloadChanged(f"{what}: {value!r} is not a number", source=source)
        if isinstance(value, int | float):
            number = float(value)
        elif isinstance(value, str):
            text = value.strip()
            if text in missing:
                continue
            if not NUMBER.fullmatch(text):
                raise PayloadChanged(
                    f"{what}: {text[:40]!r} is not a number nor a missing marker", source=source
                )
            number = float(text)
        else:
            raise PayloadChanged(f"{what}: {value!r} is not a number", source=source)
        if not np.isfinite(number):
            raise PayloadChanged(f"{what}: {value!r} is not a finite number", source=source)
        out[index] = number
    return out


def _strict_floats_from_text(
    raw: Sequence[object], *, missing: Collection[str], source: str, what: str
) -> np.ndarray:
    """:func:`strict_floats` for a column of strings, vectorized (whole daily histories).

    The same rule, checked another way: pandas parses the numbers, and anything that is not a
    missing marker but did not parse to a finite number, or that a plain decimal pattern does
    not match, is a changed payload.
    """
    text = pd.Series(list(raw), dtype="object").str.strip()
    present = ~text.isin(list(missing))
    candidates = text[present]
    numbers = pd.to_numeric(candidates, errors="coerce").astype("float64")
    bad = ~np.isfinite(numbers.to_numpy()) | ~candidates.str.fullmatch(
        NUMBER.pattern, flags=NUMBER.flags
    ).to_numpy(dtype=bool)
    if bad.any():
        first = str(candidates[bad].iloc[0])
        raise PayloadChanged(
            f"{what}: {first[:40]!r} is not a number nor a missing marker", source=source
        )
    out = np.full(len(raw), np.nan, dtype="float64")
    out[present.to_numpy()] = numbers.to_numpy()
    return out


def strict_dates(
    raw: Sequence[object], *, source: str, what: str, compact: bool = False
) -> pd.DatetimeIndex:
    """Dates from ``YYYY-MM-DD`` strings (``YYYYMMDD`` with ``compact=True``); no missing allowed.

    >>> strict_dates(["2026-01-02"], source="fred", what="DGS30")[0].day
    2
    """
    pattern, fmt = (_COMPACT_DATE, "%Y%m%d") if compact else (_ISO_DATE, "%Y-%m-%d")
    texts: list[str] = []
    for value in raw:
        text = value.strip() if isinstance(value, str) else ""
        if not pattern.fullmatch(text):
            raise PayloadChanged(
                f"{what}: {str(value)[:40]!r} is not a date like "
                f"{'20241231' if compact else '2024-12-31'}",
                source=source,
            )
        texts.append(text)
    parsed = pd.to_datetime(pd.Series(texts, dtype="object"), format=fmt, errors="coerce")
    if parsed.isna().any():
        bad = texts[int(np.flatnonzero(parsed.isna().to_numpy())[0])]
        raise PayloadChanged(f"{what}: {bad!r} is not a calendar date", source=source)
    return pd.DatetimeIndex(parsed)


def series_frame(
    dates: pd.DatetimeIndex, values: np.ndarray, vintages: pd.DatetimeIndex | None = None
) -> pd.DataFrame:
    """A tidy series frame: ``date`` ascending and unique per vintage, ``value`` float64.

    Duplicated dates (or date-vintage pairs) keep the last row published.
    """
    frame = pd.DataFrame({"date": dates, "value": np.asarray(values, dtype="float64")})
    keys = ["date"]
    if vintages is not None:
        frame["vintage"] = vintages
        keys = ["date", "vintage"]
    frame = frame.drop_duplicates(keys, keep="last").sort_values(keys, kind="stable")
    return frame.reset_index(drop=True)
