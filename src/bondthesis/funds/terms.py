"""The funds' terms, defined once: fees, leverage and TMF's financing spread (annual decimals).

Every module that prices TLT or TMF (the ladder's net-of-fee index, the fund histories, the
scenario, the Monte Carlo) reads these names instead of writing the numbers again.

>>> TLT_EXPENSE_RATIO, TMF_LEVERAGE, TMF_EXPENSE_RATIO, TMF_FINANCING_SPREAD
(0.0015, 3.0, 0.0091, 0.0047)
"""

from __future__ import annotations

__all__ = [
    "TLT_EXPENSE_RATIO",
    "TMF_EXPENSE_RATIO",
    "TMF_FINANCING_SPREAD",
    "TMF_LEVERAGE",
]

TLT_EXPENSE_RATIO = 0.0015
"""TLT's expense ratio, decimal a year (iShares fact sheet, SOURCES.md §8.1)."""

TMF_LEVERAGE = 3.0
"""TMF's daily multiple of the ICE U.S. Treasury 20+ Year index."""

TMF_EXPENSE_RATIO = 0.0091
"""TMF's expense ratio, decimal a year (about 0.91% in 2025; 1.09-1.11% earlier)."""

TMF_FINANCING_SPREAD = 0.0047
"""TMF's financing cost over the 1-month bill, decimal a year: the default of every forward-looking
TMF (``bondthesis scenario``, ``bondthesis montecarlo``). Measured, not assumed: ``bondthesis fund
TMF`` fits 0.47% on 2009-04..2017 (fee held at 0.91%; holdout 2018-2025 misses by 0.64pp a year)
and ``tests/funds/test_leveraged.py`` checks that the fit still lands within 0.05 points of it. A
spread of 0 would flatter TMF by about 2 x 0.47% = 0.94% a year."""
