"""Rates are decimals: a value that looks like a percent is refused with the decimal it meant.

``montecarlo --target-yield 4`` once ran and printed +6,263%. Every rate a command or a library
object takes passes :func:`check_decimal_rate`, which refuses a magnitude of 1 or more (100% a
year) the way ``bond --coupon`` does, naming the decimal the caller probably meant.

>>> check_decimal_rate(0.045, "target_yield")
0.045
>>> check_decimal_rate(4.0, "target_yield")
Traceback (most recent call last):
...
ValueError: target_yield 4 looks like a percent; rates are decimals: did you mean 0.04 (4%)?
"""

from __future__ import annotations

import math

__all__ = ["check_decimal_rate"]


def check_decimal_rate(value: float, name: str, *, allow_negative: bool = True) -> float:
    """``value`` when it is a finite decimal rate with magnitude below 1, else ValueError."""
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if abs(value) >= 1.0:
        meant = value / 100.0
        in_bp = f" or {value / 10_000:g} ({value:g}bp)" if name.endswith("spread") else ""
        raise ValueError(
            f"{name} {value:g} looks like a percent; rates are decimals: did you mean "
            f"{meant:g} ({value:g}%){in_bp}?"
        )
    if not allow_negative and value < 0.0:
        raise ValueError(f"{name} must be >= 0 (a decimal: 0.037 is 3.7%), got {value:g}")
    return value
