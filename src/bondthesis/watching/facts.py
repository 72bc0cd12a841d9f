"""What the store says now: the facts the rules look at (reads the store, computes nothing new).

One evaluation gathers, for the rules at hand only (a rules file about DGS30 does not build the
scorecard):

* the nine pillars' readings (verdict, value, date, percentile, stale flag);
* the scorecard's composite verdict (its skill-weighted vote);
* the eleven claims' verdicts on the latest data (figure and its date);
* the latest value of any catalog series a rule names, with its percentile in its own history;
* the tracked position's drawdown and return, through ``bondthesis.research.track.track(store)``
  when this build has the tracker; without it, position rules are reported as not available.

The numbers are the library's own (:func:`bondthesis.research.thesis.score`,
:func:`~bondthesis.research.thesis.check_claims`), so the watcher and ``bondthesis scorecard``
never disagree. The scorecard is built without its bootstrap intervals, which change no verdict.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd

from bondthesis.catalog import get_spec
from bondthesis.data.datasets import load_pillar_data
from bondthesis.data.store import Store
from bondthesis.errors import BondThesisError, CacheMiss
from bondthesis.serialize import Serializable
from bondthesis.watching.rules import DEFAULT_RULES, Rule

__all__ = ["Evaluation", "Fact", "evaluate_store", "latest_value_fact"]

_TRACKER_MODULE = "bondthesis.research.track"


@dataclass(frozen=True)
class Fact(Serializable):
    """One thing the watcher knows, with its figure and the figure's date.

    Parameters
    ----------
    key : str
        ``"pillar:positioning"``, ``"claim:5"``, ``"scorecard"``, ``"series:DGS30"``,
        ``"position:drawdown"``.
    kind : str
        ``pillar``, ``claim``, ``scorecard``, ``series`` or ``position``.
    name : str
        The pillar's name, the claim's number, ``composite``, the series key, the measure.
    state : str or None
        The verdict (``supports``, ``holds``...) for pillars, claims and the scorecard.
    value : float or None
        The figure in ``unit`` (decimals for shares of a whole and returns).
    unit : str
    on : date or None
        The date of the figure (the latest observation it rests on).
    percentile : float or None
        Where ``value`` stands in its own history, 0-100.
    detail : str
        The figure in words where the library gives one (a claim's figure), else "".
    command : str
        The command that shows more.
    stale : bool
        The figure rests on a series older than its schedule allows.
    """

    key: str
    kind: str
    name: str
    state: str | None
    value: float | None
    unit: str
    on: date | None
    percentile: float | None
    detail: str
    command: str
    stale: bool = False


@dataclass(frozen=True)
class Evaluation(Serializable):
    """Every fact the rules asked for, at one moment.

    ``data_as_of`` is the data's reference date (the last date the store holds, or the ``as_of``
    the store was read at); ``unavailable`` says which rules could not be evaluated and why.
    """

    evaluated_at: datetime
    data_as_of: date | None
    facts: tuple[Fact, ...]
    unavailable: tuple[str, ...] = ()

    def fact(self, key: str) -> Fact | None:
        """The fact with ``key``, or None."""
        return next((f for f in self.facts if f.key == key), None)


def _finite(value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _first_command(reproduce: str) -> str:
    """A claim's first reproducing command (its text may add alternatives in brackets)."""
    return reproduce.split("  (")[0].strip()


def evaluate_store(
    store: Store,
    rules: Sequence[Rule] = DEFAULT_RULES,
    *,
    as_of: date | None = None,
    now: datetime | None = None,
) -> Evaluation:
    """Read the store and gather the facts ``rules`` look at.

    Parameters
    ----------
    store : Store
    rules : sequence of Rule
        Default: every pillar, every claim and the scorecard.
    as_of : date, optional
        Read the store as it was known on this date (publication lags applied); default: all of it.
    now : datetime, optional
        The evaluation's timestamp (UTC); default: the clock.

    Raises
    ------
    CacheMiss
        The store holds none of the pillars' series while a rule needs them.
    """
    subjects = {rule.subject for rule in rules}
    facts: list[Fact] = []
    unavailable: list[str] = []
    data_as_of: date | None = as_of
    if any(s.split(":")[0] in ("pillar", "claim", "scorecard") for s in subjects):
        thesis_facts, data_as_of = _thesis_facts(store, subjects, as_of)
        facts.extend(thesis_facts)
    for subject in sorted(s for s in subjects if s.startswith("series:")):
        key = subject.split(":", 1)[1]
        try:
            history = store.read_series(key, as_of=as_of)
        except CacheMiss as exc:
            unavailable.append(f"{key}: {exc}")
            continue
        fact = latest_value_fact(key, history)
        if fact is None:
            unavailable.append(f"{key}: no observation in the store yet")
            continue
        facts.append(fact)
        data_as_of = max(filter(None, (data_as_of, fact.on)), default=None)
    position_subjects = sorted(s for s in subjects if s.startswith("position:"))
    if position_subjects:
        found, missing = _position_facts(store, position_subjects)
        facts.extend(found)
        unavailable.extend(missing)
        data_as_of = max(filter(None, (data_as_of, *(f.on for f in found))), default=None)
    return Evaluation(
        evaluated_at=(now or datetime.now(UTC)).replace(tzinfo=None, microsecond=0),
        data_as_of=data_as_of,
        facts=tuple(facts),
        unavailable=tuple(unavailable),
    )


def _thesis_facts(
    store: Store, subjects: Iterable[str], as_of: date | None
) -> tuple[list[Fact], date | None]:
    from bondthesis.research.thesis import check_claims, score, synthetic_ladder
    from bondthesis.research.thesis_report import KEYS

    wanted = {s.split(":")[0] for s in subjects}
    data = load_pillar_data(store, as_of=as_of, keys=KEYS)
    # The same ladder and scoring as the front door's `scorecard` and `claims(...).latest`, so
    # that a flip reported here is what those commands print; called here once instead of both
    # (each would load the data and build the ladder again, and `claims` also evaluates the
    # article's date), with the bootstrap intervals off: they change no verdict.
    ladder = synthetic_ladder(data)
    check = score(data, as_of, ladder=ladder, bootstrap_resamples=0)
    card = check.scorecard
    facts: list[Fact] = []
    if "pillar" in wanted:
        for reading in check.readings:
            facts.append(
                Fact(
                    key=f"pillar:{reading.name}",
                    kind="pillar",
                    name=reading.name,
                    state=reading.verdict.value,
                    value=_finite(reading.value),
                    unit=reading.unit,
                    on=reading.as_of,
                    percentile=_finite(reading.percentile),
                    detail=reading.title,
                    command=f"bondthesis pillar {reading.name}",
                    stale=reading.stale,
                )
            )
    if "scorecard" in wanted:
        support = card.support
        facts.append(
            Fact(
                key="scorecard",
                kind="scorecard",
                name="composite",
                state=card.composite.verdict.value,
                value=_finite(card.composite.weighted_vote),
                unit="skill-weighted vote (-1 to +1)",
                on=card.as_of,
                percentile=None,
                detail=(
                    f"{support.verdict_count_today} of {support.verdict_available_today} "
                    "pillars with data support"
                ),
                command="bondthesis scorecard",
            )
        )
    if "claim" in wanted:
        ledger = check_claims(data, as_of, scorecard=card, ladder=ladder)
        for claim in ledger.claims:
            facts.append(
                Fact(
                    key=f"claim:{claim.id}",
                    kind="claim",
                    name=str(claim.id),
                    state=claim.verdict.value,
                    value=None,
                    unit="",
                    on=claim.as_of,
                    percentile=None,
                    detail=claim.figure,
                    command=_first_command(claim.reproduce),
                )
            )
    return facts, card.as_of if as_of is None else as_of


def latest_value_fact(key: str, history: pd.Series) -> Fact | None:
    """The last observation of a series, with its percentile among all observations (0-100).

    >>> s = pd.Series([4.0, 5.0, 4.5], pd.to_datetime(["2026-01-02", "2026-01-05", "2026-01-06"]))
    >>> fact = latest_value_fact("DGS30", s)
    >>> fact.value, str(fact.on), round(fact.percentile, 1)
    (4.5, '2026-01-06', 66.7)
    """
    values = history.dropna()
    if values.empty:
        return None
    last = float(values.iloc[-1])
    spec = get_spec(key)
    return Fact(
        key=f"series:{spec.key}",
        kind="series",
        name=spec.key,
        state=None,
        value=last,
        unit=spec.units,
        on=pd.Timestamp(values.index[-1]).date(),
        percentile=float((values <= last).mean() * 100.0),
        detail=spec.title,
        command=f"bondthesis series {spec.key}",
    )


def _position_facts(store: Store, subjects: Sequence[str]) -> tuple[list[Fact], list[str]]:
    """The tracked position's measures since the article, or why they cannot be had.

    The tracker (``bondthesis.research.track.track``) returns lines; the one of kind
    ``position`` carries ``drawdown_now`` (the fall from its highest close since the article)
    and ``total_return``, both decimals, and ``end``, the last close they rest on.
    """
    names = ", ".join(s.replace(":", " ") for s in subjects)
    try:
        module = importlib.import_module(_TRACKER_MODULE)
    except ImportError:
        return [], [
            f"{names}: not available; this build has no position tracker ({_TRACKER_MODULE}), "
            "so position rules are skipped"
        ]
    try:
        # The composite verdicts then and now are the tracker's extra; the watcher has its own.
        result = module.track(store, composite=False)
    except (BondThesisError, ValueError, KeyError) as exc:
        return [], [f"{names}: not available ({exc}); `bondthesis track` shows why"]
    line = next((x for x in getattr(result, "lines", ()) if x.kind == "position"), None)
    if line is None:
        return [], [f"{names}: not available (the tracker returned no position line)"]
    measures = {"drawdown": line.drawdown_now, "return": line.total_return}
    facts = [
        Fact(
            key=subject,
            kind="position",
            name=subject.split(":", 1)[1],
            state=None,
            value=_finite(measures[subject.split(":", 1)[1]]),
            unit="decimal",
            on=line.end,
            percentile=None,
            detail=f"since {line.start}" + (" (partly simulated)" if line.simulated else ""),
            command="bondthesis track",
        )
        for subject in subjects
    ]
    return facts, []
