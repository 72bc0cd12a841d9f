"""The backtest routes and builder against ``bondthesis backtest/track --json`` (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow

SAME_CALLS: list[tuple[list[str], str, dict[str, Any]]] = [
    (["backtest", "--preset", "article"], "/api/backtest", {"preset": "article"}),
    (
        ["backtest", "TLT=0.5,TMF=0.2,SPY=0.3", "--rebalance", "yearly", "--start", "2010-01-01"],
        "/api/backtest",
        {"weights": "TLT=0.5,TMF=0.2,SPY=0.3", "rebalance": "yearly", "start": "2010-01-01"},
    ),
    (
        ["backtest", "SPY=0.6,TLT=0.4", "--rebalance", "band:5", "--cost-bps", "5"],
        "/api/backtest",
        {"weights": "SPY=0.6,TLT=0.4", "rebalance": "band:5", "cost_bps": 5},
    ),
    (["track"], "/api/track", {}),
]


@pytest.mark.parametrize(
    ("cli_args", "path", "query"), SAME_CALLS, ids=[" ".join(c[0]) for c in SAME_CALLS]
)
def test_backtest_document_equals_cli_json(
    client: TestClient, cli_json: Any, cli_args: list[str], path: str, query: dict[str, Any]
) -> None:
    response = client.get(path, params=query)
    assert response.status_code == 200, response.text
    assert response.json() == cli_json(*cli_args)


def test_bad_weights_get_a_fix_it_422(client: TestClient) -> None:
    response = client.get("/api/backtest", params={"weights": "TLT=0.4,XYZ=0.6"})
    assert response.status_code == 422
    assert "XYZ" in response.json()["error"]


def test_many_portfolios_at_once(client: TestClient) -> None:
    portfolios = [{"TLT": i / 10, "SPY": 1 - i / 10} for i in range(11)]
    response = client.post(
        "/api/backtest/portfolios",
        json={"portfolios": portfolios, "rebalance": "monthly", "start": "2005-01-01"},
    )
    assert response.status_code == 200, response.text
    document = response.json()
    assert len(document["summary"]["cagr"]) == 11
    one = client.get(
        "/api/backtest",
        params={"weights": "TLT=0.3,SPY=0.7", "rebalance": "monthly", "start": "2005-01-01"},
    ).json()
    assert document["summary"]["cagr"][3] == pytest.approx(one["metrics"]["cagr"], rel=1e-9)
