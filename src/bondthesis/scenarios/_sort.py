"""An LSD radix sort of float64 values: the same sorted array as ``np.sort``, ~4x sooner.

The Monte Carlo summary sorts each outcome's 100,000+ terminal values and drawdowns; numpy's
comparison sort took ~4 ms per column here, this takes ~1 ms (six passes of 11 bits over keys
whose order is the numbers' order; a pass where every key has the same digit is skipped). Arrays
holding a NaN go to ``np.sort`` (its NaNs-last rule), so the result is always ``np.sort``'s.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from bondthesis._typing import FloatArray

__all__ = ["sort_values"]

_BITS = 11
_PASSES = 6  # 6 x 11 bits cover the 64-bit key
_BINS = 1 << _BITS
_SMALL = 2048  # below this numpy's sort is as fast


@numba.njit(nogil=True, cache=True, error_model="numpy")
def _radix_sort(values: Any) -> Any:  # pragma: no cover - compiled
    n = values.shape[0]
    sign = np.uint64(1) << np.uint64(63)
    all_ones = ~np.uint64(0)
    digit_mask = np.uint64(_BINS - 1)
    keys = values.view(np.uint64).copy()
    # order-preserving keys: flip every bit of a negative number, only the sign bit of the rest
    for i in range(n):
        key = keys[i]
        keys[i] = (key ^ all_ones) if (key & sign) else (key | sign)
    counts = np.zeros((_PASSES, _BINS), dtype=np.intp)
    for i in range(n):
        key = keys[i]
        for p in range(_PASSES):
            counts[p, np.intp((key >> np.uint64(_BITS * p)) & digit_mask)] += 1
    source = keys
    target = np.empty_like(keys)
    for p in range(_PASSES):
        count = counts[p]
        if count.max() == n:
            continue
        total = 0
        for b in range(_BINS):
            size = count[b]
            count[b] = total
            total += size
        shift = np.uint64(_BITS * p)
        for i in range(n):
            key = source[i]
            d = np.intp((key >> shift) & digit_mask)
            target[count[d]] = key
            count[d] += 1
        source, target = target, source
    result = np.empty(n)
    bits = result.view(np.uint64)
    for i in range(n):
        key = source[i]
        bits[i] = (key & ~sign) if (key & sign) else (key ^ all_ones)
    return result


def sort_values(values: FloatArray) -> FloatArray:
    """``np.sort(values)`` for a 1-D float64 array (a new array)."""
    array = np.ascontiguousarray(values, dtype=np.float64)
    if array.shape[0] < _SMALL or np.isnan(array).any():
        return np.sort(array)
    sorted_values: FloatArray = _radix_sort(array)
    return sorted_values
