"""Caldara-Iacoviello risk indices: geopolitical risk (GPR) and trade policy uncertainty (TPU).

Economic policy uncertainty (``USEPUINDXD``, ``EPUTRADE``) comes through the FRED source; FRED
does not host GPR or TPU, so they are read from the authors' workbooks:

* ``GPR``: ``gpr_files/data_gpr_export.xls`` (legacy .xls, read with xlrd), first sheet, columns
  ``month`` (an Excel serial date: 45292 is 2024-01-01) and ``GPR`` (index, 1985-2019 = 100).
* ``TPU``: ``tpu_files/tpu_web_latest.xlsx``, sheet ``TPU_MONTHLY``, columns ``DATE`` and ``TPU``;
  recent values are stored as text, so every cell is coerced.

Both files are revised and rebuilt as a whole, so ``since`` is ignored and the whole history is
read each time.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from datetime import date

import pandas as pd

from bondthesis.config import Settings
from bondthesis.errors import PayloadChanged, SourceError, SourceRejected
from bondthesis.sources._http import HttpClient
from bondthesis.sources._sheets import (
    Rows,
    cell_date,
    cell_float,
    find_column,
    read_xls_rows,
    read_xlsx_rows,
)
from bondthesis.sources.base import Fetched, FetchFailed

__all__ = [
    "IACOVIELLO_URL",
    "IacovielloSource",
    "monthly_rows_to_frame",
    "parse_gpr_xls",
    "parse_tpu_xlsx",
]

SOURCE = "iacoviello"
IACOVIELLO_URL = "https://www.matteoiacoviello.com"
GPR_PATH = "gpr_files/data_gpr_export.xls"
TPU_PATH = "tpu_files/tpu_web_latest.xlsx"
TPU_SHEET = "TPU_MONTHLY"


def monthly_rows_to_frame(
    rows: Rows, date_column: str, value_column: str, *, datemode: int = 0, what: str = "sheet"
) -> pd.DataFrame:
    """A monthly (date, value) frame from sheet rows whose first row is the header.

    Dates may be datetimes, Excel serials (read with ``datemode``) or ``YYYY-MM-DD`` text, and are
    moved to the first day of their month; values may be numbers or numeric text (``"69.55"``);
    empty cells are missing. Rows with no date at all (notes under the table) are skipped.

    Returns
    -------
    DataFrame with ``date`` (datetime64, month starts, ascending, unique) and ``value`` (float,
    NaN where missing).

    Raises
    ------
    PayloadChanged
        The header lacks a column, a date cell is not a date or a value cell is not a number.
    """
    if not rows:
        raise PayloadChanged(f"{what} is empty", source=SOURCE)
    header = rows[0]
    date_at = find_column(header, date_column)
    value_at = find_column(header, value_column)
    if date_at is None or value_at is None:
        shown = [cell for cell in header[:12] if cell is not None]
        raise PayloadChanged(
            f"{what}: expected columns {date_column!r} and {value_column!r}, header is {shown}",
            source=SOURCE,
        )
    days: list[date] = []
    values: list[float] = []
    for row in rows[1:]:
        raw_date = row[date_at] if date_at < len(row) else None
        if raw_date is None or (isinstance(raw_date, str) and not raw_date.strip()):
            continue
        day = cell_date(raw_date, datemode)
        if day is None:
            raise PayloadChanged(f"{what}: {raw_date!r} is not a date", source=SOURCE)
        raw_value = row[value_at] if value_at < len(row) else None
        value = cell_float(raw_value)
        if value is None:
            raise PayloadChanged(
                f"{what} {day:%Y-%m}: {raw_value!r} is not a number", source=SOURCE
            )
        days.append(day.replace(day=1))
        values.append(value)
    if not days or all(math.isnan(v) for v in values):
        raise PayloadChanged(f"{what}: no {value_column} values", source=SOURCE)
    out = pd.DataFrame({"date": pd.to_datetime(days), "value": values})
    out["value"] = out["value"].astype("float64")
    return out.sort_values("date").drop_duplicates("date", keep="last").reset_index(drop=True)


def parse_gpr_xls(content: bytes) -> pd.DataFrame:
    """The monthly GPR index from the bytes of ``data_gpr_export.xls`` (first sheet)."""
    rows, datemode = read_xls_rows(content, None, source=SOURCE)
    return monthly_rows_to_frame(rows, "month", "GPR", datemode=datemode, what="GPR sheet")


def parse_tpu_xlsx(content: bytes) -> pd.DataFrame:
    """The monthly TPU index from the bytes of ``tpu_web_latest.xlsx`` (sheet ``TPU_MONTHLY``)."""
    rows = read_xlsx_rows(content, TPU_SHEET, source=SOURCE)
    return monthly_rows_to_frame(rows, "DATE", "TPU", what=TPU_SHEET)


class IacovielloSource:
    """``GPR`` and ``TPU`` from matteoiacoviello.com (catalog provider ``iacoviello``).

    Parameters
    ----------
    http : HttpClient
    settings : Settings
    base_url : str
        The site's root; the files are ``gpr_files/data_gpr_export.xls`` and
        ``tpu_files/tpu_web_latest.xlsx`` under it.
    """

    name = SOURCE
    keys = ("GPR", "TPU")

    def __init__(
        self, http: HttpClient, settings: Settings, *, base_url: str = IACOVIELLO_URL
    ) -> None:
        self.http = http
        self.settings = settings
        self.base_url = base_url.rstrip("/")

    def fetch(
        self, keys: Sequence[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        """One result per key; ``since`` is ignored (the files are revised as a whole)."""
        for key in keys:
            if key not in self.keys:
                yield FetchFailed(
                    key,
                    SourceRejected(f"{key} is not served by {SOURCE} (GPR, TPU)", source=SOURCE),
                )
                continue
            try:
                if key == "GPR":
                    response = self.http.get(SOURCE, f"{self.base_url}/{GPR_PATH}")
                    rows = parse_gpr_xls(response.content)
                else:
                    response = self.http.get(SOURCE, f"{self.base_url}/{TPU_PATH}")
                    rows = parse_tpu_xlsx(response.content)
            except SourceError as exc:
                yield FetchFailed(key, exc)
                continue
            yield Fetched(key, rows, SOURCE)
