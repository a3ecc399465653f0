"""Benchmark: `mops-xl build <sample> --pdf` end to end, and LibreOffice's share of it.

    python benchmarks/board_pack.py

Each sample is built three times in a fresh process (interpreter start, imports, workbook, framework, the
board pack's values-only copy and LibreOffice printing it); the best time counts. Inside the process the
LibreOffice call is timed too, so the table shows how much of a build is LibreOffice's. Target (issue 16):
under 10 s per sample on a 2-core machine. Writes benchmarks/results/board_pack.json and .md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
SAMPLES = sorted((HERE.parent / "samples").glob("*.xlsx"))
TARGET_S = 10.0

#: Run in the child process: the CLI's build with LibreOffice's export timed from inside.
_CHILD = """
import json, sys, time
import mops_xl.outputs.libreoffice as lo
spent = []
export = lo.export_pdf
def timed(*args, **kwargs):
    start = time.perf_counter()
    try:
        return export(*args, **kwargs)
    finally:
        spent.append(time.perf_counter() - start)
lo.export_pdf = timed
from mops_xl.cli import cli
try:
    cli(["build", sys.argv[1], "-o", sys.argv[2], "--pdf", "--quiet"], standalone_mode=False)
finally:
    print(json.dumps({"libreoffice_s": sum(spent)}))
"""


def one_build(sample: Path, out: Path) -> tuple[float, float]:
    """Build ``sample`` with ``--pdf`` in a fresh process.

    Returns:
        (wall seconds of the whole process, seconds inside LibreOffice).
    """
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(sample), str(out)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    wall = time.perf_counter() - start
    return wall, json.loads(done.stdout.strip().splitlines()[-1])["libreoffice_s"]


def main() -> None:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for sample in SAMPLES:
            runs = [one_build(sample, Path(tmp) / f"{sample.stem}-report.xlsx") for _ in range(3)]
            wall, lo = min(runs)
            pages = subprocess.run(
                ["pdfinfo", str(Path(tmp) / f"{sample.stem}-report.pdf")], capture_output=True, text=True, check=False
            ).stdout
            count = next((int(line.split()[-1]) for line in pages.splitlines() if line.startswith("Pages:")), None)
            results.append(
                {
                    "sample": sample.name,
                    "build_pdf_s": round(wall, 2),
                    "libreoffice_s": round(lo, 2),
                    "libreoffice_share": round(lo / wall, 2),
                    "pages": count,
                    "target_s": TARGET_S,
                    "met": wall < TARGET_S,
                }
            )
            print(f"{sample.name:<12} {wall:5.2f} s, LibreOffice {lo:5.2f} s ({lo / wall:.0%}), {count} pages")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
    machine += platform.python_version()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    (out / "board_pack.json").write_text(
        json.dumps({"machine": machine, "load_average": load, "results": results}, indent=1) + "\n"
    )
    lines = [
        f"Measured {dt.date.today():%Y-%m-%d} on {machine} (load average {load:.1f}) by "
        "`python benchmarks/board_pack.py`; best of 3 fresh processes.",
        "",
        "| sample | build --pdf (s) | LibreOffice (s) | LibreOffice's share | pages | target (s) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['sample']} | {r['build_pdf_s']} | {r['libreoffice_s']} | {r['libreoffice_share']:.0%} | {r['pages']} "
        f"| < {r['target_s']} |"
        for r in results
    ]
    (out / "board_pack.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
