"""The report is a living model: LibreOffice, recalculating every formula, gets the engine's numbers.

LibreOffice (headless) is required: .ci/run installs it. All sample reports are converted in one
LibreOffice call from a session-scoped fixture (one profile per call: parallel runs sharing one collide).
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from mops_xl import analyse, build_report, load_intake
from mops_xl.outputs.libreoffice import find_soffice, recalculate

pytestmark = pytest.mark.libreoffice  # every test recalculates in LibreOffice

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("saas", "d2c", "local")
ERRORS = ("#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")


def test_libreoffice_is_installed() -> None:
    assert find_soffice(), "LibreOffice is needed for the recalculation tests: apt-get install libreoffice-calc"


@pytest.fixture(scope="session")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("reports")
    built = [build_report(load_intake(ROOT / "samples" / f"{s}.xlsx"), folder / f"{s}-report.xlsx") for s in SAMPLES]
    outs = recalculate(built, folder / "recalculated")
    return {s: (b, o) for s, b, o in zip(SAMPLES, built, outs, strict=False)}


def _same(exp: object, got: object) -> bool:
    if isinstance(exp, (int, float)) and isinstance(got, (int, float)) and not isinstance(exp, bool):
        return math.isclose(exp, got, rel_tol=1e-9, abs_tol=1e-9)
    return exp == got


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_formula_recalculates_to_the_engine_value(sample: str, recalculated) -> None:
    built, out = recalculated[sample]
    formulas = openpyxl.load_workbook(built)
    cached = openpyxl.load_workbook(built, data_only=True)
    fresh = openpyxl.load_workbook(out, data_only=True)
    checked, wrong = 0, []
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                checked += 1
                exp, got = cached[ws.title][cell.coordinate].value, fresh[ws.title][cell.coordinate].value
                if not _same(exp, got):
                    wrong.append(f"{ws.title}!{cell.coordinate}: engine {exp!r}, LibreOffice {got!r} ({cell.value})")
    assert checked > 150, "the report should be made of formulas"
    assert wrong == []


@pytest.mark.parametrize("sample", SAMPLES)
def test_recalculated_figures_are_the_engines(sample: str, recalculated) -> None:
    """Not only the cached values: LibreOffice's own results, read back by row label and column header, are the
    engine's figures (the scan of tests/test_report_lays_out.py, over the recalculated workbook)."""
    from test_report_lays_out import scan

    _, out = recalculated[sample]
    s = scan(analyse(load_intake(ROOT / "samples" / f"{sample}.xlsx")), openpyxl.load_workbook(out, data_only=True))
    assert len(s.seen) > 300
    assert s.wrong == []


@pytest.mark.parametrize("sample", SAMPLES)
def test_no_cell_shows_an_error_after_recalculation(sample: str, recalculated) -> None:
    _, out = recalculated[sample]
    errors = [
        f"{ws.title}!{c.coordinate}: {c.value}"
        for ws in openpyxl.load_workbook(out, data_only=True).worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith(ERRORS)
    ]
    assert errors == []


def _find(ws, first_column_value: str, header: str, header_row: int = 4):
    headers = [c.value for c in ws[header_row]]
    for row in ws.iter_rows(min_row=header_row + 1):
        if row[0].value == first_column_value:
            return row[headers.index(header)]
    raise KeyError(first_column_value)


def test_edited_inputs_flow_through_the_formulas(tmp_path: Path) -> None:
    """Edit a threshold, a target and a budget in the report's data sheets; the statuses follow.

    Before, in the SaaS sample: LinkedIn Ads CAC 6,855.58 against its 3,500 CAC target (attainment 0.51, Off
    track); Google Ads On pace. After: the underperforming threshold at 50 % makes LinkedIn "At risk"; a
    Content & SEO Leads target of 2,000 (to date 2,000 x 72 / 92 = 1,565.2 against 1,004 leads: 0.64, was 1.43
    Ahead) makes it "At risk" under the new 50 % threshold; doubling Google Ads' Q3 budget halves its pace
    (0.94 -> 0.47): "Under pace".
    """
    intake = load_intake(ROOT / "samples" / "saas.xlsx")
    path = build_report(intake, tmp_path / "saas-report.xlsx", analyse(intake))
    wb = openpyxl.load_workbook(path)  # openpyxl drops charts on save: this test checks values only
    settings = {r[0].value: r[1] for r in wb["Settings"].iter_rows(min_row=2) if r[0].value}
    settings["Underperforming threshold"].value = 0.5
    targets = wb["Targets"]
    for row in targets.iter_rows(min_row=2):
        if (row[0].value, row[1].value) == ("Leads", "Content & SEO"):
            row[2].value = 2000
    budget = wb["Budget"]
    for row in budget.iter_rows(min_row=2):
        if row[0].value == "Google Ads" and row[1].value.month == 7:
            row[3].value = 104000
    wb.save(path)
    out = recalculate([path], tmp_path / "out")[0]
    fresh = openpyxl.load_workbook(out, data_only=True)
    perf = fresh["Channel Performance"]
    assert _find(perf, "LinkedIn Ads", "Status").value == "At risk"
    assert _find(perf, "Content & SEO", "Attainment").value == pytest.approx(1004 / (2000 * 72 / 92))
    assert _find(perf, "Content & SEO", "Status").value == "At risk"
    pacing = fresh["Budget Pacing"]
    google = [r for r in pacing.iter_rows(min_row=5, values_only=True) if r[0] == "Google Ads"][0]
    headers = [c.value for c in pacing[4]]
    assert google[headers.index("Expected to date")] == pytest.approx(104000 * 72 / 92)
    assert google[headers.index("Status")] == "Under pace"
