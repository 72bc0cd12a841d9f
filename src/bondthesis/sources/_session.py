"""Whether a daily price bar is a finished close: US exchange sessions, pure.

A download taken while the exchange is open returns the running session as a daily bar whose
"close" is the last trade so far. Stored as that day's close, it would be read as final by every
analysis (the last month's return, a fund's last day, a backtest's last mark). A bar is final when
it was captured after its session's close; :func:`drop_unfinished_session` drops the one that
was not, so the next refresh stores the real close.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pandas as pd

__all__ = ["EXCHANGE_TIMEZONE", "SETTLED_AFTER", "drop_unfinished_session"]

EXCHANGE_TIMEZONE = ZoneInfo("America/New_York")
SETTLED_AFTER = time(16, 30)
"""The regular session ends at 16:00 New York time; the closing auction's print and the providers'
end-of-day bars settle in the minutes after it, so a bar counts as final from 16:30 on."""


def drop_unfinished_session(rows: pd.DataFrame, captured_at: datetime) -> pd.DataFrame:
    """``rows`` without a last bar that was still trading when the data was captured.

    Parameters
    ----------
    rows : DataFrame
        ``date`` (datetime64, ascending; the exchange's calendar day) and ``value``.
    captured_at : datetime
        When the provider answered; timezone-aware (naive values are refused, since a wrong
        zone would move the cut by hours).

    Returns
    -------
    DataFrame
        ``rows`` unchanged, or without its last row when that row is dated on the capture's New
        York day (or later) and the capture came before :data:`SETTLED_AFTER`. Only the last row
        can be unfinished: earlier days were closed when any later one traded.

    Examples
    --------
    >>> from datetime import timezone
    >>> rows = pd.DataFrame({"date": pd.to_datetime(["2026-07-31", "2026-08-03"]),
    ...                      "value": [85.1, 85.4]})
    >>> morning = datetime(2026, 8, 3, 15, 45, tzinfo=timezone.utc)  # 11:45 in New York
    >>> drop_unfinished_session(rows, morning)["date"].dt.date.astype(str).tolist()
    ['2026-07-31']
    >>> evening = datetime(2026, 8, 3, 21, 0, tzinfo=timezone.utc)  # 17:00 in New York
    >>> len(drop_unfinished_session(rows, evening))
    2
    """
    if captured_at.tzinfo is None:
        raise ValueError("captured_at must carry a timezone, e.g. datetime.now(timezone.utc)")
    if rows.empty:
        return rows
    local = captured_at.astimezone(EXCHANGE_TIMEZONE)
    last_day = pd.Timestamp(rows["date"].iloc[-1]).date()
    unfinished = last_day > local.date() or (
        last_day == local.date() and local.time() < SETTLED_AFTER
    )
    return rows.iloc[:-1].reset_index(drop=True) if unfinished else rows
