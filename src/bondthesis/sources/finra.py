"""FINRA equity short interest: the Query API first, the twice-monthly files as fallback.

* Query API (SOURCES.md §3.1): ``POST .../data/group/otcMarket/name/consolidatedShortInterest``
  with a JSON body (``domainFilters`` on ``symbolCode``, ``dateRangeFilters`` on
  ``settlementDate``, ``limit`` ≤ 5000, ``offset``); the answer is a JSON array of rows with JSON
  numbers, the ``record-total`` header counts every match, and **204** means no rows.
* Files (§3.2): ``https://cdn.finra.org/equity/otcmarket/biweekly/shrt{YYYYMMDD}.csv``, pipe-
  delimited with the same 14 columns, one per settlement date (the 15th and the month's end,
  moved back to the previous business day); a date not (yet) published answers **403**.

Rows become series per symbol: ``<SYM>_SHORT_INTEREST`` (shares), and for TLT also
``TLT_DAYS_TO_COVER`` (days; FINRA's 999.99 sentinel for "no volume" becomes NaN) and
``TLT_AVG_DAILY_VOLUME`` (shares), dated at the settlement date.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from bondthesis.catalog import CATALOG, Provider
from bondthesis.config import Settings
from bondthesis.errors import PayloadChanged, SourceError
from bondthesis.sources._http import HttpClient, expect_json, expect_text
from bondthesis.sources._parse import series_frame, strict_dates, strict_floats
from bondthesis.sources.base import Fetched, FetchFailed

__all__ = [
    "FINRA_API_URL",
    "FINRA_FILES_URL",
    "FinraSource",
    "fetch_api_rows",
    "fetch_file_rows",
    "parse_api_rows",
    "parse_short_interest_file",
    "settlement_dates",
    "short_interest_series",
]

logger = logging.getLogger("bondthesis.sources.finra")

SOURCE = "finra"
FINRA_API_URL = "https://api.finra.org/data/group/otcMarket/name/consolidatedShortInterest"
FINRA_FILES_URL = "https://cdn.finra.org/equity/otcmarket/biweekly"
FIRST_FILE = date(2017, 12, 29)
PAGE_LIMIT = 5000
DAYS_TO_COVER_SENTINEL = 999.99
_MAX_PAGES = 200
_FIELDS = (
    "settlementDate",
    "symbolCode",
    "currentShortPositionQuantity",
    "averageDailyVolumeQuantity",
    "daysToCoverQuantity",
    "revisionFlag",
)
_NUMERIC = {
    "currentShortPositionQuantity": "shares_short",
    "averageDailyVolumeQuantity": "avg_daily_volume",
    "daysToCoverQuantity": "days_to_cover",
}
_MISSING = {""}

TABLE_COLUMNS = ("date", "symbol", "shares_short", "avg_daily_volume", "days_to_cover")


# -- parsing (pure) ------------------------------------------------------------------------------


def _table(rows: list[dict[str, Any]], what: str) -> pd.DataFrame:
    for field in ("settlementDate", "symbolCode", "currentShortPositionQuantity"):
        if any(field not in row for row in rows):
            raise PayloadChanged(f"{what}: rows lack the field {field!r} (renamed?)", source=SOURCE)
    symbols = []
    for row in rows:
        symbol = row["symbolCode"]
        if not isinstance(symbol, str) or not symbol.strip():
            raise PayloadChanged(f"{what}: symbolCode {symbol!r} is not a ticker", source=SOURCE)
        symbols.append(symbol.strip().upper())
    dates = strict_dates([row["settlementDate"] for row in rows], source=SOURCE, what=what)
    frame = pd.DataFrame({"date": dates, "symbol": symbols})
    for field, column in _NUMERIC.items():
        frame[column] = strict_floats(
            [row.get(field) for row in rows],
            missing=_MISSING,
            source=SOURCE,
            what=f"{what} {field}",
        )
    frame.loc[frame["days_to_cover"] >= DAYS_TO_COVER_SENTINEL - 1e-9, "days_to_cover"] = np.nan
    revised = np.array([str(row.get("revisionFlag") or "").upper() == "Y" for row in rows])
    frame["_revised"] = revised
    # A restated row (revisionFlag Y) wins over the original of the same symbol and date.
    frame = frame.sort_values(["symbol", "date", "_revised"], kind="stable")
    frame = frame.drop_duplicates(["symbol", "date"], keep="last")
    return frame.loc[:, list(TABLE_COLUMNS)].reset_index(drop=True)


def parse_api_rows(payload: Any) -> pd.DataFrame:
    """Rows of the Query API (a JSON array) as a table ``date, symbol, shares_short,
    avg_daily_volume, days_to_cover`` (shares, shares/day, days; 999.99 days → NaN)."""
    if not isinstance(payload, list) or not all(isinstance(row, dict) for row in payload):
        raise PayloadChanged(
            f"FINRA API answer is not a list of rows (got {type(payload).__name__})", source=SOURCE
        )
    return _table(payload, "consolidatedShortInterest")


def parse_short_interest_file(text: str, symbols: set[str] | None = None) -> pd.DataFrame:
    """A pipe-delimited ``shrtYYYYMMDD.csv`` file as the same table as :func:`parse_api_rows`.

    ``symbols`` keeps only those tickers (the files list every OTC and listed security, ~20k
    rows). Fields are text here: ``|1523270|1.91|Y|`` → 1523270.0 shares/day, 1.91 days.
    """
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()]
    if not lines:
        raise PayloadChanged("FINRA file is empty", source=SOURCE)
    header = [cell.strip() for cell in lines[0].split("|")]
    if "symbolCode" not in header or "settlementDate" not in header:
        raise PayloadChanged(
            f"FINRA file header {header[:4]} is not the short-interest layout", source=SOURCE
        )
    if len(set(header)) != len(header):
        raise PayloadChanged("FINRA file header repeats a column", source=SOURCE)
    symbol_at = header.index("symbolCode")
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("|")
        if len(cells) != len(header):
            raise PayloadChanged(
                f"FINRA file line {number} has {len(cells)} fields, expected {len(header)} "
                "(truncated?)",
                source=SOURCE,
            )
        if symbols is not None and cells[symbol_at].strip().upper() not in symbols:
            continue
        rows.append(dict(zip(header, cells, strict=True)))
    return _table(rows, "FINRA file")


def short_interest_series(table: pd.DataFrame, keys: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Catalog series from a short-interest table, for the ``keys`` asked (missing ones absent).

    ``TLT_SHORT_INTEREST`` ← shares_short of TLT, ``TLT_DAYS_TO_COVER`` ← days_to_cover,
    ``TLT_AVG_DAILY_VOLUME`` ← avg_daily_volume, ``<SYM>_SHORT_INTEREST`` ← shares_short.
    """
    out: dict[str, pd.DataFrame] = {}
    for key in keys:
        symbol, column = _symbol_column(key)
        part = table[table["symbol"] == symbol]
        if not part.empty:
            out[key] = series_frame(
                pd.DatetimeIndex(part["date"]), part[column].to_numpy(dtype="float64")
            )
    return out


def _symbol_column(key: str) -> tuple[str, str]:
    symbol, field = CATALOG[key].remote_id.split(":")
    return symbol, _NUMERIC[field]


def settlement_dates(start: date, end: date) -> list[date]:
    """Nominal settlement dates (the 15th and the month's last day) from ``start`` to ``end``.

    >>> settlement_dates(date(2024, 12, 1), date(2025, 1, 20))
    [datetime.date(2024, 12, 15), datetime.date(2024, 12, 31), datetime.date(2025, 1, 15)]
    """
    out: list[date] = []
    year, month = start.year, start.month
    while date(year, month, 1) <= end:
        next_month = date(year + month // 12, month % 12 + 1, 1)
        for day in (date(year, month, 15), next_month - timedelta(days=1)):
            if start <= day <= end:
                out.append(day)
        year, month = next_month.year, next_month.month
    return out


def _business_days_back(day: date, count: int) -> list[date]:
    """``day`` moved back to a weekday, then the ``count - 1`` weekdays before it."""
    out: list[date] = []
    while len(out) < count:
        if day.weekday() < 5:
            out.append(day)
        day -= timedelta(days=1)
    return out


# -- fetching ------------------------------------------------------------------------------------


def fetch_api_rows(
    http: HttpClient,
    symbols: Sequence[str],
    since: date | None,
    until: date,
    *,
    url: str = FINRA_API_URL,
) -> pd.DataFrame:
    """Every API row of ``symbols`` settled from ``since`` to ``until``, 5,000 per request."""
    body: dict[str, Any] = {
        "fields": list(_FIELDS),
        "domainFilters": [{"fieldName": "symbolCode", "values": list(symbols)}],
        "limit": PAGE_LIMIT,
    }
    if since is not None:
        body["dateRangeFilters"] = [
            {
                "fieldName": "settlementDate",
                "startDate": since.isoformat(),
                "endDate": until.isoformat(),
            }
        ]
    frames: list[pd.DataFrame] = []
    offset = 0
    for _ in range(_MAX_PAGES):
        response = http.post_json(SOURCE, url, {**body, "offset": offset})
        if response.status_code == 204:
            break
        rows = expect_json(response, provider=SOURCE)
        frames.append(parse_api_rows(rows))
        offset += len(rows)
        total_text = response.headers.get("record-total", "").strip()
        total = int(total_text) if total_text.isdigit() else None
        if not rows or total is None or offset >= total:
            break
    else:
        raise PayloadChanged(f"more than {_MAX_PAGES} pages; paging looks broken", source=SOURCE)
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in TABLE_COLUMNS})
    return _table_concat(frames)


def _table_concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    joined = pd.concat(frames, ignore_index=True)
    joined = joined.drop_duplicates(["symbol", "date"], keep="last")
    return joined.sort_values(["symbol", "date"]).reset_index(drop=True)


def fetch_file_rows(
    http: HttpClient,
    symbols: set[str],
    since: date | None,
    until: date,
    *,
    base_url: str = FINRA_FILES_URL,
    publication_grace_days: int = 21,
) -> tuple[pd.DataFrame, list[date]]:
    """Rows of ``symbols`` from the twice-monthly files settled from ``since`` to ``until``.

    Each nominal settlement date is tried, then the weekdays before it (holidays move the date
    back), until a file answers. Returns the table and the nominal dates no file was found for
    that are older than ``publication_grace_days`` (recent ones are simply not published yet).
    """
    start = max(since or FIRST_FILE, FIRST_FILE)
    frames: list[pd.DataFrame] = []
    gaps: list[date] = []
    for nominal in settlement_dates(start, until):
        found = False
        for day in _business_days_back(nominal, 4):
            url = f"{base_url.rstrip('/')}/shrt{day:%Y%m%d}.csv"
            response = http.get(SOURCE, url, accept_statuses=frozenset({403, 404}))
            if response.status_code in {403, 404}:
                continue
            text = expect_text(response, "pipe-delimited text", provider=SOURCE)
            frames.append(parse_short_interest_file(text, symbols))
            found = True
            break
        if not found and (until - nominal).days > publication_grace_days:
            gaps.append(nominal)
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in TABLE_COLUMNS}), gaps
    return _table_concat(frames), gaps


# -- the Source ----------------------------------------------------------------------------------


class FinraSource:
    """FINRA short interest as the refresh sees it: the API, then the files for what it missed.

    Parameters
    ----------
    http : HttpClient
    settings : Settings
    api_url : str
        The ``consolidatedShortInterest`` endpoint (or a test server).
    files_url : str
        The folder of ``shrtYYYYMMDD.csv`` files (or a test server).
    today : callable returning date
        The last settlement date asked for (injectable for tests).
    """

    name = Provider.FINRA.value

    def __init__(
        self,
        http: HttpClient,
        settings: Settings,
        *,
        api_url: str = FINRA_API_URL,
        files_url: str = FINRA_FILES_URL,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.http = http
        self.settings = settings
        self.api_url = api_url
        self.files_url = files_url
        self.today = today

    def fetch(
        self, keys: Sequence[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        """Yield one result per key; provider faults become :class:`FetchFailed`."""
        for key in keys:
            spec = CATALOG.get(key)
            if spec is None or spec.provider is not Provider.FINRA:
                raise ValueError(f"{key!r} is not a FINRA series of the catalog")
        if not keys:
            return
        starts = [since.get(k) for k in keys]
        start = None if any(s is None for s in starts) else min(s for s in starts if s)
        symbols = sorted({_symbol_column(k)[0] for k in keys})
        until = self.today()
        served_by = "finra:api"
        try:
            table = fetch_api_rows(self.http, symbols, start, until, url=self.api_url)
            missing = [s for s in symbols if s not in set(table["symbol"])]
        except SourceError as exc:
            logger.warning("FINRA API failed (%s); reading the twice-monthly files", exc)
            api_error: SourceError | None = exc
            table, missing = None, symbols
        else:
            api_error = None
        if missing:
            try:
                files, gaps = fetch_file_rows(
                    self.http, set(missing), start, until, base_url=self.files_url
                )
            except SourceError as exc:
                files, gaps = None, []
                file_error: SourceError | None = exc
            else:
                file_error = None
                if gaps:
                    logger.warning("FINRA files missing for settlement dates %s", gaps)
            if files is not None and not files.empty:
                table = files if table is None else _table_concat([table, files])
                served_by = "finra:files" if api_error is not None else "finra:api+files"
        else:
            file_error = None
        series = short_interest_series(table, keys) if table is not None else {}
        for key in keys:
            if key in series:
                yield Fetched(key, _from(series[key], since.get(key)), served_by)
            elif since.get(key) is not None and api_error is None and file_error is None:
                # nothing settled since the last refresh
                empty = pd.DataFrame({"date": pd.DatetimeIndex([]), "value": []})
                yield Fetched(key, empty.astype({"value": "float64"}), served_by)
            else:
                error = (
                    file_error
                    or api_error
                    or PayloadChanged(
                        f"no short-interest rows for {_symbol_column(key)[0]} in the API nor the "
                        "files; has the symbol changed?",
                        source=SOURCE,
                    )
                )
                yield FetchFailed(key=key, error=error)


def _from(frame: pd.DataFrame, since: date | None) -> pd.DataFrame:
    if since is None:
        return frame
    return frame[frame["date"] >= pd.Timestamp(since)].reset_index(drop=True)
