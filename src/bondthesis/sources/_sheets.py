"""Spreadsheet helpers shared by the workbook providers (World Bank, Caldara-Iacoviello).

Workbooks are opened from bytes and turned into plain lists of rows (``list[list[object]]``), so
the logic that finds a header and reads a column works the same on ``.xls`` (xlrd), ``.xlsx``
(openpyxl) and on hand-written rows in tests. Every failure is a
:class:`~bondthesis.errors.PayloadChanged` naming the provider.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import openpyxl
import xlrd

from bondthesis.errors import PayloadChanged

__all__ = [
    "Cell",
    "Rows",
    "cell_date",
    "cell_float",
    "excel_serial_to_date",
    "find_column",
    "page_text",
    "read_xls_rows",
    "read_xlsx_rows",
]

Cell = object
Rows = list[list[Cell]]

# Excel's 1900 date system counts a fictitious 1900-02-29 (serial 60): serials from 61 on count from
# 1899-12-30, serials below from 1899-12-31, so that 1 is 1900-01-01 and 61 is 1900-03-01, as Excel
# shows them. 45292 is 2024-01-01.
_EXCEL_EPOCH = date(1899, 12, 30)
_MISSING_TEXT = {"", "…", "...", "..", ".", "na", "n/a", "nan", "#n/a", "none", "null", "-"}
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _looks_like_html(content: bytes) -> bool:
    head = content[:1024].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml")) or b"<html" in head


def read_xlsx_rows(content: bytes, sheet: str, *, source: str) -> Rows:
    """Every row of sheet ``sheet`` of an ``.xlsx`` workbook, cells as openpyxl reads them.

    Raises
    ------
    PayloadChanged
        The bytes are not a workbook (an HTML page, a truncated download) or lack the sheet.
    """
    if not content.startswith(_XLSX_MAGIC):
        what = "an HTML page" if _looks_like_html(content) else "not an .xlsx workbook"
        raise PayloadChanged(f"the download is {what} (expected sheet {sheet!r})", source=source)
    try:
        # openpyxl warns about styles and extensions it ignores (the World Bank file has some);
        # they say nothing about the data, so they are silenced here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # BadZipFile, KeyError, InvalidFileException, XML errors...
        raise PayloadChanged(f"the .xlsx workbook cannot be read: {exc}", source=source) from exc
    try:
        if sheet not in book.sheetnames:
            raise PayloadChanged(
                f"the workbook has no sheet {sheet!r} (sheets: {book.sheetnames})", source=source
            )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return [list(row) for row in book[sheet].iter_rows(values_only=True)]
        except Exception as exc:
            raise PayloadChanged(f"the .xlsx sheet cannot be read: {exc}", source=source) from exc
    finally:
        book.close()


def read_xls_rows(content: bytes, sheet: str | None, *, source: str) -> tuple[Rows, int]:
    """Every row of a legacy ``.xls`` sheet (the first sheet when ``sheet`` is None).

    Returns
    -------
    rows : list of list
        Cell values as xlrd reads them (numbers are floats, dates are Excel serial floats).
    datemode : int
        The workbook's date system (0: 1900, 1: 1904), for :func:`excel_serial_to_date`.
    """
    if not content.startswith(_XLS_MAGIC):
        what = "an HTML page" if _looks_like_html(content) else "not an .xls workbook"
        raise PayloadChanged(f"the download is {what}", source=source)
    try:
        book = xlrd.open_workbook(file_contents=content, on_demand=True, logfile=io.StringIO())
    except Exception as exc:  # xlrd raises bare XLRDError, struct.error, AssertionError...
        raise PayloadChanged(f"the .xls workbook cannot be read: {exc}", source=source) from exc
    try:
        names = book.sheet_names()
        if sheet is not None and sheet not in names:
            raise PayloadChanged(
                f"the workbook has no sheet {sheet!r} (sheets: {names})", source=source
            )
        try:
            data = book.sheet_by_name(sheet) if sheet is not None else book.sheet_by_index(0)
            rows: Rows = [list(data.row_values(i)) for i in range(data.nrows)]
        except Exception as exc:
            raise PayloadChanged(f"the .xls sheet cannot be read: {exc}", source=source) from exc
        return rows, int(book.datemode)
    finally:
        book.release_resources()


def page_text(content: bytes, *, source: str, what: str = "the page") -> str:
    """An HTML page's text (UTF-8, undecodable bytes replaced), or PayloadChanged when empty."""
    text = content.decode("utf-8", errors="replace")
    if not text.strip():
        raise PayloadChanged(f"{what} is empty", source=source)
    return text


def find_column(header: Sequence[Cell], name: str) -> int | None:
    """Index of the header cell equal to ``name`` (case and spaces ignored), or None."""
    wanted = name.strip().lower()
    for index, cell in enumerate(header):
        if isinstance(cell, str) and cell.strip().lower() == wanted:
            return index
    return None


def excel_serial_to_date(serial: float, datemode: int = 0) -> date:
    """The calendar date of an Excel serial day number.

    >>> excel_serial_to_date(45292.0)
    datetime.date(2024, 1, 1)
    """
    lowest = 0 if datemode == 1 else 1
    if not math.isfinite(serial) or not lowest <= serial < 2_958_466:  # 9999-12-31
        raise ValueError(f"{serial!r} is not an Excel date serial")
    if datemode == 1:
        return date(1904, 1, 1) + timedelta(days=int(serial))
    if serial < 61:
        return _EXCEL_EPOCH + timedelta(days=int(serial) + 1)
    return _EXCEL_EPOCH + timedelta(days=int(serial))


_ISO_DAY = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]00:00(?::00)?)?$")


def cell_date(cell: Cell, datemode: int = 0) -> date | None:
    """A date from a cell that holds a datetime, an Excel serial or text ``YYYY-MM-DD``/``/``.

    Returns None when the cell cannot be read as a date.
    """
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        try:
            return excel_serial_to_date(float(cell), datemode)
        except ValueError:
            return None
    if isinstance(cell, str):
        match = _ISO_DAY.match(cell.strip())
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    return None


def cell_float(cell: Any) -> float | None:
    """A float from a numeric or numeric-text cell; NaN for missing markers; None if neither.

    >>> cell_float("69.55"), cell_float("…"), cell_float("abc")
    (69.55, nan, None)
    """
    if cell is None:
        return math.nan
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        value = float(cell)
        return value if math.isfinite(value) else math.nan
    if isinstance(cell, str):
        text = cell.strip().replace(",", "")
        if text.lower() in _MISSING_TEXT:
            return math.nan
        try:
            value = float(text)
        except ValueError:
            return None
        return value if math.isfinite(value) else math.nan
    return None
