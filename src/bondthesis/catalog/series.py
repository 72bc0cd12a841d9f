"""The entries of the catalog: one :class:`SeriesSpec` per series the thesis reads, in order.

The catalog is data, not code, and this module is only that table (``SPECS``);
:mod:`bondthesis.catalog` turns it into ``CATALOG`` (key -> spec, in this order, which is the
order of ``bondthesis status`` and of a whole-catalog refresh) and holds the lookups. The types
are in :mod:`bondthesis.catalog.types`.

``publication_lag_days`` is the typical delay between the end of an observation's period and the
day the value is public; point-in-time readings (``as_of=``) use it where the store has no
vintages. Lags are conservative medians from each agency's release calendar (CPI ~2 weeks after
the month, GDP ~30 days after the quarter, FINRA short interest ~7 business days after
settlement, 13F up to 45 days after the quarter).
"""

from __future__ import annotations

from bondthesis.catalog.types import Frequency, Provider, SeriesSpec, fred_series

__all__ = ["SPECS"]

# One-letter frequencies and PCT keep each entry of the table on one line where they fit; they
# are shorthand for this table only, hence here and not with the types.
D, W, M, Q, A = (
    Frequency.DAILY,
    Frequency.WEEKLY,
    Frequency.MONTHLY,
    Frequency.QUARTERLY,
    Frequency.ANNUAL,
)
PCT = "percent"

SPECS: tuple[SeriesSpec, ...] = (
    # Treasury curve (constant maturity), daily, published the next business day.
    *(
        fred_series(f"DGS{t}", D, PCT, f"{n} Treasury constant-maturity yield", 1, "curve")
        for t, n in [
            ("1MO", "1-month"),
            ("3MO", "3-month"),
            ("6MO", "6-month"),
            ("1", "1-year"),
            ("2", "2-year"),
            ("5", "5-year"),
            ("7", "7-year"),
            ("10", "10-year"),
            ("20", "20-year"),
            ("30", "30-year"),
        ]
    ),
    fred_series("GS10", M, PCT, "10-year Treasury CMT yield, monthly average", 1, "curve"),
    fred_series(
        "GS20",
        M,
        PCT,
        "20-year Treasury CMT yield, monthly average",
        1,
        "curve",
        ("GS20.csv", "alt/GS20.csv"),
    ),
    fred_series(
        "GS30",
        M,
        PCT,
        "30-year Treasury CMT yield, monthly average",
        1,
        "curve",
        ("GS30.csv", "alt/GS30.csv"),
    ),
    fred_series(
        "TB3MS",
        M,
        PCT,
        "3-month T-bill secondary-market rate, monthly",
        1,
        "funds",
        ("TB3MS.csv", "alt/TB3MS.csv"),
    ),
    fred_series("FEDFUNDS", M, PCT, "Effective federal funds rate, monthly", 1, "funds"),
    fred_series(
        "T10Y2Y", D, "percentage points", "10-year minus 2-year Treasury spread", 1, "policy"
    ),
    fred_series(
        "DFII10",
        D,
        PCT,
        "10-year TIPS real yield",
        1,
        "valuation",
        ("DFII10.csv", "alt/DFII10.csv"),
    ),
    fred_series("T10YIE", D, PCT, "10-year breakeven inflation", 1, "economy"),
    # Economy (pillar 5).
    fred_series("CPIAUCSL", M, "index 1982-84=100", "CPI-U all items, SA", 14, "economy"),
    fred_series(
        "CPILFESL",
        M,
        "index 1982-84=100",
        "Core CPI-U less food and energy, SA",
        14,
        "economy",
        ("CPILFESL.csv", "alt/CPILFESL.csv"),
    ),
    fred_series(
        "UMCSENT", M, "index 1966Q1=100", "University of Michigan consumer sentiment", 30, "economy"
    ),
    fred_series("UNRATE", M, PCT, "Unemployment rate, SA", 7, "economy"),
    fred_series(
        "SAHMREALTIME", M, "percentage points", "Real-time Sahm-rule indicator", 7, "economy"
    ),
    fred_series(
        "ICSA", W, "persons", "Initial jobless claims, SA (week ending Saturday)", 5, "economy"
    ),
    fred_series(
        "PAYEMS",
        M,
        "thousands of persons",
        "Nonfarm payrolls, SA",
        7,
        "economy",
        ("PAYEMS.csv", "alt/PAYEMS.csv"),
    ),
    fred_series(
        "BAMLH0A0HYM2",
        D,
        PCT,
        "ICE BofA US high-yield option-adjusted spread",
        1,
        "economy",
        ("BAMLH0A0HYM2.csv", "alt/BAMLH0A0HYM2.csv"),
    ),
    fred_series(
        "USREC",
        M,
        "0/1",
        "NBER recession indicator",
        0,
        "research",
        ("USREC.csv", "alt/USREC.csv"),
    ),
    fred_series("VIXCLS", D, "index", "CBOE VIX", 1, "economy"),
    # Fiscal (pillar 2).
    fred_series(
        "GDP",
        Q,
        "billions of USD, SAAR",
        "Nominal GDP",
        30,
        "fiscal",
        ("GDP.csv", "alt/GDP.csv"),
    ),
    fred_series(
        "A091RC1Q027SBEA",
        Q,
        "billions of USD, SAAR",
        "Federal government current expenditures: interest payments",
        30,
        "fiscal",
        ("A091RC1Q027SBEA.csv", "alt/A091RC1Q027SBEA.csv"),
    ),
    fred_series(
        "FYOINT", A, "millions of USD", "Federal outlays: interest, fiscal year", 60, "fiscal"
    ),
    fred_series(
        "FYFSD", A, "millions of USD", "Federal surplus or deficit, fiscal year", 60, "fiscal"
    ),
    fred_series("GFDEBTN", Q, "millions of USD", "Federal debt: total public debt", 60, "fiscal"),
    # Policy (pillar 6).
    fred_series(
        "NFCI",
        W,
        "index",
        "Chicago Fed National Financial Conditions Index",
        5,
        "policy",
        ("alt/NFCI.csv",),
    ),
    fred_series("WALCL", W, "millions of USD", "Fed total assets (Wednesday level)", 1, "policy"),
    fred_series("TREAST", Q, "millions of USD", "Fed holdings of Treasury securities", 1, "policy"),
    fred_series(
        "WSHOTSL", W, "millions of USD", "Fed holdings of Treasury notes and bonds", 1, "policy", ()
    ),
    fred_series("THREEFYTP10", D, PCT, "Kim-Wright 10-year term premium", 1, "policy", ()),
    # Trade and uncertainty (pillar 7).
    fred_series(
        "EPUTRADE", M, "index", "Trade-policy uncertainty (Baker-Bloom-Davis category)", 30, "trade"
    ),
    fred_series(
        "USEPUINDXD", D, "index", "US economic policy uncertainty, daily news index", 1, "trade"
    ),
    SeriesSpec(
        "GPR",
        Provider.IACOVIELLO,
        "GPR",
        M,
        "index",
        "Caldara-Iacoviello geopolitical risk index",
        10,
        (),
        "trade",
    ),
    SeriesSpec(
        "TPU",
        Provider.IACOVIELLO,
        "TPU",
        M,
        "index",
        "Caldara et al. trade policy uncertainty index",
        10,
        (),
        "trade",
    ),
    # Gold (pillar 1).
    SeriesSpec(
        "GOLD_MONTHLY",
        Provider.WORLDBANK,
        "GOLD",
        M,
        "USD per troy ounce",
        "Gold price, monthly average (World Bank Pink Sheet; LBMA-based)",
        5,
        ("gold_monthly.csv",),
        "gold",
    ),
    SeriesSpec(
        "GOLD_DAILY",
        Provider.STOOQ,
        "xauusd",
        D,
        "USD per troy ounce",
        "Gold spot price, daily close (Stooq XAUUSD; COMEX front future in snapshots)",
        1,
        ("gold_futures_GC_daily.csv",),
        "gold",
    ),
    # Funds and stocks: adjusted closes (total-return indices; use returns, not levels).
    *(
        SeriesSpec(t, Provider.PRICES, t, D, "USD, adjusted close", title, 1, (f"{t}.csv",), pil)
        for t, title, pil in [
            ("TLT", "iShares 20+ Year Treasury Bond ETF, adjusted close", "funds"),
            ("TMF", "Direxion Daily 20+ Year Treasury Bull 3X, adjusted close", "funds"),
            ("SPY", "SPDR S&P 500 ETF, adjusted close", "funds"),
            ("IEF", "iShares 7-10 Year Treasury Bond ETF, adjusted close", "funds"),
            ("GLD", "SPDR Gold Shares, close", "gold"),
        ]
    ),
    # Positioning (pillar 4): FINRA short interest, twice monthly.
    SeriesSpec(
        "TLT_SHORT_INTEREST",
        Provider.FINRA,
        "TLT:currentShortPositionQuantity",
        Frequency.BIWEEKLY,
        "shares",
        "TLT shares sold short (settlement date)",
        11,
        ("TLT_short_interest.csv",),
        "positioning",
    ),
    SeriesSpec(
        "TLT_DAYS_TO_COVER",
        Provider.FINRA,
        "TLT:daysToCoverQuantity",
        Frequency.BIWEEKLY,
        "days",
        "TLT short interest / average daily volume",
        11,
        ("TLT_short_interest.csv",),
        "positioning",
    ),
    SeriesSpec(
        "TLT_AVG_DAILY_VOLUME",
        Provider.FINRA,
        "TLT:averageDailyVolumeQuantity",
        Frequency.BIWEEKLY,
        "shares",
        "TLT average daily volume (FINRA)",
        11,
        ("TLT_short_interest.csv",),
        "positioning",
    ),
    # Smart money (pillar 8): 13F option positions in TLT, summed over filers, per quarter.
    SeriesSpec(
        "TLT_13F_CALL_VALUE",
        Provider.SEC,
        "464287432:Call",
        Q,
        "USD (underlying value)",
        "Value of TLT shares underlying call options reported by 13F filers",
        45,
        ("TLT_13F_options.csv",),
        "smart_money",
    ),
    SeriesSpec(
        "TLT_13F_PUT_VALUE",
        Provider.SEC,
        "464287432:Put",
        Q,
        "USD (underlying value)",
        "Value of TLT shares underlying put options reported by 13F filers",
        45,
        ("TLT_13F_options.csv",),
        "smart_money",
    ),
    SeriesSpec(
        "TLT_13F_CALL_FILERS",
        Provider.SEC,
        "464287432:Call:filers",
        Q,
        "filers",
        "Number of 13F filers reporting TLT call options",
        45,
        ("TLT_13F_options.csv",),
        "smart_money",
    ),
    SeriesSpec(
        "TLT_13F_PUT_FILERS",
        Provider.SEC,
        "464287432:Put:filers",
        Q,
        "filers",
        "Number of 13F filers reporting TLT put options",
        45,
        ("TLT_13F_options.csv",),
        "smart_money",
    ),
    SeriesSpec(
        "HOLDINGS_13F",
        Provider.SEC,
        "INFOTABLE:464287432",
        Q,
        "rows",
        "13F information-table rows in TLT (calls, puts and shares), one per filer",
        45,
        ("TLT_13F_options.csv", "TLT_13F_all_positions.csv"),
        "smart_money",
    ),
    # Issuance (pillar 3): trailing sums are derived from the auctions table.
    SeriesSpec(
        "AUCTIONS",
        Provider.FISCALDATA,
        "v1/accounting/od/auctions_query",
        Frequency.DAILY,
        "USD",
        "Treasury auction results (one row per auction)",
        0,
        ("treasury_auctions_1979_2026.csv",),
        "issuance",
    ),
    SeriesSpec(
        "INTEREST_EXPENSE",
        Provider.FISCALDATA,
        "v2/accounting/od/interest_expense",
        M,
        "USD",
        "Interest expense on public issues, monthly total",
        20,
        (),
        "fiscal",
    ),
    SeriesSpec(
        "MTS_RECEIPTS",
        Provider.FISCALDATA,
        "v1/accounting/mts/mts_table_1",
        M,
        "USD",
        "Total federal receipts, month (Monthly Treasury Statement)",
        12,
        (),
        "fiscal",
    ),
    SeriesSpec(
        "MTS_OUTLAYS",
        Provider.FISCALDATA,
        "v1/accounting/mts/mts_table_1",
        M,
        "USD",
        "Total federal outlays, month (Monthly Treasury Statement)",
        12,
        (),
        "fiscal",
    ),
    # Valuation (pillar 9) and stocks before 1993: Shiller's monthly data.
    *(
        SeriesSpec(
            f"SHILLER_{col.upper()}",
            Provider.SHILLER,
            col,
            M,
            units,
            title,
            lag,
            ("shiller_ie_data.csv",),
            "valuation",
        )
        for col, units, title, lag in [
            ("P", "index points", "S&P composite price, monthly average", 1),
            ("D", "index points, annual rate", "S&P composite dividends", 90),
            ("E", "index points, annual rate", "S&P composite earnings", 90),
            ("CPI", "index", "CPI used by Shiller", 14),
            ("CAPE", "ratio", "Cyclically adjusted P/E (CAPE)", 90),
            ("real_tr_price", "index", "Real total-return S&P price index", 90),
        ]
    ),
    # Files of the snapshot that no provider fetch replaces but that are worth keeping.
    SeriesSpec(
        "GOLD_ANNUAL",
        Provider.WORLDBANK,
        "GOLD:annual",
        A,
        "USD per troy ounce",
        "Gold price, annual average (long history back to 1833)",
        30,
        ("gold_annual.csv",),
        "gold",
    ),
    SeriesSpec(
        "BIDTOCOVER_10Y",
        Provider.FISCALDATA,
        "10-Year:bid_to_cover_ratio",
        Frequency.DAILY,
        "ratio",
        "Bid-to-cover of selected 10-year auctions",
        0,
        ("BIDTOCOVER_10Y.csv",),
        "issuance",
    ),
    SeriesSpec(
        "BIDTOCOVER_30Y",
        Provider.FISCALDATA,
        "30-Year:bid_to_cover_ratio",
        Frequency.DAILY,
        "ratio",
        "Bid-to-cover of selected 30-year auctions",
        0,
        ("BIDTOCOVER_30Y.csv",),
        "issuance",
    ),
    *(
        SeriesSpec(
            f"{sym}_SHORT_INTEREST",
            Provider.FINRA,
            f"{sym}:currentShortPositionQuantity",
            Frequency.BIWEEKLY,
            "shares",
            f"{sym} shares sold short (settlement date)",
            11,
            ("long_duration_etf_short_interest_2020_2021.csv",),
            "positioning",
        )
        for sym in ("TBT", "TMF", "EDV", "ZROZ", "VGLT", "SPTL", "TLH", "IEF")
    ),
)
