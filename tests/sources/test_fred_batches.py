"""How many fredgraph requests the keyless catalog takes: only whole daily histories are split."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from fault_server import FaultServer, Reply, Seen

from bondthesis.catalog import CATALOG, Frequency, Provider
from bondthesis.sources._http import HttpClient
from bondthesis.sources.base import Fetched
from bondthesis.sources.fred import FredSource

GRAPH = "/graph/fredgraph.csv"
FRED_KEYS = [k for k, s in CATALOG.items() if s.provider is Provider.FRED]


def answer(seen: Seen) -> Reply:
    """Two rows for every id asked, one column each (the test asks one frequency at a time)."""
    ids = seen.query["id"][0].split(",")
    lines = ["observation_date," + ",".join(ids)]
    lines += [f"2026-0{m}-01," + ",".join(f"{m}.{n}" for n in range(len(ids))) for m in (1, 2)]
    return Reply(200, ("\n".join(lines) + "\n").encode())


def asked(server: FaultServer) -> list[list[str]]:
    return [s.query["id"][0].split(",") for s in server.requests_to(GRAPH)]


def test_whole_histories_split_only_the_daily_batches(
    server: FaultServer, keyless_http: HttpClient
) -> None:
    server.script(GRAPH, answer)
    source = FredSource(keyless_http, keyless_http.settings, graph_url=server.url(GRAPH))
    results = list(source.fetch(FRED_KEYS, dict.fromkeys(FRED_KEYS)))
    assert sorted(r.key for r in results if isinstance(r, Fetched)) == sorted(FRED_KEYS)
    by_frequency = Counter(CATALOG[k].frequency for k in FRED_KEYS)
    sizes = sorted(len(ids) for ids in asked(server))
    daily = by_frequency.pop(Frequency.DAILY)
    # 17 daily ids in batches of 10; every other frequency in one request.
    expected = [10, daily - 10, *by_frequency.values()]
    assert sizes == sorted(expected)
    for ids in asked(server):
        assert len({CATALOG[i].frequency for i in ids}) == 1  # never a mixed-frequency ZIP


def test_incremental_asks_take_one_request_per_frequency(
    server: FaultServer, keyless_http: HttpClient
) -> None:
    server.script(GRAPH, answer)
    source = FredSource(keyless_http, keyless_http.settings, graph_url=server.url(GRAPH))
    since = {k: date(2026, 1, 1) for k in FRED_KEYS}
    results = list(source.fetch(FRED_KEYS, since))
    assert all(isinstance(r, Fetched) for r in results)
    assert len(asked(server)) == len({CATALOG[k].frequency for k in FRED_KEYS})
    assert all(s.query["cosd"] == ["2026-01-01"] for s in server.requests_to(GRAPH))


@pytest.mark.parametrize(("batch", "small"), [(0, 40), (10, 0)])
def test_batch_sizes_must_be_positive(keyless_http: HttpClient, batch: int, small: int) -> None:
    with pytest.raises(ValueError, match="must be >= 1"):
        FredSource(keyless_http, keyless_http.settings, batch_size=batch, small_batch_size=small)
