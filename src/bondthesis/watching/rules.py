"""What the watcher watches: rules, read from a small text file, and their hysteresis (pure).

A rules file holds one rule a line; ``#`` starts a comment. Two kinds of rule:

``changes`` rules (latched: each change is reported once)
    ``any pillar changes``, ``pillar positioning changes``, ``any claim changes``,
    ``claim 5 changes``, ``scorecard changes`` (the composite's verdict).

threshold rules (latched, with a hysteresis band)
    ``SUBJECT above|below NUMBER[%] [band NUMBER[%]]`` where SUBJECT is a catalog series
    (``DGS30 above 5.25%``) or the tracked position (``position drawdown below -15%``,
    ``position return below -10%``). A rule *triggers* when the value crosses the threshold and
    *clears* only once it is back beyond the threshold by the band, so a value wobbling at the
    threshold is reported once, not at every reading.

Units: a series published in percent (yields, spreads) takes its threshold in percent, with or
without ``%`` (``DGS30 above 5.25%`` is 5.25 percent); the position's drawdown and return are
decimals, written as percentages (``-15%`` is -0.15). Default bands: 0.10 percentage points for
series in percent, 1 percentage point for the position, 1% of the threshold otherwise.

Without a rules file the watcher watches :data:`DEFAULT_RULES_TEXT`: every pillar's verdict,
every claim's verdict and the scorecard's composite.

>>> [r.text for r in parse_rules("DGS30 above 5.25%  # the 2023 high")]
['DGS30 above 5.25% band 0.1%']
>>> hysteresis_state(parse_rules("DGS30 above 5.25%")[0], 5.2, previous=True)  # inside the band
True
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from bondthesis.catalog import CATALOG
from bondthesis.errors import ConfigError
from bondthesis.serialize import Serializable

__all__ = [
    "CLAIM_IDS",
    "DEFAULT_RULES",
    "DEFAULT_RULES_TEXT",
    "PILLAR_NAMES",
    "POSITION_MEASURES",
    "Condition",
    "Rule",
    "RulesError",
    "hysteresis_state",
    "parse_rules",
    "read_rules",
]

PILLAR_NAMES: tuple[str, ...] = (
    "gold",
    "fiscal",
    "issuance",
    "positioning",
    "economy",
    "policy",
    "trade",
    "smart_money",
    "valuation",
)
CLAIM_IDS: tuple[int, ...] = tuple(range(1, 12))
# Measures of the tracked position a threshold rule may name (decimals: -0.15 is -15%).
POSITION_MEASURES: tuple[str, ...] = ("drawdown", "return")

DEFAULT_RULES_TEXT = "any pillar changes\nany claim changes\nscorecard changes\n"

# Series whose values are percentages already (yields, spreads): thresholds in percent.
_PERCENT_UNITS = ("percent", "percentage points")
_DEFAULT_BAND_PERCENT_SERIES = 0.10  # percentage points
_DEFAULT_BAND_POSITION = 0.01  # 1 percentage point of drawdown or return
_DEFAULT_BAND_RELATIVE = 0.01  # 1% of the threshold, for series in other units

_EXAMPLES = (
    "any pillar changes | pillar positioning changes | any claim changes | claim 5 changes | "
    "scorecard changes | DGS30 above 5.25% | position drawdown below -15% band 2%"
)
_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)(%?)$")


class Condition(StrEnum):
    CHANGES = "changes"
    ABOVE = "above"
    BELOW = "below"


class RulesError(ConfigError):
    """A rules file (or rule text) that cannot be read; the message names the line and the fix."""


@dataclass(frozen=True)
class Rule(Serializable):
    """One rule.

    Parameters
    ----------
    text : str
        The rule in canonical form (how it is shown and how its memory is keyed).
    subject : str
        What it watches: ``"pillar:*"``, ``"pillar:gold"``, ``"claim:*"``, ``"claim:5"``,
        ``"scorecard"``, ``"series:DGS30"`` or ``"position:drawdown"``.
    condition : Condition
    threshold : float or None
        In the subject's own unit (5.25 for a yield in percent, -0.15 for a drawdown).
    band : float or None
        Hysteresis band in the same unit: a triggered rule clears only beyond ``threshold`` by it.
    percent : bool
        Whether the threshold was written (and is shown) as a percentage.
    line : int or None
        Line of the rules file it came from.
    """

    text: str
    subject: str
    condition: Condition
    threshold: float | None = None
    band: float | None = None
    percent: bool = False
    line: int | None = None

    @property
    def key(self) -> str:
        """The rule's memory key: its text without the band (changing the band keeps state)."""
        return self.text.split(" band ")[0]

    def matches(self, fact_key: str) -> bool:
        """Whether a fact (``"pillar:gold"``...) falls under this rule."""
        if self.subject.endswith(":*"):
            return fact_key.startswith(self.subject[:-1])
        return fact_key == self.subject


def hysteresis_state(rule: Rule, value: float | None, previous: bool | None) -> bool | None:
    """Whether a threshold rule holds after reading ``value``, given what it was before.

    A rule that did not hold triggers when ``value`` is strictly beyond the threshold; one that
    held stays triggered until ``value`` is beyond the threshold *by the band* the other way.
    A missing value changes nothing (``previous`` is returned).

    >>> rule = parse_rules("position drawdown below -15%")[0]
    >>> [hysteresis_state(rule, v, p) for v, p in ((-0.16, False), (-0.145, True), (-0.13, True))]
    [True, True, False]
    """
    if rule.threshold is None or rule.condition is Condition.CHANGES:
        raise ValueError(f"{rule.text!r} is not a threshold rule")
    if value is None or not math.isfinite(value):
        return previous
    band = rule.band or 0.0
    if rule.condition is Condition.ABOVE:
        return value >= rule.threshold - band if previous else value > rule.threshold
    return value <= rule.threshold + band if previous else value < rule.threshold


def read_rules(path: Path) -> tuple[Rule, ...]:
    """The rules of a file; :class:`RulesError` naming the line and the fix when one is wrong."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulesError(
            f"rules file {path} does not exist; create it with one rule a line, e.g. "
            "`DGS30 above 5.25%`"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"cannot read rules file {path}: {exc}; save it as UTF-8 text") from None
    return parse_rules(text, source=str(path))


def parse_rules(text: str, *, source: str = "rules") -> tuple[Rule, ...]:
    """Rules from text (one a line, ``#`` comments); duplicates are dropped, order kept."""
    rules: dict[str, Rule] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        rule = _parse_line(line, number, source)
        rules.setdefault(rule.key, rule)
    if not rules:
        raise RulesError(
            f"{source} holds no rules; write one a line, e.g. {_EXAMPLES.split(' | ')[0]!r}, "
            "or leave out --rules to watch every pillar, claim and the scorecard"
        )
    return tuple(rules.values())


def _fail(source: str, number: int, problem: str, fix: str) -> RulesError:
    return RulesError(f"{source}, line {number}: {problem}; {fix}")


def _parse_line(line: str, number: int, source: str) -> Rule:
    words = line.split()
    lowered = [w.lower() for w in words]
    if lowered[-1] in ("changes", "change", "flips"):
        return _parse_changes(lowered[:-1], number, source)
    for index, word in enumerate(lowered):
        if word in ("above", "below"):
            return _parse_threshold(words[:index], word, words[index + 1 :], number, source)
    raise _fail(
        source,
        number,
        f"cannot read {line!r}",
        f"a rule ends in 'changes' or compares with 'above'/'below'; for example: {_EXAMPLES}",
    )


def _parse_changes(words: list[str], number: int, source: str) -> Rule:
    phrase = " ".join(words)
    if phrase in ("any pillar", "pillars", "any pillars", "every pillar"):
        return Rule("any pillar changes", "pillar:*", Condition.CHANGES, line=number)
    if phrase in ("any claim", "claims", "any claims", "every claim"):
        return Rule("any claim changes", "claim:*", Condition.CHANGES, line=number)
    if phrase in ("scorecard", "composite", "the scorecard", "scorecard composite"):
        return Rule("scorecard changes", "scorecard", Condition.CHANGES, line=number)
    if len(words) == 2 and words[0] == "pillar":
        name = words[1].replace("-", "_")
        if name not in PILLAR_NAMES:
            close = difflib.get_close_matches(name, PILLAR_NAMES, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise _fail(
                source,
                number,
                f"unknown pillar {words[1]!r}",
                f"{hint}choose one of: {', '.join(PILLAR_NAMES)}",
            )
        return Rule(f"pillar {name} changes", f"pillar:{name}", Condition.CHANGES, line=number)
    if len(words) == 2 and words[0] == "claim":
        claim = words[1].lstrip("#")
        if not claim.isdigit() or int(claim) not in CLAIM_IDS:
            raise _fail(
                source,
                number,
                f"there is no claim {words[1]!r}",
                "claims are numbered 1 to 11 (`bondthesis claims` lists them)",
            )
        return Rule(
            f"claim {int(claim)} changes", f"claim:{int(claim)}", Condition.CHANGES, line=number
        )
    raise _fail(
        source,
        number,
        f"cannot tell what {phrase!r} is",
        "write 'any pillar changes', 'pillar NAME changes', 'any claim changes', "
        "'claim N changes' or 'scorecard changes'",
    )


def _parse_number(text: str, source: str, number: int, what: str) -> tuple[float, bool]:
    match = _NUMBER.match(text.replace(",", ""))
    if match is None:
        raise _fail(
            source,
            number,
            f"{what} {text!r} is not a number",
            "write it like 5.25%, -15% or 120000000",
        )
    return float(match.group(1)), bool(match.group(2))


def _parse_threshold(
    subject_words: list[str], direction: str, rest: list[str], number: int, source: str
) -> Rule:
    if not rest:
        raise _fail(
            source, number, f"nothing after {direction!r}", f"give a number: `... {direction} 5%`"
        )
    subject, unit_kind, shown = _subject(subject_words, source, number)
    value, has_percent = _parse_number(rest[0], source, number, "threshold")
    band_value: float | None = None
    band_percent = has_percent
    if len(rest) > 1:
        if rest[1].lower() != "band" or len(rest) != 3:
            raise _fail(
                source,
                number,
                f"cannot read {' '.join(rest[1:])!r} after the threshold",
                "only a band may follow it: `DGS30 above 5.25% band 0.1%`",
            )
        band_value, band_percent = _parse_number(rest[2], source, number, "band")
        if band_value < 0:
            raise _fail(source, number, "the band is negative", "write a band of 0 or more")
    if unit_kind == "position":
        if not has_percent or (band_value is not None and not band_percent):
            raise _fail(
                source,
                number,
                f"{shown} is a percentage",
                f"write it with %, e.g. `{shown} {direction} {value:g}%`",
            )
        threshold = value / 100.0
        band = _DEFAULT_BAND_POSITION if band_value is None else band_value / 100.0
        if subject == "position:drawdown" and threshold > 0:
            raise _fail(
                source,
                number,
                f"a drawdown is zero or negative, so {rest[0]} can never be crossed",
                f"write the loss as a negative percentage, e.g. `{shown} below -{value:g}%`",
            )
    elif unit_kind == "percent":
        threshold = value
        band = _DEFAULT_BAND_PERCENT_SERIES if band_value is None else band_value
        has_percent = True
    else:
        if has_percent or (band_value is not None and band_percent):
            spec = CATALOG[subject.split(":", 1)[1]]
            raise _fail(
                source,
                number,
                f"{shown} is published in {spec.units}, not in percent",
                f"write a plain number in those units, e.g. `{shown} {direction} {value:g}`",
            )
        threshold = value
        band = abs(value) * _DEFAULT_BAND_RELATIVE if band_value is None else band_value
    suffix = "%" if has_percent else ""
    scale = 100.0 if unit_kind == "position" else 1.0
    shown_band = f"{_plain(band * scale)}{suffix}"
    text = f"{shown} {direction} {_plain(threshold * scale)}{suffix} band {shown_band}"
    return Rule(
        text,
        subject,
        Condition(direction),
        threshold=threshold,
        band=band,
        percent=has_percent,
        line=number,
    )


def _plain(value: float) -> str:
    """A number as people write it: 5.25, -15, 120000000 (no exponent, no float noise)."""
    return f"{round(value, 10):.12g}"


def _subject(words: list[str], source: str, number: int) -> tuple[str, str, str]:
    """(subject key, unit kind: position/percent/plain, the subject as written canonically)."""
    lowered = [w.lower() for w in words]
    if not words:
        raise _fail(
            source,
            number,
            "the rule names nothing to compare",
            "start with a series or the position: `DGS30 above 5.25%`",
        )
    if lowered[0] == "position":
        measure = lowered[1] if len(lowered) == 2 else ""
        if measure not in POSITION_MEASURES:
            raise _fail(
                source,
                number,
                f"cannot read {' '.join(words)!r}",
                f"the position offers: {', '.join('position ' + m for m in POSITION_MEASURES)}",
            )
        return f"position:{measure}", "position", f"position {measure}"
    if len(words) != 1:
        raise _fail(
            source,
            number,
            f"cannot read {' '.join(words)!r} as a series",
            "name one catalog series, e.g. `DGS30 above 5.25%` (`bondthesis status` lists them)",
        )
    key = words[0].upper()
    if key not in CATALOG:
        close = difflib.get_close_matches(key, list(CATALOG), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}? " if close else ""
        raise _fail(
            source,
            number,
            f"unknown series {words[0]!r}",
            f"{hint}name a catalog series (`bondthesis status` lists them) or `position drawdown`",
        )
    kind = "percent" if CATALOG[key].units in _PERCENT_UNITS else "plain"
    return f"series:{key}", kind, key


DEFAULT_RULES: tuple[Rule, ...] = parse_rules(DEFAULT_RULES_TEXT, source="default rules")
