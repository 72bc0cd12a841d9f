"""Runs on synthetic evaluations: latching, threshold rules, a failing notifier and its retry."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from watch_helpers import Receiver

from bondthesis.data.store import Store
from bondthesis.errors import ConfigError
from bondthesis.watching import (
    Evaluation,
    Fact,
    compare,
    flip_history,
    parse_rules,
    parse_targets,
    watch,
)

NOW = datetime(2026, 8, 3, 12, 0)


def pillar(name: str, verdict: str, value: float = 0.5, on: date = date(2026, 7, 31)) -> Fact:
    return Fact(
        f"pillar:{name}", "pillar", name, verdict, value, "decimal", on, 60.0, "", f"bp {name}"
    )


def series(key: str, value: float | None, on: date = date(2026, 7, 28)) -> Fact:
    return Fact(f"series:{key}", "series", key, None, value, "percent", on, 90.0, "", "bs")


def evaluation(*facts: Fact, day: int = 0) -> Evaluation:
    return Evaluation(NOW + timedelta(days=day), date(2026, 7, 31), facts)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "bondthesis.duckdb")


def test_changes_are_latched_and_a_missing_fact_keeps_its_memory() -> None:
    rules = parse_rules("any pillar changes")
    first = compare(rules, evaluation(pillar("gold", "neutral"), pillar("trade", "supports")), {})
    assert first.flips == ()
    assert set(first.baseline) == {"changes:pillar:gold", "changes:pillar:trade"}
    second = compare(rules, evaluation(pillar("gold", "supports")), first.memory)
    assert [(f.subject, f.before, f.after) for f in second.flips] == [
        ("pillar:gold", "neutral", "supports")
    ]
    assert second.memory["changes:pillar:trade"].state == "supports"  # untouched
    assert compare(rules, evaluation(pillar("gold", "supports")), second.memory).flips == ()


def test_a_threshold_that_already_holds_is_reported_on_the_first_run() -> None:
    rules = parse_rules("DGS30 above 5.25%")
    first = compare(rules, evaluation(series("DGS30", 5.31)), {})
    assert [(f.before, f.after) for f in first.flips] == [(None, "holds")]
    # 5.2 is inside the 0.1-point band: still holding, nothing reported.
    wobble = compare(rules, evaluation(series("DGS30", 5.2)), first.memory)
    assert wobble.flips == ()
    cleared = compare(rules, evaluation(series("DGS30", 5.1)), wobble.memory)
    assert [(f.before, f.after) for f in cleared.flips] == [("holds", "clear")]
    # A missing value does not clear it.
    assert compare(rules, evaluation(series("DGS30", None)), first.memory).flips == ()


def test_a_failing_notifier_is_reported_and_retried_and_never_loses_the_flip(
    store: Store, receiver: Receiver
) -> None:
    rules = parse_rules("any pillar changes")
    targets = parse_targets([receiver.url])
    watch(store, rules=rules, notify=targets, evaluation=evaluation(pillar("gold", "neutral")))
    receiver.status = 500
    failed = watch(
        store, rules=rules, notify=targets, evaluation=evaluation(pillar("gold", "supports"))
    )
    assert len(failed.flips) == 1
    [delivery] = failed.deliveries
    assert not delivery.ok
    assert delivery.target == "json://127.0.0.1"
    assert "500" in (delivery.error or "")
    assert str(receiver.port) not in (delivery.error or "")
    assert receiver.attempts == 1
    assert receiver.messages == []
    [row] = flip_history(store)
    assert row["deliveries"][0]["status"] == "failed"
    # Still failing on the next run: tried again, still kept.
    again = watch(
        store, rules=rules, notify=targets, evaluation=evaluation(pillar("gold", "supports"))
    )
    assert again.flips == ()
    assert [d.ok for d in again.deliveries] == [False]
    assert receiver.attempts == 2
    # The service is back: the flip arrives, once, with a new one of this run.
    receiver.status = 200
    recovered = watch(
        store,
        rules=rules,
        notify=targets,
        evaluation=evaluation(pillar("gold", "supports"), pillar("fiscal", "neutral")),
    )
    assert recovered.flips == ()  # fiscal is new: a baseline
    assert [d.ok for d in recovered.deliveries] == [True]
    assert recovered.deliveries[0].flip_ids == (failed.flips[0].id,)
    assert len(receiver.messages) == 1
    assert receiver.lines()[0].startswith("gold: neutral → supports (")
    [row] = flip_history(store)
    assert row["deliveries"][0]["status"] == "ok"
    assert row["deliveries"][0]["attempts"] == 3
    # Nothing left to send.
    quiet = watch(
        store, rules=rules, notify=targets, evaluation=evaluation(pillar("gold", "supports"))
    )
    assert quiet.deliveries == ()
    assert len(receiver.messages) == 1


def test_one_failing_notifier_does_not_hold_back_another(store: Store, receiver: Receiver) -> None:
    rules = parse_rules("any pillar changes")
    dead = "json://127.0.0.1:9/hook"  # the discard port: nothing listens
    targets = parse_targets([receiver.url, dead])
    watch(store, rules=rules, notify=targets, evaluation=evaluation(pillar("gold", "neutral")))
    run = watch(
        store, rules=rules, notify=targets, evaluation=evaluation(pillar("gold", "contradicts"))
    )
    assert [d.ok for d in run.deliveries] == [True, False]
    assert run.deliveries[1].error
    assert len(receiver.messages) == 1


def test_messages_follow_the_language(store: Store, receiver: Receiver) -> None:
    rules = parse_rules("pillar positioning changes\nDGS30 above 5.25%")
    targets = parse_targets([receiver.url])
    first = evaluation(pillar("positioning", "supports"), series("DGS30", 5.0))
    watch(store, rules=rules, notify=targets, evaluation=first, lang="zh-Hant")
    later = evaluation(pillar("positioning", "neutral"), series("DGS30", 5.3), day=1)
    run = watch(store, rules=rules, notify=targets, evaluation=later, lang="zh-Hant")
    assert len(run.flips) == 2
    [message] = receiver.messages
    assert message["title"] == "bondthesis:論點有 2 項變化(資料至 2026-07-31)"
    body = message["message"]
    assert "做空部位:支持 → 中性" in body
    assert "DGS30 高於 5.25%:目前(5.30%,2026-07-28,第 90 百分位)" in body
    assert "詳見:" in body
    assert body.endswith("歷史紀錄:bondthesis watch --history")


def test_bad_notification_urls_are_refused_without_their_secrets() -> None:
    with pytest.raises(ConfigError, match="not a URL"):
        parse_targets(["ntfy.sh/topic"])
    with pytest.raises(ConfigError) as info:
        parse_targets(["nosuchservice://user:hunter2@example.org/x"])
    assert "hunter2" not in str(info.value)
    assert "nosuchservice://example.org" in str(info.value)
    with pytest.raises(ConfigError, match="desktop"):
        parse_targets(["macosx://"])
    same = parse_targets(["json://127.0.0.1:8/x", "json://127.0.0.1:8/x"])
    assert len(same) == 1
    assert "url" not in same[0].to_dict()
    assert "127.0.0.1:8/x" not in repr(same[0])


def test_an_unknown_language_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="zh-Hant"):
        watch(store, evaluation=evaluation(), lang="fr")


def test_the_run_serializes(store: Store) -> None:
    rules = parse_rules("any pillar changes")
    watch(store, rules=rules, evaluation=evaluation(pillar("gold", "neutral")))
    run = watch(store, rules=rules, evaluation=evaluation(pillar("gold", "supports")))
    document = run.to_dict()
    assert document["flips"][0]["before"] == "neutral"
    assert document["flips"][0]["on"] == "2026-07-31"
    assert document["flips"][0]["percentile"] == 60.0
    assert document["messages"] == [
        "gold: neutral → supports (gold's rise from its 5-year low 50.00% on 2026-07-31, "
        "60th percentile) · more: bp gold"
    ]


def test_the_front_door_watch_is_the_task_even_after_the_package_is_imported(store: Store) -> None:
    # The package is `bondthesis.watching` so that importing it never rebinds `bondthesis.watch`.
    import bondthesis
    import bondthesis.watching
    from bondthesis.watching.run import watch

    assert bondthesis.watch is watch
    run = bondthesis.watch(store, rules=parse_rules("any pillar changes"), evaluation=evaluation())
    assert run.flips == ()
    assert run.to_dict()["lang"] == "en"
