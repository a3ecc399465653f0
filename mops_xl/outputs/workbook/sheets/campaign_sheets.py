"""Campaign Templates and one plan sheet per campaign, back-scheduled from its launch date by formulas."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from mops_xl.analysis.blocks.statuses import OVERDUE, TASK_STATUSES
from mops_xl.analysis.blocks.wording import day as prose_day
from mops_xl.analysis.blocks.wording import days
from mops_xl.analysis.engine import Analysis
from mops_xl.analysis.figures.campaign_plans.campaign_plan_figures import (
    BUDGET_USED,
    DUE_IN_WEEK,
    DUE_MARK,
    FROM_LAUNCH,
    LAUNCH_DATE,
    OVERDUE_TASK,
    PROGRESS,
    SPEND_IN_PERIOD,
    SPEND_NAMED,
    SPEND_OUTSIDE_DATES,
    SPEND_TO_DATE,
)
from mops_xl.analysis.figures.campaign_plans.campaigns import SEPARATORS, TASK_COLUMNS, CampaignPlan
from mops_xl.campaigns.library import TEMPLATES
from mops_xl.outputs.workbook.formulas.campaign_formulas import (
    ROWS,
    TIMELINE,
    TOP,
    PlanFormulas,
    plan_formula,
    progress_link,
)
from mops_xl.outputs.workbook.formulas.excel_formulas import UNDEFINED, cached, internal_link
from mops_xl.outputs.workbook.layout.cell_formats import Formats
from mops_xl.outputs.workbook.layout.print_blocks import print_in_blocks
from mops_xl.outputs.workbook.layout.sheet_writer import SheetWriter

SHEET = "Campaign Templates"
PLAN_HEADERS = TASK_COLUMNS
_EPOCH = pd.Timestamp("1899-12-30")


class SheetNames:
    """The sheet names a report uses, to hand out new unique ones in near-constant time each.

    Args:
        taken: The sheet names already used (compared ignoring case).
    """

    def __init__(self, taken: set[str]):
        self.taken = taken
        self.folded = {t.casefold() for t in taken} | {"history"}  # built once, not per campaign
        self.next_suffix: dict[str, int] = {}

    def new(self, campaign: str) -> str:
        """A valid, unique sheet name for a campaign's plan: Excel's forbidden characters replaced, at most 31
        characters, never starting or ending with an apostrophe (Excel refuses it; a cut can leave one last),
        unique ignoring case (a " (2)" suffix when needed).

        Args:
            campaign: The campaign name.

        Returns:
            The sheet name (formulas and links quote it with
            :func:`~mops_xl.outputs.workbook.formulas.excel_formulas.sheet_ref`),
            now taken.
        """
        base = re.sub(r"[\[\]:*?/\\]", "-", " ".join(str(campaign).split())).strip("'") or "Campaign"
        name = base[:31].rstrip("'")
        n = self.next_suffix.get(base.casefold(), 2)
        while name.casefold() in self.folded:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        self.next_suffix[base.casefold()] = n
        self.folded.add(name.casefold())
        self.taken.add(name)
        return name


def sheet_name(campaign: str, taken: set[str]) -> str:
    """One new unique plan sheet name (see :meth:`SheetNames.new`); ``taken`` gets it added.

    Args:
        campaign: The campaign name.
        taken: The sheet names already used (compared ignoring case).

    Returns:
        The sheet name.
    """
    return SheetNames(taken).new(campaign)


class CampaignSheets(SheetWriter):
    """Writes the Campaign Templates sheet and the plan sheets.

    Args:
        wb: The workbook.
        fmt: The report's formats.
        analysis: The engine's results.
        data_row: Intake sheet and row → the row of that record in the report's data sheet.
        taken: Sheet names the report already uses.
    """

    def __init__(self, wb: Any, fmt: Formats, analysis: Analysis, data_row: Any, taken: set[str]):
        super().__init__(wb, fmt, analysis)
        self.data_row = data_row
        self.campaigns = analysis.intake.table("Campaigns")
        names = SheetNames(taken)
        self.names = {row: names.new(c) for row, c in self.campaigns["Campaign"].items()}
        self.plans = {plan.row: plan for plan in analysis.campaign_plans}

    def write(self) -> None:
        """Write the Campaign Templates sheet, then one plan per campaign."""
        self._summary()
        for row, campaign in self.campaigns.iterrows():
            self._plan(self.names[row], self.data_row("Campaigns", row), campaign, self.plans[row])

    def _summary(self) -> None:
        ws = self.wb.add_worksheet(SHEET)
        ws.write_string(0, 0, SHEET, self.fmt["title"])
        ws.write_row(
            2, 0, ["Campaign Type", "Timeline (weeks)", "Checklist items", "Template reference"], self.fmt["header"]
        )
        for i, t in enumerate(TEMPLATES, start=3):
            ws.write_row(i, 0, [t.campaign_type, t.timeline_weeks, len(t.items), t.reference])
        r = 4 + len(TEMPLATES)
        ws.write_string(r, 0, "Campaign plans", self.fmt["title"])
        ws.write_row(r + 1, 0, ["Campaign", "Type", "Launch date", "Status", "Plan", "Progress"], self.fmt["header"])
        for i, (row, c) in enumerate(self.campaigns.iterrows(), start=r + 2):
            name = self.names[row]
            ws.write_string(i, 0, str(c["Campaign"]))
            ws.write_string(i, 1, c["Type"] if isinstance(c["Type"], str) else UNDEFINED)
            if pd.isna(c["Launch date"]):
                ws.write_string(i, 2, UNDEFINED)
            else:
                ws.write_datetime(i, 2, c["Launch date"].to_pydatetime(), self.fmt["date"])
            ws.write_string(i, 3, c["Status"] if isinstance(c["Status"], str) else "")
            ws.write_url(i, 4, internal_link(name), None, name)
            ws.write_formula(i, 5, progress_link(name), self.fmt["percent"], cached(self.plans[row].progress))
        if self.campaigns.empty:
            ws.write_string(
                r + 2,
                0,
                self.empty_note("No campaigns", "fill in the Campaigns sheet to get a plan for each"),
                self.fmt["note"],
            )
        ws.set_column(0, 0, 30)
        ws.set_column(1, 5, 16)

    def _plan(self, name: str, k: int, c: pd.Series, plan: CampaignPlan) -> None:
        ws = self.wb.add_worksheet(name)
        ws.write_string(0, 0, "Campaign plan", self.fmt["title"])
        ws.merge_range(  # across the checklist's columns, wrapped: the page prints the checklist's width
            1,
            0,
            1,
            len(PLAN_HEADERS) - 1,
            "Due dates follow the launch date on the Campaigns sheet. Tasks of the phases before the campaign's "
            "Status start Done; set each task's status from the list. Overdue: due before Report as of and not Done.",
            self.fmt["note_wrap"],
        )
        ws.set_row(1, 30)
        for label, r in ROWS.items():
            ws.write_string(r, 0, label, self.fmt["bold"])
        ws.write_string(ROWS["Campaign"], 1, str(c["Campaign"]))
        w = PlanFormulas(k, len(plan.tasks))
        ws.write_formula(
            ROWS["Launch date"], 1, plan_formula(LAUNCH_DATE, w), self.fmt["date"], _serial(c["Launch date"])
        )
        for label in ("Type", "Owner"):
            ws.write_string(ROWS[label], 1, c[label] if isinstance(c[label], str) else UNDEFINED)
        if not pd.isna(c["Budget"]):
            ws.write_number(ROWS["Budget"], 1, float(c["Budget"]), self.fmt["money"])
        if plan.template is None:
            ws.write_string(ROWS["Progress"], 1, UNDEFINED)
            ws.write_string(
                TOP,
                0,
                "Set the campaign's Type (Product launch, Promotional, Content or Event) to get its checklist.",
                self.fmt["note"],
            )
            return
        self._spend(ws, plan, w)
        self._checklist(ws, plan, w)

    def _spend(self, ws: Any, plan: CampaignPlan, w: PlanFormulas) -> None:
        """Spend to date against the campaign budget, for a launched campaign (Actuals rows of that campaign,
        found by its Campaign plan key)."""
        r = ROWS["Spend to date"]
        if not plan.launched:
            ws.write_string(r, 1, "not launched")
            return
        found = ", ".join(plan.actuals_campaigns) or "none"
        # across the checklist's columns (the timeline's label is on the same row); written as text
        ws.merge_range(TOP - 1, 0, TOP - 1, len(PLAN_HEADERS) - 1, "", self.fmt["note"])
        ws.write_string(
            TOP - 1,
            0,
            f"The spend above counts the Actuals rows named for this campaign: its name, its name extended after "
            f"{', '.join(repr(sep) for sep in SEPARATORS)}, or one of its Also matches names (the Campaign plan key "
            f"column of Actuals); found: {found}.",
            self.fmt["note"],
        )
        self._spend_windows(ws, plan, w)
        used = ROWS["Budget used"]
        if plan.budget > 0:
            ws.write_formula(used, 1, plan_formula(BUDGET_USED, w), self.fmt["percent"], cached(plan.budget_used))
            ws.write_string(used, 2, "of the campaign budget: spend to date ÷ Budget", self.fmt["note"])
        else:
            ws.write_string(used, 1, UNDEFINED)
            ws.write_string(used, 2, "no Budget on the Campaigns sheet", self.fmt["note"])

    def _spend_windows(self, ws: Any, plan: CampaignPlan, w: PlanFormulas) -> None:
        """The campaign's spend, each figure with its window, reconciled: spend to date (within its own dates)
        + spend named for it outside its dates = all spend named for it; of which in the period to date (its rows'
        total in Channel Performance's By campaign section)."""
        window = self.a.window
        as_of = f"up to Report as of ({prose_day(window.as_of)})"
        lines = (
            (
                "Spend to date",
                SPEND_TO_DATE,
                plan.spend_to_date,
                f"within its dates (Launch date to End date), {as_of}",
            ),
            (
                "Outside its dates",
                SPEND_OUTSIDE_DATES,
                plan.spend_outside_dates,
                f"named for it but dated before its Launch date or after its End date, {as_of}: in no campaign's "
                "spend to date",
            ),
            (
                "All named for it",
                SPEND_NAMED,
                plan.spend_named,
                f"every Actuals row named for it, {as_of}: spend to date + outside its dates",
            ),
            (
                "In the period",
                SPEND_IN_PERIOD,
                plan.spend_in_period,
                f"of all named for it, the period to date ({days(window.start, window.as_of)}): its rows on "
                "Channel Performance (By campaign)",
            ),
        )
        for label, figure, value, text in lines:
            r = ROWS[label]
            ws.write_formula(r, 1, plan_formula(figure, w), self.fmt["money"], cached(value))
            # across the checklist's columns right of the figure, so the window reads on one line
            ws.merge_range(r, 2, r, len(PLAN_HEADERS) - 1, text, self.fmt["note"])

    def _checklist(self, ws: Any, plan: CampaignPlan, w: PlanFormulas) -> None:
        ws.write_row(TOP, 0, list(PLAN_HEADERS), self.fmt["header"])
        first, last = TOP + 1, TOP + len(plan.tasks)
        for r, (_, task) in enumerate(plan.tasks.iterrows(), start=first):
            ws.write_row(r, 0, [task["#"], task["Phase"]])
            ws.write_string(r, 2, task["Task"], self.fmt["wrap"])  # a sentence: its column keeps its width
            ws.write_row(r, 3, [task["Owner role"], task["Owner"]])
            ws.write_number(r, 5, task["Days from launch"])
            at = w.at_task(r)
            ws.write_formula(r, 6, plan_formula(FROM_LAUNCH, at), self.fmt["date"], _serial(task["Due date"]))
            ws.write_string(r, 7, task["Status"])
            ws.write_formula(r, 8, plan_formula(OVERDUE_TASK, at), None, task["Overdue"])
        ws.data_validation(first, 7, last, 7, {"validate": "list", "source": list(TASK_STATUSES)})
        ws.conditional_format(
            first, 8, last, 8, {"type": "cell", "criteria": "==", "value": f'"{OVERDUE}"', "format": self.fmt["bad"]}
        )
        ws.write_formula(ROWS["Progress"], 1, plan_formula(PROGRESS, w), self.fmt["percent"], cached(plan.progress))
        self.fmt.colour_statuses(ws, first, 7, last, 7)
        self._timeline(ws, plan, w)
        ws.set_column(0, 0, 18)  # the header's labels ("Outside its dates")
        ws.set_column(1, 1, 13)
        ws.set_column(2, 2, 52)
        ws.set_column(3, 4, 16)
        ws.set_column(5, 8, 12)
        ws.freeze_panes(TOP + 1, 3)

    def _timeline(self, ws: Any, plan: CampaignPlan, w: PlanFormulas) -> None:
        """A weekly timeline: one column per week, the week a task is due saying "Due" and filled by a conditional
        format."""
        weeks, first, last = len(plan.weeks), TOP + 1, TOP + len(plan.tasks)
        ws.write_string(TOP - 1, TIMELINE, "Week starting", self.fmt["note"])
        for k, (day, start) in enumerate(plan.weeks):
            ws.write_formula(
                TOP, TIMELINE + k, plan_formula(FROM_LAUNCH, w.at_week(day)), self.fmt["week"], _serial(start)
            )
        for r, (_, task) in enumerate(plan.tasks.iterrows(), start=first):  # the word, for black-and-white print
            for k, (_, start) in enumerate(plan.weeks):
                mark = DUE_MARK.compute(task["Due date"], start)
                ws.write_formula(r, TIMELINE + k, plan_formula(DUE_MARK, w.at_mark(r, k)), None, mark)
        ws.conditional_format(
            first,
            TIMELINE,
            last,
            TIMELINE + weeks - 1,
            {"type": "formula", "criteria": plan_formula(DUE_IN_WEEK, w.timeline_marks()), "format": self.fmt["good"]},
        )
        ws.set_column(TIMELINE, TIMELINE + weeks - 1, 7)
        # the checklist, then the timeline with #, Phase and Task on its left: the weeks do not shrink the checklist
        print_in_blocks(
            ws, len(PLAN_HEADERS) - 1, (TOP - 1, TIMELINE, last, TIMELINE + weeks - 1), PLAN_HEADERS.index("Task") + 1
        )


def _serial(day: pd.Timestamp) -> float | str:
    """The Excel serial number a date formula caches ("–" for no date)."""
    return float((day - _EPOCH).days) if not pd.isna(day) else UNDEFINED
