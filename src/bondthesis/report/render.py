"""The report as one self-contained HTML page: Jinja2 template, Plotly inlined once, strict CSP.

The page makes no network request of any kind: plotly.js is inlined (once), figures are JSON in a
non-executable ``<script type="application/json">`` block, the one small script that draws them
is inline, and a Content-Security-Policy meta tag allows exactly those two scripts (by SHA-256)
and nothing from anywhere else (``default-src 'none'``).
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from bondthesis.data.store import Store
from bondthesis.report import cache
from bondthesis.report.build import (
    LANGUAGES,
    Report,
    build_report,
    cache_folder,
    cache_key,
    checked_freshness,
    watch_stamp,
)
from bondthesis.report.figures import (
    COLOURS,
    article_figure,
    backtest_figures,
    fan_figure,
    fund_figures,
    history_figure,
    payoff_figure,
)
from bondthesis.report.messages import Messages

__all__ = ["figure_specs", "render_html", "report_page", "write_html"]

# Draws every figure of the JSON block; its text is constant, so its hash is too.
DRAW_SCRIPT = """(function () {
  var specs = JSON.parse(document.getElementById("figure-data").textContent);
  var config = {displaylogo: false, responsive: true, modeBarButtons: [["toImage"]],
    toImageButtonOptions: {format: "png", scale: 2}};
  var drawn = 0;
  Object.keys(specs).forEach(function (id) {
    var element = document.getElementById(id);
    if (!element) { return; }
    Plotly.newPlot(element, specs[id].data, specs[id].layout, config);
    drawn += 1;
  });
  document.body.setAttribute("data-charts-drawn", String(drawn));
})();"""


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    text = resources.files("plotly").joinpath("package_data/plotly.min.js").read_text("utf-8")
    # An inline script ends at the first "</script"; plotly.min.js holds none today.
    return text.replace("</script", "<\\/script")


def _sha256(text: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


def _json_for_html(document: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or line separators."""
    text = json.dumps(document, allow_nan=False, separators=(",", ":"), ensure_ascii=False)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def figure_specs(report: Report) -> dict[str, dict[str, Any]]:
    """Every chart of the page, by element id, as Plotly specs (JSON-ready)."""
    t = Messages(report.lang)
    data = report.data
    specs: dict[str, dict[str, Any]] = {}
    for figure in data.figures.figures:
        if len(figure.series):
            specs[f"figure-{figure.key}"] = article_figure(t, figure)
    for reading in data.readings:
        if len(reading.history):
            specs[f"pillar-{reading.name}"] = history_figure(
                t, t.pillar(reading.name), reading.history, reading.unit, reading.title
            )
    if data.scenario is not None:
        specs["payoff"] = payoff_figure(t, data.scenario.payoff)
    if data.fan is not None:
        for name, label, colour in (
            ("tlt", "TLT", COLOURS["tlt"]),
            ("tmf", "TMF", COLOURS["tmf"]),
            ("position", t("position"), COLOURS["position"]),
        ):
            if name in data.fan.quantiles:
                specs[f"fan-{name}"] = fan_figure(t, data.fan, name, label, colour)
    specs.update(fund_figures(t, data.funds))
    specs.update(backtest_figures(t, data.backtests))
    return specs


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("bondthesis.report", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render_html(report: Report) -> str:
    """The report as one HTML document (a few MB: plotly.js is most of it)."""
    t = Messages(report.lang)
    specs = figure_specs(report)
    plotly_js = _plotly_js()
    csp = "; ".join(
        (
            "default-src 'none'",
            f"script-src {_sha256(plotly_js)} {_sha256(DRAW_SCRIPT)}",
            "style-src 'unsafe-inline'",
            "img-src data: blob:",
            "font-src data:",
            "connect-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report,
        data=report.data,
        t=t,
        csp=csp,
        plotly_js=plotly_js,
        draw_script=DRAW_SCRIPT,
        figure_json=_json_for_html(specs),
        charts=set(specs),
        flip_lines=_flip_lines(report),
    )


def _flip_lines(report: Report) -> list[tuple[Any, str]]:
    """(detected at, the watcher's own sentence in the report's language) for each flip."""
    from bondthesis.watching.messages import flip_line
    from bondthesis.watching.run import flip_from_row

    return [
        (row["detected_at"], flip_line(flip_from_row(row), report.lang)) for row in report.flips
    ]


def report_page(store: Store, lang: str = "en", as_of: date | None = None) -> str:
    """The report of ``store`` as HTML, from the page cache when the store and the day are the
    same as last time (else built with :func:`~bondthesis.report.build.build_report`)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of: {', '.join(LANGUAGES)}")
    freshness = checked_freshness(store, as_of)
    key = f"{cache_key(freshness, as_of)}-{lang}-{freshness.checked_on}-{watch_stamp(store)}"
    page = cache.load_page(cache_folder(store), key)
    if page is None:
        page = render_html(build_report(store, lang=lang, as_of=as_of))
        cache.save_page(cache_folder(store), key, page)
    return page


def write_html(report: Report, path: Path) -> Path:
    """Render ``report`` into ``path`` (parents created); returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report), encoding="utf-8")
    return path
