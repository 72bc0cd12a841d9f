"""US Treasury Fiscal Data: auctions, interest expense, the Monthly Treasury Statement.

Every Fiscal Data endpoint answers ``{"data": [...], "meta": {..., "total-pages": N},
"links": {"next": "&page%5Bnumber%5D=2..." | null}}`` where **every value is a string** and missing
values are the literal string ``"null"`` (SOURCES.md §2.1). Pages of 10,000 rows are followed
until ``links.next`` is null or ``meta.total-pages`` is reached.

Dates of monthly series: Fiscal Data dates a month by its last day (``2025-05-31``); bondthesis
dates monthly series at the month's first day like FRED (``2025-05-01``) so the catalog's
publication lag applies the same way.

MTS table 1 (unverified against a live answer, none was available offline): each statement
(``record_date``) lists the months of the prior fiscal year and of the current one under label
rows ``FY 2025``/``FY 2026``, so month names repeat. Only the statement month's own row is read
(the row named like the record month that follows the label of the record date's fiscal year, in
print order), so each month's value is the one first published.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from bondthesis.catalog import CATALOG, Provider
from bondthesis.config import Settings
from bondthesis.data.records import AUCTION_COLUMNS
from bondthesis.errors import PayloadChanged, SourceError
from bondthesis.sources._http import HttpClient, expect_json
from bondthesis.sources._parse import series_frame, strict_dates, strict_floats
from bondthesis.sources.base import Fetched, FetchFailed

__all__ = [
    "AUCTION_COLUMNS",
    "AUCTION_FIELDS",
    "FISCALDATA_URL",
    "FiscalDataSource",
    "auction_bid_to_cover",
    "fetch_all_pages",
    "parse_auction_rows",
    "parse_envelope",
    "parse_interest_expense",
    "parse_mts_table_1",
]

logger = logging.getLogger("bondthesis.sources.fiscaldata")

SOURCE = "fiscaldata"
FISCALDATA_URL = "https://api.fiscaldata.treasury.gov/services/api/fiscal_service"
AUCTIONS_PATH = "v1/accounting/od/auctions_query"
INTEREST_PATH = "v2/accounting/od/interest_expense"
MTS1_PATH = "v1/accounting/mts/mts_table_1"
PAGE_SIZE = 10_000
_MAX_PAGES = 1_000
_MISSING = {"null", ""}
PUBLIC_ISSUES = "INTEREST EXPENSE ON PUBLIC ISSUES"

AUCTION_FIELDS = (
    "cusip",
    "auction_date",
    "issue_date",
    "maturity_date",
    "security_type",
    "security_term",
    "original_security_term",
    "reopening",
    "inflation_index_security",
    "floating_rate",
    "offering_amt",
    "total_accepted",
    "high_yield",
    "int_rate",
    "bid_to_cover_ratio",
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_FY_LABEL = re.compile(r"^FY\s*(\d{4})$", re.IGNORECASE)


# -- parsing (pure) ------------------------------------------------------------------------------


def parse_envelope(payload: Any) -> tuple[list[dict[str, Any]], int | None, bool]:
    """Rows, ``meta.total-pages`` (None when absent) and whether ``links.next`` is set.

    Raises PayloadChanged unless ``data`` is a list of objects.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        keys = sorted(payload)[:6] if isinstance(payload, dict) else type(payload).__name__
        raise PayloadChanged(f"Fiscal Data answer has no 'data' list (got {keys})", source=SOURCE)
    rows = payload["data"]
    if not all(isinstance(row, dict) for row in rows):
        raise PayloadChanged("Fiscal Data 'data' holds non-object rows", source=SOURCE)
    meta = payload.get("meta")
    pages = meta.get("total-pages") if isinstance(meta, dict) else None
    total_pages = pages if isinstance(pages, int) and not isinstance(pages, bool) else None
    links = payload.get("links")
    has_next = bool(links.get("next")) if isinstance(links, dict) else False
    return rows, total_pages, has_next


def _column(rows: list[dict[str, Any]], field: str, *, required: bool, what: str) -> list[Any]:
    if required and any(field not in row for row in rows):
        raise PayloadChanged(f"{what}: rows lack the field {field!r} (renamed?)", source=SOURCE)
    return [row.get(field) for row in rows]


def _text(values: list[Any], what: str) -> list[str | None]:
    out: list[str | None] = []
    for value in values:
        if value is None or (isinstance(value, str) and value.strip() in _MISSING):
            out.append(None)
        elif isinstance(value, str):
            out.append(value.strip())
        else:
            raise PayloadChanged(f"{what}: {value!r} is not a string", source=SOURCE)
    return out


def _flag(values: list[str | None]) -> np.ndarray:
    return np.array([(v or "").lower() == "yes" for v in values], dtype=bool)


def _optional_dates(values: list[str | None], what: str) -> list[date | None]:
    present = [v for v in values if v is not None]
    parsed = iter(strict_dates(present, source=SOURCE, what=what).date)
    return [None if v is None else next(parsed) for v in values]


def parse_auction_rows(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """``auctions_query`` rows in the store's ``auctions`` layout (:data:`AUCTION_COLUMNS`).

    Amounts are USD (``offering_amt`` ``"22000000000"`` → 2.2e10), yields and coupons percent as
    published (``"4.8890"``), ``"null"`` → NaN. ``tips``/``frn`` come from the
    ``inflation_index_security``/``floating_rate`` flags or the security type. Reopenings keep
    the API's ``original_security_term`` (``30-Year`` for a ``29-Year 10-Month`` reopening); when a
    row has none, the earliest term of its CUSIP in these rows stands in.
    """
    what = "auctions_query"
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in AUCTION_COLUMNS})
    cusip = _text(_column(rows, "cusip", required=True, what=what), what)
    issue = _text(_column(rows, "issue_date", required=True, what=what), what)
    if any(v is None for v in cusip) or any(v is None for v in issue):
        raise PayloadChanged(f"{what}: rows without a CUSIP or an issue date", source=SOURCE)
    text = {
        f: _text(_column(rows, f, required=f in {"security_type", "security_term"}, what=what), f)
        for f in AUCTION_FIELDS
        if f not in {"cusip", "issue_date"}
    }
    numbers = {
        f: strict_floats(text[f], missing=_MISSING, source=SOURCE, what=f"{what} {f}")
        for f in ("offering_amt", "total_accepted", "high_yield", "int_rate", "bid_to_cover_ratio")
    }
    security_type = text["security_type"]
    frame = pd.DataFrame(
        {
            "cusip": cusip,
            "issue_date": strict_dates(issue, source=SOURCE, what=f"{what} issue_date").date,
            "auction_date": _optional_dates(text["auction_date"], f"{what} auction_date"),
            "maturity_date": _optional_dates(text["maturity_date"], f"{what} maturity_date"),
            "security_type": security_type,
            "security_term": text["security_term"],
            "original_security_term": text["original_security_term"],
            "reopening": text["reopening"],
            "tips": _flag(text["inflation_index_security"])
            | np.array([t == "TIPS" for t in security_type]),
            "frn": _flag(text["floating_rate"]) | np.array([t == "FRN" for t in security_type]),
            **numbers,
        }
    )
    earliest = (
        frame.sort_values("issue_date", kind="stable").groupby("cusip")["security_term"].first()
    )
    frame["original_security_term"] = frame["original_security_term"].fillna(
        frame["cusip"].map(earliest)
    )
    frame = frame.drop_duplicates(["cusip", "issue_date"], keep="last")
    return frame.loc[:, list(AUCTION_COLUMNS)].reset_index(drop=True)


def auction_bid_to_cover(auctions: pd.DataFrame, original_term: str) -> pd.DataFrame:
    """Bid-to-cover per auction date of notes/bonds first issued as ``original_term`` ("10-Year").

    Returns a series frame (``date`` = auction date, ``value`` = ratio), auctions without a
    result (announced, not yet held) left out.
    """
    chosen = auctions[
        (auctions["original_security_term"] == original_term)
        & auctions["security_type"].isin(["Note", "Bond"])
        & ~auctions["tips"].astype(bool)
        & ~auctions["frn"].astype(bool)
        & auctions["auction_date"].notna()
        & auctions["bid_to_cover_ratio"].notna()
    ]
    return series_frame(
        pd.DatetimeIndex(pd.to_datetime(chosen["auction_date"])),
        chosen["bid_to_cover_ratio"].to_numpy(dtype="float64"),
    )


def _month_start(dates: pd.DatetimeIndex) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(dates.to_period("M").to_timestamp())


def parse_interest_expense(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Monthly interest expense on public issues, USD: the sum over the PUBLIC ISSUES rows.

    Amortized premium rows are negative and are summed as published. Dated at the month's first
    day (``record_date`` 2025-05-31 → 2025-05-01). A month whose amounts are all ``"null"`` is NaN.
    """
    what = "interest_expense"
    category = _text(_column(rows, "expense_catg_desc", required=True, what=what), what)
    record = _text(_column(rows, "record_date", required=True, what=what), what)
    amount = strict_floats(
        _text(_column(rows, "month_expense_amt", required=True, what=what), what),
        missing=_MISSING,
        source=SOURCE,
        what=f"{what} month_expense_amt",
    )
    keep = [i for i, c in enumerate(category) if (c or "").upper() == PUBLIC_ISSUES]
    if rows and not keep:
        raise PayloadChanged(f"{what}: no {PUBLIC_ISSUES!r} rows (renamed?)", source=SOURCE)
    if any(record[i] is None for i in keep):
        raise PayloadChanged(f"{what}: rows without a record_date", source=SOURCE)
    dates = strict_dates([record[i] for i in keep], source=SOURCE, what=f"{what} record_date")
    frame = pd.DataFrame({"date": _month_start(dates), "value": amount[keep]})
    sums = frame.groupby("date")["value"].sum(min_count=1)
    return series_frame(pd.DatetimeIndex(sums.index), sums.to_numpy(dtype="float64"))


def _order(row: dict[str, Any], position: int) -> tuple[float, int]:
    for field in ("print_order_nbr", "src_line_nbr"):
        value = row.get(field)
        if isinstance(value, str) and value.strip().isdigit():
            return float(value), position
    return float(position), position


def parse_mts_table_1(rows: list[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """Total receipts and outlays of each statement's own month, USD, from MTS table 1.

    Returns ``{"MTS_RECEIPTS": frame, "MTS_OUTLAYS": frame}``, dated at the month's first day.
    For ``record_date`` 2026-01-31 (fiscal year 2026) the row read is ``January`` after the
    ``FY 2026`` label; without label rows a month name that occurs once is read, a repeated one is
    a changed payload.
    """
    what = "mts_table_1"
    record = _text(_column(rows, "record_date", required=True, what=what), what)
    label = _text(_column(rows, "classification_desc", required=True, what=what), what)
    receipts_text = _text(
        _column(rows, "current_month_gross_rcpt_amt", required=True, what=what), what
    )
    outlays_text = _text(
        _column(rows, "current_month_gross_outly_amt", required=True, what=what), what
    )
    if any(r is None for r in record):
        raise PayloadChanged(f"{what}: rows without a record_date", source=SOURCE)
    record_dates = strict_dates(record, source=SOURCE, what=f"{what} record_date")
    statements: dict[pd.Timestamp, list[int]] = {}
    for index, stamp in enumerate(record_dates):
        statements.setdefault(stamp, []).append(index)
    chosen_dates: list[pd.Timestamp] = []
    chosen_rows: list[int] = []
    for stamp, members in sorted(statements.items()):
        fiscal_year = stamp.year + 1 if stamp.month >= 10 else stamp.year
        month = _MONTHS[stamp.month - 1]
        ordered = sorted(members, key=lambda i: _order(rows[i], i))
        in_year: int | None = None
        candidates: list[int] = []
        any_label = False
        for i in ordered:
            text = (label[i] or "").strip()
            match = _FY_LABEL.match(text)
            if match:
                any_label = True
                in_year = int(match.group(1))
            elif text.lower() == month.lower() and (not any_label or in_year == fiscal_year):
                candidates.append(i)
        if len(candidates) != 1:
            raise PayloadChanged(
                f"{what}: statement {stamp.date()} has {len(candidates)} rows for {month} "
                f"of FY {fiscal_year}; expected exactly one (layout changed?)",
                source=SOURCE,
            )
        chosen_dates.append(stamp)
        chosen_rows.append(candidates[0])
    dates = _month_start(pd.DatetimeIndex(chosen_dates))
    out = {}
    for key, texts in (("MTS_RECEIPTS", receipts_text), ("MTS_OUTLAYS", outlays_text)):
        values = strict_floats(
            [texts[i] for i in chosen_rows], missing=_MISSING, source=SOURCE, what=f"{what} {key}"
        )
        out[key] = series_frame(dates, values)
    return out


# -- fetching ------------------------------------------------------------------------------------


def fetch_all_pages(
    http: HttpClient, url: str, params: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Every row of a Fiscal Data query, following pages of :data:`PAGE_SIZE` rows."""
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        query = {**(params or {}), "page[number]": str(page), "page[size]": str(PAGE_SIZE)}
        payload = expect_json(http.get(SOURCE, url, params=query), provider=SOURCE)
        data, total_pages, has_next = parse_envelope(payload)
        rows.extend(data)
        if not has_next or not data or (total_pages is not None and page >= total_pages):
            return rows
        page += 1
        if page > _MAX_PAGES:
            raise PayloadChanged(
                f"more than {_MAX_PAGES} pages; paging looks broken", source=SOURCE
            )


# -- the Source ----------------------------------------------------------------------------------


class FiscalDataSource:
    """Fiscal Data as the refresh sees it: ``AUCTIONS`` (a record table), ``BIDTOCOVER_10Y``/
    ``BIDTOCOVER_30Y`` (from the same download), ``INTEREST_EXPENSE``, ``MTS_RECEIPTS`` and
    ``MTS_OUTLAYS`` (one download).

    Parameters
    ----------
    http : HttpClient
    settings : Settings
    base_url : str
        ``https://api.fiscaldata.treasury.gov/services/api/fiscal_service`` or a test server.
    """

    name = Provider.FISCALDATA.value

    def __init__(
        self, http: HttpClient, settings: Settings, *, base_url: str = FISCALDATA_URL
    ) -> None:
        self.http = http
        self.settings = settings
        self.base_url = base_url.rstrip("/")

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{path}"

    def fetch(
        self, keys: Sequence[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        """Yield one result per key; provider faults become :class:`FetchFailed`."""
        for key in keys:
            spec = CATALOG.get(key)
            if spec is None or spec.provider is not Provider.FISCALDATA:
                raise ValueError(f"{key!r} is not a Fiscal Data series of the catalog")
        auction_keys = [k for k in keys if k in {"AUCTIONS", "BIDTOCOVER_10Y", "BIDTOCOVER_30Y"}]
        mts_keys = [k for k in keys if k in {"MTS_RECEIPTS", "MTS_OUTLAYS"}]
        if auction_keys:
            yield from self._auctions(auction_keys, since)
        if "INTEREST_EXPENSE" in keys:
            yield from self._single("INTEREST_EXPENSE", since.get("INTEREST_EXPENSE"))
        if mts_keys:
            yield from self._mts(mts_keys, since)

    @staticmethod
    def _earliest(keys: Sequence[str], since: Mapping[str, date | None]) -> date | None:
        starts = [since.get(k) for k in keys]
        return None if any(s is None for s in starts) else min(s for s in starts if s)

    def _auctions(
        self, keys: list[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        start = self._earliest(keys, since)
        params = {"fields": ",".join(AUCTION_FIELDS), "sort": "auction_date"}
        if start is not None:
            params["filter"] = f"auction_date:gte:{start.isoformat()}"
        try:
            table = parse_auction_rows(fetch_all_pages(self.http, self._url(AUCTIONS_PATH), params))
        except SourceError as exc:
            for key in keys:
                yield FetchFailed(key=key, error=exc)
            return
        for key in keys:
            if key == "AUCTIONS":
                yield Fetched(key, table, "fiscaldata:auctions_query", table="auctions")
            else:
                term = "10-Year" if key == "BIDTOCOVER_10Y" else "30-Year"
                rows = auction_bid_to_cover(table, term)
                yield Fetched(key, _from(rows, since.get(key)), "fiscaldata:auctions_query")

    def _single(self, key: str, start: date | None) -> Iterator[Fetched | FetchFailed]:
        params = {
            "fields": "record_date,expense_catg_desc,month_expense_amt",
            "sort": "record_date",
        }
        if start is not None:
            params["filter"] = f"record_date:gte:{start.isoformat()}"
        try:
            rows = parse_interest_expense(
                fetch_all_pages(self.http, self._url(INTEREST_PATH), params)
            )
        except SourceError as exc:
            yield FetchFailed(key=key, error=exc)
            return
        yield Fetched(key, rows, "fiscaldata:interest_expense")

    def _mts(
        self, keys: list[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        start = self._earliest(keys, since)
        params = {"sort": "record_date"}
        if start is not None:
            # record dates are month ends; a month starting on ``start`` has its statement later
            params["filter"] = f"record_date:gte:{start.isoformat()}"
        try:
            series = parse_mts_table_1(fetch_all_pages(self.http, self._url(MTS1_PATH), params))
        except SourceError as exc:
            for key in keys:
                yield FetchFailed(key=key, error=exc)
            return
        for key in keys:
            yield Fetched(key, _from(series[key], since.get(key)), "fiscaldata:mts_table_1")


def _from(frame: pd.DataFrame, since: date | None) -> pd.DataFrame:
    if since is None:
        return frame
    return frame[frame["date"] >= pd.Timestamp(since)].reset_index(drop=True)
