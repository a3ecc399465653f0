"""The values-only copy carries notes written for it (issue 16): it has no formulas, no inputs and no data sheets,
so no text cell may speak of them. The living report keeps its own notes."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from mops_xl import build_report, load_intake

ROOT = Path(__file__).resolve().parents[1]
#: What issue 16 found in the values-only copy, and the like: formulas, inputs, editing, the Settings sheet, the
#: data sheets the copy leaves out, the Dashboard's chart data.
MEANT_FOR_THE_LIVING_REPORT = re.compile(
    r"formula|\binputs?\b|the one place to edit|Settings sheet|effect follows|change (it|them)|Chart data"
    r"|data sheet|recalculat|read from the",
    re.I,
)


def _texts(path: Path) -> list[tuple[str, str, str]]:
    wb = openpyxl.load_workbook(path)
    return [
        (ws.title, c.coordinate, c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("sample", ["saas", "d2c", "local"])
def test_no_text_cell_of_the_values_only_copy_speaks_of_formulas_or_inputs(sample: str, tmp_path: Path) -> None:
    intake = load_intake(ROOT / "samples" / f"{sample}.xlsx")
    path = build_report(intake, tmp_path / f"{sample}-values.xlsx", values_only=True)
    intake_text = {str(v) for table in intake.tables.values() for v in table.to_numpy().ravel() if isinstance(v, str)}
    found = [
        f"{sheet}!{cell}: {text[:90]}"
        for sheet, cell, text in _texts(path)
        if MEANT_FOR_THE_LIVING_REPORT.search(text) and text not in intake_text  # the team's own words stay
    ]
    assert found == []


@pytest.mark.slow
def test_the_living_report_still_says_where_to_edit(tmp_path: Path) -> None:
    """The check above can fail: the living report's notes do speak of inputs and the Settings sheet."""
    intake = load_intake(ROOT / "samples" / "saas.xlsx")
    path = build_report(intake, tmp_path / "saas-report.xlsx")
    notes = {(sheet, cell): text for sheet, cell, text in _texts(path) if cell == "A2"}
    assert MEANT_FOR_THE_LIVING_REPORT.search(notes[("Optimization Actions", "A2")])
    assert MEANT_FOR_THE_LIVING_REPORT.search(notes[("Reallocation", "A2")])
