"""Where a campaign plan's figures are written: the cells of a plan sheet.

The definitions (:mod:`mops_xl.analysis.figures.campaign_plans.campaign_plan_figures`) know what a figure is;
:class:`PlanFormulas`
knows where a plan sheet keeps its values: the header's labels in column A and values in column B
(:data:`ROWS`), the checklist under its header row :data:`TOP` in the columns of
:data:`~mops_xl.analysis.figures.campaign_plans.campaigns.TASK_COLUMNS`, the weekly timeline to its right, and the
campaign's row on the Campaigns data sheet (its dates and its key).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Protocol

from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell

from mops_xl.analysis.figures.campaign_plans.campaign_plan_figures import PlanWriter
from mops_xl.analysis.figures.campaign_plans.campaigns import TASK_COLUMNS
from mops_xl.outputs.workbook.formulas.excel_formulas import (
    CAMPAIGN_KEY,
    UNDEFINED,
    by_campaign_plan,
    col,
    name_for,
    sheet_ref,
)
from mops_xl.outputs.workbook.sheets.data_sheets import field_column_letter, key_column_letter

#: The plan header: label → 0-based row (value in column B).
ROWS = {
    "Campaign": 2,
    "Launch date": 3,
    "Type": 4,
    "Owner": 5,
    "Budget": 6,
    "Progress": 7,
    "Spend to date": 8,
    "Outside its dates": 9,
    "All named for it": 10,
    "In the period": 11,
    "Budget used": 12,
}
#: The 0-based header row of a plan's checklist; its tasks follow, one a row.
TOP = 14
#: The 0-based column of the timeline's first week: after the checklist's columns and an empty one.
TIMELINE = len(TASK_COLUMNS) + 1
#: The header values that a formula reads from afar, anchored; the others are read by their neighbour.
_ANCHORED = ("Launch date", "Budget", "Progress")


class PlanFigure(Protocol):
    """A plan figure's definition, as far as writing it goes."""

    def formula(self, w: PlanWriter) -> str:
        """The Excel formula (no leading "=")."""
        ...


@dataclass(frozen=True)
class PlanFormulas:
    """One plan sheet's writer (a
    :class:`~mops_xl.analysis.figures.campaign_plans.campaign_plan_figures.PlanWriter`): the
    plan's header, and with :meth:`at_task`, :meth:`at_week` or :meth:`marks` a task's row, a timeline week or
    the timeline's conditional format.

    Args:
        campaigns_row: The campaign's 1-based row on the Campaigns data sheet.
        task_total: The number of tasks on the checklist.
        row: The 0-based row of the task being written.
        day: The days from launch of the timeline week being written.
        marks: Writing the timeline's conditional format, whose references are relative to its top-left cell
            (the first task's row, the first week's column), or a timeline cell (:meth:`at_mark`).
        week: The timeline week (0 the first) of the timeline cell being written.
    """

    campaigns_row: int
    task_total: int = 0
    row: int = TOP + 1
    day: int | None = None
    marks: bool = False
    week: int = 0

    undefined = f'"{UNDEFINED}"'

    def at_task(self, row: int) -> PlanFormulas:
        """The writer of a task's row (0-based)."""
        return dataclasses.replace(self, row=row)

    def at_week(self, day: int) -> PlanFormulas:
        """The writer of the timeline week starting ``day`` days from launch."""
        return dataclasses.replace(self, day=day)

    def timeline_marks(self) -> PlanFormulas:
        """The writer of the timeline's conditional format (from the first task's row and week's column)."""
        return dataclasses.replace(self, row=TOP + 1, marks=True)

    def at_mark(self, row: int, week: int) -> PlanFormulas:
        """The writer of one timeline cell: a task's row (0-based) and a week (0 the first)."""
        return dataclasses.replace(self, row=row, marks=True, week=week)

    def value(self, field: str) -> str:
        """The defined name of a Business value."""
        return name_for(field)

    def column(self, sheet: str, column: str) -> str:
        """A data sheet column."""
        return col(sheet, column)

    def campaign(self, field: str) -> str:
        """The campaign's cell of a Campaigns column (its Campaign key too) on the Campaigns data sheet."""
        if field == CAMPAIGN_KEY:
            letter = key_column_letter("Campaigns", CAMPAIGN_KEY)
        else:
            letter = field_column_letter("Campaigns", field)
        return sheet_ref("Campaigns", f"${letter}${self.campaigns_row}")

    def plan_rows(self) -> str:
        """The Actuals rows whose Campaign plan key is the campaign's key."""
        return by_campaign_plan(self.campaign(CAMPAIGN_KEY))

    def header(self, label: str) -> str:
        """The header's value cell of a label (column B)."""
        anchored = label in _ANCHORED
        return xl_rowcol_to_cell(ROWS[label], 1, row_abs=anchored, col_abs=anchored)

    def task(self, column: str) -> str:
        """The task's cell of a checklist column (its column anchored in the timeline's conditional format)."""
        return xl_rowcol_to_cell(self.row, TASK_COLUMNS.index(column), col_abs=self.marks)

    def tasks(self, column: str) -> str:
        """A checklist column over every task."""
        k = TASK_COLUMNS.index(column)
        return xl_range_abs(TOP + 1, k, TOP + self.task_total, k)

    def task_count(self) -> str:
        """The number of tasks."""
        return str(self.task_total)

    def days_from_launch(self) -> str:
        """The timeline week's offset, or the task's Days from launch cell."""
        return f"({self.day})" if self.day is not None else self.task("Days from launch")

    def week_start(self) -> str:
        """The timeline week's date in the timeline's header row (its row anchored): the first week's, or the
        week of the timeline cell being written."""
        return xl_rowcol_to_cell(TOP, TIMELINE + self.week, row_abs=True)


def plan_formula(figure: PlanFigure, w: PlanFormulas) -> str:
    """A plan figure's formula, written for one place of a plan sheet.

    Args:
        figure: The figure's definition, e.g.
        :data:`~mops_xl.analysis.figures.campaign_plans.campaign_plan_figures.PROGRESS`.
        w: Where it is written.

    Returns:
        The formula (with its leading "=").
    """
    return "=" + figure.formula(w)


def progress_link(sheet: str) -> str:
    """The Campaign Templates sheet's link to a plan's progress.

    Args:
        sheet: The plan sheet's name.

    Returns:
        The formula (with its leading "=").
    """
    return "=" + sheet_ref(sheet, xl_rowcol_to_cell(ROWS["Progress"], 1, row_abs=True, col_abs=True))
