"""The plan for the rest of the period in the words every text output uses: its totals in one line, and each
decision for leadership in one line (the terminal summary, the framework text).

The figures are the engine's (:class:`~mops_xl.analysis.decisions.period_plan.PeriodPlan`,
:attr:`~mops_xl.analysis.result.Analysis.decisions_needed`); this module only words them, so the totals read the same
wherever they are shown.
"""

from __future__ import annotations

import pandas as pd

from mops_xl.analysis.blocks.wording import money
from mops_xl.analysis.decisions.period_plan import EPSILON, PeriodPlan
from mops_xl.plural import count

#: The plan's totals under the names `--json` gives them (``plan``), in order.
TOTALS = (
    "Budget for period",
    "Spend to date",
    "Left to spend",
    "Planned rest of period",
    "Returned unspent",
    "Budget increase needed",
    "Days left",
)


def plan_totals(plan: PeriodPlan) -> dict[str, float | int]:
    """The plan's totals, named as :data:`TOTALS`.

    Args:
        plan: The plan for the rest of the period.

    Returns:
        Name → amount (Days left: a whole number of days).
    """
    return {
        "Budget for period": plan.budget,
        "Spend to date": plan.spend,
        "Left to spend": plan.left,
        "Planned rest of period": plan.planned,
        "Returned unspent": float(plan.returned_unspent),
        "Budget increase needed": plan.budget_increase,
        "Days left": plan.days_left,
    }


def totals_line(plan: PeriodPlan, prefix: str) -> str:
    """The plan's totals in one sentence.

    Args:
        plan: The plan for the rest of the period.
        prefix: The currency prefix.

    Returns:
        E.g. "20 days left: $18,071 left to spend ($119,500 budget − $101,429 spent); $18,071 planned, $0 returned
        unspent", or, when the budget is spent, "8 days left: nothing left to spend (£1,969 spent of a £1,950 budget,
        £19.14 over); nothing more planned".
    """
    days = count(plan.days_left, "day")
    if plan.days_left <= 0:
        return f"No day left: the period has ended; {money(plan.spend, prefix)} spent of {money(plan.budget, prefix)}"
    if plan.left <= EPSILON:
        over = plan.spend - plan.budget
        over_text = f", {money(over, prefix)} over" if over > EPSILON else ""
        head = (
            f"{days} left: nothing left to spend ({money(plan.spend, prefix)} spent of a "
            f"{money(plan.budget, prefix)} budget{over_text})"
        )
    else:
        head = (
            f"{days} left: {money(plan.left, prefix)} left to spend ({money(plan.budget, prefix)} budget − "
            f"{money(plan.spend, prefix)} spent)"
        )
    planned = "nothing more planned" if plan.planned <= EPSILON else f"{money(plan.planned, prefix)} planned"
    tail = f", {money(plan.returned_unspent, prefix)} returned unspent" if plan.left > EPSILON else ""
    more = (
        f"; the floors need a budget increase of {money(plan.budget_increase, prefix)}"
        if plan.budget_increase > EPSILON
        else ""
    )
    return f"{head}; {planned}{tail}{more}"


def decision_lines(decisions: pd.DataFrame, prefix: str) -> list[str]:
    """Each decision for leadership in one line: what it is about, what is asked, the amount and its owner.

    Args:
        decisions: The decisions (columns Subject, Decision, Money at stake, Owner, Why).
        prefix: The currency prefix.

    Returns:
        E.g. "Webinars: Give it a budget line or stop it — $4,008 (Ines Duarte)".
    """
    return [
        f"{d['Subject']}: {d['Decision']} — {money(float(d['Money at stake']), prefix)} ({owner(d['Owner'])})"
        for _, d in decisions.iterrows()
    ]


def owner(name: object) -> str:
    """An owner's name, or "no owner named"."""
    return name.strip() if isinstance(name, str) and name.strip() else "no owner named"
