"""The report's words in English and Traditional Chinese, and numbers and dates per locale.

One template reads every label through :class:`Messages`; the zh-Hant words follow the article's
own vocabulary (../shared/REPORT.md's glossary, Taiwan usage). Numbers are formatted with Babel:
the same decimals in both languages; dates as ``Jan 31, 2026`` and ``2026 年 1 月 31 日``.
Explanations written by the library (rules, figures, notes) stay in English: the page marks them
``lang="en"`` so that they are read and rendered as English.
"""

from __future__ import annotations

import math
from datetime import date as _date
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

__all__ = ["MESSAGES", "Messages"]

# key -> (English, Traditional Chinese)
MESSAGES: dict[str, tuple[str, str]] = {
    "title": ("Long Treasuries: does the thesis hold?", "長久期美債：這個論點成立嗎？"),
    "subtitle": (
        "The article's thesis checked against public data. Data through {data_end}; built {built}.",
        "以公開資料檢驗文章的論點。資料截至 {data_end}；產製於 {built}。",
    ),
    "nav": ("Contents", "目錄"),
    "s_verdict": ("The verdict", "結論"),
    "s_scorecard": ("Scorecard: the nine pillars", "記分卡：九大支柱"),
    "s_claims": ("Claims ledger: the article's eleven claims", "論點帳簿：文章的十一項論點"),
    "s_since": ("Since the article", "文章發表以來"),
    "s_pillars": ("The pillars, one by one", "逐一檢視各支柱"),
    "s_figures": ("The article's four figures, redrawn", "重繪文章的四張圖"),
    "s_scenario": ("What the position could do", "部位可能的表現"),
    "s_montecarlo": ("Monte Carlo: the range of outcomes", "蒙地卡羅模擬：結果的分布"),
    "s_backtests": ("What it has done: backtests", "過去的表現：回測"),
    "s_watch": ("What changed: the watcher's history", "變化紀錄：監看歷史"),
    "watch_intro": (
        "The last {n} changes `bondthesis watch` reported (50 at most), newest first, each once.",
        "`bondthesis watch` 回報的最近 {n} 項變化（最多 50 項），由新到舊，每項只報一次。",
    ),
    "watch_detected": ("detected", "偵測日期"),
    "watch_change": ("change", "變化"),
    "watch_missing": (
        "No change recorded yet: run `bondthesis watch --once` to start watching the pillars and "
        "the claims.",
        "尚無變化紀錄：執行 `bondthesis watch --once` 開始監看各支柱與論點。",
    ),
    "s_data": ("Data: freshness and sources", "資料：新鮮度與來源"),
    "s_method": ("Method notes", "方法說明"),
    "verdict_holds": (
        "What holds: on the data through {claims_as_of}, {n_holds} of the article's "
        "{n_claims} claims hold ({holds}), {n_partly} partly; on its own date ({article_as_of}) "
        "{article_holds} held.",
        "成立的部分：以截至 {claims_as_of} 的資料，文章 {n_claims} 項論點中有 {n_holds} 項"
        "成立（{holds}），{n_partly} 項部分成立；在文章發表日（{article_as_of}）有 "
        "{article_holds} 項成立。",
    ),
    "verdict_fails": (
        "What does not: {fails}; the scorecard of {scorecard_as_of} is {composite}, with "
        "{supporting} of {with_data} pillars with data supporting.",
        "不成立的部分：{fails}；{scorecard_as_of} 的記分卡結論為「{composite}」，"
        "有資料的 {with_data} 個支柱中 {supporting} 個支持。",
    ),
    "verdict_none_fail": ("no claim fails outright", "沒有論點完全不成立"),
    "verdict_odds": (
        "What history says: in the {n_months} past months (about {n_independent} independent "
        "years) when as many pillars met their trigger rule as today ({trigger_count} of "
        "{trigger_available} with current data), long bonds beat "
        "stocks over the next {horizon} months {hit_rate} of the time, by {mean} on average.",
        "歷史怎麼說：過去與今天一樣有 {trigger_count} 個支柱觸發（今天有最新資料的 "
        "{trigger_available} 個中）的 {n_months} 個月（約 "
        "{n_independent} 個獨立年度）中，長債在其後 {horizon} 個月勝過股票的比例為 {hit_rate}，"
        "平均差距 {mean}。",
    ),
    "verdict_odds_none": (
        "What history says: no past month had as many pillars meeting their trigger as today.",
        "歷史怎麼說：過去沒有任何月份與今天有同樣多的支柱觸發。",
    ),
    "pillar": ("Pillar", "支柱"),
    "verdict": ("Verdict", "判定"),
    "value": ("Value", "數值"),
    "date": ("Date", "日期"),
    "percentile": ("Percentile", "百分位"),
    "stale": ("stale", "資料過時"),
    "fresh": ("fresh", "最新"),
    "missing": ("missing", "缺少"),
    "skill": ("Skill ρ [95% CI]", "預測力 ρ [95% 信賴區間]"),
    "weight": ("Weight", "權重"),
    "source": ("Source", "來源"),
    "rule": ("Rule", "規則"),
    "composite": ("Composite", "綜合"),
    "claim": ("Claim", "論點"),
    "at_article": ("At the article ({date})", "文章發表時（{date}）"),
    "at_latest": ("Latest data ({date})", "最新資料（{date}）"),
    "reproduce": ("Reproduce", "重現指令"),
    "not_available": (
        "Not available in this build: {what}.",
        "此版本尚未提供：{what}。",
    ),
    "since_intro": (
        "TLT and TMF from the article's date ({date}) to the last close in the store:",
        "TLT 與 TMF 自文章發表日（{date}）至資料庫最後收盤日：",
    ),
    "yield_30y_change": ("30-year yield, change", "30 年期殖利率變動"),
    "track_intro": (
        "The position and the benchmarks from the article's date, each from its own first close:",
        "部位與比較基準自文章發表日起的表現，各自從第一個收盤日起算：",
    ),
    "kind_position": ("position", "部位"),
    "kind_part": ("part", "組成"),
    "kind_benchmark": ("benchmark", "比較基準"),
    "drawdown_now": ("Drawdown now", "目前回撤"),
    "max_drawdown": ("Maximum drawdown", "最大回撤"),
    "cagr": ("CAGR", "年化報酬率"),
    "volatility": ("Volatility", "波動度"),
    "sharpe": ("Sharpe", "夏普比率"),
    "worst_year": ("Worst year", "最差年度"),
    "simulated_share": ("Simulated share", "模擬占比"),
    "portfolio": ("Portfolio", "投資組合"),
    "bt_equity": ("Growth of 1 (log scale)", "1 元的成長（對數刻度）"),
    "bt_annual": ("Calendar-year returns", "各年度報酬"),
    "bt_drawdowns": ("Deepest drawdowns of the article's position", "文章部位的最大幾次回撤"),
    "peak": ("Peak", "高點"),
    "trough": ("Trough", "低點"),
    "recovery": ("Recovery", "回復"),
    "depth": ("Depth", "深度"),
    "stress": ("Stress windows", "壓力期間"),
    "window": ("Window", "期間"),
    "since_missing": (
        "the position, SPY and 60/40 since the article (bondthesis.research.track)",
        "文章發表以來部位、SPY 與 60/40 的表現（bondthesis.research.track）",
    ),
    "backtests_missing": (
        "the strategy backtests (bondthesis.backtest); the funds' own histories follow",
        "策略回測（bondthesis.backtest）；以下為基金本身的歷史",
    ),
    "event_study": ("What followed past triggers", "過去觸發後的結果"),
    "episodes": ("episodes", "次事件"),
    "horizon": ("Horizon (months)", "期間（月）"),
    "mean": ("Mean", "平均"),
    "median": ("Median", "中位數"),
    "hit": ("Hit rate", "命中率"),
    "bonds_minus_stocks": ("Bonds minus stocks", "長債減股票"),
    "claim_marked": ("The article's claim", "文章的論點"),
    "claim_band": ("The article's reference band", "文章的參考區間"),
    "past_surges": ("Past +200% surges", "過去 +200% 的漲幅"),
    "latest": ("latest", "最新"),
    "curve_line": (
        "Curve of {date} (FRED): 10-year {y10}, 20-year {y20}, 30-year {y30}; cash (3-month bill, "
        "{cash_date}) {cash}.",
        "{date} 的殖利率曲線（FRED）：10 年期 {y10}、20 年期 {y20}、30 年期 {y30}；"
        "現金（3 個月期短期國庫券，{cash_date}）{cash}。",
    ),
    "ladder_line": (
        "TLT-like ladder: yield {yield_}, effective duration {duration} years, convexity "
        "{convexity}.",
        "類 TLT 債券梯：殖利率 {yield_}、有效久期 {duration} 年、凸性 {convexity}。",
    ),
    "article_table": (
        "The article's table, recomputed: instant parallel shift, price only",
        "重算文章的表格：殖利率瞬間平移，僅計價格",
    ),
    "shift": ("Shift", "變動"),
    "article_range": ("Article", "文章"),
    "full_repricing": ("Full repricing", "完整重新定價"),
    "duration_only": ("−D·Δy", "−D·Δy"),
    "duration_convexity": ("−D·Δy + ½C·Δy²", "−D·Δy + ½C·Δy²"),
    "inside": ("inside", "區間內"),
    "below": ("below", "低於"),
    "above": ("above", "高於"),
    "scenario_table": (
        "{shift} over {months} months, spread evenly (income net of fees and financing)",
        "{months} 個月內平均發生 {shift}（收益已扣除費用與融資成本）",
    ),
    "instrument": ("Instrument", "標的"),
    "price_return": ("Price return", "價格報酬"),
    "income": ("Income", "收益"),
    "total_return": ("Total return", "總報酬"),
    "position": ("position", "部位"),
    "stocks": ("stocks", "股票"),
    "cash": ("cash", "現金"),
    "payoff_title": ("Payoff curve: TLT against TMF", "回報曲線：TLT 對比 TMF"),
    "yield_change": ("Parallel change of long yields (bp)", "長天期殖利率平移（基點）"),
    "instant": ("instant", "瞬間"),
    "over_months": ("over {months} months", "{months} 個月內"),
    "path_title": (
        "TMF's path dependence: the same end yield, noisier paths",
        "TMF 的路徑相依：相同終點殖利率，不同波動路徑",
    ),
    "daily_noise": ("Daily noise (bp)", "每日雜訊（基點）"),
    "index_vol": ("Index volatility (annual)", "指數波動度（年化）"),
    "fan_title": ("Return quantiles by horizon (5%–95%, 25%–75%, median)", "各期間報酬分位數"),
    "trading_days": ("Trading days", "交易日"),
    "return": ("Return", "報酬"),
    "odds_title": (
        "Odds after {days} trading days ({paths} paths, seed 0)",
        "{days} 個交易日後的機率（{paths} 條路徑，種子 0）",
    ),
    "prob_loss": ("Probability of loss", "虧損機率"),
    "p05": ("5th pct", "第 5 百分位"),
    "p50": ("Median", "中位數"),
    "p95": ("95th pct", "第 95 百分位"),
    "shortfall": ("Expected shortfall 5%", "5% 預期損失"),
    "max_dd": ("Median max drawdown", "最大回撤中位數"),
    "mc_spec": (
        "Start: 30-year yield {start} and cash {cash} from the curve of {date}; normal daily "
        "yield changes of {vol_bp}bp; TMF financing spread {spread} a year; held mix {tlt} TLT, "
        "{tmf} TMF, {stocks} stocks, {cash_weight} cash.",
        "起點：{date} 曲線的 30 年期殖利率 {start}、現金 {cash}；每日殖利率變動為常態分布 "
        "{vol_bp} 基點；TMF 融資利差每年 {spread}；持有組合 {tlt} TLT、{tmf} TMF、{stocks} "
        "股票、{cash_weight} 現金。",
    ),
    "fund_title": ("{fund}: calendar-year total returns", "{fund}：各年度總報酬"),
    "simulated_note": (
        "Shaded years are simulated (the fund did not exist); the rest are the real fund.",
        "陰影年度為模擬（基金成立前）；其餘為真實基金。",
    ),
    "simulated": ("simulated (before the fund existed)", "模擬（基金成立前）"),
    "actual": ("actual", "實際"),
    "year": ("Year", "年度"),
    "series": ("Series", "序列"),
    "first": ("First", "起始"),
    "last": ("Last", "最後"),
    "rows": ("Rows", "筆數"),
    "state": ("State", "狀態"),
    "provider": ("Provider", "提供者"),
    "age": ("Age (days)", "距今（天）"),
    "freshness_line": (
        "Checked on {date}: {n_fresh} fresh, {n_stale} stale, {n_missing} missing of {n} series. "
        "Stale data is marked everywhere it is used and never counts as support.",
        "檢查日 {date}：{n} 個序列中 {n_fresh} 個最新、{n_stale} 個資料過時、{n_missing} 個缺少。"
        "過時資料在使用處皆有標示，且不計為支持。",
    ),
    "problems": ("Parts that could not be computed", "無法計算的部分"),
    "method_1": (
        "Every number on this page comes from the bondthesis library (the same calls as the "
        "command line: bondthesis scorecard, claims, pillar NAME --events, scenario, montecarlo, "
        "fund); the page formats and draws, it computes nothing.",
        "本頁每個數字皆來自 bondthesis 程式庫（與命令列相同：bondthesis scorecard、claims、"
        "pillar NAME --events、scenario、montecarlo、fund）；本頁僅排版與繪圖，不自行計算。",
    ),
    "method_2": (
        "Point in time: each series is read as it was published by the evaluation date "
        "(publication lags from the catalog); the scorecard weights pillars by their "
        "walk-forward out-of-sample skill against the next 12 months of bonds minus stocks.",
        "時點一致：每個序列只使用評估日前已公布的資料（依目錄的公布延遲）；記分卡依各支柱對未來 "
        "12 個月長債減股票報酬的滾動樣本外預測力加權。",
    ),
    "method_3": (
        "Long bonds before TLT existed (2002) are a synthetic TLT-like ladder of 30-year issues "
        "since 1962, net of TLT's 0.15% fee; TMF before 2009 is simulated from it with 3x daily "
        "leverage, its fee and a fitted financing spread. Simulated history is marked.",
        "TLT 成立（2002 年）前的長債，以 1962 年以來 30 年期公債組成的合成類 TLT 債券梯代替，"
        "並扣除 TLT 0.15% 的費用；2009 年前的 TMF 以 3 倍每日槓桿、費用與擬合的融資利差模擬。"
        "模擬的歷史皆有標示。",
    ),
    "method_4": (
        "Long daily series are thinned for the screen (every n-th point, the last one kept); the "
        "numbers in the tables are the library's, unrounded until display.",
        "長期每日序列為螢幕顯示而抽樣（每 n 點取一點，保留最後一點）；表格數字皆為程式庫結果，"
        "僅於顯示時四捨五入。",
    ),
    "library_english": (
        "",
        "規則、說明與數字描述由程式庫產生，保留英文原文。",
    ),
    "no_data": ("no data", "無資料"),
    "png_hint": (
        "Each chart's camera button saves it as a PNG.",
        "每張圖右上角的相機按鈕可將圖表存成 PNG。",
    ),
    "n_a": ("n/a", "無"),
    "yes": ("yes", "是"),
}

VERDICT_WORDS: dict[str, tuple[str, str]] = {
    "supports": ("supports", "支持"),
    "neutral": ("neutral", "中性"),
    "contradicts": ("contradicts", "反對"),
    "no data": ("no data", "無資料"),
    "holds": ("holds", "成立"),
    "partly": ("partly", "部分成立"),
    "does not hold": ("does not hold", "不成立"),
}

PILLAR_WORDS: dict[str, tuple[str, str]] = {
    "gold": ("Gold", "黃金"),
    "fiscal": ("Fiscal: interest as % of GDP", "財政：利息占 GDP 比重"),
    "issuance": ("Issuance: 20/30-year share", "發債：20/30 年期占比"),
    "positioning": ("Positioning: TLT short interest", "部位：TLT 做空部位"),
    "economy": ("Economy: slowdown and disinflation", "經濟：放緩與通膨降溫"),
    "policy": ("Policy: pressure on the Fed", "政策：聯準會壓力"),
    "trade": ("Trade: tariff uncertainty", "貿易：關稅不確定性"),
    "smart_money": ("Smart money: 13F calls vs puts", "聰明錢：13F 看漲期權對看跌期權"),
    "valuation": ("Valuation: earnings yield minus bond yields", "估值：盈餘殖利率減公債殖利率"),
}

FIGURE_WORDS: dict[str, tuple[str, str]] = {
    "gold": ("Gold's rise from its trailing 5-year low", "黃金自前 5 年低點的漲幅"),
    "interest": ("Federal interest payments as % of GDP", "聯邦利息支出占 GDP 比重"),
    "issuance": ("20- and 30-year bonds' share of issuance", "20 與 30 年期公債占發行比重"),
    "core_cpi": ("Core CPI, year on year", "核心 CPI 年增率"),
}

FIGURE_CLAIMS_ZH: dict[str, str] = {
    "gold": "黃金自 2020 年以來上漲約 200%；過去約 200% 的飆漲之後出現衰退。",
    "interest": "聯邦利息支出約占 GDP 的 4%。",
    "issuance": "20 與 30 年期公債約占總發行量的 1.7%。",
    "core_cpi": "核心通膨已回到 2021 年的水準。",
}

CLAIM_WORDS_ZH: dict[int, str] = {
    1: "黃金自 2020 年以來上漲約 200%。",
    2: "過去約 200% 的金價飆漲之後是衰退與通膨降溫，而非持續的通膨。",
    3: "聯邦利息支出每年約 1.2 兆美元，約占 GDP 的 4%。",
    4: "20 與 30 年期公債約占總發行量的 1.7%。",
    5: "TLT 做空部位約 1.44 億股，回補天數超過 4 天。",
    6: "核心通膨已回到 2021 年的水準；消費者信心處於十年低點。",
    7: "2008–2014 年：30 年期殖利率由約 4.5% 降至約 2.2%，TLT 上漲約 70%。",
    8: "2020 年：30 年期殖利率由約 2.4% 降至約 1.2%，TLT 在 12 個月內上漲約 40%。",
    9: "TLT 的有效久期約 15.5 年，殖利率約 4.4–4.7%。",
    10: "若長天期殖利率下跌 100/150/200 基點，TLT 報酬為 +15–18% / +25–30% / +35–45%（僅價格）。",
    11: "當這些條件同時出現時，長債表現勝過股票。",
}

_LOCALES = {"en": "en_US", "zh-Hant": "zh_Hant_TW"}
_DATE_PATTERNS = {"en": "MMM d, y", "zh-Hant": "y 年 M 月 d 日"}
_MONTH_PATTERNS = {"en": "MMM y", "zh-Hant": "y 年 M 月"}


class Messages:
    """Words, numbers and dates for one language (``"en"`` or ``"zh-Hant"``)."""

    def __init__(self, lang: str) -> None:
        if lang not in _LOCALES:
            raise ValueError(f"unknown language {lang!r}; choose one of: {', '.join(_LOCALES)}")
        self.lang = lang
        self.locale = _LOCALES[lang]
        self._index = 0 if lang == "en" else 1

    def __call__(self, key: str, **values: Any) -> str:
        """The message ``key`` with ``values`` filled in."""
        text = MESSAGES[key][self._index]
        return text.format(**values) if values else text

    def verdict(self, value: str) -> str:
        pair = VERDICT_WORDS.get(value)
        return value if pair is None else pair[self._index]

    def pillar(self, name: str) -> str:
        pair = PILLAR_WORDS.get(name)
        return name if pair is None else pair[self._index]

    def figure(self, key: str) -> str:
        pair = FIGURE_WORDS.get(key)
        return key if pair is None else pair[self._index]

    @property
    def colon(self) -> str:
        """The colon between a label and its value: ``": "`` or the full-width ``"："``."""
        return ": " if self.lang == "en" else "："

    def figure_claim(self, key: str, english: str) -> str:
        return english if self.lang == "en" else FIGURE_CLAIMS_ZH.get(key, english)

    def claim(self, number: int, english: str) -> str:
        return english if self.lang == "en" else CLAIM_WORDS_ZH.get(number, english)

    def pct(self, value: float | None, digits: int = 1, sign: bool = False) -> str:
        """A decimal as a percentage: ``pct(0.0509, 2) == "5.09%"``."""
        if value is None or not math.isfinite(value):
            return self("n_a")
        body = "#,##0" + ("." + "0" * digits if digits else "") + "%"
        pattern = f"+{body};-{body}" if sign else body
        return str(format_decimal(value, pattern, locale=self.locale))

    def num(self, value: float | None, digits: int = 2, sign: bool = False) -> str:
        if value is None or not math.isfinite(value):
            return self("n_a")
        body = "#,##0" + ("." + "0" * digits if digits else "")
        pattern = f"+{body};-{body}" if sign else body
        return str(format_decimal(value, pattern, locale=self.locale))

    def bp(self, value: float | None, digits: int = 0, sign: bool = False) -> str:
        """A decimal in basis points, without the unit: ``bp(0.00055, 1) == "5.5"``."""
        body = "#,##0" + ("." + "0" * digits if digits else "")
        body = f"+{body};-{body}" if sign else body
        if value is None or not math.isfinite(value):
            return self("n_a")
        return str(format_decimal(value * 10_000, body, locale=self.locale))

    def date(self, value: _date | None) -> str:
        if value is None:
            return self("n_a")
        return str(format_date(value, _DATE_PATTERNS[self.lang], locale=self.locale))

    def month(self, value: _date | None) -> str:
        if value is None:
            return self("n_a")
        return str(format_date(value, _MONTH_PATTERNS[self.lang], locale=self.locale))

    def ids(self, numbers: tuple[int, ...]) -> str:
        """Claim numbers as ``#1, #3``; ``—`` when there are none."""
        return ", ".join(f"#{n}" for n in numbers) if numbers else "—"
