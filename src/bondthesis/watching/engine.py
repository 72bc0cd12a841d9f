"""Compare an evaluation with the last one the store remembers: what flipped (pure).

Each rule keeps one remembered state per fact it watches (the *memory*, stored in the store's
``watch_state`` table):

* a ``changes`` rule remembers the verdict it last reported; a different verdict is a flip, and
  the memory takes the new verdict at once, so a change is reported once (latched);
* a threshold rule remembers whether it held; :func:`~bondthesis.watching.rules.hysteresis_state`
  decides whether it holds now, so a value wobbling inside the band is reported once.

The first evaluation of a ``changes`` rule is a baseline: nothing changed yet, nothing is
reported. A threshold rule that already holds on its first evaluation *is* reported: the user
asked to be told when that condition is true. A fact missing from an evaluation (a series not
in the store, no tracker) leaves its memory untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from bondthesis.serialize import Serializable
from bondthesis.watching.facts import Evaluation, Fact
from bondthesis.watching.rules import Condition, Rule, hysteresis_state

__all__ = ["HOLDS", "NOT_HOLDING", "Comparison", "Flip", "Memory", "compare", "with_id"]

# A threshold rule's two remembered states.
HOLDS = "holds"
NOT_HOLDING = "clear"


@dataclass(frozen=True)
class Memory(Serializable):
    """What one rule last reported about one fact (a row of ``watch_state``)."""

    key: str
    state: str
    value: float | None
    on: date | None
    evaluated_at: datetime


@dataclass(frozen=True)
class Flip(Serializable):
    """One reported change, with the figure behind it and its date.

    ``before`` is None when a threshold rule held on its first evaluation. ``id`` is the row in
    the store's ``watch_flips`` table once it is recorded.
    """

    memory_key: str
    rule: str
    subject: str
    kind: str
    name: str
    before: str | None
    after: str
    value: float | None
    unit: str
    on: date | None
    percentile: float | None
    detail: str
    command: str
    stale: bool
    condition: str
    threshold: float | None
    band: float | None
    percent: bool
    data_as_of: date | None
    detected_at: datetime
    id: int | None = None


@dataclass(frozen=True)
class Comparison(Serializable):
    """The flips of one evaluation and the memory to keep afterwards."""

    flips: tuple[Flip, ...]
    memory: dict[str, Memory]
    baseline: tuple[str, ...]  # memory keys seen for the first time (nothing reported)


def _flip(rule: Rule, fact: Fact, key: str, before: str | None, after: str, ev: Evaluation) -> Flip:
    return Flip(
        memory_key=key,
        rule=rule.text,
        subject=fact.key,
        kind=fact.kind,
        name=fact.name,
        before=before,
        after=after,
        value=fact.value,
        unit=fact.unit,
        on=fact.on,
        percentile=fact.percentile,
        detail=fact.detail,
        command=fact.command,
        stale=fact.stale,
        condition=rule.condition.value,
        threshold=rule.threshold,
        band=rule.band,
        percent=rule.percent,
        data_as_of=ev.data_as_of,
        detected_at=ev.evaluated_at,
    )


def _matching(rules: Sequence[Rule], facts: Iterable[Fact]) -> list[tuple[Rule, Fact, str]]:
    """(rule, fact, memory key) for every pair; a fact watched by two ``changes`` rules once."""
    pairs: dict[str, tuple[Rule, Fact, str]] = {}
    for rule in rules:
        for fact in facts:
            if not rule.matches(fact.key):
                continue
            if rule.condition is Condition.CHANGES:
                if fact.state is None:
                    continue
                key = f"changes:{fact.key}"
            else:
                key = f"rule:{rule.key}"
            pairs.setdefault(key, (rule, fact, key))
    return list(pairs.values())


def compare(
    rules: Sequence[Rule], evaluation: Evaluation, memory: Mapping[str, Memory]
) -> Comparison:
    """The flips of ``evaluation`` against ``memory``, and the memory to store afterwards.

    >>> from datetime import datetime
    >>> from bondthesis.watching.rules import parse_rules
    >>> rules = parse_rules("pillar gold changes")
    >>> def ev(verdict):
    ...     fact = Fact("pillar:gold", "pillar", "gold", verdict, 1.5, "decimal", None, 80.0, "",
    ...                 "bondthesis pillar gold")
    ...     return Evaluation(datetime(2026, 8, 1), None, (fact,))
    >>> first = compare(rules, ev("neutral"), {})
    >>> first.flips, first.baseline
    ((), ('changes:pillar:gold',))
    >>> second = compare(rules, ev("supports"), first.memory)
    >>> [(f.before, f.after) for f in second.flips]
    [('neutral', 'supports')]
    >>> compare(rules, ev("supports"), second.memory).flips  # latched: reported once
    ()
    """
    kept = dict(memory)
    flips: list[Flip] = []
    baseline: list[str] = []
    when = evaluation.evaluated_at
    for rule, fact, key in _matching(rules, evaluation.facts):
        previous = memory.get(key)
        if rule.condition is Condition.CHANGES:
            state = fact.state or ""
            if previous is None:
                baseline.append(key)
            elif previous.state != state:
                flips.append(_flip(rule, fact, key, previous.state, state, evaluation))
        else:
            was = None if previous is None else previous.state == HOLDS
            holds = hysteresis_state(rule, fact.value, was)
            if holds is None:
                continue
            state = HOLDS if holds else NOT_HOLDING
            if previous is None:
                baseline.append(key)
                if holds:
                    flips.append(_flip(rule, fact, key, None, state, evaluation))
            elif previous.state != state:
                flips.append(_flip(rule, fact, key, previous.state, state, evaluation))
        kept[key] = Memory(key, state, fact.value, fact.on, when)
    return Comparison(flips=tuple(flips), memory=kept, baseline=tuple(baseline))


def with_id(flip: Flip, flip_id: int) -> Flip:
    """``flip`` as recorded under ``flip_id``."""
    return replace(flip, id=flip_id)
