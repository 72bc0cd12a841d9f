"""The position a scenario or a Monte Carlo run holds: weights of TLT, TMF, stocks and cash."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["PositionWeights"]


@dataclass(frozen=True)
class PositionWeights:
    """Starting weights of the held mix (bought once, not rebalanced); each >= 0, summing to 1.

    Default 40% TLT + 20% TMF (the article's ~60% in the two; it gives no split), 30% stocks and
    10% cash. Shared by the deterministic scenarios and the Monte Carlo.
    """

    tlt: float = 0.40
    tmf: float = 0.20
    stocks: float = 0.30
    cash: float = 0.10

    def __post_init__(self) -> None:
        values = (self.tlt, self.tmf, self.stocks, self.cash)
        example = "e.g. tlt 0.4, tmf 0.2, stocks 0.3, cash 0.1"
        if not all(math.isfinite(v) and v >= 0.0 for v in values):
            raise ValueError(f"position weights must be >= 0, {example}")
        if abs(sum(values) - 1.0) > 1e-9:
            raise ValueError(
                f"position weights must sum to 1 (they sum to {sum(values):.4g}), {example}"
            )
