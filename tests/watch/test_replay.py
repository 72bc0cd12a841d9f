"""The real data: the snapshot cut at the end of 2025, then the whole snapshot.

The flips that really happened between the two (computed here straight from the library's
scorecard and claims, not from the watcher) must reach the webhook once each, and a third run
must send nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from watch_helpers import CUT, Receiver, serve, write_cut_store

from bondthesis.data.datasets import load_pillar_data
from bondthesis.data.refresh import refresh_from_snapshot
from bondthesis.data.store import Store
from bondthesis.pillars import OUTCOME_KEYS, PILLAR_KEYS
from bondthesis.research.thesis import EXTRA_KEYS, check_claims, score, synthetic_ladder
from bondthesis.watching import WatchRun, flip_history, parse_targets, watch

pytestmark = pytest.mark.slow


def _shared_data() -> Path | None:
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared" / "data"
        if (candidate / "DGS30.csv").is_file():
            return candidate
    return None


def _verdicts(store: Store) -> dict[str, str]:
    """Every pillar's, the composite's and every claim's verdict, from the library itself."""
    data = load_pillar_data(store, keys=(*PILLAR_KEYS, *OUTCOME_KEYS, *EXTRA_KEYS))
    ladder = synthetic_ladder(data)
    check = score(data, ladder=ladder, bootstrap_resamples=0)
    ledger = check_claims(data, scorecard=check.scorecard, ladder=ladder)
    verdicts = {f"pillar:{r.name}": r.verdict.value for r in check.readings}
    verdicts["scorecard"] = check.scorecard.composite.verdict.value
    verdicts |= {f"claim:{c.id}": c.verdict.value for c in ledger.claims}
    return verdicts


@dataclass
class Replay:
    store: Store
    runs: list[WatchRun]
    received_after: list[int]  # receiver messages after each run
    receiver: Receiver
    expected: dict[str, tuple[str, str]]  # subject -> (before, after)
    url: str


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replay]:
    folder = _shared_data()
    if folder is None:
        pytest.skip("validation data (../shared/data) not found beside the checkout")
    store = Store(tmp_path_factory.mktemp("replay") / "bondthesis.duckdb")
    write_cut_store(store, folder, CUT)
    with serve() as receiver:
        targets = parse_targets([receiver.url])
        runs, received = [], []
        runs.append(watch(store, notify=targets))
        received.append(len(receiver.messages))
        before = _verdicts(store)
        refresh_from_snapshot(store, folder)
        after = _verdicts(store)
        for _ in range(2):
            runs.append(watch(store, notify=targets))
            received.append(len(receiver.messages))
        expected = {k: (before[k], after[k]) for k in after if before.get(k) != after[k]}
        yield Replay(store, runs, received, receiver, expected, receiver.url)


def _line_pattern(subject: str, before: str, after: str) -> re.Pattern[str]:
    kind, _, name = subject.partition(":")
    change = re.escape(f"{before} → {after}")
    if kind == "pillar":
        return re.compile(rf"^{re.escape(name)}: {change} \(")
    if kind == "claim":
        return re.compile(rf"^claim {name} \(.*\): {change} \(")
    return re.compile(rf"^scorecard: {change} \(")


def test_the_cut_is_a_baseline_and_sends_nothing(replay: Replay) -> None:
    first = replay.runs[0]
    assert first.flips == ()
    assert len(first.baseline) == 9 + 1 + 11  # pillars, composite, claims
    assert replay.received_after[0] == 0


def test_the_data_really_changed(replay: Replay) -> None:
    # Otherwise the test below would prove nothing.
    assert replay.expected, "no verdict differs between the cut and the whole snapshot"


def test_each_real_flip_arrives_once(replay: Replay) -> None:
    second = replay.runs[1]
    assert {f.subject: (f.before, f.after) for f in second.flips} == replay.expected
    assert [d.ok for d in second.deliveries] == [True]
    assert replay.received_after[1] == 1  # one message listing every change
    lines = [line for line in replay.receiver.lines() if not line.startswith("history:")]
    assert len(lines) == len(replay.expected)
    for subject, (before, after) in replay.expected.items():
        pattern = _line_pattern(subject, before, after)
        assert sum(bool(pattern.search(line)) for line in lines) == 1, subject
    title = replay.receiver.messages[0]["title"]
    assert f"{len(replay.expected)} change" in title
    assert str(second.data_as_of) in title


def test_every_message_carries_a_date_and_a_command(replay: Replay) -> None:
    for flip, line in zip(replay.runs[1].flips, replay.runs[1].messages, strict=True):
        assert flip.on is not None
        assert flip.on.isoformat() in line
        assert f"more: {flip.command}" in line
        if flip.kind == "pillar":
            assert flip.percentile is not None
            assert "percentile" in line


def test_a_third_run_sends_nothing(replay: Replay) -> None:
    third = replay.runs[2]
    assert third.reused  # nothing new in the store: not even re-evaluated
    assert third.flips == ()
    assert third.deliveries == ()
    assert replay.received_after[2] == replay.received_after[1]
    assert replay.receiver.attempts == 1


def test_history_keeps_every_flip_and_its_delivery(replay: Replay) -> None:
    history = flip_history(replay.store)
    assert {row["subject"] for row in history} == set(replay.expected)
    for row in history:
        assert [d["status"] for d in row["deliveries"]] == ["ok"]
        assert row["deliveries"][0]["target"] == "json://127.0.0.1"


def test_the_store_never_holds_the_notification_url(replay: Replay) -> None:
    with duckdb.connect(str(replay.store.path), read_only=True) as con:
        rows = con.execute("SELECT target, target_label FROM watch_deliveries").fetchall()
    digest = hashlib.sha256(replay.url.encode()).hexdigest()
    assert rows
    assert {r[0] for r in rows} == {digest}
    for target, label in rows:
        assert replay.url not in target + label
        assert str(replay.receiver.port) not in label
