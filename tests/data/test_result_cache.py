"""The result cache: a cached answer equals a fresh one bit for bit, and a change in one input
recomputes exactly the results that read it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from bondthesis.catalog import get_spec
from bondthesis.data import cache, datasets
from bondthesis.data.cache import cached_result, content_digest
from bondthesis.data.datasets import load_pillar_data
from bondthesis.data.store import Store
from bondthesis.research import skill
from bondthesis.research.skill import walk_forward_skill
from bondthesis.scenarios.montecarlo import MonteCarloSpec, StudentTShocks, simulate


def _frame(dates: pd.DatetimeIndex, values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"date": dates, "value": values})


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Replace ``module.name`` by a wrapper that counts its calls; return the counter."""
    calls = [0]
    original: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def _monthly(seed: int, n: int = 240) -> pd.Series:
    months = pd.date_range("2000-01-31", periods=n, freq="ME")
    return pd.Series(np.random.default_rng(seed).normal(size=n), index=months)


def _cache_files() -> list[Path]:
    return sorted(cache.cache_folder().rglob("*.pkl"))


def test_digest_follows_content_not_identity() -> None:
    a = _monthly(1)
    assert content_digest(a) == content_digest(a.copy())
    changed = a.copy()
    changed.iloc[100] = np.nextafter(changed.iloc[100], np.inf)  # one ulp in one value
    assert content_digest(changed) != content_digest(a)
    moved = a.copy()
    moved.index = moved.index + pd.offsets.MonthEnd(1)
    assert content_digest(moved) != content_digest(a)
    assert content_digest(1) != content_digest(1.0) != content_digest("1")
    assert content_digest((a, None)) != content_digest((None, a))
    with pytest.raises(TypeError, match="cannot hash a object"):
        content_digest(object())


def test_cached_walk_forward_equals_a_fresh_one_bit_for_bit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    predictor, outcome = _monthly(1), _monthly(2)
    computed = _counting(monkeypatch, skill, "_walk_forward_skill")
    first = walk_forward_skill(predictor, outcome, min_pairs=24)
    again = walk_forward_skill(predictor, outcome, min_pairs=24)
    assert computed[0] == 1
    monkeypatch.setenv("BONDTHESIS_RESULT_CACHE", "0")
    fresh = walk_forward_skill(predictor, outcome, min_pairs=24)
    assert computed[0] == 2
    for result in (first, again):
        pd.testing.assert_frame_equal(result, fresh, check_exact=True)
        assert result.to_numpy().tobytes() == fresh.to_numpy().tobytes()


def test_changing_one_predictor_recomputes_only_its_skill(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outcome = _monthly(0)
    predictors = {"a": _monthly(1), "b": _monthly(2)}
    computed = _counting(monkeypatch, skill, "_walk_forward_skill")
    for series in predictors.values():
        walk_forward_skill(series, outcome, min_pairs=24)
    assert computed[0] == 2
    predictors["b"] = predictors["b"].copy()
    predictors["b"].iloc[-1] += 1.0
    results = {k: walk_forward_skill(s, outcome, min_pairs=24) for k, s in predictors.items()}
    assert computed[0] == 3  # only "b" again
    monkeypatch.setenv("BONDTHESIS_RESULT_CACHE", "0")
    pd.testing.assert_frame_equal(
        results["b"], walk_forward_skill(predictors["b"], outcome, min_pairs=24), check_exact=True
    )


def test_a_refresh_that_changes_one_series_reloads_only_what_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "s.duckdb")
    days = pd.bdate_range("2020-01-01", periods=300)
    months = pd.date_range("2000-01-01", periods=300, freq="MS")
    dgs30 = np.linspace(2.0, 4.0, 300)
    store.write_series(get_spec("DGS30"), _frame(days, dgs30), served_by="test")
    store.write_series(get_spec("CPIAUCSL"), _frame(months, np.arange(300.0)), served_by="test")
    loaded = _counting(monkeypatch, datasets, "_load_pillar_data")

    def both() -> tuple[pd.Series, pd.Series]:
        yields = load_pillar_data(store, keys=["DGS30"]).series("DGS30")
        prices = load_pillar_data(store, keys=["CPIAUCSL"]).series("CPIAUCSL")
        return yields, prices

    before = both()
    assert loaded[0] == 2
    both()
    assert loaded[0] == 2  # nothing changed: both from the cache

    # the same rows written again (a refresh with nothing new) change nothing
    store.write_series(get_spec("DGS30"), _frame(days, dgs30), served_by="test")
    both()
    assert loaded[0] == 2

    # one revised value of DGS30: DGS30's data reloads, CPI's does not
    revised = dgs30.copy()
    revised[-1] = 4.25
    store.write_series(get_spec("DGS30"), _frame(days, revised), served_by="test")
    yields, prices = both()
    assert loaded[0] == 3
    assert yields.iloc[-1] == 4.25
    assert before[0].iloc[-1] == 4.0
    pd.testing.assert_series_equal(prices, before[1], check_exact=True)

    # the cached answer is the uncached one, bit for bit
    monkeypatch.setenv("BONDTHESIS_RESULT_CACHE", "0")
    fresh = load_pillar_data(store, keys=["DGS30"])
    assert fresh.series("DGS30").to_numpy().tobytes() == yields.to_numpy().tobytes()
    pd.testing.assert_frame_equal(
        load_pillar_data(store, keys=["DGS30"], as_of=date(2020, 6, 30)).panel,
        fresh.as_of(date(2020, 6, 30)).panel,
        check_exact=True,
    )


def test_monte_carlo_from_the_cache_is_the_same_run() -> None:
    spec = MonteCarloSpec(n_paths=3000, horizon_days=30, shocks=StudentTShocks(), seed=5)
    first = simulate(spec)
    files = _cache_files()
    assert any("montecarlo" in str(p) for p in files)
    second = simulate(spec)
    for a, b in zip(first.outcomes, second.outcomes, strict=True):
        assert a.to_dict() == b.to_dict()
    assert first.terminal_yield_quantiles == second.terminal_yield_quantiles


def test_disabled_cache_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BONDTHESIS_RESULT_CACHE", "0")
    calls = [0]

    def compute() -> int:
        calls[0] += 1
        return 7

    assert cached_result("probe", (1,), compute) == 7
    assert cached_result("probe", (1,), compute) == 7
    assert calls[0] == 2
    assert _cache_files() == []


def test_a_damaged_cache_file_is_only_a_miss() -> None:
    assert cached_result("probe", ("x",), lambda: [1.5, 2.5]) == [1.5, 2.5]
    (path,) = _cache_files()
    path.write_bytes(b"\x80\x05not a pickle")
    assert cached_result("probe", ("x",), lambda: [1.5, 2.5]) == [1.5, 2.5]
    assert cached_result("probe", ("x",), lambda: [9.0]) == [1.5, 2.5]  # rewritten, then read


def test_the_monte_carlos_starting_point_is_cached_by_the_series_it_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bondthesis.scenarios import market_start as module

    store = Store(tmp_path / "s.duckdb")
    days = pd.bdate_range("2015-01-02", "2019-12-31")
    walk = np.cumsum(np.random.default_rng(3).normal(0.0, 0.04, len(days)))
    for key, level in (("DGS10", 2.2), ("DGS20", 2.6), ("DGS30", 2.9)):
        store.write_series(get_spec(key), _frame(days, level + walk), served_by="test")
    bills = np.linspace(0.1, 2.0, len(days))
    store.write_series(get_spec("DGS3MO"), _frame(days, bills), served_by="test")
    months = pd.date_range("2010-01-01", "2019-12-01", freq="MS")
    store.write_series(get_spec("CPIAUCSL"), _frame(months, np.arange(120.0)), served_by="test")
    built = _counting(monkeypatch, module, "market_start_from_inputs")

    first = module.market_start(store)
    assert module.market_start(store) == first
    assert built[0] == 1  # the second from the cache

    # a series the ladder does not read changes nothing
    store.write_series(get_spec("CPIAUCSL"), _frame(months, np.arange(120.0) + 1), served_by="t")
    assert module.market_start(store) == first
    assert built[0] == 1

    # a revised bill rate recomputes, and the answer moves with it
    bills[-1] = 2.5
    store.write_series(get_spec("DGS3MO"), _frame(days, bills), served_by="test")
    revised = module.market_start(store)
    assert built[0] == 2
    assert revised.cash_rate == pytest.approx(0.025)
    assert revised.start_yield == first.start_yield

    monkeypatch.setenv("BONDTHESIS_RESULT_CACHE", "0")
    assert module.market_start(store) == revised  # cached == uncached
