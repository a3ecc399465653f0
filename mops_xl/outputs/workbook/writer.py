"""The report workbook: lays out what the engine computed, as living formulas over the data it carries.

Written with XlsxWriter into a fresh file, atomically. Every text from the intake is written as text (the
workbook options that turn strings into formulas, numbers or links are off).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import xlsxwriter

from mops_xl.atomic import OUTPUT_PROPERTY, atomic_output, private_workdir
from mops_xl.errors import OutputError
from mops_xl.intake.model import Intake
from mops_xl.intake.schema import SHEETS
from mops_xl.metrics.engine import Analysis, analyse
from mops_xl.outputs.workbook.actions_sheets import ActionSheets
from mops_xl.outputs.workbook.attribution_sheets import AttributionSheets
from mops_xl.outputs.workbook.campaign_sheets import CampaignSheets
from mops_xl.outputs.workbook.dashboard import Dashboard
from mops_xl.outputs.workbook.data_sheets import DataSheets, data_sheet_name
from mops_xl.outputs.workbook.formats import Formats
from mops_xl.outputs.workbook.kpi_sheets import KpiSheets
from mops_xl.outputs.workbook.pacing_sheet import PacingSheet
from mops_xl.outputs.workbook.system_sheets import SystemSheets
from mops_xl.outputs.workbook.values_only import ValuesWorkbook

SCHEMA_SHEETS = {data_sheet_name(s.name) for s in SHEETS}


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
    """

    def __init__(self, wb: xlsxwriter.Workbook, analysis: Analysis, with_data: bool = True):
        self.wb, self.a, self.with_data = wb, analysis, with_data
        self.fmt = Formats(wb, analysis.intake.business["Currency"])
        self.data = DataSheets(wb, self.fmt, analysis.intake)
        self.pacing = PacingSheet(wb, self.fmt, analysis, self.data.row_of, self.data.keys)
        self.kpis = KpiSheets(wb, self.fmt, analysis, self.pacing, self.data.keys)
        self.dashboard = Dashboard(wb, self.fmt, analysis, self.pacing)
        self.actions = ActionSheets(wb, self.fmt, analysis, self.data.row_of)
        self.system = SystemSheets(wb, self.fmt, analysis)
        self.attribution = AttributionSheets(wb, self.fmt, analysis)
        taken = {
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
            "Martech Stack",
            "Funnel Coverage",
            "Maturity",
            "Cadence & Team",
            "Framework",
            "Data Notes",
        } | SCHEMA_SHEETS
        self.campaigns = CampaignSheets(wb, self.fmt, analysis, self.data.row_of, taken)

    def write(self) -> None:
        """Write every sheet, in the report's order, then the data sheets the formulas read."""
        self.dashboard.write()
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
        self.system.framework()
        self.system.data_notes()
        if self.with_data:
            self.data.write_all()
        for ws in self.wb.worksheets():  # "Save as PDF" gives a readable pack
            ws.set_landscape()
            ws.fit_to_pages(1, 0)
            if ws.name in SCHEMA_SHEETS:
                ws.repeat_rows(0)


def build_report(
    intake: Intake, path: str | Path | None = None, analysis: Analysis | None = None, *, values_only: bool = False
) -> Path:
    """Compute and write the report workbook for an intake.

    Args:
        intake: A validated intake (see :func:`mops_xl.load_intake`).
        path: Where to write the report; default ``<intake stem>-report.xlsx`` beside the intake.
        analysis: Figures already computed with :func:`mops_xl.metrics.engine.analyse` (computed when omitted).
        values_only: Write plain values instead of formulas and leave the data sheets out (raw rows and
            journey IDs stay home): a report to share outside the team.

    Returns:
        The path written.

    Raises:
        OutputError: The output path is the input, or its folder does not exist or is not writable.
    """
    out = Path(path) if path is not None else default_report_path(intake.source)
    check_output_path(out, intake.source)
    analysis = analysis or analyse(intake)
    with atomic_output(out) as tmp, private_workdir() as work:
        kind = ValuesWorkbook if values_only else xlsxwriter.Workbook
        wb = kind(
            str(tmp),
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "default_date_format": "yyyy-mm-dd",
                "tmpdir": work,  # its temporary files hold intake text: a private folder, always removed
            },
        )
        wb.set_custom_property(OUTPUT_PROPERTY, "values-only report" if values_only else "report")
        wb.set_properties(
            {
                "title": f"Marketing operations report — {intake.business['Business name']}",
                "subject": f"{analysis.window.start:%Y-%m-%d} to {analysis.window.end:%Y-%m-%d}",
                "company": str(intake.business["Business name"]),
                "author": "mops-xl",
                "comments": "Values only"
                if values_only
                else "Living model: formulas over the data sheets, with the engine's values cached",
                "created": dt.datetime.now(),
            }
        )
        ReportWriter(wb, analysis, with_data=not values_only).write()
        wb.close()
    return out


def export_report_pdf(report: str | Path) -> Path:
    """Write ``<report stem>.pdf`` beside a report workbook, through LibreOffice, atomically.

    Args:
        report: The report workbook.

    Returns:
        The PDF path.

    Raises:
        LibreOfficeError: LibreOffice is missing or wrote nothing.
    """
    import tempfile

    from mops_xl.outputs.libreoffice import export_pdf

    report = Path(report)
    target = report.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="mops-xl-pdf-", dir=report.parent) as folder:
        written = export_pdf(report, Path(folder))
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
