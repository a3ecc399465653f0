"""Benchmark: `mops-xl build` against the floor (read the Actuals with pandas+calamine, write them with
XlsxWriter in constant-memory mode), measured in the same run, at several sizes.

    python benchmarks/build_scale.py                 # 10,000 and 100,000 Actuals rows
    python benchmarks/build_scale.py 10000 1048575   # any sizes

Prints one line per size (floor, build, ratio, peak memory) and writes benchmarks/results/build_scale.json and
.md. Targets (issue: scale): build <= 1.5 x floor at 1,048,575 rows, peak memory < 2 GB, 10x rows <= 11x time.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from mops_xl import write_intake

HERE = Path(__file__).parent
COLUMNS = ["Date", "Channel", "Campaign", "Spend", "Impressions", "Clicks", "Leads", "MQLs", "SQLs", "Customers",
           "Revenue"]


def make_intake(path: Path, rows: int) -> Path:
    """Write an intake with ``rows`` Actuals rows (a year of daily rows per channel and campaign)."""
    channels = [f"Channel {i}" for i in range(8)]
    write_intake(path, {
        "Business": {"Business name": "Scale Co", "Period start": dt.date(2026, 1, 1),
                     "Period end": dt.date(2026, 12, 31), "Report as of": dt.date(2026, 12, 31)},
        "Channels": [{"Channel": c, "Paid": True} for c in channels],
        "Budget": [{"Channel": c, "Period start": dt.date(2026, 1, 1), "Period end": dt.date(2026, 12, 31),
                    "Planned spend": 1_000_000} for c in channels],
        "Actuals": [],
    })
    # Replace the empty Actuals sheet with a big one written fast (constant memory), keeping the rest.
    import openpyxl

    rng = np.random.default_rng(1)
    frame = pd.DataFrame({
        "Date": pd.Timestamp("2026-01-01") + pd.to_timedelta(np.arange(rows) % 365, unit="D"),
        "Channel": np.array(channels)[np.arange(rows) % len(channels)],
        "Campaign": [f"Campaign {i % 997}" for i in range(rows)],
        "Spend": rng.uniform(10, 500, rows).round(2), "Impressions": rng.integers(1000, 50000, rows),
        "Clicks": rng.integers(10, 900, rows), "Leads": rng.integers(0, 40, rows), "MQLs": rng.integers(0, 20, rows),
        "SQLs": rng.integers(0, 8, rows), "Customers": rng.integers(0, 3, rows),
        "Revenue": rng.uniform(0, 2000, rows).round(2),
    })
    frame["MQLs"] = np.minimum(frame["MQLs"], frame["Leads"])
    frame["SQLs"] = np.minimum(frame["SQLs"], frame["MQLs"])
    frame["Customers"] = np.minimum(frame["Customers"], frame["SQLs"])
    other = openpyxl.load_workbook(path)
    big = path.with_name("big-" + path.name)
    wb = xlsxwriter.Workbook(str(big), {"constant_memory": True, "strings_to_formulas": False})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    for ws_src in other.worksheets:
        ws = wb.add_worksheet(ws_src.title)
        if ws_src.title == "Actuals":
            ws.write_row(0, 0, COLUMNS)
            for r, rec in enumerate(frame.itertuples(index=False), start=1):
                ws.write_datetime(r, 0, rec[0].to_pydatetime(), date)
                ws.write_row(r, 1, rec[1:])
            continue
        for row in ws_src.iter_rows():
            for c in row:
                if c.value is not None:
                    if isinstance(c.value, dt.datetime):
                        ws.write_datetime(c.row - 1, c.column - 1, c.value, date)
                    else:
                        ws.write(c.row - 1, c.column - 1, c.value)
    wb.set_custom_property("mops-xl schema version", "1.1")
    wb.close()
    big.replace(path)
    return path


def floor(path: Path, out: Path) -> float:
    """Read the Actuals with pandas+calamine and write them back with XlsxWriter constant-memory mode."""
    start = time.perf_counter()
    frame = pd.read_excel(path, sheet_name="Actuals", engine="calamine")
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    ws = wb.add_worksheet("Actuals")
    ws.write_row(0, 0, list(frame.columns))
    for r, rec in enumerate(frame.itertuples(index=False), start=1):
        ws.write_row(r, 0, [v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in rec])
    wb.close()
    return time.perf_counter() - start


def build(path: Path, out: Path) -> tuple[float, float]:
    """Run `mops-xl build` in a fresh process: wall seconds and peak memory (MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mops_xl", "build", str(path), "-o", str(out), "--quiet"],
                   check=False)
    seconds = time.perf_counter() - start
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return seconds, peak


def main(sizes: list[int]) -> None:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            intake = make_intake(Path(tmp) / f"intake-{rows}.xlsx", rows)
            f = floor(intake, Path(tmp) / "floor.xlsx")
            b, peak = build(intake, Path(tmp) / f"report-{rows}.xlsx")
            results.append({"rows": rows, "floor_s": round(f, 2), "build_s": round(b, 2),
                            "ratio": round(b / f, 2), "peak_mb": round(peak)})
            print(f"{rows:>9,} rows: floor {f:6.2f} s, build {b:6.2f} s, ratio {b / f:4.2f}, peak {peak:,.0f} MB")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "build_scale.json").write_text(json.dumps(results, indent=1) + "\n")
    lines = ["| rows | floor (s) | build (s) | build ÷ floor | peak memory (MB) |", "|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['rows']:,} | {r['floor_s']} | {r['build_s']} | {r['ratio']} | {r['peak_mb']:,} |" for r in results]
    (out / "build_scale.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
