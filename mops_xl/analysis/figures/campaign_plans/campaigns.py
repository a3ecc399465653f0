"""Campaign plans: each campaign's checklist back-scheduled from its launch date, its progress and its spend.

Defined in docs/metrics.md ("Campaign plans" and "Campaign matching"). The checklists come from the campaign
template library (:mod:`mops_xl.campaigns.library`); the report lays each plan out on its own sheet. A Campaigns
row finds its Actuals rows by name: the rows whose Campaign is its name (or one of its "Also matches" names) or
extends it after a separator, the longest matching name winning, so no row counts for two campaigns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from mops_xl.analysis.blocks.statuses import DONE, NOT_STARTED, OVERDUE
from mops_xl.analysis.blocks.wording import day, days, money
from mops_xl.analysis.figures.campaign_plans.campaign_plan_figures import (
    BUDGET_USED,
    FROM_LAUNCH,
    LAUNCH_DATE,
    OVERDUE_TASK,
    PROGRESS,
    SPEND_IN_PERIOD,
    SPEND_NAMED,
    SPEND_OUTSIDE_DATES,
    SPEND_TO_DATE,
)
from mops_xl.campaigns.library import OWNER_ROLES, PHASES, TEMPLATES_BY_TYPE, CampaignTemplate
from mops_xl.plural import count

#: Campaign statuses (Campaigns sheet) of a campaign that has gone live: its spend to date is shown.
LAUNCHED = ("Launched", "Optimizing", "Completed")
#: The columns of a plan's checklist, in order.
TASK_COLUMNS = ("#", "Phase", "Task", "Owner role", "Owner", "Days from launch", "Due date", "Status", "Overdue")
#: What may follow a Campaigns name in an Actuals Campaign that belongs to it ("Fall Sale - TopView").
SEPARATORS = (" - ", " | ", " / ", ": ")
#: Campaign Status → how many of the template phases (:data:`~mops_xl.campaigns.library.PHASES`, in order)
#: lie behind it: their tasks count as Done (the intake has no task statuses). Completed is past them all.
PHASES_BEHIND = {"Planning": 0, "Creation": 1, "Launched": 2, "Optimizing": 3, "Completed": len(PHASES)}


@dataclass
class CampaignPlan:
    """One campaign's plan.

    Args:
        row: The campaign's row on the intake's Campaigns sheet.
        campaign: The campaign name.
        template: The reference of the template its Type follows (e.g. "TPL-PL"), or None without a Type.
        launched: Whether its Status says it has gone live (Launched, Optimizing or Completed).
        checklist_items: The number of tasks on its checklist (0 without a template).
        tasks_done: The tasks whose status is Done: those of the phases before the campaign's Status.
        progress: Tasks done ÷ checklist items; NaN without a template.
        spend_to_date: Σ Spend of the Actuals rows matching the campaign (:func:`match_campaigns`) within its own
            dates and up to Report as of; NaN when not launched.
        budget: The campaign's Budget (NaN when not given).
        budget_used: Spend to date ÷ Budget; NaN when not launched or without a positive budget.
        tasks: The checklist, columns :data:`TASK_COLUMNS` (Due date NaT without a launch date; Overdue says
            "Overdue" for a task due before Report as of and not Done, else "").
        weeks: The timeline's weeks: (days from launch of the week's first day, that date or NaT).
        tasks_overdue: The tasks marked Overdue.
        tasks_due: The tasks due before Report as of (Done or not).
        actuals_campaigns: The Actuals campaign names whose rows count for it, in order of first appearance.
        spend_outside_dates: Σ Spend of its rows up to Report as of dated outside its own dates (in no campaign's
            spend to date); NaN when not launched.
        spend_named: Σ Spend of all its rows up to Report as of (spend to date + spend outside its dates); NaN
            when not launched.
        spend_in_period: Σ Spend of its rows from Period start to Report as of, its own dates or not (its rows'
            total in Channel Performance's By campaign section); NaN when not launched.
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
    tasks_overdue: int = 0
    tasks_due: int = 0
    actuals_campaigns: list[str] = field(default_factory=list)
    spend_outside_dates: float = math.nan
    spend_named: float = math.nan
    spend_in_period: float = math.nan


def campaign_names(campaigns: pd.DataFrame) -> dict[str, str]:
    """Every name a Campaigns row answers to: its Campaign, and each of its "Also matches" names.

    Args:
        campaigns: The Campaigns table ("Also matches" optional: intakes before schema 1.2 lack it).

    Returns:
        Name → the Campaigns row's Campaign. A row's own name wins over another row's "Also matches".
    """
    names: dict[str, str] = {}
    if "Also matches" in campaigns:
        for name, others in zip(campaigns["Campaign"], campaigns["Also matches"], strict=True):
            for other in others if isinstance(others, list | tuple) else []:
                names.setdefault(str(other), str(name))
    names.update({str(n): str(n) for n in campaigns["Campaign"].dropna()})
    return names


def match_campaign(name: str, names: dict[str, str]) -> str | None:
    """The Campaigns row an Actuals Campaign belongs to: the longest of ``names`` that it equals or extends
    after one of :data:`SEPARATORS` ("Fall Sale - TopView" extends "Fall Sale"); names compare exactly.

    Args:
        name: An Actuals Campaign.
        names: The output of :func:`campaign_names`.

    Returns:
        The Campaigns row's Campaign, or None when no name matches.
    """
    if name in names:
        return names[name]
    cuts = sorted({i for sep in SEPARATORS for i in _positions(name, sep)}, reverse=True)
    for cut in cuts:  # the longest prefix first
        if name[:cut] in names:
            return names[name[:cut]]
    return None


def _positions(text: str, sep: str) -> list[int]:
    found, i = [], text.find(sep)
    while i > 0:
        found.append(i)
        i = text.find(sep, i + 1)
    return found


def match_campaigns(actual_campaigns: pd.Series, campaigns: pd.DataFrame) -> pd.Series:
    """Match every Actuals row to its Campaigns row (:func:`match_campaign`), once per distinct name.

    Args:
        actual_campaigns: The Actuals Campaign column.
        campaigns: The Campaigns table.

    Returns:
        Aligned with ``actual_campaigns``: the matched Campaigns row's Campaign, or None.
    """
    names = campaign_names(campaigns)
    distinct = pd.unique(actual_campaigns.dropna())
    found = {n: match_campaign(str(n), names) for n in distinct} if names else {}
    return actual_campaigns.map(found).astype(object).where(lambda s: s.notna(), None)


def campaign_dates(launch: object, end: object) -> str:
    """A campaign's dates as prose writes them: "1–31 Oct 2026", "from 1 Oct 2026", "until 31 Oct 2026".

    Args:
        launch: Its Launch date (NaT when not given).
        end: Its End date (NaT when not given).

    Returns:
        The text; "no dates" when neither is given.
    """
    if not pd.isna(launch) and not pd.isna(end):
        return days(launch, end)  # type: ignore[arg-type]
    if not pd.isna(launch):
        return f"from {day(launch)}"  # type: ignore[arg-type]
    return f"until {day(end)}" if not pd.isna(end) else "no dates"  # type: ignore[arg-type]


def campaign_warnings(
    campaigns: pd.DataFrame, actuals: pd.DataFrame, as_of: pd.Timestamp, prefix: str, limit: int = 10
) -> list[dict[str, str]]:
    """Warnings on spend that finds no campaign: a launched campaign no Actuals row up to Report as of matches;
    spend named for a campaign outside its own dates (it counts in no campaign's spend to date); and (only when
    the Campaigns sheet has rows) the Actuals campaigns that match no Campaigns row.

    Args:
        campaigns: The Campaigns table.
        actuals: The Actuals table.
        as_of: Report as of.
        prefix: The currency prefix.
        limit: At most this many unmatched Actuals campaigns are named (the count says how many in all).

    Returns:
        ``{"subject", "warning"}`` dicts.
    """
    if campaigns.empty:
        return []
    matched = match_campaigns(actuals["Campaign"], campaigns)
    upto = actuals["Date"] <= as_of
    with_rows = set(matched[upto].dropna())
    out = [
        {
            "subject": str(c["Campaign"]),
            "warning": f"No Actuals row up to Report as of names this {c['Status']} campaign (or extends its "
            f"name after {', '.join(repr(s) for s in SEPARATORS)}, or is one of its Also matches names): "
            "its spend to date is 0",
        }
        for _, c in campaigns.iterrows()
        if c["Status"] in LAUNCHED and str(c["Campaign"]) not in with_rows
    ]
    spent_outside = SPEND_OUTSIDE_DATES.compute(actuals, matched, campaigns, as_of)
    spent_named = SPEND_NAMED.compute(actuals, matched, as_of)
    for _, c in campaigns.iterrows():
        amount = float(spent_outside.get(c["Campaign"], 0.0))
        if amount > 0:
            out.append(
                {"subject": str(c["Campaign"]), "warning": _outside_warning(c, amount, spent_named, as_of, prefix)}
            )
    named = actuals["Campaign"].notna()
    lost = list(pd.unique(actuals.loc[named & matched.isna(), "Campaign"]))
    if lost:
        shown = ", ".join(f'"{n}"' for n in lost[:limit]) + (
            f" and {len(lost) - limit} more" if len(lost) > limit else ""
        )
        out.append(
            {
                "subject": "Campaigns",
                "warning": f"{count(len(lost), 'Actuals campaign')} {'matches' if len(lost) == 1 else 'match'} no row "
                f"of the Campaigns sheet: {shown}; their "
                "spend counts in no campaign plan (add them to a campaign's Also matches, or as campaigns)",
            }
        )
    return out


def _outside_warning(c: pd.Series, amount: float, named: pd.Series, as_of: pd.Timestamp, prefix: str) -> str:
    """The warning on a campaign's spend outside its own dates, each figure with its window.

    Args:
        c: The campaign's row of the Campaigns table.
        amount: Its spend outside its dates up to Report as of.
        named: Campaign → all spend named for it up to Report as of.
        as_of: Report as of.
        prefix: The currency prefix.

    Returns:
        The sentence.
    """
    dates = campaign_dates(c["Launch date"], c["End date"])
    total = float(named.get(c["Campaign"], 0.0))
    return (
        f"{money(amount, prefix)} of the {money(total, prefix)} spent up to Report as of ({day(as_of)}) on Actuals "
        f"rows named for this campaign falls outside its dates ({dates}) and counts in no campaign's spend to date "
        f"(its plan sheet shows the {money(total - amount, prefix)} within its dates): check the rows' dates or "
        "the campaign's Launch date and End date"
    )


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
    campaigns: pd.DataFrame,
    actuals: pd.DataFrame,
    team: pd.DataFrame,
    as_of: pd.Timestamp,
    period_start: pd.Timestamp | None = None,
) -> list[CampaignPlan]:
    """Plan every campaign of the Campaigns sheet (its figures:
    :mod:`~mops_xl.analysis.figures.campaign_plans.campaign_plan_figures`).

    Args:
        campaigns: The Campaigns table (indexed by its intake row).
        actuals: The Actuals table (all dates: a campaign may have started before the period).
        team: The Team table.
        as_of: Report as of.
        period_start: Period start (its spend in the period is counted from it; None: from the first row).

    Returns:
        One :class:`CampaignPlan` per campaign, in sheet order.
    """
    matched = match_campaigns(actuals["Campaign"], campaigns)
    spend = SPEND_TO_DATE.compute(actuals, matched, campaigns, as_of)
    windows = {
        "spend_outside_dates": SPEND_OUTSIDE_DATES.compute(actuals, matched, campaigns, as_of),
        "spend_named": SPEND_NAMED.compute(actuals, matched, as_of),
        "spend_in_period": SPEND_IN_PERIOD.compute(
            actuals, matched, period_start if period_start is not None else pd.Timestamp.min, as_of
        ),
    }
    upto = actuals["Date"] <= as_of
    names = actuals.loc[upto, "Campaign"].groupby(matched[upto], sort=False).unique()
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
            budget_used=BUDGET_USED.compute(spent, budget),
            actuals_campaigns=[str(n) for n in names.get(c["Campaign"], [])],
            spend_outside_dates=_spent(windows["spend_outside_dates"], c["Campaign"], launched),
            spend_named=_spent(windows["spend_named"], c["Campaign"], launched),
            spend_in_period=_spent(windows["spend_in_period"], c["Campaign"], launched),
        )
        if template is not None:
            _checklist(plan, template, c, role_holders(team, c["Owner"] if isinstance(c["Owner"], str) else ""), as_of)
        plans.append(plan)
    return plans


def _spent(spend: pd.Series, campaign: str, launched: bool) -> float:
    """A campaign's spend in one window: 0 without rows, NaN when not launched."""
    return float(spend.get(campaign, 0.0)) if launched else math.nan


def _checklist(
    plan: CampaignPlan, template: CampaignTemplate, c: pd.Series, owners: dict[str, str], as_of: pd.Timestamp
) -> None:
    """Fill in a plan's checklist from its template: due dates from the launch date, the tasks of the phases
    behind the campaign's Status Done, Overdue marks, progress and the timeline's weeks.

    Args:
        plan: The plan (changed in place).
        template: The template its Type follows.
        c: The campaign's row of the Campaigns table.
        owners: Owner role → who owns its tasks (:func:`role_holders`).
        as_of: Report as of.
    """
    launch = LAUNCH_DATE.compute(c)
    behind = PHASES[: PHASES_BEHIND.get(c["Status"], 0)]
    plan.tasks = pd.DataFrame(
        [
            {
                "#": n,
                "Phase": item.phase,
                "Task": item.task,
                "Owner role": item.owner_role,
                "Owner": owners.get(item.owner_role, ""),
                "Days from launch": item.offset_days,
                "Due date": FROM_LAUNCH.compute(launch, item.offset_days),
                "Status": DONE if item.phase in behind else NOT_STARTED,
                "Overdue": "",
            }
            for n, item in enumerate(template.items, start=1)
        ],
        columns=list(TASK_COLUMNS),
    )
    due, status = plan.tasks["Due date"], plan.tasks["Status"]
    plan.tasks["Overdue"] = OVERDUE_TASK.compute(due, status, as_of)
    plan.tasks_due = int(OVERDUE_TASK.due(due, as_of).sum())
    plan.tasks_overdue = int((plan.tasks["Overdue"] == OVERDUE).sum())
    plan.tasks_done = int((status == DONE).sum())
    plan.progress = PROGRESS.compute(status)
    first, last = min(plan.tasks["Days from launch"]), max(plan.tasks["Days from launch"])
    plan.weeks = [(day, FROM_LAUNCH.compute(launch, day)) for day in range(first, last + 1, 7)]
