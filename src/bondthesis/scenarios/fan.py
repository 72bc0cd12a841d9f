"""The Monte Carlo fan: each instrument's return quantiles at a few horizons.

One :func:`~bondthesis.scenarios.montecarlo.simulate` per horizon, same seed and model, so each
column of the fan is an exact terminal distribution at that horizon (the columns are separate
runs, not one run read at several days).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from bondthesis.scenarios.montecarlo import MonteCarloResult, MonteCarloSpec, simulate
from bondthesis.serialize import Serializable

__all__ = ["DEFAULT_FAN_HORIZONS_DAYS", "MonteCarloFan", "montecarlo_fan"]

DEFAULT_FAN_HORIZONS_DAYS: tuple[int, ...] = (21, 63, 126, 189, 252)


@dataclass(frozen=True)
class MonteCarloFan(Serializable):
    """Quantiles of each instrument's return (decimals) by horizon, and the last run in full.

    ``quantiles[name][i]`` holds the return quantiles (``quantile_levels``) after
    ``horizons_days[i]`` trading days; ``final`` is the run at the longest horizon (its odds).
    """

    horizons_days: tuple[int, ...]
    quantile_levels: tuple[float, ...]
    quantiles: dict[str, tuple[tuple[float, ...], ...]]
    final: MonteCarloResult = dataclasses.field(metadata={"json": False})


def montecarlo_fan(
    spec: MonteCarloSpec, horizons_days: tuple[int, ...] = DEFAULT_FAN_HORIZONS_DAYS
) -> MonteCarloFan:
    """Run ``spec`` at each of ``horizons_days`` (its own ``horizon_days`` is replaced)."""
    if not horizons_days or any(h < 1 for h in horizons_days):
        raise ValueError("horizons_days must be positive trading-day counts, e.g. (63, 126, 252)")
    runs = [simulate(dataclasses.replace(spec, horizon_days=h)) for h in horizons_days]
    names = [o.name for o in runs[-1].outcomes]
    quantiles = {name: tuple(run.outcome(name).return_quantiles for run in runs) for name in names}
    return MonteCarloFan(
        horizons_days=tuple(horizons_days),
        quantile_levels=runs[-1].outcomes[0].quantile_levels,
        quantiles=quantiles,
        final=runs[-1],
    )
