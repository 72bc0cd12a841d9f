"""Backtests of fixed-weight portfolios over real funds spliced with their simulations.

:func:`backtest` (one portfolio, every figure), :func:`run_portfolios` (many at once),
:func:`simulate` (pandas in and out), :func:`stress_test` (presets over stress windows).

Names are imported on first use: :mod:`bondthesis.data.backtest_assets` reads the ticker grammar
of :mod:`bondthesis.backtesting.tickers` while the engine reads the panel, and importing the package
must not pull numba in before a backtest runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bondthesis.backtesting.engine import (
        DEFAULT_BORROW_SPREAD,
        AssetUse,
        BacktestResult,
        ManyResult,
        backtest,
        run_portfolios,
        simulate,
    )
    from bondthesis.backtesting.metrics import AnnualReturn, Drawdown, Metrics
    from bondthesis.backtesting.presets import PRESETS, STRESS_WINDOWS, Preset, StressWindow
    from bondthesis.backtesting.stress import StressResult, stress_test
    from bondthesis.backtesting.tickers import parse_portfolio, parse_ticker

_HOMES = {
    "bondthesis.backtesting.engine": (
        "DEFAULT_BORROW_SPREAD",
        "AssetUse",
        "BacktestResult",
        "ManyResult",
        "backtest",
        "run_portfolios",
        "simulate",
    ),
    "bondthesis.backtesting.metrics": ("AnnualReturn", "Drawdown", "Metrics"),
    "bondthesis.backtesting.presets": ("PRESETS", "STRESS_WINDOWS", "Preset", "StressWindow"),
    "bondthesis.backtesting.stress": ("StressResult", "stress_test"),
    "bondthesis.backtesting.tickers": ("parse_portfolio", "parse_ticker"),
}
_WHERE = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "DEFAULT_BORROW_SPREAD",
    "PRESETS",
    "STRESS_WINDOWS",
    "AnnualReturn",
    "AssetUse",
    "BacktestResult",
    "Drawdown",
    "ManyResult",
    "Metrics",
    "Preset",
    "StressResult",
    "StressWindow",
    "backtest",
    "parse_portfolio",
    "parse_ticker",
    "run_portfolios",
    "simulate",
    "stress_test",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'bondthesis.backtesting' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
