"""The article's four figures, redrawn from the data, each with the article's claim beside it.

1. Gold's rise from its trailing 5-year low (the gold pillar's signal), with the months where
   past surges first crossed +200% (:func:`~bondthesis.research.claims_history.
   gold_surge_episodes`) and the claimed ~200% since 2020.
2. Federal interest payments as a share of GDP (the fiscal pillar's signal); claimed ~4%.
3. 20- and 30-year bonds' share of gross issuance, trailing 12 months (the issuance pillar's
   signal); claimed ~1.7%.
4. Core CPI year on year; claimed "back to 2021 levels": 2021's range is the band.

Pure: the caller passes the pillar data (point in time) and the readings already computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from bondthesis.pillars import PillarData, PillarReading
from bondthesis.research.claims import ARTICLE_AS_OF
from bondthesis.research.claims_history import gold_surge_episodes
from bondthesis.serialize import Serializable

__all__ = ["ArticleFigure", "ArticleFigures", "article_figures", "core_cpi_yoy"]

GOLD_CLAIM = 2.0
INTEREST_CLAIM = 0.04
ISSUANCE_CLAIM = 0.017


@dataclass(frozen=True)
class ArticleFigure(Serializable):
    """One of the article's figures: the series (decimals), the claim and where it came from.

    ``claim_value`` is a level line; ``claim_band`` a (low, high) band (either may be None);
    ``markers`` dates worth pointing at (past gold surges), on the series' own dates;
    ``claim_date`` the article's date.
    """

    key: str
    claim: str
    series: pd.Series
    unit: str
    source: str
    claim_value: float | None
    claim_band: tuple[float, float] | None
    claim_date: date
    markers: tuple[date, ...]
    last_date: date | None
    last_value: float | None


@dataclass(frozen=True)
class ArticleFigures(Serializable):
    """The four figures, in the article's order."""

    figures: tuple[ArticleFigure, ...]


def core_cpi_yoy(core_cpi: pd.Series) -> pd.Series:
    """Core CPI's change over 12 months, decimal, dated like the index (month start)."""
    clean = core_cpi.dropna()
    if clean.empty:
        return clean
    return (clean / clean.shift(12, freq="MS") - 1.0).dropna().loc[: clean.index[-1]]


def _figure(
    key: str,
    claim: str,
    series: pd.Series,
    unit: str,
    source: str,
    *,
    value: float | None = None,
    band: tuple[float, float] | None = None,
    markers: tuple[date, ...] = (),
) -> ArticleFigure:
    clean = series.dropna().astype("float64")
    if len(clean) and markers:
        # Marked on the line: each date moved to the series' nearest observation.
        at = clean.index.get_indexer(pd.DatetimeIndex(markers), method="nearest")
        markers = tuple(pd.Timestamp(clean.index[int(i)]).date() for i in at)
    return ArticleFigure(
        key=key,
        claim=claim,
        series=clean,
        unit=unit,
        source=source,
        claim_value=value,
        claim_band=band,
        claim_date=ARTICLE_AS_OF,
        markers=markers,
        last_date=None if clean.empty else pd.Timestamp(clean.index[-1]).date(),
        last_value=None if clean.empty else float(clean.iloc[-1]),
    )


def article_figures(data: PillarData, readings: Sequence[PillarReading]) -> ArticleFigures:
    """The article's four figures from ``data`` and the pillars' ``readings`` (see the module)."""
    by_name = {r.name: r for r in readings}
    empty = pd.Series(dtype="float64")

    def history(name: str) -> pd.Series:
        reading = by_name.get(name)
        return empty if reading is None else reading.history

    gold = data.series("GOLD_MONTHLY")
    surges = tuple(d.date() for d in gold_surge_episodes(gold)) if len(gold) else ()
    yoy = core_cpi_yoy(data.series("CPILFESL"))
    in_2021 = yoy[pd.DatetimeIndex(yoy.index).year == 2021]
    band = None if in_2021.empty else (float(in_2021.min()), float(in_2021.max()))
    return ArticleFigures(
        (
            _figure(
                "gold",
                "Gold is up ~200% since 2020; past ~200% surges came before recessions.",
                history("gold"),
                "decimal",
                "World Bank / LBMA monthly gold (GOLD_MONTHLY): rise from its trailing 5-year low",
                value=GOLD_CLAIM,
                markers=surges,
            ),
            _figure(
                "interest",
                "Federal interest expense is ~4% of GDP.",
                history("fiscal"),
                "decimal",
                "BEA via FRED: A091RC1Q027SBEA / GDP",
                value=INTEREST_CLAIM,
            ),
            _figure(
                "issuance",
                "20- and 30-year bonds are ~1.7% of total issuance.",
                history("issuance"),
                "decimal",
                "Treasury auctions (FiscalData), trailing 12 months of gross offering amounts",
                value=ISSUANCE_CLAIM,
            ),
            _figure(
                "core_cpi",
                "Core inflation has fallen back to 2021 levels.",
                yoy,
                "decimal",
                "BLS via FRED: CPILFESL, change over 12 months",
                band=band,
            ),
        )
    )
