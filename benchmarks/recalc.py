"""Benchmark: how long LibreOffice takes to open a big report with recalculation forced, against a plain open.

Excel recalculates a report fully when it opens it (XlsxWriter's default), so the recalculation is what a reader
waits for. LibreOffice headless stands in for it: load + save of the report as it is (cached values copied
through), against load + save with recalculation forced (a private profile that says "always recalculate").

    python benchmarks/recalc.py              # a report of a 100,000-row intake, best of 3 runs
    python benchmarks/recalc.py 20000 5      # rows, runs

The intake is benchmarks/build_scale.py's (a year of daily rows, 8 channels, 997 campaigns). Both timings of a
run are taken back to back; the result is the best plain and the best forced time of the runs, their
ratio, and the median of the runs' own ratios (each plain and forced pair measured side by side). Prints
and writes benchmarks/results/recalc.json and .md, with the load average beside the figures. Target (issue 29):
forced recalculation within 2 x the plain load.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build_scale import make_intake
from results_files import write_results

from mops_xl import build_report, load_intake
from mops_xl.outputs.libreoffice import _RECALC_SETTINGS, find_soffice


def open_and_save(report: Path, outdir: Path, profile: Path, recalculate: bool) -> float:
    """Load and save ``report`` with LibreOffice headless; the wall seconds it took.

    Args:
        report: The report workbook.
        outdir: Where LibreOffice writes its copy.
        profile: A LibreOffice user profile folder (warmed up before, so its first start is not timed).
        recalculate: Whether the profile forces recalculation on load.

    Returns:
        The seconds.
    """
    soffice = find_soffice()
    if soffice is None:
        raise SystemExit("LibreOffice is not installed")
    start = time.perf_counter()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(outdir),
            str(report),
        ],
        capture_output=True,
        check=True,
        timeout=1200,
    )
    seconds = time.perf_counter() - start
    if not (outdir / report.name).is_file():
        raise SystemExit(f"LibreOffice wrote no copy of {report.name}")
    return seconds


def profiles(folder: Path) -> dict[bool, Path]:
    """A plain and a recalculating LibreOffice profile, each started once so that start-up is not timed."""
    made = {}
    for forced in (False, True):
        profile = folder / ("profile-recalc" if forced else "profile-plain")
        (profile / "user").mkdir(parents=True)
        if forced:
            (profile / "user" / "registrymodifications.xcu").write_text(_RECALC_SETTINGS, encoding="utf-8")
        made[forced] = profile
    return made


def measure(report: Path, folder: Path, runs: int) -> list[dict[str, float]]:
    """Time plain and forced load + save of ``report``, ``runs`` times, back to back.

    Returns:
        One dict per run: plain_s, recalc_s, ratio, load (the 1-minute load average before the run).
    """
    made = profiles(folder)
    warm = folder / "warm.xlsx"
    build_scale_small = report.with_name("warm-intake.xlsx")
    build_report(load_intake(make_intake(build_scale_small, "Actuals", 200)), warm)
    for forced, profile in made.items():  # first start of a profile fills it in: not timed
        open_and_save(warm, folder / "warm-out", profile, forced)
    measured = []
    for run in range(runs):
        load = os.getloadavg()[0]
        plain = open_and_save(report, folder / "plain", made[False], False)
        forced = open_and_save(report, folder / "forced", made[True], True)
        measured.append({"plain_s": plain, "recalc_s": forced, "ratio": forced / plain, "load": load})
        print(
            f"run {run + 1}: plain {plain:6.2f} s, recalculated {forced:6.2f} s, ratio {forced / plain:4.2f}, "
            f"load {load:.2f}",
            flush=True,
        )
    return measured


def main(rows: int, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="mops-xl-recalc-") as tmp:
        folder = Path(tmp)
        intake = make_intake(folder / f"intake-{rows}.xlsx", "Actuals", rows)
        report = build_report(load_intake(intake), folder / f"report-{rows}.xlsx")
        measured = measure(report, folder, runs)
    best_plain, best_forced = min(m["plain_s"] for m in measured), min(m["recalc_s"] for m in measured)
    ratios = sorted(m["ratio"] for m in measured)
    result = {
        "rows": rows,
        "runs": [{k: round(v, 2) for k, v in m.items()} for m in measured],
        "plain_s": round(best_plain, 2),
        "recalc_s": round(best_forced, 2),
        "ratio": round(best_forced / best_plain, 2),
        "median_run_ratio": round(ratios[len(ratios) // 2], 2),
        "load": round(sum(m["load"] for m in measured) / len(measured), 2),
    }
    print(
        f"{rows:,} rows, best of {runs}: plain {result['plain_s']} s, recalculated {result['recalc_s']} s, "
        f"ratio {result['ratio']} (median of the runs' own {result['median_run_ratio']}; load {result['load']})"
    )
    write_results(
        "recalc",
        [result],
        [
            "| Actuals rows | plain load + save (s) | with recalculation forced (s) | ratio (best ÷ best) "
            "| median ratio of a run | load average |",
            "|---:|---:|---:|---:|---:|---:|",
        ],
        [
            f"| {rows:,} | {result['plain_s']} | {result['recalc_s']} | {result['ratio']} "
            f"| {result['median_run_ratio']} | {result['load']} |"
        ],
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, int(sys.argv[2]) if len(sys.argv) > 2 else 3)
