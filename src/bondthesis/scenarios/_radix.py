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
    source = np.empty(n, dtype=np.uint64)
    target = np.empty(n, dtype=np.uint64)
    counts = np.zeros((_PASSES, _BINS), dtype=np.intp)
    bits_in = values.view(np.uint64)
    # order-preserving keys (flip every bit of a negative number, only the sign bit of the
    # rest) and every pass's digit counts, in one read of the input
    for i in range(n):
        key = bits_in[i]
        key = (key ^ all_ones) if (key & sign) else (key | sign)
        source[i] = key
        for p in range(_PASSES):
            counts[p, np.intp((key >> np.uint64(_BITS * p)) & digit_mask)] += 1
    for p in range(_PASSES):
        count = counts[p]
        if count.max() == n:
            continue  # every key has the same digit here: the order is already right
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
    # back from keys to the numbers' bits, in place: the sorted keys' buffer is the result
    for i in range(n):
        key = source[i]
        source[i] = (key & ~sign) if (key & sign) else (key ^ all_ones)
    return source.view(np.float64)
