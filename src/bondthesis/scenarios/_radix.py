"""The radix sort kernel behind :func:`bondthesis.scenarios._sort.sort_values` (numba)."""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

__all__: list[str] = []

_BITS = 11
_PASSES = 6  # 6 x 11 bits cover the 64-bit key
_BINS = 1 << _BITS


@numba.njit(nogil=True, cache=True, error_model="numpy")
def radix_sort(values: Any) -> Any:  # pragma: no cover - compiled
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
