"""The store's tables: their SQL, the schema version, and the rows the store hands back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bondthesis.data.records import AUCTION_COLUMNS, HOLDINGS_COLUMNS

__all__ = ["SCHEMA_SQL", "SCHEMA_VERSION", "TABLE_COLUMNS", "FetchRecord", "SeriesStatus"]

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
