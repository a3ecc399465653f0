"""What the board pack prints (issue 28): the glossary, the sections left out, the short Attribution section, and
pages that neither strand a few lines nor tear a table from its header."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from mops_xl import analyse, build_report, load_intake
from mops_xl.analysis.blocks.glossary import GLOSSARY, gloss
from mops_xl.analysis.figures.attribution import AttributionCoverage
from mops_xl.outputs.workbook.layout.board_pack import left_out_of_pack, not_in_pack_line
from mops_xl.outputs.workbook.layout.page_fit import fit_last_page, keep_tables_whole, rows_per_page
from mops_xl.outputs.workbook.layout.print_setup import PrintSetup
from mops_xl.outputs.workbook.sheets.attribution_sheets import fix_for_coverage

ROOT = Path(__file__).resolve().parents[1]
TERMS = ("Holm", "SRM", "removal effect", "Shapley")

# --- the glossary ---------------------------------------------------------------------------------------------


def test_every_term_has_one_line_that_starts_with_it() -> None:
    assert set(GLOSSARY) == set(TERMS)
    for term in TERMS:
        text = gloss(term)
        assert text.lower().startswith(term.lower()), term
        assert "\n" not in text and len(text) <= 200, term  # one line on a landscape page
        assert text.endswith("."), term


def test_every_term_is_glossed_where_a_sheet_uses_it() -> None:
    """A gloss no sheet prints is dead ("remaining budget × min(attainment − 1, 1)" stayed after its formula went):
    each term is named by the code outside the glossary, where a sheet prints its gloss."""
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "mops_xl").rglob("*.py") if p.name != "glossary.py"]
    assert [t for t in TERMS if not any(f'"{t}"' in text for text in sources)] == []


def test_an_unknown_term_has_no_gloss() -> None:
    with pytest.raises(KeyError):
        gloss("Bonferroni")


def test_each_gloss_is_written_once_in_the_code() -> None:
    """The glosses' own words ("sample ratio mismatch", "fair share of what they convert together") are in the
    glossary alone: every sheet prints them from there."""
    phrases = ("sample ratio mismatch", "what they convert together", "would lose if a channel", "any false winner")
    holders = {
        phrase: [p.name for p in (ROOT / "mops_xl").rglob("*.py") if phrase in p.read_text(encoding="utf-8")]
        for phrase in phrases
    }
    assert holders == {phrase: ["glossary.py"] for phrase in phrases}


# --- what the pack leaves out ---------------------------------------------------------------------------------


def test_the_line_names_what_is_not_in_the_pack() -> None:
    left = {"Attribution": "no journeys", "Experiments": "no experiments"}
    assert not_in_pack_line(left) == "Not in this pack: no journeys, no experiments"
    assert not_in_pack_line({}) == ""


@pytest.fixture(scope="module")
def local():
    return analyse(load_intake(ROOT / "samples" / "local.xlsx"))


@pytest.fixture(scope="module")
def saas():
    return analyse(load_intake(ROOT / "samples" / "saas.xlsx"))


def test_local_has_no_journeys_experiments_or_tools(local) -> None:
    # local.xlsx: no Touchpoints or Paths rows, no Experiments rows, no Stack rows and no Integrations rows
    assert left_out_of_pack(local) == {
        "Attribution": "no journeys",
        "Experiments": "no experiments",
        "Martech Stack": "no martech tools",
    }


def test_saas_leaves_nothing_out(saas) -> None:
    assert left_out_of_pack(saas) == {}


def test_the_pack_copy_hides_the_empty_sheets_and_says_so(local, tmp_path: Path) -> None:
    pack = build_report(local.intake, tmp_path / "pack.xlsx", local, board_pack=True)
    wb = openpyxl.load_workbook(pack)
    hidden = {ws.title for ws in wb.worksheets if ws.sheet_state != "visible"}
    assert {"Attribution", "Experiments", "Martech Stack"} <= hidden
    notes = wb["Data Notes"]
    assert [c.value for c in notes[5]] == [
        "Not printed",
        "Attribution, Experiments, Martech Stack",
        "Not in this pack: no journeys, no experiments, no martech tools",
    ]
    texts = [str(c.value) for ws in wb.worksheets if ws.sheet_state == "visible" for r in ws.iter_rows() for c in r]
    assert not [t for t in texts if "fill in" in t.lower()]
    # the living workbook keeps the sheets visible, with how to fill them in
    living = openpyxl.load_workbook(build_report(local.intake, tmp_path / "report.xlsx", local))
    assert living["Attribution"].sheet_state == "visible"
    assert "fill in the Touchpoints or Paths sheet" in living["Attribution"]["A4"].value


# --- the short Attribution section ----------------------------------------------------------------------------


def _coverage(conversions: float, customers: float) -> AttributionCoverage:
    return AttributionCoverage("Touchpoints", conversions, 1000.0, customers, 1000.0)


@pytest.mark.parametrize(
    ("conversions", "customers", "exp"),
    [
        (128, 51, "the journeys count more conversions"),  # 128 / 51 = 251 % > 200 %
        (6, 51, "the journeys hold a small part"),  # 6 / 51 = 11.8 % < 50 %
        (6, math.nan, "track customers"),  # no customers to compare with
    ],
)
def test_what_to_fix_follows_which_way_coverage_is_off(conversions: float, customers: float, exp: str) -> None:
    assert fix_for_coverage(_coverage(conversions, customers)).startswith(exp)


def test_unreliable_attribution_prints_its_short_section(saas, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(build_report(saas.intake, tmp_path / "r.xlsx", saas))["Attribution"]
    column_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    fix = next(r for r, v in enumerate(column_a, start=1) if str(v).startswith("What to fix: the journeys count more"))
    # the print area ends with the line after "What to fix" (the model tables stay in the workbook, unprinted)
    assert ws.print_area.split("!")[-1].split(":")[1].lstrip("$").split("$")[1] == str(fix + 1)
    assert "Coverage (journeys ÷ Actuals)" in column_a[:fix]
    assert "Markov (chosen)" not in column_a  # 251 % coverage: the warning calls the set model unreliable
    assert "Markov (set, unreliable here)" in column_a


# --- pages: no stranded lines, no table torn from its header --------------------------------------------------


def _sheet(tmp_path: Path, rows: dict[int, str], header_rows: set[int]):
    """A one-column sheet on Letter, landscape, set up as every leadership sheet (15-point rows)."""
    wb = xlsxwriter.Workbook(str(tmp_path / "t.xlsx"))
    ws = wb.add_worksheet("T")
    header = wb.add_format({"bold": True})
    for r, text in rows.items():
        ws.write_string(r, 0, text, header if r in header_rows else None)
    PrintSetup("Business", dt.date(2026, 9, 10), "letter").apply(ws, (0, 0))
    return wb, ws, header


def test_a_page_holds_33_rows_of_15_points(tmp_path: Path) -> None:
    # Letter landscape: 8.5 in − 2 × 0.75 in margins = 7 in = 504 pt; 504 / 15 = 33.6 rows; the title row (15 pt)
    # repeats on every later page: (504 − 15) / 15 = 32.6, so 32 rows
    wb, ws, _ = _sheet(tmp_path, {r: f"row {r}" for r in range(70)}, set())
    assert [len(p) for p in rows_per_page(ws, "letter", (0, 0))] == [33, 32, 5]
    wb.close()


def test_five_stranded_rows_fit_the_page_before(tmp_path: Path) -> None:
    wb, ws, _ = _sheet(tmp_path, {r: f"row {r}" for r in range(70)}, set())
    # 5 lines alone on page 3: fitted to 2 pages of 504 pt, which hold the 70 rows of 15 pt: 1,050 ÷ 1,008
    assert fit_last_page(ws, "letter", (0, 0)) == pytest.approx(70 * 15 / (2 * 504))
    assert ws.fit_height == 2
    wb.close()
    wb, ws, _ = _sheet(tmp_path, {r: f"row {r}" for r in range(50)}, set())  # [33, 17]: 17 lines is a page
    assert fit_last_page(ws, "letter", (0, 0)) is None
    assert ws.fit_height == 0
    wb.close()


def test_a_table_that_would_continue_without_its_header_starts_a_page(tmp_path: Path) -> None:
    # title row 0; table A: its header at 2, rows 3–19; table B: its title at 22, header 23, rows 24–40.
    # Page 1 holds rows 0–32, so table B (19 rows, 285 pt) would run onto page 2 without its header: it fits on
    # one page, so it starts page 2
    rows = {
        0: "Title",
        2: "A",
        **{r: "a" for r in range(3, 20)},
        22: "Table B",
        23: "B",
        **{r: "b" for r in range(24, 41)},
    }
    wb, ws, header = _sheet(tmp_path, rows, {2, 23})
    assert keep_tables_whole(ws, "letter", (0, 0), header) == [22]
    assert ws.hbreaks == [22]
    wb.close()


def test_a_header_at_the_foot_of_a_page_goes_with_its_rows(tmp_path: Path) -> None:
    # one table whose title (row 31) and header (row 32) end page 1 (rows 0–32) but whose 40 rows do not fit
    # any page: it still starts page 2, rather than leave its header at the foot of page 1
    rows = {0: "Title", **{r: "x" for r in range(2, 30)}, 31: "Table", 32: "H", **{r: "y" for r in range(33, 73)}}
    wb, ws, header = _sheet(tmp_path, rows, {32})
    assert keep_tables_whole(ws, "letter", (0, 0), header) == [31]
    wb.close()


def test_reliable_attribution_prints_as_before_with_its_glosses(saas, tmp_path: Path) -> None:
    # the same journeys (128 conversions, $1,198,307.12) against 100 customers and $1,000,000 of revenue:
    # 128.0 % and 119.8 %, within 50 % to 200 %
    cov = replace(saas.attribution_coverage, customers=100.0, revenue=1_000_000.0)
    assert cov.reliable
    reliable = replace(saas, attribution_coverage=cov)
    ws = openpyxl.load_workbook(build_report(saas.intake, tmp_path / "r.xlsx", reliable))["Attribution"]
    column_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert not ws.print_area  # the whole sheet prints
    assert "Markov (chosen)" in column_a
    first_table = column_a.index("Conversions credited by the journeys")
    # the glosses come before the first table, whose header names Markov and Shapley
    assert column_a[first_table - 3 : first_table - 1] == [gloss("removal effect"), gloss("Shapley")]
