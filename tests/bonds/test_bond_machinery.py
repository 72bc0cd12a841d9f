"""The solver's failure path and the JIT fallback when numba cannot cache to disk."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from bondthesis.bonds import _jit, _solver, yield_from_price_years
from bondthesis.errors import ConvergenceError


def test_unconverged_yields_raise_convergence_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def stuck(*args: Any) -> tuple[np.ndarray, np.ndarray]:
        count = args[3].size
        return np.full(count, np.nan), np.full(count, _solver.STATUS_NOT_CONVERGED)

    monkeypatch.setattr(_solver, "solve_yields", stuck)
    with pytest.raises(ConvergenceError, match="did not converge for 3 of 3"):
        yield_from_price_years(0.04, [10.0, 20.0, 30.0], 95.0)


def test_solver_reaches_extreme_yields() -> None:
    found = yield_from_price_years(0.045, 30.0, [1e-3, 5.0, 1_000.0])
    assert float(found[0]) > 1.0  # above 100%: a price of 0.001 per 100
    assert float(found[2]) < 0.0
    assert (np.diff(found) < 0).all()


def test_jit_falls_back_when_no_cache_folder_is_writable(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bool] = []

    def fake_njit(**options: Any) -> Any:
        calls.append(options["cache"])
        if options["cache"]:
            raise RuntimeError("cannot cache function 'f': no locator available for file 'f.py'")
        return lambda function: function

    monkeypatch.setattr(_jit.numba, "njit", fake_njit)
    monkeypatch.setattr(_jit, "_CACHE_WANTED", True)

    @_jit.jit()
    def double(value: float) -> float:
        return 2.0 * value

    assert double(2.0) == 4.0
    assert calls == [True, False]
