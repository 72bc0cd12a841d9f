"""Rules files: what they accept, the errors they give (line and fix), and the hysteresis."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bondthesis.watching.rules import (
    DEFAULT_RULES,
    Condition,
    Rule,
    RulesError,
    hysteresis_state,
    parse_rules,
    read_rules,
)


def test_a_small_file_of_every_kind(tmp_path: Path) -> None:
    path = tmp_path / "rules.txt"
    path.write_text(
        "# my watch list\n"
        "position drawdown below -15%\n"
        "\n"
        "DGS30 above 5.25%   # the 2023 high\n"
        "any claim changes\n"
        "pillar smart-money changes\n"
        "TLT_SHORT_INTEREST above 150000000 band 5000000\n",
        encoding="utf-8",
    )
    rules = read_rules(path)
    assert [r.text for r in rules] == [
        "position drawdown below -15% band 1%",
        "DGS30 above 5.25% band 0.1%",
        "any claim changes",
        "pillar smart_money changes",
        "TLT_SHORT_INTEREST above 150000000 band 5000000",
    ]
    drawdown, dgs30, claims, smart, short = rules
    assert (drawdown.subject, drawdown.threshold, drawdown.band) == (
        "position:drawdown",
        -0.15,
        0.01,
    )
    assert (dgs30.subject, dgs30.threshold, dgs30.line) == ("series:DGS30", 5.25, 4)
    assert claims.matches("claim:5")
    assert not claims.matches("pillar:gold")
    assert smart.matches("pillar:smart_money")
    assert not smart.matches("pillar:gold")
    assert short.band == 5_000_000


def test_the_default_rules_watch_every_pillar_claim_and_the_scorecard() -> None:
    assert [r.subject for r in DEFAULT_RULES] == ["pillar:*", "claim:*", "scorecard"]
    assert all(r.condition is Condition.CHANGES for r in DEFAULT_RULES)


def test_duplicates_and_band_changes_keep_one_rule() -> None:
    rules = parse_rules("DGS30 above 5.25%\nDGS30 above 5.25 band 0.2%\nany claim changes\n")
    assert [r.key for r in rules] == ["DGS30 above 5.25%", "any claim changes"]


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("any claim changes\nDGS31 above 5%", 2, "did you mean"),
        ("position drawdown below 15%", 1, "negative percentage"),
        ("position drawdown below -15", 1, "write it with %"),
        ("TLT_SHORT_INTEREST above 5%", 1, "plain number"),
        ("pillar gld changes", 1, "did you mean 'gold'"),
        ("claim 12 changes", 1, "numbered 1 to 11"),
        ("the moon is full", 1, "a rule ends in 'changes'"),
        ("DGS30 above lots", 1, "is not a number"),
        ("DGS30 above", 1, "give a number"),
        ("DGS30 above 5% maybe", 1, "only a band may follow"),
        ("DGS30 above 5% band -1%", 1, "band is negative"),
        ("position size above 5%", 1, "position drawdown"),
        ("above 5%", 1, "names nothing"),
        ("\n\nwhatever changes", 3, "cannot tell what"),
    ],
)
def test_errors_name_the_line_and_the_fix(text: str, line: int, says: str) -> None:
    with pytest.raises(RulesError) as info:
        parse_rules(text, source="my.rules")
    message = str(info.value)
    assert message.startswith(f"my.rules, line {line}: ")
    assert says in message


def test_files_that_cannot_be_used(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="does not exist"):
        read_rules(tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(RulesError, match="holds no rules"):
        read_rules(empty)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(RulesError, match="UTF-8"):
        read_rules(binary)


# -- hysteresis ------------------------------------------------------------------------------


def _flips(rule: Rule, values: list[float]) -> int:
    state: bool | None = None
    flips = 0
    for value in values:
        new = hysteresis_state(rule, value, state)
        if state is not None and new != state:
            flips += 1
        state = new
    return flips


@settings(max_examples=60, deadline=None)
@given(
    threshold=st.floats(3.0, 6.0),
    band=st.floats(0.05, 0.5),
    wobble=st.lists(st.floats(-0.999, 0.999), min_size=2, max_size=60),
)
def test_a_value_wobbling_inside_the_band_flips_at_most_once(
    threshold: float, band: float, wobble: list[float]
) -> None:
    rule = parse_rules(f"DGS30 above {threshold:.4f}% band {band:.4f}%")[0]
    assert rule.band is not None
    assert rule.threshold is not None
    # Start above the threshold, then wobble anywhere between threshold - band and above it,
    # crossing the threshold itself as often as the draw likes.
    values = [rule.threshold + 0.01] + [rule.threshold + w * rule.band for w in wobble]
    assert _flips(rule, values) == 0
    # Starting below, the first rise above the threshold is the only flip.
    below = [rule.threshold - 0.5 * rule.band, *values]
    assert _flips(rule, below) <= 1


@settings(max_examples=60, deadline=None)
@given(
    swings=st.lists(st.booleans(), min_size=1, max_size=30),
    overshoot=st.floats(0.001, 2.0),
)
def test_full_swings_through_the_band_each_flip_once(swings: list[bool], overshoot: float) -> None:
    rule = parse_rules("position drawdown below -15% band 2%")[0]
    assert rule.threshold is not None
    assert rule.band is not None
    deep = rule.threshold - overshoot * rule.band  # beyond the threshold: triggers
    recovered = rule.threshold + rule.band + overshoot * rule.band  # beyond the band: clears
    values = [deep if s else recovered for s in swings]
    expected = sum(1 for a, b in itertools.pairwise(values) if a != b)
    assert _flips(rule, values) == expected


def test_a_missing_value_keeps_the_state() -> None:
    rule = parse_rules("DGS30 above 5%")[0]
    assert hysteresis_state(rule, None, True) is True
    assert hysteresis_state(rule, float("nan"), False) is False
    assert hysteresis_state(rule, None, None) is None
    with pytest.raises(ValueError, match="not a threshold rule"):
        hysteresis_state(DEFAULT_RULES[0], 1.0, None)
