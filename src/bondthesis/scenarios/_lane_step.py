"""The drawn kernel's day step in LLVM IR: paths in vector registers, the next shocks drawn beside.

Each path carries 9 numbers (12 with stocks) from one day to the next: the yield, TLT, TMF, their
peaks and drawdowns. The plain numba loop stepped 256 paths a day through memory (two loads and a
store per number per day) and then drew the next day's shocks, one generator after the other.
This step, measured on AVX2 code (Zen 4 host, one thread, B3's model):

- keeps ``LANE_WIDTH`` (4) paths in vector registers for a chunk of days (numba cannot hold a vector
  in a variable, hence the IR), reading only each day's shocks;
- runs day ``d``'s first half beside day ``d - 1``'s second half (a software pipeline; see
  ``_step_codegen``): the step alone went from 1.80 to 1.61 ns per path-day;
- draws the next chunk's shocks inside the same loop (:mod:`bondthesis.scenarios._lane_draws`):
  the step's floating-point chain and the generator's integer work then share the core, and the
  kernel went from 3.63 to ~2.9 ns per path-day (the generator alone costs 1.67 ns a normal).

Every operation that produces a number is the plain kernel's, with the same operands in the same
order and no fast-math flags (no contraction into FMAs), so each path's bits are the same
(``tests/scenarios/test_montecarlo_kernels_agree.py`` against ``_kernels.simulate_block`` with
Hypothesis, ``tests/scenarios/test_montecarlo_pinned_bits.py``). ``max(x, 0.0)`` is numba's
``max`` (a select on ``0.0 > x``); the peaks and drawdowns are ``maxnum``/``minnum`` like
``_kernels._larger``.

numba's disk cache keys ``_drawn.simulate_drawn_block`` by ``_drawn.py`` alone: after editing
this module (or ``_lane_draws``, ``_random``), delete ``scenarios/__pycache__/*.nb[ic]`` or the
old code keeps running. An installed release rewrites every file, so users never meet this.
"""

from __future__ import annotations

from typing import Any

from llvmlite import ir  # type: ignore[import-untyped]
from numba.core import cgutils, types
from numba.extending import intrinsic

from bondthesis.scenarios._lane_draws import StreamEmitter
from bondthesis.scenarios._layout import DAY_FRACTION, LANES

__all__: list[str] = []


LANE_WIDTH = 4
"""Paths per vector: one ymm register of doubles, on AVX2 and on AVX-512 machines alike.

The width changes no number (each path's operations are the same). Measured on the Zen 4 host:
8 lanes made the step alone faster with AVX-512 code (1.65 -> 1.25 ns per path-day) but, once
the generator shares the loop, 4 lanes ran as fast without stocks (35 ms for B3's paths either
way) and faster with them (68 against 85 ms); with AVX2 code 8 lanes (two ymm registers) were
slower (2.97-3.02 against 2.88-2.90 ns)."""

# Positions in the constants vector handed to the step (built once per block in ``_drawn``).
C_REVERSION = 0
C_TARGET = 1
C_DAILY_VOL = 2
C_DURATION = 3
C_SLOPE = 4
C_REFERENCE = 5
C_HALF_CONVEXITY = 6
C_CARRY_FOLLOWS = 7
C_CARRY_FIXED = 8
C_TLT_FEE = 9
C_LEVERAGE = 10
C_TMF_FEE = 11
C_W_TLT = 12
C_W_TMF = 13
C_W_STOCKS = 14
C_STOCK_PART = 15
N_VECTOR_CONSTANTS = 16
# scalars of the fused generator: the stock return is mean + vol * (rho * z + rho_orth * e)
C_STOCK_MEAN = 16
C_STOCK_VOL = 17
C_RHO = 18
C_RHO_ORTH = 19
N_CONSTANTS = 20

# Fields of the per-path state, each ``LANES`` doubles long, in the order the step reads them.
S_Y = 0
S_TLT = 1
S_TMF = 2
S_PEAK_TLT = 3
S_PEAK_TMF = 4
S_PEAK_POSITION = 5
S_DD_TLT = 6
S_DD_TMF = 7
S_DD_POSITION = 8
S_STOCKS = 9
S_PEAK_STOCKS = 10
S_DD_STOCKS = 11
N_STATE = 12

_I32 = ir.IntType(32)
_I64 = ir.IntType(64)
_F64 = ir.DoubleType()
_VEC = ir.VectorType(_F64, LANE_WIDTH)


_declare: Any = cgutils.get_or_insert_function  # untyped in numba's stubs


def _splat_constant(value: float) -> Any:
    return ir.Constant(_VEC, [value] * LANE_WIDTH)


class _Emitter:
    """The IR of one day of one vector of paths, operation by operation as in the numba kernel."""

    def __init__(self, builder: Any) -> None:
        self.b = builder
        module = builder.module
        signature = ir.FunctionType(_VEC, [_VEC, _VEC])
        suffix = f"v{LANE_WIDTH}f64"
        self._maxnum = _declare(module, signature, f"llvm.maxnum.{suffix}")
        self._minnum = _declare(module, signature, f"llvm.minnum.{suffix}")
        self.zero = _splat_constant(0.0)
        self.one = _splat_constant(1.0)

    def splat(self, scalar: Any) -> Any:
        vector = self.b.insert_element(
            ir.Constant(_VEC, ir.Undefined), scalar, ir.Constant(_I32, 0)
        )
        return self.b.shuffle_vector(
            vector,
            ir.Constant(_VEC, ir.Undefined),
            ir.Constant(ir.VectorType(_I32, LANE_WIDTH), [0] * LANE_WIDTH),
        )

    def max_zero(self, x: Any) -> Any:
        """numba's ``max(x, 0.0)``: ``0.0 if 0.0 > x else x``."""
        return self.b.select(self.b.fcmp_ordered(">", self.zero, x), self.zero, x)

    def larger(self, old: Any, new: Any) -> Any:
        return self.b.call(self._maxnum, [old, new], fastmath=("nnan",))

    def smaller(self, old: Any, new: Any) -> Any:
        return self.b.call(self._minnum, [old, new], fastmath=("nnan",))

    def drawdown(self, old: Any, value: Any, peak: Any) -> Any:
        return self.smaller(old, self.b.fsub(self.b.fdiv(value, peak), self.one))


# The values a day's first half hands to its second half (besides the funds' new values, which
# are the state itself until the next day overwrites them).
_FRONT_POSITION = "position"


def _step_codegen(with_stocks: bool, fixed_terms: bool) -> Any:
    """The step's IR; ``fixed_terms`` when duration and carry do not follow the yield.

    With ``slope == 0`` and ``carry_follows == 0`` the general expressions reduce exactly (no
    rounding, no sign of zero: ``duration0 + 0 * x == duration0`` for ``duration0 > 0`` and
    ``0 * y + 1.0 * reference == reference`` for a reference that is not ``-0.0``; the kernel
    checks both) to ``duration = duration0`` and ``carry = reference``, so they are not computed
    every day: nine vector operations fewer of about sixty.

    A day is two halves: the front (the yield move, the index return, the funds' and the
    position's new values) and the back (peaks and drawdowns: a division and its 13 cycles). The
    loop runs day ``d``'s front beside day ``d - 1``'s back (a software pipeline), so the core
    has two days' independent work in flight instead of one day's ~45-cycle chain; the
    operations and their operands are unchanged. Each turn of the loop also draws
    ``LANE_WIDTH`` of the next chunk's shocks (``generate``), so one chunk's step draws the
    next chunk whole (``LANES * n_days`` draws in ``LANES / LANE_WIDTH * n_days`` turns).
    """
    n_state = N_STATE if with_stocks else S_STOCKS

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        (state_arg, shocks_arg, stock_arg, shared_arg, consts_arg, days_arg) = args[:6]
        (streams_arg, next_shocks_arg, next_stock_arg, need, ki_arg, wi_arg) = args[6:]

        def data(index: int, value: Any) -> Any:
            return context.make_array(sig.args[index])(context, builder, value).data

        state_ptr = data(0, state_arg)
        shock_ptr = data(1, shocks_arg)
        stock_ptr = data(2, stock_arg)
        shared_ptr = data(3, shared_arg)
        consts_ptr = data(4, consts_arg)
        streams_ptr = data(6, streams_arg)
        next_shock_ptr = data(7, next_shocks_arg)
        next_stock_ptr = data(8, next_stock_arg)
        n_days = days_arg
        e = _Emitter(builder)
        b = builder
        draws = StreamEmitter(context, builder, data(10, ki_arg), data(11, wi_arg))
        n_words = 8 if with_stocks else 4  # the yield stream's state, then the stock stream's

        def vector_at(base: Any, offset: Any) -> Any:
            return b.bitcast(b.gep(base, [offset]), _VEC.as_pointer())

        def constant(i: int) -> Any:
            return b.load(b.gep(consts_ptr, [ir.Constant(_I64, i)]))

        c = [e.splat(constant(i)) for i in range(N_VECTOR_CONSTANTS)]
        stock_mean, stock_vol, rho, rho_orth = (
            constant(i) for i in (C_STOCK_MEAN, C_STOCK_VOL, C_RHO, C_RHO_ORTH)
        )
        day_fraction = _splat_constant(DAY_FRACTION)
        lanes = ir.Constant(_I64, LANES)

        def front(day: Any, first: Any, s: dict[int, Any]) -> dict[Any, Any]:
            """Day ``day``: the new yield, fund values and position (no peaks yet)."""
            at = b.add(b.mul(day, lanes), first)
            z = b.load(vector_at(shock_ptr, at), align=8)
            financing = e.splat(b.load(b.gep(shared_ptr, [day])))
            cash_part = e.splat(b.load(b.gep(shared_ptr, [b.add(day, n_days)])))
            level = s[S_Y]
            # dy = reversion * (target - level) + daily_vol * z
            dy = b.fadd(
                b.fmul(c[C_REVERSION], b.fsub(c[C_TARGET], level)), b.fmul(c[C_DAILY_VOL], z)
            )
            if fixed_terms:
                duration = c[C_DURATION]
                carry = c[C_REFERENCE]
            else:
                # duration = max(duration0 + slope * (level - reference), 0.0)
                duration = e.max_zero(
                    b.fadd(c[C_DURATION], b.fmul(c[C_SLOPE], b.fsub(level, c[C_REFERENCE])))
                )
                # carry = carry_follows * level + carry_fixed * reference
                carry = b.fadd(
                    b.fmul(c[C_CARRY_FOLLOWS], level), b.fmul(c[C_CARRY_FIXED], c[C_REFERENCE])
                )
            # r = -duration * dy + half_convexity * dy * dy + carry * DAY_FRACTION
            r = b.fadd(
                b.fadd(b.fmul(b.fneg(duration), dy), b.fmul(b.fmul(c[C_HALF_CONVEXITY], dy), dy)),
                b.fmul(carry, day_fraction),
            )
            # tlt = tlt * (1.0 + r - tlt_fee)
            tlt = b.fmul(s[S_TLT], b.fsub(b.fadd(e.one, r), c[C_TLT_FEE]))
            # tmf = tmf * max(1.0 + leverage * r - financing - tmf_fee, 0.0)
            tmf_factor = b.fsub(
                b.fsub(b.fadd(e.one, b.fmul(c[C_LEVERAGE], r)), financing), c[C_TMF_FEE]
            )
            tmf = b.fmul(s[S_TMF], e.max_zero(tmf_factor))
            bonds = b.fadd(b.fmul(c[C_W_TLT], tlt), b.fmul(c[C_W_TMF], tmf))
            out: dict[Any, Any] = {S_Y: b.fadd(level, dy), S_TLT: tlt, S_TMF: tmf}
            if with_stocks:
                # stock = stocks * max(1.0 + stock_return, 0.0); position = bonds + w * stock + cash
                stock_return = b.load(vector_at(stock_ptr, at), align=8)
                stock = b.fmul(s[S_STOCKS], e.max_zero(b.fadd(e.one, stock_return)))
                out[S_STOCKS] = stock
                position = b.fadd(b.fadd(bonds, b.fmul(c[C_W_STOCKS], stock)), cash_part)
            else:
                # stocks not held: position = w_tlt * tlt + w_tmf * tmf + stock_part + cash_part
                position = b.fadd(b.fadd(bonds, c[C_STOCK_PART]), cash_part)
            out[_FRONT_POSITION] = position
            return out

        def back(s: dict[int, Any], done: dict[Any, Any]) -> dict[int, Any]:
            """Peaks and drawdowns of a day whose front half gave ``done``."""
            pairs = [(S_TLT, S_PEAK_TLT, S_DD_TLT), (S_TMF, S_PEAK_TMF, S_DD_TMF)]
            if with_stocks:
                pairs.append((S_STOCKS, S_PEAK_STOCKS, S_DD_STOCKS))
            out: dict[int, Any] = {}
            for value_field, peak_field, dd_field in pairs:
                value = done[value_field]
                peak = e.larger(s[peak_field], value)
                out[peak_field] = peak
                out[dd_field] = e.drawdown(s[dd_field], value, peak)
            position = done[_FRONT_POSITION]
            peak_position = e.larger(s[S_PEAK_POSITION], position)
            out[S_PEAK_POSITION] = peak_position
            out[S_DD_POSITION] = e.drawdown(s[S_DD_POSITION], position, peak_position)
            return out

        def generate(words: list[Any], drawn: Any) -> tuple[list[Any], Any]:
            """Draw ``LANE_WIDTH`` of the next chunk's shocks (and stock returns) if it needs
            more: ``drawn`` of ``need`` are done. Returns the new words and count.

            A loop, not ``LANE_WIDTH`` inlined copies: the same speed, half the compile time.
            """
            before = b.block
            loop = b.function.append_basic_block("draws.loop")
            after = b.function.append_basic_block("draws.after")
            stop = b.add(drawn, ir.Constant(_I64, LANE_WIDTH))
            b.cbranch(b.icmp_signed("<", drawn, need), loop, after)
            b.position_at_end(loop)
            at = b.phi(_I64)
            at.add_incoming(drawn, before)
            looped = [b.phi(_I64) for _ in words]
            for phi, word in zip(looped, words, strict=True):
                phi.add_incoming(word, before)
            z, yields = draws.next_normal(looped[:4])
            b.store(z, b.gep(next_shock_ptr, [at]))
            stocks: list[Any] = []
            if with_stocks:
                shock, stocks = draws.next_normal(looped[4:])
                # stock_mean + stock_vol * (rho * z + rho_orth * e), as the numba loop
                mixed = b.fadd(b.fmul(rho, z), b.fmul(rho_orth, shock))
                b.store(b.fadd(stock_mean, b.fmul(stock_vol, mixed)), b.gep(next_stock_ptr, [at]))
            new_words = yields + stocks
            following = b.add(at, ir.Constant(_I64, 1))
            loop_end = b.block
            at.add_incoming(following, loop_end)
            for phi, word in zip(looped, new_words, strict=True):
                phi.add_incoming(word, loop_end)
            b.cbranch(b.icmp_signed("<", following, stop), loop, after)
            b.position_at_end(after)
            merged = []
            for old, new in zip(words, new_words, strict=True):
                word = b.phi(_I64)
                word.add_incoming(old, before)
                word.add_incoming(new, loop_end)
                merged.append(word)
            count = b.phi(_I64)
            count.add_incoming(drawn, before)
            count.add_incoming(stop, loop_end)
            return merged, count

        front_fields = [S_Y, S_TLT, S_TMF] + ([S_STOCKS] if with_stocks else [])
        back_fields = [f for f in range(n_state) if f not in front_fields]

        function = b.function
        entry = b.block
        outer_head = function.append_basic_block("lanes.head")
        outer_body = function.append_basic_block("lanes.body")
        day_head = function.append_basic_block("days.head")
        day_body = function.append_basic_block("days.body")
        day_exit = function.append_basic_block("days.exit")
        done_block = function.append_basic_block("lanes.done")

        start_words = [b.load(b.gep(streams_ptr, [ir.Constant(_I64, w)])) for w in range(n_words)]
        b.branch(outer_head)
        b.position_at_end(outer_head)
        first = b.phi(_I64)
        first.add_incoming(ir.Constant(_I64, 0), entry)
        lane_words = [b.phi(_I64) for _ in range(n_words)]
        for phi, word in zip(lane_words, start_words, strict=True):
            phi.add_incoming(word, entry)
        lane_drawn = b.phi(_I64)
        lane_drawn.add_incoming(ir.Constant(_I64, 0), entry)
        b.cbranch(b.icmp_signed("<", first, lanes), outer_body, done_block)

        # prologue: load the paths' state and run day 0's front half
        b.position_at_end(outer_body)
        loaded = {
            f: b.load(vector_at(state_ptr, b.add(ir.Constant(_I64, f * LANES), first)), align=8)
            for f in range(n_state)
        }
        day0 = front(ir.Constant(_I64, 0), first, loaded)
        prologue_end = b.block
        b.branch(day_head)

        # loop: day d's front half beside day d - 1's back half; the phis hold the front
        # fields of day d - 1 (its new values) and the back fields as of day d - 2
        b.position_at_end(day_head)
        day = b.phi(_I64)
        day.add_incoming(ir.Constant(_I64, 1), prologue_end)
        phis: dict[Any, Any] = {f: b.phi(_VEC) for f in [*front_fields, _FRONT_POSITION]}
        phis.update({f: b.phi(_VEC) for f in back_fields})
        for f in [*front_fields, _FRONT_POSITION]:
            phis[f].add_incoming(day0[f], prologue_end)
        for f in back_fields:
            phis[f].add_incoming(loaded[f], prologue_end)
        day_words = [b.phi(_I64) for _ in range(n_words)]
        for phi, word in zip(day_words, lane_words, strict=True):
            phi.add_incoming(word, prologue_end)
        day_drawn = b.phi(_I64)
        day_drawn.add_incoming(lane_drawn, prologue_end)
        b.cbranch(b.icmp_signed("<", day, n_days), day_body, day_exit)

        b.position_at_end(day_body)
        finished = back(phis, phis)
        current = front(day, first, phis)
        words, drawn = generate(day_words, day_drawn)
        latch = b.block
        day.add_incoming(b.add(day, ir.Constant(_I64, 1)), latch)
        for f in [*front_fields, _FRONT_POSITION]:
            phis[f].add_incoming(current[f], latch)
        for f in back_fields:
            phis[f].add_incoming(finished[f], latch)
        for phi, word in zip(day_words, words, strict=True):
            phi.add_incoming(word, latch)
        day_drawn.add_incoming(drawn, latch)
        b.branch(day_head)

        # epilogue: the last day's back half, then store the state
        b.position_at_end(day_exit)
        last = back(phis, phis)
        for f in range(n_state):
            value = phis[f] if f in front_fields else last[f]
            b.store(
                value, vector_at(state_ptr, b.add(ir.Constant(_I64, f * LANES), first)), align=8
            )
        words, drawn = generate(day_words, day_drawn)
        epilogue_end = b.block
        first.add_incoming(b.add(first, ir.Constant(_I64, LANE_WIDTH)), epilogue_end)
        for phi, word in zip(lane_words, words, strict=True):
            phi.add_incoming(word, epilogue_end)
        lane_drawn.add_incoming(drawn, epilogue_end)
        b.branch(outer_head)

        b.position_at_end(done_block)
        for w in range(n_words):
            b.store(lane_words[w], b.gep(streams_ptr, [ir.Constant(_I64, w)]))
        return context.get_dummy_value()

    return codegen


def _typing(with_stocks: bool, fixed_terms: bool) -> Any:
    def typing(
        typingctx: Any,
        state: Any,
        shocks: Any,
        stock_returns: Any,
        shared: Any,
        consts: Any,
        n_days: Any,
        streams: Any,
        next_shocks: Any,
        next_stock_returns: Any,
        need: Any,
        ki: Any,
        wi_signed: Any,
    ) -> Any:  # pragma: no cover - compiled
        signature = types.none(
            state,
            shocks,
            stock_returns,
            shared,
            consts,
            n_days,
            streams,
            next_shocks,
            next_stock_returns,
            need,
            ki,
            wi_signed,
        )
        return signature, _step_codegen(with_stocks, fixed_terms)

    return typing


step_bonds: Any = intrinsic(_typing(False, False))
"""``step_bonds(state, shocks, stock_returns, shared, consts, n_days, streams, next_shocks,
next_stock_returns, need, ki, wi_signed)``: advance all ``LANES`` paths ``n_days`` days.

``state`` is ``N_STATE * LANES`` doubles (fields ``S_*``), ``shocks[d * LANES + j]`` the
standardized shock of path ``j`` on day ``d``, ``shared[d]`` the day's financing cost and
``shared[n_days + d]`` the cash part of the position; stocks not held. Meanwhile the first
``need`` shocks of the next chunk are drawn into ``next_shocks`` from the stream whose state is
``streams[0:4]`` (updated), in stream order; ``need`` is a multiple of ``LANES`` and at most
``LANES * n_days``. ``ki`` and ``wi_signed`` are the ziggurat's tables."""

step_with_stocks: Any = intrinsic(_typing(True, False))
"""``step_bonds`` with stocks: ``stock_returns[d * LANES + j]`` is the day's stock return; the
next chunk's stock returns are drawn from the stream ``streams[4:8]`` into
``next_stock_returns``."""

step_bonds_fixed_terms: Any = intrinsic(_typing(False, True))
"""``step_bonds`` where duration and carry do not follow the yield (see ``_step_codegen``)."""

step_with_stocks_fixed_terms: Any = intrinsic(_typing(True, True))
"""``step_with_stocks`` where duration and carry do not follow the yield."""
