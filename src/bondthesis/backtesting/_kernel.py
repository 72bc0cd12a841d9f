"""The backtest kernel: many fixed-weight portfolios over one daily asset panel, compiled by numba.

Each portfolio starts at 1.0 and holds dollars ``h[a]`` of each asset and ``cash`` (negative when
the weights sum above 1: borrowed). Every day ``t >= 1``, in this order:

1. assets grow: ``h[a] *= growth[t, a]`` (``growth = 1 + daily return``);
2. cash grows at the bill return into ``t`` when ``cash >= 0``, at the borrowing return
   (bill rate plus spread) when ``cash < 0``;
3. the value ``V = sum h + cash`` is checked against the rule: rebalance if ``t`` is a calendar
   rebalancing day, or (bands) if any asset's weight ``h[a] / V`` is outside its band;
4. a rebalance trades every asset back to its target: turnover ``sum |w[a] V - h[a]|``, cost
   ``turnover * cost_rate`` taken from ``V``, then ``h[a] = w[a] V`` and ``cash = (1 - sum w) V``.

Day 0 buys the targets from cash (turnover ``sum |w| V``, so costs apply to the first purchase
too). A value that reaches zero or below stays at zero (the portfolio is wiped out).

**Calendar rebalancing** (no bands, up to :data:`FUSED_ASSETS` assets) takes a faster,
equivalent route: between two rebalancing days every portfolio's value is
``V_r * sum_a w[a] G[t, a]``, where ``G`` is each asset's growth since the last rebalancing day
(shared by all portfolios, computed once), with cash and debt as two more columns. The value
relative to ``V_r`` is computed for all days in one branch-free pass (it vectorizes), then scaled
segment by segment. The two routes agree to rounding (about 1e-14 over 6,300 days: the order of
the multiplications).

**Hysteresis of bands**: once any asset drifts outside its band the whole portfolio is traded
back to the targets (not to the band's edge), so a new trade needs a new full band's drift.
"""

from __future__ import annotations

import numba
import numpy as np

from bondthesis._typing import FloatArray
from bondthesis.bonds._jit import jit

__all__ = ["simulate_many", "simulate_one"]


@jit()
def _simulate_portfolio(
    growth: FloatArray,
    weights: FloatArray,
    calendar: np.ndarray,
    band_absolute: float,
    band_relative: float,
    cost_rate: float,
    cash_return: FloatArray,
    borrow_return: FloatArray,
    values: FloatArray,
) -> tuple[float, int]:
    n_days, n_assets = growth.shape
    holdings = np.empty(n_assets)
    total_weight = 0.0
    turnover = 0.0
    for a in range(n_assets):
        total_weight += weights[a]
        turnover += abs(weights[a])
    value = 1.0 - turnover * cost_rate
    for a in range(n_assets):
        holdings[a] = weights[a] * value
    cash = (1.0 - total_weight) * value
    values[0] = value
    n_rebalances = 0
    use_bands = band_absolute > 0.0 or band_relative > 0.0
    for t in range(1, n_days):
        value = 0.0
        for a in range(n_assets):
            holdings[a] *= growth[t, a]
            value += holdings[a]
        if cash >= 0.0:
            cash *= 1.0 + cash_return[t]
        else:
            cash *= 1.0 + borrow_return[t]
        value += cash
        if value <= 0.0:
            for s in range(t, n_days):
                values[s] = 0.0
            return turnover, n_rebalances
        trade = calendar[t]
        if use_bands and not trade:
            for a in range(n_assets):
                drift = abs(holdings[a] / value - weights[a])
                if band_absolute > 0.0 and drift > band_absolute:
                    trade = True
                if band_relative > 0.0 and drift > band_relative * abs(weights[a]):
                    trade = True
        if trade:
            traded = 0.0
            for a in range(n_assets):
                traded += abs(weights[a] * value - holdings[a])
            turnover += traded / value
            value -= traded * cost_rate
            for a in range(n_assets):
                holdings[a] = weights[a] * value
            cash = (1.0 - total_weight) * value
            n_rebalances += 1
        values[t] = value
    return turnover, n_rebalances


@jit(parallel=True)
def _simulate_many(
    growth: FloatArray,
    weights: FloatArray,
    calendar: np.ndarray,
    band_absolute: float,
    band_relative: float,
    cost_rate: float,
    cash_return: FloatArray,
    borrow_return: FloatArray,
    values: FloatArray,
    turnover: FloatArray,
    n_rebalances: np.ndarray,
) -> None:
    for p in numba.prange(weights.shape[0]):
        total, count = _simulate_portfolio(
            growth,
            weights[p],
            calendar,
            band_absolute,
            band_relative,
            cost_rate,
            cash_return,
            borrow_return,
            values[p],
        )
        turnover[p] = total
        n_rebalances[p] = count


@jit()
def _segment_growth(
    growth: FloatArray, calendar: np.ndarray, cash_return: FloatArray, borrow_return: FloatArray
) -> FloatArray:
    """Growth since the last rebalancing day: assets, then cash, then debt, shape (A+2, n_days).

    Stored asset by asset so that the loop over days reads each one contiguously (SIMD).
    """
    n_days, n_assets = growth.shape
    since = np.empty((n_assets + 2, n_days))
    for a in range(n_assets + 2):
        since[a, 0] = 1.0
    for t in range(1, n_days):
        restart = calendar[t - 1] or t == 1
        for a in range(n_assets):
            since[a, t] = growth[t, a] if restart else since[a, t - 1] * growth[t, a]
        cash = 1.0 + cash_return[t]
        debt = 1.0 + borrow_return[t]
        since[n_assets, t] = cash if restart else since[n_assets, t - 1] * cash
        since[n_assets + 1, t] = debt if restart else since[n_assets + 1, t - 1] * debt
    return since


FUSED_ASSETS = 4
"""Portfolios of up to this many assets take the fused route (one pass per day, six terms)."""


@jit()
def _calendar_portfolio(
    since: FloatArray,
    w: FloatArray,
    boundaries: np.ndarray,
    calendar: np.ndarray,
    cost_rate: float,
    row: FloatArray,
) -> tuple[float, int]:
    """One portfolio on the calendar route; ``since`` has FUSED_ASSETS + 2 rows (zero-padded)."""
    n_assets = w.shape[0]
    n_days = since.shape[1]
    weights = np.zeros(FUSED_ASSETS)
    total_weight = 0.0
    traded_total = 0.0
    may_wipe = False
    for a in range(n_assets):
        weights[a] = w[a]
        total_weight += w[a]
        traded_total += abs(w[a])
        may_wipe = may_wipe or w[a] < 0.0
    rest = 1.0 - total_weight
    cash_weight = rest if rest > 0.0 else 0.0
    debt_weight = rest if rest < 0.0 else 0.0
    may_wipe = may_wipe or rest < 0.0
    w0, w1, w2, w3 = weights[0], weights[1], weights[2], weights[3]
    s0, s1, s2, s3 = since[0], since[1], since[2], since[3]
    cash, debt = since[FUSED_ASSETS], since[FUSED_ASSETS + 1]
    # Pass 1 over all days at once, branch-free and contiguous (it vectorizes): the value
    # relative to the last rebalancing day.
    for t in range(n_days):
        row[t] = (
            w0 * s0[t]
            + w1 * s1[t]
            + w2 * s2[t]
            + w3 * s3[t]
            + cash_weight * cash[t]
            + debt_weight * debt[t]
        )
    # Pass 2, segment by segment: scale by the value on the last rebalancing day, and trade.
    start = 1.0 - traded_total * cost_rate
    row[0] = start
    count = 0
    first = 1
    for j in range(boundaries.shape[0]):
        last = boundaries[j]  # the segment's last day: a rebalancing day, or the final day
        for t in range(first, last + 1):
            row[t] *= start
        if may_wipe or row[last] <= 0.0:
            for t in range(first, last + 1):
                if row[t] <= 0.0:  # wiped out: zero from here on
                    for s in range(t, n_days):
                        row[s] = 0.0
                    return traded_total, count
        if calendar[last]:
            value = row[last]
            traded = 0.0
            for a in range(n_assets):
                traded += abs(w[a] * value - w[a] * start * since[a, last])
            traded_total += traded / value
            value -= traded * cost_rate
            count += 1
            start = value
            row[last] = value
        first = last + 1
    return traded_total, count


@jit()
def _calendar_portfolio_fused(
    since: FloatArray,
    w: FloatArray,
    boundaries: np.ndarray,
    segment: np.ndarray,
    calendar: np.ndarray,
    cost_rate: float,
    row: FloatArray,
    starts: FloatArray,
) -> tuple[float, int]:
    """The calendar route in one pass over the days, for portfolios that cannot be wiped out.

    The value on each rebalancing day and the trades are computed first, sequentially, on those
    days only; then every day's value is ``starts[segment[t]]`` times its growth since the
    segment began, in one branch-free pass. Returns ``(-1.0, -1)`` when a value reaches zero
    (the caller takes :func:`_calendar_portfolio` then).
    """
    n_assets = w.shape[0]
    n_days = since.shape[1]
    weights = np.zeros(FUSED_ASSETS)
    total_weight = 0.0
    traded_total = 0.0
    for a in range(n_assets):
        weights[a] = w[a]
        total_weight += w[a]
        traded_total += abs(w[a])
        if w[a] < 0.0:
            return -1.0, -1
    rest = 1.0 - total_weight
    if rest < 0.0:
        return -1.0, -1
    w0, w1, w2, w3 = weights[0], weights[1], weights[2], weights[3]
    s0, s1, s2, s3 = since[0], since[1], since[2], since[3]
    cash = since[FUSED_ASSETS]
    start = 1.0 - traded_total * cost_rate
    count = 0
    n_segments = boundaries.shape[0]
    if n_segments == 0:  # a single day
        row[0] = start
        return traded_total, count
    for j in range(n_segments):
        starts[j] = start
        last = boundaries[j]
        value = start * (
            w0 * s0[last] + w1 * s1[last] + w2 * s2[last] + w3 * s3[last] + rest * cash[last]
        )
        if value <= 0.0:
            return -1.0, -1
        if calendar[last]:
            traded = 0.0
            for a in range(n_assets):
                traded += abs(w[a] * value - w[a] * start * since[a, last])
            traded_total += traded / value
            start = value - traded * cost_rate
            count += 1
    for t in range(n_days):
        row[t] = starts[segment[t]] * (
            w0 * s0[t] + w1 * s1[t] + w2 * s2[t] + w3 * s3[t] + rest * cash[t]
        )
    # A rebalancing day holds the value after its trade (lower by the costs).
    for j in range(n_segments - 1):
        row[boundaries[j]] = starts[j + 1]
    if n_segments and calendar[boundaries[n_segments - 1]]:
        row[boundaries[n_segments - 1]] = start
    return traded_total, count


@jit(parallel=True)
def _calendar_many(
    since: FloatArray,
    weights: FloatArray,
    boundaries: np.ndarray,
    segment: np.ndarray,
    calendar: np.ndarray,
    cost_rate: float,
    values: FloatArray,
    turnover: FloatArray,
    n_rebalances: np.ndarray,
) -> None:
    for p in numba.prange(weights.shape[0]):
        starts = np.empty(boundaries.shape[0])
        total, count = _calendar_portfolio_fused(
            since, weights[p], boundaries, segment, calendar, cost_rate, values[p], starts
        )
        if count < 0:  # short positions, debt or a value at zero: the segment-by-segment route
            total, count = _calendar_portfolio(
                since, weights[p], boundaries, calendar, cost_rate, values[p]
            )
        turnover[p] = total
        n_rebalances[p] = count


def _padded(since: FloatArray) -> FloatArray:
    """``since`` with zero rows for the missing assets up to FUSED_ASSETS (cash, debt last)."""
    n_assets = since.shape[0] - 2
    if n_assets == FUSED_ASSETS:
        return since
    padded = np.zeros((FUSED_ASSETS + 2, since.shape[1]))
    padded[:n_assets] = since[:n_assets]
    padded[FUSED_ASSETS:] = since[n_assets:]
    return padded


def _boundaries(calendar: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each segment's last day (the rebalancing days after day 0, then the final day), and the
    segment of each day (day 0 in the first)."""
    n_days = calendar.shape[0]
    days = np.flatnonzero(calendar[1:]) + 1
    if n_days > 1 and (days.size == 0 or days[-1] != n_days - 1):
        days = np.append(days, n_days - 1)
    last = days.astype(np.int64)
    # Day t belongs to the first segment whose last day is at or after t.
    segment = np.searchsorted(last, np.arange(n_days), side="left").astype(np.int64)
    return last, segment


def _inputs(
    growth: FloatArray, calendar: np.ndarray, cash_return: FloatArray, borrow_return: FloatArray
) -> tuple[FloatArray, np.ndarray, FloatArray, FloatArray]:
    return (
        np.ascontiguousarray(growth, dtype=np.float64),
        np.ascontiguousarray(calendar, dtype=np.bool_),
        np.ascontiguousarray(cash_return, dtype=np.float64),
        np.ascontiguousarray(borrow_return, dtype=np.float64),
    )


def simulate_many(
    growth: FloatArray,
    weights: FloatArray,
    calendar: np.ndarray,
    band_absolute: float,
    band_relative: float,
    cost_rate: float,
    cash_return: FloatArray,
    borrow_return: FloatArray,
    out: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, np.ndarray]:
    """Values of many portfolios (module docstring), all cores.

    Parameters
    ----------
    growth : ndarray of shape (n_days, n_assets)
        ``1 + daily return`` of each asset (row 0 unused).
    weights : ndarray of shape (n_portfolios, n_assets)
        Target weights, decimals; each row may sum to anything (the rest is cash or debt).
    calendar : ndarray of bool, shape (n_days,)
        Calendar rebalancing days (row 0 unused: day 0 always buys the targets).
    band_absolute, band_relative : float
        Band half-widths (decimal weight; fraction of the target); 0 disables.
    cost_rate : float
        Cost per unit traded (``cost_bps / 10_000``).
    cash_return, borrow_return : ndarray of shape (n_days,)
        Return of positive and of negative cash into each day.
    out : ndarray of shape (n_portfolios, n_days), optional
        Where to write the values (a sweep that runs again reuses it: 50 MB for 1,000 x 6,300
        costs about 10 ms of page faults when fresh).

    Returns
    -------
    values : ndarray of shape (n_portfolios, n_days)
        Portfolio values, 1.0 before the first purchase.
    turnover : ndarray of shape (n_portfolios,)
        Sum over trades of the amount traded as a fraction of the portfolio's value then
        (the first purchase counts ``sum |w|``).
    n_rebalances : ndarray of int64, shape (n_portfolios,)
    """
    growth, calendar, cash_return, borrow_return = _inputs(
        growth, calendar, cash_return, borrow_return
    )
    weights = np.ascontiguousarray(np.atleast_2d(weights), dtype=np.float64)
    n_portfolios = weights.shape[0]
    shape = (n_portfolios, growth.shape[0])
    if out is None:
        values = np.empty(shape)
    elif out.shape != shape or out.dtype != np.float64 or not out.flags.c_contiguous:
        raise ValueError(f"out must be a C-contiguous float64 array of shape {shape}")
    else:
        values = out
    turnover = np.empty(n_portfolios)
    n_rebalances = np.empty(n_portfolios, dtype=np.int64)
    if band_absolute <= 0.0 and band_relative <= 0.0 and growth.shape[1] <= FUSED_ASSETS:
        since = _padded(_segment_growth(growth, calendar, cash_return, borrow_return))
        last_days, segment = _boundaries(calendar)
        _calendar_many(
            since,
            weights,
            last_days,
            segment,
            calendar,
            cost_rate,
            values,
            turnover,
            n_rebalances,
        )
        return values, turnover, n_rebalances
    _simulate_many(
        growth,
        weights,
        calendar,
        band_absolute,
        band_relative,
        cost_rate,
        cash_return,
        borrow_return,
        values,
        turnover,
        n_rebalances,
    )
    return values, turnover, n_rebalances


def simulate_one(
    growth: FloatArray,
    weights: FloatArray,
    calendar: np.ndarray,
    band_absolute: float,
    band_relative: float,
    cost_rate: float,
    cash_return: FloatArray,
    borrow_return: FloatArray,
) -> tuple[FloatArray, float, int]:
    """One portfolio on one core (no thread start-up): values, turnover, rebalance count."""
    growth, calendar, cash_return, borrow_return = _inputs(
        growth, calendar, cash_return, borrow_return
    )
    values = np.empty(growth.shape[0])
    turnover, count = _simulate_portfolio(
        growth,
        np.ascontiguousarray(weights, dtype=np.float64),
        calendar,
        band_absolute,
        band_relative,
        cost_rate,
        cash_return,
        borrow_return,
        values,
    )
    return values, float(turnover), int(count)
