"""The presets side by side over the stress windows, the longest history and since the funds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from bondthesis.backtesting.engine import DEFAULT_BORROW_SPREAD, backtest, resolve_portfolio
from bondthesis.backtesting.presets import PRESETS, STRESS_WINDOWS, StressWindow
from bondthesis.data.backtest_assets import AssetPanel, load_asset_panel
from bondthesis.data.store import Store
from bondthesis.serialize import Serializable

__all__ = ["StressFigure", "StressResult", "StressRow", "stress_test"]

FUNDS_INCEPTION = date(2009, 4, 16)
"""TMF's first close: from here on the article's position is made of real funds only."""


@dataclass(frozen=True)
class StressFigure(Serializable):
    """One portfolio over one window: total return, max drawdown, and whether any was simulated."""

    portfolio: str
    total_return: float
    cagr: float
    max_drawdown: float
    simulated: bool


@dataclass(frozen=True)
class StressRow(Serializable):
    """One window (the dates actually used: last closes on or before those asked for)."""

    window: str
    description: str
    start: date
    end: date
    years: float
    figures: tuple[StressFigure, ...]


@dataclass(frozen=True)
class StressResult(Serializable):
    """Rows of windows, columns of portfolios (each with its preset's rebalancing)."""

    portfolios: dict[str, dict[str, float]]
    rows: tuple[StressRow, ...]
    cost_bps: float


def stress_test(
    store: Store | AssetPanel,
    portfolios: Mapping[str, str | Mapping[str, float]] | Sequence[str] | None = None,
    windows: Sequence[StressWindow] = STRESS_WINDOWS,
    cost_bps: float = 0.0,
    *,
    borrow_spread: float = DEFAULT_BORROW_SPREAD,
) -> StressResult:
    """Each portfolio over the longest common history, since 2009-04-16 and each stress window.

    ``portfolios`` maps a label to weights or a preset name (default: every preset); a list of
    preset names also works.
    """
    if portfolios is None:
        chosen: dict[str, str | Mapping[str, float]] = {name: name for name in PRESETS}
    elif isinstance(portfolios, Mapping):
        chosen = dict(portfolios)
    else:
        chosen = {name: name for name in portfolios}
    resolved = {label: resolve_portfolio(spec) for label, spec in chosen.items()}
    tickers = sorted({t for weights, _ in resolved.values() for t in weights})
    panel = store if isinstance(store, AssetPanel) else load_asset_panel(store, tickers)
    first, last = panel.dates[0].date(), panel.dates[-1].date()
    spans = [
        StressWindow("longest", first, last, "The longest history all holdings share"),
        StressWindow("since TMF", FUNDS_INCEPTION, last, "Since TMF's first close: real funds"),
        *windows,
    ]
    rows = []
    for window in spans:
        if window.end < first or window.start > last:
            continue
        figures = []
        start_used = end_used = None
        for label, (weights, preset) in resolved.items():
            result = backtest(
                panel,
                weights,
                rebalance=preset.rebalance if preset else None,
                start=window.start,
                end=window.end,
                cost_bps=cost_bps,
                borrow_spread=borrow_spread,
            )
            start_used, end_used = result.metrics.start, result.metrics.end
            figures.append(
                StressFigure(
                    label,
                    result.metrics.total_return,
                    result.metrics.cagr,
                    result.metrics.max_drawdown,
                    result.simulated_share > 0.0,
                )
            )
        assert start_used is not None
        assert end_used is not None
        years = (end_used - start_used).days / 365.25
        rows.append(
            StressRow(window.name, window.description, start_used, end_used, years, tuple(figures))
        )
    return StressResult(
        portfolios={label: weights for label, (weights, _) in resolved.items()},
        rows=tuple(rows),
        cost_bps=float(cost_bps),
    )
