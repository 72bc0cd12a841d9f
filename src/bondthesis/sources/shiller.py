"""Robert Shiller's monthly stock-market data (``ie_data.xls``): S&P price, dividends, earnings,
CPI and CAPE since 1871.

The workbook's "Data" sheet has seven title rows, a header row (``Date, P, D, E, CPI, …, CAPE``)
and then one row a month with the date written as a decimal month (``2025.10`` is October, which
Excel stores as the float 2025.1). The file is linked from shillerdata.com, whose address changes
with each upload, so the link is found on the landing page; Yale's old address is the fallback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from bondthesis.catalog import CATALOG, Provider
from bondthesis.config import Settings
from bondthesis.errors import PayloadChanged, SourceError
from bondthesis.sources._http import HttpClient, expect_text
from bondthesis.sources.base import Fetched, FetchFailed

__all__ = [
    "LANDING_URL",
    "YALE_URL",
    "ShillerSource",
    "find_workbook_link",
    "parse_shiller_rows",
    "parse_shiller_xls",
]

SOURCE = Provider.SHILLER.value
LANDING_URL = "https://shillerdata.com/"
YALE_URL = "http://www.econ.yale.edu/~shiller/data/ie_data.xls"
# Catalog remote id -> the sheet's header cell.
_HEADERS = {"P": "P", "D": "D", "E": "E", "CPI": "CPI", "CAPE": "CAPE", "real_tr_price": "Price"}
_LINK = re.compile(r"""href=["']([^"']*ie_data\.xls[^"']*)["']""", re.IGNORECASE)


def find_workbook_link(html: str, base: str = LANDING_URL) -> str:
    """The ``ie_data.xls`` link on the landing page (made absolute), or PayloadChanged."""
    match = _LINK.search(html)
    if match is None:
        raise PayloadChanged("no ie_data.xls link on the landing page", source=SOURCE, url=base)
    link = match.group(1).replace("&amp;", "&")
    if link.startswith("//"):
        return "https:" + link
    if link.startswith("/"):
        return base.rstrip("/") + link
    return link


def _month(decimal_date: float) -> pd.Timestamp:
    year = int(decimal_date)
    month = round((decimal_date - year) * 100)
    if not 1 <= month <= 12:
        raise PayloadChanged(f"{decimal_date!r} is not a Shiller month", source=SOURCE)
    return pd.Timestamp(year=year, month=month, day=1)


def parse_shiller_rows(rows: Sequence[Sequence[object]]) -> dict[str, pd.DataFrame]:
    """The sheet's cells (a list of rows) into one frame per ``SHILLER_*`` catalog series.

    The header row is the first whose first cell is ``Date``; data rows follow while the first
    cell is a number. Columns are found by header, so an inserted column does not shift values.
    The Real TR Price column is the tenth (its header cell reads only ``Price``, like Real Price),
    so it is located by position after ``Dividend``.
    """
    header_at = next(
        (i for i, row in enumerate(rows) if row and str(row[0]).strip() == "Date"), None
    )
    if header_at is None:
        raise PayloadChanged("no header row starting with 'Date' in the Data sheet", source=SOURCE)
    header = [str(cell).strip() for cell in rows[header_at]]
    columns: dict[str, int] = {}
    for remote, label in _HEADERS.items():
        if remote == "real_tr_price":
            continue
        if label not in header:
            raise PayloadChanged(f"the Data sheet has no {label!r} column", source=SOURCE)
        columns[remote] = header.index(label)
    try:
        columns["real_tr_price"] = header.index("Price", header.index("Dividend"))
    except ValueError:
        raise PayloadChanged("the Data sheet has no Real TR Price column", source=SOURCE) from None
    dates: list[pd.Timestamp] = []
    values: dict[str, list[float]] = {remote: [] for remote in columns}
    for row in rows[header_at + 1 :]:
        if not row or not isinstance(row[0], int | float) or isinstance(row[0], bool):
            if dates:
                break  # the notes below the data
            continue
        dates.append(_month(float(row[0])))
        for remote, col in columns.items():
            cell = row[col] if col < len(row) else ""
            values[remote].append(float(cell) if isinstance(cell, int | float) else np.nan)
    if not dates:
        raise PayloadChanged("the Data sheet holds no monthly rows", source=SOURCE)
    index = pd.DatetimeIndex(dates)
    if not index.is_monotonic_increasing or index.has_duplicates:
        raise PayloadChanged("the Data sheet's months are not in order", source=SOURCE)
    out = {}
    for key, spec in CATALOG.items():
        if spec.provider is Provider.SHILLER and spec.remote_id in values:
            out[key] = pd.DataFrame({"date": index, "value": values[spec.remote_id]})
    return out


def parse_shiller_xls(content: bytes) -> dict[str, pd.DataFrame]:
    """Parse the ``ie_data.xls`` workbook (its "Data" sheet)."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=content)
        sheet = book.sheet_by_name("Data")
    except (xlrd.XLRDError, ValueError, OSError, AssertionError, IndexError) as exc:
        raise PayloadChanged(f"not Shiller's workbook: {exc}", source=SOURCE) from exc
    rows = [sheet.row_values(i) for i in range(sheet.nrows)]
    return parse_shiller_rows(rows)


class ShillerSource:
    """Shiller's workbook as the refresh sees it (one download serves every ``SHILLER_*`` key)."""

    name = SOURCE

    def __init__(
        self,
        http: HttpClient,
        settings: Settings,
        *,
        landing_url: str = LANDING_URL,
        fallback_url: str = YALE_URL,
    ) -> None:
        self.http = http
        self.settings = settings
        self.landing_url = landing_url
        self.fallback_url = fallback_url

    def _workbook(self) -> tuple[bytes, str]:
        try:
            page = expect_text(self.http.get(SOURCE, self.landing_url), "HTML", provider=SOURCE)
            url = find_workbook_link(page, self.landing_url)
        except SourceError:
            url = self.fallback_url
        return self.http.get(SOURCE, url).content, url

    def fetch(
        self, keys: Sequence[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        """Yield one result per key; the whole history comes in one workbook."""
        try:
            content, url = self._workbook()
            frames = parse_shiller_xls(content)
        except SourceError as exc:
            for key in keys:
                yield FetchFailed(key, exc)
            return
        served = "shiller:shillerdata" if "shillerdata" in url else "shiller:yale"
        for key in keys:
            if key in frames:
                yield Fetched(key, frames[key], served_by=served)
            else:
                yield FetchFailed(
                    key, PayloadChanged(f"the workbook has no column for {key}", source=SOURCE)
                )
