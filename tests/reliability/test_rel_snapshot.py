"""Bad snapshot files: each refused by file (and line), the other series still load, nothing of
the stored data changes; a folder that is not a snapshot is a clean error, found without a walk."""

from __future__ import annotations

from pathlib import Path

import pytest
from _rel_snapshot import AUCTION_HEADER, DAYS, good_files, series_text, write_folder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bondthesis.data.refresh import refresh_from_snapshot
from bondthesis.data.store import Store
from bondthesis.errors import ConfigError
from bondthesis.sources.snapshot import read_snapshot

GOOD_VALUES = [f"{4.5 + i / 1000:.3f}" for i in range(40)]


def with_value(index: int, value: str) -> str:
    values = list(GOOD_VALUES)
    values[index] = value
    return series_text("observation_date,DGS30", values)


# name -> (file, broken content, words the refusal must contain)
BAD_INPUTS: dict[str, tuple[str, str | bytes, str]] = {
    "infinite": ("DGS30.csv", with_value(7, "inf"), "DGS30.csv, line 9"),
    "overflow": ("DGS30.csv", with_value(3, "1e309"), "DGS30.csv, line 5"),
    "huge-yield": ("DGS30.csv", with_value(3, "1e308"), "DGS30.csv, line 5"),
    "negative-price": (
        "TLT.csv",
        series_text("Date,Close", ["88.1", "-3.5", *["88.2"] * 38]),
        "TLT.csv, line 3",
    ),
    "zero-price": ("TLT.csv", series_text("Date,Close", ["88.1", "0", *["88.2"] * 38]), "> 0"),
    "conflicting-duplicate": (
        "DGS30.csv",
        series_text("observation_date,DGS30", GOOD_VALUES) + f"{DAYS[5]},9.99\n",
        "given 2 times with different values",
    ),
    "cut-last-line": ("DGS30.csv", series_text("observation_date,DGS30", GOOD_VALUES)[:-3], "cut"),
    "missing-column": (
        "treasury_auctions_1979_2026.csv",
        AUCTION_HEADER.removesuffix(",high_yield") + "\n",
        "high_yield",
    ),
    "not-utf8": ("DGS30.csv", b"observation_date,DGS30\n2026-01-05,4.5\xff\xfe\n", "not UTF-8"),
    "html": ("DGS30.csv", "<!DOCTYPE html><html>Access denied</html>\n", "HTML page"),
    "empty": ("DGS30.csv", "", "DGS30.csv"),
    "text-value": ("DGS30.csv", with_value(0, "four point five"), "line 2"),
    "bad-date": ("DGS30.csv", "observation_date,DGS30\n2026-13-45,4.5\n", "line 2"),
    "giant-cell": ("DGS30.csv", with_value(1, "9" * 3_000_000), "more characters"),
}


def loaded_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "s.duckdb")
    refresh_from_snapshot(store, write_folder(tmp_path / "v1", dict(good_files(1))))
    return store


def snapshot_state(store: Store) -> dict[str, list[float]]:
    panel = store.read_panel(["DGS30", "DGS10", "TLT"])
    state = {k: panel[k].dropna().tolist() for k in panel.columns}
    state["auctions"] = sorted(store.read_table("auctions")["high_yield"].tolist())
    return state


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_file_is_refused_by_name_and_the_rest_loads(case: str, tmp_path: Path) -> None:
    store = loaded_store(tmp_path)
    before = snapshot_state(store)
    name, content, words = BAD_INPUTS[case]
    files: dict[str, str | bytes] = dict(good_files(2))
    files[name] = content
    report = refresh_from_snapshot(store, write_folder(tmp_path / "v2", files))
    failed = {row.key: row.error or "" for row in report.failed}
    assert failed, "the bad file was loaded"
    for message in failed.values():
        assert name in message
        assert words in message
        assert len(message) < 1000  # cut to a readable length
    after = snapshot_state(store)
    refused_keys = set(failed) | ({"auctions"} if "AUCTIONS" in failed else set())
    for key, values in after.items():
        if key in refused_keys:
            assert values == before[key], f"{key} changed although its file was refused"
        else:
            assert values != before[key], f"{key} did not load from its good file"


def test_a_folder_that_is_not_a_snapshot_is_a_clean_error(tmp_path: Path) -> None:
    deep = tmp_path / "junk"
    node = deep
    for level in range(200):  # deep: a walk of the tree would take its time; the check must not
        node = node / f"d{level}"
    node.mkdir(parents=True)
    (deep / "notes.txt").write_text("hello\n")
    store = Store(tmp_path / "s.duckdb")
    with pytest.raises(ConfigError, match="not a snapshot folder"):
        refresh_from_snapshot(store, deep)
    assert not store.path.exists()


def test_a_parent_of_the_snapshot_gets_a_did_you_mean(tmp_path: Path) -> None:
    write_folder(tmp_path / "shared" / "data", dict(good_files(1)))
    store = Store(tmp_path / "s.duckdb")
    with pytest.raises(ConfigError, match=r"did you mean .*shared/data"):
        refresh_from_snapshot(store, tmp_path / "shared")


LINE = st.text(
    alphabet=st.sampled_from(list("0123456789-.,eE+ naif/\t\"'x")), min_size=0, max_size=30
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(garbage=st.lists(LINE, min_size=1, max_size=4), at=st.integers(0, 39))
def test_any_garbage_is_read_plausibly_or_refused_by_name(
    garbage: list[str], at: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # The reader's verdict decides what the refresh stores (the cases above check that a
    # refused file leaves the store as it was); here any text must get a verdict, no crash.
    base = tmp_path_factory.mktemp("fuzz")
    files: dict[str, str | bytes] = dict(good_files(1))
    rows = str(files["DGS30.csv"]).splitlines(keepends=True)
    rows[1 + at : 1 + at] = [line + "\n" for line in garbage]
    files["DGS30.csv"] = "".join(rows)
    content = read_snapshot(write_folder(base / "snap", files), {"DGS30", "DGS10"})
    assert "DGS10" in content.series  # the other files load whatever DGS30 holds
    if "DGS30" in content.refused_keys:
        assert "DGS30.csv" in content.refused_keys["DGS30"]
        assert "DGS30" not in content.series
    else:
        values = content.series["DGS30"][0].dropna(subset=["value"])
        assert values["value"].between(-100, 100).all()
        assert values["date"].is_unique
