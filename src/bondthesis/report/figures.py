"""Plotly figure specs (plain dicts) for the report's charts, drawn from library results.

Nothing here computes a figure the library does not give: series are passed through, thinned for
the screen when long (:func:`thin`), and labelled. Every label goes through :func:`plain`, so a
title holding ``<script>`` or Plotly's pseudo-HTML (``<a href=...>``) is shown as text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd

from bondthesis.report.messages import Messages

__all__ = ["MAX_POINTS", "plain", "thin"]

MAX_POINTS = 1_200  # points per line on the screen; monthly series since 1947 (~950) stay whole
COLOURS = {
    "ink": "#1f2937",
    "muted": "#6b7280",
    "grid": "#e5e7eb",
    "tlt": "#1d4ed8",
    "tmf": "#c2410c",
    "position": "#047857",
    "stocks": "#6b7280",
    "claim": "#b45309",
    "band": "rgba(180, 83, 9, 0.12)",
    "simulated": "rgba(107, 114, 128, 0.15)",
}


def plain(text: str) -> str:
    """``text`` for a Plotly label: ``<``, ``>`` and ``&`` as entities, so shown, not parsed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def thin(series: pd.Series, max_points: int = MAX_POINTS) -> tuple[list[str], list[float | None]]:
    """Dates (ISO) and values of ``series``, every n-th point when longer than ``max_points``.

    The last observation is always kept, so the line ends where the data does.
    """
    clean = series.dropna()
    step = max(1, math.ceil(len(clean) / max_points))
    picked = clean.iloc[::step]
    if len(clean) and picked.index[-1] != clean.index[-1]:
        picked = pd.concat([picked, clean.iloc[-1:]])
    dates = [pd.Timestamp(d).date().isoformat() for d in picked.index]
    return dates, [float(v) for v in picked.to_numpy(dtype="float64")]


def _layout(t: Messages, title: str, *, y_format: str = "", height: int = 320) -> dict[str, Any]:
    family = (
        '"Noto Sans CJK TC", "Noto Sans TC", sans-serif'
        if t.lang == "zh-Hant"
        else "Inter, 'Segoe UI', Helvetica, Arial, sans-serif"
    )
    return {
        "title": {"text": plain(title), "x": 0, "xanchor": "left", "font": {"size": 15}},
        "height": height,
        "margin": {"l": 56, "r": 16, "t": 48, "b": 40, "autoexpand": True},
        "font": {"family": family, "size": 12, "color": COLOURS["ink"]},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "xaxis": {"gridcolor": COLOURS["grid"], "linecolor": COLOURS["muted"]},
        "yaxis": {
            "gridcolor": COLOURS["grid"],
            "zerolinecolor": COLOURS["muted"],
            "tickformat": y_format,
        },
        "legend": {"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
        "hovermode": "x unified",
        "separators": ".,",
    }


def _vline(day: date, label: str) -> tuple[dict[str, Any], dict[str, Any]]:
    shape = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": day.isoformat(),
        "x1": day.isoformat(),
        "y0": 0,
        "y1": 1,
        "line": {"color": COLOURS["claim"], "width": 1, "dash": "dot"},
    }
    note = {
        "x": day.isoformat(),
        "y": 1,
        "xref": "x",
        "yref": "paper",
        "text": plain(label),
        "showarrow": False,
        "xanchor": "right",
        "yanchor": "top",
        "font": {"size": 11, "color": COLOURS["claim"]},
    }
    return shape, note


def history_figure(
    t: Messages, title: str, series: pd.Series, unit: str, series_title: str
) -> dict[str, Any]:
    """A pillar's signal over time (the trace named ``series_title``), its latest value marked."""
    dates, values = thin(series)
    percent = unit.startswith("decimal")
    layout = _layout(t, title, y_format=".1%" if percent else "", height=280)
    # The panel's heading names the pillar; the chart needs no title of its own.
    layout["title"]["text"] = ""
    layout["margin"]["t"] = 16
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": dates,
            "y": values,
            "name": plain(series_title),
            "line": {"color": COLOURS["tlt"], "width": 1.6},
            "showlegend": False,
        }
    ]
    if dates:
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": dates[-1:],
                "y": values[-1:],
                "name": plain(t("latest")),
                "marker": {"color": COLOURS["claim"], "size": 8},
                "showlegend": False,
            }
        )
    return {"data": data, "layout": layout}


def article_figure(t: Messages, figure: Any) -> dict[str, Any]:
    """One of the article's figures with its claim: a level line or a band, and its date."""
    title = t.figure(figure.key)
    dates, values = thin(figure.series)
    layout = _layout(t, title, y_format=".0%" if figure.key == "gold" else ".1%", height=380)
    shapes: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": dates,
            "y": values,
            "name": plain(title),
            "line": {"color": COLOURS["tlt"], "width": 1.6},
        }
    ]
    if figure.claim_value is not None and dates:
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": [dates[0], dates[-1]],
                "y": [figure.claim_value, figure.claim_value],
                "name": plain(f"{t('claim_marked')}{t.colon}{t.pct(figure.claim_value, 1)}"),
                "line": {"color": COLOURS["claim"], "width": 1.5, "dash": "dash"},
            }
        )
    if figure.claim_band is not None and dates:
        low, high = figure.claim_band
        shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": low,
                "y1": high,
                "fillcolor": COLOURS["band"],
                "line": {"width": 0},
                "layer": "below",
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": [dates[-1]],
                "y": [low],
                "name": plain(f"{t('claim_band')}{t.colon}{t.pct(low, 1)}–{t.pct(high, 1)} (2021)"),
                "line": {"color": COLOURS["band"], "width": 8},
            }
        )
    if figure.markers:
        marked = figure.series.loc[pd.DatetimeIndex([pd.Timestamp(d) for d in figure.markers])]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [d.isoformat() for d in figure.markers],
                "y": [None if pd.isna(v) else float(v) for v in marked.to_numpy()],
                "name": plain(t("past_surges")),
                "marker": {"color": COLOURS["tmf"], "size": 9, "symbol": "diamond"},
            }
        )
    shape, note = _vline(figure.claim_date, t.date(figure.claim_date))
    layout["shapes"] = [*shapes, shape]
    layout["annotations"] = [*notes, note]
    return {"data": data, "layout": layout}


def payoff_figure(t: Messages, payoff: Any) -> dict[str, Any]:
    """TLT and TMF total return against the parallel shift, instantly and over the horizon."""
    months = t.num(payoff.horizon_months, 0)
    layout = _layout(t, t("payoff_title"), y_format=".0%", height=400)
    layout["xaxis"]["title"] = {"text": plain(t("yield_change"))}
    layout["legend"]["y"] = -0.2  # below the axis title
    layout["hovermode"] = "x unified"
    data = []
    for name, values, colour, dash in (
        (f"TLT, {t('instant')}", payoff.tlt_instant, COLOURS["tlt"], "solid"),
        (f"TMF, {t('instant')}", payoff.tmf_instant, COLOURS["tmf"], "solid"),
        (f"TLT, {t('over_months', months=months)}", payoff.tlt_horizon, COLOURS["tlt"], "dot"),
        (f"TMF, {t('over_months', months=months)}", payoff.tmf_horizon, COLOURS["tmf"], "dot"),
    ):
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": list(payoff.shifts_bp),
                "y": list(values),
                "name": plain(name),
                "line": {"color": colour, "width": 2, "dash": dash},
            }
        )
    return {"data": data, "layout": layout}


def fan_figure(t: Messages, fan: Any, name: str, label: str, colour: str) -> dict[str, Any]:
    """Return quantiles by horizon: 5-95% and 25-75% bands and the median."""
    levels = [round(q, 2) for q in fan.quantile_levels]
    rows = fan.quantiles[name]

    def column(level: float) -> list[float]:
        return [float(row[levels.index(level)]) for row in rows]

    days = [0, *fan.horizons_days]
    layout = _layout(t, label, y_format=".0%", height=300)
    layout["xaxis"]["title"] = {"text": plain(t("trading_days"))}
    layout["showlegend"] = False
    data: list[dict[str, Any]] = []
    for low, high, opacity in ((0.05, 0.95, 0.18), (0.25, 0.75, 0.35)):
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": days,
                "y": [0.0, *column(high)],
                "line": {"width": 0},
                "hoverinfo": "skip",
                "name": f"p{int(high * 100)}",
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": days,
                "y": [0.0, *column(low)],
                "fill": "tonexty",
                "fillcolor": _rgba(colour, opacity),
                "line": {"width": 0},
                "name": plain(f"{int(low * 100)}–{int(high * 100)}%"),
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": days,
            "y": [0.0, *column(0.5)],
            "line": {"color": colour, "width": 2},
            "name": plain(t("p50")),
        }
    )
    return {"data": data, "layout": layout}


def _rgba(hex_colour: str, opacity: float) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {opacity})"


def annual_figure(t: Messages, ticker: str, annual: pd.DataFrame) -> dict[str, Any]:
    """Calendar-year returns, simulated years shaded and coloured apart."""
    years = [int(str(y)) for y in annual.index]
    spliced = [bool(v) for v in annual["spliced_from_simulation"].to_numpy()]
    history = annual["actual"].where(~annual["spliced_from_simulation"], annual["simulated"])
    values = [None if pd.isna(v) else float(v) for v in history.to_numpy()]
    colour = COLOURS["tmf"] if ticker == "TMF" else COLOURS["tlt"]
    data: list[dict[str, Any]] = []
    for simulated, name, fill in (
        (True, t("simulated"), COLOURS["muted"]),
        (False, t("actual"), colour),
    ):
        picked = [i for i, s in enumerate(spliced) if s is simulated]
        data.append(
            {
                "type": "bar",
                "x": [years[i] for i in picked],
                "y": [values[i] for i in picked],
                "name": plain(name),
                "marker": {"color": fill},
            }
        )
    layout = _layout(t, t("fund_title", fund=ticker), y_format=".0%", height=320)
    simulated_years = [y for y, s in zip(years, spliced, strict=True) if s]
    if simulated_years:
        layout["shapes"] = [
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": min(simulated_years) - 0.5,
                "x1": max(simulated_years) + 0.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": COLOURS["simulated"],
                "line": {"width": 0},
                "layer": "below",
            }
        ]
    layout["hovermode"] = "closest"
    return {"data": data, "layout": layout}


def fund_figures(t: Messages, funds: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"fund-{ticker.lower()}": annual_figure(t, ticker, simulation.annual)
        for ticker, simulation in funds.items()
    }


def figure_ids(specs: Sequence[str]) -> list[str]:
    """Element ids are the spec keys; kept as a helper so the template and tests agree."""
    return list(specs)


_PRESET_COLOURS = ("#1d4ed8", "#6b7280", "#047857", "#c2410c", "#7c3aed")


def backtest_figures(t: Messages, section: Any) -> dict[str, dict[str, Any]]:
    """Growth of 1 on a log scale and calendar-year returns of each preset's backtest.

    Years in which any holding was simulated are drawn lighter (and say so on hover).
    """
    if section is None or not section.results:
        return {}
    equity_data: list[dict[str, Any]] = []
    annual_data: list[dict[str, Any]] = []
    for colour, (name, result) in zip(_PRESET_COLOURS * 2, section.results.items(), strict=False):
        dates, values = thin(result.equity)
        equity_data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": dates,
                "y": values,
                "name": plain(name),
                "line": {"color": colour, "width": 1.5},
            }
        )
        annual_data.append(
            {
                "type": "bar",
                "x": [a.year for a in result.annual],
                "y": [a.value for a in result.annual],
                "name": plain(name),
                "marker": {
                    "color": colour,
                    "opacity": [0.45 if a.simulated else 1.0 for a in result.annual],
                },
                "customdata": [t("simulated") if a.simulated else "" for a in result.annual],
                "hovertemplate": "%{x}: %{y:.1%} %{customdata}<extra>" + plain(name) + "</extra>",
            }
        )
    equity = _layout(t, t("bt_equity"), height=380)
    equity["yaxis"]["type"] = "log"
    annual = _layout(t, t("bt_annual"), y_format=".0%", height=340)
    annual["barmode"] = "group"
    article = section.results.get("article")
    if article is not None and article.annual:
        # Years the article's position covers; a longer history (stocks since 1871) stays in
        # the table and the equity chart.
        annual["xaxis"]["range"] = [article.annual[0].year - 0.5, article.annual[-1].year + 0.5]
    annual["hovermode"] = "closest"
    return {
        "backtest-equity": {"data": equity_data, "layout": equity},
        "backtest-annual": {"data": annual_data, "layout": annual},
    }
