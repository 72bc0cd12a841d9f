"""The report's parts without a browser: words and numbers per locale, thinning, escaping,
the cache, the command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from bondthesis.cli import app
from bondthesis.report import cache
from bondthesis.report.build import Report
from bondthesis.report.figures import plain, thin
from bondthesis.report.messages import MESSAGES, Messages
from bondthesis.report.render import _json_for_html, figure_specs, render_html


def test_numbers_and_dates_per_locale() -> None:
    en, zh = Messages("en"), Messages("zh-Hant")
    assert en.pct(0.0509, 2) == "5.09%"
    assert zh.pct(0.0509, 2) == "5.09%"
    assert en.pct(-0.123, 1, sign=True) == "-12.3%"
    assert en.pct(0.2, 0, sign=True) == "+20%"
    assert en.num(97802533, 0) == "97,802,533"
    assert en.date(date(2026, 1, 31)) == "Jan 31, 2026"
    assert zh.date(date(2026, 1, 31)) == "2026 年 1 月 31 日"
    assert en.pct(None) == "n/a"
    assert zh.pct(float("nan")) == "無"
    assert zh.verdict("does not hold") == "不成立"
    assert zh.verdict("supports") == "支持"


def test_every_message_exists_in_both_languages() -> None:
    for key, (english, chinese) in MESSAGES.items():
        if key != "library_english":
            assert english, key
            assert chinese, key
    with pytest.raises(ValueError, match="zh-Hant"):
        Messages("fr")


def test_thin_keeps_the_last_point() -> None:
    series = pd.Series(range(5001), index=pd.date_range("2000-01-03", periods=5001), dtype=float)
    dates, values = thin(series, 1000)
    assert len(values) <= 1001
    assert values[-1] == 5000.0
    assert dates[-1] == series.index[-1].date().isoformat()
    short_dates, _ = thin(series.iloc[:10], 1000)
    assert len(short_dates) == 10


@given(st.text())
def test_json_for_html_never_closes_the_script(text: str) -> None:
    encoded = _json_for_html({"title": text})
    assert "<" not in encoded
    assert ">" not in encoded
    assert json.loads(encoded) == {"title": text}


def test_plain_shows_markup_as_text() -> None:
    assert plain("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"


def test_cache_round_trip_and_damage(tmp_path: Path) -> None:
    assert cache.load(tmp_path, "k") is None
    cache.save(tmp_path, "k", {"a": 1})
    assert cache.load(tmp_path, "k") == {"a": 1}
    next(tmp_path.glob("report-*.pickle")).write_bytes(b"not a pickle")
    assert cache.load(tmp_path, "k") is None


def test_specs_and_html_from_the_snapshot(report_en: Report, report_zh: Report) -> None:
    specs = figure_specs(report_en)
    assert "payoff" in specs
    assert "figure-gold" in specs
    html = render_html(report_zh)
    assert html.count("plotly.js v") == 1  # inlined once
    assert 'lang="zh-Hant"' in html
    assert "記分卡" in html
    assert "Content-Security-Policy" in html
    assert "default-src &#39;none&#39;" in html
    assert "http://" not in html.split("<script>")[0]  # no external resources before scripts


def test_cli_on_an_empty_store_says_how_to_fill_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BONDTHESIS_HOME", str(tmp_path / "empty"))
    result = CliRunner().invoke(app, ["report", "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "bondthesis report --refresh" in result.output or "refresh" in result.output
    assert not (tmp_path / "r.html").exists()


def test_cli_refuses_an_unknown_language(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", "--lang", "fr", "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "zh-Hant" in result.output


def test_cli_writes_both_languages(report_home: Path, tmp_path: Path) -> None:
    for lang, name in (("en", "r.html"), ("zh-Hant", "r.zh.html")):
        result = CliRunner().invoke(app, ["report", "--lang", lang, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 1_000_000


def test_the_report_shows_the_cli_numbers(report_home: Path, report_en: Report) -> None:
    """Same library calls, same numbers: the claims ledger against `bondthesis claims --json`."""
    result = CliRunner().invoke(app, ["claims", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    article = {c.id: c for c in report_en.data.article_claims.claims}
    latest = {c.id: c for c in report_en.data.latest_claims.claims}
    assert len(document["claims"]) == len(article) == 11
    for row in document["claims"]:
        assert row["verdict"] == article[row["id"]].verdict.value
        assert row["figure"] == article[row["id"]].figure
        assert row["latest"]["verdict"] == latest[row["id"]].verdict.value
        assert row["latest"]["figure"] == latest[row["id"]].figure
