"""Pillar 5, economy: is the economy weakening and inflation fading? A count of warning signs.

The article: core inflation back to 2021 levels, CPI momentum fading, consumer confidence at decade
lows, credit stress building, the labour market cracking. Each is one component, measured monthly
(dated at the month's end) and flagged when it says "slowdown or disinflation":

=========================  ==========================================================  ==========
component                  measure                                                     flag when
=========================  ==========================================================  ==========
inflation momentum         core CPI 3-month annualized minus its year-on-year rate     < 0
consumer sentiment         Michigan sentiment's percentile over the trailing 10 years  <= 20
credit stress              HY OAS month-end change over 6 months (pp), or its level    > +1.0 / > 6
Sahm rule                  real-time Sahm indicator (pp)                               >= 0.3
claims trend               initial claims, 13-week average over 52-week average - 1    > +0.10
=========================  ==========================================================  ==========

The signal is the share of components flagged among those with data that month (0 to 1); a
component's flag carries forward up to three months when its series is late. After core CPI's
last print, headline CPI (CPIAUCSL) stands in for the momentum component, with a note.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from bondthesis.data.months import annualized_change, change
from bondthesis.pillars._common import (
    decimal_percent,
    last_date,
    last_or_none,
    monthly,
    no_data_reading,
    prepare,
    reading,
    rolling_percentile,
    staleness_note,
)
from bondthesis.pillars.base import PillarReading, Verdict
from bondthesis.pillars.data import PillarData

__all__ = ["economy_components", "read_economy"]

NAME = "economy"
TITLE = "Share of slowdown/disinflation warning signs flashing"
UNIT = "share of components (0-1)"
KEYS = ("CPILFESL", "CPIAUCSL", "UMCSENT", "BAMLH0A0HYM2", "SAHMREALTIME", "ICSA")
SUPPORTS_FROM = 0.6
CONTRADICTS_TO = 0.2
SENTIMENT_LOW_PERCENTILE = 20.0
HY_WIDENING_PP = 1.0
HY_STRESS_LEVEL = 6.0
SAHM_WARNING = 0.3
CLAIMS_RISING = 0.10
FILL_MONTHS = 3
RULE = (
    f"supports when at least {SUPPORTS_FROM:.0%} of the components with data flag a slowdown or "
    f"disinflation (core CPI 3m annualized below YoY; Michigan sentiment at or below the "
    f"{SENTIMENT_LOW_PERCENTILE:.0f}th percentile of 10 years; HY OAS up more than "
    f"{HY_WIDENING_PP:.1f}pp in 6 months or above {HY_STRESS_LEVEL:.0f}%; Sahm indicator at or "
    f"above {SAHM_WARNING}; claims' 13-week average {CLAIMS_RISING:.0%} above their 52-week "
    f"average); contradicts at or below {CONTRADICTS_TO:.0%}; neutral between"
)


def economy_components(data: PillarData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(measures, flags): monthly frames, one column per component (flags are 1.0/0.0/NaN)."""
    core = monthly(data, "CPILFESL")
    # Changes between calendar months: October 2025 was never published, so November's
    # 3-month and 12-month changes need September 2025 and November 2024, not the row before.
    core_yoy = change(core, 12)
    core_3m = annualized_change(core, 3)
    momentum = core_3m - core_yoy
    headline = monthly(data, "CPIAUCSL")
    if len(headline) and len(momentum.dropna()):
        # Months after the last core CPI print take headline CPI's momentum (noted by the reader).
        headline_momentum = annualized_change(headline, 3) - change(headline, 12)
        later = headline_momentum[headline_momentum.index > momentum.dropna().index[-1]]
        momentum = pd.concat([momentum, later.dropna()]).sort_index()
        momentum = momentum[~momentum.index.duplicated(keep="first")]
    sentiment = monthly(data, "UMCSENT")
    sentiment_pct = rolling_percentile(sentiment, 120, min_periods=60)
    hy = monthly(data, "BAMLH0A0HYM2")
    hy_change = change(hy, 6, kind="difference")
    sahm = monthly(data, "SAHMREALTIME")
    claims_weekly = data.series("ICSA")
    claims_trend = (
        # Windows in days (13 and 52 weeks), so a missing week shortens no window's span.
        claims_weekly.rolling("91D", min_periods=13).mean()
        / claims_weekly.rolling("364D", min_periods=52).mean()
        - 1.0
    ).dropna()
    claims = claims_trend.resample("ME").last().dropna() if len(claims_trend) else claims_trend
    measures = pd.DataFrame(
        {
            "core_cpi_yoy": core_yoy,
            "core_cpi_3m_annualized": core_3m,
            "inflation_momentum": momentum,
            "sentiment": sentiment,
            "sentiment_10y_percentile": sentiment_pct,
            "hy_oas_pct": hy,
            "hy_oas_change_6m_pp": hy_change,
            "sahm_pp": sahm,
            "claims_trend": claims,
        }
    )

    def flag(condition: pd.Series, measure: pd.Series) -> pd.Series:
        return condition.astype("float64").where(measure.notna())

    hy_flag = flag((hy_change > HY_WIDENING_PP) | (hy > HY_STRESS_LEVEL), hy_change)
    flags = pd.DataFrame(
        {
            "inflation_momentum": flag(momentum < 0, momentum),
            "sentiment": flag(sentiment_pct <= SENTIMENT_LOW_PERCENTILE, sentiment_pct),
            "credit": hy_flag.reindex(measures.index),
            "sahm": flag(sahm >= SAHM_WARNING, sahm),
            "claims": flag(claims > CLAIMS_RISING, claims),
        },
        index=measures.index,
    )
    # A slow or late series keeps its last flag for up to FILL_MONTHS months.
    return measures, flags.ffill(limit=FILL_MONTHS)


def read_economy(data: PillarData, as_of: date | None = None) -> PillarReading:
    """Share of the five warning signs flagged (0-1), monthly.

    Example: momentum -0.4pp (flag), sentiment at the 5th percentile (flag), HY OAS +0.2pp
    (no), Sahm 0.35 (flag), claims +3% (no): 3 of 5 = 0.6, supports.
    """
    data = prepare(data, as_of)
    measures, flags = economy_components(data)
    available = flags.notna().sum(axis=1)
    # A month counts once at least three components are measured.
    score = (flags.sum(axis=1) / available).where(available >= 3).dropna()
    if score.empty:
        return no_data_reading(
            NAME, TITLE, UNIT, RULE, KEYS, "needs at least three of the five components"
        )
    latest = float(score.iloc[-1])
    verdict = (
        Verdict.SUPPORTS
        if latest >= SUPPORTS_FROM
        else Verdict.CONTRADICTS
        if latest <= CONTRADICTS_TO
        else Verdict.NEUTRAL
    )
    month = score.index[-1]
    details: dict[str, float | str | None] = {
        column: last_or_none(measures[column].loc[:month]) for column in measures.columns
    }
    # Each print named with its month: the YoY and the 3-month change can end months apart.
    for column in ("core_cpi_yoy", "core_cpi_3m_annualized"):
        when = last_date(measures[column].loc[:month])
        details[f"{column}_month"] = None if when is None else str(when.date())
    row = flags.loc[month]
    details["components_flagged"] = ", ".join(str(c) for c in row.index[row.to_numpy() == 1.0])
    details["components_missing"] = ", ".join(str(c) for c in row.index[row.isna().to_numpy()])
    notes: list[str | None] = [
        staleness_note(key, last_date(monthly(data, key)), data.reference_date)
        for key in ("CPILFESL", "UMCSENT", "BAMLH0A0HYM2", "SAHMREALTIME")
    ]
    notes.append(staleness_note("ICSA", last_date(data.series("ICSA")), data.reference_date))
    last_core = last_date(monthly(data, "CPILFESL"))
    if last_core is not None and last_core < month and len(data.series("CPIAUCSL")):
        notes.append(
            f"core CPI ends {last_core.date()}: inflation momentum after it uses headline CPI "
            "(CPIAUCSL) as a substitute"
        )
    if details["components_missing"]:
        notes.append(f"no data this month for: {details['components_missing']}")
    notes.append(
        f"core CPI {decimal_percent(details['core_cpi_yoy'])} YoY "  # type: ignore[arg-type]
        f"(to {details['core_cpi_yoy_month']}), "
        f"{decimal_percent(details['core_cpi_3m_annualized'])} 3m annualized "  # type: ignore[arg-type]
        f"(to {details['core_cpi_3m_annualized_month']})"
    )
    return reading(
        reference=data.reference_date,
        name=NAME,
        title=TITLE,
        history=score,
        unit=UNIT,
        verdict=verdict,
        rule=RULE,
        keys=KEYS,
        trigger=score >= SUPPORTS_FROM,
        details=details,
        notes=notes,
    )
