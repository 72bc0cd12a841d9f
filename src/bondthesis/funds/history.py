"""TLT and TMF, real and simulated: data assembly from the store, splicing, calendar years.

This module reads the store (:func:`load_fund_inputs`); everything else it calls is pure
(:mod:`bondthesis.bonds.curve`, :mod:`bondthesis.bonds.ladder`, :mod:`bondthesis.funds.leveraged`).
Scenario, backtest and claims code should call :func:`load_fund_inputs` once and then
:func:`simulate_fund` / :func:`fund_return` / :func:`yield_change_between`.

Underlyings
-----------
* **TLT** is the ladder of :meth:`TreasuryLadder.tlt_like` net of its 0.15% fee.
* **TMF** is 3x daily the ICE 20+ index: real TLT's total return *gross of its fee* where TLT
  exists (2002-07-30 on), the ladder before. Both were compared (``README``, fund section):
  calibrated on 2009-04..2017 and tested on 2018-2025 (DGS3MO cash, plain least squares),
  TMF simulated on real TLT misses by 0.76pp a year (2022: -0.35pp), on the ladder by 1.40pp
  (2022: +1.61pp), because the ladder's own tracking error against TLT is tripled. The ladder
  is what reaches back to 1962. With DGS1MO cash and the robust fit the TLT-based holdout is
  0.64pp.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from bondthesis.bonds.curve import DAILY_KEYS, MONTHLY_KEYS, ParCurve, build_par_curve
from bondthesis.bonds.ladder import (
    TLT_EXPENSE_RATIO,
    LadderHistory,
    TreasuryLadder,
    long_bond_issuance,
    window_return,
    yield_change,
)
from bondthesis.data.store import Store
from bondthesis.errors import CacheMiss
from bondthesis.funds.drawdown import Drawdown, max_drawdown
from bondthesis.funds.fit import (
    Calibration,
    FitStatistics,
    annual_returns,
    calibrate,
    fit_statistics,
)
from bondthesis.funds.leveraged import (
    LeveragedFund,
    combine_cash_rate,
    splice_history,
)
from bondthesis.funds.terms import TMF_EXPENSE_RATIO, TMF_LEVERAGE

__all__ = [
    "FUNDS",
    "FundInputs",
    "FundSimulation",
    "FundSpec",
    "WindowReturn",
    "fund_return",
    "get_fund",
    "load_fund_inputs",
    "simulate_fund",
    "yield_change_between",
]

CASH_KEYS = ("DGS1MO", "DGS3MO", "TB3MS")
PRICE_KEYS = ("TLT", "TMF")


@dataclass(frozen=True)
class FundSpec:
    """A fund the tool can simulate.

    Parameters
    ----------
    ticker : str
    leverage : float
        Daily multiple of the ICE U.S. Treasury 20+ Year index.
    expense_ratio : float
        Decimal a year (SOURCES.md §8: TLT 0.15%, TMF about 0.91% in 2025).
    inception : date
    fit_end : date or None
        End of the calibration window (None: nothing is calibrated, only compared).
    title : str
    """

    ticker: str
    leverage: float
    expense_ratio: float
    inception: date
    fit_end: date | None
    title: str


FUNDS: dict[str, FundSpec] = {
    "TLT": FundSpec(
        "TLT",
        1.0,
        TLT_EXPENSE_RATIO,
        date(2002, 7, 22),
        None,
        "iShares 20+ Year Treasury Bond ETF",
    ),
    "TMF": FundSpec(
        "TMF",
        TMF_LEVERAGE,
        TMF_EXPENSE_RATIO,
        date(2009, 4, 16),
        date(2017, 12, 31),
        "Direxion Daily 20+ Year Treasury Bull 3X",
    ),
}


def get_fund(name: str) -> FundSpec:
    """The spec of ``name`` (case-insensitive) or a ValueError listing the known funds."""
    spec = FUNDS.get(name.strip().upper())
    if spec is None:
        raise ValueError(f"unknown fund {name!r}; known funds: {', '.join(sorted(FUNDS))}")
    return spec


@dataclass(frozen=True)
class FundInputs:
    """Everything the fund simulations read, in analysis units.

    Attributes
    ----------
    yields : dict of str to Series
        ``DGS10/20/30`` and ``GS10/20/30`` in **percent**, as stored (what
        :func:`~bondthesis.bonds.curve.build_par_curve` takes).
    cash_rate : Series
        Decimal: DGS1MO daily from 2001-07-31, DGS3MO daily from 1981-09 before it, TB3MS
        monthly before that (:func:`~bondthesis.funds.leveraged.combine_cash_rate`).
    prices : dict of str to Series
        Adjusted closes of TLT and TMF (those the store holds).
    issuance : Series or None
        Monthly face of long bonds auctioned (:func:`long_bond_issuance`), None if the store has
        no auctions table (the ladder then uses the historical calendar).
    """

    yields: dict[str, pd.Series]
    cash_rate: pd.Series
    prices: dict[str, pd.Series]
    issuance: pd.Series | None = None
    _cache: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def curve(self) -> ParCurve:
        """The par curve (built once)."""
        if "curve" not in self._cache:
            self._cache["curve"] = build_par_curve(self.yields)
        curve = self._cache["curve"]
        assert isinstance(curve, ParCurve)
        return curve

    def ladder(self) -> LadderHistory:
        """The TLT-like ladder on the whole curve (built once)."""
        if "ladder" not in self._cache:
            self._cache["ladder"] = TreasuryLadder.tlt_like().run(self.curve(), self.issuance)
        history = self._cache["ladder"]
        assert isinstance(history, LadderHistory)
        return history


def _series(panel: pd.DataFrame, key: str) -> pd.Series:
    return panel[key].dropna().astype("float64").rename(key)


def load_fund_inputs(store: Store) -> FundInputs:
    """Read yields, cash rates, fund prices and long-bond auctions from the store.

    The store holds finished closes only: a bar downloaded while the exchange was open never
    lands (:func:`bondthesis.sources._session.drop_unfinished_session`, applied by the price
    source and the snapshot reader).

    Parameters
    ----------
    store : Store

    Raises
    ------
    CacheMiss
        When DGS10 or the cash rates are not stored (``bondthesis refresh`` fills them).
    """
    yields: dict[str, pd.Series] = {}
    for key in (*DAILY_KEYS, *MONTHLY_KEYS):
        try:
            yields[key] = store.read_series(key).dropna()
        except CacheMiss:
            if key == "DGS10":
                raise
    cash_parts = {}
    for key in CASH_KEYS:
        try:
            cash_parts[key] = store.read_series(key).dropna()
        except CacheMiss:
            cash_parts[key] = pd.Series(dtype="float64", index=pd.DatetimeIndex([]))
    if all(part.empty for part in cash_parts.values()):
        raise CacheMiss("the store holds no DGS1MO, DGS3MO nor TB3MS; run `bondthesis refresh`")
    cash = combine_cash_rate(cash_parts["DGS3MO"], cash_parts["TB3MS"], cash_parts["DGS1MO"])
    prices: dict[str, pd.Series] = {}
    for key in PRICE_KEYS:
        try:
            series = store.read_series(key).dropna()
        except CacheMiss:
            continue
        prices[key] = series
    issuance = None
    try:
        auctions = store.read_table("auctions")
        if not auctions.empty:
            issuance = long_bond_issuance(auctions)
    except Exception:  # an old store without the table: use the calendar
        issuance = None
    return FundInputs(yields=yields, cash_rate=cash, prices=prices, issuance=issuance)


@dataclass(frozen=True)
class FundSimulation:
    """A fund simulated over the whole curve, compared with the real one.

    Attributes
    ----------
    spec : FundSpec
    fund : LeveragedFund
        The parameters used (the spread calibrated where the spec says so).
    simulated : Series
        Simulated total-return levels (1.0 on the first date), daily.
    actual : Series
        The real fund's adjusted closes (empty if not stored).
    history : DataFrame
        :func:`~bondthesis.funds.leveraged.splice_history`: real where it exists, simulated
        before, with the boolean column ``simulated``.
    annual : DataFrame indexed by year
        ``simulated`` and ``actual`` calendar-year returns (decimals; ``actual`` NaN unless the
        fund existed for the whole year), ``spliced_from_simulation`` (bool), ``simulated_end``
        and ``actual_end`` (the last date each return runs to: the real fund's to its last
        price, the simulation's to the last yield date), ``partial`` (the year ends before its
        last trading day) and ``label`` (``"2026 (to 07-31)"`` for a partial year).
    drawdowns : tuple of Drawdown
        Maximum drawdowns with peak, trough and recovery dates: the real fund since inception,
        the simulation over the same days, and the spliced history (simulated before the fund).
    in_sample, holdout : FitStatistics or None
        Fit on the calibration window and after it (for a fund with nothing calibrated, the
        whole common history is the holdout).
    underlying : str
        What the leverage was applied to.
    """

    spec: FundSpec
    fund: LeveragedFund
    simulated: pd.Series
    actual: pd.Series
    history: pd.DataFrame
    annual: pd.DataFrame
    in_sample: FitStatistics | None
    holdout: FitStatistics | None
    underlying: str
    drawdowns: tuple[Drawdown, ...] = ()


def _last_dates(levels: pd.Series) -> pd.Series:
    clean = levels.dropna()
    if clean.empty:
        return pd.Series(dtype="datetime64[ns]")
    index = pd.DatetimeIndex(clean.index)
    return pd.Series(index, index=index).groupby(index.year).last()


def _is_partial(year: int, end: pd.Timestamp) -> bool:
    """``end`` falls before the year's last business days (a year still running, or cut short)."""
    last_business_day = pd.Timestamp(year=year, month=12, day=31) - pd.offsets.BDay(0)
    return bool(end < last_business_day - pd.Timedelta(days=4))


def year_label(year: int, end: pd.Timestamp | None) -> str:
    """``"2026 (to 07-31)"`` for a year whose data ends early, else ``"2026"``."""
    if end is None or pd.isna(end) or not _is_partial(year, pd.Timestamp(end)):
        return str(year)
    return f"{year} (to {pd.Timestamp(end):%m-%d})"


def _drawdowns(
    ticker: str, simulated: pd.Series, actual: pd.Series, history: pd.DataFrame
) -> tuple[Drawdown, ...]:
    found: list[Drawdown | None] = []
    if len(actual) > 1:
        found.append(max_drawdown(actual, f"real {ticker} since inception"))
        same_days = simulated[simulated.index >= actual.index[0]]
        found.append(
            max_drawdown(same_days, f"simulated {ticker} since {ticker}'s inception", True)
        )
    spliced = history["level"] if "level" in history.columns else simulated
    found.append(
        max_drawdown(
            spliced,
            f"{ticker} whole history (simulated before {actual.index[0].date()})"
            if len(actual) > 1
            else f"simulated {ticker} whole history",
            True,
        )
    )
    return tuple(d for d in found if d is not None)


def _index_returns(inputs: FundInputs) -> tuple[pd.Series, str]:
    """ICE 20+ proxy: real TLT gross of its fee where it exists, the ladder before."""
    ladder = inputs.ladder().daily_return
    tlt = inputs.prices.get("TLT")
    if tlt is None or len(tlt) < 2:
        return ladder, "synthetic ladder (TreasuryLadder.tlt_like)"
    dates = pd.DatetimeIndex(tlt.index)
    days = dates.to_numpy(dtype="datetime64[D]").astype(np.int64)
    elapsed = np.diff(days, prepend=days[0]).astype(np.float64)
    gross = tlt.pct_change() + pd.Series(TLT_EXPENSE_RATIO * elapsed / 365.0, index=dates)
    first = dates[0]
    before = ladder[ladder.index <= first]
    # The ladder's return into TLT's first date links the two.
    joined: pd.Series = pd.concat([before, gross.iloc[1:]])
    return joined, f"synthetic ladder before {first.date()}, TLT gross of its 0.15% fee after"


def simulate_fund(name: str, inputs: FundInputs) -> FundSimulation:
    """Simulate ``name`` (a key of :data:`FUNDS`) over the whole history and compare.

    The result is cached on ``inputs``: later calls (``fund_return`` over many windows) are free.

    Examples
    --------
    >>> sim = simulate_fund("TMF", load_fund_inputs(store))  # doctest: +SKIP
    >>> round(sim.annual.loc[2022, "simulated"], 3)  # doctest: +SKIP
    -0.73
    """
    spec = get_fund(name)
    cached = inputs._cache.get(f"simulation:{spec.ticker}")
    if isinstance(cached, FundSimulation):
        return cached
    actual = inputs.prices.get(spec.ticker, pd.Series(dtype="float64"))
    cash = inputs.cash_rate
    in_sample: FitStatistics | None = None
    holdout: FitStatistics | None = None
    if spec.leverage == 1.0:
        index_returns = inputs.ladder().daily_return
        underlying = "synthetic ladder (TreasuryLadder.tlt_like)"
    else:
        index_returns, underlying = _index_returns(inputs)
    fund = LeveragedFund(spec.leverage, spec.expense_ratio)
    calibration: Calibration | None = None
    if spec.fit_end is not None and len(actual) > 60:
        calibration = calibrate(
            index_returns,
            cash,
            actual,
            spec.leverage,
            spec.expense_ratio,
            pd.Timestamp(spec.fit_end),
        )
        fund = calibration.fund
        in_sample, holdout = calibration.in_sample, calibration.holdout
    returns = fund.daily_returns(index_returns, cash)
    returns.iloc[0] = 0.0
    simulated = (1.0 + returns).cumprod().rename(spec.ticker)
    if calibration is None and len(actual) > 2:
        holdout = fit_statistics(simulated, actual)
    history = splice_history(returns, actual)
    sim_years = annual_returns(simulated)
    # The real fund's years run as far as its own prices (which can outlast the yields the
    # simulation needs); each year says where it ends, and a partial year is labelled so.
    act_years = annual_returns(actual, full_years_only=True) if len(actual) else pd.Series()
    years = sim_years.index.union(act_years.index)
    annual = pd.DataFrame({"simulated": sim_years.reindex(years)}, index=years)
    annual["actual"] = act_years.reindex(annual.index)
    annual["simulated_end"] = _last_dates(simulated).reindex(annual.index)
    annual["actual_end"] = _last_dates(actual).reindex(annual.index).where(annual["actual"].notna())
    ends = annual["actual_end"].fillna(annual["simulated_end"])
    annual["partial"] = [
        _is_partial(int(year), pd.Timestamp(end)) if pd.notna(end) else False
        for year, end in zip(annual.index, ends, strict=True)
    ]
    annual["label"] = [
        year_label(int(year), None if pd.isna(end) else pd.Timestamp(end))
        for year, end in zip(annual.index, ends, strict=True)
    ]
    flags = history["simulated"].groupby(pd.DatetimeIndex(history.index).year).any()
    annual["spliced_from_simulation"] = flags.reindex(annual.index, fill_value=True).astype(bool)
    annual.index.name = "year"
    simulation = FundSimulation(
        spec=spec,
        fund=fund,
        simulated=simulated,
        actual=actual,
        history=history,
        annual=annual,
        in_sample=in_sample,
        holdout=holdout,
        underlying=underlying,
        drawdowns=_drawdowns(spec.ticker, simulated, actual, history),
    )
    inputs._cache[f"simulation:{spec.ticker}"] = simulation
    return simulation


@dataclass(frozen=True)
class WindowReturn:
    """A fund's return over a window, and whether simulation supplied any of it.

    Attributes
    ----------
    value : float
        Total return, decimal.
    start, end : Timestamp
        The dates actually used (last trading day on or before those asked for).
    simulated : bool
        True if any part of the window predates the real fund.
    """

    value: float
    start: pd.Timestamp
    end: pd.Timestamp
    simulated: bool


def fund_return(name: str, inputs: FundInputs, start: date | str, end: date | str) -> WindowReturn:
    """Total return of TLT/TMF from the close of ``start`` to the close of ``end``.

    The real fund where it exists, its simulation before (spliced; flagged).

    Examples
    --------
    TLT from 2007-12-31 to 2014-12-31 (claim 7 of PILLARS.md):

    >>> fund_return("TLT", inputs, "2007-12-31", "2014-12-31").value  # doctest: +SKIP
    0.69...
    """
    history = simulate_fund(name, inputs).history
    levels = history["level"]
    value = window_return(levels, start, end)
    dates = pd.DatetimeIndex(levels.index)
    first = dates[int(dates.searchsorted(pd.Timestamp(start), side="right")) - 1]
    last = dates[int(dates.searchsorted(pd.Timestamp(end), side="right")) - 1]
    window = history.loc[first:last, "simulated"].iloc[1:]
    return WindowReturn(value, first, last, bool(window.any()))


def yield_change_between(
    inputs: FundInputs, start: date | str, end: date | str, maturity_years: float = 30.0
) -> float:
    """Change of the par yield at ``maturity_years`` (default the 30-year), decimal."""
    return yield_change(inputs.curve(), start, end, maturity_years)
