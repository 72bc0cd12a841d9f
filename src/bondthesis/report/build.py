"""Gather the library's results for the report: every number comes from a library call.

:func:`build_report` reads the store once, runs the scorecard, both claims ledgers, the pillars'
event studies, the article's figures, the scenario, the payoff curve, the Monte Carlo fan and
the funds' histories, and returns a :class:`Report`. What depends only on the data is cached on
disk keyed by the store's fingerprint (:func:`bondthesis.data.freshness.store_fingerprint`), so
a second report of an unchanged store costs a read and a render.

The sections whose library lands later (``since the article``: ``bondthesis.research.track``;
``backtests``: ``bondthesis.backtest``) are gathered by :func:`_optional_sections`, each one call
that returns ``None`` while the module is absent; the page then says "not available".
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bondthesis import __version__
from bondthesis.data.freshness import DataFreshness, data_freshness
from bondthesis.data.store import Store
from bondthesis.errors import CacheMiss
from bondthesis.report import cache

__all__ = ["LANGUAGES", "Report", "ReportData", "build_report", "cache_key", "checked_freshness"]

LANGUAGES: tuple[str, ...] = ("en", "zh-Hant")
# The Monte Carlo the report shows: enough paths for stable 5%-95% quantiles, seeded.
MONTE_CARLO_PATHS = 20_000
SCENARIO_SHIFT_BP = -100.0
SCENARIO_HORIZON_MONTHS = 12.0


@dataclass(frozen=True, eq=False)
class ReportData:
    """Everything the report shows that depends only on the store (and ``as_of``)."""

    as_of: date | None
    check: Any  # bondthesis.research.thesis.ThesisCheck
    readings: tuple[Any, ...]  # PillarReading with its event study
    article_claims: Any  # ClaimsLedger on the article's date
    latest_claims: Any  # ClaimsLedger on the latest data
    verdict: Any  # bondthesis.research.verdict.ThesisVerdict
    figures: Any  # bondthesis.research.article.ArticleFigures
    scenario: Any  # ScenarioSection or None
    fan: Any  # MonteCarloFan or None
    funds: dict[str, Any]  # ticker -> FundSimulation
    since_funds: dict[str, Any] = dataclasses.field(default_factory=dict)  # ticker -> WindowReturn
    since_yield_change: float | None = None  # 30-year par yield, article's date to the end
    since_article: Any = None
    backtests: Any = None
    problems: tuple[str, ...] = ()

    def scorecard(self) -> Any:
        """The scorecard as the front door returns it (``bondthesis.scorecard(store)``)."""
        from bondthesis.research.thesis_report import ScorecardReport

        return ScorecardReport(self.check)

    def claims(self) -> Any:
        """The claims as the front door returns them (``bondthesis.claims(store)``)."""
        from bondthesis.research.thesis_report import ClaimsReport

        return ClaimsReport(article=self.article_claims, latest=self.latest_claims)


@dataclass(frozen=True, eq=False)
class ScenarioSection:
    """The scenario's inputs and results: curve, ladder, article table, payoff, path noise."""

    curve: Any  # CurveReading
    ladder_text: str
    article_table: tuple[Any, ...]
    result: Any  # ScenarioResult for SCENARIO_SHIFT_BP over SCENARIO_HORIZON_MONTHS
    path_dependence: tuple[Any, ...]
    payoff: Any  # PayoffCurve
    shift_bp: float
    horizon_months: float


@dataclass(frozen=True, eq=False)
class Report:
    """The report's content in one language: the data's results, their freshness, when built."""

    lang: str
    built_at: datetime
    freshness: DataFreshness
    data: ReportData
    from_cache: bool = False
    # The watcher's flips, newest first (``bondthesis watch --history``): read on every build,
    # not cached with ``data``, because a watch run adds flips without changing the series.
    flips: tuple[dict[str, Any], ...] = ()


def _scenario(store: Store, as_of: date | None) -> ScenarioSection:
    """``bondthesis scenario --shift-bp -100 --horizon-months 12 --article-table`` (the front
    door's ``scenario``, default position), plus the payoff curve on the same curve and ladder."""
    import bondthesis as bt
    from bondthesis.data.curve import build_ladder, read_curve
    from bondthesis.scenarios.payoff import payoff_curve

    reading = read_curve(store, as_of)
    ladder, ladder_text = build_ladder(store, reading, "simulated")
    report = bt.scenario(
        store,
        SCENARIO_SHIFT_BP,
        horizon_months=SCENARIO_HORIZON_MONTHS,
        article_table=True,
        as_of=as_of,
        inputs=(reading, ladder, ladder_text),
    )
    return ScenarioSection(
        curve=reading,
        ladder_text=ladder_text,
        article_table=report.article_rows or (),
        result=report.result,
        path_dependence=report.path_rows,
        payoff=payoff_curve(
            ladder,
            reading.curve,
            cash_rate=reading.cash_rate,
            horizon_months=SCENARIO_HORIZON_MONTHS,
        ),
        shift_bp=SCENARIO_SHIFT_BP,
        horizon_months=SCENARIO_HORIZON_MONTHS,
    )


def _fan(scenario: ScenarioSection | None, inputs: Any, as_of: date | None) -> Any:
    """The fan of the Monte Carlo that ``bondthesis montecarlo --start-yield Y --cash-rate C``
    runs (the command the report prints): the curve's long yield and bill rate, and the TLT-like
    ladder's duration and convexity from the store (fixed defaults without it)."""
    from bondthesis.scenarios.fan import montecarlo_fan
    from bondthesis.scenarios.market_start import market_start_from_inputs, starting_point
    from bondthesis.scenarios.montecarlo import MonteCarloSpec, TreasuryFund

    if scenario is None:
        return None
    reading = scenario.curve
    market = None
    if inputs is not None:
        try:
            market = market_start_from_inputs(inputs, as_of)
        except CacheMiss:
            market = None
    start = starting_point(
        market, start_yield=float(reading.curve.yields[-1]), cash_rate=float(reading.cash_rate)
    )
    spec = MonteCarloSpec(
        n_paths=MONTE_CARLO_PATHS,
        start_yield=start.start_yield,
        cash_rate=start.cash_rate,
        tlt=TreasuryFund(
            duration_years=start.duration_years,
            convexity_years2=start.convexity_years2,
            reference_yield=start.start_yield,
        ),
        seed=0,
    )
    return montecarlo_fan(spec)


BACKTEST_PRESETS: tuple[str, ...] = ("article", "6040", "spy", "hfea")


@dataclass(frozen=True, eq=False)
class BacktestSection:
    """The presets' backtests (``bondthesis.backtest``) and the stress windows."""

    results: dict[str, Any]  # preset name -> BacktestResult
    stress: Any  # StressResult or None


def _since_article(store: Store) -> Any:
    """The position, its parts, SPY and 60/40 since the article; None without the library."""
    try:
        from bondthesis.research.track import track  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    # The composites then and now are already in the report: not computed again.
    return track(store, composite=False)


def _backtests(store: Store) -> BacktestSection | None:
    """The presets over their whole history and the stress windows; None without the library."""
    try:
        from bondthesis.backtesting import (  # type: ignore[import-not-found,attr-defined,unused-ignore]
            backtest,
            stress_test,
        )
    except ImportError:
        return None
    results = {name: backtest(store, name) for name in BACKTEST_PRESETS}
    return BacktestSection(results=results, stress=stress_test(store, list(BACKTEST_PRESETS)))


def _optional_sections(store: Store, problems: list[str]) -> tuple[Any, Any]:
    """Since the article (track) and the backtests: one call each, None when not in this build."""
    found: list[Any] = []
    for name, gather in (("since the article", _since_article), ("backtests", _backtests)):
        try:
            found.append(gather(store))
        except (CacheMiss, ValueError, KeyError) as exc:
            problems.append(f"{name}: {exc}")
            found.append(None)
    return found[0], found[1]


def _funds(store: Store, problems: list[str]) -> tuple[Any, dict[str, Any]]:
    """The funds' inputs (None when the store lacks them) and TLT's and TMF's simulations."""
    from bondthesis.funds.history import load_fund_inputs, simulate_fund

    try:
        inputs = load_fund_inputs(store)
        return inputs, {ticker: simulate_fund(ticker, inputs) for ticker in ("TLT", "TMF")}
    except (CacheMiss, ValueError, IndexError) as exc:
        problems.append(f"fund history: {exc}")
        return None, {}


def _gather(store: Store, as_of: date | None) -> ReportData:
    from bondthesis.bonds.ladder import TLT_EXPENSE_RATIO
    from bondthesis.data.datasets import load_pillar_data
    from bondthesis.funds.history import fund_return, yield_change_between
    from bondthesis.pillars import OUTCOME_KEYS, PILLAR_KEYS
    from bondthesis.research.article import article_figures
    from bondthesis.research.claims import ARTICLE_AS_OF
    from bondthesis.research.events import build_outcomes, study_reading
    from bondthesis.research.thesis import EXTRA_KEYS, check_claims, score, synthetic_ladder
    from bondthesis.research.verdict import thesis_verdict

    problems: list[str] = []
    keys = (*PILLAR_KEYS, *OUTCOME_KEYS, *EXTRA_KEYS)  # what `bondthesis claims` reads
    data = load_pillar_data(store, as_of=as_of, keys=keys)
    inputs, funds = _funds(store, problems)
    # On the latest data the funds' ladder is the thesis's synthetic ladder (same yields, same
    # auctions, no cut: equal to the bit), so it is built once; with --as-of it is built on the
    # data of that date, as `bondthesis scorecard --as-of` does.
    ladder = inputs.ladder() if inputs is not None and as_of is None else synthetic_ladder(data)
    check = score(data, as_of, ladder=ladder)
    article_data = load_pillar_data(store, as_of=ARTICLE_AS_OF, keys=keys)
    article_check = score(article_data, ARTICLE_AS_OF, ladder=ladder, bootstrap_resamples=0)
    article = check_claims(
        article_data, ARTICLE_AS_OF, scorecard=article_check.scorecard, ladder=ladder
    )
    latest = check_claims(data, as_of, scorecard=check.scorecard, ladder=ladder)
    long_bonds = None if ladder is None else ladder.net_of_fee(TLT_EXPENSE_RATIO)
    outcomes = build_outcomes(
        data.panel,
        long_bonds,
        "synthetic TLT-like ladder since 1962 (bondthesis.bonds.ladder), net of TLT's 0.15% fee",
    )
    readings = tuple(study_reading(r, outcomes) for r in check.readings)
    scenario: ScenarioSection | None
    try:
        scenario = _scenario(store, as_of)
    except (CacheMiss, ValueError) as exc:
        scenario = None
        problems.append(f"scenario: {exc}")
    end = as_of or date.today()
    since_funds: dict[str, Any] = {}
    since_yield: float | None = None
    if inputs is not None and funds:
        try:
            since_funds = {t: fund_return(t, inputs, ARTICLE_AS_OF, end) for t in funds}
            since_yield = yield_change_between(inputs, ARTICLE_AS_OF, end)
        except (ValueError, IndexError, KeyError) as exc:
            problems.append(f"since the article: {exc}")
    since, backtests = _optional_sections(store, problems)
    return ReportData(
        as_of=as_of,
        check=check,
        readings=readings,
        article_claims=article,
        latest_claims=latest,
        verdict=thesis_verdict(check.scorecard, article, latest),
        figures=article_figures(data, readings),
        scenario=scenario,
        fan=_fan(scenario, inputs, as_of),
        funds=funds,
        since_funds=since_funds,
        since_yield_change=since_yield,
        since_article=since,
        backtests=backtests,
        problems=tuple(problems),
    )


def build_report(store: Store, lang: str = "en", as_of: date | None = None) -> Report:
    """The report's content for ``store`` in ``lang`` (``"en"`` or ``"zh-Hant"``).

    Raises
    ------
    CacheMiss
        The store is empty: run ``bondthesis refresh`` (or ``--snapshot DIR`` offline) first.
    ValueError
        ``lang`` is not one of :data:`LANGUAGES`.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of: {', '.join(LANGUAGES)}")
    freshness = checked_freshness(store, as_of)
    key = cache_key(freshness, as_of)
    folder = cache_folder(store)
    data = cache.load(folder, key)
    from_cache = data is not None
    if data is None:
        data = _gather(store, as_of)
        cache.save(folder, key, data)
    return Report(
        lang=lang,
        built_at=datetime.now(UTC),
        freshness=freshness,
        data=data,
        from_cache=from_cache,
        flips=tuple(watch_history(store)),
    )


def watch_history(store: Store) -> list[dict[str, Any]]:
    """The watcher's most recent flips (:data:`FLIPS_SHOWN`), newest first; none if never run."""
    from bondthesis.watching.run import flip_history

    return flip_history(store, FLIPS_SHOWN)


def watch_stamp(store: Store) -> str:
    """The newest flip's id: flips are only ever added, so it changes exactly when one is."""
    newest = watch_history(store)[:1]
    return str(newest[0]["id"]) if newest else "none"


FLIPS_SHOWN = 50


def checked_freshness(store: Store, as_of: date | None) -> DataFreshness:
    """The store's freshness on ``as_of`` (default today); CacheMiss saying how to fill an empty
    store."""
    freshness = data_freshness(store, as_of)
    if freshness.last_date is None:
        raise CacheMiss(
            f"the store at {store.path} is empty; fill it and write the report with "
            "`bondthesis report --refresh` (network) or, offline, `bondthesis report "
            "--snapshot ../shared/data` (the same as `bondthesis refresh [--snapshot DIR]` first)"
        )
    return freshness


@functools.lru_cache(maxsize=1)
def code_stamp() -> str:
    """A short hash of the package's own files (names, sizes, modification times).

    Part of every cache key, so that an edited or upgraded bondthesis never serves results or
    pages that older code made (the version number alone does not change between commits).
    """
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".j2"}:
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def cache_key(freshness: DataFreshness, as_of: date | None) -> str:
    """What the report's results depend on: the code, the store's content, the date."""
    return f"{code_stamp()}-{freshness.fingerprint}-{as_of or 'latest'}"


def cache_folder(store: Store) -> Path:
    """The report's cache, beside the store."""
    return store.path.parent / "cache"


def with_lang(report: Report, lang: str) -> Report:
    """The same report in another language (nothing is recomputed)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of: {', '.join(LANGUAGES)}")
    return dataclasses.replace(report, lang=lang)
