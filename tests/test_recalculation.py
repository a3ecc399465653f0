"""The report is a living model: LibreOffice, recalculating every formula, gets the engine's numbers.

LibreOffice (headless) is required: .ci/run installs it. The sample reports and the edge intakes' reports
(tests/edge_intakes.py: names full of * ? ~ < > = ' and 300 characters long, …) are built and converted in
one LibreOffice call by the session fixture ``recalculated_reports`` (tests/conftest.py); the comparison is
tests/recalculation.py's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from edge_intakes import EDGE_INTAKES
from recalculation import ROOT, SAMPLES, error_cells, formula_mismatches

from mops_xl import analyse, build_report, load_intake
from mops_xl.outputs.libreoffice import find_soffice, recalculate

pytestmark = pytest.mark.libreoffice  # every test recalculates in LibreOffice

REPORTS = (*SAMPLES, *EDGE_INTAKES)


def test_libreoffice_is_installed() -> None:
    assert find_soffice(), "LibreOffice is needed for the recalculation tests: apt-get install libreoffice-calc"


@pytest.mark.parametrize("label", REPORTS)
def test_every_formula_recalculates_to_the_engine_value(label: str, recalculated_reports) -> None:
    built, out = recalculated_reports[label]
    checked, wrong = formula_mismatches(built, out)
    assert checked > 150, "the report should be made of formulas"
    assert wrong == []


@pytest.mark.parametrize("label", REPORTS)
def test_no_cell_shows_an_error_after_recalculation(label: str, recalculated_reports) -> None:
    _, out = recalculated_reports[label]
    assert error_cells(out) == []


@pytest.mark.parametrize("sample", SAMPLES)
def test_recalculated_figures_are_the_engines(sample: str, recalculated_reports) -> None:
    """Not only the cached values: LibreOffice's own results, read back by row label and column header, are the
    engine's figures (the scan of tests/test_report_lays_out.py, over the recalculated workbook)."""
    from test_report_lays_out import scan

    _, out = recalculated_reports[sample]
    s = scan(analyse(load_intake(ROOT / "samples" / f"{sample}.xlsx")), openpyxl.load_workbook(out, data_only=True))
    assert len(s.seen) > 300
    assert s.wrong == []


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
    (0.94 -> 0.47): "Under pace". The total pace follows: the budget to date becomes (104,000 + 55,000) x 72 / 92
    (Google Ads, LinkedIn Ads: Jul 1 - Sep 30, 72 of 92 days elapsed) + 12,500 x 41 / 61 (Webinars: Aug 1 - Sep
    30, 41 of 61 days) = 132,836.42 against the 101,429.30 spent (Actuals, Jul 1 - Sep 10): 76 %, "Under pace"
    on Budget Pacing's total, the KPI Framework's Spend row and the Dashboard (it was 110.1 %, Over pace).
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
    budget_to_date = (104000 + 55000) * 72 / 92 + 12500 * 41 / 61
    actuals = wb["Actuals"].iter_rows(min_row=2, values_only=True)  # Date, Channel, Campaign, Spend, ...
    spend = sum(
        r[3] or 0 for r in actuals if r[0] is not None and dt.datetime(2026, 7, 1) <= r[0] <= dt.datetime(2026, 9, 10)
    )
    total = [r for r in pacing.iter_rows(min_row=5, values_only=True) if r[0] == "All channels"][0]
    assert total[headers.index("Expected to date")] == pytest.approx(budget_to_date)
    assert total[headers.index("Actual")] == pytest.approx(spend)
    assert total[headers.index("Pace")] == pytest.approx(spend / budget_to_date)  # 0.764
    assert total[headers.index("Status")] == "Under pace"
    kpi = fresh["KPI Framework"]
    assert _find(kpi, "Spend", "Target to date").value == pytest.approx(budget_to_date)
    assert _find(kpi, "Spend", "Status").value == "Under pace"
    dashboard = [r for r in fresh["Dashboard"].iter_rows(values_only=True) if "Budget to date" in r][0]
    assert dashboard[dashboard.index("Budget to date") + 1] == pytest.approx(budget_to_date)
