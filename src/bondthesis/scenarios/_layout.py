"""Numbers shared by the Monte Carlo's kernels and its Python side, with no numba import.

The parameter vector's positions, the output matrix's columns, the model codes and the lane
count. :mod:`bondthesis.scenarios.montecarlo` and the summary read these without loading numba;
the kernels (:mod:`bondthesis.scenarios._kernels`, :mod:`bondthesis.scenarios._drawn`) are
imported on the first simulation.
"""

from __future__ import annotations

__all__: list[str] = []

DAY_FRACTION = 1.0 / 252.0  # a multiply: three divisions a day cost more than the ziggurat
# TMF's swap financing accrues ACT/360 on calendar days: a trading day is 365.25/252 calendar
# days on average, so a year of trading days costs 365.25/360 of the quoted rate (not 1x).
FINANCING_DAY_FRACTION = 365.25 / 252.0 / 360.0

MODEL_NORMAL = 0
MODEL_STUDENT_T = 1
MODEL_BOOTSTRAP = 2

# Positions in the float parameter vector handed to the kernel (one vector keeps the signature
# short and the compiled kernel unique).
P_START_YIELD = 0
P_DAILY_VOL = 1
P_DEGREES_OF_FREEDOM = 2
P_REVERSION_DAILY = 3
P_TARGET_YIELD = 4
P_DURATION = 5
P_DURATION_SLOPE = 6
P_CONVEXITY = 7
P_REFERENCE_YIELD = 8
P_CARRY_FOLLOWS = 9
P_TLT_FEE_DAILY = 10
P_LEVERAGE = 11
P_FINANCING_SPREAD = 12
P_TMF_FEE_DAILY = 13
P_STOCK_MEAN_DAILY = 14
P_STOCK_VOL_DAILY = 15
P_STOCK_CORRELATION = 16
P_WEIGHT_TLT = 17
P_WEIGHT_TMF = 18
P_WEIGHT_STOCKS = 19
P_WEIGHT_CASH = 20
P_HISTORY_STD = 21
N_PARAMS = 22

# Columns of the output matrix, one row per path.
OUT_YIELD = 0
OUT_TLT = 1
OUT_TMF = 2
OUT_STOCKS = 3
OUT_CASH = 4
OUT_POSITION = 5
OUT_DRAWDOWN_TLT = 6
OUT_DRAWDOWN_TMF = 7
OUT_DRAWDOWN_STOCKS = 8
OUT_DRAWDOWN_POSITION = 9
N_OUT = 10


LANES = 256
"""Paths stepped side by side within a block: the day step of one path is a chain of dependent
floating-point operations (~4 ns of latency); 256 independent paths per inner loop let the CPU
overlap them and the compiler vectorize the step. The random numbers for a day are drawn first,
lane by lane, in a fixed order, so a block's numbers are still defined by its seed alone."""
