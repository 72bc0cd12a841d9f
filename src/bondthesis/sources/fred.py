"""FRED: the keyless graph CSV and the JSON API (with ALFRED vintages).

Two routes (SOURCES.md §1):

* ``fredgraph.csv?id=A,B,C&cosd=YYYY-MM-DD`` needs no key. Its first column is ``DATE`` (before
  ~Dec 2024) or ``observation_date`` (after), missing values are ``.`` or empty, one column per
  id. Several ids of the *same* frequency come back as one CSV with several columns; ids of
  different frequencies come back as a ZIP with one CSV per series, which is parsed member by
  member. :class:`FredSource` batches ids of one frequency into one request and falls back to one
  id per request for whatever a batch did not deliver.
* ``api.stlouisfed.org/fred/series/observations`` with a key: JSON whose ``value`` strings use
  ``"."`` for missing. With ``realtime_start=1776-07-04&realtime_end=9999-12-31`` it returns every
  ALFRED vintage; each row then carries ``vintage`` = its ``realtime_start``.

``parse_*`` functions are pure and raise :class:`~bondthesis.errors.PayloadChanged` on anything
they do not recognise; ``fetch_*`` functions do the I/O through :class:`HttpClient`.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
import zlib
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from bondthesis.catalog import CATALOG, Provider
from bondthesis.config import Settings
from bondthesis.errors import PayloadChanged, SourceError
from bondthesis.sources._http import HttpClient, expect_json, expect_text, is_zip
from bondthesis.sources._parse import series_frame, strict_dates, strict_floats
from bondthesis.sources.base import Fetched, FetchFailed

__all__ = [
    "FREDGRAPH_URL",
    "FRED_OBSERVATIONS_URL",
    "REVISED_SERIES",
    "FredSource",
    "fetch_fredgraph",
    "fetch_observations",
    "parse_fredgraph_csv",
    "parse_fredgraph_payload",
    "parse_observations_json",
]

logger = logging.getLogger("bondthesis.sources.fred")

SOURCE = "fred"
FREDGRAPH_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"
FRED_OBSERVATIONS_URL = "https://api.stlouisfed.org/fred/series/observations"
_DATE_HEADERS = {"date", "observation_date"}
_MISSING = {".", ""}
_ALFRED_START = "1776-07-04"
_ALFRED_END = "9999-12-31"
_API_PAGE_LIMIT = 100_000

# Series whose published history is revised; worth asking ALFRED for vintages when a key is set.
REVISED_SERIES: frozenset[str] = frozenset(
    {"CPIAUCSL", "CPILFESL", "PAYEMS", "UNRATE", "GDP", "A091RC1Q027SBEA", "ICSA", "UMCSENT"}
)


# -- parsing (pure) ------------------------------------------------------------------------------


def parse_fredgraph_csv(text: str, ids: Collection[str] | None = None) -> dict[str, pd.DataFrame]:
    """Parse one fredgraph CSV (one date column, one column per series id).

    Parameters
    ----------
    text : str
        The body, e.g. ``"observation_date,DGS30\\n2026-01-02,4.86\\n2026-01-19,\\n"``.
    ids : collection of str, optional
        Ids that must be present as columns (a renamed column is a changed payload).

    Returns
    -------
    dict of id to DataFrame with ``date`` (datetime64, ascending, unique) and ``value`` (float,
    percent as published, NaN where missing). The example gives ``{"DGS30": [4.86, NaN]}``.
    """
    body = text.lstrip("\ufeff").strip()
    head = body[:512].lower()
    if not body:
        raise PayloadChanged("fredgraph CSV is empty", source=SOURCE)
    if "<html" in head or "<!doctype" in head:
        raise PayloadChanged("fredgraph answered with an HTML page, not CSV", source=SOURCE)
    try:
        rows = list(csv.reader(io.StringIO(body)))
    except csv.Error as exc:
        raise PayloadChanged(f"fredgraph CSV is unreadable: {exc}", source=SOURCE) from None
    header = [cell.strip() for cell in rows[0]]
    if len(header) < 2 or header[0].lower() not in _DATE_HEADERS:
        raise PayloadChanged(
            f"fredgraph CSV header {header[:4]} does not start with DATE or observation_date",
            source=SOURCE,
        )
    columns = header[1:]
    if any(not c for c in columns) or len(set(columns)) != len(columns):
        raise PayloadChanged(
            f"fredgraph CSV has blank or repeated columns {columns}", source=SOURCE
        )
    if ids is not None:
        absent = sorted(set(ids) - set(columns))
        if absent:
            raise PayloadChanged(
                f"fredgraph CSV lacks columns {absent} (got {columns}); renamed or withdrawn?",
                source=SOURCE,
            )
    data = [row for row in rows[1:] if row]
    for number, row in enumerate(data, start=2):
        if len(row) != len(header):
            raise PayloadChanged(
                f"fredgraph CSV line {number} has {len(row)} fields, expected {len(header)} "
                "(truncated body?)",
                source=SOURCE,
            )
    dates = strict_dates([row[0] for row in data], source=SOURCE, what="fredgraph date")
    out: dict[str, pd.DataFrame] = {}
    for position, series_id in enumerate(columns, start=1):
        values = strict_floats(
            [row[position] for row in data], missing=_MISSING, source=SOURCE, what=series_id
        )
        out[series_id] = series_frame(dates, values)
    return out


def parse_fredgraph_payload(
    content: bytes, ids: Collection[str] | None = None
) -> dict[str, pd.DataFrame]:
    """Parse a fredgraph answer that is either one CSV or a ZIP of CSVs (mixed frequencies).

    Every CSV member of a ZIP is parsed with :func:`parse_fredgraph_csv`; ``ids`` must be found
    across all members together.
    """
    if not is_zip(content):
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise PayloadChanged(
                "fredgraph answer is neither UTF-8 CSV nor ZIP", source=SOURCE
            ) from None
        return parse_fredgraph_csv(text, ids)
    out: dict[str, pd.DataFrame] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
            if not members:
                raise PayloadChanged("fredgraph ZIP holds no CSV file", source=SOURCE)
            for member in members:
                if archive.getinfo(member).file_size > 200_000_000:
                    raise PayloadChanged(f"fredgraph ZIP member {member} is too big", source=SOURCE)
                text = archive.read(member).decode("utf-8")
                out.update(parse_fredgraph_csv(text))
    except (
        zipfile.BadZipFile,
        EOFError,
        OSError,
        NotImplementedError,
        ValueError,
        RuntimeError,
        zlib.error,
    ) as exc:
        # BadZipFile, truncated members, CRC errors, unsupported compression, bad UTF-8
        raise PayloadChanged(f"fredgraph ZIP is unreadable: {exc}", source=SOURCE) from None
    if ids is not None:
        absent = sorted(set(ids) - set(out))
        if absent:
            raise PayloadChanged(f"fredgraph ZIP lacks series {absent}", source=SOURCE)
    return out


def parse_observations_json(payload: Any, *, vintages: bool = False) -> pd.DataFrame:
    """Parse a ``fred/series/observations`` JSON body.

    Parameters
    ----------
    payload : object
        The decoded JSON: ``{"observations": [{"date": "2023-01-01", "value": "4.98",
        "realtime_start": "2024-06-27", ...}, ...], "count": 6, ...}``.
    vintages : bool
        Add a ``vintage`` column (each row's ``realtime_start``), for ALFRED requests.

    Returns
    -------
    DataFrame with ``date``, ``value`` (float, NaN for ``"."``) and, with ``vintages``, ``vintage``.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("observations"), list):
        keys = sorted(payload)[:6] if isinstance(payload, dict) else type(payload).__name__
        raise PayloadChanged(f"FRED JSON has no 'observations' list (got {keys})", source=SOURCE)
    observations = payload["observations"]
    needed = ("date", "value", "realtime_start") if vintages else ("date", "value")
    for item in observations:
        if not isinstance(item, dict) or any(field not in item for field in needed):
            raise PayloadChanged(
                f"FRED observation {str(item)[:80]} lacks one of {list(needed)}", source=SOURCE
            )
    dates = strict_dates([o["date"] for o in observations], source=SOURCE, what="FRED date")
    values = strict_floats(
        [o["value"] for o in observations],
        missing=_MISSING,
        source=SOURCE,
        what="FRED value",
    )
    starts = None
    if vintages:
        starts = strict_dates(
            [o["realtime_start"] for o in observations], source=SOURCE, what="realtime_start"
        )
    return series_frame(dates, values, starts)


def _observation_count(payload: Any) -> int | None:
    count = payload.get("count") if isinstance(payload, dict) else None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


# -- fetching ------------------------------------------------------------------------------------


def fetch_fredgraph(
    http: HttpClient,
    ids: Sequence[str],
    since: date | None = None,
    *,
    url: str = FREDGRAPH_URL,
) -> dict[str, pd.DataFrame]:
    """One keyless request for ``ids`` (comma-joined) from ``since``; every id must come back."""
    params: dict[str, str] = {"id": ",".join(ids)}
    if since is not None:
        params["cosd"] = since.isoformat()
    response = http.get(SOURCE, url, params=params)
    if not is_zip(response.content):
        expect_text(response, "CSV", provider=SOURCE)
    return parse_fredgraph_payload(response.content, ids)


def fetch_observations(
    http: HttpClient,
    series_id: str,
    api_key: str,
    since: date | None = None,
    *,
    vintages: bool = False,
    url: str = FRED_OBSERVATIONS_URL,
) -> pd.DataFrame:
    """All observations of ``series_id`` from ``since`` through the keyed JSON API (paged).

    With ``vintages`` the request spans every real-time period (``realtime_start=1776-07-04``,
    ``realtime_end=9999-12-31``, ``output_type=1``) and rows carry a ``vintage`` column.
    """
    params: dict[str, str | int] = {
        "series_id": series_id,
        "api_key": api_key,
        "file_type": "json",
        "limit": _API_PAGE_LIMIT,
    }
    if since is not None:
        params["observation_start"] = since.isoformat()
    if vintages:
        params |= {"realtime_start": _ALFRED_START, "realtime_end": _ALFRED_END, "output_type": 1}
    frames: list[pd.DataFrame] = []
    offset = 0
    while True:
        response = http.get(SOURCE, url, params={**params, "offset": offset})
        payload = expect_json(response, provider=SOURCE)
        frame = parse_observations_json(payload, vintages=vintages)
        frames.append(frame)
        count = _observation_count(payload)
        received = len(payload["observations"])
        offset += received
        if count is None or received == 0 or offset >= count:
            break
    if len(frames) == 1:
        return frames[0]
    keys = ["date", "vintage"] if vintages else ["date"]
    joined = pd.concat(frames, ignore_index=True)
    return series_frame(
        pd.DatetimeIndex(joined["date"]),
        joined["value"].to_numpy(),
        pd.DatetimeIndex(joined["vintage"]) if "vintage" in keys else None,
    )


# -- the Source ----------------------------------------------------------------------------------


class FredSource:
    """FRED as the refresh sees it (:class:`~bondthesis.sources.base.Source`).

    With ``settings.fred_api_key`` every series goes through the JSON API (one request each, ALFRED
    vintages for ``vintage_keys``), falling back to fredgraph when the API fails; without a key
    series go through fredgraph, batched by frequency (``batch_size`` ids per request).

    Parameters
    ----------
    http : HttpClient
    settings : Settings
    graph_url, api_url : str
        Endpoint URLs (tests and benchmarks point them at a local server).
    batch_size : int
        Most ids per fredgraph request.
    vintage_keys : collection of str
        Keys fetched with all ALFRED vintages when a key is set (default :data:`REVISED_SERIES`).
    """

    name = Provider.FRED.value

    def __init__(
        self,
        http: HttpClient,
        settings: Settings,
        *,
        graph_url: str = FREDGRAPH_URL,
        api_url: str = FRED_OBSERVATIONS_URL,
        batch_size: int = 10,
        vintage_keys: Collection[str] = REVISED_SERIES,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.http = http
        self.settings = settings
        self.graph_url = graph_url
        self.api_url = api_url
        self.batch_size = batch_size
        self.vintage_keys = frozenset(vintage_keys)

    def fetch(
        self, keys: Sequence[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        """Yield one result per key; provider faults become :class:`FetchFailed`."""
        for key in keys:
            spec = CATALOG.get(key)
            if spec is None or spec.provider is not Provider.FRED:
                raise ValueError(f"{key!r} is not a FRED series of the catalog")
        api_key = self.settings.fred_api_key
        if not api_key:
            yield from self._fetch_graph(list(keys), since)
            return
        fallback: dict[str, SourceError] = {}
        for key in keys:
            vintages = key in self.vintage_keys
            try:
                rows = fetch_observations(
                    self.http,
                    CATALOG[key].remote_id,
                    api_key,
                    since.get(key),
                    vintages=vintages,
                    url=self.api_url,
                )
            except SourceError as exc:
                logger.warning("fred API failed for %s (%s); trying fredgraph", key, exc)
                fallback[key] = exc
                continue
            yield Fetched(key=key, rows=rows, served_by="fred:alfred" if vintages else "fred:api")
        if fallback:
            for result in self._fetch_graph(list(fallback), since):
                if isinstance(result, FetchFailed):
                    # Both paths failed: report the API's answer first (a rejected key is what
                    # the user must fix), then the fallback's.
                    first = fallback[result.key]
                    combined = type(first)(
                        f"JSON API: {first}; fredgraph fallback: {result.error}",
                        source=Provider.FRED.value,
                    )
                    result = FetchFailed(key=result.key, error=combined)
                yield result

    def _fetch_graph(
        self, keys: list[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        groups: dict[tuple[str, bool], list[str]] = {}
        for key in keys:
            group = (CATALOG[key].frequency.value, since.get(key) is None)
            groups.setdefault(group, []).append(key)
        for members in groups.values():
            for start in range(0, len(members), self.batch_size):
                yield from self._fetch_batch(members[start : start + self.batch_size], since)

    def _fetch_batch(
        self, keys: list[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        remote = {key: CATALOG[key].remote_id for key in keys}
        if len(keys) > 1:
            starts = [s for s in (since.get(k) for k in keys) if s is not None]
            first = min(starts) if len(starts) == len(keys) else None
            try:
                frames = fetch_fredgraph(
                    self.http, list(remote.values()), first, url=self.graph_url
                )
            except SourceError as exc:
                logger.warning("fredgraph batch %s failed (%s); one id per request", keys, exc)
            else:
                for key in keys:
                    yield Fetched(key, _from(frames[remote[key]], since.get(key)), "fred:fredgraph")
                return
        for key in keys:
            try:
                frames = fetch_fredgraph(
                    self.http, [remote[key]], since.get(key), url=self.graph_url
                )
            except SourceError as exc:
                yield FetchFailed(key=key, error=exc)
            else:
                yield Fetched(key, _from(frames[remote[key]], since.get(key)), "fred:fredgraph")


def _from(frame: pd.DataFrame, since: date | None) -> pd.DataFrame:
    if since is None:
        return frame
    return frame[frame["date"] >= pd.Timestamp(since)].reset_index(drop=True)
