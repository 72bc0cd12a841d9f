"""Every kind of flip in words, in both languages."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from bondthesis.watching import Flip, flip_line, flips_message
from bondthesis.watching.messages import MAX_LINES, format_figure

BASE = Flip(
    memory_key="changes:scorecard",
    rule="scorecard changes",
    subject="scorecard",
    kind="scorecard",
    name="composite",
    before="neutral",
    after="supports",
    value=0.3125,
    unit="skill-weighted vote (-1 to +1)",
    on=date(2026, 7, 31),
    percentile=None,
    detail="5 of 9 pillars with data support",
    command="bondthesis scorecard",
    stale=False,
    condition="changes",
    threshold=None,
    band=None,
    percent=False,
    data_as_of=date(2026, 7, 31),
    detected_at=datetime(2026, 8, 1, 19, 30),
)


def test_the_scorecard() -> None:
    assert flip_line(BASE) == (
        "scorecard: neutral → supports (skill-weighted vote +0.31, 5 of 9 pillars with data "
        "support, 2026-07-31) · more: bondthesis scorecard"
    )
    assert flip_line(BASE, "zh-Hant") == (
        "綜合評分:中性 → 支持(技能加權投票 +0.31,2026-07-31)· 詳見:bondthesis scorecard"
    )


def test_a_claim_in_chinese_keeps_its_figure_and_date() -> None:
    claim = replace(
        BASE,
        kind="claim",
        name="4",
        subject="claim:4",
        before="holds",
        after="partly",
        value=None,
        unit="",
        on=date(2026, 3, 26),
        detail="1.49% of all issuance",
        command="bondthesis pillar issuance",
    )
    assert flip_line(claim, "zh-Hant") == (
        "主張 4(20 年與 30 年期公債僅占總發行約 1.7%):成立 → 部分成立"
        "(1.49% of all issuance;資料日期 2026-03-26)· 詳見:bondthesis pillar issuance"
    )


def test_a_stale_pillar_says_so() -> None:
    fiscal = replace(
        BASE,
        kind="pillar",
        name="fiscal",
        subject="pillar:fiscal",
        value=0.0371,
        unit="decimal share of GDP (0.04 = 4%)",
        on=date(2025, 3, 31),
        percentile=74.4,
        stale=True,
        command="bondthesis pillar fiscal",
    )
    assert "(federal interest as a share of GDP 3.71% on 2025-03-31, 74th percentile, stale)" in (
        flip_line(fiscal)
    )
    assert "(聯邦利息支出占 GDP 3.71%,2025-03-31,第 74 百分位,資料過時)" in flip_line(
        fiscal, "zh-Hant"
    )


def test_a_cleared_threshold_names_the_band() -> None:
    cleared = replace(
        BASE,
        kind="series",
        name="DGS30",
        subject="series:DGS30",
        before="holds",
        after="clear",
        value=5.12,
        unit="percent",
        on=date(2026, 7, 28),
        percentile=71.0,
        condition="above",
        threshold=5.25,
        band=0.1,
        percent=True,
        command="bondthesis series DGS30",
    )
    assert flip_line(cleared) == (
        "DGS30 no longer above 5.25% (back below 5.15%): 5.12% on 2026-07-28, 71st percentile "
        "· more: bondthesis series DGS30"
    )


def test_a_long_list_is_cut_and_points_to_the_history() -> None:
    title, body = flips_message([BASE] * (MAX_LINES + 3), "en")
    assert title == f"bondthesis: {MAX_LINES + 3} changes in the thesis (data to 2026-07-31)"
    lines = body.splitlines()
    assert len(lines) == MAX_LINES + 2
    assert lines[-2:] == ["... and 3 more", "history: bondthesis watch --history"]


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (97_802_533.0, "shares", "97.8M"),
        (5.3125, "percent", "5.31%"),
        (0.52, "percentage points", "+0.52 pp"),
        (0.4, "share of components (0-1)", "40%"),
        (1.54, "decimal (2.0 = +200%)", "+154%"),
        (7.2286, "z-score (standard deviations)", "+7.23"),
        (None, "percent", "n/a"),
        (float("nan"), "percent", "n/a"),
        (4228.0, "USD per troy ounce", "4,228"),
    ],
)
def test_figures_by_unit(value: float | None, unit: str, shown: str) -> None:
    assert format_figure(value, unit) == shown


def test_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="zh-Hant"):
        flip_line(BASE, "de")


def test_a_stale_verdict_in_chinese() -> None:
    stale = replace(BASE, kind="pillar", name="positioning", before="supports", after="stale")
    assert flip_line(stale, "zh-Hant").startswith("做空部位:支持 → 資料過時(")
