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


def _fake_sections() -> tuple[object, object]:
    """Objects shaped like research.track's TrackResult and the backtest section."""
    from types import SimpleNamespace as NS

    from bondthesis.report.build import BacktestSection

    line = NS(
        name="TLT",
        kind="part",
        start=date(2026, 1, 30),
        end=date(2026, 7, 31),
        total_return=-0.035,
        max_drawdown=-0.077,
        drawdown_now=-0.077,
        simulated=False,
    )
    track = NS(lines=(line,), notes=("<b>note</b>",))
    equity = pd.Series([1.0, 1.1, 1.3], index=pd.date_range("1962-01-02", periods=3, freq="YS"))
    metrics = NS(
        start=date(1962, 1, 2),
        end=date(2026, 7, 31),
        cagr=0.081,
        volatility=0.117,
        sharpe=0.33,
        max_drawdown=-0.463,
        worst_year=2022,
        worst_year_return=-0.374,
    )
    annual = (NS(year=1962, value=0.05, simulated=True), NS(year=2025, value=0.02, simulated=False))
    drawdown = NS(peak=date(2020, 3, 9), trough=date(2023, 10, 19), recovery=None, depth=-0.46)
    result = NS(
        portfolio={"TLT": 0.4, "TMF": 0.2, "SPY": 0.4},
        rebalance="quarterly",
        metrics=metrics,
        annual=annual,
        drawdowns=(drawdown,),
        simulated_share=0.74,
        equity=equity,
    )
    figure = NS(portfolio="article", total_return=-0.2, simulated=True)
    row = NS(
        window="2022",
        start=date(2021, 12, 31),
        end=date(2022, 10, 24),
        description="rates up",
        figures=(figure,),
    )
    return track, BacktestSection(results={"article": result}, stress=NS(rows=(row,)))


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_since_and_backtest_sections_render_once_their_libraries_land(
    report_en: Report, lang: str
) -> None:
    import dataclasses

    track, backtests = _fake_sections()
    data = dataclasses.replace(report_en.data, since_article=track, backtests=backtests)
    report = dataclasses.replace(report_en, data=data, lang=lang)
    html = render_html(report)
    assert "bondthesis track" in html
    assert "bondthesis backtest --stress" in html
    assert "&lt;b&gt;note&lt;/b&gt;" in html
    specs = figure_specs(report)
    assert specs["backtest-equity"]["layout"]["yaxis"]["type"] == "log"
    assert specs["backtest-annual"]["data"][0]["marker"]["opacity"] == [0.45, 1.0]


def test_the_report_holds_the_front_doors_results(report_home: Path, report_en: Report) -> None:
    """The scorecard and the claims in the report are the front door's, number for number."""
    import bondthesis as bt

    store = bt.Store(report_home / "bondthesis.duckdb")
    assert report_en.data.scorecard().to_dict() == bt.scorecard(store).to_dict()
    assert report_en.data.claims().to_dict() == bt.claims(store).to_dict()


def test_pdf_without_chromium_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from bondthesis.errors import ConfigError
    from bondthesis.report import pdf

    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(ConfigError, match="apt-get install chromium"):
        pdf.find_chromium()


def test_the_watchers_flips_are_in_the_report(report_en: Report, tmp_path: Path) -> None:
    # A flip recorded by the watcher (its own log, in a store of its own) shows in the report's
    # "what changed" section as the watcher's sentence, newest first, in either language.
    import dataclasses
    from datetime import datetime

    from bondthesis.data.store import Store
    from bondthesis.data.watch_log import FLIP_COLUMNS, WatchLog
    from bondthesis.report.build import watch_history, watch_stamp

    store = Store(tmp_path / "watched.duckdb")
    assert watch_history(store) == []
    assert watch_stamp(store) == "none"
    flip = dict.fromkeys(FLIP_COLUMNS) | {
        "detected_at": datetime(2026, 8, 1, 19, 30),
        "memory_key": "changes:pillar:economy",
        "rule": "any pillar changes",
        "subject": "pillar:economy",
        "kind": "pillar",
        "name": "economy",
        "before": "supports",
        "after": "neutral",
        "value": 0.4,
        "unit": "score",
        "on_date": date(2026, 7, 31),
        "detail": "economy score",
        "command": "bondthesis pillar economy",
        "stale": False,
        "condition": "changes",
        "percent": False,
        "data_as_of": date(2026, 7, 31),
    }
    (first,) = WatchLog(store).record([], [flip], [])
    assert watch_stamp(store) == str(first)
    rows = tuple(watch_history(store))
    en = render_html(dataclasses.replace(report_en, flips=rows))
    assert 'id="watch"' in en
    assert "economy: supports → neutral" in en
    assert "bondthesis watch --history" in en
    zh = render_html(dataclasses.replace(report_en, lang="zh-Hant", flips=rows))
    assert "監看歷史" in zh
    empty = render_html(report_en)
    assert "bondthesis watch --once" in empty  # says how to start watching
