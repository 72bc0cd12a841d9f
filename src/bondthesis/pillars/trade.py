"""Pillar 7, trade: spikes in trade-policy and economic-policy uncertainty.

The article: tariff and geopolitical shocks hit growth and are deflationary, so capital moves to
bonds. Indicator: the z-score of the monthly average of the daily US economic-policy-uncertainty
index (USEPUINDXD, Baker-Bloom-Davis) against the 36 months before it (mean and standard
deviation of the prior window, so a spike does not dampen its own score). The trade-policy
category (EPUTRADE, monthly) is scored the same way and either spike triggers. The signal history
is the daily index's z-score because its history is long (1985 on) and consistent; EPUTRADE here
covers only 2015-2024. Caldara-Iacoviello GPR/TPU indices are not in the data.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from bondthesis.data.months import every_month
from bondthesis.pillars._common import (
    last_date,
    last_or_none,
    monthly,
    no_data_reading,
    partial_month_note,
    prepare,
    reading,
    staleness_note,
)
from bondthesis.pillars.base import PillarReading, Verdict
from bondthesis.pillars.data import PillarData

__all__ = ["SPIKE_Z", "WINDOW_MONTHS", "read_trade", "spike_zscore"]

NAME = "trade"
TITLE = "Policy-uncertainty spike: z-score vs the prior 36 months"
UNIT = "z-score (standard deviations)"
KEYS = ("USEPUINDXD", "EPUTRADE")
WINDOW_MONTHS = 36
SPIKE_Z = 2.0
CALM_Z = -1.0
RULE = (
    f"supports when the daily policy-uncertainty index (monthly average) or the trade-policy "
    f"index is at least {SPIKE_Z:.0f} standard deviations above its mean of the prior "
    f"{WINDOW_MONTHS} months (a shock); contradicts below {CALM_Z:.0f} (calm); neutral between"
)


def spike_zscore(series: pd.Series, window: int = WINDOW_MONTHS) -> pd.Series:
    """``(x_t - mean(x_{t-window..t-1})) / std(x_{t-window..t-1})`` (sample std).

    The prior window is the ``window`` calendar months before (all of them present).

    >>> months = pd.date_range("2020-01-31", periods=5, freq="ME")
    >>> spike_zscore(pd.Series([1.0, 3.0, 1.0, 3.0, 6.0], months), window=4).round(3).tolist()[-1]
    3.464
    """
    full = every_month(series)
    prior = full.shift(1).rolling(window, min_periods=window)
    std = prior.std().replace(0.0, np.nan)
    return ((full - prior.mean()) / std).reindex(series.index).dropna()


def read_trade(data: PillarData, as_of: date | None = None) -> PillarReading:
    """Uncertainty spike z-score of the daily EPU index's monthly average.

    Example: a month averaging 400 against a prior 36-month mean of 150 and std 100 scores 2.5:
    supports.
    """
    data = prepare(data, as_of)
    daily_epu = monthly(data, "USEPUINDXD", how="mean")
    trade_epu = monthly(data, "EPUTRADE")
    z_daily = spike_zscore(daily_epu)
    z_trade = spike_zscore(trade_epu)
    history = z_daily if len(z_daily) else z_trade
    if history.empty:
        return no_data_reading(
            NAME,
            TITLE,
            UNIT,
            RULE,
            KEYS,
            f"needs {WINDOW_MONTHS + 1} months of USEPUINDXD or EPUTRADE",
        )
    keys = tuple(k for k, z in (("USEPUINDXD", z_daily), ("EPUTRADE", z_trade)) if len(z))
    latest = float(history.iloc[-1])
    latest_trade = last_or_none(z_trade)
    trade_is_current = len(z_trade) and z_trade.index[-1] >= history.index[-1]
    spike = latest >= SPIKE_Z or bool(trade_is_current and (latest_trade or 0.0) >= SPIKE_Z)
    verdict = (
        Verdict.SUPPORTS if spike else Verdict.CONTRADICTS if latest < CALM_Z else Verdict.NEUTRAL
    )
    trigger = (history >= SPIKE_Z) | (z_trade.reindex(history.index) >= SPIKE_Z).fillna(False)
    details: dict[str, float | str | None] = {
        "epu_daily_monthly_average": last_or_none(daily_epu),
        "epu_trade": last_or_none(trade_epu),
        "epu_trade_zscore": latest_trade,
        "epu_trade_date": None if last_date(z_trade) is None else str(last_date(z_trade).date()),  # type: ignore[union-attr]
        "max_12m_zscore": float(
            history[history.index > history.index[-1] - pd.DateOffset(months=12)].max()
        ),
    }
    notes: list[str | None] = [
        staleness_note("USEPUINDXD", last_date(data.series("USEPUINDXD")), data.reference_date),
        staleness_note("EPUTRADE", last_date(data.series("EPUTRADE")), data.reference_date),
        partial_month_note(data, "USEPUINDXD") if keys[0] == "USEPUINDXD" else None,
        "EPUTRADE covers only 2015-2024 here; GPR and TPU (Caldara-Iacoviello) are not in the data",
    ]
    return reading(
        reference=data.reference_date,
        name=NAME,
        title=TITLE,
        history=history,
        unit=UNIT,
        verdict=verdict,
        rule=RULE,
        keys=keys,
        trigger=trigger,
        details=details,
        notes=notes,
    )
