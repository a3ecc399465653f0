"""Campaign plans: each campaign's checklist back-scheduled from its launch date, its progress and its spend.

Defined in docs/metrics.md ("Campaign plans"). The checklists come from the campaign template library
(:mod:`mops_xl.campaigns.library`); the report lays each plan out on its own sheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from mops_xl.campaigns.library import OWNER_ROLES, TEMPLATES_BY_TYPE
from mops_xl.metrics.statuses import DONE, NOT_STARTED
from mops_xl.metrics.window import DAY

#: Campaign statuses (Campaigns sheet) of a campaign that has gone live: its spend to date is shown.
LAUNCHED = ("Launched", "Optimizing", "Completed")
#: The columns of a plan's checklist, in order.
TASK_COLUMNS = ("#", "Phase", "Task", "Owner role", "Owner", "Days from launch", "Due date", "Status")


@dataclass
class CampaignPlan:
    """One campaign's plan.

    Args:
        row: The campaign's row on the intake's Campaigns sheet.
        campaign: The campaign name.
        template: The reference of the template its Type follows (e.g. "TPL-PL"), or None without a Type.
        launched: Whether its Status says it has gone live (Launched, Optimizing or Completed).
        checklist_items: The number of tasks on its checklist (0 without a template).
        tasks_done: The tasks whose status is Done (every task starts Not started).
        progress: Tasks done ÷ checklist items; NaN without a template.
        spend_to_date: Σ Spend of the Actuals rows of the campaign up to Report as of; NaN when not launched.
        budget: The campaign's Budget (NaN when not given).
        budget_used: Spend to date ÷ Budget; NaN when not launched or without a positive budget.
        tasks: The checklist, columns :data:`TASK_COLUMNS` (Due date NaT without a launch date).
        weeks: The timeline's weeks: (days from launch of the week's first day, that date or NaT).
    """

    row: int
    campaign: str
    template: str | None
    launched: bool
    checklist_items: int
    tasks_done: int
    progress: float
    spend_to_date: float
    budget: float
    budget_used: float
    tasks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(TASK_COLUMNS)))
    weeks: list[tuple[int, pd.Timestamp]] = field(default_factory=list)


def role_holders(team: pd.DataFrame, fallback: str) -> dict[str, str]:
    """Who owns each standard role's tasks: the first Team member in the role, else the campaign's owner.

    Args:
        team: The Team table.
        fallback: The campaign's Owner ("" when not given).

    Returns:
        Owner role → name.
    """
    found: dict[str, str] = {}
    for _, person in team.iterrows():
        if isinstance(person["Role"], str) and isinstance(person["Name"], str):
            found.setdefault(person["Role"], person["Name"])
    return {role: found.get(role, fallback) for role in OWNER_ROLES}


def campaign_plans(
    campaigns: pd.DataFrame, actuals: pd.DataFrame, team: pd.DataFrame, as_of: pd.Timestamp
) -> list[CampaignPlan]:
    """Plan every campaign of the Campaigns sheet.

    Args:
        campaigns: The Campaigns table (indexed by its intake row).
        actuals: The Actuals table (all dates: a campaign may have started before the period).
        team: The Team table.
        as_of: Report as of.

    Returns:
        One :class:`CampaignPlan` per campaign, in sheet order.
    """
    spend = actuals[actuals["Date"] <= as_of].groupby("Campaign")["Spend"].sum()
    plans = []
    for row, c in campaigns.iterrows():
        template = TEMPLATES_BY_TYPE.get(c["Type"]) if isinstance(c["Type"], str) else None
        launched = c["Status"] in LAUNCHED
        budget = float(c["Budget"]) if not pd.isna(c["Budget"]) else math.nan
        spent = float(spend.get(c["Campaign"], 0.0)) if launched else math.nan
        plan = CampaignPlan(
            row=int(row),
            campaign=str(c["Campaign"]),
            template=template.reference if template else None,
            launched=launched,
            checklist_items=len(template.items) if template else 0,
            tasks_done=0,
            progress=0.0 if template else math.nan,
            spend_to_date=spent,
            budget=budget,
            budget_used=spent / budget if launched and budget > 0 else math.nan,
        )
        if template is not None:
            launch = c["Launch date"]
            owners = role_holders(team, c["Owner"] if isinstance(c["Owner"], str) else "")
            plan.tasks = pd.DataFrame(
                [
                    {
                        "#": n,
                        "Phase": item.phase,
                        "Task": item.task,
                        "Owner role": item.owner_role,
                        "Owner": owners.get(item.owner_role, ""),
                        "Days from launch": item.offset_days,
                        "Due date": launch + item.offset_days * DAY,
                        "Status": NOT_STARTED,
                    }
                    for n, item in enumerate(template.items, start=1)
                ],
                columns=list(TASK_COLUMNS),
            )
            plan.tasks_done = int((plan.tasks["Status"] == DONE).sum())
            plan.progress = plan.tasks_done / plan.checklist_items
            first, last = min(plan.tasks["Days from launch"]), max(plan.tasks["Days from launch"])
            plan.weeks = [(day, launch + day * DAY) for day in range(first, last + 1, 7)]
        plans.append(plan)
    return plans
