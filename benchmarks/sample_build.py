"""Benchmark: the bundled samples built end to end (interpreter start, imports, workbook and framework).

    python benchmarks/sample_build.py

Each sample is built three times in a fresh `mops-xl build` process; the best time counts. Target (issue 8):
under 2 s per sample. Writes benchmarks/results/sample_build.json and .md.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
SAMPLES = sorted((HERE.parent / "samples").glob("*.xlsx"))
TARGET_S = 2.0


def best_build(sample: Path, out: Path, runs: int = 3) -> float:
    """The best wall time of ``runs`` fresh-process builds of ``sample``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mops_xl", "build", str(sample), "-o", str(out), "--quiet"], check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for sample in SAMPLES:
            seconds = best_build(sample, Path(tmp) / f"{sample.stem}-report.xlsx")
            results.append(
                {"sample": sample.name, "build_s": round(seconds, 2), "target_s": TARGET_S, "met": seconds < TARGET_S}
            )
            print(f"{sample.name:<12} {seconds:5.2f} s  ({'under' if seconds < TARGET_S else 'OVER'} {TARGET_S} s)")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
    (out / "sample_build.json").write_text(json.dumps({"machine": machine, "results": results}, indent=1) + "\n")
    lines = [
        f"Measured {dt.date.today():%Y-%m-%d} on {machine} by `python benchmarks/sample_build.py`.",
        "",
        "| sample | build, workbook + framework (s) | target (s) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {r['sample']} | {r['build_s']} | < {r['target_s']} |" for r in results]
    (out / "sample_build.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
