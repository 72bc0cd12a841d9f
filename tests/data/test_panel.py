"""Pure panel logic: the fast alignment equals a plain pandas reference on any rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.data.panel import align_latest

EPOCH = np.datetime64("1700-01-01", "D")

rows_strategy = st.lists(
    st.tuples(
        st.integers(0, 2),  # series
        st.integers(90_000, 90_040),  # day
        st.integers(0, 3),  # vintage
        st.one_of(st.none(), st.floats(-100, 100, allow_nan=False)),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(rows_strategy)
def test_align_latest_equals_a_pandas_pivot(rows: list[tuple[int, int, int, float | None]]) -> None:
    keys = ["A", "B", "C"]
    unique_rows = list({(s, d, v): (s, d, v, x) for s, d, v, x in rows}.values())
    which = np.array([r[0] for r in unique_rows], dtype=np.int64)
    day = np.array([r[1] for r in unique_rows], dtype=np.int64)
    vintage = np.array([r[2] for r in unique_rows], dtype=np.int64)
    values = np.array([np.nan if r[3] is None else r[3] for r in unique_rows], dtype=float)
    got = align_latest(which, day, vintage, values, keys, epoch=EPOCH)

    frame = pd.DataFrame({"s": which, "d": day, "v": vintage, "x": values})
    # The latest vintage wins even when its value is missing (groupby.last would skip NaN).
    latest = frame.sort_values(["s", "d", "v"]).drop_duplicates(["s", "d"], keep="last")
    expected = latest.pivot(index="d", columns="s", values="x").reindex(columns=range(3))
    expected.columns = keys
    expected.index = pd.DatetimeIndex(
        (EPOCH + expected.index.to_numpy()).astype("datetime64[ns]"), name="date"
    )
    expected.columns.name = None
    pd.testing.assert_frame_equal(got, expected.astype(float), check_freq=False)


def test_next_release_follows_each_calendar() -> None:
    from datetime import date

    from bondthesis.catalog import get_spec
    from bondthesis.data.panel import next_release

    # Daily, lag 1: Friday's last value -> Monday's observation, public Tuesday.
    assert next_release(get_spec("DGS30"), date(2026, 11, 20)) == date(2026, 11, 24)
    # Monthly CPI dated at the month's start: October's value after Oct 31 + 14 days.
    assert next_release(get_spec("CPIAUCSL"), date(2026, 9, 1)) == date(2026, 11, 14)
    # FINRA settles on the 15th and at month end; published ~11 days later.
    assert next_release(get_spec("TLT_SHORT_INTEREST"), date(2026, 5, 15)) == date(2026, 6, 11)
    assert next_release(get_spec("TLT_SHORT_INTEREST"), date(2026, 5, 31)) == date(2026, 6, 26)
    # Quarterly GDP: Q3 ends Sep 30, out ~30 days later.
    assert next_release(get_spec("GDP"), date(2026, 4, 1)) == date(2026, 10, 30)
