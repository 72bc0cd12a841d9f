"""Bad parameters, missing features, slow calls and refreshes: what the API answers."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bondthesis.data.store import Store
from bondthesis.server import calls, create_app


@pytest.mark.parametrize(
    ("path", "query", "says"),
    [
        ("/api/scenario", {"horizon_months": 500}, "horizon_months"),
        ("/api/scenario", {"tlt": 0.9}, "sum to 1"),
        ("/api/scenario", {"ladder": "zigzag"}, "ladder"),
        ("/api/scenario", {"daily_noise_bp": 5}, "horizon_months > 0"),
        ("/api/scenario", {"as_of": "yesterday"}, "as_of"),
        ("/api/scenario", {"as_of": "1239-01-01"}, "dates run from"),
        ("/api/scorecard", {"as_of": "2024-02-30"}, "not a calendar date"),
        ("/api/scorecard", {"as_of": "1700000000"}, "YYYY-MM-DD"),
        ("/api/montecarlo", {"paths": 0}, "paths"),
        ("/api/montecarlo", {"days": 100_000}, "days"),
        ("/api/montecarlo", {"paths": 2_000_000, "days": 2_000}, "paths x days"),
        ("/api/montecarlo", {"weights": "1,2"}, "four numbers"),
        ("/api/montecarlo", {"model": "lognormal"}, "model"),
        ("/api/montecarlo", {"model": "bootstrap:2020-1990"}, "backwards"),
        ("/api/pillars/valuatoin", {}, "did you mean 'valuation'"),
        ("/api/series/DGS31", {}, "did you mean"),
        ("/api/series/DGS30", {"start": "2024-01-01", "end": "2023-01-01"}, "swap"),
        ("/api/backtest", {}, "one of the two"),
        ("/api/backtest", {"preset": "spy", "weights": "SPY=1"}, "one of the two"),
        ("/api/backtest", {"preset": "spy", "rebalance": "weekly"}, "rebalance"),
    ],
)
def test_bad_parameters_get_422_saying_how_to_fix(
    client: TestClient, path: str, query: dict[str, Any], says: str
) -> None:
    response = client.get(path, params=query)
    assert response.status_code == 422
    message = response.json()["error"]
    assert says in message
    assert "Traceback" not in message


def test_empty_home_gets_404_that_says_to_refresh(tmp_path: Path) -> None:
    app = create_app(Store(tmp_path / "none.duckdb"))
    with TestClient(app) as empty:
        response = empty.get("/api/scenario")
        assert response.status_code == 404
        assert "bondthesis refresh" in response.json()["error"]
        assert empty.get("/api/status").status_code == 200
        assert empty.get("/scenario").status_code == 200


def test_a_slow_call_does_not_block_other_requests(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered, release = threading.Event(), threading.Event()
    real = calls.montecarlo

    def slow(store: Store, **options: Any) -> dict[str, Any]:
        entered.set()
        release.wait(30)
        return real(store, **options)

    monkeypatch.setattr(calls, "montecarlo", slow)
    answers: list[int] = []
    worker = threading.Thread(
        target=lambda: answers.append(
            client.get("/api/montecarlo", params={"paths": 10, "days": 5, "seed": 99}).status_code
        )
    )
    worker.start()
    try:
        assert entered.wait(30)
        # While the Monte Carlo is held, other routes answer.
        assert client.get("/api/status").status_code == 200
        assert client.get("/api/scenario", params={"shift_bp": 10}).status_code == 200
        assert not answers
    finally:
        release.set()
        worker.join(30)
    assert answers == [200]


def test_one_refresh_at_a_time_with_progress(
    snapshot_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bondthesis.data.refresh as refresh_module

    release = threading.Event()
    real = refresh_module.refresh_from_snapshot

    def held(store: Store, folder: Path, **kwargs: Any) -> Any:
        progress = kwargs["progress"]
        progress("DGS30", "ok")
        release.wait(30)
        return real(store, folder, **kwargs)

    monkeypatch.setattr(refresh_module, "refresh_from_snapshot", held)
    folder = tmp_path / "snapshot"
    folder.mkdir()
    (folder / "DGS30.csv").write_text("observation_date,DGS30\n2026-01-02,4.86\n2026-01-05,4.85\n")
    app = create_app(Store(tmp_path / "fresh.duckdb"))
    with TestClient(app) as fresh:
        assert fresh.get("/api/refresh").json()["state"] == "idle"
        body = {"only": ["DGS30"], "snapshot": str(folder)}
        started = fresh.post("/api/refresh", json=body)
        assert started.status_code == 202
        assert started.json()["state"] == "running"
        again = fresh.post("/api/refresh", json=body)
        assert again.status_code == 409
        assert "already running" in again.json()["error"]
        release.set()
        final = app.state.refresh_job.wait(30)
        assert final.state == "done"
        progress = fresh.get("/api/refresh").json()
        assert progress["state"] == "done"
        assert [row["series"] for row in progress["rows"]] == ["DGS30"]
        series = fresh.get("/api/series/DGS30").json()["series"]["DGS30"]["observations"]
        assert series[-1] == {"date": "2026-01-05", "value": 4.85}


def test_refresh_refuses_unknown_series_and_folders(client: TestClient) -> None:
    unknown = client.post("/api/refresh", json={"only": ["DGS31"]})
    assert unknown.status_code == 422
    assert "did you mean" in unknown.json()["error"]
    missing = client.post("/api/refresh", json={"snapshot": "/no/such/folder"})
    assert missing.status_code == 422
    assert "no such folder" in missing.json()["error"]


@pytest.mark.parametrize("page", ["/", "/scenario", "/montecarlo", "/backtest", "/api-docs"])
def test_pages_load_only_what_the_app_serves(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    html = response.text
    assert "http://" not in html.replace("http://127.0.0.1", "")
    assert "https://" not in html
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_plotly_is_served_from_the_installed_package(client: TestClient) -> None:
    response = client.get("/vendor/plotly.min.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "plotly.js" in response.text[:200]


def test_openapi_spec_lists_every_route(client: TestClient) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {
        "/api/scorecard",
        "/api/claims",
        "/api/pillars/{name}",
        "/api/scenario",
        "/api/montecarlo",
        "/api/backtest",
        "/api/track",
        "/api/series/{key}",
        "/api/status",
        "/api/refresh",
    } <= paths


def test_refresh_needs_a_json_body(client: TestClient) -> None:
    # What a form or a no-cors fetch from another site can send: no JSON, no refresh.
    for content in ("", "only=DGS30"):
        response = client.post(
            "/api/refresh", content=content, headers={"content-type": "text/plain"}
        )
        assert response.status_code in (415, 422)
    assert client.get("/api/refresh").json()["state"] != "running"


def test_allowed_hosts_refuse_other_names(snapshot_store: Store) -> None:
    app = create_app(snapshot_store, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as local:
        assert local.get("/api/refresh").status_code == 200
        rebound = local.get("/api/refresh", headers={"host": "evil.example:8000"})
        assert rebound.status_code == 400


def test_a_bug_is_one_line_not_a_traceback(
    snapshot_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(store: Store) -> dict[str, Any]:
        raise KeyError("2021")

    monkeypatch.setattr(calls, "status", broken)
    with TestClient(create_app(snapshot_store), raise_server_exceptions=False) as fresh:
        response = fresh.get("/api/status")
    assert response.status_code == 500
    assert response.json() == {
        "error": "bondthesis failed on /api/status: KeyError: '2021'; please report it"
    }


def test_daily_noise_sends_the_rows_along_a_noisy_path(client: TestClient) -> None:
    base = {"shift_bp": -100, "horizon_months": 12}
    calm = client.get("/api/scenario", params=base).json()
    assert "daily_noise_bp" not in calm
    assert client.get("/api/scenario", params={**base, "daily_noise_bp": 0}).json() == calm
    noisy = client.get("/api/scenario", params={**base, "daily_noise_bp": 8}).json()
    assert noisy["daily_noise_bp"] == 8
    # Same end yields, so the ladder's repricing is the same; TMF's daily reset is not.
    assert noisy["ladder_decomposition"] == calm["ladder_decomposition"]
    calm_tmf = next(r for r in calm["rows"] if r["instrument"] == "TMF")
    noisy_tmf = next(r for r in noisy["rows"] if r["instrument"] == "TMF")
    assert noisy_tmf["total_return"] != calm_tmf["total_return"]


def test_report_page_is_the_reports_own(client: TestClient) -> None:
    response = client.get("/report", params={"lang": "zh-Hant"})
    assert response.status_code == 200
    assert "zh-Hant" in response.text
    assert "https://" not in response.text.split("</head>")[0]
    assert client.get("/report", params={"lang": "fr"}).status_code == 422
