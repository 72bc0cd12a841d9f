"""Layouts of the record tables: one row per auction, one row per 13F position.

Shared by the sources that produce the rows and the store that keeps them, so neither has to
import the other.
"""

from __future__ import annotations

__all__ = ["AUCTION_COLUMNS", "HOLDINGS_COLUMNS"]

AUCTION_COLUMNS: tuple[str, ...] = (
    "cusip",
    "issue_date",
    "auction_date",
    "maturity_date",
    "security_type",
    "security_term",
    "original_security_term",
    "reopening",
    "tips",
    "frn",
    "offering_amt",
    "total_accepted",
    "high_yield",
    "int_rate",
    "bid_to_cover_ratio",
)

HOLDINGS_COLUMNS: tuple[str, ...] = (
    "period_end",
    "cik",
    "filer_name",
    "cusip",
    "putcall",
    "value_usd",
    "shares",
    "filing_date",
    "accession",
)
