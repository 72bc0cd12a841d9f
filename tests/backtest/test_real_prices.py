"""The engine on real prices from ../shared/data: the plain loop, bt, and the spliced panel."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _backtest_reference import reference_backtest

from bondthesis.backtesting.engine import backtest, run_portfolios, simulate
from bondthesis.data.backtest_assets import AssetPanel


def _csv_prices(folder: Path, names: list[str]) -> pd.DataFrame:
    """Adjusted closes read straight from the files (not through bondthesis)."""
    columns = {
        n: pd.read_csv(folder / f"{n}.csv", index_col=0, parse_dates=True).iloc[:, 0] for n in names
    }
    return pd.concat(columns, axis=1, sort=True).dropna()


def test_agrees_with_the_plain_loop_on_real_funds(shared_data: Path) -> None:
    prices = _csv_prices(shared_data, ["TLT", "TMF", "SPY"]).loc["2009-04-16":"2016-12-30"]
    weights = {"TLT": 0.4, "TMF": 0.2, "SPY": 0.4}
    ours = simulate(prices, weights, "monthly", cost_bps=10.0)
    theirs = reference_backtest(prices, weights, "monthly", cost_bps=10.0)
    np.testing.assert_allclose(ours.to_numpy(), theirs, rtol=1e-12)


def test_bt_agrees_to_1e_12(shared_data: Path) -> None:
    bt = pytest.importorskip("bt")
    prices = _csv_prices(shared_data, ["TLT", "TMF", "SPY"]).loc["2019-01-01":"2019-12-31"]
    weights = {"TLT": 0.6, "TMF": 0.2, "SPY": 0.2}
    strategy = bt.Strategy(
        "b1",
        [
            bt.algos.RunMonthly(run_on_first_date=True),
            bt.algos.SelectAll(),
            bt.algos.WeighSpecified(**weights),
            bt.algos.Rebalance(),
        ],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bt's own pandas deprecations
        test = bt.Backtest(
            strategy, prices, initial_capital=1.0, integer_positions=False, progress_bar=False
        )
        bt.run(test)
    theirs = test.strategy.values.reindex(prices.index)
    ours = simulate(prices, weights, "monthly")
    np.testing.assert_allclose(ours.to_numpy(), theirs.to_numpy(), rtol=1e-12)


def test_backtest_on_the_store_matches_the_loop_on_the_files(
    shared_data: Path, real_panel: AssetPanel
) -> None:
    prices = _csv_prices(shared_data, ["TLT", "TMF", "SPY"]).loc["2010-01-04":"2025-12-31"]
    weights = {"TLT": 0.4, "TMF": 0.2, "SPY": 0.4}
    rates = real_panel.cash_rate.reindex(prices.index)
    result = backtest(
        real_panel, weights, "monthly", start="2010-01-04", end="2025-12-31", borrow_spread=0.0
    )
    theirs = reference_backtest(prices, weights, "monthly", cash_rate=rates)
    assert result.metrics.start.isoformat() == "2010-01-04"
    assert result.metrics.end.isoformat() == "2025-12-31"
    np.testing.assert_allclose(result.equity.to_numpy(), theirs, rtol=1e-12)
    assert result.simulated_share == 0.0
    assert not any(year.simulated for year in result.annual)
    assert result.metrics.worst_year == 2022


def test_invariants_on_the_spliced_panel(real_panel: AssetPanel) -> None:
    tlt = real_panel.returns["TLT"]
    np.testing.assert_array_equal(real_panel.returns["TLT?L=1"].to_numpy(), tlt.to_numpy())
    alone = backtest(real_panel, {"SPY": 1.0}, "monthly", borrow_spread=0.0)
    spy_level = (1.0 + real_panel.returns["SPY"]).cumprod()
    np.testing.assert_allclose(alone.equity.to_numpy(), spy_level.to_numpy(), rtol=1e-12)
    # Simulated stretches are marked: TMF before 2009-04-16, SPY before 1993-01-29.
    tmf = next(a for a in backtest(real_panel, "article").assets if a.ticker == "TMF")
    assert tmf.simulated_until is not None
    assert tmf.simulated_until.isoformat() < "2009-04-16"
    assert real_panel.simulated.loc["1990-06-01", "SPY"]
    assert not real_panel.simulated.loc["1995-06-01", "SPY"]
    assert real_panel.simulated["UPRO"].all()


def test_tmf_by_grammar_tracks_the_real_tmf(real_panel: AssetPanel) -> None:
    window = slice("2018-01-01", "2025-12-31")
    real = (1.0 + real_panel.returns.loc[window, "TMF"]).prod() - 1.0
    built = (1.0 + real_panel.returns.loc[window, "TLT?L=3&E=0.91&SP=0.47"]).prod() - 1.0
    # 3x TLT net of TLT's own fee, with TMF's fee and spread: close to TMF over eight years.
    assert built == pytest.approx(real, abs=0.08)


def test_many_portfolios_equal_one_at_a_time(real_panel: AssetPanel) -> None:
    grid = pd.DataFrame({"TLT": [0.2, 0.4, 0.6], "TMF": [0.1, 0.2, 0.5], "SPY": [0.7, 0.4, 0.2]})
    many = run_portfolios(real_panel, grid, "quarterly", start="2000-01-01", cost_bps=5.0)
    for row in range(3):
        one = backtest(
            real_panel, grid.iloc[row].to_dict(), "quarterly", start="2000-01-01", cost_bps=5.0
        )
        np.testing.assert_allclose(many.values[row], one.equity.to_numpy(), rtol=1e-12)
        assert many.summary["cagr"][row] == pytest.approx(one.metrics.cagr, rel=1e-12)
        assert many.summary["max_drawdown"][row] == pytest.approx(
            one.metrics.max_drawdown, rel=1e-12
        )
        assert many.summary["sharpe"][row] == pytest.approx(one.metrics.sharpe, rel=1e-9)


def test_presets_cover_1962_on(real_panel: AssetPanel) -> None:
    for name in ("article", "spy", "6040", "hfea"):
        result = backtest(real_panel, name)
        assert result.metrics.start.isoformat() == "1962-01-02"
        assert result.preset == name
    article = backtest(real_panel, "article").to_dict()
    assert "~60%" in article["notes"][0]
    assert set(article["metrics"]) >= {"cagr", "volatility", "sharpe", "max_drawdown", "calmar"}
    assert article["annual"][0]["simulated"] is True
    with pytest.raises(ValueError, match="fewer than two trading days"):
        backtest(real_panel, "spy", start="2031-01-01")


def test_stress_windows_side_by_side(real_panel: AssetPanel) -> None:
    from bondthesis.backtesting import stress_test

    result = stress_test(real_panel, ["article", "6040"])
    names = [row.window for row in result.rows]
    assert names[:2] == ["longest", "since TMF"]
    assert {"1979-81", "1994", "2008", "2013 taper", "2020", "2022", "2022-23"} <= set(names)
    row_2022 = next(row for row in result.rows if row.window == "2022")
    article = backtest(real_panel, "article", start="2021-12-31", end="2022-12-30")
    assert row_2022.figures[0].total_return == pytest.approx(article.metrics.total_return)
    assert row_2022.figures[0].simulated is False
    volcker = next(row for row in result.rows if row.window == "1979-81")
    assert all(figure.simulated for figure in volcker.figures)
    assert result.to_dict()["rows"][0]["figures"][0]["portfolio"] == "article"
