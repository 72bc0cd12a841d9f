"""The pages in the system chromium: they load cleanly, talk only to 127.0.0.1, and react.

Every request the browser makes goes through a route handler that lets 127.0.0.1 through and
aborts (and records) anything else, so a page that reached for a CDN fails here.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from bondthesis.data.store import Store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason="no system chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def base_url(snapshot_store: Store) -> Iterator[str]:
    """The app under uvicorn on a free port of 127.0.0.1, in a thread."""
    import uvicorn

    from bondthesis.server import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(snapshot_store), log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    sock.close()


@dataclass
class Watched:
    """What the browser did: console errors, uncaught errors, requests it was refused."""

    page: Any
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    seen = Watched(page)

    def only_local(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            seen.foreign.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    yield seen
    context.close()


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/", "#scorecard-table tbody tr"),
        ("/scenario", "#scenario-rows tbody tr"),
        ("/montecarlo", "#montecarlo-table tbody tr"),
        ("/backtest", "#backtest-form"),
        ("/api-docs", "section.route"),
    ],
)
def test_page_loads_clean_and_local(base_url: str, watched: Watched, path: str, ready: str) -> None:
    page = watched.page
    page.goto(base_url + path)
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    assert watched.errors == []
    assert watched.foreign == []


def _wait_until(page: Any, expression: str, timeout_s: float = 60.0) -> None:
    """Poll ``expression`` in the page (Playwright's wait_for_function evals, which the CSP
    forbids; ``page.evaluate`` goes through the debugger protocol and is allowed)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(50)


def _chart_totals(page: Any) -> list[float]:
    return list(page.evaluate("document.getElementById('scenario-chart').data[2].y"))


def _row_texts(page: Any) -> list[str]:
    return list(page.locator("#scenario-rows tbody tr").all_inner_texts())


def test_moving_a_slider_changes_numbers_and_chart(base_url: str, watched: Watched) -> None:
    import httpx

    page = watched.page
    page.goto(base_url + "/scenario")
    _wait_until(page, "Number(document.body.dataset.scenarioUpdates || 0) >= 1")
    before_rows, before_chart = _row_texts(page), _chart_totals(page)

    slider = page.locator("#shift_bp")
    slider.focus()
    for _ in range(10):  # -100bp to -150bp in the slider's 5bp steps
        page.keyboard.press("ArrowLeft")
    _wait_until(page, "document.getElementById('shift_bp-out').textContent === '-150'")
    _wait_until(
        page,
        "JSON.stringify(document.getElementById('scenario-chart').data[2].y) !== "
        + repr(json.dumps(before_chart, separators=(",", ":"))),
    )
    page.wait_for_load_state("networkidle")
    after_rows, after_chart = _row_texts(page), _chart_totals(page)
    assert after_rows != before_rows
    assert after_chart != before_chart

    # The page shows the API's own numbers for the same request.
    document = httpx.get(
        base_url + "/api/scenario",
        params={"shift_bp": -150, "horizon_months": 12},
    ).json()
    assert after_chart == [row["total_return"] for row in document["rows"]]
    tmf_text = page.locator("#scenario-rows tbody tr", has_text="TMF").inner_text()
    tmf_total = next(r["total_return"] for r in document["rows"] if r["instrument"] == "TMF")
    assert f"{100 * tmf_total:+.2f}%" in tmf_text
    assert watched.errors == []
    assert watched.foreign == []


def test_weights_that_do_not_sum_to_one_show_the_servers_message(
    base_url: str, watched: Watched
) -> None:
    page = watched.page
    page.goto(base_url + "/scenario")
    _wait_until(page, "Number(document.body.dataset.scenarioUpdates || 0) >= 1")
    # Raise stocks past what cash can give back: the server refuses the mix and says why.
    page.locator("#stocks").focus()
    for _ in range(16):
        page.keyboard.press("ArrowRight")
    page.wait_for_selector("#scenario-error:not([hidden])")
    assert "sum to 1" in page.locator("#scenario-error").inner_text()
    assert watched.foreign == []


def test_builder_shows_the_metrics_of_the_cli(
    base_url: str, watched: Watched, cli_json: Any
) -> None:
    page = watched.page
    page.goto(base_url + "/backtest")
    page.fill("input[name=weights]", "TLT=0.5,TMF=0.2,SPY=0.3")
    page.select_option("select[name=rebalance]", "yearly")
    page.fill("input[name=start]", "2010-01-01")
    with page.expect_response(lambda r: "/api/backtest?" in r.url) as answer:
        page.click("#backtest-form button[type=submit]")
    _wait_until(page, "Number(document.body.dataset.backtestRuns || 0) >= 1")
    expected = cli_json(
        "backtest", "TLT=0.5,TMF=0.2,SPY=0.3", "--rebalance", "yearly", "--start", "2010-01-01"
    )
    assert answer.value.json() == expected
    cagr = page.locator("#backtest-metrics tbody tr", has_text="CAGR").inner_text()
    assert f"{100 * expected['metrics']['cagr']:+.2f}%" in cagr
    bars = page.evaluate("document.getElementById('backtest-chart').data[0].y")
    assert bars == [row["value"] for row in expected["annual"]]
    assert watched.errors == []
    assert watched.foreign == []


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_report_page_loads_clean_and_local(base_url: str, watched: Watched, lang: str) -> None:
    page = watched.page
    page.goto(f"{base_url}/report?lang={lang}")
    page.wait_for_load_state("networkidle")
    assert page.locator("body").inner_text().strip()
    assert watched.errors == []
    assert watched.foreign == []
