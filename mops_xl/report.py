"""The report workbook: lays out what the engine computed, plus a copy of the intake's data.

Written with XlsxWriter into a fresh file, atomically. Every text from the intake is written as text
(the workbook options that turn strings into formulas, numbers or links are off).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter

from .analysis import CHANNEL_PERFORMANCE_COLUMNS, KPI_COLUMNS, Analysis, analyse
from .atomic import atomic_output
from .currencies import symbol
from .intake import Intake
from .problems import OutputError
from .schema import SHEETS, Sheet

CHANNEL_PERFORMANCE = "Channel Performance"
KPI_FRAMEWORK = "KPI Framework"
_MONEY_METRICS = {"Spend", "Revenue", "CPL", "CAC", "Fully-loaded CAC"}
_RATIO_METRICS = {"ROAS", "LTV:CAC", "MER"}


def default_report_path(source: str | Path) -> Path:
    """Return where the report of an intake goes by default: ``<stem>-report.xlsx`` beside it.

    Args:
        source: The intake path.

    Returns:
        The report path.
    """
    source = Path(source)
    return source.with_name(f"{source.stem}-report.xlsx")


class _ReportWriter:
    """Writes the report workbook; one method per sheet, formats defined once."""

    def __init__(self, wb: xlsxwriter.Workbook, analysis: Analysis):
        self.wb = wb
        self.analysis = analysis
        money = f'"{symbol(analysis.intake.business["Currency"])}"#,##0.00'
        self.fmt = {
            "header": wb.add_format({"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF", "border": 1}),
            "title": wb.add_format({"bold": True, "font_size": 14, "font_color": "#1F3864"}),
            "note": wb.add_format({"italic": True, "font_color": "#595959"}),
            "money": wb.add_format({"num_format": money}),
            "integer": wb.add_format({"num_format": "#,##0"}),
            "number": wb.add_format({"num_format": "#,##0.##"}),
            "percent": wb.add_format({"num_format": "0.0%"}),
            "ratio": wb.add_format({"num_format": '0.0":1"'}),
            "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }

    # --- Public API ------------------------------------------------------------------------------------

    def write(self) -> None:
        """Write every sheet, in the report's order."""
        self.kpi_framework()
        self.channel_performance()
        for schema in SHEETS:
            self.data_sheet(schema)

    def kpi_framework(self) -> None:
        """Write the KPI Framework sheet: blended metrics against targets, with the previous period."""
        a = self.analysis
        ws = self.wb.add_worksheet(KPI_FRAMEWORK)
        ws.write_string(0, 0, KPI_FRAMEWORK, self.fmt["title"])
        ws.write_string(1, 0, f"All channels, {a.window.start:%Y-%m-%d} to {a.window.as_of:%Y-%m-%d} (day "
                              f"{a.window.elapsed_days} of {a.window.period_days}); previous period "
                              f"{a.window.previous[0]:%Y-%m-%d} to {a.window.previous[1]:%Y-%m-%d}.", self.fmt["note"])
        top = 3
        ws.write_row(top, 0, list(KPI_COLUMNS), self.fmt["header"])
        for r, (_, k) in enumerate(a.kpis.iterrows(), start=top + 1):
            m = k["Metric"]
            kind = "money" if m in _MONEY_METRICS else "ratio" if m in _RATIO_METRICS else "integer"
            ws.write_string(r, 0, m)
            ws.write_string(r, 1, k["Definition"])
            for c, col in enumerate(("Target", "Target to date", "Actual"), start=2):
                self._number(ws, r, c, k[col], kind)
            self._number(ws, r, 5, k["Attainment"], "percent")
            ws.write_string(r, 6, k["Status"])
            self._number(ws, r, 7, k["Projection"], kind)
            self._number(ws, r, 8, k["Previous period"], kind)
            self._number(ws, r, 9, k["Change"], "percent")
        ws.set_column(0, 0, 18)
        ws.set_column(1, 1, 60)
        ws.set_column(2, 9, 14)
        ws.freeze_panes(top + 1, 1)

    def channel_performance(self) -> None:
        """Write the Channel Performance sheet: per-channel volumes, ratios, trend and status to date."""
        a = self.analysis
        ws = self.wb.add_worksheet(CHANNEL_PERFORMANCE)
        ws.write_string(0, 0, CHANNEL_PERFORMANCE, self.fmt["title"])
        ws.write_string(1, 0, f"Period to date: {a.window.start:%Y-%m-%d} to {a.window.end:%Y-%m-%d}, as of "
                              f"{a.window.as_of:%Y-%m-%d}. Status judges each channel by its primary metric.",
                        self.fmt["note"])
        top = 3
        headers = ["Channel", *CHANNEL_PERFORMANCE_COLUMNS]
        ws.write_row(top, 0, headers, self.fmt["header"])
        for r, (channel, values) in enumerate(a.channel_performance.iterrows(), start=top + 1):
            ws.write_string(r, 0, str(channel))
            for c, col in enumerate(CHANNEL_PERFORMANCE_COLUMNS, start=1):
                if col in ("Trend", "Status"):
                    ws.write_string(r, c, str(values[col]))
                    continue
                kind = {"Spend": "money", "Revenue": "money", "CPL": "money", "CAC": "money", "ROAS": "ratio",
                        "Trend %": "percent"}.get(col, "integer")
                self._number(ws, r, c, values[col], kind)
        ws.set_column(0, 0, 24)
        ws.set_column(1, len(headers) - 1, 13)
        ws.freeze_panes(top + 1, 1)

    def data_sheet(self, schema: Sheet) -> None:
        """Copy one intake sheet in, with the schema's canonical headers (extra columns left out).

        Args:
            schema: The sheet's schema.
        """
        intake = self.analysis.intake
        ws = self.wb.add_worksheet(schema.name)
        if schema.kind == "fields":
            values = intake.business if schema.name == "Business" else intake.settings
            ws.write_row(0, 0, ["Field", "Value"], self.fmt["header"])
            for r, fld in enumerate(schema.fields, start=1):
                ws.write_string(r, 0, fld.name)
                self._value(ws, r, 1, values.get(fld.name), fld.type)
            ws.set_column(0, 0, 32)
            ws.set_column(1, 1, 36)
            return
        frame = intake.table(schema.name)
        types = [f.type for f in schema.fields]
        for c, fld in enumerate(schema.fields):
            ws.set_column(c, c, max(12, len(fld.name) + 4), self.fmt.get(fld.type))
        columns = [_python_values(frame[f.name]) for f in schema.fields]
        for r, row in enumerate(zip(*columns), start=1):
            for c, value in enumerate(row):
                self._value(ws, r, c, value, types[c])
        ws.add_table(0, 0, max(len(frame), 1), len(schema.fields) - 1, {
            "name": "Data" + schema.name.replace(" ", ""), "style": "Table Style Light 9",
            "columns": [{"header": f.name} for f in schema.fields],
        })
        ws.freeze_panes(1, 0)

    # --- Private API -----------------------------------------------------------------------------------

    def _number(self, ws: Any, r: int, c: int, value: Any, kind: str) -> None:
        """Write a figure, or "–" when it is undefined (NaN)."""
        if value is None or pd.isna(value):
            ws.write_string(r, c, "–")
        else:
            ws.write_number(r, c, float(value), self.fmt[kind])

    def _value(self, ws: Any, r: int, c: int, value: Any, kind: str) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            ws.write_string(r, c, "Yes" if value else "No")
        elif isinstance(value, dt.datetime):
            ws.write_datetime(r, c, value, self.fmt["datetime" if kind == "datetime" else "date"])
        elif isinstance(value, (int, float)):
            ws.write_number(r, c, value, self.fmt.get(kind))
        elif isinstance(value, list):
            ws.write_string(r, c, ", ".join(value))
        else:
            ws.write_string(r, c, str(value))


def _python_values(series: pd.Series) -> list[Any]:
    """Return a column as plain Python values (None for missing, datetime for dates)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return [None if pd.isna(v) else v.to_pydatetime() for v in series]
    if series.dtype == object:
        return [None if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in series]
    return [None if pd.isna(v) else v for v in series.astype(object)]


def build_report(intake: Intake, path: str | Path | None = None, analysis: Analysis | None = None) -> Path:
    """Compute and write the report workbook for an intake.

    Args:
        intake: A validated intake (see :func:`mops_xl.load_intake`).
        path: Where to write the report; default ``<intake stem>-report.xlsx`` beside the intake.
        analysis: Figures already computed with :func:`mops_xl.analysis.analyse` (computed when omitted).

    Returns:
        The path written.

    Raises:
        OutputError: The output path is the input, or its folder does not exist or is not writable.
    """
    out = Path(path) if path is not None else default_report_path(intake.source)
    check_output_path(out, intake.source)
    analysis = analysis or analyse(intake)
    with atomic_output(out) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd",
        })
        wb.set_properties({"title": f"Marketing operations report — {intake.business['Business name']}",
                           "company": str(intake.business["Business name"]), "comments": "Written by mops-xl"})
        _ReportWriter(wb, analysis).write()
        wb.close()
    return out


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
    folder = out.parent
    if not folder.is_dir():
        raise OutputError(f"{folder}: the output folder does not exist")
    if out.is_dir():
        raise OutputError(f"{out}: is a folder; give a file name ending in .xlsx")
    import os

    if not os.access(folder, os.W_OK):
        raise OutputError(f"{folder}: the output folder is not writable")
