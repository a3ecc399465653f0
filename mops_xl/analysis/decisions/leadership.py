"""Decisions for leadership: what the team cannot settle by itself, each with its amount and owner
(docs/metrics.md, "Decisions for leadership").

- **Spend outside any budget line**: a channel spending on days no budget line covers: give it a budget line or stop
  it; when a line of it runs on Report as of (it spent before its line began, or between lines), approve that
  spend, which the plan counts against its budget.
- **A budget increase**: the plan's floors (Locked channels, Minimum spends) need more than is left in the period.
- **A campaign at risk**: a campaign with a budget whose tasks due so far are overdue.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from mops_xl.analysis.blocks.wording import money
from mops_xl.analysis.decisions.period_plan import EPSILON, PeriodPlan
from mops_xl.analysis.figures.campaign_plans.campaigns import CampaignPlan
from mops_xl.plural import count

#: The columns of the list, in order.
DECISION_COLUMNS = ("Subject", "Decision", "Money at stake", "Owner", "Why")


@dataclass(frozen=True)
class LeadershipDecision:
    """One decision the team needs from leadership.

    Args:
        subject: What it is about (a channel, the budget, a campaign).
        decision: What is asked, in a few words.
        amount: The money it concerns.
        owner: Who brings it to leadership.
        why: The figures that make it a decision.
    """

    subject: str
    decision: str
    amount: float
    owner: str
    why: str


def _owner(name: object, fallback: str) -> str:
    return name.strip() if isinstance(name, str) and name.strip() else fallback


def decisions_needed(
    plan: PeriodPlan,
    unbudgeted: pd.Series,
    campaigns: Sequence[CampaignPlan],
    *,
    owners: Mapping[str, object],
    campaign_owners: Mapping[str, object],
    operations: str,
    prefix: str,
    budgeted_now: frozenset[str] = frozenset(),
) -> list[LeadershipDecision]:
    """List the decisions for leadership, the largest amount first within each kind.

    Args:
        plan: The plan for the rest of the period.
        unbudgeted: Channel → spend to date on days no budget line covers.
        campaigns: The campaign plans.
        owners: Channel → its Owner (Channels sheet).
        campaign_owners: Campaign → its Owner (Campaigns sheet).
        operations: The Marketing Ops owner (Team sheet), for what no one else owns.
        prefix: The currency prefix.
        budgeted_now: The channels with a budget line running on Report as of.

    Returns:
        The decisions, columns as :data:`DECISION_COLUMNS`.
    """
    out = [
        LeadershipDecision(
            str(ch),
            APPROVE_OUTSIDE if ch in budgeted_now else _unbudgeted_ask(plan, str(ch), prefix),
            float(amount),
            _owner(owners.get(ch), operations),
            f"{money(float(amount), prefix)} spent to date outside any budget line",
        )
        for ch, amount in unbudgeted[unbudgeted > EPSILON].sort_values(ascending=False, kind="stable").items()
    ]
    if plan.budget_increase > EPSILON:
        out.append(
            LeadershipDecision(
                "Budget for the period",
                "Approve a budget increase",
                plan.budget_increase,
                operations,
                f"Locked channels and Minimum spends plan {money(plan.planned, prefix)} for the rest of the period; "
                f"{money(plan.left, prefix)} is left",
            )
        )
    out += _campaigns_at_risk(campaigns, campaign_owners, operations, prefix)
    return out


#: The decision on spend outside a channel's budget lines when a line of it runs now: the spend is past (before the
#: line began, or between lines), the line budgets the rest of the period, and the plan has counted it already.
APPROVE_OUTSIDE = "Approve the spend outside its budget line: the plan counts it against its budget"


def _unbudgeted_ask(plan: PeriodPlan, channel: str, prefix: str) -> str:
    """What to decide of a channel spending outside its budget lines, by what the plan has it spend."""
    planned = float(plan.table["Planned rest of period"].get(channel, 0.0)) if not plan.table.empty else 0.0
    beyond = planned - (float(plan.table["Remaining budget"].get(channel, 0.0)) if not plan.table.empty else 0.0)
    if beyond > EPSILON:
        return f"Give it a budget line: the plan has it spend {money(beyond, prefix)} more than its budget"
    return "Give it a budget line or stop it"


def _campaigns_at_risk(
    campaigns: Sequence[CampaignPlan], owners: Mapping[str, object], operations: str, prefix: str
) -> list[LeadershipDecision]:
    """Campaigns with a budget and overdue tasks: the money at stake is the budget not yet spent."""
    out = []
    for plan in campaigns:
        if plan.tasks_overdue <= 0 or not plan.budget > 0:
            continue
        spent = 0.0 if math.isnan(plan.spend_to_date) else plan.spend_to_date
        at_stake = max(plan.budget - spent, 0.0)
        overdue = f"{plan.tasks_overdue} of {count(plan.tasks_due, 'task')} due so far overdue"
        out.append(
            LeadershipDecision(
                plan.campaign,
                "Decide whether it goes ahead as planned",
                at_stake,
                _owner(owners.get(plan.campaign), operations),
                f"{overdue}; {money(at_stake, prefix)} of its {money(plan.budget, prefix)} budget not yet spent",
            )
        )
    return sorted(out, key=lambda d: -d.amount)


def decisions_table(decisions: Sequence[LeadershipDecision]) -> pd.DataFrame:
    """The decisions as a table.

    Args:
        decisions: The decisions.

    Returns:
        One row per decision, columns :data:`DECISION_COLUMNS`.
    """
    rows = [(d.subject, d.decision, d.amount, d.owner, d.why) for d in decisions]
    return pd.DataFrame(rows, columns=list(DECISION_COLUMNS))
