"""The one rule from results to JSON: decimals stay decimals, dates become ISO, missing is null."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bondthesis.serialize import Serializable, to_jsonable


class Verdict(Enum):
    SUPPORTS = "supports"


@dataclass(frozen=True)
class Inner(Serializable):
    on: date
    value: float


@dataclass(frozen=True)
class Outer(Serializable):
    name: str
    verdict: Verdict
    inner: Inner
    series: pd.Series
    scratch: np.ndarray = field(metadata={"json": False})


def test_a_nested_result_becomes_plain_json() -> None:
    series = pd.Series([0.01, np.nan], index=pd.to_datetime(["2026-01-30", "2026-01-31"]))
    result = Outer(
        "TLT", Verdict.SUPPORTS, Inner(date(2026, 1, 31), np.float64(0.05)), series, np.ones(3)
    )
    document = result.to_dict()
    assert document == {
        "name": "TLT",
        "verdict": "supports",
        "inner": {"on": "2026-01-31", "value": 0.05},
        "series": {"index": ["2026-01-30", "2026-01-31"], "values": [0.01, None]},
    }
    json.dumps(document, allow_nan=False)


def test_timestamps_with_a_time_keep_it_and_nat_is_null() -> None:
    assert to_jsonable(pd.Timestamp("2026-01-31 16:00")) == "2026-01-31T16:00:00"
    assert to_jsonable(datetime(2026, 1, 31)) == "2026-01-31"
    assert to_jsonable(pd.NaT) is None
    assert to_jsonable(np.datetime64("2026-01-31")) == "2026-01-31"


def test_frames_are_columnar() -> None:
    frame = pd.DataFrame({"a": [1, 2], "b": [np.inf, 0.5]}, index=["x", "y"])
    assert to_jsonable(frame) == {"index": ["x", "y"], "columns": {"a": [1, 2], "b": [None, 0.5]}}


def test_an_unknown_object_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match="object"):
        to_jsonable(object())


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(2**53), 2**53)))
def test_any_numbers_give_strict_json(values: list[float]) -> None:
    out = to_jsonable(np.array(values, dtype=float)) if values else []
    text = json.dumps(out, allow_nan=False)
    back = json.loads(text)
    for original, loaded in zip(values, back, strict=True):
        if math.isfinite(float(original)):
            assert loaded == float(original)
        else:
            assert loaded is None
