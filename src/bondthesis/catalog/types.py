"""The vocabulary of the catalog: frequencies, providers, the :class:`SeriesSpec` record.

These types say what a series *is* (who serves it, how often, in what units, how late it is
published, which snapshot files hold it); the entries themselves are in
:mod:`bondthesis.catalog.series`, and the lookup every other module uses is
:mod:`bondthesis.catalog`, which re-exports the three types. They live apart from the table so
that the table (long, edited whenever a series is added) and the rules of a spec (short, rarely
changed) can each be read on their own; nothing here imports from the rest of the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Frequency", "Provider", "SeriesSpec", "fred_series"]


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    BIWEEKLY = "twice-monthly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"

    @property
    def stale_after_days(self) -> int:
        """How old the last observation may be before it counts as stale (before lags)."""
        return {
            "daily": 5,
            "weekly": 12,
            "twice-monthly": 20,
            "monthly": 40,
            "quarterly": 100,
            "annual": 380,
        }[self.value]


class Provider(StrEnum):
    FRED = "fred"
    FISCALDATA = "fiscaldata"
    FINRA = "finra"
    SEC = "sec"
    PRICES = "prices"  # Yahoo chart v8, failing over to Stooq
    STOOQ = "stooq"
    WORLDBANK = "worldbank"
    IACOVIELLO = "iacoviello"  # geopolitical-risk and trade-policy-uncertainty files
    SHILLER = "shiller"
    DERIVED = "derived"  # computed in the store from other series (auction totals, 13F sums)


@dataclass(frozen=True)
class SeriesSpec:
    """One series of the catalog.

    Parameters
    ----------
    key : str
        bondthesis's own name (the FRED id where there is one), e.g. ``"DGS30"``.
    provider : Provider
        Who serves it.
    remote_id : str
        The provider's identifier (FRED series id, ticker, dataset path, column).
    frequency : Frequency
    units : str
        As published ("percent", "billions of USD, SAAR", "index 1982-84=100", "USD"...).
    title : str
        What the series means, in words.
    publication_lag_days : int
        Typical days from the observation date to publication.
    snapshot_files : tuple of str
        File names in a snapshot folder (``../shared/data`` layout), primary first; later ones
        (``alt/…``) extend the history past the primary's last date.
    pillar : str
        The pillar (or "funds", "curve", "backtest") that reads it.
    """

    key: str
    provider: Provider
    remote_id: str
    frequency: Frequency
    units: str
    title: str
    publication_lag_days: int
    snapshot_files: tuple[str, ...] = ()
    pillar: str = ""


def fred_series(
    key: str,
    frequency: Frequency,
    units: str,
    title: str,
    lag: int,
    pillar: str,
    files: tuple[str, ...] | None = None,
) -> SeriesSpec:
    """A FRED series: our key is FRED's id, and the snapshot file is ``{key}.csv`` unless given.

    Most of the catalog is FRED, so this keeps each of its entries to one line; ``files=()``
    marks a series that no snapshot holds.
    """
    return SeriesSpec(
        key=key,
        provider=Provider.FRED,
        remote_id=key,
        frequency=frequency,
        units=units,
        title=title,
        publication_lag_days=lag,
        snapshot_files=(f"{key}.csv",) if files is None else files,
        pillar=pillar,
    )
