"""The Optimization section's plan, as formatted rows: one action per subject with its daily spend now and planned,
its planned rest of period and its expected effect; the plan's totals and where the money taken from a channel goes;
the decisions for leadership (docs/metrics.md, "The plan for the rest of the period").

Every figure is the engine's: the actions are :attr:`~mops_xl.analysis.result.Analysis.recommendations` (read off
the plan), the totals and moves :attr:`~mops_xl.analysis.result.Analysis.plan`, the decisions
:attr:`~mops_xl.analysis.result.Analysis.decisions_needed`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mops_xl.analysis.blocks.wording import UNDEFINED, money
from mops_xl.analysis.decisions.leadership import DECISION_COLUMNS
from mops_xl.analysis.decisions.period_plan import EPSILON, OVERSPEND_TO_DATE, RETURNED_UNSPENT
from mops_xl.analysis.engine import Analysis
from mops_xl.outputs.plan_summary import owner, totals_line

#: The actions table's columns in Markdown: the expected customers and revenue are the change the plan makes by
#: Period end.
ACTION_COLUMNS = (
    "#",
    "Subject",
    "Action",
    "Remaining budget",
    "A day now",
    "A day planned",
    "Rest of period",
    "Customers change",
    "Revenue change",
    "Owner",
)
#: The text's actions table, 96 columns wide: the same without the spend a day now (its line below the table says
#: it).
TEXT_ACTION_COLUMNS = tuple(c for c in ACTION_COLUMNS if c != "A day now")


def plan_context(a: Analysis, cur: str) -> dict[str, Any]:
    """The plan's part of the Optimization section.

    Args:
        a: The engine's results.
        cur: The currency prefix.

    Returns:
        ``actions`` (rows of :data:`ACTION_COLUMNS`), ``text_actions`` (of :data:`TEXT_ACTION_COLUMNS`),
        ``totals`` (one sentence), ``moves`` (one line per move) and ``decisions`` (rows of
        :data:`DECISION_COLUMNS`).
    """
    actions = [action_row(r, cur) for _, r in a.recommendations.iterrows()]
    keep = [ACTION_COLUMNS.index(c) for c in TEXT_ACTION_COLUMNS]
    return {
        "actions": actions,
        "text_actions": [[row[i] for i in keep] for row in actions],
        "totals": totals_line(a.plan, cur),
        "moves": move_lines(a, cur),
        "decisions": [decision_row(d, cur) for _, d in a.decisions_needed.iterrows()],
    }


def decision_row(d: pd.Series, cur: str) -> list[str]:
    """One decision for leadership as a table row.

    Args:
        d: A row of the decisions.
        cur: The currency prefix.

    Returns:
        Its cells, as :data:`~mops_xl.analysis.decisions.leadership.DECISION_COLUMNS`.
    """
    cells = {c: str(d[c]) for c in DECISION_COLUMNS}
    cells.update({"Money at stake": money(float(d["Money at stake"]), cur), "Owner": owner(d["Owner"])})
    return [cells[c] for c in DECISION_COLUMNS]


def action_row(r: pd.Series, cur: str) -> list[str]:
    """One action: its priority, subject and action, its remaining budget, its spend a day now and planned, its
    planned rest of period,
    the customers and revenue it is expected to add or lose by Period end, and its owner ("–" where a figure does
    not apply, e.g. an A/B winner's).

    Args:
        r: A row of the recommendations.
        cur: The currency prefix.

    Returns:
        The row, as :data:`ACTION_COLUMNS`.
    """
    head = [str(r["Priority"]), str(r["Subject"]), str(r["Action"])]
    if pd.isna(r["Planned rest of period"]):
        return [*head, *[UNDEFINED] * 6, owner(r["Owner"])]
    spend = ("Remaining budget", "Current daily spend", "Planned daily spend", "Planned rest of period")
    figures = [money(float(r[c]), cur) for c in spend]
    return [*head, *figures, *expected_effect(r, cur), owner(r["Owner"])]


def expected_effect(r: pd.Series, cur: str) -> tuple[str, str]:
    """The customers and revenue a channel's plan is expected to add or lose by Period end, with their sign.

    Args:
        r: A row of the recommendations (Expected customers change, Expected revenue change).
        cur: The currency prefix.

    Returns:
        E.g. ("+0.6", "+$5,995"), ("-2.1", "-$21,732"); "–" for a change that rounds to nothing.
    """
    customers, revenue = float(r["Expected customers change"]), float(r["Expected revenue change"])
    said = f"{customers:+,.1f}" if abs(customers) >= 0.05 else UNDEFINED
    if abs(revenue) < 0.005:
        return said, UNDEFINED
    return said, ("+" if revenue > 0 else "") + money(revenue, cur)


def move_lines(a: Analysis, cur: str) -> list[str]:
    """Where every amount taken from a channel goes, one line per move.

    Args:
        a: The engine's results.
        cur: The currency prefix.

    Returns:
        E.g. "LinkedIn Ads: $504 to Partner referrals"; "LinkedIn Ads: $6,507 against the overspend to date";
        "Google Shopping: €1,399 returned unspent".
    """
    lines = []
    for m in a.plan.moves:
        if m.amount <= EPSILON:
            continue
        amount = money(m.amount, cur)
        if m.to == OVERSPEND_TO_DATE:
            lines.append(f"{m.source}: {amount} against the overspend to date")
        elif m.to == RETURNED_UNSPENT:
            lines.append(f"{m.source}: {amount} returned unspent")
        else:
            lines.append(f"{m.source}: {amount} to {m.to}")
    return lines
