"""A yield shock for the TLT-like ladder, TMF and the position, on the store's latest curve:
the ``scenario`` task of the front door and its JSON document.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bondthesis.data.curve import LADDERS, CurveReading, build_ladder, read_curve
from bondthesis.data.store import Store
from bondthesis.funds.terms import TMF_FINANCING_SPREAD
from bondthesis.scenarios.ladder_inputs import CurveShock
from bondthesis.scenarios.paths import (
    FundTerms,
    PathDependenceRow,
    PositionWeights,
    ScenarioResult,
    bridge_path,
    run_scenario,
    tmf_path_dependence,
)
from bondthesis.scenarios.shocks import ArticleRow
from bondthesis.scenarios.shocks import article_table as article_table_rows
from bondthesis.serialize import Serializable, to_jsonable

__all__ = ["MAX_HORIZON_MONTHS", "ScenarioReport", "scenario"]

MAX_HORIZON_MONTHS = 120.0
MAX_DAILY_NOISE_BP = 50.0  # ten times the 30-year's realised daily volatility since 2022
SOURCE = "FRED DGS10, DGS20, DGS30 (curve), DGS3MO (cash) from the local store"


@dataclass(frozen=True, eq=False)
class ScenarioReport(Serializable):
    """The starting curve and ladder, and what the shock (and/or the article's table) gives.

    ``result`` is None when only the article's table was asked for; ``article_rows`` is None
    when it was not asked for.
    """

    reading: CurveReading
    ladder_text: str
    shock: CurveShock
    horizon_months: float
    weights: PositionWeights
    stocks_return: float
    result: ScenarioResult | None
    path_rows: tuple[PathDependenceRow, ...] = ()
    article_rows: tuple[ArticleRow, ...] | None = field(default=None)
    # > 0: the headline rows ride one seeded Brownian bridge with this daily noise (bp) to the
    # same end yields, instead of the straight path.
    daily_noise_bp: float = 0.0

    def header(self) -> dict[str, Any]:
        """Where the scenario starts: the curve's date and levels, the cash rate, the ladder."""
        reading = self.reading
        return {
            "as_of": reading.as_of,
            "source": SOURCE,
            "curve": dict(zip(("10y", "20y", "30y"), reading.curve.yields.tolist(), strict=True)),
            "cash_rate": reading.cash_rate,
            "ladder": self.ladder_text,
            "note": reading.note,
        }

    def to_dict(self) -> dict[str, Any]:
        """The header, then the shock's returns (when shocked), then the article's table."""
        document = self._document()
        if self.daily_noise_bp > 0.0:
            document["daily_noise_bp"] = self.daily_noise_bp
        return document

    def _document(self) -> dict[str, Any]:
        document = self.header()
        result = self.result
        if result is not None:
            d = result.decomposition
            w = self.weights
            document.update(
                {
                    "shift_bp": self.shock.shift_bp,
                    "twist_bp": self.shock.twist_bp,
                    "horizon_months": self.horizon_months,
                    "yield": result.risk.yield_,
                    "duration": result.risk.duration_years,
                    "convexity": result.risk.convexity_years2,
                    "weights": {"TLT": w.tlt, "TMF": w.tmf, "stocks": w.stocks, "cash": w.cash},
                    "stocks_return": self.stocks_return,
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
                        for p in self.path_rows
                    ],
                }
            )
        if self.article_rows is not None:
            document["article_table"] = [
                {
                    "shift_bp": r.shift_bp,
                    "article_low": r.article_low,
                    "article_high": r.article_high,
                    "full_repricing": r.full_repricing,
                    "duration_only": r.duration_only,
                    "duration_convexity": r.duration_convexity,
                    "approximation_error": r.approximation_error,
                    "error_bound": r.error_bound,
                    "verdict": r.verdict,
                }
                for r in self.article_rows
            ]
        result_document: dict[str, Any] = to_jsonable(document)
        return result_document


def scenario(
    store: Store,
    shift_bp: float | None = None,
    *,
    horizon_months: float = 0.0,
    twist_bp: float = 0.0,
    tlt: float = 0.40,
    tmf: float = 0.20,
    stocks: float = 0.30,
    cash: float = 0.10,
    stocks_return: float = 0.0,
    financing_spread: float = TMF_FINANCING_SPREAD,
    ladder: str = "simulated",
    article_table: bool = False,
    as_of: date | None = None,
    daily_noise_bp: float = 0.0,
    inputs: tuple[CurveReading, Any, str] | None = None,
) -> ScenarioReport:
    """Shift (``shift_bp``, -100: yields fall 1%) and twist the curve of ``as_of`` (default: the
    latest date with DGS10, DGS20 and DGS30); reprice the TLT-like ladder, TMF and the position.

    ``horizon_months`` spreads the shock over that many months (0: instant); weights are
    decimals summing to 1, ``stocks_return`` the stocks' assumed total return over the horizon,
    ``financing_spread`` TMF's cost above the bill rate (decimal a year). ``ladder`` is
    ``simulated`` (the TLT-like ladder of :mod:`bondthesis.bonds.ladder`), ``rebuilt`` or
    ``par``; ``article_table`` adds the article's -200..+200bp table recomputed.
    ``daily_noise_bp`` > 0 sends the headline rows along one seeded path (a Brownian bridge, seed
    0) with that much daily noise to the same end yields. ``inputs`` (the curve reading, the
    ladder and its description, as :func:`~bondthesis.data.curve.read_curve` and
    :func:`~bondthesis.data.curve.build_ladder` give them) skips reading the store again; the
    result is the same.

    Raises
    ------
    ValueError
        An argument out of range (the message names it and a good value).
    CacheMiss
        The store lacks the curve or the bill rate (the message says what to refresh).
    """
    if shift_bp is None and not article_table:
        raise ValueError("give shift_bp (e.g. -100 for yields 1% lower), or article_table=True")
    if not (math.isfinite(horizon_months) and 0.0 <= horizon_months <= MAX_HORIZON_MONTHS):
        raise ValueError(f"horizon_months must be between 0 and {MAX_HORIZON_MONTHS:g}, e.g. 12")
    if ladder not in LADDERS:
        raise ValueError(f"ladder must be one of {', '.join(LADDERS)}; got {ladder!r}")
    if not -1.0 <= stocks_return <= 10.0:
        raise ValueError("stocks_return is a decimal total return over the horizon, e.g. 0.05")
    if not (math.isfinite(daily_noise_bp) and 0.0 <= daily_noise_bp <= MAX_DAILY_NOISE_BP):
        raise ValueError(
            f"daily_noise_bp must be between 0 and {MAX_DAILY_NOISE_BP:g}, e.g. 8 (bp a day)"
        )
    if daily_noise_bp > 0.0 and horizon_months <= 0.0:
        raise ValueError("daily_noise_bp needs a horizon: set horizon_months > 0, e.g. 12")
    weights = PositionWeights(tlt=tlt, tmf=tmf, stocks=stocks, cash=cash)
    shock = CurveShock(0.0 if shift_bp is None else shift_bp, twist_bp)
    terms = FundTerms(financing_spread=financing_spread)
    if inputs is None:
        reading = read_curve(store, as_of)
        holdings, ladder_text = build_ladder(store, reading, ladder)
    else:
        reading, holdings, ladder_text = inputs
    horizon_years = horizon_months / 12.0
    rows = tuple(article_table_rows(holdings, reading.curve)) if article_table else None
    result = None
    path_rows: tuple[PathDependenceRow, ...] = ()
    if shift_bp is not None:
        result = run_scenario(
            holdings,
            reading.curve,
            shock,
            horizon_years,
            cash_rate=reading.cash_rate,
            weights=weights,
            stocks_return=stocks_return,
            terms=terms,
            path=(
                bridge_path(shock, horizon_years, daily_noise_bp, seed=0)
                if daily_noise_bp > 0.0
                else None
            ),
        )
        if horizon_years > 0:
            path_rows = tuple(
                tmf_path_dependence(
                    holdings,
                    reading.curve,
                    shock,
                    horizon_years,
                    cash_rate=reading.cash_rate,
                    terms=terms,
                )
            )
    return ScenarioReport(
        reading=reading,
        ladder_text=ladder_text,
        shock=shock,
        horizon_months=horizon_months,
        weights=weights,
        stocks_return=stocks_return,
        result=result,
        path_rows=path_rows,
        article_rows=rows,
        daily_noise_bp=daily_noise_bp,
    )
