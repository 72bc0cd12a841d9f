"""The JSON API: parse and bound the parameters, call :mod:`~bondthesis.server.calls`, return.

Every route returns the document ``bondthesis <command> --json`` prints for the same arguments.
Routes are plain ``def`` functions, so FastAPI runs them in its threadpool: a Monte Carlo that
takes seconds never holds up a status request. Bounds on work (paths, days, horizons) are part
of each parameter's schema, so the OpenAPI spec says them and a request past them gets a 422
that names the parameter and the allowed range.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, Field

from bondthesis.data.store import Store
from bondthesis.server import calls
from bondthesis.server.documents import cached_document
from bondthesis.server.refresh_job import RefreshJob

__all__ = ["MAX_DAYS", "MAX_PATHS", "MAX_PATH_DAYS", "router"]

# Work bounds of the Monte Carlo: a request answers in seconds, not minutes, and holds at most
# ~100 MB of working memory (the CLI allows more, for batch runs).
MAX_PATHS = 2_000_000
MAX_DAYS = 2_520  # ten years of trading days
MAX_PATH_DAYS = 252_000_000  # paths x days: a million paths for a year

RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The document `bondthesis <command> --json` prints",
        "content": {"application/json": {"schema": {"type": "object"}}},
    },
    404: {"description": "The data asked for is not in the store; the message says how to get it"},
    409: {"description": "A refresh is already running"},
    415: {"description": "A refresh was asked for without a JSON body"},
    422: {"description": "A parameter is out of range; the message says how to fix it"},
    503: {"description": "The store is busy (a refresh is writing) or the call is not built"},
}

router = APIRouter(prefix="/api", responses=RESPONSES)


def _json(document: dict[str, Any]) -> JSONResponse:
    """The document as the response, as it is: it is JSON-ready already (``to_jsonable``), so
    FastAPI's encoder and response model, which would walk it again, are skipped."""
    return JSONResponse(document)


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# pandas' nanosecond timestamps end at 1677 and 2262; the data starts in 1871.
FIRST_DATE, LAST_DATE = date(1850, 1, 1), date(2199, 12, 31)


def _iso_date_only(value: object) -> object:
    """Dates as YYYY-MM-DD only (pydantic would also read ``1700000000`` as a Unix time),
    between :data:`FIRST_DATE` and :data:`LAST_DATE`."""
    if value is None or isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError(f"write the date as YYYY-MM-DD, e.g. 2024-06-30 (got {value!r})")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a calendar date; e.g. 2024-06-30") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(f"dates run from {FIRST_DATE} to {LAST_DATE}; got {value}")
    return day


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]

AsOf = Annotated[
    IsoDate | None,
    Query(description="Use only what was published by this date (YYYY-MM-DD)."),
]


# -- the thesis --------------------------------------------------------------------------------


@router.get("/scorecard", summary="The nine pillars and the composite (`bondthesis scorecard`)")
def scorecard(request: Request, as_of: AsOf = None) -> JSONResponse:
    store = _store(request)
    return _json(
        cached_document(request, "scorecard", (as_of,), lambda: calls.scorecard(store, as_of=as_of))
    )


@router.get("/claims", summary="The article's claims, then and now (`bondthesis claims`)")
def claims(
    request: Request,
    as_of: Annotated[
        IsoDate | None,
        Query(description="Date of the first evaluation (default: the article's date)."),
    ] = None,
) -> JSONResponse:
    store = _store(request)
    return _json(
        cached_document(request, "claims", (as_of,), lambda: calls.claims(store, as_of=as_of))
    )


@router.get("/pillars/{name}", summary="One pillar's reading (`bondthesis pillar NAME`)")
def pillar(
    request: Request,
    name: Annotated[str, PathParam(description="A pillar, e.g. valuation.")],
    events: Annotated[bool, Query(description="Add the event study of past triggers.")] = False,
    as_of: AsOf = None,
) -> JSONResponse:
    known = calls.pillar_names()
    key = name.strip().lower().replace("-", "_")
    if key not in known:
        import difflib

        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ValueError(f"unknown pillar {name!r}; {hint}choose one of: {', '.join(known)}")
    store = _store(request)
    return _json(
        cached_document(
            request,
            "pillar",
            (key, events, as_of),
            lambda: calls.pillar(store, key, events=events, as_of=as_of),
        )
    )


# -- scenarios ---------------------------------------------------------------------------------


@router.get("/scenario", summary="A yield shock for TLT, TMF and the position (`scenario`)")
def scenario(
    request: Request,
    shift_bp: Annotated[
        float, Query(ge=-1000, le=1000, description="Parallel move of the curve, bp.")
    ] = -100.0,
    horizon_months: Annotated[
        float, Query(ge=0, le=120, description="Months over which it unfolds; 0 = at once.")
    ] = 0.0,
    twist_bp: Annotated[
        float, Query(ge=-500, le=500, description="Change of 30y minus 10y, bp (pivot 20y).")
    ] = 0.0,
    daily_noise_bp: Annotated[
        float,
        Query(
            ge=0,
            le=50,
            description="Daily noise of the path to the same end yields, bp (needs a horizon).",
        ),
    ] = 0.0,
    tlt: Annotated[float, Query(ge=0, le=1, description="Weight in TLT.")] = 0.40,
    tmf: Annotated[float, Query(ge=0, le=1, description="Weight in TMF.")] = 0.20,
    stocks: Annotated[float, Query(ge=0, le=1, description="Weight in stocks.")] = 0.30,
    cash: Annotated[float, Query(ge=0, le=1, description="Weight in cash (earns DGS3MO).")] = 0.10,
    stocks_return: Annotated[
        float, Query(ge=-1, le=10, description="Stocks' total return over the horizon, decimal.")
    ] = 0.0,
    financing_spread_bp: Annotated[
        float, Query(ge=-500, le=2000, description="TMF's financing cost over bills, bp a year.")
    ] = 47.0,
    ladder: Annotated[
        Literal["simulated", "rebuilt", "par"], Query(description="Which TLT-like ladder.")
    ] = "simulated",
    as_of: AsOf = None,
) -> JSONResponse:
    args = calls.ScenarioArgs(
        shift_bp=shift_bp,
        horizon_months=horizon_months,
        twist_bp=twist_bp,
        daily_noise_bp=daily_noise_bp,
        tlt=tlt,
        tmf=tmf,
        stocks=stocks,
        cash=cash,
        stocks_return=stocks_return,
        financing_spread_bp=financing_spread_bp,
        ladder=ladder,
        as_of=as_of,
    )
    return _json(calls.scenario(_store(request), args))


def _weights(text: str) -> tuple[float, float, float, float]:
    example = "give four numbers tlt,tmf,stocks,cash, e.g. weights=0.4,0.2,0.3,0.1"
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise ValueError(f"weights {text!r}: {example}") from None
    if len(values) != 4:
        raise ValueError(f"weights {text!r}: {example}")
    return values[0], values[1], values[2], values[3]


@router.get("/montecarlo", summary="Monte Carlo of TLT, TMF, stocks and the mix (`montecarlo`)")
def montecarlo(
    request: Request,
    paths: Annotated[int, Query(ge=1, le=MAX_PATHS, description="Number of paths.")] = 100_000,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS, description="Trading days per path.")] = 252,
    model: Annotated[
        str,
        Query(
            pattern=r"^(normal|t|bootstrap)(:\d{4}-\d{4})?$",
            description="normal, t, or bootstrap:FIRST-LAST (years).",
        ),
    ] = "normal",
    seed: Annotated[int, Query(ge=0, le=2**32 - 1, description="Random seed.")] = 0,
    start_yield: Annotated[
        float | None,
        Query(gt=-0.05, lt=0.5, description="Long yield on day 0, decimal (default: the store's)."),
    ] = None,
    vol_bp: Annotated[
        float, Query(ge=0, le=100, description="Daily yield volatility, bp (normal, t).")
    ] = 5.5,
    dof: Annotated[float, Query(gt=2, le=1000, description="Student-t degrees of freedom.")] = 4.0,
    block_days: Annotated[int, Query(ge=1, le=252, description="Bootstrap block length.")] = 21,
    target_yield: Annotated[
        float | None, Query(gt=-0.05, lt=0.5, description="Yield the path drifts toward.")
    ] = None,
    reversion: Annotated[
        float, Query(ge=0, le=50, description="Speed of that drift, per year.")
    ] = 1.0,
    cash_rate: Annotated[
        float | None,
        Query(gt=-0.05, lt=0.5, description="Bill rate on day 0, decimal (default: the store's)."),
    ] = None,
    cash_target: Annotated[
        float | None, Query(gt=-0.05, lt=0.5, description="Short rate it drifts toward.")
    ] = None,
    leverage: Annotated[float, Query(ge=1, le=5, description="TMF-like leverage.")] = 3.0,
    financing_spread: Annotated[
        float, Query(ge=-0.05, le=0.2, description="TMF's financing over the short rate.")
    ] = 0.0047,
    duration: Annotated[
        float | None,
        Query(gt=0, le=40, description="TLT-like duration, years (default: the store's ladder)."),
    ] = None,
    convexity: Annotated[
        float | None,
        Query(ge=0, le=2000, description="TLT-like convexity, years² (default: the ladder's)."),
    ] = None,
    weights: Annotated[
        str, Query(description="Held mix tlt,tmf,stocks,cash (sums to 1).")
    ] = "0.4,0.2,0.3,0.1",
    stock_return: Annotated[
        float, Query(ge=-0.9, le=1, description="Stocks' expected return a year.")
    ] = 0.07,
    stock_vol: Annotated[float, Query(ge=0, le=2, description="Stocks' volatility.")] = 0.18,
    stock_correlation: Annotated[
        float, Query(ge=-1, le=1, description="Correlation of stock returns with dy.")
    ] = 0.17,
) -> JSONResponse:
    if paths * days > MAX_PATH_DAYS:
        raise ValueError(
            f"paths x days is {paths * days:,}, above the app's {MAX_PATH_DAYS:,}; lower "
            f"paths or days, e.g. paths={MAX_PATH_DAYS // days:,} for {days} days "
            "(the CLI runs bigger batches)"
        )
    options = {
        "paths": paths,
        "days": days,
        "model": model,
        "seed": seed,
        "start_yield": start_yield,
        "vol_bp": vol_bp,
        "dof": dof,
        "block_days": block_days,
        "target_yield": target_yield,
        "reversion": reversion,
        "cash_rate": cash_rate,
        "cash_target": cash_target,
        "leverage": leverage,
        "financing_spread": financing_spread,
        "duration": duration,
        "convexity": convexity,
        "weights": _weights(weights),
        "stock_return": stock_return,
        "stock_vol": stock_vol,
        "stock_correlation": stock_correlation,
    }
    store = _store(request)
    key = tuple(sorted((k, str(v)) for k, v in options.items()))
    return _json(
        cached_document(request, "montecarlo", key, lambda: calls.montecarlo(store, **options))
    )


MAX_PORTFOLIOS = 10_000
REBALANCE_PATTERN = r"^(monthly|quarterly|yearly|daily|none|band:\d+(\.\d+)?|relband:\d+(\.\d+)?)$"


@router.get("/backtest", summary="A portfolio over history (`bondthesis backtest`)")
def backtest(
    request: Request,
    weights: Annotated[
        str | None,
        Query(
            max_length=500,
            description='Weights, e.g. "TLT=0.4,TMF=0.2,SPY=0.4" (or give a preset).',
        ),
    ] = None,
    preset: Annotated[
        str | None, Query(max_length=40, description="article, spy, 6040 or hfea.")
    ] = None,
    rebalance: Annotated[
        str | None,
        Query(
            pattern=REBALANCE_PATTERN,
            description="monthly, quarterly, yearly, daily, none, band:5 or relband:25.",
        ),
    ] = None,
    start: Annotated[IsoDate | None, Query(description="First day, YYYY-MM-DD.")] = None,
    end: Annotated[IsoDate | None, Query(description="Last day, YYYY-MM-DD.")] = None,
    cost_bps: Annotated[
        float, Query(ge=0, le=1000, description="Cost in bp of every amount traded.")
    ] = 0.0,
) -> JSONResponse:
    if (weights is None) == (preset is None):
        raise ValueError(
            "give weights (e.g. weights=TLT=0.4,TMF=0.2,SPY=0.4) or preset=article|spy|6040|hfea,"
            " one of the two"
        )
    if start and end and start > end:
        raise ValueError(f"start {start} is after end {end}; swap them")
    store = _store(request)
    options = {
        "weights": weights,
        "preset": preset,
        "rebalance": rebalance,
        "start": start,
        "end": end,
        "cost_bps": cost_bps,
    }
    key = tuple(sorted((k, str(v)) for k, v in options.items()))
    return _json(
        cached_document(
            request,
            "backtest",
            key,
            lambda: calls.backtest(store, **options),  # type: ignore[arg-type]
        )
    )


class PortfoliosRequest(BaseModel):
    """Many fixed-weight portfolios over one window."""

    portfolios: list[dict[str, float]] = Field(
        min_length=1,
        max_length=MAX_PORTFOLIOS,
        description='One mapping per portfolio, e.g. [{"TLT": 0.4, "TMF": 0.2, "SPY": 0.4}].',
    )
    rebalance: str = Field(default="monthly", pattern=REBALANCE_PATTERN)
    start: IsoDate | None = None
    end: IsoDate | None = None
    cost_bps: float = Field(default=0.0, ge=0, le=1000)


@router.post(
    "/backtest/portfolios",
    summary="Up to 10,000 portfolios at once: each one's CAGR, volatility, Sharpe, drawdown",
)
def backtest_portfolios(request: Request, body: PortfoliosRequest) -> JSONResponse:
    if body.start and body.end and body.start > body.end:
        raise ValueError(f"start {body.start} is after end {body.end}; swap them")
    return _json(
        calls.backtest_portfolios(
            _store(request),
            body.portfolios,
            rebalance=body.rebalance,
            start=body.start,
            end=body.end,
            cost_bps=body.cost_bps,
        )
    )


@router.get("/track", summary="The position since the article (`bondthesis track`)")
def track(
    request: Request,
    since: Annotated[
        IsoDate | None, Query(description="Start date (default: the article's, 2026-01-31).")
    ] = None,
    weights: Annotated[
        str | None,
        Query(max_length=500, description='The position, e.g. "TLT=0.4,TMF=0.2,SPY=0.4".'),
    ] = None,
) -> JSONResponse:
    store = _store(request)
    return _json(
        cached_document(
            request,
            "track",
            (since, weights),
            lambda: calls.track(store, since=since, weights=weights),
        )
    )


# -- the store ---------------------------------------------------------------------------------


@router.get("/series/{key}", summary="One series from the store (`bondthesis series KEY`)")
def series(
    request: Request,
    key: Annotated[str, PathParam(description="A catalog key, e.g. DGS30.")],
    start: Annotated[IsoDate | None, Query(description="First date, YYYY-MM-DD.")] = None,
    end: Annotated[IsoDate | None, Query(description="Last date, YYYY-MM-DD.")] = None,
    as_of: AsOf = None,
) -> JSONResponse:
    if start and end and start > end:
        raise ValueError(f"start {start} is after end {end}; swap them")
    return _json(calls.series(_store(request), key, start=start, end=end, as_of=as_of))


@router.get("/status", summary="Each series: last date and staleness (`bondthesis status`)")
def status(request: Request) -> JSONResponse:
    store = _store(request)
    return _json(cached_document(request, "status", (), lambda: calls.status(store)))


class RefreshRequest(BaseModel):
    """What to refresh; an empty body refreshes every series from the providers."""

    only: list[str] | None = Field(
        default=None, description='Catalog keys, e.g. ["DGS30", "TLT"]; default all.'
    )
    full: bool = Field(default=False, description="Fetch whole histories, not just what is new.")
    snapshot: str | None = Field(
        default=None,
        description="Load this local folder in the providers' formats instead of the network.",
    )


@router.get("/refresh", summary="Progress of the current or last refresh")
def refresh_progress(request: Request) -> JSONResponse:
    job: RefreshJob = request.app.state.refresh_job
    return _json(job.snapshot().to_dict())


@router.post("/refresh", status_code=202, summary="Start a refresh in the background")
def refresh_start(
    request: Request, body: Annotated[RefreshRequest | None, Body()] = None
) -> JSONResponse:
    from bondthesis.catalog import get_spec

    # Only a script of this app (or a client that means it) sends JSON: a form or a no-cors
    # fetch from another site cannot, so it cannot start refreshes behind the reader's back.
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return JSONResponse(
            {"error": "send a JSON body with Content-Type: application/json, e.g. {} for all"},
            status_code=415,
        )
    wanted = body or RefreshRequest()
    keys = [get_spec(k).key for k in wanted.only] if wanted.only else None
    folder = Path(wanted.snapshot).expanduser() if wanted.snapshot else None
    job: RefreshJob = request.app.state.refresh_job
    state = job.start(only=keys, full=wanted.full, snapshot_folder=folder)
    return JSONResponse(state.to_dict(), status_code=202)
