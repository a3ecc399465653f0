"""Budget needed: the spend that reaches each volume target at the current cost per unit (docs/metrics.md)."""

from __future__ import annotations

import math

import pandas as pd

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.figure_blocks import Sum
from mops_xl.analysis.blocks.tracking import Tracking
from mops_xl.analysis.decisions.triggers import budget_needed
from mops_xl.analysis.figures.performance import tracked_sums


def needed_metrics() -> tuple[str, ...]:
    """The volumes a budget can be needed for: the catalogue's volume KPIs with a target, Spend aside.

    Returns:
        E.g. ("Leads", "MQLs", "SQLs", "Customers", "Revenue").
    """
    return tuple(
        m.name
        for m in catalogue.current()
        if m.kpi and m.takes_target and isinstance(m.expression, Sum) and m.name != "Spend"
    )


NEEDED_COLUMNS = [
    "Subject",
    "Metric",
    "Target",
    "Actual",
    "Spend",
    "Spend needed",
    "Budget for period",
    "Gap",
    "Reason",
]


def budget_needed_table(
    table: dict[tuple[str, str | None], float], card: pd.DataFrame, total_budget: float, tracking: Tracking
) -> pd.DataFrame:
    """The budget needed to hit each volume target; the blended one at the cost per unit of the channels that
    track the volume; undefined (with the reason) where the volume is not tracked.

    Args:
        table: The Targets sheet by (metric, channel).
        card: The channel scorecard (volumes, Budget for period).
        total_budget: The budget for the period, all channels.
        tracking: What the intake tracks.

    Returns:
        One row per volume target: :data:`NEEDED_COLUMNS`.
    """
    out = []
    subjects = [(None, total_budget)] + [(ch, float(c["Budget for period"])) for ch, c in card.iterrows()]
    for subject, budget in subjects:
        for m in needed_metrics():
            target = table.get((m, subject))
            if target is None:
                continue
            sums = tracked_sums(card if subject is None else card.loc[[subject]], m, "Spend")
            actual, spend = sums if sums is not None else (math.nan, math.nan)
            reason = tracking.reason(m, subject)
            if reason is None:
                needed, gap, reason = budget_needed(m, target, actual, spend, budget)
            else:
                needed, gap = math.nan, math.nan
            out.append(
                dict(
                    zip(
                        NEEDED_COLUMNS,
                        (subject or "All channels", m, target, actual, spend, needed, budget, gap, reason),
                        strict=True,
                    )
                )
            )
    return pd.DataFrame(out, columns=NEEDED_COLUMNS)
