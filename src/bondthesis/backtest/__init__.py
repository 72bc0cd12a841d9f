"""Backtests of fixed-weight portfolios over real funds spliced with their simulations.

:func:`backtest` (one portfolio, every figure), :func:`run_portfolios` (many at once),
:func:`simulate` (pandas in and out), :func:`stress_test` (presets over stress windows).

Names are imported on first use: :mod:`bondthesis.data.backtest_assets` reads the ticker grammar
of :mod:`bondthesis.backtest.tickers` while the engine reads the panel, and importing the package
must not pull numba in before a backtest runs.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bondthesis.backtest.engine import (
        DEFAULT_BORROW_SPREAD,
        AssetUse,
        BacktestResult,
        ManyResult,
        backtest,
        run_portfolios,
        simulate,
    )
    from bondthesis.backtest.metrics import AnnualReturn, Drawdown, Metrics
    from bondthesis.backtest.presets import PRESETS, STRESS_WINDOWS, Preset, StressWindow
    from bondthesis.backtest.stress import StressResult, stress_test
    from bondthesis.backtest.tickers import parse_portfolio, parse_ticker

_HOMES = {
    "bondthesis.backtest.engine": (
        "DEFAULT_BORROW_SPREAD",
        "AssetUse",
        "BacktestResult",
        "ManyResult",
        "backtest",
        "run_portfolios",
        "simulate",
    ),
    "bondthesis.backtest.metrics": ("AnnualReturn", "Drawdown", "Metrics"),
    "bondthesis.backtest.presets": ("PRESETS", "STRESS_WINDOWS", "Preset", "StressWindow"),
    "bondthesis.backtest.stress": ("StressResult", "stress_test"),
    "bondthesis.backtest.tickers": ("parse_portfolio", "parse_ticker"),
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
        raise AttributeError(f"module 'bondthesis.backtest' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


class _CallablePackage(types.ModuleType):
    """``bondthesis.backtest`` is both this package and the front door's ``backtest`` task.

    Importing a submodule (``bondthesis.backtest.engine``) makes Python bind the package itself to
    ``bondthesis.backtest``, over the front door's lazy function; calling the package runs the
    task, so ``bondthesis.backtest(store, "article")`` works whichever was imported first.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from bondthesis.backtest.engine import backtest

        return backtest(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
