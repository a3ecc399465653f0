"""The golden report: a small intake's report, read back as cell values and formulas (not bytes).

Regenerate after a deliberate change with ``python tests/golden_report.py`` and review the diff by eye.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).parent))

from intake_builders import write_valid  # noqa: E402

from mops_xl import build_report, load_intake  # noqa: E402

GOLDEN = Path(__file__).parent / "golden" / "small-report.json"
#: The sheets the golden file pins (the data sheets are the intake itself).
SHEETS = (
    "Dashboard",
    "KPI Framework",
    "Channel Strategy",
    "Channel Performance",
    "Budget Pacing",
    "Optimization Actions",
    "Experiments",
    "Funnel Coverage",
    "Maturity",
    "Data Notes",
)


def snapshot(folder: Path) -> dict:
    """Build the small report in ``folder`` and return its pinned content.

    Args:
        folder: A scratch folder.

    Returns:
        Sheet → cell → [formula or value, cached value].
    """
    report = build_report(load_intake(write_valid(folder / "small.xlsx")), folder / "small-report.xlsx")
    formulas, values = openpyxl.load_workbook(report), openpyxl.load_workbook(report, data_only=True)
    out: dict = {"sheets": formulas.sheetnames}
    for name in SHEETS:
        cells = {}
        for row in formulas[name].iter_rows():
            for c in row:
                if c.value is None:
                    continue
                cached = values[name][c.coordinate].value
                cells[c.coordinate] = [str(c.value), cached if not hasattr(cached, "isoformat") else cached.isoformat()]
        out[name] = cells
    return out


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        GOLDEN.write_text(
            json.dumps(snapshot(Path(tmp)), indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
        )
    print(f"wrote {GOLDEN}")
