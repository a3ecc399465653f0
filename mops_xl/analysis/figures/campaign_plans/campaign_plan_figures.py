"""A campaign plan's figures, each computed with pandas and written as an Excel formula side by side.

A plan sheet (docs/metrics.md, "Campaign plans") shows the campaign's launch date, its spend to date within its
own dates and the share of its budget that is, and a checklist whose due dates follow the launch date, whose
tasks are Overdue when due before Report as of and not Done, whose completion is the share of tasks Done, and a
weekly timeline marking the week each task is due. The engine computes these with :meth:`compute`
(:func:`~mops_xl.analysis.figures.campaign_plans.campaigns.campaign_plans`); the report writes the same definitions
as formulas
through a :class:`PlanWriter`, which knows where the plan's cells are, so a leader who moves a launch date or
sets a task's status sees what the engine would have computed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from mops_xl.analysis.blocks.statuses import DONE, OVERDUE
from mops_xl.analysis.blocks.window import DAY

#: The Business value the plan's figures are measured up to.
AS_OF = "Report as of"
#: The first day of the reporting period (Channel Performance's By campaign rows start there).
PERIOD_START = "Period start"


class PlanWriter(Protocol):
    """What a plan's figure needs to write itself as an Excel formula; the report implements it for one plan
    sheet (and within it, for a task's row, a timeline week, or the timeline's marks)."""

    #: The formula text of an undefined figure (e.g. '"–"').
    undefined: str

    def value(self, field: str) -> str:
        """The defined name of a Business value, e.g. "Report as of"."""
        ...

    def column(self, sheet: str, column: str) -> str:
        """A reference to a data sheet's column, e.g. the Actuals sheet's Spend."""
        ...

    def campaign(self, field: str) -> str:
        """The cell of the campaign's row on the Campaigns data sheet holding a field, e.g. "Launch date"."""
        ...

    def plan_rows(self) -> str:
        """SUMIFS criteria selecting the Actuals rows that count for the campaign (by its plan key)."""
        ...

    def header(self, label: str) -> str:
        """The cell of the plan's header holding a label's value, e.g. "Launch date", "Budget"."""
        ...

    def task(self, column: str) -> str:
        """The cell of the task's row holding a checklist column, e.g. "Due date", "Status"."""
        ...

    def tasks(self, column: str) -> str:
        """The range of a checklist column over every task."""
        ...

    def task_count(self) -> str:
        """The number of tasks on the checklist."""
        ...

    def days_from_launch(self) -> str:
        """The days from launch of the date being written: a task's Days from launch cell, a week's offset."""
        ...

    def week_start(self) -> str:
        """The cell of a timeline week's first day."""
        ...


def within_own_dates(dates: pd.Series, matched: pd.Series, campaigns: pd.DataFrame) -> pd.Series:
    """Whether each Actuals row falls within the dates of the campaign it matches: on or after its Launch date
    and on or before its End date (a blank date leaves that side open).

    Args:
        dates: The rows' dates.
        matched: The campaign each row matches
        (:func:`~mops_xl.analysis.figures.campaign_plans.campaigns.match_campaigns`;
            None for none).
        campaigns: The Campaigns table.

    Returns:
        True for a matched row within its campaign's dates; False otherwise.
    """
    launch, end = (
        pd.to_datetime(matched.map(dict(zip(campaigns["Campaign"], campaigns[c], strict=True))))
        for c in ("Launch date", "End date")
    )
    return matched.notna() & ~(dates < launch) & ~(dates > end)  # a comparison with NaT (blank date) is False


@dataclass(frozen=True)
class LaunchDate:
    """The campaign's launch date, from its row on the Campaigns sheet; undefined without one."""

    def compute(self, campaign: pd.Series) -> pd.Timestamp:
        """The launch date.

        Args:
            campaign: The campaign's row of the Campaigns table.

        Returns:
            The date (NaT without one).
        """
        return campaign["Launch date"]

    def formula(self, w: PlanWriter) -> str:
        """The Campaigns sheet's launch date, or undefined when it is not a date (no leading "=")."""
        launch = w.campaign("Launch date")
        return f"IF(ISNUMBER({launch}),{launch},{w.undefined})"


@dataclass(frozen=True)
class FromLaunch:
    """A date some days from the launch date: a task's due date, a timeline week's first day; undefined
    without a launch date."""

    def compute(self, launch: pd.Timestamp, days: int) -> pd.Timestamp:
        """The date.

        Args:
            launch: The launch date (NaT without one).
            days: Days from launch (negative before it).

        Returns:
            launch + days (NaT without a launch date).
        """
        return launch + days * DAY

    def formula(self, w: PlanWriter) -> str:
        """The header's launch date + the days from launch (no leading "=")."""
        launch = w.header("Launch date")
        return f"IF(ISNUMBER({launch}),{launch}+{w.days_from_launch()},{w.undefined})"


@dataclass(frozen=True)
class OverdueTask:
    """A task is Overdue when it is due before Report as of and not Done (a task without a due date never is)."""

    def due(self, due: pd.Series, as_of: pd.Timestamp) -> pd.Series:
        """Whether each task is due before Report as of (NaT is never due).

        Args:
            due: The tasks' due dates.
            as_of: Report as of.

        Returns:
            True for a task due before it.
        """
        return due < as_of

    def compute(self, due: pd.Series, status: pd.Series, as_of: pd.Timestamp) -> pd.Series:
        """The Overdue column.

        Args:
            due: The tasks' due dates.
            status: The tasks' statuses.
            as_of: Report as of.

        Returns:
            "Overdue" for a task due before Report as of and not Done, else "".
        """
        late = self.due(due, as_of) & (status != DONE)
        return late.map({True: OVERDUE, False: ""})

    def formula(self, w: PlanWriter) -> str:
        """IF(due is a date before Report as of and status ≠ Done, "Overdue", "") (no leading "=")."""
        due, status = w.task("Due date"), w.task("Status")
        return f'IF(AND(ISNUMBER({due}),{due}<{w.value(AS_OF)},{status}<>"{DONE}"),"{OVERDUE}","")'


@dataclass(frozen=True)
class ChecklistProgress:
    """The share of the checklist's tasks that are Done."""

    def compute(self, status: pd.Series) -> float:
        """The progress.

        Args:
            status: The tasks' statuses (at least one task).

        Returns:
            Tasks Done ÷ tasks.
        """
        return int((status == DONE).sum()) / len(status)

    def formula(self, w: PlanWriter) -> str:
        """COUNTIF(statuses, "Done") ÷ the number of tasks (no leading "=")."""
        return f'COUNTIF({w.tasks("Status")},"{DONE}")/{w.task_count()}'


@dataclass(frozen=True)
class SpendToDate:
    """Σ Spend of the Actuals rows that count for a campaign (its name, an extension of it, or one of its Also
    matches names: its plan key), dated within its own dates (:func:`within_own_dates`) and up to Report as of."""

    def compute(
        self, actuals: pd.DataFrame, matched: pd.Series, campaigns: pd.DataFrame, as_of: pd.Timestamp
    ) -> pd.Series:
        """The spend to date of every campaign with such rows.

        Args:
            actuals: The Actuals table (Date, Spend; all dates: a campaign may have started before the period).
            matched: Aligned with ``actuals``: the Campaigns row's Campaign each row counts for, or None.
            campaigns: The Campaigns table.
            as_of: Report as of.

        Returns:
            Campaign → spend to date (a campaign without rows is absent: 0).
        """
        dates = actuals["Date"]
        own = (dates <= as_of) & within_own_dates(dates, matched, campaigns)
        return actuals.loc[own, "Spend"].groupby(matched[own]).sum()

    def formula(self, w: PlanWriter) -> str:
        """SUMIFS of Spend over the campaign's rows from its Launch date to its End date and Report as of, the
        earlier (no leading "=")."""
        launch, end, as_of = w.campaign("Launch date"), w.campaign("End date"), w.value(AS_OF)
        dates = w.column("Actuals", "Date")
        last = f"IF(ISNUMBER({end}),MIN({end},{as_of}),{as_of})"
        return f'SUMIFS({w.column("Actuals", "Spend")},{w.plan_rows()},{dates},">="&N({launch}),{dates},"<="&{last})'


@dataclass(frozen=True)
class SpendNamed:
    """Σ Spend of all the Actuals rows that count for a campaign (its plan key) up to Report as of, on any date:
    within its own dates or not. The plan sheet reconciles it: spend to date + spend outside its dates."""

    def compute(self, actuals: pd.DataFrame, matched: pd.Series, as_of: pd.Timestamp) -> pd.Series:
        """All spend named for each campaign up to Report as of.

        Args:
            actuals: The Actuals table (Date, Spend; all dates).
            matched: Aligned with ``actuals``: the Campaigns row's Campaign each row counts for, or None.
            as_of: Report as of.

        Returns:
            Campaign → spend (a campaign without rows is absent: 0).
        """
        upto = (actuals["Date"] <= as_of) & matched.notna()
        return actuals.loc[upto, "Spend"].groupby(matched[upto]).sum()

    def formula(self, w: PlanWriter) -> str:
        """SUMIFS of Spend over the campaign's rows up to Report as of (no leading "=")."""
        dates = w.column("Actuals", "Date")
        return f'SUMIFS({w.column("Actuals", "Spend")},{w.plan_rows()},{dates},"<="&{w.value(AS_OF)})'


@dataclass(frozen=True)
class SpendOutsideDates:
    """Σ Spend of the Actuals rows that count for a campaign up to Report as of but fall outside its own dates:
    before its Launch date or after its End date. They count in no campaign's spend to date."""

    def compute(
        self, actuals: pd.DataFrame, matched: pd.Series, campaigns: pd.DataFrame, as_of: pd.Timestamp
    ) -> pd.Series:
        """The spend outside its dates of every campaign with such rows.

        Args:
            actuals: The Actuals table (Date, Spend; all dates).
            matched: Aligned with ``actuals``: the Campaigns row's Campaign each row counts for, or None.
            campaigns: The Campaigns table.
            as_of: Report as of.

        Returns:
            Campaign → spend (a campaign without such rows is absent: 0).
        """
        dates = actuals["Date"]
        outside = (dates <= as_of) & matched.notna() & ~within_own_dates(dates, matched, campaigns)
        return actuals.loc[outside, "Spend"].groupby(matched[outside]).sum()

    def formula(self, w: PlanWriter) -> str:
        """SUMIFS before its Launch date + SUMIFS after its End date, both up to Report as of (no leading "=")."""
        launch, end, as_of = w.campaign("Launch date"), w.campaign("End date"), w.value(AS_OF)
        spend, rows, dates = w.column("Actuals", "Spend"), w.plan_rows(), w.column("Actuals", "Date")
        before = f'SUMIFS({spend},{rows},{dates},"<"&N({launch}),{dates},"<="&{as_of})'
        after = f'IF(ISNUMBER({end}),SUMIFS({spend},{rows},{dates},">"&{end},{dates},"<="&{as_of}),0)'
        return f"{before}+{after}"


@dataclass(frozen=True)
class SpendInPeriod:
    """Σ Spend of the Actuals rows that count for a campaign from Period start to Report as of (any of its own
    dates or not): the total of its rows in Channel Performance's By campaign section."""

    def compute(self, actuals: pd.DataFrame, matched: pd.Series, start: pd.Timestamp, as_of: pd.Timestamp) -> pd.Series:
        """The spend in the period to date of every campaign with such rows.

        Args:
            actuals: The Actuals table (Date, Spend; all dates).
            matched: Aligned with ``actuals``: the Campaigns row's Campaign each row counts for, or None.
            start: Period start.
            as_of: Report as of.

        Returns:
            Campaign → spend (a campaign without such rows is absent: 0).
        """
        dates = actuals["Date"]
        period = (dates >= start) & (dates <= as_of) & matched.notna()
        return actuals.loc[period, "Spend"].groupby(matched[period]).sum()

    def formula(self, w: PlanWriter) -> str:
        """SUMIFS of Spend over the campaign's rows from Period start to Report as of (no leading "=")."""
        dates = w.column("Actuals", "Date")
        return (
            f'SUMIFS({w.column("Actuals", "Spend")},{w.plan_rows()},{dates},">="&{w.value(PERIOD_START)},'
            f'{dates},"<="&{w.value(AS_OF)})'
        )


@dataclass(frozen=True)
class BudgetUsed:
    """Spend to date ÷ the campaign's Budget; undefined without a spend to date or a positive budget."""

    def compute(self, spend: float, budget: float) -> float:
        """The share of the budget spent.

        Args:
            spend: The spend to date (NaN for a campaign not launched).
            budget: The Budget (NaN when not given).

        Returns:
            The share, NaN where undefined.
        """
        return spend / budget if budget > 0 else math.nan

    def formula(self, w: PlanWriter) -> str:
        """Spend to date ÷ Budget (no leading "=")."""
        return f"{w.header('Spend to date')}/{w.header('Budget')}"


@dataclass(frozen=True)
class DueInWeek:
    """Whether a task is due in a timeline week: on or after the week's first day and before the next week's."""

    def compute(self, due: pd.Timestamp, week_start: pd.Timestamp) -> bool:
        """Whether the task is due that week.

        Args:
            due: The task's due date (NaT: never).
            week_start: The week's first day.

        Returns:
            week start ≤ due < week start + 7 days.
        """
        return bool(week_start <= due < week_start + 7 * DAY)

    def formula(self, w: PlanWriter) -> str:
        """The condition (no leading "=")."""
        due, head = w.task("Due date"), w.week_start()
        return f"AND(ISNUMBER({due}),{due}>={head},{due}<{head}+7)"


@dataclass(frozen=True)
class DueMark:
    """The word a timeline cell shows in the week a task is due, so the week reads in black and white too (its
    fill is only the colour)."""

    #: The word in the task's due week.
    word: str = "Due"

    def compute(self, due: pd.Timestamp, week_start: pd.Timestamp) -> str:
        """The cell's text.

        Args:
            due: The task's due date (NaT: never).
            week_start: The week's first day.

        Returns:
            :attr:`word` in the week the task is due (:class:`DueInWeek`), else "".
        """
        return self.word if DueInWeek().compute(due, week_start) else ""

    def formula(self, w: PlanWriter) -> str:
        """IF(due that week, "Due", "") (no leading "=")."""
        return f'IF({DueInWeek().formula(w)},"{self.word}","")'


LAUNCH_DATE = LaunchDate()
FROM_LAUNCH = FromLaunch()
OVERDUE_TASK = OverdueTask()
PROGRESS = ChecklistProgress()
SPEND_TO_DATE = SpendToDate()
SPEND_NAMED = SpendNamed()
SPEND_OUTSIDE_DATES = SpendOutsideDates()
SPEND_IN_PERIOD = SpendInPeriod()
BUDGET_USED = BudgetUsed()
DUE_IN_WEEK = DueInWeek()
DUE_MARK = DueMark()
