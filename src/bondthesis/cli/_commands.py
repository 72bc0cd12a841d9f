"""The table of commands, and the typer group that imports a command's module only when it runs.

``bondthesis --help`` lists the commands from :data:`COMMANDS` (name, where the function lives,
its one-line help) without importing any of them, so it never pays for pandas, numba or DuckDB.
A command's module is imported when that command is invoked (or its own ``--help`` is shown).
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

__all__ = ["COMMANDS", "LazyGroup", "load_command"]

# name -> ("module:function", one-line help), in the order ``--help`` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "refresh": (
        "bondthesis.cli.data:refresh",
        "Fetch every series of the catalog into the local store (incremental), then summarise.",
    ),
    "status": (
        "bondthesis.cli.data:status",
        "Each series: last date, staleness against its frequency, provider, last error.",
    ),
    "series": (
        "bondthesis.cli.data:series",
        "Print one or more series from the store, as published (optionally point in time).",
    ),
    "bond": (
        "bondthesis.cli.bonds:bond",
        "Clean and dirty price, accrued interest, durations, convexity and DV01 of a Treasury.",
    ),
    "fund": (
        "bondthesis.cli.funds:fund",
        "Calendar-year returns of a fund, simulated since 1962 against the real fund.",
    ),
    "scenario": (
        "bondthesis.cli.scenario:scenario",
        "Shift and twist the curve; reprice the TLT-like ladder, TMF and the position.",
    ),
    "pillar": (
        "bondthesis.cli.pillars:pillar",
        "One pillar of the thesis: value, percentile, verdict and the rule behind it.",
    ),
    "scorecard": (
        "bondthesis.cli.research:scorecard",
        "The nine pillars, weighted by out-of-sample skill, and what followed similar readings.",
    ),
    "claims": (
        "bondthesis.cli.research:claims",
        "Each of the article's eleven claims: the figure, its date and a verdict, then and now.",
    ),
    "montecarlo": (
        "bondthesis.cli.montecarlo:montecarlo",
        "Monte Carlo of TLT, TMF, stocks and the held mix; same arguments, same numbers.",
    ),
    "backtest": (
        "bondthesis.cli.backtest:backtest",
        "Backtest a portfolio on real funds spliced with their simulations since 1962.",
    ),
    "track": (
        "bondthesis.cli.track:track",
        "The position since the article against SPY and 60/40, and the pillars then and now.",
    ),
    "walkforward": (
        "bondthesis.cli.track:walkforward",
        "The scorecard as an allocation rule, walked forward, and each pillar's statistics.",
    ),
    "report": (
        "bondthesis.cli.report:report",
        "Write the report: verdict, scorecard, claims, pillars, scenarios, Monte Carlo, data.",
    ),
    "serve": (
        "bondthesis.cli.serve:serve",
        "Serve the pages (report, scenario explorer, Monte Carlo, backtest) and the JSON API.",
    ),
    "watch": (
        "bondthesis.cli.watch:watch",
        "Re-check the thesis and report what flipped since the last run (latched, once each).",
    ),
}

_LOADED: dict[str, Any] = {}


def load_command(name: str) -> Any:
    """The click command of ``name``, built from its typer function on first use."""
    if name not in _LOADED:
        module_name, _, function = COMMANDS[name][0].partition(":")
        callback = getattr(importlib.import_module(module_name), function)
        single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        single.command(name)(callback)
        _LOADED[name] = typer.main.get_command(single)
    return _LOADED[name]


class _LazyCommand(TyperCommand):
    """Stands for a command in the listing; turns into the real one when it is invoked."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        real = load_command(self.name or "")
        return real.make_context(info_name, args, parent=parent, **extra)


class LazyGroup(TyperGroup):
    """A typer group whose commands are the entries of :data:`COMMANDS`, imported on use."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(n for n in super().list_commands(ctx) if n not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in COMMANDS:
            text = COMMANDS[cmd_name][1]
            return _LazyCommand(cmd_name, help=text, short_help=text)
        return super().get_command(ctx, cmd_name)
