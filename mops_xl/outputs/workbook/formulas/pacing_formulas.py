"""Where budget pacing's figures are written: the formula writers their definitions write themselves through.

A definition (:mod:`mops_xl.analysis.figures.budget.budget_line_figures`,
:mod:`mops_xl.analysis.figures.budget.pacing_total_figures`)
knows what a figure is; a writer here knows where its cells are: a budget line's row on Budget Pacing
(:class:`LineFormulas`), the sheet's total row (:class:`TotalFormulas`) or a day's row of the Dashboard's chart
data (:class:`CurveFormulas`). Neither writes a figure's formula itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from mops_xl.analysis.figures.budget.budget_line_figures import LINE_FIGURE
from mops_xl.analysis.figures.budget.pacing_total_figures import BUDGET_TO_DATE, CUMULATIVE_SPEND, TOTAL_FIGURES
from mops_xl.outputs.workbook.formulas.excel_formulas import (
    CHANNEL_KEY,
    UNDEFINED,
    actuals_sum,
    by_channel,
    col,
    last_data_date,
    name_for,
    window,
)


class LineFormulas:
    """One budget line's row on Budget Pacing.

    Args:
        cells: Line figure → its cell in the row.
        budget: Budget column → the line's cell on the Budget data sheet (its Channel key too).
        cycle: The line's channel's spend cycle in days when it spends on some days only (the engine's, written as a
            number in the row's Spend cycle cell), else 0: the line is paced day by day.
        lagging: The engine found the line's channel lagging (its rows stop early): the line is paced to its last
            data date, a formula over the Actuals (:meth:`data_through`).
    """

    undefined = f'"{UNDEFINED}"'

    def __init__(self, cells: Mapping[str, str], budget: Mapping[str, str], cycle: int = 0, lagging: bool = False):
        self.cells, self.budget_cells, self._cycle, self._lagging = cells, budget, cycle, lagging

    def cell(self, figure: str) -> str:
        """The row's cell of a figure."""
        return self.cells[figure]

    def budget(self, field: str) -> str:
        """The line's cell of a Budget column."""
        return self.budget_cells[field]

    def value(self, field: str) -> str:
        """The defined name of a Settings value."""
        return name_for(field)

    def spend(self, first: str, last: str) -> str:
        """Σ the line's channel's Spend from first to last, its rows found by the channel's key."""
        return actuals_sum("Spend", by_channel(self.budget_cells[CHANNEL_KEY]), first=first, last=last)

    def last_spend(self, first: str, last: str) -> str:
        """The latest Actuals Date from first to last with Spend > 0 for the line's channel (MAXIFS, 0 when none);
        a leader who edits the Actuals sees it follow."""
        channel = by_channel(self.budget_cells[CHANNEL_KEY])
        # _xlfn.: how a file names a function newer than Excel 2007 (MAXIFS: Excel 2019, LibreOffice 5.2)
        return f'_xlfn.MAXIFS({col("Actuals", "Date")},{channel},{col("Actuals", "Spend")},">0",{window(first, last)})'

    def cycle(self) -> str:
        """The line's spend cycle in days ("" for a line paced day by day)."""
        return str(self._cycle) if self._cycle else ""

    def data_through(self) -> str:
        """A lagging line's channel's last data date: the latest Actuals Date of its rows up to Report as of ("" for
        a line whose channel's data reaches Report as of)."""
        return last_data_date(self.budget_cells[CHANNEL_KEY]) if self._lagging else ""

    def formula(self, figure: str) -> str:
        """A line figure's formula in this row.

        Args:
            figure: The figure.

        Returns:
            The formula (with its leading "=").
        """
        return "=" + LINE_FIGURE[figure].formula(self)


class TotalFormulas:
    """The total row of Budget Pacing (all channels), on a sheet with budget lines.

    Args:
        cells: Figure → its cell in the total row.
        lines: Figure → the range of its cells over the budget lines' rows.
        window_rows: The defined name counting the Actuals rows in the window.
    """

    undefined = f'"{UNDEFINED}"'

    def __init__(self, cells: Callable[[str], str], lines: Callable[[str], str], window_rows: str):
        self._cells, self._lines, self._window_rows = cells, lines, window_rows

    def cell(self, figure: str) -> str:
        """The total row's cell of a figure."""
        return self._cells(figure)

    def lines(self, figure: str) -> str:
        """The range of a figure over the lines."""
        return self._lines(figure)

    def value(self, field: str) -> str:
        """The defined name of a Settings value."""
        return name_for(field)

    def window_rows(self) -> str:
        """The count of Actuals rows in the window."""
        return self._window_rows

    def formula(self, figure: str) -> str:
        """A total figure's formula (one of :data:`TOTAL_FIGURES`).

        Args:
            figure: The figure.

        Returns:
            The formula (with its leading "=").
        """
        return "=" + TOTAL_FIGURES[figure].formula(self)


class CurveFormulas:
    """One day's row of the spend curve (the Dashboard's chart data).

    Args:
        day: The cell holding the day.
        previous: The cell holding the day before's budget to date ("" on the first day).
        lines: Line figure → the range of its cells on Budget Pacing.
    """

    def __init__(self, day: str, previous: str, lines: Callable[[str], str]):
        self._day, self._previous, self._lines = day, previous, lines

    def day(self) -> str:
        """The day's cell."""
        return self._day

    def previous(self) -> str:
        """The day before's budget to date."""
        return self._previous

    def lines(self, figure: str) -> str:
        """A line figure's range on Budget Pacing."""
        return self._lines(figure)

    def value(self, field: str) -> str:
        """The defined name of a Settings value."""
        return name_for(field)

    def spend(self, first: str, last: str) -> str:
        """Σ every channel's Spend from first to last."""
        return actuals_sum("Spend", first=first, last=last)

    def cumulative_spend(self) -> str:
        """The day's cumulative spend (with its leading "=")."""
        return "=" + CUMULATIVE_SPEND.formula(self)

    def budget_to_date(self) -> str:
        """The day's budget to date (with its leading "=")."""
        return "=" + BUDGET_TO_DATE.formula(self)
