"""The leadership workbook's structure: sheets, names, charts, formats, print set-up, safety, variants."""

from __future__ import annotations

import functools
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from intake_builders import write_valid

from mops_xl import analyse, build_report, load_intake
from mops_xl.cli import cli
from mops_xl.outputs.workbook.snapshot_sheet import SHEET as SNAPSHOT_SHEET

ROOT = Path(__file__).resolve().parents[1]
REPORT_SHEETS = [
    "Dashboard",
    "KPI Framework",
    "Channel Strategy",
    "Channel Performance",
    "Budget Pacing",
    "Optimization Actions",
    "Reallocation",
    "Attribution",
    "Experiments",
    "Campaign Templates",
    "Cloudlytics 4.0 launch",
    "Q3 data stack webinar series",
    "State of Analytics report",
    "Martech Stack",
    "Funnel Coverage",
    "Maturity",
    "Cadence & Team",
    "Framework",
    "Data Notes",
    "Chart data",  # hidden: the Dashboard's charts read it, it never prints
]
DATA_SHEETS = [
    "Business",
    "Settings",
    "Channels",
    "Budget",
    "Actuals",
    "Targets",
    "Stack",
    "Integrations",
    "Campaigns",
    "Experiments data",
    "Touchpoints",
    "Paths",
    "Team",
    "Cadence",
    "Assessment",
    "Import log",  # what mops-xl import brought in (schema 1.2); the report carries it like every intake sheet
]


@pytest.fixture(scope="module")
def saas_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    intake = load_intake(ROOT / "samples" / "saas.xlsx")
    return build_report(intake, tmp_path_factory.mktemp("wb") / "saas-report.xlsx", analyse(intake))


pytestmark = pytest.mark.slow  # builds and reads back the whole saas report


@functools.cache
def _book(path: Path, data_only: bool = False) -> openpyxl.Workbook:
    """The saas report loaded once per module and mode (the tests only read it)."""
    return openpyxl.load_workbook(path, data_only=data_only)


def test_sheets_in_order(saas_report: Path) -> None:
    # then the hidden checks over Actuals that let a sum skip its date criteria (issue 29); last, very hidden: the
    # snapshot the next build compares with (issue 26)
    assert _book(saas_report).sheetnames == [*REPORT_SHEETS, *DATA_SHEETS, "Actuals summary", SNAPSHOT_SHEET]


def test_defined_names_point_at_the_editable_inputs(saas_report: Path) -> None:
    names = _book(saas_report).defined_names
    assert names["PeriodStart"].attr_text == "'Business'!$B$5"
    assert names["ReportAsOf"].attr_text == "'Business'!$B$7"
    assert names["OverspendingThreshold"].attr_text == "'Settings'!$B$3"
    assert names["ElapsedDays"].attr_text == "ReportAsOf-PeriodStart+1"
    assert {"PeriodDays", "WindowRows", "UnderperformingThreshold", "HighPerformerThreshold"} <= set(names)


def test_data_tables_have_canonical_headers(saas_report: Path) -> None:
    wb = _book(saas_report)
    # the 11 columns, then Channel key, Campaign key and Campaign plan key
    assert wb["Actuals"].auto_filter.ref.startswith("A1:N")
    assert wb["Budget"].tables["tblBudget"].ref.startswith("A1:E")
    budget = ["Channel", "Period start", "Period end", "Planned spend", "Channel key"]
    assert [c.value for c in wb["Budget"][1]] == budget


def test_actuals_and_touchpoints_are_streamed_not_held_in_memory(saas_report: Path) -> None:
    """The big data sheets are written in XlsxWriter's constant-memory mode (its inline strings show it); the
    report's own sheets are not (they share strings). If an XlsxWriter upgrade broke StreamedWorksheet, a
    million-row build would need ~2 GB more memory: this test says so first."""
    from mops_xl.intake.cells import sheet_parts

    parts = sheet_parts(saas_report)
    with zipfile.ZipFile(saas_report) as zf:

        def inline(sheet: str) -> bool:
            return b't="inlineStr"' in zf.read(parts[sheet])

        assert inline("Actuals") and inline("Touchpoints")
        assert not inline("Channels") and not inline("Dashboard")


def test_formulas_charts_and_conditional_formats(saas_report: Path) -> None:
    wb = _book(saas_report)
    kpi = wb["KPI Framework"]
    assert kpi["E5"].data_type == "f" and "SUMIFS(ActualsLeads," in kpi["E5"].value  # Leads, unless not tracked
    actions = wb["Optimization Actions"]
    threshold = next(
        r for r in range(1, actions.max_row + 1) if actions.cell(r, 1).value == "Underperforming threshold"
    )
    assert actions.cell(threshold + 1, 1).value == "=UnderperformingThreshold"  # the value under its name
    experiments = wb["Experiments"]
    p_value = [c.value for c in experiments[4]].index("P value") + 1
    assert "2*NORMSDIST(-ABS(" in experiments.cell(6, p_value).value
    with zipfile.ZipFile(saas_report) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 5  # spend vs budget, CAC, ROAS, funnel, cumulative spend vs pace
    assert len(kpi.conditional_formatting) >= 1


def test_a_column_of_mixed_units_takes_each_rows_unit(saas_report: Path) -> None:
    """Channel Performance's primary and trend columns hold each channel's own metric: saas judges Google Ads,
    LinkedIn Ads and Webinars on CAC (money), Content & SEO and Email nurture on Leads (whole), and trends CAC
    for the first and leads per day for the others; no cell shows "#,##0.##" ("2." in Excel)."""
    ws = openpyxl.load_workbook(saas_report)["Channel Performance"]
    header = [c.value for c in ws[4]]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=5, max_row=10)}

    def fmt(channel: str, column: str) -> str:
        return rows[channel][header.index(column)].number_format

    assert {fmt(ch, "Primary actual") for ch in ("Google Ads", "LinkedIn Ads", "Webinars")} == {'"$"#,##0.00'}
    assert {fmt(ch, "Primary actual") for ch in ("Content & SEO", "Email nurture")} == {"#,##0"}
    # each row's unit labelled (issue 28): $ for a CAC trend, "leads/day" for a leads trend
    assert fmt("Google Ads", "Trend recent") == '"$"#,##0.00'
    assert fmt("Email nurture", "Trend recent") == '#,##0.0" leads/day"'
    formats = {
        c.number_format for sheet in ("Channel Performance", "Reallocation") for r in ws.parent[sheet] for c in r
    }
    assert "#,##0.##" not in formats


def test_print_setup_is_landscape_fit_to_width(saas_report: Path) -> None:
    for ws in _book(saas_report).worksheets:
        if ws.title == SNAPSHOT_SHEET:  # very hidden data for the next build, never printed
            continue
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        # one page wide (1 is the default openpyxl reads as None), as many tall as needed, or one (issue 28)
        # a sheet a few lines longer than a page: saas's Reallocation and Maturity (about 525 pt of rows each)
        # against the 504 pt a Letter page holds; the 4.0 launch plan's checklist a few lines more than a page: fitted
        # to 1 (Optimization Actions, whose actions table starts a page, is as many pages tall as it needs)
        fitted = {"Reallocation": (None, 1), "Maturity": (None, 1)}
        tall = {**fitted, "Cloudlytics 4.0 launch": (None, 1)}.get(ws.title, (0,))
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight in tall, ws.title


def test_document_properties(saas_report: Path) -> None:
    props = _book(saas_report).properties
    assert props.title == "Marketing operations report — Cloudlytics"
    assert props.created is not None


def test_intake_text_is_written_as_text_everywhere(tmp_path: Path) -> None:
    payload = '=HYPERLINK("http://evil.example","click")'

    def inject(d: dict) -> None:
        for row in d["Actuals"]:
            if row["Channel"] == "TikTok":
                row["Campaign"] = payload
        d["Channels"][2]["Role"] = "=1+1"

    report = build_report(load_intake(write_valid(tmp_path / "inject.xlsx", inject)), tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(report)
    hits = [
        (ws.title, c.coordinate, c.data_type)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value in (payload, "=1+1")
    ]
    assert hits and all(kind == "s" for _, _, kind in hits), hits
    assert {title for title, _, _ in hits} >= {"Channel Performance", "Actuals", "Channel Strategy", "Channels"}
    assert not any(ws._hyperlinks for ws in wb.worksheets)


def test_values_only_report_has_no_formulas_and_no_data(saas_report: Path, tmp_path: Path) -> None:
    intake = load_intake(ROOT / "samples" / "saas.xlsx")
    plain = build_report(intake, tmp_path / "plain.xlsx", values_only=True)
    wb = openpyxl.load_workbook(plain)
    # the snapshot the next build compares with travels too, very hidden (issue 26)
    assert wb.sheetnames == [*REPORT_SHEETS, SNAPSHOT_SHEET] and wb[SNAPSHOT_SHEET].sheet_state == "veryHidden"
    assert not any(c.data_type == "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    assert len(wb.defined_names) == 0
    living = _book(saas_report, data_only=True)
    for name in ("KPI Framework", "Channel Performance", "Budget Pacing", "Experiments"):
        for row in wb[name].iter_rows():
            for c in row:
                if c.coordinate == "A2":  # the note under the title is written for each copy (issue 16)
                    continue
                if "rebuild after editing the data" in str(living[name][c.coordinate].value):
                    continue  # so are the forecast's caption and notes: a values-only copy cannot be rebuilt (issue 25)
                exp = living[name][c.coordinate].value
                if exp is None and isinstance(c.value, str) and set(c.value) <= set("▁▂▃▄▅▆▇█ "):
                    continue  # a week-by-week trend: a sparkline in the living report, characters here (issue 26)
                if isinstance(exp, float):  # XlsxWriter writes numbers with 16 significant digits
                    assert c.value == pytest.approx(exp, rel=1e-15), f"{name}!{c.coordinate}"
                else:
                    assert c.value == exp, f"{name}!{c.coordinate}"


@pytest.mark.libreoffice
def test_build_pdf_through_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "local-report.xlsx"
    result = CliRunner().invoke(cli, ["build", str(ROOT / "samples" / "local.xlsx"), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    assert out.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"
    assert f"and {out.with_suffix('.pdf')}" in result.output


def test_pdf_without_libreoffice_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mops_xl.outputs.libreoffice.find_soffice", lambda: None)
    result = CliRunner().invoke(
        cli, ["build", str(ROOT / "samples" / "local.xlsx"), "-o", str(tmp_path / "r.xlsx"), "--pdf"]
    )
    assert result.exit_code == 2
    assert "--pdf needs LibreOffice" in result.output
    # issue 27: the workbook and the framework are written first; only the PDF is missing
    assert (tmp_path / "r.xlsx").is_file() and not (tmp_path / "r.pdf").exists()
