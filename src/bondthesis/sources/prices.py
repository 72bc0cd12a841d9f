"""Daily adjusted closes of the funds: Yahoo chart v8, failing over to Stooq.

Yahoo's ``indicators.adjclose`` is the close adjusted for splits and distributions; Stooq's CSV
closes are already adjusted the same way (SOURCES.md §5.1), so either serves a total-return index.
Both are unofficial and fragile (429s, cookie walls, daily hit caps, HTML interstitials), hence the
failover; :attr:`Fetched.served_by` says which one answered (``"yahoo"`` or ``"stooq"``).

Adjusted closes are rescaled back to the first day at every distribution (TLT pays monthly), so an
incremental fetch would splice two scales: ``since`` is ignored and the whole history (one request
per ticker, about 6,000 rows) is fetched every time.

A download during trading hours carries the running session as today's bar; :class:`PriceSource`
drops it (:func:`~bondthesis.sources._session.drop_unfinished_session`) so that only finished
closes are stored, and the next refresh after 16:30 New York time brings the real close.

``parse_*`` functions are pure and raise :class:`~bondthesis.errors.PayloadChanged` on anything
they do not recognise (:class:`~bondthesis.errors.SourceRejected` for an unknown symbol,
:class:`~bondthesis.errors.SourceUnavailable` for Stooq's daily hit cap).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd

from bondthesis.config import Settings
from bondthesis.errors import PayloadChanged, SourceError, SourceRejected, SourceUnavailable
from bondthesis.redaction import register_secret
from bondthesis.sources._http import HttpClient
from bondthesis.sources._session import drop_unfinished_session
from bondthesis.sources.base import Fetched, FetchFailed

__all__ = [
    "PRICE_KEYS",
    "STOOQ_URL",
    "YAHOO_URL",
    "PriceSource",
    "fetch_stooq",
    "fetch_yahoo",
    "parse_stooq_csv",
    "parse_yahoo_chart",
    "stooq_api_key_from_env",
]

YAHOO_URL = "https://query1.finance.yahoo.com"
STOOQ_URL = "https://stooq.com"
PRICE_KEYS = ("TLT", "TMF", "SPY", "IEF", "GLD")
_HITS_LIMIT = "exceeded the daily hits limit"


def stooq_api_key_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """``$STOOQ_API_KEY`` (Stooq wants a key for CSV downloads since 2026-04), or None."""
    env = os.environ if environ is None else environ
    key = env.get("STOOQ_API_KEY", "").strip() or None
    register_secret(key)
    return key


def _frame(days: Sequence[date], values: Sequence[float], symbol: str, source: str) -> pd.DataFrame:
    if not days:
        raise PayloadChanged(f"no price rows for {symbol}", source=source)
    out = pd.DataFrame({"date": pd.to_datetime(list(days)), "value": list(values)})
    out["value"] = out["value"].astype("float64")
    return (
        out.sort_values("date", kind="stable")
        .drop_duplicates("date", keep="last")
        .reset_index(drop=True)
    )


def _price(raw: Any, symbol: str, source: str) -> float | None:
    """A positive finite price, None for a null cell, PayloadChanged for anything else."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise PayloadChanged(f"{symbol}: {raw!r} is not a price", source=source)
    value = float(raw)
    if math.isnan(value):
        return None
    if not math.isfinite(value) or value <= 0:
        raise PayloadChanged(f"{symbol}: {raw!r} is not a positive price", source=source)
    return value


# -- Yahoo ---------------------------------------------------------------------------------------


def parse_yahoo_chart(payload: str | bytes, symbol: str) -> pd.DataFrame:
    """Adjusted closes from a Yahoo chart v8 JSON body.

    Dates are the exchange's local calendar days: each ``timestamp`` (UTC seconds at the open) is
    shifted by ``meta.gmtoffset`` (1577975400 with offset -18000 is 2020-01-02 09:30 New York).

    Returns
    -------
    DataFrame with columns ``date`` (datetime64, ascending, unique) and ``value`` (float USD,
    the adjusted close). Days whose adjusted close is null are dropped.

    Raises
    ------
    SourceRejected
        ``chart.error`` says the symbol is unknown ("Not Found").
    PayloadChanged
        Anything else than a chart with timestamps and ``indicators.adjclose``.
    """
    source = "yahoo"
    try:
        body = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadChanged(
            f"{symbol}: the chart body is not JSON ({exc})", source=source
        ) from exc
    chart = body.get("chart") if isinstance(body, dict) else None
    if not isinstance(chart, dict):
        raise PayloadChanged(f"{symbol}: no 'chart' object in the body", source=source)
    error = chart.get("error")
    if error:
        code = error.get("code") if isinstance(error, dict) else None
        text = error.get("description") if isinstance(error, dict) else error
        if code == "Not Found":
            raise SourceRejected(f"{symbol}: {text} (check the ticker)", source=source)
        raise PayloadChanged(f"{symbol}: chart.error {code}: {text}", source=source)
    results = chart.get("result")
    if not isinstance(results, list) or not results or not isinstance(results[0], dict):
        raise PayloadChanged(f"{symbol}: chart.result is empty", source=source)
    result = results[0]
    meta = result.get("meta")
    offset = meta.get("gmtoffset", 0) if isinstance(meta, dict) else 0
    if isinstance(offset, bool) or not isinstance(offset, int | float):
        raise PayloadChanged(f"{symbol}: meta.gmtoffset {offset!r} is not seconds", source=source)
    stamps = result.get("timestamp")
    try:
        adjusted = result["indicators"]["adjclose"][0]["adjclose"]
    except (KeyError, IndexError, TypeError):
        raise PayloadChanged(
            f"{symbol}: no indicators.adjclose (was includeAdjustedClose=true sent?)",
            source=source,
        ) from None
    if not isinstance(stamps, list) or not isinstance(adjusted, list):
        raise PayloadChanged(f"{symbol}: timestamp/adjclose are not arrays", source=source)
    if len(stamps) != len(adjusted):
        raise PayloadChanged(
            f"{symbol}: {len(stamps)} timestamps but {len(adjusted)} adjusted closes",
            source=source,
        )
    days: list[date] = []
    values: list[float] = []
    for stamp, raw in zip(stamps, adjusted, strict=True):
        if isinstance(stamp, bool) or not isinstance(stamp, int | float):
            raise PayloadChanged(f"{symbol}: timestamp {stamp!r} is not seconds", source=source)
        price = _price(raw, symbol, source)
        if price is None:
            continue
        try:
            moment = datetime.fromtimestamp(float(stamp) + float(offset), tz=UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise PayloadChanged(
                f"{symbol}: timestamp {stamp!r} is out of range", source=source
            ) from exc
        days.append(moment.date())
        values.append(price)
    return _frame(days, values, symbol, source)


def fetch_yahoo(
    http: HttpClient, symbol: str, *, base_url: str = YAHOO_URL, end: date | None = None
) -> pd.DataFrame:
    """The whole daily history of ``symbol`` from Yahoo chart v8 (network)."""
    last = end or (datetime.now(UTC).date() + timedelta(days=1))
    period2 = int(datetime(last.year, last.month, last.day, tzinfo=UTC).timestamp())
    response = http.get(
        "yahoo",
        f"{base_url.rstrip('/')}/v8/finance/chart/{symbol}",
        params={
            "period1": 0,
            "period2": period2,
            "interval": "1d",
            "events": "div|split",
            "includeAdjustedClose": "true",
        },
    )
    return parse_yahoo_chart(response.content, symbol)


# -- Stooq ---------------------------------------------------------------------------------------


def parse_stooq_csv(text: str, symbol: str) -> pd.DataFrame:
    """Closes from a Stooq daily CSV (``Date,Open,High,Low,Close[,Volume]``).

    Returns
    -------
    DataFrame with ``date`` (datetime64, ascending, unique) and ``value`` (float, the close; for
    ETFs already adjusted for splits and distributions).

    Raises
    ------
    SourceRejected
        ``No data`` or an empty body: Stooq does not know the symbol.
    SourceUnavailable
        ``Exceeded the daily hits limit`` (sent with HTTP 200): the per-IP quota is used up.
    PayloadChanged
        An HTML page (the API-key wall since 2026-04, a proof-of-work interstitial) or another
        layout.
    """
    source = "stooq"
    body = text.lstrip("\ufeff").strip()
    head = body[:512].lower()
    if not body or head.startswith("no data"):
        raise SourceRejected(f"Stooq has no data for {symbol!r} (check the symbol)", source=source)
    if _HITS_LIMIT in head:
        raise SourceUnavailable(
            "Stooq's daily hits limit is exceeded; try again tomorrow or set STOOQ_API_KEY",
            source=source,
        )
    if "<html" in head or "<!doctype" in head or head.startswith("<"):
        raise PayloadChanged(
            "Stooq sent an HTML page instead of CSV (since 2026-04 downloads need an API key: "
            "get one at https://stooq.com/q/d/?s=spy.us&get_apikey and set STOOQ_API_KEY)",
            source=source,
        )
    try:
        table = list(csv.reader(io.StringIO(body, newline="")))
    except csv.Error as exc:
        raise PayloadChanged(f"{symbol}: not a readable CSV ({exc})", source=source) from exc
    reader = iter(table)
    header = [cell.strip().lower() for cell in next(reader, [])]
    if not header or header[0] != "date" or "close" not in header:
        raise PayloadChanged(
            f"{symbol}: expected a CSV header Date,...,Close, got {header[:6]}", source=source
        )
    close_at = header.index("close")
    days: list[date] = []
    values: list[float] = []
    for line in reader:
        if not line or not "".join(line).strip():
            continue
        if len(line) <= close_at:
            raise PayloadChanged(f"{symbol}: short row {line!r}", source=source)
        try:
            day = date.fromisoformat(line[0].strip())
        except ValueError:
            raise PayloadChanged(f"{symbol}: {line[0]!r} is not a date", source=source) from None
        cell = line[close_at].strip()
        try:
            number = float(cell)
        except ValueError:
            raise PayloadChanged(
                f"{symbol}: close {cell!r} is not a number", source=source
            ) from None
        price = _price(number, symbol, source)
        if price is None:
            continue
        days.append(day)
        values.append(price)
    return _frame(days, values, symbol, source)


def stooq_symbol(key: str) -> str:
    """Stooq's symbol for a US-listed ticker (``TLT`` → ``tlt.us``)."""
    return f"{key.lower()}.us"


def fetch_stooq(
    http: HttpClient,
    symbol: str,
    *,
    base_url: str = STOOQ_URL,
    api_key: str | None = None,
    start: date | None = None,
) -> pd.DataFrame:
    """Daily closes of a Stooq ``symbol`` (``tlt.us``, ``xauusd``) from ``start`` on (network)."""
    params: dict[str, str | int | float] = {"s": symbol, "i": "d"}
    if start is not None:
        params["d1"] = start.strftime("%Y%m%d")
        params["d2"] = (datetime.now(UTC).date() + timedelta(days=1)).strftime("%Y%m%d")
    if api_key:
        params["apikey"] = api_key
    response = http.get("stooq", f"{base_url.rstrip('/')}/q/d/l/", params=params)
    try:
        text = response.content.decode("utf-8")
    except UnicodeDecodeError:
        raise PayloadChanged(f"{symbol}: the body is not UTF-8 text", source="stooq") from None
    return parse_stooq_csv(text, symbol)


# -- the source ----------------------------------------------------------------------------------

_UNSET: Any = object()


class PriceSource:
    """Adjusted daily closes of TLT, TMF, SPY, IEF and GLD (catalog provider ``prices``).

    Parameters
    ----------
    http : HttpClient
    settings : Settings
    base_url : str
        Yahoo's host (tests point it at a local server).
    stooq_base_url : str
        Stooq's host, the fallback.
    stooq_api_key : str or None
        Defaults to ``$STOOQ_API_KEY``; sent as ``apikey=`` and never shown in errors.
    clock : callable returning an aware datetime, optional
        When an answer counts as captured (the wall clock by default; tests pin it).
    """

    name = "prices"

    def __init__(
        self,
        http: HttpClient,
        settings: Settings,
        *,
        base_url: str = YAHOO_URL,
        stooq_base_url: str = STOOQ_URL,
        stooq_api_key: str | None = _UNSET,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.http = http
        self.clock = clock or (lambda: datetime.now(UTC))
        self.settings = settings
        self.base_url = base_url
        self.stooq_base_url = stooq_base_url
        self.stooq_api_key = stooq_api_key_from_env() if stooq_api_key is _UNSET else stooq_api_key
        register_secret(self.stooq_api_key)

    def fetch(
        self, keys: Sequence[str], since: Mapping[str, date | None]
    ) -> Iterator[Fetched | FetchFailed]:
        """One result per key; ``since`` is ignored (see the module docstring)."""
        for key in keys:
            if key not in PRICE_KEYS:
                yield FetchFailed(
                    key,
                    SourceRejected(
                        f"{key} is not a fund this source serves ({', '.join(PRICE_KEYS)})",
                        source=self.name,
                    ),
                )
                continue
            yield self._fetch_one(key)

    def _fetch_one(self, key: str) -> Fetched | FetchFailed:
        try:
            rows = fetch_yahoo(self.http, key, base_url=self.base_url)
            return Fetched(key, drop_unfinished_session(rows, self.clock()), "yahoo")
        except SourceError as yahoo_error:
            first = yahoo_error
        try:
            rows = fetch_stooq(
                self.http,
                stooq_symbol(key),
                base_url=self.stooq_base_url,
                api_key=self.stooq_api_key,
            )
            return Fetched(key, drop_unfinished_session(rows, self.clock()), "stooq")
        except SourceError as stooq_error:
            combined = type(stooq_error)(
                f"{key}: Yahoo failed ({first}); Stooq failed ({stooq_error})", source=self.name
            )
            return FetchFailed(key, combined)
