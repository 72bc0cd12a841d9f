"""Pure parsers of snapshot files (text in, frames out), strict like the online parsers.

Series files have the date in the first column and the value in the second, under headers that
vary by where the file was downloaded (``observation_date``, ``DATE``, ``"Date"``, ``date,value``)
and dates written ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``M/D/YYYY``; ``.`` and empty cells are
missing. A few files are tables with named columns (auctions, short interest, 13F, Shiller).

Every function raises :class:`~bondthesis.errors.PayloadChanged` on anything it does not
recognise, naming the file and, where it can, the line: a value that is not a finite number, a
date given twice with different values, a table without a column its readers need.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from bondthesis.catalog import CATALOG
from bondthesis.errors import PayloadChanged
from bondthesis.redaction import clip

__all__ = [
    "PRICE_BAND",
    "flag_13f_prices",
    "parse_13f_rows",
    "parse_auctions_table",
    "parse_dated_values",
    "parse_dated_values_with_lines",
    "parse_shiller",
    "parse_short_interest_table",
    "splice",
    "thirteenf_series",
]

SOURCE = "snapshot"
# The first data row is line 2 of a file (line 1 is the header).
_FIRST_DATA_LINE = 2

_MISSING = {".", "", "NA", "NaN", "nan", "null", "#N/A", "…"}


def _read_csv(text: str, name: str) -> pd.DataFrame:
    stripped = text.lstrip("\ufeff")
    head = stripped[:512].lower()
    if "<html" in head or "<!doctype" in head:
        raise PayloadChanged(f"{name} is an HTML page, not CSV", source=SOURCE)
    try:
        return pd.read_csv(io.StringIO(stripped), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise PayloadChanged(
            f"{name} is not a readable CSV: {clip(str(exc), 200)}", source=SOURCE
        ) from exc


def _parse_dates(raw: pd.Series, name: str) -> pd.DatetimeIndex:
    text = raw.astype(str).str.strip()
    sample = text.iloc[0] if len(text) else ""
    if len(sample) == 4 and sample.isdigit():
        fmt = "%Y"
    elif len(sample) == 7 and sample[4] == "-":
        fmt = "%Y-%m"
    elif "/" in sample:
        fmt = "%m/%d/%Y"
    else:
        fmt = "%Y-%m-%d"
    parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    if parsed.isna().any():
        first = int(np.flatnonzero(parsed.isna().to_numpy())[0])
        raise PayloadChanged(
            f"{name}, line {first + _FIRST_DATA_LINE}: {clip(str(text.iloc[first]), 40)!r} is "
            f"not a date in format {fmt}",
            source=SOURCE,
        )
    return pd.DatetimeIndex(parsed)


def _to_float(raw: pd.Series, name: str) -> np.ndarray:
    text = raw.astype(str).str.strip()
    text = text.where(~text.isin(_MISSING), None)
    values = pd.to_numeric(text, errors="coerce")
    out = values.to_numpy(dtype="float64")
    # "inf", "nan" spelled out and overflowing numbers parse to non-finite floats: refused too.
    bad = (values.isna() & text.notna()).to_numpy() | np.isinf(out)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise PayloadChanged(
            f"{name}, line {first + _FIRST_DATA_LINE}: {clip(str(text.iloc[first]), 40)!r} is "
            "not a finite number nor a missing marker",
            source=SOURCE,
        )
    return out


def parse_dated_values_with_lines(
    text: str, name: str = "file", column: int = 1
) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`parse_dated_values` and, per returned row, its line in the file."""
    frame = _read_csv(text, name)
    if frame.shape[1] <= column or frame.empty:
        raise PayloadChanged(
            f"{name}: expected a date column and a value column, got "
            f"{clip(str(list(frame.columns)), 200)}",
            source=SOURCE,
        )
    dates = _parse_dates(frame.iloc[:, 0], name)
    values = _to_float(frame.iloc[:, column], name)
    out = pd.DataFrame(
        {"date": dates, "value": values, "line": np.arange(len(frame)) + _FIRST_DATA_LINE}
    )
    if not out["date"].is_monotonic_increasing or out["date"].duplicated().any():
        out = out.sort_values("date", kind="stable")
        repeated = out[out["date"].duplicated(keep=False)]
        # The same row twice is harmless; one date with two values is not knowable: refused.
        conflicts = repeated.groupby("date")["value"].nunique(dropna=False)
        if (conflicts > 1).any():
            day = conflicts[conflicts > 1].index[0]
            lines = repeated.loc[repeated["date"] == day, "line"].tolist()
            raise PayloadChanged(
                f"{name}, lines {', '.join(str(n) for n in lines[:5])}: "
                f"{day.date().isoformat()} is given {len(lines)} times with different values; "
                "keep one",
                source=SOURCE,
            )
        out = out.drop_duplicates("date", keep="last")
    out = out.reset_index(drop=True)
    return out[["date", "value"]], out["line"].to_numpy()


def parse_dated_values(text: str, name: str = "file", column: int = 1) -> pd.DataFrame:
    """Parse a two-column (date, value) file whatever its header and date format.

    Returns
    -------
    DataFrame with columns ``date`` (datetime64) and ``value`` (float, NaN where missing),
    dates ascending and unique.

    Raises
    ------
    PayloadChanged
        No value column, a date or value it cannot read, an infinite value, or one date given
        twice with different values (the file and line are named).
    """
    return parse_dated_values_with_lines(text, name, column)[0]


def splice(primary: pd.DataFrame, extension: pd.DataFrame) -> pd.DataFrame:
    """``primary``, extended by the rows of ``extension`` dated after its last real value.

    The ``alt/`` copies of the snapshot are newer downloads of the same series; revised series
    (CPI, payrolls, GDP) differ slightly between vintages, so they are joined at one date rather
    than mixed (../shared/data/MANIFEST.md measures the differences).
    """
    real = primary.dropna(subset=["value"])
    if real.empty:
        return extension.reset_index(drop=True)
    last = real["date"].max()
    head = primary[primary["date"] <= last]
    joined: pd.DataFrame = pd.concat([head, extension[extension["date"] > last]], ignore_index=True)
    return joined


def parse_short_interest_table(text: str, name: str = "short interest") -> pd.DataFrame:
    """Short-interest rows (``settlement_date, symbol, shares_short, ...``) as a tidy table."""
    frame = _read_csv(text, name)
    needed = {"settlement_date", "symbol", "shares_short"}
    if not needed <= set(frame.columns):
        raise PayloadChanged(
            f"{name}: columns {sorted(needed - set(frame.columns))} are missing", source=SOURCE
        )
    out = pd.DataFrame(
        {
            "date": _parse_dates(frame["settlement_date"], name),
            "symbol": frame["symbol"].str.strip().str.upper(),
            "shares_short": _to_float(frame["shares_short"], name),
        }
    )
    for column in ("avg_daily_volume", "days_to_cover"):
        out[column] = _to_float(frame[column], name) if column in frame else np.nan
    return out.sort_values(["symbol", "date"]).reset_index(drop=True)


def parse_13f_rows(text: str, name: str = "13F rows") -> pd.DataFrame:
    """13F information-table rows of one CUSIP, flattened, in the store's holdings layout.

    ``putcall`` is ``Call``, ``Put`` or ``SH`` (a plain share position). ``price_ok`` is False
    where value/shares is far from the period's price (a filer that reported the option premium or
    contracts instead of the underlying's notional); those rows are kept but not summed.
    """
    frame = _read_csv(text, name)
    needed = {"period_end", "cik", "filer_name", "cusip", "putcall", "value_usd"}
    if not needed <= set(frame.columns):
        raise PayloadChanged(
            f"{name}: columns {sorted(needed - set(frame.columns))} are missing", source=SOURCE
        )
    putcall = frame["putcall"].str.strip().replace({"": "SH"})
    out = pd.DataFrame(
        {
            "period_end": _parse_dates(frame["period_end"], name).date,
            "cik": frame["cik"].str.strip().str.lstrip("0"),
            "filer_name": frame["filer_name"].str.strip(),
            "cusip": frame["cusip"].str.strip(),
            "putcall": putcall,
            "value_usd": _to_float(frame["value_usd"], name),
            "shares": _to_float(frame.get("shares_or_prn_amt", pd.Series(dtype=str)), name)
            if "shares_or_prn_amt" in frame
            else np.nan,
            "filing_date": None,
            "accession": frame.get("accession_numbers", pd.Series([None] * len(frame))),
        }
    )
    out["price_ok"] = (
        frame["price_check"].str.strip().eq("ok").to_numpy() if "price_check" in frame else True
    )
    return out


PRICE_BAND = (0.8, 1.25)


def flag_13f_prices(
    rows: pd.DataFrame,
    reference: Mapping[object, float] | None = None,
    band: tuple[float, float] = PRICE_BAND,
) -> np.ndarray:
    """True where a 13F row's value/shares is a plausible share price for its period.

    The rule: ``band[0] * ref <= value_usd / shares <= band[1] * ref``, where ``ref`` is
    ``reference[period_end]`` when given (e.g. TLT's quarter-end close), else the median
    value/shares of the period's plain share rows (``putcall == "SH"``; of all rows when a period
    has none). Most filers report shares correctly, so the median is the quarter-end price
    (87.33 at 2024-12-31); the band [0.8, 1.25] keeps the honest rows and drops filers who
    reported an option premium (0.13), contracts instead of shares (×100: 8733) or thousands
    after the 2023 switch to dollars (×0.001). Rows without shares are False.

    Parameters
    ----------
    rows : DataFrame with columns ``period_end``, ``putcall``, ``value_usd``, ``shares``
    reference : mapping of period_end to price, optional
    band : (low, high) multiples of the reference price

    Returns
    -------
    ndarray of bool, shape (len(rows),)
    """
    if rows.empty:
        return np.zeros(0, dtype=bool)
    shares = pd.to_numeric(rows["shares"], errors="coerce").astype("float64")
    value = pd.to_numeric(rows["value_usd"], errors="coerce").astype("float64")
    implied = (value / shares.where(shares > 0)).replace([np.inf, -np.inf], np.nan)
    periods = rows["period_end"]
    if reference is not None:
        ref = periods.map(lambda p: reference.get(p, np.nan)).astype("float64")
    else:
        frame = pd.DataFrame({"period": periods, "implied": implied, "sh": rows["putcall"] == "SH"})
        from_shares = frame[frame["sh"]].groupby("period")["implied"].median()
        from_all = frame.groupby("period")["implied"].median()
        medians = from_all.copy()
        medians.loc[from_shares.dropna().index] = from_shares.dropna()
        ref = periods.map(medians).astype("float64")
    ok = (implied >= band[0] * ref) & (implied <= band[1] * ref)
    return ok.fillna(False).to_numpy(dtype=bool)


def thirteenf_series(rows: pd.DataFrame, since: date | None = None) -> dict[str, pd.DataFrame]:
    """Quarterly sums of TLT option notionals and counts of filers, from price-checked rows.

    Rows without a ``price_ok`` column are checked with :func:`flag_13f_prices`. ``since``
    keeps periods ending on or after it (incremental refreshes fetch only the newer filings).
    """
    price_ok = (
        rows["price_ok"].to_numpy(dtype=bool) if "price_ok" in rows else flag_13f_prices(rows)
    )
    ok = rows[price_ok]
    if since is not None:
        ok = ok[pd.to_datetime(ok["period_end"]) >= pd.Timestamp(since)]
    out: dict[str, pd.DataFrame] = {}
    for side in ("Call", "Put"):
        part = ok[ok["putcall"] == side]
        grouped = part.groupby("period_end")
        value = grouped["value_usd"].sum()
        filers = grouped["cik"].nunique()
        key = side.upper()
        out[f"TLT_13F_{key}_VALUE"] = pd.DataFrame(
            {"date": pd.to_datetime(value.index), "value": value.to_numpy(dtype="float64")}
        )
        out[f"TLT_13F_{key}_FILERS"] = pd.DataFrame(
            {"date": pd.to_datetime(filers.index), "value": filers.to_numpy(dtype="float64")}
        )
    return out


def parse_auctions_table(text: str, name: str = "auctions") -> pd.DataFrame:
    """Auction rows in the store's ``auctions`` layout.

    Reopenings carry the remaining term (``29-Year 10-Month``); ``original_security_term`` is the
    term at the CUSIP's first auction, so that reopenings count toward their original bucket.
    """
    frame = _read_csv(text, name)
    # The yields, dates and cover ratios are what the issuance pillar reads: a file without
    # them is refused, not loaded as thousands of empty yields.
    needed = {
        "cusip",
        "issue_date",
        "auction_date",
        "security_type",
        "security_term",
        "offering_amt",
        "high_yield",
        "bid_to_cover_ratio",
    }
    if not needed <= set(frame.columns):
        raise PayloadChanged(
            f"{name}: columns {sorted(needed - set(frame.columns))} are missing", source=SOURCE
        )

    def dates(column: str) -> pd.Series:
        if column not in frame:
            return pd.Series([pd.NaT] * len(frame))
        return pd.to_datetime(frame[column].str.strip(), format="%Y-%m-%d", errors="coerce")

    def numbers(column: str) -> np.ndarray:
        if column not in frame:
            return np.full(len(frame), np.nan)
        return _to_float(frame[column], name)

    def flag(column: str) -> pd.Series:
        if column not in frame:
            return pd.Series([False] * len(frame))
        return frame[column].str.strip().str.lower().eq("yes")

    out = pd.DataFrame(
        {
            "cusip": frame["cusip"].str.strip(),
            "issue_date": dates("issue_date").dt.date,
            "auction_date": dates("auction_date").dt.date,
            "maturity_date": dates("maturity_date").dt.date,
            "security_type": frame["security_type"].str.strip(),
            "security_term": frame["security_term"].str.strip(),
            "tips": flag("inflation_index_security"),
            "frn": flag("floating_rate"),
            "offering_amt": numbers("offering_amt"),
            "total_accepted": numbers("total_accepted"),
            "high_yield": numbers("high_yield"),
            "int_rate": numbers("int_rate"),
            "bid_to_cover_ratio": numbers("bid_to_cover_ratio"),
        }
    )
    if out["issue_date"].isna().any():
        raise PayloadChanged(f"{name}: rows without an issue date", source=SOURCE)
    if "original_security_term" in frame:
        out["original_security_term"] = frame["original_security_term"].str.strip()
    else:
        first = out.sort_values("issue_date").groupby("cusip")["security_term"].first()
        out["original_security_term"] = out["cusip"].map(first)
    if "reopening" in frame:
        out["reopening"] = frame["reopening"].str.strip()
    else:
        first_issue = out.groupby("cusip")["issue_date"].transform("min")
        out["reopening"] = np.where(out["issue_date"] > first_issue, "Yes", "No")
    return out.drop_duplicates(["cusip", "issue_date"], keep="last").reset_index(drop=True)


_SHILLER_COLUMNS = {"P": "P", "D": "D", "E": "E", "CPI": "CPI", "CAPE": "CAPE"}


def parse_shiller(text: str, name: str = "shiller") -> dict[str, pd.DataFrame]:
    """Shiller's monthly sheet (as CSV) into one frame per catalog series ``SHILLER_*``."""
    frame = _read_csv(text, name)
    if "date" not in frame.columns or "P" not in frame.columns:
        raise PayloadChanged(f"{name}: expected Shiller's columns date, P, D, E...", source=SOURCE)
    dates = _parse_dates(frame["date"], name)
    out = {}
    for key, spec in CATALOG.items():
        if spec.provider.value == "shiller" and spec.remote_id in frame.columns:
            out[key] = pd.DataFrame(
                {"date": dates, "value": _to_float(frame[spec.remote_id], name)}
            )
    return out
