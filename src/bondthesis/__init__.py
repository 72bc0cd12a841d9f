"""bondthesis: a macro thesis on long-duration US Treasuries, made checkable with public data.

The front door. Each task takes a :class:`Store` (or plain arguments) and returns a frozen
result whose ``to_dict()`` is the JSON document the CLI's ``--json`` prints::

    import bondthesis as bt

    store = bt.Store(bt.Settings.from_env().store_path)
    bt.scorecard(store).to_dict()["composite"]["verdict"]

``import bondthesis`` is cheap: every name below loads its module on first use (numba, pandas,
DuckDB and Dask only come with the task that needs them). :data:`_EXPORTS` is the table of
names, one per line and sorted, ``name -> "module:attribute"``.
"""

from __future__ import annotations

import importlib as _importlib
from typing import Any as _Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "BondThesisError": "bondthesis.errors:BondThesisError",
    "CacheMiss": "bondthesis.errors:CacheMiss",
    "ConfigError": "bondthesis.errors:ConfigError",
    "ConvergenceError": "bondthesis.errors:ConvergenceError",
    "PayloadChanged": "bondthesis.errors:PayloadChanged",
    "Settings": "bondthesis.config:Settings",
    "SourceError": "bondthesis.errors:SourceError",
    "SourceRejected": "bondthesis.errors:SourceRejected",
    "SourceUnavailable": "bondthesis.errors:SourceUnavailable",
    "StaleDataWarning": "bondthesis.errors:StaleDataWarning",
    "Store": "bondthesis.data.store:Store",
    "StoreBusy": "bondthesis.errors:StoreBusy",
    "StoreError": "bondthesis.errors:StoreError",
    "backtest": "bondthesis.backtesting.engine:backtest",
    "bond": "bondthesis.bonds.quote:bond",
    "build_report": "bondthesis.report.build:build_report",
    "claims": "bondthesis.research.thesis_report:claims",
    "fund": "bondthesis.funds.report:fund",
    "montecarlo": "bondthesis.scenarios.montecarlo_run:montecarlo",
    "pillar": "bondthesis.research.pillar_study:pillar",
    "refresh": "bondthesis.data.refresh:refresh",
    "scenario": "bondthesis.scenarios.report:scenario",
    "scorecard": "bondthesis.research.thesis_report:scorecard",
    "series": "bondthesis.data.series_view:series",
    "status": "bondthesis.data.status:status",
    "track": "bondthesis.research.track:track",
    "walkforward": "bondthesis.research.walkforward:walkforward",
    "watch": "bondthesis.watching.run:watch",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> _Any:
    """Import the module behind ``name`` on first use and keep the attribute."""
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'bondthesis' has no attribute {name!r}")
    module_name, _, attribute = target.partition(":")
    value = getattr(_importlib.import_module(module_name), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
