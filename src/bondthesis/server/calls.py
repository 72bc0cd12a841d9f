"""Each API route's library call, in one place: the document the CLI's ``--json`` prints.

The server computes nothing. Every function here takes the store and the already-validated
parameters of one route, calls the library's front door (``bondthesis.scorecard(store)`` and
the other tasks) and returns the result's ``to_dict()``: exactly what ``bondthesis <command>
... --json`` prints for the same arguments. What is kept between requests (the scenario's curve
and ladder, the backtest's asset panel) is a library object handed back to the library.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

import bondthesis as bt
from bondthesis.data.store import Store
from bondthesis.serialize import to_jsonable

__all__ = [
    "ScenarioArgs",
    "backtest",
    "backtest_portfolios",
    "claims",
    "montecarlo",
    "pillar",
    "pillar_names",
    "scenario",
    "scorecard",
    "series",
    "status",
    "store_version",
    "track",
]


def _document(value: Any) -> dict[str, Any]:
    """A document exactly as ``print_json`` writes it: ISO dates, ``null`` for NaN."""
    result = to_jsonable(value)
    assert isinstance(result, dict)
    return result


# -- the thesis --------------------------------------------------------------------------------


def scorecard(store: Store, *, as_of: date | None = None) -> dict[str, Any]:
    """``bondthesis scorecard [--as-of D] --json``."""
    return _document(bt.scorecard(store, as_of).to_dict())


def claims(store: Store, *, as_of: date | None = None) -> dict[str, Any]:
    """``bondthesis claims [--as-of D] --json`` (default: the article's date)."""
    return _document(bt.claims(store, as_of).to_dict())


def pillar_names() -> tuple[str, ...]:
    """The pillars ``/api/pillars/{name}`` knows."""
    from bondthesis.pillars import PILLARS

    return tuple(PILLARS)


def pillar(
    store: Store, name: str, *, events: bool = False, as_of: date | None = None
) -> dict[str, Any]:
    """``bondthesis pillar NAME [--events] [--as-of D] --json``; ``name`` is a known pillar."""
    return _document(bt.pillar(store, name, as_of, events=events).to_dict())


# -- scenarios ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioArgs:
    """The arguments of ``bondthesis scenario`` (same names, same units)."""

    shift_bp: float = -100.0
    horizon_months: float = 0.0
    twist_bp: float = 0.0
    daily_noise_bp: float = 0.0
    tlt: float = 0.40
    tmf: float = 0.20
    stocks: float = 0.30
    cash: float = 0.10
    stocks_return: float = 0.0
    financing_spread_bp: float = 47.0
    ladder: str = "simulated"
    as_of: date | None = None


# The curve and the ladder depend only on the store, the date and the ladder's kind; reading
# and building them is ~95% of a scenario's time, so they are kept per store version.
_inputs_lock = threading.Lock()
_inputs: dict[tuple[Any, ...], Any] = {}


def _scenario_inputs(store: Store, as_of: date | None, kind: str) -> Any:
    from bondthesis.data.curve import build_ladder, read_curve

    key = (str(store.path), store_version(store), as_of, kind)
    with _inputs_lock:
        cached = _inputs.get(key)
    if cached is not None:
        return cached
    reading = read_curve(store, as_of)
    ladder, ladder_text = build_ladder(store, reading, kind)
    with _inputs_lock:
        if len(_inputs) > 16:
            _inputs.clear()
        _inputs[key] = (reading, ladder, ladder_text)
    return reading, ladder, ladder_text


def scenario(store: Store, args: ScenarioArgs) -> dict[str, Any]:
    """``bondthesis scenario --shift-bp ... [--daily-noise-bp N] --json``.

    ``bondthesis.scenario`` itself, handed the curve and ladder this process keeps per store
    version (reading and building them is most of a request; the result is the same).
    """
    return _document(
        bt.scenario(
            store,
            args.shift_bp,
            horizon_months=args.horizon_months,
            twist_bp=args.twist_bp,
            tlt=args.tlt,
            tmf=args.tmf,
            stocks=args.stocks,
            cash=args.cash,
            stocks_return=args.stocks_return,
            financing_spread=args.financing_spread_bp * 1e-4,
            ladder=args.ladder,
            as_of=args.as_of,
            daily_noise_bp=args.daily_noise_bp,
            inputs=_scenario_inputs(store, args.as_of, args.ladder),
        ).to_dict()
    )


def montecarlo(store: Store, **options: Any) -> dict[str, Any]:
    """``bondthesis montecarlo --json`` with the CLI's option names as keywords.

    ``options`` holds every option of the command (``paths``, ``days``, ``model``, ``seed``,
    ..., ``weights`` as four numbers); the API has already checked their bounds.
    """
    return _document(bt.montecarlo(store=store, **options).to_dict())


# Reading and splicing the asset histories is ~4 s of a backtest and depends only on the store
# and the tickers; the engine takes a built panel in place of the store, with the same result.
_panels_lock = threading.Lock()
_panels: dict[tuple[Any, ...], Any] = {}


def _asset_panel(store: Store, tickers: list[str]) -> Any:
    from bondthesis.data.backtest_assets import load_asset_panel

    names = tuple(sorted(set(tickers)))
    key = (str(store.path), store_version(store), names)
    with _panels_lock:
        cached = _panels.get(key)
    if cached is not None:
        return cached
    panel = load_asset_panel(store, list(names))
    with _panels_lock:
        if len(_panels) > 8:
            _panels.clear()
        _panels[key] = panel
    return panel


def backtest(
    store: Store,
    *,
    weights: str | None,
    preset: str | None,
    rebalance: str | None,
    start: date | None,
    end: date | None,
    cost_bps: float,
) -> dict[str, Any]:
    """``bondthesis backtest [WEIGHTS | --preset P] [--rebalance] [--start] [--end] --json``."""
    from bondthesis.backtesting.engine import backtest as run_backtest
    from bondthesis.backtesting.engine import resolve_portfolio

    portfolio = preset if preset is not None else str(weights)
    resolved, _ = resolve_portfolio(portfolio)
    result = run_backtest(
        _asset_panel(store, list(resolved)),
        portfolio,
        rebalance=rebalance,
        start=start,
        end=end,
        cost_bps=cost_bps,
    )
    return _document(result.to_dict())


def backtest_portfolios(
    store: Store,
    portfolios: list[dict[str, float]],
    *,
    rebalance: str,
    start: date | None,
    end: date | None,
    cost_bps: float,
) -> dict[str, Any]:
    """Many portfolios at once (``backtesting.run_portfolios``): figures per portfolio."""
    from bondthesis.backtesting.engine import run_portfolios
    from bondthesis.backtesting.tickers import parse_ticker

    names = [parse_ticker(text).name for p in portfolios for text in p]
    result = run_portfolios(
        _asset_panel(store, names),
        portfolios,
        rebalance=rebalance,
        start=start,
        end=end,
        cost_bps=cost_bps,
    )
    return _document(result.to_dict())


def track(store: Store, *, since: date | None, weights: str | None) -> dict[str, Any]:
    """``bondthesis track [--since D] [--weights W] --json``."""
    from bondthesis.research.claims import ARTICLE_AS_OF

    result = bt.track(store, since or ARTICLE_AS_OF, weights)
    return _document(result.to_dict())


# -- the store ---------------------------------------------------------------------------------


def store_version(store: Store) -> tuple[int, int, int]:
    """Changes whenever the store's files change (a refresh here or in another process)."""
    stamps = []
    for path in (store.path, store.path.with_name(store.path.name + ".wal")):
        try:
            stat = path.stat()
        except FileNotFoundError:
            stamps.append((0, 0))
            continue
        stamps.append((stat.st_mtime_ns, stat.st_size))
    return (stamps[0][0], stamps[0][1], stamps[1][0] ^ stamps[1][1])


def status(store: Store) -> dict[str, Any]:
    """``bondthesis status --json`` for ``store``."""
    return _document(bt.status(store).to_dict())


def series(
    store: Store,
    key: str,
    *,
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
) -> dict[str, Any]:
    """``bondthesis series KEY [--start] [--end] [--as-of] --json`` for one catalog key."""
    return _document(bt.series(store, [key], start=start, end=end, as_of=as_of).to_dict())
