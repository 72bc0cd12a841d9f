"""The daily asset panel a backtest reads: real fund prices, spliced with simulations before them.

Every asset is a daily total-return series on one calendar (the union of its members' trading
days, each series carried over the others' holidays), with a boolean ``simulated`` beside it:

=======  ======================================================  ===========================
asset    real                                                    simulated before
=======  ======================================================  ===========================
TLT      adjusted close from 2002-07-30                          20+ year Treasury ladder net
                                                                 of 0.15% (funds.history)
TMF      adjusted close from 2009-04-16                          3x TLT gross of fee, fitted
                                                                 spread (funds.history)
SPY      adjusted close from 1993-01-29                          Shiller S&P composite total
                                                                 return (monthly P and D/12,
                                                                 spread evenly over the days)
IEF      adjusted close from 2002-07-30                          7-10 year Treasury ladder net
                                                                 of 0.15%
GLD      close from 2004-11-18                                   COMEX front future (2000-08
                                                                 on), World Bank monthly gold
                                                                 before (spread evenly)
CASH     bills throughout: ``rate[t-1] * days / 360``            never (a rate, not a fund)
=======  ======================================================  ===========================

A variant ticker (``TLT?L=3&E=0.91&SP=0.47``) is the daily-reset fund of
:func:`bondthesis.funds.leveraged.fund_daily_returns` on its base and is simulated throughout.
Monthly series spread evenly over a month understate daily volatility and drawdowns inside a
month; results say which stretches were simulated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bondthesis.backtesting.tickers import Ticker, parse_ticker
from bondthesis.bonds.ladder import TreasuryLadder
from bondthesis.data.store import Store
from bondthesis.errors import CacheMiss
from bondthesis.funds.history import FundInputs, load_fund_inputs, simulate_fund
from bondthesis.funds.leveraged import FINANCING_DAY_COUNT, fund_daily_returns

__all__ = [
    "AssetHistory",
    "AssetPanel",
    "bill_returns",
    "build_asset_panel",
    "load_asset_panel",
    "read_base_histories",
]

IEF_EXPENSE_RATIO = 0.0015


@dataclass(frozen=True)
class AssetHistory:
    """One base asset: daily returns (decimal; 0.0 on the first date) and where they came from."""

    returns: pd.Series
    simulated: pd.Series
    source: str


@dataclass(frozen=True)
class AssetPanel:
    """Daily returns of the assets a backtest holds, on one calendar.

    Attributes
    ----------
    returns : DataFrame of shape (n_days, n_assets)
        Daily total returns, decimals; the first row is 0.0 (the start).
    simulated : DataFrame of bool, same shape
        True where the day's return came from a simulation, not the real fund.
    cash_rate : Series of float, length n_days
        The bill rate in force on each day (the last observation before it), decimal a year.
    bill_return : Series of float, length n_days
        What cash earned into each day: ``cash_rate * calendar days / 360`` (0.0 on the first).
    sources : dict of str to str
        Where each asset's history came from.
    cash_rate_end : Timestamp
        The last bill-rate observation; later days carry it forward.
    """

    returns: pd.DataFrame
    simulated: pd.DataFrame
    cash_rate: pd.Series
    bill_return: pd.Series
    sources: dict[str, str] = field(default_factory=dict)
    cash_rate_end: pd.Timestamp | None = None

    @property
    def dates(self) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(self.returns.index)

    def window(self, start: pd.Timestamp | None, end: pd.Timestamp | None) -> AssetPanel:
        """The panel from the last day on or before ``start`` to ``end`` (returns restart at 0)."""
        dates = self.dates
        first = 0
        if start is not None:
            first = max(int(dates.searchsorted(start, side="right")) - 1, 0)
        last = len(dates) if end is None else int(dates.searchsorted(end, side="right"))
        if last - first < 2:
            span = f"{dates[0].date()}..{dates[-1].date()}" if len(dates) else "nothing"
            raise ValueError(
                f"the window {_text(start, 'start')}..{_text(end, 'end')} holds fewer than two "
                f"trading days of "
                f"these assets (data cover {span}); pick --start/--end inside that range"
            )
        returns = self.returns.iloc[first:last].copy()
        returns.iloc[0] = 0.0
        bills = self.bill_return.iloc[first:last].copy()
        bills.iloc[0] = 0.0
        return AssetPanel(
            returns,
            self.simulated.iloc[first:last],
            self.cash_rate.iloc[first:last],
            bills,
            self.sources,
            self.cash_rate_end,
        )


def _text(day: pd.Timestamp | None, missing: str) -> str:
    return missing if day is None else str(day.date())


def _elapsed(dates: pd.DatetimeIndex) -> np.ndarray:
    days = dates.to_numpy(dtype="datetime64[D]").astype(np.int64)
    return np.diff(days, prepend=days[0] if len(days) else 0).astype(np.float64)


def _rate_before(dates: pd.DatetimeIndex, cash_rate: pd.Series) -> np.ndarray:
    clean = cash_rate.dropna().sort_index()
    position = pd.DatetimeIndex(clean.index).searchsorted(dates, side="left") - 1
    return np.asarray(clean.to_numpy(dtype=np.float64)[np.clip(position, 0, None)])


def bill_returns(dates: pd.DatetimeIndex, cash_rate: pd.Series) -> pd.Series:
    """Cash's daily return: the rate in force before each day times its calendar days / 360."""
    values = _rate_before(dates, cash_rate) * _elapsed(dates) / FINANCING_DAY_COUNT
    if len(values):
        values[0] = 0.0
    return pd.Series(values, index=dates, name="CASH")


def _spread_monthly(levels: pd.Series, until: pd.Timestamp) -> pd.Series:
    """Monthly levels (dated the 1st) as business-day levels, log-linear between the months."""
    clean = levels.dropna()
    clean = clean[clean > 0]
    days = pd.bdate_range(clean.index[0], min(until, clean.index[-1]))
    logs = np.log(clean).reindex(clean.index.union(days)).interpolate(method="time")
    daily: pd.Series = np.exp(logs.reindex(days))
    return daily


def _from_levels(levels: pd.Series) -> pd.Series:
    returns = levels.pct_change()
    returns.iloc[0] = 0.0
    return returns.astype("float64")


def _splice_levels(
    real: pd.Series | None, before: pd.Series, source: str, real_name: str
) -> AssetHistory:
    """Real levels where they exist, ``before`` (levels) before the first real date."""
    if real is None or real.dropna().empty:
        returns = _from_levels(before)
        return AssetHistory(returns, pd.Series(True, index=returns.index), source)
    real = real.dropna()
    first = pd.Timestamp(real.index[0])
    earlier = before[before.index < first]
    real_returns = _from_levels(real)
    sim_returns = _from_levels(earlier) if len(earlier) else pd.Series(dtype="float64")
    if len(earlier):
        # The simulation's return into the first real day links the two (flat if it has none).
        at = before[before.index <= first]
        real_returns.iloc[0] = float(at.iloc[-1] / earlier.iloc[-1] - 1.0)
    returns = pd.concat([sim_returns, real_returns])
    flags = pd.Series(
        np.r_[np.ones(len(sim_returns), bool), np.zeros(len(real_returns), bool)],
        index=returns.index,
    )
    return AssetHistory(returns, flags, f"{real_name} from {first.date()}; {source} before")


def _read(store: Store, key: str) -> pd.Series | None:
    try:
        series = store.read_series(key).dropna()
    except CacheMiss:
        return None
    return series if len(series) else None


def _spy(store: Store) -> AssetHistory:
    real = _read(store, "SPY")
    price, dividend = _read(store, "SHILLER_P"), _read(store, "SHILLER_D")
    if price is None or dividend is None:
        if real is None:
            raise CacheMiss(
                "the store holds neither SPY nor Shiller's data; run `bondthesis refresh`"
            )
        return _splice_levels(real, real.iloc[:1], "", "SPY")
    dividend = dividend.reindex(price.index).ffill()
    monthly = (price + dividend / 12.0) / price.shift(1)
    levels = monthly.fillna(1.0).cumprod()
    until = pd.Timestamp(real.index[0]) if real is not None else pd.Timestamp(price.index[-1])
    daily = _spread_monthly(levels, until)
    return _splice_levels(real, daily, "Shiller S&P composite total return (monthly)", "SPY")


def _gld(store: Store) -> AssetHistory:
    real = _read(store, "GLD")
    future = _read(store, "GOLD_DAILY")
    monthly = _read(store, "GOLD_MONTHLY")
    before: pd.Series | None = None
    if monthly is not None:
        until = pd.Timestamp(future.index[0]) if future is not None else monthly.index[-1]
        before = _spread_monthly(monthly[monthly.index >= "1960-01-01"], until)
    if future is not None:
        if before is not None:
            seam = future.index[0]
            scale = float(future.iloc[0]) / float(before.iloc[-1])
            before = pd.concat([before[before.index < seam] * scale, future])
        else:
            before = future
    if before is None:
        if real is None:
            raise CacheMiss("the store holds no gold prices (GLD, GOLD_DAILY, GOLD_MONTHLY)")
        return _splice_levels(real, real.iloc[:1], "", "GLD")
    return _splice_levels(real, before, "COMEX gold future; World Bank monthly gold", "GLD")


def _fund(name: str, inputs: FundInputs) -> AssetHistory:
    history = simulate_fund(name, inputs).history
    real_from = history.index[~history["simulated"].to_numpy()]
    source = (
        f"{name} from {real_from[0].date()}; simulated before"
        if len(real_from)
        else (f"{name} simulated throughout (no prices stored)")
    )
    returns = history["return"].copy()
    returns.iloc[0] = 0.0
    return AssetHistory(returns, history["simulated"], source)


def _ief(store: Store, inputs: FundInputs) -> AssetHistory:
    ladder = TreasuryLadder(min_years_to_maturity=7.0, issue_term_years=10, issuance="monthly")
    levels = ladder.run(inputs.curve()).net_of_fee(IEF_EXPENSE_RATIO)
    return _splice_levels(_read(store, "IEF"), levels, "7-10 year Treasury ladder", "IEF")


def read_base_histories(
    store: Store, bases: Iterable[str]
) -> tuple[dict[str, AssetHistory], pd.Series]:
    """Each base asset's spliced daily history from the store, and the bill rate (decimals)."""
    wanted = set(bases)
    inputs = load_fund_inputs(store)
    histories: dict[str, AssetHistory] = {}
    for base in sorted(wanted - {"CASH"}):
        if base in ("TLT", "TMF"):
            histories[base] = _fund(base, inputs)
        elif base == "SPY":
            histories[base] = _spy(store)
        elif base == "IEF":
            histories[base] = _ief(store, inputs)
        elif base == "GLD":
            histories[base] = _gld(store)
    return histories, inputs.cash_rate


def build_asset_panel(
    histories: dict[str, AssetHistory], cash_rate: pd.Series, tickers: Iterable[str]
) -> AssetPanel:
    """The panel of ``tickers`` (grammar of :mod:`bondthesis.backtesting.tickers`) on one calendar.

    The calendar is the union of the bases' trading days from the latest first day to the
    earliest last day; a series is carried flat over another market's holiday.
    """
    parsed: dict[str, Ticker] = {text: parse_ticker(text) for text in tickers}
    bases = sorted({t.base for t in parsed.values()} - {"CASH"}) or ["TLT"]
    missing = [b for b in bases if b not in histories]
    if missing:
        raise ValueError(f"no history for {', '.join(missing)}; read it with read_base_histories")
    first = max(histories[b].returns.index[0] for b in bases)
    last = min(histories[b].returns.index[-1] for b in bases)
    calendar = pd.DatetimeIndex(sorted(set().union(*(histories[b].returns.index for b in bases))))
    calendar = calendar[(calendar >= first) & (calendar <= last)]
    base_returns: dict[str, pd.Series] = {}
    base_flags: dict[str, pd.Series] = {}
    for base in bases:
        history = histories[base]
        levels = (1.0 + history.returns).cumprod().reindex(calendar, method="ffill")
        base_returns[base] = _from_levels(levels)
        base_flags[base] = history.simulated.reindex(calendar, method="ffill").astype(bool)
    bills = bill_returns(calendar, cash_rate)
    columns: dict[str, pd.Series] = {}
    flags: dict[str, pd.Series] = {}
    sources: dict[str, str] = {}
    for text, ticker in parsed.items():
        if ticker.base == "CASH":
            columns[text] = bills
            flags[text] = pd.Series(False, index=calendar)
            sources[text] = (
                "Treasury bills (DGS1MO; DGS3MO before 2001-07-31; TB3MS before 1981-09)"
            )
            continue
        returns = base_returns[ticker.base]
        if ticker.is_variant:
            returns = fund_daily_returns(
                returns, cash_rate, ticker.leverage, ticker.expense_ratio, ticker.spread
            )
            returns.iloc[0] = 0.0
            flags[text] = pd.Series(True, index=calendar)
            sources[text] = (
                f"daily-reset {ticker.leverage:g}x {ticker.base}, fee {ticker.expense_ratio:.2%},"
                f" spread {ticker.spread:.2%} over bills (simulated)"
            )
        else:
            flags[text] = base_flags[ticker.base]
            sources[text] = histories[ticker.base].source
        columns[text] = returns
    frame = pd.DataFrame(columns, index=calendar).astype("float64")
    frame.iloc[0] = 0.0
    clean = cash_rate.dropna()
    return AssetPanel(
        returns=frame,
        simulated=pd.DataFrame(flags, index=calendar),
        cash_rate=pd.Series(_rate_before(calendar, cash_rate), index=calendar, name="cash_rate"),
        bill_return=bills,
        sources=sources,
        cash_rate_end=pd.Timestamp(clean.index[-1]) if len(clean) else None,
    )


def load_asset_panel(store: Store, tickers: Iterable[str]) -> AssetPanel:
    """Read what ``tickers`` need from the store and build their panel.

    Raises
    ------
    ValueError
        An unknown ticker (the message lists the known ones).
    CacheMiss
        When the store lacks the yields or prices (``bondthesis refresh`` fills them).
    """
    texts = list(tickers)
    bases = {parse_ticker(text).base for text in texts}
    if bases <= {"CASH"}:
        bases.add("TLT")  # cash alone takes the bond market's calendar
    histories, cash_rate = read_base_histories(store, bases)
    return build_asset_panel(histories, cash_rate, texts)
