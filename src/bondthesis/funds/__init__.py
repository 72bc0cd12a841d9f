"""The funds: their terms, daily-reset leverage, the fit against the real fund, and histories.

:mod:`bondthesis.funds.leveraged` is the daily-reset mechanics, :mod:`bondthesis.funds.fit` the
fit statistics and calibration, :mod:`bondthesis.funds.history` the fund histories simulated
since 1962 and spliced with the real fund.
"""
