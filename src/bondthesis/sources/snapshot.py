"""A local folder of files in the providers' own formats (the layout of ``../shared/data``).

:func:`read_snapshot` reads the files the catalog names (parsers in :mod:`.snapshot_parsers`)
and checks them the way the online parsers check an answer: every value finite and plausible
for its series (:mod:`._plausible`), one value per date, the last line whole, the columns a
table's readers need, UTF-8 text. A file that fails is refused and named with its line in
:attr:`SnapshotContent.refused`; the series of every other file still load. Only the folder and
its known subfolders (``alt/``, ``raw/``) are listed, so pointing it at ``/usr`` costs nothing:
a folder that holds none of the catalog's files is a :class:`~bondthesis.errors.ConfigError`.

The fund price files come from one download taken while the exchange was open
(:data:`PRICES_CAPTURED_AT`); their last bar is then the running session, not a close, and
:func:`read_snapshot` drops it by the same rule a live download follows
(:func:`~bondthesis.sources._session.drop_unfinished_session`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path, PurePosixPath

import pandas as pd

from bondthesis.catalog import CATALOG, SeriesSpec
from bondthesis.errors import ConfigError, PayloadChanged
from bondthesis.redaction import clip
from bondthesis.sources._plausible import check_plausible
from bondthesis.sources._session import EXCHANGE_TIMEZONE, drop_unfinished_session
from bondthesis.sources.snapshot_parsers import (
    flag_13f_prices,
    parse_13f_rows,
    parse_auctions_table,
    parse_dated_values,
    parse_dated_values_with_lines,
    parse_shiller,
    parse_short_interest_table,
    splice,
    thirteenf_series,
)

__all__ = [
    "AUXILIARY_FILES",
    "MAX_FILE_BYTES",
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
# The largest real file (the auctions table) is 2.4 MB; a file 100x that is not a snapshot file.
MAX_FILE_BYTES = 256 << 20
# At most this many entries are looked at per folder (a snapshot has ~60).
_MAX_LISTED = 5000

PRICES_CAPTURED_AT: dict[str, datetime] = dict.fromkeys(
    ("TLT.csv", "TMF.csv", "SPY.csv", "IEF.csv", "GLD.csv"),
    # MANIFEST.md: "one yfinance download in dsturdy/Factor_Attribution, committed 2026-08-03 at
    # 11:45 ET"; the files end on 2026-08-03, so that bar is the morning's price.
    datetime(2026, 8, 3, 11, 45, tzinfo=EXCHANGE_TIMEZONE),
)
"""When each fund price file was downloaded; a file whose last bar is dated on that day loses it
if the download came before the close (a later download of the same name ends later and keeps
everything)."""

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


@dataclass
class SnapshotContent:
    """What a snapshot folder holds, ready for the store.

    ``refused`` maps each refused file to the reason (file and line); ``refused_keys`` maps
    the catalog keys those files would have loaded to the same reason.
    """

    series: dict[str, tuple[pd.DataFrame, str]] = field(default_factory=dict)  # key -> (rows, file)
    auctions: pd.DataFrame | None = None
    holdings_13f: pd.DataFrame | None = None
    unknown_files: list[str] = field(default_factory=list)
    skipped_files: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    refused_keys: dict[str, str] = field(default_factory=dict)


def _series_by_file() -> dict[str, list[SeriesSpec]]:
    table: dict[str, list[SeriesSpec]] = {}
    for spec in CATALOG.values():
        for name in spec.snapshot_files:
            table.setdefault(name, []).append(spec)
    return table


def _files(folder: Path, subfolders: Iterable[str]) -> list[str]:
    """Files of ``folder`` and of its known subfolders only; never a walk of the whole tree."""
    names: list[str] = []
    for sub in sorted(set(subfolders)):
        directory = folder / sub if sub else folder
        if not directory.is_dir():
            continue
        with os.scandir(directory) as entries:
            for count, entry in enumerate(entries):
                if count >= _MAX_LISTED:
                    break
                if entry.is_file():
                    names.append(f"{sub}/{entry.name}" if sub else entry.name)
    return sorted(names)


def _not_a_snapshot(folder: Path) -> ConfigError:
    candidates = [folder / "data", folder / "shared" / "data", folder.parent / "shared" / "data"]
    found = next((c for c in candidates if (c / "DGS30.csv").is_file()), None)
    hint = f"; did you mean {found}?" if found else "; pass the folder that holds DGS30.csv etc."
    return ConfigError(
        f"{folder} is not a snapshot folder: it holds none of the files a snapshot has "
        f"(DGS30.csv, TLT.csv, treasury_auctions_1979_2026.csv...){hint}"
    )


def _read_text(folder: Path, name: str) -> str:
    """A snapshot file's text: bounded, UTF-8, its last line whole."""
    path = folder / name
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise PayloadChanged(
            f"{name} is {size >> 20} MB, more than any snapshot file (limit "
            f"{MAX_FILE_BYTES >> 20} MB); not read",
            source=SOURCE,
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise PayloadChanged(
            f"{name}, line {line}: bytes that are not UTF-8 text; save the file as UTF-8",
            source=SOURCE,
        ) from None
    if text.strip() and not text.endswith("\n"):
        raise PayloadChanged(
            f"{name}, line {text.count(chr(10)) + 1}: the last line has no line end (the file "
            "was cut off?); download it again",
            source=SOURCE,
        )
    return text


def read_snapshot(folder: Path, only: set[str] | None = None) -> SnapshotContent:
    """Read every file of a snapshot folder (``../shared/data`` layout).

    Parameters
    ----------
    folder : Path
    only : set of str, optional
        Catalog keys to read; None reads everything.

    Raises
    ------
    ConfigError
        ``folder`` holds none of the catalog's files (with a did-you-mean when one is near).
    """
    if not folder.is_dir():
        raise FileNotFoundError(folder)
    by_file = _series_by_file()
    subfolders = {PurePosixPath(n).parent.as_posix() for n in [*by_file, *AUXILIARY_FILES]}
    present = _files(folder, {"" if s == "." else s for s in subfolders})
    if not any(name in by_file for name in present):
        raise _not_a_snapshot(folder)
    reader = _Reader(folder, set(present), only)
    for name in present:
        if name not in by_file and name not in AUXILIARY_FILES:
            reader.content.unknown_files.append(name)
        elif name in AUXILIARY_FILES:
            reader.content.skipped_files[name] = AUXILIARY_FILES[name]
    for spec in CATALOG.values():
        if reader.wanted(spec.key) and not spec.key.startswith(_READ_ELSEWHERE):
            files = [f for f in spec.snapshot_files if f in reader.present]
            if files and not _is_short_interest(spec.key):
                reader.guarded(files, [spec.key], partial(reader.series, spec, files))
    for name, symbols in _SHORT_FILES.items():
        if name in reader.present:
            keys = [k for k in CATALOG if _is_short_interest(k) and reader.wanted(k)]
            reader.guarded([name], keys, partial(reader.short_interest, name, symbols))
    if "shiller_ie_data.csv" in reader.present:
        keys = [k for k in CATALOG if k.startswith("SHILLER_") and reader.wanted(k)]
        reader.guarded(["shiller_ie_data.csv"], keys, reader.shiller)
    holdings = [n for n in ("TLT_13F_all_positions.csv", "TLT_13F_options.csv") if n in present]
    if holdings:
        keys = [
            k for k in CATALOG if k.startswith(("TLT_13F", "HOLDINGS_13F")) and reader.wanted(k)
        ]
        reader.guarded(holdings, keys, lambda: reader.holdings(holdings))
    return reader.content


_READ_ELSEWHERE = ("TLT_13F", "SHILLER_", "HOLDINGS_13F")
_HOLDINGS_FILES = ("TLT_13F_all_positions.csv", "TLT_13F_options.csv")
_SHORT_FILES: dict[str, set[str] | None] = {
    "TLT_short_interest.csv": {"TLT"},
    "long_duration_etf_short_interest_2020_2021.csv": None,
}


def _is_short_interest(key: str) -> bool:
    return key.endswith("_SHORT_INTEREST") or key in {"TLT_DAYS_TO_COVER", "TLT_AVG_DAILY_VOLUME"}


class _Reader:
    """One pass over a folder: each file read, checked, and either loaded or refused by name."""

    def __init__(self, folder: Path, present: set[str], only: set[str] | None) -> None:
        self.folder = folder
        self.present = present
        self.only = only
        self.content = SnapshotContent()

    def wanted(self, key: str) -> bool:
        return self.only is None or key in self.only

    def text(self, name: str) -> str:
        return _read_text(self.folder, name)

    def guarded(self, files: Sequence[str], keys: Iterable[str], load: Callable[[], None]) -> None:
        """Run ``load``; a refused file is named and its keys reported, the rest goes on."""
        try:
            load()
        except (PayloadChanged, OSError) as exc:
            reason = clip(str(exc).removeprefix(f"{SOURCE}: "))
            for name in files:
                self.content.refused.setdefault(name, reason)
            for key in keys:
                self.content.refused_keys[key] = reason

    def series(self, spec: SeriesSpec, files: list[str]) -> None:
        if spec.key == "AUCTIONS":
            self.content.auctions = parse_auctions_table(self.text(files[0]), files[0])
            return
        frame, lines = parse_dated_values_with_lines(self.text(files[0]), files[0])
        check_plausible(spec, frame, source=SOURCE, where=files[0], lines=lines)
        captured = PRICES_CAPTURED_AT.get(files[0])
        if captured is not None and len(frame) and frame["date"].iloc[-1].date() == captured.date():
            frame = drop_unfinished_session(frame, captured)
        for extension in files[1:]:
            more, more_lines = parse_dated_values_with_lines(self.text(extension), extension)
            check_plausible(spec, more, source=SOURCE, where=extension, lines=more_lines)
            frame = splice(frame, more)
        self.content.series[spec.key] = (frame, " + ".join(files))

    def short_interest(self, name: str, symbols: set[str] | None) -> None:
        table = parse_short_interest_table(self.text(name), name)
        loaded: dict[str, tuple[pd.DataFrame, str]] = {}
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
                if key in CATALOG and self.wanted(key):
                    rows = pd.DataFrame({"date": part["date"], "value": part[column]})
                    check_plausible(CATALOG[key], rows, source=SOURCE, where=name)
                    loaded[key] = (rows.reset_index(drop=True), name)
        self.content.series.update(loaded)

    def shiller(self) -> None:
        name = "shiller_ie_data.csv"
        loaded = parse_shiller(self.text(name), name)
        for key, rows in loaded.items():
            check_plausible(CATALOG[key], rows, source=SOURCE, where=name)
        self.content.series.update(
            {key: (rows, name) for key, rows in loaded.items() if self.wanted(key)}
        )

    def holdings(self, names: Sequence[str]) -> None:
        parts = [parse_13f_rows(self.text(name), name) for name in names]
        rows = pd.concat(parts, ignore_index=True).drop_duplicates(
            ["period_end", "cik", "cusip", "putcall"], keep="last"
        )
        derived = thirteenf_series(rows)
        for key, series in derived.items():
            check_plausible(CATALOG[key], series, source=SOURCE, where=" + ".join(names))
        self.content.holdings_13f = rows
        for key, series in derived.items():
            if self.wanted(key):
                self.content.series[key] = (series, "TLT_13F_options.csv")
