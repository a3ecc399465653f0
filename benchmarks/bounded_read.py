"""Benchmark: the memory a read takes when one stray value sits at Z1048576 of Actuals (issue 27).

    python benchmarks/bounded_read.py

The small valid intake of the tests is read twice, each in a fresh process: as it is, and with one number added at
Z1048576 of Actuals. The reader stops at the table's end (a table may skip at most 1,000 empty rows,
``mops_xl.intake.cells.MAX_GAP_ROWS``), so both reads should take about the same peak memory; before, the stray
value made the reader hold 1,048,576 rows × 26 columns (about 1.25 GB). Writes benchmarks/results/bounded_read.json
and .md.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from results_files import write_results

HERE = Path(__file__).parent
TESTS = HERE.parent / "tests"

_READ = """
import resource, sys, time
from mops_xl import read_intake
start = time.perf_counter()
intake, report = read_intake(sys.argv[1])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(peak / (1024 if sys.platform != "darwin" else 1024 * 1024), seconds, intake is not None, len(report.warnings))
"""


def peak_read(intake: Path) -> dict[str, float | bool | int]:
    """Read ``intake`` in a fresh process and return its peak memory (MB), seconds, and whether it was valid."""
    done = subprocess.run([sys.executable, "-c", _READ, str(intake)], capture_output=True, text=True, check=True)
    peak, seconds, valid, warnings = done.stdout.split()
    return {"peak_mb": round(float(peak)), "read_s": round(float(seconds), 2), "valid": valid == "True"} | {
        "warnings": int(warnings)
    }


def main() -> None:
    sys.path.insert(0, str(TESTS))
    from hostile_files import far_cell, valid_copy

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        plain = valid_copy(Path(tmp), "plain.xlsx")
        stray = far_cell(valid_copy(Path(tmp), "stray.xlsx"), "Actuals", "Z1048576")
        for label, intake in (("valid intake", plain), ("one value at Actuals!Z1048576", stray)):
            results.append({"intake": label, **peak_read(intake)})
            print(f"{label:<32} {results[-1]['peak_mb']:>6} MB  {results[-1]['read_s']:5.2f} s")
    write_results(
        "bounded_read",
        results,
        ["| intake | peak memory of the read (MB) | read (s) | valid | warnings |", "|---|---:|---:|---|---:|"],
        [f"| {r['intake']} | {r['peak_mb']} | {r['read_s']} | {r['valid']} | {r['warnings']} |" for r in results],
    )


if __name__ == "__main__":
    main()
