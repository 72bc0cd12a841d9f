"""The summary's radix sort returns exactly ``np.sort``'s array."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.scenarios._sort import sort_values


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 20_000),
    scale=st.sampled_from([1e-300, 1e-8, 1.0, 1e8, 1e300]),
    specials=st.lists(st.sampled_from([0.0, 1.0, -1.0, np.inf, -np.inf, 5e-324]), max_size=20),
)
def test_sorts_like_numpy(seed: int, n: int, scale: float, specials: list[float]) -> None:
    rng = np.random.default_rng(seed)
    values = np.concatenate([rng.normal(size=n) * scale, np.array(specials, dtype=np.float64)])
    rng.shuffle(values)
    expected = np.sort(values)
    got = sort_values(values)
    assert got.tobytes() == expected.tobytes()


def test_many_equal_values_and_a_nan() -> None:
    values = np.repeat(np.array([0.25, -3.0, 7.5]), 5_000)
    assert sort_values(values).tobytes() == np.sort(values).tobytes()
    with_nan = np.concatenate([values, [np.nan]])
    np.testing.assert_array_equal(sort_values(with_nan), np.sort(with_nan))


def test_strided_input_is_not_changed() -> None:
    table = np.random.default_rng(1).normal(size=(5_000, 3))
    column = table[:, 1]
    before = column.copy()
    assert sort_values(column).tobytes() == np.sort(column).tobytes()
    np.testing.assert_array_equal(column, before)
