"""SEC Form 13F data sets: TLT options and shares reported by institutional managers.

The SEC publishes every 13F filing flattened into quarterly zips of tab-separated files
(SOURCES.md §4.1). This module finds them on the landing page (two naming schemes: ``2023q4`` by
filing quarter up to 2023, ``01mar2024-31may2024`` filing windows since; ``_1.zip`` re-uploads;
newer sets under ``datastandardsinnovation``), streams each zip to a temporary file and serves
the holdings table and the quarterly series as the ``sec`` provider.

Reading the zips' tables and the SEC's reporting rules (thousands before 2023-01-03, options as
underlying shares, amendments, summing) live in :mod:`bondthesis.sources.sec13f_tables`; the
names that tests and callers import from there are re-exported here.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd

from bondthesis.config import Settings
from bondthesis.errors import PayloadChanged, SourceError, SourceRejected
from bondthesis.sources._http import HttpClient
from bondthesis.sources._sheets import page_text
from bondthesis.sources.base import Fetched, FetchFailed
from bondthesis.sources.sec13f_tables import (
    FILING_COLUMNS,
    LINE_COLUMNS,
    MONTHS,
    SOURCE,
    TLT_CUSIP,
    VALUE_IN_DOLLARS_FROM,
    holdings_from_filings,
    read_13f_tables,
    read_13f_zip,
)
from bondthesis.sources.snapshot import thirteenf_series

__all__ = [
    "HOLDINGS_KEY",
    "SEC_URL",
    "SERIES_KEYS",
    "TLT_CUSIP",
    "VALUE_IN_DOLLARS_FROM",
    "DataSet",
    "Sec13fSource",
    "find_data_sets",
    "holdings_from_filings",
    "parse_data_set_name",
    "read_13f_tables",
    "read_13f_zip",
    "select_data_sets",
]

SEC_URL = "https://www.sec.gov"
LANDING_PATH = "/data-research/sec-markets-data/form-13f-data-sets"
HOLDINGS_KEY = "HOLDINGS_13F"
SERIES_KEYS = (
    "TLT_13F_CALL_VALUE",
    "TLT_13F_PUT_VALUE",
    "TLT_13F_CALL_FILERS",
    "TLT_13F_PUT_FILERS",
)
_QUARTER_NAME = re.compile(r"^(\d{4})q([1-4])_form13f(?:_(\d+))?\.zip$", re.IGNORECASE)
_WINDOW_NAME = re.compile(
    r"^(\d{2})([a-z]{3})(\d{4})-(\d{2})([a-z]{3})(\d{4})_form13f(?:_(\d+))?\.zip$", re.IGNORECASE
)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+?_form13f(?:_\d+)?\.zip)["']""", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class DataSet:
    """One zip of the 13F data sets: filings made from ``filed_from`` to ``filed_to``."""

    filed_from: date
    filed_to: date
    revision: int
    url: str


def parse_data_set_name(name: str) -> tuple[date, date, int] | None:
    """The filing window and revision of a data-set file name, or None if it is not one.

    >>> parse_data_set_name("2023q4_form13f.zip")
    (datetime.date(2023, 10, 1), datetime.date(2023, 12, 31), 0)
    >>> parse_data_set_name("01mar2024-31may2024_form13f_1.zip")
    (datetime.date(2024, 3, 1), datetime.date(2024, 5, 31), 1)
    """
    quarter = _QUARTER_NAME.match(name)
    if quarter:
        year, q = int(quarter[1]), int(quarter[2])
        start = date(year, 3 * q - 2, 1)
        end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
        return start, date.fromordinal(end.toordinal() - 1), int(quarter[3] or 0)
    window = _WINDOW_NAME.match(name)
    if window:
        try:
            start = date(int(window[3]), MONTHS[window[2].upper()], int(window[1]))
            end = date(int(window[6]), MONTHS[window[5].upper()], int(window[4]))
        except (KeyError, ValueError):
            return None
        return start, end, int(window[7] or 0)
    return None


def find_data_sets(page: str, base_url: str = SEC_URL + LANDING_PATH) -> list[DataSet]:
    """Every data-set zip linked from the landing page, oldest first, one per window.

    Where a window was re-uploaded (``_1.zip``) the highest revision wins.

    Raises
    ------
    PayloadChanged
        The page links no data set at all (the page moved or changed layout).
    """
    best: dict[tuple[date, date], DataSet] = {}
    for match in _HREF.finditer(page):
        url = urljoin(base_url, match.group(1).strip())
        parsed = parse_data_set_name(url.rsplit("/", 1)[-1])
        if parsed is None:
            continue
        start, end, revision = parsed
        found = DataSet(start, end, revision, url)
        kept = best.get((start, end))
        if kept is None or found.revision > kept.revision:
            best[(start, end)] = found
    if not best:
        raise PayloadChanged(
            "the 13F data-sets page links no *_form13f.zip file; the page layout changed",
            source=SOURCE,
        )
    return sorted(best.values())


def select_data_sets(sets: Sequence[DataSet], since: date | None) -> list[DataSet]:
    """The data sets that can hold filings for periods ending on or after ``since``.

    Filings for a period are made after it ends, so every window that ends on or after ``since``
    is needed (the one containing ``since`` too: it may hold amendments). None selects all.
    """
    if since is None:
        return list(sets)
    return [s for s in sets if s.filed_to >= since]


# -- the source ----------------------------------------------------------------------------------


def fetch_data_sets(http: HttpClient, landing_url: str) -> list[DataSet]:
    """The data sets linked from the landing page (network)."""
    page = http.get(SOURCE, landing_url)
    return find_data_sets(page_text(page.content, source=SOURCE, what="the 13F page"), landing_url)


def fetch_data_set(
    http: HttpClient,
    data_set: DataSet,
    *,
    cusips: Sequence[str] = (TLT_CUSIP,),
    known_ciks: Iterable[str] = (),
    work_dir: Path | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stream one zip to a temporary file and read the lines of ``cusips`` (network)."""
    with tempfile.TemporaryFile(dir=work_dir, suffix=".zip") as sink:
        http.download(SOURCE, data_set.url, sink)
        sink.seek(0)
        try:
            return read_13f_zip(sink, cusips=cusips, known_ciks=known_ciks)
        except PayloadChanged as exc:
            raise PayloadChanged(
                f"{data_set.url.rsplit('/', 1)[-1]}: {exc}", source=SOURCE, url=data_set.url
            ) from exc


class Sec13fSource:
    """TLT positions of 13F filers (catalog provider ``sec``).

    Serves the record table ``HOLDINGS_13F`` (``Fetched(table="holdings_13f")``, the store's
    layout plus ``price_ok``) and the quarterly series ``TLT_13F_{CALL,PUT}_{VALUE,FILERS}``
    (``Fetched.served_by == "sec"``). One pass over the data sets serves every key asked for.

    Parameters
    ----------
    http : HttpClient
    settings : Settings
        ``sec_user_agent`` is required: without it :meth:`fetch` raises ConfigError saying how
        to set ``BONDTHESIS_SEC_USER_AGENT``.
    base_url : str
        The SEC host; the landing page is ``base_url + /data-research/sec-markets-data/...``.
    work_dir : Path, optional
        Where the zips are streamed to (the system temp folder by default); each is deleted
        after reading.
    """

    name = SOURCE
    keys = (HOLDINGS_KEY, *SERIES_KEYS)

    def __init__(
        self,
        http: HttpClient,
        settings: Settings,
        *,
        base_url: str = SEC_URL,
        work_dir: Path | None = None,
    ) -> None:
        self.http = http
        self.settings = settings
        self.base_url = base_url.rstrip("/")
        self.work_dir = work_dir

    def fetch(
        self, keys: Sequence[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        """One result per key; only data sets whose filing window ends on or after ``since``.

        The start is the earliest ``since`` of the series keys asked for (None for any of them:
        everything, 2013 on); ``HOLDINGS_13F`` alone uses its own ``since``, and with series it
        is upserted from the same data sets (the store keeps older rows). Raises ConfigError
        before any request when no SEC User-Agent is configured.
        """
        wanted = [k for k in keys if k in self.keys]
        if wanted:
            self.settings.require_sec_user_agent()  # before anything is yielded or requested
        for key in keys:
            if key not in self.keys:
                yield FetchFailed(
                    key,
                    SourceRejected(
                        f"{key} is not served by sec ({', '.join(self.keys)})", source=SOURCE
                    ),
                )
        if not wanted:
            return
        # The store cannot date the holdings table (its `since` is always None), so when series
        # are asked for too the table follows them: it is upserted from the same data sets.
        dated = [k for k in wanted if k != HOLDINGS_KEY] or wanted
        dates = [since.get(k) for k in dated]
        start = None if any(d is None for d in dates) else min(d for d in dates if d is not None)
        try:
            holdings = self._holdings(start)
        except SourceError as exc:
            for key in wanted:
                yield FetchFailed(key, exc)
            return
        series = thirteenf_series(holdings, since=start)
        for key in wanted:
            if key == HOLDINGS_KEY:
                yield Fetched(key, holdings, SOURCE, table="holdings_13f")
            else:
                yield Fetched(key, series[key], SOURCE)

    def _holdings(self, start: date | None) -> pd.DataFrame:
        landing = f"{self.base_url}{LANDING_PATH}"
        chosen = select_data_sets(fetch_data_sets(self.http, landing), start)
        lines: list[pd.DataFrame] = []
        filings: list[pd.DataFrame] = []
        known: set[str] = set()
        for data_set in chosen:  # oldest first, so that restatements see the earlier filers
            found_lines, found_filings = fetch_data_set(
                self.http, data_set, known_ciks=known, work_dir=self.work_dir
            )
            lines.append(found_lines)
            filings.append(found_filings)
            known.update(found_filings["cik"])
        if not lines:
            empty = pd.DataFrame(columns=[*LINE_COLUMNS])
            return holdings_from_filings(empty, pd.DataFrame(columns=FILING_COLUMNS))
        return holdings_from_filings(
            pd.concat(lines, ignore_index=True), pd.concat(filings, ignore_index=True)
        )
