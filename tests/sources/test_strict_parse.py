"""The vectorized path of strict_floats (long text columns) agrees with the cell-by-cell one."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.errors import PayloadChanged
from bondthesis.sources._parse import strict_floats

cells = st.one_of(
    st.sampled_from(["", ".", "4.86", "-0.5", "1e5", "nan", "inf", "1_000", " 3 ", "+.5"]),
    st.from_regex(r"[+-]?\d{1,4}(\.\d{0,3})?", fullmatch=True),
    st.text(max_size=6),
)


def outcome(values: list[str]) -> tuple[str, np.ndarray | None]:
    try:
        return "ok", strict_floats(values, missing={".", ""}, source="t", what="x")
    except PayloadChanged:
        return "changed", None


@settings(max_examples=200, deadline=None)
@given(st.lists(cells, min_size=1, max_size=8))
def test_long_columns_parse_exactly_like_single_cells(values: list[str]) -> None:
    # 65+ strings take the vectorized path; each cell alone takes the loop.
    long = values * (65 // len(values) + 1)
    status, parsed = outcome(long)
    singles = [outcome([v]) for v in values]
    if any(s == "changed" for s, _ in singles):
        assert status == "changed"
        return
    assert status == "ok"
    assert parsed is not None
    expected = np.concatenate([p for _, p in singles if p is not None])
    np.testing.assert_array_equal(parsed[: len(values)], expected)
