"""The claims ledger: each of the article's eleven claims against the data.

Every claim gets the figure the data gives, the date of that figure, a verdict (``holds``,
``partly``, ``does not hold``, ``no data``), one sentence of explanation, the tolerance rule that
produced the verdict, and the command that reproduces the figure.

Tolerance rules (each claim states its own in ``rule``): a figure *holds* inside the claim's own
range (or within a stated tolerance of its point value), is *partly* right inside a wider band,
and *does not hold* outside it. Claims with several parts combine them: all parts hold -> holds;
all fail -> does not hold; otherwise partly (a part without data caps the claim at partly).

Dates: the article was published in early 2026 (it cites the Denmark/Greenland tariff threats of
mid-January 2026 and the third-quarter 2025 13F filings), so :data:`ARTICLE_AS_OF` is 2026-01-31;
the ledger is evaluated on that date with only what had been published by then, and again on the
latest data. Historical claims (2, 7, 8) do not depend on the date.

Pure: the caller passes the panel (already point in time), the auctions table, the TLT ladder's
figures and the scorecard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from bondthesis.catalog import get_spec
from bondthesis.data.panel import period_end
from bondthesis.pillars.data import stale_after_days
from bondthesis.research.claims_history import (
    gold_surge_claim,
    tlt_2008_2014_claim,
    tlt_2020_claim,
)
from bondthesis.research.claims_inflation import inflation_sentiment_claim
from bondthesis.research.claims_issuance import long_bond_share, long_bond_share_band
from bondthesis.research.claims_rules import (
    Claim,
    ClaimVerdict,
    combine,
    grade,
    last_value,
    pct,
    when_max,
    when_min,
)
from bondthesis.research.ladder_risk import LadderRisk
from bondthesis.research.scorecard import Scorecard

__all__ = [
    "ARTICLE_AS_OF",
    "CLAIM_TEXTS",
    "Claim",
    "ClaimVerdict",
    "ClaimsInput",
    "ClaimsLedger",
    "evaluate_claims",
]

ARTICLE_AS_OF = date(2026, 1, 31)

CLAIM_TEXTS: dict[int, str] = {
    1: "Gold is up ~200% since 2020.",
    2: "Past ~200% gold surges were followed by recession and disinflation, not lasting inflation.",
    3: "Federal interest expense is ~$1.2T a year, ~4% of GDP.",
    4: "20- and 30-year bonds are ~1.7% of total issuance.",
    5: "TLT short interest is ~144M shares, with more than 4 days to cover.",
    6: "Core inflation has fallen back to 2021 levels; consumer confidence is at a ten-year low.",
    7: "2008-2014: the 30-year yield fell from ~4.5% to ~2.2% and TLT rose ~70%.",
    8: "2020: the 30-year yield fell from ~2.4% to ~1.2% and TLT rose ~40% in under 12 months.",
    9: "TLT has an effective duration of ~15.5 years and yields ~4.4-4.7%.",
    10: "If long yields fall 100/150/200bp, TLT returns +15-18% / +25-30% / +35-45% (price only).",
    11: "Bonds beat stocks when these conditions line up.",
}


@dataclass(frozen=True)
class ClaimsInput:
    """What the ledger reads.

    Parameters
    ----------
    panel : DataFrame
        Catalog keys as columns (any frequency, outer-joined on dates), as published by ``as_of``.
    as_of : date
    auctions : DataFrame, optional
        The store's ``auctions`` table.
    ladder : LadderRisk, optional
        The TLT ladder's yield, duration and shift returns on (or just before) ``as_of``.
    scorecard : Scorecard, optional
        The scorecard on ``as_of`` (claim 11).
    """

    panel: pd.DataFrame
    as_of: date
    auctions: pd.DataFrame | None = None
    ladder: LadderRisk | None = None
    scorecard: Scorecard | None = None


@dataclass(frozen=True)
class ClaimsLedger:
    as_of: date
    claims: tuple[Claim, ...]


def _series(data: ClaimsInput, key: str) -> pd.Series:
    if key not in data.panel.columns:
        return pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))
    column = data.panel[key].dropna()
    return column[column.index <= pd.Timestamp(data.as_of)]


def _no_data(number: int, reason: str, reproduce: str, rule: str) -> Claim:
    return Claim(
        number, CLAIM_TEXTS[number], "—", None, ClaimVerdict.NO_DATA, reason, reproduce, rule
    )


def claim_gold_since_2020(data: ClaimsInput) -> Claim:
    """Claim 1: gold's rise from its 2020 low monthly average to the latest month."""
    rule = "holds: +170% to +230%; partly: +130% to +270%; else does not hold"
    reproduce = "bondthesis series GOLD_MONTHLY --start 2020-01-01"
    gold = _series(data, "GOLD_MONTHLY")
    base_period = gold[(gold.index >= "2020-01-01") & (gold.index < "2021-01-01")]
    if base_period.empty or gold.index[-1] < pd.Timestamp("2021-01-01"):
        return _no_data(1, "no monthly gold prices for 2020 and after", reproduce, rule)
    base_date, base = when_min(base_period), float(base_period.min())
    latest_date, latest = gold.index[-1], float(gold.iloc[-1])
    rise = latest / base - 1.0
    peak_date = when_max(gold[gold.index >= base_date])
    peak_rise = float(gold.loc[peak_date]) / base - 1.0
    verdict = grade(rise, 1.70, 2.30, 0.40)
    return Claim(
        1,
        CLAIM_TEXTS[1],
        f"{pct(rise, 0, sign=True)} (${latest:,.0f} in {latest_date:%b %Y} vs ${base:,.0f} in "
        f"{base_date:%b %Y}); peak {pct(peak_rise, 0, sign=True)} in {peak_date:%b %Y}",
        latest_date.date(),
        verdict,
        f"Monthly average gold (World Bank/LBMA) rose {pct(rise, 0)} from 2020's lowest month; "
        f"the claim's ~200% {'is matched' if verdict is ClaimVerdict.HOLDS else 'is not matched'}"
        " at the latest month.",
        reproduce,
        rule,
        {"rise": rise, "base": base, "latest": latest, "peak_rise": peak_rise},
    )


def claim_interest_expense(data: ClaimsInput) -> Claim:
    """Claim 3: federal interest payments (NIPA, SAAR) and their share of nominal GDP."""
    rule = (
        "dollars: holds $1.08-1.32T (±10%), partly $0.96-1.44T; share of GDP: holds 3.5-4.5%, "
        "partly 3.0-5.0%; both parts combined"
    )
    reproduce = "bondthesis pillar fiscal  (or: bondthesis series A091RC1Q027SBEA GDP)"
    interest = _series(data, "A091RC1Q027SBEA")
    gdp = _series(data, "GDP")
    common = interest.index.intersection(gdp.index)
    if len(common) == 0:
        return _no_data(3, "no federal interest or GDP data", reproduce, rule)
    quarter = common.max()
    dollars_bn = float(interest.loc[quarter])
    share = dollars_bn / float(gdp.loc[quarter])
    verdict = combine([grade(dollars_bn, 1080.0, 1320.0, 120.0), grade(share, 0.035, 0.045, 0.005)])
    label = f"{quarter.year}Q{(quarter.month - 1) // 3 + 1}"
    return Claim(
        3,
        CLAIM_TEXTS[3],
        f"${dollars_bn / 1000:.2f}T a year (SAAR, {label}), {pct(share, 1)} of GDP",
        quarter.date(),
        verdict,
        f"Federal interest payments (BEA, A091RC1Q027SBEA) ran at ${dollars_bn:,.0f}bn a year in "
        f"{label}, {pct(share, 2)} of nominal GDP; Treasury's gross interest on the debt, which "
        "includes interest paid to trust funds, is higher.",
        reproduce,
        rule,
        {"interest_bn": dollars_bn, "share_of_gdp": share},
    )


def claim_issuance(data: ClaimsInput) -> Claim:
    """Claim 4: 20y+30y bonds as a share of trailing-12-month gross issuance."""
    rule = (
        "each definition's share (reopenings in or out, long TIPS in or out, offered or accepted "
        "amounts): holds at 1.2-2.2% of all issuance (±0.5pp), partly at 0.4-3.0%; graded on "
        "all definitions together (holds only if every one holds)"
    )
    reproduce = "bondthesis pillar issuance"
    if data.auctions is None or data.auctions.empty:
        return _no_data(4, "no auctions table in the store", reproduce, rule)
    table = data.auctions
    dates = pd.to_datetime(table["auction_date"]).fillna(pd.to_datetime(table["issue_date"]))
    last = min(dates.max(), pd.Timestamp(data.as_of))
    share, coupon_share = long_bond_share(table, last.date())
    if np.isnan(share):
        return _no_data(4, f"no auctions in the year to {last.date()}", reproduce, rule)
    band = long_bond_share_band(table, last.date()) or {"headline": share}
    verdict = combine(grade(value, 0.012, 0.022, 0.008) for value in band.values())
    low, high = min(band.values()), max(band.values())
    by_definition = "; ".join(f"{name} {pct(value, 2)}" for name, value in band.items())
    return Claim(
        4,
        CLAIM_TEXTS[4],
        f"{pct(share, 2)} of all issuance, {pct(coupon_share, 1)} of coupon issuance "
        f"(12 months to {last:%Y-%m-%d}); {pct(low, 2)}-{pct(high, 2)} across "
        f"{len(band)} definitions",
        last.date(),
        verdict,
        f"In the 12 months of auctions to {last:%Y-%m-%d}, nominal 20- and 30-year bonds were "
        f"{pct(share, 2)} of gross issuance (bills roll many times a year, so they dominate any "
        f"gross count) and {pct(coupon_share, 1)} of notes and bonds. By definition: "
        f"{by_definition}.",
        reproduce,
        rule,
        {
            "share_of_all": share,
            "share_of_coupons": coupon_share,
            "band_low": low,
            "band_high": high,
            **{f"share[{name}]": value for name, value in band.items()},
        },
    )


def claim_short_interest(data: ClaimsInput) -> Claim:
    """Claim 5: TLT shares short and days to cover at the latest settlement date."""
    rule = (
        "shares: holds 122-166M (±15%), partly 101-187M (±30%); days to cover: holds > 4, "
        "partly 3-4 (a figure within 60 days of the shares' date); both parts combined"
    )
    reproduce = "bondthesis pillar positioning  (or: bondthesis series TLT_SHORT_INTEREST)"
    shares = _series(data, "TLT_SHORT_INTEREST")
    if shares.empty:
        return _no_data(5, "no TLT short-interest data", reproduce, rule)
    when, count = shares.index[-1], float(shares.iloc[-1])
    dtc_series = _series(data, "TLT_DAYS_TO_COVER")
    recent = dtc_series[dtc_series.index >= when - pd.Timedelta(days=60)]
    dtc = float(recent.iloc[-1]) if not recent.empty else None
    share_verdict = grade(count, 122.4e6, 165.6e6, 21.6e6)
    if dtc is None:
        dtc_verdict = ClaimVerdict.NO_DATA
    else:
        dtc_verdict = grade(dtc, 4.0, float("inf"), 1.0)
    last_dtc = last_value(dtc_series)
    dtc_text = (
        f"{dtc:.1f} days to cover"
        if dtc is not None
        else "days to cover not published for that date"
        + (f" (last: {last_dtc[1]:.1f} on {last_dtc[0]:%Y-%m-%d})" if last_dtc else "")
    )
    return Claim(
        5,
        CLAIM_TEXTS[5],
        f"{count / 1e6:.1f}M shares short on {when:%Y-%m-%d}; {dtc_text}",
        when.date(),
        combine([share_verdict, dtc_verdict]),
        f"TLT short interest was {count / 1e6:.1f}M shares at the {when:%Y-%m-%d} settlement "
        f"({pct(count / 144e6 - 1.0, 0, sign=True)} vs the claimed 144M); {dtc_text}.",
        reproduce,
        rule,
        {"shares_short": count, "days_to_cover": dtc},
    )


def claim_inflation_sentiment(data: ClaimsInput) -> Claim:
    """Claim 6: core CPI YoY back to 2021 levels; Michigan sentiment at a ten-year low."""
    return inflation_sentiment_claim(
        _series(data, "CPILFESL"),
        _series(data, "CPIAUCSL"),
        _series(data, "UMCSENT"),
        data.as_of,
        CLAIM_TEXTS[6],
    )


def claim_ladder_risk(data: ClaimsInput) -> Claim:
    """Claim 9: TLT-like ladder's effective duration and yield."""
    rule = (
        "duration: holds 14.5-16.5 years (±1), partly 13.5-17.5; yield: holds 4.4-4.7%, partly "
        "4.1-5.0%; both parts combined"
    )
    ladder = data.ladder
    reproduce = "bondthesis scenario --shift-bp -100" + (
        f" --as-of {ladder.on}" if ladder is not None else ""
    )
    if ladder is None:
        return _no_data(
            9, "no ladder figures (auctions or 20y/30y yields missing)", reproduce, rule
        )
    verdict = combine(
        [
            grade(ladder.effective_duration_years, 14.5, 16.5, 1.0),
            grade(ladder.yield_to_maturity, 0.044, 0.047, 0.003),
        ]
    )
    return Claim(
        9,
        CLAIM_TEXTS[9],
        f"effective duration {ladder.effective_duration_years:.1f} years, yield "
        f"{pct(ladder.yield_to_maturity, 2)} ({ladder.on:%Y-%m-%d})",
        ladder.on,
        verdict,
        f"A {ladder.source} ({ladder.n_bonds} bonds) has an effective duration of "
        f"{ladder.effective_duration_years:.1f} years and yields "
        f"{pct(ladder.yield_to_maturity, 2)} to maturity.",
        reproduce,
        rule,
        {
            "effective_duration_years": ladder.effective_duration_years,
            "yield": ladder.yield_to_maturity,
        },
    )


_SHIFT_RANGES: dict[int, tuple[float, float]] = {
    -100: (0.15, 0.18),
    -150: (0.25, 0.30),
    -200: (0.35, 0.45),
}


def claim_shift_table(data: ClaimsInput) -> Claim:
    """Claim 10: price-only returns of the ladder for -100/-150/-200bp parallel shifts."""
    rule = (
        "each shift inside the claimed range holds; within 3pp of it partly; combined over the "
        "three shifts"
    )
    ladder = data.ladder
    reproduce = "bondthesis scenario --article-table" + (
        f" --as-of {ladder.on}" if ladder is not None else ""
    )
    if ladder is None or not all(s in ladder.price_change_by_shift_bp for s in _SHIFT_RANGES):
        return _no_data(10, "no ladder repricing available", reproduce, rule)
    changes = ladder.price_change_by_shift_bp
    verdict = combine([grade(changes[s], lo, hi, 0.03) for s, (lo, hi) in _SHIFT_RANGES.items()])
    figure = " / ".join(pct(changes[s], 1, sign=True) for s in _SHIFT_RANGES)
    return Claim(
        10,
        CLAIM_TEXTS[10],
        f"{figure} for -100/-150/-200bp ({ladder.on:%Y-%m-%d})",
        ladder.on,
        verdict,
        f"Repricing every bond of the ladder at yields 100/150/200bp lower gives {figure} "
        f"(price only, convexity included; coupon income would add "
        f"{pct(ladder.current_yield, 1)} a year on top, less than the "
        f"{pct(ladder.yield_to_maturity, 2)} yield, whose rest is pull to par).",
        reproduce,
        rule,
        {f"shift_{-s}bp": changes[s] for s in _SHIFT_RANGES},
    )


def claim_scorecard(data: ClaimsInput) -> Claim:
    """Claim 11: the scorecard's own backtest of bonds-minus-stocks after similar readings."""
    rule = (
        "(a) months when the conditions lined up (at least half of the pillars with data, and at "
        "least three, met their trigger, point in time) were followed by a positive mean "
        "12-month bonds-minus-stocks return and a hit rate above 50%; (b) the skill-weighted "
        "composite's out-of-sample rank correlation has a 95% interval above zero; both: holds, "
        "one: partly, neither: does not hold"
    )
    card = data.scorecard
    reproduce = (
        "bondthesis scorecard --json"
        + (f" --as-of {card.as_of}" if card is not None else "")
        + "  (what_followed.majority)"
    )
    if card is None:
        return _no_data(11, "no scorecard (pillar histories or returns missing)", reproduce, rule)
    lined_up = card.support.majority
    if lined_up.n_months == 0 or lined_up.mean is None or lined_up.hit_rate is None:
        part_a = ClaimVerdict.NO_DATA
        a_text = "the pillars never lined up (half or more, and 3+, supporting) in the past"
    else:
        good = lined_up.mean > 0 and lined_up.hit_rate > 0.5
        part_a = ClaimVerdict.HOLDS if good else ClaimVerdict.DOES_NOT_HOLD
        a_text = (
            f"after months when most pillars supported (N={lined_up.n_months}, "
            f"~{lined_up.n_nonoverlapping} non-overlapping years) bonds-minus-stocks averaged "
            f"{pct(lined_up.mean, 1, sign=True)} over 12 months, hit rate "
            f"{pct(lined_up.hit_rate, 0)}"
        )
    skill = card.composite.skill
    if skill is None:
        part_b = ClaimVerdict.NO_DATA
        b_text = "no pillar earned an out-of-sample weight, so the composite has no track record"
    else:
        part_b = ClaimVerdict.HOLDS if skill.low > 0 else ClaimVerdict.DOES_NOT_HOLD
        b_text = (
            f"the composite's out-of-sample rank correlation is {skill.rank_correlation:+.2f} "
            f"[{skill.low:+.2f}, {skill.high:+.2f}], effective N {skill.effective_n:.0f}"
        )
    parts = [part_a, part_b]
    verdict = combine(parts)
    return Claim(
        11,
        CLAIM_TEXTS[11],
        f"{a_text}; {b_text}",
        card.as_of,
        verdict,
        f"{a_text[0].upper()}{a_text[1:]}; {b_text}.",
        reproduce,
        rule,
        {
            "months_lined_up": float(lined_up.n_months),
            "mean_forward_excess": lined_up.mean,
            "hit_rate": lined_up.hit_rate,
            "composite_rank_correlation": None if skill is None else skill.rank_correlation,
        },
    )


def evaluate_claims(data: ClaimsInput) -> ClaimsLedger:
    """All eleven claims on ``data.as_of``; a claim whose inputs are missing says ``no data``."""
    gold = _series(data, "GOLD_MONTHLY")
    recession = _series(data, "USREC")
    cpi = _series(data, "CPIAUCSL")
    tlt, dgs30 = _series(data, "TLT"), _series(data, "DGS30")
    claims: Sequence[Claim] = (
        claim_gold_since_2020(data),
        gold_surge_claim(gold, recession, cpi, CLAIM_TEXTS[2]),
        claim_interest_expense(data),
        claim_issuance(data),
        claim_short_interest(data),
        claim_inflation_sentiment(data),
        tlt_2008_2014_claim(tlt, dgs30, CLAIM_TEXTS[7]),
        tlt_2020_claim(tlt, dgs30, CLAIM_TEXTS[8]),
        claim_ladder_risk(data),
        claim_shift_table(data),
        claim_scorecard(data),
    )
    return ClaimsLedger(as_of=data.as_of, claims=tuple(_mark_stale(c, data.as_of) for c in claims))


# Claims about the present and the series their figure's date belongs to (the others are about
# the past, or judge their own prints: claim 6).
_CURRENT_CLAIM_SERIES = {1: "GOLD_MONTHLY", 3: "A091RC1Q027SBEA", 5: "TLT_SHORT_INTEREST"}
_CURRENT_CLAIM_DAYS = {4: 45, 9: 10, 10: 10}  # auctions are weekly; the ladder is priced daily


def _mark_stale(claim: Claim, as_of: date) -> Claim:
    """``claim`` marked stale when its figure's date is older than its data allow."""
    if claim.as_of is None:
        return claim
    end = pd.Timestamp(claim.as_of)
    key = _CURRENT_CLAIM_SERIES.get(claim.id)
    if key is not None:
        end = period_end(pd.DatetimeIndex([end]), get_spec(key))[0]
        allowed = stale_after_days((key,))
    elif claim.id in _CURRENT_CLAIM_DAYS:
        allowed = _CURRENT_CLAIM_DAYS[claim.id]
    else:
        return claim
    age = (pd.Timestamp(as_of) - end).days
    if age <= allowed:
        return claim
    verdict = ClaimVerdict.PARTLY if claim.verdict is ClaimVerdict.HOLDS else claim.verdict
    note = (
        f" Stale: the figure is for {end.date()}, {age} days before {as_of} (more than the "
        f"{allowed} days its data allow), so it does not count as holding today."
    )
    return replace(claim, verdict=verdict, explanation=claim.explanation + note, stale=True)
