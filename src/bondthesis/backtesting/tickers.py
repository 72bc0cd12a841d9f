"""Asset tickers and portfolio strings: ``TLT``, ``TLT?L=3&E=0.91&SP=0.47``, ``"TLT=0.4,SPY=0.6"``.

The grammar is testfol.io's, which readers already know:

* a **base ticker** names an asset of :data:`BASE_ASSETS` (``TLT``, ``TMF``, ``SPY``, ``IEF``,
  ``GLD``, ``CASH``) or an alias of :data:`ALIASES` (``UPRO`` is ``SPY?L=3&E=0.91&SP=0.47``);
* ``?`` then ``&``-separated modifiers make a daily-reset variant of it
  (:func:`bondthesis.funds.leveraged.fund_daily_returns`): ``L`` leverage (default 1), ``E``
  expense ratio in **percent a year** (default 0), ``SP`` financing spread over the bill rate in
  **percent a year** (default 0). ``TLT?L=3&E=0.91&SP=0.47`` is a TMF built on TLT;
  ``TLT?L=1`` is TLT itself;
* a **portfolio** is ``TICKER=WEIGHT`` pairs separated by commas; weights are decimals
  (``0.4``) or percents with a sign (``40%``). Weights may sum above 1 (the rest is borrowed at
  the bill rate plus a spread) or below 1 (the rest is cash at the bill rate).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = [
    "ALIASES",
    "BASE_ASSETS",
    "Ticker",
    "parse_portfolio",
    "parse_ticker",
]

BASE_ASSETS: dict[str, str] = {
    "TLT": "iShares 20+ Year Treasury Bond ETF (a simulated 20+ year ladder before 2002-07-30)",
    "TMF": "Direxion 3x 20+ Year Treasury (simulated on TLT/the ladder before 2009-04-16)",
    "SPY": "SPDR S&P 500 ETF (Shiller's S&P composite total return before 1993-01-29)",
    "IEF": "iShares 7-10 Year Treasury Bond ETF (a simulated 7-10 year ladder before 2002-07-30)",
    "GLD": "SPDR Gold Shares (COMEX front future, then World Bank monthly gold before)",
    "CASH": "Treasury bills: DGS1MO, DGS3MO before 2001-07-31, TB3MS before 1981-09",
}

ALIASES: dict[str, str] = {
    # UPRO has no price file here; it is 3x SPY with UPRO's fee and TMF's fitted spread.
    "UPRO": "SPY?L=3&E=0.91&SP=0.47",
}

_MODIFIERS = {"L": "leverage", "E": "expense ratio (% a year)", "SP": "financing spread (% a year)"}
_TICKER = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class Ticker:
    """An asset: a base series, optionally as a daily-reset variant.

    Attributes
    ----------
    base : str
        A key of :data:`BASE_ASSETS`.
    leverage : float
        Daily multiple of the base's return.
    expense_ratio : float
        Decimal a year (the ``E`` modifier divided by 100).
    spread : float
        Financing spread over the bill rate, decimal a year (``SP`` / 100).
    text : str
        The ticker as written (upper case), the asset's name in results.
    """

    base: str
    leverage: float = 1.0
    expense_ratio: float = 0.0
    spread: float = 0.0
    text: str = ""

    @property
    def is_variant(self) -> bool:
        """True when a modifier changes the base (a synthetic fund: simulated throughout)."""
        return self.leverage != 1.0 or self.expense_ratio != 0.0 or self.spread != 0.0

    @property
    def name(self) -> str:
        return self.text or self.base


def _known() -> str:
    return ", ".join([*BASE_ASSETS, *ALIASES])


def parse_ticker(text: str) -> Ticker:
    """``"TLT?L=3&E=0.91&SP=0.47"`` as a :class:`Ticker`, or a ValueError saying how to fix it.

    Examples
    --------
    >>> tmf = parse_ticker("tlt?L=3&E=0.91&SP=0.47")
    >>> tmf.base, tmf.leverage, tmf.expense_ratio, tmf.spread, tmf.name
    ('TLT', 3.0, 0.0091, 0.0047, 'TLT?L=3&E=0.91&SP=0.47')
    >>> parse_ticker("UPRO").leverage
    3.0
    """
    written = text.strip().upper()
    if not written:
        raise ValueError(f"an empty ticker; use one of {_known()}, e.g. TLT or TLT?L=3&E=0.91")
    expanded = ALIASES.get(written, written)
    base, _, query = expanded.partition("?")
    if base not in BASE_ASSETS:
        if base in ALIASES:  # an alias with its own modifiers: UPRO?E=0.5
            alias = parse_ticker(base)
            base, query = alias.base, ALIASES[base].partition("?")[2] + "&" + query
        else:
            raise ValueError(f"unknown ticker {base!r}; known tickers: {_known()}")
    values = {"L": 1.0, "E": 0.0, "SP": 0.0}
    for part in filter(None, query.split("&")):
        key, equals, number = part.partition("=")
        if key not in _MODIFIERS or not equals:
            raise ValueError(
                f"bad modifier {part!r} in {text!r}; write KEY=NUMBER with KEY one of "
                + ", ".join(f"{k} ({v})" for k, v in _MODIFIERS.items())
                + ", e.g. TLT?L=3&E=0.91&SP=0.47"
            )
        try:
            values[key] = float(number)
        except ValueError:
            raise ValueError(f"{key}={number!r} in {text!r} is not a number") from None
        if not math.isfinite(values[key]):
            raise ValueError(f"{key}={number!r} in {text!r} must be a finite number")
    # Rounded so that 0.47% is 0.0047 exactly as written, not 0.004699999999999999.
    leverage = values["L"]
    expense, spread = round(values["E"] / 100.0, 12), round(values["SP"] / 100.0, 12)
    if not -3.0 <= leverage <= 3.0:
        raise ValueError(f"L={leverage:g} in {text!r}: leverage must be between -3 and 3")
    if not 0.0 <= expense < 10.0 / 100.0:
        raise ValueError(f"E={values['E']:g} in {text!r}: the expense ratio is % a year, 0..10")
    if not -5.0 / 100.0 < spread < 5.0 / 100.0:
        raise ValueError(f"SP={values['SP']:g} in {text!r}: the spread is % a year, -5..5")
    if base == "CASH" and (leverage, expense, spread) != (1.0, 0.0, 0.0):
        raise ValueError("CASH takes no modifiers; borrow by giving weights that sum above 1")
    ticker = Ticker(base, leverage, expense, spread, written)
    if not ticker.is_variant:
        return Ticker(base, text=base if written == base else written)
    return ticker


def _weight(text: str, pair: str) -> float:
    number = text.strip()
    try:
        value = float(number[:-1]) / 100.0 if number.endswith("%") else float(number)
    except ValueError:
        raise ValueError(
            f"weight {number!r} in {pair!r} is not a number; write TICKER=0.4 or TICKER=40%"
        ) from None
    if not math.isfinite(value) or abs(value) > 10.0:
        raise ValueError(f"weight {number!r} in {pair!r} must be between -10 and 10")
    return value


def parse_portfolio(text: str) -> dict[str, float]:
    """``"TLT=0.4,TMF=0.2,SPY=0.4"`` as ``{ticker: weight}`` (tickers as written, upper case).

    Raises
    ------
    ValueError
        For a pair without ``=``, a weight that is not a number, an unknown ticker, a ticker given
        twice, or weights that are all zero; the message says how to write it.

    Examples
    --------
    >>> parse_portfolio("tlt=40%, TMF=0.2 ,SPY=0.4")
    {'TLT': 0.4, 'TMF': 0.2, 'SPY': 0.4}
    """
    weights: dict[str, float] = {}
    pairs = [pair for pair in text.split(",") if pair.strip()]
    if not pairs:
        raise ValueError('no weights given; write e.g. "TLT=0.4,TMF=0.2,SPY=0.4"')
    for pair in pairs:
        ticker_text, equals, weight_text = pair.partition("=")
        # The ticker's own modifiers contain "=": split at the last "=" after any "?".
        if "?" in ticker_text or "?" in weight_text:
            head, _, tail = pair.rpartition("=")
            ticker_text, weight_text, equals = head, tail, "="
        if not equals:
            raise ValueError(
                f"{pair.strip()!r} has no weight; write TICKER=WEIGHT pairs separated by commas, "
                'e.g. "TLT=0.4,TMF=0.2,SPY=0.4"'
            )
        ticker = parse_ticker(ticker_text)
        if ticker.name in weights:
            raise ValueError(f"{ticker.name} is given twice in {text!r}; give each ticker once")
        weights[ticker.name] = _weight(weight_text, pair.strip())
    if all(weight == 0.0 for weight in weights.values()):
        raise ValueError(f"all weights in {text!r} are zero; give at least one non-zero weight")
    return weights
