"""Decisions for leadership (mops_xl.analysis.decisions.leadership), worked by hand."""

from __future__ import annotations

import math

import pandas as pd

from mops_xl.analysis.decisions.leadership import decisions_needed, decisions_table
from mops_xl.analysis.decisions.period_plan import PeriodPlan
from mops_xl.analysis.figures.campaign_plans.campaigns import CampaignPlan


def campaign(name: str, budget: float, spent: float, overdue: int, due: int) -> CampaignPlan:
    return CampaignPlan(
        row=4, campaign=name, template="TPL-PL", launched=not math.isnan(spent), checklist_items=20, tasks_done=0,
        progress=0.0, spend_to_date=spent, budget=budget, budget_used=math.nan, tasks_overdue=overdue, tasks_due=due,
    )  # fmt: skip


def plan(left: float, planned: float) -> PeriodPlan:
    return PeriodPlan(pd.DataFrame(), 1000.0, 1000.0 - left, left, planned, max(planned - left, 0.0))


def test_each_kind_of_decision_with_its_amount_and_owner() -> None:
    got = decisions_needed(
        plan(left=100.0, planned=250.0),
        pd.Series({"Partner referrals": 6507.29, "Webinars": 4008.44, "Search": 0.0}),
        [campaign("Winter launch", 60000, math.nan, 11, 11), campaign("On time", 5000, 100, 0, 3),
         campaign("Fall sale", 40000, 24603.87, 2, 9), campaign("No budget", math.nan, math.nan, 4, 4)],
        owners={"Partner referrals": "Dana", "Webinars": "  "},
        campaign_owners={"Winter launch": "Lee"},
        operations="Sam",
        prefix="$",
    )  # fmt: skip
    table = decisions_table(got)
    assert table[["Subject", "Money at stake", "Owner"]].values.tolist() == [
        ["Partner referrals", 6507.29, "Dana"],
        ["Webinars", 4008.44, "Sam"],  # a blank owner falls to Marketing Ops
        ["Budget for the period", 150.0, "Sam"],  # the floors plan 250 with 100 left
        ["Winter launch", 60000.0, "Lee"],  # not launched: its whole budget is at stake
        ["Fall sale", 40000 - 24603.87, "Sam"],
    ]
    assert table.loc[0, "Why"] == "$6,507 spent to date outside any budget line"
    assert table.loc[3, "Why"] == "11 of 11 tasks due so far overdue; $60,000 of its $60,000 budget not yet spent"


def test_nothing_to_decide() -> None:
    got = decisions_needed(
        plan(left=100.0, planned=100.0), pd.Series(dtype=float), [], owners={}, campaign_owners={}, operations="",
        prefix="€",
    )  # fmt: skip
    assert got == [] and decisions_table(got).empty


def test_spend_outside_a_running_line_is_approved_not_given_a_line() -> None:
    """saas's Webinars spent $4,008 in July, before its budget line (1 Aug–30 Sep) began: asking leadership to "give
    it a budget line or stop it" contradicted its action (spend to plan on that line). A channel with a line running
    on Report as of is asked to approve the spend outside it; one without keeps the first ask."""
    got = decisions_needed(
        plan(left=100.0, planned=100.0),
        pd.Series({"Webinars": 4008.44, "Partner referrals": 6507.29}),
        [], owners={}, campaign_owners={}, operations="Sam", prefix="$", budgeted_now=frozenset({"Webinars"}),
    )  # fmt: skip
    asks = {d.subject: d.decision for d in got}
    assert asks["Webinars"] == "Approve the spend outside its budget line: the plan counts it against its budget"
    assert asks["Partner referrals"] == "Give it a budget line or stop it"  # no line, and the empty plan gives it none
