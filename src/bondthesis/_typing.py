"""Shared type aliases.

Units, stated once: **yields and rates are decimals everywhere** (0.045 is 4.5%), returns are
decimals (-0.31 is -31%), durations are in years, convexity in years squared (P''/P), money in the
units the catalog gives for each series. Series read from providers keep the units the provider
publishes (FRED's DGS30 is in percent); conversion to decimals happens where analysis reads them.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
DateArray: TypeAlias = npt.NDArray[np.datetime64]
ArrayLike: TypeAlias = npt.ArrayLike

__all__ = ["ArrayLike", "BoolArray", "DateArray", "FloatArray", "IntArray"]
