"""The data the provider emulator serves: every catalog series at realistic sizes, seeded.

:func:`generate` builds, from a seed and an end date, the raw records each provider publishes
(FRED columns, Fiscal Data rows, FINRA rows, price histories, workbook cells, 13F filings) and
:meth:`EmulatedData.expected` says what a correct refresh must store for each catalog key, computed
from those records directly (not through bondthesis's parsers), so that the benchmark can check
agreement. The same seed and end date give the same bytes in any process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from bondthesis.catalog import CATALOG, Frequency, Provider

FRED_STARTS: dict[str, str] = {
    "DGS1MO": "2001-07-31",
    "DGS3MO": "1981-09-01",
    "DGS6MO": "1981-09-01",
    "DGS1": "1962-01-02",
    "DGS2": "1976-06-01",
    "DGS5": "1962-01-02",
    "DGS7": "1969-07-01",
    "DGS10": "1962-01-02",
    "DGS20": "1962-01-02",
    "DGS30": "1977-02-15",
    "T10Y2Y": "1976-06-01",
    "DFII10": "2003-01-02",
    "T10YIE": "2003-01-02",
    "BAMLH0A0HYM2": "1996-12-31",
    "VIXCLS": "1990-01-02",
    "THREEFYTP10": "1990-01-02",
    "USEPUINDXD": "1985-01-01",
    "ICSA": "1967-01-07",
    "NFCI": "1971-01-08",
    "WALCL": "2002-12-18",
    "WSHOTSL": "2002-12-18",
    "GS10": "1953-04-01",
    "GS20": "1953-04-01",
    "GS30": "1977-02-01",
    "TB3MS": "1934-01-01",
    "FEDFUNDS": "1954-07-01",
    "CPIAUCSL": "1947-01-01",
    "CPILFESL": "1957-01-01",
    "UMCSENT": "1978-01-01",
    "UNRATE": "1948-01-01",
    "SAHMREALTIME": "1959-12-01",
    "PAYEMS": "1939-01-01",
    "USREC": "1854-12-01",
    "EPUTRADE": "1985-01-01",
    "GDP": "1947-01-01",
    "A091RC1Q027SBEA": "1947-01-01",
    "GFDEBTN": "1966-01-01",
    "TREAST": "2002-10-01",
    "FYOINT": "1940-01-01",
    "FYFSD": "1901-01-01",
}
PRICE_STARTS = {
    "TLT": "2002-07-30",
    "TMF": "2009-04-16",
    "SPY": "2002-07-30",
    "IEF": "2002-07-30",
    "GLD": "2004-11-18",
}
FINRA_SYMBOLS = ("TLT", "TBT", "TMF", "EDV", "ZROZ", "VGLT", "SPTL", "TLH", "IEF")
PUBLIC_ISSUES = "INTEREST EXPENSE ON PUBLIC ISSUES"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SHILLER_HEADER = (
    "Date",
    "P",
    "D",
    "E",
    "CPI",
    "Fraction",
    "Rate GS10",
    "Price",
    "Dividend",
    "Price",
    "Earnings",
    "Earnings",
    "CAPE",
    "",
    "TR CAPE",
)
SHILLER_COLUMNS = {"P": 1, "D": 2, "E": 3, "CPI": 4, "CAPE": 12, "real_tr_price": 9}
TLT_CUSIP = "464287432"


def _walk(rng: np.random.Generator, n: int, start: float, step: float, decimals: int) -> np.ndarray:
    path = start + np.cumsum(rng.normal(0.0, step, n))
    return np.round(np.abs(path) + step, decimals)


def _dates(frequency: Frequency, start: str, end: date) -> pd.DatetimeIndex:
    first = pd.Timestamp(start)
    if frequency is Frequency.DAILY:
        return pd.bdate_range(first, end)
    if frequency is Frequency.WEEKLY:
        return pd.date_range(first, end, freq=f"W-{first.day_name()[:3].upper()}")
    lag = {Frequency.MONTHLY: 35, Frequency.QUARTERLY: 120, Frequency.ANNUAL: 400}[frequency]
    rule = {Frequency.MONTHLY: "MS", Frequency.QUARTERLY: "QS", Frequency.ANNUAL: "YS"}[frequency]
    return pd.date_range(first, end - timedelta(days=lag), freq=rule)


def _frame(dates: pd.DatetimeIndex, values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"date": dates, "value": np.asarray(values, dtype="float64")})


def _business_day_back(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


@dataclass
class EmulatedData:
    """Every provider's records; see the module docstring."""

    end: date
    fred: dict[str, pd.DataFrame] = field(default_factory=dict)
    auctions: list[dict[str, str]] = field(default_factory=list)
    interest: list[dict[str, str]] = field(default_factory=list)
    mts: list[dict[str, str]] = field(default_factory=list)
    finra: list[dict[str, object]] = field(default_factory=list)
    prices: dict[str, pd.DataFrame] = field(default_factory=dict)
    gold_daily: pd.DataFrame | None = None
    pink_sheet: list[list[object]] = field(default_factory=list)
    gpr_rows: list[list[object]] = field(default_factory=list)
    tpu_rows: list[list[object]] = field(default_factory=list)
    shiller_rows: list[list[object]] = field(default_factory=list)
    # one (file name, {table name: TSV text}) per 13F data set, oldest first
    sec_sets: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    sec_truth: dict[str, pd.DataFrame] = field(default_factory=dict)

    def expected(self) -> dict[str, pd.DataFrame]:
        """What a correct refresh stores per catalog key: non-missing (date, value) rows."""
        out: dict[str, pd.DataFrame] = {}
        for key, frame in self.fred.items():
            out[key] = frame
        auctions = pd.DataFrame(self.auctions)
        for key, term in (("BIDTOCOVER_10Y", "10-Year"), ("BIDTOCOVER_30Y", "30-Year")):
            part = auctions[
                (auctions["original_security_term"] == term)
                & auctions["security_type"].isin(["Note", "Bond"])
            ]
            out[key] = _frame(
                pd.DatetimeIndex(pd.to_datetime(part["auction_date"])),
                part["bid_to_cover_ratio"].astype(float).to_numpy(),
            )
        interest = pd.DataFrame(self.interest)
        interest = interest[interest["expense_catg_desc"] == PUBLIC_ISSUES]
        sums = interest.groupby("record_date")["month_expense_amt"].agg(
            lambda v: sum(float(x) for x in v)
        )
        month = pd.to_datetime(sums.index).to_period("M").to_timestamp()
        out["INTEREST_EXPENSE"] = _frame(pd.DatetimeIndex(month), sums.to_numpy())
        for key, column in (
            ("MTS_RECEIPTS", "current_month_gross_rcpt_amt"),
            ("MTS_OUTLAYS", "current_month_gross_outly_amt"),
        ):
            own = [r for r in self.mts if r.get("_own") == "yes"]
            dates = pd.to_datetime([r["record_date"] for r in own]).to_period("M").to_timestamp()
            out[key] = _frame(pd.DatetimeIndex(dates), np.array([float(r[column]) for r in own]))
        finra = pd.DataFrame(self.finra)
        for key, spec in CATALOG.items():
            if spec.provider is Provider.FINRA:
                symbol, column = spec.remote_id.split(":")
                part = finra[finra["symbolCode"] == symbol].sort_values("settlementDate")
                values = part[column].astype(float).to_numpy()
                if column == "daysToCoverQuantity":
                    values = np.where(values >= 999.99 - 1e-9, np.nan, values)
                out[key] = _frame(pd.DatetimeIndex(pd.to_datetime(part["settlementDate"])), values)
        for key, frame in self.prices.items():
            out[key] = frame
        assert self.gold_daily is not None
        out["GOLD_DAILY"] = self.gold_daily
        gold_at = self.pink_sheet[6].index("GOLD")
        data = self.pink_sheet[7:]
        out["GOLD_MONTHLY"] = _frame(
            pd.DatetimeIndex(pd.to_datetime([f"{r[0][:4]}-{r[0][5:]}-01" for r in data])),
            np.array([r[gold_at] for r in data], dtype=float),
        )
        gpr = self.gpr_rows[1:]
        out["GPR"] = _frame(
            pd.DatetimeIndex(
                pd.Timestamp("1899-12-30") + pd.to_timedelta([r[0] for r in gpr], "D")
            ),
            np.array([r[1] for r in gpr], dtype=float),
        )
        tpu = self.tpu_rows[1:]
        out["TPU"] = _frame(
            pd.DatetimeIndex([pd.Timestamp(r[0]) for r in tpu]),
            np.array([float(r[1]) for r in tpu]),
        )
        header_at = next(i for i, r in enumerate(self.shiller_rows) if r and r[0] == "Date")
        body = [r for r in self.shiller_rows[header_at + 1 :] if isinstance(r[0], float)]
        months = pd.DatetimeIndex(
            [pd.Timestamp(int(r[0]), round((r[0] - int(r[0])) * 100), 1) for r in body]
        )
        for remote, at in SHILLER_COLUMNS.items():
            values = [r[at] if isinstance(r[at], float) else np.nan for r in body]
            out[f"SHILLER_{remote.upper()}"] = _frame(months, np.array(values))
        out.update(self.sec_truth)
        return {k: v.dropna().reset_index(drop=True) for k, v in out.items()}


def _fred(data: EmulatedData, rng: np.random.Generator) -> None:
    for key, start in FRED_STARTS.items():
        spec = CATALOG[key]
        dates = _dates(spec.frequency, start, data.end)
        values = _walk(rng, len(dates), 5.0, 0.05 if spec.frequency is Frequency.DAILY else 0.3, 2)
        if spec.frequency is Frequency.DAILY:
            values[rng.random(len(dates)) < 0.035] = np.nan  # holidays, published as missing
        data.fred[key] = _frame(dates, values)


def _auctions(data: EmulatedData, rng: np.random.Generator) -> None:
    schedule = [  # (type, term, first year, every n weeks, years to maturity)
        ("Bill", "13-Week", 1979, 1, 0.25),
        ("Bill", "26-Week", 1979, 1, 0.5),
        ("Bill", "4-Week", 2001, 1, 0.08),
        ("Bill", "52-Week", 1979, 4, 1),
        ("Bill", "8-Week", 2018, 1, 0.16),
        ("Note", "2-Year", 1979, 4, 2),
        ("Note", "5-Year", 1979, 4, 5),
        ("Note", "7-Year", 1983, 4, 7),
        ("Note", "10-Year", 1979, 4, 10),
        ("Note", "3-Year", 1979, 13, 3),
        ("Bond", "30-Year", 1979, 13, 30),
        ("TIPS", "10-Year", 1997, 13, 10),
        ("FRN", "2-Year", 2014, 4, 2),
    ]
    rows = []
    number = 0
    last = data.end - timedelta(days=3)
    for kind, term, year, weeks, years in schedule:
        day = date(year, 1, 4) + timedelta(days=int(rng.integers(0, 5)))
        day += timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)
        while day <= last:
            if day.weekday() < 5:
                number += 1
                issue = day + timedelta(days=4)
                maturity = issue + timedelta(days=round(365.25 * years))
                offered = int(rng.integers(10, 80)) * 1_000_000_000
                rows.append(
                    {
                        "cusip": f"912{number:05d}{kind[0]}",
                        "auction_date": day.isoformat(),
                        "issue_date": issue.isoformat(),
                        "maturity_date": maturity.isoformat(),
                        "security_type": kind,
                        "security_term": term,
                        "original_security_term": term,
                        "reopening": "No",
                        "inflation_index_security": "Yes" if kind == "TIPS" else "No",
                        "floating_rate": "Yes" if kind == "FRN" else "No",
                        "offering_amt": str(offered),
                        "total_accepted": str(offered + int(rng.integers(0, 999_999))),
                        "high_yield": f"{rng.uniform(0.5, 6):.4f}" if kind != "FRN" else "null",
                        "int_rate": f"{rng.uniform(0.5, 6):.6f}" if kind != "Bill" else "null",
                        "bid_to_cover_ratio": f"{rng.uniform(2, 3.2):.2f}0000",
                    }
                )
            day += timedelta(weeks=weeks)
    rows.sort(key=lambda r: (r["auction_date"], r["cusip"]))
    data.auctions = rows


def _month_ends(first: date, end: date) -> list[date]:
    return [d.date() for d in pd.date_range(first, end - timedelta(days=20), freq="ME")]


def _interest(data: EmulatedData, rng: np.random.Generator) -> None:
    groups = [
        (PUBLIC_ISSUES, "ACCRUED INTEREST EXPENSE", "Treasury Notes", 1),
        (PUBLIC_ISSUES, "ACCRUED INTEREST EXPENSE", "Treasury Bonds", 1),
        (PUBLIC_ISSUES, "AMORTIZED DISCOUNT", "Treasury Bills", 1),
        (PUBLIC_ISSUES, "AMORTIZED PREMIUM", "Treasury Notes", -1),
        ("INTEREST EXPENSE ON INTRAGOVERNMENTAL", "ACCRUED INTEREST EXPENSE", "Trust Funds", 1),
    ]
    for month_end in _month_ends(date(2010, 5, 1), data.end):
        for category, group, kind, sign in groups:
            amount = sign * int(rng.integers(1_000_000, 40_000_000)) * 1000
            data.interest.append(
                {
                    "record_date": month_end.isoformat(),
                    "expense_catg_desc": category,
                    "expense_group_desc": group,
                    "expense_type_desc": kind,
                    "month_expense_amt": f"{amount}.00",
                    "fytd_expense_amt": "0.00",
                }
            )


def _mts(data: EmulatedData, rng: np.random.Generator) -> None:
    statements = _month_ends(date(2015, 10, 1), data.end)
    values = {  # month start -> (receipts, outlays), whole dollars
        date(d.year, d.month, 1): (
            int(rng.integers(200_000, 600_000)) * 1_000_000,
            int(rng.integers(400_000, 700_000)) * 1_000_000,
        )
        for d in _month_ends(date(2014, 10, 1), data.end)
    }
    for stamp in statements:
        fiscal = stamp.year + 1 if stamp.month >= 10 else stamp.year
        order = 0

        def add(
            label: str,
            month: date | None,
            own: bool = False,
            stamp: date = stamp,
            fiscal: int = fiscal,
        ) -> None:
            nonlocal order
            order += 1
            receipts, outlays = values[month] if month else (None, None)
            data.mts.append(
                {
                    "record_date": stamp.isoformat(),
                    "parent_id": "null",
                    "classification_id": str(order),
                    "classification_desc": label,
                    "current_month_gross_rcpt_amt": str(receipts) if month else "null",
                    "current_month_gross_outly_amt": str(outlays) if month else "null",
                    "current_month_dfct_sur_amt": "null",
                    "table_nbr": "1",
                    "src_line_nbr": str(order),
                    "print_order_nbr": str(order),
                    "record_fiscal_year": str(fiscal),
                    "_own": "yes" if own else "no",
                }
            )

        for year in (fiscal - 1, fiscal):
            add(f"FY {year}", None)
            months = [date(year - 1, m, 1) for m in (10, 11, 12)] + [
                date(year, m, 1) for m in range(1, 10)
            ]
            current = date(stamp.year, stamp.month, 1)
            for month in months:
                if month <= current and month in values:
                    add(MONTHS[month.month - 1], month, own=month == current)
            add("Year-to-Date", None)


def _finra(data: EmulatedData, rng: np.random.Generator) -> None:
    last = data.end - timedelta(days=11)
    nominal = []
    for month_end in pd.date_range("2014-01-01", last, freq="ME"):
        nominal += [date(month_end.year, month_end.month, 15), month_end.date()]
    for day in sorted(d for d in nominal if d <= last):
        settled = _business_day_back(day)
        for symbol in FINRA_SYMBOLS:
            short = int(rng.integers(1_000_000, 120_000_000))
            volume = int(rng.integers(0, 40_000_000)) if rng.random() > 0.02 else 0
            cover = round(short / volume, 2) if volume else 999.99
            data.finra.append(
                {
                    "symbolCode": symbol,
                    "daysToCoverQuantity": cover,
                    "stockSplitFlag": None,
                    "previousShortPositionQuantity": short - 1000,
                    "averageDailyVolumeQuantity": volume,
                    "issueName": f"{symbol} ETF",
                    "revisionFlag": None,
                    "changePercent": 0.5,
                    "currentShortPositionQuantity": short,
                    "changePreviousNumber": 1000,
                    "settlementDate": settled.isoformat(),
                    "marketClassCode": "ARCA",
                }
            )


def _prices_and_gold(data: EmulatedData, rng: np.random.Generator) -> None:
    for ticker, start in PRICE_STARTS.items():
        days = pd.bdate_range(start, data.end)
        data.prices[ticker] = _frame(days, _walk(rng, len(days), 60.0, 0.6, 4))
    days = pd.bdate_range("1990-01-02", data.end)
    data.gold_daily = _frame(days, _walk(rng, len(days), 400.0, 6.0, 2))


def _pink_sheet(data: EmulatedData, rng: np.random.Generator) -> None:
    codes = [f"C{i:02d}" for i in range(68)]
    codes.insert(40, "GOLD")
    months = pd.date_range("1960-01-01", data.end - timedelta(days=35), freq="MS")
    rows: list[list[object]] = [
        ["World Bank Commodity Price Data (The Pink Sheet)"],
        ["Monthly prices in nominal US dollars"],
        [f"Updated on {data.end:%B %d, %Y}"],
        [None],
        [None, *[f"Commodity {c}" if c != "GOLD" else "Gold" for c in codes]],
        [None, *["($/unit)" for _ in codes]],
        [None, *codes],
    ]
    columns = np.column_stack([_walk(rng, len(months), 50.0, 1.0, 2) for _ in codes])
    for i, month in enumerate(months):
        cells: list[object] = [float(v) for v in columns[i]]
        if month.year < 1980:  # some commodities start later; published as "…"
            cells[:10] = ["…"] * 10
        rows.append([f"{month.year}M{month.month:02d}", *cells])
    data.pink_sheet = rows


def _iacoviello(data: EmulatedData, rng: np.random.Generator) -> None:
    months = pd.date_range("1985-01-01", data.end - timedelta(days=20), freq="MS")
    extra = [f"GPRC_{c}" for c in ("USA", "CHN", "RUS", "GBR", "DEU", "FRA", "JPN", "KOR")]
    header = ["month", "GPR", "GPRT", "GPRA", "GPRH", "GPRHT", "GPRHA", *extra]
    columns = np.column_stack([_walk(rng, len(months), 100.0, 8.0, 4) for _ in header[1:]])
    serial = (months - pd.Timestamp("1899-12-30")).days
    data.gpr_rows = [header] + [
        [float(serial[i]), *map(float, columns[i])] for i in range(len(months))
    ]
    months = pd.date_range("1960-01-01", data.end - timedelta(days=20), freq="MS")
    tpu = _walk(rng, len(months), 60.0, 5.0, 4)
    hist = _walk(rng, len(months), 60.0, 5.0, 4)
    rows: list[list[object]] = [["DATE", "TPU", "TPU_STD"]]
    for i, month in enumerate(months):
        value: object = float(tpu[i]) if month.year < 2020 else f"{tpu[i]:.4f}"  # text lately
        rows.append([month.to_pydatetime(), value, float(hist[i])])
    data.tpu_rows = rows


def _shiller(data: EmulatedData, rng: np.random.Generator) -> None:
    months = pd.date_range("1871-01-01", data.end - timedelta(days=20), freq="MS")
    columns = np.column_stack([_walk(rng, len(months), 10.0, 0.4, 4) for _ in range(13)])
    rows: list[list[object]] = [
        ["Stock Market Data Used in 'Irrational Exuberance'"],
        ["Robert J. Shiller"],
        [None],
        ["Updated monthly"],
        [None],
        ["Consumer Price Index (CPI-U)"],
        [None],
        list(SHILLER_HEADER),
    ]
    for i, month in enumerate(months):
        cells = [float(v) for v in columns[i]]
        row: list[object] = [round(month.year + month.month / 100, 2), *cells[:12], "", cells[12]]
        if i >= len(months) - 3:  # the last months lack dividends and earnings
            row[2] = row[3] = row[8] = row[10] = row[11] = ""
        if i >= len(months) - 12:
            row[12] = ""
        rows.append(row)
    rows.append(["", "July price is July 1st close"])
    data.shiller_rows = rows


def _windows(end: date) -> list[tuple[date, date]]:
    windows: list[tuple[date, date]] = []
    for year in (end.year - 1, end.year):
        for month in (3, 6, 9, 12):
            first = date(year, month, 1)
            following = date(year + (month + 2) // 12, (month + 2) % 12 + 1, 1)
            last = following - timedelta(days=1)
            if last < end:
                windows.append((first, last))
    return windows[-2:]


def _sec(data: EmulatedData, rng: np.random.Generator) -> None:
    months = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
    calls: dict[pd.Timestamp, list[tuple[str, float]]] = {}
    puts: dict[pd.Timestamp, list[tuple[str, float]]] = {}
    for number, (first, last) in enumerate(_windows(data.end)):
        period = (pd.Timestamp(first) - pd.offsets.QuarterEnd(1)).date()
        price = float(np.round(rng.uniform(80, 100), 2))
        sub = ["ACCESSION_NUMBER\tFILING_DATE\tSUBMISSIONTYPE\tCIK\tPERIODOFREPORT"]
        cover = ["ACCESSION_NUMBER\tREPORTCALENDARORQUARTER\tAMENDMENTTYPE\tFILINGMANAGER_NAME"]
        info = [
            "ACCESSION_NUMBER\tINFOTABLE_SK\tNAMEOFISSUER\tTITLEOFCLASS\tCUSIP\tVALUE\t"
            "SSHPRNAMT\tSSHPRNAMTTYPE\tPUTCALL\tINVESTMENTDISCRETION"
        ]

        def day(d: date) -> str:
            return f"{d.day:02d}-{months[d.month - 1]}-{d.year}"

        for filer in range(60):
            cik = str(1_000_000 + filer)
            accession = f"000{cik}-{period.year % 100:02d}-{number:06d}"
            filed = first + timedelta(days=int(rng.integers(0, 45)))
            sub.append(f"{accession}\t{day(filed)}\t13F-HR\t{cik}\t{day(period)}")
            cover.append(f"{accession}\t{day(period)}\t\tMANAGER {filer} LLC")
            line = 0
            for side in ("SH", "Call", "Put"):
                if side != "SH" and rng.random() < 0.5:
                    continue
                shares = int(rng.integers(1, 500)) * 1000
                value = round(shares * price)
                line += 1
                putcall = "" if side == "SH" else side
                info.append(
                    f"{accession}\t{line}\tISHARES TR\t20 YR TR BD ETF\t{TLT_CUSIP}\t{value}\t"
                    f"{shares}\tSH\t{putcall}\tSOLE"
                )
                if side != "SH":
                    target = calls if side == "Call" else puts
                    target.setdefault(pd.Timestamp(period), []).append((cik, float(value)))
            for other in range(20):
                line += 1
                info.append(
                    f"{accession}\t{line}\tOTHER CORP {other}\tCOM\t{other:09d}\t"
                    f"{int(rng.integers(1000, 10**7))}\t{int(rng.integers(10, 10**5))}\tSH\t\tSOLE"
                )
        name = f"{first.day:02d}{months[first.month - 1].lower()}{first.year}-"
        name += f"{last.day:02d}{months[last.month - 1].lower()}{last.year}_form13f.zip"
        tables = {
            "SUBMISSION.tsv": "\n".join(sub) + "\n",
            "COVERPAGE.tsv": "\n".join(cover) + "\n",
            "INFOTABLE.tsv": "\n".join(info) + "\n",
        }
        data.sec_sets.append((name, tables))
    for side, found in (("CALL", calls), ("PUT", puts)):
        periods = pd.DatetimeIndex(sorted(found))
        data.sec_truth[f"TLT_13F_{side}_VALUE"] = _frame(
            periods, np.array([sum(v for _, v in found[p]) for p in periods])
        )
        data.sec_truth[f"TLT_13F_{side}_FILERS"] = _frame(
            periods, np.array([len({c for c, _ in found[p]}) for p in periods], dtype=float)
        )


def generate(end: date, seed: int = 2026) -> EmulatedData:
    """Every provider's records up to ``end`` (the emulator's "yesterday"), from ``seed``."""
    data = EmulatedData(end=end)
    steps = (_fred, _auctions, _interest, _mts, _finra, _prices_and_gold)
    steps += (_pink_sheet, _iacoviello, _shiller, _sec)
    for number, step in enumerate(steps):
        step(data, np.random.default_rng([seed, number]))
    return data
