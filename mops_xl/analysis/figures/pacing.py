"""Budget pacing: is each budget line, and all spend together, going at the rate that lands on the budget?

A line is paced over its days inside the period: from the later of its start and Period start, so that the
lines' expected spend to date adds up to the budget to date and their actuals to the spend to date (with the
spend no line covers, the "Unbudgeted" spend). :func:`total_pacing` is the one answer to "are we on budget?".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mops_xl.analysis.blocks.statuses import NO_BUDGET, NO_DATA, NOT_STARTED, ON, OVER, UNDER
from mops_xl.analysis.blocks.window import DAY, ReportingWindow
from mops_xl.analysis.blocks.wording import money

LINE_COLUMNS = (
    "Channel",
    "Line start",
    "Line end",
    "Planned",
    "Line days",
    "Elapsed days",
    "Budget for period",
    "Expected to date",
    "Actual",
    "Pace",
    "Projected",
    "Variance",
    "Remaining",
    "Remaining days",
    "Daily spend to land on budget",
    "Status",
    "Planned per day",
)


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
    if method == "weekdays":
        return int(np.busday_count(start.date(), (end + DAY).date()))
    return (end - start).days + 1


def pacing_status(pace: float, over_threshold: float) -> str:
    """Classify a pace: Over pace above the threshold, Under pace below 2 − threshold, else On pace.

    Args:
        pace: Actual ÷ expected spend.
        over_threshold: The Overspending threshold (e.g. 1.1).

    Returns:
        The status text.
    """
    if pace > over_threshold:
        return OVER
    if pace < 2 - over_threshold:
        return UNDER
    return ON


def budget_lines(
    budget: pd.DataFrame, actuals: pd.DataFrame, window: ReportingWindow, method: str, over_threshold: float
) -> pd.DataFrame:
    """Pace every budget line that overlaps the period, over its days inside the period.

    A line's days from the later of its start and Period start to the earlier of its end and Report as of
    are its elapsed days; its actual is the channel's spend on those days (spend before Period start
    belongs to the previous period, not to this one), and its expected spend to date is the planned spend
    spread over all the line's days, counted on those days.

    Args:
        budget: The Budget table (Channel, Period start, Period end, Planned spend).
        actuals: The Actuals table (all dates).
        window: The reporting window.
        method: ``"linear"`` or ``"weekdays"`` (Pacing method setting).
        over_threshold: The Overspending threshold.

    Returns:
        One row per line, columns :data:`LINE_COLUMNS`, indexed by the line's Excel row.
    """
    S, E, A = window.start, window.end, window.as_of
    lines = budget[(budget["Period start"] <= E) & (budget["Period end"] >= S)]
    spend = actuals.groupby(["Channel", "Date"])["Spend"].sum()
    records = []
    for row, line in lines.iterrows():
        ch, ls, le, planned = line["Channel"], line["Period start"], line["Period end"], float(line["Planned spend"])
        first, last, to_date = max(ls, S), min(le, E), min(le, A)  # the line's days in the period, and to date
        total_days = day_count(ls, le, method)
        calendar_days = day_count(ls, le, "linear")
        elapsed = day_count(first, to_date, method)
        calendar_elapsed = day_count(first, to_date, "linear")
        in_period = day_count(first, last, method)
        overlap = day_count(first, last, "linear")
        actual = _spend_between(spend, ch, first, to_date)
        expected = planned * elapsed / total_days if total_days else 0.0
        budget_for_period = planned * overlap / calendar_days
        remaining_days = in_period - elapsed
        if calendar_elapsed == 0:
            pace, status, projected = np.nan, NOT_STARTED, np.nan
        else:
            if expected > 0:
                pace = actual / expected
                status = pacing_status(pace, over_threshold)
            else:  # a zero budget, or a line whose days so far are all weekend days
                pace = np.nan
                status = OVER if actual > 0 and planned == 0 else ON
            projected = actual / elapsed * in_period if elapsed else actual
        remaining = budget_for_period - actual
        records.append(
            {
                "row": row,
                "Channel": ch,
                "Line start": ls,
                "Line end": le,
                "Planned": planned,
                "Line days": calendar_days,
                "Elapsed days": calendar_elapsed,
                "Budget for period": budget_for_period,
                "Expected to date": expected,
                "Actual": actual,
                "Pace": pace,
                "Projected": projected,
                "Variance": projected - budget_for_period,
                "Remaining": remaining,
                "Remaining days": remaining_days,
                "Daily spend to land on budget": max(remaining, 0.0) / remaining_days if remaining_days else np.nan,
                "Status": status,
                "Planned per day": planned / total_days if total_days else 0.0,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=["row", *LINE_COLUMNS])
    return frame.set_index("row")


def _spend_between(spend: pd.Series, channel: str, first: pd.Timestamp, last: pd.Timestamp) -> float:
    if last < first or channel not in spend.index.get_level_values(0):
        return 0.0
    days = spend.loc[channel]
    return float(days[(days.index >= first) & (days.index <= last)].sum())


def channel_pacing(lines: pd.DataFrame, channels: list[str], over_threshold: float) -> pd.DataFrame:
    """Roll budget lines up to channels: pace = Σ actual ÷ Σ expected over the channel's lines.

    Args:
        lines: The output of :func:`budget_lines`.
        channels: Every channel, in order.
        over_threshold: The Overspending threshold.

    Returns:
        Indexed by channel: Budget for period, Planned, Expected to date, Actual, Pace, Projected,
        Variance, Remaining, Daily spend to land on budget, Status (:data:`NO_BUDGET` for a channel without
        lines).
    """
    cols = [
        "Budget for period",
        "Planned",
        "Expected to date",
        "Actual",
        "Projected",
        "Variance",
        "Remaining",
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
        projected: Spend at period end at the rate so far: ``spend × D ÷ d``.
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


def total_pace_status(lines: pd.DataFrame, spend: float, over_threshold: float, has_data: bool) -> str:
    """The status of all spend together against every budget line's expected spend to date.

    Args:
        lines: The output of :func:`budget_lines`.
        spend: All channels' spend to date.
        over_threshold: The Overspending threshold.
        has_data: Whether any Actuals row falls in the window.

    Returns:
        No budget (no line overlaps the period), No data (no Actuals row in the window), Not started (no line
        has started), else the pacing band of spend ÷ Σ expected; when nothing is expected yet, Over pace if
        something was spent and every started line plans 0, else On pace (the rule of a single line).
    """
    if lines.empty:
        return NO_BUDGET
    if not has_data:
        return NO_DATA
    started = lines[lines["Status"] != NOT_STARTED]
    if started.empty:
        return NOT_STARTED
    expected = float(lines["Expected to date"].sum())
    if expected > 0:
        return pacing_status(spend / expected, over_threshold)
    return OVER if spend > 0 and float(started["Planned"].sum()) == 0 else ON


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
    budget = float(lines["Budget for period"].sum()) if len(lines) else nan
    expected = float(lines["Expected to date"].sum()) if len(lines) else nan
    budgeted = float(lines["Actual"].sum()) if len(lines) else 0.0
    projected = spend * window.period_days / window.elapsed_days
    remaining = budget - spend
    remaining_days = day_count(window.as_of + DAY, window.end, method)
    return TotalPacing(
        planned=float(lines["Planned"].sum()),
        budget=budget,
        expected=expected,
        spend=spend,
        budgeted_spend=budgeted,
        unbudgeted=spend - budgeted,
        pace=spend / expected if expected > 0 else nan,
        status=total_pace_status(lines, spend, over_threshold, has_data),
        projected=projected,
        projected_overspend=max(projected - budget, 0.0) if len(lines) else nan,
        remaining=remaining,
        remaining_days=remaining_days,
        daily_to_land=max(remaining, 0.0) / remaining_days if remaining_days and len(lines) else nan,
    )


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
    rows = actuals[(actuals["Date"] >= window.start) & (actuals["Date"] <= window.as_of)]
    daily = rows.groupby("Date")["Spend"].sum().reindex(days, fill_value=0.0).cumsum()
    counted = (
        np.is_busday(days.to_numpy().astype("datetime64[D]")) if method == "weekdays" else np.ones(len(days), bool)
    )
    increment = np.zeros(len(days))
    for _, line in lines.iterrows():
        covers = (days >= line["Line start"]) & (days <= line["Line end"]) & counted
        increment += np.where(covers, line["Planned per day"], 0.0)
    curve = pd.DataFrame(
        {"Cumulative spend": daily.where(days <= window.as_of), "Budget to date": np.cumsum(increment)}, index=days
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
            "note": f"Budget line {line['Line start']:%Y-%m-%d} to {line['Line end']:%Y-%m-%d} starts before Period "
            f"start: paced from {window.start:%Y-%m-%d}, with {money(line['Budget for period'], prefix)} of its "
            f"{money(line['Planned'], prefix)} in the period; its spend before {window.start:%Y-%m-%d} is not counted",
        }
        for _, line in lines.iterrows()
        if line["Line start"] < window.start
    ]
