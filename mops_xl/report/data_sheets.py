"""The data sheets: the intake's tables carried into the report, so its formulas can reference them.

Each table sheet becomes an Excel table named ``tbl<Sheet>`` with the schema's canonical headers (unknown
extra columns left out); Business and Settings become Field | Value sheets whose values carry defined names
(``PeriodStart``, ``OverspendingThreshold`` …): the one place a leader edits a target date or a threshold.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter

from ..intake import Intake
from ..schema import SHEETS, Sheet
from .formats import TYPE_FORMATS, Formats
from .formulas import DERIVED_NAMES, name_for, table


#: Data sheets whose intake name is taken by a report sheet (the report's "Experiments" shows the results).
_RENAMED = {"Experiments": "Experiments data"}


def data_sheet_name(sheet: str) -> str:
    """The name of an intake sheet's copy in the report (the intake's name, unless a report sheet has it).

    Args:
        sheet: The intake sheet name.

    Returns:
        The report's data sheet name.
    """
    return _RENAMED.get(sheet, sheet)


def python_values(series: pd.Series) -> list[Any]:
    """Return a column as plain Python values (None for missing, datetime for dates).

    Args:
        series: A typed intake column.

    Returns:
        The values.
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        return [None if pd.isna(v) else v.to_pydatetime() for v in series]
    if series.dtype == object:
        return [None if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in series]
    return [None if pd.isna(v) else v for v in series.astype(object)]


def write_value(ws: Any, r: int, c: int, value: Any, fmt: Any) -> None:
    """Write one intake value as what it is: text always as text, Yes/No as text, lists joined.

    Args:
        ws: The worksheet.
        r: Row (0-based).
        c: Column (0-based).
        value: The value (None writes nothing).
        fmt: The cell format, or None.
    """
    if value is None:
        return
    if isinstance(value, (bool, np.bool_)):
        ws.write_string(r, c, "Yes" if value else "No")
    elif isinstance(value, (dt.datetime, pd.Timestamp)):
        ws.write_datetime(r, c, pd.Timestamp(value).to_pydatetime(), fmt)
    elif isinstance(value, (int, float, np.integer, np.floating)):
        ws.write_number(r, c, float(value), fmt)
    elif isinstance(value, list):
        ws.write_string(r, c, ", ".join(value))
    else:
        ws.write_string(r, c, str(value))


class DataSheets:
    """Writes the data sheets and defines the names the formulas use.

    Args:
        wb: The workbook.
        formats: The report's formats.
        intake: The intake whose data is carried.
    """

    def __init__(self, wb: xlsxwriter.Workbook, formats: Formats, intake: Intake):
        self.wb, self.fmt, self.intake = wb, formats, intake

    def write_all(self) -> None:
        """Write every data sheet, in schema order, and define the names."""
        for schema in SHEETS:
            if schema.kind == "fields":
                self._fields(schema)
            else:
                self._table(schema)
        for name, formula in DERIVED_NAMES.items():
            self.wb.define_name(name, formula)

    def row_of(self, sheet: str, intake_row: int) -> int:
        """The 1-based Excel row in the data sheet of an intake record.

        Args:
            sheet: The table sheet.
            intake_row: The record's row in the intake (its index in the intake table).

        Returns:
            The row number in the report's data sheet.
        """
        return list(self.intake.table(sheet).index).index(intake_row) + 2

    def _fields(self, schema: Sheet) -> None:
        values = self.intake.business if schema.name == "Business" else self.intake.settings
        ws = self.wb.add_worksheet(data_sheet_name(schema.name))
        ws.write_row(0, 0, ["Field", "Value"], self.fmt["header"])
        for r, fld in enumerate(schema.fields, start=1):
            ws.write_string(r, 0, fld.name)
            write_value(ws, r, 1, values.get(fld.name), self.fmt.get(TYPE_FORMATS.get(fld.type)))
            self.wb.define_name(name_for(fld.name), f"={schema.name}!$B${r + 1}")
        ws.write_string(len(schema.fields) + 2, 0, "Edit values here: every formula of the report reads them.",
                        self.fmt["note"])
        ws.set_column(0, 0, 32)
        ws.set_column(1, 1, 36)
        ws.freeze_panes(1, 0)

    def _table(self, schema: Sheet) -> None:
        frame = self.intake.table(schema.name)
        ws = self.wb.add_worksheet(data_sheet_name(schema.name))
        formats = [self.fmt.get(TYPE_FORMATS.get(f.type)) for f in schema.fields]
        for c, fld in enumerate(schema.fields):
            ws.set_column(c, c, max(12, len(fld.name) + 4), formats[c])
        columns = [python_values(frame[f.name]) for f in schema.fields]
        for r, row in enumerate(zip(*columns), start=1):
            for c, value in enumerate(row):
                write_value(ws, r, c, value, formats[c])
        ws.add_table(0, 0, max(len(frame), 1), len(schema.fields) - 1, {
            "name": table(schema.name), "style": "Table Style Light 9",
            "columns": [{"header": f.name} for f in schema.fields],
        })
        if schema.name == "Actuals":
            ws.write_string(0, len(schema.fields) + 1, "One row per date, channel and campaign: rows the intake "
                            "repeated (ad-set exports) are summed, as the engine reads them.", self.fmt["note"])
        ws.freeze_panes(1, 0)
