from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bondthesis.backtesting.rebalance import calendar_days, parse_rebalance
from bondthesis.backtesting.tickers import parse_portfolio, parse_ticker


def test_the_testfolio_grammar() -> None:
    tmf = parse_ticker("tlt?L=3&E=0.91&SP=0.47")
    assert (tmf.base, tmf.leverage, tmf.expense_ratio) == ("TLT", 3.0, pytest.approx(0.0091))
    assert tmf.spread == pytest.approx(0.0047)
    assert tmf.is_variant
    assert tmf.name == "TLT?L=3&E=0.91&SP=0.47"
    assert not parse_ticker("TLT?L=1").is_variant
    assert parse_ticker("UPRO").leverage == 3.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("QQQ", "unknown ticker 'QQQ'; known tickers: TLT"),
        ("TLT?X=3", "bad modifier 'X=3'"),
        ("TLT?L=abc", "is not a number"),
        ("TLT?L=5", "between -3 and 3"),
        ("CASH?L=2", "CASH takes no modifiers"),
    ],
)
def test_bad_tickers_say_how_to_fix_them(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("?", r"\?")):
        parse_ticker(text)


def test_portfolio_strings() -> None:
    assert parse_portfolio("tlt=40%, TMF=0.2 ,SPY=0.4") == {"TLT": 0.4, "TMF": 0.2, "SPY": 0.4}
    assert parse_portfolio("TLT?L=3&E=0.91=0.5,SPY=0.5") == {"TLT?L=3&E=0.91": 0.5, "SPY": 0.5}
    for bad, message in [
        ("TLT", "has no weight"),
        ("TLT=x", "is not a number"),
        ("TLT=0.5,TLT=0.5", "given twice"),
        ("TLT=0", "all weights"),
        ("", "no weights"),
    ]:
        with pytest.raises(ValueError, match=message):
            parse_portfolio(bad)


@given(
    st.lists(
        st.floats(-2, 2, allow_nan=False).filter(lambda w: abs(w) > 1e-6), min_size=1, max_size=4
    )
)
def test_portfolio_round_trip(weights: list[float]) -> None:
    tickers = ["TLT", "TMF", "SPY", "IEF"][: len(weights)]
    text = ",".join(f"{t}={w!r}" for t, w in zip(tickers, weights, strict=True))
    assert parse_portfolio(text) == dict(zip(tickers, weights, strict=True))


def test_rebalance_rules() -> None:
    import pandas as pd

    assert parse_rebalance("band:5").band_absolute == pytest.approx(0.05)
    assert parse_rebalance("relband:25").band_relative == pytest.approx(0.25)
    assert parse_rebalance("annual").calendar == "yearly"
    with pytest.raises(ValueError, match="use one of monthly"):
        parse_rebalance("weekly")
    dates = pd.DatetimeIndex(["2024-01-30", "2024-01-31", "2024-02-01", "2024-02-02", "2024-04-01"])
    assert calendar_days(dates, "monthly").tolist() == [False, False, True, False, True]
    assert calendar_days(dates, "quarterly").tolist() == [False, False, False, False, True]
    assert not calendar_days(dates, "none").any()


def test_the_front_door_names_are_the_functions() -> None:
    import bondthesis
    import bondthesis.backtesting.engine
    import bondthesis.research.track
    import bondthesis.research.walkforward

    assert bondthesis.backtest is bondthesis.backtesting.engine.backtest
    assert bondthesis.track is bondthesis.research.track.track
    assert bondthesis.walkforward is bondthesis.research.walkforward.walkforward
