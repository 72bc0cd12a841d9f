"""Which daily bars are finished closes: the New York session rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bondthesis.sources._session import EXCHANGE_TIMEZONE, drop_unfinished_session

ROWS = pd.DataFrame(
    {"date": pd.to_datetime(["2026-01-29", "2026-01-30", "2026-02-02"]), "value": [1.0, 2.0, 3.0]}
)


@pytest.mark.parametrize(
    ("captured_utc", "kept"),
    [
        # winter (EST, UTC-5): the session ends 21:00 UTC, bars settle from 21:30 UTC
        ("2026-02-02T16:45", 2),  # 11:45 New York: the running session
        ("2026-02-02T21:15", 2),  # 16:15: closed, not settled yet
        ("2026-02-02T21:45", 3),  # 16:45: final
        ("2026-02-03T01:00", 3),  # 20:00 the same New York day, next day in UTC
        ("2026-02-01T12:00", 2),  # a bar dated after the capture is not a close
    ],
)
def test_only_the_running_session_is_dropped(captured_utc: str, kept: int) -> None:
    captured = datetime.fromisoformat(captured_utc).replace(tzinfo=UTC)
    out = drop_unfinished_session(ROWS, captured)
    assert out["value"].tolist() == ROWS["value"].tolist()[:kept]


def test_summer_time_moves_the_cut_by_an_hour() -> None:
    rows = pd.DataFrame({"date": pd.to_datetime(["2026-08-03"]), "value": [85.0]})
    # EDT, UTC-4: 20:45 UTC is 16:45 in New York (final); in winter it would be 15:45.
    assert len(drop_unfinished_session(rows, datetime(2026, 8, 3, 20, 45, tzinfo=UTC))) == 1
    assert len(drop_unfinished_session(rows, datetime(2026, 8, 3, 20, 15, tzinfo=UTC))) == 0


def test_a_naive_capture_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        drop_unfinished_session(ROWS, datetime(2026, 2, 2, 12, 0))


@given(minutes=st.integers(-3 * 24 * 60, 3 * 24 * 60))
def test_only_the_last_bar_can_go_and_only_before_it_settles(minutes: int) -> None:
    captured = datetime(2026, 2, 2, 12, 0, tzinfo=UTC) + timedelta(minutes=minutes)
    out = drop_unfinished_session(ROWS, captured)
    assert out["value"].tolist() in (ROWS["value"].tolist(), ROWS["value"].tolist()[:-1])
    local = captured.astimezone(EXCHANGE_TIMEZONE)
    settled = local.date() > ROWS["date"].iloc[-1].date() or (
        local.date() == ROWS["date"].iloc[-1].date() and (local.hour, local.minute) >= (16, 30)
    )
    assert (len(out) == len(ROWS)) == settled
