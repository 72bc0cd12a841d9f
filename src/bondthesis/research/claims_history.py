"""The claims about past episodes (2, 7, 8): gold surges, TLT in 2008-2014 and in 2020 (pure).

Return claims use TLT's adjusted close (dividends reinvested: a total-return index) where it
exists; yields are the 30-year constant-maturity series (DGS30, percent).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bondthesis.research.claims_rules import (
    Claim,
    ClaimVerdict,
    combine,
    grade,
    pct,
    when_max,
    when_min,
)

__all__ = [
    "GOLD_SURGE",
    "GOLD_WINDOW_MONTHS",
    "OUTCOME_MONTHS",
    "gold_surge_claim",
    "gold_surge_episodes",
    "tlt_2008_2014_claim",
    "tlt_2020_claim",
]

GOLD_SURGE = 2.0  # +200% from the trailing low
GOLD_WINDOW_MONTHS = 60  # trailing five years
OUTCOME_MONTHS = 24  # what followed within two years
FREE_GOLD_FROM = pd.Timestamp("1968-04-01")  # the London Gold Pool ended in March 1968


def _on_or_before(series: pd.Series, day: pd.Timestamp) -> tuple[pd.Timestamp, float] | None:
    head = series[series.index <= day].dropna()
    if head.empty:
        return None
    return pd.Timestamp(head.index[-1]), float(head.iloc[-1])


def gold_surge_episodes(gold: pd.Series) -> list[pd.Timestamp]:
    """Months where gold first stood 200%+ above its trailing 5-year low.

    A new episode needs 24 months without the condition before it (de-clustering). Gold before
    April 1968 is skipped: it was fixed at $35.

    Parameters
    ----------
    gold : Series of USD/oz, monthly, dated at the month's first day
    """
    free = gold[gold.index >= FREE_GOLD_FROM].dropna()
    trailing_low = free.rolling(GOLD_WINDOW_MONTHS, min_periods=24).min()
    rise = free / trailing_low - 1.0
    episodes: list[pd.Timestamp] = []
    last_on: pd.Timestamp | None = None
    for day, value in rise.items():
        stamp = pd.Timestamp(str(day))
        if not np.isfinite(value) or value < GOLD_SURGE:
            continue
        if last_on is None or stamp > last_on + pd.DateOffset(months=OUTCOME_MONTHS):
            episodes.append(stamp)
        last_on = stamp
    return episodes


def gold_surge_claim(gold: pd.Series, recession: pd.Series, cpi: pd.Series, text: str) -> Claim:
    """Claim 2: after each surge, a recession (NBER) and lower CPI inflation within 24 months?"""
    rule = (
        "per completed episode (24 months of follow-up): recession = an NBER recession month in "
        "the 24 months; disinflation = CPI YoY 24 months later below its level at the surge. "
        "holds: 2/3+ of episodes show both; partly: 2/3+ show at least one; else does not hold"
    )
    reproduce = "bondthesis pillar gold  (or: bondthesis series GOLD_MONTHLY USREC CPIAUCSL)"
    if gold.dropna().empty or recession.dropna().empty or cpi.dropna().empty:
        return Claim(
            2, text, "—", None, ClaimVerdict.NO_DATA, "gold, USREC or CPI missing", reproduce, rule
        )
    inflation = (cpi / cpi.shift(12, freq="MS") - 1.0).dropna()
    episodes = gold_surge_episodes(gold)
    rows: list[str] = []
    both = either = complete = 0
    pending: list[str] = []
    for start in episodes:
        end = start + pd.DateOffset(months=OUTCOME_MONTHS)
        later = _on_or_before(inflation, end)
        now = _on_or_before(inflation, start)
        if recession.index.max() < end or later is None or later[0] < end or now is None:
            pending.append(f"{start:%Y-%m}")
            continue
        complete += 1
        window = recession[(recession.index >= start) & (recession.index <= end)]
        had_recession = bool((window > 0.5).any())
        disinflation = later[1] < now[1]
        both += had_recession and disinflation
        either += had_recession or disinflation
        rows.append(
            f"{start:%Y-%m}: {'recession' if had_recession else 'no recession'}, CPI "
            f"{pct(now[1], 1)}→{pct(later[1], 1)}"
        )
    pending_text = f"; pending: {', '.join(pending)}" if pending else ""
    if complete < 2:
        return Claim(
            2,
            text,
            f"{complete} completed episode(s){pending_text}",
            None,
            ClaimVerdict.NO_DATA,
            "Fewer than two completed +200% gold surges: nothing to generalise from.",
            reproduce,
            rule,
        )
    if both >= 2 * complete / 3:
        verdict = ClaimVerdict.HOLDS
    elif either >= 2 * complete / 3:
        verdict = ClaimVerdict.PARTLY
    else:
        verdict = ClaimVerdict.DOES_NOT_HOLD
    last = episodes[-1] if episodes else None
    return Claim(
        2,
        text,
        f"{both} of {complete} surges followed by both, {either} by at least one "
        f"({'; '.join(rows)}){pending_text}",
        None if last is None else last.date(),
        verdict,
        f"Gold first stood 200%+ above its 5-year low in {', '.join(r[:7] for r in rows)}; "
        f"{both} of those {complete} were followed within two years by both an NBER recession "
        "and falling CPI inflation.",
        reproduce,
        rule,
        {"episodes": float(complete), "both": float(both), "either": float(either)},
    )


def tlt_2008_2014_claim(tlt: pd.Series, dgs30: pd.Series, text: str) -> Claim:
    """Claim 7: the 30-year's fall and TLT's total return over calendar 2008-2014."""
    rule = (
        "30y at the start: holds 4.2-4.8%, partly 3.6-5.4%; 30y low in 2008-2014: holds 1.9-2.5%, "
        "partly 1.3-3.1%; TLT total return 2008-2014: holds +55% to +85%, partly +20% to +120%; "
        "combined"
    )
    reproduce = (
        "bondthesis series TLT DGS30 --start 2008-01-01 --end 2014-12-31  "
        "(and: bondthesis fund TLT --start 2008)"
    )
    start, end = pd.Timestamp("2008-01-01"), pd.Timestamp("2014-12-31")
    prices = tlt[(tlt.index >= start) & (tlt.index <= end)].dropna()
    yields = dgs30[(dgs30.index >= start) & (dgs30.index <= end)].dropna()
    # The claim is about 2008's peak: without yields in 2008 (a store that starts later) the
    # claim has no data rather than a peak taken from an empty year.
    no_2008 = yields.empty or yields.index[0] >= pd.Timestamp("2009-01-01")
    if len(prices) < 2 or no_2008 or prices.index[-1] < pd.Timestamp("2014-12-01"):
        return Claim(
            7,
            text,
            "—",
            None,
            ClaimVerdict.NO_DATA,
            "TLT or DGS30 missing for 2008-2014",
            reproduce,
            rule,
        )
    total = float(prices.iloc[-1] / prices.iloc[0] - 1.0)
    first_yield = float(yields.iloc[0]) / 100.0
    low_date, low = when_min(yields), float(yields.min()) / 100.0
    peak_date = when_max(yields[(yields.index >= "2008-01-01") & (yields.index < "2009-01-01")])
    peak = float(yields.loc[peak_date]) / 100.0
    run = prices[(prices.index >= peak_date) & (prices.index <= low_date)]
    run_return = float(run.iloc[-1] / run.iloc[0] - 1.0) if len(run) > 1 else float("nan")
    verdict = combine(
        [
            grade(first_yield, 0.042, 0.048, 0.006),
            grade(low, 0.019, 0.025, 0.006),
            grade(total, 0.55, 0.85, 0.35),
        ]
    )
    return Claim(
        7,
        text,
        f"30y {pct(first_yield, 2)} (2008-01-02) → low {pct(low, 2)} ({low_date:%Y-%m-%d}); "
        f"TLT total return 2008-2014 {pct(total, 0, sign=True)}; "
        f"{pct(peak, 2)} peak ({peak_date:%Y-%m-%d}) to the low: "
        f"TLT {pct(run_return, 0, sign=True)}",
        prices.index[-1].date(),
        verdict,
        f"From the first to the last trading day of 2008-2014 TLT returned "
        f"{pct(total, 0, sign=True)} with dividends while the 30-year fell from "
        f"{pct(first_yield, 2)} to a low of {pct(low, 2)} (it reached 2.25% only on 2015-01-30).",
        reproduce,
        rule,
        {
            "yield_start": first_yield,
            "yield_low": low,
            "tlt_total_return": total,
            "tlt_peak_to_low_return": run_return,
        },
    )


def tlt_2020_claim(tlt: pd.Series, dgs30: pd.Series, text: str) -> Claim:
    """Claim 8: the best <12-month TLT total return ending in 2020, and the 30-year in 2020."""
    rule = (
        "the parts must hold together on one window of under 12 months: 30y at its start holds "
        "2.1-2.7% (partly 1.8-3.0%), 30y at its end 0.9-1.5% (partly 0.6-1.8%), TLT's total "
        "return over it +35% to +45% (partly +25% to +55%). Two windows are graded: the article's "
        "path (first close of 2020 to the 30y low) and TLT's best run of 365 days or less ending "
        "in 2020; holds if either holds on all parts, partly if parts hold on different windows"
    )
    reproduce = "bondthesis series TLT DGS30 --start 2019-01-01 --end 2020-12-31"
    prices = tlt[(tlt.index >= "2019-01-01") & (tlt.index <= "2020-12-31")].dropna()
    yields = dgs30[(dgs30.index >= "2020-01-01") & (dgs30.index <= "2020-12-31")].dropna()
    if len(prices) < 250 or yields.empty or prices.index[-1] < pd.Timestamp("2020-12-01"):
        return Claim(
            8,
            text,
            "—",
            None,
            ClaimVerdict.NO_DATA,
            "TLT or DGS30 missing for 2020",
            reproduce,
            rule,
        )
    trailing_low = prices.rolling("365D").min()
    gains = (prices / trailing_low - 1.0)[prices.index >= "2020-01-01"]
    best_end = when_max(gains)
    window = prices[
        (prices.index >= best_end - pd.Timedelta(days=364)) & (prices.index <= best_end)
    ]
    best_start = when_min(window)
    best = float(gains.loc[best_end])
    start_yield = _on_or_before(dgs30, best_start)
    end_yield = _on_or_before(dgs30, best_end)
    first_2020 = float(yields.iloc[0]) / 100.0
    low_date, low = when_min(yields), float(yields.min()) / 100.0
    in_2020 = prices[prices.index >= "2020-01-01"]
    from_january = float(in_2020.loc[:best_end].iloc[-1] / in_2020.iloc[0] - 1.0)
    # The article's own path: from the last close of 2019 to the day the 30-year bottomed.
    path_prices = prices.loc[:low_date]
    path_prices = path_prices[
        path_prices.index >= path_prices.index[path_prices.index < "2020"][-1]
    ]
    path_return = float(path_prices.iloc[-1] / path_prices.iloc[0] - 1.0)
    path_start = _on_or_before(dgs30, path_prices.index[0])
    path_yield = path_start[1] / 100 if path_start else first_2020
    on_path = combine(
        [
            grade(path_yield, 0.021, 0.027, 0.003),
            grade(low, 0.009, 0.015, 0.003),
            grade(path_return, 0.35, 0.45, 0.10),
        ]
    )
    on_best_run = combine(
        [
            grade(start_yield[1] / 100 if start_yield else float("nan"), 0.021, 0.027, 0.003),
            grade(end_yield[1] / 100 if end_yield else float("nan"), 0.009, 0.015, 0.003),
            grade(best, 0.35, 0.45, 0.10),
        ]
    )
    windows = (on_path, on_best_run)
    if ClaimVerdict.HOLDS in windows:
        verdict = ClaimVerdict.HOLDS
    elif all(v is ClaimVerdict.DOES_NOT_HOLD for v in windows):
        verdict = ClaimVerdict.DOES_NOT_HOLD
    else:
        verdict = ClaimVerdict.PARTLY
    start_text = "" if start_yield is None else f" (30y {pct(start_yield[1] / 100, 2)})"
    end_text = "" if end_yield is None else f" (30y {pct(end_yield[1] / 100, 2)})"
    return Claim(
        8,
        text,
        f"article's path: 30y {pct(path_yield, 2)} on {path_prices.index[0]:%Y-%m-%d} → low "
        f"{pct(low, 2)} on {low_date:%Y-%m-%d}, TLT {pct(path_return, 1, sign=True)} "
        f"({on_path.value}); best run: TLT {pct(best, 0, sign=True)} from "
        f"{best_start:%Y-%m-%d}{start_text} to {best_end:%Y-%m-%d}{end_text} "
        f"({on_best_run.value})",
        best_end.date(),
        verdict,
        f"TLT's best run of under a year ending in 2020 was {pct(best, 0, sign=True)} with "
        f"dividends, but it started in {best_start:%B %Y}; from the first day of 2020, when the "
        f"30-year stood at {pct(first_2020, 2)}, TLT gained {pct(from_january, 0, sign=True)} to "
        "the same peak.",
        reproduce,
        rule,
        {
            "tlt_best_return": best,
            "tlt_return_from_january": from_january,
            "tlt_return_on_article_path": path_return,
            "yield_start_2020": first_2020,
            "yield_low_2020": low,
        },
    )
