"""Marker secrets (FRED key, Stooq key, SEC User-Agent) sent to servers that echo them back in
error pages, redirects and messages: none may reach a refresh row, a log record, the store
(every text column of every table, and the file's bytes) or the terminal of ``status``."""

from __future__ import annotations

import json
import logging
import random
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from _rel_server import Fault, RelServer, Request

from bondthesis.config import Settings
from bondthesis.data.refresh import refresh_online
from bondthesis.data.store import Store
from bondthesis.sources._http import HttpClient

FRED_KEY = "relfredkey0123456789abcdef012345"
STOOQ_KEY = "RELSTOOQKEY9876543210"
SEC_AGENT = "Rel Tester relmarker.tester@example.org"
SECRETS = {
    "FRED key": FRED_KEY,
    "Stooq key": STOOQ_KEY,
    "SEC User-Agent": SEC_AGENT,
    "SEC e-mail": "relmarker.tester@example.org",
}


def echo(request: Request) -> str:
    return json.dumps({"query": request.query, "agent": request.headers.get("User-Agent")})


def fred_error(request: Request) -> Fault:
    body = {"error_message": f"Bad Request. You sent {echo(request)} which we cannot use."}
    return Fault(400, json.dumps(body).encode(), {"Content-Type": "application/json"})


def stooq_redirect(request: Request) -> Fault:
    key = request.query.get("apikey", [""])[0]
    return Fault(302, b"", {"Location": f"/echo?apikey={quote(key)}&note={quote(echo(request))}"})


def echo_page(request: Request) -> Fault:
    return Fault(503, f"overloaded; your request was {echo(request)}".encode())


def sec_blocked(request: Request) -> Fault:
    return Fault(403, f"Your agent {request.headers.get('User-Agent')} is blocked.".encode())


def test_no_secret_leaks_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("STOOQ_API_KEY", STOOQ_KEY)
    home = tmp_path / "home"
    settings = Settings(home=home, fred_api_key=FRED_KEY, sec_user_agent=SEC_AGENT)
    store = Store(settings.store_path)
    caplog.set_level(logging.DEBUG)
    with RelServer() as server:
        server.script("/fred/series/observations", fred_error)
        server.script("/q/d/l/", stooq_redirect)
        server.script("/echo", echo_page)
        server.script("/data-research/sec-markets-data/form-13f-data-sets", sec_blocked)
        http = HttpClient(
            settings,
            timeout_s=5.0,
            max_retries=1,
            sleep=lambda s: None,
            rng=random.Random(1),
            rate_limits=dict.fromkeys(("fred", "stooq", "sec"), 1e6),
        )
        try:
            report = refresh_online(
                settings,
                store,
                keys=["DGS30", "GOLD_DAILY", "TLT_13F_CALL_VALUE"],
                http=http,
                endpoints={
                    "fred": {"api_url": server.url("/fred/series/observations")},
                    "stooq": {"base_url": server.url("")},
                    "sec": {"base_url": server.url(""), "work_dir": tmp_path / "sec"},
                },
                today=date(2030, 1, 1),
            )
        finally:
            http.close()
        sent = " ".join(json.dumps([r.query, r.headers]) for r in server.seen)
    # The servers did receive (and echo) every secret: the test is not vacuous.
    assert FRED_KEY in sent
    assert STOOQ_KEY in sent
    assert "relmarker.tester" in sent
    assert {row.status for row in report.rows} == {"failed"}

    places = {
        "refresh rows": " ".join(repr(row) for row in report.rows),
        "log records": caplog.text,
        "store text columns": store_text(store),
        "store file bytes": settings.store_path.read_bytes().decode("latin-1"),
        "status output": status_output(home),
    }
    leaks = [
        f"{secret} in {place}"
        for place, text in places.items()
        for secret, value in SECRETS.items()
        if value in text or quote(value) in text or value.lower() in text.lower()
    ]
    print(f"secrets: {len(SECRETS)} markers x {len(places)} places, {len(leaks)} leaks")
    assert leaks == []


def store_text(store: Store) -> str:
    """Every text column of every table of the store."""
    import duckdb

    con = duckdb.connect(str(store.path), read_only=True)
    try:
        columns = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR'"
        ).fetchall()
        parts = []
        for table, column in columns:
            rows = con.execute(f'SELECT "{column}" FROM "{table}"').fetchall()
            parts.extend(str(row[0]) for row in rows)
        return "\n".join(parts)
    finally:
        con.close()


def status_output(home: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "from bondthesis.cli import main; main()", "status", "--json"],
        env={"BONDTHESIS_HOME": str(home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout + result.stderr
