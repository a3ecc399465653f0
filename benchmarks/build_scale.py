"""Benchmark: `mops-xl build` against the floor, measured in the same run, at several sizes.

The floor is the least any tool must do with the big sheet: read it into pandas with the fastest reader
(pandas with the calamine engine) and write the same rows back with XlsxWriter in constant-memory mode.

    python benchmarks/build_scale.py                        # 10,000 / 100,000 / 1,048,575 Actuals rows
                                                            # and 1,000,000 Touchpoints rows
    python benchmarks/build_scale.py actuals:10000 touchpoints:200000   # any cases
    python benchmarks/build_scale.py --repeat 5 actuals:100000          # best of 5 floors and 5 builds
    python benchmarks/build_scale.py actuals:100000x5 actuals:1048575   # best of 5 at 100,000, one at 1,048,575

Each intake is a year of daily rows per channel and campaign (8 channels, 997 campaigns, every row a distinct
day, channel and campaign, so nothing is summed away), or a million touches over journeys of one to eight
touches. Prints one line per case (floor, build, ratio, peak memory of the build, the load average) and writes
benchmarks/results/build_scale.json and .md: a case measured replaces its row there, the rows of the cases not
measured this time are kept as they were (each row carries its own load average and runs). With ``--repeat N``
the floor and the build of a case run N times each, alternately (so a busy spell of the machine weighs on both),
and the fastest of each is kept. Targets (issue 8): build <= 1.5 x floor at 1,048,575 rows, peak memory < 2 GB,
10x rows <= 11x time; (issue 29) build <= 0.85 x floor at 100,000 rows.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from results_files import RESULTS, write_results

from mops_xl import write_intake

HERE = Path(__file__).parent
CHANNELS = [f"Channel {i}" for i in range(8)]
DEFAULT_CASES = ["actuals:10000", "actuals:100000", "actuals:1048575", "touchpoints:1000000"]


def actuals_rows(rows: int) -> pd.DataFrame:
    """A year of daily rows per channel and campaign, funnel counts consistent (MQLs <= Leads …)."""
    rng = np.random.default_rng(1)
    i = np.arange(rows)
    frame = pd.DataFrame(
        {
            "Date": pd.Timestamp("2026-01-01") + pd.to_timedelta(i % 365, unit="D"),
            "Channel": np.array(CHANNELS)[i % len(CHANNELS)],
            "Campaign": np.char.add("Campaign ", (i % 997).astype(str)),
            "Spend": rng.uniform(10, 500, rows).round(2),
            "Impressions": rng.integers(1000, 50000, rows),
            "Clicks": rng.integers(10, 900, rows),
            "Leads": rng.integers(0, 40, rows),
            "MQLs": rng.integers(0, 20, rows),
            "SQLs": rng.integers(0, 8, rows),
            "Customers": rng.integers(0, 3, rows),
            "Revenue": rng.uniform(0, 2000, rows).round(2),
        }
    )
    frame["MQLs"] = np.minimum(frame["MQLs"], frame["Leads"])
    frame["SQLs"] = np.minimum(frame["SQLs"], frame["MQLs"])
    frame["Customers"] = np.minimum(frame["Customers"], frame["SQLs"])
    return frame


def touchpoint_rows(rows: int) -> pd.DataFrame:
    """About ``rows`` touches: journeys of 1-8 touches an hour apart, a third converting on the last touch."""
    rng = np.random.default_rng(2)
    lengths = rng.integers(1, 9, rows // 4 + 8)
    lengths = lengths[: np.searchsorted(np.cumsum(lengths), rows) + 1]
    lengths[-1] -= lengths.sum() - rows
    journey = np.repeat(np.arange(len(lengths)), lengths)
    step = np.arange(rows) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    last = np.repeat(np.cumsum(lengths) - 1, lengths) == np.arange(rows)
    converted = last & (np.repeat(rng.random(len(lengths)), lengths) < 1 / 3)
    return pd.DataFrame(
        {
            "Journey ID": np.char.add("J", journey.astype(str)),
            "Timestamp": pd.Timestamp("2026-06-01")
            + pd.to_timedelta(journey % 180, unit="D")
            + pd.to_timedelta(step, unit="h"),
            "Channel": np.array(CHANNELS)[rng.integers(0, len(CHANNELS), rows)],
            "Converted": np.where(converted, "Yes", "No"),
            "Conversion value": np.where(converted, 120.0, 0.0),
        }
    )


def make_intake(path: Path, sheet: str, rows: int) -> Path:
    """Write a valid intake whose ``sheet`` (Actuals or Touchpoints) has ``rows`` rows."""
    big = actuals_rows(rows) if sheet == "Actuals" else touchpoint_rows(rows)
    small = write_intake(
        path.with_name("small-" + path.name),
        {
            "Business": {
                "Business name": "Scale Co",
                "Period start": dt.date(2026, 1, 1),
                "Period end": dt.date(2026, 12, 31),
                "Report as of": dt.date(2026, 12, 31),
            },
            "Channels": [{"Channel": c, "Paid": True} for c in CHANNELS],
            "Budget": [
                {
                    "Channel": c,
                    "Period start": dt.date(2026, 1, 1),
                    "Period end": dt.date(2026, 12, 31),
                    "Planned spend": 1_000_000,
                }
                for c in CHANNELS
            ],
            "Actuals": actuals_rows(len(CHANNELS) * 30).to_dict("records") if sheet != "Actuals" else [],
        },
    )
    # Copy the small intake's sheets, then stream the big one in (constant memory, like any fast exporter).
    import openpyxl

    source = openpyxl.load_workbook(small)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    date = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for ws_src in source.worksheets:
        ws = wb.add_worksheet(ws_src.title)
        if ws_src.title == sheet:
            ws.write_row(0, 0, list(big.columns))
            rows = big.itertuples(index=False)
        else:
            rows = ws_src.iter_rows(values_only=True)
        for r, rec in enumerate(rows, start=1 if ws_src.title == sheet else 0):
            for c, v in enumerate(rec):
                if isinstance(v, (dt.datetime, pd.Timestamp)):
                    ws.write_datetime(r, c, pd.Timestamp(v).to_pydatetime(), date)
                elif v is not None and not (isinstance(v, float) and np.isnan(v)):
                    ws.write(r, c, v.item() if hasattr(v, "item") else v)
    wb.set_custom_property("mops-xl schema version", "1.1")
    wb.close()
    small.unlink()
    return path


def floor(path: Path, sheet: str, out: Path) -> float:
    """Read ``sheet`` with pandas+calamine and write its rows back with XlsxWriter constant-memory mode."""
    start = time.perf_counter()
    frame = pd.read_excel(path, sheet_name=sheet, engine="calamine")
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    ws = wb.add_worksheet(sheet)
    ws.write_row(0, 0, list(frame.columns))
    for r, rec in enumerate(frame.itertuples(index=False), start=1):
        ws.write_row(r, 0, [v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in rec])
    wb.close()
    return time.perf_counter() - start


#: Runs the CLI, then prints the process's own peak resident memory (KiB) as its last line. VmHWM, not
#: ru_maxrss: Linux carries ru_maxrss over from the forking parent across exec.
_MEASURED_CLI = """
import re, sys
from pathlib import Path
from mops_xl.cli import cli
try:
    cli(sys.argv[1:], prog_name="mops-xl")
except SystemExit as exc:
    code = exc.code
print(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1), file=sys.stderr)
sys.exit(code)
"""


def build(path: Path, out: Path) -> tuple[float, float]:
    """Run `mops-xl build` in a fresh process: wall seconds (interpreter start included) and peak memory (MB)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED_CLI, "build", str(path), "-o", str(out), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"build failed ({done.returncode}): {done.stdout}{done.stderr}")
    return seconds, int(done.stderr.strip().splitlines()[-1]) / 1024


def load_average() -> float:
    """The machine's load average over the last minute (other work sharing its cores)."""
    return float(Path("/proc/loadavg").read_text().split()[0]) if Path("/proc/loadavg").exists() else float("nan")


def measure(intake: Path, sheet: str, rows: int, tmp: Path, repeat: int) -> dict:
    """The fastest of ``repeat`` floors and of ``repeat`` builds of one intake, run alternately."""
    floors, builds, peaks, loads = [], [], [], [load_average()]
    for _ in range(repeat):
        floors.append(floor(intake, sheet, tmp / "floor.xlsx"))
        seconds, peak = build(intake, tmp / f"report-{rows}.xlsx")
        builds.append(seconds)
        peaks.append(peak)
        loads.append(load_average())
    f, b = min(floors), min(builds)
    return {
        "sheet": sheet,
        "rows": rows,
        "floor_s": round(f, 2),
        "build_s": round(b, 2),
        "ratio": round(b / f, 2),
        "peak_mb": round(max(peaks)),
        "runs": repeat,
        "load_average": round(sum(loads) / len(loads), 2),
    }


def main(cases: list[str], repeat: int = 1) -> None:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            kind, size = case.split(":")
            rows, _, times = size.partition("x")
            sheet, rows, times = kind.capitalize(), int(rows), int(times or repeat)
            intake = make_intake(Path(tmp) / f"intake-{kind}-{rows}.xlsx", sheet, rows)
            r = measure(intake, sheet, rows, Path(tmp), times)
            results.append(r)
            print(
                f"{sheet:<11} {rows:>9,} rows: floor {r['floor_s']:6.2f} s, build {r['build_s']:6.2f} s, ratio "
                f"{r['ratio']:4.2f}, peak {r['peak_mb']:,} MB (best of {times}, load average {r['load_average']})",
                flush=True,
            )
            intake.unlink()
    results = kept_results(results)
    write_results(
        "build_scale",
        results,
        [
            "| sheet | rows | floor (s) | build (s) | build ÷ floor | peak memory (MB) | runs (best of) "
            "| load average |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ],
        [
            f"| {r['sheet']} | {r['rows']:,} | {r['floor_s']} | {r['build_s']} | {r['ratio']} | {r['peak_mb']:,} "
            f"| {r['runs']} | {r['load_average']} |"
            for r in results
        ],
    )


def kept_results(measured: list[dict]) -> list[dict]:
    """The results to write: this run's, and the last results file's rows of the cases not measured this time.

    Args:
        measured: This run's results.

    Returns:
        Every row, Actuals before Touchpoints, each by its number of rows.
    """
    last = RESULTS / "build_scale.json"
    earlier = json.loads(last.read_text())["results"] if last.exists() else []
    done = {(r["sheet"], r["rows"]) for r in measured}
    rows = [r for r in earlier if (r["sheet"], r["rows"]) not in done] + measured
    return sorted(rows, key=lambda r: (r["sheet"] != "Actuals", r["rows"]))


if __name__ == "__main__":
    args = sys.argv[1:]
    times = 1
    if args[:1] == ["--repeat"]:
        times, args = int(args[1]), args[2:]
    main(args or DEFAULT_CASES, times)
