"""A report for sharing outside the team: every formula replaced by its value, no data sheets.

:class:`ValuesWorkbook` is an XlsxWriter workbook whose worksheets write a formula's cached value instead
of the formula, and which defines no names (they would point at data sheets that are not there). The
sheet writers stay the same: they do not know which kind of workbook they write.
"""

from __future__ import annotations

from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet


class ValuesWorksheet(Worksheet):
    """A worksheet that writes the value a formula would show, never the formula."""

    def write_formula(self, row: int, col: int, formula: str, cell_format: Any = None, value: Any = 0) -> int:
        """Write ``value`` (the engine's figure) instead of ``formula``.

        Args:
            row: Row (0-based).
            col: Column (0-based).
            formula: Ignored.
            cell_format: The cell format.
            value: The value to write.

        Returns:
            XlsxWriter's status code.
        """
        if value is None or value == "":
            return self.write_blank(row, col, None, cell_format)
        if isinstance(value, str):
            return self.write_string(row, col, value, cell_format)
        return self.write_number(row, col, float(value), cell_format)


class ValuesWorkbook(xlsxwriter.Workbook):
    """A workbook of :class:`ValuesWorksheet` sheets that defines no names."""

    #: The sheet writers write notes for this copy (no formulas, inputs or data sheets to speak of).
    values_only = True

    def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Worksheet:
        """Add a values-only worksheet.

        Args:
            name: The sheet name.
            worksheet_class: Ignored (always :class:`ValuesWorksheet`).

        Returns:
            The worksheet.
        """
        return super().add_worksheet(name, worksheet_class=ValuesWorksheet)

    def define_name(self, name: str, formula: str) -> int:
        """Define nothing: the names would point at the data sheets a values-only report leaves out.

        Args:
            name: Ignored.
            formula: Ignored.

        Returns:
            0.
        """
        return 0
