"""Budget pacing: is each budget line spending at the rate that lands on its plan?"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mops_xl.metrics.statuses import NO_BUDGET, NOT_STARTED, ON, OVER, UNDER
from mops_xl.metrics.window import DAY, ReportingWindow

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
    """Pace every budget line that overlaps the period.

    Args:
        budget: The Budget table (Channel, Period start, Period end, Planned spend).
        actuals: The Actuals table (all dates: a line may start before the period).
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
        total_days = day_count(ls, le, method)
        calendar_days = day_count(ls, le, "linear")
        elapsed = day_count(ls, min(le, A), method)
        calendar_elapsed = day_count(ls, min(le, A), "linear")
        overlap = day_count(max(ls, S), min(le, E), "linear")
        actual = _spend_between(spend, ch, ls, min(le, A))
        expected = planned * elapsed / total_days if total_days else 0.0
        remaining_days = total_days - elapsed
        if calendar_elapsed == 0:
            pace, status, projected = np.nan, NOT_STARTED, np.nan
        else:
            if expected > 0:
                pace = actual / expected
                status = pacing_status(pace, over_threshold)
            else:  # a zero budget, or a line whose days so far are all weekend days
                pace = np.nan
                status = OVER if actual > 0 and planned == 0 else ON
            projected = actual / elapsed * total_days if elapsed else actual
        remaining = planned - actual
        records.append(
            {
                "row": row,
                "Channel": ch,
                "Line start": ls,
                "Line end": le,
                "Planned": planned,
                "Line days": calendar_days,
                "Elapsed days": calendar_elapsed,
                "Budget for period": planned * overlap / calendar_days,
                "Expected to date": expected,
                "Actual": actual,
                "Pace": pace,
                "Projected": projected,
                "Variance": projected - planned,
                "Remaining": remaining,
                "Remaining days": remaining_days,
                "Daily spend to land on budget": max(remaining, 0.0) / remaining_days if remaining_days else np.nan,
                "Status": status,
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
        Variance, Remaining, Daily spend to land on budget, Status ("No budget" for a channel without lines).
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


def cumulative_spend(actuals: pd.DataFrame, window: ReportingWindow, period_budget: float) -> pd.DataFrame:
    """Spend day by day through the period against the ideal pace (docs/metrics.md, "Cumulative spend").

    Args:
        actuals: The Actuals table.
        window: The reporting window.
        period_budget: The Spend target for the period (NaN without one: the ideal pace is then 0).

    Returns:
        One row per day of the period (S … E), columns Date, Cumulative spend (Σ Spend from S to that day;
        NaN after Report as of) and Ideal pace (the period budget × days so far ÷ D).
    """
    days = pd.date_range(window.start, window.end, freq="D")
    rows = actuals[(actuals["Date"] >= window.start) & (actuals["Date"] <= window.as_of)]
    running = rows.groupby("Date")["Spend"].sum().reindex(days, fill_value=0.0).astype("float64").cumsum()
    budget = 0.0 if pd.isna(period_budget) else float(period_budget)
    day_number = np.arange(1, len(days) + 1)
    return pd.DataFrame(
        {
            "Date": days,
            "Cumulative spend": running.where(days <= window.as_of).to_numpy(),
            "Ideal pace": budget * day_number / window.period_days,
        }
    )
