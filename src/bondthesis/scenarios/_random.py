"""Random numbers of the Monte Carlo: xoshiro256++, the 256-layer ziggurat, Marsaglia-Tsang gammas.

Each block of paths owns one xoshiro256++ stream seeded from its own ``numpy.random.SeedSequence``
child. Normals come from the 256-layer ziggurat of Marsaglia & Tsang (2000) in the layout numpy uses
(52-bit mantissa, 8 bits of layer index, 1 sign bit from one 64-bit draw); ~99% of draws cost one
generator call, a table look-up, one multiply and one compare. Gammas (for Student-t) use
Marsaglia & Tsang (2000) as well. Nothing here is public; the functions are inlined into the
kernels of :mod:`bondthesis.scenarios._kernels`.
"""

from __future__ import annotations

import math
from typing import Any

import numba
import numpy as np

__all__: list[str] = []

# ---------------------------------------------------------------------------------------------
# Ziggurat tables (256 layers, right tail at r = 3.654..., layer area v), built once at import.
_ZIGGURAT_R = 3.6541528853610088
_ZIGGURAT_AREA = 0.00492867323399
_MANTISSA = float(2**52)


def _ziggurat_tables() -> tuple[Any, Any, Any]:
    ki = np.zeros(256, dtype=np.uint64)
    wi = np.zeros(256, dtype=np.float64)
    fi = np.zeros(256, dtype=np.float64)
    dn = _ZIGGURAT_R
    tn = dn
    q = _ZIGGURAT_AREA / math.exp(-0.5 * dn * dn)
    ki[0] = np.uint64((dn / q) * _MANTISSA)
    ki[1] = 0
    wi[0] = q / _MANTISSA
    wi[255] = dn / _MANTISSA
    fi[0] = 1.0
    fi[255] = math.exp(-0.5 * dn * dn)
    for i in range(254, 0, -1):
        dn = math.sqrt(-2.0 * math.log(_ZIGGURAT_AREA / dn + math.exp(-0.5 * dn * dn)))
        ki[i + 1] = np.uint64((dn / tn) * _MANTISSA)
        tn = dn
        fi[i] = math.exp(-0.5 * dn * dn)
        wi[i] = dn / _MANTISSA
    return ki, wi, fi


_KI, _WI, _FI = _ziggurat_tables()
# The layer width with the draw's sign folded in, indexed by the low 9 bits (layer, then sign):
# x * (-w) is -(x * w) exactly in IEEE arithmetic, so one look-up replaces the sign's shift, mask,
# conversion and multiply on the fast path with the very same bits.
_WI_SIGNED = np.concatenate([_WI, -_WI])

_U64_MASK_52 = np.uint64(0x000FFFFFFFFFFFFF)
_U64_FF = np.uint64(0xFF)
_U64_1FF = np.uint64(0x1FF)
_U64_ONE = np.uint64(1)
_SHIFT_8 = np.uint64(8)
_SHIFT_9 = np.uint64(9)
_SHIFT_11 = np.uint64(11)
_SHIFT_17 = np.uint64(17)
_ROT_23 = np.uint64(23)
_ROT_45 = np.uint64(45)
_SHIFT_64 = np.uint64(64)
_TWO_POW_MINUS_53 = 1.0 / 9007199254740992.0


@numba.njit(inline="always", error_model="numpy")
def _rotl(x: Any, k: Any) -> Any:
    return (x << k) | (x >> (_SHIFT_64 - k))


@numba.njit(inline="always", error_model="numpy")
def _next_u64(s0: Any, s1: Any, s2: Any, s3: Any) -> Any:
    """xoshiro256++: (output, new state)."""
    result = _rotl(s0 + s3, _ROT_23) + s0
    t = s1 << _SHIFT_17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, _ROT_45)
    return result, s0, s1, s2, s3


@numba.njit(inline="always", error_model="numpy")
def next_uniform(s0: Any, s1: Any, s2: Any, s3: Any) -> Any:
    """A double in [0, 1) from the top 53 bits."""
    r, s0, s1, s2, s3 = _next_u64(s0, s1, s2, s3)
    return float(r >> _SHIFT_11) * _TWO_POW_MINUS_53, s0, s1, s2, s3


@numba.njit(error_model="numpy")
def _ziggurat_rest(r: Any, s0: Any, s1: Any, s2: Any, s3: Any) -> Any:
    """Finish a ziggurat draw whose first 64 bits ``r`` fell outside its layer's box (~1.2%)."""
    while True:
        idx = np.intp(r & _U64_FF)
        sign = 1.0 - 2.0 * float(np.int64((r >> _SHIFT_8) & _U64_ONE))
        rabs = (r >> _SHIFT_9) & _U64_MASK_52
        x = sign * float(np.int64(rabs)) * _WI[idx]
        if rabs < _KI[idx]:
            return x, s0, s1, s2, s3
        if idx == 0:
            # the tail beyond r: Marsaglia's exponential rejection
            while True:
                u1, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
                u2, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
                xx = -math.log1p(-u1) / _ZIGGURAT_R
                yy = -math.log1p(-u2)
                if yy + yy > xx * xx:
                    return sign * (_ZIGGURAT_R + xx), s0, s1, s2, s3
        u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
        if (_FI[idx - 1] - _FI[idx]) * u + _FI[idx] < math.exp(-0.5 * x * x):
            return x, s0, s1, s2, s3
        r, s0, s1, s2, s3 = _next_u64(s0, s1, s2, s3)


@numba.njit(inline="always", error_model="numpy")
def next_normal(s0: Any, s1: Any, s2: Any, s3: Any) -> Any:
    """A standard normal by the ziggurat method, and the new state.

    The tables are module globals (numba bakes them in as constants) and the fast path is
    inlined: passing three arrays and returning a tuple through a call cost more than the draw.
    """
    r, s0, s1, s2, s3 = _next_u64(s0, s1, s2, s3)
    idx = np.intp(r & _U64_FF)
    rabs = (r >> _SHIFT_9) & _U64_MASK_52
    if rabs < _KI[idx]:
        # branch-free sign from the signed table (a 50/50 branch is mispredicted half the time)
        return float(np.int64(rabs)) * _WI_SIGNED[np.intp(r & _U64_1FF)], s0, s1, s2, s3
    return _ziggurat_rest(r, s0, s1, s2, s3)


@numba.njit(error_model="numpy")
def next_gamma(shape: float, s0: Any, s1: Any, s2: Any, s3: Any) -> Any:
    """Gamma(shape, 1) for shape >= 1 (Marsaglia & Tsang 2000), and the new state."""
    d = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        z, s0, s1, s2, s3 = next_normal(s0, s1, s2, s3)
        v = 1.0 + c * z
        if v <= 0.0:
            continue
        v = v * v * v
        u, s0, s1, s2, s3 = next_uniform(s0, s1, s2, s3)
        if u < 1.0 - 0.0331 * z * z * z * z:
            return d * v, s0, s1, s2, s3
        if math.log(u) < 0.5 * z * z + d * (1.0 - v + math.log(v)):
            return d * v, s0, s1, s2, s3
