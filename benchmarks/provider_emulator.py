"""A local emulator of every provider bondthesis reads, for benchmark B4 and its smoke test.

One HTTP server on 127.0.0.1 (a random free port) answers, after ``delay_s``, with the payload
formats the real providers send, filled with :mod:`_emulated_data`'s seeded records:

* FRED ``/fred/graph/fredgraph.csv?id=A,B&cosd=`` (one CSV for one frequency, a ZIP of CSVs for
  mixed ones) and ``/fred/series/observations`` (XML by default, as ``fredapi`` asks; JSON with
  ``file_type=json``), both honouring the start date;
* Fiscal Data ``/fiscal_service/<dataset>`` with ``filter=field:gte:``, ``sort``, ``fields`` and
  pages of ``page[size]``; FINRA's ``POST /finra/consolidatedShortInterest`` (JSON filters,
  ``record-total``, 204 when empty);
* Yahoo chart v8 JSON ``/yahoo/v8/finance/chart/<T>`` and Stooq CSV ``/stooq/q/d/l/?s=&d1=``;
* landing pages that link the World Bank xlsx, the SEC 13F zips and Shiller's ``ie_data.xls``;
  GPR as ``.xls`` and TPU as ``.xlsx`` under ``/iacoviello``.

Bodies are built once per distinct request and cached, so the server spends its time sleeping,
as a remote one would. ``/__stats`` (no delay) counts the requests seen. The server is bounded:
it stops by itself after ``lifetime_s`` seconds or ``max_requests`` requests. Run it in another
process with :func:`spawn` (what the benchmark does, so that building bodies never competes with
the client for the interpreter), or in-process with :class:`ProviderEmulator` (the smoke test).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd

_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(_ROOT / "tests" / "sources"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _uncertainty_xls import write_xls  # noqa: E402
from fault_server import FaultServer, Reply, Seen  # noqa: E402

from _emulated_data import EmulatedData, generate  # noqa: E402
from bondthesis.catalog import CATALOG  # noqa: E402

FRED_GRAPH = "/fred/graph/fredgraph.csv"
FRED_API = "/fred/series/observations"
FISCAL = "/fiscal_service"
FINRA_API = "/finra/consolidatedShortInterest"
WORLDBANK_PAGE = "/worldbank/en/research/commodity-markets"
WORLDBANK_FILE = "/worldbank/doc/related/CMO-Historical-Data-Monthly.xlsx"
SEC_LANDING = "/sec/data-research/sec-markets-data/form-13f-data-sets"
SEC_FILES = "/sec/files/structureddata/data/form-13f-data-sets/"
SHILLER_PAGE = "/shiller/"
SHILLER_FILE = "/shillerdata/ie_data.xls"
GPR_FILE = "/iacoviello/gpr_files/data_gpr_export.xls"
TPU_FILE = "/iacoviello/tpu_files/tpu_web_latest.xlsx"
STATS = "/__stats"
FISCAL_PATHS = {
    "v1/accounting/od/auctions_query": "auctions",
    "v2/accounting/od/interest_expense": "interest",
    "v1/accounting/mts/mts_table_1": "mts",
}
_GMT_OFFSET_S = -18000


def _csv(rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(r) for r in rows) + "\n").encode()


def _number(value: float) -> str:
    return f"{value:.2f}"


class ProviderEmulator:
    """The emulator in this process; :meth:`endpoints` points ``refresh_online`` at it.

    Parameters
    ----------
    data : EmulatedData
        What to serve (:func:`_emulated_data.generate`).
    delay_s : float
        Seconds every answer waits (0.15 in benchmark B4).
    lifetime_s, max_requests : float, int
        Bounds after which the server stops by itself.
    """

    def __init__(
        self,
        data: EmulatedData,
        *,
        delay_s: float = 0.15,
        lifetime_s: float = 1800.0,
        max_requests: int = 20_000,
    ) -> None:
        self.data = data
        self.delay_s = delay_s
        self.max_requests = max_requests
        self.server = FaultServer()
        self.port = self.server.port
        self._cache: dict[tuple[str, str, str], Reply] = {}
        self._lock = threading.Lock()
        self._count = 0
        self._timer = threading.Timer(lifetime_s, self.stop)
        self._timer.daemon = True
        self._stopped = False
        self._files = self._build_files()
        self._routes()

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> ProviderEmulator:
        self.server.start()
        self._timer.start()
        return self

    def stop(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self._timer.cancel()
        self.server.stop()

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def endpoints(self) -> dict[str, dict[str, object]]:
        return endpoints_for(self.url())

    # -- routing ---------------------------------------------------------------------------------

    def _routes(self) -> None:
        script = self.server.script
        script(STATS, self._stats)
        script(FRED_GRAPH, self._cached(self._fredgraph))
        script(FRED_API, self._cached(self._fred_api))
        for path in FISCAL_PATHS:
            script(f"{FISCAL}/{path}", self._cached(self._fiscal))
        script(FINRA_API, self._cached(self._finra))
        for ticker in self.data.prices:
            script(f"/yahoo/v8/finance/chart/{ticker}", self._cached(self._yahoo))
        script("/stooq/q/d/l/", self._cached(self._stooq))
        pages = {
            WORLDBANK_PAGE: self._page(WORLDBANK_FILE),
            SEC_LANDING: self._page(*(SEC_FILES + name for name, _ in self.data.sec_sets)),
            SHILLER_PAGE: self._page(self.url(SHILLER_FILE)),
        }
        for path, body in {**pages, **self._files}.items():
            script(path, self._cached(lambda _seen, body=body: Reply(200, body)))

    def _stats(self, seen: Seen) -> Reply:
        with self.server._lock:
            paths = [s.path for s in self.server.seen if s.path != STATS]
        if "reset" in seen.query:
            with self.server._lock:
                self.server.seen.clear()
        return Reply(200, json.dumps({"requests": len(paths), "paths": paths}).encode())

    def _cached(self, build: Callable[[Seen], Reply]) -> Callable[[Seen], Reply]:
        def answer(seen: Seen) -> Reply:
            with self._lock:
                self._count += 1
                if self._count > self.max_requests:
                    return Reply(503, b"emulator request budget used up")
            key = (seen.path, json.dumps(seen.query, sort_keys=True), seen.body.decode())
            reply = self._cache.get(key)
            if reply is None:
                reply = build(seen)
                reply.delay_s = self.delay_s
                self._cache[key] = reply
            return reply

        return answer

    @staticmethod
    def _page(*links: str) -> bytes:
        items = "".join(
            f'<li><a href="{link}">{link.rsplit("/", 1)[-1]}</a></li>' for link in links
        )
        return f"<!DOCTYPE html><html><body><ul>{items}</ul></body></html>".encode()

    # -- static files ----------------------------------------------------------------------------

    def _build_files(self) -> dict[str, bytes]:
        data = self.data
        files = {
            GPR_FILE: write_xls({"Sheet1": data.gpr_rows}),
            SHILLER_FILE: write_xls({"Data": data.shiller_rows}),
            WORLDBANK_FILE: _xlsx("Monthly Prices", data.pink_sheet),
            TPU_FILE: _xlsx("TPU_MONTHLY", data.tpu_rows),
        }
        for name, tables in data.sec_sets:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for table, text in tables.items():
                    archive.writestr(name.removesuffix(".zip") + "/" + table, text)
            files[SEC_FILES + name] = buffer.getvalue()
        return files

    # -- FRED ------------------------------------------------------------------------------------

    def _fred_frame(self, series_id: str, start: str | None) -> pd.DataFrame:
        frame = self.data.fred[series_id]
        if start:
            frame = frame[frame["date"] >= pd.Timestamp(start)]
        return frame

    def _fredgraph(self, seen: Seen) -> Reply:
        ids = seen.query.get("id", [""])[0].split(",")
        if not all(i in self.data.fred for i in ids):
            return Reply(404, b"<html><body>Series not found</body></html>")
        start = seen.query.get("cosd", [None])[0]
        frames = {i: self._fred_frame(i, start) for i in ids}
        frequencies = {CATALOG[i].frequency for i in ids}
        if len(frequencies) == 1:
            return Reply(200, _graph_csv(frames), {"Content-Type": "text/csv"})
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for series_id, frame in frames.items():
                archive.writestr(f"{series_id}.csv", _graph_csv({series_id: frame}))
        return Reply(200, buffer.getvalue(), {"Content-Type": "application/zip"})

    def _fred_api(self, seen: Seen) -> Reply:
        series_id = seen.query.get("series_id", [""])[0]
        if series_id not in self.data.fred:
            return Reply(400, b'{"error_code":400,"error_message":"Bad Request."}')
        frame = self._fred_frame(series_id, seen.query.get("observation_start", [None])[0])
        today = self.data.end.isoformat()
        dates = frame["date"].dt.strftime("%Y-%m-%d").tolist()
        values = ["." if np.isnan(v) else _number(v) for v in frame["value"]]
        if seen.query.get("file_type", ["xml"])[0] == "json":
            observations = [
                {"realtime_start": today, "realtime_end": today, "date": d, "value": v}
                for d, v in zip(dates, values, strict=True)
            ]
            body = {
                "realtime_start": today,
                "realtime_end": today,
                "count": len(observations),
                "offset": 0,
                "limit": 100000,
                "observations": observations,
            }
            return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})
        head = (
            f'<?xml version="1.0" encoding="utf-8" ?>\n<observations realtime_start="{today}" '
            f'realtime_end="{today}" file_type="xml" count="{len(dates)}" offset="0" '
            'limit="100000">\n'
        )
        lines = [
            f'  <observation realtime_start="{today}" realtime_end="{today}" date="{d}" '
            f'value="{v}"/>\n'
            for d, v in zip(dates, values, strict=True)
        ]
        body_text = head + "".join(lines) + "</observations>\n"
        return Reply(200, body_text.encode(), {"Content-Type": "text/xml"})

    # -- Fiscal Data and FINRA -------------------------------------------------------------------

    def _fiscal(self, seen: Seen) -> Reply:
        dataset = FISCAL_PATHS[seen.path.removeprefix(FISCAL + "/")]
        rows: list[dict[str, str]] = getattr(self.data, dataset)
        query = {k: v[0] for k, v in seen.query.items()}
        for condition in filter(None, query.get("filter", "").split(",")):
            field, operator, value = condition.split(":", 2)
            if operator != "gte":
                return Reply(400, b'{"error":"unsupported filter"}')
            rows = [r for r in rows if r[field] >= value]
        if "sort" in query:
            field = query["sort"].lstrip("-")
            rows = sorted(rows, key=lambda r: r[field], reverse=query["sort"].startswith("-"))
        fields = query["fields"].split(",") if "fields" in query else None
        size = int(query.get("page[size]", "100"))
        page = int(query.get("page[number]", "1"))
        pages = max(1, -(-len(rows) // size))
        chosen = rows[(page - 1) * size : page * size]
        data = [
            {k: v for k, v in r.items() if (fields is None or k in fields) and k != "_own"}
            for r in chosen
        ]
        link = "&page%5Bnumber%5D={}&page%5Bsize%5D=" + str(size)
        body = {
            "data": data,
            "meta": {"count": len(data), "total-count": len(rows), "total-pages": pages},
            "links": {
                "self": link.format(page),
                "first": link.format(1),
                "prev": link.format(page - 1) if page > 1 else None,
                "next": link.format(page + 1) if page < pages else None,
                "last": link.format(pages),
            },
        }
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    def _finra(self, seen: Seen) -> Reply:
        request = json.loads(seen.body or b"{}")
        rows = self.data.finra
        for rule in request.get("domainFilters", []):
            wanted = set(rule["values"])
            rows = [r for r in rows if r[rule["fieldName"]] in wanted]
        for rule in request.get("dateRangeFilters", []):
            low, high = rule["startDate"], rule["endDate"]
            rows = [r for r in rows if low <= str(r[rule["fieldName"]]) <= high]
        if not rows:
            return Reply(204, b"")
        offset, limit = int(request.get("offset", 0)), int(request.get("limit", 5000))
        page = rows[offset : offset + limit]
        headers = {"Content-Type": "application/json", "record-total": str(len(rows))}
        return Reply(200, json.dumps(page).encode(), headers)

    # -- prices ----------------------------------------------------------------------------------

    def _yahoo(self, seen: Seen) -> Reply:
        ticker = seen.path.rsplit("/", 1)[-1]
        frame = self.data.prices[ticker]
        stamps = (frame["date"] - pd.Timestamp("1970-01-01")).dt.total_seconds().astype(int)
        stamps = stamps + 14 * 3600 + 30 * 60  # 09:30 New York (EST) in UTC seconds
        low = int(seen.query.get("period1", ["0"])[0])
        high = int(seen.query.get("period2", [str(2**40)])[0])
        keep = ((stamps >= low) & (stamps < high)).to_numpy()
        adjusted = frame["value"].to_numpy()[keep]
        close = np.round(adjusted * 1.05, 2)
        body = {
            "chart": {
                "result": [
                    {
                        "meta": {
                            "currency": "USD",
                            "symbol": ticker,
                            "instrumentType": "ETF",
                            "gmtoffset": _GMT_OFFSET_S,
                            "timezone": "EST",
                            "exchangeTimezoneName": "America/New_York",
                            "dataGranularity": "1d",
                        },
                        "timestamp": stamps[keep].tolist(),
                        "indicators": {
                            "quote": [
                                {
                                    "open": close.tolist(),
                                    "high": (close + 0.5).tolist(),
                                    "low": (close - 0.5).tolist(),
                                    "close": close.tolist(),
                                    "volume": [12_345_678] * int(keep.sum()),
                                }
                            ],
                            "adjclose": [{"adjclose": adjusted.tolist()}],
                        },
                    }
                ],
                "error": None,
            }
        }
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    def _stooq(self, seen: Seen) -> Reply:
        symbol = seen.query.get("s", [""])[0]
        if symbol == "xauusd":
            frame = self.data.gold_daily
        else:
            frame = self.data.prices.get(symbol.removesuffix(".us").upper())
        if frame is None:
            return Reply(200, b"No data")
        if "d1" in seen.query:
            first = datetime.strptime(seen.query["d1"][0], "%Y%m%d")
            frame = frame[frame["date"] >= pd.Timestamp(first)]
        rows = [["Date", "Open", "High", "Low", "Close"]]
        for day, value in zip(frame["date"].dt.strftime("%Y-%m-%d"), frame["value"], strict=True):
            close = repr(float(value))
            rows.append([day, close, close, close, close])
        return Reply(200, _csv(rows), {"Content-Type": "text/csv"})


def _graph_csv(frames: dict[str, pd.DataFrame]) -> bytes:
    columns = {i: f.set_index("date")["value"] for i, f in frames.items()}
    joined = pd.DataFrame(columns).sort_index()
    text = joined.to_csv(float_format="%.2f", na_rep="", date_format="%Y-%m-%d")
    return ("observation_date" + text[text.index(",") :]).encode()


def _xlsx(sheet: str, rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    page = book.create_sheet(sheet)
    for row in rows:
        page.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def endpoints_for(base: str) -> dict[str, dict[str, object]]:
    """``refresh_online(endpoints=...)`` for an emulator at ``base`` (``http://127.0.0.1:N``)."""
    return {
        "fred": {"graph_url": base + FRED_GRAPH, "api_url": base + FRED_API},
        "fiscaldata": {"base_url": base + FISCAL},
        "finra": {"api_url": base + FINRA_API, "files_url": base + "/finra/files"},
        "sec": {"base_url": base + "/sec"},
        "prices": {"base_url": base + "/yahoo", "stooq_base_url": base + "/stooq"},
        "stooq": {"base_url": base + "/stooq", "api_key": None},
        "worldbank": {"base_url": base + WORLDBANK_PAGE},
        "iacoviello": {"base_url": base + "/iacoviello"},
        "shiller": {"landing_url": base + SHILLER_PAGE, "fallback_url": base + SHILLER_FILE},
    }


def default_end() -> date:
    """The emulator's last published day: yesterday (UTC)."""
    return date.fromordinal(datetime.now(UTC).date().toordinal() - 1)


class Spawned:
    """An emulator running in a child process (see :func:`spawn`)."""

    def __init__(self, process: subprocess.Popen[str], base: str) -> None:
        self.process = process
        self.base = base

    def endpoints(self) -> dict[str, dict[str, object]]:
        return endpoints_for(self.base)

    def stats(self, *, reset: bool = False) -> dict[str, Any]:
        import httpx

        query = "?reset=1" if reset else ""
        answer: dict[str, Any] = httpx.get(self.base + STATS + query, timeout=10).json()
        return answer

    def stop(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()  # the child stops when its stdin closes
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


def spawn(
    end: date, *, delay_s: float = 0.15, seed: int = 2026, lifetime_s: float = 1800
) -> Spawned:
    """Start the emulator in a child process and wait until it listens."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        end.isoformat(),
        str(delay_s),
        str(seed),
        str(lifetime_s),
    ]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("PORT "):
        process.kill()
        raise RuntimeError(f"the emulator did not start: {line!r}")
    return Spawned(process, f"http://127.0.0.1:{int(line.split()[1])}")


def _child(end: str, delay_s: str, seed: str, lifetime_s: str) -> None:
    emulator = ProviderEmulator(
        generate(date.fromisoformat(end), int(seed)),
        delay_s=float(delay_s),
        lifetime_s=float(lifetime_s),
    ).start()
    print(f"PORT {emulator.port}", flush=True)
    started = time.monotonic()
    closed = threading.Event()

    def watch_stdin() -> None:
        sys.stdin.read()  # returns at EOF: the parent closed the pipe or died
        closed.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    closed.wait(float(lifetime_s))
    emulator.stop()
    print(f"stopped after {time.monotonic() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    _child(*sys.argv[1:5])
