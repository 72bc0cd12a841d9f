"""SEC Form 13F data-set tables to holdings rows: pure reading, no network.

A 13F data set is a zip of tab-separated tables (SOURCES.md §4.1). This module reads
``SUBMISSION.tsv``, ``COVERPAGE.tsv`` and ``INFOTABLE.tsv`` row by row with :mod:`csv` (each zip
member streamed, never loaded whole), keeps the lines of the wanted CUSIPs (TLT: 464287432) and
the filings of their filers, and turns them into rows of the store's ``holdings_13f`` table.
It is kept apart from :mod:`bondthesis.sources.sec13f`, which finds and downloads the zips, so
that the SEC's reporting rules can be read and tested on local tables alone.

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
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from bondthesis.data.records import HOLDINGS_COLUMNS
from bondthesis.errors import PayloadChanged
from bondthesis.sources.snapshot import flag_13f_prices

__all__ = [
    "FILING_COLUMNS",
    "LINE_COLUMNS",
    "MONTHS",
    "SOURCE",
    "TLT_CUSIP",
    "VALUE_IN_DOLLARS_FROM",
    "holdings_from_filings",
    "read_13f_tables",
    "read_13f_zip",
]

SOURCE = "sec"
TLT_CUSIP = "464287432"
VALUE_IN_DOLLARS_FROM = date(2023, 1, 3)
# Month abbreviations as the SEC writes them, in table dates (30-JUN-2026) and in data-set file
# names (01mar2024-31may2024); shared with the file-name parser in sec13f.py.
MONTHS = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
# Columns of the frames read_13f_tables returns (sec13f.py builds empty ones from them).
LINE_COLUMNS = ["accession", "cusip", "putcall", "value", "shares"]
FILING_COLUMNS = [
    "accession",
    "cik",
    "period_end",
    "filing_date",
    "submission_type",
    "filer_name",
    "amendment_type",
]
_HOLDINGS_FILINGS = {"13F-HR", "13F-HR/A"}


# -- reading the tab-separated tables ------------------------------------------------------------


def _day(text: str) -> date:
    """``30-JUN-2026`` (the data sets' format) or ``2026-06-30``; ValueError if neither."""
    text = text.strip()
    if len(text) == 11 and text[2] == "-" and text[6] == "-":
        return date(int(text[7:]), MONTHS[text[3:6].upper()], int(text[:2]))
    return date.fromisoformat(text)


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
        [line for line in lines if line[0] not in unknown], columns=LINE_COLUMNS
    )
    filing_frame = pd.DataFrame(list(filings.values()), columns=FILING_COLUMNS)
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
