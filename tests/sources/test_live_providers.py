"""Live checks against the real providers: skipped unless BONDTHESIS_LIVE=1 (they need a network).

Run with ``BONDTHESIS_LIVE=1 uv run pytest -m live tests/sources/test_live_providers.py``; set
``FRED_API_KEY`` too to check the keyed API. These confirm the wire formats SOURCES.md could not
check offline (fredgraph header, MTS labels, FINRA rows for TLT).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from bondthesis.config import Settings
from bondthesis.sources._http import HttpClient
from bondthesis.sources.base import Fetched
from bondthesis.sources.finra import FinraSource
from bondthesis.sources.fiscaldata import FiscalDataSource
from bondthesis.sources.fred import FredSource

_LIVE_KEY = os.environ.get("FRED_API_KEY")  # read before the autouse fixture clears it

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not os.environ.get("BONDTHESIS_LIVE"), reason="live test: set BONDTHESIS_LIVE=1"
    ),
]
RECENT = date.today() - timedelta(days=120)


@pytest.fixture
def http(tmp_path: Path) -> Iterator[HttpClient]:
    client = HttpClient(Settings(home=tmp_path, fred_api_key=_LIVE_KEY))
    yield client
    client.close()


def _all_fetched(results: list[object]) -> list[Fetched]:
    fetched = [r for r in results if isinstance(r, Fetched)]
    assert len(fetched) == len(results), results
    return fetched


def test_live_fredgraph_batch(tmp_path: Path) -> None:
    with HttpClient(Settings(home=tmp_path)) as client:
        source = FredSource(client, client.settings)
        keys = ["DGS10", "DGS30", "GS30"]
        results = _all_fetched(list(source.fetch(keys, dict.fromkeys(keys, RECENT))))
    assert all(not r.rows.empty for r in results)


@pytest.mark.skipif(not _LIVE_KEY, reason="needs FRED_API_KEY")
def test_live_fred_api_and_alfred(http: HttpClient) -> None:
    source = FredSource(http, http.settings, vintage_keys={"PAYEMS"})
    results = _all_fetched(
        list(source.fetch(["PAYEMS", "DGS30"], dict.fromkeys(["PAYEMS", "DGS30"], RECENT)))
    )
    assert {r.served_by for r in results} == {"fred:alfred", "fred:api"}


def test_live_fiscaldata(http: HttpClient) -> None:
    source = FiscalDataSource(http, http.settings)
    keys = ["AUCTIONS", "INTEREST_EXPENSE", "MTS_RECEIPTS", "MTS_OUTLAYS"]
    results = _all_fetched(list(source.fetch(keys, dict.fromkeys(keys, RECENT))))
    assert all(not r.rows.empty for r in results)


def test_live_finra(http: HttpClient) -> None:
    source = FinraSource(http, http.settings)
    keys = ["TLT_SHORT_INTEREST", "TLT_DAYS_TO_COVER"]
    results = _all_fetched(list(source.fetch(keys, dict.fromkeys(keys, RECENT))))
    assert all(not r.rows.empty for r in results)
