"""The store's tables: their SQL, the schema version, the rows it takes and hands back."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from bondthesis.data.panel import VINTAGE_UNKNOWN
from bondthesis.data.records import AUCTION_COLUMNS, HOLDINGS_COLUMNS

__all__ = [
    "SCHEMA_SQL",
    "SCHEMA_VERSION",
    "TABLE_COLUMNS",
    "FetchRecord",
    "SeriesStatus",
    "lock_holder",
    "normalise_observations",
]

SCHEMA_VERSION = 1

SCHEMA_SQL = f"""
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS observations (
    series VARCHAR NOT NULL, date DATE NOT NULL, vintage DATE NOT NULL, value DOUBLE,
    PRIMARY KEY (series, date, vintage));
CREATE TABLE IF NOT EXISTS series_meta (
    series VARCHAR PRIMARY KEY, provider VARCHAR, remote_id VARCHAR, units VARCHAR,
    frequency VARCHAR, served_by VARCHAR, updated_at TIMESTAMP);
CREATE SEQUENCE IF NOT EXISTS fetch_log_id;
CREATE TABLE IF NOT EXISTS fetch_log (
    id BIGINT DEFAULT nextval('fetch_log_id'), fetched_at TIMESTAMP, provider VARCHAR,
    series VARCHAR, rows BIGINT, status VARCHAR, error VARCHAR);
CREATE TABLE IF NOT EXISTS auctions (
    cusip VARCHAR NOT NULL, issue_date DATE NOT NULL, auction_date DATE, maturity_date DATE,
    security_type VARCHAR, security_term VARCHAR, original_security_term VARCHAR,
    reopening VARCHAR, tips BOOLEAN, frn BOOLEAN, offering_amt DOUBLE, total_accepted DOUBLE,
    high_yield DOUBLE, int_rate DOUBLE, bid_to_cover_ratio DOUBLE,
    PRIMARY KEY (cusip, issue_date));
CREATE TABLE IF NOT EXISTS holdings_13f (
    period_end DATE NOT NULL, cik VARCHAR NOT NULL, filer_name VARCHAR, cusip VARCHAR NOT NULL,
    putcall VARCHAR NOT NULL, value_usd DOUBLE, shares DOUBLE, filing_date DATE,
    accession VARCHAR, PRIMARY KEY (period_end, cik, cusip, putcall));
INSERT OR IGNORE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');
"""

TABLE_COLUMNS = {"auctions": AUCTION_COLUMNS, "holdings_13f": HOLDINGS_COLUMNS}


@dataclass(frozen=True)
class FetchRecord:
    """One attempt to fetch one series (or record table)."""

    provider: str
    series: str
    rows: int
    status: str  # "ok", "unchanged", "failed"
    error: str | None = None


@dataclass(frozen=True)
class SeriesStatus:
    """What the store knows about one series."""

    series: str
    provider: str | None
    served_by: str | None
    first_date: date | None
    last_date: date | None
    rows: int
    updated_at: datetime | None
    last_status: str | None
    last_error: str | None


def lock_holder(message: str) -> str:
    """Who holds the file, from DuckDB's lock message ("... held in /usr/bin/python (PID 42)")."""
    match = re.search(r"held in (\S+) \(PID (\d+)\)", message)
    if match is None:
        return "another program"
    program, pid = match.groups()
    return f"{Path(program).name} (pid {pid}{', this process' if int(pid) == os.getpid() else ''})"


def normalise_observations(observations: pd.DataFrame) -> pd.DataFrame:
    if "date" not in observations.columns or "value" not in observations.columns:
        raise ValueError("observations need columns 'date' and 'value'")
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(observations["date"]).to_numpy(dtype="datetime64[ns]"),
            "vintage": (
                pd.to_datetime(observations["vintage"]).to_numpy(dtype="datetime64[ns]")
                if "vintage" in observations.columns
                else pd.Timestamp(VINTAGE_UNKNOWN)
            ),
            "value": pd.to_numeric(observations["value"], errors="coerce").astype("float64"),
        }
    )
    if frame["date"].isna().any():
        raise ValueError("observations have rows without a date")
    return frame.drop_duplicates(["date", "vintage"], keep="last")
