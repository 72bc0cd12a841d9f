"""Each API route's library call, in one place: the document the CLI's ``--json`` prints.

The server computes nothing. Every function here takes the store and the already-validated
parameters of one route and returns exactly the JSON document that ``bondthesis <command>
... --json`` prints for the same arguments. Until the library's front door (``bondthesis.
scorecard(store)`` and friends, results with ``to_dict()``) is on main, the documents come from
the same functions the CLI uses today; switching to the front door is a change to this module
only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from bondthesis.data.store import Store
from bondthesis.errors import CacheMiss, StoreError
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
    "track",
]


def _front_door(name: str) -> Any:
    """``bondthesis.<name>`` of the library's front door (issue 9), or None in builds before it.

    Looked up by name so that this module runs on both sides of that change; when it is on
    main everywhere, the old paths below go and these become plain imports.
    """
    import bondthesis

    return getattr(bondthesis, name, None)


def _module(name: str) -> Any:
    """The module ``name``, or None when this build does not have it."""
    import importlib
    import importlib.util

    try:
        found = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        return None
    return importlib.import_module(name) if found is not None else None


class NotInThisBuild(RuntimeError):
    """The route's library call has not landed in this build of bondthesis."""


def _document(value: Any) -> dict[str, Any]:
    """A document exactly as ``print_json`` writes it: ISO dates, ``null`` for NaN."""
    result = to_jsonable(value)
    assert isinstance(result, dict)
    return result


# -- the thesis --------------------------------------------------------------------------------


def scorecard(store: Store, *, as_of: date | None = None) -> dict[str, Any]:
    """``bondthesis scorecard [--as-of D] --json``."""
    front = _front_door("scorecard")
    if front is not None:
        return _document(front(store, as_of).to_dict())
    from bondthesis.cli.research import KEYS, scorecard_document
    from bondthesis.data.datasets import load_pillar_data
    from bondthesis.research.thesis import score, synthetic_ladder

    data = load_pillar_data(store, as_of=as_of, keys=KEYS)
    check = score(data, as_of, ladder=synthetic_ladder(data))
    return _document(scorecard_document(check))


def claims(store: Store, *, as_of: date | None = None) -> dict[str, Any]:
    """``bondthesis claims [--as-of D] --json`` (default: the article's date)."""
    front = _front_door("claims")
    if front is not None:
        return _document(front(store, as_of).to_dict())
    from bondthesis.cli.research import KEYS, claims_document
    from bondthesis.data.datasets import load_pillar_data
    from bondthesis.research.claims import ARTICLE_AS_OF
    from bondthesis.research.thesis import check_claims, score, synthetic_ladder

    when = as_of or ARTICLE_AS_OF
    latest_data = load_pillar_data(store, as_of=None, keys=KEYS)
    ladder = synthetic_ladder(latest_data)
    ledgers = []
    for day, data in (
        (when, load_pillar_data(store, as_of=when, keys=KEYS)),
        (None, latest_data),
    ):
        check = score(data, day, ladder=ladder, bootstrap_resamples=0)
        ledgers.append(check_claims(data, day, scorecard=check.scorecard, ladder=ladder))
    return _document(claims_document(*ledgers))


def pillar_names() -> tuple[str, ...]:
    """The pillars ``/api/pillars/{name}`` knows."""
    from bondthesis.pillars import PILLARS

    return tuple(PILLARS)


def pillar(
    store: Store, name: str, *, events: bool = False, as_of: date | None = None
) -> dict[str, Any]:
    """``bondthesis pillar NAME [--events] [--as-of D] --json``; ``name`` is a known pillar."""
    front = _front_door("pillar")
    if front is not None:
        return _document(front(store, name, as_of, events=events).to_dict())
    from bondthesis.bonds.ladder import TLT_EXPENSE_RATIO
    from bondthesis.cli.pillars import reading_to_dict
    from bondthesis.data.datasets import load_pillar_data
    from bondthesis.pillars import OUTCOME_KEYS, PILLAR_KEYS, PILLARS
    from bondthesis.research.events import build_outcomes, study_reading
    from bondthesis.research.thesis import EXTRA_KEYS, synthetic_ladder

    keys = (*PILLAR_KEYS, *OUTCOME_KEYS, *(EXTRA_KEYS if events else ()))
    data = load_pillar_data(store, as_of=as_of, keys=keys)
    reading = PILLARS[name](data, None)
    if events:
        ladder = synthetic_ladder(data)
        long_bonds = None if ladder is None else ladder.net_of_fee(TLT_EXPENSE_RATIO)
        outcomes = build_outcomes(
            data.panel,
            long_bonds,
            "synthetic TLT-like ladder since 1962 (bondthesis.bonds.ladder), net of TLT's "
            "0.15% fee",
        )
        reading = study_reading(reading, outcomes)
    return _document(reading_to_dict(reading))


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
    curve = _module("bondthesis.data.curve") or _module("bondthesis.cli.scenario")
    read_curve, build_ladder = curve.read_curve, curve.build_ladder

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
    """``bondthesis scenario --shift-bp ... --json``.

    ``daily_noise_bp`` > 0 (no CLI option yet) sends the headline rows along one seeded path
    with that daily noise that ends at the same yields; at 0 the document is the CLI's.
    """
    from bondthesis.scenarios.ladder_inputs import CurveShock
    from bondthesis.scenarios.paths import (
        FundTerms,
        PositionWeights,
        bridge_path,
        run_scenario,
        tmf_path_dependence,
    )

    weights = PositionWeights(tlt=args.tlt, tmf=args.tmf, stocks=args.stocks, cash=args.cash)
    shock = CurveShock(args.shift_bp, args.twist_bp)
    terms = FundTerms(financing_spread=args.financing_spread_bp * 1e-4)
    reading, ladder, ladder_text = _scenario_inputs(store, args.as_of, args.ladder)
    horizon_years = args.horizon_months / 12.0
    path = None
    if args.daily_noise_bp > 0.0:
        if horizon_years <= 0.0:
            raise ValueError("daily_noise_bp needs a horizon: set horizon_months > 0, e.g. 12")
        path = bridge_path(shock, horizon_years, args.daily_noise_bp, seed=0)
    result = run_scenario(
        ladder,
        reading.curve,
        shock,
        horizon_years,
        cash_rate=reading.cash_rate,
        weights=weights,
        stocks_return=args.stocks_return,
        terms=terms,
        path=path,
    )
    path_rows = (
        tmf_path_dependence(
            ladder, reading.curve, shock, horizon_years, cash_rate=reading.cash_rate, terms=terms
        )
        if horizon_years > 0
        else []
    )
    report = _module("bondthesis.scenarios.report")
    if report is not None:
        # The front door's ScenarioReport over the kept curve and ladder: the steps of
        # bondthesis.scenario(store, ...) without reading the store again.
        front_document = report.ScenarioReport(
            reading=reading,
            ladder_text=ladder_text,
            shock=shock,
            horizon_months=args.horizon_months,
            weights=weights,
            stocks_return=args.stocks_return,
            result=result,
            path_rows=tuple(path_rows),
        ).to_dict()
        if args.daily_noise_bp > 0.0:
            front_document["daily_noise_bp"] = args.daily_noise_bp
        return _document(front_document)
    d = result.decomposition
    document: dict[str, Any] = {
        "as_of": reading.as_of,
        "source": "FRED DGS10, DGS20, DGS30 (curve), DGS3MO (cash) from the local store",
        "curve": dict(zip(("10y", "20y", "30y"), reading.curve.yields.tolist(), strict=True)),
        "cash_rate": reading.cash_rate,
        "ladder": ladder_text,
        "note": reading.note,
        "shift_bp": shock.shift_bp,
        "twist_bp": shock.twist_bp,
        "horizon_months": args.horizon_months,
        "yield": result.risk.yield_,
        "duration": result.risk.duration_years,
        "convexity": result.risk.convexity_years2,
        "weights": {"TLT": args.tlt, "TMF": args.tmf, "stocks": args.stocks, "cash": args.cash},
        "stocks_return": args.stocks_return,
        "rows": [
            {
                "instrument": r.instrument,
                "price_return": r.price_return,
                "income": r.income,
                "total_return": r.total_return,
            }
            for r in result.rows
            if r.instrument in ("TLT", "TMF", "position")
        ],
        "ladder_decomposition": {
            "income": d.income,
            "pull_to_par": d.pull_to_par,
            "roll_down": d.roll_down,
            "duration": d.duration,
            "convexity": d.convexity,
            "residual": d.residual,
            "residual_bound": d.residual_bound,
            "total": d.total,
        },
        "tmf_path_dependence": [
            {
                "daily_vol_bp": p.daily_vol_bp,
                "tlt_total_return": p.tlt_total_return,
                "tmf_total_return": p.tmf_total_return,
                "index_volatility": p.index_volatility,
            }
            for p in path_rows
        ],
    }
    if args.daily_noise_bp > 0.0:
        document["daily_noise_bp"] = args.daily_noise_bp
    return _document(document)


def montecarlo(store: Store, **options: Any) -> dict[str, Any]:
    """``bondthesis montecarlo --json`` with the CLI's option names as keywords.

    ``options`` holds every option of the command (``paths``, ``days``, ``model``, ``seed``,
    ..., ``weights`` as four numbers); the API has already checked their bounds.
    """
    front = _front_door("montecarlo")
    if front is not None:
        try:
            return _document(front(store=store, **options).to_dict())
        except KeyError as exc:
            # The bootstrap cannot cut an open period from some stores' series (the CLI fails
            # the same way); a period inside the data works.
            raise ValueError(
                f"model {options['model']!r}: cannot cut that period from the stored series; "
                "give years inside the data, e.g. model=bootstrap:1990-2025"
            ) from exc
    from bondthesis.cli.montecarlo import _MODEL
    from bondthesis.cli.montecarlo import _document as montecarlo_document
    from bondthesis.scenarios.montecarlo import (
        BlockBootstrap,
        LeveragedFund,
        MonteCarloSpec,
        NormalShocks,
        PositionWeights,
        StockModel,
        StudentTShocks,
        TreasuryFund,
        simulate,
    )

    model = str(options["model"])
    match = _MODEL.match(model.strip().lower())
    if match is None:
        raise ValueError(f"model {model!r} is unknown; use normal, t, or bootstrap:FIRST-LAST")
    kind, first, last = match.groups()
    shocks: Any
    if kind == "bootstrap":
        first_year, last_year = int(first or 1900), int(last or 2999)
        if first_year > last_year:
            raise ValueError(
                f"model {model!r}: the period runs backwards; e.g. bootstrap:1990-2025"
            )
        history = _bootstrap_history(store, first_year, last_year)
        shocks = BlockBootstrap(history, block_days=options["block_days"])
    elif first is not None:
        raise ValueError(
            f"model {model!r}: only bootstrap takes a period, e.g. bootstrap:1990-2025"
        )
    elif kind == "normal":
        shocks = NormalShocks(daily_vol=options["vol_bp"] / 1e4)
    else:
        shocks = StudentTShocks(
            daily_vol=options["vol_bp"] / 1e4, degrees_of_freedom=options["dof"]
        )
    spec = MonteCarloSpec(
        n_paths=options["paths"],
        horizon_days=options["days"],
        shocks=shocks,
        start_yield=options["start_yield"],
        target_yield=options["target_yield"],
        reversion_per_year=options["reversion"],
        cash_rate=options["cash_rate"],
        cash_target=options["cash_target"],
        tlt=TreasuryFund(duration_years=options["duration"], convexity_years2=options["convexity"]),
        tmf=LeveragedFund(
            leverage=options["leverage"], financing_spread=options["financing_spread"]
        ),
        stocks=StockModel(
            options["stock_return"], options["stock_vol"], options["stock_correlation"]
        ),
        weights=PositionWeights(*options["weights"]),
        seed=options["seed"],
    )
    return _document(montecarlo_document(simulate(spec), model))


def _bootstrap_history(store: Store, first_year: int, last_year: int) -> Any:
    """What ``load_bootstrap_history`` of the CLI reads, raising instead of exiting."""
    from bondthesis.scenarios.montecarlo import bootstrap_history

    try:
        long_yield = store.read_series("DGS30") / 100.0
    except (CacheMiss, StoreError) as exc:
        raise CacheMiss(
            f"the bootstrap needs DGS30 in the store ({exc}); run `bondthesis refresh` first"
        ) from exc
    optional: dict[str, Any] = {}
    for key, name, scale in (("DGS3MO", "short_rate", 100.0), ("SPY", "stock_price", 1.0)):
        try:
            optional[name] = store.read_series(key) / scale
        except CacheMiss:
            optional[name] = None
    try:
        return bootstrap_history(
            long_yield,
            short_rate=optional["short_rate"],
            stock_price=optional["stock_price"],
            start=first_year,
            end=last_year,
        )
    except KeyError as exc:
        # The library cannot slice some stores' series to an open period (the CLI's
        # `--model bootstrap` fails the same way); a period inside the data works.
        raise ValueError(
            f"bootstrap:{first_year}-{last_year}: cannot cut that period from the stored "
            "series; give years inside the data, e.g. model=bootstrap:1990-2025"
        ) from exc


def _backtest_module(name: str) -> Any:
    """``bondthesis.backtest.<name>`` or ``bondthesis.research.<name>``, or NotInThisBuild.

    Imported by name so that this build runs (and says what is missing) before issue 12's
    modules are on main.
    """
    import importlib

    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        raise NotInThisBuild(
            "the backtest and the track record are not in this build of bondthesis yet "
            "(issue 12); update bondthesis"
        ) from exc


# Reading and splicing the asset histories is ~4 s of a backtest and depends only on the store
# and the tickers; the engine takes a built panel in place of the store, with the same result.
_panels_lock = threading.Lock()
_panels: dict[tuple[Any, ...], Any] = {}


def _asset_panel(store: Store, tickers: list[str]) -> Any:
    assets = _backtest_module("bondthesis.data.backtest_assets")
    names = tuple(sorted(set(tickers)))
    key = (str(store.path), store_version(store), names)
    with _panels_lock:
        cached = _panels.get(key)
    if cached is not None:
        return cached
    panel = assets.load_asset_panel(store, list(names))
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
    engine = _backtest_module("bondthesis.backtest.engine")
    portfolio = preset if preset is not None else str(weights)
    resolved, _ = engine.resolve_portfolio(portfolio)
    result = engine.backtest(
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
    """Many portfolios at once (``bondthesis.backtest.run_portfolios``): figures per portfolio."""
    engine = _backtest_module("bondthesis.backtest.engine")
    tickers = _backtest_module("bondthesis.backtest.tickers")
    names = [tickers.parse_ticker(text).name for p in portfolios for text in p]
    result = engine.run_portfolios(
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
    module = _backtest_module("bondthesis.research.track")
    claims_module = _backtest_module("bondthesis.research.claims")
    result = module.track(store, since or claims_module.ARTICLE_AS_OF, weights)
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
    front = _front_door("status")
    if front is not None:
        return _document(front(store).to_dict())
    from datetime import datetime

    from bondthesis.catalog import CATALOG
    from bondthesis.cli.data import _staleness
    from bondthesis.data.store import SeriesStatus

    known: dict[str, SeriesStatus] = {}
    if store.path.exists():
        known = {s.series: s for s in store.status()}
    today = datetime.now().date()
    records = []
    for key, spec in CATALOG.items():
        st = known.get(key)
        last = st.last_date if st else None
        state, age = _staleness(spec, last, today)
        records.append(
            {
                "series": key,
                "title": spec.title,
                "frequency": spec.frequency.value,
                "first_date": st.first_date if st else None,
                "last_date": last,
                "age_days": age,
                "state": state,
                "rows": st.rows if st else 0,
                "provider": spec.provider.value,
                "served_by": st.served_by if st else None,
                "last_status": st.last_status if st else None,
                "last_error": st.last_error if st else None,
            }
        )
    return _document({"store": str(store.path), "series": records})


def series(
    store: Store,
    key: str,
    *,
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
) -> dict[str, Any]:
    """``bondthesis series KEY [--start] [--end] [--as-of] --json`` for one catalog key."""
    front = _front_door("series")
    if front is not None:
        return _document(front(store, [key], start=start, end=end, as_of=as_of).to_dict())
    import pandas as pd

    from bondthesis.catalog import get_spec

    spec = get_spec(key)
    served = {s.series: s.served_by for s in store.status()}
    values = store.read_series(spec.key, start=start, end=end, as_of=as_of)
    document = {
        "series": {
            spec.key: {
                "units": spec.units,
                "source": f"{spec.provider.value} ({served.get(spec.key) or 'unknown'})",
                "observations": [
                    {"date": day.date().isoformat(), "value": None if pd.isna(v) else float(v)}
                    for day, v in zip(values.index, values.to_numpy(), strict=True)
                ],
            }
        }
    }
    return _document(document)
