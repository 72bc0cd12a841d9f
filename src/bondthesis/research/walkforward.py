"""The scorecard traded: an allocation rule walked forward, and per-pillar signal statistics.

**Rule.** At each month end ``k`` the scorecard's composite (the skill-weighted oriented
percentile of :mod:`bondthesis.research.scorecard`, point in time: publication lags applied,
weights estimated only on outcomes complete by then) is compared with a threshold ``tau_k``. Above
it, the portfolio holds the *bond mix* (default the article's 40% TLT / 20% TMF / 40% SPY) during
month ``k + 1 + delay``; otherwise the *other mix* (default 60/40 SPY/IEF). ``tau_k`` is the
value of :data:`THRESHOLDS` that would have earned the most over the months whose result was
known at ``k`` (the pairs ``(c[j], excess[j + 1 + delay])`` with ``j + 1 + delay <= k``); the
grid's ends mean "always the other mix" and "always the bond mix", so the rule can fall back to
a static one. A month without a composite (no pillar with out-of-sample skill then) holds the
other mix. A switch costs ``cost_bps`` on the weights traded between the mixes.

**Per pillar** (oriented percentile ``p``, point in time, against the next 12 months'
bonds-minus-stocks return ``y`` of the scorecard's outcome):

* hit rate: the share of months with ``p != 0.5`` where ``p > 0.5`` and ``y > 0`` agree;
* balanced accuracy: the mean of the rates of correct calls when bonds won and when stocks won;
* Kendall's tau of ``(p, y)`` over all months; its p-value on non-overlapping months (every 12th)
  because overlapping 12-month outcomes would overstate the evidence;
* the naive P&L: long bonds and short stocks (or the reverse) by the sign of ``p - 0.5``, each
  month's position from the signal ``1 + delay`` months earlier, costs on flips (both legs).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from scipy.stats import kendalltau

from bondthesis.backtesting.engine import resolve_portfolio, run_portfolios
from bondthesis.data.backtest_assets import AssetPanel, load_asset_panel
from bondthesis.data.datasets import load_pillar_data
from bondthesis.data.store import Store
from bondthesis.pillars import OUTCOME_KEYS, PILLAR_KEYS, PillarData
from bondthesis.research.scorecard import signal_from_reading
from bondthesis.research.skill import expanding_percentile
from bondthesis.research.thesis import EXTRA_KEYS, score
from bondthesis.serialize import Serializable

__all__ = [
    "THRESHOLDS",
    "PillarStatistics",
    "StrategyLine",
    "WalkForwardResult",
    "walkforward",
]

THRESHOLDS: tuple[float, ...] = (-1.01, -0.6, -0.4, -0.2, 0.0, 0.2, 0.4, 0.6, 1.01)
MIN_HISTORY_MONTHS = 36
MIN_PNL_MONTHS = 12
HORIZON_MONTHS = 12


@dataclass(frozen=True)
class StrategyLine(Serializable):
    """A monthly strategy over the evaluation months (decimals; Sharpe against bills)."""

    name: str
    start: date
    end: date
    months: int
    cagr: float
    volatility: float
    sharpe: float
    max_drawdown: float
    share_in_bond_mix: float
    n_switches: int


@dataclass(frozen=True)
class PillarStatistics(Serializable):
    """One pillar's signal against the next 12 months' bonds-minus-stocks return."""

    pillar: str
    first: date | None
    last: date | None
    n_months: int
    hit_rate: float | None
    balanced_accuracy: float | None
    kendall_tau: float | None
    kendall_p_value: float | None
    n_nonoverlapping: int
    naive_annual_return: float | None
    naive_sharpe: float | None
    naive_months: int


@dataclass(frozen=True)
class WalkForwardResult(Serializable):
    """The rule against the static mixes, and each pillar's statistics."""

    bond_mix: dict[str, float]
    other_mix: dict[str, float]
    cost_bps: float
    delay_months: int
    thresholds: tuple[float, ...]
    lines: tuple[StrategyLine, ...]
    threshold_now: float | None
    composite_now: float | None
    composite_date: date | None
    pillars: tuple[PillarStatistics, ...]
    notes: tuple[str, ...]
    threshold_history: pd.Series = field(metadata={"json": False}, repr=False)
    positions: pd.Series = field(metadata={"json": False}, repr=False)


def _monthly(values: np.ndarray, dates: pd.DatetimeIndex) -> pd.DataFrame:
    levels = pd.DataFrame(values.T, index=dates).resample("ME").last()
    return (levels / levels.shift(1) - 1.0).iloc[1:]


def _line(
    name: str, returns: pd.Series, bills: pd.Series, in_bonds: pd.Series | None
) -> StrategyLine:
    levels = (1.0 + returns).cumprod()
    excess = returns - bills.reindex(returns.index).fillna(0.0)
    years = len(returns) / 12.0
    growth = float(levels.iloc[-1])
    cagr = growth ** (1.0 / years) - 1.0 if growth > 0 else -1.0
    spread = float(excess.std(ddof=1))
    peak = np.maximum.accumulate(np.r_[1.0, levels.to_numpy()])
    drawdown = np.r_[1.0, levels.to_numpy()] / peak - 1.0
    held = in_bonds.astype(float) if in_bonds is not None else None
    return StrategyLine(
        name=name,
        start=returns.index[0].date(),
        end=returns.index[-1].date(),
        months=len(returns),
        cagr=cagr,
        volatility=float(returns.std(ddof=1)) * math.sqrt(12.0),
        sharpe=float(excess.mean()) / spread * math.sqrt(12.0) if spread > 0 else float("nan"),
        max_drawdown=float(drawdown.min()),
        share_in_bond_mix=float(held.mean()) if held is not None else float("nan"),
        n_switches=int((held.diff().abs() > 0).sum()) if held is not None else 0,
    )


def _thresholds(
    composite: pd.Series, excess: pd.Series, delay: int, grid: tuple[float, ...]
) -> pd.Series:
    """``tau_k`` at each month end ``k`` from the results known then (module docstring)."""
    months = excess.index
    signal = composite.reindex(months).to_numpy()
    gain = excess.to_numpy()
    out = np.full(len(months), np.nan)
    for k in range(len(months)):
        last_j = k - 1 - delay  # j + 1 + delay <= k
        if last_j + 1 < MIN_HISTORY_MONTHS:
            continue
        c = signal[: last_j + 1]
        g = gain[1 + delay : k + 1]
        ok = np.isfinite(c) & np.isfinite(g)
        if ok.sum() < MIN_HISTORY_MONTHS:
            continue
        earned = [float(np.sum(g[ok] * (c[ok] > tau))) for tau in grid]
        out[k] = grid[int(np.argmax(earned))]
    return pd.Series(out, index=months, name="threshold")


def _pillar_statistics(
    name: str, oriented: pd.Series, forward: pd.Series, legs: pd.DataFrame, delay: int, cost: float
) -> PillarStatistics:
    pairs = pd.concat([oriented.rename("p"), forward.rename("y")], axis=1, sort=True).dropna()
    called = pairs[pairs["p"] != 0.5]
    pred, actual = called["p"] > 0.5, called["y"] > 0.0
    hit = float((pred == actual).mean()) if len(called) else None
    balanced = None
    if actual.any() and (~actual).any():
        balanced = 0.5 * (float(pred[actual].mean()) + float((~pred[~actual]).mean()))
    tau = p_value = None
    sparse = pairs.iloc[::HORIZON_MONTHS]
    if len(pairs) >= 3:
        tau = float(kendalltau(pairs["p"], pairs["y"]).statistic)
    if len(sparse) >= 3:
        p_value = float(kendalltau(sparse["p"], sparse["y"]).pvalue)
    position = np.sign(oriented - 0.5).dropna()
    # The position from month end k earns month k + 1 + delay.
    shifted = position.reindex(legs.index).shift(1 + delay)
    spread = legs["bonds"] - legs["stocks"]
    pnl = (shifted * spread - shifted.diff().abs().fillna(0.0) * 2.0 * cost).dropna()
    pnl = pnl[shifted.reindex(pnl.index) != 0]
    if len(pnl) < MIN_PNL_MONTHS:  # too short to say anything
        pnl = pnl.iloc[:0]
    sd = float(pnl.std(ddof=1)) if len(pnl) > 1 else float("nan")
    return PillarStatistics(
        pillar=name,
        first=pairs.index[0].date() if len(pairs) else None,
        last=pairs.index[-1].date() if len(pairs) else None,
        n_months=len(pairs),
        hit_rate=hit,
        balanced_accuracy=balanced,
        kendall_tau=tau,
        kendall_p_value=p_value,
        n_nonoverlapping=len(sparse),
        naive_annual_return=float(pnl.mean()) * 12.0 if len(pnl) else None,
        naive_sharpe=float(pnl.mean()) / sd * math.sqrt(12.0) if sd > 0 else None,
        naive_months=len(pnl),
    )


def walkforward(
    store: Store,
    *,
    bond_mix: str | dict[str, float] = "article",
    other_mix: str | dict[str, float] = "6040",
    cost_bps: float = 5.0,
    delay_months: int = 1,
    thresholds: tuple[float, ...] = THRESHOLDS,
    panel: AssetPanel | None = None,
    data: PillarData | None = None,
) -> WalkForwardResult:
    """The scorecard as an allocation rule, walked forward (module docstring).

    Parameters
    ----------
    store : Store
    bond_mix, other_mix : str or dict
        Held when the composite is above / not above the threshold (preset names or weights).
    cost_bps : float
        Cost in bp of the weights traded at a switch (and on each leg of a pillar's flip).
    delay_months : int
        Months between a signal's month end and the month its position earns, beyond the first
        (1: a signal known at the end of January trades February's close and earns March).
    panel, data : optional
        Prebuilt asset panel and pillar data.
    """
    if delay_months < 0 or delay_months > 12:
        raise ValueError(f"delay_months must be 0..12, got {delay_months}")
    bonds, _ = resolve_portfolio(bond_mix)
    other, _ = resolve_portfolio(other_mix)
    tickers = sorted(set(bonds) | set(other) | {"SPY"})
    if panel is None:
        panel = load_asset_panel(store, tickers)
    grid = pd.DataFrame([bonds, other, {"SPY": 1.0}], columns=tickers).fillna(0.0)
    many = run_portfolios(panel, grid, "monthly", borrow_spread=0.0)
    mixes = _monthly(many.values, many.dates)
    mixes.columns = pd.Index(["bond mix", "other mix", "SPY"])
    bill_levels = (1.0 + panel.bill_return).cumprod().resample("ME").last()
    bills = (bill_levels / bill_levels.shift(1) - 1.0).iloc[1:]
    if data is None:
        data = load_pillar_data(store, keys=(*PILLAR_KEYS, *OUTCOME_KEYS, *EXTRA_KEYS))
    check = score(data, bootstrap_resamples=0)
    composite = check.scorecard.composite.history
    excess = mixes["bond mix"] - mixes["other mix"]
    taus = _thresholds(composite, excess, delay_months, thresholds)
    signal = composite.reindex(excess.index)
    decided = (signal > taus).where(taus.notna())
    in_bonds = decided.shift(1 + delay_months).dropna().astype(bool)
    never_decided = in_bonds.empty
    if never_decided:  # no composite or too short: the rule is the other mix throughout
        in_bonds = pd.Series(False, index=excess.index[1 + delay_months :])
    if len(in_bonds) < 2:
        raise ValueError("fewer than two months of returns to walk forward; refresh more data")
    months = in_bonds.index
    traded = sum(abs(bonds.get(t, 0.0) - other.get(t, 0.0)) for t in tickers)
    switch_cost = in_bonds.astype(float).diff().abs().fillna(0.0) * traded * cost_bps / 10_000
    rule = mixes.loc[months, "bond mix"].where(in_bonds, mixes.loc[months, "other mix"])
    lines = (
        _line("scorecard rule", rule - switch_cost, bills, in_bonds),
        _line("bond mix (static)", mixes.loc[months, "bond mix"], bills, None),
        _line("other mix (static)", mixes.loc[months, "other mix"], bills, None),
        _line("SPY", mixes.loc[months, "SPY"], bills, None),
    )
    legs = pd.DataFrame(
        {"bonds": check.outcome.bond_returns, "stocks": check.outcome.stock_returns}
    ).dropna()
    when = data.reference_date
    statistics = []
    for reading in check.readings:
        sig = signal_from_reading(reading, when)
        percentile = expanding_percentile(sig.signal)
        oriented = percentile if sig.direction > 0 else 1.0 - percentile
        statistics.append(
            _pillar_statistics(
                reading.name, oriented, check.outcome.forward, legs, delay_months, cost_bps / 1e4
            )
        )
    last_tau = taus.dropna()
    last_signal = composite.dropna()
    notes = [
        "thresholds are chosen each month only on results known then; the composite's weights "
        "and percentiles are point in time (the scorecard's own rules)",
        "a pillar's direction comes from its trigger rule (the thesis's stated reading), not "
        "from outcomes",
        f"bond mix {bonds}, other mix {other}; both rebalanced monthly, no costs inside a mix",
    ]
    if never_decided:
        notes.append(
            f"the composite never had {MIN_HISTORY_MONTHS} months of known results (no pillar "
            "with out-of-sample skill long enough): the rule holds the other mix throughout"
        )
    elif len(last_signal) and last_signal.index[-1] < months[-1]:
        notes.append(
            f"the composite history ends {last_signal.index[-1].date()} (no pillar with "
            "out-of-sample skill after it): later months hold the other mix"
        )
    return WalkForwardResult(
        bond_mix=bonds,
        other_mix=other,
        cost_bps=float(cost_bps),
        delay_months=delay_months,
        thresholds=thresholds,
        lines=lines,
        threshold_now=float(last_tau.iloc[-1]) if len(last_tau) else None,
        composite_now=float(last_signal.iloc[-1]) if len(last_signal) else None,
        composite_date=last_signal.index[-1].date() if len(last_signal) else None,
        pillars=tuple(statistics),
        notes=tuple(notes),
        threshold_history=taus,
        positions=in_bonds,
    )
