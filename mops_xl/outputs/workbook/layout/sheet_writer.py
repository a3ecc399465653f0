"""The base class of every report sheet writer."""

from __future__ import annotations

from typing import Any

import xlsxwriter

from mops_xl.outputs.workbook.layout.cell_formats import Formats


class SheetWriter:
    """What every writer of a group of report sheets starts from: the workbook, its formats, the engine's results.

    Args:
        wb: The workbook.
        fmt: The report's formats.
        analysis: The engine's results.
    """

    def __init__(self, wb: xlsxwriter.Workbook, fmt: Formats, analysis: Any):
        self.wb, self.fmt, self.a = wb, fmt, analysis

    @property
    def values_only(self) -> bool:
        """Whether the workbook is the values-only copy (no formulas, no data sheets, nothing to edit)."""
        return bool(getattr(self.wb, "values_only", False))

    @property
    def board_pack(self) -> bool:
        """Whether the workbook is the copy the PDF board pack is printed from (no instruction prints there)."""
        return bool(getattr(self.wb, "board_pack", False))

    def empty_note(self, nothing: str, instruction: str) -> str:
        """The one line an empty section shows: what is not there, and in the workbook how to fill it in.

        Args:
            nothing: What is not there ("No integrations").
            instruction: How to fill it in ("fill in the Integrations sheet"); left out of the board pack.

        Returns:
            "No integrations: fill in the Integrations sheet." or, in the board pack, "No integrations."
        """
        return f"{nothing}." if self.board_pack else f"{nothing}: {instruction}."

    def titled_sheet(self, name: str, note: str, values_note: str | None = None) -> Any:
        """Add a report sheet that starts with its title (A1) and one line saying how to read it (A2).

        Args:
            name: The sheet name (also its title).
            note: The line under the title.
            values_note: The line under the title in the values-only copy, when ``note`` speaks of formulas,
                inputs or the data sheets that copy does not have.

        Returns:
            The worksheet.
        """
        ws = self.wb.add_worksheet(name)
        ws.write_string(0, 0, name, self.fmt["title"])
        ws.write_string(1, 0, values_note if self.values_only and values_note else note, self.fmt["note"])
        return ws
