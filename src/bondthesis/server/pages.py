"""The HTML pages: each a template whose script asks the JSON API and draws what it returns.

Pages hold no numbers of their own: the server renders the frame (navigation, the data's
date from ``/api/status``'s document, the form's defaults) and the browser fills the rest from
the same API anyone can call.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bondthesis.server import calls

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

PAGES = (
    ("report", "/", "Report"),
    ("scenario", "/scenario", "Scenario explorer"),
    ("montecarlo", "/montecarlo", "Monte Carlo"),
    ("backtest", "/backtest", "Backtest builder"),
    ("api", "/api-docs", "API"),
)

# The series whose last dates the header shows: the curve, bills, TLT/TMF and stocks.
DATED_SERIES = ("DGS30", "DGS10", "DGS3MO", "TLT", "TMF", "SPY")


def _data_dates(request: Request) -> list[dict[str, Any]]:
    """The status document's rows for :data:`DATED_SERIES` (last date, fresh or stale)."""
    from bondthesis.server.documents import cached_document

    store = request.app.state.store
    try:
        document = cached_document(request, "status", (), lambda: calls.status(store))
    except Exception:  # the header must not take a page down; the page's API calls will say why
        return []
    rows = {row["series"]: row for row in document["series"]}
    return [rows[key] for key in DATED_SERIES if key in rows]


def _render(request: Request, page: str, **context: Any) -> HTMLResponse:
    template = _templates.get_template(f"{page}.html")
    html = template.render(
        page=page,
        pages=PAGES,
        data_dates=_data_dates(request),
        store_path=str(request.app.state.store.path),
        **context,
    )
    return HTMLResponse(html)


REPORT_LANGUAGES = {"en": "English", "zh-Hant": "繁體中文"}

# The report page is self-contained: plotly.js and its drawing script are inline, allowed by
# their hashes in the page's own CSP (a meta element). The app's header policy must let inline
# scripts through for that meta policy to decide; everything else stays closed.
REPORT_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return _render(request, "report", report_languages=REPORT_LANGUAGES)


@router.get("/report", response_class=HTMLResponse)
def report(request: Request, lang: str = "en") -> HTMLResponse:
    """The page of ``bondthesis report`` (its own template), in English or Traditional Chinese."""
    from bondthesis.report.render import report_page

    if lang not in REPORT_LANGUAGES:
        choices = ", ".join(f"lang={code}" for code in REPORT_LANGUAGES)
        raise ValueError(f"unknown language {lang!r}; use {choices}")
    html = report_page(request.app.state.store, lang)
    return HTMLResponse(html, headers={"Content-Security-Policy": REPORT_CSP})


@router.get("/scenario", response_class=HTMLResponse)
def scenario(request: Request) -> HTMLResponse:
    # The page opens on a year's horizon, so that the path-dependence table has rows.
    defaults = dataclasses.replace(calls.ScenarioArgs(), horizon_months=12.0)
    return _render(request, "scenario", defaults=defaults)


@router.get("/montecarlo", response_class=HTMLResponse)
def montecarlo(request: Request) -> HTMLResponse:
    return _render(request, "montecarlo")


@router.get("/backtest", response_class=HTMLResponse)
def backtest(request: Request) -> HTMLResponse:
    return _render(request, "backtest")


@router.get("/api-docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The OpenAPI spec as a page: routes, parameters, ranges (no CDN, unlike /docs)."""
    spec = request.app.openapi()
    routes = []
    for path, methods in spec.get("paths", {}).items():
        for method, operation in methods.items():
            parameters = []
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                options = schema.get("anyOf", [schema])
                bounds = [
                    f"{label} {option[key]}"
                    for option in options
                    for key, label in (
                        ("minimum", "≥"),
                        ("exclusiveMinimum", ">"),
                        ("maximum", "≤"),
                        ("exclusiveMaximum", "<"),
                    )
                    if key in option
                ]
                kinds = sorted({str(o.get("type", o.get("format", ""))) for o in options} - {""})
                parameters.append(
                    {
                        "name": parameter["name"],
                        "where": parameter["in"],
                        "type": " or ".join(kinds) or "string",
                        "default": schema.get("default"),
                        "bounds": ", ".join(bounds),
                        "enum": schema.get("enum"),
                        "description": parameter.get("description", ""),
                    }
                )
            routes.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "parameters": parameters,
                }
            )
    return _render(request, "api", routes=routes)
