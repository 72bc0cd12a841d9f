"""Pure panel logic: the fast alignment equals a plain pandas reference on any rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.panel import align_latest

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
