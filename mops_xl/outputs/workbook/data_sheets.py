"""The data sheets: the intake's tables carried into the report, so its formulas can reference them.

Each table sheet becomes an Excel table named ``tbl<Sheet>`` with the schema's canonical headers (unknown
extra columns left out); Business and Settings become Field | Value sheets whose values carry defined names
(``PeriodStart``, ``OverspendingThreshold`` …): the one place a leader edits a target date or a threshold.

Actuals and Touchpoints can hold a million rows. They are written row by row to a temporary file
(XlsxWriter's constant-memory mode, which has no Excel tables) as plain ranges with a filter, and formulas
reach their columns through one defined name per column (``ActualsSpend`` = ``Actuals!$D$2:$D$n``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from mops_xl.intake.model import Intake
from mops_xl.intake.schema import SHEETS, Sheet
from mops_xl.outputs.workbook.formats import TYPE_FORMATS, Formats
from mops_xl.outputs.workbook.formulas import DERIVED_NAMES, STREAMED_SHEETS, col, name_for, table

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


#: Day 0 of Excel's 1900 date system as XlsxWriter counts it (serial 1 = 1900-01-01).
_EXCEL_DAY_ZERO = pd.Timestamp("1899-12-31")


def column_cells(series: pd.Series) -> tuple[list[Any], bool]:
    """Turn a typed intake column into the values XlsxWriter writes, converted column-wise.

    Dates become Excel serial numbers (as ``write_datetime`` computes them), Yes/No and lists become text,
    missing values ``None``.

    Args:
        series: A typed intake column.

    Returns:
        ``(values, numeric)``: the cell values and whether they are numbers (else text).
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        days = (series - _EXCEL_DAY_ZERO) / pd.Timedelta(days=1)
        days = days + (days > 59)  # Excel counts a 29 February 1900 that never was
        return _none_for_missing(days), True
    if pd.api.types.is_bool_dtype(series):
        return [None if pd.isna(v) else ("Yes" if v else "No") for v in series.astype(object)], False
    if pd.api.types.is_numeric_dtype(series):
        return _none_for_missing(series.astype("float64")), True
    values = []
    for v in series.astype(object):
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            values.append(None)
        else:
            values.append(", ".join(v) if isinstance(v, list) else str(v))
    return values, False


def _none_for_missing(numbers: pd.Series) -> list[float | None]:
    return numbers.astype(object).where(numbers.notna(), None).tolist()


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
            (value,), numeric = column_cells(pd.Series([values.get(fld.name)]))
            if value is not None:
                (ws.write_number if numeric else ws.write_string)(r, 1, value, self.fmt.get(TYPE_FORMATS.get(fld.type)))
            self.wb.define_name(name_for(fld.name), f"={schema.name}!$B${r + 1}")
        ws.write_string(
            len(schema.fields) + 2, 0, "Edit values here: every formula of the report reads them.", self.fmt["note"]
        )
        ws.set_column(0, 0, 32)
        ws.set_column(1, 1, 36)
        ws.freeze_panes(1, 0)

    def _table(self, schema: Sheet) -> None:
        frame = self.intake.table(schema.name)
        streamed = schema.name in STREAMED_SHEETS
        ws = self.wb.add_worksheet(
            data_sheet_name(schema.name), worksheet_class=StreamedWorksheet if streamed else None
        )
        formats = [self.fmt.get(TYPE_FORMATS.get(f.type)) for f in schema.fields]
        for c, fld in enumerate(schema.fields):
            ws.set_column(c, c, max(12, len(fld.name) + 4), formats[c])
        last_row, last_col = max(len(frame), 1), len(schema.fields) - 1
        if streamed:
            self._streamed_header(ws, schema, last_row)
        cells = [column_cells(frame[f.name]) for f in schema.fields]
        writers = [ws.write_number if numeric else ws.write_string for _, numeric in cells]
        for r, row in enumerate(zip(*(values for values, _ in cells), strict=False), start=1):
            for c, value in enumerate(row):
                if value is not None:
                    writers[c](r, c, value, formats[c])
        if streamed:
            ws.autofilter(0, 0, last_row, last_col)
            ws.freeze_panes(1, 0)
        else:
            ws.add_table(
                0,
                0,
                last_row,
                last_col,
                {
                    "name": table(schema.name),
                    "style": "Table Style Light 9",
                    "columns": [{"header": f.name} for f in schema.fields],
                },
            )

    def _streamed_header(self, ws: Any, schema: Sheet, last_row: int) -> None:
        """The header row of a streamed sheet, a note on its names, and one defined name per column."""
        ws.write_row(0, 0, [f.name for f in schema.fields], self.fmt["header"])
        names = [col(schema.name, f.name) for f in schema.fields]
        ws.write_string(
            0,
            len(schema.fields) + 1,
            f"Formulas read these columns through the names {names[0]} … "
            f"{names[-1]}; to add rows, insert them above the last row so the names grow.",
            self.fmt["note"],
        )
        sheet = data_sheet_name(schema.name)
        for c, name in enumerate(names):
            letter = xl_col_to_name(c)
            self.wb.define_name(name, f"='{sheet}'!${letter}$2:${letter}${last_row + 1}")


class StreamedWorksheet(Worksheet):
    """A worksheet written row by row to a temporary file (XlsxWriter's constant-memory mode) in a workbook
    whose other sheets are kept in memory: a million rows cost no memory, but rows must come in order."""

    def _initialize(self, init_data: dict[str, Any]) -> None:
        super()._initialize({**init_data, "constant_memory": True})
