"""Out-of-sample skill of a signal for a forward return: rank correlation, walk-forward, intervals.

A pillar's *skill* is the Spearman rank correlation between its point-in-time signal at month end
``t`` and the bonds-minus-stocks total return over the 12 months after ``t``. Three things keep it
honest:

* **Point in time.** The predictor is the signal's percentile within its own history *up to t*
  (:func:`expanding_percentile`): what a reader at ``t`` could have seen. A trending series
  (interest over GDP has risen for decades) is not ranked against values it could not have known.
* **Walk forward.** The skill used on month ``T`` is estimated only from pairs whose 12-month
  outcome was complete by ``T`` (``t <= T - 12 months``): an expanding window
  (:func:`walk_forward_skill`). Nothing after ``T`` enters, by construction.
* **Overlap.** Consecutive 12-month windows share 11 months, so ``N`` monthly pairs carry about
  ``N / 12`` independent observations (``effective_n``). The standard error is the larger of a
  Newey-West (Bartlett kernel, 18 lags = 1.5 x the horizon) error of the correlation's influence
  function and Bartlett's (1935) error of the correlation of two autocorrelated series under the
  null (``sum_k w_k rho_x(k) rho_y(k) / N``, lags to ``N / 5``). HAC alone is too narrow for
  persistent signals: on AR(0.95) noise against overlapping 12-month returns it rejected a true
  zero 20% of the time at the 95% level (a 40-seed simulation run while building this module);
  with the Bartlett floor, 7.5%.
  The final estimate also gets a moving-block bootstrap interval (24-month blocks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from bondthesis.data.cache import cached_result

__all__ = [
    "HAC_LAGS",
    "HORIZON_MONTHS",
    "MIN_PAIRS",
    "Z_CRITICAL",
    "SkillEstimate",
    "average_ranks",
    "block_bootstrap_interval",
    "expanding_percentile",
    "rank_correlation",
    "walk_forward_skill",
]

HORIZON_MONTHS = 12
MIN_PAIRS = 60  # five non-overlapping years of completed outcomes before a skill is estimated
HAC_LAGS = 18  # 1.5 x the 12-month overlap
Z_CRITICAL = 1.96  # two-sided 95%: a skill counts only when its interval excludes zero
MIN_HISTORY_MONTHS = 36  # a percentile needs three years of the signal's own history


@dataclass(frozen=True)
class SkillEstimate:
    """A rank correlation with its sample size and intervals.

    Parameters
    ----------
    rank_correlation : float
        Spearman correlation, oriented so that positive means "the thesis signal predicted bonds
        beating stocks".
    n_pairs : int
        Monthly (signal, forward return) pairs used.
    effective_n : float
        ``n_pairs / horizon_months``: the number of non-overlapping 12-month windows.
    standard_error : float
        Newey-West standard error.
    low, high : float
        95% HAC interval, clipped to [-1, 1].
    bootstrap_low, bootstrap_high : float or None
        95% moving-block bootstrap interval (percentile method), when computed.
    first, last : date or None
        First and last month ``t`` of the pairs.
    """

    rank_correlation: float
    n_pairs: int
    effective_n: float
    standard_error: float
    low: float
    high: float
    bootstrap_low: float | None = None
    bootstrap_high: float | None = None
    first: date | None = None
    last: date | None = None

    @property
    def distinguishable_from_zero(self) -> bool:
        """True when the HAC interval excludes zero."""
        return self.low > 0.0 or self.high < 0.0


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n with ties given their average rank (scipy's ``rankdata``, faster here).

    >>> average_ranks(np.array([10.0, 30.0, 20.0, 20.0])).tolist()
    [1.0, 4.0, 2.5, 2.5]
    """
    array = np.asarray(values, dtype="float64")
    order = np.argsort(array, kind="mergesort")
    ordered = array[order]
    starts_group = np.r_[True, ordered[1:] != ordered[:-1]]
    group = np.cumsum(starts_group) - 1
    counts = np.bincount(group)
    first = np.flatnonzero(starts_group)
    average = first + (counts - 1) / 2.0 + 1.0
    ranks = np.empty(len(array), dtype="float64")
    ranks[order] = average[group]
    return ranks


def _standardised_ranks(values: np.ndarray) -> np.ndarray:
    ranks = average_ranks(values)
    centred = ranks - ranks.mean()
    scale = float(centred.std())
    out: np.ndarray = centred / scale if scale > 0 else centred * 0.0
    return out


def _long_run_variance(values: np.ndarray, lags: int) -> float:
    centred = values - values.mean()
    n = len(centred)
    total = float(centred @ centred) / n
    for k in range(1, min(lags, n - 1) + 1):
        weight = 1.0 - k / (lags + 1.0)
        total += 2.0 * weight * float(centred[k:] @ centred[:-k]) / n
    return max(total, 0.0)


def _autocorrelations(values: np.ndarray, max_lag: int) -> np.ndarray:
    centred = values - values.mean()
    full = np.correlate(centred, centred, mode="full")[len(centred) - 1 :]
    denominator = full[0] if full[0] > 0 else 1.0
    out: np.ndarray = full[: max_lag + 1] / denominator
    return out


def _bartlett_null_variance(a: np.ndarray, b: np.ndarray, max_lag: int) -> float:
    lags = min(max_lag, len(a) - 1)
    weights = 1.0 - np.arange(lags + 1) / (lags + 1.0)
    products = weights * _autocorrelations(a, lags) * _autocorrelations(b, lags)
    return max(1.0, 1.0 + 2.0 * float(products[1:].sum())) / len(a)


def rank_correlation(
    signal: np.ndarray,
    outcome: np.ndarray,
    *,
    horizon_months: int = HORIZON_MONTHS,
    hac_lags: int = HAC_LAGS,
) -> SkillEstimate:
    """Spearman correlation of two aligned arrays with a Newey-West interval.

    The correlation of standardised ranks ``a, b`` is ``r = mean(a b)``; its influence function
    ``a b - r (a^2 + b^2) / 2`` has a long-run variance (Bartlett kernel, ``hac_lags`` lags) that
    gives ``se = sqrt(lrv / n)``. With independent pairs this is close to the textbook
    ``1 / sqrt(n)``; with overlapping 12-month outcomes it is about ``sqrt(12)`` times wider.
    Unless ``hac_lags`` is 0 (independent pairs), the error is floored at Bartlett's null error
    for two autocorrelated series (module docstring).

    Parameters
    ----------
    signal, outcome : ndarray of shape (n,)
        Aligned, no NaN.

    Examples
    --------
    >>> est = rank_correlation(np.arange(10.0), np.arange(10.0), hac_lags=0)
    >>> round(est.rank_correlation, 6), est.n_pairs
    (1.0, 10)
    """
    x = np.asarray(signal, dtype="float64")
    y = np.asarray(outcome, dtype="float64")
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError("signal and outcome must be 1-d arrays of the same length")
    n = len(x)
    if n < 3:
        raise ValueError(f"need at least 3 pairs for a rank correlation, got {n}")
    a, b = _standardised_ranks(x), _standardised_ranks(y)
    r = float(np.mean(a * b))
    influence = a * b - r * (a * a + b * b) / 2.0
    hac_variance = _long_run_variance(influence, hac_lags) / n
    null_variance = _bartlett_null_variance(a, b, max(2 * horizon_months, n // 5))
    se = float(np.sqrt(max(hac_variance, null_variance if hac_lags > 0 else 0.0)))
    return SkillEstimate(
        rank_correlation=r,
        n_pairs=n,
        effective_n=n / horizon_months,
        standard_error=se,
        low=max(-1.0, r - Z_CRITICAL * se),
        high=min(1.0, r + Z_CRITICAL * se),
    )


def block_bootstrap_interval(
    signal: np.ndarray,
    outcome: np.ndarray,
    *,
    block_months: int = 2 * HORIZON_MONTHS,
    n_resamples: int = 500,
    seed: int | np.random.Generator = 20260131,
) -> tuple[float, float]:
    """95% moving-block bootstrap interval of the Spearman correlation (percentile method).

    Blocks of ``block_months`` consecutive pairs are drawn with replacement until ``n`` pairs are
    collected, keeping the overlap structure inside each block.
    """
    x = np.asarray(signal, dtype="float64")
    y = np.asarray(outcome, dtype="float64")
    n = len(x)
    if n < 3:
        raise ValueError(f"need at least 3 pairs for a bootstrap, got {n}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    block = max(1, min(block_months, n))
    n_blocks = int(np.ceil(n / block))
    starts = rng.integers(0, n - block + 1, size=(n_resamples, n_blocks))
    index = (starts[:, :, None] + np.arange(block)[None, None, :]).reshape(n_resamples, -1)[:, :n]
    xs = np.vstack([average_ranks(row) for row in x[index]])
    ys = np.vstack([average_ranks(row) for row in y[index]])
    xs -= xs.mean(axis=1, keepdims=True)
    ys -= ys.mean(axis=1, keepdims=True)
    denominator = np.sqrt((xs * xs).sum(axis=1) * (ys * ys).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        draws = (xs * ys).sum(axis=1) / denominator
    draws = draws[np.isfinite(draws)]
    if draws.size == 0:
        return (float("nan"), float("nan"))
    return (float(np.quantile(draws, 0.025)), float(np.quantile(draws, 0.975)))


def expanding_percentile(series: pd.Series, min_history: int = MIN_HISTORY_MONTHS) -> pd.Series:
    """Each value's percentile (0-1) among the values up to and including it.

    Ties count half. The first ``min_history - 1`` values are NaN (too little history to rank).

    Examples
    --------
    >>> expanding_percentile(pd.Series([1.0, 3.0, 2.0]), min_history=1).round(3).tolist()
    [0.5, 0.75, 0.5]
    """
    clean = series.dropna()
    values = clean.to_numpy(dtype="float64")
    out = np.full(len(values), np.nan)
    for i in range(len(values)):
        if i + 1 < min_history:
            continue
        window = values[: i + 1]
        below = np.count_nonzero(window < values[i])
        equal = np.count_nonzero(window == values[i])
        out[i] = (below + 0.5 * equal) / (i + 1)
    return pd.Series(out, index=clean.index, name=series.name).reindex(series.index)


def walk_forward_skill(
    predictor: pd.Series,
    forward_return: pd.Series,
    *,
    horizon_months: int = HORIZON_MONTHS,
    min_pairs: int = MIN_PAIRS,
    hac_lags: int = HAC_LAGS,
    end: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The skill a reader could have estimated at each month end ``T``.

    Uses the pairs ``(predictor[t], forward_return[t])`` with ``t <= T - horizon_months``: their
    outcome was complete by ``T``. Both inputs are indexed by month end and point in time.

    Returns
    -------
    DataFrame indexed by month end ``T`` (every month end from the first pair to the last month of
    ``predictor``, or ``end`` when later) with columns ``rank_correlation``, ``low``, ``high``,
    ``n_pairs`` and ``weight``: the correlation where its interval lies above zero, else 0 (a
    skill not distinguishable from zero, or of the wrong sign, gets no weight). NaN before
    ``min_pairs`` pairs exist. Cached by the content of both series and the arguments
    (:mod:`bondthesis.data.cache`): a pillar whose data did not change is not recomputed.
    """
    return cached_result(
        "walk_forward_skill",
        (predictor, forward_return, horizon_months, min_pairs, hac_lags, end),
        lambda: _walk_forward_skill(
            predictor,
            forward_return,
            horizon_months=horizon_months,
            min_pairs=min_pairs,
            hac_lags=hac_lags,
            end=end,
        ),
    )


def _walk_forward_skill(
    predictor: pd.Series,
    forward_return: pd.Series,
    *,
    horizon_months: int,
    min_pairs: int,
    hac_lags: int,
    end: pd.Timestamp | None,
) -> pd.DataFrame:
    """:func:`walk_forward_skill` computed (the result cache calls this on a miss)."""
    pairs = pd.concat(
        [predictor.rename("x"), forward_return.rename("y")], axis=1, join="inner", sort=True
    ).dropna()
    columns = ["rank_correlation", "low", "high", "n_pairs", "weight"]
    if pairs.empty:
        return pd.DataFrame(
            columns=columns, dtype="float64", index=pd.DatetimeIndex([], name="date")
        )
    last = max(predictor.dropna().index.max(), pairs.index.max())
    if end is not None:
        last = max(last, end)
    months = pd.date_range(pairs.index.min(), last, freq="ME")
    # Pairs usable at T: those with t <= T - h, i.e. a prefix of the (sorted) pairs.
    cutoffs = months - pd.offsets.MonthEnd(horizon_months)
    usable = np.searchsorted(pairs.index.to_numpy(), cutoffs.to_numpy(), side="right")
    cache: dict[int, tuple[float, float, float]] = {}
    x = pairs["x"].to_numpy()
    y = pairs["y"].to_numpy()
    rows = []
    for n in usable:
        if n < min_pairs:
            rows.append((np.nan, np.nan, np.nan, float(n), np.nan))
            continue
        if n not in cache:
            est = rank_correlation(x[:n], y[:n], horizon_months=horizon_months, hac_lags=hac_lags)
            cache[n] = (est.rank_correlation, est.low, est.high)
        r, low, high = cache[n]
        rows.append((r, low, high, float(n), r if low > 0.0 else 0.0))
    return pd.DataFrame(rows, index=pd.DatetimeIndex(months, name="date"), columns=columns)
