"""A TLT-like ladder of long Treasuries, simulated from par yields since 1962, pure.

TLT tracks the ICE U.S. Treasury 20+ Year Bond Index: fixed-rate Treasuries with more than 20
years to maturity, market-value weighted, rebalanced at each month end into newly eligible
bonds (``../shared/samples/SOURCES.md`` §8.1). We have no bond-level history, so the ladder
simulates the issuance:

* **Bonds.** A hypothetical 30-year bond is issued at par on the 15th of each issuance month,
  with a coupon equal to the 30-year par yield of that day (:class:`~bondthesis.bonds.curve.
  ParCurve`; before 1962 the monthly GS averages), floored at Treasury's minimum coupon of 1/8%.
  Its maturity date is the issue date plus 30 years; remaining maturities are counted in years
  of 365.25 days.
* **Face issued.** Given the Treasury's auction record (``issued_face`` of
  :meth:`TreasuryLadder.run`, from :func:`long_bond_issuance`), each month issues the face of
  the long bonds actually auctioned that month, reopenings included (1979-2026 in the
  snapshot; it grew from $8bn a year in 1980 to $276bn in 2025, which lengthens the ladder).
  Outside that record, or without it, the **issuance calendar** of the 30-year is used
  (``issuance="historical"``): quarterly (Feb, May, Aug, Nov) through 1993-08; semiannual (Feb,
  Aug) 1993-09 .. 2001-08; none 2001-09 .. 2006-01 (the 30-year was suspended); semiannual
  2006-02 .. 2007-12; quarterly 2008; monthly (new issues and reopenings) from 2009; before
  1977 quarterly as well. ``issuance="monthly"`` issues every month. Each calendar year brings
  the same face, split evenly over its auctions, times ``exp(face_growth_per_year * years
  since 2000)``, scaled to the record's mean monthly face of its nearest five years.
  Measured against TLT 2003-2025 (mean |annual difference|): auction record 0.47pp,
  calendar with equal yearly face 0.72pp, every month equal 0.85pp.
* **Membership and weights.** At each month end (the last priced day of the month) the
  ladder holds every issued bond with more than ``min_years_to_maturity`` (20) years left, in
  proportion to its face: market-value weights, as in the index. Bonds that fall to 20 years
  or below during a month are kept until the month end and then sold (the roll); bonds issued
  during a month join at its end.
* **Pricing.** Every day every held bond is priced at the par yield of its remaining maturity
  (linear in maturity between the 20 and 30-year nodes), dirty, through
  :func:`bondthesis.bonds.pricing.dirty_price_from_years` (semiannual street convention).
  Coupons are paid when a bond's number of remaining coupons falls.
* **Return.** ``r[t] = Σ face·(dirty[t] + coupon cash[t]) / Σ face·dirty[t-1] - 1`` over the
  bonds held on day ``t``; the index compounds these daily returns from 1.0 and is gross of
  fees. :meth:`LadderHistory.net_of_fee` takes a fund's expense ratio off by calendar day.

CMT yields are par yields of on-the-run bonds while TLT holds off-the-run bonds; nothing here
corrects for that (no per-year fudge factor): the only choices are the structural ones above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from bondthesis._typing import FloatArray, IntArray
from bondthesis.bonds.curve import ParCurve, interpolate_par_yield
from bondthesis.bonds.issuance import (
    DAYS_PER_YEAR,
    Issuance,
    issuance_face,
    long_bond_issuance,
    splice_issued_face,
)
from bondthesis.bonds.pricing import dirty_price_from_years
from bondthesis.funds.terms import TLT_EXPENSE_RATIO

__all__ = [
    "DAYS_PER_YEAR",
    "TLT_EXPENSE_RATIO",
    "LadderHistory",
    "TreasuryLadder",
    "issuance_face",
    "long_bond_issuance",
    "tlt_return",
    "window_return",
    "yield_change",
]

MINIMUM_COUPON = 0.00125  # Treasury's smallest coupon, 1/8 of a percent (31 CFR 356)
DateLike = date | str | pd.Timestamp

_WHOLE = 1e-9  # periods this close to a whole number count as whole (as the pricing module)


def _remaining_coupons(years: FloatArray, frequency: int) -> FloatArray:
    periods = years * frequency
    whole = np.round(periods)
    periods = np.where(np.abs(periods - whole) <= _WHOLE, whole, periods)
    return np.maximum(np.ceil(periods), 1.0)


@dataclass(frozen=True)
class _Bonds:
    issue_day: IntArray  # days since 1970-01-01
    maturity_day: IntArray
    coupon: FloatArray
    face: FloatArray


@dataclass(frozen=True)
class TreasuryLadder:
    """The rules of a ladder of Treasuries (see the module docstring).

    Parameters
    ----------
    min_years_to_maturity : float, default 20.0
        Bonds with this many years left or fewer leave at the next month end.
    issue_term_years : int, default 30
        Original maturity of the simulated issues.
    issuance : {"historical", "monthly"}, default "historical"
    face_growth_per_year : float, default 0.0
    frequency : int, default 2
        Coupons a year.
    """

    min_years_to_maturity: float = 20.0
    issue_term_years: int = 30
    issuance: Issuance = "historical"
    face_growth_per_year: float = 0.0
    frequency: int = 2

    @classmethod
    def tlt_like(cls) -> TreasuryLadder:
        """The ladder of the ICE U.S. Treasury 20+ Year Bond Index, TLT's index."""
        return cls()

    def _bonds(
        self,
        curve: ParCurve,
        first_month: pd.Timestamp,
        last: pd.Timestamp,
        issued_face: pd.Series | None,
    ) -> _Bonds:
        months = pd.date_range(first_month, last, freq="MS") + pd.Timedelta(days=14)
        face = issuance_face(months, self.issuance, self.face_growth_per_year)
        if issued_face is not None:
            face = splice_issued_face(months, face, issued_face)
        # The coupon is the 30-year par yield on the issue day (the last curve row on or before
        # it; the first row for issues older than the curve).
        rows = np.clip(curve.dates.searchsorted(months, side="right") - 1, 0, None)
        coupon = np.maximum(curve.yields[rows, 2], MINIMUM_COUPON)
        maturity = months + pd.DateOffset(years=self.issue_term_years)
        return _Bonds(
            issue_day=_days(months),
            maturity_day=_days(pd.DatetimeIndex(maturity)),
            coupon=coupon,
            face=face,
        )

    def run(self, curve: ParCurve, issued_face: pd.Series | None = None) -> LadderHistory:
        """Simulate the ladder on every daily date of ``curve``.

        Parameters
        ----------
        curve : ParCurve
        issued_face : Series of float, optional
            Face amount of long bonds actually issued in each month (any units; see
            :func:`long_bond_issuance`), indexed by any day of the month. Inside its date range
            it replaces the issuance calendar; outside it the calendar is scaled to the mean
            monthly amount of its nearest five years.

        Returns
        -------
        LadderHistory
            The total-return index (1.0 on the first daily date) and what is needed to
            inspect the holdings on any date.

        Examples
        --------
        >>> history = TreasuryLadder.tlt_like().run(curve)  # doctest: +SKIP
        >>> history.effective_duration("2025-12-31")  # doctest: +SKIP
        15.8
        """
        if self.min_years_to_maturity >= self.issue_term_years:
            raise ValueError("min_years_to_maturity must be below issue_term_years")
        daily = np.flatnonzero(~curve.monthly)
        if len(daily) < 2:
            raise ValueError("the curve needs at least two daily dates to price a ladder")
        dates = curve.dates[daily]
        span_months = int(np.ceil((self.issue_term_years - self.min_years_to_maturity) * 12)) + 2
        first_month = (dates[0] - pd.DateOffset(months=span_months)).replace(day=1)
        bonds = self._bonds(curve, pd.Timestamp(first_month), dates[-1], issued_face)
        first_month_number = _month_number(pd.DatetimeIndex([first_month]))[0]

        day = _days(dates)
        month_number = _month_number(dates)
        # The rebalance day of each date: the last priced day of the previous month (the first
        # day itself for the first month, which has no earlier day).
        starts = np.flatnonzero(np.diff(month_number, prepend=month_number[0] - 1))
        rebalance_of_start = day[np.maximum(starts - 1, 0)]
        rebalance_day = np.repeat(rebalance_of_start, np.diff(np.append(starts, len(day))))

        offsets = np.arange(span_months)
        bond = (month_number - first_month_number)[:, None] - offsets[None, :]
        valid = bond >= 0
        bond = np.where(valid, bond, 0)
        held = (
            valid
            & (bonds.issue_day[bond] <= rebalance_day[:, None])
            & (
                (bonds.maturity_day[bond] - rebalance_day[:, None]) / DAYS_PER_YEAR
                > self.min_years_to_maturity
            )
            & (bonds.face[bond] > 0.0)
        )
        face = np.where(held, bonds.face[bond], 0.0)
        coupon = bonds.coupon[bond]
        years_now = np.where(held, (bonds.maturity_day[bond] - day[:, None]) / DAYS_PER_YEAR, 25.0)
        years_before = np.empty_like(years_now)
        years_before[1:] = np.where(
            held[1:], (bonds.maturity_day[bond[1:]] - day[:-1, None]) / DAYS_PER_YEAR, 25.0
        )
        years_before[0] = years_now[0]
        nodes = curve.yields[daily]
        nodes_before = np.vstack([nodes[:1], nodes[:-1]])
        price_now = dirty_price_from_years(
            coupon, years_now, interpolate_par_yield(nodes, years_now), self.frequency
        )
        price_before = dirty_price_from_years(
            coupon, years_before, interpolate_par_yield(nodes_before, years_before), self.frequency
        )
        paid = _remaining_coupons(years_before, self.frequency) - _remaining_coupons(
            years_now, self.frequency
        )
        cash = 100.0 * coupon / self.frequency * paid
        value_now = (face * (price_now + cash)).sum(axis=1)
        value_before = (face * price_before).sum(axis=1)
        if (value_before[1:] <= 0.0).any():
            raise ValueError(
                "the ladder holds no bond on some dates; the curve must start at least "
                f"{self.issue_term_years - self.min_years_to_maturity:g} years after issuance "
                "begins, or use issuance='monthly'"
            )
        daily_return = np.zeros(len(day))
        daily_return[1:] = value_now[1:] / value_before[1:] - 1.0
        index = pd.Series(np.cumprod(1.0 + daily_return), index=dates, name="ladder")
        return LadderHistory(
            ladder=self,
            curve=curve,
            index=index,
            daily_return=pd.Series(daily_return, index=dates, name="ladder_return"),
            _bonds=bonds,
        )


@dataclass(frozen=True)
class LadderHistory:
    """A simulated ladder: its total-return index and its holdings on any date.

    Attributes
    ----------
    ladder : TreasuryLadder
        The rules that produced it.
    curve : ParCurve
    index : Series of float
        Total-return index, 1.0 on the first daily date, gross of any fee.
    daily_return : Series of float
        Decimal daily returns (0.0 on the first date).
    """

    ladder: TreasuryLadder
    curve: ParCurve
    index: pd.Series
    daily_return: pd.Series
    _bonds: _Bonds = field(repr=False)

    def net_of_fee(self, expense_ratio: float) -> pd.Series:
        """The index after a fund's expense ratio, accrued by calendar day (ACT/365).

        ``expense_ratio`` is a decimal a year (TLT: 0.0015).
        """
        dates = pd.DatetimeIndex(self.index.index)
        elapsed = np.diff(_days(dates), prepend=_days(dates)[0]).astype(np.float64)
        returns = self.daily_return.to_numpy() - expense_ratio * elapsed / 365.0
        return pd.Series(np.cumprod(1.0 + returns), index=dates, name=self.index.name)

    def _row(self, on: DateLike) -> int:
        dates = pd.DatetimeIndex(self.index.index)
        position = int(dates.searchsorted(pd.Timestamp(on), side="right")) - 1
        if position < 0:
            raise ValueError(f"{on} is before the ladder's first date {dates[0].date()}")
        return position

    def holdings(self, on: DateLike) -> pd.DataFrame:
        """The bonds held at the close of ``on`` (or the last priced day before it).

        These are the bonds eligible at the *next* month end if ``on`` is a month end (the
        ladder after its rebalance), else those chosen at the previous month end.

        Returns
        -------
        DataFrame
            One row per bond: ``issue_date``, ``maturity_date``, ``coupon`` (decimal),
            ``face``, ``years_to_maturity``, ``ytm`` (decimal), ``dirty_price`` (per 100),
            ``weight`` (market value share, sums to 1).
        """
        row = self._row(on)
        dates = pd.DatetimeIndex(self.index.index)
        today = int(_days(dates[row : row + 1])[0])
        is_month_end = row == len(dates) - 1 or dates[row + 1].month != dates[row].month
        rebalance = (
            today
            if is_month_end
            else int(_days(dates[: row + 1])[_last_of_prior_month(dates, row)])
        )
        bonds = self._bonds
        remaining_at_rebalance = (bonds.maturity_day - rebalance) / DAYS_PER_YEAR
        held = (
            (bonds.issue_day <= rebalance)
            & (remaining_at_rebalance > self.ladder.min_years_to_maturity)
            & (bonds.face > 0.0)
        )
        years = (bonds.maturity_day[held] - today) / DAYS_PER_YEAR
        curve_row = int(self.curve.dates.searchsorted(dates[row], side="right")) - 1
        nodes = np.repeat(self.curve.yields[curve_row : curve_row + 1], len(years), axis=0)
        ytm = interpolate_par_yield(nodes, years)
        coupon = bonds.coupon[held]
        price = dirty_price_from_years(coupon, years, ytm, self.ladder.frequency)
        value = bonds.face[held] * price
        return pd.DataFrame(
            {
                "issue_date": _dates(bonds.issue_day[held]),
                "maturity_date": _dates(bonds.maturity_day[held]),
                "coupon": coupon,
                "face": bonds.face[held],
                "years_to_maturity": years,
                "ytm": ytm,
                "dirty_price": price,
                "weight": value / value.sum(),
            }
        )

    def ladder_yield(self, on: DateLike) -> float:
        """Market-value-weighted yield to maturity of the holdings on ``on``, decimal.

        Examples
        --------
        >>> history.ladder_yield("2025-12-31")  # doctest: +SKIP
        0.0478
        """
        frame = self.holdings(on)
        return float((frame["weight"] * frame["ytm"]).sum())

    def _shifted_value(self, on: DateLike, shift: float) -> float:
        frame = self.holdings(on)
        price = dirty_price_from_years(
            frame["coupon"].to_numpy(),
            frame["years_to_maturity"].to_numpy(),
            frame["ytm"].to_numpy() + shift,
            self.ladder.frequency,
        )
        return float((frame["face"].to_numpy() * price).sum())

    def effective_duration(self, on: DateLike, shift: float = 0.001) -> float:
        """Effective duration in years: the value's change for a parallel curve shift.

        ``(V(-shift) - V(+shift)) / (2 V shift)`` with every bond repriced at its yield
        ± ``shift`` (decimal; 10bp by default). A duration of 16 means a 1bp parallel rise
        costs about 0.16% of the ladder's value.
        """
        _check_shift(shift)
        base = self._shifted_value(on, 0.0)
        return (self._shifted_value(on, -shift) - self._shifted_value(on, shift)) / (
            2.0 * base * shift
        )

    def effective_convexity(self, on: DateLike, shift: float = 0.001) -> float:
        """Effective convexity in years squared: ``(V(-h) + V(+h) - 2V) / (V h²)``.

        A convexity of 350 adds about ½·350·0.01² = 1.75% to the return of a 100bp move.
        """
        _check_shift(shift)
        base = self._shifted_value(on, 0.0)
        up, down = self._shifted_value(on, shift), self._shifted_value(on, -shift)
        return (up + down - 2.0 * base) / (base * shift * shift)

    def total_return(self, start: DateLike, end: DateLike, expense_ratio: float = 0.0) -> float:
        """Total return (decimal) from the close of ``start`` to the close of ``end``.

        Dates fall back to the last priced day on or before them.
        """
        levels = self.index if expense_ratio == 0.0 else self.net_of_fee(expense_ratio)
        return window_return(levels, start, end)


def window_return(levels: pd.Series, start: DateLike, end: DateLike) -> float:
    """``levels[end] / levels[start] - 1`` with each date taken as the last one on or before it.

    Parameters
    ----------
    levels : Series of float indexed by ascending dates
        A total-return index (or adjusted closes).
    start, end : date-like

    Examples
    --------
    >>> s = pd.Series([100.0, 110.0, 99.0], pd.to_datetime(["2020-01-02", "2020-06-30",
    ...               "2020-12-31"]))
    >>> round(window_return(s, "2020-01-05", "2020-12-31"), 4)
    -0.01
    """
    start_at, end_at = pd.Timestamp(start), pd.Timestamp(end)
    if end_at < start_at:
        raise ValueError(f"end {end_at.date()} is before start {start_at.date()}; swap them")
    clean = levels.dropna()
    index = pd.DatetimeIndex(clean.index)
    first = int(index.searchsorted(start_at, side="right")) - 1
    last = int(index.searchsorted(end_at, side="right")) - 1
    if first < 0:
        raise ValueError(
            f"{start_at.date()} is before the series starts ({index[0].date()}); pick a later start"
        )
    return float(clean.iloc[last] / clean.iloc[first] - 1.0)


def tlt_return(
    history: LadderHistory,
    start: DateLike,
    end: DateLike,
    expense_ratio: float = TLT_EXPENSE_RATIO,
) -> float:
    """The synthetic TLT's total return (decimal) from ``start`` to ``end``, after its fee.

    For the real fund where it exists, :func:`bondthesis.funds.history.fund_return` splices both.
    """
    return history.total_return(start, end, expense_ratio)


def yield_change(
    curve: ParCurve, start: DateLike, end: DateLike, maturity_years: float = 30.0
) -> float:
    """Change of the par yield at ``maturity_years`` from ``start`` to ``end``, decimal.

    Examples
    --------
    The 30-year from 2.4% to 1.2% is ``-0.012``.
    """
    rows = curve.dates.searchsorted(pd.DatetimeIndex([start, end]), side="right") - 1
    if rows[0] < 0:
        raise ValueError(f"{start} is before the curve starts ({curve.dates[0].date()})")
    values = interpolate_par_yield(curve.yields[rows], np.full(2, maturity_years))
    return float(values[1] - values[0])


def _check_shift(shift: float) -> None:
    if not 0.0 < shift < 0.05:
        raise ValueError(f"shift is a decimal yield bump, e.g. 0.001 for 10bp; got {shift}")


def _days(dates: pd.DatetimeIndex) -> IntArray:
    return dates.to_numpy(dtype="datetime64[D]").astype(np.int64)


def _dates(days: IntArray) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(days.astype("datetime64[D]"))


def _month_number(dates: pd.DatetimeIndex) -> IntArray:
    numbers = dates.year.to_numpy() * 12 + dates.month.to_numpy() - 1
    return np.asarray(numbers, dtype=np.int64)


def _last_of_prior_month(dates: pd.DatetimeIndex, row: int) -> int:
    month = dates[row].year * 12 + dates[row].month
    position = row
    while position > 0 and dates[position].year * 12 + dates[position].month == month:
        position -= 1
    return position
