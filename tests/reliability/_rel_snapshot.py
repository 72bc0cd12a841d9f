"""A small hand-written snapshot folder in the providers' formats, and ways to break it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

DAYS = [d.date().isoformat() for d in pd.bdate_range("2026-01-05", periods=40)]
AUCTION_HEADER = (
    "auction_date,issue_date,maturity_date,cusip,security_type,security_term,"
    "inflation_index_security,floating_rate,offering_amt,total_accepted,bid_to_cover_ratio,"
    "int_rate,high_yield"
)


def series_text(header: str, values: list[str]) -> str:
    return header + "\n" + "".join(f"{d},{v}\n" for d, v in zip(DAYS, values, strict=False))


def good_files(version: int = 1) -> dict[str, str]:
    """DGS30, DGS10, TLT and an auctions table; ``version`` 2 has other values, same dates."""
    bump = 0.01 * (version - 1)
    return {
        "DGS30.csv": series_text(
            "observation_date,DGS30", [f"{4.5 + bump + i / 1000:.3f}" for i in range(40)]
        ),
        "DGS10.csv": series_text(
            "observation_date,DGS10", [f"{4.0 + bump + i / 1000:.3f}" for i in range(40)]
        ),
        "TLT.csv": series_text("Date,Close", [f"{88 + bump + i / 10:.2f}" for i in range(40)]),
        "treasury_auctions_1979_2026.csv": AUCTION_HEADER
        + "\n"
        + "".join(
            f"2026-01-{8 + i:02d},2026-01-{15 + i:02d},2056-01-15,912810U{i}{version},Bond,30-Year,"
            f"No,No,22000000000,22000000000,2.4{i},4.75,{4.8 + bump + i / 100:.3f}\n"
            for i in range(3)
        ),
    }


def write_folder(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder
