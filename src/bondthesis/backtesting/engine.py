"""Backtests of fixed-weight portfolios on the spliced daily history of real and simulated funds.

Three entry points, one kernel (:mod:`bondthesis.backtesting._kernel`):

* :func:`backtest` — one portfolio (weights, a portfolio string or a preset name) from the store,
  with every figure of :mod:`bondthesis.backtesting.metrics`, its calendar years and drawdowns;
* :func:`run_portfolios` — many portfolios at once (a sweep of allocations), curves and summary;
* :func:`simulate` — pandas in and out: prices (days x assets) and weights to a value Series.

Conventions: start value 1.0; cash (weights summing below 1) earns the bill return
``rate * days / 360``; debt (weights above 1) pays the bill rate plus ``borrow_spread``; costs are
``cost_bps`` of every amount traded, the first purchase included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from bondthesis._typing import FloatArray
from bondthesis.backtesting._kernel import simulate_many, simulate_one
from bondthesis.backtesting.metrics import (
    AnnualReturn,
    Drawdown,
    Metrics,
    compute_metrics,
    summary_many,
)
from bondthesis.backtesting.presets import PRESETS, Preset, get_preset
from bondthesis.backtesting.rebalance import RebalanceRule, calendar_days, parse_rebalance
from bondthesis.backtesting.tickers import parse_portfolio, parse_ticker
from bondthesis.data.backtest_assets import AssetPanel, load_asset_panel
from bondthesis.data.store import Store
from bondthesis.funds.leveraged import FINANCING_DAY_COUNT
from bondthesis.serialize import Serializable

__all__ = [
    "DEFAULT_BORROW_SPREAD",
    "AssetUse",
    "BacktestResult",
    "ManyResult",
    "backtest",
    "resolve_portfolio",
    "run_portfolios",
    "simulate",
]

DEFAULT_BORROW_SPREAD = 0.005
"""Borrowing cost over the bill rate, decimal a year, when weights sum above 1: about what
futures or box spreads cost; a broker's margin loan costs more (pass ``borrow_spread``)."""
DEFAULT_REBALANCE = "quarterly"
TOP_DRAWDOWNS = 5


@dataclass(frozen=True)
class AssetUse(Serializable):
    """One holding: its target weight, where its history came from, and how much was simulated.

    ``simulated_until`` is the last day in the window whose return was simulated (None: all real).
    """

    ticker: str
    weight: float
    source: str
    simulated_until: date | None
    simulated_share: float


@dataclass(frozen=True)
class BacktestResult(Serializable):
    """One portfolio's backtest (decimals; every figure dated by ``metrics.start``/``end``).

    ``equity`` (the daily curve) is left out of ``to_dict()``; ``annual`` marks each year
    ``simulated`` when any holding's return that year came from a simulation.
    """

    portfolio: dict[str, float]
    preset: str | None
    rebalance: str
    cost_bps: float
    borrow_spread: float
    metrics: Metrics
    annual: tuple[AnnualReturn, ...]
    drawdowns: tuple[Drawdown, ...]
    assets: tuple[AssetUse, ...]
    simulated_share: float
    turnover_per_year: float
    n_rebalances: int
    cash_rate_end: date | None
    notes: tuple[str, ...]
    equity: pd.Series = field(metadata={"json": False}, repr=False)


@dataclass(frozen=True)
class ManyResult(Serializable):
    """Many portfolios over one window.

    Attributes
    ----------
    tickers : tuple of str
    weights : ndarray of shape (n_portfolios, n_assets)
    dates : DatetimeIndex of length n_days (not serialized)
    values : ndarray of shape (n_portfolios, n_days) (not serialized)
    summary : dict of str to ndarray of shape (n_portfolios,)
        ``cagr``, ``volatility``, ``sharpe``, ``max_drawdown``, ``turnover``, ``n_rebalances``.
    start, end : date
    rebalance : str
    """

    tickers: tuple[str, ...]
    weights: FloatArray
    summary: dict[str, FloatArray]
    start: date
    end: date
    rebalance: str
    dates: pd.DatetimeIndex = field(metadata={"json": False}, repr=False)
    values: FloatArray = field(metadata={"json": False}, repr=False)


def resolve_portfolio(
    weights_or_preset: str | Mapping[str, float],
) -> tuple[dict[str, float], Preset | None]:
    """Weights from a preset name, a portfolio string or a mapping (tickers checked)."""
    if isinstance(weights_or_preset, str):
        if weights_or_preset.strip().lower() in PRESETS:
            preset = get_preset(weights_or_preset)
            return dict(preset.weights), preset
        return parse_portfolio(weights_or_preset), None
    weights: dict[str, float] = {}
    for ticker, weight in weights_or_preset.items():
        name = parse_ticker(ticker).name
        value = float(weight)
        if not np.isfinite(value):
            raise ValueError(f"the weight of {ticker} is {value}; give a finite decimal")
        weights[name] = value
    if not weights or all(w == 0.0 for w in weights.values()):
        raise ValueError("no non-zero weight given; e.g. {'TLT': 0.4, 'TMF': 0.2, 'SPY': 0.4}")
    return weights, None


def _timestamp(day: date | str | None) -> pd.Timestamp | None:
    return None if day is None else pd.Timestamp(day)


def _financing(panel: AssetPanel, borrow_spread: float) -> tuple[FloatArray, FloatArray]:
    bills = panel.bill_return.to_numpy(dtype=np.float64)
    dates = panel.dates
    days = dates.to_numpy(dtype="datetime64[D]").astype(np.int64)
    elapsed = np.diff(days, prepend=days[0]).astype(np.float64)
    borrow = bills + borrow_spread * elapsed / FINANCING_DAY_COUNT
    return bills, borrow


def _run(
    panel: AssetPanel,
    weights: FloatArray,
    rule: RebalanceRule,
    cost_bps: float,
    borrow_spread: float,
) -> tuple[FloatArray, FloatArray, np.ndarray]:
    if not np.isfinite(cost_bps) or not 0.0 <= cost_bps < 10_000:
        raise ValueError(f"cost_bps must be between 0 and 10000, got {cost_bps}")
    growth = 1.0 + panel.returns.to_numpy(dtype=np.float64)
    calendar = calendar_days(panel.dates, rule.calendar)
    cash, borrow = _financing(panel, borrow_spread)
    return simulate_many(
        growth,
        weights,
        calendar,
        rule.band_absolute,
        rule.band_relative,
        cost_bps / 10_000.0,
        cash,
        borrow,
    )


def _panel(
    source: Store | AssetPanel,
    tickers: Sequence[str],
    start: date | str | None,
    end: date | str | None,
) -> AssetPanel:
    panel = source if isinstance(source, AssetPanel) else load_asset_panel(source, tickers)
    missing = [t for t in tickers if t not in panel.returns.columns]
    if missing:
        raise ValueError(
            f"the asset panel has no {', '.join(missing)}; build it with these tickers"
        )
    columns = list(tickers)
    sub = AssetPanel(
        panel.returns[columns],
        panel.simulated[columns],
        panel.cash_rate,
        panel.bill_return,
        {t: panel.sources.get(t, "") for t in columns},
        panel.cash_rate_end,
    )
    return sub.window(_timestamp(start), _timestamp(end))


def backtest(
    store: Store | AssetPanel,
    weights_or_preset: str | Mapping[str, float],
    rebalance: str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    cost_bps: float = 0.0,
    *,
    borrow_spread: float = DEFAULT_BORROW_SPREAD,
) -> BacktestResult:
    """Backtest one portfolio on the longest history its assets share (or ``start``..``end``).

    Parameters
    ----------
    store : Store or AssetPanel
        Where the prices come from (a prebuilt panel skips reading the store).
    weights_or_preset : str or mapping
        ``"TLT=0.4,TMF=0.2,SPY=0.4"``, ``{"TLT": 0.4, ...}`` or a preset name
        (``article``, ``spy``, ``6040``, ``hfea``).
    rebalance : str, optional
        ``monthly``, ``quarterly``, ``yearly``, ``daily``, ``none``, ``band:5``, ``relband:25``;
        default the preset's, else quarterly.
    start, end : date or ISO string, optional
        From the last close on or before ``start`` to the last close on or before ``end``.
    cost_bps : float
        Cost in basis points of each amount traded.
    borrow_spread : float
        Decimal a year over the bill rate paid on debt (weights summing above 1).

    Raises
    ------
    ValueError
        Weights that do not parse, an unknown ticker, a bad rule, a window with no data.
    """
    weights, preset = resolve_portfolio(weights_or_preset)
    rule = parse_rebalance(rebalance or (preset.rebalance if preset else DEFAULT_REBALANCE))
    tickers = list(weights)
    panel = _panel(store, tickers, start, end)
    vector = np.array([weights[t] for t in tickers], dtype=np.float64)
    values, turnover, count = _run(panel, vector[None, :], rule, cost_bps, borrow_spread)
    equity = pd.Series(values[0], index=panel.dates, name="value")
    held = panel.simulated[[t for t in tickers if weights[t] != 0.0]]
    any_simulated = held.iloc[1:].any(axis=1).reindex(panel.dates, fill_value=False)
    metrics, annual, drawdowns = compute_metrics(equity, panel.bill_return, any_simulated)
    assets = []
    for ticker in tickers:
        flags = panel.simulated[ticker].iloc[1:]
        simulated_days = flags.index[flags.to_numpy()]
        assets.append(
            AssetUse(
                ticker=ticker,
                weight=weights[ticker],
                source=panel.sources.get(ticker, ""),
                simulated_until=simulated_days[-1].date() if len(simulated_days) else None,
                simulated_share=float(flags.mean()) if len(flags) else 0.0,
            )
        )
    notes = []
    if preset is not None and preset.note:
        notes.append(preset.note)
    if panel.cash_rate_end is not None and panel.cash_rate_end < panel.dates[-1]:
        notes.append(
            f"bill rate observed to {panel.cash_rate_end.date()}, carried forward to "
            f"{panel.dates[-1].date()}"
        )
    if any_simulated.any():
        notes.append("simulated history in the window: see assets[].simulated_until and annual[]")
    return BacktestResult(
        portfolio=weights,
        preset=preset.name if preset else None,
        rebalance=rule.text,
        cost_bps=float(cost_bps),
        borrow_spread=float(borrow_spread),
        metrics=metrics,
        annual=tuple(annual),
        drawdowns=tuple(drawdowns[:TOP_DRAWDOWNS]),
        assets=tuple(assets),
        simulated_share=float(any_simulated.iloc[1:].mean()) if len(any_simulated) > 1 else 0.0,
        turnover_per_year=float(turnover[0]) / metrics.years if metrics.years > 0 else 0.0,
        n_rebalances=int(count[0]),
        cash_rate_end=panel.cash_rate_end.date() if panel.cash_rate_end is not None else None,
        notes=tuple(notes),
        equity=equity,
    )


def run_portfolios(
    store: Store | AssetPanel,
    weights: pd.DataFrame | Sequence[Mapping[str, float]],
    rebalance: str = "monthly",
    start: date | str | None = None,
    end: date | str | None = None,
    cost_bps: float = 0.0,
    *,
    borrow_spread: float = DEFAULT_BORROW_SPREAD,
) -> ManyResult:
    """Many portfolios at once over one window; curves in ``values``, figures in ``summary``.

    ``weights`` is a DataFrame (one row per portfolio, one column per ticker) or a list of
    mappings (missing tickers weigh 0).
    """
    frame = weights if isinstance(weights, pd.DataFrame) else pd.DataFrame(list(weights))
    frame = frame.fillna(0.0)
    if frame.empty:
        raise ValueError("no portfolios given; pass one row of weights per portfolio")
    tickers = [parse_ticker(str(c)).name for c in frame.columns]
    frame.columns = pd.Index(tickers)
    matrix = frame.to_numpy(dtype=np.float64)
    if not np.isfinite(matrix).all():
        raise ValueError("weights must be finite decimals")
    rule = parse_rebalance(rebalance)
    panel = _panel(store, tickers, start, end)
    values, turnover, count = _run(panel, matrix, rule, cost_bps, borrow_spread)
    summary = summary_many(values, panel.dates, panel.bill_return.to_numpy(dtype=np.float64))
    summary["turnover"] = turnover
    summary["n_rebalances"] = count.astype(np.float64)
    return ManyResult(
        tickers=tuple(tickers),
        weights=matrix,
        summary=summary,
        start=panel.dates[0].date(),
        end=panel.dates[-1].date(),
        rebalance=rule.text,
        dates=panel.dates,
        values=values,
    )


def simulate(
    prices: pd.DataFrame,
    weights: Mapping[str, float] | pd.Series,
    rebalance: str = "monthly",
    cost_bps: float = 0.0,
    bill_return: pd.Series | None = None,
    borrow_spread: float = 0.0,
) -> pd.Series:
    """Value of one portfolio on ``prices`` (days x assets, any levels); pandas in, pandas out.

    Examples
    --------
    >>> days = pd.bdate_range("2024-01-01", periods=3)
    >>> prices = pd.DataFrame({"A": [1.0, 1.1, 1.21]}, index=days)
    >>> simulate(prices, {"A": 1.0}).round(4).tolist()
    [1.0, 1.1, 1.21]
    """
    columns = list(weights.keys())
    levels = prices[columns].to_numpy(dtype=np.float64)
    growth = np.empty_like(levels)
    growth[0] = 1.0
    np.divide(levels[1:], levels[:-1], out=growth[1:])
    dates = pd.DatetimeIndex(prices.index)
    rule = parse_rebalance(rebalance)
    cash = np.zeros(len(dates)) if bill_return is None else bill_return.to_numpy(dtype=np.float64)
    days = dates.to_numpy(dtype="datetime64[D]").astype(np.int64)
    elapsed = np.diff(days, prepend=days[0]).astype(np.float64)
    borrow = cash + borrow_spread * elapsed / FINANCING_DAY_COUNT
    vector = np.array([float(weights[c]) for c in columns])
    values, _, _ = simulate_one(
        growth,
        vector,
        calendar_days(dates, rule.calendar),
        rule.band_absolute,
        rule.band_relative,
        cost_bps / 10_000.0,
        cash,
        borrow,
    )
    return pd.Series(values, index=prices.index, name="value")
