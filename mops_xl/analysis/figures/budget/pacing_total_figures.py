"""All spend against the budget, defined once: the total row's figures and the day-by-day curve, each with its
pandas computation and its Excel formula side by side.

The total pace is the one answer to "are we on budget?" (docs/metrics.md, "Budget pacing"): all spend to date
against every budget line's expected spend to date. The spend curve shows it day by day (the Dashboard's pace
chart). As with a line's figures (:mod:`mops_xl.analysis.figures.budget.budget_line_figures`), ``compute`` gives the
engine's value and ``formula`` writes the same figure through a writer protocol the report implements: the total
row's (:class:`TotalWriter`) or a day's row of the chart data (:class:`CurveWriter`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from mops_xl.analysis.blocks.statuses import NO_BUDGET, NO_DATA, NOT_STARTED, ON, OVER
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.figures.budget.budget_line_figures import WEEKDAYS, pacing_status, pacing_status_formula


class TotalWriter(Protocol):
    """What the total row's definitions need to write themselves as Excel formulas."""

    #: The formula text of an undefined figure (e.g. '"–"').
    undefined: str

    def cell(self, figure: str) -> str:
        """The total row's cell of a figure (its Actual: all spend to date, lines and unbudgeted spend)."""
        ...

    def lines(self, figure: str) -> str:
        """The range of a figure's cells over the budget lines' rows."""
        ...

    def value(self, field: str) -> str:
        """The defined name of a Settings value, e.g. "Overspending threshold"."""
        ...

    def window_rows(self) -> str:
        """The number of Actuals rows in the window (0: no data)."""
        ...


@dataclass(frozen=True)
class LinesTotal:
    """Σ a figure over the budget lines (the total row's Planned, Expected to date: the budget to date, and Budget
    for period).

    Args:
        name: The line figure.
    """

    name: str

    def compute(self, lines: pd.DataFrame) -> float:
        """The sum (0 without a line)."""
        return float(lines[self.name].sum())

    def formula(self, w: TotalWriter) -> str:
        """The sum as an Excel formula."""
        return f"SUM({w.lines(self.name)})"


class TotalPace:
    """All spend to date ÷ the budget to date (Σ the lines' expected spend to date); undefined while nothing is
    expected."""

    name = "Pace"

    def compute(self, spend: float, expected: float) -> float:
        """The pace.

        Args:
            spend: All channels' spend to date.
            expected: The budget to date (NaN without a line).

        Returns:
            The pace, NaN when undefined.
        """
        return spend / expected if expected > 0 else math.nan

    def formula(self, w: TotalWriter) -> str:
        """The pace as an Excel formula."""
        expected = w.cell("Expected to date")
        return f"IF({expected}>0,{w.cell('Actual')}/{expected},{w.undefined})"


class TotalStatus:
    """The status of all spend together against every budget line's expected spend to date."""

    name = "Status"

    def compute(self, lines: pd.DataFrame, spend: float, over_threshold: float, has_data: bool) -> str:
        """The status.

        Args:
            lines: The budget lines (:func:`~mops_xl.analysis.figures.budget.budget_line_figures.pace_lines`).
            spend: All channels' spend to date.
            over_threshold: The Overspending threshold.
            has_data: Whether any Actuals row falls in the window.

        Returns:
            No budget (no line overlaps the period), No data (no Actuals row in the window), Not started (no
            line has started), else the pacing band of spend ÷ Σ expected; when nothing is expected yet, Over
            pace if something was spent and every started line plans 0, else On pace (the rule of a line).
        """
        if lines.empty:
            return NO_BUDGET
        if not has_data:
            return NO_DATA
        started = lines[lines["Status"] != NOT_STARTED]
        if started.empty:
            return NOT_STARTED
        expected = float(lines["Expected to date"].sum())
        if expected > 0:
            return pacing_status(spend / expected, over_threshold)
        return OVER if spend > 0 and float(started["Planned"].sum()) == 0 else ON

    def formula(self, w: TotalWriter) -> str:
        """The status as an Excel formula, for a sheet with budget lines (without one it is No budget)."""
        status, pace, spent = w.lines("Status"), w.cell("Pace"), w.cell("Actual")
        band = pacing_status_formula(pace, w.value("Overspending threshold"))
        planned_started = f'SUMIFS({w.lines("Planned")},{status},"<>{NOT_STARTED}")'
        nothing_expected = f'IF(AND({spent}>0,{planned_started}=0),"{OVER}","{ON}")'
        return (
            f'IF({w.window_rows()}=0,"{NO_DATA}",IF(COUNTIF({status},"<>{NOT_STARTED}")=0,"{NOT_STARTED}",'
            f"IF(ISNUMBER({pace}),{band},{nothing_expected})))"
        )


class TotalFigure(Protocol):
    """A figure of the total row, as the report writes it (each computes from what it needs)."""

    @property
    def name(self) -> str:
        """The figure's column."""
        ...

    def formula(self, w: TotalWriter) -> str:
        """The figure as an Excel formula (no leading "=")."""
        ...


TOTAL_PACE, TOTAL_STATUS = TotalPace(), TotalStatus()
#: The total row's figures with a formula when there are budget lines (its Actual sums every row above it).
TOTAL_FIGURES: dict[str, TotalFigure] = {
    f.name: f
    for f in (
        LinesTotal("Planned"),
        LinesTotal("Expected to date"),
        LinesTotal("Budget for period"),
        TOTAL_PACE,
        TOTAL_STATUS,
    )
}


# --- The spend curve: day by day through the period ------------------------------------------------------------
class CurveWriter(Protocol):
    """What a day's definitions need to write themselves as Excel formulas; the report implements it for the
    row of one day of the chart data."""

    def day(self) -> str:
        """The cell holding the day."""
        ...

    def previous(self) -> str:
        """The cell holding the budget to date of the day before ("" on the period's first day)."""
        ...

    def lines(self, figure: str) -> str:
        """The range of a budget line figure's cells over the lines' rows."""
        ...

    def value(self, field: str) -> str:
        """The defined name of a Settings value, e.g. "Period start"."""
        ...

    def spend(self, first: str, last: str) -> str:
        """Σ every channel's Actuals Spend on the days from ``first`` to ``last`` (expressions)."""
        ...


class CumulativeSpend:
    """All channels' spend from Period start to the day (NaN after Report as of)."""

    name = "Cumulative spend"

    def compute(self, days: pd.DatetimeIndex, actuals: pd.DataFrame, window: ReportingWindow) -> pd.Series:
        """The cumulative spend of every day.

        Args:
            days: The period's days.
            actuals: The Actuals table.
            window: The reporting window.

        Returns:
            Indexed by day.
        """
        rows = actuals[(actuals["Date"] >= window.start) & (actuals["Date"] <= window.as_of)]
        daily = rows.groupby("Date")["Spend"].sum().reindex(days, fill_value=0.0).cumsum()
        return daily.where(days <= window.as_of)

    def formula(self, w: CurveWriter) -> str:
        """A day's cumulative spend as an Excel formula."""
        return w.spend(w.value("Period start"), w.day())


class BudgetToDate:
    """Σ over the lines of Planned per day × the line's counted days from the later of its start and Period start
    to the day: on Report as of, the total pace's budget to date."""

    name = "Budget to date"

    def compute(self, days: pd.DatetimeIndex, lines: pd.DataFrame, method: str) -> np.ndarray:
        """The budget to date of every day.

        Args:
            days: The period's days.
            lines: The budget lines.
            method: ``"linear"`` or ``"weekdays"``.

        Returns:
            One value per day.
        """
        dates = days.to_numpy().astype("datetime64[D]")
        counted = np.is_busday(dates) if method == WEEKDAYS else np.ones(len(days), bool)
        increment = np.zeros(len(days))
        for _, line in lines.iterrows():
            covers = (days >= line["Line start"]) & (days <= line["Line end"]) & counted
            increment += np.where(covers, line["Planned per day"], 0.0)
        return np.cumsum(increment)

    def formula(self, w: CurveWriter) -> str:
        """A day's budget to date as an Excel formula: the day before's plus the day's planned spend."""
        day, rate = w.day(), w.lines("Planned per day")
        weekend = f'AND({w.value("Pacing method")}="{WEEKDAYS}",WEEKDAY({day},2)>5)'
        covering = f'SUMIFS({rate},{w.lines("Line start")},"<="&{day},{w.lines("Line end")},">="&{day})'
        before = f"{w.previous()}+" if w.previous() else ""
        return f"{before}IF({weekend},0,{covering})"


CUMULATIVE_SPEND, BUDGET_TO_DATE = CumulativeSpend(), BudgetToDate()
