"""The data every pillar reads: a panel of catalog series and two record tables, point in time.

:class:`PillarData` is a frozen container. Its panel holds values *as published* (yields in
percent, CPI as an index level, money in the catalog's units); pillars convert to decimals where
they compute. :meth:`PillarData.as_of` hides everything not yet public on a date, with the
catalog's publication lags (the rule of :func:`bondthesis.data.panel.visible_as_of` for rows without
vintages): a monthly value dated 2026-01-01 with a 14-day lag is visible from 2026-02-14 on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from bondthesis.catalog import CATALOG, Frequency, get_spec
from bondthesis.data.panel import known_dates, period_end

__all__ = [
    "AUCTION_KNOWN_COLUMN",
    "OUTCOME_KEYS",
    "PILLAR_KEYS",
    "THIRTEEN_F_LAG_DAYS",
    "PillarData",
]

# 13F reports are due 45 days after the quarter's end; without a filing date that is when a
# quarter's holdings are taken to be public.
THIRTEEN_F_LAG_DAYS = 45
AUCTION_KNOWN_COLUMN = "auction_date"

# Catalog keys the nine pillars read, and those the event-study outcomes read.
PILLAR_KEYS: tuple[str, ...] = (
    "GOLD_MONTHLY",
    "GOLD_DAILY",
    "A091RC1Q027SBEA",
    "GDP",
    "INTEREST_EXPENSE",
    "MTS_RECEIPTS",
    "TLT_SHORT_INTEREST",
    "TLT_DAYS_TO_COVER",
    "TLT_AVG_DAILY_VOLUME",
    "CPILFESL",
    "CPIAUCSL",
    "UMCSENT",
    "BAMLH0A0HYM2",
    "SAHMREALTIME",
    "ICSA",
    "DGS30",
    "DGS10",
    "DGS2",
    "T10Y2Y",
    "NFCI",
    "WALCL",
    "TREAST",
    "EPUTRADE",
    "USEPUINDXD",
    "TLT_13F_CALL_VALUE",
    "TLT_13F_PUT_VALUE",
    "TLT_13F_CALL_FILERS",
    "TLT_13F_PUT_FILERS",
    "SHILLER_P",
    "SHILLER_E",
    "SHILLER_CAPE",
    "SHILLER_CPI",
    "GS10",
)
OUTCOME_KEYS: tuple[str, ...] = (
    "GS20",
    "DGS20",
    "GS30",
    "DGS30",
    "GS10",
    "SPY",
    "SHILLER_P",
    "SHILLER_D",
    "CPILFESL",
    "USREC",
)


def _empty_table() -> pd.DataFrame:
    return pd.DataFrame()


@dataclass(frozen=True, eq=False)
class PillarData:
    """A panel of catalog series plus the auctions and 13F record tables.

    Parameters
    ----------
    panel : DataFrame of float, indexed by date (ascending), one column per catalog key
        Values as published; NaN where a series has no observation on a date.
    auctions : DataFrame
        The store's ``auctions`` layout (``cusip, issue_date, auction_date, maturity_date,
        security_type, original_security_term, tips, frn, offering_amt, ...``); may be empty.
    holdings_13f : DataFrame
        The store's ``holdings_13f`` layout (``period_end, cik, filer_name, putcall, value_usd,
        shares, filing_date, ...``); may be empty.
    as_of_date : date or None
        The date the data was cut at (None: everything the panel holds).

    Examples
    --------
    >>> import pandas as pd
    >>> data = PillarData.from_series({"DGS30": pd.Series([4.5], [pd.Timestamp("2026-01-02")])})
    >>> float(data.series("DGS30").iloc[-1])
    4.5
    """

    panel: pd.DataFrame
    auctions: pd.DataFrame = field(default_factory=_empty_table)
    holdings_13f: pd.DataFrame = field(default_factory=_empty_table)
    as_of_date: date | None = None

    def __post_init__(self) -> None:
        unknown = [c for c in self.panel.columns if c not in CATALOG]
        if unknown:
            raise ValueError(
                f"panel columns {unknown} are not catalog keys; name columns by catalog key "
                "(`bondthesis.catalog.CATALOG`) so publication lags apply"
            )
        if not isinstance(self.panel.index, pd.DatetimeIndex):
            raise TypeError("panel must be indexed by a DatetimeIndex")

    @classmethod
    def from_series(
        cls,
        series: Mapping[str, pd.Series | pd.DataFrame],
        auctions: pd.DataFrame | None = None,
        holdings_13f: pd.DataFrame | None = None,
    ) -> PillarData:
        """Build from catalog key -> Series (date index) or DataFrame with ``date``/``value``."""
        columns = []
        for key, values in series.items():
            spec = get_spec(key)
            if isinstance(values, pd.DataFrame):
                values = pd.Series(
                    values["value"].to_numpy(dtype="float64"),
                    index=pd.DatetimeIndex(values["date"]),
                )
            column = pd.Series(
                values.to_numpy(dtype="float64"), index=pd.DatetimeIndex(values.index)
            )
            column = column[~column.index.duplicated(keep="last")].sort_index()
            columns.append(column.rename(spec.key))
        panel = (
            pd.concat(columns, axis=1, join="outer", sort=True).astype("float64")
            if columns
            else pd.DataFrame(index=pd.DatetimeIndex([]))
        )
        panel.index.name = "date"
        return cls(
            panel=panel,
            auctions=_empty_table() if auctions is None else auctions.reset_index(drop=True),
            holdings_13f=_empty_table() if holdings_13f is None else holdings_13f,
        )

    # -- reading ----------------------------------------------------------------------------

    def series(self, key: str) -> pd.Series:
        """One column without its missing values (empty float Series if the panel lacks it)."""
        if key not in self.panel.columns:
            return pd.Series(dtype="float64", index=pd.DatetimeIndex([]), name=key)
        return self.panel[key].dropna()

    @property
    def reference_date(self) -> date | None:
        """The date readings are judged at: ``as_of_date``, else the latest date in the data."""
        if self.as_of_date is not None:
            return self.as_of_date
        candidates = []
        if len(self.panel.dropna(how="all")):
            candidates.append(self.panel.dropna(how="all").index.max())
        for table, column in ((self.auctions, "issue_date"), (self.holdings_13f, "period_end")):
            if column in table.columns and len(table):
                candidates.append(pd.Timestamp(pd.to_datetime(table[column]).max()))
        return max(candidates).date() if candidates else None

    # -- point in time ----------------------------------------------------------------------

    def as_of(self, when: date) -> PillarData:
        """What was public on ``when``: observations past their publication date are dropped.

        A column keeps an observation dated ``d`` iff ``period_end(d) + lag <= when`` (catalog
        lag); auctions are kept from their auction date (issue date where it is blank); 13F
        rows from their filing date, else 45 days after the quarter's end.
        """
        cutoff = pd.Timestamp(when)
        masked = {}
        for key in self.panel.columns:
            spec = CATALOG[key]
            known = known_dates(pd.DatetimeIndex(self.panel.index), spec)
            masked[key] = self.panel[key].where(known <= cutoff)
        panel = pd.DataFrame(masked, index=self.panel.index).dropna(how="all")
        panel = panel.astype("float64")
        panel.index.name = "date"
        return PillarData(
            panel=panel,
            auctions=_auctions_known_by(self.auctions, cutoff),
            holdings_13f=_holdings_known_by(self.holdings_13f, cutoff),
            as_of_date=when if self.as_of_date is None else min(when, self.as_of_date),
        )


def auction_known_dates(auctions: pd.DataFrame) -> pd.Series:
    """The date each auction's result was public: its auction date, else its issue date."""
    issue = pd.to_datetime(auctions["issue_date"])
    if AUCTION_KNOWN_COLUMN in auctions.columns:
        return pd.to_datetime(auctions[AUCTION_KNOWN_COLUMN]).fillna(issue)
    return issue


def holdings_known_dates(holdings: pd.DataFrame) -> pd.Series:
    """The date each 13F row was public: its filing date, else quarter end + 45 days."""
    fallback = pd.to_datetime(holdings["period_end"]) + pd.Timedelta(days=THIRTEEN_F_LAG_DAYS)
    if "filing_date" in holdings.columns:
        return pd.to_datetime(holdings["filing_date"]).fillna(fallback)
    return fallback


def _auctions_known_by(auctions: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    if auctions.empty or "issue_date" not in auctions.columns:
        return auctions
    return auctions[(auction_known_dates(auctions) <= cutoff).to_numpy()].reset_index(drop=True)


def _holdings_known_by(holdings: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    if holdings.empty or "period_end" not in holdings.columns:
        return holdings
    return holdings[(holdings_known_dates(holdings) <= cutoff).to_numpy()].reset_index(drop=True)


def period_length_days(key: str) -> int:
    """Days from an observation's date label to its period's end (0 for daily and weekly)."""
    spec = CATALOG[key]
    stamp = pd.DatetimeIndex([pd.Timestamp("2001-01-01")])
    return int((period_end(stamp, spec)[0] - stamp[0]).days)


# A pillar's reading is at least monthly (daily series are reduced to month ends), so it may be
# at least a month and a half old before it is stale.
MIN_STALE_AFTER_DAYS = 45


def stale_after_days(keys: tuple[str, ...]) -> int:
    """Days past its period's end after which a reading of ``keys`` is stale.

    The loosest of the series' frequency allowance plus publication lag, at least
    :data:`MIN_STALE_AFTER_DAYS`. The scorecard's history uses the same limit, so a pillar drops
    out of a past month exactly when its reading would have been stale then.

    >>> stale_after_days(("GDP",)) >= 100
    True
    """
    allowances = [
        CATALOG[k].frequency.stale_after_days + CATALOG[k].publication_lag_days
        for k in keys
        if k in CATALOG
    ]
    return max([MIN_STALE_AFTER_DAYS, *allowances])


def known_lag_days(keys: tuple[str, ...]) -> int:
    """Largest delay, over ``keys``, from an observation's *period end* to its publication."""
    return max((CATALOG[k].publication_lag_days for k in keys if k in CATALOG), default=0)


def is_low_frequency(key: str) -> bool:
    return CATALOG[key].frequency in {Frequency.QUARTERLY, Frequency.ANNUAL}
