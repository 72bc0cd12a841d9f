"""SEC Form 13F data sets: TLT options and shares reported by institutional managers.

The SEC publishes every 13F filing flattened into quarterly zips of tab-separated files
(SOURCES.md §4.1). This module finds them on the landing page (two naming schemes: ``2023q4`` by
filing quarter up to 2023, ``01mar2024-31may2024`` filing windows since; ``_1.zip`` re-uploads;
newer sets under ``datastandardsinnovation``), streams each zip to a temporary file, reads
``SUBMISSION.tsv``, ``COVERPAGE.tsv`` and ``INFOTABLE.tsv`` row by row with :mod:`csv` and keeps
the rows of one CUSIP (TLT: 464287432).

Rules, each from the SEC's readme / FAQ:

* ``VALUE`` is thousands of dollars in filings made before 2023-01-03 and dollars from then on,
  decided by ``FILING_DATE`` (not the period): 665 797 (thousands) filed 2022-11-14 is
  $665,797,000.
* For option rows (``PUTCALL`` Call/Put) ``VALUE`` and ``SSHPRNAMT`` describe the underlying
  shares, not the premium.
* Amendments: per (CIK, period) the latest filing that is an original or a RESTATEMENT replaces
  the earlier ones; a "NEW HOLDINGS" amendment adds its lines to that filing.
* Lines of one filing with the same (CUSIP, PUTCALL) are summed (different managers/discretion).

``price_ok`` (see :func:`bondthesis.sources.snapshot.flag_13f_prices`) marks rows whose
value/shares lies within [0.8, 1.25] times the period's reference price, so that filers who
reported premiums, contracts or thousands after the cutover are kept but not summed.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO
from urllib.parse import urljoin

import numpy as np
import pandas as pd

from bondthesis.config import Settings
from bondthesis.errors import PayloadChanged, SourceError, SourceRejected
from bondthesis.records import HOLDINGS_COLUMNS
from bondthesis.sources._http import HttpClient
from bondthesis.sources._sheets import page_text
from bondthesis.sources.base import Fetched, FetchFailed
from bondthesis.sources.snapshot import flag_13f_prices, thirteenf_series

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

SOURCE = "sec"
SEC_URL = "https://www.sec.gov"
LANDING_PATH = "/data-research/sec-markets-data/form-13f-data-sets"
TLT_CUSIP = "464287432"
VALUE_IN_DOLLARS_FROM = date(2023, 1, 3)
HOLDINGS_KEY = "HOLDINGS_13F"
SERIES_KEYS = (
    "TLT_13F_CALL_VALUE",
    "TLT_13F_PUT_VALUE",
    "TLT_13F_CALL_FILERS",
    "TLT_13F_PUT_FILERS",
)
_HOLDINGS_FILINGS = {"13F-HR", "13F-HR/A"}
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
_QUARTER_NAME = re.compile(r"^(\d{4})q([1-4])_form13f(?:_(\d+))?\.zip$", re.IGNORECASE)
_WINDOW_NAME = re.compile(
    r"^(\d{2})([a-z]{3})(\d{4})-(\d{2})([a-z]{3})(\d{4})_form13f(?:_(\d+))?\.zip$", re.IGNORECASE
)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+?_form13f(?:_\d+)?\.zip)["']""", re.IGNORECASE)
_LINE_COLUMNS = ["accession", "cusip", "putcall", "value", "shares"]
_FILING_COLUMNS = [
    "accession",
    "cik",
    "period_end",
    "filing_date",
    "submission_type",
    "filer_name",
    "amendment_type",
]


@dataclass(frozen=True, order=True)
class DataSet:
    """One zip of the 13F data sets: filings made from ``filed_from`` to ``filed_to``."""

    filed_from: date
    filed_to: date
    revision: int
    url: str


def _day(text: str) -> date:
    """``30-JUN-2026`` (the data sets' format) or ``2026-06-30``; ValueError if neither."""
    text = text.strip()
    if len(text) == 11 and text[2] == "-" and text[6] == "-":
        return date(int(text[7:]), _MONTHS[text[3:6].upper()], int(text[:2]))
    return date.fromisoformat(text)


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
            start = date(int(window[3]), _MONTHS[window[2].upper()], int(window[1]))
            end = date(int(window[6]), _MONTHS[window[5].upper()], int(window[4]))
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


# -- reading the tab-separated tables ------------------------------------------------------------


def _rows(lines: Iterable[str], name: str, needed: Sequence[str]) -> Iterator[dict[str, str]]:
    csv.field_size_limit(2**31 - 1)  # free-text fields exceed the default 128 KiB
    reader = csv.reader(lines, delimiter="\t")
    try:
        header = [cell.strip().upper() for cell in next(reader, [])]
        missing = [column for column in needed if column not in header]
        if missing:
            raise PayloadChanged(f"{name} lacks columns {missing}", source=SOURCE)
        index = {column: header.index(column) for column in needed}
        for row in reader:
            if not row:
                continue
            if len(row) < len(header):
                row = row + [""] * (len(header) - len(row))
            yield {column: row[at] for column, at in index.items()}
    except csv.Error as exc:
        raise PayloadChanged(f"{name} is not readable TSV: {exc}", source=SOURCE) from exc


def _number(text: str, name: str) -> float:
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return float("nan")
    try:
        return float(cleaned)
    except ValueError:
        raise PayloadChanged(f"{name}: {text!r} is not a number", source=SOURCE) from None


def read_13f_tables(
    infotable: Iterable[str],
    submission: Iterable[str],
    coverpage: Iterable[str] | None = None,
    *,
    cusips: Sequence[str] = (TLT_CUSIP,),
    known_ciks: Iterable[str] = (),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The lines of ``cusips`` and the holdings filings of their filers, from one data set.

    Parameters
    ----------
    infotable, submission, coverpage : iterables of text lines
        ``INFOTABLE.tsv``, ``SUBMISSION.tsv`` and (optional) ``COVERPAGE.tsv``, header first.
    cusips : sequence of str
    known_ciks : iterable of str
        Filers that reported ``cusips`` in older data sets: their filings are kept too, so that a
        restatement that drops the position is seen.

    Returns
    -------
    lines : DataFrame
        ``accession, cusip, putcall ("Call"/"Put"/"SH"), value (as filed), shares``.
    filings : DataFrame
        ``accession, cik, period_end, filing_date, submission_type, filer_name,
        amendment_type`` of every 13F-HR(/A) filing by a CIK that reported one of ``cusips``
        (needed to see a later restatement that dropped the position).
    """
    wanted = {c.strip().upper() for c in cusips}
    lines: list[tuple[str, str, str, float, float]] = []
    for row in _rows(
        infotable, "INFOTABLE.tsv", ("ACCESSION_NUMBER", "CUSIP", "VALUE", "SSHPRNAMT", "PUTCALL")
    ):
        cusip = row["CUSIP"].strip().upper()
        if cusip not in wanted:
            continue
        side = row["PUTCALL"].strip().capitalize() or "SH"
        if side not in {"Call", "Put", "SH"}:
            raise PayloadChanged(f"INFOTABLE.tsv: PUTCALL {row['PUTCALL']!r}", source=SOURCE)
        value = _number(row["VALUE"], "INFOTABLE.tsv VALUE")
        shares = _number(row["SSHPRNAMT"], "INFOTABLE.tsv SSHPRNAMT")
        lines.append((row["ACCESSION_NUMBER"].strip(), cusip, side, value, shares))
    accessions = {line[0] for line in lines}

    filings: dict[str, list[str]] = {}
    ciks_of_lines: set[str] = {c.lstrip("0") for c in known_ciks}
    all_filings: list[list[str]] = []
    columns = ("ACCESSION_NUMBER", "FILING_DATE", "SUBMISSIONTYPE", "CIK", "PERIODOFREPORT")
    for row in _rows(submission, "SUBMISSION.tsv", columns):
        kind = row["SUBMISSIONTYPE"].strip().upper()
        if kind not in _HOLDINGS_FILINGS:
            continue
        accession = row["ACCESSION_NUMBER"].strip()
        cik = row["CIK"].strip().lstrip("0")
        try:
            period, filed = _day(row["PERIODOFREPORT"]), _day(row["FILING_DATE"])
        except (KeyError, ValueError, IndexError):
            raise PayloadChanged(
                f"SUBMISSION.tsv: dates {row['PERIODOFREPORT']!r}/{row['FILING_DATE']!r} "
                "are not like 30-JUN-2026",
                source=SOURCE,
            ) from None
        record = [accession, cik, period.isoformat(), filed.isoformat(), kind, "", ""]
        all_filings.append(record)
        if accession in accessions:
            ciks_of_lines.add(cik)
    for record in all_filings:
        if record[1] in ciks_of_lines:
            filings[record[0]] = record
    if coverpage is not None:
        for row in _rows(
            coverpage, "COVERPAGE.tsv", ("ACCESSION_NUMBER", "FILINGMANAGER_NAME", "AMENDMENTTYPE")
        ):
            record_or_none = filings.get(row["ACCESSION_NUMBER"].strip())
            if record_or_none is not None:
                record_or_none[5] = row["FILINGMANAGER_NAME"].strip()
                record_or_none[6] = row["AMENDMENTTYPE"].strip().upper()
    unknown = accessions - set(filings)
    line_frame = pd.DataFrame(
        [line for line in lines if line[0] not in unknown], columns=_LINE_COLUMNS
    )
    filing_frame = pd.DataFrame(list(filings.values()), columns=_FILING_COLUMNS)
    for column in ("period_end", "filing_date"):
        filing_frame[column] = pd.to_datetime(filing_frame[column]).dt.date
    return line_frame, filing_frame


def _member(archive: zipfile.ZipFile, name: str) -> str | None:
    for info in archive.infolist():
        if info.filename.rsplit("/", 1)[-1].upper() == name.upper():
            return info.filename
    return None


def read_13f_zip(
    file: str | Path | IO[bytes],
    *,
    cusips: Sequence[str] = (TLT_CUSIP,),
    known_ciks: Iterable[str] = (),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`read_13f_tables` on a data-set zip, streaming each member (never loaded whole)."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = {n: _member(archive, n) for n in ("INFOTABLE.tsv", "SUBMISSION.tsv")}
            missing = [n for n, member in names.items() if member is None]
            if missing:
                raise PayloadChanged(f"the zip lacks {missing}", source=SOURCE)
            cover = _member(archive, "COVERPAGE.tsv")

            def text(member: str) -> io.TextIOWrapper:
                return io.TextIOWrapper(
                    archive.open(member), encoding="utf-8", errors="replace", newline=""
                )

            with (
                text(str(names["INFOTABLE.tsv"])) as infotable,
                text(str(names["SUBMISSION.tsv"])) as submission,
            ):
                if cover is None:
                    return read_13f_tables(
                        infotable, submission, None, cusips=cusips, known_ciks=known_ciks
                    )
                with text(cover) as coverpage:
                    return read_13f_tables(
                        infotable, submission, coverpage, cusips=cusips, known_ciks=known_ciks
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise PayloadChanged(f"the data-set zip cannot be read: {exc}", source=SOURCE) from exc


# -- from filings to holdings --------------------------------------------------------------------


def _current_filings(filings: pd.DataFrame) -> pd.DataFrame:
    """Per (CIK, period): the latest original/RESTATEMENT plus later NEW HOLDINGS amendments."""
    ordered = filings.drop_duplicates("accession").sort_values(["filing_date", "accession"])
    adds = ordered["amendment_type"].eq("NEW HOLDINGS") & ordered["submission_type"].eq("13F-HR/A")
    base = ordered[~adds].groupby(["cik", "period_end"]).tail(1)
    kept = [base]
    if adds.any():
        added = ordered[adds].merge(
            base[["cik", "period_end", "filing_date"]],
            on=["cik", "period_end"],
            how="left",
            suffixes=("", "_base"),
        )
        # An addition counts if it follows the base, or if the base is in an older data set.
        later = added["filing_date_base"].isna() | (
            added["filing_date"] >= added["filing_date_base"]
        )
        kept.append(added[later].drop(columns="filing_date_base"))
    return pd.concat(kept, ignore_index=True)


def holdings_from_filings(lines: pd.DataFrame, filings: pd.DataFrame) -> pd.DataFrame:
    """Rows in the store's ``holdings_13f`` layout, plus ``price_ok``, one per key.

    ``value_usd`` is in dollars (thousands × 1000 for filings made before 2023-01-03).
    Rows are keyed by (period_end, cik, cusip, putcall); lines of the kept filings are summed.
    """
    current = _current_filings(filings)
    merged = lines.merge(current, on="accession", how="inner")
    before = merged["filing_date"] < VALUE_IN_DOLLARS_FROM
    merged["value_usd"] = np.where(before, merged["value"] * 1000.0, merged["value"])
    keys = ["period_end", "cik", "cusip", "putcall"]
    grouped = merged.groupby(keys, sort=True)
    out = grouped.agg(
        filer_name=("filer_name", "last"),
        value_usd=("value_usd", lambda v: v.sum(min_count=1)),
        shares=("shares", lambda v: v.sum(min_count=1)),
        filing_date=("filing_date", "max"),
        accession=("accession", lambda v: ",".join(sorted(set(v)))),
    ).reset_index()
    out["filer_name"] = out["filer_name"].replace("", None)
    out = out[list(HOLDINGS_COLUMNS)]
    out["value_usd"] = out["value_usd"].astype("float64")
    out["shares"] = out["shares"].astype("float64")
    out["price_ok"] = flag_13f_prices(out)
    return out.reset_index(drop=True)


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
            empty = pd.DataFrame(columns=[*_LINE_COLUMNS])
            return holdings_from_filings(empty, pd.DataFrame(columns=_FILING_COLUMNS))
        return holdings_from_filings(
            pd.concat(lines, ignore_index=True), pd.concat(filings, ignore_index=True)
        )
