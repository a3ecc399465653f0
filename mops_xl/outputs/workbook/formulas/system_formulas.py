"""Where the marketing system's figures are written: the Martech Stack, Funnel Coverage and Cadence & Team sheets.

The definitions (:mod:`mops_xl.analysis.assessment.martech_figures`) know what a figure is; :class:`SystemFormulas`
knows where the data sheets' columns are and, on the Funnel Coverage sheet, where the grid of channels (one row
each, from :data:`GRID_TOP`) by stages (one column each) keeps a stage's marks and its count under them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from xlsxwriter.utility import xl_rowcol_to_cell

from mops_xl.analysis.assessment.martech_figures import SystemWriter
from mops_xl.outputs.workbook.formulas.excel_formulas import UNDEFINED, col

#: The 0-based row of the Funnel Coverage grid's first channel (its header is the row above).
GRID_TOP = 4


class SystemFigure(Protocol):
    """A system figure's definition, as far as writing it goes."""

    def formula(self, w: SystemWriter) -> str:
        """The Excel formula (no leading "=")."""
        ...


def count_row(channels: int) -> int:
    """The 0-based row of the Funnel Coverage grid's counts (the coverage words are the row under it).

    Args:
        channels: The grid's channels (rows).

    Returns:
        The row right under the grid.
    """
    return GRID_TOP + channels


@dataclass(frozen=True)
class SystemFormulas:
    """The system sheets' writer (a :class:`~mops_xl.analysis.assessment.martech_figures.SystemWriter`).

    Args:
        channels: The Funnel Coverage grid's channels (rows).
        stage: The 0-based column of the stage being written.
    """

    channels: int = 0
    stage: int = 0

    undefined = f'"{UNDEFINED}"'

    def column(self, sheet: str, column: str) -> str:
        """A data sheet column."""
        return col(sheet, column)

    def stage_marks(self) -> str:
        """The stage's column of the grid, e.g. "C5:C12"."""
        top, bottom = (
            xl_rowcol_to_cell(GRID_TOP, self.stage),
            xl_rowcol_to_cell(count_row(self.channels) - 1, self.stage),
        )
        return f"{top}:{bottom}"

    def stage_count(self) -> str:
        """The stage's count under the grid."""
        return xl_rowcol_to_cell(count_row(self.channels), self.stage)


def system_formula(figure: SystemFigure, w: SystemFormulas | None = None) -> str:
    """A system figure's formula, written for one place.

    Args:
        figure: The figure's definition, e.g. :data:`~mops_xl.analysis.assessment.martech_figures.TOTAL_FTE`.
        w: Where it is written (a data-sheet figure needs no place).

    Returns:
        The formula (with its leading "=").
    """
    return "=" + figure.formula(w or SystemFormulas())
