"""LLVM IR of one ziggurat normal from one xoshiro256++ stream: ``_random.next_normal``, inlined.

The day step (:mod:`bondthesis.scenarios._lane_step`) is bound by the latency of its
floating-point chain and leaves the integer units idle, while the generator is nothing but integer
work. Emitting the generator inside the step's loop lets the core run both at once. This is the
same computation as :func:`bondthesis.scenarios._random.next_normal`: the xoshiro256++ output and
state update, the 256-layer ziggurat's box test on the same bits, the same table look-ups and the
same product; a draw outside its box (~1.5%) calls ``_ziggurat_rest``, the numba function
``next_normal`` itself calls, with the same arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llvmlite import ir  # type: ignore[import-untyped]
from numba.core import types

from bondthesis.scenarios._random import _ziggurat_rest

__all__: list[str] = []

_I64 = ir.IntType(64)
_F64 = ir.DoubleType()
_MASK_52 = 0x000FFFFFFFFFFFFF


def _rest(r: Any, s0: Any, s1: Any, s2: Any, s3: Any) -> Any:  # pragma: no cover - compiled
    return _ziggurat_rest(r, s0, s1, s2, s3)


_TUPLE: Any = types.Tuple  # untyped in numba's stubs
_REST_SIGNATURE = _TUPLE((types.float64, *(types.uint64,) * 4))(*(types.uint64,) * 5)


class StreamEmitter:
    """Emits draws from one stream whose four state words live in SSA values."""

    def __init__(self, context: Any, builder: Any, ki: Any, wi_signed: Any) -> None:
        self.context = context
        self.b = builder
        self.ki = ki  # i64* to _KI
        self.wi_signed = wi_signed  # double* to _WI_SIGNED

    def _rotl(self, x: Any, k: int) -> Any:
        b = self.b
        return b.or_(b.shl(x, ir.Constant(_I64, k)), b.lshr(x, ir.Constant(_I64, 64 - k)))

    def next_u64(self, state: Sequence[Any]) -> tuple[Any, list[Any]]:
        """xoshiro256++: the output and the new state (``_random._next_u64``)."""
        b = self.b
        s0, s1, s2, s3 = state
        result = b.add(self._rotl(b.add(s0, s3), 23), s0)
        t = b.shl(s1, ir.Constant(_I64, 17))
        s2 = b.xor(s2, s0)
        s3 = b.xor(s3, s1)
        s1 = b.xor(s1, s2)
        s0 = b.xor(s0, s3)
        s2 = b.xor(s2, t)
        s3 = self._rotl(s3, 45)
        return result, [s0, s1, s2, s3]

    def next_normal(self, state: Sequence[Any]) -> tuple[Any, list[Any]]:
        """A standard normal and the new state; leaves the builder in a new block."""
        b = self.b
        r, after = self.next_u64(state)
        layer = b.and_(r, ir.Constant(_I64, 0xFF))
        rabs = b.and_(b.lshr(r, ir.Constant(_I64, 9)), ir.Constant(_I64, _MASK_52))
        inside = b.icmp_unsigned("<", rabs, b.load(b.gep(self.ki, [layer])))
        signed_width = b.load(b.gep(self.wi_signed, [b.and_(r, ir.Constant(_I64, 0x1FF))]))
        fast = b.fmul(b.sitofp(rabs, _F64), signed_width)
        box = b.block
        function = b.function
        rest_block = function.append_basic_block("draw.rest")
        joined = function.append_basic_block("draw.joined")
        branch = b.cbranch(inside, joined, rest_block)
        branch.set_weights([98, 2])

        b.position_at_end(rest_block)
        finished = self.context.compile_internal(b, _rest, _REST_SIGNATURE, [r, *after])
        rest_x = b.extract_value(finished, 0)
        rest_state = [b.extract_value(finished, i) for i in range(1, 5)]
        rest_end = b.block
        b.branch(joined)

        b.position_at_end(joined)
        x = b.phi(_F64)
        x.add_incoming(fast, box)
        x.add_incoming(rest_x, rest_end)
        state_out = []
        for fast_word, rest_word in zip(after, rest_state, strict=True):
            word = b.phi(_I64)
            word.add_incoming(fast_word, box)
            word.add_incoming(rest_word, rest_end)
            state_out.append(word)
        return x, state_out
