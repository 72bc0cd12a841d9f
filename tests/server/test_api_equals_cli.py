"""Every API route returns exactly what ``bondthesis <command> ... --json`` prints."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

# (CLI arguments, API path, API query): the same call both ways.
SAME_CALLS: list[tuple[list[str], str, dict[str, Any]]] = [
    (["status"], "/api/status", {}),
    (["series", "DGS30", "--start", "2025-06-01"], "/api/series/DGS30", {"start": "2025-06-01"}),
    (
        [
            "series",
            "CPILFESL",
            "--start",
            "2020-01-01",
            "--end",
            "2024-12-31",
            "--as-of",
            "2024-06-30",
        ],
        "/api/series/CPILFESL",
        {"start": "2020-01-01", "end": "2024-12-31", "as_of": "2024-06-30"},
    ),
    (
        ["scenario", "--shift-bp", "-100", "--horizon-months", "12"],
        "/api/scenario",
        {"shift_bp": -100, "horizon_months": 12},
    ),
    (
        [
            "scenario",
            "--shift-bp",
            "150",
            "--twist-bp",
            "-25",
            "--horizon-months",
            "18",
            "--tlt",
            "0.2",
            "--tmf",
            "0.3",
            "--stocks",
            "0.5",
            "--cash",
            "0",
            "--financing-spread-bp",
            "80",
            "--stocks-return",
            "0.05",
            "--ladder",
            "rebuilt",
        ],
        "/api/scenario",
        {
            "shift_bp": 150,
            "twist_bp": -25,
            "horizon_months": 18,
            "tlt": 0.2,
            "tmf": 0.3,
            "stocks": 0.5,
            "cash": 0,
            "financing_spread_bp": 80,
            "stocks_return": 0.05,
            "ladder": "rebuilt",
        },
    ),
    (
        ["scenario", "--shift-bp", "-50", "--as-of", "2024-10-01", "--ladder", "par"],
        "/api/scenario",
        {"shift_bp": -50, "as_of": "2024-10-01", "ladder": "par"},
    ),
    (
        ["montecarlo", "--paths", "2000", "--days", "63", "--seed", "7", "--model", "t"],
        "/api/montecarlo",
        {"paths": 2000, "days": 63, "seed": 7, "model": "t"},
    ),
    (
        [
            "montecarlo",
            "--paths",
            "1000",
            "--days",
            "126",
            "--model",
            "bootstrap:1990-2025",
            "--weights",
            "0.5,0.1,0.3,0.1",
            "--financing-spread",
            "0.006",
        ],
        "/api/montecarlo",
        {
            "paths": 1000,
            "days": 126,
            "model": "bootstrap:1990-2025",
            "weights": "0.5,0.1,0.3,0.1",
            "financing_spread": 0.006,
        },
    ),
    (["pillar", "valuation"], "/api/pillars/valuation", {}),
    (["pillar", "gold", "--as-of", "2015-06-30"], "/api/pillars/gold", {"as_of": "2015-06-30"}),
    (["pillar", "policy", "--events"], "/api/pillars/policy", {"events": "true"}),
    (["scorecard"], "/api/scorecard", {}),
    (["scorecard", "--as-of", "2019-12-31"], "/api/scorecard", {"as_of": "2019-12-31"}),
    (["claims"], "/api/claims", {}),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("cli_args", "path", "query"),
    SAME_CALLS,
    ids=[
        " ".join(args[:1] + [a for a in args[1:] if not a.startswith("-")][:1])
        for args, _, _ in SAME_CALLS
    ],
)
def test_api_document_equals_cli_json(
    client: TestClient, cli_json: Any, cli_args: list[str], path: str, query: dict[str, Any]
) -> None:
    response = client.get(path, params=query)
    assert response.status_code == 200, response.text
    assert response.json() == cli_json(*cli_args)
