"""The KPI Framework table: each KPI of the catalogue against its target, with the previous period.

Where each KPI lands at period end is the forecast's (:mod:`mops_xl.analysis.forecast`), one answer: the KPI
Framework shows its Low, Likely and High figures beside these columns (there is no straight-line projection).

The rows, their order, their definitions and how each is judged come from the catalogue
(:mod:`mops_xl.analysis.blocks.catalogue`); see docs/metrics.md, "Targets, attainment and status".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.statuses import NO_DATA, NO_TARGET, NOT_TRACKED
from mops_xl.analysis.blocks.tracking import Tracking, needs
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.figures.budget.pacing import TotalPacing, spend_status
from mops_xl.analysis.figures.performance import Blended
from mops_xl.analysis.figures.periods import CHANGE
from mops_xl.analysis.figures.targets import attainment, blended_target, status

#: The KPI Framework's columns, in order.
KPI_COLUMNS = (
    "Metric",
    "Definition",
    "Target",
    "Target to date",
    "Actual",
    "Attainment",
    "Status",
    "Previous period",
    "Change",
)


@dataclass(frozen=True)
class Judging:
    """What a KPI is judged with.

    Args:
        underperforming: The Underperforming threshold.
        high_performer: The High-performer threshold.
        overspending: The Overspending threshold (the pacing bands).
    """

    underperforming: float
    high_performer: float
    overspending: float


def definitions(business: dict[str, Any]) -> dict[str, str]:
    """The funnel definitions that travel with the counts: the Business fields the catalogue names.

    Args:
        business: The Business values.

    Returns:
        E.g. ``{"Leads": …, "MQLs": …, "SQLs": …}``.
    """
    out = {}
    for m in catalogue.current():
        if m.intake_definition is None:
            continue
        text = business[m.intake_definition]
        if m.intake_definition == "MQL definition" and business.get("MQL score threshold") is not None:
            text += f" (MQL score threshold: {business['MQL score threshold']:g})"
        out[m.name] = text
    return out


def kpi_table(
    *,
    current: Blended,
    previous: Blended | None,
    targets: dict[tuple[str, str | None], float],
    channels: list[str],
    total: TotalPacing,
    judging: Judging,
    window: ReportingWindow,
    has_data: bool,
    business: dict[str, Any],
    tracking: Tracking,
) -> pd.DataFrame:
    """The KPI Framework table, one row per KPI of the catalogue.

    Args:
        current: The all-channel figures to date.
        previous: Those of the previous period, or None.
        targets: The Targets sheet by (metric, channel) (:func:`~mops_xl.analysis.figures.targets.target_table`).
        channels: Every channel.
        total: The total pace (the Spend row is judged against the budget).
        judging: The thresholds.
        window: The reporting window.
        has_data: Whether any Actuals row falls in the window.
        business: The Business values (the funnel definitions).
        tracking: What the intake tracks.

    Returns:
        :data:`KPI_COLUMNS`, indexed by metric.
    """
    d, D = window.elapsed_days, window.period_days
    defs = definitions(business)
    rows = []
    for m in (catalogue.current().get(name) for name in catalogue.current().kpis):
        measured = m.measures
        actual = current.figures[m.name]
        before = previous.figures[m.name] if previous is not None else math.nan
        target: float | None
        if m.status_rule == "budget pace":  # against the budget: the total pace
            target, tdate, att, stat = total.budget, total.expected, total.pace, total.status
        else:
            target = blended_target(measured, targets, channels) if m.takes_target else None
            tdate = m.to_date(target, d, D) if target is not None else math.nan
            att = attainment(measured, actual, tdate) if target is not None else math.nan
            if m.status_rule == "pacing bands":
                stat = (
                    NO_TARGET
                    if target is None
                    else NO_DATA
                    if not has_data
                    else spend_status(actual, tdate, judging.overspending)
                )
            else:
                stat = status(
                    att,
                    judging.underperforming,
                    judging.high_performer,
                    has_target=target is not None,
                    has_data=has_data and not math.isnan(actual),
                )
        stat = stat if tracking.blended(measured) else NOT_TRACKED
        text = f"{m.name}: {defs[m.name]}" if m.name in defs else m.definition
        rows.append(
            {
                "Metric": m.name,
                "Definition": tracked_definition(text, measured, tracking),
                "Target": math.nan if target is None else target,
                "Target to date": tdate,
                "Actual": actual,
                "Attainment": att,
                "Status": stat,
                "Previous period": before,
                "Change": CHANGE.compute(actual, before),
            }
        )
    return pd.DataFrame(rows, columns=list(KPI_COLUMNS)).set_index("Metric", drop=False)


def tracked_definition(definition: str, metric: str, tracking: Tracking) -> str:
    """A KPI's definition, saying which channels it counts when some do not track what it needs.

    Args:
        definition: The definition.
        metric: The metric.
        tracking: What the intake tracks.

    Returns:
        The definition, with the channels left out.
    """
    reason = tracking.reason(metric)
    if reason is not None:
        return f"{definition}. {reason[0].upper()}{reason[1:]}"
    left_out = tracking.left_out(metric)
    if not needs(metric) or not left_out:
        return definition
    return (
        f"{definition}. Counts only the channels that track {' and '.join(needs(metric))}; "
        f"left out: {', '.join(map(str, left_out))}"
    )
