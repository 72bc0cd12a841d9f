"""The whole check in two calls: the scorecard and the claims ledger from :class:`PillarData`.

Pure: the caller loads the data (``bondthesis.data.datasets.load_pillar_data``, point in time) and
passes it in; nothing here reads the store, files or the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from bondthesis.bonds.curve import DAILY_KEYS, MONTHLY_KEYS, build_par_curve
from bondthesis.bonds.ladder import (
    TLT_EXPENSE_RATIO,
    LadderHistory,
    TreasuryLadder,
    long_bond_issuance,
)
from bondthesis.bonds.pricing import dirty_price_from_years
from bondthesis.data.cache import cached_result
from bondthesis.pillars import PillarData, PillarReading, read_all
from bondthesis.research.claims import ClaimsInput, ClaimsLedger, evaluate_claims
from bondthesis.research.ladder_risk import DEFAULT_SHIFTS_BP, LadderRisk, auction_ladder_risk
from bondthesis.research.returns import BondsMinusStocks, bonds_minus_stocks
from bondthesis.research.scorecard import Scorecard, build_scorecard, signal_from_reading

__all__ = [
    "EXTRA_KEYS",
    "ThesisCheck",
    "check_claims",
    "ladder_on",
    "ladder_risk_from_history",
    "score",
    "synthetic_ladder",
]

# Series beyond the pillars' own that the scorecard's outcome and the claims read.
EXTRA_KEYS: tuple[str, ...] = (
    "TLT",
    "SPY",
    "SHILLER_D",
    "USREC",
    "CPIAUCSL",
    *DAILY_KEYS,
    *MONTHLY_KEYS,
)


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
    ladder: LadderHistory | None = None,
    bootstrap_resamples: int = 500,
) -> ThesisCheck:
    """The scorecard on ``as_of`` (default: the data's reference date).

    ``data`` should already be cut at ``as_of`` (``load_pillar_data(store, as_of)``); it is cut
    again here, which changes nothing when it was. ``ladder`` (:func:`synthetic_ladder`) gives
    the long-bond returns before TLT existed, net of TLT's fee; without it, the outcomes module's
    20-year par-bond approximation does.
    """
    # cached by the content of the data, the ladder and the arguments (bondthesis.data.cache)
    return cached_result(
        "thesis_score",
        (data, as_of, ladder, bootstrap_resamples),
        lambda: _score(data, as_of, ladder, bootstrap_resamples),
    )


def _score(
    data: PillarData, as_of: date | None, ladder: LadderHistory | None, bootstrap_resamples: int
) -> ThesisCheck:
    long_bond_index = None if ladder is None else ladder.net_of_fee(TLT_EXPENSE_RATIO)
    when = _evaluation_date(data, as_of)
    cut = data.as_of(when) if as_of is not None else data
    readings = tuple(read_all(cut))
    outcome = bonds_minus_stocks(
        cut.panel,
        long_bond_index,
        long_bond_label="synthetic TLT-like ladder since 1962, net of TLT's 0.15% fee",
    )
    signals = [signal_from_reading(r, when) for r in readings]
    card = build_scorecard(signals, outcome.forward, when, bootstrap_resamples=bootstrap_resamples)
    return ThesisCheck(scorecard=card, readings=readings, outcome=outcome)


def synthetic_ladder(data: PillarData) -> LadderHistory | None:
    """The TLT-like ladder of :mod:`bondthesis.bonds.ladder` on the data's yields (since 1962).

    Long-bond issuance comes from the auctions table when there is one. None without DGS10.
    Takes a few seconds the first time on given data, then comes from the result cache
    (:mod:`bondthesis.data.cache`); build it once and pass it to :func:`score` and
    :func:`check_claims`.
    On any date ``D`` the ladder holds only bonds issued by ``D``, priced at ``D``'s yields, so
    one ladder built on the latest data serves earlier evaluation dates without look-ahead.
    """
    yields = {k: data.series(k) for k in (*DAILY_KEYS, *MONTHLY_KEYS) if len(data.series(k))}
    if "DGS10" not in yields:
        return None
    auctions = data.auctions

    def build() -> LadderHistory:
        issuance = long_bond_issuance(auctions) if not auctions.empty else None
        return TreasuryLadder.tlt_like().run(build_par_curve(yields), issuance)

    # cached by the content of exactly what it reads: the yields and the auctions table
    return cached_result("ladder_history", ("tlt_like", yields, auctions), build)


def ladder_risk_from_history(
    history: LadderHistory, when: date, shifts_bp: tuple[int, ...] = DEFAULT_SHIFTS_BP
) -> LadderRisk | None:
    """Yield, effective duration and price-only shift returns of the synthetic ladder on ``when``.

    Every bond held on ``when`` (or the last priced day before) is repriced at its yield plus
    each parallel shift; the return is the face-weighted value change (convexity included).
    """
    try:
        holdings = history.holdings(when)
    except ValueError:
        return None
    day = pd.Timestamp(history.index.index[history.index.index <= pd.Timestamp(when)][-1])
    coupon = holdings["coupon"].to_numpy(dtype="float64")
    years = holdings["years_to_maturity"].to_numpy(dtype="float64")
    ytm = holdings["ytm"].to_numpy(dtype="float64")
    face = holdings["face"].to_numpy(dtype="float64")
    base = float((face * dirty_price_from_years(coupon, years, ytm)).sum())
    changes = {
        int(s): float((face * dirty_price_from_years(coupon, years, ytm + s / 10_000)).sum()) / base
        - 1.0
        for s in shifts_bp
    }
    return LadderRisk(
        on=day.date(),
        yield_to_maturity=history.ladder_yield(when),
        effective_duration_years=history.effective_duration(when),
        price_change_by_shift_bp=changes,
        n_bonds=len(holdings),
        current_yield=float(
            (face * coupon * 100.0).sum() / (face * holdings["dirty_price"].to_numpy()).sum()
        ),
        source=(
            "synthetic TLT-like ladder (bondthesis.bonds.ladder: 30-year issues since 1962, "
            "20+ years left, market-value weighted, priced on the par curve)"
        ),
    )


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
    ladder: LadderHistory | None = None,
) -> ClaimsLedger:
    """The eleven claims on ``as_of`` (default: the data's reference date).

    Claims 9 and 10 read the synthetic ladder when given, else the auctions-table ladder
    (:func:`ladder_on`). Cached by the content of every argument (:mod:`bondthesis.data.cache`).
    """
    return cached_result(
        "claims_ledger",
        (data, as_of, scorecard, ladder),
        lambda: _check_claims(data, as_of, scorecard, ladder),
    )


def _check_claims(
    data: PillarData,
    as_of: date | None,
    scorecard: Scorecard | None,
    ladder: LadderHistory | None,
) -> ClaimsLedger:
    when = _evaluation_date(data, as_of)
    cut = data.as_of(when) if as_of is not None else data
    risk = ladder_risk_from_history(ladder, when) if ladder is not None else None
    if risk is None:
        risk = ladder_on(cut, when)
    return evaluate_claims(
        ClaimsInput(
            panel=cut.panel,
            as_of=when,
            auctions=cut.auctions,
            ladder=risk,
            scorecard=scorecard,
        )
    )
