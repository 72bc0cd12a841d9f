"""Scan of one 13F data-set zip for TLT lines: streamed csv (bondthesis) vs pandas.read_csv.

A synthetic data set in the SEC layout (INFOTABLE.tsv with ``N_LINES`` lines, 1% of them TLT,
SUBMISSION.tsv with ``N_FILINGS`` filings) is written once to a temporary folder. Each variant
runs in its own process (so peak memory is its own), 5 times after a warm-up; the table shows the
median wall and CPU time (imports excluded; CPU time is steadier on a shared machine), the peak
resident memory (imports included) and the agreement (same TLT lines, same value sum).

    uv run python benchmarks/b_13f_zip_scan.py [n_lines]
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

N_LINES = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000
N_FILINGS = 8_000
RUNS = 5
TLT = "464287432"


def write_data_set(path: Path) -> None:
    rng = random.Random(7)
    info_header = (
        "ACCESSION_NUMBER\tINFOTABLE_SK\tNAMEOFISSUER\tTITLEOFCLASS\tCUSIP\tFIGI\tVALUE\t"
        "SSHPRNAMT\tSSHPRNAMTTYPE\tPUTCALL\tINVESTMENTDISCRETION\tOTHERMANAGER\t"
        "VOTING_AUTH_SOLE\tVOTING_AUTH_SHARED\tVOTING_AUTH_NONE\n"
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        submission = ["ACCESSION_NUMBER\tFILING_DATE\tSUBMISSIONTYPE\tCIK\tPERIODOFREPORT\n"]
        for i in range(N_FILINGS):
            submission.append(f"0000{i:06d}-24-000001\t14-FEB-2024\t13F-HR\t{i + 1}\t31-DEC-2023\n")
        archive.writestr("SUBMISSION.tsv", "".join(submission))
        with archive.open("INFOTABLE.tsv", "w") as handle:
            handle.write(info_header.encode())
            chunk: list[str] = []
            for i in range(N_LINES):
                filing = rng.randrange(N_FILINGS)
                is_tlt = rng.random() < 0.01
                cusip = TLT if is_tlt else f"{rng.randrange(10**8):08d}9"
                side = rng.choice(["", "", "Call", "Put"]) if is_tlt else ""
                shares = rng.randrange(100, 10**6)
                value = shares * 90 + rng.randrange(1000)
                chunk.append(
                    f"0000{filing:06d}-24-000001\t{i}\tISSUER {i % 5000} INC\tCOM\t{cusip}\t\t"
                    f"{value}\t{shares}\tSH\t{side}\tSOLE\t\t{shares}\t0\t0\n"
                )
                if len(chunk) == 50_000:
                    handle.write("".join(chunk).encode())
                    chunk = []
            handle.write("".join(chunk).encode())


def run_variant(variant: str, path: str) -> dict[str, float]:
    import pandas as pd

    from bondthesis.sources.sec13f import read_13f_zip

    start, cpu_start = time.perf_counter(), time.process_time()
    if variant == "bondthesis":
        lines, _filings = read_13f_zip(path)
        count, total = len(lines), float(lines["value"].sum())
    else:
        with zipfile.ZipFile(path) as archive, archive.open("INFOTABLE.tsv") as handle:
            frame = pd.read_csv(handle, sep="\t", dtype=str, keep_default_na=False)
        tlt = frame[frame["CUSIP"] == TLT]
        count, total = len(tlt), float(pd.to_numeric(tlt["VALUE"]).sum())
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_mb": peak_mb,
        "count": count,
        "total": total,
    }


def measure(variant: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--variant", variant, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic_form13f.zip"
        write_data_set(path)
        size_mb = path.stat().st_size / 1e6
        results: dict[str, list[dict[str, float]]] = {"bondthesis": [], "pandas": []}
        for variant in results:
            measure(variant, path)  # warm-up (imports, page cache)
        for _ in range(RUNS):
            for variant, runs in results.items():
                runs.append(measure(variant, path))
    ours, peer = results["bondthesis"], results["pandas"]
    median = {k: statistics.median(r["seconds"] for r in v) for k, v in results.items()}
    cpu = {k: statistics.median(r["cpu_seconds"] for r in v) for k, v in results.items()}
    memory = {k: statistics.median(r["peak_mb"] for r in v) for k, v in results.items()}
    agree = all(
        a["count"] == b["count"] and a["total"] == b["total"]
        for a, b in zip(ours, peer, strict=True)
    )
    print(f"13F zip scan: {N_LINES:,} INFOTABLE lines, zip {size_mb:.0f} MB, median of {RUNS} runs")
    print()
    print("| variant | median wall | median CPU | peak RSS | TLT lines | agrees with peer |")
    print("|---|---|---|---|---|---|")
    for name, label in (
        ("bondthesis", "bondthesis `read_13f_zip` (csv, streamed)"),
        ("pandas", "peer: `pandas.read_csv` whole INFOTABLE, then filter"),
    ):
        print(
            f"| {label} | {median[name]:.2f} s | {cpu[name]:.2f} s | {memory[name]:.0f} MB | "
            f"{int(results[name][0]['count']):,} | {'yes' if agree else 'NO'} |"
        )
    print()
    print(
        f"wall ratio bondthesis/pandas: {median['bondthesis'] / median['pandas']:.2f}; "
        f"CPU ratio: {cpu['bondthesis'] / cpu['pandas']:.2f}; "
        f"memory ratio: {memory['bondthesis'] / memory['pandas']:.2f}"
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--variant":
        print(json.dumps(run_variant(sys.argv[2], sys.argv[3])))
    else:
        main()
