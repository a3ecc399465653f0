"""The living model in a second engine: Gnumeric, recalculating every formula, gets the engine's numbers too.

Gnumeric (``ssconvert --recalc``; .ci/run installs it) follows Excel's functions closely but reads no table
structured reference (``tblChannels[Channel]``), evaluates a function given a range inside SUMPRODUCT only in
an array formula, and reads no array of SUMIFS/COUNTIFS criteria. The report's formulas avoid all three
(docs/metrics.md, "Formulas every engine reads"): the fast tests below check the form, the slow ones recalculate
the sample reports and every edge intake's (tests/edge_intakes.py: names full of ``*``, ``?``, ``=`` and
apostrophes) and compare each formula with the engine's value (tests/recalculation.py's comparison).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from edge_intakes import CRAFTED, EDGE_INTAKES
from recalculation import ROOT, SAMPLES, error_cells, formula_mismatches

from mops_xl import build_report, load_intake

#: Gnumeric writes a print area of two blocks as an error (not a formula cell): openpyxl warns on each.
pytestmark = pytest.mark.filterwarnings("ignore:Print area cannot be set:UserWarning")

REPORTS = (*SAMPLES, *EDGE_INTAKES)
#: A reference to a sheet whose quoted name holds an apostrophe (doubled): 'Mom''s Day'!$B$8.
_APOSTROPHE_SHEET = re.compile(r"'((?:[^']|'')*''(?:[^']|'')*)'!")


@pytest.fixture(scope="module")
def saas_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The saas sample's report (formulas as text)."""
    folder = tmp_path_factory.mktemp("saas")
    return build_report(load_intake(ROOT / "samples" / "saas.xlsx"), folder / "saas-report.xlsx")


def _formulas(path: Path) -> list[tuple[str, str]]:
    """Every formula of a report: (sheet!cell, its text)."""
    return [
        (f"{ws.title}!{c.coordinate}", getattr(c.value, "text", c.value))
        for ws in openpyxl.load_workbook(path).worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def test_no_formula_uses_a_structured_reference(saas_report: Path) -> None:
    formulas = _formulas(saas_report)
    assert len(formulas) > 500
    assert [f for f in formulas if re.search(r"tbl[A-Z]\w*\[|#This Row|\[@", f[1])] == []


def test_each_data_column_is_a_name_over_its_rows(saas_report: Path) -> None:
    """The saas sample has 6 channels (rows 2-7 of Channels: Channel in A, Paid in F, the Channel key after the
    10 intake columns, in K) and 4 budget lines (rows 2-5 of Budget: Channel in A, its key in E). The sheets
    are still Excel tables for filtering."""
    wb = openpyxl.load_workbook(saas_report)
    names = wb.defined_names
    assert names["ChannelsChannel"].attr_text == "'Channels'!$A$2:$A$7"
    assert names["ChannelsPaid"].attr_text == "'Channels'!$F$2:$F$7"
    assert names["ChannelsChannelKey"].attr_text == "'Channels'!$K$2:$K$7"
    assert names["BudgetChannelKey"].attr_text == "'Budget'!$E$2:$E$5"
    assert names["ActualsSpend"].attr_text.startswith("'Actuals'!$D$2:$D$")
    assert wb["Channels"].tables["tblChannels"].ref == "A1:K7"
    assert wb["Budget"].tables["tblBudget"].ref == "A1:E5"


def test_a_budget_line_finds_its_key_from_its_own_row(saas_report: Path) -> None:
    """Budget row 3 is a Google Ads line: its key is Google Ads' place on Channels, 1, by an EXACT match of its
    own Channel cell (A3), written as an array formula so that Gnumeric evaluates EXACT over the names."""
    cell = openpyxl.load_workbook(saas_report)["Budget"]["E3"]
    assert cell.value.text == "=SUMPRODUCT(--EXACT(ChannelsChannel,$A3),ChannelsChannelKey)"
    assert cell.value.ref == "E3"
    assert openpyxl.load_workbook(saas_report, data_only=True)["Budget"]["E3"].value == 1


def test_every_sumproduct_is_an_array_formula(saas_report: Path) -> None:
    plain = [f for f in _formulas(saas_report) if "SUMPRODUCT(" in f[1]]
    assert plain
    arrays = {
        f"{ws.title}!{c.coordinate}"
        for ws in openpyxl.load_workbook(saas_report).worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, openpyxl.worksheet.formula.ArrayFormula)
    }
    assert [cell for cell, _ in plain if cell not in arrays] == []


# --- recalculated in Gnumeric ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gnumeric_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """The reports of the samples and of every edge intake, each with its copy recalculated by Gnumeric:
    label → (report as built, recalculated copy)."""
    if shutil.which("ssconvert") is None:
        pytest.fail("Gnumeric is needed for the recalculation tests: apt-get install gnumeric")
    folder = tmp_path_factory.mktemp("gnumeric")
    intakes = {s: ROOT / "samples" / f"{s}.xlsx" for s in SAMPLES}
    intakes.update({label: write(folder / f"{label}.xlsx") for label, write in EDGE_INTAKES.items()})
    out = {}
    for label, intake in intakes.items():
        built = build_report(load_intake(intake), folder / f"{label}-report.xlsx")
        recalculated = folder / f"{label}-gnumeric.xlsx"
        subprocess.run(["ssconvert", "--recalc", str(built), str(recalculated)], check=True, capture_output=True)
        out[label] = (built, recalculated)
    return out


def _referenced_sheet(line: str) -> str | None:
    """The sheet with an apostrophe in its name that a mismatch line's formula reads, if any."""
    found = _APOSTROPHE_SHEET.search(line.split(" (", 1)[1]) if " (" in line else None
    return found.group(1).replace("''", "'") if found else None


@pytest.mark.slow
@pytest.mark.parametrize("label", REPORTS)
def test_every_formula_recalculates_to_the_engine_value_in_gnumeric(label: str, gnumeric_reports) -> None:
    """Every formula cell, except (edge-names only) the links to a sheet whose name holds an apostrophe: Gnumeric
    reads no quoted sheet name with a doubled apostrophe ('Mom''s Day'!$B$8), the form Excel requires. Those are
    the Campaign Templates' progress links to the plans of the campaigns "Mom's Day" and CRAFTED."""
    built, out = gnumeric_reports[label]
    checked, wrong = formula_mismatches(built, out, engine="Gnumeric")
    assert checked > 150, "the report should be made of formulas"
    apostrophes = {_referenced_sheet(line) for line in wrong} - {None}
    assert [line for line in wrong if _referenced_sheet(line) is None] == []
    assert apostrophes == ({"Mom's Day", CRAFTED} if label == "edge-names" else set())


@pytest.mark.slow
@pytest.mark.parametrize("label", SAMPLES)
def test_no_sample_cell_shows_an_error_in_gnumeric(label: str, gnumeric_reports) -> None:
    _, out = gnumeric_reports[label]
    assert error_cells(out) == []
