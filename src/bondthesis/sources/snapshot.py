"""A local folder of files in the providers' own formats (the layout of ``../shared/data``).

Series files have the date in the first column and the value in the second, under headers that
vary by where the file was downloaded (``observation_date``, ``DATE``, ``"Date"``, ``date,value``)
and dates written ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``M/D/YYYY``; ``.`` and empty cells are
missing. A few files are tables with named columns (auctions, short interest, 13F, Shiller).

``parse_*`` functions are pure (text in, frames out) and raise
:class:`~bondthesis.errors.PayloadChanged` on anything they do not recognise.
:func:`read_snapshot` walks a folder and reports every file it does not know.

The fund price files come from one download taken while the exchange was open
(:data:`PRICES_CAPTURED_AT`); their last bar is then the running session, not a close, and
:func:`read_snapshot` drops it by the same rule a live download follows
(:func:`~bondthesis.sources._session.drop_unfinished_session`).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from bondthesis.catalog import CATALOG, SeriesSpec
from bondthesis.errors import PayloadChanged
from bondthesis.sources._session import EXCHANGE_TIMEZONE, drop_unfinished_session

__all__ = [
    "PRICES_CAPTURED_AT",
    "SnapshotContent",
    "flag_13f_prices",
    "parse_13f_rows",
    "parse_auctions_table",
    "parse_dated_values",
    "parse_shiller",
    "parse_short_interest_table",
    "read_snapshot",
    "splice",
    "thirteenf_series",
]

SOURCE = "snapshot"

PRICES_CAPTURED_AT: dict[str, datetime] = dict.fromkeys(
    ("TLT.csv", "TMF.csv", "SPY.csv", "IEF.csv", "GLD.csv"),
    # MANIFEST.md: "one yfinance download in dsturdy/Factor_Attribution, committed 2026-08-03 at
    # 11:45 ET"; the files end on 2026-08-03, so that bar is the morning's price.
    datetime(2026, 8, 3, 11, 45, tzinfo=EXCHANGE_TIMEZONE),
)
"""When each fund price file was downloaded; a file whose last bar is dated on that day loses it
if the download came before the close (a later download of the same name ends later and keeps
everything)."""
_MISSING = {".", "", "NA", "NaN", "nan", "null", "#N/A", "…"}

# Files a snapshot may hold that carry no series of their own, with the reason.
AUXILIARY_FILES: dict[str, str] = {
    "MANIFEST.md": "documentation",
    "MANIFEST-extra.md": "documentation",
    "NFCI.csv": "older NFCI vintage; NFCI is re-estimated weekly, so alt/NFCI.csv is used whole",
    "raw/Auctions_Query_19791115_20251215.csv": "raw input of treasury_auctions_1979_2026.csv",
    "raw/US_Auction_Data_treasurydirect_29col_13f9187.csv": "raw input of the auctions table",
    "raw/US_Auction_Data_treasurydirect_120col_129f7a0.csv": "raw input of the auctions table",
    "raw/shiller_ie_data_2024-current.xls": "original workbook of shiller_ie_data.csv",
}


def _read_csv(text: str, name: str) -> pd.DataFrame:
    stripped = text.lstrip("\ufeff")
    head = stripped[:512].lower()
    if "<html" in head or "<!doctype" in head:
        raise PayloadChanged(f"{name} is an HTML page, not CSV", source=SOURCE)
    try:
        return pd.read_csv(io.StringIO(stripped), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise PayloadChanged(f"{name} is not a readable CSV: {exc}", source=SOURCE) from exc


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
        bad = text[parsed.isna()].iloc[0]
        raise PayloadChanged(f"{name}: {bad!r} is not a date in format {fmt}", source=SOURCE)
    return pd.DatetimeIndex(parsed)


def _to_float(raw: pd.Series, name: str) -> np.ndarray:
    text = raw.astype(str).str.strip()
    text = text.where(~text.isin(_MISSING), None)
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() & text.notna()
    if bad.any():
        raise PayloadChanged(
            f"{name}: {text[bad].iloc[0]!r} is not a number nor a missing marker", source=SOURCE
        )
    return values.to_numpy(dtype="float64")


def parse_dated_values(text: str, name: str = "file", column: int = 1) -> pd.DataFrame:
    """Parse a two-column (date, value) file whatever its header and date format.

    Returns
    -------
    DataFrame with columns ``date`` (datetime64) and ``value`` (float, NaN where missing),
    dates ascending and unique.
    """
    frame = _read_csv(text, name)
    if frame.shape[1] <= column or frame.empty:
        raise PayloadChanged(
            f"{name}: expected a date column and a value column, got {list(frame.columns)}",
            source=SOURCE,
        )
    dates = _parse_dates(frame.iloc[:, 0], name)
    values = _to_float(frame.iloc[:, column], name)
    out = pd.DataFrame({"date": dates, "value": values})
    if not out["date"].is_monotonic_increasing or out["date"].duplicated().any():
        out = out.sort_values("date").drop_duplicates("date", keep="last")
    return out.reset_index(drop=True)


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
    needed = {"cusip", "issue_date", "security_type", "security_term", "offering_amt"}
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


@dataclass
class SnapshotContent:
    """What a snapshot folder holds, ready for the store."""

    series: dict[str, tuple[pd.DataFrame, str]] = field(default_factory=dict)  # key -> (rows, file)
    auctions: pd.DataFrame | None = None
    holdings_13f: pd.DataFrame | None = None
    unknown_files: list[str] = field(default_factory=list)
    skipped_files: dict[str, str] = field(default_factory=dict)


def _files(folder: Path) -> Iterator[str]:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path.relative_to(folder).as_posix()


def _series_by_file() -> dict[str, list[SeriesSpec]]:
    table: dict[str, list[SeriesSpec]] = {}
    for spec in CATALOG.values():
        for name in spec.snapshot_files:
            table.setdefault(name, []).append(spec)
    return table


def read_snapshot(folder: Path, only: set[str] | None = None) -> SnapshotContent:
    """Read every file of a snapshot folder (``../shared/data`` layout).

    Parameters
    ----------
    folder : Path
    only : set of str, optional
        Catalog keys to read; None reads everything.
    """
    if not folder.is_dir():
        raise FileNotFoundError(folder)
    by_file = _series_by_file()
    content = SnapshotContent()
    present = list(_files(folder))
    for name in present:
        if name not in by_file and name not in AUXILIARY_FILES:
            content.unknown_files.append(name)
        elif name in AUXILIARY_FILES:
            content.skipped_files[name] = AUXILIARY_FILES[name]

    def text(name: str) -> str:
        return (folder / name).read_text(encoding="utf-8", errors="strict")

    wanted = [s for s in CATALOG.values() if only is None or s.key in only]
    for spec in wanted:
        files = [f for f in spec.snapshot_files if f in present]
        if not files or spec.key.startswith(("TLT_13F", "SHILLER_", "HOLDINGS_13F")):
            continue
        if spec.key in {"TLT_SHORT_INTEREST", "TLT_DAYS_TO_COVER", "TLT_AVG_DAILY_VOLUME"} or (
            spec.key.endswith("_SHORT_INTEREST")
        ):
            continue
        if spec.key == "AUCTIONS":
            content.auctions = parse_auctions_table(text(files[0]), files[0])
            continue
        frame = parse_dated_values(text(files[0]), files[0])
        captured = PRICES_CAPTURED_AT.get(files[0])
        if captured is not None and len(frame) and frame["date"].iloc[-1].date() == captured.date():
            frame = drop_unfinished_session(frame, captured)
        for extension in files[1:]:
            frame = splice(frame, parse_dated_values(text(extension), extension))
        content.series[spec.key] = (frame, " + ".join(files))

    short_files = {
        "TLT_short_interest.csv": {"TLT"},
        "long_duration_etf_short_interest_2020_2021.csv": None,
    }
    for name, symbols in short_files.items():
        if name not in present:
            continue
        table = parse_short_interest_table(text(name), name)
        for symbol, part in table.groupby("symbol"):
            if symbols is not None and symbol not in symbols:
                continue
            if symbols is None and symbol == "TLT":
                continue  # the dedicated TLT file holds these dates too, with more columns
            columns = {"shares_short": f"{symbol}_SHORT_INTEREST"}
            if symbol == "TLT":
                columns |= {
                    "days_to_cover": "TLT_DAYS_TO_COVER",
                    "avg_daily_volume": "TLT_AVG_DAILY_VOLUME",
                }
            for column, key in columns.items():
                if key in CATALOG and (only is None or key in only):
                    rows = pd.DataFrame({"date": part["date"], "value": part[column]})
                    content.series[key] = (rows.reset_index(drop=True), name)

    if "shiller_ie_data.csv" in present:
        for key, rows in parse_shiller(text("shiller_ie_data.csv")).items():
            if only is None or key in only:
                content.series[key] = (rows, "shiller_ie_data.csv")

    holdings = []
    for name in ("TLT_13F_all_positions.csv", "TLT_13F_options.csv"):
        if name in present:
            holdings.append(parse_13f_rows(text(name), name))
    if holdings:
        rows = pd.concat(holdings, ignore_index=True).drop_duplicates(
            ["period_end", "cik", "cusip", "putcall"], keep="last"
        )
        content.holdings_13f = rows
        for key, series in thirteenf_series(rows).items():
            if only is None or key in only:
                content.series[key] = (series, "TLT_13F_options.csv")
    return content
