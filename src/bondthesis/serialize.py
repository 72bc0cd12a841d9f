"""Results that serialize themselves: one rule from Python values to JSON-ready ones.

Every result the library returns (a frozen dataclass) has ``to_dict()``; the CLI's ``--json``,
the web API and the report all print exactly that document, so they cannot disagree. The rule,
applied recursively by :func:`to_jsonable`:

* numbers stay numbers in their natural unit: rates, returns and weights are **decimals**
  (0.0509, never 5.09); ``NaN`` and infinities become ``None`` (JSON ``null``: missing);
* numpy scalars become Python ``int``/``float``/``bool``; numpy arrays become lists;
* dates, datetimes and pandas Timestamps become ISO 8601 strings (``"2026-01-31"``; a
  Timestamp at midnight prints as a date); ``NaT`` becomes ``None``;
* an ``Enum`` becomes its value, a ``Path`` its string;
* a dataclass becomes a dict of its fields, in order, leaving out fields declared with
  ``field(metadata={"json": False})`` (working data that has a serialized view elsewhere);
* an object with its own ``to_dict()`` is asked for it;
* a pandas Series becomes ``{"index": [...], "values": [...]}`` and a DataFrame
  ``{"index": [...], "columns": {name: [...]}}`` (columnar, the shape charts read);
* mappings become dicts with string keys; tuples, lists and sets become lists.

>>> from dataclasses import dataclass
>>> from datetime import date
>>> @dataclass(frozen=True)
... class Reading(Serializable):
...     on: date
...     value: float
>>> Reading(date(2026, 1, 31), float("nan")).to_dict()
{'on': '2026-01-31', 'value': None}
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from pathlib import PurePath
from typing import Any

__all__ = ["Serializable", "to_jsonable"]


def _float(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _timestamp(value: Any) -> str | None:
    # pandas.Timestamp is a datetime subclass; NaT is not, but has isoformat() and is "NaT".
    if str(value) == "NaT":
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None and value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat()
    return str(value.isoformat())


def to_jsonable(value: Any) -> Any:
    """``value`` as JSON-ready Python (dict, list, str, int, float, bool, None); see the module."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int) and not isinstance(value, Enum):
        return value
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, Enum):
        return to_jsonable(value.value)
    if isinstance(value, datetime | date):
        return _timestamp(value)
    if isinstance(value, PurePath):
        return str(value)
    to_dict = getattr(value, "to_dict", None)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_dict() if callable(to_dict) else to_jsonable_fields(value)
    if isinstance(value, Mapping):
        return {str(to_jsonable(k)): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    return _third_party(value, to_dict)


def _third_party(value: Any, to_dict: Any) -> Any:
    """numpy and pandas values, imported lazily so that this module stays cheap to import."""
    module = type(value).__module__
    if module.startswith("numpy"):
        import numpy as np

        if isinstance(value, np.ndarray):
            return [to_jsonable(v) for v in value.tolist()]
        if isinstance(value, np.bool_):
            return bool(value)
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return _float(float(value))
        if isinstance(value, np.datetime64):
            import pandas as pd

            return _timestamp(pd.Timestamp(value))
    if module.startswith("pandas"):
        import pandas as pd

        if isinstance(value, pd.Series):
            return {
                "index": [to_jsonable(v) for v in value.index],
                "values": [to_jsonable(v) for v in value.tolist()],
            }
        if isinstance(value, pd.DataFrame):
            return {
                "index": [to_jsonable(v) for v in value.index],
                "columns": {str(c): to_jsonable(value[c].tolist()) for c in value.columns},
            }
        if value is pd.NaT or value is pd.NA:
            return None
        if isinstance(value, pd.Timestamp):
            return _timestamp(value)
    if callable(to_dict):
        return to_jsonable(to_dict())
    raise TypeError(f"cannot serialize {type(value).__name__} to JSON")


class Serializable:
    """Mixin for result dataclasses: ``to_dict()`` is :func:`to_jsonable` of the result.

    A result that needs another shape overrides ``to_dict`` (and :func:`to_jsonable` then calls
    the override when the result is nested inside another).
    """

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON-ready dict (decimals, ISO dates, ``None`` for missing)."""
        return to_jsonable_fields(self)


def to_jsonable_fields(result: Any) -> dict[str, Any]:
    """The fields of a dataclass ``result`` as a JSON-ready dict (the default ``to_dict``)."""
    if not dataclasses.is_dataclass(result) or isinstance(result, type):
        raise TypeError(f"{type(result).__name__} is not a dataclass instance")
    return {
        f.name: to_jsonable(getattr(result, f.name))
        for f in dataclasses.fields(result)
        if f.metadata.get("json", True)
    }
