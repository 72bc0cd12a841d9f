"""Gold prices now that FRED no longer carries LBMA gold: Stooq daily and the World Bank monthly.

* ``GOLD_DAILY``: Stooq ``xauusd`` daily closes (USD per troy ounce; spot, not adjusted, so
  refreshes are incremental with a one-week overlap). Served by :class:`StooqGoldSource`.
* ``GOLD_MONTHLY``: the World Bank "Pink Sheet" (``CMO-Historical-Data-Monthly.xlsx``, sheet
  "Monthly Prices", column ``GOLD``: the LBMA-based monthly average). Its URL changes with every
  release, so the landing page is scraped for the link. Served by :class:`PinkSheetSource`.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from typing import Any
from urllib.parse import urljoin

import pandas as pd

from bondthesis.config import Settings
from bondthesis.errors import PayloadChanged, SourceError, SourceRejected
from bondthesis.redaction import register_secret
from bondthesis.sources._http import HttpClient
from bondthesis.sources._sheets import Rows, cell_float, page_text, read_xlsx_rows
from bondthesis.sources.base import Fetched, FetchFailed
from bondthesis.sources.prices import _UNSET, STOOQ_URL, fetch_stooq, stooq_api_key_from_env

__all__ = [
    "PINK_SHEET_PAGE",
    "PinkSheetSource",
    "StooqGoldSource",
    "find_pink_sheet_link",
    "parse_pink_sheet",
    "pink_sheet_rows_to_frame",
]

PINK_SHEET_PAGE = "https://www.worldbank.org/en/research/commodity-markets"
PINK_SHEET_FILE = "CMO-Historical-Data-Monthly.xlsx"
PINK_SHEET_SHEET = "Monthly Prices"
_OVERLAP_DAYS = 7
_PERIOD = re.compile(r"^\s*(\d{4})M(\d{2})\s*$")
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def _unknown(key: str, source: str, served: Sequence[str]) -> FetchFailed:
    return FetchFailed(
        key,
        SourceRejected(
            f"{key} is not served by {source} (it serves {', '.join(served)})", source=source
        ),
    )


class StooqGoldSource:
    """``GOLD_DAILY`` from Stooq's ``xauusd`` CSV (catalog provider ``stooq``).

    Parameters
    ----------
    http : HttpClient
    settings : Settings
    base_url : str
        Stooq's host.
    api_key : str or None
        Defaults to ``$STOOQ_API_KEY``.
    """

    name = "stooq"
    keys = ("GOLD_DAILY",)

    def __init__(
        self,
        http: HttpClient,
        settings: Settings,
        *,
        base_url: str = STOOQ_URL,
        api_key: str | None = _UNSET,
    ) -> None:
        self.http = http
        self.settings = settings
        self.base_url = base_url
        self.api_key = stooq_api_key_from_env() if api_key is _UNSET else api_key
        register_secret(self.api_key)

    def fetch(
        self, keys: Sequence[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        """One result per key; rows from a week before ``since`` on (the whole history if None)."""
        for key in keys:
            if key not in self.keys:
                yield _unknown(key, self.name, self.keys)
                continue
            first = since.get(key)
            start = first - timedelta(days=_OVERLAP_DAYS) if first is not None else None
            try:
                rows = fetch_stooq(
                    self.http, "xauusd", base_url=self.base_url, api_key=self.api_key, start=start
                )
            except SourceError as exc:
                yield FetchFailed(key, exc)
                continue
            yield Fetched(key, rows, "stooq")


def find_pink_sheet_link(page: str, base_url: str = PINK_SHEET_PAGE) -> str:
    """The absolute URL of ``CMO-Historical-Data-Monthly.xlsx`` linked from the landing page.

    Raises
    ------
    PayloadChanged
        The page links no such file.
    """
    for match in _HREF.finditer(page):
        href = html.unescape(match.group(1)).strip()
        if href.split("?")[0].split("#")[0].lower().endswith(PINK_SHEET_FILE.lower()):
            return urljoin(base_url, href)
    raise PayloadChanged(
        f"the commodity-markets page links no {PINK_SHEET_FILE}; the page layout changed",
        source="worldbank",
    )


def pink_sheet_rows_to_frame(rows: Rows, code: str = "GOLD") -> pd.DataFrame:
    """One column of the "Monthly Prices" sheet, given as a list of rows.

    The sheet has titles in rows 1-4, long names in row 5, units in row 6, short codes (``GOLD``)
    in row 7 and data from row 8, periods written ``1960M01`` and missing values ``…``. The code
    row is searched for in the first 20 rows, so a row added to the titles does not break this.

    Returns
    -------
    DataFrame with ``date`` (datetime64, the first day of each month, ascending, unique) and
    ``value`` (float, USD per troy ounce for GOLD; NaN where missing).
    """
    source = "worldbank"
    header_at = None
    column = None
    for index, row in enumerate(rows[:20]):
        for position, cell in enumerate(row):
            # Case matters: row 5 holds the long name "Gold", row 7 the code "GOLD".
            if isinstance(cell, str) and cell.strip() == code:
                header_at, column = index, position
                break
        if header_at is not None:
            break
    if header_at is None or column is None:
        raise PayloadChanged(f"no column coded {code!r} in the first 20 rows", source=source)
    days: list[date] = []
    values: list[float] = []
    for row in rows[header_at + 1 :]:
        if not row:
            continue
        period = row[0]
        match = _PERIOD.match(period) if isinstance(period, str) else None
        if match is None:
            if period is None or (isinstance(period, str) and not period.strip()):
                continue  # blank or note rows after the data
            raise PayloadChanged(f"{period!r} is not a period like 1960M01", source=source)
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise PayloadChanged(f"{period!r} has no month {month}", source=source)
        raw: Any = row[column] if column < len(row) else None
        value = cell_float(raw)
        if value is None or (not math.isnan(value) and value < 0):
            raise PayloadChanged(f"{code} {period}: {raw!r} is not a price", source=source)
        days.append(date(year, month, 1))
        values.append(value)
    if not days:
        raise PayloadChanged(f"no data rows under the {code!r} code row", source=source)
    out = pd.DataFrame({"date": pd.to_datetime(days), "value": values})
    out["value"] = out["value"].astype("float64")
    return out.sort_values("date").drop_duplicates("date", keep="last").reset_index(drop=True)


def parse_pink_sheet(content: bytes, code: str = "GOLD") -> pd.DataFrame:
    """One commodity's monthly prices from the bytes of ``CMO-Historical-Data-Monthly.xlsx``."""
    rows = read_xlsx_rows(content, PINK_SHEET_SHEET, source="worldbank")
    return pink_sheet_rows_to_frame(rows, code)


def fetch_pink_sheet(
    http: HttpClient, *, page_url: str = PINK_SHEET_PAGE, code: str = "GOLD"
) -> pd.DataFrame:
    """Scrape the landing page for the workbook, download it and read ``code`` (network)."""
    page = http.get("worldbank", page_url)
    text = page_text(page.content, source="worldbank", what="the commodity-markets page")
    link = find_pink_sheet_link(text, page_url)
    workbook = http.get("worldbank", link)
    return parse_pink_sheet(workbook.content, code)


class PinkSheetSource:
    """``GOLD_MONTHLY`` from the World Bank Pink Sheet (catalog provider ``worldbank``).

    The workbook is one file, so ``since`` is ignored: the whole history (from 1960) is read.

    Parameters
    ----------
    http : HttpClient
    settings : Settings
    base_url : str
        The commodity-markets landing page that links the workbook.
    """

    name = "worldbank"
    keys = ("GOLD_MONTHLY",)

    def __init__(
        self, http: HttpClient, settings: Settings, *, base_url: str = PINK_SHEET_PAGE
    ) -> None:
        self.http = http
        self.settings = settings
        self.base_url = base_url

    def fetch(
        self, keys: Sequence[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        """One result per key."""
        for key in keys:
            if key not in self.keys:
                yield _unknown(key, self.name, self.keys)
                continue
            try:
                rows = fetch_pink_sheet(self.http, page_url=self.base_url)
            except SourceError as exc:
                yield FetchFailed(key, exc)
                continue
            yield Fetched(key, rows, "worldbank")
