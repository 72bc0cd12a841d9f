"""Issue 10, defect 4: one count of support, for today and the past; stale pillars do not count."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bondthesis.pillars.base import Verdict
from bondthesis.research.scorecard import build_scorecard
from bondthesis.research.signals import PillarSignal

MONTHS = pd.date_range("1990-01-31", periods=240, freq="ME")


def _signal(name: str, verdict: Verdict, seed: int, stale: bool = False) -> PillarSignal:
    rng = np.random.default_rng(seed)
    values = pd.Series(rng.normal(size=len(MONTHS)), MONTHS)
    supports = (values > 0).astype("float64")
    if stale:  # the past knows nothing of it in the last 15 months, like its reading today
        values.iloc[-15:] = np.nan
        supports.iloc[-15:] = np.nan
    return PillarSignal(
        name,
        values,
        supports,
        1,
        verdict,
        float(values.dropna().iloc[-1]),
        None,
        "t",
        stale=stale,
    )


def test_today_and_the_past_count_support_the_same_way() -> None:
    forward = pd.Series(np.random.default_rng(9).normal(size=len(MONTHS)), MONTHS)
    signals = [
        _signal("a", Verdict.SUPPORTS, 1),
        _signal("b", Verdict.SUPPORTS, 2),
        _signal("c", Verdict.NEUTRAL, 3),
        _signal("old", Verdict.STALE, 4, stale=True),  # its rule said "supports", long ago
    ]
    card = build_scorecard(signals, forward, MONTHS[-1].date(), bootstrap_resamples=0)
    support = card.support
    assert support.count_today == 2
    assert support.available_today == 3  # the stale pillar is not "with current data"
    assert support.verdict_count_today == support.count_today
    assert support.history.loc[MONTHS[-1]] == support.count_today
    assert support.available.loc[MONTHS[-1]] == support.available_today
    stale_row = next(p for p in card.pillars if p.name == "old")
    assert stale_row.stale
    assert stale_row.verdict is Verdict.STALE
    # The composite's window is explained, whatever it is.
    assert card.composite.window_note
