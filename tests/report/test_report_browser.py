"""The report in real headless Chromium: offline, every chart drawn, Han glyphs, PDF, escaping."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bondthesis.report.build import Report
from bondthesis.report.pdf import print_pdf
from bondthesis.report.render import write_html

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'


def _artifacts(tmp_path: Path) -> Path:
    """Screenshots go to $BONDTHESIS_ARTIFACTS (CI keeps them; README shows docs/screenshots)."""
    folder = Path(os.environ.get("BONDTHESIS_ARTIFACTS", tmp_path / "artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    """A page showing ``path``: console errors and non-file requests collected, the latter
    refused."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    outside: list[str] = []
    page.on(
        "console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda q: None if q.url.startswith("file://") else outside.append(q.url))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-charts-drawn]", timeout=60_000)
    return page, errors, outside


@pytest.fixture
def html_en(report_en: Report, tmp_path: Path) -> Path:
    return write_html(report_en, tmp_path / "report.html")


@pytest.fixture
def html_zh(report_zh: Report, tmp_path: Path) -> Path:
    return write_html(report_zh, tmp_path / "report.zh-Hant.html")


def test_page_is_offline_and_clean(browser: Any, html_en: Path, tmp_path: Path) -> None:
    page, errors, outside = _open(browser, html_en)
    page.wait_for_timeout(300)
    assert errors == []
    assert outside == []
    assert page.locator("script:not([type])").count() == 2  # plotly.js once, the draw script
    assert page.evaluate("typeof Plotly") == "object"
    page.screenshot(path=str(_artifacts(tmp_path) / "report-en.png"))
    page.close()


def test_every_chart_holds_data(browser: Any, html_en: Path) -> None:
    page, _, _ = _open(browser, html_en)
    charts = page.evaluate(
        """() => Array.from(document.querySelectorAll('.chart')).map(el => ({
            id: el.id,
            traces: (el.data || []).length,
            points: (el.data || []).reduce(
                (n, t) => n + (t.y || []).filter(v => v !== null).length, 0),
            drawn: el.querySelectorAll('svg.main-svg').length,
        }))"""
    )
    assert len(charts) >= 15, charts
    empty = [c["id"] for c in charts if c["traces"] == 0 or c["points"] == 0 or c["drawn"] == 0]
    assert empty == []
    assert int(page.get_attribute("body", "data-charts-drawn") or 0) == len(charts)
    ids = {c["id"] for c in charts}
    for key in ("figure-gold", "figure-interest", "figure-issuance", "figure-core_cpi"):
        assert key in ids
    assert {"payoff", "fan-tlt", "fan-tmf", "pillar-positioning", "pillar-smart_money"} <= ids
    page.close()


def test_zh_hant_renders_han_glyphs(browser: Any, html_zh: Path, tmp_path: Path) -> None:
    page, errors, outside = _open(browser, html_zh)
    assert errors == []
    assert outside == []
    assert page.get_attribute("html", "lang") == "zh-Hant"
    heading = page.locator("h1")
    assert re.search(r"[\u4e00-\u9fff]", heading.inner_text())
    # The font Chromium actually drew the heading with (not tofu): a CJK face with glyphs.
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cjk = [f for f in fonts if "CJK" in f["familyName"] or "TC" in f["familyName"]]
    assert cjk, fonts
    assert sum(f["glyphCount"] for f in cjk) >= 5, fonts
    page.screenshot(path=str(_artifacts(tmp_path) / "report-zh-Hant.png"))
    page.close()


def test_pdf_has_pages(html_en: Path, tmp_path: Path) -> None:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    pdf = print_pdf(html_en, tmp_path / "report.pdf", browser=CHROMIUM)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages >= 5
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
            check=True,
        )
        assert list(tmp_path.glob("p-*.png"))


def test_a_hostile_series_title_stays_text(browser: Any, report_en: Report, tmp_path: Path) -> None:
    readings = tuple(
        dataclasses.replace(r, title=HOSTILE) if r.name == "gold" else r
        for r in report_en.data.readings
    )
    hostile = dataclasses.replace(
        report_en, data=dataclasses.replace(report_en.data, readings=readings)
    )
    page, errors, outside = _open(browser, write_html(hostile, tmp_path / "hostile.html"))
    assert page.evaluate("window.__pwned") is None
    assert errors == []
    assert outside == []
    assert HOSTILE in page.locator("#pillar-panel-gold").inner_text()
    trace_name = page.evaluate("document.getElementById('pillar-gold').data[0].name")
    assert "&lt;script&gt;" in trace_name
    page.close()
