"""The report workbook: lays out what the engine computed, as living formulas over the data it carries.

Written with XlsxWriter into a fresh file, atomically. Every text from the intake is written as text (the
workbook options that turn strings into formulas, numbers or links are off).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import xlsxwriter

from mops_xl.analysis.blocks.wording import period_dates
from mops_xl.analysis.engine import Analysis, analyse
from mops_xl.atomic import OUTPUT_PROPERTY, PDF_MARK, SOURCE_PROPERTY, atomic_output, private_workdir
from mops_xl.errors import OutputError
from mops_xl.intake.model import Intake
from mops_xl.intake.schema import SHEETS
from mops_xl.outputs.workbook.formulas.portable import PortableWorkbook
from mops_xl.outputs.workbook.layout.board_pack import BoardPackWorkbook, left_out_of_pack
from mops_xl.outputs.workbook.layout.cell_formats import Formats
from mops_xl.outputs.workbook.layout.fit import ColumnFitter
from mops_xl.outputs.workbook.layout.page_fit import lay_out_pages
from mops_xl.outputs.workbook.layout.print_blocks import in_blocks
from mops_xl.outputs.workbook.layout.print_setup import (
    DEFAULT_PAPER,
    PAPER_SIZES,
    PrintSetup,
    header_rows,
    paper_for,
)
from mops_xl.outputs.workbook.layout.values_only import ValuesWorkbook
from mops_xl.outputs.workbook.sheets.actions_sheets import ActionSheets
from mops_xl.outputs.workbook.sheets.actuals_summary import SHEET as ACTUALS_SUMMARY
from mops_xl.outputs.workbook.sheets.actuals_summary import ActualsSummary
from mops_xl.outputs.workbook.sheets.attribution_sheets import AttributionSheets
from mops_xl.outputs.workbook.sheets.campaign_sheets import CampaignSheets
from mops_xl.outputs.workbook.sheets.changes_sheet import SHEET as CHANGES_SHEET
from mops_xl.outputs.workbook.sheets.changes_sheet import ChangesSheet
from mops_xl.outputs.workbook.sheets.dashboard import CHART_SHEET, Dashboard
from mops_xl.outputs.workbook.sheets.dashboard import SHEET as DASHBOARD
from mops_xl.outputs.workbook.sheets.data_sheets import DataSheets, data_sheet_name
from mops_xl.outputs.workbook.sheets.kpi_sheets import KpiSheets
from mops_xl.outputs.workbook.sheets.pacing_sheet import PacingSheet
from mops_xl.outputs.workbook.sheets.system_sheets import SystemSheets
from mops_xl.outputs.workbook.snapshot_sheet import write_snapshot

SCHEMA_SHEETS = {data_sheet_name(s.name) for s in SHEETS}
#: An intake of at most this many table cells has its report assembled in memory (XlsxWriter's ``in_memory``):
#: a report's ~80 package parts are not each written to a temporary file, read back and removed. A bigger
#: intake's parts go through temporary files, so its data sheets, streamed row by row, stay out of memory.
IN_MEMORY_CELLS = 250_000


def default_report_path(source: str | Path) -> Path:
    """Return where the report of an intake goes by default: ``<stem>-report.xlsx`` beside it.

    Args:
        source: The intake path.

    Returns:
        The report path.
    """
    source = Path(source)
    return source.with_name(f"{source.stem}-report.xlsx")


class ReportWriter:
    """Writes the report workbook: one method per group of sheets, in the report's order.

    Args:
        wb: The workbook.
        analysis: The engine's results.
        with_data: Write the data sheets (False for a values-only report).
        paper: The paper the sheets print on, a key of :data:`PAPER_SIZES` ("a4" or "letter").
        with_framework: Write the Framework sheet (False for the PDF board pack: the same text is in the
            framework files beside the report, and as a sheet it would take a third of the pack's pages).
    """

    def __init__(
        self,
        wb: xlsxwriter.Workbook,
        analysis: Analysis,
        with_data: bool = True,
        paper: str = DEFAULT_PAPER,
        with_framework: bool = True,
    ):
        self.wb, self.a, self.with_data, self.with_framework = wb, analysis, with_data, with_framework
        self.page = PrintSetup(str(analysis.intake.business["Business name"]), analysis.window.as_of, paper)
        self.fmt = Formats(wb, analysis.intake.business["Currency"])
        self.data = DataSheets(wb, self.fmt, analysis.intake)
        self.pacing = PacingSheet(wb, self.fmt, analysis, self.data.row_of, self.data.keys)
        self.kpis = KpiSheets(wb, self.fmt, analysis, self.pacing, self.data.keys)
        self.dashboard = Dashboard(wb, self.fmt, analysis, self.pacing)
        self.changes = ChangesSheet(wb, self.fmt, analysis)
        self.actions = ActionSheets(wb, self.fmt, analysis, self.data.row_of)
        self.system = SystemSheets(wb, self.fmt, analysis)
        self.attribution = AttributionSheets(wb, self.fmt, analysis)
        taken = {
            "Dashboard",
            CHANGES_SHEET,
            "KPI Framework",
            "Channel Strategy",
            "Channel Performance",
            "Budget Pacing",
            "Optimization Actions",
            "Reallocation",
            "Attribution",
            "Experiments",
            "Campaign Templates",
            "Martech Stack",
            "Funnel Coverage",
            "Maturity",
            "Cadence & Team",
            "Framework",
            "Data Notes",
            CHART_SHEET,
            ACTUALS_SUMMARY,
        } | SCHEMA_SHEETS
        self.campaigns = CampaignSheets(wb, self.fmt, analysis, self.data.row_of, taken)

    def write(self) -> None:
        """Write every sheet, in the report's order, then the data sheets the formulas read."""
        self.dashboard.write()
        self.changes.write()  # only with a previous report to compare with
        self.kpis.kpi_framework()
        self.kpis.channel_strategy()
        self.kpis.channel_performance()
        self.pacing.write()
        self.actions.optimization_actions()
        self.attribution.reallocation()
        self.attribution.attribution()
        self.actions.experiments()
        self.campaigns.write()
        self.system.martech_stack()
        self.system.funnel_coverage()
        self.system.maturity()
        self.system.cadence_and_team()
        if self.with_framework:
            self.system.framework()
        self.system.data_notes()
        self.dashboard.chart_data()
        if self.with_data:
            self.data.write_all()
            ActualsSummary(self.wb, self.fmt, self.a, self.data.keys).write()  # the checks the figures read
        self.lay_out()

    def lay_out(self) -> None:
        """Fit every sheet's columns to what its cells show, and set up its printed page.

        Leadership sheets get the full print setup (:class:`PrintSetup`); the data sheets print landscape, one
        page wide, with their header row on every page (they are left out of the PDF board pack).
        """
        fitter = ColumnFitter(self.wb, self.fmt["header"])
        for ws in self.wb.worksheets():
            if ws.name != DASHBOARD:  # the Dashboard's grid is laid out for its charts (it sizes itself)
                fitter.fit(ws)
            if ws.name in SCHEMA_SHEETS:
                ws.set_landscape()
                ws.set_paper(PAPER_SIZES[self.page.paper])
                ws.fit_to_pages(1, 0)
                ws.repeat_rows(0)
            else:
                repeat = header_rows(ws, self.fmt["header"])
                self.page.apply(ws, repeat)
                # no stranded lines, no table torn from its header (a sheet printed in blocks: its first block)
                if ws.name != DASHBOARD and (not ws.print_area_range or in_blocks(ws)):
                    lay_out_pages(ws, self.page.paper, repeat, self.fmt["header"])
            if ws.name == DASHBOARD:
                ws.fit_to_pages(1, 0)  # one page wide: page 1 the story, what does not fit on the next pages
            if getattr(self.wb, "board_pack", False) and ws.name in left_out_of_pack(self.a):
                ws.hide()  # nothing in it: the Data Notes say so in one line (LibreOffice prints visible sheets)


def build_report(
    intake: Intake,
    path: str | Path | None = None,
    analysis: Analysis | None = None,
    *,
    values_only: bool = False,
    paper: str | None = None,
    board_pack: bool = False,
) -> Path:
    """Compute and write the report workbook for an intake.

    Args:
        intake: A validated intake (see :func:`mops_xl.load_intake`).
        path: Where to write the report; default ``<intake stem>-report.xlsx`` beside the intake.
        analysis: Figures already computed with :func:`mops_xl.analysis.engine.analyse` (computed when omitted).
        values_only: Write plain values instead of formulas and leave the data sheets out (raw rows and
            journey IDs stay home): a report to share outside the team.
        paper: The paper the sheets print on ("a4" or "letter"); None: Letter for a USD or CAD business, A4
            otherwise (:func:`~mops_xl.outputs.workbook.layout.print_setup.paper_for`).
        board_pack: Write the copy the PDF is printed from: values only, without the Framework sheet; its keywords
            carry :data:`~mops_xl.atomic.PDF_MARK`, which LibreOffice copies into the PDF.

    Returns:
        The path written.

    Raises:
        OutputError: The output path is the input, or its folder does not exist or is not writable.
    """
    out = Path(path) if path is not None else default_report_path(intake.source)
    check_output_path(out, intake.source)
    analysis = analysis or analyse(intake)
    paper = paper or paper_for(str(intake.business["Currency"]))
    with atomic_output(out) as tmp, private_workdir() as work:
        values_only = values_only or board_pack
        kind = BoardPackWorkbook if board_pack else ValuesWorkbook if values_only else PortableWorkbook
        wb = kind(
            str(tmp),
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "default_date_format": "yyyy-mm-dd",
                "tmpdir": work,  # its temporary files hold intake text: a private folder, always removed
                "in_memory": values_only or _table_cells(intake) <= IN_MEMORY_CELLS,
            },
        )
        wb.set_custom_property(OUTPUT_PROPERTY, "values-only report" if values_only else "report")
        wb.set_custom_property(SOURCE_PROPERTY, _intake_name(intake))  # named if the report is given as an intake
        wb.set_properties(
            {
                "title": f"Marketing operations report — {intake.business['Business name']}",
                "subject": period_dates(analysis.window.start, analysis.window.end),
                "company": str(intake.business["Business name"]),
                "author": "mops-xl",
                "comments": "Values only"
                if values_only
                else "Living model: formulas over the data sheets, with the engine's values cached",
                "created": dt.datetime.now(),
                **({"keywords": PDF_MARK} if board_pack else {}),
            }
        )
        ReportWriter(wb, analysis, with_data=not values_only, paper=paper, with_framework=not board_pack).write()
        if not board_pack:  # the PDF's copy is printed and thrown away: it carries nothing to the next build
            write_snapshot(wb, analysis.snapshot)
        wb.close()
    return out


def _table_cells(intake: Intake) -> int:
    """How many cells the intake's tables hold (rows × columns, summed): what the data sheets will carry.

    Args:
        intake: The intake.

    Returns:
        The number of cells.
    """
    return sum(table.size for table in intake.tables.values())


def _intake_name(intake: Intake) -> str:
    """The intake's file name as a document property holds it: no control characters (XML has none), at most 255
    characters (Excel's limit)."""
    return re.sub(r"[\x00-\x1f\x7f]", "", Path(intake.source).name)[:255]


def export_board_pack(report: str | Path, analysis: Analysis, *, paper: str | None = None) -> Path:
    """Write the board pack, ``<report stem>.pdf`` beside a report workbook, through LibreOffice, atomically.

    The PDF holds the leadership sheets only. LibreOffice prints every visible sheet, so it prints a
    values-only copy of the report written for the purpose (the same sheets, values and page setup, without
    the data sheets and the Framework sheet, whose text is in the framework files) rather than the living
    workbook: the data sheets stay visible and editable in the workbook, and LibreOffice neither loads nor
    lays out thousands of data rows it would not print.

    Args:
        report: The report workbook.
        analysis: Its engine results (the copy is written from them).
        paper: The paper ("a4" or "letter"; None: by the business's currency, as :func:`build_report`).

    Returns:
        The PDF path, marked with :data:`~mops_xl.atomic.PDF_MARK` in its Keywords.

    Raises:
        LibreOfficeError: LibreOffice is missing or wrote nothing.
    """
    import tempfile

    from mops_xl.outputs.libreoffice import export_pdf

    report = Path(report)
    target = report.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="mops-xl-pdf-", dir=report.parent) as folder:
        source = Path(folder) / "pack" / report.name
        source.parent.mkdir()
        build_report(analysis.intake, source, analysis, paper=paper, board_pack=True)
        written = export_pdf(source, Path(folder))
        os.replace(written, target)
    return target


def check_output_path(out: Path, source: Path) -> None:
    """Refuse an output path that is the input or whose folder cannot take it.

    Args:
        out: The output path.
        source: The intake path.

    Raises:
        OutputError: With a one-line reason.
    """
    if out.exists() and source.exists() and out.resolve() == source.resolve():
        raise OutputError(f"{out}: the output path is the intake itself; choose another path with -o")
    if out.suffix.lower() != ".xlsx":
        raise OutputError(f"{out}: the report is an .xlsx workbook; give a name ending in .xlsx")
    folder = out.parent
    if not folder.is_dir():
        raise OutputError(f"{folder}: the output folder does not exist")
    if out.is_dir():
        raise OutputError(f"{out}: is a folder; give a file name ending in .xlsx")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{folder}: the output folder is not writable")
