"""The whole check in two calls: the scorecard and the claims ledger from :class:`PillarData`.

Pure: the caller loads the data (``bondthesis.datasets.load_pillar_data``, point in time) and
passes it in; nothing here reads the store, files or the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from bondthesis.pillars import PillarData, PillarReading, read_all
from bondthesis.research.claims import ClaimsInput, ClaimsLedger, evaluate_claims
from bondthesis.research.ladder_risk import LadderRisk, auction_ladder_risk
from bondthesis.research.returns import BondsMinusStocks, bonds_minus_stocks
from bondthesis.research.scorecard import Scorecard, build_scorecard, signal_from_reading

__all__ = [
    "EXTRA_KEYS",
    "ThesisCheck",
    "check_claims",
    "ladder_on",
    "score",
]

# Series beyond the pillars' own that the scorecard's outcome and the claims read.
EXTRA_KEYS: tuple[str, ...] = ("TLT", "SPY", "SHILLER_D", "DGS20", "USREC", "CPIAUCSL")

LadderFunction = Callable[[PillarData, date], LadderRisk | None]


@dataclass(frozen=True, eq=False)
class ThesisCheck:
    """The scorecard, the readings behind it and the outcome series it was judged on."""

    scorecard: Scorecard
    readings: tuple[PillarReading, ...]
    outcome: BondsMinusStocks


def _evaluation_date(data: PillarData, as_of: date | None) -> date:
    when = as_of if as_of is not None else data.reference_date
    if when is None:
        raise ValueError("the data holds no dates; load some series first (`bondthesis refresh`)")
    return when


def score(
    data: PillarData,
    as_of: date | None = None,
    *,
    long_bond_index: pd.Series | None = None,
    bootstrap_resamples: int = 500,
) -> ThesisCheck:
    """The scorecard on ``as_of`` (default: the data's reference date).

    ``data`` should already be cut at ``as_of`` (``load_pillar_data(store, as_of)``); it is cut
    again here, which changes nothing when it was.
    """
    when = _evaluation_date(data, as_of)
    cut = data.as_of(when) if as_of is not None else data
    readings = tuple(read_all(cut))
    outcome = bonds_minus_stocks(cut.panel, long_bond_index)
    signals = [signal_from_reading(r, when) for r in readings]
    card = build_scorecard(signals, outcome.forward, when, bootstrap_resamples=bootstrap_resamples)
    return ThesisCheck(scorecard=card, readings=readings, outcome=outcome)


def ladder_on(data: PillarData, when: date) -> LadderRisk | None:
    """The 20+ year ladder from the auctions table on the last day with both 20y and 30y yields.

    The fallback used while no synthetic TLT ladder is passed (see
    :mod:`bondthesis.research.ladder_risk`).
    """
    if data.auctions.empty:
        return None
    both = pd.concat([data.series("DGS20"), data.series("DGS30")], axis=1, sort=True).dropna()
    both = both[both.index <= pd.Timestamp(when)]
    if both.empty:
        return None
    day = pd.Timestamp(both.index[-1])
    y20, y30 = (float(v) / 100.0 for v in both.iloc[-1].to_numpy())
    return auction_ladder_risk(data.auctions, y20, y30, day.date())


def check_claims(
    data: PillarData,
    as_of: date | None = None,
    *,
    scorecard: Scorecard | None = None,
    ladder: LadderFunction = ladder_on,
) -> ClaimsLedger:
    """The eleven claims on ``as_of`` (default: the data's reference date)."""
    when = _evaluation_date(data, as_of)
    cut = data.as_of(when) if as_of is not None else data
    return evaluate_claims(
        ClaimsInput(
            panel=cut.panel,
            as_of=when,
            auctions=cut.auctions,
            ladder=ladder(cut, when),
            scorecard=scorecard,
        )
    )
