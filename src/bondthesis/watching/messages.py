"""Flips in words, in English or Traditional Chinese (Taiwan usage, the article's vocabulary).

Every line carries the figure, its date and the command that shows more; the words for verdicts,
pillars and measures follow the glossary the report uses (``支持 / 中性 / 反對 / 無資料``,
``成立 / 部分成立 / 不成立``, ``做空部位``, ``殖利率``, ``最大回撤``...).

>>> from datetime import date, datetime
>>> from bondthesis.watching.engine import Flip
>>> flip = Flip("changes:pillar:positioning", "any pillar changes", "pillar:positioning",
...     "pillar", "positioning", "supports", "neutral", 97_802_533.0, "shares",
...     date(2026, 5, 15), 85.7, "TLT shares sold short", "bondthesis pillar positioning", False,
...     "changes", None, None, False, date(2026, 7, 31), datetime(2026, 8, 1))
>>> print(flip_line(flip, "en"))
positioning: supports → neutral (TLT short interest 97.8M on 2026-05-15, 86th percentile) · more: bondthesis pillar positioning
>>> print(flip_line(flip, "zh-Hant"))
做空部位:支持 → 中性(TLT 做空部位 97.8M,2026-05-15,第 86 百分位)· 詳見:bondthesis pillar positioning
"""  # noqa: E501

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from bondthesis.watching.engine import HOLDS, Flip

__all__ = ["LANGUAGES", "flip_line", "flips_message", "format_figure", "ordinal"]

LANGUAGES: tuple[str, ...] = ("en", "zh-Hant")
# Most flips listed in one notification; the rest are counted and left to `watch --history`.
MAX_LINES = 20

_VERDICTS_ZH = {
    "supports": "支持",
    "neutral": "中性",
    "contradicts": "反對",
    "no data": "無資料",
    "stale": "資料過時",
    "holds": "成立",
    "partly": "部分成立",
    "does not hold": "不成立",
}
_PILLARS = {
    # name: (English label of the figure, zh-Hant name, zh-Hant label of the figure)
    "gold": ("gold's rise from its 5-year low", "黃金", "黃金自 5 年低點的漲幅"),
    "fiscal": ("federal interest as a share of GDP", "財政", "聯邦利息支出占 GDP"),
    "issuance": ("20y+30y share of issuance", "發債", "20 年與 30 年期公債占發行比重"),
    "positioning": ("TLT short interest", "做空部位", "TLT 做空部位"),
    "economy": ("slowdown warning signs flashing", "經濟", "衰退與通縮警訊比例"),
    "policy": ("signs of Fed intervention", "聯準會政策", "聯準會干預跡象比例"),
    "trade": ("trade-policy uncertainty z-score", "關稅", "貿易政策不確定性 z 分數"),
    "smart_money": (
        "TLT calls' share of 13F options",
        "聰明錢",
        "13F 機構持股報告中 TLT 看漲期權占比",
    ),
    "valuation": ("excess CAPE yield", "估值", "超額 CAPE 殖利率"),
}
_CLAIMS_ZH = {
    1: "黃金自 2020 年以來上漲約 200%",
    2: "過去黃金上漲約 200% 之後,接著是衰退與通縮,而非持續通膨",
    3: "聯邦利息支出每年約 1.2 兆美元,約占 GDP 4%",
    4: "20 年與 30 年期公債僅占總發行約 1.7%",
    5: "TLT 做空部位約 1.44 億股,回補天數超過 4 天",
    6: "核心通膨回到 2021 年水準;消費者信心處於十年低點",
    7: "2008-2014:30 年期殖利率自約 4.5% 降至約 2.2%,TLT 上漲約 70%",
    8: "2020:30 年期殖利率自約 2.4% 降至約 1.2%,TLT 不到 12 個月上漲約 40%",
    9: "TLT 有效久期約 15.5 年,殖利率約 4.4-4.7%",
    10: "長天期殖利率下跌 100/150/200 基點時,TLT 價格報酬 +15-18% / +25-30% / +35-45%",
    11: "條件齊備時,債券表現優於股票",
}
_CLAIMS_EN = {
    1: "gold up ~200% since 2020",
    2: "past ~200% gold surges led to recession and disinflation",
    3: "federal interest ~$1.2T a year, ~4% of GDP",
    4: "20y and 30y bonds ~1.7% of issuance",
    5: "TLT short interest ~144M shares, >4 days to cover",
    6: "core inflation back to 2021 levels; confidence at a 10-year low",
    7: "2008-2014: 30y yield ~4.5% → ~2.2%, TLT +~70%",
    8: "2020: 30y yield ~2.4% → ~1.2%, TLT +~40% in under 12 months",
    9: "TLT duration ~15.5 years, yield ~4.4-4.7%",
    10: "TLT +15-18% / +25-30% / +35-45% if long yields fall 100/150/200bp",
    11: "bonds beat stocks when the conditions line up",
}
_POSITION = {
    "drawdown": ("position drawdown", "持倉回撤"),
    "return": ("position return", "持倉總報酬"),
}


def ordinal(number: int) -> str:
    """``1 -> "1st"``, ``86 -> "86th"``, ``12 -> "12th"``."""
    tens = 10 <= number % 100 <= 20
    return f"{number}{'th' if tens else {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th')}"


def format_figure(value: float | None, unit: str) -> str:
    """A figure for people, by its unit: 97.8M shares, 5.31%, +154%, 40%, +0.31.

    >>> format_figure(5.3125, "percent"), format_figure(1.5408, "decimal (2.0 = +200%)")
    ('5.31%', '+154%')
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    if unit == "shares":
        return f"{value / 1e6:,.1f}M"
    if unit == "percent":
        return f"{value:.2f}%"
    if unit == "percentage points":
        return f"{value:+.2f} pp"
    if unit.startswith("share of"):
        return f"{value:.0%}"
    if unit.startswith("decimal"):
        return f"{value:+.0%}" if abs(value) >= 1 else f"{value:.2%}"
    if unit.startswith(("z-score", "skill-weighted")):
        return f"{value:+.2f}"
    return f"{value:,.4g}"


def _verdict(state: str | None, lang: str) -> str:
    text = state or "—"
    return _VERDICTS_ZH.get(text, text) if lang == "zh-Hant" else text


def _threshold_text(flip: Flip, lang: str) -> tuple[str, str]:
    """(what the rule watches, its threshold) as shown: ("DGS30", "5.25%")."""
    scale = 100.0 if flip.kind == "position" else 1.0
    suffix = "%" if flip.percent else ""
    threshold = f"{(flip.threshold or 0.0) * scale:g}{suffix}"
    if flip.kind == "position":
        en, zh = _POSITION.get(flip.name, (flip.name, flip.name))
        return (zh if lang == "zh-Hant" else en), threshold
    return flip.name, threshold


def _where(flip: Flip, lang: str, label: str | None = None) -> str:
    """The bracket after a flip: figure, date, percentile, stale flag."""
    figure = format_figure(flip.value, flip.unit)
    parts = []
    if lang == "zh-Hant":
        parts.append(f"{label} {figure}" if label else figure)
        if flip.on:
            parts.append(flip.on.isoformat())
        if flip.percentile is not None:
            parts.append(f"第 {round(flip.percentile)} 百分位")
        if flip.stale:
            parts.append("資料過時")
        return "(" + ",".join(parts) + ")"
    on = f" on {flip.on.isoformat()}" if flip.on else ""
    parts.append(f"{label} {figure}{on}" if label else f"{figure}{on}")
    if flip.percentile is not None:
        parts.append(f"{ordinal(round(flip.percentile))} percentile")
    if flip.stale:
        parts.append("stale")
    return "(" + ", ".join(parts) + ")"


def flip_line(flip: Flip, lang: str = "en") -> str:
    """One flip as one line: what changed, the figure with its date, the command for more."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of: {', '.join(LANGUAGES)}")
    zh = lang == "zh-Hant"
    more = f"· 詳見:{flip.command}" if zh else f"· more: {flip.command}"
    arrow = f"{_verdict(flip.before, lang)} → {_verdict(flip.after, lang)}"
    if flip.kind == "pillar":
        en_label, zh_name, zh_label = _PILLARS.get(flip.name, (flip.detail, flip.name, flip.name))
        if zh:
            return f"{zh_name}:{arrow}{_where(flip, lang, zh_label)}{more}"
        return f"{flip.name}: {arrow} {_where(flip, lang, en_label)} {more}"
    if flip.kind == "claim":
        number = int(flip.name)
        if zh:
            dated = f";資料日期 {flip.on.isoformat()}" if flip.on else ""
            return (
                f"主張 {number}({_CLAIMS_ZH.get(number, '')}):{arrow}({flip.detail}{dated}){more}"
            )
        dated = f"; as of {flip.on.isoformat()}" if flip.on else ""
        return (
            f"claim {number} ({_CLAIMS_EN.get(number, '')}): {arrow} ({flip.detail}{dated}) {more}"
        )
    if flip.kind == "scorecard":
        vote = format_figure(flip.value, flip.unit)
        on = flip.on.isoformat() if flip.on else "n/a"
        if zh:
            return f"綜合評分:{arrow}(技能加權投票 {vote},{on}){more}"
        return f"scorecard: {arrow} (skill-weighted vote {vote}, {flip.detail}, {on}) {more}"
    return _threshold_line(flip, lang, more)


def _threshold_line(flip: Flip, lang: str, more: str) -> str:
    subject, threshold = _threshold_text(flip, lang)
    zh = lang == "zh-Hant"
    above = flip.condition == "above"
    if flip.after == HOLDS:
        if zh:
            word = "高於" if above else "低於"
            return f"{subject} {word} {threshold}:目前{_where(flip, lang)}{more}"
        return f"{subject} {flip.condition} {threshold}: now {_where(flip, lang)[1:-1]} {more}"
    scale = 100.0 if flip.kind == "position" else 1.0
    suffix = "%" if flip.percent else ""
    band = flip.band or 0.0
    edge = (flip.threshold or 0.0) + (-band if above else band)
    back = f"{edge * scale:g}{suffix}"
    if zh:
        word, back_word = ("高於", "以下") if above else ("低於", "以上")
        return (
            f"{subject} 不再{word} {threshold}(已回到 {back} {back_word}){_where(flip, lang)}{more}"
        )
    back_word = "below" if above else "above"
    return (
        f"{subject} no longer {flip.condition} {threshold} (back {back_word} {back}): "
        f"{_where(flip, lang)[1:-1]} {more}"
    )


def flips_message(
    flips: Sequence[Flip], lang: str = "en", data_as_of: date | None = None
) -> tuple[str, str]:
    """(title, body) of one notification listing ``flips`` (at most :data:`MAX_LINES`)."""
    zh = lang == "zh-Hant"
    count = len(flips)
    through = data_as_of or max((f.data_as_of for f in flips if f.data_as_of), default=None)
    if zh:
        title = f"bondthesis:論點有 {count} 項變化" + (f"(資料至 {through})" if through else "")
    else:
        noun = "change" if count == 1 else "changes"
        title = f"bondthesis: {count} {noun} in the thesis" + (
            f" (data to {through})" if through else ""
        )
    lines = [flip_line(f, lang) for f in flips[:MAX_LINES]]
    if count > MAX_LINES:
        rest = count - MAX_LINES
        lines.append(f"……另有 {rest} 項" if zh else f"... and {rest} more")
    lines.append(
        "歷史紀錄:bondthesis watch --history" if zh else "history: bondthesis watch --history"
    )
    return title, "\n".join(lines)
