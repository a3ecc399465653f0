"""Benchmark: the bundled samples built end to end (interpreter start, imports, workbook and framework).

    python benchmarks/sample_build.py

Each sample is built three times in a fresh `mops-xl build` process; the best time counts. Target (issue 8):
under 2 s per sample. Writes benchmarks/results/sample_build.json and .md.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results_files import write_results

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
    write_results(
        "sample_build",
        results,
        ["| sample | build, workbook + framework (s) | target (s) |", "|---|---:|---:|"],
        [f"| {r['sample']} | {r['build_s']} | < {r['target_s']} |" for r in results],
    )


if __name__ == "__main__":
    main()
