"""The Monte Carlo as one call: arguments (or a spec) in, a report with its JSON document out.

The ``montecarlo`` task of the front door. ``model`` is ``normal``, ``t`` or
``bootstrap:FIRST-LAST`` (years); the bootstrap reads DGS30, DGS3MO and SPY from the store
(:func:`~bondthesis.data.market_history.load_bootstrap_history`). The start yield, duration,
convexity and bill rate not given come from the store's TLT-like ladder
(:mod:`bondthesis.scenarios.market_start`); each figure's origin is in the report's ``start``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bondthesis.funds.terms import TMF_FINANCING_SPREAD, TMF_LEVERAGE
from bondthesis.serialize import Serializable, to_jsonable

if TYPE_CHECKING:
    from bondthesis.data.store import Store
    from bondthesis.scenarios.market_start import StartingPoint
    from bondthesis.scenarios.montecarlo import MonteCarloResult, MonteCarloSpec

__all__ = ["MAX_PATHS", "MonteCarloReport", "load_bootstrap_history", "montecarlo", "parse_model"]

MAX_PATHS = 20_000_000  # 80 bytes of results per path: 1.6 GB
_MODEL = re.compile(r"^(normal|t|bootstrap)(?::(\d{4})-(\d{4}))?$")


def parse_model(text: str, option: str = "model") -> tuple[str, int, int]:
    """(kind, first year, last year) of ``normal``, ``t`` or ``bootstrap[:FIRST-LAST]``.

    ``option`` names the argument in the error message (the CLI passes ``--model``).

    >>> parse_model("bootstrap:1990-2025")
    ('bootstrap', 1990, 2025)
    >>> parse_model("t")
    ('t', 1900, 2999)
    """
    match = _MODEL.match(text.strip().lower())
    if match is None:
        raise ValueError(
            f"{option} {text!r} is unknown; use normal, t, or bootstrap:FIRST-LAST (years)"
        )
    kind, first, last = match.groups()
    if kind != "bootstrap" and first is not None:
        raise ValueError(
            f"{option} {text!r}: only bootstrap takes a period, e.g. bootstrap:1990-2025"
        )
    first_year = int(first) if first else 1900
    last_year = int(last) if last else 2999
    if first_year > last_year:
        raise ValueError(f"{option} {text!r}: the period runs backwards; write bootstrap:1990-2025")
    return kind, first_year, last_year


def load_bootstrap_history(store: Store, first_year: int, last_year: int) -> Any:
    """The bootstrap's history from ``store`` (tests replace this name to pass their own)."""
    from bondthesis.data.market_history import load_bootstrap_history as load

    return load(store, first_year, last_year)


@dataclass(frozen=True, eq=False)
class MonteCarloReport(Serializable):
    """The run (``result``: spec, outcomes, terminal yields), the model it was asked with, and
    where its starting figures came from (``start``; None when a spec was passed in)."""

    result: MonteCarloResult
    model: str
    start: StartingPoint | None = None

    def to_dict(self) -> dict[str, Any]:
        """Spec, terminal-yield quantiles, each instrument's outcome, and ``start``: the starting
        figures with their origins (``store``, ``option``, ``fixed``)."""
        result = self.result
        spec = result.spec
        period = result.bootstrap_period
        document = {
            "model": self.model,
            "paths": spec.n_paths,
            "days": spec.horizon_days,
            "seed": spec.seed,
            "start_yield": spec.start_yield,
            "target_yield": spec.target_yield,
            "cash_rate": spec.cash_rate,
            "weights": {
                "tlt": spec.weights.tlt,
                "tmf": spec.weights.tmf,
                "stocks": spec.weights.stocks,
                "cash": spec.weights.cash,
            },
            "bootstrap_period": list(period) if period else None,
            "terminal_yield_quantiles": {
                f"p{round(q * 100):02d}": v
                for q, v in zip(
                    result.outcomes[0].quantile_levels,
                    result.terminal_yield_quantiles,
                    strict=True,
                )
            },
            "outcomes": {o.name: o.to_dict() for o in result.outcomes},
            "start": None if self.start is None else self.start.to_dict(),
        }
        out: dict[str, Any] = to_jsonable(document)
        return out


def _model_name(spec: MonteCarloSpec) -> str:
    from bondthesis.scenarios.montecarlo import BlockBootstrap, StudentTShocks

    if isinstance(spec.shocks, BlockBootstrap):
        return "bootstrap"
    return "t" if isinstance(spec.shocks, StudentTShocks) else "normal"


def montecarlo(
    spec: MonteCarloSpec | None = None,
    *,
    store: Store | None = None,
    model: str = "normal",
    paths: int = 100_000,
    days: int = 252,
    seed: int = 0,
    start_yield: float | None = None,
    vol_bp: float = 5.5,
    dof: float = 4.0,
    block_days: int = 21,
    target_yield: float | None = None,
    reversion: float = 1.0,
    cash_rate: float | None = None,
    cash_target: float | None = None,
    leverage: float = TMF_LEVERAGE,
    financing_spread: float = TMF_FINANCING_SPREAD,
    duration: float | None = None,
    convexity: float | None = None,
    weights: Sequence[float] = (0.4, 0.2, 0.3, 0.1),
    tlt: float | None = None,
    tmf: float | None = None,
    stocks: float | None = None,
    cash: float | None = None,
    stock_return: float = 0.07,
    stock_vol: float = 0.18,
    stock_correlation: float = 0.17,
    scheduler: str | None = None,
) -> MonteCarloReport:
    """Monte Carlo of TLT, TMF, stocks and the held mix; same arguments, same numbers.

    Pass a :class:`~bondthesis.scenarios.montecarlo.MonteCarloSpec` as ``spec``, or the keyword
    arguments (the CLI's options: rates are decimals, ``vol_bp`` basis points a day, ``weights``
    tlt, tmf, stocks, cash; ``tlt``, ``tmf``, ``stocks``, ``cash`` given win over it, as in
    ``scenario``). ``start_yield``, ``duration``, ``convexity`` and ``cash_rate`` not given come
    from the store's TLT-like ladder on its last priced day and its bill rate
    (:func:`~bondthesis.scenarios.market_start.market_start`), else from fixed defaults (4.70%,
    16.5, 350, 3.70%) when the store holds no curve; ``start`` in the report says which.
    ``model="bootstrap:1990-2025"`` resamples the store's history (``store``; default: the store
    of ``Settings.from_env()``). ``scheduler`` is a Dask scheduler address; the numbers do not
    depend on it.

    Raises
    ------
    ValueError
        An argument out of range (the message names it and a good value).
    CacheMiss
        The bootstrap's DGS30 is not in the store.
    OSError
        The Dask scheduler cannot be reached.
    """
    from bondthesis.scenarios import montecarlo as mc

    start = None
    if spec is None:
        if not 1 <= paths <= MAX_PATHS:
            raise ValueError(f"paths must be between 1 and {MAX_PATHS:,}, got {paths}")
        kind, first_year, last_year = parse_model(model)
        shocks: mc.NormalShocks | mc.StudentTShocks | mc.BlockBootstrap
        if kind == "normal":
            shocks = mc.NormalShocks(daily_vol=vol_bp / 1e4)
        elif kind == "t":
            shocks = mc.StudentTShocks(daily_vol=vol_bp / 1e4, degrees_of_freedom=dof)
        else:
            store = store or _default_store()
            history = load_bootstrap_history(store, first_year, last_year)
            shocks = mc.BlockBootstrap(history, block_days=block_days)
        if len(weights) != 4:
            raise ValueError(
                "weights are four numbers tlt, tmf, stocks, cash, e.g. 0.4,0.2,0.3,0.1"
            )
        base = mc.PositionWeights(*weights)
        mix = mc.PositionWeights(
            tlt=base.tlt if tlt is None else tlt,
            tmf=base.tmf if tmf is None else tmf,
            stocks=base.stocks if stocks is None else stocks,
            cash=base.cash if cash is None else cash,
        )
        start = _starting_point(store, start_yield, duration, convexity, cash_rate)
        spec = mc.MonteCarloSpec(
            n_paths=paths,
            horizon_days=days,
            shocks=shocks,
            start_yield=start.start_yield,
            target_yield=target_yield,
            reversion_per_year=reversion,
            cash_rate=start.cash_rate,
            cash_target=cash_target,
            tlt=mc.TreasuryFund(
                duration_years=start.duration_years,
                convexity_years2=start.convexity_years2,
                reference_yield=start.start_yield,
            ),
            tmf=mc.LeveragedFund(leverage=leverage, financing_spread=financing_spread),
            stocks=mc.StockModel(stock_return, stock_vol, stock_correlation),
            weights=mix,
            seed=seed,
        )
    else:
        model = _model_name(spec)
    return MonteCarloReport(mc.simulate(spec, client=scheduler), model, start)


def _default_store() -> Store:
    from bondthesis.config import Settings
    from bondthesis.data.store import Store

    return Store(Settings.from_env().store_path)


def _starting_point(
    store: Store | None,
    start_yield: float | None,
    duration: float | None,
    convexity: float | None,
    cash_rate: float | None,
) -> StartingPoint:
    """The figures given win; the rest from the store's ladder (~9 s), else fixed defaults."""
    from bondthesis.errors import CacheMiss
    from bondthesis.scenarios.market_start import market_start, starting_point

    market = None
    if None in (start_yield, duration, convexity, cash_rate):
        try:
            market = market_start(store or _default_store())
        except CacheMiss:
            market = None  # no curve stored: the fixed defaults, said so in ``start``
    return starting_point(
        market,
        start_yield=start_yield,
        duration_years=duration,
        convexity_years2=convexity,
        cash_rate=cash_rate,
    )
