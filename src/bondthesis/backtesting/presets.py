"""Named portfolios and the stress windows they are compared over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["PRESETS", "STRESS_WINDOWS", "Preset", "StressWindow", "get_preset"]


@dataclass(frozen=True)
class Preset:
    """A named portfolio: target weights (decimals), the default rebalancing, and what it is."""

    name: str
    weights: dict[str, float]
    rebalance: str
    title: str
    note: str = ""


PRESETS: dict[str, Preset] = {
    "article": Preset(
        "article",
        {"TLT": 0.4, "TMF": 0.2, "SPY": 0.4},
        "quarterly",
        "The article's position: 40% TLT, 20% TMF, 40% SPY",
        "The article gives only '~60% in TLT and TMF'; the 40/20 split between them and the 40% "
        "SPY are this tool's default reading of it (pass your own weights to change it).",
    ),
    "spy": Preset("spy", {"SPY": 1.0}, "none", "100% SPY (S&P 500)"),
    "6040": Preset(
        "6040", {"SPY": 0.6, "IEF": 0.4}, "quarterly", "60/40: 60% SPY, 40% IEF (7-10y Treasuries)"
    ),
    "hfea": Preset(
        "hfea",
        {"UPRO": 0.55, "TMF": 0.45},
        "quarterly",
        "HFEA-style 55% UPRO / 45% TMF",
        "UPRO is simulated throughout as SPY?L=3&E=0.91&SP=0.47 (3x daily SPY, 0.91% fee, TMF's "
        "fitted 0.47% financing spread over bills).",
    ),
}


def get_preset(name: str) -> Preset:
    """The preset called ``name`` (case-insensitive) or a ValueError listing them."""
    preset = PRESETS.get(name.strip().lower())
    if preset is None:
        raise ValueError(f"unknown preset {name!r}; presets: {', '.join(PRESETS)}")
    return preset


@dataclass(frozen=True)
class StressWindow:
    """A period of stress for bonds, stocks or both, from one close to another."""

    name: str
    start: date
    end: date
    description: str


STRESS_WINDOWS: tuple[StressWindow, ...] = (
    StressWindow(
        "1979-81",
        date(1979, 9, 28),
        date(1981, 9, 30),
        "Volcker: the 30-year yield from 9.2% to its 15.2% peak",
    ),
    StressWindow(
        "1994",
        date(1993, 10, 15),
        date(1994, 11, 7),
        "The bond massacre: the Fed doubled the funds rate; 30-year 5.8% to 8.2%",
    ),
    StressWindow(
        "2008", date(2007, 10, 9), date(2009, 3, 9), "Global financial crisis: S&P peak to trough"
    ),
    StressWindow(
        "2013 taper", date(2013, 5, 2), date(2013, 9, 5), "Taper tantrum: 10-year 1.6% to 3.0%"
    ),
    StressWindow("2020", date(2020, 2, 19), date(2020, 3, 23), "COVID crash: S&P peak to trough"),
    StressWindow(
        "2022", date(2021, 12, 31), date(2022, 12, 30), "Inflation and the fastest hikes since 1980"
    ),
    StressWindow(
        "2022-23",
        date(2021, 12, 31),
        date(2023, 10, 19),
        "The long-bond drawdown to the 30-year's 5.1% peak of 2023-10-19",
    ),
)
