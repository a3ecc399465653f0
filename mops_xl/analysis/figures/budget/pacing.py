"""Budget pacing: is each budget line, and all spend together, going at the rate that lands on the budget?

A line is paced over its days inside the period: from the later of its start and Period start, so that the
lines' expected spend to date adds up to the budget to date and their actuals to the spend to date (with the
spend no line covers, the "Unbudgeted" spend). :func:`total_pacing` is the one answer to "are we on budget?".

Each figure of a line, of the total and of the spend curve is defined once, with its Excel formula beside its
pandas computation, in :mod:`~mops_xl.analysis.figures.budget.budget_line_figures` and
:mod:`~mops_xl.analysis.figures.budget.pacing_total_figures`; the functions here compute them for the engine.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mops_xl.analysis.blocks.statuses import NO_BUDGET, NO_DATA, NOT_STARTED, ON, OVER, UNDER
from mops_xl.analysis.blocks.window import DAY, ReportingWindow
from mops_xl.analysis.blocks.wording import day, days, money
from mops_xl.analysis.figures.budget.budget_line_figures import (
    AT_TODAYS_PACE,
    DATA_THROUGH,
    LINE_COLUMNS,
    SPEND_CYCLE,
    WEEKDAYS,
    PacingBasis,
    pace_lines,
    pacing_status,
)
from mops_xl.analysis.figures.budget.pacing_total_figures import (
    BUDGET_TO_DATE,
    CUMULATIVE_SPEND,
    TOTAL_PACE,
    TOTAL_STATUS,
    LinesTotal,
)

__all__ = [
    "LINE_COLUMNS",
    "NO_BUDGET",
    "NO_DATA",
    "NOT_STARTED",
    "ON",
    "OVER",
    "UNDER",
    "TotalPacing",
    "budget_for_period",
    "budget_lines",
    "channel_pacing",
    "clipped_line_notes",
    "day_count",
    "pacing_status",
    "spend_curve",
    "spend_status",
    "total_pacing",
    "unbudgeted_spend",
]


def day_count(start: pd.Timestamp, end: pd.Timestamp, method: str) -> int:
    """Count the days from ``start`` to ``end`` inclusive: calendar days, or Monday-Friday for "weekdays".

    Args:
        start: First day.
        end: Last day (a day before ``start`` counts 0).
        method: ``"linear"`` (calendar days) or ``"weekdays"``.

    Returns:
        The number of days.
    """
    if end < start:
        return 0
    if method == WEEKDAYS:
        return int(np.busday_count(start.date(), (end + DAY).date()))
    return (end - start).days + 1


def budget_lines(
    budget: pd.DataFrame,
    actuals: pd.DataFrame,
    window: ReportingWindow,
    method: str,
    over_threshold: float,
    cycles: Mapping[str, int] | None = None,
    lagging: Mapping[str, pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """Pace every budget line that overlaps the period, over its days inside the period.

    A line's days from the later of its start and Period start to the earlier of its end and Report as of
    are its elapsed days; its actual is the channel's spend on those days (spend before Period start
    belongs to the previous period, not to this one), and its expected spend to date is the planned spend
    spread over all the line's days, counted on those days. A line of a channel that spends on some days only is
    paced over its cycle: its elapsed days run to the end of its current cycle (see
    :class:`~mops_xl.analysis.figures.budget.budget_line_figures.PacedTo`). A line of a lagging channel is paced to
    its channel's last data date (its missing days are missing, not spent at 0).

    Args:
        budget: The Budget table (Channel, Period start, Period end, Planned spend).
        actuals: The Actuals table (all dates).
        window: The reporting window.
        method: ``"linear"`` or ``"weekdays"`` (Pacing method setting).
        over_threshold: The Overspending threshold.
        cycles: Channel → its spend cycle in days, for the channels that spend on some days only.
        lagging: Channel → its last data date, for the channels whose rows stop early.

    Returns:
        One row per line, columns :data:`LINE_COLUMNS` (and the cycle figures when a line is lumpy, Data through
        when a line lags), indexed by the line's Excel row.
    """
    lines = budget[(budget["Period start"] <= window.end) & (budget["Period end"] >= window.start)]
    daily_spend = actuals.groupby(["Channel", "Date"])["Spend"].sum()
    basis = PacingBasis(window, method, over_threshold, daily_spend, dict(cycles or {}), dict(lagging or {}))
    frame = pace_lines(lines, basis)
    frame.index.name = "row"
    return frame


def channel_pacing(lines: pd.DataFrame, channels: list[str], over_threshold: float) -> pd.DataFrame:
    """Roll budget lines up to channels: pace = Σ actual ÷ Σ expected over the channel's lines.

    Args:
        lines: The output of :func:`budget_lines`.
        channels: Every channel, in order.
        over_threshold: The Overspending threshold.

    Returns:
        Indexed by channel: Budget for period, Planned, Expected to date, Actual, Pace, At today's pace,
        Variance, Remaining, Daily spend to land on budget, Status (:data:`NO_BUDGET` for a channel without
        lines).
    """
    cols = [
        "Budget for period",
        "Planned",
        "Expected to date",
        "Actual",
        AT_TODAYS_PACE,
        "Variance",
        "Left on this line",
        "Daily spend to land on budget",
    ]
    sums = lines.groupby("Channel")[cols].sum(min_count=1).reindex(pd.Index(channels, name="Channel"))
    started = lines[lines["Status"] != NOT_STARTED].groupby("Channel").size().reindex(channels, fill_value=0)
    has_lines = lines.groupby("Channel").size().reindex(channels, fill_value=0) > 0
    sums["Pace"] = sums["Actual"].div(sums["Expected to date"].where(sums["Expected to date"] > 0))
    status = []
    for ch in channels:
        if not has_lines[ch]:
            status.append(NO_BUDGET)
        elif started[ch] == 0:
            status.append(NOT_STARTED)
        elif pd.isna(sums.at[ch, "Pace"]):
            status.append(OVER if sums.at[ch, "Actual"] > 0 and sums.at[ch, "Planned"] == 0 else ON)
        else:
            status.append(pacing_status(float(sums.at[ch, "Pace"]), over_threshold))
    sums["Status"] = status
    return sums


def budget_for_period(lines: pd.DataFrame, channels: list[str]) -> pd.Series:
    """Each channel's budget for the period: Σ planned × overlap days ÷ line days.

    Args:
        lines: The output of :func:`budget_lines`.
        channels: Every channel, in order.

    Returns:
        Channel → budget for the period (0 for a channel without lines).
    """
    return lines.groupby("Channel")["Budget for period"].sum().reindex(channels, fill_value=0.0)


def unbudgeted_spend(budget: pd.DataFrame, actuals: pd.DataFrame, window: ReportingWindow) -> pd.Series:
    """Spend to date on days no budget line of the channel covers.

    Args:
        budget: The Budget table.
        actuals: The Actuals table.
        window: The reporting window.

    Returns:
        Channel → unbudgeted spend, only channels with some (a channel with no line at all counts whole).
    """
    rows = actuals[(actuals["Date"] >= window.start) & (actuals["Date"] <= window.as_of) & (actuals["Spend"] > 0)]
    if rows.empty:
        return pd.Series(dtype="float64")
    merged = rows[["Channel", "Date", "Spend"]].reset_index(drop=True)
    covered = pd.Series(False, index=merged.index)
    for _, line in budget.iterrows():
        covered |= (
            (merged["Channel"] == line["Channel"])
            & (merged["Date"] >= line["Period start"])
            & (merged["Date"] <= line["Period end"])
        )
    out = merged[~covered].groupby("Channel")["Spend"].sum()
    return out[out > 0]


def spend_status(spend: float, target_to_date: float, over_threshold: float) -> str:
    """The pacing band of spend against a spend target to date (the same bands as a budget line).

    Args:
        spend: The spend to date.
        target_to_date: The target (or budget) to date.
        over_threshold: The Overspending threshold.

    Returns:
        Over pace, On pace or Under pace; with a target to date of 0, Over pace when anything was spent.
    """
    if target_to_date > 0:
        return pacing_status(spend / target_to_date, over_threshold)
    return OVER if spend > 0 else ON


@dataclass(frozen=True)
class TotalPacing:
    """All spend to date against every budget line's expected spend to date: the one answer to "are we on
    budget?" (the KPI Framework's Spend row, Budget Pacing's total, the Dashboard, the roll-up).

    Args:
        planned: Σ the lines' planned spend (whole lines; 0 without a budget line).
        budget: Σ the lines' budget for the period (NaN without a budget line).
        expected: Budget to date: Σ the lines' expected spend to date (NaN without a budget line).
        spend: All channels' spend from Period start to Report as of.
        budgeted_spend: Σ the lines' actuals (the part of ``spend`` some line covers).
        unbudgeted: Spend on days no budget line of the channel covers (``spend − budgeted_spend``).
        pace: ``spend ÷ expected`` (NaN when nothing is expected yet).
        status: Over pace, On pace, Under pace; No budget, No data or Not started.
        projected: Spend at period end at the rate so far: ``spend × D ÷ d`` (a lumpy line's spend at its own At
            today's pace, over its days to the end of its current cycle).
        projected_overspend: ``max(projected − budget, 0)`` (NaN without a budget line).
        remaining: ``budget − spend`` (NaN without a budget line).
        remaining_days: Days left in the period after Report as of (weekdays under weekdays pacing).
        daily_to_land: ``max(remaining, 0) ÷ remaining_days``: all channels' daily spend that lands on the
            budget (NaN on the last day or without a budget line).
    """

    planned: float
    budget: float
    expected: float
    spend: float
    budgeted_spend: float
    unbudgeted: float
    pace: float
    status: str
    projected: float
    projected_overspend: float
    remaining: float
    remaining_days: int
    daily_to_land: float


def total_pacing(
    lines: pd.DataFrame, spend: float, window: ReportingWindow, method: str, over_threshold: float, has_data: bool
) -> TotalPacing:
    """Pace all spend to date against every budget line's expected spend to date.

    Args:
        lines: The output of :func:`budget_lines`.
        spend: All channels' spend from Period start to Report as of.
        window: The reporting window.
        method: ``"linear"`` or ``"weekdays"``.
        over_threshold: The Overspending threshold.
        has_data: Whether any Actuals row falls in the window.

    Returns:
        The :class:`TotalPacing`.
    """
    nan = math.nan
    budget = LinesTotal("Budget for period").compute(lines) if len(lines) else nan
    expected = LinesTotal("Expected to date").compute(lines) if len(lines) else nan
    budgeted = LinesTotal("Actual").compute(lines) if len(lines) else 0.0
    projected = _projected(lines, spend, window)
    remaining = budget - spend
    remaining_days = day_count(window.as_of + DAY, window.end, method)
    return TotalPacing(
        planned=LinesTotal("Planned").compute(lines),
        budget=budget,
        expected=expected,
        spend=spend,
        budgeted_spend=budgeted,
        unbudgeted=spend - budgeted,
        pace=TOTAL_PACE.compute(spend, expected),
        status=TOTAL_STATUS.compute(lines, spend, over_threshold, has_data),
        projected=projected,
        projected_overspend=max(projected - budget, 0.0) if len(lines) else nan,
        remaining=remaining,
        remaining_days=remaining_days,
        daily_to_land=max(remaining, 0.0) / remaining_days if remaining_days and len(lines) else nan,
    )


def _projected(lines: pd.DataFrame, spend: float, window: ReportingWindow) -> float:
    """All spend at period end at today's pace: spend × D ÷ d, but a lumpy line's spend at its own At today's pace
    (over its days to the end of its current cycle, as its pace counts), so a spend day does not run on as a daily
    rate, and a lagging line's at its own (over its days to its channel's last data date)."""
    own = pd.Series(False, index=lines.index)
    for column in (SPEND_CYCLE, DATA_THROUGH):
        if column in lines:
            own |= lines[column].notna()
    if not own.any():
        return spend * window.period_days / window.elapsed_days
    paced = lines[own]
    at_pace = paced[AT_TODAYS_PACE].where(paced[AT_TODAYS_PACE].notna(), paced["Actual"])
    daily = spend - float(paced["Actual"].sum())
    return daily * window.period_days / window.elapsed_days + float(at_pace.sum())


def spend_curve(lines: pd.DataFrame, actuals: pd.DataFrame, window: ReportingWindow, method: str) -> pd.DataFrame:
    """Day by day through the period: cumulative spend to date and the budget to date (the ideal pace).

    The budget to date on day t is Σ over the lines of Planned per day × the line's counted days from the
    later of its start and Period start to the earlier of its end and t: on Report as of it is the total
    pace's budget to date.

    Args:
        lines: The output of :func:`budget_lines`.
        actuals: The Actuals table.
        window: The reporting window.
        method: ``"linear"`` or ``"weekdays"``.

    Returns:
        Indexed by Date (Period start … Period end): Cumulative spend (NaN after Report as of), Budget to date.
    """
    days = pd.date_range(window.start, window.end, freq="D")
    curve = pd.DataFrame(
        {
            CUMULATIVE_SPEND.name: CUMULATIVE_SPEND.compute(days, actuals, window),
            BUDGET_TO_DATE.name: BUDGET_TO_DATE.compute(days, lines, method),
        },
        index=days,
    )
    curve.index.name = "Date"
    return curve


def clipped_line_notes(lines: pd.DataFrame, window: ReportingWindow, prefix: str) -> list[dict[str, str]]:
    """Data notes for the budget lines that start before Period start: they are paced from Period start.

    Args:
        lines: The output of :func:`budget_lines`.
        window: The reporting window.
        prefix: The currency prefix.

    Returns:
        One ``{"subject", "note"}`` per such line.
    """
    return [
        {
            "subject": str(line["Channel"]),
            "note": f"Budget line {days(line['Line start'], line['Line end'])} starts before Period start: paced "
            f"from {day(window.start)}, with {money(line['Budget for period'], prefix)} of its "
            f"{money(line['Planned'], prefix)} in the period; its spend before {day(window.start)} is not counted",
        }
        for _, line in lines.iterrows()
        if line["Line start"] < window.start
    ]
